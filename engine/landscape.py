"""Loss landscapes: the training loss over a grid of two parameters, all others held.

Training walks downhill on a surface: the loss as a function of the
parameters. With two parameters the surface can be drawn as a contour map,
and the optimizer's path drawn on it. This module computes those maps:

    unit_loss_grid(X, y, "bce", w1s, w2s, b)      the sigmoid neuron over (w1, w2), b held
    unit_loss_grid_bias(X, y, "bce", w1s, bs, w2)  the same over (w1, b), w2 held
    network_loss_slice(model, X, y, loss, (0, "W", 0, 1), (1, "b", 0), a_values, b_values)
                                                   a network over two of its parameters:
                                                   a slice, everything else held
    optimizer_path(X, y, "bce", w, b, "adam", lr=0.1, batch_size=None, updates=500)
                                                   the (w1, w2, b) an optimizer visits

Every grid is returned as an array of shape (len(second values), len(first
values)): row r, column c is the loss at (first[c], second[r]), the layout
of a contour plot's z (x along the columns, y down the rows).

Vectorised: for the neuron, one matrix product gives the net input
z = w1 x1 + w2 x2 + b of every point at every grid cell at once, shape
(cells, points). For a network, changing one weight W[i, j] of a layer by d
changes that layer's net input z[:, j] by d * x[:, i] (and a bias b[j] by d
changes z[:, j] by d), so each grid cell's forward pass is the held network's
forward pass plus a rank-one correction, done for many cells at once.

A model is only read, never written: its parameters are the same, bit for
bit, before and after, and other threads may predict with it meanwhile.

What this leaves out: more than two axes, and random projections (the
"filter-normalised directions" of Li et al. 2018); a slice through two
chosen parameters is what a learner can read.
"""

import numpy as np

from . import optimizers, units
from .model import prepare_targets
from . import losses as losses_module

SIGMOID = units.SIGMOID

# Grid cells evaluated together: cells * points * units stays near this many numbers.
_CHUNK_ELEMENTS = 2_000_000


# ----------------------------------------------------------------------------
# The sigmoid neuron with two inputs
# ----------------------------------------------------------------------------


def _unit_data(X, y):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != 2 or len(X) == 0:
        raise ValueError(f"X must have shape (n, 2) with n >= 1; got shape {X.shape}")
    y = np.asarray(y, dtype=np.float64).reshape(-1)
    if y.shape != (len(X),):
        raise ValueError(f"y must have shape ({len(X)},), one target per point; got {y.shape}")
    if not np.all((y >= 0.0) & (y <= 1.0)):
        raise ValueError("y must hold targets in [0, 1]")
    return X, y


def _axis(name, values):
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 1 or len(values) == 0 or not np.all(np.isfinite(values)):
        raise ValueError(f"{name} must be a 1-D array of finite numbers; got shape {values.shape}")
    return values


def _mean_unit_loss(z, y, loss):
    """The sigmoid neuron's mean loss for each row of z (cells, points), as units.py computes it.

    "mse": mean (sigmoid(z) - y)^2; "bce": -mean(y ln a + (1 - y) ln(1 - a)) with
    a = sigmoid(z) and the logs clamped at -100 as engine/losses.py clamps them.
    """
    units.get_loss(loss)  # the name's check
    a = SIGMOID.fn(z)
    if loss == "mse":
        a -= y
        np.square(a, out=a)
        return a.mean(axis=-1)
    tiny = losses_module._TINY
    if np.all((y == 0.0) | (y == 1.0)):
        # hard targets: only one of the two logs is not multiplied by 0
        right = np.where(y == 1.0, a, 1.0 - a)
        return -np.log(np.maximum(right, tiny, out=right), out=right).mean(axis=-1)
    log_a = np.log(np.maximum(a, tiny))
    log_1ma = np.log(np.maximum(1.0 - a, tiny))
    return -(y * log_a + (1.0 - y) * log_1ma).mean(axis=-1)


def _unit_grid(X, y, loss, weights_of_cell, shape):
    """Loss at each cell of a grid; weights_of_cell is (cells, 3) of (w1, w2, b)."""
    cells = len(weights_of_cell)
    out = np.empty(cells)
    step = max(1, _CHUNK_ELEMENTS // len(X))
    for start in range(0, cells, step):  # a few chunks, each one array operation
        wb = weights_of_cell[start:start + step]
        z = wb[:, :2] @ X.T  # (cells, points): w1 x1 + w2 x2 for every cell and point
        z += wb[:, 2:3]
        out[start:start + step] = _mean_unit_loss(z, y, loss)
    return out.reshape(shape)


def unit_loss_grid(X, y, loss, w1s, w2s, b):
    """The sigmoid neuron's training loss at every (w1, w2) of a grid, the bias held at b.

    Args:
        X: (n, 2) points; y: (n,) targets in [0, 1].
        loss: "mse" or "bce", as engine/units.py names them.
        w1s, w2s: the grid's values of w1 (columns) and w2 (rows).
        b: the bias, held.

    Returns (len(w2s), len(w1s)): entry [r, c] is
    SigmoidNeuron(loss=loss) with w = (w1s[c], w2s[r]), b = b: its .loss(X, y).

        >>> grid = unit_loss_grid(X, y, "bce", np.linspace(-4, 4, 60), np.linspace(-4, 4, 60), 0.0)
        >>> grid.shape
        (60, 60)
    """
    X, y = _unit_data(X, y)
    w1s, w2s = _axis("w1s", w1s), _axis("w2s", w2s)
    W1, W2 = np.meshgrid(w1s, w2s)
    cells = np.column_stack([W1.ravel(), W2.ravel(), np.full(W1.size, float(b))])
    return _unit_grid(X, y, loss, cells, W1.shape)


def unit_loss_grid_bias(X, y, loss, w1s, bs, w2):
    """As unit_loss_grid, over (w1, b) with w2 held: shape (len(bs), len(w1s))."""
    X, y = _unit_data(X, y)
    w1s, bs = _axis("w1s", w1s), _axis("bs", bs)
    W1, B = np.meshgrid(w1s, bs)
    cells = np.column_stack([W1.ravel(), np.full(W1.size, float(w2)), B.ravel()])
    return _unit_grid(X, y, loss, cells, W1.shape)


def unit_loss_at(X, y, loss, w, b):
    """The loss at one (w1, w2, b), computed as the grids compute it (a float)."""
    X, y = _unit_data(X, y)
    return float(_unit_grid(X, y, loss, np.array([[w[0], w[1], b]], dtype=np.float64), (1,))[0])


def _batches(n, batch_size, order, rng):
    """The index arrays UnitTrainer feeds its unit, update after update, endlessly.

    The same draws from the same generator as engine/units.py's UnitTrainer, so a path
    here is the path the page's training takes (see optimizer_path).
    """
    while True:
        if order == "replacement":
            for start in range(0, n, batch_size):
                k = min(batch_size, n - start)
                yield rng.randint(n, size=k) if isinstance(rng, np.random.RandomState) \
                    else rng.integers(n, size=k)
        else:
            visit = rng.permutation(n) if order == "shuffle" else np.arange(n)
            for start in range(0, n, batch_size):
                yield visit[start:start + batch_size]


def optimizer_path(X, y, loss, w, b, optimizer, lr, batch_size=None, updates=500,
                   seed=0, order="shuffle"):
    """Where an optimizer takes the sigmoid neuron from (w, b): (updates + 1, 3) of (w1, w2, b).

    Row 0 is the start; row k the parameters after k updates. Each update takes
    SigmoidNeuron's own gradients (engine/units.py) on the batch,
    dE/d(w1, w2, b) = [x1, x2, 1]^T dE/dz, then w <- w - lr dE/dw (optimizer None)
    or the optimizer's step on [w1, w2, b]; the batches are those UnitTrainer
    draws for batch_size (None: all points), seed (an int or a NumPy generator)
    and order. So the path is the page's training, up to rounding, at a
    fraction of the cost: no traces, no per-epoch books (2,000 updates on 400
    points: some tens of milliseconds).

    optimizer: None or a name of engine.optimizers.OPTIMIZERS (built with lr).
    """
    X, y = _unit_data(X, y)
    n = len(X)
    batch_size = n if batch_size is None else units._check_int("batch_size", batch_size, 1)
    if batch_size > n:
        raise ValueError(f"batch_size must be at most {n}, the number of points; got {batch_size}")
    if order not in units.ORDERS:
        known = ", ".join(map(repr, units.ORDERS))
        raise ValueError(f"order must be one of {known}; got {order!r}")
    lr = units._check_lr(lr)
    step = None if optimizer is None else optimizers.get(optimizer, lr=lr).step
    rng = seed if isinstance(seed, (np.random.Generator, np.random.RandomState)) \
        else np.random.default_rng(seed)
    unit = units.SigmoidNeuron(n_inputs=X.shape[1], lr=lr, loss=loss)  # for its gradients
    params = np.array([w[0], w[1], b], dtype=np.float64)
    path = np.empty((updates + 1, 3))
    path[0] = params
    batches = _batches(n, batch_size, order, rng)
    for k in range(1, updates + 1):
        if batch_size == n and order != "replacement":
            xb, yb = X, y  # a whole epoch: its order changes nothing but rounding
        else:
            index = next(batches)
            xb, yb = X[index], y[index]
        unit.w, unit.b = params[:2], params[2]
        dw, db = unit.gradients(xb, yb)  # the unit's own dE/dw, dE/db
        grad = np.append(dw, db)
        if step is None:
            params = params - lr * grad
        else:
            step(params, grad)
        path[k] = params
    return path


# ----------------------------------------------------------------------------
# A slice through a network's parameters
# ----------------------------------------------------------------------------


def _check_parameter(model, spec, name):
    """(layer index, "W" or "b", index tuple) for a spec such as (0, "W", 1, 2) or (1, "b", 0)."""
    if not isinstance(spec, (tuple, list)) or len(spec) < 3:
        raise ValueError(f"{name} must be (layer, 'W', i, j) or (layer, 'b', j); got {spec!r}")
    layer, kind, *index = spec
    if not isinstance(layer, (int, np.integer)) or not 0 <= layer < len(model.layers):
        raise ValueError(f"{name}: layer must be 0..{len(model.layers) - 1}; got {layer!r}")
    dense = model.layers[layer]
    shape = {"W": (dense.n_in, dense.n_out), "b": (dense.n_out,)}.get(kind)
    if shape is None or len(index) != len(shape) or not all(
            isinstance(k, (int, np.integer)) and 0 <= k < s for k, s in zip(index, shape)):
        raise ValueError(f"{name} must be (layer, 'W', i, j) with i < {dense.n_in}, j < "
                         f"{dense.n_out}, or (layer, 'b', j); got {spec!r}")
    return int(layer), kind, tuple(int(k) for k in index)


def parameter_value(model, spec):
    """The current value of one parameter, e.g. parameter_value(model, (0, "W", 1, 2))."""
    layer, kind, index = _check_parameter(model, spec, "parameter")
    array = model.layers[layer].W if kind == "W" else model.layers[layer].b
    return float(array[index])


def _per_cell_loss(model, loss, z, a, target):
    """The loss of each cell, z and a of shape (cells, n, k); as model.loss_value computes it."""
    fused = loss.fused_activation == model.layers[-1].activation.name
    n = z.shape[1]
    if loss.name == "mse":
        return ((a - target) ** 2).mean(axis=(1, 2))
    if loss.name == "sse":
        return 0.5 * ((a - target) ** 2).sum(axis=(1, 2)) / n
    if loss.name == "binary_cross_entropy":
        if fused:
            return (np.logaddexp(0.0, z) - target * z).mean(axis=(1, 2))
        tiny = losses_module._TINY
        return -(target * np.log(np.maximum(a, tiny))
                 + (1.0 - target) * np.log(np.maximum(1.0 - a, tiny))).mean(axis=(1, 2))
    if loss.name == "cross_entropy":
        dense = target if target.ndim == 2 else np.eye(z.shape[2], dtype=z.dtype)[target]
        if fused:
            m = z.max(axis=2, keepdims=True)
            logsumexp = m[..., 0] + np.log(np.exp(z - m).sum(axis=2))
            return (logsumexp - (dense * z).sum(axis=2)).mean(axis=1)
        log_a = np.log(np.maximum(a, losses_module._TINY))
        return -(dense * log_a).sum(axis=(1, 2)) / n
    # a loss this module does not know: its own code, cell by cell
    return np.array([model.loss_value(a[c], target, loss, z=z[c]) for c in range(len(z))])


def _add_changes(z, x, dense, changes, values, columns):
    """Add to z (cells, n, len(columns)) what setting the layer's varied entries changes.

    W[i, j] -> v adds (v - W[i, j]) x[:, i] to z[:, j]; b[j] -> v adds v - b[j].
    columns: the units z holds (z[:, :, p] is unit columns[p]); x: (n, n_in) or (cells, n, n_in).
    """
    columns = list(columns)
    for kind, index, column in changes:
        v = values[:, column]
        j = columns.index(index[-1])
        if kind == "W":
            i = index[0]
            xi = x[..., i] if x.ndim == 3 else x[None, :, i]
            z[:, :, j] += (v - dense.W[index])[:, None] * xi
        else:
            z[:, :, j] += (v - dense.b[index])[:, None]


def network_loss_slice(model, X, y, loss, first, second, a_values, b_values):
    """A Sequential's loss over a grid of two of its parameters, all the others held.

    Args:
        model: an engine Sequential of Dense layers; only read.
        X, y: the data, as for model.evaluate(X, y, loss).
        loss: a loss name or object of engine/losses.py (None: the model's own).
        first, second: the two parameters, each (layer, "W", i, j) for layer.W[i, j]
            or (layer, "b", j) for layer.b[j]; e.g. (0, "W", 0, 1) is the weight
            from input 0 to hidden unit 1.
        a_values, b_values: the values the first and the second take.

    Returns (len(b_values), len(a_values)): entry [r, c] is
    model.evaluate(X, y, loss)[0] with first = a_values[c] and
    second = b_values[r] (to the model's float precision). A slice, not the
    whole landscape: every other parameter stays where it is.
    """
    loss = losses_module.get(loss or model.loss or "mse")
    first = _check_parameter(model, first, "first")
    second = _check_parameter(model, second, "second")
    if first == second:
        raise ValueError(f"first and second must be two different parameters; got {first} twice")
    a_values, b_values = _axis("a_values", a_values), _axis("b_values", b_values)
    X = model._check_inputs(X)
    target, _ = prepare_targets(y, model.n_outputs, loss, model.dtype)
    dtype = model.dtype
    A, B = np.meshgrid(a_values.astype(dtype), b_values.astype(dtype))
    cell_values = np.column_stack([A.ravel(), B.ravel()])  # (cells, 2)
    varied = {}  # layer -> [(kind, index, column of cell_values)]
    for column, (layer, kind, index) in enumerate((first, second)):
        varied.setdefault(layer, []).append((kind, index, column))
    top = min(varied)

    # The layers below the first varied one are the same for every cell: once.
    x_held = model._scaled(X)
    for layer in model.layers[:top]:
        x_held = layer.forward(x_held)

    layers = model.layers
    # One layer varied, not the last, element-wise activation: only the varied units' columns
    # of its output change, and the next layer's net input by (a_j - a_j held) W_next[j, :].
    narrow = len(varied) == 1 and top < len(layers) - 1 and layers[top].activation.name != "softmax"
    if narrow:
        dense, after = layers[top], layers[top + 1]
        z_top = x_held @ dense.W + dense.b
        a_top = dense.activation.forward(z_top)
        units_varied = sorted({index[-1] for _, index, _ in varied[top]})
        z_after = a_top @ after.W + after.b
    width = max(layer.n_out for layer in layers[top + 1 if narrow else top:])
    step = max(1, _CHUNK_ELEMENTS // (len(X) * width))
    out = np.empty(len(cell_values))
    for start in range(0, len(cell_values), step):
        values = cell_values[start:start + step]
        if narrow:
            z_j = np.repeat(z_top[None][:, :, units_varied], len(values), axis=0)
            _add_changes(z_j, x_held, dense, varied[top], values, units_varied)
            a_j = dense.activation.forward(z_j.reshape(-1, len(units_varied))).reshape(z_j.shape)
            z = np.repeat(z_after[None], len(values), axis=0)
            for p, j in enumerate(units_varied):
                z += (a_j[:, :, p] - a_top[:, j])[:, :, None] * after.W[j]
            x = after.activation.forward(z.reshape(-1, after.n_out)).reshape(z.shape)
            first_layer = top + 2
        else:
            x, first_layer = x_held, top  # x: (n, n_in) while shared by all cells
        for li in range(first_layer, len(layers)):
            dense = layers[li]
            z = (x.reshape(-1, dense.n_in) @ dense.W).reshape(*x.shape[:-1], dense.n_out)
            z += dense.b
            if li in varied:
                if z.ndim == 2:
                    z = np.repeat(z[None], len(values), axis=0)
                _add_changes(z, x, dense, varied[li], values, range(dense.n_out))
            x = dense.activation.forward(z.reshape(-1, dense.n_out)).reshape(z.shape)
        out[start:start + step] = _per_cell_loss(model, loss, z, x, target)
    return out.reshape(A.shape)
