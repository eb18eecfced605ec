"""Odd and hostile inputs on the MNIST and draw pages: a clear message, nothing added, no traceback.

The engine's own checks of model files are in tests/engine/test_hostile_files.py;
here: what the pages do with what the engine accepts, file names with Markdown in
them, missing data files, a run whose loss blows up without reaching NaN, the
server's line.
"""

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import engine.mnist
from engine import build_mlp, save_model
from tests.app.test_mnist_page import train_to_end
from tests.engine.test_main import png_header
from ui import jobs, teaching
from ui import mnist_setup as setup

MNIST = "../../app_pages/mnist.py"
DRAW = "../../app_pages/draw.py"
TIMEOUT_S = 120
TABS = ("Results", "Compare runs", "Save & load")


def page(at):
    return at.session_state["mnist"]


def open_page(path=MNIST):
    at = AppTest.from_file(path, default_timeout=TIMEOUT_S)
    at.run()
    assert not at.exception, at.exception
    return at


def upload(at, name, content):
    at.file_uploader(key="mnist_upload").upload(name, content, "application/octet-stream")
    at.run()
    assert not at.exception, at.exception
    at.run()  # and the rerun after it: nothing breaks later either
    assert not at.exception, at.exception


def model_file(hidden, activation="relu"):
    return save_model(build_mlp([784, *hidden, 10], activation, "softmax", seed=0))


@pytest.mark.parametrize("hidden", [[1024], [32, 32, 32, 32]])
def test_a_model_the_engine_accepts_beyond_the_forms_limits_is_shown(hidden):
    """`python -m engine train --hidden 1024`, or four hidden layers: more than the form allows."""
    at = open_page()
    upload(at, "big.npz", model_file(hidden))
    (run,) = page(at).book.runs
    assert run.model.sizes == [784, *hidden, 10] and run.uploaded == "big.npz"
    sizes = "-".join(map(str, run.model.sizes))
    assert any(sizes in caption.value for caption in at.caption)  # the Results tab
    table = next(frame.value for frame in at.dataframe if "run" in frame.value.columns)
    assert list(table["run"]) == ["Run 1"] and list(table["network"]) == [f"{sizes} relu"]
    # And it can still train afterwards.
    at.button(key="mnist_preset_tutorial_1").click().run()
    train_to_end(at)
    assert [r.status for r in page(at).book.runs] == ["uploaded", "finished"]


def test_odd_history_entries_are_drawn_without_failing():
    """What a file's history holds is only drawn through code that cannot fail on odd types."""
    model = build_mlp([784, 16, 10], "relu", "softmax", seed=0)
    model.history = [{"epoch": 1, "accuracy": "high", "val_accuracy": 0.5}, {"loss": 1.0},
                     "junk", 3, None, {"epoch": "x"}, {"epoch": True}, {"epoch": 2, "loss": 0.3}]
    assert setup.uploaded_history(model) == [{"epoch": 1, "val_accuracy": 0.5},
                                             {"epoch": 2, "loss": 0.3}]
    model.training_config = {"optimizer": {"name": 3, "lr": "fast"}, "batch_size": 2.5,
                             "train_samples": "all"}
    config = setup.uploaded_config(model)
    assert (config["optimizer"], config["lr"], config["batch_size"], config["train_size"],
            config["epochs"]) == ("?", "?", "?", "?", 2)
    data = setup.shared_data()
    run = jobs.Run.from_upload(1, "odd.npz", model, data)
    assert run.curves()["test"] == ([1], [0.5])
    assert setup.run_row(run)["learning rate"] == "?"


def test_a_file_name_with_markdown_is_shown_as_text():
    at = open_page()
    name = "**bold** [x](https://evil.example) ![i](https://evil.example/i.png).npz"
    upload(at, name, b"not a model")
    (error,) = [e.value for e in at.error if "Nothing was changed" in e.value]
    assert "**bold**" not in error and r"\*\*bold\*\* \[x\]\(https" in error
    assert not page(at).book.runs
    upload(at, name, model_file([8]))
    (success,) = [s.value for s in at.success if "Loaded" in s.value]
    assert r"\*\*bold\*\*" in success and "**bold**" not in success


def test_a_run_whose_loss_ends_far_above_its_start_is_reported_as_unstable():
    """lr 5, one image at a time: the loss jumps to hundreds and ends at about twice its start
    without ever being NaN. It is a warning with learning-rate advice, not a success."""
    at = open_page()
    at.selectbox(key="mnist_w_activation").set_value("relu")
    at.selectbox(key="mnist_w_output").set_value("softmax_ce")
    at.number_input(key="mnist_w_lr").set_value(5.0)
    at.selectbox(key="mnist_w_train_size").set_value(1_000)
    at.button(key="mnist_train").click().run()
    train_to_end(at)
    (run,) = page(at).book.runs
    assert run.status == "finished"
    start, end = run.start["val_loss"], run.history[-1]["val_loss"]
    assert np.isfinite(end) and end > 1.5 * start  # measured: 2.31 -> 4.95
    assert not [s for s in at.success if "finished" in s.value]
    (warning,) = [w.value for w in at.warning if "unstable" in w.value]
    assert f"ended at {end:.3g}, far above the {start:.3g}" in warning
    assert "10 times smaller (0.5)" in warning


def test_a_job_waiting_in_the_servers_line_says_so(monkeypatch):
    monkeypatch.setattr(jobs, "LINE", jobs.Line(0))  # no free place: every job waits
    at = open_page()
    at.button(key="mnist_preset_best").click().run()
    assert not at.exception, at.exception
    assert page(at).job is not None and page(at).job.current.batches_done == 0
    assert any(setup.waiting_text(1) == info.value for info in at.info)
    assert any(setup.LIMITS == caption.value for caption in at.caption)
    page(at).job.stop()


@pytest.fixture
def no_data(monkeypatch, tmp_path):
    """The data/ folder is empty (a clone without the MNIST files): caches start afresh."""
    monkeypatch.setattr(engine.mnist, "DATA_DIR", tmp_path)
    setup.shared_data.clear()
    teaching.mnist_digits.clear()
    yield
    setup.shared_data.clear()
    teaching.mnist_digits.clear()


def test_missing_data_files_are_an_error_box_on_the_mnist_page(no_data):
    at = open_page()
    (error,) = at.error
    assert "The MNIST digits could not be loaded" in error.value
    assert "data/README.md" in error.value and str(engine.mnist.DATA_DIR) not in error.value


def test_teaching_without_data_files_says_why(no_data):
    from tests.app.test_draw_page import CANVAS_KEY, drawn
    at = AppTest.from_file(DRAW, default_timeout=TIMEOUT_S)
    at.session_state[CANVAS_KEY] = drawn(1)
    at.run()
    assert not at.exception, at.exception
    at.radio(key="draw_teach_label").set_value(1).run()
    next(button for button in at.button if button.label == "Teach the model").click().run()
    assert not at.exception, at.exception
    assert any("The MNIST digits could not be loaded" in error.value for error in at.error)


def test_a_bundled_model_that_does_not_read_digits_is_an_error_box(monkeypatch, tmp_path):
    from tests.app.test_draw_page import CANVAS_KEY, drawn
    path = tmp_path / "model.npz"
    path.write_bytes(save_model(build_mlp([2, 3, 1], "tanh", "sigmoid", seed=0)))
    monkeypatch.setenv("DRAW_MODEL_PATH", str(path))
    at = AppTest.from_file(DRAW, default_timeout=TIMEOUT_S)
    at.session_state[CANVAS_KEY] = drawn(1)
    at.run()
    assert not at.exception, at.exception
    assert any("maps 2 inputs to 1 outputs" in error.value for error in at.error)


def test_every_hostile_model_file_is_refused_on_the_page_and_nothing_is_added():
    """The engine's hostile files (tests/engine/test_hostile_files.py) through the uploader."""
    from tests.engine.test_hostile_files import HOSTILE, model
    from ui.text import plain
    small_model = model.__wrapped__()
    at = open_page()
    for make, words in HOSTILE:
        upload(at, f"{make.__name__}.npz", make(small_model))
        errors = [e.value for e in at.error if "Nothing was changed" in e.value]
        assert len(errors) == 1 and plain(words, limit=300) in errors[0], (make.__name__, errors)
        assert not page(at).book.runs and not at.session_state["shelf"].models


def data_url(content, kind="image/png"):
    import base64
    return f"data:{kind};base64," + base64.b64encode(content).decode("ascii")


@pytest.mark.parametrize("url, words", [
    ("not a data URL", "did not arrive as a picture"),
    (data_url(b"garbage bytes"), "could not be read"),
    (data_url(png_header(15000, 15000)), "at most 1200 pixels a side"),
    (data_url(png_header(2000, 2000)), "at most 1200 pixels a side"),
    (data_url(png_header(280, 280)), "could not be read"),  # the right size, but no pixels
])
def test_a_canvas_picture_a_browser_was_made_to_send_is_refused(url, words):
    """The canvas's picture comes from the browser: a hostile one is a message, not a traceback
    (a 15000 x 15000 PNG header alone made Pillow raise DecompressionBombError)."""
    from tests.app.test_draw_page import CANVAS_KEY, canvas_state, drawn
    state = canvas_state(np.zeros((280, 280, 4), np.uint8))
    state["drawing"]["data"] = url
    at = AppTest.from_file(DRAW, default_timeout=TIMEOUT_S)
    at.session_state[CANVAS_KEY] = state
    at.run()
    assert not at.exception, at.exception
    (error,) = [e.value for e in at.error if "The drawing could not be used" in e.value]
    assert words in error
    at.session_state[CANVAS_KEY] = drawn(1)  # a real drawing afterwards is read as usual
    at.run()
    assert not at.exception and not at.error
    assert [m.value for m in at.metric if m.label == "Prediction"]


def test_a_run_that_ends_at_chance_accuracy_says_it_did_not_learn():
    """A learning rate far too small: the loss hardly moves, accuracy stays near 10%."""
    at = open_page()
    at.selectbox(key="mnist_w_activation").set_value("relu")
    at.selectbox(key="mnist_w_output").set_value("softmax_ce")
    at.number_input(key="mnist_w_lr").set_value(setup.MIN_LR)
    at.button(key="mnist_train").click().run()
    train_to_end(at)
    (run,) = page(at).book.runs
    assert run.status == "finished" and run.results["accuracy"] <= 0.12
    assert not setup.unstable_losses(run)  # not a loss that blew up: it hardly moved
    assert not [s for s in at.success if "finished" in s.value]
    (warning,) = [w.value for w in at.warning if "did not learn" in w.value]
    assert f"{run.results['accuracy']:.1%}" in warning and "a larger one" in warning
