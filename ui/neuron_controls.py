"""The one-neuron page's controls: data, neuron, exact weights, training settings, presets.

    settings = data_and_model()          # the "Data" and "Neuron" boxes, as a dict
    w1, w2, b = weight_inputs(limits)    # a slider and an exact number box for each, in sync
    lr, problem = learning_rate(model, optimizer)   # any positive number; problem: a sentence
    st.button(..., on_click=apply_preset, args=("t001",))   # a tutorial's set-up in one click
    preset_active("t001")                # are the widgets exactly at that set-up?

Every widget keeps its value under its perceptron_* key in st.session_state; a
default is written there once (setdefault) instead of being passed to the widget,
so a preset can set any of them without Streamlit's "default value and Session
State" warning. The numbers the presets set are tutorial 001's and 002's.
"""

from dataclasses import dataclass

import numpy as np
import streamlit as st

from engine.tutorials import t001
from ui import catalog, state
from ui.neuron_runs import (BLOBS, EIGHT, LOSS_NAMES, ORDERS, PERCEPTRON, SIGMOID, TUTORIAL_EVERY,
                            dataset_label, dataset_options, is_plane_set, optimizer_default_lr,
                            tutorial_start)
from ui.state import PerceptronState

STOCHASTIC = "Stochastic (one point at a time)"
MINI_BATCH = "Mini-batch"
FULL_BATCH = "Full batch (all points at once)"

WEIGHT_KEYS = ("perceptron_w1", "perceptron_w2", "perceptron_b")
START_WEIGHTS = (0.3, -0.6, 0.1)  # a wrong line to start from: move the sliders to fix it
WEIGHT_LIMIT = 5.0
BIAS_LIMIT = 10.0
MAX_SEPARATION = 12.0
LR_LIMITS = (1e-6, 100.0)  # a learning rate outside these is refused, with a sentence
PLAIN_LR = {"perceptron": 0.1, "sgd": 1.0}  # plain gradient descent's defaults on this page


def default(key, value):
    """Write a widget's default into the session once; returns the key for the widget."""
    st.session_state.setdefault(key, value)
    return key


def typed_key(key):
    return f"{key}_typed"


def set_weights(weights):
    """Set w1, w2, b: the sliders and the exact number boxes both."""
    for key, value in zip(WEIGHT_KEYS, weights):
        st.session_state[key] = float(value)
        st.session_state[typed_key(key)] = float(value)


def _copy(source, target):
    st.session_state[target] = st.session_state[source]


def weight_inputs():
    """w1, w2 and b: each a slider (steps of 0.01) beside a number box for exact values.

    The two stay in sync: moving the slider writes the box, typing in the box moves the
    slider. Returns (w1, w2, b), the values as set (1.45 is 1.45, not 1.4 or 1.5).
    """
    labels = ("w₁ (weight of x₁)", "w₂ (weight of x₂)", "b (bias)")
    limits = (WEIGHT_LIMIT, WEIGHT_LIMIT, BIAS_LIMIT)
    values = []
    for key, label, limit, start in zip(WEIGHT_KEYS, labels, limits, START_WEIGHTS):
        default(key, start)
        default(typed_key(key), st.session_state[key])
        slider_col, box_col = st.columns([1.6, 1], vertical_alignment="bottom")
        values.append(slider_col.slider(label, -limit, limit, step=0.01, key=key,
                                        on_change=_copy, args=(key, typed_key(key))))
        state.number_input(box_col, f"{label.split()[0]} exactly", -limit, limit, step=0.01,
                           format="%g", key=typed_key(key), on_change=_copy,
                           args=(typed_key(key), key), label_visibility="collapsed")
    return tuple(values)


# ----------------------------------------------------------------------------
# Data and neuron
# ----------------------------------------------------------------------------


def optimizer_label(name):
    return "plain gradient descent (SGD)" if name == "sgd" else catalog.label("optimizer", name)


def data_and_model():
    """The "Data" and "Neuron" boxes, side by side. Returns the chosen settings as a dict."""
    data_col, model_col = st.columns(2, gap="large")
    chosen = dict(n_points=4, separation=0.0, noise=0.0, data_seed=0, test_percent=0,
                  loss="mse", optimizer=None)
    with data_col:
        dataset = st.selectbox(
            "Data", dataset_options(), format_func=dataset_label, key="perceptron_dataset",
            help="Four logic gates (their truth tables), two clouds of points, the tutorial's 8 "
            "points, or a data set of the Network playground.",
        )
        if dataset == BLOBS or is_plane_set(dataset):
            c1, c2 = st.columns(2)
            chosen["n_points"] = c1.slider("Number of points", 10, 400, step=10,
                                           key=default("perceptron_n_points", 120))
            chosen["data_seed"] = int(state.number_input(c2, "Data seed", 0, 9999,
                                                         key=default("perceptron_data_seed", 0)))
        if dataset == BLOBS:
            chosen["separation"] = c1.slider(
                "Separation", 0.0, MAX_SEPARATION, step=0.5,
                key=default("perceptron_separation", t001.SEPARATION),
                help="The first half of the points (class 0) sits this far from the other "
                "half (class 1) along both axes, as in tutorial 001.")
            chosen["noise"] = c2.slider("Noise (spread of each cloud)", 0.1, 3.0, step=0.1,
                                        key=default("perceptron_noise", 1.0))
        elif is_plane_set(dataset):
            chosen["noise"] = c1.slider(
                "Noise (%)", 0, 50, step=5, key=default("perceptron_plane_noise", 10),
                help="How far chance moves or relabels the points, as in the Network playground.",
            ) / 100.0
        if dataset in (BLOBS, EIGHT) or is_plane_set(dataset):
            chosen["test_percent"] = st.slider(
                "Held out for testing (%)", 0, 50, step=5,
                key=default(f"perceptron_test_percent_{dataset}", 0 if dataset == EIGHT else 25),
                help="These points are never used for training; they show how well the line "
                "works on points it has not seen (drawn as diamonds).",
            )
            if dataset == EIGHT and chosen["test_percent"] == 0:
                st.caption("As in the tutorial, all 8 points are used for training.")
            elif dataset == BLOBS and chosen["test_percent"]:
                st.caption("Split as tutorial 001 splits them: scikit-learn's "
                           "train_test_split(test_size, random_state=42).")
    with model_col:
        model = st.radio("Neuron", (PERCEPTRON, SIGMOID), key="perceptron_model")
        if model == PERCEPTRON:
            st.latex(r"\hat y = \mathrm{step}(z) = \begin{cases} 1 & z \ge 0 \\ 0 & z < 0 \end{cases}")
        else:
            chosen["loss"] = st.radio(
                "Loss", tuple(LOSS_NAMES), format_func=lambda name: LOSS_NAMES[name],
                horizontal=True, key=default("perceptron_loss", "mse"))
            chosen["optimizer"] = st.selectbox(
                "Optimizer", catalog.optimizer_names(), format_func=optimizer_label,
                key=default("perceptron_optimizer", "sgd"),
                help="How each slope becomes a change of w and b: plain gradient descent "
                "w ← w − η ∂E/∂w, or an optimizer of the MNIST page (Adam is tutorial 001's).")
            st.latex(r"\hat y = \sigma(z) = \frac{1}{1 + e^{-z}} \in (0, 1)")
    return dict(chosen, dataset=dataset, model=model)


# ----------------------------------------------------------------------------
# Training settings
# ----------------------------------------------------------------------------


def learning_rate(model, optimizer):
    """The learning-rate box (any number; each optimizer has its own), and what is wrong with it.

    Returns (lr, problem): problem is None, or a sentence saying why lr cannot be used.
    """
    name = "perceptron" if model == PERCEPTRON else optimizer
    start = PLAIN_LR.get(name) or optimizer_default_lr(name)
    lr = state.number_input(
        st, "Learning rate η", step=0.01, format="%g", key=default(f"perceptron_lr_{name}", start),
        help=f"Any number from {LR_LIMITS[0]:g} to {LR_LIMITS[1]:g}, e.g. 0.05 or 0.001. "
        "Each optimizer remembers its own.")
    low, high = LR_LIMITS
    if lr is None or not np.isfinite(lr) or not low <= lr <= high:
        return lr, (f"The learning rate must be a number from {low:g} to {high:g}; it is "
                    f"{lr:g}. Training waits until it is in range." if lr is not None else
                    "Type a learning rate to train.")
    return float(lr), None


def batch_size_setting(n_train):
    """The "Batches" choice (and the batch size of mini-batches): the batch size."""
    mode = st.radio("Batches", (STOCHASTIC, MINI_BATCH, FULL_BATCH), key="perceptron_batch_mode")
    batch_size = {STOCHASTIC: 1, FULL_BATCH: n_train}.get(mode)
    if mode == MINI_BATCH:
        batch_size = st.slider("Batch size", 1, n_train, key=default(
            f"perceptron_batch_size_{n_train}", min(4 if n_train <= 8 else 16, n_train)))
    return batch_size


def order_setting(batch_size, n_train):
    """Which points each update uses: "shuffle" or "replacement" (a full batch: all of them)."""
    order = "shuffle"
    if batch_size < n_train:
        order = st.radio("Points drawn", tuple(ORDERS), format_func=ORDERS.get,
                         key=default("perceptron_order", "shuffle"),
                         help="Shuffled: each epoch uses every point once. With replacement: "
                         "each update draws its points at random, as tutorial 002's "
                         "np.random.randint does; a point may come twice in a row.")
    return order


def epochs_key(dataset):
    return f"perceptron_epochs_{'eight' if dataset == EIGHT else 'other'}"


# ----------------------------------------------------------------------------
# The tutorials' set-ups
# ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Preset:
    label: str  # the button's
    widgets: dict  # widget key -> value: the set-up (weights apart)
    note: str  # what the set-up is, shown when it is active
    weights: object = None  # seed -> (w1, w2, b), or None to keep the learner's


def _t001_widgets():
    n_train = t001.N_POINTS - int(np.ceil(t001.TEST_SIZE * t001.N_POINTS))  # 150
    return {"perceptron_dataset": BLOBS, "perceptron_n_points": t001.N_POINTS,
            "perceptron_separation": t001.SEPARATION, "perceptron_noise": t001.NOISE,
            f"perceptron_test_percent_{BLOBS}": int(100 * t001.TEST_SIZE),
            "perceptron_model": SIGMOID, "perceptron_loss": t001.LOSS,
            "perceptron_optimizer": "adam", "perceptron_lr_adam": t001.LR,
            "perceptron_batch_mode": MINI_BATCH, f"perceptron_batch_size_{n_train}": t001.BATCH_SIZE,
            "perceptron_order": "shuffle", epochs_key(BLOBS): t001.EPOCHS}


T002_ITERATIONS = 10_000
PRESETS = {
    "t001": Preset(
        "Tutorial 001: two blobs", _t001_widgets(),
        "Tutorial 001's set-up: 200 points of two clouds 10 apart (the moved half is class 0), "
        "25 % held out by scikit-learn's split (random_state 42), one sigmoid unit, binary "
        "cross-entropy, Adam with Keras's η = 0.001, β₁ = 0.9, β₂ = 0.999, batches of 32, "
        "1000 epochs."),
    "t002": Preset(
        "Tutorial 002: the 8 points", {
            "perceptron_dataset": EIGHT, f"perceptron_test_percent_{EIGHT}": 0,
            "perceptron_model": SIGMOID, "perceptron_loss": "mse", "perceptron_optimizer": "sgd",
            "perceptron_lr_sgd": 0.1, "perceptron_batch_mode": STOCHASTIC,
            "perceptron_order": "replacement", epochs_key(EIGHT): T002_ITERATIONS // 8},
        f"Tutorial 002's set-up: a sigmoid neuron, squared error (p − t)² on one point at a "
        f"time, η = 0.1, {T002_ITERATIONS:,} iterations, each on a point drawn at random with "
        f"replacement (np.random.randint), start weights and bias from randn after "
        f"np.random.seed(seed). The chart on the right is its error summed over the 8 points "
        f"every {TUTORIAL_EVERY} iterations.",
        weights=tutorial_start),
}


def apply_preset(name):
    """Button callback: set every widget of the preset (and its start weights), then start anew."""
    preset = PRESETS[name]
    for key, value in preset.widgets.items():
        st.session_state[key] = value
    if preset.weights is not None:
        set_weights(preset.weights(int(st.session_state.get("perceptron_seed", 0))))
    page = state.get(PerceptronState)
    with page.live.turn():
        page.live.reset()
        page.run = None


def preset_active(name):
    """True while every widget the preset sets still has the preset's value."""
    return all(st.session_state.get(key) == value for key, value in PRESETS[name].widgets.items())


def preset_buttons(on_click):
    """One button per tutorial set-up, in a row; on_click(name) applies it."""
    cols = st.columns([0.8] + [1.1] * len(PRESETS), vertical_alignment="center")
    cols[0].markdown("**The tutorials' set-ups:**")
    for col, (name, preset) in zip(cols[1:], PRESETS.items()):
        col.button(preset.label, key=f"perceptron_preset_{name}", on_click=on_click, args=(name,),
                   icon=":material/school:", width="stretch")
