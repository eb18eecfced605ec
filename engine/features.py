"""Input features for 2-D points: what the network is fed instead of (x1, x2) alone.

A point (x1, x2) can be given to a network as more numbers than its two
coordinates, as in the TensorFlow Playground: x1², x1·x2, sin(x1) ... With
x1² and x2² as inputs, a single neuron can draw a circle, which it cannot
do from x1 and x2.

    >>> X = np.array([[1.0, 2.0], [3.0, -1.0]])
    >>> feature_matrix(X, ["x1", "x1sq", "x1x2"])
    array([[ 1.,  1.,  2.],
           [ 3.,  9., -3.]], dtype=float32)

FEATURES maps each name to its function of the columns x1 and x2, in the
order the playground lists them.
"""

import numpy as np

FEATURES = {
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1sq": lambda x1, x2: x1 * x1,
    "x2sq": lambda x1, x2: x2 * x2,
    "x1x2": lambda x1, x2: x1 * x2,
    "sinx1": lambda x1, x2: np.sin(x1),
    "sinx2": lambda x1, x2: np.sin(x2),
}


def feature_matrix(X, names):
    """The network's inputs: one column per named feature of the points X.

    Args:
        X: points of shape (n, 2), one (x1, x2) per row.
        names: feature names from FEATURES, e.g. ["x1", "x2", "x1x2"]; the
            columns come in this order.

    Returns:
        float32 array of shape (n, len(names)).
    """
    X = np.asarray(X)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must be points of shape (n, 2), got shape {X.shape}")
    names = list(names)
    if not names:
        raise ValueError(f"names must list at least one feature; known: {', '.join(FEATURES)}")
    for name in names:
        if name not in FEATURES:
            raise ValueError(f"unknown feature {name!r}; known: {', '.join(FEATURES)}")
    x1, x2 = X[:, 0], X[:, 1]
    return np.column_stack([FEATURES[name](x1, x2) for name in names]).astype(np.float32)
