"""A number box shows its value from the moment the page is drawn, never its minimum.

Streamlit's browser side drew a keyed number box at its min_value first and held that
number for a moment after the script had finished; a click in that moment sent it back
as if typed. On the one-neuron page a quick click on a tutorial's set-up turned the
weights 0.3, -0.6, 0.1 into -5, -5, -10 (the boxes' minima), and the training went wrong.
ui/state.py's number_input passes the session's value as `value` too; these tests read
the boxes as soon as the page is idle, when the minimum used to show.
"""

import pytest
from playwright.sync_api import expect

from helpers import LOAD_TIMEOUT_MS


@pytest.mark.parametrize("path, button, boxes", [
    ("perceptron", "Play", {"w₁ exactly": "0.3", "w₂ exactly": "-0.6", "b exactly": "0.1",
                            "Seed (order of the points)": "0"}),
    ("mnist", "Train", {"Learning rate": "0.3", "Batch size": "1", "Epochs": "1"}),
])
def test_boxes_show_their_value_at_once(page, app_url, path, button, boxes):
    page.goto(f"{app_url.rstrip('/')}/{path}", wait_until="commit", timeout=LOAD_TIMEOUT_MS)
    # as soon as the page's button is there, read the boxes at once (no waiting for a
    # value: the minimum showed for a moment only)
    expect(page.get_by_role("button", name=button, exact=True)).to_be_visible(
        timeout=LOAD_TIMEOUT_MS)
    shown = {label: page.get_by_label(label, exact=True).input_value() for label in boxes}
    assert shown == boxes


def test_a_set_up_clicked_at_once_keeps_the_weights(page, app_url):
    page.goto(f"{app_url.rstrip('/')}/perceptron", wait_until="commit", timeout=LOAD_TIMEOUT_MS)
    set_up = page.get_by_role("button", name="Tutorial 001: two blobs")
    expect(set_up).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    set_up.click()
    expect(page.get_by_text("Tutorial 001's set-up")).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    for label, value in (("w₁ exactly", "0.3"), ("w₂ exactly", "-0.6"), ("b exactly", "0.1")):
        expect(page.get_by_label(label, exact=True)).to_have_value(value)
