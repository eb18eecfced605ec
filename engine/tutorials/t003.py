"""Tutorial 003: one sigmoid neuron learns OR, with its derivative applied twice (see __init__.py).

What the tutorial did: X = the four inputs [0,0], [0,1], [1,0], [1,1],
y = [0, 1, 1, 1] (OR), weights [0.1, 0.2], bias 0.3, learning rate 0.05, and
in a cell `for epochs in range(1000)`, on all four points at once:

    in_feed = X @ weights + bias;  out = sigmoid(in_feed)
    error = out - y;               print(error.sum())
    deriv = error * sigmoid_der(out)
    weights -= lr * X.T @ deriv
    for i in deriv: bias -= lr * i            # the bias loses lr * (sum of deriv)

with sigmoid_der(x) = sigmoid(x) * (1 - sigmoid(x)). Then it printed the
weights (7.20642565, 7.20667957), the bias -3.24934367 and the outputs
0.98123985 for [1, 0], 0.99998582 for [1, 1] and 0.03735048 for [0, 0].

Where its code differs from its maths:

* `sigmoid_der(out)` applies the sigmoid twice: it is sigma'(out), the slope
  at the OUTPUT, where the chain rule needs sigma'(in_feed) = out (1 - out),
  the slope at the net input. Since out is in (0, 1), sigma(out) is in
  (0.5, 0.73) and sigma'(out) in (0.197, 0.25): nearly constant, so the bug
  never lets the slope vanish as the unit saturates. It learns faster than
  the exact rule (which multiplies by out (1 - out), small near 0 and 1), but
  it is not the gradient of anything the tutorial wrote down.
  The exact rule: with error = out - y, deriv = error * out (1 - out) is
  dE/d(in_feed) of E = 1/2 sum (out - y)^2, the error in the cell's comment.
* One run of the cell (1,000 epochs, as printed) gives (2.64322, 2.66227),
  bias -0.779374 and outputs 0.866, 0.989, 0.314. The printed figures are
  what 11,010 epochs give (to all printed digits): the notebook cell was run
  again and again, and its printed error sums are epochs 10,011 to 10,053 of
  that sequence, the first lines of the last run (the last line is cut in
  the page: -0.000146...).
* What `error.sum()` means: the sum of the SIGNED errors. Errors of opposite
  sign cancel, so it can be near 0 while points are wrong (all four outputs
  0.75 give exactly 0, with [0, 0] on the wrong side), and its printed
  -0.000146 hides the output 0.037 for [0, 0] (off by 0.037) against three
  outputs just under 1. The sum of squared errors cannot cancel:
  `error_sums` gives both and the count of wrong points.

The exact rule's numbers are the engine's: one of its epochs is the
SigmoidNeuron update with the mean squared error and learning rate 2 lr
(the mean over 4 points times 2 against the tutorial's sum times 1/2); the
tests check it.

Experiment: t003-or-neuron (variants "as-printed" at 11,010 and 1,000 epochs,
"exact" at 1,000 and 11,010 epochs).
"""

import math
import numbers

import numpy as np

from ..activations import get as get_activation
from .experiment import Experiment, registry, result

SIGMOID = get_activation("sigmoid")  # fn(z) = 1 / (1 + e^-z), grad(z) = fn(z) (1 - fn(z))

X = ((0, 0), (0, 1), (1, 0), (1, 1))
Y = (0, 1, 1, 1)  # OR
START_WEIGHTS = (0.1, 0.2)
START_BIAS = 0.3
LEARNING_RATE = 0.05
CELL_EPOCHS = 1_000  # `for epochs in range(1000)`
PRINTED_EPOCHS = 11_010  # what the printed weights, bias and checks took
RULES = ("as-printed", "exact")

# The printed error sums are epochs 10,011 to 10,053 (1-based); the last line is cut.
PRINTED_SUMS_FIRST_EPOCH = 10_011
PRINTED_SUMS = (
    -0.0001441677177577566, -0.0001442118430388592, -0.0001442559474823385,
    -0.0001443000310991302, -0.0001443440938982063, -0.00014438813588955185,
    -0.0001444321570829507, -0.0001444761574890957, -0.00014452013711668127,
    -0.00014456409597597697, -0.00014460803407687767, -0.0001446519514292366,
    -0.00014469584804283064, -0.00014473972392706203, -0.00014478357909237377,
    -0.0001448274135482791, -0.000144871227304659, -0.0001449150203709504,
    -0.00014495879275737422, -0.0001450025444734021, -0.00014504627552924115,
    -0.00014508998593404376, -0.00014513367569780194, -0.00014517734483039668,
    -0.00014522099334165345, -0.00014526462124090506, -0.00014530822853860148,
    -0.00014535181524401308, -0.00014539538136659758, -0.00014543892691622207,
    -0.00014548245190303816, -0.00014552595633644805, -0.0001455694402262911,
    -0.00014561290358178214, -0.000145656346413163, -0.00014569976872997464,
    -0.00014574317054204255, -0.0001457865518587828, -0.00014582991269005557,
    -0.00014587325304505488, -0.00014591657293414745, -0.00014595987236717956,
    -0.000146,  # cut in the page after 6 digits
)
PRINTED = {
    "weights": [7.20642565, 7.20667957],
    "bias": -3.24934367,
    "output_1_0": 0.98123985,  # sample_point [1, 0]
    "output_1_1": 0.99998582,  # [1, 1]
    "output_0_0": 0.03735048,  # [0, 0]
    "error_sums": list(PRINTED_SUMS),
}
CHECK_POINTS = {"output_1_0": (1, 0), "output_1_1": (1, 1), "output_0_0": (0, 0)}


def deriv_as_printed(in_feed, out, error):
    """The tutorial's `error * sigmoid_der(out)`: sigma'(out) = sigma(out) (1 - sigma(out)). A bug."""
    return error * SIGMOID.grad(out)  # the slope taken at the output: the sigmoid applied twice


def deriv_exact(in_feed, out, error):
    """error * sigma'(in_feed) = error * out (1 - out): the chain rule, as the engine's layers do it."""
    return SIGMOID.backward(in_feed, out, error.copy())  # multiplies by out (1 - out)


DERIVATIVES = {"as-printed": deriv_as_printed, "exact": deriv_exact}


def _check(epochs, rule, learning_rate):
    if not isinstance(epochs, numbers.Integral) or isinstance(epochs, bool) or epochs < 0:
        raise ValueError(f"epochs must be an integer >= 0; got {epochs!r}")
    if rule not in DERIVATIVES:
        raise ValueError(f"rule must be one of {', '.join(map(repr, RULES))}; got {rule!r}")
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, numbers.Real) \
            or not math.isfinite(learning_rate) or learning_rate <= 0:
        raise ValueError(f"learning_rate must be a positive finite number; got {learning_rate!r}")


def outputs(weights, bias, points=X):
    """sigmoid(points @ weights + bias): the unit's output for each point, shape (len(points),)."""
    return SIGMOID.fn(np.asarray(points, dtype=np.float64) @ np.asarray(weights, np.float64)
                      + float(bias))


def train_or_neuron(epochs=CELL_EPOCHS, rule="as-printed", learning_rate=LEARNING_RATE,
                    weights=START_WEIGHTS, bias=START_BIAS, progress=None):
    """The tutorial's loop for `epochs` epochs, full batch, by `rule` ("as-printed" or "exact").

    Returns {"weights": (2,) array, "bias": float, "error_sums": (epochs,) array of
    the printed `error.sum()` of each epoch (before its update), "outputs": (4,)
    outputs for X after training, "weights_history": (epochs + 1, 2) and
    "bias_history": (epochs + 1,), the parameters after 0, 1, ..., epochs epochs}.
    `after(run, n)` gives the same run stopped after n epochs, without training
    again. `progress(fraction)` is called now and then.
    """
    _check(epochs, rule, learning_rate)
    derivative = DERIVATIVES[rule]
    lr = float(learning_rate)
    inputs = np.array(X, dtype=np.float64)
    inputs_t = np.ascontiguousarray(inputs.T)
    y = np.array(Y, dtype=np.float64)
    weights = np.array(weights, dtype=np.float64)
    bias = float(bias)
    error_sums = np.empty(epochs)
    weights_history = np.empty((epochs + 1, 2))
    bias_history = np.empty(epochs + 1)
    weights_history[0], bias_history[0] = weights, bias
    for epoch in range(epochs):
        in_feed = inputs @ weights + bias  # feedforward input
        out = SIGMOID.fn(in_feed)  # feedforward output
        error = out - y  # dE/dout of E = 1/2 sum (out - y)^2
        error_sums[epoch] = error.sum()  # the tutorial's print(x)
        deriv = derivative(in_feed, out, error)  # dE/d(in_feed), if the derivative is right
        weights -= lr * (inputs_t @ deriv)  # np.dot(X.T, deriv)
        for i in deriv.tolist():  # `for i in deriv: bias -= lr * i`, in the same order
            bias -= lr * i
        weights_history[epoch + 1], bias_history[epoch + 1] = weights, bias
        if progress is not None and epoch % 1000 == 999:
            progress((epoch + 1) / epochs)
    return {"weights": weights, "bias": bias, "error_sums": error_sums,
            "outputs": outputs(weights, bias), "weights_history": weights_history,
            "bias_history": bias_history}


def after(run, epochs):
    """A run of train_or_neuron as it stood after its first `epochs` epochs (0 to all of them)."""
    total = len(run["error_sums"])
    if not isinstance(epochs, numbers.Integral) or isinstance(epochs, bool) \
            or not 0 <= epochs <= total:
        raise ValueError(f"epochs must be an integer from 0 to {total}; got {epochs!r}")
    weights = run["weights_history"][epochs].copy()
    bias = float(run["bias_history"][epochs])
    return {"weights": weights, "bias": bias, "error_sums": run["error_sums"][:epochs].copy(),
            "outputs": outputs(weights, bias),
            "weights_history": run["weights_history"][:epochs + 1].copy(),
            "bias_history": run["bias_history"][:epochs + 1].copy()}


def error_sums(weights, bias, points=X, targets=Y):
    """What the unit's errors add up to, three ways, at these weights and bias.

    {"signed": sum of (out - y), the tutorial's `error.sum()`; errors of
     opposite sign cancel, so it can be 0 while points are wrong,
     "squared": sum of (out - y)^2, which cannot cancel,
     "wrong": how many points are on the wrong side of 1/2}
    """
    out = outputs(weights, bias, points)
    y = np.asarray(targets, dtype=np.float64)
    error = out - y
    return {"signed": float(error.sum()), "squared": float(np.sum(error ** 2)),
            "wrong": int(np.sum((out >= 0.5) != (y >= 0.5)))}


def summary(run):
    """A run of train_or_neuron as PRINTED's keys (error_sums: the printed epochs, if reached)."""
    sums = run["error_sums"]
    first = PRINTED_SUMS_FIRST_EPOCH - 1
    shown = sums[first:first + len(PRINTED_SUMS)]
    checks = outputs(run["weights"], run["bias"], list(CHECK_POINTS.values()))
    return {
        "weights": [float(w) for w in run["weights"]],
        "bias": float(run["bias"]),
        **{key: float(value) for key, value in zip(CHECK_POINTS, checks)},
        "error_sums": [float(s) for s in shown] if len(shown) == len(PRINTED_SUMS) else None,
    }


def _run(starts=None, progress=None):
    plan = [("as-printed", PRINTED_EPOCHS), ("as-printed", CELL_EPOCHS),
            ("exact", CELL_EPOCHS), ("exact", PRINTED_EPOCHS)]
    total = sum(epochs for _, epochs in plan)
    done, results = 0, []
    for rule, epochs in plan:
        def part(fraction, done=done, epochs=epochs):
            if progress is not None:
                progress((done + fraction * epochs) / total)
        ours = summary(train_or_neuron(epochs, rule, progress=part))
        done += epochs
        derivative = ("sigmoid_der(out) = sigma(out) (1 - sigma(out))" if rule == "as-printed"
                      else "sigma'(in_feed) = out (1 - out)")
        note = ("the printed figures are what 11,010 epochs give; the cell was run again and "
                f"again; the printed error sums are epochs {PRINTED_SUMS_FIRST_EPOCH:,}-"
                f"{PRINTED_SUMS_FIRST_EPOCH + len(PRINTED_SUMS) - 1:,}, the last one cut")
        results.append(result(rule, dict(PRINTED), ours, epochs=epochs,
                              learning_rate=LEARNING_RATE, weights=list(START_WEIGHTS),
                              bias=START_BIAS, derivative=derivative, note=note))
    if progress is not None:
        progress(1.0)
    return results


EXPERIMENTS = registry(
    Experiment("t003-or-neuron", "003",
               "The OR neuron: lr 0.05, full batch, the sigmoid's derivative applied twice", _run),
)
