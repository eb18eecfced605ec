"""The command line: train prints JSON per epoch and saves; evaluate and predict read the model."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from engine import optimizers
from engine.__main__ import main, make_optimizer
from engine.preprocess import render_strokes

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "model.npz"
    out = subprocess.run(
        [sys.executable, "-m", "engine", "train", "--hidden", "64", "--epochs", "2",
         "--train-size", "3000", "--lr", "0.003", "--save", str(path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return path, [json.loads(line) for line in out.stdout.splitlines()]


def test_train_prints_one_json_line_per_epoch_and_saves(trained):
    path, lines = trained
    assert [line["epoch"] for line in lines] == [1, 2]
    assert lines[-1]["val_accuracy"] > 0.8 and lines[1]["loss"] < lines[0]["loss"]
    assert path.stat().st_size > 0


def test_evaluate_prints_accuracy_and_confusion_matrix(trained, capsys):
    path, lines = trained
    assert main(["evaluate", str(path)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["accuracy"] == pytest.approx(lines[-1]["val_accuracy"], abs=1e-6)
    matrix = np.array(result["confusion_matrix"])
    assert matrix.shape == (10, 10) and matrix.sum() == 10_000


def test_predict_reads_a_drawn_one(trained, tmp_path, capsys):
    path, _ = trained
    image = render_strokes([[(140, 40), (140, 240)]], width=24)  # a vertical stroke: a 1
    png = tmp_path / "one.png"
    Image.fromarray(image).save(png)
    assert main(["predict", str(path), str(png)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["prediction"] == 1 and sum(result["probabilities"]) == pytest.approx(1, abs=1e-4)


def test_errors_are_one_line_with_exit_status_2(tmp_path, capsys):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a model")
    assert main(["evaluate", str(bad)]) == 2
    assert "not a model file" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["train", "--hidden", "12,x"])


@pytest.mark.parametrize("hidden, message", [
    ("12,x", "write the number of units of each hidden layer"),
    ("90,,10", "got '90,,10'"),
    ("0", "each hidden layer needs at least 1 unit"),
])
def test_bad_hidden_sizes_are_argparse_errors(hidden, message, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["train", "--hidden", hidden])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "argument --hidden: hidden layers: " in err and message in err


@pytest.mark.parametrize("flags, expected", [
    (["--optimizer", "sgd", "--lr", "0.05", "--momentum", "0.9"],
     {"name": "sgd", "lr": 0.05, "momentum": 0.9, "nesterov": False, "weight_decay": 0.0}),
    (["--optimizer", "sgd"], {"name": "sgd", "lr": 0.001, "momentum": 0.0, "nesterov": False,
                              "weight_decay": 0.0}),
    (["--optimizer", "momentum", "--nesterov"],
     {"name": "momentum", "lr": 0.001, "momentum": 0.9, "nesterov": True, "weight_decay": 0.0}),
    (["--optimizer", "momentum", "--momentum", "0.5"],
     {"name": "momentum", "lr": 0.001, "momentum": 0.5, "nesterov": False, "weight_decay": 0.0}),
    ([], {"name": "adam", "lr": 0.001, "betas": (0.9, 0.999), "eps": 1e-8}),
])
def test_optimizer_flags(flags, expected, monkeypatch):
    import engine.__main__ as cli
    seen = {}
    monkeypatch.setattr(cli, "train", lambda args: seen.setdefault("opt", make_optimizer(args)))
    assert main(["train", *flags]) == 0
    assert isinstance(seen["opt"], optimizers.Optimizer)
    assert seen["opt"].config() == expected


def test_sgd_with_nesterov_and_no_momentum_is_an_error(capsys):
    assert main(["train", "--optimizer", "sgd", "--nesterov", "--epochs", "1",
                 "--train-size", "10"]) == 2
    assert "sgd: nesterov=True needs a momentum > 0" in capsys.readouterr().err
