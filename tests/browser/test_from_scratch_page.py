"""The "MNIST from scratch" page (tutorial 000) in Chromium: type exact numbers, run the
experiments in the background, stop one; every number shown is the engine's.

No sleeps: every wait is for something a person would see on the page, with
generous timeouts (the machine is shared; nothing assumes how fast it computes).
Screenshots go to test-output/: from_scratch_top.png, from_scratch_experiments.png.
"""

import re

import pytest
from helpers import LOAD_TIMEOUT_MS, assert_no_exception, open_page, screenshot, wait_until_idle
from playwright.sync_api import expect

from engine.tutorials import t000
from ui import from_scratch as fs

ACT_MS = 30_000
RUN_MS = 300_000  # the four 100-image experiments: about 10 s alone


@pytest.fixture(scope="module")
def data():
    return t000.load_data()


def test_the_walkthrough_follows_the_numbers_typed(page, app_url, data):
    open_page(page, app_url, "from-scratch")
    expect(page.get_by_role("heading", name="MNIST from scratch (tutorial 000)")).to_be_visible(
        timeout=LOAD_TIMEOUT_MS)
    assert_no_exception(page)
    main = page.locator("[data-testid=stMainBlockContainer]")
    expect(main).to_contain_text("is 785: the label", timeout=ACT_MS)
    expect(main).to_contain_text("10 of 10 outputs are exactly 1.0")
    w = t000.walkthrough(data, seed=0)
    expect(main).to_contain_text(f"scores {w['test_accuracy']:.2%}")
    screenshot(page, "from_scratch_top")

    seed = page.locator(".st-key-fs_seed input")
    seed.fill("12")
    seed.press("Enter")
    w12 = t000.walkthrough(data, seed=12)
    expect(main).to_contain_text(f"from seed 12's weights", timeout=ACT_MS)
    expect(main).to_contain_text(f"scores {w12['test_accuracy']:.2%}", timeout=ACT_MS)
    hidden = page.locator(".st-key-fs_hidden input")
    hidden.fill("21")
    hidden.press("Enter")
    expect(main).to_contain_text("(21, 784) · (784, 1) → (21, 1)", timeout=ACT_MS)
    wait_until_idle(page)
    assert_no_exception(page)


def test_experiments_run_in_the_background_and_show_the_engines_spread(page, app_url, data):
    open_page(page, app_url, "from-scratch")
    main = page.locator("[data-testid=stMainBlockContainer]")
    run = page.get_by_role("button", name=re.compile("Run the four 100-image experiments"))
    last_table = "100 training images, 5 epochs, lr 0.1, 150 hidden"
    # the button, or the tables if this server has computed them already (they are shared)
    expect(run.or_(page.get_by_text(last_table))).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    if run.count():
        run.click()
    expect(main).to_contain_text(last_table, timeout=RUN_MS)
    wait_until_idle(page)
    assert_no_exception(page)
    for r in t000.run_from_scratch("t000-100-images", fs.STARTS, data=data):
        expect(main).to_contain_text(fs.spread(r["ours"]))
    page.get_by_text(last_table).scroll_into_view_if_needed()
    screenshot(page, "from_scratch_experiments")


def test_a_long_run_can_be_stopped(page, app_url):
    open_page(page, app_url, "from-scratch")
    run = page.get_by_role("button", name=re.compile("Run on 60,000 images"))
    expect(run).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    run.click()
    stop = page.get_by_role("button", name="Stop")
    expect(stop).to_be_visible(timeout=ACT_MS)
    expect(run).to_be_disabled()
    stop.click()
    expect(page.get_by_text("60,000 images, 2 epochs, lr 0.1: Stopped.")).to_be_visible(
        timeout=ACT_MS)
    expect(run).to_be_enabled(timeout=ACT_MS)
    wait_until_idle(page)
    assert_no_exception(page)
