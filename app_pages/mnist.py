"""Train on MNIST: a network learns to read handwritten digits while you watch.

The page follows the classic tutorial (a 784-90-10 sigmoid network trained one
image at a time) and goes beyond it: other activations, softmax with
cross-entropy, mini-batches and the optimizers SGD, momentum, RMSprop and Adam.

Tabs:
    Train          presets, the configuration form and the live progress panel
    The data       sample digits, one digit's 785 raw values, input scaling
    Results        test accuracy, confusion matrix, accuracy per digit,
                   misclassified digits, the first layer's weights as images
    Compare runs   every run of this session overlaid, and a table
    Save & load    download a trained model, upload one

How training stays responsive: the progress panel is a fragment that reruns
every REFRESH_SECONDS while a run is going and redraws the charts. Each of its
reruns renews a short lease on a background thread that steps the engine's
Trainer a few batches at a time (`train_while_leased`), so drawing never holds
training up and training stops soon after the page stops refreshing. Stop
and Pause wait for one step at most. A full script run trains one chunk
itself (`advance`), which is also how AppTest drives it. The dataset is loaded
once for every user (`mnist_data`, one shared read-only copy); each session
keeps only its models and runs.

Session state (keys start with "mnist_"): mnist_config (the last configuration
used), mnist_w_* (the form's widgets), mnist_job (the training in progress),
mnist_runs (finished runs), mnist_models (name -> model, read by the draw page)
and mnist_selected_model (the latest model's name).
"""

import threading
import time

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ui import charts
from engine import (SGD, Adam, Dense, LambdaCallback, RMSprop, Sequential, Trainer,
                    TrainingDiverged, confusion_matrix, load_mnist, load_model, one_hot,
                    per_class_accuracy, save_model, scale_pixels)
from engine.augment import augment_batch

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

# Live progress. The progress panel is a fragment that reruns every REFRESH_SECONDS
# while a run is going. Each of its runs renews a lease of LEASE_SECONDS on a
# background thread that steps the Trainer, STEP_SECONDS of batches at a time, so
# training does not wait while the page redraws; when the refreshes stop (the
# learner left the page or closed it) the lease runs out and training pauses.
# A full script run first trains one chunk of CHUNK_SECONDS itself (`advance`):
# progress shows at once, and AppTest, which never fires run_every, sees it.
REFRESH_SECONDS = 1.0  # Stop and Pause do not wait for it: a click reruns the panel at once
LEASE_SECONDS = 3.0
STEP_SECONDS = 0.05
CHUNK_SECONDS = 0.3
LOSS_POINTS = 300  # points per loss curve (batches are averaged in buckets)

HIDDEN_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "silu", "gelu", "softplus")
# output choice -> (output activation, loss, label)
OUTPUTS = {
    "sigmoid_sse": ("sigmoid", "sse", "sigmoid + squared error (tutorial)"),
    "sigmoid_mse": ("sigmoid", "mse", "sigmoid + mean squared error"),
    "softmax_ce": ("softmax", "cross_entropy", "softmax + cross-entropy"),
}
LOSS_NAMES = {"sse": "SSE", "mse": "MSE", "cross_entropy": "cross-entropy"}
OPTIMIZERS = {
    "sgd": "SGD",
    "momentum": "SGD + momentum 0.9",
    "rmsprop": "RMSprop",
    "adam": "Adam",
}
INITS = {
    "normal": "normal (tutorial)",
    "glorot": "Glorot uniform",
    "he": "He normal (for ReLU)",
}
SCALING_LABELS = {
    "tutorial": "0.01-1 (tutorial)",
    "unit": "0-1",
}

TUTORIAL = dict(hidden="90", activation="sigmoid", output="sigmoid_sse", init="normal",
                scaling="tutorial", optimizer="sgd", lr=0.3, batch_size=1, epochs=1,
                train_size=100, shuffle=False, seed=0, augment=False, optimizer2="none",
                lr2=0.001)

PRESETS = {
    "tutorial_1": dict(
        label="Tutorial: 100 images",
        config=TUTORIAL,
        note="The tutorial's 784-90-10 sigmoid network, trained one image at a time "
             "(learning rate 0.3) on the first 100 training images, once, in file order. "
             "Expect about 35-40% test accuracy: far better than guessing (10%), far from good."),
    "tutorial_5": dict(
        label="Tutorial: 100 images, 5 epochs",
        config={**TUTORIAL, "epochs": 5},
        note="The same 100 images shown 5 times: close to 60% on the 10,000 test digits, while "
             "the training accuracy nears 100%: the network starts to memorise its 100 images."),
    "tutorial_all": dict(
        label="Tutorial: all 60,000 images",
        config={**TUTORIAL, "lr": 0.1, "epochs": 2, "train_size": 60_000},
        note="All 60,000 training images, twice, learning rate 0.1, still one image at a "
             "time: about 95% test accuracy. This takes a while: 120,000 weight updates."),
    "optimizers": dict(
        label="SGD vs RMSprop",
        config={**TUTORIAL, "lr": 0.3, "batch_size": 200, "epochs": 5, "train_size": 60_000,
                "optimizer2": "rmsprop", "lr2": 0.001},
        note="Two runs of the tutorial's network on mini-batches of 200 images, one after the "
             "other: plain SGD (learning rate 0.3) reaches about 89%, RMSprop (0.001), which "
             "scales each weight's step by its recent gradients, about 94%. The Compare runs "
             "tab overlays them."),
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


# ---------------------------------------------------------------------------
# The data: loaded once for everybody, never copied per session
# ---------------------------------------------------------------------------
@st.cache_resource(show_spinner="Loading the 70,000 MNIST digits (once for all users)...")
def mnist_data():
    """MNIST as shared read-only arrays.

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


# ---------------------------------------------------------------------------
# Configuration -> model, optimizer, trainer
# ---------------------------------------------------------------------------
def parse_hidden(text):
    """'256,128' -> [256, 128]; '' -> [] (no hidden layer). ValueError with a message for users."""
    text = str(text).strip()
    if not text:
        return []
    parts = [part.strip() for part in text.split(",")]
    if not all(part.isdigit() for part in parts):
        raise ValueError(
            f"Hidden layers: write the number of units of each hidden layer, separated by "
            f"commas, e.g. 90 or 256,128 (or leave it empty for no hidden layer). "
            f"Got {text!r}.")
    sizes = [int(part) for part in parts]
    if len(sizes) > MAX_HIDDEN_LAYERS:
        raise ValueError(f"Hidden layers: at most {MAX_HIDDEN_LAYERS} hidden layers on this "
                         f"shared server, got {len(sizes)} ({text!r}).")
    if not all(1 <= size <= MAX_UNITS for size in sizes):
        raise ValueError(f"Hidden layers: each layer needs 1 to {MAX_UNITS} units, got {text!r}.")
    return sizes


def check_config(config):
    """The configuration with every value checked and of the right type (ValueError otherwise)."""
    config = {**DEFAULT_CONFIG, **config}
    checked = dict(config, hidden=",".join(map(str, parse_hidden(config["hidden"]))))
    rules = [
        ("activation", config["activation"] in HIDDEN_ACTIVATIONS, HIDDEN_ACTIVATIONS),
        ("output", config["output"] in OUTPUTS, tuple(OUTPUTS)),
        ("init", config["init"] in INITS, tuple(INITS)),
        ("scaling", config["scaling"] in SCALING_LABELS, tuple(SCALING_LABELS)),
        ("optimizer", config["optimizer"] in OPTIMIZERS, tuple(OPTIMIZERS)),
        ("optimizer2", config["optimizer2"] in ("none", *OPTIMIZERS), ("none", *OPTIMIZERS)),
        ("train_size", config["train_size"] in TRAIN_SIZES, TRAIN_SIZES),
    ]
    for name, ok, known in rules:
        if not ok:
            raise ValueError(f"{name}: expected one of {', '.join(map(str, known))}, "
                             f"got {config[name]!r}")
    for name, low, high in (("lr", MIN_LR, MAX_LR), ("lr2", MIN_LR, MAX_LR)):
        value = float(config[name])
        if not low <= value <= high:
            raise ValueError(f"Learning rate: expected {low:g} to {high:g}, got {value:g}")
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
    """784 -> hidden layers -> 10, as the configuration says."""
    sizes = [784, *parse_hidden(config["hidden"]), 10]
    output = OUTPUTS[config["output"]][0]
    layers = [Dense(n_in, n_out, config["activation"], init=config["init"])
              for n_in, n_out in zip(sizes[:-2], sizes[1:-1])]
    layers.append(Dense(sizes[-2], 10, output, init=config["init"]))
    return Sequential(layers, seed=config["seed"], input_scaling=config["scaling"])


def make_optimizer(name, lr):
    if name == "sgd":
        return SGD(lr)
    if name == "momentum":
        return SGD(lr, momentum=0.9)
    if name == "rmsprop":
        return RMSprop(lr)
    return Adam(lr)


def network_text(config):
    """'784-90-10 sigmoid' or '784-256-128-10 relu'."""
    hidden = parse_hidden(config["hidden"])
    sizes = "-".join(map(str, [784, *hidden, 10]))
    return f"{sizes} {config['activation']}" if hidden else sizes


def config_text(config):
    """One line describing a run's configuration."""
    output, loss, _ = OUTPUTS[config["output"]]
    text = (f"{network_text(config)} · {output} + {LOSS_NAMES[loss]} · "
            f"{OPTIMIZERS[config['optimizer']]} "
            f"lr {config['lr']:g} · batch {config['batch_size']} · "
            f"{config['train_size']:,} images "
            f"· {config['epochs']} epoch{'s' if config['epochs'] > 1 else ''}")
    if not config.get("shuffle", True):
        text += " · file order"
    return text + (" · distorted digits" if config.get("augment") else "")


def job_configs(config):
    """The runs one click on Train starts: the configuration, and a second optimizer if chosen."""
    configs = [dict(config, optimizer2="none")]
    if config["optimizer2"] != "none":
        configs.append(dict(config, optimizer=config["optimizer2"], lr=config["lr2"],
                            optimizer2="none"))
    return configs


# ---------------------------------------------------------------------------
# Runs and training in chunks
# ---------------------------------------------------------------------------
def session_runs():
    return st.session_state.setdefault("mnist_runs", [])


def new_run(config, data):
    """A run record with a fresh model and its Trainer, ready to `advance`."""
    config = check_config(config)
    model = build_model(config)
    n = config["train_size"]
    _, loss, _ = OUTPUTS[config["output"]]
    if loss == "cross_entropy":
        y_train, y_test = data["y_train"][:n], data["y_test"]
    else:  # the tutorial's targets 0.01 / 0.99
        y_train, y_test = data["T_train"][:n], data["T_test"]
    run = {
        "id": st.session_state.get("mnist_next_id", 1),
        "config": config, "model": model, "status": "training", "message": "",
        "loss_x": [], "loss_y": [], "bucket_sum": 0.0, "bucket_n": 0,
        "history": [], "results": None, "uploaded": None,
    }
    st.session_state["mnist_next_id"] = run["id"] + 1
    run["name"] = f"Run {run['id']}"
    # Before any training: the test accuracy of random weights (about 10%).
    loss0, accuracy0 = model.evaluate(data["X_test"], y_test, loss=loss)
    run["start"] = {"epoch": 0, "val_loss": loss0, "val_accuracy": accuracy0}
    augment = None
    if config["augment"]:
        rng = np.random.default_rng(config["seed"])
        augment = lambda xb: augment_batch(xb, rng)  # noqa: E731
    trainer = Trainer(
        model, data["X_train"][:n], y_train,  # a slice of the shared array: a view, no copy
        epochs=config["epochs"], batch_size=config["batch_size"],
        optimizer=make_optimizer(config["optimizer"], config["lr"]), loss=loss,
        validation_data=(data["X_test"], y_test), seed=config["seed"], augment=augment,
        shuffle=config["shuffle"],
        callbacks=[LambdaCallback(on_batch_end=lambda t, logs: record_loss(run, logs))],
    )
    run["trainer"] = trainer
    run["history"] = trainer.history
    total_batches = trainer.epochs * trainer.batches_per_epoch
    run["bucket"] = max(1, -(-total_batches // LOSS_POINTS))
    run["k"] = 1  # batches per trainer.step call, tuned as we go
    run["started"] = time.perf_counter()  # wall clock, for the time with drawing included
    run["paused_seconds"] = 0.0
    return run


def record_loss(run, logs):
    """Batch callback: average the loss over buckets of run['bucket'] batches."""
    run["bucket_sum"] += logs["loss"]
    run["bucket_n"] += 1
    if run["bucket_n"] == run["bucket"] or logs["batch"] == logs["batches"]:
        run["loss_x"].append(logs["epoch"] - 1 + logs["batch"] / logs["batches"])
        run["loss_y"].append(run["bucket_sum"] / run["bucket_n"])
        run["bucket_sum"], run["bucket_n"] = 0.0, 0


def start_job(config, data):
    """Start training the runs of one click on Train (one, or two to compare optimizers)."""
    configs = job_configs(check_config(config))
    job = {"queue": configs[1:], "runs": [], "paused": False, "total": len(configs),
           "lease_until": 0.0, "worker": None}
    job["run"] = new_run(configs[0], data)
    job["runs"].append(job["run"]["name"])
    st.session_state["mnist_job"] = job
    return job


def train_steps(run, seconds, keep_going=None):
    """Step the run's Trainer for about `seconds`, k batches per step.

    k is tuned so that one step takes about STEP_SECONDS (growing at most
    fourfold per step, so a step never overshoots by much): a Stop or a Pause
    waits for one step at most. `keep_going()`, if given, is asked before each step.
    """
    trainer = run["trainer"]
    start = time.perf_counter()
    try:
        while (not trainer.done and time.perf_counter() - start < seconds
               and (keep_going is None or keep_going())):
            step_start = time.perf_counter()
            trainer.step(run["k"])
            took = time.perf_counter() - step_start
            run["k"] = int(np.clip(run["k"] * STEP_SECONDS / max(took, 1e-6), 1, 4 * run["k"]))
    finally:
        if trainer.done:  # the last batch (or a diverging one): the run's clock stops here
            run.setdefault("ended", time.perf_counter())


def advance(job, data, seconds=CHUNK_SECONDS):
    """The chunk function: train the job's current run here for about `seconds`.

    Then, if the run has ended, record it and start the job's next run.
    """
    stop_worker(job)
    try:
        train_steps(job["run"], seconds)
    except Exception as err:  # noqa: BLE001 - shown in the page, never as a traceback
        record_failure(job, err)
    collect(job, data)


def record_failure(job, err):
    """Keep why the current run ended early, for collect() or stop_job() to record.

    A diverging loss is the learner's to fix (a smaller learning rate); anything
    else is a bug, said as such rather than passed off as divergence.
    """
    job["run"].setdefault("ended", time.perf_counter())
    if isinstance(err, TrainingDiverged):
        job["failure"] = ("diverged", str(err))
    else:
        job["failure"] = ("failed", f"Training failed: {type(err).__name__}: {err}.")


def collect(job, data):
    """If the job's current run has ended (all epochs done, diverged or failed), record it."""
    run = job["run"]
    if run["status"] != "training":
        return
    if job.get("failure"):
        finish_run(run, data, *job.pop("failure"))
    elif run["trainer"].done:
        finish_run(run, data, "finished")
    else:
        return
    next_run_or_end(job, data)


def keep_training(job):
    """Renew the background trainer's lease, starting the thread if it is not running."""
    job["lease_until"] = time.perf_counter() + LEASE_SECONDS
    worker = job.get("worker")
    if worker is None or not worker.is_alive():
        job["worker"] = threading.Thread(target=train_while_leased, args=(job, job["run"]),
                                         name=f"mnist {job['run']['name']}", daemon=True)
        job["worker"].start()


def train_while_leased(job, run):
    """The background thread: train until the run ends, or a pause, Stop or the lease's end.

    It only calls the engine; everything the page shows is done by the script.
    """
    def leased():
        return not job["paused"] and time.perf_counter() < job["lease_until"]

    try:
        train_steps(run, float("inf"), keep_going=leased)
    except Exception as err:  # noqa: BLE001 - shown in the page, never lost in a thread
        record_failure(job, err)


def stop_worker(job):
    """End the background trainer's lease and wait for it (one step at most)."""
    job["lease_until"] = 0.0
    worker = job.get("worker")
    if worker is not None:
        worker.join()
        job["worker"] = None


def next_run_or_end(job, data):
    """After a run: start the next one of the job (a stopped job has an empty queue)."""
    if job["queue"]:
        job["run"] = new_run(job["queue"].pop(0), data)
        job["runs"].append(job["run"]["name"])
    else:
        job["done"] = True


def stop_job():
    """Stop button: end training now; the model keeps what it has learnt."""
    job = st.session_state.get("mnist_job")
    if job and job["run"]["status"] == "training":
        stop_worker(job)
        job["queue"] = []
        trainer = job["run"]["trainer"]
        if job.get("failure"):
            finish_run(job["run"], mnist_data(), *job.pop("failure"))
        else:
            finished = trainer.epoch >= trainer.epochs
            trainer.stop()
            finish_run(job["run"], mnist_data(), "finished" if finished else "stopped")
        job["done"] = True


def set_paused(paused):
    """Pause / Resume button: a paused run is simply not stepped.

    It sets the state the button showed rather than flipping it, so that a click
    Streamlit delivers twice (a rerun can replay a button's trigger) changes nothing more.
    """
    job = st.session_state.get("mnist_job")
    if job and job["paused"] != paused:
        job["paused"] = paused
        if paused:
            stop_worker(job)
            job["paused_at"] = time.perf_counter()
        else:
            job["run"]["paused_seconds"] += time.perf_counter() - job.pop("paused_at")


def finish_run(run, data, status, message=""):
    """Record the end of a run: test results, keep the model, free the Trainer."""
    trainer = run.pop("trainer", None)
    run["status"] = status
    run["message"] = message
    if "started" in run:
        # From the start to the last batch (the page shows it at its next refresh).
        ended = run.get("ended", time.perf_counter())
        run["wall_seconds"] = ended - run["started"] - run["paused_seconds"]
    if trainer is not None:
        run["seconds"] = trainer.seconds
        run["samples_seen"] = trainer.samples_seen
        run["batches_total"] = trainer.epochs * trainer.batches_per_epoch
        run["batches_done"] = trainer.batches_done
        run["epochs_done"] = run["batches_done"] / trainer.batches_per_epoch
    run["results"] = test_results(run["model"], data)
    add_run(run)


def test_results(model, data):
    """Everything the Results tab shows, computed once: outputs on the 10,000 test digits."""
    outputs = model.predict(data["X_test"]).astype(np.float32)
    predicted = outputs.argmax(axis=1)
    y_test = data["y_test"]
    return {
        "outputs": outputs,
        "predicted": predicted,
        "accuracy": float(np.mean(predicted == y_test)),
        "confusion": confusion_matrix(y_test, predicted, 10),
        "per_digit": per_class_accuracy(y_test, predicted, 10),
    }


def add_run(run):
    """Keep a finished run (at most MAX_RUNS, oldest dropped); offer its model to the draw page."""
    runs = session_runs()
    runs.append(run)
    accuracy = run["results"]["accuracy"]
    run["label"] = (f"{run['name']} · {network_text(run['config'])} · "
                    f"{OPTIMIZERS.get(run['config']['optimizer'], '?')} · {accuracy:.1%}")
    if run["uploaded"]:
        run["label"] = f"{run['name']} · uploaded {run['uploaded']} · {accuracy:.1%}"
    while len(runs) > MAX_RUNS:
        dropped = runs.pop(0)
        st.session_state.setdefault("mnist_dropped", []).append(dropped["name"])
    st.session_state["mnist_models"] = {r["label"]: r["model"] for r in runs}
    st.session_state["mnist_selected_model"] = run["label"]
    # Shown next in Results and Save & load (applied before those widgets are drawn).
    st.session_state["mnist_results_pending"] = run["label"]
    st.session_state["mnist_save_pending"] = run["label"]


def find_run(label):
    return next((run for run in session_runs() if run["label"] == label), None)


# ---------------------------------------------------------------------------
# Uploading a model
# ---------------------------------------------------------------------------
def add_uploaded_model(name, content, data):
    """Load an uploaded model file, check it reads MNIST, keep it as a run. ValueError if bad."""
    if len(content) > MAX_UPLOAD_MB * 1024 * 1024:
        raise ValueError(f"the file is larger than {MAX_UPLOAD_MB} MB")
    model = load_model(content)
    if model.sizes[0] != 784 or model.sizes[-1] != 10:
        raise ValueError(f"this model has {model.sizes[0]} inputs and {model.sizes[-1]} outputs; "
                         f"an MNIST model needs 784 inputs (28 x 28 pixels) and 10 outputs")
    training = model.training_config or {}
    optimizer = training.get("optimizer") if isinstance(training.get("optimizer"), dict) else {}
    optimizer_key = optimizer.get("name", "?")
    if optimizer_key == "sgd" and optimizer.get("momentum"):
        optimizer_key = "momentum"
    hidden = ",".join(map(str, model.sizes[1:-1]))
    if model.layers[-1].activation.name == "softmax":
        output = "softmax_ce"
    else:
        output = "sigmoid_mse" if model.loss == "mse" else "sigmoid_sse"
    config = dict(DEFAULT_CONFIG, hidden=hidden, output=output,
                  activation=model.layers[0].activation.name if hidden else "-",
                  scaling=model.input_scaling or "unit", optimizer=optimizer_key,
                  lr=optimizer.get("lr", "?"), batch_size=training.get("batch_size", "?"),
                  epochs=len(model.history), train_size=training.get("train_samples", "?"),
                  shuffle=training.get("shuffle", True))
    run = {
        "id": st.session_state.get("mnist_next_id", 1), "config": config, "model": model,
        "status": "uploaded", "message": "", "loss_x": [], "loss_y": [],
        "history": [h for h in model.history if isinstance(h, dict)], "uploaded": name,
        "start": None,
    }
    st.session_state["mnist_next_id"] = run["id"] + 1
    run["name"] = f"Run {run['id']}"
    run["results"] = test_results(model, data)
    add_run(run)
    return run


# ---------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------
def accuracy_curves(run, prefix=""):
    """Train and test accuracy per epoch of a run, as (x, y) pairs for charts.line_chart."""
    history = list(run["history"])
    epochs = [h["epoch"] for h in history]
    curves = {}
    if epochs:
        curves[prefix + "train"] = (epochs, [h.get("accuracy", np.nan) for h in history])
    test = ([run["start"]] if run.get("start") else []) + history
    test = [h for h in test if "val_accuracy" in h]
    if test:
        curves[prefix + "test"] = ([h["epoch"] for h in test], [h["val_accuracy"] for h in test])
    return curves


def per_digit_figure(per_digit):
    fig = go.Figure(go.Bar(
        x=[str(d) for d in range(10)], y=per_digit * 100.0,
        marker_color=list(charts.CLASS_COLOURS),
        text=[f"{v:.1%}" for v in per_digit], textposition="outside", cliponaxis=False,
        textfont=dict(size=charts.FONT_SIZE - 2),
        hovertemplate="digit %{x}: %{y:.1f}% right<extra></extra>"))
    charts.style(fig, title="Accuracy per digit (test set)", height=420)
    fig.update_layout(uniformtext=dict(mode="show", minsize=charts.FONT_SIZE - 2))
    fig.update_xaxes(title_text="true digit", type="category")
    fig.update_yaxes(title_text="right", range=[0, 110], ticksuffix="%")
    return fig


# ---------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------
def init_config_widgets():
    """Create the form's widget values from the last configuration (they survive page changes)."""
    config = st.session_state.setdefault("mnist_config", dict(DEFAULT_CONFIG))
    for field in CONFIG_FIELDS:
        if f"mnist_w_{field}" not in st.session_state:
            st.session_state[f"mnist_w_{field}"] = config[field]


def fill_form(config):
    st.session_state["mnist_config"] = dict(config)
    for field in CONFIG_FIELDS:
        st.session_state[f"mnist_w_{field}"] = config[field]
    st.session_state.pop("mnist_config_error", None)


def on_preset(name):
    """Preset button (a callback, run before the widgets are drawn): fill the form and train."""
    fill_form(PRESETS[name]["config"])
    st.session_state["mnist_preset"] = name
    start_job(PRESETS[name]["config"], mnist_data())


def form_config():
    return {field: st.session_state[f"mnist_w_{field}"] for field in CONFIG_FIELDS}


def on_train():
    """Train button (form submit): check the configuration, then start training."""
    config = form_config()
    st.session_state["mnist_config"] = config
    st.session_state.pop("mnist_preset", None)
    try:
        start_job(check_config(config), mnist_data())
    except ValueError as err:
        st.session_state["mnist_config_error"] = str(err)
    else:
        st.session_state.pop("mnist_config_error", None)


def presets_row(busy):
    st.markdown("**Presets**: one click fills in the settings and starts training.")
    columns = st.columns(len(PRESETS))
    for column, (name, preset) in zip(columns, PRESETS.items()):
        column.button(preset["label"], key=f"mnist_preset_{name}", on_click=on_preset,
                      args=(name,), width="stretch", disabled=busy, help=preset["note"],
                      wrap=True)
    name = st.session_state.get("mnist_preset")
    if name:
        st.info(f"**{PRESETS[name]['label']}.** {PRESETS[name]['note']}",
                icon=":material/lightbulb:")


def config_form(busy):
    with st.form("mnist_form", border=True):
        top_left, top_right = st.columns([3, 2], vertical_alignment="center")
        top_left.markdown("**Your own settings**")
        top_right.form_submit_button("Train", type="primary", on_click=on_train, disabled=busy,
                                     key="mnist_train", icon=":material/play_arrow:",
                                     width="stretch")
        left, right = st.columns(2)
        left.text_input("Hidden layers", key="mnist_w_hidden",
                        help=f"Units per hidden layer, separated by commas: 90, or 256,128. Up "
                             f"to {MAX_HIDDEN_LAYERS} hidden layers of 1 to {MAX_UNITS} units. "
                             "Empty: no hidden layer (784 inputs straight to 10 outputs).")
        right.selectbox("Hidden activation", HIDDEN_ACTIVATIONS, key="mnist_w_activation")
        st.selectbox("Output layer and loss", tuple(OUTPUTS), key="mnist_w_output",
                     format_func=lambda key: OUTPUTS[key][2])
        left, right = st.columns(2)
        left.selectbox("Starting weights", tuple(INITS), key="mnist_w_init",
                       format_func=INITS.get)
        right.selectbox("Input scaling", tuple(SCALING_LABELS), key="mnist_w_scaling",
                        format_func=SCALING_LABELS.get)
        left.selectbox("Optimizer", tuple(OPTIMIZERS), key="mnist_w_optimizer",
                       format_func=OPTIMIZERS.get)
        right.number_input("Learning rate", min_value=MIN_LR, max_value=MAX_LR,
                           key="mnist_w_lr", format="%g", step=0.01)
        left.number_input("Batch size", min_value=1, max_value=MAX_BATCH_SIZE, step=1,
                          key="mnist_w_batch_size",
                          help="Images per weight update. 1 is the tutorial's one image at a "
                               f"time; at most {MAX_BATCH_SIZE:,}.")
        right.number_input("Epochs", min_value=1, max_value=MAX_EPOCHS, step=1,
                           key="mnist_w_epochs",
                           help=f"Passes through the training images, 1 to {MAX_EPOCHS}.")
        left.selectbox("Training images", TRAIN_SIZES, key="mnist_w_train_size",
                       format_func=lambda n: f"{n:,}")
        right.number_input("Seed", min_value=0, max_value=MAX_SEED, step=1, key="mnist_w_seed",
                           help="The same seed gives the same starting weights and order of "
                                "images, so the same result.")
        left.selectbox("Then compare with", ("none", *OPTIMIZERS), key="mnist_w_optimizer2",
                        format_func=lambda key: "no second run" if key == "none"
                        else OPTIMIZERS[key],
                        help="Optional: a second run of the same network with another "
                             "optimizer, right after the first.")
        right.number_input("Its learning rate", min_value=MIN_LR, max_value=MAX_LR,
                           key="mnist_w_lr2", format="%g", step=0.001)
        st.checkbox("Shuffle the images every epoch", key="mnist_w_shuffle",
                    help="The tutorial goes through the images in file order.")
        st.checkbox("Distort the digits at random", key="mnist_w_augment",
                      help="Rotate, scale, shift and thicken each training digit at random: "
                           "slower, but the model reads hand-drawn digits better.")
    if busy:
        st.caption("Training is running: stop it to start another run.")
    error = st.session_state.get("mnist_config_error")
    if error:
        st.error(error, icon=":material/error:")
    st.caption(
        f"Limits on this shared server: at most {MAX_HIDDEN_LAYERS} hidden layers of "
        f"{MAX_UNITS} units, {MAX_EPOCHS} epochs, batches of {MAX_BATCH_SIZE:,}, and the "
        f"60,000 MNIST training images. The last {MAX_RUNS} runs are kept.")


def progress_panel(live):
    """The fragment: keep the training going, then draw its progress.

    `live` says whether this fragment was set to rerun on its own; when training
    starts, pauses or ends, a full rerun switches that on or off. Every run
    renews the background trainer's lease; a full run first trains one chunk
    itself, so progress shows at once (and AppTest, which never fires
    run_every, sees training advance).
    """
    job = st.session_state.get("mnist_job")
    data = mnist_data()
    if job and not job["paused"] and not job.get("done"):
        if st.session_state.get("mnist_in_full_run"):
            advance(job, data)
        else:
            worker = job.get("worker")
            if worker is None or not worker.is_alive():
                stop_worker(job)
                collect(job, data)  # the background trainer may have finished the run
        if not job.get("done"):
            keep_training(job)
    job = settle_job()
    training = bool(job and not job["paused"])
    if training != live:
        st.rerun()  # a full run turns the automatic refresh on or off and redraws the tabs
    if job:
        draw_progress(job)
    else:
        draw_last_job()


def settle_job():
    """Move a job that is over to mnist_last_job; return the job still going, or None."""
    job = st.session_state.get("mnist_job")
    if not job or not job.get("done"):
        return job
    st.session_state["mnist_last_job"] = job
    st.session_state["mnist_job"] = None
    # Compare the job's runs (with the run before, if the job had only one).
    labels = [run["label"] for run in session_runs()]
    chosen = [run["label"] for run in session_runs() if run["name"] in job["runs"]]
    if len(chosen) == 1 and len(labels) > 1:
        chosen = labels[-2:]
    st.session_state["mnist_compare_pending"] = chosen
    return None


def draw_progress(job):
    run, trainer = job["run"], job["run"]["trainer"]
    number = len(job["runs"])
    st.markdown(f"**{run['name']}**" + (f" ({number} of {job['total']})" if job["total"] > 1
                                          else "") + f": {config_text(run['config'])}")
    left, right = st.columns(2)
    left.button("Resume" if job["paused"] else "Pause", on_click=set_paused,
                args=(not job["paused"],),
                key="mnist_pause", width="stretch",
                icon=":material/play_arrow:" if job["paused"] else ":material/pause:")
    right.button("Stop", on_click=stop_job, key="mnist_stop", width="stretch",
                 icon=":material/stop:", help="End training now; the model keeps what it has "
                 "learnt so far, and its test accuracy is measured.")
    fraction = trainer.fraction_done
    if job["paused"]:
        left = "paused"
    elif fraction > 0 and trainer.seconds > 0:
        left = f"about {format_seconds(trainer.seconds * (1 - fraction) / fraction, 0)} left"
    else:
        left = "starting"
    epoch_now = min(trainer.epoch + 1, trainer.epochs)
    st.progress(fraction, text=f"Epoch {epoch_now} of {trainer.epochs} · {fraction:.0%} · {left}")
    history = run["history"]
    test = history[-1]["val_accuracy"] if history else run["start"]["val_accuracy"]
    draw_run_numbers(run, trainer.samples_seen, trainer.seconds, test,
                     f"after epoch {history[-1]['epoch']}" if history else "before training")
    draw_run_charts(run, key_suffix="live")


def draw_run_numbers(run, samples_seen, seconds, test_accuracy, when):
    """Loss and test accuracy as large numbers, speed and images seen below them."""
    left, right = st.columns(2)
    left.metric("Training loss", f"{run['loss_y'][-1]:.3f}" if run["loss_y"] else "-",
                help="The loss on the latest training batches (averaged over a few).")
    right.metric("Test accuracy", f"{test_accuracy:.1%}",
                 help="The share of the 10,000 test digits read right. During training it is "
                      "measured at the end of each epoch.")
    speed = f"{samples_seen / seconds:,.0f} images per second" if seconds else "starting"
    st.caption(f"Test accuracy {when} · {samples_seen:,} training images seen · {speed} "
               f"(testing included)")


def live_figures(run):
    """The run's loss and accuracy charts, with its latest points.

    Building a styled plotly figure takes tens of milliseconds (most of it the
    template), filling new points into an existing one well under one, so the
    two figures are built once per run and updated in place at each refresh.
    """
    figures = run.setdefault("figures", {})
    if "loss" not in figures:
        loss_name = OUTPUTS[run["config"]["output"]][1].replace("_", "-")
        epochs = run["config"]["epochs"]
        figures["loss"] = charts.line_chart(
            {"training loss": ([], [])}, xlabel="epoch", ylabel=loss_name, mode="lines",
            title="Loss over the batches", height=290, x_max=epochs)
        figures["accuracy"] = charts.line_chart(
            {"train": ([], []), "test": ([], [])}, xlabel="epoch", ylabel="accuracy",
            percent=True, mode="lines+markers", title="Accuracy after each epoch", height=290,
            x_max=epochs)
    # The background trainer may be adding points: take as many x as y values.
    count = min(len(run["loss_x"]), len(run["loss_y"]))
    figures["loss"].data[0].update(x=run["loss_x"][:count], y=run["loss_y"][:count])
    curves = accuracy_curves(run)
    for trace in figures["accuracy"].data:
        x, y = curves.get(trace.name, ([], []))
        trace.update(x=x, y=np.asarray(y, dtype=np.float64) * 100.0)
    return figures["loss"], figures["accuracy"]


def draw_run_charts(run, key_suffix):
    loss, accuracy = live_figures(run)
    st.plotly_chart(loss, key=f"mnist_loss_{key_suffix}", config={"displayModeBar": False})
    st.plotly_chart(accuracy, key=f"mnist_accuracy_{key_suffix}",
                    config={"displayModeBar": False})


def draw_last_job():
    job = st.session_state.get("mnist_last_job")
    if not job:
        st.info("No training yet. Pick a preset (or fill the form) and press **Train**: the loss "
                "and accuracy will be drawn here while the network learns.",
                icon=":material/model_training:")
        return
    runs = [find_run_by_name(name) for name in job["runs"]]
    runs = [run for run in runs if run is not None]
    for run in runs:
        draw_outcome(run)
    if runs:
        run = runs[-1]
        draw_run_numbers(run, run.get("samples_seen", 0), run.get("seconds", 0.0),
                         run["results"]["accuracy"], "final")
        draw_run_charts(run, key_suffix="done")


def find_run_by_name(name):
    return next((run for run in session_runs() if run["name"] == name), None)


def draw_outcome(run):
    accuracy = run["results"]["accuracy"]
    if run["status"] == "finished":
        st.success(f"**{run['name']} finished**: test accuracy **{accuracy:.1%}** on the 10,000 "
                   f"test digits. See the Results tab.", icon=":material/check_circle:")
        # Training time, and the time with the live charts (their cost, which
        # bench/mnist_page_overhead.py reads from here).
        st.caption(f"{format_seconds(run['wall_seconds'])} from start to end, of which "
                   f"{format_seconds(run['seconds'])} training.")
    elif run["status"] == "stopped":
        st.warning(f"**{run['name']} stopped** after {run['batches_done']:,} of "
                   f"{run['batches_total']:,} batches ({run['epochs_done']:.2f} of "
                   f"{run['config']['epochs']} epochs). The model trained so far reaches a test "
                   f"accuracy of **{accuracy:.1%}**.", icon=":material/stop_circle:")
    elif run["status"] == "diverged":
        st.error(f"**{run['name']}**: {run['message']} Test accuracy of the last good "
                 f"weights: {accuracy:.1%}.", icon=":material/error:")
    elif run["status"] == "failed":
        st.error(f"**{run['name']}** stopped on an error in the program, not in your settings. "
                 f"{run['message']} Test accuracy of the model as it was left: "
                 f"{accuracy:.1%}.", icon=":material/bug_report:")


def format_seconds(seconds, decimals=None):
    """'0.42 s', '12.3 s', '2 min 5 s'; decimals=0 rounds up to whole seconds (for time left)."""
    if seconds < 60:
        if decimals == 0:
            return f"{max(1, int(np.ceil(seconds)))} s"
        return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"
    return f"{int(seconds // 60)} min {int(seconds % 60)} s"


# -- The data tab --------------------------------------------------------------
def data_tab(data):
    st.markdown(
        "MNIST holds **60,000 training** and **10,000 test** images of handwritten digits, "
        "each 28 × 28 grey pixels from 0 (black) to 255 (white), with its label 0-9. "
        "The network only ever sees the training images; the test images measure how well it "
        "reads digits it has never seen.")
    start = st.number_input("First image shown", min_value=0, max_value=60_000 - 20, value=0,
                            step=20, key="mnist_data_start")
    st.plotly_chart(sample_grid_figure(start), key="mnist_sample_grid",
                    config={"displayModeBar": False})
    st.markdown("##### One digit, as the network gets it")
    index = st.number_input("Training image number", min_value=0, max_value=59_999, value=0,
                            key="mnist_data_index")
    image, label = data["x_train"][index], int(data["y_train"][index])
    black = int(np.count_nonzero(image == 0))
    left, right = st.columns([3, 2], gap="large")
    left.plotly_chart(pixel_values_figure(index), key="mnist_one_digit",
                      config={"displayModeBar": False})
    right.markdown(
        f"The network does not see a picture: it gets **784 numbers**, one per pixel, row "
        f"after row (the empty cells are 0, black: {black} of the 784). Each number goes to one "
        f"input of the network, and the label **{label}** says which of the 10 outputs should "
        f"light up.")
    right.markdown("In the tutorial's CSV file this digit is one line of **785 values**: the "
                   "label, then the 784 pixels.")
    with right.expander("Show the line"):
        st.code(",".join(map(str, [label, *image.ravel()])), language=None, wrap_lines=True)
    st.markdown("##### Input scaling")
    st.markdown(
        f"Pixels 0-255 are scaled to small numbers before they enter the network. The "
        f"tutorial maps them to 0.01-1.0: {black} of this digit's 784 pixels are 0, and a "
        f"weight whose input is exactly 0 never changes (its update is learning rate × error "
        f"× input), so the tutorial adds 0.01. Dividing by 255 (0 to 1) is the other usual "
        f"choice.")
    st.latex(r"x_{\text{tutorial}} = \frac{x}{255}\cdot 0.99 + 0.01 \qquad "
             r"x_{0\text{-}1} = \frac{x}{255}")
    values = np.array([0, 1, 64, 128, 255])
    st.dataframe(pd.DataFrame({
        "pixel": values, "0.01 to 1.0 (tutorial)": (values / 255 * 0.99 + 0.01).round(4),
        "0 to 1": (values / 255).round(4)}), hide_index=True, width=520)


# Figures of the shared data are the same for everybody: built once, shared (read-only).
@st.cache_resource(max_entries=200, show_spinner=False)
def sample_grid_figure(start):
    """Training digits start .. start+19 with their labels."""
    data = mnist_data()
    labels = data["y_train"][start:start + 20]
    return charts.image_grid(data["x_train"][start:start + 20],
                            [f"label {label}" for label in labels], n_cols=10, tile_px=90)


@st.cache_resource(max_entries=200, show_spinner=False)
def pixel_values_figure(index):
    """Training digit `index` as a grid of its pixel values, shaded light blue to stay readable."""
    data = mnist_data()
    image, label = data["x_train"][index], int(data["y_train"][index])
    text = np.where(image > 0, image.astype(str), "")
    fig = go.Figure(go.Heatmap(
        z=image, text=text, texttemplate="%{text}", textfont=dict(size=10, color="#1c2430"),
        colorscale=[[0.0, "#ffffff"], [1.0, "#7fb2e5"]], zmin=0, zmax=255, showscale=False,
        xgap=1, ygap=1, hovertemplate="row %{y}, column %{x}: %{z}<extra></extra>"))
    charts.style(fig, title=f"Training image, label {label}: its 784 pixel values", height=640)
    fig.update_xaxes(visible=False, constrain="domain")
    fig.update_yaxes(visible=False, autorange="reversed", scaleanchor="x", constrain="domain")
    return fig


# -- The results tab -----------------------------------------------------------
def run_figure(run, key, build):
    """A figure of a run, built once (the run's results never change) and kept with it."""
    figures = run.setdefault("figures", {})
    if key not in figures:
        figures[key] = build()
    return figures[key]


def results_tab(data):
    runs = session_runs()
    if not runs:
        st.info("Train a network (or upload one in Save & load) to see its results here.")
        return
    labels = [run["label"] for run in runs][::-1]
    pending = st.session_state.pop("mnist_results_pending", None)
    if pending in labels or st.session_state.get("mnist_results_run") not in labels:
        st.session_state["mnist_results_run"] = pending if pending in labels else labels[0]
    run = find_run(st.selectbox("Run", labels, key="mnist_results_run"))
    results = run["results"]
    st.caption(config_text(run["config"]) if not run["uploaded"] else
               f"Uploaded model {run['uploaded']}: {'-'.join(map(str, run['model'].sizes))}")
    columns = st.columns(4)
    columns[0].metric("Test accuracy", f"{results['accuracy']:.2%}")
    misread = int(np.sum(results["predicted"] != data["y_test"]))
    columns[1].metric("Test digits misread", f"{misread:,}")
    if run["history"]:
        columns[2].metric("Train accuracy", help="Over the last epoch's batches, while the "
                          "weights were still changing.", value=
                          f"{run['history'][-1].get('accuracy', float('nan')):.2%}")
    columns[3].metric("Status", run["status"])
    left, right = st.columns(2)
    left.plotly_chart(run_figure(run, "confusion", lambda: charts.confusion_heatmap(
        results["confusion"], title="Confusion matrix (10,000 test digits)")),
        key="mnist_confusion", config={"displayModeBar": False})
    left.caption("Row = the true digit, column = what the network said. The green diagonal "
                 "counts the right answers; red cells are mistakes (darker = more often).")
    right.plotly_chart(
        run_figure(run, "per_digit", lambda: per_digit_figure(results["per_digit"])),
        key="mnist_per_digit", config={"displayModeBar": False})
    worst = int(np.nanargmin(results["per_digit"]))
    right.caption(f"The hardest digit for this network is **{worst}** "
                  f"({results['per_digit'][worst]:.1%} right).")
    misread_gallery(run, data)
    weights_view(run)


def misread_gallery(run, data):
    st.markdown("##### Misread test digits")
    results = run["results"]
    outputs, predicted, y_test = results["outputs"], results["predicted"], data["y_test"]
    left, right = st.columns(2)
    digit = left.selectbox("True digit", ("any", *range(10)), key="mnist_gallery_digit")
    order = right.selectbox("Order", ("most confident mistakes first", "as in the test set"),
                            key="mnist_gallery_order")
    wrong = np.flatnonzero((predicted != y_test) & ((y_test == digit) if digit != "any" else True))
    if len(wrong) == 0:
        st.success("No test digit of this kind is misread.")
        return
    if order.startswith("most"):
        wrong = wrong[np.argsort(-outputs[wrong, predicted[wrong]], kind="stable")]
    shown = wrong[:20]
    titles = [f"<b>{y_test[i]} → {predicted[i]}</b><br>"
              f"{outputs[i, predicted[i]]:.2f} / {outputs[i, y_test[i]]:.2f}" for i in shown]
    figure = run_figure(run, ("gallery", digit, order), lambda: charts.image_grid(
        data["x_test"][shown], titles, n_cols=10, tile_px=90, title_lines=2))
    st.plotly_chart(figure, key="mnist_gallery", config={"displayModeBar": False})
    softmax = OUTPUTS.get(run["config"]["output"], ("",))[0] == "softmax" or \
        run["model"].layers[-1].activation.name == "softmax"
    kind = ("probabilities, which sum to 1 over the 10 outputs" if softmax else
            "sigmoid outputs, each between 0 and 1, which need not sum to 1")
    st.caption(f"{len(wrong):,} test digits misread. Above each one: **true digit → the "
               f"network's answer**, then the output for its answer / the output for the true "
               f"digit ({kind}).")


def weights_view(run):
    st.markdown("##### What the first layer looks for")
    layer = run["model"].layers[0]
    count = min(layer.n_out, 20)

    def build():
        images = layer.W[:, :count].T.reshape(count, 28, 28)
        # each unit scaled on its own so faint patterns show
        images = images / np.maximum(np.abs(images).max(axis=(1, 2), keepdims=True), 1e-12)
        titles = [f"unit {j + 1}" if layer.n_out != 10 else f"digit {j}" for j in range(count)]
        return charts.image_grid(images, titles, n_cols=10, colorscale="RdBu", symmetric=True,
                                colorbar_title="weight", tile_px=90)

    st.plotly_chart(run_figure(run, "weights", build), key="mnist_weights",
                    config={"displayModeBar": False})
    st.caption(
        f"Each square shows the 784 weights from the pixels into one unit of the first layer "
        f"({count} of {layer.n_out}), laid out like the image: blue pixels push the unit up, "
        f"red ones push it down (each square scaled to its largest weight). "
        + ("With no hidden layer, each square is the template the network matches one digit "
           "against." if layer.n_out == 10 else
           "Random noise at the start; after training, strokes and blobs the unit detects."))


# -- The compare tab -----------------------------------------------------------
def compare_tab():
    runs = session_runs()
    if not runs:
        st.info("Every run of this session is kept here (the last "
                f"{MAX_RUNS}), so you can compare them.")
        return
    labels = [run["label"] for run in runs]
    pending = st.session_state.pop("mnist_compare_pending", None)
    if pending is not None:
        st.session_state["mnist_compare"] = [label for label in pending if label in labels]
    elif "mnist_compare" not in st.session_state:
        st.session_state["mnist_compare"] = labels[-2:]
    else:  # forget runs that were dropped
        st.session_state["mnist_compare"] = [label for label in st.session_state["mnist_compare"]
                                             if label in labels]
    chosen = st.multiselect("Runs to compare", labels, key="mnist_compare")
    chosen_runs = [find_run(label) for label in chosen]
    if chosen_runs:
        left, right = st.columns(2)
        loss = {run["name"]: (run["loss_x"], run["loss_y"]) for run in chosen_runs if run["loss_y"]}
        left.plotly_chart(charts.line_chart(loss, xlabel="epoch", ylabel="loss",
                                           title="Training loss"), key="mnist_compare_loss",
                          config={"displayModeBar": False})
        test = {}
        for run in chosen_runs:
            curve = accuracy_curves(run).get("test")
            if curve:
                test[run["name"]] = curve
        right.plotly_chart(charts.line_chart(test, xlabel="epoch", ylabel="test accuracy",
                                            percent=True, title="Test accuracy after each epoch"),
                           key="mnist_compare_accuracy", config={"displayModeBar": False})
        left.caption("Losses are only comparable between runs with the same loss function.")
    st.dataframe(runs_table(runs[::-1]), hide_index=True, width="stretch")
    dropped = st.session_state.get("mnist_dropped")
    if dropped:
        st.caption(f"Only the last {MAX_RUNS} runs are kept; removed: {', '.join(dropped)}.")


def runs_table(runs):
    """One row per run: its settings, test accuracy and time."""
    rows = []
    for run in runs:
        config = run["config"]
        output, loss, _ = OUTPUTS[config["output"]]
        epochs = run.get("epochs_done", config["epochs"])
        rows.append({
            "run": run["name"],
            "test accuracy": f"{run['results']['accuracy']:.2%}",
            "network": "-".join(map(str, run["model"].sizes))
            + (f" {config['activation']}" if len(run["model"].sizes) > 2 else ""),
            "output + loss": f"{output} + {LOSS_NAMES.get(loss, loss)}",
            "optimizer": OPTIMIZERS.get(config["optimizer"], "?"),
            "learning rate": f"{config['lr']:g}" if isinstance(config["lr"], float) else "?",
            "batch": str(config["batch_size"]),
            "images": f"{config['train_size']:,}" if isinstance(config["train_size"], int)
            else "?",
            "epochs": f"{epochs:g}" if isinstance(epochs, (int, float)) else "?",
            "seconds": f"{run['seconds']:.1f}" if "seconds" in run else "",
            "seconds with charts": f"{run['wall_seconds']:.1f}" if "wall_seconds" in run else "",
            "status": run["status"] + (f" ({run['uploaded']})" if run["uploaded"] else ""),
        })
    return pd.DataFrame(rows)


# -- The save & load tab -------------------------------------------------------
def save_tab(data):
    left, right = st.columns(2)
    with left:
        st.markdown("##### Download a trained model")
        runs = session_runs()
        if runs:
            labels = [run["label"] for run in runs][::-1]
            pending = st.session_state.pop("mnist_save_pending", None)
            if pending in labels or st.session_state.get("mnist_save_run") not in labels:
                st.session_state["mnist_save_run"] = pending if pending in labels else labels[0]
            run = find_run(st.selectbox("Model", labels, key="mnist_save_run"))
            sizes = "-".join(map(str, run["model"].sizes))
            st.download_button(
                "Download the model (.npz)", data=lambda: save_model(run["model"]),
                file_name=f"mnist-{run['name'].lower().replace(' ', '')}-{sizes}.npz",
                mime="application/octet-stream", key="mnist_download",
                icon=":material/download:", on_click="ignore")
            st.caption("A NumPy .npz file: each layer's weights and biases, and a description "
                       "of the network. Load it here again, or with "
                       "`python -m engine evaluate <file>`.")
        else:
            st.info("Train a network first.")
        st.markdown("##### Use a model on the *Draw a digit* page")
        st.caption("Every trained or uploaded model of this session can be chosen on the "
                   "Draw a digit page; the newest is selected.")
    with right:
        st.markdown("##### Upload a model")
        st.file_uploader("A model file saved by this app (.npz)", type=["npz"],
                         key="mnist_upload", on_change=on_upload, max_upload_size=MAX_UPLOAD_MB)
        message = st.session_state.get("mnist_upload_message")
        if message:
            kind, text = message
            if kind == "error":
                st.error(text, icon=":material/error:")
            else:
                st.success(text, icon=":material/check_circle:")


def on_upload():
    """File uploader callback: try the new file; a bad one changes nothing but the message."""
    upload = st.session_state.get("mnist_upload")
    if upload is None:
        st.session_state.pop("mnist_upload_message", None)
        return
    try:
        run = add_uploaded_model(upload.name, upload.getvalue(), mnist_data())
    except ValueError as err:
        st.session_state["mnist_upload_message"] = (
            "error", f"Could not use {upload.name}: {err}. Nothing was changed.")
    else:
        st.session_state["mnist_upload_message"] = (
            "success", f"Loaded {upload.name} as {run['name']}: test accuracy "
            f"{run['results']['accuracy']:.1%}. See the Results and Compare runs tabs; "
            f"the Draw a digit page can use it too.")


def main():
    st.title("Train a network on MNIST")
    st.markdown(
        "A network with **784 inputs** (one per pixel) and **10 outputs** (one per digit) learns "
        "to read handwritten digits. Pick a preset, press **Train**, and watch the loss fall "
        "and the accuracy rise.")
    data = mnist_data()
    init_config_widgets()
    job = settle_job()
    busy = job is not None
    train, data_view, results, compare, save = st.tabs(
        ["Train", "The data", "Results", "Compare runs", "Save & load"])
    with train:
        presets_row(busy)
        left, right = st.columns([1, 1], gap="large")
        with left:
            config_form(busy)
        with right:
            live = bool(job and not job["paused"])
            # The fragment trains a chunk itself in a full run, not in its own reruns.
            st.session_state["mnist_in_full_run"] = True
            try:
                st.fragment(progress_panel, run_every=REFRESH_SECONDS if live else None)(live)
            finally:
                st.session_state["mnist_in_full_run"] = False
    with data_view:
        data_tab(data)
    with results:
        results_tab(data)
    with compare:
        compare_tab()
    with save:
        save_tab(data)


main()
