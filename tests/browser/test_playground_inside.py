"""The playground's look inside a hidden layer, in Chromium: while network B trains with a
learning rate too big, its histogram moves and its ReLU units die on screen."""

import re

from playwright.sync_api import Page, expect

from helpers import LOAD_TIMEOUT_MS, assert_no_exception, screenshot
from test_playground_page import TRAINING_TIMEOUT_MS, open_playground
from ui import playground_inside as inside


def choose_layer(page, name):
    """Open the Layer box (the combobox labelled exactly "Layer") and pick `name`.

    The page redraws while it is live, which can close a list just opened: open it again.
    """
    box, option = page.get_by_role("combobox", name="Layer", exact=True), \
        page.get_by_role("option", name=name, exact=True)
    for _ in range(5):
        box.click()
        try:
            expect(option).to_be_visible(timeout=10_000)
            break
        except AssertionError:
            page.keyboard.press("Escape")
    option.click()


def test_network_b_histogram_moves_and_its_relu_units_die_while_it_trains(page: Page, app_url):
    open_playground(page, app_url, inside.DYING_LINK[1:])
    block = page.locator(".pg-inside")
    dead = block.locator("[data-pg=dead]")
    expect(dead).to_have_text("0 of 8", timeout=LOAD_TIMEOUT_MS)
    choose_layer(page, "Network B, layer 1: 8 ReLU units")
    expect(block).to_have_attribute("data-pg-inside", "b0", timeout=LOAD_TIMEOUT_MS)
    start = block.get_attribute("data-pg-hist")
    assert sum(int(c) for c in start.split(",")) == 250 * 8
    page.get_by_role("button", name="Play").click()
    # B loses 4 of its 8 units within 3 epochs (tests/app/test_playground_inside.py): wait
    # for the sentence to say so, however fast this machine trains.
    expect(dead).not_to_have_text("0 of 8", timeout=TRAINING_TIMEOUT_MS)
    expect(dead).to_have_text(re.compile(r"[1-8] of 8"))
    expect(block).not_to_have_attribute("data-pg-hist", start)
    expect(block).to_contain_text("never active on these 250 training points")
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("button", name="Play")).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    block.scroll_into_view_if_needed()
    screenshot(page, "playground_inside_dead_units")
    assert_no_exception(page)
