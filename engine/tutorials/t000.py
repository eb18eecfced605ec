"""Tutorial 000: MNIST from scratch (784-90-10 sigmoid, one image at a time), then Keras.

What the tutorial did (../shared/tutorials/000_*.txt, "Neural Network Fundamentals"):

* A toy 3-5-2 network with `np.random.rand` weights (all positive), then the
  MNIST network: i_n = 784 inputs, h_n = 90 hidden, o_n = 10 output sigmoid
  units, weights `w_i_h` (h_n, i_n) and `w_h_o` (o_n, h_n), **no biases**.
* Raw pixels 0..255 with all-positive weights: every output is 1. The fix:
  inputs x / 255 * 0.99 + 0.01, targets 0.01 / 0.99, weights drawn from
  `normal(0, pow(h_n, -0.5))` for input->hidden and `normal(0, pow(o_n, -0.5))`
  for hidden->output: the **receiving** layer's size, although its text says
  "1/sqrt(number of incoming links)" (that would be i_n and h_n).
* One image at a time, in file order:

      o_errors = target - o_output
      h_errors = w_h_o.T @ o_errors                       # without o(1 - o)
      w_h_o += lr * (o_errors * o * (1 - o)) @ h.T
      w_i_h += lr * (h_errors * h * (1 - h)) @ x.T

* Experiments: the first 100 training images (its mnist_train_100.csv), lr 0.3,
  1 epoch (printed 0.3959); 5 epochs (0.690); lr 0.1 and 150 hidden nodes (no
  figure printed); all 60,000 images, 2 epochs, lr 0.1 ("more than 90 %").
  Every accuracy is measured on the 10,000 test images.
* Keras: 784-90 ReLU -> 10 softmax, kernel_initializer='normal' (N(0, 0.05)),
  zero biases, categorical cross-entropy, batch 200, 5 epochs, shuffled; SGD
  (lr 0.01) gave a test error rate of 11.97 %, RMSprop (lr 0.001) 3.59 %.

How it differs from the exact rule. The error to minimise is E = 1/2 sum (t - o)^2.
Its gradient sends back the output's error *after* the output's slope:
dE/dh = -w_h_o.T @ ((t - o) * o * (1 - o)). The tutorial sends back t - o
itself, so the hidden layer's step is not the gradient (it is too large by up
to 1 / (o (1 - o)) and can point another way). Variant "as-printed" follows
the tutorial, "exact" uses the true gradient with the same network and init
(tests/engine/test_t000.py checks it against the engine's own Dense/Sequential
backward with loss "sse" and against central differences), and, for the
100-image experiments, "incoming-links init" is the exact rule with the init
its text describes (normal(0, i_n ** -0.5), normal(0, h_n ** -0.5)).

Why the printed 0.3959 is so low. Its loop, run as printed from fresh weights,
gives about 0.57-0.61 after one epoch. But the notebook ran its cells in order:
before the training loop, its weights had taken two extra updates on image 0
with the errors of the starting weights (the cell without a learning rate, so
lr 1, then the cell with lr 0.3), and its 5-epoch loop went on from the
1-epoch weights (6 epochs in all). Variant "notebook-order" replays that; it
gives about 0.38-0.54 after one epoch and 0.65-0.67 after the 5 more. The
other variants start every run from fresh weights, as the text means. The
tutorial's first line of data is a 3; MNIST's first training image, which we
use, is a 5.

Starting points: start k draws its weights from np.random.default_rng(k), so
`starts=5` means seeds 0, 1, 2, 3, 4. Arrays are float64, as NumPy's default
in the tutorial. The Keras network is built from the engine's own layers
(engine.build.build_mlp, float32 as Keras) and trained by its Trainer; the
per-epoch loss and accuracy are means over the epoch's batches, as Keras
prints them.

    >>> net = init_network(np.random.default_rng(0))     # the tutorial's 784-90-10
    >>> X, T = inputs(pixels), targets(labels)
    >>> train(net, X, T, lr=0.3, epochs=1, rule="as-printed")
    >>> accuracy(net, inputs(test_pixels), test_labels)
"""

import numpy as np

from .experiment import Experiment, registry, result

I_N, H_N, O_N = 784, 90, 10
RULES = ("as-printed", "exact")
INITS = ("receiving", "incoming")  # the tutorial's code / the tutorial's text
TEST_IMAGES = 10_000

KERAS_EPOCHS, KERAS_BATCH = 5, 200
KERAS_PRINTED = {
    "sgd": {"error_rate": 11.97,
            "loss": [1.9561, 1.1276, 0.7348, 0.5846, 0.5081],
            "accuracy": [0.4904, 0.7666, 0.8289, 0.8529, 0.8670]},
    "rmsprop": {"error_rate": 3.59,
                "loss": [0.4846, 0.2387, 0.1810, 0.1446, 0.1199],
                "accuracy": [0.8785, 0.9319, 0.9485, 0.9590, 0.9660]},
}
KERAS_LR = {"sgd": 0.01, "rmsprop": 0.001}  # Keras's defaults, which the tutorial kept


# ----------------------------------------------------------------------------
# The network, as the tutorial wrote it (column vectors, no biases)
# ----------------------------------------------------------------------------

def sigmoid(x):
    """The tutorial's activation: 1 / (1 + e^-x)."""
    return 1.0 / (1.0 + np.exp(-x))


def inputs(pixels):
    """Pixels 0..255 (n, 784) or (n, 28, 28) -> float64 x / 255 * 0.99 + 0.01, shape (n, 784)."""
    pixels = np.asarray(pixels)
    return pixels.reshape(len(pixels), -1).astype(np.float64) / 255.0 * 0.99 + 0.01


def targets(labels, o_n=O_N, off=0.01, on=0.99):
    """Labels (n,) -> (n, o_n) rows of `off` with `on` at the label (0.01 / 0.99 as printed)."""
    labels = np.asarray(labels, dtype=np.int64)
    t = np.full((len(labels), o_n), off, dtype=np.float64)
    t[np.arange(len(labels)), labels] = on
    return t


def init_network(rng, i_n=I_N, h_n=H_N, o_n=O_N, init="receiving"):
    """{"w_i_h": (h_n, i_n), "w_h_o": (o_n, h_n)} drawn from normal distributions.

    init="receiving" is the tutorial's code: std pow(h_n, -0.5) for w_i_h and
    pow(o_n, -0.5) for w_h_o; "incoming" is its text: pow(i_n, -0.5), pow(h_n, -0.5).
    """
    if init not in INITS:
        raise ValueError(f"init must be one of {', '.join(INITS)}, got {init!r}")
    std_ih, std_ho = (h_n, o_n) if init == "receiving" else (i_n, h_n)
    w_i_h = rng.normal(0.0, pow(std_ih, -0.5), (h_n, i_n))
    w_h_o = rng.normal(0.0, pow(std_ho, -0.5), (o_n, h_n))
    return {"w_i_h": w_i_h, "w_h_o": w_h_o}


def rand_network(rng, i_n=I_N, h_n=H_N, o_n=O_N):
    """The tutorial's first weights: np.random.rand, uniform in [0, 1), all positive."""
    return {"w_i_h": rng.random((h_n, i_n)), "w_h_o": rng.random((o_n, h_n))}


def feedforward(net, x):
    """The four steps for one input column x (i_n, 1): h_input, h_output, o_input, o_output."""
    h_input = np.dot(net["w_i_h"], x)
    h_output = sigmoid(h_input)
    o_input = np.dot(net["w_h_o"], h_output)
    o_output = sigmoid(o_input)
    return {"h_input": h_input, "h_output": h_output, "o_input": o_input, "o_output": o_output}


def step(net, x, target, lr, rule="as-printed"):
    """One update on one image, in place; returns the intermediate values.

    x (i_n, 1) and target (o_n, 1) are columns, as in the tutorial. rule
    "as-printed": h_errors = w_h_o.T @ o_errors; "exact": h_errors =
    w_h_o.T @ (o_errors * o (1 - o)), the gradient of E = 1/2 sum (t - o)^2.
    Both are computed with w_h_o before its update, as printed.
    """
    if rule not in RULES:
        raise ValueError(f"rule must be one of {', '.join(RULES)}, got {rule!r}")
    values = feedforward(net, x)
    h, o = values["h_output"], values["o_output"]
    o_errors = target - o
    o_delta = o_errors * o * (1.0 - o)
    h_errors = np.dot(net["w_h_o"].T, o_errors if rule == "as-printed" else o_delta)
    net["w_h_o"] += lr * np.dot(o_delta, h.T)
    net["w_i_h"] += lr * np.dot(h_errors * h * (1.0 - h), x.T)
    values.update(o_errors=o_errors, h_errors=h_errors)
    return values


def train(net, X, T, lr, epochs=1, rule="as-printed", progress=None, every=500):
    """The tutorial's loop: `epochs` passes over the rows of X (n, i_n), T (n, o_n), in order.

    The same arithmetic as step() on one row at a time, without the column
    reshapes. X is the scaled inputs, or uint8 pixels (n, 784) / (n, 28, 28),
    each scaled by inputs() when its turn comes (the same numbers, without a
    float64 copy of all 60,000 images). progress(images_done), if given, is
    called every `every` images and at the end.
    """
    if rule not in RULES:
        raise ValueError(f"rule must be one of {', '.join(RULES)}, got {rule!r}")
    w_i_h, w_h_o = net["w_i_h"], net["w_h_o"]
    buffer = np.empty_like(w_i_h)
    exact = rule == "exact"
    done = 0
    X = np.asarray(X)
    pixels = X.dtype == np.uint8
    if pixels:
        X = X.reshape(len(X), -1)
    for _ in range(epochs):
        for x, t in zip(X, T):
            if pixels:
                x = inputs(x[None])[0]
            h = sigmoid(np.dot(w_i_h, x))
            o = sigmoid(np.dot(w_h_o, h))
            o_errors = t - o
            o_delta = o_errors * o * (1.0 - o)
            h_errors = np.dot(w_h_o.T, o_delta if exact else o_errors)
            w_h_o += lr * np.multiply.outer(o_delta, h)
            np.multiply.outer(h_errors * h * (1.0 - h), x, out=buffer)
            buffer *= lr
            w_i_h += buffer
            done += 1
            if progress is not None and done % every == 0:
                progress(done)
    if progress is not None:
        progress(done)
    return net


def notebook_cells(net, x, target):
    """The two update cells the notebook ran on image 0 before its loop, in place.

    Both use o_errors and h_errors computed once, from the starting weights:
    first without a learning rate (lr 1), then with l_r = 0.3.
    """
    v = feedforward(net, x)
    h, o = v["h_output"], v["o_output"]
    o_errors = target - o
    h_errors = np.dot(net["w_h_o"].T, o_errors)
    for lr in (1.0, 0.3):
        net["w_h_o"] += lr * np.dot((o_errors * o * (1.0 - o)), h.T)
        net["w_i_h"] += lr * np.dot((h_errors * h * (1.0 - h)), x.T)
    return net


def predict(net, X, chunk=1000):
    """Output activations (n, o_n) for rows X (n, i_n), or uint8 pixels (scaled by inputs()).

    The feedforward for many images at once, `chunk` rows at a time.
    """
    X = np.asarray(X)
    out = []
    for start in range(0, len(X), chunk):
        rows = X[start:start + chunk]
        rows = inputs(rows) if rows.dtype == np.uint8 else rows
        out.append(sigmoid(sigmoid(rows @ net["w_i_h"].T) @ net["w_h_o"].T))
    return np.concatenate(out) if out else np.empty((0, net["w_h_o"].shape[0]))


def accuracy(net, X, labels):
    """The tutorial's performance: the fraction of rows whose argmax output is the label."""
    return float(np.mean(np.argmax(predict(net, X), axis=1) == np.asarray(labels)))


def sse_gradient(net, x, target):
    """dE/dw_i_h, dE/dw_h_o of E = 1/2 sum (t - o)^2 for one column x (-step / lr, exact rule)."""
    v = feedforward(net, x)
    h, o = v["h_output"], v["o_output"]
    o_delta = (o - target) * o * (1.0 - o)
    h_delta = np.dot(net["w_h_o"].T, o_delta) * h * (1.0 - h)
    return {"w_i_h": np.dot(h_delta, x.T), "w_h_o": np.dot(o_delta, h.T)}


def sse(net, x, target):
    """E = 1/2 sum (t - o)^2 for one column x."""
    return float(0.5 * np.sum((target - feedforward(net, x)["o_output"]) ** 2))


# ----------------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------------

def load_data():
    """MNIST as the experiments use it: {"pixels_train", "y_train", "pixels_test", "y_test"}.

    uint8 pixels (n, 28, 28) and labels, as engine.mnist.load_mnist reads
    them; the from-scratch network scales them with inputs() as it goes. Pass
    the result as `data=` to the functions below to load it only once. A
    caller that has them may add "unit_train" and "unit_test", float32
    pixels / 255 (engine.mnist.scale_pixels(x, "unit")), which the Keras runs
    read instead of making their own copy.
    """
    from engine.mnist import load_mnist

    (x_train, y_train), (x_test, y_test) = load_mnist()
    return {"pixels_train": x_train, "y_train": y_train, "pixels_test": x_test,
            "y_test": y_test}


def _unit(data, part):
    from engine.mnist import scale_pixels

    known = data.get(f"unit_{part}")
    return known if known is not None else scale_pixels(data[f"pixels_{part}"], "unit")


# ----------------------------------------------------------------------------
# The walk-through: every printed step, with our numbers
# ----------------------------------------------------------------------------

def walkthrough(data, seed=0, lr=0.3, h_n=H_N, train_images=100):
    """The notebook's steps in its order, with real numbers (a dict of arrays and numbers).

    toy:       the 3-5-2 network, np.random.rand weights, and their shapes
    raw:       image 0 as 0..255 inputs through rand weights: every output 1
    first:     image 0 through fresh normal weights (seed `seed`), scaled inputs,
               its 0.01/0.99 target, o_errors, h_errors (and the exact rule's), and
               one update with lr: its outputs after, the largest weight changes
               (no whole weight matrix is kept: a page may cache many of these)
    trained:   the as-printed network after 1 epoch on `train_images` images,
               from the same seed's weights: its outputs for test image 0, its
               argmax, and its test accuracy (= experiment t000-100-images's
               start `seed` when lr is 0.3 and h_n 90)
    """
    rng = np.random.default_rng(seed)
    toy = rand_network(rng, 3, 5, 2)
    pixels = np.asarray(data["pixels_train"][0], dtype=np.float64).reshape(I_N, 1)
    label = int(data["y_train"][0])
    raw_net = rand_network(rng, I_N, h_n, O_N)
    raw = feedforward(raw_net, pixels)
    one_hot = np.zeros((O_N, 1))
    one_hot[label] = 1.0

    x = inputs(data["pixels_train"][:1]).T
    target = np.full((O_N, 1), 0.01)
    target[label] = 0.99
    net = init_network(np.random.default_rng(seed), h_n=h_n)
    w_i_h_before, w_h_o_before = net["w_i_h"].copy(), net["w_h_o"].copy()
    first = step(net, x, target, lr, "as-printed")
    after_one = feedforward(net, x)["o_output"]
    o = first["o_output"]
    exact_h_errors = np.dot(w_h_o_before.T, first["o_errors"] * o * (1.0 - o))

    trained = init_network(np.random.default_rng(seed), h_n=h_n)
    train(trained, data["pixels_train"][:train_images],
          targets(data["y_train"][:train_images]), lr, 1, "as-printed")
    test_x = inputs(data["pixels_test"][:1]).T
    test_out = feedforward(trained, test_x)["o_output"]
    return {
        "seed": seed, "lr": lr, "h_n": h_n, "train_images": train_images,
        "toy": toy, "observation": np.concatenate([[label], data["pixels_train"][0].ravel()]),
        "label": label, "image": np.asarray(data["pixels_train"][0]),
        "raw_net_shapes": {k: v.shape for k, v in raw_net.items()},
        "raw": raw, "one_hot": one_hot, "input": x, "target": target,
        "w_h_o_before": w_h_o_before, "first": first, "exact_h_errors": exact_h_errors,
        "largest_w_i_h_change": float(np.abs(net["w_i_h"] - w_i_h_before).max()),
        "largest_w_h_o_change": float(np.abs(net["w_h_o"] - w_h_o_before).max()),
        "o_output_after_one_update": after_one,
        "shapes": {"w_i_h": net["w_i_h"].shape, "input": x.shape,
                   "w_h_o": net["w_h_o"].shape, "target": target.shape},
        "test_label": int(data["y_test"][0]), "test_image": np.asarray(data["pixels_test"][0]),
        "test_output": test_out, "test_prediction": int(np.argmax(test_out)),
        "test_accuracy": accuracy(trained, data["pixels_test"], data["y_test"]),
    }


# ----------------------------------------------------------------------------
# Experiments
# ----------------------------------------------------------------------------

def from_scratch(*, n_train, epochs, lr, h_n, starts, variants=RULES, data=None,
                 progress=None):
    """Test accuracies of the from-scratch network: {variant: [one per start]}.

    variants: names from RULES, "incoming-links init" (the exact rule with
    the text's init) and "notebook-order" (as printed, after the notebook's
    two update cells on image 0, and for more than one epoch after one epoch
    first, as its cells ran: see the module's docstring). Start k uses
    np.random.default_rng(k). progress(f), f in 0..1, is called as the
    images go by.
    """
    data = load_data() if data is None else data
    X, T = data["pixels_train"][:n_train], targets(data["y_train"][:n_train])
    extra = 1 if epochs > 1 else 0  # the notebook's 1-epoch loop before its 5-epoch loop
    per_start = {v: len(X) * (epochs + (extra if v == "notebook-order" else 0))
                 for v in variants}
    total = starts * sum(per_start.values())
    out, before = {}, 0
    for variant in variants:
        rule, init = {"incoming-links init": ("exact", "incoming"),
                      "notebook-order": ("as-printed", "receiving")}.get(variant,
                                                                     (variant, "receiving"))
        out[variant] = []
        for k in range(starts):
            net = init_network(np.random.default_rng(k), h_n=h_n, init=init)
            report = None if progress is None else (lambda done, b=before: progress((b + done)
                                                                                     / total))
            if variant == "notebook-order":
                notebook_cells(net, inputs(X[:1]).T, T[:1].T)
                if extra:
                    train(net, X, T, lr, extra, rule, progress=report)
                    b2 = before + len(X) * extra
                    report = None if progress is None else (
                        lambda done, b=b2: progress((b + done) / total))
            train(net, X, T, lr, epochs, rule, progress=report)
            before += per_start[variant]
            out[variant].append(accuracy(net, data["pixels_test"], data["y_test"]))
    return out


FROM_SCRATCH = {
    # name: (title, printed figure, settings)
    "t000-100-images": ("100 training images, 1 epoch, lr 0.3, 90 hidden", 0.3959,
                        {"n_train": 100, "epochs": 1, "lr": 0.3, "h_n": 90}),
    "t000-100-images-5-epochs": ("100 training images, 5 epochs, lr 0.3, 90 hidden", 0.690,
                                 {"n_train": 100, "epochs": 5, "lr": 0.3, "h_n": 90}),
    "t000-lr-0.1": ("100 training images, 5 epochs, lr 0.1, 90 hidden", None,
                    {"n_train": 100, "epochs": 5, "lr": 0.1, "h_n": 90}),
    "t000-150-hidden": ("100 training images, 5 epochs, lr 0.1, 150 hidden", None,
                        {"n_train": 100, "epochs": 5, "lr": 0.1, "h_n": 150}),
    "t000-60000-images": ("60,000 training images, 2 epochs, lr 0.1, 90 hidden", ">0.90",
                          {"n_train": 60_000, "epochs": 2, "lr": 0.1, "h_n": 90}),
}
# Which variants each experiment runs. The text's init is compared on the small runs only
# (on 60,000 images it would add half as much time again); the notebook's order of cells
# only where the tutorial printed a figure from it.
_SMALL = RULES + ("incoming-links init",)
VARIANTS = {
    "t000-100-images": _SMALL + ("notebook-order",),
    "t000-100-images-5-epochs": _SMALL + ("notebook-order",),
    "t000-lr-0.1": _SMALL,
    "t000-150-hidden": _SMALL,
    "t000-60000-images": RULES,
}


def run_from_scratch(name, starts, progress=None, data=None):
    """The results of one from-scratch experiment, one dict per variant (see experiment.py)."""
    _title, printed, settings = FROM_SCRATCH[name]
    accuracies = from_scratch(**settings, starts=starts, variants=VARIANTS[name], data=data,
                              progress=progress)
    return [result(variant, printed, values, **settings, test_images=TEST_IMAGES,
                   seeds=list(range(starts)), inputs="x/255*0.99+0.01",
                   targets="0.01/0.99", biases=False,
                   init=("normal(0, i_n**-0.5), normal(0, h_n**-0.5)"
                         if variant == "incoming-links init"
                         else "normal(0, h_n**-0.5), normal(0, o_n**-0.5)"),
                   **({"before": "the notebook's two update cells on image 0"
                       + (", then 1 epoch" if settings["epochs"] > 1 else "")}
                      if variant == "notebook-order" else {}))
            for variant, values in accuracies.items()]


def keras_model(seed):
    """Keras's network of the tutorial in the engine: 784-90 ReLU -> 10 softmax, N(0, 0.05).

    It takes pixels / 255 and rescales them itself to x * 0.99 + 0.01 (input_scaling).
    """
    from engine.build import build_mlp

    return build_mlp([I_N, H_N, O_N], "relu", "softmax", init="keras_normal", seed=seed,
                     input_scaling="tutorial")


def keras(optimizer, *, starts, data=None, progress=None, epochs=KERAS_EPOCHS,
          n_train=None):
    """The Keras comparison: {"error_rate": [...], "loss": [[...]], "accuracy": [[...]]}.

    One entry per start: the test error rate in % (100 - accuracy * 100),
    and the per-epoch training loss and accuracy (means over the epoch's
    batches). Start k: weights and shuffling from seed k.
    """
    from engine import optimizers
    from engine.model import Trainer

    data = load_data() if data is None else data
    X, y = _unit(data, "train"), data["y_train"]
    if n_train is not None:
        X, y = X[:n_train], y[:n_train]
    X_test = _unit(data, "test")
    out = {"error_rate": [], "loss": [], "accuracy": []}
    for k in range(starts):
        model = keras_model(k)
        trainer = Trainer(model, X, y, epochs=epochs, batch_size=KERAS_BATCH,
                          optimizer=optimizers.get(optimizer, lr=KERAS_LR[optimizer]),
                          loss="cross_entropy", shuffle=True, seed=k)
        total = trainer.epochs * trainer.batches_per_epoch
        while not trainer.done:
            trainer.step(20)
            if progress is not None:
                progress((k + trainer.batches_done / total) / starts)
        _loss, acc = model.evaluate(X_test, data["y_test"])
        out["error_rate"].append(round(100.0 - acc * 100.0, 2))
        out["loss"].append([h["loss"] for h in trainer.history])
        out["accuracy"].append([h["accuracy"] for h in trainer.history])
    return out


def run_keras(optimizer, starts, progress=None, data=None):
    ours = keras(optimizer, starts=starts, data=data, progress=progress)
    return [result(None, KERAS_PRINTED[optimizer], ours, optimizer=optimizer,
                   lr=KERAS_LR[optimizer], network="784-90 relu, 10 softmax",
                   init="keras_normal N(0, 0.05), zero biases", loss="cross_entropy",
                   batch_size=KERAS_BATCH, epochs=KERAS_EPOCHS, shuffle=True,
                   inputs="x/255*0.99+0.01", seeds=list(range(starts)))]


def run_shapes(starts=None, progress=None):
    """The printed shapes: the toy 3-5-2 weights, then the MNIST network's matrices."""
    toy = rand_network(np.random.default_rng(0), 3, 5, 2)
    net = init_network(np.random.default_rng(0))
    ours = {"toy w_i_h": list(toy["w_i_h"].shape), "toy w_h_o": list(toy["w_h_o"].shape),
            "w_i_h": list(net["w_i_h"].shape), "input": [I_N, 1],
            "w_h_o": list(net["w_h_o"].shape), "target": [O_N, 1]}
    printed = {"toy w_i_h": [5, 3], "toy w_h_o": [2, 5], "w_i_h": [90, 784], "input": [784, 1],
               "w_h_o": [10, 90], "target": [10, 1]}
    if progress is not None:
        progress(1.0)
    return [result(None, printed, ours, i_n=I_N, h_n=H_N, o_n=O_N)]


def run_all_ones(starts, progress=None, data=None):
    """Raw 0..255 inputs through np.random.rand weights: the smallest of the ten outputs."""
    data = load_data() if data is None else data
    x = np.asarray(data["pixels_train"][0], dtype=np.float64).reshape(I_N, 1)
    ours = []
    for k in range(starts):
        net = rand_network(np.random.default_rng(k))
        ours.append(float(feedforward(net, x)["o_output"].min()))
        if progress is not None:
            progress((k + 1) / starts)
    return [result(None, 1.0, ours, inputs="raw 0..255", weights="np.random.rand",
                   seeds=list(range(starts)))]


def _from_scratch_experiment(name):
    return Experiment(name, "000", FROM_SCRATCH[name][0],
                      lambda starts, progress=None: run_from_scratch(name, starts, progress),
                      random=True)


EXPERIMENTS = registry(
    Experiment("t000-shapes", "000", "The 3-5-2 toy network's and the MNIST network's shapes",
               run_shapes),
    Experiment("t000-all-ones", "000",
               "Raw pixels 0..255 and all-positive rand weights: every output is 1",
               lambda starts, progress=None: run_all_ones(starts, progress), random=True),
    *(_from_scratch_experiment(name) for name in FROM_SCRATCH),
    Experiment("t000-keras-sgd", "000", "Keras 784-90 ReLU-10 softmax, SGD lr 0.01: error rate",
               lambda starts, progress=None: run_keras("sgd", starts, progress), random=True),
    Experiment("t000-keras-rmsprop", "000",
               "Keras 784-90 ReLU-10 softmax, RMSprop lr 0.001: error rate",
               lambda starts, progress=None: run_keras("rmsprop", starts, progress), random=True),
)
