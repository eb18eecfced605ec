"""The playground's data and networks: what a Run is, and how it trains (no Streamlit).

    data = load_data(shared)                 # the points the settings describe, split
    run = Run(nets["a"], data, wseed=0)      # one network on them: model, Trainer, curves
    train_together([run], epochs=2, budget_s=0.04)
    picture = run.picture()                  # a snapshot for drawing: every layer on the grid

Every number comes from the engine: the data sets and the CSV reader from
engine.datasets, the input features from engine.features, the model from
engine.build_mlp, the optimizer from engine.optimizers.get, the training from
engine.model.Trainer. A drawing reads a Picture, which holds copies: it never
touches the arrays a Trainer is working on. The page keeps its Runs in its
state object and trains or draws them only inside `live.turn()` (ui/live.py).
"""

from dataclasses import dataclass, field

import numpy as np

from engine import build_mlp, datasets, optimizers
from engine.features import feature_matrix
from engine.model import Trainer, TrainingDiverged
from ui import live
from ui.text import plain
from ui.url_state import CSV, layer_activations

MAX_EPOCHS = 10_000
GRID = 100  # the decision regions are computed on GRID x GRID points
CSV_LIMIT = 10.0  # CSV points farther out than this are rescaled to [-5, 5]
CSV_MAX_MB = datasets.MAX_CSV_BYTES // 10**6  # the uploader's max_upload_size (whole MB)
CSV_HELP = (f"Two number columns and a label column (whole numbers such as 0/1 or -1/1); at "
            f"most {datasets.MAX_CSV_ROWS:,} rows, {CSV_MAX_MB} MB and "
            f"{datasets.MAX_CSV_CLASSES} classes; a header line is optional.")
CSV_CAPTION = (f"Files of up to {CSV_MAX_MB} MB ({datasets.MAX_CSV_ROWS:,} points) are read: a "
               f"larger one is marked in red and not uploaded (point at it to read why). "
               f"Uploaded points stay in this browser tab: a shared link cannot carry them.")


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
    """GRID x GRID pixel centres covering the window, the first row at the top of the picture."""
    low, high = window
    step = (high - low) / GRID
    centres = low + step * (np.arange(GRID) + 0.5)
    gx, gy = np.meshgrid(centres, centres[::-1])
    return np.column_stack([gx.ravel(), gy.ravel()]).astype(np.float32)


def load_data(shared, csv_points=None):
    """The data the settings describe, split into training and test points.

    csv_points: (X, y) read from the learner's file (datasets.from_csv) when
    data == "csv". Raises ValueError with a message for the learner.
    """
    name, n, seed = shared["data"], shared["points"], shared["seed"]
    note = ""
    if name == CSV:
        if csv_points is None:
            raise ValueError("upload a CSV file in the sidebar (three columns: x1, x2, label; "
                             "a shared link cannot carry the file itself)")
        X, y = csv_points
        X, window, rescaled = datasets.fit_points_to_window(X, limit=CSV_LIMIT)
        if rescaled:
            note = ("Your points reach beyond ±10, so each column was rescaled to −5…5 "
                    "(large inputs would saturate the units).")
        if len(y) < 4:
            raise ValueError("your file has fewer than 4 points; the network needs more to "
                             "learn from and test on")
    else:
        if name not in datasets.PLANE_DATASETS:
            raise ValueError(f"there is no data set called “{plain(name, 40)}”")
        X, y = datasets.make_plane(name, n, shared["noise"] / 100.0, seed)
        window = datasets.PLANE_DATASETS[name].window
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
    return Data(signature, X_train, y_train, X_test, y_test, classes, tuple(window),
                make_grid(window), note)


def read_upload(upload, cache=None):
    """The points of the learner's uploaded CSV file, read once per file.

    Args:
        upload: Streamlit's UploadedFile (its file_id and getbuffer() are used).
        cache: what this returned last time, or None.

    Returns:
        (file_id, (X, y) or None, the error message or None): `cache` itself
        when it is for the same file, so a file is parsed once, and a file that
        could not be read is not read again on every rerun.
    """
    if cache is not None and cache[0] == upload.file_id:
        return cache
    try:
        with upload.getbuffer() as content:  # not copied: a file over the cap is never read
            return upload.file_id, datasets.from_csv(content), None
    except ValueError as err:
        return upload.file_id, None, str(err)


def csv_error_markdown(file_name, error):
    """The message for a CSV file that could not be used; its name and the quoted lines of
    the file are shown as typed (ui.text.plain), never as Markdown."""
    return (f"Could not use “{plain(file_name, 80)}”: {plain(error, 300)}.\n\nExpected one "
            f"point per line as `x1, x2, label`, e.g. `0.5, -1.2, 1`, in a file of at most "
            f"{CSV_MAX_MB} MB.")


def loss_name(code, classes):
    """The engine's loss for the playground's choice: "ce" is binary or not by the classes."""
    if code == "mse":
        return "mse"
    return "binary_cross_entropy" if classes == 2 else "cross_entropy"


@dataclass(frozen=True)
class Picture:
    """What a drawing needs of a Run at one moment: copies, safe to draw while it trains.

    grid_outputs: each layer's activations on the data's grid, (GRID * GRID, units);
    weights, biases: each layer's W (n_in, n_out) and b (n_out,).
    """

    inputs: list
    acts: list
    grid_inputs: np.ndarray
    grid_outputs: list
    weights: list
    biases: list
    epoch: int
    latest: dict
    curves: dict


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
        self.grid_inputs.flags.writeable = False  # shared with every Picture
        outputs = 1 if self.classes == 2 else self.classes
        self.model = build_mlp([len(self.inputs), *self.hidden, outputs], self.acts,
                               "sigmoid" if outputs == 1 else "softmax", seed=wseed)
        self.loss = loss_name(net["loss"], self.classes)
        rate = float(net["rate"])
        self.trainer = Trainer(
            self.model, self.X_train, self.y_train, epochs=MAX_EPOCHS,
            batch_size=min(net["batch"], len(self.X_train)),
            optimizer=optimizers.get(net["opt"], lr=float(net["lr"])), loss=self.loss,
            seed=wseed, l1=rate if net["reg"] == "l1" else 0.0,
            l2=rate if net["reg"] == "l2" else 0.0)
        self.error = None
        self.curves = {"epoch": [], "train_loss": [], "test_loss": [],
                       "train_acc": [], "test_acc": []}
        self.view_cache = {}  # the drawing's own cache (pictures that never change, ...)
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

    def picture(self):
        """A snapshot for drawing: every layer's output on the grid, weights, curves (copies)."""
        return Picture(
            inputs=list(self.inputs), acts=list(self.acts), grid_inputs=self.grid_inputs,
            grid_outputs=self.model.layer_outputs(self.grid_inputs),
            weights=[layer.W.copy() for layer in self.model.layers],
            biases=[layer.b.copy() for layer in self.model.layers],
            epoch=self.epoch, latest={name: values[-1] for name, values in self.curves.items()},
            curves={name: list(values) for name, values in self.curves.items()})


def run_signature(net, data, wseed):
    """What a network is built from: changing any of these starts it again."""
    return (data.signature, tuple(net["inputs"]), tuple(net["hidden"]),
            tuple(layer_activations(net)), net["loss"], net["opt"], net["batch"], wseed)


def ensure_runs(runs, nets, data, wseed, active):
    """Keep each active network's Run in `runs`, rebuilding those whose set-up changed."""
    for c in list(runs):
        if c not in active:
            del runs[c]
    for c in active:
        run = runs.get(c)
        if run is None or run.signature != run_signature(nets[c], data, wseed):
            runs[c] = Run(nets[c], data, wseed)
        else:
            run.tune(nets[c])
    return runs


def train_together(runs, epochs, budget_s):
    """Train every network `epochs` epochs, in lockstep, within about budget_s seconds.

    Returns the number of epochs done (at least one unless all have finished).
    """
    def one_epoch_each():
        for run in runs:
            run.train_epochs(1)

    done = live.advance(one_epoch_each, steps=epochs, budget_s=budget_s,
                        done=lambda: all(run.finished for run in runs))
    for run in runs:
        run.record()
    return done
