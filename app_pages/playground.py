"""Network playground: a multi-layer network learns 2-D data while you watch.

Modelled on the TensorFlow Neural Network Playground (playground.tensorflow.org):
pick the data, the inputs and the network, press Play, and watch the decision
regions, each hidden unit and each weight change as the network learns.

The page has five parts:
    1. settings, in two tables (DATA_SETTINGS shared by both networks,
       NET_SETTINGS per network): each has a URL name, a default and a parser
       that says what it expected; the page reads them from the URL on first
       load (a teacher's link opens the same set-up; a value it cannot read
       falls back to its default with a note) and writes them back to the URL
       whenever they change;
    2. the data (sidebar): engine/datasets.py's playground sets, logic gates
       or a learner's CSV, split into training and test points;
    3. the networks: one (or two side by side, to compare) `Run`s, each an
       engine Sequential model and its Trainer, rebuilt when an architecture
       setting changes; learning rate and regularization apply on the fly;
    4. training, live: while playing, an `st.fragment` reruns every
       RUN_SECONDS; each run trains every network a few epochs within a time
       budget and redraws, frame after frame, into the same placeholders,
       for up to LONG_RUN_SECONDS;
    5. the pictures: one `st.html` block per network with small PNG heatmaps,
       SVG images and a network graph in plain HTML (plots.py's fast helpers),
       cheap enough to redraw 10+ times a second.

Every number comes from the NumPy engine (engine/); per-user state lives in
st.session_state under keys starting with "playground_".
"""

import math
import time
from dataclasses import dataclass, field

import numpy as np
import streamlit as st

from ui import charts, pictures
from engine import datasets
from engine.layers import Dense
from engine.model import Sequential, Trainer, TrainingDiverged
from engine.optimizers import SGD, Adam, RMSprop

# ----------------------------------------------------------------------------
# Choices and limits
# ----------------------------------------------------------------------------

DATASETS = {  # URL value -> label
    "circle": "Circle",
    "xor": "Exclusive or (XOR)",
    "gaussian": "Two Gaussians",
    "spiral": "Spiral, 2 classes",
    "spiral3": "Spiral, 3 classes",
    "moons": "Moons",
    "gate_and": "Logic gate AND",
    "gate_or": "Logic gate OR",
    "gate_nand": "Logic gate NAND",
    "gate_xor": "Logic gate XOR",
    "csv": "Your own CSV file",
}
GATE_PREFIX = "gate_"

FEATURES = {  # URL value -> (label, function of the columns x1, x2)
    "x1": ("x₁", lambda x1, x2: x1),
    "x2": ("x₂", lambda x1, x2: x2),
    "x1sq": ("x₁²", lambda x1, x2: x1 * x1),
    "x2sq": ("x₂²", lambda x1, x2: x2 * x2),
    "x1x2": ("x₁x₂", lambda x1, x2: x1 * x2),
    "sinx1": ("sin(x₁)", lambda x1, x2: np.sin(x1)),
    "sinx2": ("sin(x₂)", lambda x1, x2: np.sin(x2)),
}

HIDDEN_ACTIVATIONS = {  # engine name -> label
    "tanh": "tanh",
    "relu": "ReLU",
    "sigmoid": "sigmoid",
    "linear": "linear (none)",
    "leaky_relu": "leaky ReLU",
    "elu": "ELU",
    "gelu": "GELU",
    "silu": "SiLU (swish)",
    "softplus": "softplus",
}
LOSSES = {"ce": "Cross-entropy (log loss)", "mse": "Mean squared error"}
OPTIMIZERS = {
    "sgd": "SGD (plain gradient descent)",
    "momentum": "SGD with momentum 0.9",
    "rmsprop": "RMSprop",
    "adam": "Adam",
}
REGULARIZATIONS = {"none": "None", "l1": "L1 (pushes weights to exactly 0)",
                   "l2": "L2 (keeps weights small)"}
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REG_RATES = (0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
SPEEDS = (1, 2, 5, 10, 25)  # epochs per screen update

MAX_HIDDEN_LAYERS = 6
MAX_UNITS = 16
MAX_POINTS = 1000
MIN_POINTS = 20
MAX_BATCH = 100
MAX_SEED = 99_999
MAX_EPOCHS = 10_000

FRAME_SECONDS = 0.066  # while playing, a new frame at most this often (15 per second)
RUN_SECONDS = 0.5  # while playing, the live fragment is rerun this often, and
LONG_RUN_SECONDS = 5.0  # a rerun of the fragment alone draws frames this long
TRAIN_BUDGET_S = 0.04  # training time per screen update (all networks together)
CHART_EVERY = 3  # while playing, the loss and accuracy curves are redrawn every 3rd frame
GRID = 100  # the decision regions are computed on GRID x GRID points
UNIT_GRID_STEP = 5  # unit heatmaps use every 5th grid point: 20 x 20
PLAYGROUND_WINDOW = (-6.0, 6.0)  # the playground sets live in about [-6, 6]^2
GATE_WINDOW = (-0.5, 1.5)
CSV_LIMIT = 10.0  # CSV points farther out than this are rescaled to [-5, 5]

KEY = "playground_"
# The page's own state (settings' widget keys are playground_<name>, see below).
URL_READ = KEY + "_url_read"
URL_NOTES = KEY + "_url_notes"
PLAYING = KEY + "_playing"
RUNS = KEY + "_runs"
DATA = KEY + "_points"
STEP_REQUEST = KEY + "_step_request"
MESSAGE = KEY + "_message"
CSV_CACHE = KEY + "_csv_cache"
FRAMES = KEY + "_frames"  # how many times the live view has been drawn
FULL_RUN = KEY + "_full_run"  # set by the page's run, so the live view knows it is part of one
NETS = ("a", "b")  # network A, and network B when comparing


# ----------------------------------------------------------------------------
# Settings: one table drives the defaults, the URL and its checks
# ----------------------------------------------------------------------------


def _choice(options):
    def parse(text):
        if text not in options:
            raise ValueError(f"expected one of {', '.join(options)}")
        return text
    return parse


def _integer(low, high):
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise ValueError(f"expected a whole number from {low} to {high}") from None
        if not low <= value <= high:
            raise ValueError(f"expected a whole number from {low} to {high}")
        return value
    return parse


def _one_of_numbers(values):
    def parse(text):
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        for value in values:
            if math.isclose(number, value, rel_tol=1e-6, abs_tol=1e-12):
                return value
        raise ValueError(f"expected one of {', '.join(f'{v:g}' for v in values)}")
    return parse


def _flag(text):
    if text.lower() in ("1", "true", "yes", "on"):
        return True
    if text.lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError("expected 1 or 0")


def _features(text):
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in FEATURES]
    if unknown or not names:
        raise ValueError(f"expected a comma-separated list of {', '.join(FEATURES)}")
    return [name for name in FEATURES if name in names]  # canonical order, no repeats


def _hidden(text):
    if text.strip().lower() in ("", "none", "0"):
        return []
    try:
        sizes = [int(part) for part in text.split(",")]
    except ValueError:
        sizes = None
    if (sizes is None or len(sizes) > MAX_HIDDEN_LAYERS
            or not all(1 <= size <= MAX_UNITS for size in sizes)):
        raise ValueError(f"expected up to {MAX_HIDDEN_LAYERS} layer sizes from 1 to "
                         f"{MAX_UNITS}, e.g. 4,2 (or none)")
    return sizes


def _activations(text):
    names = [name.strip() for name in text.split(",")] if text.strip() else []
    if not names or any(name not in HIDDEN_ACTIVATIONS for name in names):
        raise ValueError(f"expected activations from {', '.join(HIDDEN_ACTIVATIONS)}, "
                         f"one per hidden layer or one for all")
    return names


def _join(values):
    return ",".join(str(value) for value in values)


@dataclass(frozen=True)
class Setting:
    """One setting: its URL name, default, parser (text -> value) and writer (value -> text)."""

    name: str
    default: object
    parse: object
    write: object = str


DATA_SETTINGS = (
    Setting("data", "circle", _choice(DATASETS)),
    Setting("noise", 0, _integer(0, 50)),
    Setting("points", 500, _integer(MIN_POINTS, MAX_POINTS)),
    Setting("train", 50, _integer(10, 90)),
    Setting("seed", 0, _integer(0, MAX_SEED)),
    Setting("wseed", 0, _integer(0, MAX_SEED)),
    Setting("test", True, _flag, lambda v: "1" if v else "0"),
    Setting("discretize", False, _flag, lambda v: "1" if v else "0"),
    Setting("speed", 1, _one_of_numbers(SPEEDS), lambda v: f"{v:g}"),
    Setting("compare", False, _flag, lambda v: "1" if v else "0"),
)
NET_SETTINGS = (
    Setting("inputs", ["x1", "x2"], _features, _join),
    Setting("hidden", [4, 2], _hidden, lambda v: _join(v) if v else "none"),
    Setting("act", ["tanh"], _activations, _join),
    Setting("loss", "ce", _choice(LOSSES)),
    Setting("opt", "sgd", _choice(OPTIMIZERS)),
    Setting("lr", 0.03, _one_of_numbers(LEARNING_RATES), lambda v: f"{v:g}"),
    Setting("batch", 10, _integer(1, MAX_BATCH)),
    Setting("reg", "none", _choice(REGULARIZATIONS)),
    Setting("rate", 0.0, _one_of_numbers(REG_RATES), lambda v: f"{v:g}"),
)
B_PREFIX = "b_"  # network B's settings in the URL: b_hidden=8,8 ...


def defaults():
    """All settings at their defaults: (shared dict, {"a": net dict, "b": net dict})."""
    shared = {s.name: s.default for s in DATA_SETTINGS}
    nets = {c: {s.name: list(s.default) if isinstance(s.default, list) else s.default
                for s in NET_SETTINGS} for c in NETS}
    return shared, nets


def layer_activations(net):
    """One activation per hidden layer (a single name in `act` applies to all)."""
    acts = net["act"]
    if len(acts) == len(net["hidden"]):
        return list(acts)
    return [acts[0]] * len(net["hidden"])


def settings_from_url(params):
    """Read settings from the URL's query parameters.

    Args:
        params: dict of str -> str (st.query_params.to_dict()).

    Returns:
        (shared, nets, notes): settings as in `defaults()`, with every value
        the URL gave that could be read; notes lists, in words, each value
        that could not (its default is used instead) and each unknown name.
    """
    shared, nets = defaults()
    notes = []
    known = set()

    def read(setting, url_name, target):
        known.add(url_name)
        if url_name not in params:
            return
        text = str(params[url_name])
        try:
            target[setting.name] = setting.parse(text)
        except ValueError as err:
            notes.append(f"`{url_name}={text[:40]}`: {err}; using the default "
                         f"`{setting.write(setting.default)}`.")

    for setting in DATA_SETTINGS:
        read(setting, setting.name, shared)
    for c, prefix in (("a", ""), ("b", B_PREFIX)):
        for setting in NET_SETTINGS:
            read(setting, prefix + setting.name, nets[c])
        net = nets[c]
        if len(net["act"]) not in (1, len(net["hidden"])):
            notes.append(f"`{prefix}act` gives {len(net['act'])} activations for "
                         f"{len(net['hidden'])} hidden layers; using "
                         f"{net['act'][0]} for every layer.")
            net["act"] = [net["act"][0]]
        net["act"] = layer_activations(net) or [net["act"][0]]
    if not any(k.startswith(B_PREFIX) for k in params) and shared["compare"]:
        nets["b"] = {k: list(v) if isinstance(v, list) else v for k, v in nets["a"].items()}
    unknown = sorted(set(params) - known)
    if unknown:
        notes.append(f"Unknown setting{'s' if len(unknown) > 1 else ''} "
                     f"{', '.join(f'`{name}`' for name in unknown)} ignored.")
    return shared, nets, notes


def settings_to_url(shared, nets):
    """The query parameters that encode these settings (B only when comparing)."""
    params = {s.name: s.write(shared[s.name]) for s in DATA_SETTINGS}
    for c, prefix in (("a", ""), ("b", B_PREFIX)):
        if c == "b" and not shared["compare"]:
            continue
        for s in NET_SETTINGS:
            value = nets[c][s.name]
            if s.name == "act":
                value = compact_activations(nets[c])
            params[prefix + s.name] = s.write(value)
    return params


def compact_activations(net):
    """["tanh", "tanh"] -> ["tanh"]: one name when every layer uses it."""
    acts = layer_activations(net) or list(net["act"][:1])
    return acts[:1] if len(set(acts)) <= 1 else acts


# Session-state keys of the widgets. Shared settings: playground_<name>;
# network c's: playground_<c>_<name>, and per hidden layer i
# playground_<c>_units<i> and playground_<c>_act<i>.


def shared_key(name):
    return f"{KEY}{name}"


def net_key(c, name):
    return f"{KEY}{c}_{name}"


def store_shared(shared):
    for name, value in shared.items():
        st.session_state[shared_key(name)] = value


def store_net(c, net):
    """Put a network's settings into the widgets' session-state keys."""
    for name in ("inputs", "loss", "opt", "lr", "batch", "reg", "rate"):
        value = net[name]
        st.session_state[net_key(c, name)] = list(value) if isinstance(value, list) else value
    acts = layer_activations(net)
    st.session_state[net_key(c, "layers")] = len(net["hidden"])
    for i, (units, act) in enumerate(zip(net["hidden"], acts)):
        st.session_state[net_key(c, f"units{i}")] = units
        st.session_state[net_key(c, f"act{i}")] = act


def read_net(c):
    """A network's settings from its widgets' session-state keys (after they are drawn)."""
    get = st.session_state.get
    layers = get(net_key(c, "layers"), 0)
    hidden = [get(net_key(c, f"units{i}"), 4) for i in range(layers)]
    acts = [get(net_key(c, f"act{i}"), "tanh") for i in range(layers)]
    return {
        "inputs": [f for f in FEATURES if f in (get(net_key(c, "inputs")) or [])],
        "hidden": hidden,
        "act": acts or ["tanh"],
        "loss": get(net_key(c, "loss")),
        "opt": get(net_key(c, "opt")),
        "lr": get(net_key(c, "lr")),
        "batch": get(net_key(c, "batch")),
        "reg": get(net_key(c, "reg")),
        "rate": get(net_key(c, "rate")),
    }


def read_shared():
    return {s.name: st.session_state.get(shared_key(s.name), s.default) for s in DATA_SETTINGS}


def ensure_state_defaults():
    """Fill in any widget key Streamlit dropped (widgets not drawn last run are forgotten)."""
    shared, nets = defaults()
    for name, value in shared.items():
        st.session_state.setdefault(shared_key(name), value)
    for c in NETS:
        net = nets[c]
        for name in ("inputs", "loss", "opt", "lr", "batch", "reg", "rate"):
            st.session_state.setdefault(net_key(c, name), net[name])
        if net_key(c, "layers") not in st.session_state:
            store_net(c, {**net, "act": layer_activations(net)})


# ----------------------------------------------------------------------------
# Presets: set-ups worth showing a class
# ----------------------------------------------------------------------------

PRESETS = {
    "Circle: one hidden layer of 3 units": dict(
        data="circle", noise=0, net=dict(inputs=["x1", "x2"], hidden=[3], act=["tanh"],
                                         opt="sgd", lr=0.03, batch=10)),
    "Circle: squared inputs, no hidden layer": dict(
        data="circle", noise=0, net=dict(inputs=["x1sq", "x2sq"], hidden=[], act=["tanh"],
                                         opt="sgd", lr=0.03, batch=10)),
    "XOR: the product x₁x₂ is all you need": dict(
        data="xor", noise=0, net=dict(inputs=["x1x2"], hidden=[], act=["tanh"],
                                      opt="sgd", lr=0.03, batch=10)),
    "XOR: x₁, x₂ and a hidden layer of 4": dict(
        data="xor", noise=0, net=dict(inputs=["x1", "x2"], hidden=[4], act=["tanh"],
                                      opt="sgd", lr=0.03, batch=10)),
    "Spiral: sine inputs and two layers of 8 (learns fast)": dict(
        data="spiral", noise=10, speed=2,
        net=dict(inputs=["x1", "x2", "sinx1", "sinx2"], hidden=[8, 8], act=["tanh"],
                 opt="adam", lr=0.03, batch=10)),
    "Spiral from x₁, x₂ only: three layers of 8 (hard)": dict(
        data="spiral", noise=0, speed=5,
        net=dict(inputs=["x1", "x2"], hidden=[8, 8, 8], act=["tanh"],
                 opt="adam", lr=0.01, batch=10)),
    "Spiral with 3 classes: a softmax output": dict(
        data="spiral3", noise=0, speed=2,
        net=dict(inputs=["x1", "x2", "sinx1", "sinx2"], hidden=[8, 8], act=["tanh"],
                 opt="adam", lr=0.03, batch=10)),
    "Logic gate XOR: the smallest network that can (2 hidden units)": dict(
        data="gate_xor", noise=10, points=200, speed=5,
        net=dict(inputs=["x1", "x2"], hidden=[2], act=["tanh"], opt="adam", lr=0.03,
                 batch=10)),
    "Overfitting: few noisy points, a big network": dict(
        data="circle", noise=50, points=100, train=30, speed=5,
        net=dict(inputs=["x1", "x2"], hidden=[16, 16, 16], act=["relu"], opt="adam",
                 lr=0.01, batch=10)),
    "Compare: the same big network without / with L2 regularization": dict(
        data="circle", noise=50, points=100, train=30, speed=5, compare=True,
        net=dict(inputs=["x1", "x2"], hidden=[16, 16, 16], act=["relu"], opt="adam",
                 lr=0.01, batch=10),
        b=dict(reg="l2", rate=0.03)),
    "Compare: tanh against ReLU on the spiral": dict(
        data="spiral", noise=0, speed=2, compare=True,
        net=dict(inputs=["x1", "x2", "sinx1", "sinx2"], hidden=[8, 8], act=["tanh"],
                 opt="adam", lr=0.03, batch=10),
        b=dict(act=["relu"])),
    "Compare: learning rate 0.03 against 3 (too big: it jumps about)": dict(
        data="circle", noise=10, speed=2, compare=True,
        net=dict(inputs=["x1", "x2"], hidden=[4, 2], act=["tanh"], opt="sgd", lr=0.03,
                 batch=10),
        b=dict(lr=3.0)),
}


def apply_preset():
    """on_change of the preset box: load its settings into the widgets, then clear the box."""
    name = st.session_state.get(KEY + "preset")
    if name not in PRESETS:
        return
    preset = PRESETS[name]
    shared, nets = defaults()
    shared.update({k: v for k, v in preset.items() if k in shared})
    nets["a"].update(preset.get("net", {}))
    nets["b"] = {**nets["a"], **preset.get("b", {})}
    store_shared(shared)
    for c in NETS:
        store_net(c, nets[c])
    st.session_state[KEY + "preset"] = None
    st.session_state[MESSAGE] = f"Loaded the preset “{name}”. Press ▶ Play."
    stop_and_reset()


# ----------------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------------


@dataclass
class Data:
    """Training and test points, the window they are drawn in, and its grid."""

    signature: tuple
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    classes: int
    window: tuple  # (low, high), the same on both axes
    grid: np.ndarray  # (GRID * GRID, 2) points, row by row from the top
    note: str = ""
    overlays: dict = field(default_factory=dict)  # CSS with the picture of axes and points


def make_grid(window):
    low, high = window
    step = (high - low) / GRID
    centres = low + step * (np.arange(GRID) + 0.5)
    gx, gy = np.meshgrid(centres, centres[::-1])  # first row is the top of the picture
    return np.column_stack([gx.ravel(), gy.ravel()]).astype(np.float32)


def load_data(shared, csv_points=None):
    """The data the settings describe, split into training and test points.

    csv_points: (X, y) read from the learner's file when data == "csv".
    Raises ValueError with a message for the learner.
    """
    name, noise, n, seed = shared["data"], shared["noise"] / 100.0, shared["points"], shared["seed"]
    note = ""
    window = PLAYGROUND_WINDOW
    if name == "csv":
        if csv_points is None:
            raise ValueError("upload a CSV file in the sidebar (three columns: x1, x2, label; "
                             "a shared link cannot carry the file itself)")
        X, y = csv_points
        X = X.astype(np.float32)
        low, high = X.min(axis=0), X.max(axis=0)
        if np.abs(X).max() > CSV_LIMIT:
            span = np.where(high > low, high - low, 1.0)
            X = ((X - low) / span * 10.0 - 5.0).astype(np.float32)
            low, high = X.min(axis=0), X.max(axis=0)
            note = ("Your points reach beyond ±10, so each column was rescaled to −5…5 "
                    "(large inputs would saturate the units).")
        centre, half = (low + high) / 2.0, max(float((high - low).max()) / 2.0, 0.5) * 1.15
        window = (float(min(centre) - half), float(max(centre) + half))
        if len(y) < 4:
            raise ValueError("your file has fewer than 4 points; the network needs more to "
                             "learn from and test on")
    elif name.startswith(GATE_PREFIX):
        X, y = datasets.noisy_gate(name[len(GATE_PREFIX):], n, noise, seed)
        window = GATE_WINDOW
    elif name == "spiral3":
        X, y = datasets.spiral(n, noise, classes=3, seed=seed)
    else:
        X, y = datasets.make(name, n_points=n, noise=noise, seed=seed)
    try:
        X_train, X_test, y_train, y_test = datasets.train_test_split(
            X, y, test_size=(100 - shared["train"]) / 100.0, seed=seed)  # 30 / 100, not 1 - 0.7
    except ValueError:
        raise ValueError(f"{len(X)} points cannot be split with {shared['train']}% for "
                         f"training and the rest for testing; change “Training data (%)”") \
            from None
    classes = int(y.max()) + 1
    signature = (name, shared["noise"], n, shared["train"], seed,
                 None if csv_points is None else id(csv_points))
    return Data(signature, X_train, y_train, X_test, y_test, classes, window,
                make_grid(window), note)


def feature_matrix(X, names):
    """The network's inputs: one column per chosen feature of the points X (n, 2)."""
    x1, x2 = X[:, 0], X[:, 1]
    return np.column_stack([FEATURES[name][1](x1, x2) for name in names]).astype(np.float32)


# ----------------------------------------------------------------------------
# A network being trained
# ----------------------------------------------------------------------------


def make_optimizer(name, lr):
    if name == "momentum":
        return SGD(lr, momentum=0.9)
    return {"sgd": SGD, "rmsprop": RMSprop, "adam": Adam}[name](lr)


def loss_name(code, classes):
    if code == "mse":
        return "mse"
    return "binary_cross_entropy" if classes == 2 else "cross_entropy"


class Run:
    """One network on the current data: the engine's model and Trainer, and its curves."""

    def __init__(self, net, data, wseed):
        self.signature = run_signature(net, data, wseed)
        self.inputs = list(net["inputs"])
        self.hidden = list(net["hidden"])
        self.acts = layer_activations(net)
        self.classes = data.classes
        self.X_train = feature_matrix(data.X_train, self.inputs)
        self.X_test = feature_matrix(data.X_test, self.inputs)
        self.y_train, self.y_test = data.y_train, data.y_test
        self.grid_inputs = feature_matrix(data.grid, self.inputs)
        self.input_images = None  # heatmaps of the inputs, drawn once
        self.charts = None  # (number of points, HTML) of the curves last drawn
        sizes = [len(self.inputs)] + self.hidden
        layers = [Dense(n_in, n_out, act) for n_in, n_out, act in zip(sizes, sizes[1:], self.acts)]
        outputs = 1 if self.classes == 2 else self.classes
        layers.append(Dense(sizes[-1], outputs, "sigmoid" if outputs == 1 else "softmax"))
        self.model = Sequential(layers, seed=wseed)
        self.loss = loss_name(net["loss"], self.classes)
        rate = float(net["rate"])
        self.trainer = Trainer(
            self.model, self.X_train, self.y_train, epochs=MAX_EPOCHS,
            batch_size=min(net["batch"], len(self.X_train)),
            optimizer=make_optimizer(net["opt"], net["lr"]), loss=self.loss, seed=wseed,
            l1=rate if net["reg"] == "l1" else 0.0, l2=rate if net["reg"] == "l2" else 0.0)
        self.error = None
        self.curves = {"epoch": [], "train_loss": [], "test_loss": [],
                       "train_acc": [], "test_acc": []}
        self.record()

    def tune(self, net):
        """Settings that apply on the fly: learning rate and regularization (no restart)."""
        self.trainer.optimizer.lr = float(net["lr"])
        rate = float(net["rate"])
        self.trainer.l1 = rate if net["reg"] == "l1" else 0.0
        self.trainer.l2 = rate if net["reg"] == "l2" else 0.0

    @property
    def epoch(self):
        return self.trainer.epoch

    @property
    def finished(self):
        return self.error is not None or self.trainer.done

    def train_epochs(self, epochs=1):
        """Train whole epochs; a diverging loss stops this network with a message."""
        if self.finished:
            return
        try:
            self.trainer.step(epochs * self.trainer.batches_per_epoch - self.trainer.batch)
        except TrainingDiverged as err:
            self.error = str(err)

    def record(self):
        """Add the current losses and accuracies (whole training and test sets) to the curves."""
        if self.curves["epoch"] and self.curves["epoch"][-1] == self.epoch:
            return
        train_loss, train_acc = self.model.evaluate(self.X_train, self.y_train, loss=self.loss)
        test_loss, test_acc = self.model.evaluate(self.X_test, self.y_test, loss=self.loss)
        for name, value in (("epoch", self.epoch), ("train_loss", train_loss),
                            ("test_loss", test_loss), ("train_acc", train_acc),
                            ("test_acc", test_acc)):
            self.curves[name].append(value)

    def latest(self, name):
        return self.curves[name][-1]


def run_signature(net, data, wseed):
    """What a network is built from: changing any of these starts it again."""
    return (data.signature, tuple(net["inputs"]), tuple(net["hidden"]),
            tuple(layer_activations(net)), net["loss"], net["opt"], net["batch"], wseed)


def ensure_runs(nets, data, wseed, active):
    """Keep each active network's Run, rebuilding those whose set-up changed."""
    runs = st.session_state.setdefault(RUNS, {})
    for c in list(runs):
        if c not in active:
            del runs[c]
    for c in active:
        net = nets[c]
        run = runs.get(c)
        if run is None or run.signature != run_signature(net, data, wseed):
            runs[c] = Run(net, data, wseed)
        else:
            run.tune(net)
    return runs


def advance(runs, epochs, budget_s):
    """Train every network `epochs` epochs, in lockstep, within about budget_s seconds.

    Returns the number of epochs done (at least one unless all have finished).
    """
    deadline = time.perf_counter() + budget_s
    done = 0
    while done < epochs and not all(run.finished for run in runs):
        for run in runs:
            run.train_epochs(1)
        done += 1
        if time.perf_counter() > deadline:
            break
    for run in runs:
        run.record()
    return done


# ----------------------------------------------------------------------------
# Buttons
# ----------------------------------------------------------------------------


def stop_and_reset():
    st.session_state[PLAYING] = False
    st.session_state.pop(RUNS, None)


def set_playing(playing):
    """Play and Pause set the state the button showed, rather than flip it, so that a
    click Streamlit delivers twice (a rerun can replay a button's trigger) still pauses."""
    st.session_state[PLAYING] = playing


def request_step():
    st.session_state[PLAYING] = False
    st.session_state[STEP_REQUEST] = True


def new_data():
    key = shared_key("seed")
    st.session_state[key] = (st.session_state.get(key, 0) + 1) % (MAX_SEED + 1)


def new_weights():
    key = shared_key("wseed")
    st.session_state[key] = (st.session_state.get(key, 0) + 1) % (MAX_SEED + 1)
    st.session_state[PLAYING] = False


def start_comparing():
    """on_change of Compare: network B starts as a copy of A, so you change one thing."""
    if st.session_state.get(shared_key("compare")):
        store_net("b", read_net("a"))


# ----------------------------------------------------------------------------
# Drawing
# ----------------------------------------------------------------------------


def unit_images(values):
    """One heatmap per column of values (GRID * GRID, k), each scaled to its own largest |value|.

    Returns k PNG data URIs of 20 x 20 pixels: blue where the value is positive,
    orange where it is negative, white at 0.
    """
    step = UNIT_GRID_STEP
    small = values.reshape(GRID, GRID, -1)[step // 2::step, step // 2::step]
    scale = np.abs(small).max(axis=(0, 1))
    scale[scale == 0] = 1.0
    small = small / scale
    return [pictures.diverging_png(small[:, :, unit]) for unit in range(small.shape[2])]


def unit_columns(run):
    """The network as columns of nodes for pictures.network_html, with heatmaps of each unit."""
    model = run.model
    model.forward(run.grid_inputs)  # every layer keeps its activations on the grid in _a
    if run.input_images is None:
        run.input_images = unit_images(run.grid_inputs)  # they never change
    columns = [{
        "title": "Inputs",
        "nodes": [{"name": FEATURES[f][0], "label": FEATURES[f][0], "image": image,
                   "tooltip": f"input {FEATURES[f][0]}: blue where it is positive, "
                              f"orange where negative"}
                  for f, image in zip(run.inputs, run.input_images)],
    }]
    for index, layer in enumerate(model.layers[:-1]):
        act = HIDDEN_ACTIVATIONS[layer.activation.name]
        columns.append({
            "title": f"Layer {index + 1}\n{layer.n_out} {act}",
            "nodes": [{"name": f"unit {u + 1} of layer {index + 1}", "image": image,
                       "bias": float(layer.b[u]),
                       "tooltip": f"layer {index + 1}, unit {u + 1} ({act}): "
                                  f"bias b = {layer.b[u]:+.3f}"}
                      for u, image in enumerate(unit_images(layer._a))],
        })
    out = model.layers[-1]
    step = UNIT_GRID_STEP
    small = out._a.reshape(GRID, GRID, -1)[step // 2::step, step // 2::step]
    if out.n_out == 1:
        nodes = [{"name": "the output", "image": pictures.region_png(small[:, :, 0]),
                  "bias": float(out.b[0]),
                  "tooltip": f"output (sigmoid): P(class 1), bias b = {out.b[0]:+.3f}"}]
    else:
        nodes = [{"name": f"output {k}", "image": pictures.class_png(small[:, :, k], k),
                  "bias": float(out.b[k]),
                  "tooltip": f"output {k} (softmax): P(class {k}), bias b = {out.b[k]:+.3f}"}
                 for k in range(out.n_out)]
    columns.append({"title": "Output\n" + ("sigmoid" if out.n_out == 1 else "softmax"),
                    "nodes": nodes})
    weights = [layer.W for layer in model.layers]
    return columns, weights


def regions_image(run, discretize):
    """PNG of the decision regions: each grid point coloured by the class the network picks."""
    output = run.model.layers[-1]._a  # unit_columns ran the grid through the network
    if output.shape[1] == 1:
        probs = output[:, 0].reshape(GRID, GRID)
        if discretize:
            probs = (probs >= 0.5).astype(np.float32)
        return pictures.region_png(probs)
    return pictures.multiclass_region_png(output.reshape(GRID, GRID, -1), discretize)


def overlay_class(show_test):
    return "pg-plane-test" if show_test else "pg-plane-train"


def page_css(data, show_test):
    """The page's CSS, with the picture of the axes and points (sent once per run, not per frame).

    The picture is cached with the data: it only changes with the data.
    """
    if show_test not in data.overlays:
        points = pictures.points_svg(
            data.X_train, data.y_train, data.window,
            data.X_test if show_test else None, data.y_test if show_test else None)
        data.overlays[show_test] = pictures.plane_overlay_css(
            overlay_class(show_test), pictures.svg_data_uri(pictures.plane_svg(data.window, points)))
    return PAGE_CSS.replace("</style>", data.overlays[show_test] + "</style>")


def percent(value):
    return f"{100 * value:.1f}%"


def metric(label, value, tag=""):
    attribute = f' data-pg="{tag}"' if tag else ""
    return f'<div class="pg-m"><span>{label}</span><b{attribute}>{value}</b></div>'


def charts_html(run, still):
    """The loss and accuracy curves; while training, redrawn every CHART_EVERY-th new point.

    An unchanged picture is the same image to the browser, which then need not
    draw it again: the curves move slowly, the rest of the frame does not.
    """
    curves, cached = run.curves, run.charts
    if not still and cached is not None and len(curves["epoch"]) - cached[0] < CHART_EVERY:
        return cached[1]
    loss = pictures.lines_svg(
        curves["epoch"], {"training": (curves["train_loss"], "#8c96a3", True),
                          "test": (curves["test_loss"], charts.INK, False)},
        title="Loss")
    accuracy = pictures.lines_svg(
        curves["epoch"], {"training": ([100 * a for a in curves["train_acc"]], "#8c96a3", True),
                          "test": ([100 * a for a in curves["test_acc"]], charts.INK, False)},
        title="Accuracy (%)", y_range=(0.0, 100.0))
    html = (f'<div class="pg-curves"><img src="{pictures.svg_data_uri(loss)}" alt="loss curves">'
            f'<img src="{pictures.svg_data_uri(accuracy)}" alt="accuracy curves"></div>')
    run.charts = (len(curves["epoch"]), html)
    return html


def run_html(run, data, shared, label, side_by_side, frame=0, still=True):
    """Everything live about one network, as one HTML block.

    side_by_side: graph and decision regions next to each other (one network),
    else stacked (two networks, each in half the width).
    frame: a counter of screen updates, kept in the HTML for tests and benchmarks.
    still: the network is not training, so draw the graph with hover titles
    (while it trains, the graph is one image: far cheaper to redraw, and
    nobody can read a value that changes ten times a second).
    """
    columns, weights = unit_columns(run)
    width = 560 if side_by_side else 600
    if still:
        network = pictures.network_html(columns, weights, width=width, max_height=400)
    else:
        svg = pictures.network_svg(columns, weights, width=width, max_height=400)
        network = (f'<img src="{pictures.svg_data_uri(svg)}" alt="network graph" '
                   f'style="width:100%;display:block">')
    regions = pictures.plane_html(regions_image(run, shared["discretize"]),
                               overlay_class(shared["test"]))
    tag = label[-1].lower() if label else ""
    head = (
        f'<div class="pg-head" data-pg-frame="{frame}"><div class="pg-epoch">'
        f'Epoch <b data-pg="epoch{tag}">{run.epoch:,}</b></div>'
        + metric("Test loss", f"{run.latest('test_loss'):.3f}", f"test-loss{tag}")
        + metric("Test accuracy", percent(run.latest("test_acc")), f"test-acc{tag}")
        + metric("Training loss", f"{run.latest('train_loss'):.3f}")
        + metric("Training accuracy", percent(run.latest("train_acc")))
        + "</div>")
    legend = (
        '<div class="pg-legend">'
        f'<span><i style="background:{charts.CLASS_COLOURS[0]}"></i>class 0</span>'
        f'<span><i style="background:{charts.CLASS_COLOURS[1]}"></i>class 1</span>'
        + "".join(f'<span><i style="background:{charts.class_colour(k)}"></i>class {k}</span>'
                  for k in range(2, data.classes))
        + ('<span><i class="ring"></i>test point</span>' if shared["test"] else "")
        + "</div>")
    curves_html = charts_html(run, still)
    if side_by_side:
        body = (f'<div class="pg-row"><div class="pg-net">{network}{curves_html}</div>'
                f'<div class="pg-out">{regions}{legend}</div></div>')
    else:
        body = (f'<div class="pg-net">{network}</div>'
                f'<div class="pg-row"><div class="pg-out">{regions}{legend}</div>'
                f'{curves_html}</div>')
    return f'<div class="pg">{head}{body}</div>'


PAGE_CSS = "".join((
    "<style>",
    ".pg {color: #1c2430; line-height: 1.3}",
    ".pg-head {display: grid; grid-template-columns: repeat(3, auto); justify-content: start;"
    " gap: 0.1rem 1.4rem; align-items: baseline; margin-bottom: 0.6rem}",
    ".pg-epoch {grid-row: 1 / span 2; align-self: center; font-size: 1.6rem}",
    ".pg-m {display: flex; flex-wrap: wrap; column-gap: 0.4rem; align-items: baseline;"
    " color: #5b6675}",
    ".pg-m b {font-size: 1.2rem; color: #1c2430}",
    ".pg-row {display: flex; flex-wrap: wrap; gap: 0.6rem 1.2rem; align-items: flex-start}",
    ".pg-net {flex: 1.5 1 360px; min-width: 0}",
    ".pg-out {flex: 1 1 260px; max-width: 440px}",
    ".pg-curves {display: flex; flex-wrap: wrap; gap: 0.4rem 1.2rem; flex: 1 1 240px;"
    " margin-top: 0.6rem}",
    ".pg-curves img {flex: 1 1 240px; width: 0; max-width: 320px; height: auto}",
    ".pg-legend {display: flex; flex-wrap: wrap; gap: 0.2rem 1rem; font-size: 0.85rem;"
    " margin: 0.2rem 0 0 2.8rem}",
    ".pg-legend i {display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 50%;"
    " margin-right: 0.3rem; vertical-align: -0.1rem}",
    ".pg-legend i.ring {border: 2px solid #1c2430; background: #ffffff}",
    pictures.NETWORK_CSS,
    "</style>",
))


def net_summary(net, classes):
    """One line about a network, e.g. '2 → 4 → 2 → 1 units, tanh; SGD, learning rate 0.03'."""
    sizes = [len(net["inputs"])] + net["hidden"] + [1 if classes == 2 else classes]
    acts = ", ".join(compact_activations(net)) if net["hidden"] else "no hidden layer"
    text = (f"{' → '.join(map(str, sizes))} units, {acts}; "
            f"{OPTIMIZERS[net['opt']].split(' (')[0]}, learning rate {net['lr']:g}, "
            f"batch {net['batch']}")
    if net["reg"] != "none":
        text += f", {net['reg'].upper()} {net['rate']:g}"
    return text


def network_settings(c):
    """The widgets of network c (inputs, layers, training); returns its settings."""
    st.pills("Inputs", list(FEATURES), selection_mode="multi", key=net_key(c, "inputs"),
             format_func=lambda f: FEATURES[f][0],
             help="What the network is given about each point (x₁, x₂ are its coordinates).")
    st.number_input("Hidden layers", 0, MAX_HIDDEN_LAYERS, key=net_key(c, "layers"),
                    help=f"0 to {MAX_HIDDEN_LAYERS} layers of 1 to {MAX_UNITS} units each.")
    for i in range(st.session_state[net_key(c, "layers")]):
        # a new layer starts as a copy of the one before it
        st.session_state.setdefault(net_key(c, f"units{i}"),
                                    st.session_state.get(net_key(c, f"units{i - 1}"), 4))
        st.session_state.setdefault(net_key(c, f"act{i}"),
                                    st.session_state.get(net_key(c, f"act{i - 1}"), "tanh"))
        left, right = st.columns([1, 1.3])
        left.number_input(f"Layer {i + 1}: units", 1, MAX_UNITS, key=net_key(c, f"units{i}"))
        right.selectbox(f"activation {i + 1}", list(HIDDEN_ACTIVATIONS),
                        format_func=HIDDEN_ACTIVATIONS.get, key=net_key(c, f"act{i}"))
    st.selectbox("Loss", list(LOSSES), format_func=LOSSES.get, key=net_key(c, "loss"),
                 help="The output is one sigmoid unit for two classes, softmax units for more.")
    st.selectbox("Optimizer", list(OPTIMIZERS), format_func=OPTIMIZERS.get,
                 key=net_key(c, "opt"))
    st.select_slider("Learning rate", LEARNING_RATES, key=net_key(c, "lr"),
                     format_func=lambda v: f"{v:g}",
                     help="How big a step each update takes. Changes apply at once.")
    st.slider("Batch size", 1, MAX_BATCH, key=net_key(c, "batch"),
              help="Points per weight update (1 to 100).")
    st.selectbox("Regularization", list(REGULARIZATIONS), format_func=REGULARIZATIONS.get,
                 key=net_key(c, "reg"),
                 help="L1 adds rate·Σ|w| to the loss, L2 adds rate/2·Σw² (weights only, "
                      "not biases). Changes apply at once.")
    st.select_slider("Regularization rate", REG_RATES, key=net_key(c, "rate"),
                     format_func=lambda v: f"{v:g}",
                     disabled=st.session_state[net_key(c, "reg")] == "none")
    return read_net(c)


def data_settings():
    """The sidebar's data widgets; returns (points of an uploaded CSV or None, its error)."""
    st.selectbox("Data set", list(DATASETS), format_func=DATASETS.get, key=shared_key("data"))
    csv_points, csv_error = None, None
    is_csv = st.session_state[shared_key("data")] == "csv"
    if is_csv:
        upload = st.file_uploader(
            "CSV file: x1, x2, label on each line", type=["csv", "txt"], key=KEY + "_csv",
            help="Two number columns and a label column (whole numbers such as 0/1 or "
                 "-1/1); at most 10,000 rows and 10 classes; a header line is optional.")
        if upload is not None:
            cache = st.session_state.get(CSV_CACHE)
            if cache is None or cache[0] != upload.file_id:
                try:
                    cache = (upload.file_id, datasets.from_csv(upload.getvalue()), None)
                except ValueError as err:
                    cache = (upload.file_id, None, str(err))
                st.session_state[CSV_CACHE] = cache
            csv_points, csv_error = cache[1], cache[2]
            if csv_error:
                st.error(f"Could not use “{upload.name}”: {csv_error}.\n\nExpected one point "
                         "per line as `x1, x2, label`, e.g. `0.5, -1.2, 1`.",
                         icon=":material/error:")
        st.caption("Uploaded points stay in this browser tab: a shared link cannot carry them.")
    st.slider("Noise (%)", 0, 50, key=shared_key("noise"), disabled=is_csv,
              help="How far points stray from the pattern (0 to 50%).")
    st.slider("Number of points", MIN_POINTS, MAX_POINTS, step=10, key=shared_key("points"),
              disabled=is_csv, help=f"{MIN_POINTS} to {MAX_POINTS:,}.")
    st.slider("Training data (%)", 10, 90, step=10, key=shared_key("train"),
              help="The rest are test points: the network never trains on them.")
    return csv_points, csv_error


def seed_settings():
    left, right = st.columns([1.2, 1], vertical_alignment="bottom")
    left.number_input("Data seed", 0, MAX_SEED, key=shared_key("seed"),
                      help="The same seed always gives the same points.")
    right.button("New data", icon=":material/shuffle:", on_click=new_data,
                 disabled=st.session_state[shared_key("data")] == "csv",
                 use_container_width=True, key=KEY + "_new_data")
    left, right = st.columns([1.2, 1], vertical_alignment="bottom")
    left.number_input("Weights seed", 0, MAX_SEED, key=shared_key("wseed"),
                      help="Seed of the random starting weights (both networks use it).")
    right.button("New start", icon=":material/casino:", on_click=new_weights,
                 use_container_width=True, key=KEY + "_new_weights",
                 help="Other random starting weights.")


def explain():
    """What the pictures mean, for students (folded away under the controls)."""
    with st.expander("What am I looking at?"):
        st.markdown(
            "- **The big square** is the input plane. Its colour is the network's answer at "
            "each point: the stronger the colour, the surer the network. The dots are the data: "
            "plain dots are training points, dots with a dark ring are test points, which the "
            "network never learns from.\n"
            "- **Each small square** is one unit, drawn over the same plane: blue where its "
            "output is positive, orange where negative (each scaled to its own largest value). "
            "The first column are the inputs themselves; each later unit combines the ones "
            "before it.\n"
            "- **Each line** is a weight: blue positive, orange negative, thicker means larger. "
            "The small square at a unit's lower left is its bias. Pause, then hover over a "
            "line, a unit or a bias to read its value.\n"
            "- **Loss** measures how wrong the network is (lower is better); **accuracy** is the "
            "share of points put in the right class. When the test loss rises while the training "
            "loss falls, the network is *overfitting*: it memorises the training points.")
        st.latex(r"a^{(l)} = f\left(a^{(l-1)} W^{(l)} + b^{(l)}\right), \qquad "
                 r"W \leftarrow W - \eta\, \frac{\partial L}{\partial W}")
        st.markdown(
            "Every setting is in the page's address: copy it to share this exact set-up "
            "(data, seeds and networks). Training is deterministic, so the same link trains "
            "the same way.")


# ----------------------------------------------------------------------------
# The page
# ----------------------------------------------------------------------------

st.title("Network playground")
st.caption(
    "Press **Play** and watch a small network learn to tell the colours apart: the big square "
    "shows the class it predicts at every point, each small square one unit, each line one "
    "weight. Settings are in the sidebar; the page's address keeps them, so you can share it.")

# 1. Settings: from the URL on first load (then the widgets keep them).
if not st.session_state.get(URL_READ):
    url_shared, url_nets, url_notes = settings_from_url(st.query_params.to_dict())
    store_shared(url_shared)
    for c in NETS:
        store_net(c, url_nets[c])
    st.session_state[URL_NOTES] = url_notes
    st.session_state[URL_READ] = True
ensure_state_defaults()

if st.session_state.get(URL_NOTES):
    st.warning("Some settings in this link could not be used, so their defaults are used "
               "instead:\n\n" + "\n".join(f"- {note}" for note in st.session_state[URL_NOTES]),
               icon=":material/link_off:")
    if st.button("Dismiss", key=KEY + "_dismiss"):
        st.session_state[URL_NOTES] = []
        st.rerun()

compare = st.session_state[shared_key("compare")]
active = NETS if compare else NETS[:1]
nets = {}
with st.sidebar:
    st.header("Network")
    st.toggle("Compare two networks", key=shared_key("compare"), on_change=start_comparing,
              help="Train network B next to A on the same data, from the same starting "
                   "seed. B starts as a copy of A: change one thing and compare.")
    if compare:
        for c, tab in zip(active, st.tabs([f"Network {c.upper()}" for c in active])):
            with tab:
                nets[c] = network_settings(c)
    else:
        nets["a"] = network_settings("a")
    st.header("Data")
    csv_points, csv_error = data_settings()
    st.header("View and seeds")
    st.toggle("Show test data", key=shared_key("test"),
              help="Test points have a dark ring; the network never trains on them.")
    st.toggle("Discretize output", key=shared_key("discretize"),
              help="Colour each region by its predicted class only, without the shades "
                   "of confidence.")
    st.select_slider("Epochs per screen update", SPEEDS, key=shared_key("speed"),
                     help="An epoch is one pass over all training points.")
    seed_settings()

playing = st.session_state.get(PLAYING, False)
top = st.columns([3, 1.3, 1.2, 1.2], vertical_alignment="bottom")
top[0].selectbox("Presets", list(PRESETS), index=None, key=KEY + "preset",
                 placeholder="Load a preset set-up…", on_change=apply_preset)
top[1].button("Pause" if playing else "Play", type="primary", key=KEY + "_play",
              icon=":material/pause:" if playing else ":material/play_arrow:",
              on_click=set_playing, args=(not playing,), use_container_width=True)
top[2].button("Step", icon=":material/skip_next:", on_click=request_step, key=KEY + "_step",
              use_container_width=True, help="Train one epoch, then stop.")
top[3].button("Reset", icon=":material/replay:", on_click=stop_and_reset, key=KEY + "_reset",
              use_container_width=True, help="Start again from the same starting weights.")
if st.session_state.get(MESSAGE):
    st.toast(st.session_state.pop(MESSAGE), icon=":material/tune:")
explain()

shared = read_shared()
for c in active:
    if not nets[c]["inputs"]:
        st.warning(f"Network {c.upper()} has no input selected; using x₁ and x₂.")
        nets[c]["inputs"] = ["x1", "x2"]

# 2. Share: every setting goes into the URL (written only when something changed).
url = settings_to_url(shared, nets)
if st.query_params.to_dict() != url:
    st.query_params.from_dict(url)

# 3. Data and networks.
data, data_error = st.session_state.get(DATA), None
try:
    fresh = load_data(shared, csv_points)
    if data is None or data.signature != fresh.signature:
        data = st.session_state[DATA] = fresh
except ValueError as err:
    data, data_error = None, str(err)
    st.session_state.pop(DATA, None)
if csv_error:
    data_error = "your CSV file could not be read (see the message in the sidebar)"
runs = ensure_runs(nets, data, shared["wseed"], active) if data is not None else {}
if not runs:
    st.session_state[PLAYING] = False
if st.session_state.pop(STEP_REQUEST, False) and runs:
    advance([runs[c] for c in active], 1, budget_s=10.0)
playing = st.session_state.get(PLAYING, False)


def draw(slots, runs, data, shared, summaries, still=True):
    """Redraw every network into its placeholders: (status, picture) per network."""
    frame = st.session_state[FRAMES] = st.session_state.get(FRAMES, 0) + 1
    for (c, run), (status, picture) in zip(runs.items(), slots):
        label = f"Network {c.upper()}" if len(runs) > 1 else ""
        if run.error:
            status.error(f"{label + ': ' if label else ''}{run.error}", icon=":material/error:")
        elif run.trainer.done:
            status.info(f"{label + ': ' if label else ''}reached the limit of {MAX_EPOCHS:,} "
                        f"epochs. Press Reset to start again.")
        picture.html(run_html(run, data, shared, label, len(runs) == 1, frame, still))


@st.fragment(run_every=RUN_SECONDS if playing else None)
def live_view(data, shared, active, summaries):
    """Draw every network; while playing, train and redraw, frame after frame, for a while.

    One run of this fragment shows many frames (each a few epochs of training
    and a redraw into the same placeholders), because every script run has a
    fixed cost in Streamlit (starting it, sending the page's layout, ending
    it) that a redraw into existing placeholders does not pay. While playing,
    the fragment is rerun every RUN_SECONDS, so frames go on. As part of the
    page's run it draws frames for RUN_SECONDS only (the page's run must end
    soon, to clear what it no longer shows); rerun alone, for LONG_RUN_SECONDS
    (a rerun asked for meanwhile waits). A click anywhere stops a run at its
    next frame.
    """
    in_page_run = st.session_state.pop(FULL_RUN, False)
    runs = st.session_state.get(RUNS, {})
    chosen = {c: runs[c] for c in active if c in runs}
    if len(chosen) != len(active):
        st.rerun()  # Reset was pressed: rebuild the runs from the settings
    st.html(page_css(data, shared["test"]))  # once per run; the frames only refer to it
    columns = st.columns(len(chosen), gap="large") if len(chosen) > 1 else [st.container()]
    slots = []
    for c, column in zip(chosen, columns):
        with column:
            if len(chosen) > 1:
                st.caption(f"**Network {c.upper()}**: {summaries[c]}")
            slots.append((st.empty(), st.empty()))
    playing = st.session_state.get(PLAYING, False)
    draw(slots, chosen, data, shared, summaries, still=not playing)
    if not playing:
        return
    end = time.perf_counter() + (RUN_SECONDS if in_page_run else LONG_RUN_SECONDS)
    while time.perf_counter() < end:
        started = time.perf_counter()
        advance(list(chosen.values()), shared["speed"], TRAIN_BUDGET_S)
        draw(slots, chosen, data, shared, summaries, still=False)  # a click stops us here
        if all(run.finished for run in chosen.values()):
            st.session_state[PLAYING] = False
            st.rerun()  # the whole page, so the timer stops and Play comes back
        time.sleep(max(0.0, FRAME_SECONDS - (time.perf_counter() - started)))


# The live view comes last: while it plays, the page's run goes on inside it.
if data_error:
    st.info(f"Nothing to train yet: {data_error}.", icon=":material/info:")
elif data is not None:
    if data.note:
        st.caption(data.note)
    st.session_state[FULL_RUN] = True
    live_view(data, shared, active, {c: net_summary(nets[c], data.classes) for c in active})
