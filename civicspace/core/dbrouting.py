"""Reads of anonymous visitors go to the read replica; everything else to the primary.

Settings: DATABASES["replica"] (production.py makes it from DATABASE_REPLICA_URL; without it this module does
nothing), DATABASE_ROUTERS = ["civicspace.core.dbrouting.PrimaryReplicaRouter"], and ReadReplicaMiddleware
first in MIDDLEWARE.

- The middleware marks a request as a public read when it is a GET or HEAD without a session cookie outside the
  admin, accounts and workspace pages. Anyone with a session (a signed-in partner, editor, administrator) reads
  from the primary, so they always see what they just wrote. Writes always go to the primary; migrations run on
  the primary only (the replica receives them through streaming replication).
- The replica is used only while it answers and its replay is within REPLICA_MAX_LAG_SECONDS of what it has
  received, and it is still streaming from the primary; that is checked at most every REPLICA_CHECK_SECONDS per
  process. If a query on the replica fails during a request (it went down since the last check), the request is
  answered again from the primary.
"""
import contextvars
import logging
import re
import threading
import time

from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)
REPLICA = "replica"
PRIMARY = "default"
_public_read = contextvars.ContextVar("civicspace_public_read", default=None)  # a dict per public read
_PRIVATE = re.compile(r"^/(?:[a-z]{2}/)?(?:admin|accounts|workspace)(?:/|$)")
_LAG_SQL = (
    "SELECT pg_is_in_recovery(), "
    "(SELECT status FROM pg_stat_wal_receiver LIMIT 1), "
    "CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)


class _Health:
    lock = threading.Lock()
    checked_at = float("-inf")
    healthy = False


def replica_configured():
    return REPLICA in settings.DATABASES


def replica_probe():
    """(healthy, reason) from the replica itself: in recovery, streaming, replay lag within the bound."""
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(_LAG_SQL)
            in_recovery, receiver, lag = cursor.fetchone()
    except DatabaseError as exc:
        connections[REPLICA].close()
        return False, f"unreachable: {exc}".strip()
    bound = float(getattr(settings, "REPLICA_MAX_LAG_SECONDS", 5))
    if not in_recovery:
        return False, "not a replica (promoted?)"
    if receiver != "streaming":
        return False, f"not streaming from the primary ({receiver})"
    if float(lag) > bound:
        return False, f"lagging {float(lag):.1f}s > {bound}s"
    return True, "ok"


def replica_healthy():
    if not replica_configured():
        return False
    every = float(getattr(settings, "REPLICA_CHECK_SECONDS", 1))
    now = time.monotonic()
    if now - _Health.checked_at < every:
        return _Health.healthy
    with _Health.lock:
        if now - _Health.checked_at >= every:
            healthy, reason = replica_probe()
            if healthy != _Health.healthy:
                logger.warning("read replica %s (%s)", "back in use" if healthy else "not used", reason)
            _Health.healthy, _Health.checked_at = healthy, time.monotonic()
    return _Health.healthy


def replica_mark_down():
    _Health.healthy, _Health.checked_at = False, time.monotonic()


def public_read_request(request):
    return (request.method in ("GET", "HEAD") and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not _PRIVATE.match(request.path_info))


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        state = _public_read.get()
        if state is not None and replica_healthy():
            state["used"] = REPLICA
            return REPLICA
        return PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


class ReadReplicaMiddleware:
    """First in MIDDLEWARE: decides where this request reads (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        if not public_read_request(request):
            response = self.get_response(request)
            response["X-Read-Database"] = "primary"
            return response
        state = {"used": PRIMARY, "failed": False}
        token = _public_read.set(state)
        try:
            response = self.get_response(request)
        finally:
            _public_read.reset(token)
        if state["failed"] or (state["used"] == REPLICA and response.status_code >= 500 and not replica_probe()[0]):
            # The replica went away during this request: answer it again from the primary.
            replica_mark_down()
            response = self.get_response(request)
            state["used"] = PRIMARY
        # Which database answered (for operators and the fault tests; nginx keeps it on cached copies).
        response["X-Read-Database"] = "replica" if state["used"] == REPLICA else "primary"
        return response

    def process_exception(self, request, exception):
        state = _public_read.get()
        if state is not None and state["used"] == REPLICA and isinstance(exception, DatabaseError):
            state["failed"] = True
        return None
