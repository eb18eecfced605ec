"""Small helpers for the browser tests: open a page and wait for it, check it, photograph it.

    from helpers import assert_no_exception, open_page, screenshot

    def test_something(page, app_url):
        open_page(page, app_url, "activations")
        assert_no_exception(page)
        screenshot(page, "activations")
"""

from pathlib import Path

from playwright.sync_api import Page, expect

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO_ROOT / "test-output"

# How long a page may take to load and run its script (ms). Generous: the
# machine has 2 cores shared with other work.
LOAD_TIMEOUT_MS = 30_000


def wait_until_idle(page: Page, timeout_ms: int = LOAD_TIMEOUT_MS) -> None:
    """Wait until the app has connected and its script has finished running."""
    app = page.locator("[data-testid=stApp]")
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=timeout_ms)
    # The connection is up and the page's elements are drawn.
    expect(page.locator("[data-testid=stMain]")).to_be_visible(timeout=timeout_ms)


def open_page(page: Page, base_url: str, path: str = "", timeout_ms: int = LOAD_TIMEOUT_MS) -> None:
    """Go to `base_url/path` (path as in app.py's url_path, "" for home) and wait until idle."""
    url = base_url.rstrip("/") + "/" + path.lstrip("/")
    page.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)
    wait_until_idle(page, timeout_ms)


def assert_no_exception(page: Page) -> None:
    """Fail, quoting Streamlit's message, if the page shows an exception box."""
    boxes = page.locator("[data-testid=stException]")
    if boxes.count():
        raise AssertionError(f"the page shows an exception:\n{boxes.first.inner_text()}")


def screenshot(page: Page, name: str, full_page: bool = False) -> Path:
    """Save a PNG of the page to <repo>/test-output/<name>.png and return its path.

    By default the PNG shows the window (1400x900), as a class would see it on
    the projector. With full_page=True the window is made as tall as the page
    for the picture (Streamlit scrolls inside its main area, so Playwright's own
    full_page option would still cut it), then set back.
    """
    SCREENSHOT_DIR.mkdir(exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    viewport = page.viewport_size
    if full_page and viewport:
        content_height = page.evaluate(
            """() => Math.max(...Array.from(
                document.querySelectorAll('[data-testid=stMain], [data-testid=stSidebarContent]'),
                element => element.scrollHeight))"""
        )
        if content_height > viewport["height"]:
            page.set_viewport_size({"width": viewport["width"], "height": content_height})
            try:
                page.screenshot(path=str(path))
            finally:
                page.set_viewport_size(viewport)
            return path
    page.screenshot(path=str(path))
    return path
