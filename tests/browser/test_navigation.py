"""Every page in the sidebar opens without an error, and home's links lead to the pages.

The pages expected are ui/catalog.py's PAGES, the list app.py builds its navigation from.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from helpers import LOAD_TIMEOUT_MS, assert_no_exception, open_page, screenshot, wait_until_idle
from server import streamlit_server
from ui import catalog

APP_TITLE = "Neural Network Playground"

# The learning path as the catalogue declares it: (url path, title in the sidebar).
EXPECTED_PAGES = [(info.url_path, info.title) for info in catalog.PAGES]


def tab_title(label):
    """The browser tab's title on a page: app.py names every page but home."""
    return APP_TITLE if label == "Home" else f"{label} · {APP_TITLE}"


def url_path(href):
    """'http://127.0.0.1:8501/mnist' -> 'mnist'; the home page's link -> ''."""
    return re.sub(r"^https?://[^/]+/?", "", href).strip("/")


def sidebar_links(page: Page):
    """(url path, label) of each link in the sidebar navigation, top to bottom."""
    links = page.locator("[data-testid=stSidebarNav] a[data-testid=stSidebarNavLink]")
    expect(links.first).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    # The label sits in a span[label]; the link's text also holds the icon's name.
    return [
        (url_path(link.get_attribute("href")), link.locator("span[label]").get_attribute("label"))
        for link in links.all()
    ]


def expect_on_page(page: Page, label):
    """Wait until the page labelled `label` in the sidebar has run, then check it."""
    # The tab title is set by the new page's own script run, so it proves that run started.
    expect(page).to_have_title(tab_title(label), timeout=LOAD_TIMEOUT_MS)
    wait_until_idle(page)
    assert_no_exception(page)
    current = page.locator("[data-testid=stSidebarNav] a[aria-current=page]")
    expect(current).to_have_count(1)
    expect(current).to_contain_text(label)
    heading = page.locator("[data-testid=stMain] h1").first
    expect(heading).to_be_visible()
    assert heading.inner_text().strip(), f"the page {label!r} has an empty title"


def test_sidebar_lists_the_learning_path_in_order(page: Page, app_url):
    open_page(page, app_url, "")
    assert sidebar_links(page) == EXPECTED_PAGES


def page_url(path):
    """The URL of a page; the playground adds its settings as a query string once it has run."""
    return re.compile("/" + re.escape(path) + r"(\?.*)?$")


@pytest.mark.parametrize(("path", "label"), EXPECTED_PAGES, ids=[label for _, label in EXPECTED_PAGES])
def test_page_opens_by_its_url(page: Page, app_url, path, label):
    open_page(page, app_url, path)
    expect_on_page(page, label)
    screenshot(page, f"page-{path or 'home'}")


def test_every_sidebar_link_opens_its_page(page: Page, app_url):
    open_page(page, app_url, "")
    found = sidebar_links(page)
    assert len(found) >= len(EXPECTED_PAGES)
    # Visit them in reverse order, so that each click leaves the page before it.
    for path, label in reversed(found):
        page.locator("[data-testid=stSidebarNav] a[data-testid=stSidebarNavLink]").filter(
            has_text=label
        ).click()
        expect(page).to_have_url(page_url(path), timeout=LOAD_TIMEOUT_MS)
        expect_on_page(page, label)


def test_home_links_lead_to_every_step(page: Page, app_url):
    open_page(page, app_url, "")
    screenshot(page, "home", full_page=True)
    links = page.locator("[data-testid=stMain] a[data-testid=stPageLink-NavLink]")
    targets = [url_path(link.get_attribute("href")) for link in links.all()]
    labels_by_path = dict(EXPECTED_PAGES)
    # Home links every other page of the path, in the sidebar's order.
    assert targets == [path for path, _ in EXPECTED_PAGES if path]
    for index, target in enumerate(targets):
        if index:
            open_page(page, app_url, "")
        links.nth(index).click()
        expect(page).to_have_url(page_url(target), timeout=LOAD_TIMEOUT_MS)
        expect_on_page(page, labels_by_path[target])


def test_a_direct_link_as_a_fresh_servers_first_request_opens_the_page_in_the_frame(page: Page):
    """A link to the playground, the very first request a new server gets, opens it in the frame.

    With the pages in a folder named pages/, Streamlit's legacy auto-discovery
    would run pages/playground.py on its own here: no sidebar navigation, and
    the page's settings lost. The session-wide server has served other pages
    by now, so this test starts its own.
    """
    link = "playground?data=xor&hidden=3&lr=0.1"
    with streamlit_server() as fresh_url:
        page.goto(f"{fresh_url}/{link}", wait_until="domcontentloaded", timeout=LOAD_TIMEOUT_MS)
        expect_on_page(page, catalog.FREE_PLAY.title)
        assert sidebar_links(page) == EXPECTED_PAGES
        data_set = page.get_by_role("combobox", name="Data set")
        expect(data_set).to_have_value(catalog.label("dataset", "xor"))
        for setting in ("data=xor", "hidden=3", "lr=0.1"):
            assert setting in page.url, (setting, page.url)
        screenshot(page, "direct-link-fresh-server")
