"""Clicks that start new script runs while the old one is still training (Streamlit's fast reruns).

A full rerun can start while the previous script thread is still inside the page's
training chunk: then two threads reach the same run. ui.jobs.Job lets one step at a
time. These tests make such overlaps on purpose, as a hurried learner would, and
check that the run goes on, can be stopped, and nothing fails.
"""

import pytest
from helpers import assert_no_exception, open_page, wait_until_idle
from playwright.sync_api import expect

START_TIMEOUT_MS = 60_000
ATTEMPTS = 2  # each test runs twice in the suite; run it with -k and a loop for more


def open_mnist(page, app_url):
    open_page(page, app_url, "mnist")
    expect(page.get_by_role("heading", name="Train a network on MNIST")).to_be_visible()


def assert_training_then_stop(page, server_log, mark):
    """The run is still going (its Stop button is there), Stop ends it as 'stopped', no error."""
    page.get_by_role("tab", name="Train").click()
    stop = page.get_by_role("button", name="Stop")
    expect(stop).to_be_visible(timeout=START_TIMEOUT_MS)
    stop.click()
    stopped = page.locator("[data-testid=stAlertContentWarning]").filter(has_text="stopped")
    expect(stopped.first).to_be_visible(timeout=START_TIMEOUT_MS)
    wait_until_idle(page)
    assert_no_exception(page)
    expect(page.get_by_text("stopped on an error in the program")).to_have_count(0)
    expect(page.get_by_role("button", name="Stop")).to_have_count(0)
    expect(page.get_by_role("button", name="Train", exact=True)).to_be_enabled()
    assert "Traceback" not in server_log.since(mark)


@pytest.mark.parametrize("attempt", range(ATTEMPTS))
def test_data_tab_clicks_while_training_leave_one_run_training(page, app_url, server_log,
                                                               attempt):
    open_mnist(page, app_url)
    mark = server_log.mark()
    page.get_by_role("button", name="Best: 98%", exact=True).click()
    expect(page.locator("[data-testid=stProgress]")).to_be_visible(timeout=START_TIMEOUT_MS)
    page.get_by_role("tab", name="The data").click()
    plus = page.locator("[data-testid=stNumberInputStepUp]:visible").first
    for _ in range(6):  # each click is a full rerun; they come faster than a training chunk
        plus.click()
    expect(page.get_by_label("First image shown")).to_have_value("120", timeout=START_TIMEOUT_MS)
    assert_no_exception(page)
    assert_training_then_stop(page, server_log, mark)


@pytest.mark.parametrize("attempt", range(ATTEMPTS))
def test_train_clicked_twice_starts_one_run(page, app_url, server_log, attempt):
    open_mnist(page, app_url)
    mark = server_log.mark()
    # The preset fills the form with a long run; stop it, then train the form twice at once.
    page.get_by_role("button", name="Best: 98%", exact=True).click()
    assert_training_then_stop(page, server_log, mark)
    page.get_by_role("button", name="Train", exact=True).dblclick()
    expect(page.locator("[data-testid=stProgress]")).to_be_visible(timeout=START_TIMEOUT_MS)
    assert_no_exception(page)
    assert_training_then_stop(page, server_log, mark)
    # At most the two clicks' runs, and none of them failed.
    page.get_by_role("tab", name="Compare runs").click()
    expect(page.get_by_text("failed")).to_have_count(0)
