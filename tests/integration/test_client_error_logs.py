"""Logs for people, not attackers (civicspace/core/logging.py, settings LOGGING).

The end-to-end test serves the site with gunicorn, as `make run` does (its own process, this worker's test
database, the test settings: the LOGGING of every mode, static files served without collectstatic), sends it many requests with Host headers it does not serve, URLs that
do not exist and forms without their CSRF token, then reads what the server wrote to its log: no traceback,
nothing above WARNING, and a bounded number of lines however many requests were sent.
"""
import http.client
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings

from civicspace.core.logging import ClientErrorFilter

PER_MINUTE = settings.CLIENT_ERRORS_PER_MINUTE
# Lines written through the LOGGING formatter: "2026-12-06 02:30:01,123 WARNING django.security.csrf ...".
DJANGO_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (?P<level>[A-Z]+) (?P<logger>\S+) (?P<message>.*)$")
# gunicorn's own lines: "[2026-12-06 02:30:01 +0000] [123] [INFO] Booting worker with pid: 124".
GUNICORN_LINE = re.compile(r"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}\] \[\d+\] \[[A-Z]+\] ")


def database_url():
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "") + "@" if db["USER"] else ""
    return f"postgres://{auth}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def server(db, tmp_path):
    """gunicorn on a loopback socket this test opened (port 0: the system picks a free one), reading this
    worker's test database (committed session data; it only reads: every request here is refused)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "CIVICSPACE_TEST_DB")}
    env.update(DJANGO_SETTINGS_MODULE="civicspace.settings.test", DATABASE_URL=database_url(),
               SECRET_KEY="test-only-" + "z" * 50)
    log = open(tmp_path / "server.log", "a+")  # O_APPEND: the server writes at the end whatever we read
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "civicspace.wsgi", "--bind", f"fd://{listener.fileno()}",
         "--workers", "1", "--timeout", "60", "--no-control-socket"],  # no socket at a fixed path
        env=env, stdout=log, stderr=subprocess.STDOUT, pass_fds=[listener.fileno()])
    port = listener.getsockname()[1]
    listener.close()  # gunicorn holds its own copy of the socket
    try:
        yield port, log
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        log.close()


def request(port, method, path, host, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"Host": host}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def wait_until_serving(port):
    deadline = time.monotonic() + 120  # a bound for a loaded machine, not a timing assertion
    while True:
        try:
            return request(port, "GET", "/healthz", "127.0.0.1")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_a_flood_of_client_errors_leaves_a_few_brief_warnings_and_no_traceback(server):
    port, log = server
    assert wait_until_serving(port) == 200
    started = time.monotonic()
    statuses = [request(port, "GET", "/en/", f"attacker-{i}.example") for i in range(120)]
    statuses += [request(port, "GET", f"/en/no-such-page-{i}/", "127.0.0.1") for i in range(40)]
    statuses += [request(port, "POST", "/en/accounts/login/", "127.0.0.1", body="login=x&password=y")
                 for _ in range(40)]
    # Each request was refused as the client error it is.
    log.seek(0)
    assert statuses == [400] * 120 + [404] * 40 + [403] * 40, log.read()[-6000:]
    # The filter's allowance starts again each minute: on a slow machine the requests may span more than one.
    windows = int((time.monotonic() - started) // 60) + 1
    assert request(port, "GET", "/healthz", "127.0.0.1") == 200  # and the site still serves

    log.flush()
    log.seek(0)
    lines = log.read().splitlines()
    assert not any("Traceback" in line for line in lines), "\n".join(lines)
    ours = [DJANGO_LINE.match(line) for line in lines]
    # Every line is either gunicorn's own or a one-line record from Django's logging: no continuation lines.
    assert all(match or GUNICORN_LINE.match(line) for match, line in zip(ours, lines)), "\n".join(lines)
    records = [match for match in ours if match]
    assert all(record["level"] in ("INFO", "WARNING") for record in records), "\n".join(lines)

    def count(logger, text=""):
        return sum(1 for record in records if record["logger"] == logger and text in record["message"])

    # The first PER_MINUTE of each kind in each minute are kept, the rest counted.
    limit = PER_MINUTE * windows
    assert PER_MINUTE <= count("django.security.DisallowedHost", "Invalid HTTP_HOST header") <= limit
    assert PER_MINUTE <= count("django.request", "Not Found: /en/no-such-page-") <= limit
    assert PER_MINUTE <= count("django.security.csrf", "Forbidden (CSRF") <= limit
    assert len(records) <= 3 * limit + 5, "\n".join(lines)


# --- the filter itself, with a clock the test moves -------------------------------------------------------------
class Clock:
    now = 1000.0

    def __call__(self):
        return self.now


def record(name="django.security.DisallowedHost", level=logging.ERROR, status=400, message="Invalid HTTP_HOST"):
    try:
        raise ValueError("the traceback of a client's mistake")
    except ValueError:
        exc_info = sys.exc_info()
    made = logging.LogRecord(name, level, __file__, 1, message + " %s", ("'evil.example'",), exc_info)
    made.status_code = status
    return made


def test_the_first_of_each_kind_pass_briefly_and_the_next_minute_says_how_many_were_left_out():
    clock = Clock()
    limit = ClientErrorFilter(per_minute=3, clock=clock)
    passed = [r for r in (record() for _ in range(10)) if limit.filter(r)]
    assert len(passed) == 3
    for r in passed:
        assert r.levelno == logging.WARNING and r.levelname == "WARNING"
        assert r.exc_info is None and r.exc_text is None
        assert r.getMessage() == "Invalid HTTP_HOST 'evil.example'"
    # Another kind has its own allowance.
    assert limit.filter(record(name="django.request", level=logging.WARNING, status=404, message="Not Found:"))

    clock.now += 61
    [note] = [r for r in (record() for _ in range(1)) if limit.filter(r)]
    assert note.getMessage() == "Invalid HTTP_HOST 'evil.example' [7 more like this not logged]"


def test_server_errors_and_other_records_pass_unchanged():
    limit = ClientErrorFilter(per_minute=1, clock=Clock())
    for _ in range(3):
        crash = record(name="django.request", level=logging.ERROR, status=500, message="Internal Server Error:")
        assert limit.filter(crash)
        assert crash.levelno == logging.ERROR and crash.exc_info is not None
        other = record(name="civicspace.ratings", level=logging.ERROR, status=None, message="import failed")
        assert limit.filter(other) and other.exc_info is not None


def test_a_client_error_message_is_one_short_line():
    limit = ClientErrorFilter(per_minute=5, clock=Clock())
    long_line = record(message="Invalid HTTP_HOST header: 'a\nFAKE 2026 ERROR injected" + "x" * 1000)
    assert limit.filter(long_line)
    assert "\n" not in long_line.getMessage() and len(long_line.getMessage()) <= 310


def test_the_console_handler_carries_the_filter():
    assert "client_errors" in settings.LOGGING["handlers"]["console"]["filters"]
    handlers = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    assert handlers and all(any(isinstance(f, ClientErrorFilter) for f in h.filters) for h in handlers)
