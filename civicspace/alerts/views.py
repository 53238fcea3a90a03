"""The public alert pages: subscribe, the same "check your inbox" answer for every address, confirm, manage and
unsubscribe by the token from the e-mails; self-service webhooks the same way (ask, confirm from the inbox, then
one link to the delivery log, the secret's rotation, the event types and deletion). Unsubscribe takes a one-click POST without a session or CSRF token
(RFC 8058: the mail client posts List-Unsubscribe=One-Click)."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from civicspace.core.errors import errors_to_form
from civicspace.core.throttle import client_ip

from . import selectors, services
from .forms import SubscribeForm, TopicsForm, WebhookManageForm, WebhookRequestForm


def _submit_public_form(form, call):
    """A form anyone may post (no account): (True, 200) once `call(cleaned_data)` succeeded; otherwise the
    problems are on the form, with the status to answer: 429 when a limit refused it, 400 for invalid input."""
    if not form.is_valid():
        return False, 400
    try:
        call(form.cleaned_data)
    except services.Throttled as error:
        form.add_error(None, str(error))
        return False, 429
    except ValidationError as error:
        errors_to_form(form, error)
        return False, 400
    return True, 200


@never_cache
def subscribe(request):
    status = 200
    if request.method == "POST":
        form = SubscribeForm(request.POST)
        done, status = _submit_public_form(form, lambda data: services.subscriber_subscribe(
            email=data["email"], ip=client_ip(request), language=data["language"], frequency=data["frequency"],
            topics=form.topics()))
        if done:
            return redirect("alerts:sent")
    else:
        initial = {"language": get_language(), "frequency": "instant"}
        form = SubscribeForm(initial=initial)
        country = request.GET.get("country", "").upper()
        if country:
            initial["countries"] = form.fields["countries"].queryset.filter(code=country)
        law = request.GET.get("law", "")
        if law.isdigit():
            initial["bills"] = form.fields["bills"].queryset.filter(pk=int(law))
        form = SubscribeForm(initial=initial)
    return render(request, "alerts/subscribe.html", {"form": form}, status=status)


def sent(request):
    return render(request, "alerts/sent.html")


def _private(view):
    """A page reached by a subscriber's secret link: never cached (never_cache), never indexed."""
    from functools import wraps

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = never_cache(view)(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
    return wrapped


def _subscriber(token):
    subscriber = selectors.subscriber_by_token(token)
    if subscriber is None:
        raise Http404("No subscription with this link")
    return subscriber


@_private
def confirm(request, token):
    subscriber = _subscriber(token)
    if request.method == "POST":
        services.subscriber_confirm(token=token)
        messages.success(request, _("Your subscription is confirmed. Alerts will come to your inbox."))
        return redirect("alerts:manage", token=token)
    return render(request, "alerts/confirm.html", {"subscriber": subscriber, "token": token})


@_private
def manage(request, token):
    subscriber = _subscriber(token)
    status = 200
    if request.method == "POST":
        form = TopicsForm(request.POST)
        if form.is_valid():
            try:
                services.subscriber_edit(token=token, language=form.cleaned_data["language"],
                                         frequency=form.cleaned_data["frequency"], topics=form.topics())
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("Your choices are saved."))
                return redirect("alerts:manage", token=token)
        status = 400
    else:
        form = TopicsForm(initial=TopicsForm.initial_from(subscriber))
    return render(request, "alerts/manage.html", {"form": form, "subscriber": subscriber, "token": token},
                  status=status)


@csrf_exempt
@_private
def unsubscribe(request, token):
    """GET: a page with one button (mail scanners that follow links unsubscribe nobody). POST: unsubscribe,
    from that button or from the mail client's one-click request, without a session or CSRF token."""
    if request.method == "POST":
        services.subscriber_unsubscribe(token=token)
        return render(request, "alerts/unsubscribed.html")
    subscriber = selectors.subscriber_by_token(token)
    if subscriber is None:
        return render(request, "alerts/unsubscribed.html")
    return render(request, "alerts/unsubscribe.html", {"token": token})


# --- self-service webhooks --------------------------------------------------------------------------------------

@never_cache
def webhook_request(request):
    status = 200
    if request.method == "POST":
        form = WebhookRequestForm(request.POST)
        done, status = _submit_public_form(form, lambda data: services.webhook_request_submit(
            email=data["email"], url=data["url"], name=data["name"], event_types=data["event_types"],
            language=get_language(), ip=client_ip(request)))
        if done:
            return redirect("alerts:webhook_sent")
    else:
        form = WebhookRequestForm()
    return render(request, "alerts/webhook_request.html", {"form": form}, status=status)


def webhook_sent(request):
    return render(request, "alerts/webhook_sent.html")


def _gone_page(request, error):
    return render(request, "alerts/webhook_gone.html", {"errors": error.messages}, status=404)


@_private
def webhook_confirm(request, token):
    """GET: one button (mail scanners that follow links create nothing). POST: the endpoint is created and its
    secret shown on this page, once (the link then no longer works)."""
    if request.method == "POST":
        try:
            endpoint = services.webhook_request_confirm(token=token)
        except ValidationError as error:
            if "token" in error.message_dict:
                return _gone_page(request, error)
            return render(request, "alerts/webhook_confirm.html", {"token": token, "errors": error.messages},
                          status=400)
        return render(request, "alerts/webhook_secret.html", {"endpoint": endpoint, "created": True})
    if selectors.webhook_request_by_token(token) is None:
        raise Http404("No webhook request with this link")
    return render(request, "alerts/webhook_confirm.html", {"token": token})


def _own_endpoint(token):
    endpoint = selectors.webhook_endpoint_by_token(token)
    if endpoint is None:
        raise Http404("No webhook endpoint with this link")
    return endpoint


@_private
def webhook_manage(request, token):
    endpoint = _own_endpoint(token)
    status = 200
    if request.method == "POST":
        form = WebhookManageForm(request.POST)
        if form.is_valid():
            try:
                services.webhook_endpoint_edit(token=token, event_types=form.cleaned_data["event_types"],
                                               reactivate=form.cleaned_data["reactivate"])
            except ValidationError as error:
                if "token" in error.message_dict:
                    return _gone_page(request, error)
                errors_to_form(form, error)
            else:
                messages.success(request, _("Your choices are saved."))
                return redirect("alerts:webhook_manage", token=token)
        status = 400
    else:
        form = WebhookManageForm(initial={"event_types": endpoint.event_types})
    if endpoint.active:
        del form.fields["reactivate"]
    return render(request, "alerts/webhook_manage.html",
                  {"form": form, "endpoint": endpoint, "token": token, "log": selectors.webhook_log(endpoint),
                   "overlap_until": endpoint.previous_signs_until(timezone.now())},
                  status=status)


@_private
def webhook_rotate(request, token):
    """POST only (the buttons on the manage page): a new secret, shown once on the answer; `overlap=1` keeps the
    old one signing beside it for a while (the other button: it stops at once)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        endpoint = services.webhook_secret_rotate(token=token, overlap=request.POST.get("overlap") == "1")
    except ValidationError as error:
        return _gone_page(request, error)
    return render(request, "alerts/webhook_secret.html", {"endpoint": endpoint, "created": False})


@_private
def webhook_delete(request, token):
    if request.method == "POST":
        try:
            services.webhook_endpoint_delete(token=token)
        except ValidationError as error:
            return _gone_page(request, error)
        return render(request, "alerts/webhook_deleted.html")
    return render(request, "alerts/webhook_delete.html", {"endpoint": _own_endpoint(token), "token": token})
