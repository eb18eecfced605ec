"""The command line: train prints JSON per epoch and saves; evaluate and predict read the model."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from engine.__main__ import main
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
