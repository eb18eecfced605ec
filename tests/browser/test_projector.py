"""Projector sizes and presenter mode, in Chromium, as a teacher would open them.

At 1024×768 and 1280×720 (common projector modes) every page's buttons show
their whole label (none cut to "S…"), its formulas fit, and its main picture
is in view without scrolling. With ?present=1 the page list is at the top, the
sidebar is closed, text is larger, and the playground's link keeps present=1.
"""

import pytest
from helpers import assert_no_exception, open_page, screenshot
from playwright.sync_api import expect

SIZES = [(1024, 768), (1280, 720)]

# Each page's main picture or control: it must be fully in view when the page opens.
MAIN = {
    "": "[data-testid=stMainBlockContainer] h1",
    "activations": "[data-testid=stPlotlyChart]",
    "perceptron": "[data-testid=stMainBlockContainer] .katex-display",
    "backprop": ".st-key-bp_network",
    "from-scratch": ".st-key-fs_seed input",
    "mnist": ".st-key-mnist_train button",
    "draw": ".st-key-draw_canvas_0",
    "playground": '[role=img][aria-label="decision regions and data points"]',
}

CUT_TEXT = """() => {
    const main = document.querySelector('[data-testid=stMainBlockContainer]');
    const shown = e => e.offsetParent !== null;
    const cut = e => e.scrollWidth > e.clientWidth + 1;
    // a stretched button cuts its label in a .stMarkdownEllipsis box, not in its <p>
    const labels = Array.from(main.querySelectorAll('button p, button .stMarkdownEllipsis'))
        .filter(shown).filter(cut);
    const formulas = Array.from(main.querySelectorAll('.katex-display')).filter(shown)
        .filter(e => e.scrollWidth > e.clientWidth + 3  // a glyph's overhang is not a cut
                     || e.getBoundingClientRect().right > window.innerWidth);
    return [...labels, ...formulas].map(e => e.textContent.trim().slice(0, 60));
}"""


IN_VIEW = """([selector]) => {
    const e = Array.from(document.querySelectorAll(selector))
                   .find(e => e.getBoundingClientRect().height > 0);
    if (!e) return false;
    const r = e.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
}"""


def cut_text(page, timeout_ms=10_000):
    """The labels and formulas still cut after the page has had time to settle ([] if none)."""
    try:
        page.wait_for_function(f"() => ({CUT_TEXT})().length === 0", timeout=timeout_ms)
        return []
    except Exception:  # noqa: BLE001 - Playwright's TimeoutError: report what is cut
        return page.evaluate(CUT_TEXT)


def in_view(page, selector, timeout_ms=20_000):
    """True once the first visible element of `selector` lies inside the window (the page may
    still be drawing what is above it when it first shows); False if it never does."""
    try:
        page.wait_for_function(IN_VIEW, arg=[selector], timeout=timeout_ms)
        return True
    except Exception:  # noqa: BLE001 - Playwright's TimeoutError: it stayed out of view
        return False


@pytest.mark.parametrize("width, height", SIZES)
@pytest.mark.parametrize("path", list(MAIN))
def test_each_page_fits_a_projector(page, app_url, path, width, height):
    page.set_viewport_size({"width": width, "height": height})
    open_page(page, app_url, path)
    expect(page.locator(MAIN[path]).first).to_be_visible(timeout=30_000)
    assert_no_exception(page)
    screenshot(page, f"projector_{path or 'home'}_{width}x{height}")
    assert cut_text(page) == []  # every button label and formula fully shown
    assert in_view(page, MAIN[path]), f"the main element of /{path} is below the fold"


def test_presenter_mode_from_a_link(page, app_url):
    page.set_viewport_size({"width": 1024, "height": 768})
    open_page(page, app_url, "playground?present=1&data=spiral")
    assert_no_exception(page)
    # The page list is at the top; the sidebar is closed; text is larger.
    expect(page.locator("[data-testid=stTopNavLinkContainer]").first).to_be_visible()
    assert page.locator("[data-testid=stSidebar]").evaluate(
        "e => e.getBoundingClientRect().width") == 0
    page.wait_for_function("getComputedStyle(document.documentElement).fontSize === '22px'",
                           timeout=30_000)
    # No "unknown setting" note about present=1, and the link keeps it (and the settings).
    expect(page.get_by_text("Unknown setting")).to_have_count(0)
    assert "present=1" in page.url and "data=spiral" in page.url
    play = page.locator(".st-key-playground__play button")
    assert play.evaluate("e => e.getBoundingClientRect().height") >= 60
    assert cut_text(page) == []
    screenshot(page, "presenter_playground_1024x768")
    # Another page of the session stays in presenter mode, its plots' text larger too.
    page.get_by_role("link", name="Activation functions").click()
    expect(page.locator("[data-testid=stTopNavLinkContainer]").first).to_be_visible()
    page.wait_for_function("""() => { const t = document.querySelector('.js-plotly-plot .xtick text');
        return t && getComputedStyle(t).fontSize === '20px'; }""", timeout=30_000)
    # The switch turns it off: the sidebar and its page list come back.
    page.locator("[data-testid=stExpandSidebarButton]").click()
    page.get_by_text("Presenter mode").click()
    expect(page.locator("[data-testid=stSidebarNav]")).to_be_visible(timeout=30_000)
    page.wait_for_function("getComputedStyle(document.documentElement).fontSize !== '22px'",
                           timeout=30_000)
    assert "present=1" not in page.url


def test_the_mnist_pixel_values_are_readable_on_a_projector(page, app_url):
    """The Data tab's 784 numbers were drawn about 8 px high; now 13 px text in ~30 px cells."""
    page.set_viewport_size({"width": 1024, "height": 768})
    open_page(page, app_url, "mnist")
    page.get_by_role("tab", name="The data").click()
    heading = page.get_by_text("One digit, as the network gets it")
    expect(heading).to_be_visible(timeout=30_000)
    heading.scroll_into_view_if_needed()
    page.wait_for_function("""() => Array.from(document.querySelectorAll('.js-plotly-plot text'))
        .filter(e => /^\\d{3}$/.test(e.textContent)).length > 50""", timeout=30_000)
    sizes = page.evaluate("""() => Array.from(document.querySelectorAll('.js-plotly-plot text'))
        .filter(e => /^\\d{3}$/.test(e.textContent))
        .map(e => [parseFloat(getComputedStyle(e).fontSize), e.getBoundingClientRect().height])""")
    assert len(sizes) > 50  # the three-digit pixel values of training image 0
    assert all(font >= 13 and height >= 12 for font, height in sizes), sizes[:3]


def test_the_mnist_live_charts_are_in_view_while_training(page, app_url):
    """At 1400x900 the live charts were below the fold: the progress now goes across the page."""
    open_page(page, app_url, "mnist")
    page.get_by_role("button", name="Best: 98%", exact=True).click()
    stop = page.get_by_role("button", name="Stop")
    expect(stop).to_be_visible(timeout=60_000)
    page.wait_for_function("""() => document.querySelectorAll(
        '[data-testid=stPlotlyChart] .js-plotly-plot').length >= 2""", timeout=60_000)
    boxes = page.evaluate("""() => Array.from(document.querySelectorAll(
        '[data-testid=stPlotlyChart] .js-plotly-plot')).slice(0, 2)
        .map(e => { const r = e.getBoundingClientRect(); return [r.top, r.height]; })""")
    for top, height in boxes:  # the loss and the accuracy chart: most of each in view
        assert 0 <= top and top + height * 0.6 <= 900, boxes
    screenshot(page, "mnist_training_1400x900")
    stop.click()
    expect(page.get_by_role("button", name="Stop")).to_have_count(0, timeout=30_000)
