"""Browser tests: the real app, served by `streamlit run`, driven in Debian's Chromium.

Fixtures:
    app_url: "http://127.0.0.1:PORT" of a Streamlit server started once per session
        from the repo root (also given to Playwright as its base_url).
    page: pytest-playwright's page, in a 1400x900 window (a projector-like screen).

Chromium must be at /usr/bin/chromium (apt-get install -y chromium): if it is
missing the tests fail, they are never skipped.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests import helpers.py

REPO_ROOT = Path(__file__).resolve().parents[2]
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
SERVER_START_TIMEOUT_S = 60.0


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


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _is_healthy(url):
    try:
        with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@pytest.fixture(scope="session")
def app_url():
    """Start `streamlit run app.py` on a free port, wait for /_stcore/health, stop it at the end."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
    ]
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    with tempfile.TemporaryFile(mode="w+") as log:
        server = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )

        def server_output():
            log.flush()
            log.seek(0)
            return log.read()

        try:
            deadline = time.monotonic() + SERVER_START_TIMEOUT_S
            while not _is_healthy(url):
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"Streamlit did not answer {url}/_stcore/health within "
                        f"{SERVER_START_TIMEOUT_S:.0f} s. Its output:\n{server_output()}"
                    )
                try:
                    # Waits a moment between polls, and notices a server that died.
                    server.wait(timeout=0.25)
                except subprocess.TimeoutExpired:
                    continue
                pytest.fail(
                    f"Streamlit exited with code {server.returncode} before it was ready. "
                    f"Its output:\n{server_output()}"
                )
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


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
