from civicspace.core.translation import register_translated

from .models import WatchlistEdition, WatchlistEntry

register_translated(WatchlistEdition, ("pr_title", "pr_dateline", "pr_lead", "pr_about", "pr_contact",
                                       "press_release_text"))
register_translated(WatchlistEntry, ("rationale",))
