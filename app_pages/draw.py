"""Draw a digit: the canvas, MNIST-style preprocessing, the prediction and why.

A thin page: the canvas gives an RGBA image, `engine.preprocess.canvas_to_mnist`
turns it into the 28x28 picture the network was trained on, and `ui.teaching`
reads it with the chosen model (the prediction, and which pixels pushed it up or
down). "Teach it" trains the session's own copy of the model on the drawing
(mixed with MNIST digits, so it does not forget the rest), never the shared one.
The models trained on the MNIST page come from the session's shelf (ui.state.Shelf);
the newest one is selected when it arrives.
"""

import os
import time
from pathlib import Path

import numpy as np
import streamlit as st
from streamlit_drawable_canvas import st_canvas

from engine import TrainingDiverged, load_model
from engine.preprocess import canvas_to_mnist, ink_extent
from ui import charts, state, teaching
from ui.mnist_setup import data_problem, uploaded_history
from ui.teaching import TEACH_BATCH, TEACH_OWN, TEACH_STEPS, TEST_SAMPLES, tile

# The bundled model; the environment variable DRAW_MODEL_PATH can point elsewhere (development).
BUNDLED_PATH = Path(os.environ.get(
    "DRAW_MODEL_PATH", Path(__file__).resolve().parent.parent / "assets" / "mnist_model.npz"))
CANVAS_SIZE = 280
PEN_WIDTH = (8, 40, 20)  # min, max, default; ~20 px survives shrinking 280 -> 20
UNSURE_TOP = 0.6  # unsure when the top probability is below this ...
UNSURE_GAP = 0.2  # ... or the two best are closer than this (and a dot, a dash or scattered
#                   dots are "unsure" from the drawing alone: ui.teaching.not_a_digit)

BUNDLED, TAUGHT, FROM_MNIST = "bundled", "taught", "mnist:"  # option ids of the model box


def canvas_key():
    """The canvas's widget key; Clear moves to a fresh key (an empty canvas)."""
    return f"draw_canvas_{state.get(state.DrawState).canvas_round}"


@st.cache_resource(show_spinner="Loading the bundled model ...")
def bundled_model(path, modified):
    """The bundled model, loaded once per file version and shared: its weights are read-only.

    `modified` (the file's mtime) is only part of the cache key, so a
    retrained file is picked up.
    """
    model = load_model(path)
    model.params.flags.writeable = False
    for layer in model.layers:
        for array in layer.parameters():
            array.flags.writeable = False
    return model


def model_options(page):
    """Option id -> (label, model or None, problem message or None)."""
    options = {}
    if BUNDLED_PATH.exists():
        try:
            model = bundled_model(str(BUNDLED_PATH), BUNDLED_PATH.stat().st_mtime)
            if teaching.reads_digits(model):
                options[BUNDLED] = ("Bundled model", model, None)
            else:
                options[BUNDLED] = ("Bundled model", None, (
                    f"The bundled model maps {model.n_inputs} inputs to {model.n_outputs} "
                    "outputs; reading a drawing needs 784 pixels in and 10 digits out."))
        except ValueError as error:
            options[BUNDLED] = ("Bundled model", None, f"The bundled model could not be read: {error}")
    else:
        options[BUNDLED] = ("Bundled model", None,
                            f"The bundled model `{BUNDLED_PATH.name}` is missing from `assets/`. "
                            "Rebuild it with the command in the README, or train a model on the "
                            "MNIST page and choose it here.")
    for name, model in state.get(state.Shelf).models.items():
        if teaching.reads_digits(model):
            options[FROM_MNIST + name] = (f"MNIST page: {name}", model, None)
    if page.taught is not None:
        lessons = page.taught.lessons
        options[TAUGHT] = (f"Taught in this session (from {page.taught.base}, "
                           f"{lessons} lesson{'s' * (lessons != 1)})", page.taught.model, None)
    return options


def select_newest_from_the_shelf(page):
    """Select the shelf's newest model if it arrived since the page last looked."""
    shelf = state.get(state.Shelf)
    newest = shelf.newest()
    model = shelf.models.get(newest) if newest is not None else None
    if model is not page.newest_seen:
        page.newest_seen = model
        if model is not None and teaching.reads_digits(model):
            st.session_state["draw_model_choice"] = FROM_MNIST + newest


def describe(choice, model, page):
    """'784 → 128 → 10; 98.4% of the MNIST test digits right ...' from what is known."""
    text = " → ".join(str(size) for size in model.sizes)
    tested = [epoch["val_accuracy"] for epoch in uploaded_history(model)
              if "val_accuracy" in epoch]
    if choice == TAUGHT:
        text += (f"; {page.taught.accuracy:.2%} of {TEST_SAMPLES:,} MNIST "
                 "test digits right after the last lesson")
    elif tested:
        text += f"; {tested[-1]:.1%} of the MNIST test digits right after training"
    return text


def teach(label):
    """Button callback: one lesson for the session's own copy of the chosen model."""
    page = state.get(state.DrawState)
    choice = st.session_state.get("draw_model_choice", BUNDLED)
    options = model_options(page)
    if page.image is None or choice not in options or options[choice][1] is None:
        page.error = "Draw a digit first, then teach."
        return
    label_text, model, _ = options[choice]
    taught = page.taught
    if choice != TAUGHT or taught is None:  # start a fresh copy of the chosen model
        taught = state.TaughtCopy(teaching.own_copy(model), label_text)
    try:
        teaching.mnist_digits()  # a lesson replays MNIST digits: their files must be there
    except (OSError, ValueError) as error:
        page.error = data_problem(error)
        return
    seed, page.lesson_seed = page.lesson_seed, page.lesson_seed + 1
    try:
        lesson = teaching.teach(taught.model, page.image, label, seed)
    except (ValueError, TrainingDiverged) as error:
        page.error = f"Teaching failed: {error}"
        return
    taught.lessons += 1
    taught.accuracy = lesson.accuracy_after
    page.taught, page.lesson, page.error = taught, lesson, None
    st.session_state["draw_model_choice"] = TAUGHT


def forget():
    page = state.get(state.DrawState)
    page.taught = page.lesson = None
    st.session_state["draw_model_choice"] = BUNDLED


def clear_canvas():
    page = state.get(state.DrawState)
    st.session_state.pop(canvas_key(), None)
    page.canvas_round += 1
    page.lesson = page.error = None


# --- the page ------------------------------------------------------------------

st.title("Draw a digit")
st.caption("Draw a digit from 0 to 9 with the mouse (or a finger). The network was trained on "
           "MNIST, 60,000 handwritten digits, and reads your drawing after every stroke.")

page = state.get(state.DrawState)
select_newest_from_the_shelf(page)
options = model_options(page)
if st.session_state.get("draw_model_choice") not in options:
    st.session_state["draw_model_choice"] = BUNDLED
choice = st.selectbox("Model", list(options), format_func=lambda key: options[key][0],
                      key="draw_model_choice",
                      help="Models trained or uploaded on the MNIST page in this session "
                           "appear here too; the newest is selected when it arrives.")
_, model, problem = options[choice]
if problem:
    st.error(problem, icon=":material/error:")
else:
    st.caption(f"Layer sizes {describe(choice, model, page)}.")

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
try:
    image, steps = canvas_to_mnist(teaching.canvas_pixels(canvas), return_steps=True)
except ValueError as error:  # only a browser made to send something else gets here
    st.error(f"The drawing could not be used: {error}. Press Clear and draw again.")
    image, steps = None, {}
prediction = None
doubt = teaching.not_a_digit(ink_extent(steps["drawn"]), CANVAS_SIZE) if image is not None else None
if image is not None and model is not None:
    probabilities, gradient = teaching.read(model, image)
    prediction = int(np.argmax(probabilities))
milliseconds = (time.perf_counter() - started) * 1000
page.image = image

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
        if doubt:  # a dot or a dash: the drawing itself says so, whatever the model answers
            st.warning(f"{doubt} The network still says **{order[0]}** ({top:.0%}): its ten "
                       "probabilities always add up to 100%, so it names a digit even for a "
                       "scribble.", icon=":material/help:")
        elif top < UNSURE_TOP or top - second < UNSURE_GAP:
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
if page.error:
    st.error(page.error, icon=":material/error:")
if prediction is not None:
    st.caption(f"Wrong answer, or unsure? Tell it the right one. The model then takes "
               f"{TEACH_STEPS} small training steps, each on your drawing and "
               f"{TEACH_OWN - 1} slightly distorted cop{'y' if TEACH_OWN == 2 else 'ies'} of it "
               f"among {TEACH_BATCH - TEACH_OWN} random MNIST digits, so it does not forget the "
               "others. Only your own copy "
               "of the model learns; the bundled model stays as it is.")
    label = st.radio("The right answer is", list(range(10)), horizontal=True,
                     index=None, key="draw_teach_label")
    st.button("Teach the model", icon=":material/school:", on_click=teach, args=(label,),
              disabled=label is None, type="primary")
else:
    st.caption("When the model gets a drawing wrong, you can tell it the right answer here "
               "and watch it learn.")

result = page.lesson
if result is not None:
    before, after = result.before, result.after
    said_before, says_now = int(np.argmax(before)), int(np.argmax(after))
    st.markdown(f"**Lesson:** this drawing is a **{result.label}**.")
    columns = st.columns([1, 2, 2])
    columns[0].image(tile(result.image, 112), caption="The drawing it learnt", width=112)
    truth = result.label
    columns[1].metric("Before the lesson", str(said_before))
    columns[1].caption(f"It gave {truth} a probability of {teaching.percent(before[truth])}.")
    change = after[truth] - before[truth]  # no arrow for a change that rounds to +0%
    columns[2].metric("After the lesson", str(says_now),
                      f"{change:+.0%} for {truth}" if abs(change) >= 0.005 else None)
    columns[2].caption(f"It gives {truth} a probability of {teaching.percent(after[truth])}.")
    st.plotly_chart(charts.before_after_bars(before, after), key="draw_before_after")
    st.markdown(teaching.lesson_summary(result))
if page.taught is not None:
    st.button("Forget what I taught (back to the bundled model)", icon=":material/undo:",
              on_click=forget)
