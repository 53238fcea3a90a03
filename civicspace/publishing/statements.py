"""Statements about the site itself (the accessibility statement)."""
import datetime as dt

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe

# When the statement was last reviewed against the tests it describes (update with the statement).
ACCESSIBILITY_REVIEWED = dt.date(2026, 12, 6)


@require_safe
def accessibility_statement(request):
    return render(request, "publishing/accessibility.html", {
        "contact": settings.ACCESSIBILITY_CONTACT,
        "reviewed": ACCESSIBILITY_REVIEWED,
    })
