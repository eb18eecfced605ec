"""The MNIST page in a real Chromium: train a preset live, stop a run, refuse a corrupt upload."""

import re

from helpers import assert_no_exception, open_page, screenshot, wait_until_idle
from playwright.sync_api import expect

TRAIN_TIMEOUT_MS = 60_000  # the machine is shared: training may run slower than alone


def loss_points(page):
    """Number of points of the live loss curve (the first chart of the progress panel)."""
    return page.evaluate(
        """() => {
            const plot = document.querySelector('[data-testid=stPlotlyChart] .js-plotly-plot');
            if (!plot || !plot.data || !plot.data.length || !plot.data[0].x) return 0;
            return plot.data[0].x.length;
        }"""
    )


HISTOGRAM_JS = """() => {
    const plot = [...document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot')]
        .find(p => p.offsetParent && p.layout && p.layout.title
              && String(p.layout.title.text).includes('net inputs z'));
    if (!plot || !plot._fullData || !plot._fullData.length || !plot._fullData[0].y) return null;
    const y = Array.from(plot._fullData[0].y, Number);  // plotly's decoded copy of the counts
    return {values: y.reduce((a, b) => a + b, 0), first: y.join(','), curves: plot.data.length,
            axis: String(plot.layout.xaxis.title.text)};
}"""


def histogram(page):
    """The visible hidden-layer histogram: its number of values, its counts, its z axis."""
    return page.evaluate(HISTOGRAM_JS)


def percent_in(text):
    """The first 'NN.N%' in a text, as a number."""
    return float(re.search(r"(\d+(?:\.\d+)?)%", text).group(1))


def open_mnist(page, app_url):
    """Open the app at home, then follow the sidebar link, as a learner would."""
    open_page(page, app_url, "")
    page.get_by_role("link", name="Train on MNIST").click()
    expect(page.get_by_role("heading", name="Train a network on MNIST")).to_be_visible()
    wait_until_idle(page)


def choose_preset(page, label):
    """One click on a preset fills the settings and starts training."""
    page.get_by_role("button", name=label, exact=True).click()


def test_quickest_preset_trains_live_and_shows_accuracy(page, app_url):
    open_mnist(page, app_url)
    assert_no_exception(page)
    expect(page.get_by_role("heading", name="Train a network on MNIST")).to_be_visible()
    expect(page.get_by_text("No training yet")).to_be_visible()
    screenshot(page, "mnist_start", full_page=False)

    choose_preset(page, "Tutorial: 100 images")
    done = page.locator("[data-testid=stAlertContentSuccess]").filter(has_text="Run 1 finished")
    expect(done).to_be_visible(timeout=TRAIN_TIMEOUT_MS)
    # The page's run that shows the result also swaps the live charts for the final ones
    # (the live ones span the page, the final ones sit beside the form): wait until it ends.
    wait_until_idle(page)
    assert_no_exception(page)
    # The tutorial's network on 100 images: far from random weights' 10%, far from good.
    accuracy = percent_in(done.inner_text())
    assert 20.0 < accuracy < 60.0, done.inner_text()
    # The loss chart holds the 100 batches' losses; the accuracy chart epochs 0 and 1.
    assert loss_points(page) == 100
    expect(page.get_by_text("100 training images seen")).to_be_visible()
    screenshot(page, "mnist_tutorial_done", full_page=False)

    # The Results tab shows the same accuracy, the confusion matrix and the galleries.
    page.get_by_role("tab", name="Results").click()
    metric = page.locator("[data-testid=stMetric]:visible").filter(has_text="Test accuracy")
    expect(metric.first).to_be_visible()
    assert abs(percent_in(metric.first.inner_text()) - accuracy) < 0.1
    expect(page.get_by_text("Misread test digits")).to_be_visible()
    screenshot(page, "mnist_results")
    # Inside the hidden layer: z of the 90 sigmoid units on 500 test images, over f and f'.
    expect(page.get_by_text("of the values saturated")).to_be_visible()
    page.wait_for_function(f"() => ({HISTOGRAM_JS})() !== null")
    drawn = histogram(page)
    assert drawn["values"] == 500 * 90 and drawn["curves"] == 3
    assert drawn["axis"] == "net input z (500 images × 90 units)"


def test_stop_keeps_the_partly_trained_model(page, app_url):
    open_mnist(page, app_url)
    choose_preset(page, "Best: 98%")
    progress = page.locator("[data-testid=stProgress]")
    expect(progress).to_be_visible(timeout=TRAIN_TIMEOUT_MS)
    stop = page.get_by_role("button", name="Stop")
    expect(stop).to_be_visible()

    # The loss curve grows while training runs: the chart is redrawn live.
    page.wait_for_function(
        """() => {
            const plot = document.querySelector('[data-testid=stPlotlyChart] .js-plotly-plot');
            return plot && plot.data && plot.data[0].x && plot.data[0].x.length >= 3;
        }""", timeout=TRAIN_TIMEOUT_MS)
    first = loss_points(page)
    page.wait_for_function(
        f"""() => {{
            const plot = document.querySelector('[data-testid=stPlotlyChart] .js-plotly-plot');
            return plot.data[0].x.length > {first};
        }}""", timeout=TRAIN_TIMEOUT_MS)
    expect(progress).to_contain_text(
        re.compile(r"Epoch \d+ of 10 · \d+% · (about .* left|starting)"))
    screenshot(page, "mnist_training_live", full_page=False)
    # The first hidden layer's net inputs, drawn and redrawn while it trains.
    page.wait_for_function(f"() => ({HISTOGRAM_JS})() !== null", timeout=TRAIN_TIMEOUT_MS)
    drawn = histogram(page)
    assert drawn["values"] == 500 * 256 and drawn["curves"] == 3
    page.wait_for_function(f"() => ({HISTOGRAM_JS})().first !== {drawn['first']!r}",
                           timeout=TRAIN_TIMEOUT_MS)
    expect(page.get_by_text(re.compile(r"\d+ of 256 units dead"))).to_be_visible()

    stop.click()
    stopped = page.locator("[data-testid=stAlertContentWarning]").filter(has_text="Run 1 stopped")
    expect(stopped).to_be_visible(timeout=5_000)  # acts within a chunk, well under 5 s
    wait_until_idle(page)
    assert_no_exception(page)
    expect(page.get_by_role("button", name="Stop")).to_have_count(0)
    # A few hundred batches already read most digits: far above random weights' 10%.
    assert percent_in(stopped.inner_text().split("accuracy of")[1]) > 50.0
    # The form is usable again.
    expect(page.get_by_role("button", name="Train", exact=True)).to_be_enabled()
    screenshot(page, "mnist_stopped", full_page=False)


def test_corrupt_upload_shows_an_error_and_changes_nothing(page, app_url):
    open_mnist(page, app_url)
    page.get_by_role("tab", name="Save & load").click()
    uploader = page.locator("[data-testid=stFileUploaderDropzoneInput]")
    uploader.set_input_files(files=[{
        "name": "corrupt.npz", "mimeType": "application/octet-stream",
        "buffer": b"PK\x03\x04 this is not really a zip file",
    }])
    error = page.locator("[data-testid=stAlertContentError]").filter(has_text="corrupt.npz")
    expect(error).to_be_visible(timeout=15_000)
    expect(error).to_contain_text("Nothing was changed")
    assert_no_exception(page)
    screenshot(page, "mnist_corrupt_upload", full_page=False)
    page.get_by_role("tab", name="Results").click()
    expect(page.get_by_text("Train a network (or upload one")).to_be_visible()
