"""Activation functions: each one's value next to its derivative.

An activation f is applied to a layer's net input z = x @ W + b, element by
element (softmax works on whole rows). Backpropagation needs the derivative
f'(z): the layer multiplies the gradient arriving from above by it.

Every activation here is an object with

    fn(x)                    the value f(x)
    grad(x)                  the derivative df/dx, same shape as x
                             (softmax: the Jacobian, shape (n, k, k))
    backward(x, y, g)        the gradient with respect to x given g = dL/dy,
                             where y = fn(x); by default g * grad(x), written
                             faster where f' can be read off y (sigmoid:
                             y(1 - y)). It may overwrite g.

and the facts the Activations page tabulates (output range, zero-centred,
monotonic, saturates, units can die) plus one sentence on where it is used.

Look one up by name:

    >>> from engine import activations
    >>> relu = activations.get("relu")
    >>> relu.fn(np.array([-2.0, 3.0]))
    array([0., 3.])

`get("leaky_relu", slope=0.2)` passes parameters. Every call returns a new
object. An activation remembers nothing between forward and backward
(backward is given x and y), so a model can predict in one thread while it
trains in another; only randomized ReLU has state, the random generator its
training passes draw slopes from.
"""

import math
import numbers
import reprlib

import numpy as np


class Activation:
    """Base class: an element-wise function and its derivative."""

    name = ""
    output_range = ""
    zero_centred = False
    monotonic = True
    saturates = False
    dying_units = False
    used_for = ""

    def fn(self, x):
        raise NotImplementedError

    def grad(self, x):
        raise NotImplementedError

    def forward(self, x, training=False):
        """f(x) during training or inference (only rrelu tells them apart)."""
        return self.fn(x)

    def backward(self, x, y, grad_out):
        """dL/dx = dL/dy * f'(x). May overwrite grad_out."""
        grad_out *= self.grad(x)
        return grad_out

    def curve(self, x):
        """(f(x), f'(x)) on a 1-D grid x, to draw the function and its slope."""
        return self.fn(x), self.grad(x)

    @property
    def params(self):
        """The activation's parameters, as saved with a model."""
        return {}

    def properties(self):
        """The facts the Activations page shows, as a dict."""
        return {
            "name": self.name,
            "output range": self.output_range,
            "zero-centred": self.zero_centred,
            "monotonic": self.monotonic,
            "saturates": self.saturates,
            "units can die": self.dying_units,
            "used for": self.used_for,
        }

    def __repr__(self):
        args = ", ".join(f"{k}={v}" for k, v in self.params.items())
        return f"{type(self).__name__}({args})"


class Step(Activation):
    """f(x) = 1 if x >= 0 else 0: the classic perceptron's threshold unit.

    Its derivative is 0 everywhere (undefined at 0), so gradient descent
    cannot train it; the perceptron rule does instead.
    """

    name = "step"
    output_range = "{0, 1}"
    saturates = True
    used_for = "The classic perceptron: a hard yes/no decision, trained by the perceptron rule."

    def fn(self, x):
        return (x >= 0).astype(x.dtype)

    def grad(self, x):
        return np.zeros_like(x)


class Linear(Activation):
    """f(x) = x; f'(x) = 1. The identity: outputs for regression."""

    name = "linear"
    output_range = "(-inf, inf)"
    zero_centred = True
    used_for = "Regression outputs, and logits that a loss turns into probabilities."

    def fn(self, x):
        return x

    def grad(self, x):
        return np.ones_like(x)

    def backward(self, x, y, grad_out):
        return grad_out


class Sigmoid(Activation):
    """f(x) = 1 / (1 + e^-x); f'(x) = f(x) (1 - f(x)).

    Computed as (1 + tanh(x/2)) / 2, the same function, which never
    overflows for large negative x.
    """

    name = "sigmoid"
    output_range = "(0, 1)"
    saturates = True
    used_for = "Probabilities: the output of a yes/no (binary) classifier."

    def fn(self, x):
        y = np.tanh(x * 0.5)
        y += 1.0
        y *= 0.5
        return y

    def grad(self, x):
        y = self.fn(x)
        return y * (1.0 - y)

    def backward(self, x, y, grad_out):
        grad_out *= y
        grad_out *= 1.0 - y
        return grad_out


class Tanh(Activation):
    """f(x) = tanh(x); f'(x) = 1 - tanh(x)^2."""

    name = "tanh"
    output_range = "(-1, 1)"
    zero_centred = True
    saturates = True
    used_for = "Hidden layers of small networks and recurrent networks: a zero-centred sigmoid."

    def fn(self, x):
        return np.tanh(x)

    def grad(self, x):
        return 1.0 - np.tanh(x) ** 2

    def backward(self, x, y, grad_out):
        grad_out *= 1.0 - y * y
        return grad_out


class ReLU(Activation):
    """f(x) = max(0, x); f'(x) = 1 if x > 0 else 0."""

    name = "relu"
    output_range = "[0, inf)"
    dying_units = True
    used_for = "The default for hidden layers: cheap, and its gradient does not fade for x > 0."

    def fn(self, x):
        return np.maximum(x, 0.0)

    def grad(self, x):
        return (x > 0).astype(x.dtype)

    def backward(self, x, y, grad_out):
        np.multiply(grad_out, y > 0, out=grad_out)
        return grad_out


class LeakyReLU(Activation):
    """f(x) = x if x >= 0 else slope * x; f'(x) = 1 or slope."""

    name = "leaky_relu"
    output_range = "(-inf, inf)"
    used_for = "Hidden layers, where a small slope for x < 0 keeps units from dying."

    def __init__(self, slope=0.01):
        slope = float(slope)
        if not 0.0 <= slope < 1.0:
            raise ValueError(f"leaky_relu: slope must be in [0, 1), got {slope}")
        self.slope = slope

    @property
    def params(self):
        return {"slope": self.slope}

    def fn(self, x):
        return np.where(x >= 0, x, x * self.slope)

    def grad(self, x):
        return np.where(x >= 0, 1.0, self.slope).astype(x.dtype)


class RandomizedReLU(Activation):
    """Randomized leaky ReLU (RReLU): f(x) = x if x >= 0 else a * x.

    In training each element draws its own slope a ~ Uniform(lower, upper);
    at inference a is fixed at the mean (lower + upper) / 2, as in PyTorch's
    nn.RReLU. `fn` and `grad` show the inference curve.
    """

    name = "rrelu"
    output_range = "(-inf, inf)"
    used_for = "Hidden layers; the random slope acts as a regulariser against overfitting."

    def __init__(self, lower=1 / 8, upper=1 / 3, seed=0):
        lower, upper = float(lower), float(upper)
        if not 0.0 <= lower <= upper < 1.0:
            raise ValueError(
                f"rrelu: need 0 <= lower <= upper < 1, got lower={lower}, upper={upper}")
        self.lower, self.upper = lower, upper
        self.seed = seed
        self._rng = np.random.default_rng(seed)  # used by training forward passes only

    @property
    def params(self):
        return {"lower": self.lower, "upper": self.upper}

    @property
    def mean_slope(self):
        return (self.lower + self.upper) / 2

    def fn(self, x):
        return np.where(x >= 0, x, x * self.mean_slope)

    def grad(self, x):
        return np.where(x >= 0, 1.0, self.mean_slope).astype(x.dtype)

    def forward(self, x, training=False):
        if not training:
            return self.fn(x)
        slopes = self._rng.uniform(self.lower, self.upper, size=x.shape).astype(x.dtype)
        return np.where(x >= 0, x, x * slopes)

    @staticmethod
    def slopes_used(x, y):
        """The slope each element of y = forward(x) used, read off its output: y / x where x < 0, else 1."""
        return np.divide(y, x, out=np.ones_like(x), where=x < 0)

    def backward(self, x, y, grad_out):
        # So nothing from forward is kept here, and inference (slope = the mean) needs no flag.
        slopes = self.slopes_used(x, y)
        grad_out *= slopes
        return grad_out


class ELU(Activation):
    """f(x) = x if x > 0 else alpha (e^x - 1); f'(x) = 1 or alpha e^x."""

    name = "elu"
    output_range = "(-alpha, inf)"
    zero_centred = True  # nearly: negative outputs pull the mean towards 0
    saturates = True  # for x -> -inf only
    used_for = "Hidden layers: like ReLU, but smooth and with negative outputs near zero mean."

    def __init__(self, alpha=1.0):
        alpha = float(alpha)
        if not 0.0 < alpha <= 10.0:
            raise ValueError(f"elu: alpha must be in (0, 10], got {alpha}")
        self.alpha = alpha

    @property
    def params(self):
        return {"alpha": self.alpha}

    def fn(self, x):
        return np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0.0)))

    def grad(self, x):
        return np.where(x > 0, 1.0, self.alpha * np.exp(np.minimum(x, 0.0))).astype(x.dtype)


class Softplus(Activation):
    """f(x) = ln(1 + e^x); f'(x) = sigmoid(x). A smooth ReLU."""

    name = "softplus"
    output_range = "(0, inf)"
    used_for = "Where an output must be positive (a scale or a rate); a smooth ReLU."

    def fn(self, x):
        return np.logaddexp(0.0, x).astype(x.dtype)

    def grad(self, x):
        return Sigmoid().fn(x)


class SiLU(Activation):
    """SiLU / swish: f(x) = x sigmoid(x); f'(x) = s + x s (1 - s), s = sigmoid(x)."""

    name = "silu"
    output_range = "[-0.278, inf)"
    monotonic = False  # dips to -0.278 at x = -1.278
    used_for = "Hidden layers of modern deep networks (EfficientNet, many transformers)."

    def fn(self, x):
        return x * Sigmoid().fn(x)

    def grad(self, x):
        s = Sigmoid().fn(x)
        return s * (1.0 + x * (1.0 - s))


class GELU(Activation):
    """GELU, tanh form: f(x) = x/2 (1 + tanh(u)), u = c (x + 0.044715 x^3).

    c = sqrt(2/pi). This is the approximation used by BERT and GPT-2
    (PyTorch's GELU(approximate="tanh")); it differs from x Phi(x) by less
    than 0.001. f'(x) = (1 + t)/2 + x/2 (1 - t^2) c (1 + 3 * 0.044715 x^2),
    t = tanh(u).
    """

    name = "gelu"
    output_range = "[-0.17, inf)"
    monotonic = False  # dips to about -0.17 at x = -0.75
    used_for = "Hidden layers of transformers (BERT, GPT)."
    _c = math.sqrt(2.0 / math.pi)

    def fn(self, x):
        t = np.tanh(self._c * (x + 0.044715 * x ** 3))
        return 0.5 * x * (1.0 + t)

    def grad(self, x):
        t = np.tanh(self._c * (x + 0.044715 * x ** 3))
        du_dx = self._c * (1.0 + 3 * 0.044715 * x * x)
        return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * du_dx


class Softmax(Activation):
    """softmax(x)_i = e^(x_i) / sum_j e^(x_j), along each row.

    Not element-wise: each output depends on the whole row. The derivative is
    the Jacobian dy_i/dx_j = y_i (delta_ij - y_j). With cross-entropy the two
    combine into the simple gradient y - target (see losses.py).
    """

    name = "softmax"
    output_range = "(0, 1), each row sums to 1"
    saturates = True
    used_for = "The output layer of a classifier with several classes: one probability per class."

    def fn(self, x):
        x = np.atleast_2d(x)
        e = np.exp(x - x.max(axis=1, keepdims=True))
        e /= e.sum(axis=1, keepdims=True)
        return e

    def grad(self, x):
        y = self.fn(x)
        return y[:, :, None] * (np.eye(y.shape[1], dtype=y.dtype) - y[:, None, :])

    def backward(self, x, y, grad_out):
        # (g J)_j = sum_i g_i y_i (delta_ij - y_j) = y_j (g_j - sum_i g_i y_i)
        dot = (grad_out * y).sum(axis=1, keepdims=True)
        grad_out -= dot
        grad_out *= y
        return grad_out

    def curve(self, x):
        """Softmax has no curve of one variable: draw its first output on the scores [x, 0].

        softmax([x, 0])_0 = e^x / (e^x + 1) is the sigmoid of x, and its slope is the
        Jacobian entry y_0 (1 - y_0).
        """
        scores = np.stack([x, np.zeros_like(x)], axis=1)  # one row [x, 0] per point
        return self.fn(scores)[:, 0], self.grad(scores)[:, 0, 0]


ACTIVATIONS = {
    cls.name: cls
    for cls in (Step, Linear, Sigmoid, Tanh, ReLU, LeakyReLU, RandomizedReLU,
                ELU, Softplus, SiLU, GELU, Softmax)
}


def get(name, **params):
    """Return a new activation object by name, e.g. get("leaky_relu", slope=0.1).

    An Activation object is passed through unchanged. Parameters must be
    finite real numbers (not strings, not booleans, not NaN); each
    activation checks their range itself, e.g. a leaky slope in [0, 1).
    """
    if isinstance(name, Activation):
        return name
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {reprlib.repr(name)}; "
                         f"known activations: {', '.join(ACTIVATIONS)}")
    for key, value in params.items():
        if not _finite_real(value):
            raise ValueError(f"{name}: {key} must be a finite number, got {reprlib.repr(value)}")
    try:
        return ACTIVATIONS[name](**params)
    except TypeError:
        raise ValueError(f"activation {name!r} takes no parameters {sorted(params)}") from None


def _finite_real(value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float
        return False
