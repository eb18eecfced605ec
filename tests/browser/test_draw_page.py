"""The Draw-a-digit page in Chromium: digits drawn with the mouse, read by the bundled model.

The canvas (streamlit-drawable-canvas 0.13) sits in an open shadow root under
[data-testid=stBidiComponentIsolated]; Playwright's CSS locators reach into it,
and the mouse draws on its `canvas.upper-canvas`. Each stroke reruns the script
when the mouse button is released.
"""

import math
import re

from helpers import assert_no_exception, open_page, screenshot, wait_until_idle
from playwright.sync_api import Page, expect

RESULT_TIMEOUT_MS = 30_000  # generous: the machine is shared


def ellipse(cx, cy, rx, ry, start, end, tilt=0.0, n=36):
    """Points along an ellipse arc, angles in degrees, y down (clockwise on screen)."""
    t = math.radians(tilt)
    points = []
    for i in range(n + 1):
        angle = math.radians(start + (end - start) * i / n)
        x, y = rx * math.cos(angle), ry * math.sin(angle)
        points.append((cx + x * math.cos(t) - y * math.sin(t), cy + x * math.sin(t) + y * math.cos(t)))
    return points


# Strokes as a person draws them on the 280x280 canvas: (x, y) pixels, y down.
ONE = [(168, 48), (158, 100), (146, 160), (134, 236)]  # a slightly slanted down-stroke
SEVEN_BAR = [(80, 60), (120, 57), (168, 50)]  # the bar added to the left of the 1's top
ZERO = ellipse(140, 142, 60, 96, -95, -95 - 370, tilt=10)  # anticlockwise from the top, overlapping


def canvas(page: Page):
    return page.locator("[data-testid=stBidiComponentIsolated] canvas.upper-canvas")


def prediction(page: Page):
    return page.get_by_test_id("stMetric").filter(has_text="Prediction").get_by_test_id(
        "stMetricValue")


# True when the point (x, y) of the canvas, in canvas pixels, is the canvas's own
# (not under its toolbar, not off screen).
ON_CANVAS = """([canvas, x, y]) => {
    const box = canvas.getBoundingClientRect();
    return canvas.getRootNode().elementFromPoint(box.left + x, box.top + y) === canvas;
}"""


def model_box(page: Page):
    return page.get_by_role("combobox", name="Model")


def draw(page: Page, stroke, steps=4):
    """Hover, press, move through the points, release: one stroke, as a hand draws it.

    Until the mouse hovers the canvas, its toolbar sits invisible (but clickable)
    over the canvas's top edge; it slides away on hover. A person's mouse hovers
    before drawing: wait until the starting point belongs to the canvas.
    """
    upper = canvas(page)
    upper.scroll_into_view_if_needed()
    box = upper.bounding_box()
    x, y = stroke[0]
    page.mouse.move(box["x"] + x, box["y"] + y)
    page.wait_for_function(ON_CANVAS, arg=[upper.element_handle(), x, y],
                           timeout=RESULT_TIMEOUT_MS)
    box = upper.bounding_box()  # where the canvas is now that nothing covers it
    page.mouse.move(box["x"] + x, box["y"] + y)
    page.mouse.down()
    for x, y in stroke[1:]:
        page.mouse.move(box["x"] + x, box["y"] + y, steps=steps)
    page.mouse.up()


def wait_for_charts(page: Page):
    """Wait until every plotly chart on the page has been drawn."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')]"
        ".every(chart => chart.querySelector('.main-svg'))",
        timeout=RESULT_TIMEOUT_MS,
    )


def open_draw_page(page: Page, app_url: str):
    """Open the app and go to the page through the sidebar, as a person does."""
    open_page(page, app_url, "")
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Draw a digit").click()
    expect(page).to_have_url(re.compile("/draw$"))
    wait_until_idle(page)
    expect(canvas(page)).to_be_visible(timeout=RESULT_TIMEOUT_MS)
    expect(page.get_by_text("Draw a digit on the black square")).to_be_visible()
    assert_no_exception(page)
    expect(prediction(page)).to_have_count(0)


def test_one_then_seven_then_zero(page: Page, app_url: str):
    open_draw_page(page, app_url)

    draw(page, ONE)
    expect(prediction(page)).to_have_text("1", timeout=RESULT_TIMEOUT_MS)
    wait_until_idle(page)

    # A second stroke on the same drawing: the bar turns the 1 into a 7.
    draw(page, SEVEN_BAR)
    expect(prediction(page)).to_have_text("7", timeout=RESULT_TIMEOUT_MS)
    wait_until_idle(page)
    assert_no_exception(page)
    expect(page.get_by_text("What the network sees")).to_be_visible()
    expect(page.get_by_test_id("stImage")).to_have_count(4)  # drawn, cropped, 20x20, 28x28
    wait_for_charts(page)
    screenshot(page, "draw_seven", full_page=False)
    page.get_by_text("Which pixels pushed the answer").scroll_into_view_if_needed()
    screenshot(page, "draw_seven_steps_and_saliency", full_page=False)

    page.get_by_role("button", name="Clear").click()
    expect(page.get_by_text("Draw a digit on the black square")).to_be_visible(
        timeout=RESULT_TIMEOUT_MS)
    expect(prediction(page)).to_have_count(0)
    wait_until_idle(page)
    expect(canvas(page)).to_be_visible()

    draw(page, ZERO)
    expect(prediction(page)).to_have_text("0", timeout=RESULT_TIMEOUT_MS)
    wait_until_idle(page)
    assert_no_exception(page)
    wait_for_charts(page)
    screenshot(page, "draw_zero", full_page=False)


def test_teach_it_a_new_answer(page: Page, app_url: str):
    open_draw_page(page, app_url)
    draw(page, ZERO)
    expect(prediction(page)).to_have_text("0", timeout=RESULT_TIMEOUT_MS)
    wait_until_idle(page)

    # Say this 0 is a 6: the session's copy learns it, and the page switches to that copy.
    page.get_by_test_id("stRadio").get_by_text("6", exact=True).click()
    wait_until_idle(page)
    page.get_by_role("button", name="Teach the model").click()
    after = page.get_by_test_id("stMetric").filter(has_text="After the lesson")
    expect(after.get_by_test_id("stMetricValue")).to_have_text("6", timeout=RESULT_TIMEOUT_MS)
    expect(prediction(page)).to_have_text("6")
    expect(model_box(page)).to_have_value(re.compile("^Taught in this session"))
    wait_until_idle(page)
    assert_no_exception(page)
    wait_for_charts(page)
    page.get_by_text("Lesson:").scroll_into_view_if_needed()
    screenshot(page, "draw_taught", full_page=False)

    # Back to the bundled model, which has learnt nothing.
    page.get_by_role("button", name="Forget what I taught").click()
    expect(prediction(page)).to_have_text("0", timeout=RESULT_TIMEOUT_MS)
    expect(model_box(page)).to_have_value("Bundled model")
