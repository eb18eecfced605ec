"""Optimizers: how a gradient turns into a change of the weights.

All of them follow PyTorch's update rules and default hyperparameters, so a
run can be checked against torch.optim. They work on one flat array of all
the model's parameters and one of the gradients (views of which are each
layer's W, b, dW, db), so a step is a handful of NumPy calls whatever the
size of the network. Updates are written in place with `out=`; the state
(momentum, running averages) is allocated on the first step.

    opt.step(params, grads)     one update, in place

Look one up by name, with its hyperparameters:

    >>> opt = get("momentum", lr=0.05)        # Momentum(lr=0.05, momentum=0.9, ...)
    >>> get(**opt.config())                    # a new one with the same settings

OPTIMIZERS lists them: sgd, momentum, rmsprop, adam.
"""

import numpy as np


class Optimizer:
    name = ""

    def __init__(self, lr):
        lr = float(lr)
        if not 0 < lr < float("inf"):
            raise ValueError(f"{self.name}: learning rate lr must be > 0 and finite, got {lr}")
        self.lr = lr
        self.t = 0  # number of steps taken

    def config(self):
        """Name and hyperparameters, as recorded with a saved model."""
        return {"name": self.name, **{k: v for k, v in vars(self).items()
                                       if not k.startswith("_") and k != "t"}}

    def step(self, params, grads):
        raise NotImplementedError

    def __repr__(self):
        args = ", ".join(f"{k}={v}" for k, v in self.config().items() if k != "name")
        return f"{type(self).__name__}({args})"


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum (torch.optim.SGD).

        g = grad + weight_decay * p
        v = momentum * v + g                (v = g on the first step)
        g = g + momentum * v  if nesterov  else  v
        p = p - lr * g

    With momentum = 0 this is the textbook rule p <- p - lr * grad.
    """

    name = "sgd"

    def __init__(self, lr=0.01, momentum=0.0, nesterov=False, weight_decay=0.0):
        super().__init__(lr)
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)
        self.weight_decay = float(weight_decay)
        if not 0.0 <= self.momentum < 1.0:
            raise ValueError(f"{self.name}: momentum must be in [0, 1), got {momentum}")
        if self.nesterov and self.momentum == 0.0:
            raise ValueError(f"{self.name}: nesterov=True needs a momentum > 0")
        self._v = self._decayed = self._step = None

    def step(self, params, grads):
        self.t += 1
        if self._step is None:
            self._step = np.empty_like(params)
        step = self._step
        g = grads
        if self.weight_decay:
            if self._decayed is None:
                self._decayed = np.empty_like(params)
            g = np.multiply(params, self.weight_decay, out=self._decayed)
            g += grads
        if self.momentum:
            if self._v is None:
                self._v = g.copy()
            else:
                self._v *= self.momentum
                self._v += g
            if self.nesterov:
                np.multiply(self._v, self.momentum, out=step)
                step += g
                g = step
            else:
                g = self._v
        np.multiply(g, self.lr, out=step)
        params -= step


class Momentum(SGD):
    """SGD with momentum, 0.9 unless told otherwise: the same rule as SGD.

    Momentum(lr=0.05) steps exactly as SGD(lr=0.05, momentum=0.9): the
    velocity v remembers past gradients, so steps grow along directions the
    gradient keeps pointing in and cancel where it flips back and forth.
    momentum must be > 0 (for none, use SGD).
    """

    name = "momentum"

    def __init__(self, lr=0.01, momentum=0.9, nesterov=False, weight_decay=0.0):
        super().__init__(lr, momentum=momentum, nesterov=nesterov, weight_decay=weight_decay)
        if not self.momentum > 0.0:
            raise ValueError(f"momentum: momentum must be in (0, 1), got {momentum}; "
                             f"for none, use sgd")


class RMSprop(Optimizer):
    """RMSprop: divide by a running RMS of the gradient.

        s = alpha * s + (1 - alpha) * grad^2
        p = p - lr * grad / (sqrt(s) + eps)

    The defaults are Keras's (rho = alpha = 0.9, epsilon 1e-7; Hinton's lecture
    also used 0.9), since tutorial 000 compares SGD with Keras's "rmsprop".
    torch.optim.RMSprop is the same rule with alpha 0.99 and eps 1e-8.
    """

    name = "rmsprop"

    def __init__(self, lr=0.001, alpha=0.9, eps=1e-7):
        super().__init__(lr)
        self.alpha = float(alpha)
        self.eps = float(eps)
        if not 0.0 <= self.alpha < 1.0:
            raise ValueError(f"rmsprop: alpha must be in [0, 1), got {alpha}")
        self._s = self._buf = None

    def step(self, params, grads):
        self.t += 1
        if self._s is None:
            self._s = np.zeros_like(params)
            self._buf = np.empty_like(params)
        s, buf = self._s, self._buf
        s *= self.alpha
        np.multiply(grads, grads, out=buf)
        buf *= 1.0 - self.alpha
        s += buf
        np.sqrt(s, out=buf)
        buf += self.eps
        np.divide(grads, buf, out=buf)
        buf *= self.lr
        params -= buf


class Adam(Optimizer):
    """Adam (torch.optim.Adam): momentum and RMSprop, with bias correction.

        m = b1 * m + (1 - b1) * grad
        v = b2 * v + (1 - b2) * grad^2
        p = p - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
    """

    name = "adam"

    def __init__(self, lr=0.001, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(lr)
        b1, b2 = (float(b) for b in betas)
        if not (0.0 <= b1 < 1.0 and 0.0 <= b2 < 1.0):
            raise ValueError(f"adam: betas must be in [0, 1), got {betas}")
        self.betas = (b1, b2)
        self.eps = float(eps)
        self._m = self._v = self._buf = None

    def step(self, params, grads):
        self.t += 1
        if self._m is None:
            self._m = np.zeros_like(params)
            self._v = np.zeros_like(params)
            self._buf = np.empty_like(params)
        b1, b2 = self.betas
        m, v, buf = self._m, self._v, self._buf
        m *= b1
        np.multiply(grads, 1.0 - b1, out=buf)
        m += buf
        v *= b2
        np.multiply(grads, grads, out=buf)
        buf *= 1.0 - b2
        v += buf
        # PyTorch's form: step = lr / (1 - b1^t), denom = sqrt(v) / sqrt(1 - b2^t) + eps
        step_size = self.lr / (1.0 - b1 ** self.t)
        np.sqrt(v, out=buf)
        buf *= 1.0 / (1.0 - b2 ** self.t) ** 0.5
        buf += self.eps
        np.divide(m, buf, out=buf)
        buf *= step_size
        params -= buf


OPTIMIZERS = {cls.name: cls for cls in (SGD, Momentum, RMSprop, Adam)}


def get(name, **hyperparameters):
    """Return an optimizer by name, e.g. get("adam", lr=0.01). Objects pass through."""
    if isinstance(name, Optimizer):
        return name
    if name not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}; known optimizers: {', '.join(OPTIMIZERS)}")
    return OPTIMIZERS[name](**hyperparameters)
