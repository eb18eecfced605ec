"""A run, exported as one .zip: its settings, history, model and a script that trains it again.

    data = mnist_zip(run)                               # a kept MNIST run (ui/jobs.py Run)
    data = playground_zip(runs, data, shared, nets)     # the playground's network(s) now

The zip holds, at its top level:

    README.txt    what each file is, and how this run ended
    config.json   the settings the run was trained with (not for an uploaded model)
    history.csv   one row per epoch (MNIST, epoch 0 = the starting weights) or per
                  screen update (playground): losses and accuracies
    model.npz     the weights, as engine.save_model writes them (engine.load_model reads
                  them); the playground comparing two networks: model_a.npz, model_b.npz
    retrain.py    a short script that trains the same run again with the engine, from
                  the same seed, and prints the final test accuracy (not for an upload)
    points.csv    the playground only, with your own CSV data: the points it trained on

retrain.py is run from the app's folder (`python retrain.py` with the app's
folder as the current one), or from anywhere with `--repo <the app's folder>`,
the folder holding engine/ and data/. The engine is deterministic for a seed,
so it ends with the very weights of model.npz, unless the run was stopped
early (it then trains the full run; `--batches N` stops where the page did).

Pure functions: no Streamlit here. The page only offers the bytes in a
download button (ui/export_buttons.py).
"""

import copy
import csv
import io
import json
import string
import textwrap
import zipfile
from urllib.parse import urlencode

import numpy as np

from engine import save_model
from engine.saving import MAX_HISTORY
from ui import mnist_setup as setup
from ui.url_state import CSV, layer_activations, settings_to_url

FORMAT = "nn-playground-run"
VERSION = 1

MNIST_CAPTION = ("One .zip of this run: its settings (config.json), its test and training "
                 "accuracy per epoch (history.csv), the model (model.npz) and retrain.py, a "
                 "script that trains the same run again from the command line with this app's "
                 "engine. README.txt inside says more.")
UPLOADED_CAPTION = ("An uploaded model's settings are unknown: its .zip holds the model and "
                    "the history its file records, with a README.txt, but no settings and no "
                    "script to train it again.")
PLAYGROUND_HELP = ("Download the network (both, when comparing) as it is now, as one .zip: its "
                   "settings, the losses and accuracies drawn so far, the weights and "
                   "retrain.py, a script that trains it again from the command line.")

# history.csv's columns: engine names -> the file's names
MNIST_COLUMNS = {"epoch": "epoch", "loss": "train_loss", "accuracy": "train_accuracy",
                 "val_loss": "test_loss", "val_accuracy": "test_accuracy",
                 "samples_seen": "images_seen", "seconds": "seconds"}
PLAYGROUND_COLUMNS = {"epoch": "epoch", "train_loss": "train_loss", "train_acc": "train_accuracy",
                      "test_loss": "test_loss", "test_acc": "test_accuracy"}


# ------------------------------------------------------------------------- MNIST


def mnist_file_name(run):
    """'mnist-run3-784-90-10.zip', like the page's model file 'mnist-run3-784-90-10.npz'."""
    sizes = "-".join(map(str, run.model.sizes))
    return f"mnist-{run.name.lower().replace(' ', '')}-{sizes}.zip"


def mnist_zip(run):
    """The .zip of an ended MNIST run (ui/jobs.py Run): bytes.

    An uploaded model ("uploaded") has no known configuration: its zip holds
    README.txt, history.csv and model.npz only.
    """
    members = {"README.txt": mnist_readme(run), "history.csv": mnist_history_csv(run),
               "model.npz": save_model(run.model)}
    if run.status != "uploaded":
        members["config.json"] = json_text(mnist_config(run))
        members["retrain.py"] = mnist_script(run)
    return zip_bytes(members)


def mnist_history_csv(run):
    """One row per epoch: epoch 0 (the starting weights' test loss and accuracy), then
    Run.history, with the engine's names turned into MNIST_COLUMNS."""
    rows = ([run.start] if run.start else []) + list(run.history)
    return csv_text(MNIST_COLUMNS, rows)


def mnist_config(run):
    """What config.json holds of a trained run: the form's configuration and how it ended."""
    config = run.config
    return {
        "format": FORMAT, "version": VERSION, "page": "mnist", "run": run.name,
        "config": dict(config),
        "description": setup.config_text(config),
        "network": run.model.sizes,
        "status": run.status,
        "message": run.message,
        "batches_trained": run.batches_done,
        "batches_configured": run.batches_total,
        "epochs_trained": run.epochs_done,
        "test_accuracy": run.results["accuracy"],
        "retrain_py": mnist_retrain_note(run),
    }


def mnist_retrain_note(run):
    """What retrain.py does for this run, in one paragraph (config.json and README.txt)."""
    right = _right(run.results["accuracy"], 10_000)
    same = (f"ends with the weights of model.npz and prints the same final test accuracy, "
            f"{right:,} of 10,000 test digits ({run.results['accuracy']:.2%}).")
    epochs = f"{run.config['epochs']} epoch{'s' if run.config['epochs'] > 1 else ''}"
    if run.status in ("stopped", "failed"):
        why = (f"stopped on an error in the program ({run.message})" if run.status == "failed"
               else "stopped" + (f" ({run.message})" if run.message else ""))
        return (f"This run was {why} after {run.batches_done:,} of {run.batches_total:,} "
                f"batches ({run.epochs_done:.2f} of {epochs}); model.npz and history.csv hold "
                f"it as it was then. retrain.py trains the full configured run ({epochs}, "
                f"{run.batches_total:,} batches), so it ends elsewhere. "
                f"`python retrain.py --batches {run.batches_done}` stops "
                f"where the page stopped: it then {same}")
    if run.status == "diverged":
        return ("Training diverged (the loss became infinite) and stopped; the model kept its "
                "last finite weights. retrain.py trains the same run: it diverges at the same "
                f"batch, says so, and {same}")
    return f"retrain.py trains the same run, {epochs}: it {same}"


def mnist_readme(run):
    if run.status == "uploaded":
        return (f"{run.name} of the MNIST page: the uploaded model {_one_line(run.uploaded)}\n"
                f"{'-'.join(map(str, run.model.sizes))} units, test accuracy "
                f"{run.results['accuracy']:.2%} on the 10,000 MNIST test digits.\n\n"
                "This model was uploaded, not trained here: how it was trained is not known, "
                "so this .zip holds no config.json and no retrain.py, only\n\n"
                "  model.npz    the model file as uploaded, saved again by the engine "
                "(engine.load_model reads it)\n"
                "  history.csv  the epochs its file records (epoch, losses, accuracies), "
                "if any\n")
    return (f"{run.name} of the MNIST page ({run.status})\n{setup.config_text(run.config)}\n"
            f"Test accuracy {run.results['accuracy']:.2%} on the 10,000 MNIST test digits.\n\n"
            f"  config.json  the settings of the page's form for this run, and how it ended\n"
            f"  history.csv  one row per epoch; epoch 0 is the starting weights (test loss and "
            f"accuracy only). train_* are the means over the epoch's batches while the weights "
            f"changed; test_* are measured on the 10,000 test digits after the epoch; seconds "
            f"is the training time so far\n"
            f"  model.npz    the weights (engine.load_model reads it, and so does the page's "
            f"Upload and `python -m engine evaluate model.npz`)\n"
            f"  retrain.py   trains the same run again with the app's engine and prints its "
            f"test accuracy\n\n"
            f"{RETRAIN_USAGE}\n\n{mnist_retrain_note(run)}\n")


RETRAIN_USAGE = ("Run retrain.py with Python 3 and NumPy, from the app's folder (the one that "
                 "holds engine/ and data/):\n\n    cd path/to/the/app\n    python "
                 "path/to/retrain.py\n\nor from anywhere: python retrain.py --repo "
                 "path/to/the/app")

MNIST_SCRIPT = '''\
"""Train $name of the MNIST page again, with the app's engine.

$description

    cd path/to/the/app && python path/to/retrain.py    # the app's folder: engine/ and data/
    python retrain.py --repo path/to/the/app           # or say where it is

$ending
Options: --batches N stops after N batches; --save FILE keeps the model.
"""

import argparse
import sys
from pathlib import Path

# The run's settings (config.json holds the same, as the page's form had them).
HIDDEN = $hidden  # units per hidden layer
ACTIVATION = $activation  # of the hidden layers
OUTPUT = $output  # the output layer's activation
LOSS = $loss
INIT = $init  # how the starting weights are drawn
SCALING = $scaling  # the model rescales its inputs (pixels / 255) to $scaling_label
OPTIMIZER = $optimizer
LEARNING_RATE = $lr
BATCH_SIZE = $batch_size  # images per weight update
EPOCHS = $epochs
TRAIN_SIZE = $train_size  # the first TRAIN_SIZE training images
SHUFFLE = $shuffle  # a new order of the images every epoch (False: file order)
SEED = $seed  # starting weights, order of the images$seed_augment

parser = argparse.ArgumentParser(description="Train $name of the MNIST page again.")
parser.add_argument("--repo", default=".", help="the app's folder, holding engine/ and data/ "
                    "(default: the current folder)")
parser.add_argument("--batches", type=int, help="stop after this many batches "
                    "(default: all EPOCHS epochs)")
parser.add_argument("--save", help="save the trained model to this .npz file")
args = parser.parse_args()
repo = Path(args.repo).resolve()
if not (repo / "engine").is_dir():
    sys.exit(f"retrain.py: no engine/ folder in {repo}; run it from the app's folder, "
             f"or give it with --repo")
sys.path.insert(0, str(repo))

import numpy as np  # noqa: E402 - after the app's folder is on the path
from engine import (LambdaCallback, Trainer, TrainingDiverged, build_mlp, load_mnist,  # noqa: E402
                    one_hot, optimizers, save_model, scale_pixels)
$import_augment
# The data: MNIST's 60,000 training and 10,000 test digits, from the app's data/ folder.
(x_train, y_train), (x_test, y_test) = load_mnist()
X_train = scale_pixels(x_train[:TRAIN_SIZE], "unit")  # pixels / 255, from 0 to 1
X_test = scale_pixels(x_test, "unit")
$targets
model = build_mlp([784, *HIDDEN, 10], ACTIVATION, OUTPUT, init=INIT, seed=SEED,
                  input_scaling=SCALING)
$augment

def report(trainer, logs):
    print(f"Epoch {logs['epoch']}: training loss {logs['loss']:.4f}, "
          f"test accuracy {logs['val_accuracy']:.2%}")


trainer = Trainer(model, X_train, T_train, epochs=EPOCHS, batch_size=BATCH_SIZE,
                  optimizer=optimizers.get(OPTIMIZER, lr=LEARNING_RATE), loss=LOSS,
                  validation_data=(X_test, T_test), seed=SEED, shuffle=SHUFFLE,
                  augment=augment, callbacks=[LambdaCallback(on_epoch_end=report)])
loss, accuracy = model.evaluate(X_test, T_test, loss=LOSS)
print(f"{'-'.join(map(str, model.sizes))} network, {trainer.batches_per_epoch:,} batches per "
      f"epoch. Before training: test accuracy {accuracy:.2%}")
try:
    if args.batches is None:
        trainer.run()
    else:
        trainer.step(args.batches)
except TrainingDiverged as err:
    print(f"Training diverged: {err}")
right = int(np.sum(model.predict_classes(X_test) == y_test))
print(f"Trained {trainer.batches_done:,} batches. Final test accuracy: "
      f"{right / len(y_test):.2%} ({right:,} of {len(y_test):,} test digits)")
if args.save:
    save_model(model, args.save)
    print(f"Saved the model to {args.save}")
'''

MNIST_TARGETS = {
    True: "T_train, T_test = y_train[:TRAIN_SIZE], y_test  # cross-entropy takes the labels\n",
    False: ("# The tutorial's targets: 0.99 for the right digit, 0.01 for the nine others.\n"
            "T_train = one_hot(y_train[:TRAIN_SIZE], 10, off=0.01, on=0.99)\n"
            "T_test = one_hot(y_test, 10, off=0.01, on=0.99)\n"),
}


def mnist_script(run):
    """retrain.py for a trained MNIST run: its settings as constants, then the engine's calls
    (those of ui/mnist_setup.py and ui/jobs.py Run.new, in the order they are made)."""
    config = run.config
    output, loss, _ = setup.OUTPUTS[config["output"]]
    augment = config["augment"]
    right = _right(run.results["accuracy"], 10_000)
    ending = ("The same network from the same seed, on the same images in the same order, with "
              "the same optimizer: the engine is deterministic, so ")
    if run.status in ("stopped", "failed"):
        ending += (f"with --batches {run.batches_done} it ends with the page's weights and prints "
                   f"{right:,} of 10,000 test digits right (this run was {run.status} after "
                   f"{run.batches_done:,} of {run.batches_total:,} batches; without --batches, "
                   f"it trains the full run).")
    else:
        ending += (f"it ends with the page's weights and prints the same test accuracy: "
                   f"{right:,} of 10,000 test digits right.")
    values = {
        "name": run.name, "ending": textwrap.fill(ending, 88),
        "description": textwrap.fill(setup.config_text(config), 88, initial_indent="    ",
                                     subsequent_indent="    "),
        "hidden": _py(setup.hidden_sizes(config["hidden"])),
        "activation": _py(config["activation"]), "output": _py(output), "loss": _py(loss),
        "init": _py(config["init"]), "scaling": _py(config["scaling"]),
        "scaling_label": setup.SCALING_LABELS[config["scaling"]],
        "optimizer": _py(config["optimizer"]), "lr": _py(config["lr"]),
        "batch_size": _py(config["batch_size"]), "epochs": _py(config["epochs"]),
        "train_size": _py(config["train_size"]), "shuffle": _py(config["shuffle"]),
        "seed": _py(config["seed"]),
        "seed_augment": ", distortions" if augment else "",
        "import_augment": ("from engine.augment import augment_batch  # noqa: E402\n"
                           if augment else ""),
        "targets": MNIST_TARGETS[loss == "cross_entropy"],
        "augment": ("rng = np.random.default_rng(SEED)  # random distortions of each batch\n"
                    "augment = lambda xb: augment_batch(xb, rng)  # noqa: E731\n"
                    if augment else "augment = None  # the digits as they are\n"),
    }
    return string.Template(MNIST_SCRIPT).substitute(values)


# --------------------------------------------------------------------- playground


def playground_file_name(shared):
    return f"playground-{shared['data']}.zip"


def playground_zip(runs, data, shared, nets):
    """The .zip of the playground's networks as they are now: bytes.

    Args:
        runs: network letter ("a", "b") -> ui.networks.Run, the networks shown.
        data: the ui.networks.Data they train on.
        shared, nets: the page's settings (ui/url_state.py), those the runs were built from.

    Hold the page's live.turn() while calling this: it reads the runs' weights.
    """
    if not runs:
        raise ValueError("no network to export")
    networks = {c: playground_network(run, nets[c]) for c, run in runs.items()}
    models = ({"model.npz": runs["a"]} if len(runs) == 1
              else {f"model_{c}.npz": run for c, run in runs.items()})
    members = {
        "README.txt": playground_readme(runs, networks, shared, models),
        "config.json": json_text(playground_config(networks, shared, nets)),
        "history.csv": playground_history_csv(runs),
        **{name: save_model(exported_model(run)) for name, run in models.items()},
        "retrain.py": playground_script(networks, shared),
    }
    if shared["data"] == CSV:
        members["points.csv"] = points_csv(data)
    return zip_bytes(members)


def playground_network(run, net):
    """One network as retrain.py builds and trains it: the engine's names and numbers.

    The learning rate and regularization are read from its Trainer (the page
    changes them on the fly); a network that diverged trained into one more
    epoch than it completed, and retrain.py trains that epoch too.
    """
    trainer = run.trainer
    loss, accuracy = run.model.evaluate(run.X_test, run.y_test, loss=run.loss)
    return {
        "inputs": list(run.inputs), "sizes": run.model.sizes, "activations": list(run.acts),
        "output": run.model.layers[-1].activation.name, "loss": run.loss,
        "optimizer": net["opt"], "learning_rate": float(trainer.optimizer.lr),
        "batch_size": trainer.batch_size, "l1": trainer.l1, "l2": trainer.l2,
        "epochs": run.epoch + (1 if run.error else 0),
        "epochs_completed": run.epoch, "diverged": run.error,
        "test_loss": float(loss), "test_accuracy": float(accuracy),
        "test_points": len(run.y_test),
    }


def exported_model(run):
    """The run's model as model.npz gets it: its training configuration says how many epochs
    it trained (its Trainer is set up for MAX_EPOCHS), and its history is kept to the last
    MAX_HISTORY epochs, as many as engine.load_model reads."""
    model = copy.copy(run.model)  # the same layers and weights; its own two attributes below
    model.training_config = {**run.model.training_config, "epochs": max(1, run.epoch)}
    model.history = run.model.history[-MAX_HISTORY:]
    return model


def playground_config(networks, shared, nets):
    link = settings_to_url(shared, nets)
    return {
        "format": FORMAT, "version": VERSION, "page": "playground",
        "link": "?" + urlencode(link),
        "settings": dict(shared),
        "networks": {c.upper(): {"settings": {**nets[c], "act": layer_activations(nets[c])},
                                 **network} for c, network in networks.items()},
        "retrain_py": playground_retrain_note(networks),
    }


def playground_retrain_note(networks):
    notes = ["The playground has no set number of epochs: it trains while it plays."]
    for c, network in networks.items():
        name = f"Network {c.upper()}" if len(networks) > 1 else "The network"
        epochs = f"{network['epochs_completed']:,} epoch{'s' if network['epochs'] != 1 else ''}"
        notes.append(f"{name} had trained {epochs} when this was downloaded; retrain.py trains "
                     f"the same {epochs} and prints the same test accuracy, "
                     f"{_right(network['test_accuracy'], network['test_points'])} of "
                     f"{network['test_points']} test points ({network['test_accuracy']:.2%}).")
        if network["diverged"]:
            notes.append(f"Its training diverged in epoch {network['epochs']}, and it kept its "
                         f"last finite weights: retrain.py trains into that epoch too, and "
                         f"diverges at the same batch.")
    notes.append("The learning rate and the regularization apply at once when you change them "
                 "on the page: if you changed them while a network trained, retrain.py uses "
                 "the values at the time of the download, and does not train the same way.")
    return " ".join(notes)


def playground_readme(runs, networks, shared, models):
    which = "network" if len(runs) == 1 else "two networks, A and B,"
    model_lines = "".join(
        f"  {name:<12} the weights of network {c.upper()} (engine.load_model reads it)\n"
        for name, c in zip(models, runs))
    points = ("  points.csv   your CSV file's points as the page used them (rescaled if they "
              "reached beyond ±10): x1, x2, label, and set (train or test)\n"
              if shared["data"] == CSV else "")
    return (f"The playground's {which} on the data set {shared['data']}\n\n"
            f"  config.json  the page's settings (link: add it to the playground page's "
            f"address to open this set-up) and each network as retrain.py builds it\n"
            f"  history.csv  the losses and accuracies the page drew: one row per screen "
            f"update (epoch = epochs trained), for the training and the test points\n"
            f"{model_lines}"
            f"  retrain.py   trains the same {which.split(',')[0]} again with the app's engine "
            f"and prints the test accuracy\n{points}\n"
            f"{RETRAIN_USAGE}\n\n{playground_retrain_note(networks)}\n")


def playground_history_csv(runs):
    rows = []
    for c, run in runs.items():
        curves = run.curves
        for i in range(len(curves["epoch"])):
            rows.append({"network": c.upper(), **{name: values[i]
                                                   for name, values in curves.items()}})
    return csv_text({"network": "network", **PLAYGROUND_COLUMNS}, rows)


def points_csv(data):
    """The points of a learner's CSV file as the page split (and perhaps rescaled) them."""
    rows = [{"x1": x[0], "x2": x[1], "label": int(label), "set": part}
            for part, X, y in (("train", data.X_train, data.y_train),
                               ("test", data.X_test, data.y_test))
            for x, label in zip(X, y)]
    return csv_text({name: name for name in ("x1", "x2", "label", "set")}, rows)


PLAYGROUND_SCRIPT = '''\
"""Train the playground's $which again, with the app's engine.

    cd path/to/the/app && python path/to/retrain.py    # the app's folder, holding engine/
    python retrain.py --repo path/to/the/app           # or say where it is

The same points, the same network$s from the same seed, the same optimizer
and batches: the engine is deterministic, so it ends with the weights the
page had and prints the same test accuracy ($accuracies).
"""

import argparse
import sys
from pathlib import Path

# The data (config.json holds the page's settings, and a link that opens them).
$data_settings
WEIGHTS_SEED = $wseed  # starting weights, and the order of the points in each epoch

# Each network: its inputs (features of a point), layer sizes (inputs, hidden layers,
# outputs) and activations, how it trains, and the epochs it had trained on the page.
NETWORKS = {
$networks}

parser = argparse.ArgumentParser(description="Train the playground's $which again.")
parser.add_argument("--repo", default=".", help="the app's folder, holding engine/ "
                    "(default: the current folder)")
args = parser.parse_args()
repo = Path(args.repo).resolve()
if not (repo / "engine").is_dir():
    sys.exit(f"retrain.py: no engine/ folder in {repo}; run it from the app's folder, "
             f"or give it with --repo")
sys.path.insert(0, str(repo))

$imports
$load_data
for name, net in NETWORKS.items():
    X_train_net = feature_matrix(X_train, net["inputs"])
    X_test_net = feature_matrix(X_test, net["inputs"])
    model = build_mlp(net["sizes"], net["activations"], net["output"], seed=WEIGHTS_SEED)
    if net["epochs"]:
        trainer = Trainer(model, X_train_net, y_train, epochs=net["epochs"],
                          batch_size=net["batch_size"], loss=net["loss"],
                          optimizer=optimizers.get(net["optimizer"], lr=net["learning_rate"]),
                          seed=WEIGHTS_SEED, l1=net["l1"], l2=net["l2"])  # shuffled each epoch
        try:
            trainer.run()
        except TrainingDiverged as err:
            print(f"Network {name}: training diverged: {err}")
    train_loss, _ = model.evaluate(X_train_net, y_train, loss=net["loss"])
    test_loss, accuracy = model.evaluate(X_test_net, y_test, loss=net["loss"])
    right = round(accuracy * len(y_test))
    epochs = f"{net['epochs']} epoch{'s' if net['epochs'] != 1 else ''}"
    print(f"Network {name} after {epochs}: training loss {train_loss:.4f}, "
          f"test loss {test_loss:.4f}, final test accuracy {accuracy:.2%} "
          f"({right} of {len(y_test)} test points)")
'''

GENERATED_DATA = '''\
DATA = $data  # one of engine.datasets.PLANE_DATASETS
NOISE = $noise  # percent
POINTS = $points
TRAIN_PERCENT = $train  # of the points, for training; the rest are test points
DATA_SEED = $seed  # the points, and how they are split'''

GENERATED_LOAD = '''\
X, y = datasets.make_plane(DATA, POINTS, NOISE / 100.0, DATA_SEED)
X_train, X_test, y_train, y_test = datasets.train_test_split(
    X, y, test_size=(100 - TRAIN_PERCENT) / 100.0, seed=DATA_SEED)
'''

CSV_DATA = '''\
POINTS_FILE = Path(__file__).with_name("points.csv")  # your points, as the page split them'''

CSV_LOAD = '''\
with open(POINTS_FILE, newline="") as file:
    rows = list(csv.DictReader(file))
X_train, X_test = (np.array([[float(row["x1"]), float(row["x2"])] for row in rows
                             if row["set"] == part], np.float32) for part in ("train", "test"))
y_train, y_test = (np.array([int(row["label"]) for row in rows if row["set"] == part])
                   for part in ("train", "test"))
'''


def playground_script(networks, shared):
    """retrain.py for the playground: the data and each network as constants, then the
    engine's calls (those of ui/networks.py load_data and Run, in the order they are made)."""
    is_csv = shared["data"] == CSV
    imports = ["import numpy as np  # noqa: E402 - after the app's folder is on the path",
               "from engine import Trainer, TrainingDiverged, build_mlp"
               + ("" if is_csv else ", datasets") + ", optimizers  # noqa: E402",
               "from engine.features import feature_matrix  # noqa: E402"]
    if is_csv:
        imports.insert(0, "import csv  # noqa: E402")
    data_settings = CSV_DATA if is_csv else string.Template(GENERATED_DATA).substitute(
        {name: _py(shared[name]) for name in ("data", "noise", "points", "train", "seed")})
    listed = "".join(f"    {_py(c.upper())}: {_network_literal(network)},\n"
                     for c, network in networks.items())
    accuracies = ", ".join(
        f"{c.upper()}: {_right(n['test_accuracy'], n['test_points'])} of {n['test_points']}"
        for c, n in networks.items())
    values = {
        "which": "network" if len(networks) == 1 else "two networks",
        "s": "" if len(networks) == 1 else "s", "accuracies": accuracies,
        "data_settings": data_settings, "wseed": _py(shared["wseed"]), "networks": listed,
        "imports": "\n".join(imports) + "\n", "load_data": CSV_LOAD if is_csv else GENERATED_LOAD,
    }
    return string.Template(PLAYGROUND_SCRIPT).substitute(values)


def _network_literal(network):
    keys = ("inputs", "sizes", "activations", "output", "loss", "optimizer", "learning_rate",
            "batch_size", "l1", "l2", "epochs")
    pairs = [f"{key}={_py(network[key])}" for key in keys]
    lines, line = [], "dict("
    for pair in pairs:  # wrapped at 92 characters, as the app's code
        if len(line) + len(pair) + 2 > 92:
            lines.append(line.rstrip())
            line = " " * 14
        line += pair + ", "
    return "\n".join(lines + [line.rstrip(", ") + ")"])


# ---------------------------------------------------------------------- the files


def zip_bytes(members):
    """A zip of name -> text or bytes, compressed, the members in the order given."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content.encode() if isinstance(content, str) else content)
    return buffer.getvalue()


def json_text(value):
    return json.dumps(value, indent=2, ensure_ascii=False, default=_plain_number) + "\n"


def csv_text(columns, rows):
    """CSV of rows (dicts): columns maps each row key to its header; a missing value is empty.

    Numbers are written in full (repr), so reading one back gives the very float."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns.values())
    for row in rows:
        writer.writerow([_cell(row.get(key, "")) for key in columns])
    return out.getvalue()


def _cell(value):
    if isinstance(value, str):
        return value
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    return repr(float(value))


def _py(value):
    """A Python literal of a setting, as the app's code writes it: "text", [4, 2], 0.03."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(map(_py, value)) + "]"
    return repr(value.item() if hasattr(value, "item") else value)


def _plain_number(value):
    if hasattr(value, "item"):  # a NumPy number
        return value.item()
    raise TypeError(f"cannot write {type(value).__name__} to config.json")


def _right(accuracy, n):
    """How many of n test examples an accuracy means (accuracies are counts / n)."""
    return round(accuracy * n)


def _one_line(text, limit=100):
    """A file name from outside as one short line of text (control characters dropped)."""
    text = "".join(c if c.isprintable() else "?" for c in str(text))
    return text if len(text) <= limit else text[:limit] + "…"

