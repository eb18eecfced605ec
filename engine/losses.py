"""Loss functions: how wrong the network's output is, and its gradient.

Each loss is an object with

    fn(output, target)     the loss, averaged as PyTorch does by default
    grad(output, target)   dL/d(output), same shape as output

`output` is the network's output a, shape (n, k); `target` has the same
shape (cross-entropy also takes integer class labels of shape (n,)).

Cross-entropy is paired with a softmax output layer and binary
cross-entropy with a sigmoid one. For these pairs the chain rule through the
output activation collapses into a simple form, used in training because it
is exact and stable even when a probability rounds to 0 or 1:

    fused(z, a, target) -> (loss, dL/dz)     with dL/dz = (a - target) / N

where z is the output layer's net input and a = activation(z).
"""

import numpy as np

# PyTorch's BCELoss clamps log(p) at -100; we clamp p at e^-100 likewise.
_TINY = float(np.exp(-100.0))


class Loss:
    name = ""
    fused_activation = None  # activation whose pairing gives `fused`

    def fn(self, output, target):
        raise NotImplementedError

    def grad(self, output, target):
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}()"


class MSE(Loss):
    """Mean squared error: L = mean over all n*k elements of (a - t)^2.

    dL/da = 2 (a - t) / (n k)   (PyTorch's MSELoss, reduction="mean")
    """

    name = "mse"

    def fn(self, output, target):
        return float(np.mean((output - target) ** 2))

    def grad(self, output, target):
        return (output - target) * (2.0 / output.size)


class SSE(Loss):
    """The tutorial's error: E = 1/2 sum over the outputs of (t - a)^2,
    averaged over the batch.

    dE/da = (a - t) / n, so gradient descent gives the tutorial's update
    W <- W + lr * x.T @ ((t - a) * f'(z)) for a single sample (n = 1).
    """

    name = "sse"

    def fn(self, output, target):
        return float(0.5 * np.sum((output - target) ** 2) / len(output))

    def grad(self, output, target):
        return (output - target) * (1.0 / len(output))


class BinaryCrossEntropy(Loss):
    """L = -mean(t ln a + (1 - t) ln(1 - a)) over all elements, a in (0, 1).

    dL/da = (a - t) / (a (1 - a)) / N   (PyTorch's BCELoss; logs clamped at -100)
    With a sigmoid output, dL/dz = (a - t) / N.
    """

    name = "binary_cross_entropy"
    fused_activation = "sigmoid"

    def fn(self, output, target):
        log_a = np.log(np.maximum(output, _TINY))
        log_1ma = np.log(np.maximum(1.0 - output, _TINY))
        return float(-np.mean(target * log_a + (1.0 - target) * log_1ma))

    def grad(self, output, target):
        denom = np.maximum(output * (1.0 - output), 1e-12)
        return (output - target) / denom / output.size

    def fused(self, z, a, target):
        # ln(1 + e^z) - t z is the same loss written with z: stable for any z.
        loss = float(np.mean(np.logaddexp(0.0, z) - target * z))
        delta = a - target
        delta *= 1.0 / a.size
        return loss, delta


class CrossEntropy(Loss):
    """L = -mean over samples of sum_i t_i ln a_i, a the softmax probabilities.

    The target is one-hot (n, k) or integer labels (n,), for which the sum
    is ln a[label]. dL/da = -t / a / n. With a softmax output the loss is
    computed from the logits z, L = mean(logsumexp(z) - z[label]), and
    dL/dz = (a - t) / n (PyTorch's CrossEntropyLoss on logits).
    """

    name = "cross_entropy"
    fused_activation = "softmax"

    def fn(self, output, target):
        log_a = np.log(np.maximum(output, _TINY))
        if target.ndim == 1:
            return float(-np.mean(log_a[np.arange(len(target)), target]))
        return float(-np.sum(target * log_a) / len(output))

    def grad(self, output, target):
        return -_dense_target(target, output) / np.maximum(output, _TINY) / len(output)

    def fused(self, z, a, target):
        m = z.max(axis=1, keepdims=True)
        logsumexp = m[:, 0] + np.log(np.exp(z - m).sum(axis=1))
        if target.ndim == 1:
            loss = float(np.mean(logsumexp - z[np.arange(len(target)), target]))
            delta = a.copy()
            delta[np.arange(len(target)), target] -= 1.0
        else:
            loss = float(np.mean(logsumexp - np.sum(target * z, axis=1)))
            delta = a - target
        delta *= 1.0 / len(a)
        return loss, delta


def _dense_target(target, output):
    if target.ndim == 1:
        dense = np.zeros_like(output)
        dense[np.arange(len(target)), target] = 1.0
        return dense
    return target


LOSSES = {cls.name: cls for cls in (MSE, SSE, BinaryCrossEntropy, CrossEntropy)}


def get(name):
    """Return a loss object by name ("mse", "sse", "binary_cross_entropy", "cross_entropy")."""
    if isinstance(name, Loss):
        return name
    if name not in LOSSES:
        raise ValueError(f"unknown loss {name!r}; known losses: {', '.join(LOSSES)}")
    return LOSSES[name]()
