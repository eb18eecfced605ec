"""Small 2-D classification data sets, generated from a seed or read from CSV.

Every generator returns (X, y): X float32 of shape (n, 2), one point (x1, x2)
per row, and y int64 of shape (n,), the class 0..k-1 of each point. The same
seed always gives the same points; randomness comes only from
`np.random.default_rng(seed)`.

    logic_gate("xor")    the four corners of the unit square, labelled by a gate
    noisy_gate("xor")    many points around those corners, for the playground
    eight_points()       eight fixed points, few enough to follow by hand
    blobs()              two Gaussian clouds, one shifted from the other (class 1,
                         or class 0 as tutorial 001 labels them)
    circle(), xor(), gaussian(), spiral(), moons()
                         TensorFlow-Playground-style sets in about [-6, 6]^2;
                         `make(name, ...)` looks one up in PLAYGROUND_DATASETS
    PLANE_DATASETS       every set the playground offers, by name, with the
                         window it is drawn in: make_plane("spiral3", 300, 0.1, 7)
    from_csv(text)       a learner's own points: x1, x2, label per line
    fit_points_to_window()  such points rescaled if far out, and a window around them
    train_test_split()   a seeded split into training and test points

The playground sets follow https://playground.tensorflow.org (src/dataset.ts):
same shapes and sizes, and the same meaning of `noise`, a fraction in [0, 1]
(the playground's slider goes from 0 to 0.5):

    circle    an inner disc (class 1, radius < 2.5) and a ring (class 0,
              radius 3.5..5). Points do not move; each label is taken at the
              point displaced by uniform(-5, 5) * noise in x and y, so noise
              mislabels points near the boundary.
    xor       points in [-5.3, 5.3]^2 away from the axes; class 1 where
              x1 * x2 >= 0 (first and third quadrants). Labels are taken at the
              point displaced by uniform(-5, 5) * noise, as for circle.
    gaussian  class 1 around (2, 2), class 0 around (-2, -2); the variance of
              each coordinate grows linearly with noise: 0.5 + 7 * noise
              (0.5 at noise 0, 4 at the playground's largest noise 0.5).
    spiral    k arms of radius 0..5 turning 1.75 times; each point moves by
              uniform(-1, 1) * noise in x and y.
    moons     two interleaving half circles of radius 4 (not in the
              playground; scikit-learn's make_moons scaled to [-6, 6]); each
              point moves by a Gaussian of standard deviation 2 * noise.

Playground points come in random order (as the playground shuffles them).
Class counts differ by at most one, except where noise relabels points
(circle and xor).
"""

import csv
import io
import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

# Truth tables over the inputs [[0, 0], [0, 1], [1, 0], [1, 1]], in that order.
GATES = {
    "or": (0, 1, 1, 1),
    "and": (0, 0, 0, 1),
    "nand": (1, 1, 1, 0),
    "xor": (0, 1, 1, 0),
}

MAX_POINTS = 1_000_000
MAX_CSV_CLASSES = 10
MAX_CSV_ROWS = 10_000
# 1 MB (as Streamlit's uploader counts on Linux and macOS: 10**6 bytes); 10,000 rows of
# x1, x2, label take about 250 KB
MAX_CSV_BYTES = 1_000_000
MAX_CSV_LINE = 1_000  # characters; a line of x1, x2, label is rarely over 60
MAX_LABEL = 2**31 - 1  # labels beyond int32 are surely a wrong column
FLOAT32_MAX = float(np.finfo(np.float32).max)


def logic_gate(name):
    """The four inputs of a two-input logic gate and its output for each.

    logic_gate("xor") gives X = [[0, 0], [0, 1], [1, 0], [1, 1]] and
    y = [0, 1, 1, 0]. XOR is the classic problem a single neuron cannot
    solve: no straight line separates its two classes.

    Args:
        name: "or", "and", "nand" or "xor" (any case); see GATES.

    Returns:
        X float32 (4, 2), y int64 (4,).
    """
    key = name.lower() if isinstance(name, str) else name
    if key not in GATES:
        raise ValueError(f"unknown logic gate {name!r}; known: {', '.join(GATES)}")
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    y = np.array(GATES[key], dtype=np.int64)
    return X, y


def noisy_gate(name, n_points=100, noise=0.0, seed=0):
    """n points around the four corners of a logic gate's truth table, labelled by the gate.

    The corners (0, 0), (0, 1), (1, 0), (1, 1) take turns, so each gets a
    quarter of the points (one more for the first n % 4), and each point moves
    by a Gaussian of standard deviation 0.5 * noise: at noise 0 every point
    sits on its corner, at noise 1 the four clouds overlap. Points come in
    random order.

    Args:
        name: "or", "and", "nand" or "xor" (any case); see GATES.
        n_points: number of points, at least 4.
        noise: fraction in [0, 1].
        seed: integer seed.

    Returns:
        X float32 (n_points, 2), y int64 (n_points,).
    """
    corners, outputs = logic_gate(name)
    _check_count("n_points", n_points, minimum=4)
    _check_noise(noise)
    rng = _rng(seed)
    which = np.arange(n_points) % 4
    X = corners[which] + rng.normal(0.0, 0.5 * noise, size=(n_points, 2))
    return _shuffled(X, outputs[which], rng)


def eight_points():
    """Eight fixed points in two classes, small enough to follow by hand.

    Returns:
        X float32 (8, 2), y int64 (8,): class 1 is (2, 1), (3, 4), (2, 0.5)
        and (5.5, 1); class 0 is (3, 1.5), (4, 1.5), (3.5, 0.5) and (1, 1).
    """
    X = np.array([[3, 1.5], [2, 1], [4, 1.5], [3, 4],
                  [3.5, 0.5], [2, 0.5], [5.5, 1], [1, 1]], dtype=np.float32)
    y = np.array([0, 1, 0, 1, 0, 1, 1, 0], dtype=np.int64)
    return X, y


def blobs(n_points=200, separation=10.0, noise=1.0, seed=0, shifted_class=1):
    """Two round Gaussian clouds: one ~ N((0, 0), noise^2 I), the other the same moved by (s, s).

    With the defaults, class 1 is centred at (10, 10), ten standard
    deviations away in each coordinate: an easy, linearly separable problem.
    Class 0 gets the first ceil(n/2) rows, class 1 the rest (not shuffled).

    Tutorial 001 labels them the other way round: its first 100 rows are
    moved by (10, 10) and labelled 0, the other 100 stay at (0, 0) and are
    labelled 1 (`data = np.random.randn(200, 3); data[:100, :2] += (10, 10)`).
    That is blobs(200, 10.0, 1.0, seed, shifted_class=0): the same layout and
    distribution; the random numbers themselves come from this module's
    generator, not from randn.

    Args:
        n_points: total number of points, at least 2.
        separation: s, the shift of the moved cloud along both axes (any finite number).
        noise: the standard deviation of each coordinate, >= 0.
        seed: integer seed of the random generator.
        shifted_class: which class is moved by (s, s): 1 (the default) or 0
            (tutorial 001's labels). Either way class 0 is the first ceil(n/2) rows.

    Returns:
        X float32 (n_points, 2), y int64 (n_points,).
    """
    _check_count("n_points", n_points, minimum=2)
    _check_finite("separation", separation)
    _check_finite("noise", noise, minimum=0.0)
    if isinstance(shifted_class, bool) or shifted_class not in (0, 1):
        raise ValueError(f"shifted_class must be 0 or 1, the class moved by (s, s); "
                         f"got {shifted_class!r}")
    rng = _rng(seed)
    y = _balanced_labels(n_points, 2)
    X = rng.normal(0.0, 1.0, size=(n_points, 2)) * noise
    X[y == shifted_class] += separation
    return X.astype(np.float32), y


# ----------------------------------------------------------- playground sets


def circle(n_points=500, noise=0.0, seed=0):
    """A disc inside a ring: class 1 at radius < 2.5, class 0 at radius 3.5..5.

    As in the playground, the radius is uniform (so points crowd near the
    centre) and noise only changes labels: each label says whether the point
    moved by uniform(-5, 5) * noise in x and y lies inside radius 2.5.

    Args:
        n_points: number of points, at least 2 (half in each part).
        noise: fraction in [0, 1].
        seed: integer seed.

    Returns:
        X float32 (n_points, 2), y int64 (n_points,).
    """
    _check_count("n_points", n_points, minimum=2)
    _check_noise(noise)
    rng = _rng(seed)
    radius = 5.0
    inside = _balanced_labels(n_points, 2) == 1
    r = np.where(inside, rng.uniform(0.0, 0.5 * radius, n_points),
                 rng.uniform(0.7 * radius, radius, n_points))
    angle = rng.uniform(0.0, 2.0 * math.pi, n_points)
    X = np.column_stack([r * np.sin(angle), r * np.cos(angle)])
    moved = X + rng.uniform(-radius, radius, size=X.shape) * noise
    y = (np.hypot(moved[:, 0], moved[:, 1]) < 0.5 * radius).astype(np.int64)
    return _shuffled(X, y, rng)


def xor(n_points=500, noise=0.0, seed=0):
    """Four squares: class 1 where x1 * x2 >= 0 (quadrants I and III), class 0 elsewhere.

    Each coordinate's size |x| is uniform in 0.3..5.3, leaving a gap of 0.6
    along each axis; half the points are drawn in each class's quadrants.
    Noise changes labels only: each label is taken at the point moved by
    uniform(-5, 5) * noise in x and y.

    Args:
        n_points: number of points, at least 2.
        noise: fraction in [0, 1].
        seed: integer seed.

    Returns:
        X float32 (n_points, 2), y int64 (n_points,).
    """
    _check_count("n_points", n_points, minimum=2)
    _check_noise(noise)
    rng = _rng(seed)
    padding = 0.3
    size = rng.uniform(0.0, 5.0, size=(n_points, 2)) + padding
    sign_x = rng.choice([-1.0, 1.0], size=n_points)
    same_sign = _balanced_labels(n_points, 2) == 1  # class 1: both coordinates of one sign
    sign_y = np.where(same_sign, sign_x, -sign_x)
    X = size * np.column_stack([sign_x, sign_y])
    moved = X + rng.uniform(-5.0, 5.0, size=X.shape) * noise
    y = (moved[:, 0] * moved[:, 1] >= 0).astype(np.int64)
    return _shuffled(X, y, rng)


def gaussian(n_points=500, noise=0.0, seed=0):
    """Two Gaussian clouds: class 1 around (2, 2), class 0 around (-2, -2).

    Each coordinate has variance 0.5 + 7 * noise: 0.5 at noise 0 (clearly
    apart), 4 at noise 0.5 (overlapping), as in the playground.

    Args:
        n_points: number of points, at least 2.
        noise: fraction in [0, 1].
        seed: integer seed.

    Returns:
        X float32 (n_points, 2), y int64 (n_points,).
    """
    _check_count("n_points", n_points, minimum=2)
    _check_noise(noise)
    rng = _rng(seed)
    std = math.sqrt(0.5 + 7.0 * noise)
    y = _balanced_labels(n_points, 2)
    centres = np.where(y[:, None] == 1, 2.0, -2.0)
    X = centres + rng.normal(0.0, std, size=(n_points, 2))
    return _shuffled(X, y, rng)


def spiral(n_points=500, noise=0.0, classes=2, seed=0):
    """k spiral arms, one per class, winding out from the centre.

    Arm j (class j) has points at radius r = 5 * i / m and angle
    t = 1.75 * 2 pi * i / m + 2 pi j / k for i = 0..m-1 (m points on the
    arm), at (r sin t, r cos t); each point then moves by
    uniform(-1, 1) * noise in x and y. With noise 0 the positions do not
    depend on the seed (only their order does).

    Args:
        n_points: number of points, at least `classes`.
        noise: fraction in [0, 1].
        classes: number of arms k, 2..5.
        seed: integer seed.

    Returns:
        X float32 (n_points, 2), y int64 (n_points,) with labels 0..k-1.
    """
    _check_count("classes", classes, minimum=2, maximum=5)
    _check_count("n_points", n_points, minimum=classes)
    _check_noise(noise)
    rng = _rng(seed)
    y = _balanced_labels(n_points, classes)
    counts = np.bincount(y, minlength=classes)
    position = np.concatenate([np.arange(m) / m for m in counts])  # i / m along each arm
    r = 5.0 * position
    t = 1.75 * 2.0 * math.pi * position + 2.0 * math.pi * y / classes
    X = np.column_stack([r * np.sin(t), r * np.cos(t)])
    X += rng.uniform(-1.0, 1.0, size=X.shape) * noise
    return _shuffled(X, y, rng)


def moons(n_points=500, noise=0.0, seed=0):
    """Two interleaving half circles (scikit-learn's make_moons, scaled by 4 and centred).

    Class 0 is the upper arc (cos t, sin t), class 1 the lower arc
    (1 - cos t, 1/2 - sin t), t evenly spaced over [0, pi]; both are shifted by
    (-1/2, -1/4) and scaled by 4, so x1 spans [-6, 6] and x2 [-3, 3]. Each
    point then moves by a Gaussian of standard deviation 2 * noise (half the
    radius at noise 1).

    Args:
        n_points: number of points, at least 2.
        noise: fraction in [0, 1].
        seed: integer seed.

    Returns:
        X float32 (n_points, 2), y int64 (n_points,).
    """
    _check_count("n_points", n_points, minimum=2)
    _check_noise(noise)
    rng = _rng(seed)
    y = _balanced_labels(n_points, 2)
    n0, n1 = np.bincount(y, minlength=2)
    t0, t1 = np.linspace(0.0, math.pi, n0), np.linspace(0.0, math.pi, n1)
    upper = np.column_stack([np.cos(t0), np.sin(t0)])
    lower = np.column_stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)])
    X = (np.concatenate([upper, lower]) - (0.5, 0.25)) * 4.0
    X += rng.normal(0.0, 2.0 * noise, size=X.shape)
    return _shuffled(X, y, rng)


PLAYGROUND_DATASETS = {
    "circle": circle,
    "xor": xor,
    "gaussian": gaussian,
    "spiral": spiral,
    "moons": moons,
}


def make(name, **kwargs):
    """The playground data set `name` (see PLAYGROUND_DATASETS) with the given arguments.

    make("spiral", n_points=300, noise=0.1, classes=3, seed=7)
    is spiral(n_points=300, noise=0.1, classes=3, seed=7).
    """
    key = name.lower() if isinstance(name, str) else name
    if key not in PLAYGROUND_DATASETS:
        raise ValueError(f"unknown data set {name!r}; known: {', '.join(PLAYGROUND_DATASETS)}")
    return PLAYGROUND_DATASETS[key](**kwargs)


# ------------------------------------------------- every set of the playground

PLAYGROUND_WINDOW = (-6.0, 6.0)  # the playground sets live in about [-6, 6]^2
GATE_WINDOW = (-0.5, 1.5)  # the unit square's corners, with room for the noise


@dataclass(frozen=True)
class PlaneDataset:
    """A 2-D data set as the playground offers it.

    make: make(n_points, noise, seed) -> (X, y), noise a fraction in [0, 1].
    window: (low, high), the square [low, high]^2 the points are drawn in.
    classes: the number of classes, labels 0..classes-1.
    """

    make: Callable
    window: tuple
    classes: int = 2


def _generator(function, **fixed):
    """make(n_points, noise, seed) calling function(n_points=..., noise=..., seed=..., **fixed)."""
    def make_points(n_points, noise, seed):
        return function(n_points=n_points, noise=noise, seed=seed, **fixed)
    return make_points


def _gate(name):
    """make(n_points, noise, seed) for noisy_gate(name, ...)."""
    def make_points(n_points, noise, seed):
        return noisy_gate(name, n_points, noise, seed)
    return make_points


PLANE_DATASETS = {
    "circle": PlaneDataset(_generator(circle), PLAYGROUND_WINDOW),
    "xor": PlaneDataset(_generator(xor), PLAYGROUND_WINDOW),
    "gaussian": PlaneDataset(_generator(gaussian), PLAYGROUND_WINDOW),
    "spiral": PlaneDataset(_generator(spiral), PLAYGROUND_WINDOW),
    "spiral3": PlaneDataset(_generator(spiral, classes=3), PLAYGROUND_WINDOW, classes=3),
    "moons": PlaneDataset(_generator(moons), PLAYGROUND_WINDOW),
    "gate_and": PlaneDataset(_gate("and"), GATE_WINDOW),
    "gate_or": PlaneDataset(_gate("or"), GATE_WINDOW),
    "gate_nand": PlaneDataset(_gate("nand"), GATE_WINDOW),
    "gate_xor": PlaneDataset(_gate("xor"), GATE_WINDOW),
}


def make_plane(name, n_points, noise, seed):
    """The points of PLANE_DATASETS[name]: make_plane("spiral3", 300, 0.1, 7) -> (X, y).

    Args:
        name: a key of PLANE_DATASETS, e.g. "circle", "spiral3", "gate_xor".
        n_points: number of points.
        noise: fraction in [0, 1] (the playground's slider shows it in %).
        seed: integer seed.

    Returns:
        X float32 (n_points, 2), y int64 (n_points,); draw them in
        PLANE_DATASETS[name].window.
    """
    if name not in PLANE_DATASETS:
        raise ValueError(f"unknown data set {name!r}; known: {', '.join(PLANE_DATASETS)}")
    return PLANE_DATASETS[name].make(n_points, noise, seed)


def fit_points_to_window(X, limit=10.0):
    """A learner's points, rescaled if they reach far out, and a square window around them.

    If any coordinate is beyond ±limit (where tanh or sigmoid units would
    saturate), each column is mapped linearly onto -5..5: its lowest value
    to -5, its highest to 5; a column whose values are all equal becomes 0.
    The window is a square around the points with 15 % to spare: its centre
    is the middle of the points' range on each axis, its half width 1.15
    times half the wider range (at least 0.5):

        >>> fit_points_to_window([[0, 0], [2, 1]])
        (array(...), (-0.65, 2.15), False)       # centres 1, 0.5; half 1 * 1.15
        >>> fit_points_to_window([[0, 0], [20, 1], [10, 3]])[0]
        [[-5, -5], [5, -1.667], [0, 5]]          # window (-5.75, 5.75), rescaled True

    Args:
        X: points of shape (n, 2), n >= 1, finite.
        limit: the largest |coordinate| kept as it is.

    Returns:
        (X float32 (n, 2), window (low, high) as floats, rescaled: bool).
    """
    X = np.asarray(X)
    if X.ndim != 2 or X.shape[1] != 2 or len(X) == 0:
        raise ValueError(f"X must be points of shape (n, 2) with n >= 1, got shape {X.shape}")
    X = X.astype(np.float32)
    low, high = X.min(axis=0), X.max(axis=0)
    rescaled = bool(np.abs(X).max() > limit)
    if rescaled:
        span = np.where(high > low, high - low, 1.0)
        X = np.where(high > low, (X - low) / span * 10.0 - 5.0, 0.0).astype(np.float32)
        low, high = X.min(axis=0), X.max(axis=0)
    centre, half = (low + high) / 2.0, max(float((high - low).max()) / 2.0, 0.5) * 1.15
    window = (float(min(centre) - half), float(max(centre) + half))
    return X, window, rescaled


# ------------------------------------------------------------------ splitting


def train_test_split(X, y, test_size=0.25, seed=0):
    """Shuffle the samples with a seed, then hold out ceil(test_size * n) of them for testing.

    Args:
        X: array of shape (n, ...), one sample per row.
        y: array of shape (n, ...), the matching targets.
        test_size: fraction of the samples to test on, strictly between 0 and 1;
            at least one sample must end up on each side.
        seed: integer seed of the shuffle.

    Returns:
        (X_train, X_test, y_train, y_test), new arrays of the input dtypes.
    """
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim == 0 or y.ndim == 0:
        raise ValueError(f"X and y must be arrays with one sample per row, got shapes "
                         f"{X.shape} and {y.shape}")
    if len(X) != len(y):
        raise ValueError(f"X and y must have the same number of samples, got {len(X)} and {len(y)}")
    if (isinstance(test_size, bool) or not isinstance(test_size, (int, float, np.number))
            or not 0.0 < test_size < 1.0):
        raise ValueError(f"test_size must be a fraction between 0 and 1 (exclusive), "
                         f"got {test_size!r}")
    n = len(X)
    n_test = math.ceil(round(test_size * n, 9))  # round first: 0.3 * 300 is 90.00000000000001
    if n_test >= n:
        raise ValueError(f"test_size={test_size} of {n} samples leaves no training sample; "
                         f"use a smaller test_size or more samples")
    order = _rng(seed).permutation(n)
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]


# ------------------------------------------------------------------------ CSV


def from_csv(data, max_rows=MAX_CSV_ROWS, max_bytes=MAX_CSV_BYTES):
    """A learner's own 2-D points from CSV: one point per line, `x1, x2, label`.

    Example (the header line is optional; blank lines are skipped):

        x1,x2,label
        0.5,1.2,-1
        2.0,3.1,1

    Columns may be separated by commas, semicolons or tabs (whichever splits
    the first line into three). Spaces and quotes around a field are ignored:
    `"0.5", "1.2", "-1"` is the point (0.5, 1.2) of class -1. The first line
    is taken as a header if none of its fields is a number. Labels must be
    whole numbers ("2" or "2.0"); the distinct labels, sorted, are renumbered
    0..k-1: -1/1 become 0/1, 1/2 become 0/1, 3/5/9 become 0/1/2.

    Args:
        data: the file's content, str or bytes-like (UTF-8, with or without
            BOM, or UTF-16 with BOM).
        max_rows: largest number of data rows accepted.
        max_bytes: largest size accepted, in bytes (a str: its UTF-8 size);
            a larger input is refused before it is read.

    Returns:
        X float32 (n, 2), y int64 (n,) with labels 0..k-1, 2 <= k <= 10.

    Raises:
        ValueError: input over max_bytes, empty input, undecodable bytes, a
            line over MAX_CSV_LINE characters or that is not CSV, a line
            without exactly three columns, a feature that is not a finite
            number, a label that is not a whole number, fewer than 2 or more
            than 10 classes, more than max_rows rows. The message names the
            line where it applies and quotes at most a few dozen characters.
    """
    _check_count("max_rows", max_rows, minimum=1)
    _check_count("max_bytes", max_bytes, minimum=1, maximum=2**40)
    _check_size(data, max_bytes)
    lines = ((number, line.rstrip("\n")) for number, line in
             enumerate(io.StringIO(_decode(data), newline=None), start=1) if line.strip())
    delimiter = None
    features, labels = [], []
    for number, line in lines:
        if len(line) > MAX_CSV_LINE:
            raise ValueError(f"line {number} is {len(line):,} characters long; a line of "
                             f"x1, x2, label is much shorter (at most {MAX_CSV_LINE:,} "
                             f"characters are accepted)")
        if delimiter is None:  # the first line: find the delimiter, skip a header
            delimiter = _guess_delimiter(line)
            fields = _split(line, delimiter, number)
            if not any(_is_number(field) for field in fields):
                if len(fields) != 3:
                    raise ValueError(f"line {number}: the header has {len(fields)} columns, "
                                     f"expected 3 (x1, x2, label)")
                continue
        fields = _split(line, delimiter, number)
        if len(fields) != 3:
            raise ValueError(f"line {number}: expected 3 columns (x1, x2, label), "
                             f"got {len(fields)}: {_quoted(line.strip())}")
        if len(labels) == max_rows:
            raise ValueError(f"too many rows: at most {max_rows:,} data rows are allowed, "
                             f"line {number} is row {max_rows + 1:,}; use a smaller file")
        features.append((_feature(fields[0], number, 1), _feature(fields[1], number, 2)))
        labels.append(_label(fields[2], number))
    if delimiter is None:
        raise ValueError("the CSV is empty: expected lines of x1, x2, label")
    if not labels:
        raise ValueError("the CSV has a header but no data rows")
    classes, y = np.unique(np.array(labels), return_inverse=True)
    if len(classes) < 2:
        raise ValueError(f"all {len(labels)} rows have label {labels[0]}; "
                         f"a classifier needs at least two classes")
    if len(classes) > MAX_CSV_CLASSES:
        raise ValueError(f"{len(classes)} different labels found; at most {MAX_CSV_CLASSES} "
                         f"classes are allowed")
    return np.array(features, dtype=np.float32), y.astype(np.int64)


def _check_size(data, max_bytes):
    """ValueError if data is over max_bytes (checked before anything is copied or decoded)."""
    if isinstance(data, memoryview):
        size = data.nbytes
    elif isinstance(data, (bytes, bytearray)):
        size = len(data)
    elif isinstance(data, str):
        # a character takes at least one byte in UTF-8: no need to encode a long str
        size = len(data) if len(data) > max_bytes else len(data.encode("utf-8", "replace"))
    else:
        raise TypeError(f"data must be str or bytes, got {type(data).__name__}")
    if size > max_bytes:
        raise ValueError(f"the file is too large: {size:,} bytes ({size / 1e6:.1f} MB); at most "
                         f"{max_bytes:,} bytes ({max_bytes / 1e6:g} MB) are accepted, "
                         f"enough for {MAX_CSV_ROWS:,} points")


def _decode(data):
    """CSV content as str; bytes must be UTF-8 (optional BOM) or UTF-16 with BOM."""
    if isinstance(data, str):
        return _check_text(data)
    data = bytes(data)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        raise ValueError(f"line {line}: the file is not {encoding.removesuffix('-sig').upper()} "
                         f"text (undecodable byte at position {err.start}); save it as "
                         f"UTF-8 CSV") from None
    return _check_text(text)


def _check_text(text):
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ValueError(f"line {line}: the file contains NUL characters; it is not a text "
                         f"CSV file")
    return text


def _split(line, delimiter, line_number):
    """The fields of one CSV line, without the spaces and quotes around them."""
    try:
        fields = next(csv.reader([line], delimiter=delimiter, skipinitialspace=True))
    except csv.Error as err:
        raise ValueError(f"line {line_number}: cannot be read as CSV ({err})") from None
    return [field.strip().strip("\"'").strip() for field in fields]


def _guess_delimiter(first_line):
    for delimiter in (",", ";", "\t"):
        try:
            fields = next(csv.reader([first_line], delimiter=delimiter, skipinitialspace=True))
        except csv.Error:  # _split says what is wrong with the line
            continue
        if len(fields) == 3:
            return delimiter
    return ","


def _quoted(text, limit=40):
    """repr() of a field or line for a message, cut after `limit` characters."""
    return repr(text) if len(text) <= limit else repr(text[:limit]) + "…"


def _is_number(field):
    try:
        float(field)
    except ValueError:
        return False
    return True


def _feature(field, line_number, column):
    try:
        value = float(field)
    except ValueError:
        raise ValueError(
            f"line {line_number}, column {column}: {_quoted(field)} is not a number") from None
    if not math.isfinite(value) or abs(value) > FLOAT32_MAX:
        raise ValueError(f"line {line_number}, column {column}: {_quoted(field)} is not a finite "
                         f"float32 number")
    return value


def _label(field, line_number):
    """A label field as an int: "2" or "2.0", not "2.5", "nan" or "1e30"."""
    try:
        label = int(field)
    except ValueError:
        try:
            value = float(field)
        except ValueError:
            raise ValueError(
                f"line {line_number}, column 3: label {_quoted(field)} is not a number") from None
        if not value.is_integer():  # also False for NaN and inf
            raise ValueError(f"line {line_number}, column 3: label {_quoted(field)} is not a "
                             f"whole number; labels name classes, e.g. 0 and 1") from None
        label = int(value)
    if abs(label) > MAX_LABEL:
        raise ValueError(f"line {line_number}, column 3: label {_quoted(field)} is too large; "
                         f"labels name classes, e.g. 0 and 1")
    return label


# -------------------------------------------------------------------- checks


def _rng(seed):
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    return np.random.default_rng(seed)


def _check_count(name, value, minimum, maximum=MAX_POINTS):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if not minimum <= value <= maximum:
        raise ValueError(f"{name} must be between {minimum} and {maximum}, got {value}")


def _check_finite(name, value, minimum=None):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) \
            or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")


def _check_noise(noise):
    _check_finite("noise", noise)
    if not 0.0 <= noise <= 1.0:
        raise ValueError(f"noise must be a fraction between 0 and 1, got {noise}")


def _balanced_labels(n_points, n_classes):
    """Sorted labels 0..k-1 with class sizes differing by at most one (lower classes larger)."""
    sizes = [n_points // n_classes + (j < n_points % n_classes) for j in range(n_classes)]
    return np.repeat(np.arange(n_classes, dtype=np.int64), sizes)


def _shuffled(X, y, rng):
    """X as float32 and y, both in one random order drawn from rng."""
    order = rng.permutation(len(y))
    return X[order].astype(np.float32), y[order]
