"""Exporting a run in Chromium: the .zip the MNIST page's Save & load tab and the playground's
Export button download, unpacked and read back."""

import csv
import io
import json
import re
import zipfile
from pathlib import Path

from helpers import LOAD_TIMEOUT_MS, assert_no_exception, open_page, screenshot, wait_until_idle
from playwright.sync_api import expect

from engine import load_model

TRAIN_TIMEOUT_MS = 60_000  # the machine is shared: training may run slower than alone
MNIST_MEMBERS = {"README.txt", "config.json", "history.csv", "model.npz", "retrain.py"}


def download(page, button):
    """Click the download button named `button`; the downloaded zip's members (name -> bytes)."""
    with page.expect_download(timeout=LOAD_TIMEOUT_MS) as info:
        page.get_by_role("button", name=button).click()
    path = Path(info.value.path())
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        return info.value.suggested_filename, {name: archive.read(name)
                                               for name in archive.namelist()}


def history(members):
    return list(csv.DictReader(io.StringIO(members["history.csv"].decode())))


def test_the_mnist_page_exports_the_chosen_run(page, app_url):
    open_page(page, app_url, "mnist")
    page.get_by_role("button", name="Tutorial: 100 images", exact=True).click()
    done = page.locator("[data-testid=stAlertContentSuccess]").filter(has_text="Run 1 finished")
    expect(done).to_be_visible(timeout=TRAIN_TIMEOUT_MS)
    shown = re.search(r"(\d+\.\d)%", done.inner_text()).group(1)  # 'test accuracy 33.9%'
    page.get_by_role("tab", name="Save & load").click()
    expect(page.get_by_text("One .zip of this run")).to_be_visible()
    name, members = download(page, "Download the whole run (.zip)")
    assert name == "mnist-run1-784-90-10.zip"
    assert set(members) == MNIST_MEMBERS
    config = json.loads(members["config.json"])
    assert config["config"]["train_size"] == 100 and config["status"] == "finished"
    assert f"{config['test_accuracy']:.1%}" == f"{shown}%"
    assert load_model(members["model.npz"]).sizes == [784, 90, 10]
    assert [row["epoch"] for row in history(members)] == ["0", "1"]
    assert b"TRAIN_SIZE = 100" in members["retrain.py"]
    assert_no_exception(page)
    screenshot(page, "mnist_export")


def test_the_playground_exports_its_network_paused_or_playing(page, app_url):
    open_page(page, app_url, "playground")
    epoch = page.locator("[data-pg=epoch]")
    expect(epoch).to_have_text("0", timeout=LOAD_TIMEOUT_MS)
    page.get_by_role("button", name="Step").click()
    expect(epoch).to_have_text("1", timeout=LOAD_TIMEOUT_MS)
    wait_until_idle(page)
    name, members = download(page, "Export")
    assert name == "playground-circle.zip"
    assert set(members) == MNIST_MEMBERS  # the same five files
    network = json.loads(members["config.json"])["networks"]["A"]
    assert (network["epochs"], network["sizes"]) == (1, [2, 4, 2, 1])
    assert [row["epoch"] for row in history(members)] == ["0", "1"]
    shown = page.locator("[data-pg=test-acc]").inner_text()  # '52.4%'
    assert f"{network['test_accuracy'] * 100:.1f}%" == shown

    # While it plays: the zip holds the network as it was at the click.
    page.get_by_role("button", name="Play").click()
    page.wait_for_function("() => parseInt(document.querySelector('[data-pg=epoch]')"
                           ".textContent) >= 5", timeout=TRAIN_TIMEOUT_MS)
    _, members = download(page, "Export")
    network = json.loads(members["config.json"])["networks"]["A"]
    assert network["epochs"] >= 5
    model = load_model(members["model.npz"])
    assert model.training_config["epochs"] == network["epochs"]
    assert history(members)[-1]["epoch"] == str(network["epochs"])
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("button", name="Play")).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    assert_no_exception(page)
    screenshot(page, "playground_export")
