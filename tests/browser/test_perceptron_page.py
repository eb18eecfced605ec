"""The Perceptron page in Chromium: train OR live, pause, step, and train on to 100%;
train a data set of the engine's registry (moons) through quick Play/Pause clicks.

No sleeps: every wait is for something a person would see change on the page.
Screenshots go to test-output/: perceptron_training.png while it learns (on a
busy machine a chart may be caught between two frames), perceptron_paused.png
paused mid-training, perceptron_trained.png when the epochs are done,
perceptron_moons.png when the moons are trained.
"""

import re

from helpers import LOAD_TIMEOUT_MS, assert_no_exception, open_page, screenshot, wait_until_idle
from playwright.sync_api import expect

EPOCHS = 60  # 240 stochastic updates on OR
ACT_MS = 10_000  # a click shows its effect within this (well under a second on an idle machine)
TRAIN_MS = 60_000  # the rest of the run at the fast speed (about 4 s), with room for a busy machine


def metric(page, label):
    """The value of the metric with this label (a locator, for expect)."""
    box = page.locator("[data-testid=stMetric]").filter(
        has=page.locator("[data-testid=stMetricLabel]", has_text=label)
    )
    return box.locator("[data-testid=stMetricValue]")


def set_speed(page, key):
    """Move the animation-speed slider with the keyboard: "Home" is slow, "End" is fast."""
    thumb = page.locator(".st-key-perceptron_speed input[type=range]")
    thumb.focus()
    thumb.press(key)
    expect(thumb).to_have_attribute(
        "aria-valuetext", "slow" if key == "Home" else "fast", timeout=ACT_MS
    )
    wait_until_idle(page)


def show_training(page):
    """Scroll so that the training buttons are at the top of the window, the charts below them."""
    page.get_by_role("button", name="Reset").evaluate(
        "button => button.scrollIntoView({block: 'start'})"
    )


def test_training_or_reaches_100_percent_with_the_boundary_on_screen(page, app_url):
    page.set_viewport_size({"width": 1400, "height": 1600})  # a tall screen: training in one view
    open_page(page, app_url)  # a student starts at the home page and follows the navigation
    page.get_by_role("link", name="One neuron & the perceptron").first.click()
    expect(page).to_have_url(re.compile(r"/perceptron$"), timeout=LOAD_TIMEOUT_MS)
    wait_until_idle(page)
    assert_no_exception(page)
    # The first visit to a fresh server imports plotly and pandas: allow it time to draw.
    expect(page.get_by_role("button", name="Play")).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    # Streamlit draws each new frame's chart beside the old one, marked stale until it is gone.
    live_chart = page.locator(
        ".st-key-perceptron_live_chart:not([data-stale=true]) [data-testid=stPlotlyChart]"
    )
    expect(live_chart).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    expect(page.get_by_text("Decision boundary after update 0")).to_be_visible()
    decision_line = live_chart.locator("path.js-line").first  # the line w . x + b = 0
    expect(decision_line).to_be_attached(timeout=LOAD_TIMEOUT_MS)
    line_at_start = decision_line.get_attribute("d")
    # The hand-set start weights get OR wrong, so 100% is something training has to reach.
    expect(metric(page, "Training accuracy")).to_have_text(re.compile(r"^\d{1,2}%$"))
    expect(metric(page, "Updates")).to_have_text("0")

    epochs = page.get_by_label(re.compile(r"^Epochs"))
    epochs.fill(str(EPOCHS))
    epochs.press("Enter")
    expect(page.get_by_text(f"of {EPOCHS}", exact=True)).to_be_visible(timeout=ACT_MS)
    set_speed(page, "Home")  # one update per frame: a run that cannot end before we pause it

    # Play: the counter, the chart and the loss curve move on their own.
    page.get_by_role("button", name="Play").click()
    expect(page.get_by_role("button", name="Pause")).to_be_visible(timeout=ACT_MS)
    expect(page.get_by_text("Training…")).to_be_visible(timeout=ACT_MS)
    expect(page.get_by_text(re.compile(r"Decision boundary after update [1-9]"))).to_be_visible(
        timeout=ACT_MS
    )
    expect(decision_line).not_to_have_attribute("d", line_at_start, timeout=TRAIN_MS)  # it moved
    show_training(page)
    expect(live_chart).to_be_in_viewport(timeout=ACT_MS)
    expect(live_chart.locator(".main-svg").first).to_be_visible(timeout=TRAIN_MS)  # plotly drew it
    loss_chart = page.locator(
        ".st-key-perceptron_loss_chart:not([data-stale=true]) [data-testid=stPlotlyChart]"
    )
    expect(loss_chart.locator(".main-svg").first).to_be_visible(timeout=TRAIN_MS)
    screenshot(page, "perceptron_training", full_page=False)

    # Pause acts at once, and nothing moves while paused: one Step is exactly one update.
    page.get_by_role("button", name="Pause").click()
    paused = page.get_by_text(re.compile(r"Paused after update \d+"))
    expect(paused).to_be_visible(timeout=ACT_MS)
    wait_until_idle(page)
    updates = int(re.search(r"\d+", paused.inner_text()).group())
    assert 0 < updates < 4 * EPOCHS
    expect(metric(page, "Updates")).to_have_text(str(updates))
    page.get_by_role("button", name="Step (one update)").click()
    expect(page.get_by_text(f"Paused after update {updates + 1}.")).to_be_visible(timeout=ACT_MS)
    expect(metric(page, "Updates")).to_have_text(str(updates + 1), timeout=ACT_MS)
    expect(page.get_by_text(f"Decision boundary after update {updates + 1}")).to_be_visible()
    expect(live_chart.locator(".main-svg").first).to_be_visible(timeout=ACT_MS)
    expect(loss_chart.locator(".main-svg").first).to_be_visible(timeout=ACT_MS)
    screenshot(page, "perceptron_paused", full_page=False)  # mid-training, standing still

    # Play on at the fast speed: OR is learnt (100%) and training stops when the epochs are done.
    set_speed(page, "End")
    page.get_by_role("button", name="Play").click()
    expect(metric(page, "Training accuracy")).to_have_text("100%", timeout=TRAIN_MS)
    expect(page.get_by_text(f"Training finished: all {EPOCHS} epochs are done")).to_be_visible(
        timeout=TRAIN_MS
    )
    wait_until_idle(page)
    expect(metric(page, "Updates")).to_have_text(str(4 * EPOCHS), timeout=ACT_MS)
    expect(metric(page, "Training accuracy")).to_have_text("100%", timeout=ACT_MS)
    expect(page.get_by_role("button", name="Play")).to_be_disabled(timeout=ACT_MS)
    show_training(page)
    expect(live_chart).to_be_in_viewport(timeout=ACT_MS)
    expect(page.get_by_text(f"Decision boundary after update {4 * EPOCHS}")).to_be_visible()
    assert_no_exception(page)
    screenshot(page, "perceptron_trained", full_page=False)


def test_a_playground_data_set_trains_and_a_busy_play_pause_logs_nothing(page, app_url, server_log):
    """Moons from the engine's registry, played fast and paused at once, several times."""
    mark = server_log.mark()
    open_page(page, app_url, "perceptron")
    expect(page.get_by_role("button", name="Play")).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    page.locator(".st-key-perceptron_dataset").click()
    page.get_by_role("option", name="Moons").click()
    expect(page.get_by_text("These points come from the Network playground")).to_be_visible(
        timeout=ACT_MS)
    wait_until_idle(page)
    expect(metric(page, "Test accuracy")).to_have_text(re.compile(r"^\d{1,3}%$"), timeout=ACT_MS)
    set_speed(page, "Home")  # one update per frame: the run cannot end during the clicks
    for _ in range(5):  # Pause clicked while a frame trains: the run must stay whole
        page.get_by_role("button", name="Play").click()
        expect(page.get_by_role("button", name="Pause")).to_be_visible(timeout=ACT_MS)
        page.get_by_role("button", name="Pause").click()
        expect(page.get_by_role("button", name="Play")).to_be_visible(timeout=ACT_MS)
    wait_until_idle(page)
    set_speed(page, "End")
    page.get_by_role("button", name="Play").click()
    expect(page.get_by_text("Training finished: all 20 epochs are done")).to_be_visible(
        timeout=TRAIN_MS)
    wait_until_idle(page)
    expect(metric(page, "Updates")).to_have_text("1800", timeout=ACT_MS)  # 90 points x 20 epochs
    assert_no_exception(page)
    log = server_log.since(mark)
    assert "Traceback" not in log and "Error" not in log, log
    screenshot(page, "perceptron_moons", full_page=False)


TUTORIAL_MS = 120_000  # a whole tutorial run (5,000 or 10,000 updates) at the fast speed, busy machine


def train_tutorial_set_up(page, app_url, button, tutorial, updates, epochs):
    """Open the page, click a tutorial's set-up button and train it to the end at full speed."""
    open_page(page, app_url, "perceptron")
    expect(page.get_by_role("button", name="Play")).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    page.get_by_role("button", name=button).click()
    expect(page.get_by_text(f"Tutorial {tutorial}'s set-up")).to_be_visible(timeout=ACT_MS)
    wait_until_idle(page)
    expect(page.get_by_text(f"= {updates:,} updates")).to_be_visible(timeout=ACT_MS)
    set_speed(page, "End")
    page.get_by_role("button", name="Play").click()
    expect(page.get_by_text(f"Training finished: all {epochs} epochs are done")).to_be_visible(
        timeout=TUTORIAL_MS)
    wait_until_idle(page)
    expect(metric(page, "Updates")).to_have_text(str(updates), timeout=ACT_MS)


def test_tutorial_001_set_up_reaches_the_printed_accuracy(page, app_url):
    """One click sets tutorial 001 up; trained to the end, 1.000 stands beside the printed 1.000."""
    train_tutorial_set_up(page, app_url, "Tutorial 001: two blobs", "001", 5000, 1000)
    expect(page.get_by_text("Tutorial 001 printed test accuracy 1.000")).to_be_visible(
        timeout=ACT_MS)
    expect(metric(page, "Test accuracy")).to_have_text("100%", timeout=ACT_MS)
    expect(page.get_by_text(re.compile(r"this run after all its epochs: 1\.000 \(50 of 50 test"))) \
        .to_be_visible(timeout=ACT_MS)
    page.get_by_role("button", name="Compare over 5 random starts").click()
    expect(page.get_by_text(re.compile(r"Over 5 random starts .*from 1\.000 to 1\.000"))) \
        .to_be_visible(timeout=TUTORIAL_MS)
    assert_no_exception(page)
    page.mouse.move(0, 0)  # no tooltip over the numbers
    page.get_by_text("Training finished").evaluate("e => e.scrollIntoView({block: 'start'})")
    screenshot(page, "perceptron_tutorial_001", full_page=False)


def test_tutorial_002_set_up_trains_10000_random_draws(page, app_url):
    train_tutorial_set_up(page, app_url, "Tutorial 002: the 8 points", "002", 10_000, 1250)
    expect(page.get_by_role("radio", name="drawn with replacement")).to_be_checked()
    expect(page.get_by_text(re.compile(r"before training; [\d.]+ after update 9,901"))) \
        .to_be_visible(timeout=ACT_MS)
    assert_no_exception(page)
    page.get_by_text("The last update, with its numbers").evaluate(
        "e => e.scrollIntoView({block: 'start'})")
    screenshot(page, "perceptron_tutorial_002", full_page=False)


def test_typing_the_tutorials_weights_sets_them_exactly(page, app_url):
    open_page(page, app_url, "perceptron")
    expect(page.get_by_role("button", name="Play")).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    for name, value in (("w₁ exactly", "1.45"), ("w₂ exactly", "-0.66"), ("b exactly", "0")):
        box = page.get_by_label(name)
        box.fill(value)
        box.press("Enter")
        wait_until_idle(page)
    for key, value in (("perceptron_w1", "1.45"), ("perceptron_w2", "-0.66")):  # the sliders follow
        expect(page.locator(f".st-key-{key} input[type=range]")).to_have_value(value, timeout=ACT_MS)
    expect(metric(page, "w₁")).to_have_text("1.45", timeout=ACT_MS)
    expect(metric(page, "w₂")).to_have_text("-0.66", timeout=ACT_MS)
    assert_no_exception(page)
    page.get_by_text("2. Set the weights by hand").evaluate("e => e.scrollIntoView({block: 'start'})")
    screenshot(page, "perceptron_exact_weights", full_page=False)


def test_the_loss_landscape_is_drawn_and_training_moves_the_star(page, app_url):
    """The sigmoid neuron's loss map: drawn, and the star (the current weights) moves as it learns."""
    open_page(page, app_url, "perceptron")
    expect(page.get_by_role("button", name="Play")).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    page.get_by_text("Sigmoid neuron (gradient descent)").click()
    wait_until_idle(page)
    landscape = page.locator(
        ".st-key-perceptron_landscape_chart:not([data-stale=true]) [data-testid=stPlotlyChart]")
    expect(landscape.locator(".main-svg").first).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    expect(landscape.locator(".contourlayer path").first).to_be_attached(timeout=ACT_MS)
    star = landscape.locator(".scatterlayer .trace").last.locator("path.point")  # "now"
    expect(star).to_have_count(1, timeout=ACT_MS)
    star_at_start = star.get_attribute("transform")
    loss_box = metric(page, "Loss at the star")
    loss_at_start = loss_box.inner_text()
    page.get_by_role("heading", name="The loss landscape").evaluate(
        "heading => heading.scrollIntoView({block: 'start'})")
    screenshot(page, "perceptron_landscape_start")

    set_speed(page, "Home")  # one update per frame
    page.get_by_role("button", name="Play").click()
    expect(page.get_by_role("button", name="Pause")).to_be_visible(timeout=ACT_MS)
    expect(star).not_to_have_attribute("transform", star_at_start, timeout=TRAIN_MS)
    expect(loss_box).not_to_have_text(loss_at_start, timeout=TRAIN_MS)
    page.get_by_role("button", name="Pause").click()
    paused = page.get_by_text(re.compile(r"Paused after update \d+"))
    expect(paused).to_be_visible(timeout=ACT_MS)
    wait_until_idle(page)
    updates = int(re.search(r"\d+", paused.inner_text()).group())
    assert updates > 0
    # the run's path is a drawn line from the start (plotly may merge points in a straight run)
    path = landscape.locator(".scatterlayer .trace").nth(-3).locator("path.js-line")
    expect(path).to_be_attached(timeout=ACT_MS)
    assert path.get_attribute("d").count("L") >= 1

    page.locator(".st-key-perceptron_landscape_compare label").click()  # the four optimizers' paths
    wait_until_idle(page)
    expect(landscape.locator(".legendtext", has_text="Adam")).to_be_visible(timeout=ACT_MS)
    expect(page.get_by_text(re.compile(r"Each optimizer made [\d,]+ updates"))).to_be_visible(
        timeout=ACT_MS)
    assert_no_exception(page)
    page.get_by_role("heading", name="The loss landscape").evaluate(
        "heading => heading.scrollIntoView({block: 'start'})")
    screenshot(page, "perceptron_landscape_compared")
