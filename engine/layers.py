"""Layers: the building blocks of a network.

A layer has a tiny interface (as in micrograd and Keras):

    forward(x, training=False)   -> output, remembering what backward needs
    backward(grad_out)           -> gradient with respect to the input,
                                    storing the gradients of the parameters
    parameters(), gradients()    -> lists of arrays, in the same order

A Dense layer computes a = f(x @ W + b) for a batch x of shape (n, n_in):
W has shape (n_in, n_out), b has shape (n_out,), a has shape (n, n_out).
"""

import numpy as np

from . import activations

INITIALISERS = ("normal", "glorot", "he")


def init_weights(n_in, n_out, method, rng, dtype=np.float32):
    """Random starting weights of shape (n_in, n_out).

    normal: N(0, 1/n_in), the tutorial's normal(0, n_in ** -0.5)
    glorot: Uniform(-r, r), r = sqrt(6 / (n_in + n_out))  (Keras's default)
    he:     N(0, 2/n_in), for ReLU layers
    """
    if method == "normal":
        w = rng.normal(0.0, n_in ** -0.5, size=(n_in, n_out))
    elif method == "glorot":
        r = (6.0 / (n_in + n_out)) ** 0.5
        w = rng.uniform(-r, r, size=(n_in, n_out))
    elif method == "he":
        w = rng.normal(0.0, (2.0 / n_in) ** 0.5, size=(n_in, n_out))
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
        self.needs_input_grad = True
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
        """z = x @ W + b, a = f(z). Remembers x, z and a for backward."""
        z = x @ self._W
        z += self._b
        a = self.activation.forward(z, training)
        self._x, self._z, self._a = x, z, a
        return a

    def backward(self, grad_a):
        """Given dL/da (n, n_out), store dL/dW, dL/db and return dL/dx.

        dL/dz = dL/da * f'(z)         (the activation's backward)
        dL/dW = x.T @ dL/dz,  dL/db = sum of dL/dz over the batch
        dL/dx = dL/dz @ W.T           (skipped for a first layer)
        grad_a may be overwritten.
        """
        grad_z = self.activation.backward(self._z, self._a, grad_a)
        return self.backward_from_z(grad_z)

    def backward_from_z(self, grad_z):
        """The part of backward after the activation, given dL/dz."""
        np.matmul(self._x.T, grad_z, out=self.dW)
        np.sum(grad_z, axis=0, out=self.db)
        if not self.needs_input_grad:
            return None
        return grad_z @ self._W.T

    def config(self):
        """What save_model records about this layer."""
        return {"type": "dense", "n_in": self.n_in, "n_out": self.n_out,
                "activation": self.activation.name, "activation_params": self.activation.params,
                "init": self.init}

    def __repr__(self):
        return f"Dense({self.n_in}, {self.n_out}, activation={self.activation.name!r})"


def _checked(value, shape, name):
    value = np.asarray(value)
    if value.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {value.shape}")
    return value
