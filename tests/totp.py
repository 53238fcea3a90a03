"""Authenticator codes as a person's app computes them (RFC 6238 over RFC 4226: HMAC-SHA1, 30 s, 6 digits),
written here independently of allauth so the tests check the server against the standard, not against itself."""
import base64
import hashlib
import hmac
import struct
import time


def totp(secret, at=None):
    """RFC 6238 over RFC 4226."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(at if at is not None else time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def fresh_code(secret):
    """A code that stays valid long enough to be typed and checked: wait out the last five seconds of a period
    (the server accepts the current period only, and a loaded CI machine can take seconds between fill and submit)."""
    if time.time() % 30 > 25:
        time.sleep(30 - time.time() % 30 + 0.1)
    return totp(secret)
