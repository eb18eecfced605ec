"""The One-neuron page's "From the tutorials" section in Chromium: the printed figures beside ours.

A learner types 1.45 (a 0.1-step slider could not) and sees the tutorial's
0.7985731 beside the engine's; on the OR tab one button gives the 11,010 epochs
behind the printed weights, and both columns show 7.20642565. Every wait is for
text that changes; screenshots: test-output/tutorial_worked_002.png, _003.png.
"""

from helpers import assert_no_exception, open_page, screenshot, wait_until_idle
from playwright.sync_api import expect

ACT_MS = 30_000  # a click shows its effect well within this, even on a busy machine


def table_with(page, header):
    return page.locator("[data-testid=stTable]").filter(has_text=header)


def type_into(page, key, value):
    box = page.locator(f".st-key-tutorial_worked_{key} input")
    box.fill(value)
    box.press("Enter")


def test_a_learner_sees_the_printed_figures_beside_ours(page, app_url, server_log):
    mark = server_log.mark()
    open_page(page, app_url, "perceptron")
    header = page.get_by_role("heading", name="From the tutorials: the worked numbers")
    header.scroll_into_view_if_needed()
    before = table_with(page, "before the update")
    # the tutorial's 0.7985731 (printed) and ours, side by side
    expect(before.get_by_text("0.7985731", exact=True)).to_have_count(2, timeout=ACT_MS)
    expect(table_with(page, "after one update").get_by_text("0.01496248", exact=True)).to_be_visible()

    type_into(page, "neuron_w1", "1")  # other weights: the printed column empties
    expect(before.get_by_text("0.7985731", exact=True)).to_have_count(0, timeout=ACT_MS)
    expect(before.get_by_text("—", exact=True)).to_have_count(4, timeout=ACT_MS)
    type_into(page, "neuron_w1", "1.45")  # typed exactly: the figures meet again
    expect(before.get_by_text("0.7985731", exact=True)).to_have_count(2, timeout=ACT_MS)
    wait_until_idle(page)
    page.get_by_role("heading", name="One neuron, its error and one update").scroll_into_view_if_needed()
    screenshot(page, "tutorial_worked_002")

    page.get_by_role("tab", name="Tutorial 003: the OR neuron").click()
    page.get_by_role("button", name="11,010 epochs: the printed figures").click()
    weights = table_with(page, "after 11,010 epochs")
    expect(weights.get_by_text("7.20642565", exact=True)).to_have_count(2, timeout=ACT_MS)
    expect(weights.get_by_text("−3.24934367", exact=True)).to_have_count(2, timeout=ACT_MS)
    expect(page.get_by_text("The trained unit's outputs (as the tutorial printed it)")).to_be_visible()
    page.get_by_text("The exact rule", exact=True).click()
    expect(page.get_by_text("The trained unit's outputs (the exact rule)")).to_be_visible(
        timeout=ACT_MS)
    wait_until_idle(page)
    header.scroll_into_view_if_needed()
    screenshot(page, "tutorial_worked_003")
    assert_no_exception(page)
    assert "Traceback" not in server_log.since(mark)
