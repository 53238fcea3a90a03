"""Administrators: subscribers (deletion erases the address and its alert e-mails), the outbox, webhook endpoints
(created here, checked against SSRF), and the delivery log with a replay action."""
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from civicspace.core.events import KINDS

from . import services
from .models import Event, Subscriber, WebhookAttempt, WebhookDelivery, WebhookEndpoint


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Subscriber)
class SubscriberAdmin(ReadOnly):
    list_display = ("email", "language", "frequency", "confirmed_at", "created_at")
    list_filter = ("frequency", "language")
    search_fields = ("email",)
    exclude = ("token",)

    def delete_model(self, request, obj):
        services.subscriber_delete(subscriber=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for subscriber in queryset:
            services.subscriber_delete(subscriber=subscriber, actor=request.user)


@admin.register(Event)
class EventAdmin(ReadOnly):
    list_display = ("uid", "kind", "object_id", "created_at", "fanned_out_at")
    list_filter = ("kind",)

    def has_delete_permission(self, request, obj=None):
        return False


class EndpointForm(forms.ModelForm):
    url = forms.URLField(label="Endpoint URL (HTTPS)", max_length=500, assume_scheme="https")
    event_types = forms.MultipleChoiceField(choices=[(k, k) for k in KINDS], required=False,
                                            widget=forms.CheckboxSelectMultiple,
                                            help_text="None chosen: every event type.")

    class Meta:
        model = WebhookEndpoint
        fields = ("name", "owner_email", "language", "url", "event_types", "active", "secret")

    def clean_url(self):
        from .webhooks import endpoint_address

        url = self.cleaned_data["url"]
        try:
            endpoint_address(url)
        except ValidationError as error:
            raise ValidationError(error.message_dict["url"]) from None
        return url


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = ("name", "url", "active", "consecutive_failures", "disabled_at")
    readonly_fields = ("consecutive_failures", "disabled_at", "disabled_reason", "created_at")

    def save_model(self, request, obj, form, change):
        services.webhook_endpoint_save(endpoint=obj, actor=request.user)


class AttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("at", "status_code", "error", "duration_ms")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnly):
    list_display = ("event", "endpoint", "state", "attempts", "last_status_code", "next_attempt_at", "delivered_at")
    list_filter = ("state", "endpoint")
    inlines = [AttemptInline]
    actions = ["replay"]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Replay the selected deliveries")
    def replay(self, request, queryset):
        done = 0
        for delivery in queryset:
            try:
                services.webhook_delivery_replay(delivery=delivery, actor=request.user)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{delivery}: {'; '.join(error.messages)}", messages.ERROR)
        self.message_user(request, f"{done} delivery(ies) queued again.")
