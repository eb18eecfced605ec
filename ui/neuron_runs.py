"""The one-neuron page's data, units and training runs, apart from the page that shows them.

    data = load_data("OR")                           # the truth table, nothing held out
    unit = make_unit(PERCEPTRON, "mse", 0.1, (0.3, -0.6, 0.1))   # or SIGMOID, optimizer="adam"
    run = NeuronRun.start(signature, data, unit, batch_size=1, seed=0)   # order="replacement"
    run.step()                                       # one update, recorded for the charts
    play_frame(run, pacer, epochs=20, speed="normal")   # one frame of Play: paced by the clock

A run keeps what the page draws: the unit and its UnitTrainer (engine/units.py),
the loss curve (thinned as it grows), tutorial 002's error every 100 updates
and the trace of the last update. The page keeps one run per user in its
state (ui/state.py: PerceptronState) and touches it only inside
`page.live.turn()`, so two script threads of one session never step it at once.

Every number comes from the engine; this module only decides which engine
calls to make and what to keep.
"""

from dataclasses import dataclass, field

import numpy as np

from engine import datasets
from engine.tutorials import t001
from engine.units import Perceptron, SigmoidNeuron, UnitTrainer, total_squared_error
from ui import catalog, live
from ui.formulas import ROUNDING_DUST

# The page's own data sets (option values of the "Data" box); the engine's 2-class plane
# data sets follow them, by their registry names (see dataset_options).
GATES = ("OR", "AND", "NAND", "XOR")
BLOBS = "Two blobs"
EIGHT = "The 8-point set"
OWN_DATASETS = GATES + (BLOBS, EIGHT)

PERCEPTRON = "Perceptron (step unit, perceptron rule)"
SIGMOID = "Sigmoid neuron (gradient descent)"
LOSS_NAMES = {"mse": "mean squared error", "bce": "binary cross-entropy"}

# While playing, the live view redraws this often. Streamlit mounts a new plotly chart for
# each frame, so a frame must leave the browser time to draw it even on a slow computer.
FRAME_SECONDS = 0.5
# Seconds a whole run should take at each animation speed ("slow": one update per frame).
# Updates are paced by the clock, not by frames (ui.live.Pacer), so a busy computer shows
# fewer frames but a run still lasts about as long.
SPEEDS = {"slow": None, "normal": 15.0, "fast": 4.0}
FRAME_BUDGET_SECONDS = 0.2  # a frame stops updating after this long, so a click is answered soon
TUTORIAL_EVERY = 100  # the 8-point chart: total error every 100 updates, as in tutorial 002
# Which points each update uses (UnitTrainer's order), as the page names them.
ORDERS = {"shuffle": "shuffled, each once an epoch",
          "replacement": "drawn with replacement"}
MAX_CURVE_POINTS = 1000  # the loss curve keeps between 1000 and 2000 points (see record)


# ----------------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------------


def dataset_options():
    """The "Data" box's option values: the page's own sets, then every 2-class plane set."""
    return [*OWN_DATASETS, *(name for name in catalog.plane_datasets(max_classes=2)
                             if name not in OWN_DATASETS)]


def dataset_label(name):
    """How an option of the "Data" box reads: 'OR', 'Two blobs', 'Moons' ..."""
    return name if name in OWN_DATASETS else catalog.label("dataset", name)


def is_plane_set(name):
    """True for a data set of the engine's registry (drawn like the playground's)."""
    return name not in OWN_DATASETS


def load_data(name, *, n_points=4, separation=0.0, noise=0.0, seed=0, test_percent=0):
    """The chosen data set as a dict of float64 arrays: train and (maybe empty) test points.

    noise: for the two blobs, the spread of each cloud; for a registry set, a fraction
    in [0, 1] (engine.datasets.make_plane). The two blobs are labelled as tutorial 001
    labels them (the first half moved by (s, s), class 0) and split as it splits them,
    by scikit-learn's train_test_split(random_state=42) (engine.tutorials.t001.sklearn_split);
    the other sets by engine.datasets.train_test_split with the data seed. Raises
    ValueError for settings that do not work (e.g. too few points to hold some out).
    """
    if name in GATES:
        X, y = datasets.logic_gate(name)
    elif name == BLOBS:
        X, y = datasets.blobs(n_points=n_points, separation=separation, noise=noise, seed=seed,
                              shifted_class=t001.SHIFTED_CLASS)
    elif name == EIGHT:
        X, y = datasets.eight_points()
    else:
        X, y = datasets.make_plane(name, n_points, noise, seed)
    X, y = X.astype(np.float64), y.astype(np.float64)
    if test_percent > 0 and name == BLOBS:
        X_train, X_test, y_train, y_test = t001.sklearn_split(X, y, test_size=test_percent / 100.0)
    elif test_percent > 0:
        X_train, X_test, y_train, y_test = datasets.train_test_split(
            X, y, test_size=test_percent / 100.0, seed=seed
        )
    else:
        X_train, y_train = X, y
        X_test, y_test = X[:0], y[:0]
    return {"X_train": X_train, "y_train": y_train, "X_test": X_test, "y_test": y_test}


# ----------------------------------------------------------------------------
# Units
# ----------------------------------------------------------------------------


def make_unit(model, loss, lr, weights, optimizer=None):
    """A Perceptron or SigmoidNeuron (by the page's model label) with weights (w1, w2, b).

    optimizer: for the sigmoid neuron, None (w <- w - lr * dE/dw) or a name of
    engine.optimizers.OPTIMIZERS; the perceptron keeps its rule and ignores it.
    """
    if model == PERCEPTRON:
        unit = Perceptron(n_inputs=2, lr=lr)
    else:
        unit = SigmoidNeuron(n_inputs=2, lr=lr, loss=loss, optimizer=optimizer)
    unit.w = weights[:2]
    unit.b = weights[2]
    return unit


def correct_count(unit, X, y):
    """How many of the points the unit classifies right."""
    return len(y) - unit.errors(X, y) if len(y) else 0


def tutorial_rng(seed):
    """np.random.seed(seed)'s generator after tutorial 002's three randn() calls (w1, w2, b).

    With replacement the page draws its points from it: with the start weights
    `tutorial_start(seed)`, a run replays tutorial 002's loop draw for draw.
    """
    rng = np.random.RandomState(seed)
    rng.randn(3)
    return rng


def tutorial_start(seed):
    """Tutorial 002's start after np.random.seed(seed): w1, w2 and b, three randn() draws."""
    return tuple(float(v) for v in np.random.RandomState(seed).randn(3))


def optimizer_default_lr(name):
    """The learning rate an optimizer of the engine starts with when given none."""
    import inspect

    from engine import optimizers
    return float(inspect.signature(optimizers.OPTIMIZERS[name]).parameters["lr"].default)


def point_on_line(unit, X):
    """(i, z) of the first point whose net input z is 0 up to rounding dust, or None."""
    z = unit.net_input(X)
    on_line = np.flatnonzero(np.abs(z) < ROUNDING_DUST)
    return (int(on_line[0]), float(z[on_line[0]])) if len(on_line) else None


# ----------------------------------------------------------------------------
# A training run: one per user, rebuilt when a setting it depends on changes
# ----------------------------------------------------------------------------


@dataclass
class NeuronRun:
    """One training run of one unit, and what the charts need of it.

    signature: the settings the run was built from (the page starts a new run when they
    change). The loss curve (updates, train_loss, test_loss) keeps every
    curve_stride-th update, and path the weights (w1, w2, b) after it (the loss
    landscape's path); tutorial_updates / tutorial_error the total squared
    error before training, then where tutorial 002's loop measures it: right
    after its iterations 0, 100, 200 ... (updates 1, 101, 201 ...); last the
    trace of the last update; seed the page's seed of the points'
    order; landscape what ui/neuron_landscape.py keeps for the run (its last grid,
    the optimizers' paths).
    """

    signature: tuple
    data: dict
    trainer: UnitTrainer
    updates: list = field(default_factory=list)
    train_loss: list = field(default_factory=list)
    test_loss: list = field(default_factory=list)
    tutorial_updates: list = field(default_factory=list)
    tutorial_error: list = field(default_factory=list)
    path: list = field(default_factory=list)
    last: dict = None
    curve_stride: int = 1
    seed: int = 0
    landscape: dict = field(default_factory=dict)

    @classmethod
    def start(cls, signature, data, unit, batch_size, seed, order="shuffle"):
        """A fresh run from the unit's weights, before any update.

        order: "shuffle" (each epoch in an order drawn from default_rng(seed)) or
        "replacement" (each point drawn by tutorial_rng(seed), as tutorial 002 draws).
        """
        rng = tutorial_rng(seed) if order == "replacement" else seed
        trainer = UnitTrainer(unit, data["X_train"], data["y_train"], batch_size=batch_size,
                              seed=rng, order=order)
        run = cls(signature, data, trainer, seed=seed)
        run.updates.append(0)
        run.path.append((*unit.w.tolist(), unit.b))
        run.train_loss.append(float(unit.loss(data["X_train"], data["y_train"])))
        if len(data["y_test"]):
            run.test_loss.append(float(unit.loss(data["X_test"], data["y_test"])))
        run.tutorial_updates.append(0)
        run.tutorial_error.append(total_squared_error(unit, data["X_train"], data["y_train"]))
        return run

    @property
    def unit(self):
        return self.trainer.unit

    def record(self, trace):
        """Keep what the charts need after one update.

        When the loss curve grows past 2 * MAX_CURVE_POINTS it drops every other point
        and doubles the stride, so a long run stays light to store and to draw.
        """
        unit, data = self.unit, self.data
        self.last = trace
        if trace["update"] % self.curve_stride == 0:
            self.updates.append(trace["update"])
            self.path.append((*trace["w"], trace["b"]))
            self.train_loss.append(float(unit.loss(data["X_train"], data["y_train"])))
            if len(data["y_test"]):
                self.test_loss.append(float(unit.loss(data["X_test"], data["y_test"])))
            if len(self.updates) > 2 * MAX_CURVE_POINTS:
                self.updates = self.updates[::2]
                self.train_loss = self.train_loss[::2]
                self.test_loss = self.test_loss[::2]
                self.path = self.path[::2]
                self.curve_stride *= 2
        if trace["update"] % TUTORIAL_EVERY == 1 % TUTORIAL_EVERY:  # after iteration 0, 100 ...
            self.tutorial_updates.append(trace["update"])
            self.tutorial_error.append(
                total_squared_error(unit, data["X_train"], data["y_train"]))

    def step(self):
        """One update, recorded."""
        self.record(self.trainer.step(1)[0])

    def step_epoch(self):
        """Finish the epoch under way (a whole one if none is), recording every update."""
        epoch = self.trainer.epoch
        self.step()
        while self.trainer.epoch == epoch:
            self.step()

    def last_changes(self):
        """How much the last update changed w1, w2 and b; None before the first update."""
        if self.last is None:
            return None
        last = self.last
        return [*(w - w0 for w, w0 in zip(last["w"], last["w_before"])),
                last["b"] - last["b_before"]]

    def remaining(self, epochs):
        """Updates left until `epochs` epochs are done (0 when they are)."""
        return max(0, epochs * self.trainer.updates_per_epoch - self.trainer.updates)

    def fraction_done(self, epochs):
        return min(1.0, self.trainer.updates / max(1, epochs * self.trainer.updates_per_epoch))


def play_frame(run, pacer, epochs, speed, budget_s=FRAME_BUDGET_SECONDS):
    """One frame of Play: the updates due by the clock (at least one), within budget_s.

    speed: a key of SPEEDS; "slow" makes one update per frame. Returns True when
    the epochs are done.
    """
    seconds = SPEEDS[speed]
    if seconds is None:
        pacer.restart()  # a later switch to a faster speed starts owing nothing
        due = 1
    else:
        pacer.rate = epochs * run.trainer.updates_per_epoch / seconds  # updates per second
        due = pacer.due()
    due = min(due, run.remaining(epochs))
    if live.advance(run.step, steps=due, budget_s=budget_s) < due:
        pacer.forgive()  # this machine cannot keep that pace: do not pile up a debt
    return run.remaining(epochs) == 0
