"""Looking inside a layer while it learns: saturated units and dead units.

A unit learns from its net input z = x . w + b through the slope f'(z) of its
activation: backpropagation multiplies every error that passes the unit by it.

* A **saturated** unit (sigmoid, tanh: activations that flatten out on both
  sides) has |z| so large that f'(z) is below 1 % of the slope's peak
  (`SATURATION`): for the sigmoid |z| > 5.99, for tanh |z| > 2.99. Errors hardly
  pass it, so its incoming weights hardly change.
* A **dead** unit (ReLU) has f'(z) = 0 for every example of the batch: z < 0
  everywhere, so its output is always 0 and its weights get no gradient at all.
  It stays dead unless the layer below changes (leaky ReLU's slope 0.01 keeps
  it from dying).

    >>> zs = [z for z, a in model.forward_trace(X)]       # each layer's (n, units)
    >>> report = layer_report(activations.get("relu"), zs[0])
    >>> report["dead_units"], report["dead_share"]          # e.g. [3, 7], 0.25

Counts are over the batch given: a unit dead on 100 points may live on others.
"""

import numpy as np

SATURATION = 0.01  # f'(z) below this share of the slope's peak: saturated
_GRID = np.linspace(-30.0, 30.0, 6001)  # where the slope's peak and ends are read


def slope_peak(activation):
    """The largest slope f'(z) of the activation (0.25 for the sigmoid, 1 for tanh and ReLU)."""
    return float(np.max(activation.grad(_GRID.copy())))


def saturates(activation):
    """True if the activation flattens out on both sides (sigmoid, tanh), by its slope at ±30."""
    ends = activation.grad(np.array([_GRID[0], _GRID[-1]]))
    return bool(np.all(ends < SATURATION * slope_peak(activation)))


def saturation_limit(activation):
    """The smallest |z| beyond which the slope stays under SATURATION of its peak (None if it
    does not saturate): 5.98 for the sigmoid, 2.99 for tanh (read on a grid of step 0.01)."""
    if not saturates(activation):
        return None
    flat = activation.grad(_GRID.copy()) < SATURATION * slope_peak(activation)
    steep = np.abs(_GRID[~flat])
    return float(steep.max()) if steep.size else 0.0


def layer_report(activation, z):
    """What a layer's net inputs z (n examples, units) say about its units.

    Returns a dict of plain numbers and lists:
        n_examples, n_units;
        saturated_share: the share of the n x units values whose slope is under
            SATURATION of its peak (None for an activation that does not saturate);
        saturated_units: units saturated on every example;
        dead_units: units whose slope is 0 on every example (a dead ReLU);
        dead_share: len(dead_units) / n_units.
    """
    z = np.asarray(z, dtype=np.float64)
    if z.ndim != 2 or z.shape[0] < 1 or z.shape[1] < 1:
        raise ValueError(f"z must be (examples, units) with at least one of each; got {z.shape}")
    slope = activation.grad(z.copy())
    flat = slope < SATURATION * slope_peak(activation)
    n_units = z.shape[1]
    dead = np.flatnonzero(np.all(slope == 0.0, axis=0))
    saturating = saturates(activation)
    return {
        "n_examples": int(z.shape[0]),
        "n_units": int(n_units),
        "saturated_share": float(flat.mean()) if saturating else None,
        "saturated_units": np.flatnonzero(flat.all(axis=0)).tolist() if saturating else [],
        "dead_units": dead.tolist(),
        "dead_share": len(dead) / n_units,
    }
