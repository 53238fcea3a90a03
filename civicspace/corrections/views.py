"""Public pages of corrections: the request form on every published item, the thank-you page (which echoes
nothing), the confirmation link, the public record with its filters and Atom feed. Thin: throttle, check the
honeypot, call a service or a selector, render."""
from datetime import timezone as dt_timezone

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from civicspace.core.errors import errors_to_form, validation_messages
from civicspace.core.throttle import client_ip, throttle_hit
from civicspace.countries.models import Country

from . import selectors, services
from .forms import RecordFilterForm, RequestForm
from .models import ItemKind, RequestType

HONEYPOT = "website"


def _limits():
    return {
        "ip": (int(getattr(settings, "CORRECTIONS_PER_IP_PER_HOUR", 10)), 3600),
        "address": (int(getattr(settings, "CORRECTIONS_PER_ADDRESS_PER_DAY", 5)), 86400),
    }


@require_http_methods(["GET", "POST"])
def request_new(request, kind, ref):
    item = selectors.item_resolve(kind, ref)
    is_rating = item.kind == ItemKind.RATING
    form = RequestForm(request.POST or None, rating=is_rating,
                       initial={"language": get_language(), "request_type": request.GET.get("type", "correction")})
    status = 200
    if request.method == "POST":
        if request.POST.get(HONEYPOT, ""):
            return redirect("corrections:sent")  # a bot: thanked, nothing saved
        limits = _limits()
        wait = throttle_hit("corrections-ip", client_ip(request), limit=limits["ip"][0],
                            window_seconds=limits["ip"][1])
        if wait is None and form.is_valid():
            wait = throttle_hit("corrections-address", form.cleaned_data["email"], limit=limits["address"][0],
                                window_seconds=limits["address"][1])
        if wait is not None:
            form.is_valid()
            form.add_error(None, _("Too many requests from your address. Please try again later."))
            response = render(request, "corrections/request_form.html", {"form": form, "item": item}, status=429)
            response["Retry-After"] = str(wait)
            return response
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.correction_request_submit(
                    request_type=data["request_type"], item_kind=item.kind, item_ref=item.ref, name=data["name"],
                    organisation=data["organisation"], role=data["role"], email=data["email"], text=data["text"],
                    language=data["language"], evidence_links=form.links(),
                    represents_government=data.get("represents_government", False))
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                return redirect("corrections:sent")
        status = 400
    return render(request, "corrections/request_form.html", {"form": form, "item": item}, status=status)


@require_safe
def request_sent(request):
    """Says what happens next; echoes nothing the requester typed."""
    return render(request, "corrections/request_sent.html")


@require_http_methods(["GET", "POST"])
def request_confirm(request, token):
    """GET shows a button (a mail scanner that follows links confirms nothing); POST confirms."""
    if request.method == "POST":
        try:
            services.correction_request_confirm(token=token)
        except ValidationError as error:
            return render(request, "corrections/request_confirm.html",
                          {"problems": validation_messages(error)}, status=400)
        return render(request, "corrections/request_confirm.html", {"confirmed": True})
    return render(request, "corrections/request_confirm.html", {"token": token})


def _filters(request):
    form = RecordFilterForm(request.GET or None)
    form.fields["kind"].choices = [("", _("All items")), *ItemKind.choices]
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        if data.get("country"):
            filters["country"] = Country.objects.filter(code=data["country"].upper()).first()
            if filters["country"] is None:
                form.add_error("country", _("Unknown country code."))
                filters.pop("country")
        if data.get("kind"):
            filters["item_kind"] = data["kind"]
        if data.get("type"):
            filters["request_type"] = data["type"]
    return form, filters


@require_safe
def record_list(request):
    form, filters = _filters(request)
    lang = get_language()
    records = selectors.public_record(**filters)
    for record in records:
        record.shown = selectors.reply_shown(record, lang)
    return render(request, "corrections/record_list.html", {
        "form": form, "records": records, "filtered": bool(filters),
        "countries": Country.objects.order_by("code"), "query": request.GET.urlencode(),
    })


class RecordFeed(Feed):
    """Published replies and corrections, newest first (filters as the list: ?country=kgz&kind=update&type=reply)."""

    feed_type = Atom1Feed

    def get_object(self, request):
        return _filters(request)[1]

    def title(self, obj):
        return _("Corrections and replies — Civic Space Monitor")

    def link(self, obj):
        return reverse("corrections:record_list")

    def description(self, obj):
        return _("Every correction the monitor made and every reply it published from a party named in its "
                 "work.")

    def items(self, obj):
        return selectors.public_record(limit=50, **obj)

    def item_title(self, record):
        label = _("Correction") if record.request_type == RequestType.CORRECTION else _("Reply")
        return f"{label}: {record.item.title}"

    def item_description(self, record):
        if record.request_type == RequestType.CORRECTION:
            return record.correction_note
        return f"{record.reply_party}: {record.reply_text}"

    def item_link(self, record):
        return f"{record.item.url}#correction-{record.pk}"

    def item_pubdate(self, record):
        return record.published_at.astimezone(dt_timezone.utc)
