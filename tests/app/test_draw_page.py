"""The Draw-a-digit page in Streamlit's AppTest, with the canvas's state injected.

The canvas is a Components v2 element (a `bidi_component` in AppTest). Before
a run, a test puts what the browser would send into session_state under the
canvas's key: {"drawing": {"raw": ..., "data": "data:image/png;base64,..."}},
a PNG made with engine.preprocess.render_strokes.

Tests marked "bundled" read drawings with the bundled model
assets/mnist_model.npz (the page's default); the others use small models with
hand-set weights put on the session's shelf (ui.state.Shelf, where the MNIST
page puts its models), so their numbers are known exactly.
"""

import base64
import io
import json
import math
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from engine.layers import Dense
from engine.model import Sequential
from engine.preprocess import canvas_to_mnist, render_strokes
from engine.saving import load_model
from ui import state, teaching

PAGE = "../../app_pages/draw.py"
# The page's bundled model (DRAW_MODEL_PATH overrides it there and here, for development).
BUNDLED_PATH = Path(os.environ.get(
    "DRAW_MODEL_PATH", Path(__file__).resolve().parents[2] / "assets" / "mnist_model.npz"))
CANVAS_KEY = "draw_canvas_0"  # the page's canvas key before the first Clear
TIMEOUT = 60


def ellipse(cx, cy, rx, ry, start, end, tilt=0.0, n=40):
    """Points along an ellipse arc, angles in degrees, y down (clockwise on screen)."""
    points = []
    for i in range(n + 1):
        angle = math.radians(start + (end - start) * i / n)
        x, y = rx * math.cos(angle), ry * math.sin(angle)
        t = math.radians(tilt)
        points.append((cx + x * math.cos(t) - y * math.sin(t), cy + x * math.sin(t) + y * math.cos(t)))
    return points


# Digits as a person draws them on the 280x280 canvas, (x, y) pixels, y down.
DIGITS = {
    1: [[(168, 48), (150, 140), (134, 236)]],
    0: [ellipse(140, 142, 60, 96, -95, -95 - 370, tilt=10)],
    7: [[(78, 62), (150, 58), (204, 56), (166, 140), (128, 238)]],
}


def canvas_state(rgba):
    """What the canvas sends back after a stroke: its picture as a PNG data URL."""
    buffer = io.BytesIO()
    Image.fromarray(rgba).save(buffer, format="PNG")
    url = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
    return {"drawing": {"raw": {"objects": []}, "data": url}, "backgroundFit": None}


def drawn(digit, width=20):
    return canvas_state(render_strokes(DIGITS[digit], width=width))


def new_page(session=None, shelf=None):
    """The page in AppTest, with session values set and `shelf` (label -> model) on the shelf."""
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    for key, value in (session or {}).items():
        at.session_state[key] = value
    if shelf:
        at.session_state[state.Shelf.KEY] = state.Shelf()
        for label, model in shelf.items():
            at.session_state[state.Shelf.KEY].put(label, model)
    return at


def page_state(at):
    """The page's own state object (ui.state.DrawState)."""
    return at.session_state[state.DrawState.KEY]


def metric(at, label):
    values = [m.value for m in at.metric if m.label == label]
    return values[0] if values else None


def charts(at):
    """The page's plotly figures as dicts (data and layout), in page order."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def values(data):
    """A plotly array as NumPy: plain lists, or {"bdata", "dtype", "shape"} base64 blocks."""
    if isinstance(data, dict) and "bdata" in data:
        array = np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"])
        if "shape" in data:
            array = array.reshape([int(n) for n in str(data["shape"]).split(",")])
        return array
    return np.asarray(data)


def fixed_model(bias, weights=None):
    """784 -> 10 softmax with given biases (and weights, zero by default): known outputs."""
    layer = Dense(784, 10, "softmax")
    layer.W = np.zeros((784, 10), np.float32) if weights is None else weights
    layer.b = np.asarray(bias, np.float32)
    return Sequential([layer])


def softmax(z):
    e = np.exp(z - np.max(z))
    return e / e.sum()


# --- with the bundled model --------------------------------------------------------

def test_empty_canvas_asks_for_a_drawing():
    at = new_page()
    at.run()
    assert not at.exception
    assert not at.error  # the bundled model is there
    assert any("Draw a digit" in info.value for info in at.info)
    assert metric(at, "Prediction") is None
    assert charts(at) == []


@pytest.mark.parametrize("digit", [1, 0, 7])
def test_a_drawn_digit_gets_a_prediction(digit):
    at = new_page({CANVAS_KEY: drawn(digit)})
    at.run()
    assert not at.exception
    assert metric(at, "Prediction") == str(digit)
    assert not any("Draw a digit" in info.value for info in at.info)
    figures = charts(at)
    bars = figures[0]["data"][0]
    assert [str(k) for k in range(10)] == bars["x"]
    probabilities = values(bars["y"])
    assert np.argmax(probabilities) == digit
    assert probabilities.sum() == pytest.approx(1.0, abs=1e-5)
    assert metric(at, "Confidence") == f"{probabilities.max():.0%}"
    assert len(at.get("image")) == 4  # as drawn, cropped, 20x20, centred 28x28


# Marks that are not digits, as a person makes them by accident or to test the page.
NOT_DIGITS = {
    "a dot": ([[(140, 140)]], "only 21 × 21 pixels of the 280 × 280 canvas; a digit should be "
                              "at least 70 pixels tall"),
    "a short dash": ([[(110, 140), (170, 140)]], "81 × 21 pixels of the 280 × 280 canvas, less "
                                                 "than half as tall as it is wide"),
    "a small scribble": ([[(120, 120), (145, 128), (122, 140), (150, 150), (128, 160)]],
                         "only 51 × 61 pixels of the 280 × 280 canvas"),
    "two dots far apart": ([[(100, 60)], [(100, 200)]],
                           "in pieces with empty space between them: only 26% of the rows"),
}


def unsure_notes(at):
    """The page's "Unsure:" notes, no-break spaces (as in "280 × 280") read as spaces."""
    return [warning.value.replace("\u00a0", " ") for warning in at.warning
            if warning.value.startswith("Unsure:")]


@pytest.mark.parametrize("name", list(NOT_DIGITS))
def test_a_mark_that_is_not_a_digit_is_unsure_and_says_why(name):
    strokes, reason = NOT_DIGITS[name]
    at = new_page({CANVAS_KEY: canvas_state(render_strokes(strokes, width=20))})
    at.run()
    assert not at.exception
    prediction, confidence = metric(at, "Prediction"), metric(at, "Confidence")
    assert prediction is not None  # the network still answers, and the page says so
    (note,) = unsure_notes(at)
    assert reason in note
    assert f"The network still says **{prediction}** ({confidence})" in note
    probabilities = values(charts(at)[0]["data"][0]["y"])
    assert confidence == f"{probabilities.max():.0%}"
    assert not [w for w in at.warning if "The model is unsure" in w.value]  # one note, not two


@pytest.mark.parametrize("digit", [0, 1, 7])
@pytest.mark.parametrize("pen", [8, 20, 40])
def test_real_digits_are_not_flagged(digit, pen):
    at = new_page({CANVAS_KEY: drawn(digit, width=pen)})
    at.run()
    assert not at.exception
    assert unsure_notes(at) == []
    assert metric(at, "Prediction") is not None


def test_clear_goes_back_to_the_prompt():
    at = new_page({CANVAS_KEY: drawn(7)})
    at.run()
    assert metric(at, "Prediction") == "7"
    next(button for button in at.button if button.label == "Clear").click().run()
    assert not at.exception
    assert metric(at, "Prediction") is None
    assert any("Draw a digit" in info.value for info in at.info)
    assert page_state(at).canvas_round == 1  # a fresh, empty canvas


# A 1 with a flag, its top leaning right: the bundled model reads it as 7 (92%).
SLANTED_FLAGGED_ONE = [[(113, 66), (185, 27), (140, 140), (99, 254)]]


def teach(at, label):
    at.radio(key="draw_teach_label").set_value(label).run()
    next(button for button in at.button if button.label == "Teach the model").click().run()
    assert not at.exception
    assert not at.error


def lesson_text(at):
    (text,) = [m.value for m in at.markdown if "Its cost:" in m.value]
    return text


def check_the_cost_text(at):
    """The lesson's words against the numbers it shows: the metrics, their captions, the
    2,000 check digits read right before and after, and the model box's caption."""
    lesson = page_state(at).lesson
    text = lesson_text(at)
    label = lesson.label
    said, says = metric(at, "Before the lesson"), metric(at, "After the lesson")
    assert (said, says) == (str(np.argmax(lesson.before)), str(np.argmax(lesson.after)))
    captions = [c.value for c in at.caption]
    before, after = teaching.percent(lesson.before[label]), teaching.percent(lesson.after[label])
    assert f"It gave {label} a probability of {before}." in captions
    assert f"It gives {label} a probability of {after}." in captions
    change = lesson.after[label] - lesson.before[label]  # no arrow for what rounds to +0%
    (shown,) = [m for m in at.metric if m.label == "After the lesson"]
    assert (shown.delta or "") == (f"{change:+.0%} for {label}" if abs(change) >= 0.005 else "")
    right_before = round(lesson.accuracy_before * 2000)
    right_after = round(lesson.accuracy_after * 2000)
    assert (f"Its cost: of 2,000 MNIST test digits it read {right_before:,} right "
            f"({right_before / 2000:.2%}) before the lesson and {right_after:,} "
            f"({right_after / 2000:.2%}) after it") in text
    if right_after < right_before:
        assert f"after it: {right_before - right_after} fewer" in text
    assert right_before - right_after <= 6  # at most 0.3 points
    assert any(f"{right_after / 2000:.2%} of 2,000 MNIST test digits right after the last "
               "lesson" in c for c in captions)
    return text, said, says


def test_teaching_a_misread_digit_changes_the_session_copy_and_not_the_shared_model():
    at = new_page({CANVAS_KEY: canvas_state(render_strokes(SLANTED_FLAGGED_ONE, width=20))})
    at.run()
    first = values(charts(at)[0]["data"][0]["y"])
    assert metric(at, "Prediction") == "7"

    teach(at, 1)  # it is a 1
    assert at.session_state["draw_model_choice"] == "taught"
    text, said, says = check_the_cost_text(at)
    assert (said, says) == ("7", "1")
    lesson = page_state(at).lesson
    assert text.startswith(f"The lesson changed the answer from **7** to **1**: the "
                           f"probability of 1 went from {lesson.before[1]:.0%} to "
                           f"{lesson.after[1]:.0%}.")
    assert metric(at, "Prediction") == "1"  # the page now reads with the taught copy

    bundled = load_model(BUNDLED_PATH)
    taught = page_state(at).taught.model
    assert taught is not bundled
    assert not np.array_equal(taught.params, bundled.params)

    # Back to the bundled model: the same answer and probabilities as before the lesson.
    at.selectbox(key="draw_model_choice").set_value("bundled").run()
    assert metric(at, "Prediction") == "7"
    np.testing.assert_array_equal(values(charts(at)[0]["data"][0]["y"]), first)


def test_a_wrong_label_for_a_clear_digit_is_a_nudge_and_the_page_says_so():
    at = new_page({CANVAS_KEY: drawn(7)})
    at.run()
    teach(at, 1)  # wrong on purpose
    text, said, says = check_the_cost_text(at)
    assert (said, says) == ("7", "7")
    assert "not enough to change the answer: it still says **7**" in text
    assert "drawings like this are 7s. Teach it again to push further" in text


def test_the_teach_caption_tells_the_lesson_the_code_gives():
    at = new_page({CANVAS_KEY: drawn(7)})
    at.run()
    (caption,) = [c.value for c in at.caption if c.value.startswith("Wrong answer")]
    # The lesson's batches (their layout is checked in tests/ui/test_teaching.py)
    X, _ = teaching.lesson_batches(page_state(at).image, 7, np.random.default_rng(0))
    batch = teaching.TEACH_BATCH
    steps, copies = len(X) // batch, teaching.TEACH_OWN - 1
    assert len(X) == steps * batch and steps == teaching.TEACH_STEPS
    assert (f"takes {steps} small training steps, each on your drawing and {copies} slightly "
            f"distorted cop{'y' if copies == 1 else 'ies'} of it among "
            f"{batch - teaching.TEACH_OWN} random MNIST digits") in caption


# --- with models of known weights (as if trained on the MNIST page) --------------------

def test_missing_bundled_model_is_an_error_not_a_traceback(monkeypatch, tmp_path):
    monkeypatch.setenv("DRAW_MODEL_PATH", str(tmp_path / "missing.npz"))
    at = new_page({CANVAS_KEY: drawn(0)})
    at.run()
    assert not at.exception
    assert any("missing" in error.value for error in at.error)
    assert metric(at, "Prediction") is None


def test_a_model_from_the_mnist_page_can_be_chosen(monkeypatch, tmp_path):
    monkeypatch.setenv("DRAW_MODEL_PATH", str(tmp_path / "missing.npz"))
    bias = np.zeros(10)
    bias[4] = 5.0  # predicts 4 whatever is drawn: p(4) = e^5 / (e^5 + 9)
    at = new_page({CANVAS_KEY: drawn(0)}, shelf={"always four": fixed_model(bias)})
    at.run()
    box = at.selectbox(key="draw_model_choice")
    assert "MNIST page: always four" in box.options
    box.set_value("mnist:always four").run()
    assert not at.exception
    assert metric(at, "Prediction") == "4"
    np.testing.assert_allclose(values(charts(at)[0]["data"][0]["y"]), softmax(bias), rtol=1e-5)
    assert not any("unsure" in warning.value for warning in at.warning)  # p(4) = 0.94


def test_the_newest_model_on_the_shelf_is_selected_when_it_arrives():
    """The MNIST page's save tab promises it: "the newest is selected" on the draw page."""
    four, six = np.zeros(10), np.zeros(10)
    four[4], six[6] = 5.0, 5.0
    at = new_page({CANVAS_KEY: drawn(0)}, shelf={"run 1": fixed_model(four)})
    at.run()
    assert not at.exception
    assert at.selectbox(key="draw_model_choice").value == "mnist:run 1"
    assert metric(at, "Prediction") == "4"

    # The learner goes back to the bundled model: it stays chosen while nothing new arrives.
    at.selectbox(key="draw_model_choice").set_value("bundled").run()
    at.run()
    assert at.selectbox(key="draw_model_choice").value == "bundled"
    assert metric(at, "Prediction") == "0"

    # A new run finishes on the MNIST page: the draw page selects it.
    at.session_state[state.Shelf.KEY].put("run 2", fixed_model(six))
    at.run()
    assert not at.exception
    box = at.selectbox(key="draw_model_choice")
    assert box.value == "mnist:run 2"
    assert box.options == ["Bundled model", "MNIST page: run 1", "MNIST page: run 2"]
    assert metric(at, "Prediction") == "6"

    # A newest model that does not read digits (2 inputs) is not offered, nor selected.
    at.session_state[state.Shelf.KEY].put("plane", Sequential([Dense(2, 1, "sigmoid")]))
    at.run()
    assert not at.exception
    assert at.selectbox(key="draw_model_choice").value == "mnist:run 2"
    assert "MNIST page: plane" not in at.selectbox(key="draw_model_choice").options


@pytest.mark.parametrize("top, second, unsure", [
    (3.0, 0.0, False),  # p = 0.67, 0.033: sure enough
    (1.0, 0.5, True),   # p = 0.22, 0.13: top below 0.6
    (4.0, 3.9, True),   # p = 0.49, 0.44: two close answers
])
def test_unsure_note(monkeypatch, tmp_path, top, second, unsure):
    monkeypatch.setenv("DRAW_MODEL_PATH", str(tmp_path / "missing.npz"))
    bias = np.zeros(10)
    bias[2], bias[5] = top, second
    at = new_page({CANVAS_KEY: drawn(1), "draw_model_choice": "mnist:fixed"},
                  shelf={"fixed": fixed_model(bias)})
    at.run()
    assert metric(at, "Prediction") == "2"
    notes = [warning.value for warning in at.warning if "unsure" in warning.value]
    assert bool(notes) == unsure
    if unsure:
        assert "**2**" in notes[0] and "**5**" in notes[0]


def test_saliency_is_the_input_gradient_of_the_predicted_class(monkeypatch, tmp_path):
    """For one softmax layer the logit of class k is x @ W[:, k] + b_k, so d z_k / dx = W[:, k]."""
    monkeypatch.setenv("DRAW_MODEL_PATH", str(tmp_path / "missing.npz"))
    weights = np.random.default_rng(0).normal(0.0, 0.01, (784, 10)).astype(np.float32)
    bias = np.zeros(10)
    bias[6] = 10.0  # predicts 6
    at = new_page({CANVAS_KEY: drawn(7), "draw_model_choice": "mnist:linear"},
                  shelf={"linear": fixed_model(bias, weights)})
    at.run()
    assert metric(at, "Prediction") == "6"
    gradient, gradient_times_ink = charts(at)[1:3]
    expected = weights[:, 6].reshape(28, 28)
    np.testing.assert_allclose(values(gradient["data"][0]["z"]), expected, rtol=1e-6)
    image = canvas_to_mnist(render_strokes(DIGITS[7], width=20))
    np.testing.assert_allclose(values(gradient_times_ink["data"][0]["z"]), expected * image,
                               rtol=1e-5, atol=1e-9)
