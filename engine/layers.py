"""Layers: the building blocks of a network.

A layer has a tiny interface (as in micrograd and Keras):

    forward(x, training=False)         -> output a
    forward_cached(x, training=False)  -> (a, cache), the cache holding what
                                          backward needs: (x, z, a)
    backward(cache, grad_a)            -> dL/dx, storing dL/dW and dL/db
    parameters(), gradients()          -> lists of arrays, in the same order

A Dense layer computes a = f(x @ W + b) for a batch x of shape (n, n_in):
W has shape (n_in, n_out), b has shape (n_out,), a has shape (n, n_out).

A forward pass stores nothing on the layer: what backward needs travels in
the cache, which belongs to the caller. So one model can be trained in one
thread while another thread draws its predictions on a grid:

    >>> layer = Dense(2, 3, "tanh")
    >>> a, cache = layer.forward_cached(x)       # x of shape (n, 2)
    >>> layer.forward(other_x)                   # does not disturb cache
    >>> grad_x = layer.backward(cache, grad_a)   # fills layer.dW, layer.db
"""

from typing import NamedTuple

import numpy as np

from . import activations

INITIALISERS = ("normal", "glorot", "he", "keras_normal")
KERAS_NORMAL_STD = 0.05  # keras.initializers.RandomNormal()'s default stddev


def init_weights(n_in, n_out, method, rng, dtype=np.float32):
    """Random starting weights of shape (n_in, n_out).

    normal: N(0, 1/n_in), the tutorial's normal(0, n_in ** -0.5)
    glorot: Uniform(-r, r), r = sqrt(6 / (n_in + n_out))  (Keras's default)
    he:     N(0, 2/n_in), for ReLU layers
    keras_normal: N(0, 0.05^2) whatever the size: Keras's kernel_initializer="normal",
            which tutorial 000's Keras network uses
    """
    if method == "normal":
        w = rng.normal(0.0, n_in ** -0.5, size=(n_in, n_out))
    elif method == "glorot":
        r = (6.0 / (n_in + n_out)) ** 0.5
        w = rng.uniform(-r, r, size=(n_in, n_out))
    elif method == "he":
        w = rng.normal(0.0, (2.0 / n_in) ** 0.5, size=(n_in, n_out))
    elif method == "keras_normal":
        w = rng.normal(0.0, KERAS_NORMAL_STD, size=(n_in, n_out))
    else:
        raise ValueError(f"unknown init {method!r}; known: {', '.join(INITIALISERS)}")
    return w.astype(dtype)


def _positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


class Dense:
    """A fully connected layer: a = activation(x @ W + b).

    Args:
        n_in: number of inputs per sample.
        n_out: number of units (outputs per sample).
        activation: a name from engine.activations ("relu", "sigmoid", ...)
            or an Activation object such as activations.get("leaky_relu", slope=0.2).
        init: "normal" (the tutorial's), "glorot" (default) or "he".
        seed: seed of the random starting weights (a Sequential model with a
            seed re-draws them from its own generator).

    W (n_in, n_out) and b (n_out,) can be read and set in place:
    `layer.W[...] = values`, or `layer.W = values` (copied, shape checked).
    """

    def __init__(self, n_in, n_out, activation="linear", init="glorot", seed=0,
                 dtype=np.float32):
        self.n_in = _positive_int(n_in, "n_in")
        self.n_out = _positive_int(n_out, "n_out")
        self.activation = activations.get(activation)
        if init not in INITIALISERS:
            raise ValueError(f"unknown init {init!r}; known: {', '.join(INITIALISERS)}")
        self.init = init
        self.dtype = np.dtype(dtype)
        self._W = np.empty((self.n_in, self.n_out), self.dtype)
        self._b = np.zeros(self.n_out, self.dtype)
        self.dW = np.zeros_like(self._W)
        self.db = np.zeros_like(self._b)
        self.initialise(np.random.default_rng(seed))

    def initialise(self, rng):
        """Draw new weights with `rng`; biases start at zero."""
        self._W[...] = init_weights(self.n_in, self.n_out, self.init, rng, self.dtype)
        self._b[...] = 0.0

    @property
    def W(self):
        return self._W

    @W.setter
    def W(self, value):
        self._W[...] = _checked(value, self._W.shape, "W")

    @property
    def b(self):
        return self._b

    @b.setter
    def b(self, value):
        self._b[...] = _checked(value, self._b.shape, "b")

    def parameters(self):
        return [self._W, self._b]

    def gradients(self):
        return [self.dW, self.db]

    def use_buffers(self, params, grads):
        """Keep W, b, dW, db in the given arrays (views into a model's flat buffers)."""
        params[0][...] = self._W
        params[1][...] = self._b
        self._W, self._b = params
        self.dW, self.db = grads

    def forward(self, x, training=False):
        """a = f(x @ W + b) for a batch x of shape (n, n_in). Stores nothing."""
        z = x @ self._W
        z += self._b
        return self.activation.forward(z, training)

    def forward_cached(self, x, training=False):
        """(a, cache): the output and what backward needs, Cache(x, z, a).

        z = x @ W + b is the net input, a = f(z) the output. The cache is the
        caller's: keep it until backward (the layer keeps no copy).
        """
        z = x @ self._W
        z += self._b
        a = self.activation.forward(z, training)
        return a, Cache(x, z, a)

    def backward(self, cache, grad_a, *, input_grad=True, param_grads=True):
        """Given dL/da (n, n_out) for the forward pass that made `cache`: dL/dx.

        dL/dz = dL/da * f'(z)         (the activation's backward)
        dL/dW = x.T @ dL/dz,  dL/db = sum of dL/dz over the batch
        dL/dx = dL/dz @ W.T

        param_grads=True writes dL/dW and dL/db into self.dW and self.db;
        input_grad=False skips dL/dx (a first layer has nothing below it to
        update) and returns None. grad_a may be overwritten.
        """
        grad_z = self.activation.backward(cache.z, cache.a, grad_a)
        return self.backward_from_z(cache, grad_z, input_grad=input_grad,
                                    param_grads=param_grads)

    def backward_from_z(self, cache, grad_z, *, input_grad=True, param_grads=True):
        """The part of backward after the activation, given dL/dz (n, n_out)."""
        if param_grads:
            np.matmul(cache.x.T, grad_z, out=self.dW)
            np.sum(grad_z, axis=0, out=self.db)
        if not input_grad:
            return None
        return grad_z @ self._W.T

    def config(self):
        """What save_model records about this layer."""
        return {"type": "dense", "n_in": self.n_in, "n_out": self.n_out,
                "activation": self.activation.name, "activation_params": self.activation.params,
                "init": self.init}

    def __repr__(self):
        return f"Dense({self.n_in}, {self.n_out}, activation={self.activation.name!r})"


def merge_linear(first, second):
    """One linear layer that computes what two linear layers in a row compute.

    second(first(x)) = (x W1 + b1) W2 + b2 = x (W1 W2) + (b1 W2 + b2),
    so stacking linear layers gains nothing: W = W1 W2, b = b1 W2 + b2.
    """
    for layer in (first, second):
        if layer.activation.name != "linear":
            raise ValueError(f"merge_linear needs linear layers, got {layer!r}")
    if first.n_out != second.n_in:
        raise ValueError(f"first has {first.n_out} outputs but second expects {second.n_in} inputs")
    merged = Dense(first.n_in, second.n_out, "linear", dtype=first.dtype)
    merged.W = first.W @ second.W
    merged.b = first.b @ second.W + second.b
    return merged


class Cache(NamedTuple):
    """What Dense.backward needs from one forward pass: its input x, net input z, output a."""

    x: np.ndarray
    z: np.ndarray
    a: np.ndarray


def _checked(value, shape, name):
    value = np.asarray(value)
    if value.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {value.shape}")
    return value
