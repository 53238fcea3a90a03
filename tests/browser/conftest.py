"""Browser suite: Debian's Chromium (/usr/bin/chromium) driven by Playwright against pytest-django's
live server. Never a downloaded browser. Under CI=true a missing Chromium fails the run."""
import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        message = f"browser suite needs Debian's chromium at {CHROMIUM} (make test installs it with apt-get)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"],
    }


@pytest.fixture
def site(live_server, reference_data):
    """The live server's base URL, with the real reference data loaded."""
    return live_server.url
