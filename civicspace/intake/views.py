"""New update from a text: paste or upload, review the suggestions with their evidence, accept. Thin: validate a
form, call the engine (read-only) or the service, render."""
import datetime as dt
from urllib.parse import urlparse

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from civicspace.accounts.roles import assigned_country_ids, is_editor
from civicspace.core.errors import errors_to_form
from civicspace.countries.models import Country
from civicspace.monitoring.models import Term, Vocabulary

from . import selectors, services
from .engine import as_plain, suggest
from .forms import MAX_INCIDENTS, MAX_VICTIMS, IntakeTextForm, ReviewForm


def _creatable_countries(user):
    if is_editor(user):
        return Country.objects.all()
    return Country.objects.filter(pk__in=assigned_country_ids(user))


def _analyse(text, source_date, source_url):
    return as_plain(suggest(text, source_date=source_date, source_url=source_url), text)


def _segments(text, result):
    """The text cut into plain and highlighted pieces; each evidence sentence gets an anchor id."""
    spans = {}
    def visit(value):
        if isinstance(value, dict):
            if {"start", "end", "sentence"} <= set(value):
                spans.setdefault((value["start"], value["end"]), None)
            for v in value.values():
                visit(v)
        elif isinstance(value, list):
            for v in value:
                visit(v)
    visit(result)
    ordered = sorted(spans)
    pieces, pos, ids = [], 0, {}
    for start, end in ordered:
        if start < pos:
            continue
        if start > pos:
            pieces.append({"text": text[pos:start], "id": None})
        ids[(start, end)] = f"ev-{len(ids) + 1}"
        pieces.append({"text": text[start:end], "id": ids[(start, end)]})
        pos = end
    if pos < len(text):
        pieces.append({"text": text[pos:], "id": None})

    def anchor(value):
        if isinstance(value, dict):
            if {"start", "end", "sentence"} <= set(value):
                value["id"] = ids.get((value["start"], value["end"]))
            for v in value.values():
                anchor(v)
        elif isinstance(value, list):
            for v in value:
                anchor(v)
    anchor(result)
    return pieces


def _initial(text, result, countries, *, source_url, source_date):
    terms = {(t.vocabulary, t.code): t for t in Term.objects.filter(is_active=True)}
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    title = lines[0][:250] if lines else ""
    summary = " ".join(lines[1:3])[:600] if len(lines) > 1 else title
    suggested_codes = [c["code"] for c in result["countries"]]
    country = countries.filter(code__in=suggested_codes[:1]).first()
    published = result["published_date"]["value"]
    update_date = (dt.date.fromisoformat(published) if published else None) or source_date or timezone.localdate()
    body_lines = []
    for law in result["laws"]:
        stage = law["stage"] or "—"
        body_lines.append(f"- {law['name']} ({_('stage')}: {stage})")
    for mention in result["watchlist"]:
        body_lines.append(f"- {mention['text']}")
    initial = {
        "text": text, "country": country, "date": update_date, "original_language": result["language"]["value"],
        "title": title, "summary": summary, "body": "\n".join(body_lines),
        "source_url": source_url or "", "source_title": title[:300],
        "source_publisher": urlparse(source_url).hostname or "" if source_url else "",
        "source_date": dt.date.fromisoformat(published) if published else source_date,
        "incident_count": min(len(result["incidents"]), MAX_INCIDENTS),
    }
    freedoms = set()
    for i, inc in enumerate(result["incidents"][:MAX_INCIDENTS]):
        p = f"i{i}_"
        date = dt.date.fromisoformat(inc["date"]) if inc["date"] else update_date
        precision = inc["date_precision"] or "month"
        freedoms.update(inc["freedoms"])
        initial.update({
            p + "keep": True, p + "date": date, p + "date_precision": precision, p + "place": inc["place"],
            p + "place_precision": inc["place_precision"], p + "description": inc["evidence"]["sentence"].strip(),
            p + "types": [t for c in inc["violation_types"]
                          for t in [terms.get(("violation", c)) or terms.get(("positive", c))] if t],
            p + "freedoms": [terms[("freedom", c)] for c in inc["freedoms"] if ("freedom", c) in terms],
            p + "perpetrators": [terms[("perpetrator", c)] for c in inc["perpetrators"]
                                 if ("perpetrator", c) in terms],
        })
        for v, victim in enumerate(inc["victims"][:MAX_VICTIMS]):
            q = f"{p}v{v}_"
            initial.update({q + "type": terms.get(("victim", victim["type"])), q + "count": victim["count"],
                            q + "sensitive": True,
                            q + "names": "\n".join(inc["names"]) if v == 0 else ""})
    initial["freedoms"] = [terms[("freedom", c)] for c in sorted(freedoms) if ("freedom", c) in terms]
    return initial


def _review_context(form, text, result, countries):
    pieces = _segments(text, result)
    incidents = []
    # The codes offered beside an incident, named in the page's language (one query, only when there are some).
    vocabularies = {"violation_types": (Vocabulary.VIOLATION, Vocabulary.POSITIVE), "victims": (Vocabulary.VICTIM,)}
    offered = {code for inc in result["incidents"] for codes in inc.get("also_possible", {}).values() for code in codes}
    labels = {(t.vocabulary, t.code): t.label
              for t in Term.objects.filter(is_active=True, code__in=offered)} if offered else {}
    for i, inc in enumerate(result["incidents"][:form.incident_count]):
        p = f"i{i}_"
        also_possible = [labels[(v, code)] for key, codes in inc.get("also_possible", {}).items()
                         for code in codes for v in vocabularies[key] if (v, code) in labels]
        incidents.append({
            "n": i + 1, "suggestion": inc, "also_possible": also_possible,
            "keep": form[p + "keep"], "fields": [form[p + f] for f in (
                "date", "date_precision", "place", "place_precision", "description", "types", "freedoms",
                "perpetrators")],
            "victims": [[form[f"{p}v{v}_{f}"] for f in ("type", "count", "names", "sensitive")]
                        for v in range(MAX_VICTIMS)],
        })
    allowed = set(countries.values_list("code", flat=True))
    names = dict(Country.objects.filter(code__in=[c["code"] for c in result["countries"]])
                 .values_list("code", "name"))
    for c in result["countries"]:
        c["name"] = names.get(c["code"], c["code"])
    return {
        "form": form, "pieces": pieces, "result": result, "incidents": incidents,
        "laws": selectors.laws_with_bills(result["laws"]),
        "not_allowed": [c["code"] for c in result["countries"] if c["code"] not in allowed],
    }


@login_required
def intake_new(request):
    countries = _creatable_countries(request.user)
    if not countries.exists():
        raise PermissionDenied
    if request.method == "POST" and request.POST.get("step") == "accept":
        form = ReviewForm(request.POST, countries=countries)
        if form.is_valid():
            data = form.cleaned_data
            try:
                update = services.intake_accept(
                    actor=request.user, country=data["country"], date=data["date"],
                    original_language=data["original_language"], title=data["title"], summary=data["summary"],
                    body=data["body"], freedoms=data["freedoms"],
                    source={"title": data["source_title"], "publisher": data["source_publisher"],
                            "url": data["source_url"], "date": data["source_date"]},
                    incidents=form.kept_incidents())
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("Draft saved from the text. Check it, then submit it for review."))
                return redirect("monitoring:update_workspace", update.pk)
        text = request.POST.get("text", "")
        cleaned = getattr(form, "cleaned_data", {})
        result = _analyse(text, cleaned.get("source_date"), cleaned.get("source_url"))
        return render(request, "intake/review.html", _review_context(form, text, result, countries), status=400)
    if request.method == "POST":
        form = IntakeTextForm(request.POST, request.FILES,
                              upload_too_large=getattr(request, "intake_upload_too_large", False))
        if form.is_valid():
            data = form.cleaned_data
            text = data["text"]
            result = _analyse(text, data.get("source_date"), data.get("source_url"))
            initial = _initial(text, result, countries, source_url=data.get("source_url"),
                               source_date=data.get("source_date"))
            review = ReviewForm(initial=initial, countries=countries, incident_count=initial["incident_count"])
            return render(request, "intake/review.html", _review_context(review, text, result, countries))
        return render(request, "intake/new.html", {"form": form}, status=400)
    return render(request, "intake/new.html", {"form": IntakeTextForm()})
