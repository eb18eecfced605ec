"""One neuron: set a perceptron's weights by hand, then watch it learn, update by update.

The page has four parts:
    1. the data (logic gates, two blobs, the tutorial's 8 points) and the unit
       (the classic perceptron or a sigmoid neuron);
    2. sliders for w1, w2 and b, with the decision line and the truth table;
    3. training from those weights, live: an `st.fragment` that reruns every
       FRAME_SECONDS while playing and advances the engine's `UnitTrainer` by a
       few updates each time, then redraws the boundary, the loss curve and the
       numbers of the last update (w <- w - eta * dE/dw);
    4. for XOR: why one unit fails, and a 2-4-1 network that succeeds.

Every number comes from engine/units.py (the unit and its trainer) and
engine/model.py (the small network for XOR). Per-user state lives in
st.session_state under keys starting with "perceptron_".
"""

import math
import time

import numpy as np
import pandas as pd
import streamlit as st

from ui import charts
from engine import datasets
from engine.layers import Dense
from engine.model import Sequential
from engine.optimizers import Adam
from engine.units import Perceptron, SigmoidNeuron, UnitTrainer, total_squared_error

GATES = ("OR", "AND", "NAND", "XOR")
BLOBS = "Two blobs"
EIGHT = "The 8-point set"
DATASETS = GATES + (BLOBS, EIGHT)

PERCEPTRON = "Perceptron (step unit, perceptron rule)"
SIGMOID = "Sigmoid neuron (gradient descent)"
LOSS_NAMES = {"mse": "mean squared error", "bce": "binary cross-entropy"}

# A known solution per gate: (w1, w2, b). OR = step(-1 + x1 + x2).
GATE_SOLUTIONS = {"OR": (1.0, 1.0, -1.0), "AND": (1.0, 1.0, -1.5), "NAND": (-1.0, -1.0, 1.5)}
START_WEIGHTS = (0.3, -0.6, 0.1)  # a wrong line to start from: move the sliders to fix it
WEIGHT_LIMIT = 5.0
BIAS_LIMIT = 10.0

STOCHASTIC = "Stochastic (one point at a time)"
MINI_BATCH = "Mini-batch"
FULL_BATCH = "Full batch (all points at once)"

LEARNING_RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
MAX_EPOCHS = 2000
# While playing, the live view redraws this often. Streamlit mounts a new plotly chart for
# each frame, so a frame must leave the browser time to draw it even on a slow computer.
FRAME_SECONDS = 0.5
# Seconds a whole run should take at each animation speed ("slow": one update per frame).
# Updates are paced by the clock, not by frames, so a busy computer shows fewer frames but
# a run still lasts about as long.
SPEEDS = {"slow": None, "normal": 15.0, "fast": 4.0}
MAX_FRAME_GAP = 1.0  # seconds; a longer gap between frames (a slow machine) is not caught up
TUTORIAL_EVERY = 100  # the 8-point chart: total error every 100 updates, as in the tutorial
MAX_CURVE_POINTS = 1000  # the loss curve keeps between 1000 and 2000 points (see record)
FRAME_BUDGET_SECONDS = 0.2  # a frame stops updating after this long, so a click is answered soon

ROUNDING_DUST = 1e-12  # smaller numbers are shown as 0 (and count as "on the line")

RUN = "perceptron_run"
PLAYING = "perceptron_playing"


# ----------------------------------------------------------------------------
# Data and units
# ----------------------------------------------------------------------------


def load_data(name, n_points, separation, noise, data_seed, test_percent):
    """The chosen data set as a dict of float arrays: train and (maybe empty) test points."""
    if name in GATES:
        X, y = datasets.logic_gate(name)
    elif name == BLOBS:
        X, y = datasets.blobs(n_points=n_points, separation=separation, noise=noise, seed=data_seed)
    else:
        X, y = datasets.eight_points()
    X, y = X.astype(np.float64), y.astype(np.float64)
    if test_percent > 0:
        X_train, X_test, y_train, y_test = datasets.train_test_split(
            X, y, test_size=test_percent / 100.0, seed=data_seed
        )
    else:
        X_train, y_train = X, y
        X_test, y_test = X[:0], y[:0]
    return {"X_train": X_train, "y_train": y_train, "X_test": X_test, "y_test": y_test}


def make_unit(model, loss, lr, weights):
    """A Perceptron or SigmoidNeuron with the given (w1, w2, b)."""
    if model == PERCEPTRON:
        unit = Perceptron(n_inputs=2, lr=lr)
    else:
        unit = SigmoidNeuron(n_inputs=2, lr=lr, loss=loss)
    unit.w = weights[:2]
    unit.b = weights[2]
    return unit


def correct_count(unit, X, y):
    return len(y) - unit.errors(X, y) if len(y) else 0


def percent(correct, total):
    """'100%' only when every point is right: rounded down, never up to 100."""
    return f"{100 if correct == total else math.floor(100.0 * correct / total)}%"


def percent_text(correct, total):
    """'75% (3 of 4)'."""
    return f"{percent(correct, total)} ({correct} of {total})"


def number(value, digits=4):
    """A short, readable number: 0.3, -1, 0.0004213 (4 significant digits).

    Rounding dust below 1e-12 shows as 0: ten steps of 0.1 leave w = -2.8e-17, not 0.
    """
    if abs(value) < ROUNDING_DUST:
        value = 0.0
    text = f"{value:.{digits}g}"
    return "0" if text == "-0" else text


def latex_number(value):
    """A number for a LaTeX formula: 0.3, or 4.616 \\times 10^{-18} instead of 4.616e-18."""
    text = number(value)
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return text


def signed(value):
    """A number ready to follow an operator in a formula: (-1) in parentheses, 0.3 bare."""
    text = latex_number(value)
    return f"({text})" if text.startswith("-") else text


def unit_formula(model, w, b):
    """LaTeX for the unit with numbers: step(0.3 x1 - 0.6 x2 + 0.1)."""
    f = r"\mathrm{step}" if model == PERCEPTRON else r"\sigma"
    terms = f"{number(w[0])}\\,x_1 {'-' if w[1] < 0 else '+'} {number(abs(w[1]))}\\,x_2 " \
            f"{'-' if b < 0 else '+'} {number(abs(b))}"
    return rf"\hat y = {f}\left({terms}\right)"


def boundary_figure(unit, data, highlight=None, resolution=80):
    """The unit's output over the plane, the training points (circles) and test points (diamonds)."""
    X = np.concatenate([data["X_train"], data["X_test"]])
    y = np.concatenate([data["y_train"], data["y_test"]]).astype(np.int64)
    is_test = np.arange(len(y)) >= len(data["y_train"])
    fig = charts.decision_boundary(unit.output, X, y, test_mask=is_test, height=440,
                                  resolution=resolution)
    # The exact line w . x + b = 0 replaces the traced 0.5 contour, which zigzags along the
    # grid for a step unit; the shading stays the unit's own output.
    fig.update_traces(visible=False, selector=dict(type="contour", name="boundary (0.5)"))
    fig.update_traces(colorbar_title_text="output ŷ", selector=dict(type="contour"))
    charts.add_line(fig, unit.w, unit.b)
    if highlight is not None and len(highlight):
        points = data["X_train"][highlight]
        fig.add_scatter(
            x=points[:, 0], y=points[:, 1], mode="markers", name="used by the last update",
            marker=dict(symbol="circle-open", size=24, color="#1c2430", line=dict(width=3)),
            hoverinfo="skip",
        )
    return fig


def last_update_latex(trace):
    """The last update with its numbers, one row per parameter: w1 <- 0.3 - 0.1 x (-1) = 0.4."""
    eta = latex_number(trace["lr"])
    names = ("w_1", "w_2", "b")
    befores = (*trace["w_before"], trace["b_before"])
    grads = (*trace["grad_w"], trace["grad_b"])
    afters = (*trace["w"], trace["b"])
    rows = [
        rf"{name} &\leftarrow {latex_number(before)} - {eta} \times {signed(grad)} = {latex_number(after)}"
        for name, before, grad, after in zip(names, befores, grads, afters)
    ]
    return r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"


def batch_text(trace, data, model):
    """Which points the last update used, in words."""
    indices = trace["indices"] or []
    if len(indices) == 1:
        i = indices[0]
        x, target = data["X_train"][i], data["y_train"][i]
        z = float(x @ np.array(trace["w_before"]) + trace["b_before"])
        said = (f"ŷ = {1 if z >= 0 else 0}" if model == PERCEPTRON
                else f"ŷ = σ({number(z, 3)}) = {number(1 / (1 + math.exp(-z)), 3)}")
        verdict = ""
        if model == PERCEPTRON:
            verdict = " (right, so nothing changes)" if (z >= 0) == (target == 1) else " (wrong, so the line moves)"
        return (f"Update {trace['update']} (epoch {trace['epoch']}) used the point "
                f"x = ({number(x[0], 3)}, {number(x[1], 3)}) with target y = {int(target)}; "
                f"the neuron said {said}{verdict}.")
    return (f"Update {trace['update']} (epoch {trace['epoch']}) used {len(indices)} points "
            f"of {len(data['y_train'])}.")


@st.cache_data(show_spinner=False)
def xor_network_weights(seed=0, epochs=500):
    """Train a 2-4-1 network (tanh hidden layer, sigmoid output) on XOR; return its weights.

    The same for every user (a fixed seed), so it is cached; the page rebuilds the
    network from these numbers.
    """
    X, y = datasets.logic_gate("xor")
    network = xor_network(seed)
    history = network.fit(X, y, epochs=epochs, batch_size=4, optimizer=Adam(lr=0.05),
                          loss="binary_cross_entropy", seed=seed)
    return {
        "weights": [(layer.W.copy(), layer.b.copy()) for layer in network.layers],
        "loss": [epoch["loss"] for epoch in history],
    }


def xor_network(seed=0):
    """2 inputs -> 4 tanh hidden neurons -> 1 sigmoid output."""
    return Sequential([Dense(2, 4, "tanh"), Dense(4, 1, "sigmoid")], seed=seed)


# ----------------------------------------------------------------------------
# Training state: one run per user, rebuilt when a setting it depends on changes
# ----------------------------------------------------------------------------


def new_run(signature, data, unit, batch_size, seed):
    """A fresh training run: the unit, its UnitTrainer and the curves, before any update."""
    trainer = UnitTrainer(unit, data["X_train"], data["y_train"], batch_size=batch_size, seed=seed)
    run = {
        "signature": signature,
        "data": data,
        "trainer": trainer,
        "updates": [0],  # x of the loss curve
        "train_loss": [unit.loss(data["X_train"], data["y_train"])],
        "test_loss": [unit.loss(data["X_test"], data["y_test"])] if len(data["y_test"]) else [],
        "tutorial_updates": [0],  # the 8-point chart: every TUTORIAL_EVERY updates
        "tutorial_error": [total_squared_error(unit, data["X_train"], data["y_train"])],
        "last": None,  # trace of the last update (a dict of numbers from the engine)
        "curve_stride": 1,  # the loss curve keeps every curve_stride-th update
    }
    return run


def record(run, trace):
    """Keep what the charts need after one update.

    The loss curve keeps every `curve_stride`-th update; when it grows past
    2 * MAX_CURVE_POINTS it drops every other point and doubles the stride, so a
    long run stays light to store and to draw.
    """
    unit, data = run["trainer"].unit, run["data"]
    run["last"] = trace
    if trace["update"] % run["curve_stride"] == 0:
        run["updates"].append(trace["update"])
        run["train_loss"].append(unit.loss(data["X_train"], data["y_train"]))
        if len(data["y_test"]):
            run["test_loss"].append(unit.loss(data["X_test"], data["y_test"]))
        if len(run["updates"]) > 2 * MAX_CURVE_POINTS:
            for name in ("updates", "train_loss", "test_loss"):
                run[name] = run[name][::2]
            run["curve_stride"] *= 2
    if trace["update"] % TUTORIAL_EVERY == 0:
        run["tutorial_updates"].append(trace["update"])
        run["tutorial_error"].append(total_squared_error(unit, data["X_train"], data["y_train"]))


def advance(run, n_updates, seconds=None):
    """Make n_updates updates (fewer if `seconds` run out first); returns how many were made."""
    deadline = None if seconds is None else time.monotonic() + seconds
    for done in range(1, n_updates + 1):
        record(run, run["trainer"].step(1)[0])
        if deadline is not None and time.monotonic() > deadline:
            return done
    return n_updates


def remaining_updates(run, epochs):
    trainer = run["trainer"]
    return max(0, epochs * trainer.updates_per_epoch - trainer.updates)


def updates_this_frame(run, epochs, speed):
    """How many updates the next frame makes: paced by the clock, at least one."""
    seconds = SPEEDS[speed]
    if seconds is None:
        return 1
    now = time.monotonic()
    last = run.get("frame_time")
    elapsed = FRAME_SECONDS if last is None else min(MAX_FRAME_GAP, now - last)
    run["frame_time"] = now
    rate = epochs * run["trainer"].updates_per_epoch / seconds  # updates per second
    run["credit"] = run.get("credit", 0.0) + rate * elapsed
    n = max(1, int(run["credit"]))
    run["credit"] -= n
    return n


# Button callbacks: they run before the script, so the page draws the new state.


def set_playing(playing):
    """Play or Pause. Idempotent on purpose: a click delivered twice must not undo itself."""
    st.session_state[PLAYING] = playing
    run = st.session_state.get(RUN)
    if run is not None:  # the clock of the animation starts again
        run["frame_time"], run["credit"] = None, 0.0


def step_update():
    st.session_state[PLAYING] = False
    if RUN in st.session_state:
        advance(st.session_state[RUN], 1)


def step_epoch():
    """Finish the epoch under way (a whole one if none is), one recorded update at a time."""
    st.session_state[PLAYING] = False
    run = st.session_state.get(RUN)
    if run is None:
        return
    epoch = run["trainer"].epoch
    advance(run, 1)
    while run["trainer"].epoch == epoch:
        advance(run, 1)


def reset_run():
    st.session_state[PLAYING] = False
    st.session_state.pop(RUN, None)


def set_weights(weights):
    w1, w2, b = weights
    st.session_state["perceptron_w1"] = w1
    st.session_state["perceptron_w2"] = w2
    st.session_state["perceptron_b"] = b


# ----------------------------------------------------------------------------
# The page
# ----------------------------------------------------------------------------

st.title("One neuron & the perceptron")
st.markdown(
    "A single neuron takes two inputs $x_1, x_2$, weighs them, adds a bias and squashes "
    "the sum. Whatever the weights, the points where the sum is exactly zero form a "
    "**straight line**: the neuron says *class 1* on one side of it and *class 0* on the other."
)
st.latex(r"z = w_1 x_1 + w_2 x_2 + b, \qquad \hat y = f(z), \qquad \text{decision line: } z = 0")

# --- 1. Data and model --------------------------------------------------------
st.header("1. Choose the data and the neuron")
data_col, model_col = st.columns(2, gap="large")
with data_col:
    dataset = st.selectbox(
        "Data", DATASETS, key="perceptron_dataset",
        help="Four logic gates (their truth tables), two clouds of points, or the tutorial's 8 points.",
    )
    n_points, separation, noise, data_seed, test_percent = 4, 0.0, 0.0, 0, 0
    if dataset == BLOBS:
        c1, c2 = st.columns(2)
        n_points = c1.slider("Number of points", 10, 400, 120, step=10, key="perceptron_n_points")
        data_seed = c2.number_input("Data seed", 0, 9999, 0, key="perceptron_data_seed")
        separation = c1.slider(
            "Separation", 0.0, 8.0, 4.0, step=0.5, key="perceptron_separation",
            help="Class 1 sits this far from class 0 along both axes.",
        )
        noise = c2.slider(
            "Noise (spread of each cloud)", 0.1, 3.0, 1.0, step=0.1, key="perceptron_noise"
        )
    if dataset in (BLOBS, EIGHT):
        test_percent = st.slider(
            "Held out for testing (%)", 0, 50, 25 if dataset == BLOBS else 0, step=5,
            key=f"perceptron_test_percent_{dataset}",
            help="These points are never used for training; they show how well the line "
            "works on points it has not seen (drawn as diamonds).",
        )
        if dataset == EIGHT and test_percent == 0:
            st.caption("As in the tutorial, all 8 points are used for training.")
with model_col:
    model = st.radio("Neuron", (PERCEPTRON, SIGMOID), key="perceptron_model")
    loss = "mse"
    if model == PERCEPTRON:
        st.latex(r"\hat y = \mathrm{step}(z) = \begin{cases} 1 & z \ge 0 \\ 0 & z < 0 \end{cases}")
    else:
        loss = st.radio(
            "Loss", tuple(LOSS_NAMES), format_func=lambda name: LOSS_NAMES[name],
            horizontal=True, key="perceptron_loss",
        )
        st.latex(r"\hat y = \sigma(z) = \frac{1}{1 + e^{-z}} \in (0, 1)")

try:
    data = load_data(dataset, n_points, separation, noise, int(data_seed), test_percent)
except ValueError as err:  # e.g. too few points to hold some out
    st.error(f"These data settings do not work: {err}. Change the number of points or the test share.")
    st.stop()
X_train, y_train, X_test, y_test = data["X_train"], data["y_train"], data["X_test"], data["y_test"]

if dataset == "XOR":
    st.info(
        "XOR is 1 when exactly one input is 1. Try to find a line that puts (0, 1) and (1, 0) "
        "on one side and (0, 0), (1, 1) on the other: there is none. See part 4.",
        icon=":material/lightbulb:",
    )
elif dataset == EIGHT:
    st.info(
        "The points (2, 1) and (2, 0.5) of class 1 sit among the points of class 0: no straight "
        "line separates the two classes. The best line gets 6 of the 8 points right.",
        icon=":material/lightbulb:",
    )

# --- 2. Hand-set weights -----------------------------------------------------
st.header("2. Set the weights by hand")
st.markdown(
    "Move the sliders and watch the line turn and slide. The background shows the neuron's "
    "output: blue where it says class 1, orange where it says class 0."
)
for key, value in zip(("perceptron_w1", "perceptron_w2", "perceptron_b"), START_WEIGHTS):
    st.session_state.setdefault(key, value)
slider_col, hand_chart_col = st.columns([2, 3], gap="large")
with slider_col:
    w1 = st.slider("w₁ (weight of x₁)", -WEIGHT_LIMIT, WEIGHT_LIMIT, step=0.1, key="perceptron_w1")
    w2 = st.slider("w₂ (weight of x₂)", -WEIGHT_LIMIT, WEIGHT_LIMIT, step=0.1, key="perceptron_w2")
    b = st.slider("b (bias)", -BIAS_LIMIT, BIAS_LIMIT, step=0.1, key="perceptron_b")
    if dataset in GATE_SOLUTIONS:
        solution = GATE_SOLUTIONS[dataset]
        st.button(
            f"Show a solution for {dataset}", key="perceptron_solution",
            on_click=set_weights, args=(solution,),
            help=f"Sets w₁ = {solution[0]:g}, w₂ = {solution[1]:g}, b = {solution[2]:g}.",
        )
    st.caption(f"Limits: weights from {-WEIGHT_LIMIT:g} to {WEIGHT_LIMIT:g}, "
               f"bias from {-BIAS_LIMIT:g} to {BIAS_LIMIT:g}.")

hand_unit = make_unit(model, loss, 0.1, (w1, w2, b))  # its learning rate is never used
with hand_chart_col:
    st.latex(unit_formula(model, hand_unit.w, hand_unit.b))
    st.plotly_chart(
        boundary_figure(hand_unit, data), key="perceptron_hand_chart",
        config={"displayModeBar": False},
    )

if dataset in GATES:
    z = hand_unit.net_input(X_train)
    said = hand_unit.predict(X_train)
    n_right = int(np.sum(said == y_train))
    table = {
        "x₁": X_train[:, 0].astype(int),
        "x₂": X_train[:, 1].astype(int),
        "z = w₁x₁ + w₂x₂ + b": [number(value) for value in z],
    }
    if model == SIGMOID:
        table["ŷ = σ(z)"] = [number(value, 3) for value in hand_unit.output(X_train)]
    table["neuron says"] = said
    table[f"{dataset} (target)"] = y_train.astype(int)
    table["right?"] = np.where(said == y_train, "yes", "no")
    st.markdown(f"**Truth table: {n_right} of 4 right**")
    st.table(pd.DataFrame(table), hide_index=True)
    if n_right == 4:
        st.success(f"All four rows are right: this neuron computes {dataset}.")
    elif dataset == "XOR":
        st.warning("No weights get all four XOR rows right; 3 of 4 is the best a single line can do.")
    if model == PERCEPTRON and np.any(z == 0):
        st.caption("A point exactly on the line has z = 0, and step(0) = 1: it counts as class 1.")
else:
    with slider_col:
        right = correct_count(hand_unit, X_train, y_train)
        st.markdown(f"**Training points right: {percent_text(right, len(y_train))}**")
        if len(y_test):
            right = correct_count(hand_unit, X_test, y_test)
            st.markdown(f"**Test points right: {percent_text(right, len(y_test))}**")

# --- 3. Training ------------------------------------------------------------------
st.header("3. Let it learn")
st.markdown(
    "Training starts from the weights you set above and changes them a little after each "
    "batch of points, against the slope of the error:"
)
st.latex(r"w \leftarrow w - \eta\,\frac{\partial E}{\partial w}, \qquad b \leftarrow b - \eta\,\frac{\partial E}{\partial b}")
with st.expander("Where do the slopes ∂E/∂w come from?"):
    if model == PERCEPTRON:
        st.markdown(
            "The **perceptron rule** (Rosenblatt, 1958): for each point, $w \\leftarrow w + "
            "\\eta\\,(y - \\hat y)\\,x$. A point it gets right ($y = \\hat y$) changes nothing; a "
            "missed point pulls the line towards being right about it. Written as a slope, with the "
            "corrections of a batch added up:"
        )
        st.latex(r"\frac{\partial E}{\partial w_i} = -\sum_{\text{batch}} (y - \hat y)\,x_i, \qquad "
                 r"\frac{\partial E}{\partial b} = -\sum_{\text{batch}} (y - \hat y)")
        st.markdown("The loss curve counts the **mistakes** on the training points.")
    elif loss == "mse":
        st.markdown("Gradient descent on the **mean squared error** over the batch of $m$ points, "
                    "with the chain rule through the sigmoid, $\\sigma'(z) = \\hat y(1 - \\hat y)$:")
        st.latex(r"E = \frac{1}{m}\sum (\hat y - y)^2, \qquad \frac{\partial E}{\partial w_i} = "
                 r"\frac{1}{m}\sum 2(\hat y - y)\,\hat y(1 - \hat y)\,x_i")
    else:
        st.markdown("Gradient descent on the **binary cross-entropy** over the batch of $m$ points; "
                    "the sigmoid's slope cancels out, which keeps learning fast when the neuron is "
                    "confidently wrong:")
        st.latex(r"E = -\frac{1}{m}\sum \big[y \ln \hat y + (1 - y)\ln(1 - \hat y)\big], \qquad "
                 r"\frac{\partial E}{\partial w_i} = \frac{1}{m}\sum (\hat y - y)\,x_i")

n_train = len(y_train)
setting_cols = st.columns(4, gap="medium")
with setting_cols[0]:
    batch_mode = st.radio("Batches", (STOCHASTIC, MINI_BATCH, FULL_BATCH), key="perceptron_batch_mode")
    batch_size = 1
    if batch_mode == MINI_BATCH:
        batch_size = st.slider(
            "Batch size", 1, n_train, min(4 if n_train <= 8 else 16, n_train),
            key=f"perceptron_batch_size_{n_train}",
        )
    elif batch_mode == FULL_BATCH:
        batch_size = n_train
with setting_cols[1]:
    epochs = st.number_input(
        f"Epochs (1 to {MAX_EPOCHS})", 1, MAX_EPOCHS, 500 if dataset == EIGHT else 20,
        key=f"perceptron_epochs_{'eight' if dataset == EIGHT else 'other'}",
        help="One epoch uses every training point once.",
    )
with setting_cols[2]:
    lr = st.select_slider(
        "Learning rate η", LEARNING_RATES, 0.1 if model == PERCEPTRON else 1.0,
        key=f"perceptron_lr_{'perceptron' if model == PERCEPTRON else 'sigmoid'}",
    )
    seed = st.number_input(
        "Seed (order of the points)", 0, 9999, 0, key="perceptron_seed",
        help="Each epoch visits the points in an order drawn from this seed.",
    )
with setting_cols[3]:
    speed = st.select_slider(
        "Animation speed", tuple(SPEEDS), "normal", key="perceptron_speed",
        help="slow: one update per frame; normal: the whole run takes about 15 seconds; fast: about 4 "
        "(longer for very long runs: each frame computes for at most a fifth of a second).",
    )

signature = (dataset, n_points, separation, noise, int(data_seed), test_percent, model, loss,
             batch_size, int(seed), w1, w2, b)
run = st.session_state.get(RUN)
if run is None or run["signature"] != signature:
    try:
        unit = make_unit(model, loss, lr, (w1, w2, b))
        run = new_run(signature, data, unit, batch_size, int(seed))
    except ValueError as err:
        st.error(f"Training cannot start with these settings: {err}")
        st.stop()
    st.session_state[RUN] = run
    st.session_state[PLAYING] = False
run["trainer"].unit.lr = lr  # the learning rate may change between updates
playing = st.session_state.get(PLAYING, False)
finished = remaining_updates(run, epochs) == 0

button_cols = st.columns([1, 1.4, 1.4, 1])
button_cols[0].button(
    "Pause" if playing else "Play", key="perceptron_play", on_click=set_playing, args=(not playing,),
    icon=":material/pause:" if playing else ":material/play_arrow:", type="primary",
    disabled=finished and not playing, width="stretch",
)
button_cols[1].button("Step (one update)", key="perceptron_step_update", on_click=step_update,
                      icon=":material/skip_next:", width="stretch")
button_cols[2].button("Step (one epoch)", key="perceptron_step_epoch", on_click=step_epoch,
                      icon=":material/fast_forward:", width="stretch")
button_cols[3].button("Reset", key="perceptron_reset", on_click=reset_run,
                      icon=":material/restart_alt:", width="stretch",
                      help="Back to the weights set above, with no update made.")


@st.fragment(run_every=FRAME_SECONDS if playing else None)
def live_view(epochs, speed, model, loss, dataset):
    """The part of the page that redraws while training plays: it advances, then draws."""
    run = st.session_state.get(RUN)
    if run is None:
        st.rerun()  # Reset was pressed: rebuild the run from the settings
    trainer, data = run["trainer"], run["data"]
    if st.session_state.get(PLAYING, False):
        n = min(updates_this_frame(run, epochs, speed), remaining_updates(run, epochs))
        if advance(run, n, seconds=FRAME_BUDGET_SECONDS) < n:
            run["credit"] = 0.0  # this machine cannot keep that pace: do not pile up a debt
        if remaining_updates(run, epochs) == 0:
            st.session_state[PLAYING] = False
            st.rerun()  # the whole page, so the timer stops and Play becomes available again
    unit = trainer.unit
    playing_now = st.session_state.get(PLAYING, False)

    if playing_now:
        st.markdown(f"**Training…** epoch {trainer.epoch + 1} of {epochs}")
    elif remaining_updates(run, epochs) == 0:
        st.success(f"Training finished: all {epochs} epochs are done ({trainer.updates} updates). "
                   "Press Reset to start again, or raise the epochs to go on.")
    elif trainer.updates == 0:
        st.markdown("**Ready.** Press *Play*, or step through one update at a time.")
    else:
        st.markdown(f"**Paused** after update {trainer.updates}.")
    st.progress(min(1.0, trainer.updates / max(1, epochs * trainer.updates_per_epoch)))

    X_train, y_train, X_test, y_test = data["X_train"], data["y_train"], data["X_test"], data["y_test"]
    last = run["last"]
    chart_col, numbers_col = st.columns(2, gap="large")
    with chart_col:
        highlight = None
        if last is not None and last["batch_size"] < len(y_train):
            highlight = last["indices"]
        # a coarser grid while playing keeps each frame light
        st.markdown(f"**Decision boundary after update {trainer.updates}**")
        fig = boundary_figure(unit, data, highlight, resolution=50 if playing_now else 80)
        st.plotly_chart(fig, key="perceptron_live_chart", config={"displayModeBar": False})
        z = unit.net_input(X_train)
        on_line = np.flatnonzero(np.abs(z) < ROUNDING_DUST)
        if model == PERCEPTRON and len(on_line):
            i = on_line[0]
            where = f"The point ({number(X_train[i, 0], 3)}, {number(X_train[i, 1], 3)}) lies on the line"
            if z[i] >= 0:
                st.caption(f"{where}: z = 0 there, and step(0) = 1, so it counts as class 1.")
            else:  # -1e-17 or so: the sum of a few 0.1 steps is not exactly 0 in a computer
                st.caption(f"{where}, up to rounding: the computer gets z = {z[i]:.1e} there, just "
                           "below 0, so the step says class 0.")
    with numbers_col:
        accuracy_cols = st.columns(2)
        right = correct_count(unit, X_train, y_train)
        accuracy_cols[0].metric("Training accuracy", percent(right, len(y_train)))
        accuracy_cols[0].caption(f"{right} of {len(y_train)} training points right")
        if len(y_test):
            right = correct_count(unit, X_test, y_test)
            accuracy_cols[1].metric("Test accuracy", percent(right, len(y_test)))
            accuracy_cols[1].caption(f"{right} of {len(y_test)} test points right")
        else:
            accuracy_cols[1].metric("Test accuracy", "–")
            accuracy_cols[1].caption("no points are held out")
        count_cols = st.columns(2)
        count_cols[0].metric("Updates", trainer.updates)
        count_cols[1].metric("Epochs done", trainer.epoch)
        count_cols[1].caption(f"of {epochs}")
        weight_cols = st.columns(3)
        deltas = [None] * 3
        if last is not None:
            deltas = [w - w0 for w, w0 in zip(last["w"], last["w_before"])] + [last["b"] - last["b_before"]]
        for col, label, value, delta in zip(weight_cols, ("w₁", "w₂", "b"), (*unit.w, unit.b), deltas):
            col.metric(label, number(value), None if delta is None else number(delta),
                       delta_color="off")
        if last is not None:
            st.caption("Under each weight: how much the last update changed it.")

    st.markdown("**The last update, with its numbers**")
    if last is None:
        st.caption("No update yet: press Play or Step, and each update's numbers appear here.")
    else:
        st.markdown(batch_text(last, data, model) + " Each row below is "
                    "$w \\leftarrow w - \\eta\\,\\partial E/\\partial w$ with its numbers: "
                    "old value − learning rate × slope = new value.")
        st.latex(last_update_latex(last))

    loss_label = "mistakes" if model == PERCEPTRON else LOSS_NAMES[loss]
    series = {"training points": run["train_loss"]}
    if run["test_loss"]:
        series["test points"] = run["test_loss"]
    fig = charts.line_chart(series, x=run["updates"], xlabel="update",
                           ylabel=loss_label, height=340)
    if model == PERCEPTRON:  # whole mistakes: no ticks at 2.5
        fig.update_yaxes(tick0=0, dtick=max(1, math.ceil(max(run["train_loss"] + run["test_loss"]) / 5)))
    loss_col, tutorial_col = st.columns(2, gap="large") if dataset == EIGHT else (st.container(), None)
    with loss_col:
        st.markdown(f"**Loss ({loss_label}) after each update**")
        st.plotly_chart(fig, key="perceptron_loss_chart", config={"displayModeBar": False})
    if tutorial_col is not None:
        with tutorial_col:
            st.markdown(f"**Error summed over all training points, every {TUTORIAL_EVERY} updates** "
                        "(the tutorial's chart)")
            fig = charts.line_chart({"E": run["tutorial_error"]}, x=run["tutorial_updates"],
                                   xlabel="update", ylabel="E = Σ (ŷ − y)²", height=340,
                                   mode="lines+markers")
            st.plotly_chart(fig, key="perceptron_tutorial_chart", config={"displayModeBar": False})

    if dataset == "XOR" and trainer.updates > 0 and correct_count(unit, X_train, y_train) < 4:
        st.warning(
            "The single neuron keeps moving its line but never gets all four XOR rows right: "
            "at most 3 of 4. XOR is **not linearly separable**: (0, 1) and (1, 0) sit at opposite "
            "corners, with (0, 0) and (1, 1) between them, and one straight line cannot cut the "
            "square that way. Part 4 shows what does work."
        )


live_view(int(epochs), speed, model, loss, dataset)


# --- 4. XOR needs a hidden layer -----------------------------------------------
st.header("4. When one line is not enough: XOR")
if dataset != "XOR":
    st.markdown("Choose **XOR** as the data above to see a single neuron fail, and how a "
                "hidden layer fixes it.")
else:
    st.markdown(
        "Give the inputs to **four hidden neurons** first, each drawing its own line (dashed), "
        "and let one output neuron combine their answers. The region for class 1 no longer has "
        "to be one side of one line. This 2-4-1 network, trained by the same engine "
        "(tanh hidden layer, sigmoid output, Adam on binary cross-entropy, 500 epochs), solves XOR:"
    )
    trained = xor_network_weights()
    network = xor_network()
    for layer, (W, bias) in zip(network.layers, trained["weights"]):
        layer.W, layer.b = W, bias
    X_xor, y_xor = datasets.logic_gate("xor")

    def network_output(points):
        return network.predict(points)[:, 0]

    net_col, table_col = st.columns([3, 2], gap="large")
    with net_col:
        fig = charts.decision_boundary(network_output, X_xor, y_xor,
                                      title="A 2-4-1 network on XOR", height=460)
        hidden_W, hidden_b = trained["weights"][0]
        for j in range(hidden_W.shape[1]):  # hidden neuron j says 0 (tanh) on its line
            charts.add_line(fig, hidden_W[:, j], hidden_b[j], name="hidden neurons' lines",
                           colour="#7f7f7f", width=2, dash="dash", showlegend=j == 0)
        st.plotly_chart(fig, key="perceptron_xor_network_chart", config={"displayModeBar": False})
    with table_col:
        outputs = network_output(X_xor)
        st.markdown(f"**Truth table of the network: {int(np.sum((outputs >= 0.5) == y_xor))} of 4 right**")
        st.table(
            pd.DataFrame({
                "x₁": X_xor[:, 0].astype(int), "x₂": X_xor[:, 1].astype(int),
                "output": [number(value, 3) for value in outputs],
                "says": (outputs >= 0.5).astype(int), "XOR": y_xor,
            }),
            hide_index=True,
        )
        st.caption(f"Final loss after {len(trained['loss'])} epochs: {trained['loss'][-1]:.4f}. "
                   "The MNIST page builds bigger networks the same way.")
