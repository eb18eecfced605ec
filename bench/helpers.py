"""What the benchmarks share: the app served by Streamlit, Chromium, the BLAS report.

    with serve_app() as (server, url):      # `streamlit run app.py` on a free port
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        ...
        wait_idle(page)                     # the page's script run has ended

Imports nothing heavy (NumPy included): some benchmarks set OpenBLAS's thread
count before NumPy is first imported.
"""

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
START_TIMEOUT_S = 60


@contextlib.contextmanager
def serve_app(cpus=None):
    """Run `streamlit run app.py` on a free port (on the CPUs `cpus`, if given).

    Yields (the server's Popen, its URL) once it answers; stops it afterwards.
    If it does not start, raises RuntimeError with what it printed.
    """
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
               "--server.port", str(port), "--server.address", "127.0.0.1",
               "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"]
    pin = (lambda: os.sched_setaffinity(0, cpus)) if cpus else None
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(command, cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, preexec_fn=pin)
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while True:
                try:
                    with urllib.request.urlopen(url + "/_stcore/health", timeout=2):
                        break
                except OSError:
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError("Streamlit did not start:\n" + log.read().decode())
                time.sleep(0.25)
            yield server, url
        finally:
            server.terminate()
            server.wait(timeout=10)


def wait_idle(page, timeout_ms=60_000):
    """Wait until the page's script run has ended (Streamlit marks the app "notRunning")."""
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]",
                           timeout=timeout_ms)


def open_mnist_page(browser, url):
    """A new Streamlit session (browser context) on the MNIST page, reached from home.

    The first visit loads the dataset (once for the server): hence the long timeouts.
    """
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(url + "/")
    wait_idle(page)
    page.get_by_role("link", name="Train on MNIST").click()
    page.get_by_role("heading", name="Train a network on MNIST").wait_for(timeout=180_000)
    wait_idle(page, timeout_ms=180_000)
    return page


def blas_info():
    """Which BLAS NumPy runs, its version, kernel and threads (threadpoolctl)."""
    from threadpoolctl import threadpool_info
    return [{k: info.get(k) for k in ("internal_api", "version", "architecture", "num_threads")}
            for info in threadpool_info() if info.get("user_api") == "blas"]
