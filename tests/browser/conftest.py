"""Browser tests: the real app, served by `streamlit run`, driven in Debian's Chromium.

Fixtures:
    app_url: "http://127.0.0.1:PORT" of a Streamlit server started once per session
        from the repo root (also given to Playwright as its base_url).
    page: pytest-playwright's page, in a 1400x900 window (a projector-like screen).

Chromium must be at /usr/bin/chromium (apt-get install -y chromium): if it is
missing the tests fail, they are never skipped.
"""

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests import helpers.py, server.py

import server  # noqa: E402 - found through the line above
from server import streamlit_server  # noqa: E402 - found through the line above

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 900}


def pytest_collection_modifyitems(config, items):
    """Mark every test in this folder `browser`, so `-m "not browser"` skips them all.

    A browser test that fails is run once more (pytest-rerunfailures; the summary
    line counts the reruns). A real browser, a real server and two shared cores
    make rare timing failures that have nothing to do with the app (a click
    Streamlit never saw, once in several full runs); a broken page fails twice.
    """
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.flaky(reruns=1))


@pytest.fixture(scope="session")
def app_url():
    """Start `streamlit run app.py` on a free port, wait for /_stcore/health, stop it at the end."""
    with streamlit_server() as url:
        yield url


class ServerLog:
    """What the session's server prints: `since(mark())` is the text printed after the mark."""

    def __init__(self, url):
        self.url = url

    def mark(self):
        return len(server.server_output(self.url))

    def since(self, mark):
        return server.server_output(self.url)[mark:]


@pytest.fixture
def server_log(app_url):
    """The session server's output: log.since(log.mark()), e.g. to fail on a Traceback."""
    return ServerLog(app_url)


@pytest.fixture(scope="session")
def base_url(app_url):
    """Playwright's base_url is the app, so `page.goto("/mnist")` works too."""
    return app_url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's Chromium with flags that work on this closed network; fail if it is missing."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install it with "
            "`apt-get update && apt-get install -y chromium` (the browser tests are not optional)."
        )
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A projector-sized window."""
    return {**browser_context_args, "viewport": VIEWPORT}
