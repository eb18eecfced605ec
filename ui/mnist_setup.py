"""What the MNIST page trains, said once: limits, presets, a checked configuration, its text.

No Streamlit drawing and no maths here: the page draws, the engine computes.

    config = check_config({**DEFAULT_CONFIG, "hidden": "256,128"})   # ValueError if wrong
    model = build_model(config)                  # engine.build_mlp, seeded by config["seed"]
    config_text(config)   # '784-256-128-10 sigmoid · sigmoid + SSE · SGD lr 0.3 · ...'
    job_configs(config)   # the runs one click on Train starts: one, or two to compare optimizers

A configuration is a dict of the form's fields (CONFIG_FIELDS): hidden (text),
activation, output (a key of OUTPUTS), init, scaling, optimizer, lr,
batch_size, epochs, train_size, shuffle, seed, augment, optimizer2 ("none" or
a second optimizer, trained right after the first) and lr2 (its learning rate).
"""

import numpy as np
import streamlit as st

from engine import (build_mlp, confusion_matrix, load_mnist, load_model, one_hot, optimizers,
                    parse_hidden, per_class_accuracy, scale_pixels, unstable)
from engine import mnist
from ui import catalog
from ui.text import plain

# ---------------------------------------------------------------------------
# Limits that protect a shared host (stated in the page)
# ---------------------------------------------------------------------------
MAX_HIDDEN_LAYERS = 3
MAX_UNITS = 512
MAX_EPOCHS = 20
MAX_BATCH_SIZE = 1000
TRAIN_SIZES = (100, 1_000, 10_000, 60_000)
MIN_LR, MAX_LR = 1e-5, 5.0
MAX_SEED = 9999
MAX_RUNS = 10  # runs kept per session; the oldest goes first
MAX_UPLOAD_MB = 50
# Training on a server many learners share: one job per session at a time (Train is
# disabled while one runs), RUNS_AT_ONCE jobs on the whole server (the next ones wait
# in line, ui/jobs.py LINE), and at most CPU_SECONDS_PER_RUN of one core per run (the
# largest run the form allows would take about an hour alone).
RUNS_AT_ONCE = 2
CPU_SECONDS_PER_RUN = 600
BUDGET_MESSAGE = (f"It reached this shared server's limit of {CPU_SECONDS_PER_RUN // 60} "
                  "minutes of training per run.")

# output choice -> (output activation, loss, label)
OUTPUTS = {
    "sigmoid_sse": ("sigmoid", "sse", "sigmoid + squared error (tutorial)"),
    "sigmoid_mse": ("sigmoid", "mse", "sigmoid + mean squared error"),
    "softmax_ce": ("softmax", "cross_entropy", "softmax + cross-entropy"),
}
LOSS_NAMES = {"sse": "SSE", "mse": "MSE", "cross_entropy": "cross-entropy"}  # short, for one line
INITS = {
    "normal": "normal (tutorial)",
    "glorot": "Glorot uniform",
    "he": "He normal (for ReLU)",
    "keras_normal": "normal 0.05 (Keras)",
}
SCALING_LABELS = {
    "tutorial": "0.01-1 (tutorial)",
    "unit": "0-1",
}

TUTORIAL = dict(hidden="90", activation="sigmoid", output="sigmoid_sse", init="normal",
                scaling="tutorial", optimizer="sgd", lr=0.3, batch_size=1, epochs=1,
                train_size=100, shuffle=False, seed=0, augment=False, optimizer2="none",
                lr2=0.001)

# What each preset's note says it gives is measured, and tests/ui/test_mnist_presets.py
# trains every preset again and checks each figure written here.
NOT_THE_TUTORIALS = ("This network is the engine's, not the tutorial's code: it has biases and "
                     "starts from 1/√(inputs of a unit); the tutorial's has no biases, starts "
                     "from its receiving layer's size and sends the error back without σ′. The "
                     "page MNIST from scratch runs the tutorial's own loop, as printed and "
                     "corrected.")

PRESETS = {
    "tutorial_1": dict(
        label="Tutorial: 100 images",
        config=TUTORIAL,
        note="The tutorial's 784-90-10 sigmoid network, trained one image at a time "
             "(learning rate 0.3) on the first 100 training images, once, in file order. "
             "Seed 0 gives 33.9% on the 10,000 test digits, seeds 0-4 give 33.6-41.2%: far "
             "better than guessing (10%), far from good. The tutorial printed 0.3959 from one "
             "random start. " + NOT_THE_TUTORIALS),
    "tutorial_5": dict(
        label="Tutorial: 100 images, 5 epochs",
        config={**TUTORIAL, "epochs": 5},
        note="The same 100 images shown 5 times: 58.3% on the 10,000 test digits with seed 0 "
             "(seeds 0-4: 58.1-58.6%; the tutorial printed 0.690), while the accuracy on the "
             "100 training images, counted as they go by, climbs to 74%: the network starts to "
             "learn its 100 images better than digits in general. " + NOT_THE_TUTORIALS),
    "tutorial_all": dict(
        label="Tutorial: all 60,000 images",
        config={**TUTORIAL, "lr": 0.1, "epochs": 2, "train_size": 60_000},
        note="All 60,000 training images, twice, learning rate 0.1, still one image at a "
             "time: about 95% test accuracy (the tutorial says \"more than 90%\"). "
             "This takes a while: 120,000 weight updates."),
    "optimizers": dict(
        label="Keras: SGD vs RMSprop",
        config={**TUTORIAL, "hidden": "90", "activation": "relu", "output": "softmax_ce",
                "init": "keras_normal", "optimizer": "sgd", "lr": 0.01, "batch_size": 200,
                "epochs": 5, "train_size": 60_000, "shuffle": True, "optimizer2": "rmsprop",
                "lr2": 0.001},
        note="The tutorial's Keras comparison in this engine: 784-90 ReLU, 10 softmax outputs "
             "with cross-entropy, Keras's \"normal\" start (N(0, 0.05)), shuffled mini-batches "
             "of 200, 5 epochs, run twice: plain SGD (Keras's learning rate 0.01), then "
             "RMSprop (0.001), which scales each weight's step by its recent gradients. Test "
             "error about 12% with SGD and about 3.5% with RMSprop; the tutorial printed 11.97% "
             "and 3.59%. The Compare runs tab overlays them."),
    "best": dict(
        label="Best: 98%",
        config=dict(hidden="256,128", activation="relu", output="softmax_ce", init="glorot",
                    scaling="unit", optimizer="momentum", lr=0.05, batch_size=128, epochs=10,
                    train_size=60_000, shuffle=True, seed=0, augment=False, optimizer2="none",
                    lr2=0.001),
        note="784-256-128-10 with ReLU, softmax + cross-entropy, SGD with momentum 0.9 "
             "(learning rate 0.05) on shuffled mini-batches of 128, 10 epochs: about 98% test "
             "accuracy."),
}
DEFAULT_CONFIG = PRESETS["tutorial_1"]["config"]
CONFIG_FIELDS = tuple(DEFAULT_CONFIG)
NO_SECOND_RUN = "none"


# ---------------------------------------------------------------------------
# The data: loaded once for everybody, never copied per session
# ---------------------------------------------------------------------------
def load_data():
    """MNIST as read-only arrays.

    x_train, x_test: uint8 (n, 28, 28) pixels as stored; y_train, y_test: labels.
    X_train, X_test: float32 (n, 784) pixels / 255 in [0, 1], the one scaled copy
        every training run reads (a model with the tutorial's 0.01-1.0 scaling
        rescales its inputs itself).
    T_train, T_test: the tutorial's targets, 0.01 everywhere and 0.99 for the label.
    """
    (x_train, y_train), (x_test, y_test) = load_mnist()
    data = {
        "x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test,
        "X_train": scale_pixels(x_train, "unit"), "X_test": scale_pixels(x_test, "unit"),
        "T_train": one_hot(y_train, 10, off=0.01, on=0.99),
        "T_test": one_hot(y_test, 10, off=0.01, on=0.99),
    }
    for array in data.values():
        array.flags.writeable = False
    return data


@st.cache_resource(show_spinner="Loading the 70,000 MNIST digits (once for all users)...")
def shared_data():
    """load_data(), once per server: one read-only copy shared by every session."""
    return load_data()


def data_problem(err):
    """What a page says when the MNIST files cannot be read (missing or damaged data/ files)."""
    detail = str(err).replace(str(mnist.DATA_DIR), "data")  # no server paths in the page
    return (f"**The MNIST digits could not be loaded**: {detail}. The app needs the four MNIST "
            "files in its `data/` folder; data/README.md says where to get them.")


# ---------------------------------------------------------------------------
# Configuration -> model, optimizer, targets
# ---------------------------------------------------------------------------
def hidden_sizes(text):
    """The form's hidden layers as sizes; ValueError with a message for the learner."""
    try:
        return parse_hidden(text, max_layers=MAX_HIDDEN_LAYERS, max_units=MAX_UNITS)
    except ValueError as err:
        raise ValueError(f"Hidden layers: {err}") from None


def optimizer_choices():
    """The optimizers offered (every one the engine registers), and the second run's choices."""
    names = catalog.optimizer_names()
    return names, [NO_SECOND_RUN, *names]


def check_config(config):
    """The configuration with every value checked and of the right type (ValueError otherwise)."""
    config = {**DEFAULT_CONFIG, **config}
    checked = dict(config, hidden=",".join(map(str, hidden_sizes(config["hidden"]))))
    first, second = optimizer_choices()
    rules = [
        ("activation", catalog.hidden_activations()),
        ("output", tuple(OUTPUTS)),
        ("init", tuple(INITS)),
        ("scaling", tuple(SCALING_LABELS)),
        ("optimizer", first),
        ("optimizer2", second),
        ("train_size", TRAIN_SIZES),
    ]
    for name, known in rules:
        if config[name] not in known:
            raise ValueError(f"{name}: expected one of {', '.join(map(str, known))}, "
                             f"got {config[name]!r}")
    for name in ("lr", "lr2"):
        value = float(config[name])
        if not MIN_LR <= value <= MAX_LR:
            raise ValueError(f"Learning rate: expected {MIN_LR:g} to {MAX_LR:g}, got {value:g}")
        checked[name] = value
    for name, low, high in (("batch_size", 1, MAX_BATCH_SIZE), ("epochs", 1, MAX_EPOCHS),
                            ("seed", 0, MAX_SEED)):
        value = int(config[name])
        if not low <= value <= high:
            raise ValueError(f"{name.replace('_', ' ').capitalize()}: expected {low} to {high}, "
                             f"got {value}")
        checked[name] = value
    checked["augment"] = bool(config["augment"])
    checked["shuffle"] = bool(config["shuffle"])
    return checked


def build_model(config):
    """784 -> hidden layers -> 10, as the (checked) configuration says."""
    output = OUTPUTS[config["output"]][0]
    return build_mlp([784, *hidden_sizes(config["hidden"]), 10], config["activation"], output,
                     init=config["init"], seed=config["seed"], input_scaling=config["scaling"])


def make_optimizer(config):
    """The configuration's optimizer, by its registry name (ValueError for an unknown name)."""
    return optimizers.get(config["optimizer"], lr=config["lr"])


def loss_name(config):
    return OUTPUTS[config["output"]][1]


def targets(config, data):
    """(training targets of the first train_size images, test targets) for the loss."""
    n = config["train_size"]
    if loss_name(config) == "cross_entropy":
        return data["y_train"][:n], data["y_test"]
    return data["T_train"][:n], data["T_test"]  # the tutorial's targets 0.01 / 0.99


def job_configs(config):
    """The runs one click on Train starts: the configuration, and a second optimizer if chosen."""
    configs = [dict(config, optimizer2=NO_SECOND_RUN)]
    if config["optimizer2"] != NO_SECOND_RUN:
        configs.append(dict(config, optimizer=config["optimizer2"], lr=config["lr2"],
                            optimizer2=NO_SECOND_RUN))
    return configs


def test_results(model, data):
    """Everything the Results tab shows, computed once: outputs on the 10,000 test digits."""
    outputs = model.predict(data["X_test"]).astype(np.float32)
    predicted = outputs.argmax(axis=1)
    y_test = data["y_test"]
    per_digit = per_class_accuracy(y_test, predicted, 10)
    return {
        "outputs": outputs,
        "predicted": predicted,
        "accuracy": float(np.mean(predicted == y_test)),
        "misread": int(np.sum(predicted != y_test)),
        "confusion": confusion_matrix(y_test, predicted, 10),
        "per_digit": per_digit,
        "hardest": int(np.nanargmin(per_digit)),  # the digit read right least often
    }


def misread(results, y_test, digit="any", most_confident_first=True):
    """Indices of the misread test digits (of one true digit, or "any").

    most_confident_first orders them by the output of the wrong answer, highest
    first (the mistakes the network is surest of); otherwise in test-set order.
    """
    outputs, predicted = results["outputs"], results["predicted"]
    wrong = np.flatnonzero((predicted != y_test) & ((y_test == digit) if digit != "any" else True))
    if most_confident_first:
        wrong = wrong[np.argsort(-outputs[wrong, predicted[wrong]], kind="stable")]
    return wrong


# ---------------------------------------------------------------------------
# An uploaded model, described as a configuration
# ---------------------------------------------------------------------------
def read_upload(content):
    """The model in an uploaded file's bytes; ValueError if it is not an MNIST model file."""
    if len(content) > MAX_UPLOAD_MB * 1024 * 1024:
        raise ValueError(f"the file is larger than {MAX_UPLOAD_MB} MB")
    model = load_model(content)
    if model.sizes[0] != 784 or model.sizes[-1] != 10:
        raise ValueError(f"this model has {model.sizes[0]} inputs and {model.sizes[-1]} outputs; "
                         f"an MNIST model needs 784 inputs (28 x 28 pixels) and 10 outputs")
    return model


def uploaded_history(model):
    """The epochs of a loaded model's history that the charts can draw: entries with a whole
    epoch number, and of their values only the finite numbers (anything else is dropped)."""
    history = []
    for entry in model.history if isinstance(model.history, list) else []:
        if isinstance(entry, dict) and _whole(entry.get("epoch")) and entry["epoch"] >= 1:
            history.append({key: float(value) if key != "epoch" else value
                            for key, value in entry.items() if _number(value)})
    return history


def _number(value):
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and bool(np.isfinite(value)))


def _whole(value):
    return isinstance(value, int) and not isinstance(value, bool)


def uploaded_config(model):
    """How a loaded model was trained, as its file says, as a configuration ('?': unknown)."""
    training = model.training_config if isinstance(model.training_config, dict) else {}
    optimizer = training.get("optimizer") if isinstance(training.get("optimizer"), dict) else {}
    optimizer_key = optimizer.get("name", "?")
    if optimizer_key not in catalog.optimizer_names():
        optimizer_key = "?"
    if optimizer_key == "sgd" and optimizer.get("momentum"):  # files saved before "momentum"
        optimizer_key = "momentum"
    hidden = ",".join(map(str, model.sizes[1:-1]))
    if model.layers[-1].activation.name == "softmax":
        output = "softmax_ce"
    else:
        output = "sigmoid_mse" if model.loss == "mse" else "sigmoid_sse"
    return dict(DEFAULT_CONFIG, hidden=hidden, output=output,
                activation=model.layers[0].activation.name if hidden else "-",
                scaling=model.input_scaling or "unit", optimizer=optimizer_key,
                lr=float(optimizer["lr"]) if _number(optimizer.get("lr")) else "?",
                batch_size=training["batch_size"] if _whole(training.get("batch_size")) else "?",
                epochs=len(uploaded_history(model)),
                train_size=training["train_samples"] if _whole(training.get("train_samples"))
                else "?", shuffle=training.get("shuffle") is not False)


# ---------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------
def network_text(config):
    """'784-90-10 sigmoid' or '784-256-128-10 relu'."""
    hidden = [size for size in str(config["hidden"]).split(",") if size]
    sizes = "-".join(["784", *hidden, "10"])
    return f"{sizes} {config['activation']}" if hidden else sizes


def optimizer_label(name):
    return catalog.label("optimizer", name) if name in catalog.optimizer_names() else "?"


def config_text(config):
    """One line describing a run's configuration."""
    output, loss, _ = OUTPUTS[config["output"]]
    text = (f"{network_text(config)} · {output} + {LOSS_NAMES[loss]} · "
            f"{optimizer_label(config['optimizer'])} "
            f"lr {config['lr']:g} · batch {config['batch_size']} · "
            f"{config['train_size']:,} images "
            f"· {config['epochs']} epoch{'s' if config['epochs'] > 1 else ''}")
    if not config.get("shuffle", True):
        text += " · file order"
    return text + (" · distorted digits" if config.get("augment") else "")


def run_label(name, config, accuracy, uploaded=None):
    """How a kept run is listed: 'Run 1 · 784-90-10 sigmoid · SGD · 38.0%'."""
    if uploaded:
        return f"{name} · uploaded {uploaded} · {accuracy:.1%}"
    return f"{name} · {network_text(config)} · {optimizer_label(config['optimizer'])} · " \
           f"{accuracy:.1%}"


def format_seconds(seconds, decimals=None):
    """'0.42 s', '12.3 s', '2 min 5 s'; decimals=0 rounds up to whole seconds (for time left)."""
    if seconds < 60:
        if decimals == 0:
            return f"{max(1, int(np.ceil(seconds)))} s"
        return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"
    return f"{int(seconds // 60)} min {int(seconds % 60)} s"


def run_row(run):
    """One row of the Compare runs table: a run's settings, test accuracy and times."""
    config = run.config
    output, loss, _ = OUTPUTS[config["output"]]
    epochs = run.epochs_done if run.started is not None else config["epochs"]
    sizes = run.model.sizes
    return {
        "run": run.name,
        "test accuracy": f"{run.results['accuracy']:.2%}",
        "network": "-".join(map(str, sizes)) + (f" {config['activation']}" if len(sizes) > 2
                                                else ""),
        "output + loss": f"{output} + {LOSS_NAMES.get(loss, loss)}",
        "optimizer": optimizer_label(config["optimizer"]),
        "learning rate": f"{config['lr']:g}" if isinstance(config["lr"], float) else "?",
        "batch": str(config["batch_size"]),
        "images": f"{config['train_size']:,}" if isinstance(config["train_size"], int) else "?",
        "epochs": f"{epochs:g}" if isinstance(epochs, (int, float)) else "?",
        "seconds": f"{run.seconds:.1f}" if run.seconds is not None else "",
        "seconds with charts": f"{run.wall_seconds:.1f}" if run.wall_seconds is not None else "",
        "status": run.status + (f" ({run.uploaded})" if run.uploaded else ""),
    }


def unstable_losses(run):
    """(start, end) test losses if the run ended far above where it started, else None."""
    if not (run.start and run.history and "val_loss" in run.history[-1]):
        return None
    start, end = run.start["val_loss"], run.history[-1]["val_loss"]
    return (start, end) if unstable(start, end) else None


CHANCE_MARGIN = 0.02  # within 2 points of guessing (10%): the network has not learnt


def at_chance(run):
    """True if the run's test accuracy ended no better than guessing one digit in ten."""
    return run.results["accuracy"] <= 0.1 + CHANCE_MARGIN


def outcome(run):
    """How an ended run is announced: (kind, text, icon, caption or None); kind names st.success...

    The finished run's caption gives its times (bench/mnist_page_overhead.py reads them).
    """
    accuracy = run.results["accuracy"]
    if run.status == "finished":
        times = (f"{format_seconds(run.wall_seconds)} from start to end, of which "
                 f"{format_seconds(run.seconds)} training.")
        losses = unstable_losses(run)
        if losses:
            return ("warning", f"**{run.name} finished, but training was unstable**: the test "
                    f"loss ended at {losses[1]:.3g}, far above the {losses[0]:.3g} of the "
                    f"starting weights (test accuracy **{accuracy:.1%}**). The learning rate "
                    f"is probably too large: try one 10 times smaller "
                    f"({run.config['lr'] / 10:g}).", ":material/warning:", times)
        if at_chance(run):
            return ("warning", f"**{run.name} finished, but did not learn**: test accuracy "
                    f"**{accuracy:.1%}** is what guessing gives (1 digit in 10). If the loss "
                    f"jumped around, try a smaller learning rate; if it hardly moved, a larger "
                    f"one or more epochs.", ":material/warning:", times)
        return ("success", f"**{run.name} finished**: test accuracy **{accuracy:.1%}** on the "
                f"10,000 test digits. See the Results tab.", ":material/check_circle:", times)
    if run.status == "stopped":
        return ("warning", f"**{run.name} stopped** after {run.batches_done:,} of "
                f"{run.batches_total:,} batches ({run.epochs_done:.2f} of "
                f"{run.config['epochs']} epochs). {run.message} The model trained so far "
                f"reaches a test accuracy of **{accuracy:.1%}**.", ":material/stop_circle:", None)
    if run.status == "diverged":
        return ("error", f"**{run.name}**: {run.message} Test accuracy of the last good "
                f"weights: {accuracy:.1%}.", ":material/error:", None)
    return ("error", f"**{run.name}** stopped on an error in the program, not in your settings. "
            f"{run.message} Test accuracy of the model as it was left: {accuracy:.1%}.",
            ":material/bug_report:", None)


# ---------------------------------------------------------------------------
# What the page says (longer texts, kept here so the page stays a page)
# ---------------------------------------------------------------------------
HELP = {
    "hidden": f"Units per hidden layer, separated by commas: 90, or 256,128. Up to "
              f"{MAX_HIDDEN_LAYERS} hidden layers of 1 to {MAX_UNITS} units. Empty (or none): "
              "no hidden layer (784 inputs straight to 10 outputs).",
    "batch_size": "Images per weight update. 1 is the tutorial's one image at a time; at most "
                  f"{MAX_BATCH_SIZE:,}.",
    "epochs": f"Passes through the training images, 1 to {MAX_EPOCHS}.",
    "seed": "The same seed gives the same starting weights and order of images, so the same "
            "result.",
    "optimizer2": "Optional: a second run of the same network with another optimizer, right "
                  "after the first.",
    "shuffle": "The tutorial goes through the images in file order.",
    "augment": "Rotate, scale, shift and thicken each training digit at random: slower, but "
               "the model reads hand-drawn digits better.",
    "stop": "End training now; the model keeps what it has learnt so far, and its test "
            "accuracy is measured.",
    "loss": "The loss on the latest training batches (averaged over a few).",
    "train": "Over the last epoch's batches, while the weights were still changing.",
    "test": "The share of the 10,000 test digits read right. During training it is measured "
            "at the end of each epoch.",
}
LIMITS = (f"Limits on this shared server: at most {MAX_HIDDEN_LAYERS} hidden layers of "
          f"{MAX_UNITS} units, {MAX_EPOCHS} epochs, batches of {MAX_BATCH_SIZE:,}, and the "
          f"60,000 MNIST training images. One training at a time per learner, "
          f"{RUNS_AT_ONCE} on the whole server (the next wait in line), each at most "
          f"{CPU_SECONDS_PER_RUN // 60} minutes. The last {MAX_RUNS} runs are kept.")
INTRO = ("A network with **784 inputs** (one per pixel) and **10 outputs** (one per digit) "
         "learns to read handwritten digits. Pick a preset, press **Train**, and watch the loss "
         "fall and the accuracy rise.")
NO_TRAINING_YET = ("No training yet. Pick a preset (or fill the form) and press **Train**: the "
                   "loss and accuracy will be drawn here while the network learns.")
DATA_INTRO = ("MNIST holds **60,000 training** and **10,000 test** images of handwritten "
              "digits, each 28 × 28 grey pixels from 0 (no ink) to 255 (full ink), with its label "
              "0-9: the gallery draws them as the files store them, white ink on black; the "
              "grid of one digit's values draws 0 white, as the tutorial's picture does. The network only ever sees the training images; the test images measure "
              "how well it reads digits it has never seen.")
CSV_TEXT = ("In the tutorial's CSV file this digit is one line of **785 values**: the label, "
            "then the 784 pixels.")
SCALING_LATEX = (r"x_{\text{tutorial}} = \frac{x}{255}\cdot 0.99 + 0.01 \qquad "
                 r"x_{0\text{-}1} = \frac{x}{255}")
CONFUSION_CAPTION = ("Row = the true digit, column = what the network said. The green diagonal "
                     "counts the right answers; red cells are mistakes (darker = more often).")
SAVE_CAPTION = ("A NumPy .npz file: each layer's weights and biases, and a description of the "
                "network. Load it here again, or with `python -m engine evaluate <file>`.")
DRAW_CAPTION = ("Every trained or uploaded model of this session can be chosen on the Draw a "
                "digit page; the newest is selected.")


def digit_text(black, label):
    return (f"The network does not see a picture: it gets **784 numbers**, one per pixel, row "
            f"after row (the empty cells, white in the grid, are 0: {black} of the 784). Each number goes to "
            f"one input of the network, and the label **{label}** says which of the 10 outputs "
            f"should light up.")


def scaling_text(black):
    return (f"Pixels 0-255 are scaled to small numbers before they enter the network. The "
            f"tutorial maps them to 0.01-1.0: {black} of this digit's 784 pixels are 0, and a "
            f"weight whose input is exactly 0 never changes (its update is learning rate × "
            f"error × input), so the tutorial adds 0.01. Dividing by 255 (0 to 1) is the other "
            f"usual choice.")


def scaling_table():
    """A few pixel values and what each input scaling makes of them (columns for a table)."""
    pixels = np.zeros((1, 784), np.uint8)  # scale_pixels takes whole images
    pixels[0, :5] = (0, 1, 64, 128, 255)

    def scaled(scaling):
        return scale_pixels(pixels, scaling)[0, :5].astype(np.float64).round(4)

    return {"pixel": pixels[0, :5], "0.01 to 1.0 (tutorial)": scaled("tutorial"),
            "0 to 1": scaled("unit")}


def gallery_titles(results, y_test, shown):
    """'<b>7 → 2</b><br>0.93 / 0.04': true digit → answer, then both outputs."""
    outputs, predicted = results["outputs"], results["predicted"]
    return [f"<b>{y_test[i]} → {predicted[i]}</b><br>"
            f"{outputs[i, predicted[i]]:.2f} / {outputs[i, y_test[i]]:.2f}" for i in shown]


def gallery_caption(count, softmax):
    kind = ("probabilities, which sum to 1 over the 10 outputs" if softmax else
            "sigmoid outputs, each between 0 and 1, which need not sum to 1")
    return (f"{count:,} test digits misread. Above each one: **true digit → the network's "
            f"answer**, then the output for its answer / the output for the true digit ({kind}).")


def weights_caption(count, n_out):
    return (f"Each square shows the 784 weights from the pixels into one unit of the first "
            f"layer ({count} of {n_out}), laid out like the image: blue pixels push the unit up, "
            f"red ones push it down (each square scaled to its largest weight). "
            + ("With no hidden layer, each square is the template the network matches one "
               "digit against." if n_out == 10 else
               "Random noise at the start; after training, strokes and blobs the unit detects."))


def progress_text(progress):
    """'Epoch 2 of 5 · 31% · about 12 s left' (or paused, or starting)."""
    if progress.paused:
        left = "paused"
    elif progress.seconds_left is not None:
        left = f"about {format_seconds(progress.seconds_left, 0)} left"
    else:
        left = "starting"
    return f"Epoch {progress.epoch} of {progress.epochs} · {progress.fraction:.0%} · {left}"


def waiting_text(ahead):
    """What a job waiting in the server's line says (ahead: jobs that must leave first)."""
    which = "one more training" if ahead == 1 else f"{ahead} more trainings"
    return (f"**Waiting for a free place.** This shared server trains {RUNS_AT_ONCE} networks "
            f"at once; {which} must finish or pause before yours starts. It starts by itself.")


def numbers_caption(samples_seen, seconds, when):
    speed = f"{samples_seen / seconds:,.0f} images per second" if seconds else "starting"
    return (f"Test accuracy {when} · {samples_seen:,} training images seen · {speed} "
            f"(testing included)")


def uploaded_text(file_name, run):
    return (f"Loaded {plain(file_name)} as {run.name}: test accuracy {run.results['accuracy']:.1%}. "
            f"See the Results and Compare runs tabs; the Draw a digit page can use it too.")


def run_caption(run):
    if run.uploaded:
        return f"Uploaded model {plain(run.uploaded)}: {'-'.join(map(str, run.model.sizes))}"
    return config_text(run.config)


def hardest_caption(results):
    worst = results["hardest"]
    return (f"The hardest digit for this network is **{worst}** "
            f"({results['per_digit'][worst]:.1%} right).")
