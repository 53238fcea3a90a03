from civicspace.core.translation import register_translated

from .models import Bill, StageEvent

register_translated(Bill, ("official_title", "short_title", "summary"))
register_translated(StageEvent, ("note",))
