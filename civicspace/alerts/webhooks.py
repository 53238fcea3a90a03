"""Webhook sending: Standard Webhooks signatures, the SSRF guard and one HTTP POST pinned to the vetted address.

Signature (https://www.standardwebhooks.com/): the secret is "whsec_" + base64(key); the key is the base64-decoded
part after "whsec_"; signed content is f"{webhook-id}.{webhook-timestamp}.{body}"; the header is
"v1," + base64(HMAC-SHA256(key, signed content)).
"""
import base64
import hashlib
import hmac
import http.client
import ipaddress
import socket
import ssl
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def secret_key(secret):
    return base64.b64decode(secret.removeprefix("whsec_"))


def sign(secret, msg_id, timestamp, body):
    content = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signature_header(secrets, msg_id, timestamp, body):
    """The webhook-signature header: one "v1," signature per secret, separated by spaces (a receiver accepts the
    request when any of them is its own)."""
    return " ".join(sign(secret, msg_id, timestamp, body) for secret in secrets)


def verify(secret, headers, body, *, tolerance=300, now=None):
    """What a receiver does (used by the tests' receiver; documented in the README)."""
    msg_id, timestamp = headers["webhook-id"], headers["webhook-timestamp"]
    now = time.time() if now is None else now
    if abs(now - int(timestamp)) > tolerance:
        return False
    expected = sign(secret, msg_id, timestamp, body).split(",", 1)[1]
    return any(hmac.compare_digest(expected, part.split(",", 1)[1])
               for part in headers["webhook-signature"].split() if part.startswith("v1,"))


def _allow_private():
    return bool(getattr(settings, "ALERTS_WEBHOOK_ALLOW_PRIVATE", False))


def _public(address):
    ip = ipaddress.ip_address(address)
    if getattr(ip, "ipv4_mapped", None):
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
                                 or ip.is_reserved or ip.is_unspecified)


def endpoint_address(url):
    """(scheme, host, port, ip) of a webhook URL after the SSRF check; ValidationError naming the URL otherwise.
    Every address the name resolves to must be public (no private, loopback, link-local, reserved or multicast
    address), unless ALERTS_WEBHOOK_ALLOW_PRIVATE (tests only), which also allows plain http."""
    parts = urlsplit(url)
    allowed = ("https", "http") if _allow_private() else ("https",)
    if parts.scheme not in allowed or not parts.hostname:
        raise ValidationError({"url": _("The endpoint must be an https:// address.")})
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise ValidationError({"url": _("The endpoint's host name does not resolve.")}) from None
    addresses = [info[4][0] for info in infos]
    if not _allow_private() and not all(_public(a) for a in addresses):
        raise ValidationError({"url": _("The endpoint resolves to a private, loopback or link-local address, "
                                        "which is not allowed.")})
    return parts.scheme, parts.hostname, port, addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, ip, **kwargs):
        super().__init__(host, port, **kwargs)
        self._ip = ip

    def connect(self):
        self.sock = socket.create_connection((self._ip, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, ip, **kwargs):
        super().__init__(host, port, context=ssl.create_default_context(), **kwargs)
        self._ip = ip

    def connect(self):
        sock = socket.create_connection((self._ip, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url, body, headers, *, timeout=None):
    """POST once, to the address checked (no second DNS answer, no redirect followed). (status, error)."""
    timeout = timeout or float(getattr(settings, "ALERTS_WEBHOOK_TIMEOUT_SECONDS", 10))
    try:
        scheme, host, port, ip = endpoint_address(url)
    except ValidationError as error:
        return None, "; ".join(error.messages)
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    cls = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = cls(host, port, ip, timeout=timeout)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(65536)
        return response.status, ("" if 200 <= response.status < 300 else f"HTTP {response.status}")
    except (OSError, http.client.HTTPException) as error:
        return None, f"{type(error).__name__}: {error}"[:500]
    finally:
        connection.close()
