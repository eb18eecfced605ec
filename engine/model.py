"""A feed-forward network (Sequential) and the trainer that fits it.

    >>> from engine import Sequential, Dense, Adam
    >>> model = Sequential([Dense(784, 128, "relu"), Dense(128, 10, "softmax")], seed=0)
    >>> history = model.fit(x, y, epochs=2, batch_size=128,
    ...                     optimizer=Adam(), loss="cross_entropy")

Training is one loop: for each mini-batch, forward (every layer in turn),
the loss and its gradient, backward (every layer in reverse), then one
optimizer step. The `Trainer` runs that loop a few batches at a time
(`step(k)`), so a page can draw progress between chunks and pause, resume or
stop whenever it likes; `fit` is a Trainer run to the end.

All parameters live in one flat float32 array (each layer's W and b are views
into it) and all gradients in another, so an optimizer step is a few NumPy
calls. Progress reaches the outside only through callbacks, as plain dicts;
the engine never prints.

Looking inside never changes a model: predict, evaluate, input_gradient,
layer_outputs and forward_trace store nothing on it (not even gradients), so
one model, even one whose parameters are read-only, can serve many threads
at once. Training keeps each batch's forward pass in local caches:

    >>> output, caches = model.forward_cached(xb, training=True)
    >>> value = model.loss_and_backward(caches, tb, losses.get("cross_entropy"))
    >>> # model.grads now holds dL/dparams for the batch xb, tb
"""

import time

import numpy as np

from . import losses as losses_module
from . import optimizers as optimizers_module
from .mnist import rescale_unit, SCALINGS


class TrainingDiverged(ArithmeticError):
    """The loss became NaN or infinite; the model keeps its last finite weights."""


# A run whose test loss ends more than this many times above the loss of its
# starting weights did not learn: its learning rate made it jump away (the loss
# can explode to 1e12 and still be finite, so NaN alone does not catch it).
UNSTABLE_FACTOR = 1.5


def unstable(start_loss, end_loss, factor=UNSTABLE_FACTOR):
    """True if the loss ended far above where it started (or is not a finite number).

        >>> unstable(2.30, 5.04), unstable(2.30, 0.41), unstable(2.30, float("nan"))
        (True, False, True)
    """
    if not np.isfinite(end_loss):
        return True
    return bool(end_loss > factor * start_loss)


class Sequential:
    """Layers applied one after another: a = layer_k(... layer_1(x)).

    Args:
        layers: a list of layers whose sizes chain (layer i's n_out is layer
            i+1's n_in), e.g. [Dense(2, 3, "tanh"), Dense(3, 1, "sigmoid")]
            builds 2 inputs -> 3 hidden units -> 1 output.
        seed: if given, every layer's starting weights are drawn again from
            one generator seeded with it, so the same seed gives the same model.
        input_scaling: None (inputs used as given), or a name from
            engine.mnist.SCALINGS; e.g. "tutorial" for a model trained on
            pixels x/255*0.99 + 0.01. Inputs to predict and fit are then pixels
            in [0, 1] and the model rescales them itself.
    """

    def __init__(self, layers, seed=None, input_scaling=None):
        layers = list(layers)
        if not layers:
            raise ValueError("Sequential needs at least one layer, got an empty list")
        for i, (a, b) in enumerate(zip(layers, layers[1:])):
            if a.n_out != b.n_in:
                raise ValueError(
                    f"layer {i} has {a.n_out} outputs but layer {i + 1} expects {b.n_in} inputs")
        if input_scaling not in (None, *SCALINGS):
            raise ValueError(
                f"unknown input_scaling {input_scaling!r}; known: None, {', '.join(SCALINGS)}")
        self.layers = layers
        self.input_scaling = input_scaling
        self.seed = seed
        if seed is not None:
            rng = np.random.default_rng(seed)
            for layer in layers:
                layer.initialise(rng)
        self._flatten_parameters()
        self.loss = None  # set by fit: the loss the model was trained with
        self.history = []  # one dict per epoch trained
        self.training_config = {}

    def _flatten_parameters(self):
        arrays = [p for layer in self.layers for p in layer.parameters()]
        dtype = np.result_type(*arrays)
        self.params = np.empty(sum(p.size for p in arrays), dtype)
        self.grads = np.zeros_like(self.params)
        offset = 0
        for layer in self.layers:
            param_views, grad_views = [], []
            for p in layer.parameters():
                param_views.append(self.params[offset:offset + p.size].reshape(p.shape))
                grad_views.append(self.grads[offset:offset + p.size].reshape(p.shape))
                offset += p.size
            layer.use_buffers(param_views, grad_views)

    @property
    def dtype(self):
        return self.params.dtype

    @property
    def n_inputs(self):
        return self.layers[0].n_in

    @property
    def n_outputs(self):
        return self.layers[-1].n_out

    @property
    def sizes(self):
        """Layer sizes, e.g. [784, 128, 10]."""
        return [self.layers[0].n_in] + [layer.n_out for layer in self.layers]

    def forward(self, x, training=False):
        """Output activations for a batch x of shape (n, n_inputs). Stores nothing.

        Inputs are rescaled first if the model has an input_scaling.
        predict does the same after checking X; use forward inside the engine.
        """
        x = self._scaled(x)
        for layer in self.layers:
            x = layer.forward(x, training)
        return x

    def forward_cached(self, x, training=False):
        """(output, caches): the output and one cache per layer for backward.

        The caches belong to the caller; other forward passes (a prediction
        in another thread, say) cannot disturb them.
        """
        x = self._scaled(x)
        caches = []
        for layer in self.layers:
            x, cache = layer.forward_cached(x, training)
            caches.append(cache)
        return x, caches

    def backward(self, caches, grad_z, *, param_grads=True, input_grad=False):
        """Backpropagate dL/dz of the output layer's net input through all layers.

        caches: from forward_cached. Fills self.grads with dL/dparams
        (unless param_grads=False). Returns dL/d(input) if input_grad=True,
        else None: the first layer has nothing below it to update.
        """
        if len(caches) != len(self.layers):
            raise ValueError(f"caches must hold one cache per layer ({len(self.layers)}), "
                             f"got {len(caches)}")
        # every layer but the first passes dL/dx on to the layer below it
        last = len(self.layers) - 1
        grad = self.layers[last].backward_from_z(
            caches[last], grad_z, input_grad=input_grad or last > 0, param_grads=param_grads)
        for i in reversed(range(last)):
            grad = self.layers[i].backward(
                caches[i], grad, input_grad=input_grad or i > 0, param_grads=param_grads)
        return grad

    def loss_and_backward(self, caches, target, loss):
        """Loss of the forward pass that made `caches`; fills self.grads with dL/dparams.

        With a fused pair (softmax + cross-entropy, sigmoid + binary
        cross-entropy) dL/dz comes straight from the loss; otherwise
        dL/da = loss.grad(a, t) goes through the output activation.
        Gradients are left alone if the loss is not finite.
        """
        last, cache = self.layers[-1], caches[-1]
        if loss.fused_activation == last.activation.name:
            value, grad_z = loss.fused(cache.z, cache.a, target)
        else:
            value = loss.fn(cache.a, target)
            grad_z = last.activation.backward(cache.z, cache.a, loss.grad(cache.a, target))
        if np.isfinite(value):
            self.backward(caches, grad_z)
        return value

    def input_gradient(self, X, index):
        """Saliency: d z[:, index] / d X, the gradient of class `index`'s score.

        z is the output layer's net input (the logit, before softmax or
        sigmoid, which would flatten the gradient of a confident answer).
        Positive entries are inputs that push the class up. Shape of X.
        The model's own gradients (model.grads) are left untouched.
        """
        X = self._check_inputs(X)
        if isinstance(index, bool) or not isinstance(index, (int, np.integer)) \
                or not 0 <= index < self.n_outputs:
            raise ValueError(f"index must be an output unit 0..{self.n_outputs - 1}, "
                             f"got {index!r}")
        _, caches = self.forward_cached(X)
        grad_z = np.zeros((len(X), self.n_outputs), self.dtype)
        grad_z[:, index] = 1.0
        grad = self.backward(caches, grad_z, param_grads=False, input_grad=True)
        if self.input_scaling is not None:  # chain rule through x' = x * scale + offset
            ends = rescale_unit(np.array([0.0, 1.0], self.dtype), self.input_scaling)
            grad *= ends[1] - ends[0]
        return grad

    def predict(self, X, batch_size=1024):
        """Output layer activations for X of shape (n, n_inputs): shape (n, n_outputs)."""
        X = self._check_inputs(X)
        if len(X) <= batch_size:
            return self.forward(X)
        return np.concatenate([self.forward(X[i:i + batch_size])
                               for i in range(0, len(X), batch_size)])

    def predict_classes(self, X):
        """The predicted class of each sample: argmax, or output >= 0.5 for one output."""
        return output_classes(self.predict(X))

    def layer_outputs(self, X):
        """Each layer's activations for the batch X: a list of arrays (n, layer.n_out).

        The last one is predict(X). For a 2-3-1 network on 5 points:

            >>> [a.shape for a in model.layer_outputs(X)]
            [(5, 3), (5, 1)]
        """
        return [a for z, a in self.forward_trace(X)]

    def forward_trace(self, X):
        """Each layer's net input z = x @ W + b and activation a = f(z): a list of (z, a).

        For looking inside, e.g. histograms of z showing saturated sigmoids.
        (With a linear activation, z and a are the same array.)
        """
        X = self._check_inputs(X)
        _, caches = self.forward_cached(X)
        return [(cache.z, cache.a) for cache in caches]

    def evaluate(self, X, y, loss=None, batch_size=1024):
        """(loss, accuracy) on X, y; loss defaults to the one the model was trained with."""
        loss = losses_module.get(loss or self.loss or "mse")
        X = self._check_inputs(X)
        target, labels = prepare_targets(y, self.n_outputs, loss, self.dtype)
        total, correct = 0.0, 0
        for i in range(0, len(X), batch_size):
            output, caches = self.forward_cached(X[i:i + batch_size])
            total += self.loss_value(output, target[i:i + batch_size], loss,
                                     z=caches[-1].z) * len(output)
            correct += np.count_nonzero(output_classes(output) == labels[i:i + batch_size])
        return total / len(X), correct / len(X)

    def loss_value(self, output, target, loss, *, z=None):
        """The loss of outputs a batch gave; loss is a losses object, e.g. losses.get("mse").

        z: the output layer's net input for that batch (forward_cached's
        caches[-1].z). With a fused pair (softmax + cross-entropy, sigmoid +
        binary cross-entropy) and z given, the loss is computed from z, as in
        training: exact even where a probability rounds to 0 or 1.
        """
        if z is not None and loss.fused_activation == self.layers[-1].activation.name:
            return loss.fused(z, output, target)[0]
        return loss.fn(output, target)

    def fit(self, X, y, *, epochs, batch_size, optimizer, loss, shuffle=True,
            validation_data=None, callbacks=None, seed=None):
        """Train and return the per-epoch history (a list of dicts).

        y: integer labels or one-hot rows for cross_entropy, 0/1 for
        binary_cross_entropy, target values for mse/sse (integer labels are
        turned into one-hot rows there). batch_size=1 is the tutorial's
        sample-by-sample training. Raises TrainingDiverged if the loss
        becomes NaN or infinite.
        """
        trainer = Trainer(self, X, y, epochs=epochs, batch_size=batch_size,
                          optimizer=optimizer, loss=loss, shuffle=shuffle,
                          validation_data=validation_data, callbacks=callbacks, seed=seed)
        return trainer.run()

    def _scaled(self, x):
        """The inputs the first layer sees: x rescaled if the model has an input_scaling."""
        if self.input_scaling is None:
            return x
        return rescale_unit(x, self.input_scaling)

    def _check_inputs(self, X):
        X = np.asarray(X)
        if X.ndim == 1 and X.size == self.n_inputs:
            X = X[None, :]
        if X.ndim != 2 or X.shape[1] != self.n_inputs:
            raise ValueError(
                f"inputs must have shape (n, {self.n_inputs}), got {X.shape}")
        if X.dtype != self.dtype:
            X = X.astype(self.dtype)
        return X

    def __repr__(self):
        return "Sequential([" + ", ".join(map(repr, self.layers)) + "])"


def output_classes(output):
    """Class per row: argmax over the outputs, or output >= 0.5 with a single output."""
    if output.shape[1] == 1:
        return (output[:, 0] >= 0.5).astype(np.int64)
    return output.argmax(axis=1)


def prepare_targets(y, n_outputs, loss, dtype):
    """Targets in the form the loss needs, and the true class of each sample.

    Returns (target, labels): integer labels stay labels for cross_entropy;
    otherwise target is float of shape (n, n_outputs).
    """
    y = np.asarray(y)
    n = len(y)
    if y.ndim == 2 and y.shape[1] == n_outputs:
        target = y.astype(dtype)
        labels = output_classes(target)
    elif y.ndim == 1 and n_outputs == 1:
        target = y.astype(dtype).reshape(n, 1)
        labels = (y >= 0.5).astype(np.int64)
    elif y.ndim == 1 and np.issubdtype(y.dtype, np.integer):
        if n and (y.min() < 0 or y.max() >= n_outputs):
            raise ValueError(
                f"class labels must be in 0..{n_outputs - 1} for {n_outputs} outputs, "
                f"got labels from {y.min()} to {y.max()}")
        labels = y.astype(np.int64)
        if loss.name == "cross_entropy":
            target = labels
        else:
            target = np.eye(n_outputs, dtype=dtype)[labels]
    else:
        raise ValueError(
            f"targets must be integer labels of shape (n,) or rows of shape (n, {n_outputs}), "
            f"got an array of shape {y.shape} and dtype {y.dtype}")
    if loss.name == "binary_cross_entropy" and n and (target.min() < 0 or target.max() > 1):
        raise ValueError("binary_cross_entropy needs targets between 0 and 1")
    return target, labels


class Callback:
    """Hooks the trainer calls with plain dicts of progress (Keras-style).

    Override what you need. Set `trainer.stop_training = True` to stop.
    """

    def on_batch_end(self, trainer, logs):
        pass

    def on_epoch_end(self, trainer, logs):
        pass


class LambdaCallback(Callback):
    """A callback from plain functions: LambdaCallback(on_epoch_end=lambda t, logs: ...)."""

    def __init__(self, on_batch_end=None, on_epoch_end=None):
        if on_batch_end:
            self.on_batch_end = on_batch_end
        if on_epoch_end:
            self.on_epoch_end = on_epoch_end


class Trainer:
    """Mini-batch training that advances a few batches at a time.

        trainer = Trainer(model, X, y, epochs=5, batch_size=128,
                          optimizer=Adam(), loss="cross_entropy")
        while not trainer.done:
            trainer.step(20)          # 20 batches, then draw progress
            show(trainer.progress)

    Pausing is not calling step; `stop()` ends training for good (the model
    keeps what it has learnt). Each batch and each epoch produce a dict:

        batch: epoch, batch, batches, loss, accuracy, samples_seen, seconds,
               samples_per_s
        epoch: epoch, loss, accuracy (means over the epoch's batches),
               val_loss, val_accuracy (if validation_data), samples_seen,
               seconds, samples_per_s

    `history` holds the epoch dicts; `seconds` counts only time spent in step.
    `augment`, if given, is applied to each training batch of inputs
    (xb -> new xb of the same shape), e.g. random distortions of digits.
    `l1`, `l2` add a penalty on the weights (not the biases) to the loss,
    l1 * sum|W| + l2/2 * sum W^2, whose gradient l1 sign(W) + l2 W joins dL/dW.
    """

    def __init__(self, model, X, y, *, epochs, batch_size, optimizer, loss, shuffle=True,
                 validation_data=None, callbacks=None, seed=None, augment=None,
                 l1=0.0, l2=0.0):
        self.model = model
        self.augment = augment
        self.l1, self.l2 = float(l1), float(l2)
        if self.l1 < 0 or self.l2 < 0:
            raise ValueError(f"l1 and l2 must be >= 0, got l1={l1}, l2={l2}")
        self.loss = losses_module.get(loss)
        self.optimizer = optimizers_module.get(optimizer)
        last = model.layers[-1].activation.name
        if self.loss.name == "cross_entropy" and last != "softmax":
            raise ValueError(
                f"cross_entropy needs a softmax output layer, got {last!r}")
        self.X = model._check_inputs(X)
        self.target, self.labels = prepare_targets(y, model.n_outputs, self.loss, model.dtype)
        n = len(self.X)
        if len(self.target) != n:
            raise ValueError(f"X has {n} samples but y has {len(self.target)}")
        if n == 0:
            raise ValueError("no training samples")
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) \
                or not 1 <= batch_size:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
        if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 1:
            raise ValueError(f"epochs must be a positive integer, got {epochs!r}")
        self.epochs = int(epochs)
        self.batch_size = min(int(batch_size), n)
        self.shuffle = shuffle
        self.validation_data = validation_data
        self.callbacks = list(callbacks or [])
        self.batches_per_epoch = -(-n // self.batch_size)
        self._rng = np.random.default_rng(model.seed if seed is None else seed)
        self._last_good = np.empty_like(model.params)

        self.epoch = 0  # completed epochs
        self.batch = 0  # batches done in the current epoch
        self.samples_seen = 0
        self.seconds = 0.0
        self._step_start = None
        self.history = []
        self.stop_training = False
        self._start_epoch()
        model.loss = self.loss.name
        model.training_config = {
            "epochs": self.epochs, "batch_size": self.batch_size,
            "optimizer": self.optimizer.config(), "loss": self.loss.name,
            "shuffle": bool(shuffle), "seed": seed if seed is not None else model.seed,
            "train_samples": n,
        }

    @property
    def done(self):
        return self.stop_training or self.epoch >= self.epochs

    @property
    def batches_done(self):
        """Batches trained so far, over all epochs."""
        return min(self.epoch * self.batches_per_epoch + self.batch,
                   self.epochs * self.batches_per_epoch)

    @property
    def fraction_done(self):
        return self.batches_done / (self.epochs * self.batches_per_epoch)

    def stop(self):
        self.stop_training = True

    def _start_epoch(self):
        n = len(self.X)
        self._order = self._rng.permutation(n) if self.shuffle else np.arange(n)
        self.batch = 0
        self._loss_sum = 0.0
        self._correct = 0
        self._seen_in_epoch = 0

    def step(self, k=1):
        """Train k more batches (fewer at the end); returns the number done."""
        done = 0
        self._step_start = time.perf_counter()
        try:
            # a diverging run overflows on the way; _train_batch reports it clearly
            with np.errstate(over="ignore", invalid="ignore"):
                while done < k and not self.done:
                    self._train_batch()
                    done += 1
        finally:
            self.seconds += time.perf_counter() - self._step_start
            self._step_start = None
        return done

    def run(self):
        """Train to the end; return the history."""
        while not self.done:
            self.step(self.batches_per_epoch)
        return self.history

    def _train_batch(self):
        model = self.model
        i = self.batch * self.batch_size
        idx = self._order[i:i + self.batch_size]
        xb, tb = self.X[idx], self.target[idx]
        if self.augment is not None:
            xb = self.augment(xb)
        output, caches = model.forward_cached(xb, training=True)  # this batch's, not the model's
        loss = model.loss_and_backward(caches, tb, self.loss)
        if self.l1 or self.l2:
            loss += self._penalty()
        if not np.isfinite(loss):
            model.params[...] = self._last_good
            self.stop_training = True
            raise TrainingDiverged(
                f"the loss diverged (it became {loss}) at epoch {self.epoch + 1}, batch "
                f"{self.batch + 1}; training stopped and the model keeps its last finite "
                f"weights. Try a smaller learning rate.")
        np.copyto(self._last_good, model.params)
        self.optimizer.step(model.params, model.grads)

        n = len(idx)
        correct = int(np.count_nonzero(output_classes(output) == self.labels[idx]))
        self.batch += 1
        self.samples_seen += n
        self._loss_sum += loss * n
        self._correct += correct
        self._seen_in_epoch += n
        if self.callbacks:
            logs = {"epoch": self.epoch + 1, "batch": self.batch,
                    "batches": self.batches_per_epoch, "loss": loss, "accuracy": correct / n,
                    **self._timing()}
            for callback in self.callbacks:
                callback.on_batch_end(self, logs)
        if self.batch == self.batches_per_epoch:
            self._end_epoch()

    def _penalty(self):
        """Add the L1/L2 gradient to each dW; return the penalty's value."""
        value = 0.0
        for layer in self.model.layers:
            W = layer.W
            if self.l1:
                value += self.l1 * float(np.abs(W).sum())
                layer.dW += self.l1 * np.sign(W)
            if self.l2:
                value += 0.5 * self.l2 * float(np.vdot(W, W))
                layer.dW += self.l2 * W
        return value

    def _timing(self):
        seconds = self.seconds
        if self._step_start is not None:  # inside step(): add the time so far
            seconds += time.perf_counter() - self._step_start
        return {"samples_seen": self.samples_seen, "seconds": seconds,
                "samples_per_s": self.samples_seen / seconds if seconds > 0 else 0.0}

    def _end_epoch(self):
        self.epoch += 1
        logs = {"epoch": self.epoch, "loss": self._loss_sum / self._seen_in_epoch,
                "accuracy": self._correct / self._seen_in_epoch}
        if self.validation_data is not None:
            logs["val_loss"], logs["val_accuracy"] = self.model.evaluate(
                *self.validation_data, loss=self.loss)
        logs.update(self._timing())
        self.history.append(logs)
        self.model.history.append(logs)
        for callback in self.callbacks:
            callback.on_epoch_end(self, logs)
        if not self.done:
            self._start_epoch()
