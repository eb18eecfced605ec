"""Every page works without the internet: nothing is fetched from anywhere but the app's server.

A classroom without internet, or behind a school firewall, must see the whole
app. Each page of ui/catalog.py's PAGES is opened in Chromium, used a little
(Play on the playground, a preset, a stroke on the canvas ...), and every
request it made (page.context.on("request"): documents, scripts, fonts, images,
the tab's icon, fetches) and every websocket it opened must go to the app's own
server (127.0.0.1:PORT or localhost:PORT); data: and blob: URLs are in the page.

The tab's icon is checked positively too: the page's <link rel=icon> points to
the app's server, Chromium has requested it, and it is the committed
assets/icon.png (a 64 x 64 PNG). Before it, app.py's page_icon
":material/neurology:" made Chromium fetch an SVG from Google's font server on
every page.
"""

import io
import re
import urllib.request
from urllib.parse import urljoin, urlparse

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from helpers import LOAD_TIMEOUT_MS, REPO_ROOT, assert_no_exception, open_page, wait_until_idle
from ui import catalog
from ui.url_state import PRESETS

ICON = REPO_ROOT / "assets" / "icon.png"
INSIDE_SCHEMES = ("data", "blob", "about")
ACT_MS = 30_000  # a click's answer on screen; generous, the 2 cores are shared
PRESET = next(iter(PRESETS))  # the playground's first preset: a small, cheap network


def own_hosts(app_url):
    """The app's own server, as 127.0.0.1:PORT and as localhost:PORT."""
    port = urlparse(app_url).port
    return {f"127.0.0.1:{port}", f"localhost:{port}"}


def outside(urls, app_url):
    """The URLs that leave the app's server (data:, blob:, about: stay in the page)."""
    hosts = own_hosts(app_url)
    return [url for url in urls
            if urlparse(url).scheme not in INSIDE_SCHEMES and urlparse(url).netloc not in hosts]


def test_outside_finds_what_leaves_the_server():
    app_url = "http://127.0.0.1:8501"
    urls = ["http://127.0.0.1:8501/static/js/main.js", "ws://127.0.0.1:8501/_stcore/stream",
            "http://localhost:8501/media/x.png", "data:image/png;base64,AAAA",
            "blob:http://127.0.0.1:8501/1234",
            "https://fonts.gstatic.com/s/i/short-term/release/materialsymbolsrounded/x/24px.svg",
            "http://127.0.0.1:9999/other-port", "http://localhost.example/x"]
    assert outside(urls, app_url) == urls[-3:]


# ------------------------------------------------------------ a little use of each page


def use_home(page: Page):
    expect(page.locator("[data-testid=stMain] a[data-testid=stPageLink-NavLink]").first) \
        .to_be_visible(timeout=LOAD_TIMEOUT_MS)


def use_activations(page: Page):
    multiselect = page.locator("[data-testid=stMultiSelect]").first
    multiselect.locator("input").click()
    page.get_by_role("option", name="GELU", exact=True).click()
    page.keyboard.press("Escape")
    legend = page.locator("[data-testid=stPlotlyChart]").first.locator(".legend .legendtext")
    expect(legend).to_contain_text(["GELU"], timeout=ACT_MS)


def use_perceptron(page: Page):
    page.get_by_role("button", name="Play").click()
    expect(page.get_by_role("button", name="Pause")).to_be_visible(timeout=ACT_MS)
    expect(page.get_by_text(re.compile(r"Decision boundary after update [1-9]"))).to_be_visible(
        timeout=ACT_MS)
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("button", name="Play")).to_be_visible(timeout=ACT_MS)


def use_mnist(page: Page):
    expect(page.get_by_role("heading", name="Train a network on MNIST")).to_be_visible(
        timeout=LOAD_TIMEOUT_MS)
    for tab in ("Save & load", "Results"):
        page.get_by_role("tab", name=tab).click()
        expect(page.get_by_role("tab", name=tab)).to_have_attribute("aria-selected", "true")


def use_backprop(page: Page):
    page.get_by_role("button", name="Next stage").click()
    expect(page.get_by_text("Stage 2 of 7", exact=False)).to_be_visible(timeout=ACT_MS)


def use_from_scratch(page: Page):
    seed = page.locator(".st-key-fs_seed input")
    expect(seed).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    seed.fill("3")
    seed.press("Enter")
    expect(page.get_by_text("from seed 3's weights", exact=False)).to_be_visible(timeout=ACT_MS)


def use_draw(page: Page):
    canvas = page.locator("[data-testid=stBidiComponentIsolated] canvas.upper-canvas")
    expect(canvas).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 150, box["y"] + 140)  # hovering moves the toolbar away
    page.mouse.move(box["x"] + 168, box["y"] + 48)
    page.mouse.down()
    for x, y in ((158, 100), (146, 160), (134, 236)):  # a 1
        page.mouse.move(box["x"] + x, box["y"] + y, steps=4)
    page.mouse.up()
    prediction = page.get_by_test_id("stMetric").filter(has_text="Prediction")
    expect(prediction).to_be_visible(timeout=ACT_MS)


def use_playground(page: Page):
    epoch = page.locator("[data-pg=epoch]")
    expect(epoch).to_have_text("0", timeout=LOAD_TIMEOUT_MS)
    page.get_by_role("button", name="Play").click()
    expect(epoch).not_to_have_text("0", timeout=ACT_MS)
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("button", name="Play")).to_be_visible(timeout=ACT_MS)
    wait_until_idle(page)
    page.get_by_role("combobox", name="Presets").click()
    page.get_by_role("option", name=PRESET).click()
    expect(page.get_by_role("combobox", name="Presets")).to_have_value("", timeout=ACT_MS)
    expect(page.locator(".nnet")).to_contain_text("3 tanh", timeout=ACT_MS)  # its network


USES = {"": use_home, "activations": use_activations, "perceptron": use_perceptron,
        "backprop": use_backprop, "from-scratch": use_from_scratch, "mnist": use_mnist, "draw": use_draw,
        "playground": use_playground}


def test_every_page_has_a_use():
    assert set(USES) == {info.url_path for info in catalog.PAGES}


# ------------------------------------------------------------------------ the check


@pytest.mark.parametrize("info", catalog.PAGES, ids=[info.title for info in catalog.PAGES])
def test_a_page_fetches_nothing_from_outside_the_app(page: Page, app_url, info):
    requests, sockets = [], []
    page.context.on("request", lambda request: requests.append(request.url))
    page.on("websocket", lambda socket: sockets.append(socket.url))
    open_page(page, app_url, info.url_path)
    USES[info.url_path](page)
    wait_until_idle(page)
    assert_no_exception(page)

    # Wait until Chromium has asked for the tab's icon (it does so once the page has
    # set it, after its script has run): the request that used to leave the server.
    icon = page.locator("link[rel~=icon]")
    expect(icon).to_have_count(1)
    icon_url = urljoin(page.url, icon.get_attribute("href"))
    wait_for_request(page, requests, icon_url)

    assert requests, "no request was recorded: the listener saw nothing"
    assert not outside(requests, app_url), (
        f"{info.title} fetched from outside the app's server:\n"
        + "\n".join(sorted(set(outside(requests, app_url)))))
    assert sockets and not outside(sockets, app_url), sockets

    # The icon is the committed file, served by the app.
    with urllib.request.urlopen(icon_url, timeout=10) as response:
        served = Image.open(io.BytesIO(response.read()))
    with Image.open(ICON) as committed:
        assert served.size == committed.size == (64, 64)
        assert served.convert("RGBA").tobytes() == committed.convert("RGBA").tobytes()


def wait_for_request(page: Page, requests, url, timeout_ms=ACT_MS):
    """Let the page run until `url` is among the requests recorded (fail after timeout_ms)."""
    waited = 0
    while url not in requests:
        if waited >= timeout_ms:
            raise AssertionError(f"Chromium never requested {url}; it requested:\n"
                                 + "\n".join(requests))
        page.wait_for_timeout(50)  # lets Playwright deliver the events that arrived
        waited += 50
