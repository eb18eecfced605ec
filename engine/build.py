"""Building a network from a few settings: the sizes a learner types, and an MLP.

    >>> parse_hidden("256,128")
    [256, 128]
    >>> model = build_mlp([784, 256, 128, 10], "relu", "softmax", seed=0)
    >>> model.sizes
    [784, 256, 128, 10]

The command line and the app's pages build their models here, so the same
settings give the same starting weights everywhere.
"""

import numpy as np

from .layers import Dense
from .model import Sequential

MAX_DIGITS = 9  # in a typed size
MAX_SIZE = 10**MAX_DIGITS - 1
HIDDEN_FORMAT = ("write the number of units of each hidden layer, separated by commas, "
                 "e.g. 90 or 256,128, or none")


def parse_hidden(text, *, max_layers=None, max_units=None):
    """Hidden layer sizes from what a learner typed: "256,128" -> [256, 128].

    parse_hidden("90")          -> [90]
    parse_hidden(" 256, 128 ")  -> [256, 128]    (spaces around sizes are ignored)
    parse_hidden("")            -> []             (no hidden layer; "none" too, any case)
    parse_hidden([64, 32])      -> [64, 32]       (a list or tuple is checked the same way)

    Args:
        text: the sizes separated by commas, or a list/tuple of ints.
        max_layers: at most this many hidden layers (None: no limit).
        max_units: at most this many units per layer (None: no limit).

    Raises:
        ValueError with a message for the learner, which callers prefix with
        e.g. "Hidden layers: ". "abc", "90,,10", "-5", "4.5" and "²" are not
        whole numbers; "0" is a whole number but too few units, and a number
        of more than 9 digits too many.
    """
    if isinstance(text, (list, tuple)):
        shown = ",".join(map(str, text))
        if not all(isinstance(size, (int, np.integer)) and not isinstance(size, bool)
                   for size in text):
            raise ValueError(f"{HIDDEN_FORMAT}; got {shown!r}")
        sizes = [int(size) for size in text]
    elif isinstance(text, str):
        shown = text
        stripped = text.strip()
        if stripped == "" or stripped.lower() == "none":
            return []
        parts = [part.strip() for part in stripped.split(",")]
        if not all(part.isascii() and part.isdigit() for part in parts):
            raise ValueError(f"{HIDDEN_FORMAT}; got {shown!r}")
        digits = max(len(part.lstrip("0")) for part in parts)
        if digits > MAX_DIGITS:  # no one can build such a layer, and int() refuses 4300 digits
            most = f"1 to {max_units}" if max_units is not None else f"at most {MAX_SIZE:,}"
            raise ValueError(f"each hidden layer needs {most} units, got a number of "
                             f"{digits:,} digits")
        sizes = [int(part) for part in parts]
    else:
        raise ValueError(f"{HIDDEN_FORMAT}; got {text!r} of type {type(text).__name__}")
    if max_layers is not None and len(sizes) > max_layers:
        raise ValueError(f"at most {max_layers} hidden layers, got {len(sizes)}")
    if max_units is None:
        if any(size < 1 for size in sizes):
            raise ValueError(f"each hidden layer needs at least 1 unit, got {shown!r}")
    elif not all(1 <= size <= max_units for size in sizes):
        raise ValueError(f"each hidden layer needs 1 to {max_units} units, got {shown!r}")
    return sizes


def build_mlp(sizes, activation, output, *, init="glorot", seed=None, input_scaling=None):
    """A multi-layer perceptron: Dense layers of the given sizes, one after another.

    build_mlp([784, 90, 10], "sigmoid", "sigmoid", init="normal", seed=0,
              input_scaling="tutorial")
    is the tutorial's 784-90-10 network of sigmoid units, and

    build_mlp([2, 8, 8, 1], ["tanh", "relu"], "sigmoid", seed=3)

    has a tanh layer, then a ReLU layer, then one sigmoid output.

    Args:
        sizes: [n_inputs, *hidden sizes, n_outputs], e.g. [784, 256, 128, 10].
        activation: the hidden layers' activation, one name for all of them or
            a list with one name per hidden layer (see engine.activations).
        output: the output layer's activation, e.g. "softmax" or "sigmoid".
        init: "normal", "glorot" or "he" (see engine.layers.init_weights).
        seed: seed of the starting weights, drawn for all layers from one
            generator (see Sequential).
        input_scaling: None or a name from engine.mnist.SCALINGS (see Sequential).

    Returns:
        A Sequential model.
    """
    sizes = list(sizes) if isinstance(sizes, (list, tuple)) else sizes
    if not isinstance(sizes, list) or len(sizes) < 2:
        raise ValueError(f"sizes must be a list [n_inputs, *hidden, n_outputs] of at least "
                         f"two sizes, got {sizes!r}")
    n_hidden = len(sizes) - 2
    if isinstance(activation, (list, tuple)):
        hidden_activations = list(activation)
        if len(hidden_activations) != n_hidden:
            raise ValueError(f"activation must be one name, or a list of one name per hidden "
                             f"layer ({n_hidden}), got {len(hidden_activations)}: {activation!r}")
    else:
        hidden_activations = [activation] * n_hidden
    layers = [Dense(n_in, n_out, act, init=init)
              for n_in, n_out, act in zip(sizes[:-2], sizes[1:-1], hidden_activations)]
    layers.append(Dense(sizes[-2], sizes[-1], output, init=init))
    return Sequential(layers, seed=seed, input_scaling=input_scaling)
