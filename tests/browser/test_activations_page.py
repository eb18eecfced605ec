"""The Activations page in a real Chromium: charts on screen, the multiselect adds a curve."""

from helpers import LOAD_TIMEOUT_MS, assert_no_exception, open_page, screenshot, wait_until_idle
from playwright.sync_api import expect


def legend_entries(chart):
    """The legend texts of a plotly chart, as a locator."""
    return chart.locator(".legend .legendtext")


def test_activations_page_shows_charts_and_adds_a_curve(page, app_url):
    # Arrive as a learner does: the home page, then the link in the navigation.
    open_page(page, app_url, "")
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Activation functions").click()
    expect(page.get_by_role("heading", name="Activation functions", exact=True)).to_be_visible(
        timeout=LOAD_TIMEOUT_MS)
    charts = page.locator("[data-testid=stPlotlyChart]")
    value_chart, slope_chart = charts.nth(0), charts.nth(1)
    expect(legend_entries(value_chart)).to_have_text(["sigmoid", "tanh", "ReLU"],
                                                     timeout=LOAD_TIMEOUT_MS)
    wait_until_idle(page)
    assert_no_exception(page)
    expect(value_chart.locator(".main-svg").first).to_be_visible()
    expect(slope_chart.locator(".main-svg").first).to_be_visible()
    expect(value_chart.locator(".scatterlayer .trace")).to_have_count(3)   # three curves drawn
    screenshot(page, "activations_default", full_page=False)

    # Add GELU through the multiselect, as a learner would.
    multiselect = page.locator("[data-testid=stMultiSelect]").first
    multiselect.locator("input").click()
    page.get_by_role("option", name="GELU", exact=True).click()
    page.keyboard.press("Escape")
    expect(legend_entries(value_chart)).to_have_text(["sigmoid", "tanh", "ReLU", "GELU"],
                                                     timeout=LOAD_TIMEOUT_MS)
    wait_until_idle(page)
    expect(legend_entries(slope_chart)).to_have_text(["sigmoid", "tanh", "ReLU", "GELU"])
    assert_no_exception(page)

    # The XOR demo further down: tanh solves it.
    metric = page.locator("[data-testid=stMetric]").filter(has_text="Accuracy on XOR")
    metric.scroll_into_view_if_needed()
    expect(metric.locator("[data-testid=stMetricValue]")).to_have_text("100%",
                                                                       timeout=LOAD_TIMEOUT_MS)
    screenshot(page, "activations_xor", full_page=False)
