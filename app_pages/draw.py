"""Draw a digit: the canvas, MNIST-style preprocessing, the prediction and why.

A thin page: the canvas gives an RGBA image, `engine.preprocess.canvas_to_mnist`
turns it into the 28x28 picture the network was trained on, the model predicts,
and `model.input_gradient` shows which pixels pushed the answer up or down.
"Teach it" trains the session's own copy of the model on the drawing (mixed
with MNIST digits, so it does not forget the rest), never the shared one.
"""

import os
import threading
import time
from pathlib import Path

import numpy as np
import streamlit as st
from PIL import Image
from streamlit_drawable_canvas import st_canvas

from ui import charts
from engine import Adam, Trainer, TrainingDiverged, load_mnist, load_model, save_model
from engine.augment import augment_batch
from engine.preprocess import canvas_to_mnist

# The bundled model; the environment variable DRAW_MODEL_PATH can point elsewhere (development).
BUNDLED_PATH = Path(os.environ.get(
    "DRAW_MODEL_PATH", Path(__file__).resolve().parent.parent / "assets" / "mnist_model.npz"))
CANVAS_SIZE = 280
PEN_WIDTH = (8, 40, 20)  # min, max, default; ~20 px survives shrinking 280 -> 20
UNSURE_TOP = 0.6  # unsure when the top probability is below this ...
UNSURE_GAP = 0.2  # ... or the two best are closer than this
TEACH_STEPS = 15  # training steps per lesson
TEACH_OWN = 8  # copies of the drawing in each batch of 32 (1 as drawn + 7 distorted)
TEACH_BATCH = 32
TEACH_LR = 1e-3
TEST_SAMPLES = 2000  # MNIST test digits used to check that a lesson did not spoil the rest

BUNDLED, TAUGHT, FROM_MNIST = "bundled", "taught", "mnist:"


def canvas_key():
    """The canvas's widget key; Clear moves to a fresh key (an empty canvas)."""
    return f"draw_canvas_{st.session_state.get('draw_canvas_round', 0)}"


# --- shared, read-only resources (one copy for every user) ------------------

@st.cache_resource(show_spinner="Loading the bundled model ...")
def bundled_model(path, modified):
    """The bundled model, loaded once per file version; its weights are read-only.

    `modified` (the file's mtime) is only part of the cache key, so a
    retrained file is picked up.
    """
    model = load_model(path)
    model.params.flags.writeable = False
    for layer in model.layers:
        for array in layer.parameters():
            array.flags.writeable = False
    return model


@st.cache_resource(show_spinner="Loading MNIST ...")
def mnist_digits():
    """MNIST as uint8 arrays (read-only), for teaching and for checking."""
    (x_train, y_train), (x_test, y_test) = load_mnist()
    arrays = (x_train, y_train, x_test[:TEST_SAMPLES], y_test[:TEST_SAMPLES])
    for array in arrays:
        array.flags.writeable = False
    return arrays


@st.cache_resource
def model_lock():
    """predict and input_gradient write the layers' caches: one call at a time."""
    return threading.Lock()


# --- models ------------------------------------------------------------------

def reads_digits(model):
    """True for a model that maps 784 pixels to 10 digit scores."""
    return getattr(model, "n_inputs", None) == 784 and getattr(model, "n_outputs", None) == 10


def model_options():
    """Option id -> (label, model or None, problem message or None)."""
    options = {}
    if BUNDLED_PATH.exists():
        try:
            model = bundled_model(str(BUNDLED_PATH), BUNDLED_PATH.stat().st_mtime)
            options[BUNDLED] = ("Bundled model", model, None)
        except ValueError as error:
            options[BUNDLED] = ("Bundled model", None, f"The bundled model could not be read: {error}")
    else:
        options[BUNDLED] = ("Bundled model", None,
                            f"The bundled model `{BUNDLED_PATH.name}` is missing from `assets/`. "
                            "Rebuild it with the command in the README, or train a model on the "
                            "MNIST page and choose it here.")
    for name, model in dict(st.session_state.get("mnist_models") or {}).items():
        if reads_digits(model):
            options[FROM_MNIST + name] = (f"MNIST page: {name}", model, None)
    taught = st.session_state.get("draw_taught")
    if taught is not None:
        options[TAUGHT] = (f"Taught in this session (from {taught['base']}, "
                           f"{taught['lessons']} lesson{'s' * (taught['lessons'] != 1)})",
                           taught["model"], None)
    return options


def own_copy(model):
    """A new model with the same layers and weights (save and load round trip)."""
    return load_model(save_model(model))


def describe(choice, model):
    """'784 → 128 → 10; 98.4% of the MNIST test digits right ...' from what is known."""
    text = " → ".join(str(size) for size in model.sizes)
    tested = [epoch["val_accuracy"] for epoch in model.history if "val_accuracy" in epoch]
    if choice == TAUGHT:
        text += (f"; {st.session_state['draw_taught']['accuracy']:.1%} of {TEST_SAMPLES:,} MNIST "
                 "test digits right after the last lesson")
    elif tested:
        text += f"; {tested[-1]:.1%} of the MNIST test digits right after training"
    return text


def read_model(model, image):
    """Scores of the ten digits (summing to 1) and the saliency of the best one."""
    x = image.reshape(1, 784)
    with model_lock():
        output = model.predict(x)[0].astype(np.float64)
        best = int(np.argmax(output))
        gradient = model.input_gradient(x, best)[0].reshape(28, 28)
    if model.layers[-1].activation.name != "softmax":
        output = np.clip(output, 0.0, None)
        output = output / output.sum() if output.sum() > 0 else np.full(10, 0.1)
    return output, gradient


# --- teach it ------------------------------------------------------------------

def lesson_batches(image, label, rng):
    """TEACH_STEPS batches of the drawing (as drawn + distorted) mixed with MNIST.

    Each batch of TEACH_BATCH holds TEACH_OWN copies of the drawing and
    random MNIST training digits, so the model learns this digit without
    forgetting the others.
    """
    x_train, y_train, _, _ = mnist_digits()
    n_mnist = TEACH_BATCH - TEACH_OWN
    drawing = image.reshape(1, 784).astype(np.float32)
    xs, ys = [], []
    for _ in range(TEACH_STEPS):
        copies = np.repeat(drawing, TEACH_OWN, axis=0)
        copies[1:] = augment_batch(copies[1:], rng)
        picks = rng.integers(0, len(x_train), n_mnist)
        mnist = x_train[picks].reshape(n_mnist, 784).astype(np.float32) / np.float32(255.0)
        xs += [copies, mnist]
        ys += [np.full(TEACH_OWN, label), y_train[picks]]
    return np.concatenate(xs), np.concatenate(ys).astype(np.int64)


def teach_loss(model):
    if model.loss:
        return model.loss
    return "cross_entropy" if model.layers[-1].activation.name == "softmax" else "mse"


def test_accuracy(model):
    """Accuracy on the first TEST_SAMPLES MNIST test digits: overall and per digit (10,)."""
    _, _, x_test, y_test = mnist_digits()
    X = x_test.reshape(len(x_test), 784).astype(np.float32) / np.float32(255.0)
    with model_lock():
        right = model.predict_classes(X) == y_test
    per_digit = np.array([right[y_test == digit].mean() for digit in range(10)])
    return float(right.mean()), per_digit


def teach(label):
    """Button callback: a few training steps of the session's own copy on the drawing."""
    image = st.session_state.get("draw_image")
    choice = st.session_state.get("draw_model_choice", BUNDLED)
    options = model_options()
    if image is None or choice not in options or options[choice][1] is None:
        st.session_state["draw_teach_error"] = "Draw a digit first, then teach."
        return
    label_text, model, _ = options[choice]
    taught = st.session_state.get("draw_taught")
    if choice != TAUGHT or taught is None:  # start a fresh copy of the chosen model
        taught = {"model": own_copy(model), "base": label_text, "lessons": 0}
    student = taught["model"]
    before, _ = read_model(student, image)
    accuracy_before, per_digit_before = test_accuracy(student)
    history, config, loss_name = list(student.history), dict(student.training_config), student.loss
    rng = np.random.default_rng(st.session_state.get("draw_lesson_seed", 0))
    st.session_state["draw_lesson_seed"] = st.session_state.get("draw_lesson_seed", 0) + 1
    X, y = lesson_batches(image, label, rng)
    try:
        Trainer(student, X, y, epochs=1, batch_size=TEACH_BATCH, optimizer=Adam(lr=TEACH_LR),
                loss=teach_loss(student), shuffle=False, seed=0).run()
    except (ValueError, TrainingDiverged) as error:
        st.session_state["draw_teach_error"] = f"Teaching failed: {error}"
        return
    finally:  # the lesson is not a training epoch of the model's own record
        student.history, student.training_config, student.loss = history, config, loss_name
    after, _ = read_model(student, image)
    accuracy_after, per_digit_after = test_accuracy(student)
    drops = per_digit_before - per_digit_after
    taught["lessons"] += 1
    taught["accuracy"] = accuracy_after
    st.session_state["draw_taught"] = taught
    st.session_state["draw_model_choice"] = TAUGHT
    st.session_state["draw_teach_error"] = None
    st.session_state["draw_teach_result"] = {
        "label": int(label), "image": image, "before": before, "after": after,
        "accuracy_before": accuracy_before, "accuracy_after": accuracy_after,
        "worst_digit": int(np.argmax(drops)), "worst_drop": float(drops.max()),
        "worst_before": float(per_digit_before[np.argmax(drops)]),
        "worst_after": float(per_digit_after[np.argmax(drops)]),
    }


def forget():
    st.session_state.pop("draw_taught", None)
    st.session_state.pop("draw_teach_result", None)
    st.session_state["draw_model_choice"] = BUNDLED


def clear_canvas():
    st.session_state.pop(canvas_key(), None)
    st.session_state["draw_canvas_round"] = st.session_state.get("draw_canvas_round", 0) + 1
    st.session_state.pop("draw_teach_result", None)
    st.session_state["draw_teach_error"] = None


TILE_BACKGROUND = (240, 242, 246)  # light grey around a picture that is not square


def tile(image, side=140):
    """A grayscale [0, 1] image drawn on a side x side RGB tile, as large as fits.

    Small images grow by a whole factor with square pixels (a 28x28 input
    stays visibly 28x28); large ones shrink smoothly. The part of the tile
    the picture does not cover is light grey.
    """
    pixels = (np.clip(image, 0.0, 1.0) * 255).astype(np.uint8)
    height, width = image.shape
    longest = max(height, width)
    if longest > side:
        size = (max(1, round(width * side / longest)), max(1, round(height * side / longest)))
        pixels = np.asarray(Image.fromarray(pixels).resize(size, Image.Resampling.BOX))
    else:
        factor = side // longest
        pixels = np.kron(pixels, np.ones((factor, factor), np.uint8))
    out = np.empty((side, side, 3), np.uint8)
    out[...] = TILE_BACKGROUND
    top, left = (side - pixels.shape[0]) // 2, (side - pixels.shape[1]) // 2
    out[top:top + pixels.shape[0], left:left + pixels.shape[1]] = pixels[:, :, None]
    return out


# --- the page ------------------------------------------------------------------

st.title("Draw a digit")
st.caption("Draw a digit from 0 to 9 with the mouse (or a finger). The network was trained on "
           "MNIST, 60,000 handwritten digits, and reads your drawing after every stroke.")

options = model_options()
if st.session_state.get("draw_model_choice") not in options:
    st.session_state["draw_model_choice"] = BUNDLED
choice = st.selectbox("Model", list(options), format_func=lambda key: options[key][0],
                      key="draw_model_choice",
                      help="Models trained or uploaded on the MNIST page in this session "
                           "appear here too.")
_, model, problem = options[choice]
if problem:
    st.error(problem, icon=":material/error:")
else:
    st.caption(f"Layer sizes {describe(choice, model)}.")

canvas_column, result_column = st.columns([1, 1.4], gap="large")

with canvas_column:
    pen_width = st.session_state.get("draw_pen_width", PEN_WIDTH[2])
    st.write("")  # room for the canvas's toolbar, which floats above its top edge
    canvas = st_canvas(stroke_width=pen_width, stroke_color="#ffffff", background_color="#000000",
                       width=CANVAS_SIZE, height=CANVAS_SIZE, drawing_mode="freedraw",
                       update_streamlit=True, return_image_data=True, key=canvas_key())
    st.button("Clear", icon=":material/delete:", on_click=clear_canvas)
    st.slider("Pen width (pixels)", *PEN_WIDTH, key="draw_pen_width",
              help="The default is thick enough to survive shrinking the drawing to 20×20. "
                   "Applies to the next stroke.")

started = time.perf_counter()
image, steps = canvas_to_mnist(canvas.image_data, return_steps=True)
prediction = None
if image is not None and model is not None:
    probabilities, gradient = read_model(model, image)
    prediction = int(np.argmax(probabilities))
milliseconds = (time.perf_counter() - started) * 1000
st.session_state["draw_image"] = image

with result_column:
    if image is None:
        st.info("Draw a digit on the black square: the prediction appears when you lift the "
                "mouse.", icon=":material/draw:")
    elif model is None:
        st.warning("There is no model to read the drawing. See the message above.")
    else:
        order = np.argsort(probabilities)[::-1]
        top, second = probabilities[order[0]], probabilities[order[1]]
        metric_column, confidence_column = st.columns(2)
        metric_column.metric("Prediction", str(prediction))
        confidence_column.metric("Confidence", f"{top:.0%}")
        if top < UNSURE_TOP or top - second < UNSURE_GAP:
            st.warning(f"The model is unsure: it hesitates between **{order[0]}** ({top:.0%}) "
                       f"and **{order[1]}** ({second:.0%}). Try drawing larger or more clearly, "
                       "or teach it below.", icon=":material/help:")
        st.plotly_chart(charts.probability_bars(probabilities, highlight=prediction),
                        key="draw_probabilities")
        st.caption(f"Preprocessing, prediction and saliency took {milliseconds:.1f} ms.")

if image is not None:
    st.subheader("What the network sees")
    st.caption("MNIST digits were prepared in three steps, so a drawing must go through the "
               "same ones: crop to the ink, shrink to fit a 20×20 box keeping the shape, then "
               "place in 28×28 so the centre of mass is in the middle.")
    columns = st.columns(4)
    shown = [
        ("drawn", f"1. As drawn, {CANVAS_SIZE}×{CANVAS_SIZE}"),
        ("cropped", "2. Cropped to the ink, {}×{}"),
        ("scaled", "3. Shrunk to fit 20×20: {}×{}"),
        ("centred", "4. Centred in 28×28: the input"),
    ]
    for column, (name, caption) in zip(columns, shown):
        height, width = steps[name].shape
        column.image(tile(steps[name]), caption=caption.format(width, height), width=140)
    st.caption("The network gets the last picture as 784 numbers between 0 (black) and "
               "1 (white), one per pixel.")

if prediction is not None:
    st.subheader(f"Why {prediction}? Which pixels pushed the answer")
    st.caption(f"The gradient of the score of **{prediction}** with respect to each input pixel: "
               "red pixels raise the score when they get brighter, blue ones lower it. "
               "Left: everywhere (where more ink would help or hurt). Right: multiplied by your "
               "ink, so only the pixels you drew, and how much each one counted.")
    left, right = st.columns(2)
    left.plotly_chart(charts.saliency_map(gradient, image, "Gradient"), key="draw_saliency")
    right.plotly_chart(charts.saliency_map(gradient * image, image, "Gradient × ink"),
                       key="draw_saliency_ink")

st.subheader("Teach it")
if st.session_state.get("draw_teach_error"):
    st.error(st.session_state["draw_teach_error"], icon=":material/error:")
if prediction is not None:
    st.caption(f"Wrong answer? Tell it the right one. The model then takes {TEACH_STEPS} training "
               f"steps on your drawing ({TEACH_OWN - 1} slightly distorted copies too), mixed "
               f"with random MNIST digits so it does not forget the others. Only your own copy "
               "of the model learns; the bundled model stays as it is.")
    label = st.radio("The right answer is", list(range(10)), horizontal=True,
                     index=None, key="draw_teach_label")
    st.button("Teach the model", icon=":material/school:", on_click=teach, args=(label,),
              disabled=label is None, type="primary")
else:
    st.caption("When the model gets a drawing wrong, you can tell it the right answer here "
               "and watch it learn.")

result = st.session_state.get("draw_teach_result")
if result is not None:
    before, after = result["before"], result["after"]
    said_before, says_now = int(np.argmax(before)), int(np.argmax(after))
    st.markdown(f"**Lesson:** this drawing is a **{result['label']}**.")
    columns = st.columns([1, 2, 2])
    columns[0].image(tile(result["image"], 112), caption="The drawing it learnt", width=112)
    truth = result["label"]
    columns[1].metric("Before the lesson", str(said_before))
    columns[1].caption(f"It gave {truth} a probability of {before[truth]:.0%}.")
    columns[2].metric("After the lesson", str(says_now),
                      f"{after[truth] - before[truth]:+.0%} for {truth}")
    columns[2].caption(f"It gives {truth} a probability of {after[truth]:.0%}.")
    st.plotly_chart(charts.before_after_bars(before, after), key="draw_before_after")
    checked = (f"On {TEST_SAMPLES:,} MNIST test digits the copy got {result['accuracy_before']:.1%} "
               f"right before the lesson and {result['accuracy_after']:.1%} after it")
    if result["worst_drop"] > 0.02:
        checked += (f": the lesson cost it some of what it knew, mostly on real "
                    f"**{result['worst_digit']}**s (from {result['worst_before']:.0%} to "
                    f"{result['worst_after']:.0%} right). "
                    "Teaching it that a clear digit is something else changes how it reads "
                    "all digits of that shape.")
    else:
        checked += ": learning your digit did not make it forget the others."
    st.caption(checked)
if st.session_state.get("draw_taught") is not None:
    st.button("Forget what I taught (back to the bundled model)", icon=":material/undo:",
              on_click=forget)
