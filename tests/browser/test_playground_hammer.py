"""Play and Pause pressed 50 times at random moments: no exception, on screen or in the server log.

A class once saw a traceback here: a drawing of the network on the grid ran
while another script thread of the same session trained it, and both used the
layers' cached activations. Now forward passes keep nothing on the layers and
every chunk of training and every redraw holds the session's live.turn(); this
test presses Play and Pause 50 times, 50 to 800 ms apart (a seeded random
sequence), on the two presets the traceback was seen with, each with compare
mode off and on, and then checks that the page settles in a consistent state.

It also caught a freeze: frames sent faster than the browser read them filled
Streamlit's send queue (500 messages), and the server then dropped the session
without closing its connection, so the page never answered again. Frames now
wait while the browser is behind (ui.live.frames).
"""

import random
import re

import pytest
from playwright.sync_api import Page, expect

from helpers import LOAD_TIMEOUT_MS, assert_no_exception, open_page, wait_until_idle

SPIRAL3 = "Spiral with 3 classes: a softmax output"  # compare off in the preset
L2 = "Compare: the same big network without / with L2 regularization"  # compare on
PRESSES = 50
INTERVAL_MS = (50, 800)
BAD_LOG_LINE = re.compile(r"Traceback|Error")
PAUSE_PRESSES = 3
SETTLE_MS = 20_000  # a press of Pause is answered within this, or pressed again


def load_preset(page: Page, name):
    page.get_by_role("combobox", name="Presets").click()
    page.get_by_role("option", name=name).click()
    expect(page.get_by_role("combobox", name="Presets")).to_have_value("", timeout=LOAD_TIMEOUT_MS)
    wait_until_idle(page)


def epochs(page: Page):
    """The epoch counter of each network on screen, as numbers (fails if one is not)."""
    texts = page.locator("[data-pg^=epoch]").all_inner_texts()
    for text in texts:
        assert re.fullmatch(r"\d[\d,]*", text), f"the epoch counter shows {text!r}"
    return [int(text.replace(",", "")) for text in texts]


@pytest.mark.parametrize("preset, compare", [(SPIRAL3, False), (SPIRAL3, True),
                                             (L2, True), (L2, False)])
def test_play_pause_hammering_leaves_no_exception_and_a_consistent_page(
        page: Page, app_url, server_log, preset, compare):
    open_page(page, app_url, "playground")
    load_preset(page, preset)
    switch = page.locator("[data-testid=stSidebar]").get_by_role(
        "switch", name="Compare two networks")
    if switch.is_checked() != compare:
        switch.click(force=True)  # the switch's input is visually hidden behind its track
        expect(switch).to_be_checked(checked=compare, timeout=LOAD_TIMEOUT_MS)
        wait_until_idle(page)
    networks = 2 if compare else 1
    expect(page.locator("[data-pg^=epoch]")).to_have_count(networks, timeout=LOAD_TIMEOUT_MS)
    assert epochs(page) == [0] * networks
    mark = server_log.mark()

    button = page.locator(".st-key-playground__play button")
    rng = random.Random(f"{preset} / compare {compare}")
    for _ in range(PRESSES):
        button.click(timeout=LOAD_TIMEOUT_MS)
        page.wait_for_timeout(rng.uniform(*INTERVAL_MS))

    # Settle: let the last click be answered, then pause if it left the page playing.
    label = button.locator("p")  # the button's text, without its icon
    expect(label).to_have_text(re.compile(r"^(Play|Pause)$"), timeout=LOAD_TIMEOUT_MS)
    page.wait_for_timeout(1000)
    presses = 0
    for _ in range(PAUSE_PRESSES + 1):  # paused and idle, pressing Pause again if it plays
        try:
            expect(label).to_have_text("Play", timeout=SETTLE_MS)
            wait_until_idle(page, SETTLE_MS)
            break
        except AssertionError:
            # The browser draws the frames of two big networks seconds behind the server.
            # A press then acts on the state the server is in, which may differ from the
            # label on screen (see README: known problems), and the page goes on playing.
            # A learner presses again, so does this test; three presses must be enough.
            if label.inner_text() == "Pause" and presses < PAUSE_PRESSES:
                button.click(timeout=LOAD_TIMEOUT_MS)
                presses += 1
    else:
        pytest.fail(f"the page did not settle (paused, idle) after {presses} presses of Pause")

    assert_no_exception(page)
    log = server_log.since(mark)
    bad = [line for line in log.splitlines() if BAD_LOG_LINE.search(line)]
    assert not bad, "the server logged:\n" + log

    expect(page.locator(".pg")).to_have_count(networks)
    expect(page.locator(".pg .nnet, .pg img[alt='network graph']")).to_have_count(networks)
    expect(page.locator(".pg [role=img][aria-label^='decision regions'] img")).to_have_count(
        networks)
    shown = epochs(page)
    assert len(set(shown)) == 1, f"the networks train in lockstep, but show epochs {shown}"
    page.wait_for_timeout(1500)  # paused: nothing trains any more
    assert epochs(page) == shown
    assert_no_exception(page)
