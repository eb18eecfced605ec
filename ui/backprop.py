"""Backpropagation, step by step: a 2-2-1 ... 2-3-2 network traced stage by stage (no Streamlit).

    setup = Setup(hidden=2, outputs=1, hidden_act="sigmoid", output_act="sigmoid",
                  loss="mse", data="xor")
    model = build(setup, params)                   # engine Dense + Sequential, float64
    X, T = examples(setup)
    tr = trace(model, X, T, setup.loss)            # every z, a, delta and dL/dw
    check = finite_difference(model, X, T, setup.loss, index=0, h=1e-5)

Every number is the engine's: the forward pass is Sequential.forward_cached,
the loss is Sequential.loss_value, the output layer's delta comes from the same
dispatch as Sequential.loss_and_backward (the fused softmax/sigmoid pairs or
loss.grad through the activation's backward), and the layers' backward and
backward_from_z carry it down, layer by layer, exactly as Sequential.backward
does; trace() also runs Sequential.loss_and_backward and keeps its gradients,
which the stage-by-stage ones must equal. The update is the engine's SGD.

The "tutorial 003 derivative" swaps each sigmoid layer's backward for
engine.tutorials.t003.deriv_as_printed (the sigmoid applied twice,
sigma(a)(1 - sigma(a)) in place of a(1 - a)); the forward pass is unchanged, so
the finite differences still measure the true gradient and the check fails.
"""

from dataclasses import dataclass

import numpy as np

from engine import datasets, losses, optimizers
from engine.activations import Sigmoid
from engine.layers import Dense
from engine.model import Sequential, prepare_targets
from engine.tutorials import t003
from ui import catalog

DTYPE = np.float64  # the engine's Dense layers take a dtype: the page works in float64
LOSS_NAMES = ("mse", "binary_cross_entropy", "cross_entropy")  # engine.losses names
HIDDEN_SIZES = (2, 3)
OUTPUT_SIZES = (1, 2)
DATA = {"one": "one training example", "xor": "the four XOR rows"}
DEFAULT_H = 1e-5
AGREE = 1e-4  # relative difference below which backprop and finite differences agree
UPDATES = 100  # "run 100 updates"
INPUT_NAMES = ("x₁", "x₂")

STAGES = (
    ("Start", "The inputs and the starting weights. Every link carries a weight w, every unit "
              "a bias b (in its box). Nothing has been computed yet."),
    ("Forward: hidden layer",
     "Each hidden unit adds up its inputs times the weights on its links, plus its bias: "
     "z = Σ w·x + b. Then it squashes the sum with its activation: a = f(z)."),
    ("Forward: output layer",
     "The output units do the same with the hidden units' a as their inputs. Their a is "
     "the network's answer."),
    ("The loss",
     "The loss compares the answer with the target: one number, large when the answer is "
     "wrong. Training means making it smaller."),
    ("Backward: output layer",
     "δ = ∂L/∂z says how much the loss changes when a unit's z is nudged. For an output unit "
     "it comes straight from the loss. A weight's gradient is the δ of the unit it feeds "
     "times the a at its other end: ∂L/∂w = δ_j · a_i (written on each link)."),
    ("Backward: hidden layer",
     "A hidden unit's δ collects the output δs through the same weights, backwards, times "
     "its own slope: δ_j = f′(z_j) · Σ_k w_jk δ_k. That is the chain rule, and the reason "
     "it is called backpropagation. Then ∂L/∂w = δ_j · a_i again."),
    ("Update",
     "Every weight takes a small step against its gradient: w ← w − η·∂L/∂w (written on "
     "each link). “Apply update” does it; the loss should be smaller on the next forward "
     "pass."),
)


def output_activations(loss):
    """The output activations that fit a loss (engine registry names, through the catalogue).

    mse: any activation with a slope (not step), sigmoid first; binary
    cross-entropy: sigmoid (an output in (0, 1)); cross-entropy: softmax. The
    list does not depend on the number of outputs, so that changing it never
    changes the choices (a selectbox whose options change may fall back to its
    first one). A softmax over one output is always 1: see SOFTMAX_OF_ONE.
    """
    if loss == "binary_cross_entropy":
        return ["sigmoid"]
    if loss == "cross_entropy":
        return ["softmax"]
    names = [n for n in catalog.activation_names() if n not in ("step", "sigmoid")]
    return ["sigmoid", *names]


SOFTMAX_OF_ONE = ("A softmax over one output is always 1, whatever its input: every gradient "
                  "is 0 and nothing is learnt. Choose 2 outputs.")


def outputs_allowed(loss):
    """Cross-entropy over classes needs two outputs (one softmax unit is always 1)."""
    return (2,) if loss == "cross_entropy" else OUTPUT_SIZES


@dataclass(frozen=True)
class Setup:
    hidden: int = 2
    outputs: int = 1
    hidden_act: str = "sigmoid"
    output_act: str = "sigmoid"
    loss: str = "mse"
    data: str = "one"
    x: tuple = (0.05, 0.10)  # the one example's inputs
    target: tuple = (0.99, 0.01)  # its targets (the first `outputs` are used; class for CE)

    @property
    def sizes(self):
        return (2, self.hidden, self.outputs)


@dataclass(frozen=True)
class Param:
    """One weight or bias: its place in the model's flat params and its names."""

    index: int  # into Sequential.params
    layer: int  # 0 (input -> hidden) or 1 (hidden -> output)
    kind: str  # "W" or "b"
    i: int  # source unit (W) or -1 (b)
    j: int  # target unit
    name: str  # e.g. "w(x₁→h₂)", "b(o₁)"
    key: str  # widget key of its box


def unit_names(setup):
    """Names of the units of each column: inputs, hidden, outputs."""
    return [list(INPUT_NAMES), [f"h{k + 1}" for k in range(setup.hidden)],
            [f"o{k + 1}" for k in range(setup.outputs)]]


def parameters(setup):
    """Every weight and bias, in the order of Sequential.params (W row by row, then b)."""
    names = unit_names(setup)
    params, index = [], 0
    for layer, (n_in, n_out) in enumerate(zip(setup.sizes, setup.sizes[1:])):
        for i in range(n_in):
            for j in range(n_out):
                name = f"w({names[layer][i]}→{names[layer + 1][j]})"
                params.append(Param(index, layer, "W", i, j, name, f"bp_w{layer}_{i}_{j}"))
                index += 1
        for j in range(n_out):
            params.append(Param(index, layer, "b", -1, j, f"b({names[layer + 1][j]})",
                                f"bp_b{layer}_{j}"))
            index += 1
    return params


class SigmoidAppliedTwice(Sigmoid):
    """The sigmoid with tutorial 003's derivative: sigma(a)(1 - sigma(a)) in place of a(1 - a)."""

    def backward(self, x, y, grad_out):
        return t003.deriv_as_printed(x, y, grad_out)


def _activation(name, tutorial003):
    return SigmoidAppliedTwice() if tutorial003 and name == "sigmoid" else name


def build(setup, params=None, seed=0, tutorial003=False):
    """The engine's network for the setup, float64; its params set to `params` if given.

    Without params, weights come from the engine's initialiser with `seed` and
    (unlike the engine's zeros) biases from a second generator seeded with it, so
    that every number on the page is worth looking at.
    """
    layers = [Dense(2, setup.hidden, _activation(setup.hidden_act, tutorial003), dtype=DTYPE),
              Dense(setup.hidden, setup.outputs, _activation(setup.output_act, tutorial003),
                    dtype=DTYPE)]
    if params is None:
        model = Sequential(layers, seed=int(seed))
        rng = np.random.default_rng([int(seed), 1])
        for layer in model.layers:
            layer.b = np.round(rng.uniform(-0.5, 0.5, layer.n_out), 2)
        model.params[...] = np.round(model.params, 2)  # short numbers to type and read
    else:
        model = Sequential(layers)
        model.params[...] = np.asarray(params, DTYPE)
    return model


def sigmoid_twice_matters(setup):
    """Whether tutorial 003's derivative changes anything (a sigmoid whose backward is used)."""
    output_fused = losses.get(setup.loss).fused_activation == setup.output_act
    return setup.hidden_act == "sigmoid" or (setup.output_act == "sigmoid" and not output_fused)


def examples(setup):
    """(X, T): inputs (n, 2) float64 and targets in the form the loss takes."""
    loss = losses.get(setup.loss)
    if setup.data == "xor":
        X, y = datasets.logic_gate("xor")
        X = X.astype(DTYPE)
        y = y.astype(np.int64)
        if setup.outputs == 1:
            y = y.astype(DTYPE)
    else:
        X = np.array([setup.x], DTYPE)
        if setup.loss == "cross_entropy":
            y = np.array([int(setup.target[0])], np.int64)
        else:
            y = np.array([setup.target[:setup.outputs]], DTYPE)
    target, _ = prepare_targets(y, setup.outputs, loss, DTYPE)
    return X, target


def dense_targets(T, outputs):
    """Targets as rows (n, outputs), for showing (cross-entropy labels become one-hot)."""
    T = np.asarray(T)
    if T.ndim == 1:
        return np.eye(outputs)[T]
    return T


@dataclass
class Trace:
    """One forward and backward pass, every number kept.

    x[l], z[l], a[l]: layer l's input, net input and output, (n, units);
    delta[l]: dL/dz of layer l, (n, units); grad: dL/dparams (flat, like params);
    engine_grad: Sequential.loss_and_backward's gradients for the same pass.
    """

    params: np.ndarray
    x: list
    z: list
    a: list
    loss: float
    delta: list
    grad: np.ndarray
    engine_grad: np.ndarray


def trace(model, X, T, loss_name):
    """Forward layer by layer, the loss, backward layer by layer (the engine's methods)."""
    loss = losses.get(loss_name)
    with np.errstate(all="ignore"):
        _, caches = model.forward_cached(X)
        value = model.loss_value(caches[-1].a, T, loss, z=caches[-1].z)
        last, cache = model.layers[-1], caches[-1]
        # the output layer's delta, as Sequential.loss_and_backward finds it
        if loss.fused_activation == last.activation.name:
            _, delta_out = loss.fused(cache.z, cache.a, T)
        else:
            delta_out = last.activation.backward(cache.z, cache.a, loss.grad(cache.a, T))
        deltas = [None, delta_out.copy()]
        grad_a_hidden = last.backward_from_z(cache, delta_out)  # fills dW, db of the output layer
        first = model.layers[0]
        deltas[0] = first.activation.backward(caches[0].z, caches[0].a, grad_a_hidden.copy())
        first.backward_from_z(caches[0], deltas[0].copy(), input_grad=False)
        grad = model.grads.copy()
        model.loss_and_backward(caches, T, loss)  # the engine's own pass, to compare
        engine_grad = model.grads.copy()
    return Trace(model.params.copy(), [c.x for c in caches], [c.z for c in caches],
                 [c.a for c in caches], float(value), deltas, grad, engine_grad)


def loss_at(model, X, T, loss_name, params):
    """The engine's loss with the model's params replaced by `params` (put back after)."""
    keep = model.params.copy()
    try:
        model.params[...] = params
        with np.errstate(all="ignore"):
            output, caches = model.forward_cached(X)
            return float(model.loss_value(output, T, losses.get(loss_name), z=caches[-1].z))
    finally:
        model.params[...] = keep


@dataclass(frozen=True)
class Check:
    backprop: float
    loss_plus: float
    loss_minus: float
    numeric: float
    relative: float

    @property
    def agrees(self):
        return bool(self.relative < AGREE)


def relative_difference(a, b):
    """|a − b| / max(|a|, |b|), 0 when both are 0."""
    scale = max(abs(a), abs(b))
    if not np.isfinite(scale):
        return float("nan") if a != b or not np.isfinite(a - b) else 0.0
    return 0.0 if scale == 0 else abs(a - b) / scale


def finite_difference(model, X, T, loss_name, index, h, backprop_value):
    """The central difference (L(w+h) − L(w−h)) / 2h for params[index], against backprop's."""
    h = float(h)
    plus, minus = model.params.copy(), model.params.copy()
    plus[index] += h
    minus[index] -= h
    lp = loss_at(model, X, T, loss_name, plus)
    lm = loss_at(model, X, T, loss_name, minus)
    with np.errstate(all="ignore"):
        numeric = (lp - lm) / (2.0 * h)
        relative = relative_difference(float(backprop_value), float(numeric))
    return Check(float(backprop_value), lp, lm, float(numeric), relative)


def chain_rule(tr, param, row_names=None):
    """The product for one parameter, with numbers: (formula, terms, total).

    terms is a list of (row label, delta_j, a_i) — a_i is 1 for a bias — one per
    example; the gradient is their sum of products (the loss is a mean, so each
    delta already holds its 1/n).
    """
    delta = tr.delta[param.layer][:, param.j]
    if param.kind == "b":
        a = np.ones_like(delta)
    else:
        a = tr.x[param.layer][:, param.i]
    rows = row_names or [f"row {r + 1}" for r in range(len(delta))]
    terms = [(rows[r], float(delta[r]), float(a[r])) for r in range(len(delta))]
    return terms, float(tr.grad[param.index])


def sgd_update(model, grad, lr):
    """w ← w − η·∂L/∂w with the engine's SGD, in place on model.params."""
    optimizers.get("sgd", lr=lr).step(model.params, np.asarray(grad, DTYPE).copy())


def run_updates(model, X, T, loss_name, lr, n=UPDATES):
    """n full-batch steps (engine backward + engine SGD); the loss before each, and after."""
    loss = losses.get(loss_name)
    opt = optimizers.get("sgd", lr=lr)
    values = []
    with np.errstate(all="ignore"):
        for _ in range(n):
            _, caches = model.forward_cached(X)
            values.append(float(model.loss_and_backward(caches, T, loss)))
            if not np.isfinite(values[-1]):
                break
            opt.step(model.params, model.grads)
        values.append(loss_at(model, X, T, loss_name, model.params))
    return values
