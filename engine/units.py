"""Single units: the perceptron and the sigmoid neuron, one update at a time.

The tutorial pages animate one unit learning to separate two classes of
points in the plane: the decision line w . x + b = 0 moves after every
update, and the numbers of the update are shown as

    w <- w - eta * dE/dw,        b <- b - eta * dE/db.

Both units here use that one formula, so the page can show them side by side:

    Perceptron      y_hat = step(w . x + b)       step(z) = 1 if z >= 0 else 0
                    rule  w <- w + eta (y - y_hat) x
                    read as a gradient: dE/dw = -sum (y - y_hat) x
    SigmoidNeuron   y_hat = sigmoid(w . x + b)
                    gradient descent on the mean squared error ("mse") or
                    the binary cross-entropy ("bce"); or, given an optimizer
                    of engine/optimizers.py (Adam, RMSprop, momentum ...), that
                    optimizer's step applied to the unit's parameters [w, b]

`UnitTrainer` feeds a unit its training points one at a time (stochastic,
the tutorial's way), in mini-batches, or all at once (full-batch gradient
descent), each epoch in a shuffled order, in order, or drawn at random with
replacement (tutorial 002's np.random.randint), and records every update as
a trace: a dict of plain Python numbers that a page can print or put in a table.

    >>> unit = SigmoidNeuron(n_inputs=2, lr=0.5, loss="bce")
    >>> trainer = UnitTrainer(unit, X, y, batch_size=1)
    >>> traces = trainer.step(10)          # ten updates, ten traces
    >>> traces[-1]["w"], trainer.history   # weights now, per-epoch summary

What this module leaves out: more than one unit (see the layers and model
modules), float32 speed (the data here is a handful of points, so float64
keeps the shown numbers exact), and any plotting.

Shapes: X is (m, n_inputs), one point per row; y is (m,) with targets in
{0, 1} (the sigmoid neuron also accepts soft targets in [0, 1]). Methods
that take X also accept a single point of shape (n_inputs,) and then return
a single number.
"""

import math
import numbers

import numpy as np

from . import activations, losses, optimizers

INITS = ("zeros", "normal")
ORDERS = ("shuffle", "in order", "replacement")  # how UnitTrainer picks each update's points
STEP = activations.get("step")  # step(z) = 1 if z >= 0 else 0
SIGMOID = activations.get("sigmoid")  # 1 / (1 + e^-z)

# The sigmoid neuron's losses, by their short names, from engine/losses.py:
# "mse" = mean of (y_hat - y)^2, "bce" = binary cross-entropy (mean).
LOSSES = {"mse": "mse", "bce": "binary_cross_entropy"}


def get_loss(name):
    """The engine's loss object for a short name: "mse" or "bce"."""
    if name not in LOSSES:
        known = ", ".join(repr(k) for k in LOSSES)
        raise ValueError(f"loss must be one of {known}; got {name!r}")
    return losses.get(LOSSES[name])


# ----------------------------------------------------------------------------
# Argument checks shared by the units and the trainer
# ----------------------------------------------------------------------------


def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _is_finite_number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)


def _check_int(name, value, minimum):
    if not _is_int(value) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value!r}")
    return int(value)


def _check_lr(lr):
    if not _is_finite_number(lr) or lr <= 0:
        raise ValueError(f"lr must be a positive finite number; got {lr!r}")
    return float(lr)


# ----------------------------------------------------------------------------
# The units
# ----------------------------------------------------------------------------


class _Unit:
    """What both units share: weights, inputs checks, prediction and the update.

    A subclass defines `output(X)` (the unit's y_hat), `loss(X, y)` and
    `gradients(X, y)` -> (dE/dw, dE/db); `update` then applies
    w <- w - lr * dE/dw, b <- b - lr * dE/db (or the optimizer's step, if the
    unit has one) and records a trace.
    """

    optimizer = None  # an engine.optimizers.Optimizer, or None for w <- w - lr * dE/dw

    def __init__(self, n_inputs, lr, seed, init):
        self.n_inputs = _check_int("n_inputs", n_inputs, 1)
        self.lr = lr
        if not _is_int(seed):
            raise ValueError(f"seed must be an integer; got {seed!r}")
        if init not in INITS:
            raise ValueError(f"init must be one of {', '.join(map(repr, INITS))}; got {init!r}")
        self.seed = int(seed)
        self.init = init
        if init == "zeros":
            self.w = np.zeros(self.n_inputs)
        else:
            # normal(0, 1/sqrt(n)) keeps w . x of order 1 when the inputs are.
            rng = np.random.default_rng(self.seed)
            self.w = rng.normal(0.0, 1.0 / math.sqrt(self.n_inputs), size=self.n_inputs)
        self.b = 0.0
        self.updates = 0  # updates this unit has made, whoever asked for them

    # -- settable parameters (a page's sliders write these) --------------------

    @property
    def w(self):
        """Weights, float array of shape (n_inputs,)."""
        return self._w

    @w.setter
    def w(self, value):
        w = np.array(value, dtype=np.float64)  # a copy: the caller's array stays theirs
        if w.shape != (self.n_inputs,) or not np.all(np.isfinite(w)):
            raise ValueError(
                f"w must be {self.n_inputs} finite numbers, shape ({self.n_inputs},); "
                f"got shape {w.shape}"
            )
        self._w = w

    @property
    def b(self):
        """Bias, a Python float."""
        return self._b

    @b.setter
    def b(self, value):
        if not _is_finite_number(value):
            raise ValueError(f"b must be a finite number; got {value!r}")
        self._b = float(value)

    @property
    def lr(self):
        """Learning rate eta, a positive float."""
        return self._lr

    @lr.setter
    def lr(self, value):
        self._lr = _check_lr(value)
        if self.optimizer is not None:  # one learning rate: the unit's is the optimizer's
            self.optimizer.lr = self._lr

    # -- input checks -----------------------------------------------------------

    def _points(self, X):
        """X as a float (m, n_inputs) array, and whether it was a single point."""
        X = np.asarray(X, dtype=np.float64)
        if X.ndim == 1 and X.shape[0] == self.n_inputs:
            return X[np.newaxis, :], True
        if X.ndim == 2 and X.shape[1] == self.n_inputs:
            return X, False
        raise ValueError(
            f"X must have shape (m, {self.n_inputs}) or ({self.n_inputs},); got shape {X.shape}"
        )

    def _targets(self, y, m):
        """y as a float (m,) array of valid targets."""
        y = np.asarray(y, dtype=np.float64)
        if y.ndim == 0:
            y = y.reshape(1)
        elif y.ndim == 2 and y.shape[1] == 1:
            y = y[:, 0]
        if y.shape != (m,):
            raise ValueError(
                f"y must have shape ({m},), one target per point of X; got shape {y.shape}"
            )
        self._check_target_values(y)
        return y

    def _check_target_values(self, y):
        if not np.all((y == 0.0) | (y == 1.0)):
            raise ValueError(f"y must hold only 0 and 1; got values {np.unique(y)[:5].tolist()}")

    def _data(self, X, y):
        X, _ = self._points(X)
        return X, self._targets(y, len(X))

    @staticmethod
    def _shape_like(values, single):
        return values[0] if single else values

    # -- forward ---------------------------------------------------------------

    def net_input(self, X):
        """z = X @ w + b, shape (m,) (a number for a single point)."""
        X, single = self._points(X)
        return self._shape_like(X @ self._w + self._b, single)

    def output(self, X):
        raise NotImplementedError

    def predict(self, X):
        """Class 1 where w . x + b >= 0, else 0, as ints, shape (m,).

        Both units share this decision line w . x + b = 0: the step is 1
        there and the sigmoid is 1/2.
        """
        X, single = self._points(X)
        return self._shape_like((X @ self._w + self._b >= 0.0).astype(np.int64), single)

    def errors(self, X, y):
        """Number of misclassified points: predict(x) differs from y (soft y: from y >= 1/2)."""
        X, y = self._data(X, y)
        return int(np.sum(self.predict(X) != (y >= 0.5)))

    # -- learning --------------------------------------------------------------

    def loss(self, X, y):
        raise NotImplementedError

    def gradients(self, X, y):
        raise NotImplementedError

    def update(self, X, y, epoch=None, indices=None):
        """One update on the batch (X, y): w <- w - lr * dE/dw, b <- b - lr * dE/db.

        Args:
            X: (m, n_inputs) batch, or one point (n_inputs,). m >= 1.
            y: (m,) targets.
            epoch: the epoch this update belongs to, recorded in the trace
                (UnitTrainer passes its 1-based epoch in progress; None otherwise).
            indices: positions of the batch's points in the training set,
                recorded in the trace so a page can highlight them (or None).

        Returns the trace, a dict of plain Python numbers and lists:
            update      this unit's update count, 1 for its first update
            epoch       as passed in
            batch_size  m
            indices     as passed in (a list of ints) or None
            w_before, b_before   the parameters the gradient was taken at
            grad_w, grad_b       dE/dw, dE/db at those parameters
            w, b                 the parameters after the update
            loss        the batch's loss at w_before, b_before (see `loss`)
            lr          the learning rate used
            optimizer   None for w <- w - lr * dE/dw, else the optimizer's name
                        ("adam" ...): then w - w_before is that optimizer's step
        """
        X, y = self._data(X, y)
        if len(X) == 0:
            raise ValueError("X must hold at least one point for an update; got 0 points")
        w_before, b_before = self._w, self._b
        batch_loss = self.loss(X, y)
        grad_w, grad_b = self.gradients(X, y)
        if self.optimizer is None:
            self._w = w_before - self._lr * grad_w  # a new array: w_before is left as it was
            self._b = b_before - self._lr * grad_b
        else:
            # The optimizer steps one flat array [w1 .. wn, b] in place, as it steps a
            # network's parameters; its state (momentum, running averages) lives in it.
            params = np.append(w_before, b_before)
            self.optimizer.step(params, np.append(grad_w, grad_b))
            self._w, self._b = params[:-1], float(params[-1])
        self.updates += 1
        return {
            "update": self.updates,
            "epoch": epoch,
            "batch_size": len(X),
            "indices": None if indices is None else [int(i) for i in indices],
            "w_before": w_before.tolist(),
            "b_before": float(b_before),
            "grad_w": grad_w.tolist(),
            "grad_b": float(grad_b),
            "w": self._w.tolist(),
            "b": float(self._b),
            "loss": float(batch_loss),
            "lr": self._lr,
            "optimizer": None if self.optimizer is None else self.optimizer.name,
        }

    def __repr__(self):
        return (
            f"{type(self).__name__}(w={np.round(self._w, 4).tolist()}, b={self._b:.4g}, "
            f"lr={self._lr:g})"
        )


class Perceptron(_Unit):
    """The classic perceptron: y_hat = step(w . x + b), step(z) = 1 if z >= 0 else 0.

    Rosenblatt's rule, for one point:  w <- w + eta (y - y_hat) x,
                                       b <- b + eta (y - y_hat).
    A correctly classified point (y = y_hat) changes nothing; a missed one
    moves the decision line towards being right about it.

    For a batch of m points the corrections are summed (the full-batch
    perceptron rule, not averaged):

        dE/dw = -sum_i (y_i - y_hat_i) x_i,    dE/db = -sum_i (y_i - y_hat_i),
        w <- w - eta dE/dw,                    b <- b - eta dE/db,

    which with m = 1 is the rule above. This is the gradient of the
    perceptron criterion E = sum_i (y_hat_i - y_i)(w . x_i + b), which adds
    |w . x_i + b| for each misclassified point and 0 for the others.

    The loss shown (`loss`, and the trace's "loss") is simpler to read:
    the number of misclassified points.

    Args:
        n_inputs: length of each input x.
        lr: learning rate eta > 0.
        seed: seed of the weights' initialization (used by init="normal").
        init: "zeros" (the classic start) or "normal" (w ~ N(0, 1/sqrt(n_inputs)), b = 0).
    """

    def __init__(self, n_inputs=2, lr=0.1, seed=0, init="zeros"):
        super().__init__(n_inputs, lr, seed, init)

    def output(self, X):
        """y_hat = step(X @ w + b) as floats 0.0 / 1.0, shape (m,)."""
        X, single = self._points(X)
        return self._shape_like(STEP.fn(X @ self._w + self._b), single)

    def loss(self, X, y):
        """Number of misclassified points, as a float (the perceptron's error count)."""
        return float(self.errors(X, y))

    def gradients(self, X, y):
        """dE/dw = -sum_i (y_i - y_hat_i) x_i, shape (n_inputs,); dE/db = -sum_i (y_i - y_hat_i)."""
        X, y = self._data(X, y)
        error = y - self.output(X)  # +1: missed a 1, -1: missed a 0, 0: right
        return -(X.T @ error), -float(np.sum(error))


class SigmoidNeuron(_Unit):
    """A sigmoid neuron: y_hat = sigmoid(w . x + b), a probability in (0, 1).

    Learns by gradient descent on the batch's mean loss:
        dE/dw = sum_i dE/dz_i x_i,   dE/db = sum_i dE/dz_i,
    with dE/dz_i from the loss ("mse": 2 (y_hat - y) y_hat (1 - y_hat) / m;
    "bce": (y_hat - y) / m). Because the loss is a mean, a mini-batch
    update has the size of a single-point one, unlike the perceptron's sum.
    On one point, "mse" is tutorial 002's error (y_hat - y)^2 and its
    gradient 2 (y_hat - y) sigmoid'(z) x.

    With an optimizer the update is that optimizer's step on the flat array
    [w1, ..., wn, b] with the gradients [dE/dw1, ..., dE/dwn, dE/db]:

    >>> neuron = SigmoidNeuron(lr=0.001, loss="bce", optimizer="adam")   # tutorial 001
    >>> neuron = SigmoidNeuron(loss="bce", optimizer=Adam(lr=0.001, eps=1e-7))

    Args:
        n_inputs: length of each input x.
        lr: learning rate eta > 0 (also the optimizer's: setting unit.lr sets both);
            None (the default) means 0.1, or an optimizer object's own lr.
        loss: "mse" (mean squared error) or "bce" (binary cross-entropy).
        seed: seed of the weights' initialization (used by init="normal").
        init: "normal" (w ~ N(0, 1/sqrt(n_inputs)), b = 0) or "zeros".
        optimizer: None (w <- w - lr * dE/dw), a name of engine.optimizers.OPTIMIZERS
            (built with lr and its own other defaults), or an Optimizer object. The
            unit keeps the optimizer's state (Adam's averages) from update to update.
    """

    def __init__(self, n_inputs=2, lr=None, loss="mse", seed=0, init="normal", optimizer=None):
        self.loss_fn = get_loss(loss)
        self.loss_name = loss
        if isinstance(optimizer, optimizers.Optimizer):
            lr = optimizer.lr if lr is None else lr
        elif lr is None:
            lr = 0.1
        if optimizer is not None and not isinstance(optimizer, optimizers.Optimizer):
            if optimizer not in optimizers.OPTIMIZERS:
                known = ", ".join(map(repr, optimizers.OPTIMIZERS))
                raise ValueError(f"optimizer must be None or one of {known}; got {optimizer!r}")
            optimizer = optimizers.get(optimizer, lr=_check_lr(lr))
        self.optimizer = optimizer
        super().__init__(n_inputs, lr, seed, init)

    def _check_target_values(self, y):
        if not np.all((y >= 0.0) & (y <= 1.0)):
            raise ValueError(f"y must hold targets in [0, 1]; got min {y.min()} and max {y.max()}")

    def output(self, X):
        """y_hat = sigmoid(X @ w + b), the probability of class 1, shape (m,)."""
        X, single = self._points(X)
        return self._shape_like(SIGMOID.fn(X @ self._w + self._b), single)

    def loss(self, X, y):
        """The mean loss over the points, a float (see `LOSSES`)."""
        X, y = self._data(X, y)
        return self.loss_fn.fn(self.output(X), y)

    def gradients(self, X, y):
        """dE/dw = X.T @ dE/dz, shape (n_inputs,); dE/db = sum of dE/dz."""
        X, y = self._data(X, y)
        z = X @ self._w + self._b
        y_hat = SIGMOID.fn(z)
        if self.loss_fn.fused_activation == "sigmoid":  # bce: dE/dz = (y_hat - y) / m
            _, delta = self.loss_fn.fused(z, y_hat, y)
        else:  # mse: dE/dz = dE/dy_hat * sigmoid'(z) = 2 (y_hat - y) / m * y_hat (1 - y_hat)
            delta = SIGMOID.backward(z, y_hat, self.loss_fn.grad(y_hat, y))
        return X.T @ delta, float(np.sum(delta))

    def __repr__(self):
        name = "" if self.optimizer is None else f", optimizer={self.optimizer.name!r}"
        return super().__repr__()[:-1] + f", loss={self.loss_name!r}{name})"


def total_squared_error(unit, X, y):
    """E = sum over all points of (y_hat - y)^2: the tutorial's error chart.

    y_hat is `unit.output(X)` (the step value for a perceptron, where this is
    its number of mistakes; the probability for a sigmoid neuron).
    """
    X, y = unit._data(X, y)
    return float(np.sum((unit.output(X) - y) ** 2))


# ----------------------------------------------------------------------------
# Training loop
# ----------------------------------------------------------------------------


class UnitTrainer:
    """Feeds a unit its training points in batches and keeps the books.

    batch_size None: all n points per update (full-batch gradient descent);
    1: one point per update (stochastic, the tutorial's way);
    k: mini-batches of k points, the last batch of an epoch holding the
    remaining n mod k points if k does not divide n.

    order says which points each update uses:
        "shuffle"      each epoch visits every point once, in an order drawn
                       from the trainer's generator (rng.permutation(n))
        "in order"     each epoch visits 0..n-1 in turn (also shuffle=False)
        "replacement"  each update draws batch_size points at random with
                       replacement, rng.integers(n, size=batch_size) (or, for a
                       legacy np.random.RandomState, rng.randint(n, size=...),
                       which draws what tutorial 002's np.random.randint(n)
                       draws, one call per point): a point may come twice in a
                       row, another not at all for a while. An "epoch" is then
                       n draws in updates_per_epoch updates, as the other orders
                       make (the last update draws the n mod k left, if any).
    The generator is np.random.default_rng(seed), so a run is the same every
    time for the same seed; seed may also be a generator itself
    (np.random.Generator or np.random.RandomState), used as it is, e.g. to
    replay a tutorial's np.random.seed(s) calls draw for draw.

    Attributes:
        updates: updates this trainer has made.
        epoch: completed epochs.
        history: one dict per completed epoch,
            {"epoch": e (1-based), "loss": unit.loss on all points,
             "accuracy": fraction of points classified right}.

    The trainer copies X and y; the caller's arrays are never changed.
    """

    def __init__(self, unit, X, y, batch_size=None, shuffle=True, seed=0, order=None):
        if not isinstance(unit, _Unit):
            raise ValueError(
                f"unit must be a Perceptron or SigmoidNeuron; got {type(unit).__name__}"
            )
        X = np.array(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != unit.n_inputs or len(X) == 0:
            raise ValueError(
                f"X must have shape (n, {unit.n_inputs}) with n >= 1; got shape {X.shape}"
            )
        self.unit = unit
        self.X, self.y = unit._data(X, y)
        self.y = self.y.copy()
        n = len(self.X)
        if batch_size is None:
            batch_size = n
        if not _is_int(batch_size) or not 1 <= batch_size <= n:
            raise ValueError(
                f"batch_size must be None (full batch) or an integer from 1 to {n} "
                f"(the number of points); got {batch_size!r}"
            )
        if order is None:
            order = "shuffle" if shuffle else "in order"
        if order not in ORDERS:
            raise ValueError(f"order must be one of {', '.join(map(repr, ORDERS))}; got {order!r}")
        if isinstance(seed, (np.random.Generator, np.random.RandomState)):
            self.rng = seed
        elif _is_int(seed):
            self.rng = np.random.default_rng(int(seed))
        else:
            raise ValueError(f"seed must be an integer or a NumPy random generator; got {seed!r}")
        self.batch_size = int(batch_size)
        self.order = order
        self.shuffle = order == "shuffle"
        self.updates = 0
        self.epoch = 0
        self.history = []
        self._order = None  # this epoch's visiting order, drawn when the epoch starts
        self._position = 0  # how many points of this epoch have been used

    @property
    def n_points(self):
        return len(self.X)

    @property
    def updates_per_epoch(self):
        """ceil(n / batch_size)."""
        return -(-self.n_points // self.batch_size)

    def evaluate(self):
        """{"loss": unit.loss on all points, "accuracy": fraction classified right}."""
        errors = self.unit.errors(self.X, self.y)
        return {
            "loss": float(self.unit.loss(self.X, self.y)),
            "accuracy": 1.0 - errors / self.n_points,
        }

    def _draw(self, k):
        """k indices drawn at random with replacement from 0..n-1."""
        if isinstance(self.rng, np.random.RandomState):
            return self.rng.randint(self.n_points, size=k)
        return self.rng.integers(self.n_points, size=k)

    def _next_update(self):
        n = self.n_points
        if self.order == "replacement":
            # n points' worth of draws make an epoch, as in the other orders
            batch = self._draw(min(self.batch_size, n - self._position))
        else:
            if self._position == 0:
                self._order = self.rng.permutation(n) if self.order == "shuffle" else np.arange(n)
            batch = self._order[self._position:self._position + self.batch_size]
        trace = self.unit.update(self.X[batch], self.y[batch], epoch=self.epoch + 1, indices=batch)
        self.updates += 1
        self._position += len(batch)
        if self._position >= self.n_points:
            self.epoch += 1
            self.history.append({"epoch": self.epoch, **self.evaluate()})
            self._position = 0
        return trace

    def step(self, n_updates=1):
        """Make n_updates updates, crossing epoch boundaries as needed; returns their traces."""
        n_updates = _check_int("n_updates", n_updates, 0)
        return [self._next_update() for _ in range(n_updates)]

    def step_epoch(self):
        """Finish the current epoch (a whole one if none is under way); returns its traces."""
        epoch = self.epoch
        traces = [self._next_update()]
        while self.epoch == epoch:
            traces.append(self._next_update())
        return traces
