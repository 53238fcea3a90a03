"""A real SMTP server on loopback (aiosmtpd) for the tests of e-mails: the site sends through Django's SMTP
backend, exactly as in production, and the test reads what arrived."""
import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.messages.append({"to": list(envelope.rcpt_tos), "subject": " ".join(str(message["subject"]).split()),
                              "body": message.get_body(preferencelist=("plain",)).get_content(),
                              "language": message.get("Content-Language", ""),
                              "headers": {k.lower(): str(v) for k, v in message.items()},
                              "html": (lambda part: part.get_content() if part else "")(
                                  message.get_body(preferencelist=("html",)))})
        return "250 Message accepted for delivery"

    def to(self, address):
        return [m for m in self.messages if address in m["to"]]


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_inbox(settings):
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield inbox
    finally:
        controller.stop()
