"""The alert e-mails: a plain-text and an HTML part in the subscriber's language, with the manage link and the
one-click unsubscribe (RFC 8058: List-Unsubscribe with an https URL, List-Unsubscribe-Post). A message is
rendered once per language and event with a placeholder for the subscriber's token (fan-out to many
subscribers renders nothing per subscriber)."""
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

TOKEN = "__SUBSCRIBER_TOKEN__"


def _text(value, lang):
    if isinstance(value, dict):
        return value.get(lang) or value.get("en") or ""
    return value or ""


def item(kind, payload, lang):
    """One event as the heading, title, lines and link an e-mail shows (in `lang`, active)."""
    if kind in ("update.published", "update.retracted"):
        update = payload["update"]
        country = _text(update["country"]["name"], lang)
        if kind == "update.published":
            return {"heading": _("New update on %(country)s") % {"country": country},
                    "title": _text(update["title"], lang), "lines": [_text(update["summary"], lang)],
                    "url": _text(update["url"], lang)}
        return {"heading": _("Retracted: an update on %(country)s you were alerted to") % {"country": country},
                "title": _text(update["title"], lang),
                "lines": [_("Reason given: %(reason)s") % {"reason": _text(update["retraction_reason"], lang)}],
                "url": _text(update["url"], lang)}
    if kind == "law.stage_verified":
        law, stage = payload["law"], payload["stage"]
        return {"heading": _("%(country)s: a law reached a new stage") % {
                    "country": _text(law["country"]["name"], lang)},
                "title": _text(law["title"], lang),
                "lines": [f'{_text(stage["label"], lang)} ({stage["date"]})'], "url": _text(law["url"], lang)}
    if kind == "rating.edition_published":
        edition = payload["edition"]
        return {"heading": _("Rating changes: edition %(code)s") % {"code": edition["code"]}, "title": "",
                "lines": [f'{_text(c["country"]["name"], lang)}: {_text(c["from_label"], lang)} → '
                          f'{_text(c["to_label"], lang)}' for c in payload["changes"]],
                "url": _text(edition["url"], lang)}
    if kind == "findings.published":
        edition = payload["edition"]
        return {"heading": _("Global findings of edition %(code)s") % {"code": edition["code"]}, "title": "",
                "lines": [], "url": _text(edition["url"], lang)}
    if kind == "watchlist.edition_published":
        watchlist = payload["watchlist"]
        return {"heading": _("New Watchlist edition"), "title": _text(watchlist["title"], lang),
                "lines": [", ".join(_text(c["name"], lang) for c in watchlist["countries"])],
                "url": _text(watchlist["url"], lang)}
    case = payload["case"]
    return {"heading": _("A case in %(country)s") % {"country": _text(case["country"]["name"], lang)},
            "title": _text(case["title"], lang), "lines": [], "url": _text(case["url"], lang)}


def links(lang, token=TOKEN):
    with translation.override(lang):
        return {"manage_url": settings.SITE_URL + reverse("alerts:manage", args=[token]),
                "unsubscribe_url": settings.SITE_URL + reverse("alerts:unsubscribe", args=[token])}


def headers(lang, token):
    return {"List-Unsubscribe": f"<{links(lang, token)['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click", "Content-Language": lang,
            "Auto-Submitted": "auto-generated"}


def render(lang, *, subject, intro, items):
    """(subject, text, html) with TOKEN where the subscriber's token goes."""
    with translation.override(lang):
        context = {"subject": subject, "intro": intro, "items": items, "lang": lang,
                   "bidi": translation.get_language_bidi(), **links(lang)}
        return (subject, render_to_string("alerts/email/alert.txt", context),
                render_to_string("alerts/email/alert.html", context))


def event_message(event, lang):
    with translation.override(lang):
        one = item(event.kind, event.payload, lang)
        subject = f'{one["heading"]}: {one["title"]}' if one["title"] else one["heading"]
        return render(lang, subject=subject, intro="", items=[one])


def digest_message(events, lang, period):
    with translation.override(lang):
        groups = {}
        for event in events:
            groups.setdefault(event.kind, []).append(item(event.kind, event.payload, lang))
        items = [entry for kind in sorted(groups) for entry in groups[kind]]
        count = len(items)
        subject = (ngettext("Your daily alerts: %(n)s new item", "Your daily alerts: %(n)s new items", count)
                   if period == "daily" else
                   ngettext("Your weekly alerts: %(n)s new item", "Your weekly alerts: %(n)s new items", count)
                   ) % {"n": count}
        return render(lang, subject=subject, intro=_("What was published since your last digest, by kind."),
                      items=items)


def personalise(parts, token):
    return tuple(part.replace(TOKEN, token) for part in parts)


def confirmation_message(lang, token):
    with translation.override(lang):
        url = settings.SITE_URL + reverse("alerts:confirm", args=[token])
        subject = _("Confirm your Civic Space Monitor alerts")
        body = "\n".join([
            _("Someone (we hope you) asked to receive alerts from the Civic Space Monitor at this address."),
            "", _("To confirm, open this link:"), url, "",
            _("If it was not you, ignore this e-mail: nothing will be sent without the confirmation.")])
        return subject, body


def already_message(lang, token):
    with translation.override(lang):
        subject = _("Your Civic Space Monitor alerts")
        body = "\n".join([
            _("Someone (we hope you) asked to subscribe this address, which already receives our alerts."),
            "", _("To change what you receive or to unsubscribe, open this link:"), links(lang, token)["manage_url"],
            "", _("If it was not you, ignore this e-mail: nothing has changed.")])
        return subject, body


def webhook_disabled_message(endpoint, reason):
    """To the owner, in the owner's language: the endpoint was disabled, why, and how to bring it back."""
    with translation.override(endpoint.language):
        subject = _("Civic Space Monitor webhook disabled: %(name)s") % {"name": endpoint.name}
        if endpoint.manage_token:
            how = [_("Fix the endpoint, then reactivate it from its page:"),
                   webhook_manage_url(endpoint.language, endpoint.manage_token)]
        else:
            how = [_("Fix the endpoint, then ask an administrator to reactivate it; failed deliveries can be "
                     "replayed from the delivery log.")]
        body = "\n".join([
            _("Your webhook endpoint %(url)s was disabled after repeated failed deliveries.") % {"url": endpoint.url},
            _("Last error: %(error)s") % {"error": reason}, "", *how])
        return subject, body


def webhook_manage_url(lang, token):
    with translation.override(lang):
        return settings.SITE_URL + reverse("alerts:webhook_manage", args=[token])


def webhook_confirmation_message(lang, token):
    """The same e-mail whether or not the address already owns endpoints."""
    with translation.override(lang):
        url = settings.SITE_URL + reverse("alerts:webhook_confirm", args=[token])
        subject = _("Confirm your Civic Space Monitor webhook")
        body = "\n".join([
            _("Someone (we hope you) asked to send Civic Space Monitor webhooks to an endpoint, with this address "
              "as its owner."),
            "", _("To create the endpoint and see its signing secret, open this link:"), url, "",
            _("If it was not you, ignore this e-mail: nothing will be sent without the confirmation.")])
        return subject, body


def webhook_created_message(lang, endpoint):
    with translation.override(lang):
        subject = _("Your Civic Space Monitor webhook is active")
        body = "\n".join([
            _("Your webhook endpoint %(url)s is active.") % {"url": endpoint.url}, "",
            _("Keep this link: it shows the delivery log and lets you rotate the secret, change the event types "
              "or delete the endpoint. Anyone with the link can do the same."),
            webhook_manage_url(lang, endpoint.manage_token)])
        return subject, body
