"""The Network playground in Chromium: presets train to high accuracy, links carry settings."""

import re
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import Page, expect

from helpers import LOAD_TIMEOUT_MS, assert_no_exception, open_page, screenshot

SPIRAL_PRESET = "Spiral: sine inputs and two layers of 8 (learns fast)"
TRAINING_TIMEOUT_MS = 90_000  # generous: the machine's 2 cores are shared


def open_playground(page: Page, app_url, query=""):
    """Open the playground (with an optional query string) and wait for its live view."""
    open_page(page, app_url, "playground" + (f"?{query}" if query else ""))
    expect(page.get_by_role("button", name="Reset")).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    expect(page.locator("[data-pg^=epoch]").first).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    assert_no_exception(page)


def url_settings(page: Page):
    return {name: values[-1] for name, values in parse_qs(urlparse(page.url).query).items()}


def number(locator):
    return float(locator.inner_text().replace(",", "").rstrip("%"))


def test_spiral_preset_reaches_90_percent_test_accuracy(page: Page, app_url):
    open_playground(page, app_url)
    page.get_by_role("combobox", name="Presets").click()
    page.get_by_role("option", name=SPIRAL_PRESET).click()
    graph = page.locator(".nnet")
    expect(graph).to_contain_text("sin(x₁)", timeout=LOAD_TIMEOUT_MS)  # the preset's inputs
    expect(page.locator("[data-pg=epoch]")).to_have_text("0")
    test_accuracy = page.locator("[data-pg=test-acc]")
    assert number(test_accuracy) < 90  # it starts untrained

    page.get_by_role("button", name="Play").click()
    page.wait_for_function(
        "() => { const e = document.querySelector('[data-pg=test-acc]');"
        " return e !== null && parseFloat(e.textContent) >= 90; }",
        timeout=TRAINING_TIMEOUT_MS)
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("button", name="Play")).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    assert number(test_accuracy) >= 90
    assert number(page.locator("[data-pg=epoch]")) >= 1
    assert url_settings(page)["data"] == "spiral"
    assert_no_exception(page)
    screenshot(page, "playground-spiral-trained", full_page=False)


def test_a_link_opens_with_its_settings(page: Page, app_url):
    query = ("data=spiral3&noise=10&seed=4&inputs=x1,x2,sinx1&hidden=8,3&act=relu"
             "&lr=0.1&opt=adam&discretize=1")
    open_playground(page, app_url, query)
    sidebar = page.locator("[data-testid=stSidebar]")
    expect(sidebar.get_by_role("combobox", name="Data set")).to_have_value("Spiral, 3 classes")
    expect(sidebar.get_by_role("spinbutton", name="Hidden layers")).to_have_value("2")
    expect(sidebar.get_by_role("spinbutton", name="Layer 1: units")).to_have_value("8")
    expect(sidebar.get_by_role("spinbutton", name="Layer 2: units")).to_have_value("3")
    expect(sidebar.get_by_role("combobox", name="Optimizer")).to_have_value("Adam")
    expect(sidebar.get_by_role("spinbutton", name="Data seed")).to_have_value("4")
    expect(sidebar.get_by_role("switch", name="Discretize output")).to_be_checked()
    pressed = "aria-pressed"
    expect(sidebar.get_by_role("button", name="sin(x₁)")).to_have_attribute(pressed, "true")
    expect(sidebar.get_by_role("button", name="x₁²")).to_have_attribute(pressed, "false")
    # the network drawn is the one in the link: 3 inputs, 8 and 3 ReLU units, 3 outputs
    graph = page.locator(".nnet")
    expect(graph).to_contain_text("8 ReLU")
    expect(graph).to_contain_text("3 ReLU")
    expect(graph).to_contain_text("softmax")
    expect(graph.locator("img.nd")).to_have_count(3 + 8 + 3 + 3)
    expect(page.locator(".pg-legend")).to_contain_text("class 2")
    # the address still holds the settings, now with every other one spelled out
    settings = url_settings(page)
    for name, value in (part.split("=") for part in query.split("&")):
        assert settings[name] == value, name
    assert settings["batch"] == "10" and settings["train"] == "50"
    screenshot(page, "playground-from-link", full_page=False)


def test_a_broken_link_falls_back_with_a_note(page: Page, app_url):
    open_playground(page, app_url, "hidden=99,x&lr=fast&data=circle")
    note = page.locator("[data-testid=stAlert]").filter(has_text="could not be used")
    expect(note).to_contain_text("hidden = “99,x”")
    expect(note).to_contain_text("lr = “fast”")
    expect(page.locator(".nnet")).to_contain_text("4 tanh")  # the default network
    expect(page).to_have_url(re.compile(r"hidden=4(%2C|,)2"))
    expect(page).to_have_url(re.compile(r"lr=0\.03"))
    assert_no_exception(page)


def test_weights_show_their_values_on_hover_and_settings_reach_the_url(page: Page, app_url):
    open_playground(page, app_url)
    first_link = page.locator(".nnet .lk").first
    expect(first_link).to_have_attribute(
        "title", re.compile(r"^weight from x₁ to unit 1 of layer 1: [+-]\d\.\d{4}$"))
    first_link.hover()  # the line is drawn dark while the pointer is on it
    expect(first_link).to_have_css("opacity", "1")
    hidden = page.locator("[data-testid=stSidebar]").get_by_role("spinbutton",
                                                                 name="Hidden layers")
    hidden.fill("1")
    hidden.press("Enter")
    expect(page).to_have_url(re.compile(r"hidden=4(&|$)"), timeout=LOAD_TIMEOUT_MS)
    expect(page.locator(".nnet")).not_to_contain_text("Layer 2")


def test_play_pause_and_compare_two_networks(page: Page, app_url):
    open_playground(page, app_url, "compare=1&b_lr=0.3")
    epoch_a, epoch_b = page.locator("[data-pg=epocha]"), page.locator("[data-pg=epochb]")
    expect(epoch_a).to_have_text("0")
    expect(epoch_b).to_have_text("0")
    page.get_by_role("button", name="Step").click()
    expect(epoch_a).to_have_text("1", timeout=LOAD_TIMEOUT_MS)
    expect(epoch_b).to_have_text("1")
    page.get_by_role("button", name="Play").click()
    expect(epoch_a).not_to_have_text(re.compile(r"^[01]$"), timeout=LOAD_TIMEOUT_MS)
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("button", name="Play")).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    # paused: both networks trained in lockstep and stopped at the same epoch
    expect(page.locator("[data-testid=stApp]")).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=LOAD_TIMEOUT_MS)
    expect(epoch_b).to_have_text(epoch_a.inner_text())
    assert number(epoch_a) >= 2
    assert url_settings(page)["b_lr"] == "0.3"
    assert_no_exception(page)
    screenshot(page, "playground-compare", full_page=False)
