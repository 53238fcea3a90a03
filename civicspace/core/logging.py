"""Logs for people, not attackers: client errors are noted briefly, and only a few per minute.

Anyone on the internet can make the site log something: a request with a Host header the site does not serve
(DisallowedHost), a form posted without its CSRF token, a URL that does not exist. Django logs each of these,
the first at ERROR with a full traceback. A scanner sending thousands of them would bury the messages that
need a person (a server error, a failing import) under pages of its own noise.

`ClientErrorFilter` is attached to every log handler (settings LOGGING). For a client error (a record of a
`django.security.*` logger, or a `django.request` record of a 4xx response) it
- drops the traceback (the client's mistake is not a bug in the code),
- lowers the level to WARNING when it was higher,
- shortens the message and escapes control characters (the text comes from the request),
- lets the first `per_minute` records of each kind (logger name and status code) through in each minute and
  counts the rest; the next record of that kind that is let through says how many were left out (a count
  that no later record reports is not written anywhere).
Everything else (server errors and tracebacks of 5xx responses included) passes unchanged.
"""
import logging
import threading
import time

MAX_MESSAGE = 300


def is_client_error(record):
    if record.name.startswith("django.security."):
        return True
    status = getattr(record, "status_code", None)
    return record.name.startswith("django.request") and isinstance(status, int) and 400 <= status < 500


class ClientErrorFilter(logging.Filter):
    def __init__(self, per_minute=10, window_seconds=60, clock=time.monotonic):
        super().__init__()
        self.per_minute = int(per_minute)
        self.window_seconds = window_seconds
        self.clock = clock
        self._lock = threading.Lock()
        self._windows = {}  # (logger, status) -> [window start, records let through in it, records left out since last note]

    def filter(self, record):
        if not is_client_error(record):
            return True
        # One decision per record, however many handlers share this filter.
        decided = getattr(record, "_client_error_logged", None)
        if decided is None:
            decided = record._client_error_logged = self._decide(record)
        return decided

    def _decide(self, record):
        kind = (record.name, getattr(record, "status_code", None))
        now = self.clock()
        with self._lock:
            window = self._windows.setdefault(kind, [now, 0, 0])
            if now - window[0] >= self.window_seconds:
                window[0], window[1] = now, 0
            if window[1] >= self.per_minute:
                window[2] += 1
                return False
            window[1] += 1
            left_out, window[2] = window[2], 0
        self._make_brief(record, left_out)
        return True

    def _make_brief(self, record, left_out):
        message = record.getMessage()
        message = message.encode("unicode_escape").decode("ascii")  # no newlines or control characters
        if len(message) > MAX_MESSAGE:
            message = message[:MAX_MESSAGE] + "..."
        if left_out:
            message += f" [{left_out} more like this not logged]"
        record.msg, record.args = message, None
        record.exc_info = record.exc_text = record.stack_info = None
        if record.levelno > logging.WARNING:
            record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
