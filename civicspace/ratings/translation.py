from civicspace.core.translation import register_translated

from .models import RatingDecision

register_translated(RatingDecision, ("rationale",))
