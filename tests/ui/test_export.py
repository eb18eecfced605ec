"""ui/export.py: a run's .zip, unpacked, read back, and its retrain.py run in a subprocess.

Each retrain.py runs with sys.executable in a temporary folder, with no
PYTHONPATH, pointed at the repository with --repo (one test runs it from the
repository's folder instead), and must print the run's own final test
accuracy: the same count of test examples right. MNIST scripts also save
their model (--save), which must hold the run's very weights.
"""

import csv
import io
import itertools
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import parse_qsl

import numpy as np
import pytest

from engine import Trainer, build_mlp, datasets, load_model, optimizers, save_model
from engine.saving import MAX_HISTORY
from ui import export, jobs, networks
from ui import mnist_setup as setup
from ui import url_state as us

REPO = Path(__file__).resolve().parents[2]
SCRIPT_TIMEOUT_S = 300  # generous: the machine is shared; the scripts take a few seconds
MNIST_MEMBERS = {"README.txt", "config.json", "history.csv", "model.npz", "retrain.py"}


@pytest.fixture(scope="module")
def data():
    return setup.load_data()


def mnist_job(data, **changes):
    config = setup.check_config({**setup.DEFAULT_CONFIG, **changes})
    return jobs.Job(setup.job_configs(config), data, itertools.count(1).__next__,
                    gate=jobs.Gate(None), line=jobs.Line(None))


def finished_run(data, **changes):
    job = mnist_job(data, **changes)
    for _ in range(10_000):
        if job.done:
            return job.runs[0]
        job.step(1.0)
    raise AssertionError("the run did not end")


def unzip(content):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def history_rows(members):
    return list(csv.DictReader(io.StringIO(members["history.csv"].decode())))


def run_script(folder, members, *args, cwd=None):
    """Write the zip's members to `folder`, run its retrain.py; its output (it must succeed)."""
    for name, content in members.items():
        (folder / name).write_bytes(content)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, str(folder / "retrain.py"), *args], cwd=cwd or folder,
                          env=env, capture_output=True, text=True, timeout=SCRIPT_TIMEOUT_S)
    assert done.returncode == 0, done.stderr
    return done.stdout


def counts(output):
    """Every '(right of total test ...)' the script printed, as (right, total) pairs."""
    return [(int(a.replace(",", "")), int(b.replace(",", "")))
            for a, b in re.findall(r"\(([\d,]+) of ([\d,]+) test", output)]


def number(text):
    return None if text == "" else float(text)


# ------------------------------------------------------------------------- MNIST


def test_an_mnist_run_exports_and_its_script_retrains_the_same_weights(data, tmp_path):
    run = finished_run(data, epochs=2)  # the tutorial's network on 100 images, twice
    members = unzip(export.mnist_zip(run))
    assert set(members) == MNIST_MEMBERS
    # model.npz: the run's model, exactly.
    model = load_model(members["model.npz"])
    assert model.sizes == [784, 90, 10] and model.input_scaling == "tutorial"
    np.testing.assert_array_equal(model.params, run.model.params)
    # history.csv: epoch 0 (the starting weights), then Run.history's numbers, exactly.
    rows = history_rows(members)
    assert [row["epoch"] for row in rows] == ["0", "1", "2"]
    assert number(rows[0]["test_loss"]) == run.start["val_loss"]
    assert number(rows[0]["test_accuracy"]) == run.start["val_accuracy"]
    assert rows[0]["train_loss"] == rows[0]["images_seen"] == ""
    for row, epoch in zip(rows[1:], run.history):
        for engine_name, column in export.MNIST_COLUMNS.items():
            assert number(row[column]) == epoch[engine_name], column
    assert rows[2]["images_seen"] == "200"
    # config.json: the form's configuration of the run, and how it ended.
    config = json.loads(members["config.json"])
    assert config["config"] == run.config and config["status"] == "finished"
    assert config["test_accuracy"] == run.results["accuracy"]
    assert "Run 1 of the MNIST page (finished)" in members["README.txt"].decode()
    # retrain.py: the same weights, the same test accuracy.
    output = run_script(tmp_path, members, "--repo", str(REPO), "--save", "again.npz")
    right = round(run.results["accuracy"] * 10_000)
    assert counts(output) == [(right, 10_000)], output
    assert f"Epoch 2: training loss {run.history[-1]['loss']:.4f}" in output
    np.testing.assert_array_equal(load_model(tmp_path / "again.npz").params, run.model.params)


def test_a_stopped_run_says_so_and_its_script_trains_the_full_run_or_stops_where_it_did(
        data, tmp_path):
    job = mnist_job(data, hidden="20", train_size=1_000, batch_size=10, epochs=2, shuffle=True,
                    output="softmax_ce", init="glorot", scaling="unit", optimizer="adam",
                    lr=0.001)
    for _ in range(3):
        job.step(0.0)  # one Trainer.step each: 1 + at most 4 + at most 16 batches
    job.stop()
    run = job.runs[0]
    stopped = run.batches_done
    assert run.status == "stopped" and 0 < stopped < run.batches_total == 200
    members = unzip(export.mnist_zip(run))
    readme = members["README.txt"].decode()
    assert f"stopped after {stopped:,} of 200 batches" in readme
    assert "retrain.py trains the full configured run (2 epochs, 200 batches)" in readme
    assert f"python retrain.py --batches {stopped}`" in readme
    config = json.loads(members["config.json"])
    assert (config["status"], config["batches_trained"]) == ("stopped", stopped)
    assert "trains the full configured run" in config["retrain_py"]
    assert [row["epoch"] for row in history_rows(members)] == ["0"]  # no epoch ended
    # --batches: the stopped run's weights and accuracy; without: the whole run.
    output = run_script(tmp_path, members, "--repo", str(REPO), "--batches", str(stopped),
                        "--save", "stopped.npz")
    assert counts(output) == [(round(run.results["accuracy"] * 10_000), 10_000)]
    np.testing.assert_array_equal(load_model(tmp_path / "stopped.npz").params,
                                  run.model.params)
    output = run_script(tmp_path, members, "--repo", str(REPO))
    assert "Trained 200 batches" in output and "Epoch 2:" in output


def test_an_uploaded_model_gives_its_model_and_history_only(data):
    model = build_mlp([784, 10], "sigmoid", "softmax", seed=3)
    Trainer(model, data["X_train"][:100], data["y_train"][:100], epochs=2, batch_size=50,
            optimizer=optimizers.get("adam", lr=0.001), loss="cross_entropy").run()
    run = jobs.Run.from_upload(1, "mine\n.npz", load_model(save_model(model)), data)
    members = unzip(export.mnist_zip(run))
    assert set(members) == {"README.txt", "history.csv", "model.npz"}
    np.testing.assert_array_equal(load_model(members["model.npz"]).params, model.params)
    rows = history_rows(members)
    assert [row["epoch"] for row in rows] == ["1", "2"]
    for row, epoch in zip(rows, model.history):
        assert number(row["train_loss"]) == epoch["loss"]
    readme = members["README.txt"].decode()
    assert "uploaded model mine?.npz" in readme  # the file's name on one line
    assert "no config.json and no retrain.py" in readme


# --------------------------------------------------------------------- playground


def playground_runs(shared, nets, epochs, csv_points=None):
    """The page's Runs, trained whole epochs as Play does, recorded after each chunk."""
    data = networks.load_data(shared, csv_points)
    runs = {c: networks.Run(nets[c], data, shared["wseed"])
            for c in (us.NETS if shared["compare"] else us.NETS[:1])}
    for chunk in epochs:
        for run in runs.values():
            run.train_epochs(chunk)
            run.record()
    return runs, data


def check_playground_zip(members, runs):
    """model file(s) and history.csv hold the runs' weights and curves, exactly."""
    models = ["model.npz"] if len(runs) == 1 else [f"model_{c}.npz" for c in runs]
    assert set(members) >= {"README.txt", "config.json", "history.csv", "retrain.py", *models}
    for name, run in zip(models, runs.values()):
        model = load_model(members[name])
        np.testing.assert_array_equal(model.params, run.model.params)
        assert model.training_config["epochs"] == run.epoch
    rows = history_rows(members)
    for c, run in runs.items():
        mine = [row for row in rows if row["network"] == c.upper()]
        assert [int(row["epoch"]) for row in mine] == run.curves["epoch"]
        for name, column in export.PLAYGROUND_COLUMNS.items():
            assert [number(row[column]) for row in mine] == run.curves[name], column


def expected_counts(runs):
    return [(round(run.latest("test_acc") * len(run.y_test)), len(run.y_test))
            for run in runs.values()]


def test_a_playground_network_exports_and_its_script_retrains_to_the_same_accuracy(tmp_path):
    shared, nets = us.defaults()  # circle, 500 points, 2-4-2-1 tanh, SGD 0.03, batch 10
    runs, data = playground_runs(shared, nets, epochs=[2, 3, 3])
    members = unzip(export.playground_zip(runs, data, shared, nets))
    check_playground_zip(members, runs)
    assert "points.csv" not in members
    config = json.loads(members["config.json"])
    assert dict(parse_qsl(config["link"][1:])) == us.settings_to_url(shared, nets)
    assert config["networks"]["A"]["epochs"] == 8
    readme = members["README.txt"].decode()
    assert "The network had trained 8 epochs when this was downloaded" in readme
    assert "does not train the same way" in readme
    # From the app's folder, as README.txt says first: no --repo.
    output = run_script(tmp_path, members, cwd=REPO)
    assert counts(output) == expected_counts(runs) and "after 8 epochs" in output
    assert f"test loss {runs['a'].latest('test_loss'):.4f}," in output


def test_two_compared_networks_export_together(tmp_path):
    shared, nets = us.preset_settings("Compare: tanh against ReLU on the spiral")
    runs, data = playground_runs(shared, nets, epochs=[3])
    members = unzip(export.playground_zip(runs, data, shared, nets))
    check_playground_zip(members, runs)
    assert "model.npz" not in members
    output = run_script(tmp_path, members, "--repo", str(REPO))
    assert counts(output) == expected_counts(runs)
    assert "Network A after 3 epochs" in output and "Network B after 3 epochs" in output


def test_a_csv_data_set_ships_its_points(tmp_path):
    shared, nets = us.defaults()
    shared.update(data=us.CSV, train=70)
    rng = np.random.default_rng(1)
    X = rng.normal(scale=30.0, size=(80, 2))  # beyond ±10: the page rescales them
    text = "\n".join(f"{a},{b},{'1' if a * b > 0 else '-1'}" for a, b in X)
    nets["a"].update(inputs=["x1", "x2", "x1x2"], opt="adam", lr=0.03, reg="l2", rate=0.001)
    runs, data = playground_runs(shared, nets, epochs=[4], csv_points=datasets.from_csv(text))
    assert data.note  # rescaled
    members = unzip(export.playground_zip(runs, data, shared, nets))
    check_playground_zip(members, runs)
    points = list(csv.DictReader(io.StringIO(members["points.csv"].decode())))
    train = np.array([[float(p["x1"]), float(p["x2"])] for p in points if p["set"] == "train"],
                     np.float32)
    np.testing.assert_array_equal(train, data.X_train)
    output = run_script(tmp_path, members, "--repo", str(REPO))
    assert counts(output) == expected_counts(runs)


def test_a_diverged_network_is_retrained_into_the_epoch_where_it_diverged(tmp_path):
    shared, nets = us.defaults()
    nets["a"].update(hidden=[16, 16, 16], act=["relu"], lr=10.0, batch=1)  # far too large
    runs, data = playground_runs(shared, nets, epochs=[1, 1])
    run = runs["a"]
    assert run.error and run.epoch == 0  # it diverged in its first epoch, and kept its weights
    members = unzip(export.playground_zip(runs, data, shared, nets))
    np.testing.assert_array_equal(load_model(members["model.npz"]).params, run.model.params)
    network = json.loads(members["config.json"])["networks"]["A"]
    assert (network["epochs"], network["epochs_completed"]) == (1, 0)
    assert "Its training diverged in epoch 1" in members["README.txt"].decode()
    output = run_script(tmp_path, members, "--repo", str(REPO))
    assert "Network A: training diverged" in output
    loss, accuracy = run.model.evaluate(run.X_test, run.y_test, loss=run.loss)
    assert counts(output) == [(round(accuracy * len(run.y_test)), len(run.y_test))]


def test_a_long_playground_run_still_gives_a_model_file_load_model_reads(tmp_path):
    shared, nets = us.defaults()
    shared.update(points=us.MIN_POINTS)  # 10 training points: one batch per epoch
    runs, data = playground_runs(shared, nets, epochs=[MAX_HISTORY + 5])
    assert len(runs["a"].model.history) == MAX_HISTORY + 5
    members = unzip(export.playground_zip(runs, data, shared, nets))
    check_playground_zip(members, runs)
    history = load_model(members["model.npz"]).history
    assert [h["epoch"] for h in history] == list(range(6, MAX_HISTORY + 6))
    assert len(runs["a"].model.history) == MAX_HISTORY + 5  # the page's model is unchanged
    output = run_script(tmp_path, members, "--repo", str(REPO))
    assert counts(output) == expected_counts(runs)


def test_retrain_says_where_the_app_must_be_when_it_cannot_find_it(tmp_path):
    shared, nets = us.defaults()
    runs, data = playground_runs(shared, nets, epochs=[1])
    (tmp_path / "retrain.py").write_bytes(
        unzip(export.playground_zip(runs, data, shared, nets))["retrain.py"])
    done = subprocess.run([sys.executable, "retrain.py"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=SCRIPT_TIMEOUT_S)
    assert done.returncode == 1
    assert "no engine/ folder" in done.stderr and "--repo" in done.stderr


def test_an_empty_export_is_refused():
    with pytest.raises(ValueError, match="no network"):
        export.playground_zip({}, None, *us.defaults())
