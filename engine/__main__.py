"""Command line: train, evaluate and use MNIST models without the app.

    python -m engine train --hidden 256,128 --activation relu --optimizer sgd \\
        --lr 0.05 --momentum 0.9 --batch-size 128 --epochs 10 --save model.npz
    python -m engine evaluate model.npz
    python -m engine predict model.npz digit.png
    python -m engine reproduce [NAME ...] [--starts K]   # the tutorials' experiments

`train` prints one JSON line per epoch, `reproduce` one per experiment and
variant (its progress bar goes to stderr); the others print one JSON object.
Every error is one line on stderr ("error: ..."), never a traceback.

Exit status:
    0    done
    2    an error: a bad argument, a file that cannot be read or written, a
         model file that is not sound, a loss that became NaN or infinite
    3    train ran to the end but was unstable: the test loss ended far above
         where it started (engine.model.unstable). The model is saved all the
         same if --save was given; try a smaller --lr.
    130  interrupted (Ctrl-C)
"""

import argparse
import json
import math
import os
import sys
import tempfile
import time
import warnings

import numpy as np

from . import activations, losses, optimizers, tutorials
from .build import build_mlp, parse_hidden
from .metrics import confusion_matrix
from .mnist import SCALINGS, load_mnist, scale_pixels
from .model import LambdaCallback, Trainer, TrainingDiverged, unstable
from .layers import INITIALISERS
from .saving import MAX_HISTORY, MAX_LAYERS, MAX_PARAMETERS, MAX_UNITS, load_model, save_model

OK, ERROR, UNSTABLE, INTERRUPTED = 0, 2, 3, 130
MNIST_TRAIN_SIZE = 60_000
MAX_IMAGE_SIDE = 4096  # pixels; a bigger image is refused before it is decoded
MAX_STARTS = 50  # random starts per experiment for `reproduce`


# ---------------------------------------------------------------------------
# Argument types: each refuses a bad value with one line, before anything runs
# ---------------------------------------------------------------------------
def hidden_sizes(text):
    """--hidden: '256,128' -> [256, 128]; '' or 'none' -> [] (sizes a model file can hold)."""
    try:
        return parse_hidden(text, max_layers=MAX_LAYERS - 1, max_units=MAX_UNITS)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"hidden layers: {err}") from None


def whole(least, most=None):
    """An argument type: a whole number from `least` to `most` (None: no limit)."""
    expected = f">= {least}" if most is None else f"{least} to {most:,}"

    def parse(text):
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < least or (most is not None and value > most):
            raise argparse.ArgumentTypeError(f"expected a whole number {expected}, "
                                             f"got {_quoted(text)}")
        return value

    return parse


def number(expected, inside):
    """An argument type: a finite number x with inside(x).

    number("a number in (0, 1]", lambda x: 0 < x <= 1) refuses 0, 2, nan and inf.
    """
    def parse(text):
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and inside(value)):
            raise argparse.ArgumentTypeError(f"expected {expected}, got {_quoted(text)}")
        return value

    return parse


def save_path(path):
    """--save: a file name in a folder that exists and can be written, checked before training."""
    folder = os.path.dirname(os.path.abspath(path))
    if not path:
        raise argparse.ArgumentTypeError("give a file name, e.g. model.npz")
    if os.path.isdir(path):
        raise argparse.ArgumentTypeError(f"{_quoted(path)} is a folder; give a file name, "
                                         "e.g. model.npz")
    if not os.path.isdir(folder):
        raise argparse.ArgumentTypeError(f"there is no folder {_quoted(folder)} to save in")
    try:
        with tempfile.TemporaryFile(dir=folder):  # the one sure test that writing works
            pass
    except OSError as err:
        raise argparse.ArgumentTypeError(f"cannot write in {_quoted(folder)} "
                                         f"({err.strerror or type(err).__name__})") from None
    if os.path.exists(path) and not os.access(path, os.W_OK):
        raise argparse.ArgumentTypeError(f"{_quoted(path)} is read-only")
    return path


def _one_line(err):
    return " ".join(str(err).split())


def _quoted(text, most=60):
    return repr(text if len(text) <= most else text[:most] + "...")


class OneLineParser(argparse.ArgumentParser):
    """argparse, but an error is one line: 'error: <what is wrong>; see <prog> --help'."""

    def error(self, message):
        self.exit(ERROR, f"error: {_one_line(message)}; see {self.prog} --help\n")


# ---------------------------------------------------------------------------
# The commands: each returns the exit status
# ---------------------------------------------------------------------------
def make_optimizer(args):
    if args.optimizer in ("sgd", "momentum"):
        momentum = {} if args.momentum is None else {"momentum": args.momentum}
        return optimizers.get(args.optimizer, lr=args.lr, nesterov=args.nesterov, **momentum)
    return optimizers.get(args.optimizer, lr=args.lr)


def train(args):
    sizes = [784, *args.hidden, 10]
    n_params = sum(n_in * n_out + n_out for n_in, n_out in zip(sizes, sizes[1:]))
    if args.save and n_params > MAX_PARAMETERS:
        raise ValueError(f"a network of {n_params:,} parameters cannot be saved (a model file "
                         f"holds at most {MAX_PARAMETERS:,}); use fewer or smaller hidden layers")
    (x_train, y_train), (x_test, y_test) = load_mnist()
    if args.train_size:
        x_train, y_train = x_train[:args.train_size], y_train[:args.train_size]
    X, X_test = scale_pixels(x_train), scale_pixels(x_test)
    output = args.output or ("softmax" if args.loss == "cross_entropy" else "sigmoid")
    model = build_mlp(sizes, args.activation, output, init=args.init, seed=args.seed,
                      input_scaling=None if args.scaling == "unit" else args.scaling)
    augment = None
    if args.augment:
        from .augment import augment_batch
        rng = np.random.default_rng(args.seed)
        augment = lambda xb: augment_batch(xb, rng)  # noqa: E731

    def end_of_epoch(trainer, logs):
        print(json.dumps(_rounded({**logs, "lr": trainer.optimizer.lr})), flush=True)
        trainer.optimizer.lr *= args.lr_decay

    trainer = Trainer(model, X, y_train, epochs=args.epochs, batch_size=args.batch_size,
                      optimizer=make_optimizer(args), loss=args.loss, seed=args.seed,
                      validation_data=(X_test, y_test), augment=augment,
                      callbacks=[LambdaCallback(on_epoch_end=end_of_epoch)])
    start_loss, _ = model.evaluate(X_test, y_test, loss=args.loss)
    trainer.run()
    if args.save:
        try:
            save_model(model, args.save)
        except OSError as err:
            raise ValueError(f"cannot write the model to {_quoted(args.save)} "
                             f"({err.strerror or type(err).__name__})") from None
    end_loss = trainer.history[-1]["val_loss"]
    if unstable(start_loss, end_loss):
        print(f"unstable: the test loss ended at {end_loss:.4g}, far above the {start_loss:.4g} "
              f"it started at: the learning rate is too large; try 10 times smaller, "
              f"--lr {args.lr / 10:g}", file=sys.stderr)
        return UNSTABLE
    return OK


def evaluate(args):
    model = load_model(args.model)
    (_, _), (x_test, y_test) = load_mnist()
    X = scale_pixels(x_test)
    loss, acc = model.evaluate(X, y_test)
    predicted = model.predict_classes(X)
    print(json.dumps({"loss": round(loss, 6), "accuracy": round(acc, 6),
                      "confusion_matrix": confusion_matrix(y_test, predicted, 10).tolist()}))
    return OK


def predict(args):
    from .preprocess import canvas_to_mnist
    model = load_model(args.model)
    image = read_image(args.image)
    if image.mean() > 127:  # dark ink on a light background: make it MNIST's white on black
        image = 255 - image
    pixels = canvas_to_mnist(image)
    if pixels is None:
        raise ValueError(f"{args.image!r} looks empty: no digit found")
    probs = model.predict(pixels.reshape(1, 784))[0]
    print(json.dumps({"prediction": int(probs.argmax()),
                      "probabilities": [round(float(p), 6) for p in probs]}))
    return OK


def read_image(path):
    """The image as grayscale uint8; its size is read from the header and checked first."""
    from PIL import Image, UnidentifiedImageError

    too_large = (f"image {path!r} is too large: at most {MAX_IMAGE_SIDE} x {MAX_IMAGE_SIDE} "
                 "pixels are read")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # refused below
            with Image.open(path) as image:  # reads the header only
                width, height = image.size
                if max(width, height) > MAX_IMAGE_SIDE:
                    raise ValueError(f"{too_large}, it has {width} x {height}")
                return np.asarray(image.convert("L"), dtype=np.uint8)
    except Image.DecompressionBombError:
        raise ValueError(too_large) from None
    except (OSError, UnidentifiedImageError, SyntaxError) as err:
        raise ValueError(f"cannot read image {path!r}: {err}") from None


# ---------------------------------------------------------------------------
# reproduce: the tutorials' experiments (engine/tutorials), one JSON line each
# ---------------------------------------------------------------------------
def experiment_names(text):
    if text not in tutorials.EXPERIMENTS:
        raise argparse.ArgumentTypeError(
            f"unknown experiment {_quoted(text)}; known: {', '.join(tutorials.EXPERIMENTS)}")
    return text


class ProgressBar:
    """One line on stderr, redrawn at most every `every` seconds: [#####.....] name 50%."""

    WIDTH = 30

    def __init__(self, name, stream=None, every=0.2):
        self.name, self.every = name, every
        self.stream = sys.stderr if stream is None else stream
        self.shown_at = -math.inf

    def __call__(self, fraction):
        now = time.monotonic()
        if now - self.shown_at >= self.every:
            self.shown_at = now
            self.draw(fraction)

    def draw(self, fraction):
        fraction = min(max(float(fraction), 0.0), 1.0)
        filled = round(fraction * self.WIDTH)
        self.stream.write(f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {self.name} "
                          f"{fraction:4.0%}")
        self.stream.flush()

    def close(self):
        self.draw(1.0)
        self.stream.write("\n")
        self.stream.flush()


def plain(value):
    """Numbers and containers as JSON can write them (NumPy scalars and arrays too)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [plain(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    return value


LONG_LIST = 10  # a longer list (e.g. 11,010 printed error sums) is shown as its length


def _figure(value, digits=6):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "–" if value is None else str(value)
    return f"{value:.{digits}g}"


def _spread(values):
    """min–max over random starts, to 4 significant digits (the starts differ before that)."""
    low, high = min(values), max(values)
    return _figure(low, 4) if low == high else f"{_figure(low, 4)}–{_figure(high, 4)}"


def _is_numbers(value):
    return isinstance(value, list) and all(isinstance(v, (int, float)) for v in value)


def _cell(tutorial, ours, per_start):
    """(tutorial's text, ours' text) for one value; per_start: ours has one entry per start."""
    if isinstance(tutorial, dict) or isinstance(ours, dict):
        # a side that is not a dict (e.g. the tutorial's "a chart only") is shown as it is
        t, o = (side if isinstance(side, dict) else {} for side in (tutorial, ours))
        pairs = [(k, *_cell(t.get(k), o.get(k), per_start)) for k in dict.fromkeys([*t, *o])]
        return ("; ".join(f"{k}: {text}" for k, text, _ in pairs) if t else _figure(tutorial),
                "; ".join(f"{k}: {text}" for k, _, text in pairs) if o else _figure(ours))
    if isinstance(tutorial, list) and len(tutorial) > LONG_LIST:
        return f"{len(tutorial):,} values", (f"{len(ours):,} values" if isinstance(ours, list)
                                             else _figure(ours))
    tutorial_text = (f"[{', '.join(map(_figure, tutorial))}]" if isinstance(tutorial, list)
                     else _figure(tutorial))
    if per_start and isinstance(ours, list) and ours and all(_is_numbers(o) for o in ours):
        # one list per start (e.g. the loss after each epoch): each position's spread
        return tutorial_text, f"[{', '.join(_spread(column) for column in zip(*ours))}]"
    if per_start and _is_numbers(ours) and ours and not isinstance(tutorial, list):
        return tutorial_text, _spread(ours)
    if isinstance(ours, list):
        if len(ours) > LONG_LIST:
            return tutorial_text, f"{len(ours):,} values"
        return tutorial_text, f"[{', '.join(map(_figure, ours))}]"
    return tutorial_text, _figure(ours)


def _differing_settings(lines):
    """For each line, the settings that differ between the lines of its experiment."""
    notes = []
    for line in lines:
        others = [o["settings"] for o in lines if o["experiment"] == line["experiment"]]
        keys = [k for k, v in line["settings"].items()
                if any(o.get(k) != v for o in others) and isinstance(v, (int, float))]
        notes.append(", ".join(f"{k} {line['settings'][k]}" for k in keys))
    return notes


def markdown_table(lines, starts):
    """The README's table: experiment, variant, what the tutorial printed, ours."""
    rows = ["| experiment | variant | tutorial printed | ours |", "| --- | --- | --- | --- |"]
    for line, differs in zip(lines, _differing_settings(lines)):
        random = tutorials.EXPERIMENTS[line["experiment"]].random
        tutorial, ours = _cell(line["tutorial"], line["ours"], random)
        if random:
            ours += f" ({starts} starts)"
        variant = " ".join(filter(None, [line["variant"], differs and f"({differs})"]))
        rows.append(f"| `{line['experiment']}` | {variant} | {tutorial} | {ours} |")
    return "\n".join(rows)


def reproduce(args):
    names = args.names or list(tutorials.EXPERIMENTS)
    lines = []
    for name in names:
        experiment = tutorials.EXPERIMENTS[name]
        bar = ProgressBar(name)
        started = time.perf_counter()
        results = experiment.run(args.starts, bar)
        seconds = time.perf_counter() - started
        bar.close()
        for result in results:
            line = plain({"experiment": name, "variant": result["variant"],
                          "tutorial": result["tutorial"], "ours": result["ours"],
                          "settings": result["settings"], "seconds": round(seconds, 3)})
            if args.markdown:
                lines.append(line)
            else:
                print(json.dumps(line), flush=True)
    if args.markdown:
        print(markdown_table(lines, args.starts))
    return OK


def _rounded(logs):
    return {k: round(v, 6) if isinstance(v, float) else v for k, v in logs.items()}


# ---------------------------------------------------------------------------
# The parser and main
# ---------------------------------------------------------------------------
def make_parser():
    parser = OneLineParser(prog="python -m engine", description=__doc__.split("\n")[0],
                           epilog="Exit status: 0 done, 2 error, 3 an unstable run (train), "
                                  "130 interrupted.")
    sub = parser.add_subparsers(dest="command", required=True)

    t = sub.add_parser("train", help="train an MLP on MNIST, one JSON line per epoch",
                       epilog="Exit status: 0 done, 2 error, 3 unstable: the test loss ended far "
                              "above where it started (the model is saved all the same).")
    t.add_argument("--hidden", type=hidden_sizes, default=[128],
                   help=f"hidden layer sizes, e.g. 256,128, or none (default 128); at most "
                        f"{MAX_LAYERS - 1} layers of 1 to {MAX_UNITS} units")
    t.add_argument("--activation", default="relu", choices=list(activations.ACTIVATIONS),
                   help="hidden activation (default relu)")
    t.add_argument("--output", choices=["softmax", "sigmoid", "linear"],
                   help="output activation (default: softmax for cross_entropy, else sigmoid)")
    t.add_argument("--loss", default="cross_entropy", choices=list(losses.LOSSES))
    t.add_argument("--optimizer", default="adam", choices=list(optimizers.OPTIMIZERS))
    t.add_argument("--lr", type=number("a finite number > 0", lambda x: x > 0), default=0.001,
                   help="learning rate, a finite number > 0 (default 0.001)")
    t.add_argument("--lr-decay", type=number("a number in (0, 1]", lambda x: 0 < x <= 1),
                   default=1.0, help="multiply the learning rate by this, in (0, 1], after "
                                     "each epoch (default 1: no decay)")
    t.add_argument("--momentum", type=number("a number in [0, 1)", lambda x: 0 <= x < 1),
                   default=None,
                   help="SGD momentum in [0, 1) (default 0 for sgd, 0.9 for momentum)")
    t.add_argument("--nesterov", action="store_true", help="SGD with Nesterov momentum")
    t.add_argument("--batch-size", type=whole(1), default=128, help="at least 1 (default 128)")
    t.add_argument("--epochs", type=whole(1, MAX_HISTORY), default=5,
                   help=f"1 to {MAX_HISTORY} (a model file holds at most {MAX_HISTORY}) "
                        "(default 5)")
    t.add_argument("--seed", type=whole(0), default=0)
    t.add_argument("--init", default="glorot", choices=list(INITIALISERS))
    t.add_argument("--train-size", type=whole(0, MNIST_TRAIN_SIZE), default=0,
                   help=f"use only the first N training images, 1 to {MNIST_TRAIN_SIZE:,} "
                        f"(default 0: all {MNIST_TRAIN_SIZE:,}; more are refused)")
    t.add_argument("--scaling", default="unit", choices=list(SCALINGS),
                   help="input scaling the model applies to pixels in [0, 1]")
    t.add_argument("--augment", action="store_true",
                   help="random small rotations, scalings, shifts and stroke widths")
    t.add_argument("--save", metavar="PATH", type=save_path,
                   help="write the trained model to PATH (.npz); its folder must exist and be "
                        "writable, checked before training")
    t.set_defaults(run=train)

    e = sub.add_parser("evaluate", help="loss, accuracy and confusion matrix on the MNIST test set")
    e.add_argument("model")
    e.set_defaults(run=evaluate)

    p = sub.add_parser("predict", help="read one digit image (PNG, JPEG ...)")
    p.add_argument("model")
    p.add_argument("image", help=f"at most {MAX_IMAGE_SIDE} x {MAX_IMAGE_SIDE} pixels")
    p.set_defaults(run=predict)

    r = sub.add_parser("reproduce", help="run the tutorials' experiments, one JSON line each",
                       description="Run the four tutorials' worked examples and experiments "
                                   "(engine/tutorials) and print, for each and each variant "
                                   "(as-printed / exact), what the tutorial printed and what "
                                   "this engine computes.")
    r.add_argument("names", nargs="*", metavar="NAME", type=experiment_names,
                   help=f"experiments to run (default: all): {', '.join(tutorials.EXPERIMENTS)}")
    r.add_argument("--starts", type=whole(1, MAX_STARTS), default=5,
                   help=f"random starts for the experiments that depend on them, 1 to "
                        f"{MAX_STARTS} (default 5)")
    r.add_argument("--markdown", action="store_true",
                   help="print one Markdown table at the end instead of JSON lines (the "
                        "README's table)")
    r.set_defaults(run=reproduce)
    return parser


def main(argv=None):
    args = make_parser().parse_args(argv)  # a bad argument: one line, SystemExit(2)
    try:
        return args.run(args)
    except (ValueError, TrainingDiverged) as err:
        print(f"error: {_one_line(err)}", file=sys.stderr)
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return INTERRUPTED
    except Exception as err:  # a bug: one line, and no paths of this machine's files
        print(f"error: unexpected {type(err).__name__} in `{args.command}`; "
              "please report it with the command you ran", file=sys.stderr)
    return ERROR


if __name__ == "__main__":
    sys.exit(main())
