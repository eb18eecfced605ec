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
DOT = [(140, 140)]  # one tap: the pen leaves a disc as wide as itself
SLANTED_FLAGGED_ONE = [(113, 66), (185, 27), (140, 140), (99, 254)]  # the bundled model says 7


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


def unsure(page: Page):
    return page.get_by_test_id("stAlert").filter(has_text="Unsure:")


def lesson_summary(page: Page):
    return page.get_by_test_id("stMarkdown").filter(has_text="Its cost:")


def show_the_lesson(page: Page):
    """Scroll so the lesson's heading is at the top of the window, its summary below it."""
    page.get_by_text("Lesson:").evaluate("element => element.scrollIntoView({block: 'start'})")


def teach(page: Page, label: str):
    page.get_by_test_id("stRadio").get_by_text(label, exact=True).click()
    wait_until_idle(page)
    page.get_by_role("button", name="Teach the model").click()


def test_a_dot_is_unsure_and_says_why(page: Page, app_url: str):
    open_draw_page(page, app_url)
    draw(page, DOT)
    expect(unsure(page)).to_contain_text("Unsure: the drawing is only", timeout=RESULT_TIMEOUT_MS)
    wait_until_idle(page)
    assert_no_exception(page)
    text = unsure(page).inner_text().replace("\u00a0", " ")
    # The tap's disc: about the pen's 20 pixels a side, whatever the browser's antialiasing.
    size = re.search(r"only (\d+) × (\d+) pixels of the 280 × 280 canvas", text)
    assert size and all(18 <= int(side) <= 24 for side in size.groups()), text
    assert "at least 70 pixels tall" in text and "Draw it bigger." in text
    shown = prediction(page).inner_text()
    assert f"The network still says {shown} (" in text
    wait_for_charts(page)
    screenshot(page, "draw_dot_unsure", full_page=False)

    # A real digit afterwards: no such note.
    page.get_by_role("button", name="Clear").click()
    expect(prediction(page)).to_have_count(0, timeout=RESULT_TIMEOUT_MS)
    wait_until_idle(page)
    draw(page, ONE)
    expect(prediction(page)).to_have_text("1", timeout=RESULT_TIMEOUT_MS)
    wait_until_idle(page)
    expect(unsure(page)).to_have_count(0)


def test_teach_a_misread_digit_its_answer(page: Page, app_url: str):
    open_draw_page(page, app_url)
    draw(page, SLANTED_FLAGGED_ONE)
    expect(prediction(page)).to_have_text("7", timeout=RESULT_TIMEOUT_MS)
    wait_until_idle(page)

    # It is a 1: the session's copy learns it, and the page switches to that copy.
    teach(page, "1")
    after = page.get_by_test_id("stMetric").filter(has_text="After the lesson")
    expect(after.get_by_test_id("stMetricValue")).to_have_text("1", timeout=RESULT_TIMEOUT_MS)
    expect(prediction(page)).to_have_text("1")
    expect(model_box(page)).to_have_value(re.compile("^Taught in this session"))
    expect(lesson_summary(page)).to_contain_text("The lesson changed the answer from 7 to 1")
    wait_until_idle(page)
    assert_no_exception(page)
    cost = re.search(r"it read ([\d,]+) right \(([\d.]+)%\) before the lesson and ([\d,]+) "
                     r"\(([\d.]+)%\) after it", lesson_summary(page).inner_text())
    right_before, right_after = (int(cost.group(i).replace(",", "")) for i in (1, 3))
    assert right_before - right_after <= 6  # at most 0.3 points of the 2,000 check digits
    assert float(cost.group(4)) == round(right_after / 20, 2)  # of 2,000, in percent
    wait_for_charts(page)
    show_the_lesson(page)
    screenshot(page, "draw_taught", full_page=False)

    # Back to the bundled model, which has learnt nothing.
    page.get_by_role("button", name="Forget what I taught").click()
    expect(prediction(page)).to_have_text("7", timeout=RESULT_TIMEOUT_MS)
    expect(model_box(page)).to_have_value("Bundled model")


def test_a_wrong_label_for_a_clear_digit_is_only_a_nudge(page: Page, app_url: str):
    open_draw_page(page, app_url)
    draw(page, ZERO)
    expect(prediction(page)).to_have_text("0", timeout=RESULT_TIMEOUT_MS)
    wait_until_idle(page)

    teach(page, "6")  # wrong on purpose
    expect(lesson_summary(page)).to_contain_text(
        "not enough to change the answer: it still says 0", timeout=RESULT_TIMEOUT_MS)
    after = page.get_by_test_id("stMetric").filter(has_text="After the lesson")
    expect(after.get_by_test_id("stMetricValue")).to_have_text("0")
    expect(model_box(page)).to_have_value(re.compile("^Taught in this session"))
    wait_until_idle(page)
    assert_no_exception(page)
    wait_for_charts(page)
    show_the_lesson(page)
    screenshot(page, "draw_taught_wrong_label", full_page=False)
