from civicspace.core.translation import register_translated

from .models import Incident, Organisation, Term, Update

register_translated(Term, ("label",))
register_translated(Organisation, ("description",))
register_translated(Update, ("title", "summary", "body", "retraction_reason"), fallback_undefined="")
register_translated(Incident, ("description", "outcome", "place"))
