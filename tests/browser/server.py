"""Start and stop a Streamlit server of the app, for the browser tests.

    with streamlit_server() as url:      # "http://127.0.0.1:PORT", healthy
        ...

conftest.py's session-wide `app_url` uses it; a test that needs a server of
its own (one whose very first request it makes) starts another.
"""

import contextlib
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

REPO_ROOT = Path(__file__).resolve().parents[2]
SERVER_START_TIMEOUT_S = 60.0
OUTPUTS = {}  # url -> a function giving everything that server has printed so far


def server_output(url):
    """All that the server at `url` (started by streamlit_server) has printed so far."""
    return OUTPUTS[url]()


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def is_healthy(url):
    try:
        with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@contextlib.contextmanager
def streamlit_server():
    """`streamlit run app.py` on a free port; yields its URL once /_stcore/health answers.

    Fails the test (with the server's output) if the server does not come up
    within SERVER_START_TIMEOUT_S; stops the server when the block ends.
    """
    port = free_port()
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
            while not is_healthy(url):
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
            OUTPUTS[url] = server_output
            yield url
        finally:
            OUTPUTS.pop(url, None)
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
