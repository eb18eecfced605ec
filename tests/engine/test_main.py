"""The command line: train prints JSON per epoch and saves; evaluate and predict read the model.

Every error is one line on stderr with exit status 2, a bad argument refused before
training starts; a run that ends unstable exits 3.
"""

import json
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import engine.__main__ as cli
from engine import load_model, optimizers
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
    assert "not a model file" in one_line(capsys.readouterr().err)


def one_line(err):
    """The one line of an error message (and that there is exactly one)."""
    assert err.startswith("error: ") and err.count("\n") == 1, err
    return err


def refused(argv, capsys):
    """The error line of an argument refused before anything runs (exit status 2)."""
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # no epoch trained
    return one_line(captured.err)


@pytest.fixture
def mnist_calls(monkeypatch):
    """How often the command loaded MNIST (what training starts with)."""
    calls = []
    load = cli.load_mnist

    def counted():
        calls.append(1)
        return load()

    monkeypatch.setattr(cli, "load_mnist", counted)
    return calls


@pytest.mark.parametrize("hidden, message", [
    ("12,x", "write the number of units of each hidden layer"),
    ("90,,10", "got '90,,10'"),
    ("²", "got '²'"),
    ("0", "each hidden layer needs 1 to 4096 units, got '0'"),
    ("64,5000", "each hidden layer needs 1 to 4096 units, got '64,5000'"),
    ("9" * 5000, "each hidden layer needs 1 to 4096 units, got a number of 5,000 digits"),
    (",".join(["8"] * 32), "at most 31 hidden layers, got 32"),
])
def test_bad_hidden_sizes_are_argparse_errors(hidden, message, capsys):
    err = refused(["train", "--hidden", hidden], capsys)
    assert "argument --hidden: hidden layers: " in err and message in err
    assert len(err) < 300


@pytest.mark.parametrize("flag, value, message", [
    ("--train-size", "-1", "expected a whole number 0 to 60,000, got '-1'"),
    ("--train-size", "60001", "expected a whole number 0 to 60,000, got '60001'"),
    ("--lr", "nan", "expected a finite number > 0, got 'nan'"),
    ("--lr", "inf", "expected a finite number > 0, got 'inf'"),
    ("--lr", "0", "expected a finite number > 0"),
    ("--lr", "-0.1", "expected a finite number > 0"),
    ("--lr", "fast", "expected a finite number > 0, got 'fast'"),
    ("--lr-decay", "0", "expected a number in (0, 1], got '0'"),
    ("--lr-decay", "1.5", "expected a number in (0, 1]"),
    ("--momentum", "1", "expected a number in [0, 1), got '1'"),
    ("--momentum", "-0.5", "expected a number in [0, 1)"),
    ("--epochs", "0", "expected a whole number 1 to 1,000, got '0'"),
    ("--epochs", "1001", "expected a whole number 1 to 1,000"),
    ("--epochs", "2.5", "expected a whole number 1 to 1,000, got '2.5'"),
    ("--batch-size", "0", "expected a whole number >= 1, got '0'"),
    ("--batch-size", "9" * 5000, "expected a whole number >= 1, got '9999"),
    ("--seed", "-1", "expected a whole number >= 0"),
])
def test_bad_numbers_are_refused_in_one_line(flag, value, message, capsys, mnist_calls):
    err = refused(["train", flag, value], capsys)
    assert err.startswith(f"error: argument {flag}: ") and message in err
    assert err.endswith("see python -m engine train --help\n") and len(err) < 300
    assert mnist_calls == []


def test_save_to_a_missing_or_unusable_place_is_refused_before_training(tmp_path, capsys,
                                                                        mnist_calls):
    a_file = tmp_path / "a_file"
    a_file.write_text("")
    for path, message in [(tmp_path / "missing" / "m.npz", "there is no folder"),
                          (a_file / "m.npz", "there is no folder"),
                          (tmp_path, "is a folder; give a file name"),
                          ("", "give a file name")]:
        err = refused(["train", "--epochs", "1", "--train-size", "100", "--save", str(path)],
                      capsys)
        assert err.startswith("error: argument --save: ") and message in err
    assert mnist_calls == []


def test_a_network_too_large_to_save_is_refused_before_training(tmp_path, capsys, mnist_calls):
    assert main(["train", "--hidden", "4096,4096", "--save", str(tmp_path / "m.npz")]) == 2
    assert "cannot be saved (a model file holds at most 5,000,000)" in one_line(
        capsys.readouterr().err)
    assert mnist_calls == []


def test_an_unstable_run_exits_3_with_advice_and_keeps_the_model(tmp_path, capsys):
    path = tmp_path / "m.npz"
    assert main(["train", "--hidden", "32", "--train-size", "500", "--epochs", "1",
                 "--lr", "1e6", "--save", str(path)]) == 3
    captured = capsys.readouterr()
    epoch = json.loads(captured.out)
    assert captured.err.count("\n") == 1 and captured.err.startswith("unstable: the test loss")
    assert f"ended at {epoch['val_loss']:.4g}, far above the 2." in captured.err
    assert "try 10 times smaller, --lr 100000" in captured.err
    assert load_model(path).history[0]["val_loss"] == epoch["val_loss"]


def test_a_loss_that_becomes_nan_stays_exit_2(capsys):
    assert main(["train", "--hidden", "16", "--train-size", "200", "--epochs", "1",
                 "--optimizer", "sgd", "--lr", "1e30"]) == 2
    assert "the loss diverged" in one_line(capsys.readouterr().err)


def test_a_stable_run_exits_0(capsys):
    assert main(["train", "--hidden", "16", "--train-size", "500", "--epochs", "1"]) == 0
    captured = capsys.readouterr()
    assert captured.err == "" and json.loads(captured.out)["epoch"] == 1


def test_an_unexpected_exception_is_one_line_without_paths(monkeypatch, capsys):
    def broken():
        raise KeyError("/srv/app/data/secret.gz")

    monkeypatch.setattr(cli, "load_mnist", broken)
    assert main(["train", "--epochs", "1"]) == 2
    err = one_line(capsys.readouterr().err)
    assert err == ("error: unexpected KeyError in `train`; please report it with the command "
                   "you ran\n")
    monkeypatch.setattr(cli, "load_model", lambda path: 1 / 0)
    assert main(["evaluate", "/srv/app/model.npz"]) == 2
    assert "unexpected ZeroDivisionError" in one_line(capsys.readouterr().err)


def test_ctrl_c_is_one_line_with_exit_status_130(monkeypatch, capsys):
    def interrupted():
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "load_mnist", interrupted)
    assert main(["train", "--epochs", "1"]) == 130
    assert one_line(capsys.readouterr().err) == "error: interrupted\n"


def test_a_save_that_fails_after_training_is_one_line(tmp_path, monkeypatch, capsys):
    def disk_full(model, path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cli, "save_model", disk_full)
    assert main(["train", "--hidden", "8", "--train-size", "100", "--epochs", "1",
                 "--save", str(tmp_path / "m.npz")]) == 2
    assert "cannot write the model to" in one_line(capsys.readouterr().err)


def png_header(width, height):
    """A PNG that only declares its size: what Pillow reads before it decodes anything."""
    def chunk(kind, data):
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1 bit per pixel, grey
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b""))
            + chunk(b"IEND", b""))


@pytest.mark.parametrize("width, height, message", [
    (15000, 15000, "is too large: at most 4096 x 4096 pixels are read"),  # Pillow's bomb error
    (5000, 300, "is too large: at most 4096 x 4096 pixels are read, it has 5000 x 300"),
])
def test_a_huge_image_is_refused_before_it_is_decoded(width, height, message, tmp_path, capsys):
    png = tmp_path / "huge.png"
    png.write_bytes(png_header(width, height))
    assert main(["predict", str(ROOT / "assets" / "mnist_model.npz"), str(png)]) == 2
    assert message in one_line(capsys.readouterr().err)


def test_a_file_that_is_no_image_is_one_line(tmp_path, capsys):
    text = tmp_path / "digit.png"
    text.write_text("not a picture")
    assert main(["predict", str(ROOT / "assets" / "mnist_model.npz"), str(text)]) == 2
    assert "cannot read image" in one_line(capsys.readouterr().err)


def test_evaluate_dev_zero_is_refused(capsys):
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    assert main(["evaluate", "/dev/zero"]) == 2
    assert "larger than 64 MB" in one_line(capsys.readouterr().err)


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
    seen = {}

    def train(args):
        seen["opt"] = make_optimizer(args)
        return 0

    monkeypatch.setattr(cli, "train", train)
    assert main(["train", *flags]) == 0
    assert isinstance(seen["opt"], optimizers.Optimizer)
    assert seen["opt"].config() == expected


def test_sgd_with_nesterov_and_no_momentum_is_an_error(capsys):
    assert main(["train", "--optimizer", "sgd", "--nesterov", "--epochs", "1",
                 "--train-size", "10"]) == 2
    assert "sgd: nesterov=True needs a momentum > 0" in capsys.readouterr().err
