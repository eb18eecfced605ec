"""The "Backpropagation, step by step" page in Chromium: step through the stages, see a
gradient on its link, its chain-rule product and its finite-difference check; tutorial 003's
derivative makes the check fail; 100 updates make the loss fall.

No sleeps: every wait is for text a person would see, with generous timeouts. Screenshots
go to test-output/: backprop_backward.png, backprop_check.png, backprop_1024x768.png.
"""

import numpy as np
from helpers import LOAD_TIMEOUT_MS, assert_no_exception, open_page, screenshot, wait_until_idle
from playwright.sync_api import expect

from ui import backprop as bp

ACT_MS = 30_000


def expected_default():
    """The default set-up's numbers, from the engine (seed 0, one example, 2-2-1 sigmoid, MSE)."""
    setup = bp.Setup()
    model = bp.build(setup, seed=0)
    X, T = bp.examples(setup)
    return setup, model, X, T, bp.trace(model, X, T, setup.loss)


def next_stage(page, number):
    page.get_by_role("button", name="Next stage").click()
    expect(page.get_by_text(f"Stage {number} of 7", exact=False)).to_be_visible(timeout=ACT_MS)
    wait_until_idle(page)


def test_step_through_and_check_a_gradient(page, app_url):
    open_page(page, app_url, "backprop")
    assert_no_exception(page)
    main = page.locator("[data-testid=stMainBlockContainer]")
    drawing = page.locator(".st-key-bp_network")
    expect(page.get_by_text("Stage 1 of 7", exact=False)).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    setup, model, X, T, tr = expected_default()
    first = bp.parameters(setup)[0]  # w(x₁→h1), the weight checked by default
    expect(drawing).to_contain_text(f"{tr.params[first.index]:+.4f}", timeout=ACT_MS)
    for number in range(2, 7):  # to "Backward: hidden layer"
        next_stage(page, number)
    expect(drawing).to_contain_text(f"L{tr.loss:.5f}", timeout=ACT_MS)
    expect(drawing).to_contain_text(f"{tr.grad[first.index]:+.4f}")  # ∂L/∂w on its link
    expect(drawing).to_contain_text(f"δ {tr.delta[0][0, 0]:+.4f}")
    assert_no_exception(page)
    screenshot(page, "backprop_backward")

    # the chain rule with both numbers, and the finite differences beside it
    expect(main).to_contain_text(f"({tr.delta[0][0, 0]:+.6f}) × ({X[0, 0]:+.6f})")
    expect(main).to_contain_text(f"= {tr.grad[first.index]:+.8f}")
    check = bp.finite_difference(model, X, T, setup.loss, first.index, bp.DEFAULT_H,
                                 tr.grad[first.index])
    expect(main).to_contain_text(f"{check.numeric:+.8f}")
    expect(main).to_contain_text("They agree")
    page.get_by_text("Relative difference").scroll_into_view_if_needed()
    screenshot(page, "backprop_check")

    # tutorial 003's derivative: the check fails, visibly
    page.get_by_text("Use tutorial 003's derivative").click()
    expect(main).to_contain_text("They disagree", timeout=ACT_MS)
    wait_until_idle(page)
    shown = float(page.get_by_test_id("stMetricValue").first.inner_text())
    assert shown > 1e-2
    page.get_by_text("Use tutorial 003's derivative").click()
    expect(main).to_contain_text("They agree", timeout=ACT_MS)

    # the last stage applies the update; 100 more make the loss fall
    next_stage(page, 7)
    page.get_by_role("button", name="Apply update").click()
    expect(page.get_by_text("Updates so far: 1")).to_be_visible(timeout=ACT_MS)
    page.get_by_role("button", name="Run 100 updates").click()
    expect(page.get_by_text("Updates so far: 101")).to_be_visible(timeout=ACT_MS)
    expect(page.get_by_role("heading", name="The loss, update by update")).to_be_visible()
    caption = page.get_by_text("updates of plain gradient descent").inner_text()
    start, end = (float(v) for v in caption.split("From ")[1].split(" after")[0].split(" to "))
    assert end < start
    assert_no_exception(page)


def test_a_typed_weight_is_used(page, app_url):
    page.set_viewport_size({"width": 1024, "height": 768})
    open_page(page, app_url, "backprop")
    page.get_by_text("Set up the network").click()
    box = page.locator(".st-key-bp_w0_0_0 input")
    expect(box).to_be_visible(timeout=ACT_MS)
    box.fill("0.123457")
    box.press("Enter")
    setup = bp.Setup()
    params = bp.build(setup, seed=0).params.copy()
    params[0] = 0.123457
    model = bp.build(setup, params)
    X, T = bp.examples(setup)
    tr = bp.trace(model, X, T, setup.loss)
    expect(page.locator("[data-testid=stMainBlockContainer]")).to_contain_text(
        f"= {tr.grad[0]:+.8f}", timeout=ACT_MS)
    assert np.isfinite(tr.grad[0])
    page.get_by_text("Set up the network").click()
    wait_until_idle(page)
    assert_no_exception(page)
    screenshot(page, "backprop_1024x768")
