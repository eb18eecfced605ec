"""Data set generators, train/test split and CSV reading."""

import math

import numpy as np
import pytest

from engine import datasets
from engine.datasets import (GATES, MAX_CSV_BYTES, MAX_CSV_ROWS, PLANE_DATASETS,
                             PLAYGROUND_DATASETS, blobs, eight_points, fit_points_to_window,
                             from_csv, logic_gate, make, make_plane, noisy_gate, spiral,
                             train_test_split)

PLAYGROUND = list(PLAYGROUND_DATASETS)


def check_shapes(X, y, n):
    assert X.shape == (n, 2) and X.dtype == np.float32
    assert y.shape == (n,) and y.dtype == np.int64


# --------------------------------------------------------------- logic gates


@pytest.mark.parametrize("name, outputs", [
    ("or", [0, 1, 1, 1]), ("and", [0, 0, 0, 1]), ("nand", [1, 1, 1, 0]), ("xor", [0, 1, 1, 0]),
])
def test_logic_gate_truth_tables(name, outputs):
    X, y = logic_gate(name.upper())  # names are case-insensitive
    check_shapes(X, y, 4)
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(y, outputs)


@pytest.mark.parametrize("name", list(GATES))
def test_logic_gate_agrees_with_python_operators(name):
    operator = {"or": lambda a, b: a | b, "and": lambda a, b: a & b,
                "nand": lambda a, b: 1 - (a & b), "xor": lambda a, b: a ^ b}[name]
    X, y = logic_gate(name)
    for (a, b), out in zip(X.astype(int), y):
        assert out == operator(a, b)


def test_noisy_gate_without_noise_sits_on_the_corners_in_equal_numbers():
    X, y = noisy_gate("xor", n_points=10, noise=0.0, seed=3)
    assert X.dtype == np.float32 and y.dtype == np.int64 and X.shape == (10, 2)
    corners = [tuple(point) for point in X.tolist()]
    assert sorted(corners) == sorted([(0, 0)] * 3 + [(0, 1)] * 3 + [(1, 0)] * 2 + [(1, 1)] * 2)
    np.testing.assert_array_equal(y, (X[:, 0] != X[:, 1]).astype(np.int64))


def test_noisy_gate_moves_each_point_by_a_gaussian_of_half_the_noise():
    X, y = noisy_gate("and", n_points=40_000, noise=0.6, seed=1)
    assert np.mean(y) == 0.25  # AND is 1 only at the corner (1, 1)
    offsets = X[y == 1] - np.float32(1.0)
    assert np.std(offsets) == pytest.approx(0.5 * 0.6, rel=0.02)
    assert abs(np.mean(offsets)) < 0.01


def test_noisy_gate_is_reproducible_and_checks_its_arguments():
    first, second = noisy_gate("or", 20, 0.3, seed=5), noisy_gate("or", 20, 0.3, seed=5)
    np.testing.assert_array_equal(first[0], second[0])
    with pytest.raises(ValueError, match="n_points must be between 4"):
        noisy_gate("or", 3)
    with pytest.raises(ValueError, match="noise must be a fraction"):
        noisy_gate("or", 20, noise=2.0)
    with pytest.raises(ValueError, match="unknown logic gate"):
        noisy_gate("nor", 20)


def test_logic_gate_unknown_name_lists_known_ones():
    with pytest.raises(ValueError, match="unknown logic gate 'nor'; known: or, and, nand, xor"):
        logic_gate("nor")


def test_eight_points():
    X, y = eight_points()
    check_shapes(X, y, 8)
    np.testing.assert_array_equal(X[3], [3, 4])
    np.testing.assert_array_equal(X[6], [5.5, 1])
    np.testing.assert_array_equal(y, [0, 1, 0, 1, 0, 1, 1, 0])


# --------------------------------------------------------------------- blobs


def test_blobs_shapes_balance_and_centres():
    X, y = blobs(n_points=2001, separation=10.0, noise=1.0, seed=3)
    check_shapes(X, y, 2001)
    np.testing.assert_array_equal(np.bincount(y), [1001, 1000])
    np.testing.assert_allclose(X[y == 0].mean(axis=0), [0, 0], atol=0.1)   # ~ 3 / sqrt(1000)
    np.testing.assert_allclose(X[y == 1].mean(axis=0), [10, 10], atol=0.1)
    np.testing.assert_allclose(X[y == 0].std(axis=0), [1, 1], atol=0.1)


def test_blobs_noise_is_the_standard_deviation():
    X0, y = blobs(n_points=10, noise=0.0, separation=-3.0)
    np.testing.assert_array_equal(X0[y == 0], 0.0)
    np.testing.assert_array_equal(X0[y == 1], -3.0)
    X1, _ = blobs(n_points=10, noise=1.0, seed=0)
    X2, _ = blobs(n_points=10, noise=2.0, seed=0)
    np.testing.assert_allclose(X2[:5], 2 * X1[:5], rtol=1e-6)  # class 0: same draws, doubled


def test_blobs_seeding():
    a, b, c = blobs(seed=1), blobs(seed=1), blobs(seed=2)
    np.testing.assert_array_equal(a[0], b[0])
    assert not np.array_equal(a[0], c[0])


def test_blobs_as_tutorial_001_labels_them_the_first_100_shifted_and_class_0():
    # data = np.random.randn(200, 3); data[:100, :2] += (10, 10); data[:100, 2] = 0; rest 1
    X, y = blobs(n_points=200, separation=10.0, noise=1.0, seed=0, shifted_class=0)
    check_shapes(X, y, 200)
    np.testing.assert_array_equal(y[:100], 0)
    np.testing.assert_array_equal(y[100:], 1)
    assert X[:100].min() > 5.0 and X[100:].max() < 5.0  # ten standard deviations apart
    np.testing.assert_allclose(X[:100].mean(axis=0), [10, 10], atol=0.3)  # ~ 3 / sqrt(100)
    np.testing.assert_allclose(X[100:].mean(axis=0), [0, 0], atol=0.3)
    # the same draws as the default labelling, only the other cloud moved
    X1, y1 = blobs(n_points=200, separation=10.0, noise=1.0, seed=0)
    np.testing.assert_array_equal(y1, y)
    np.testing.assert_allclose(X[:100] - 10.0, X1[:100], atol=1e-5)
    np.testing.assert_allclose(X[100:], X1[100:] - 10.0, atol=1e-5)


@pytest.mark.parametrize("kwargs, message", [
    ({"n_points": 1}, "n_points must be between 2 and"),
    ({"n_points": 2.5}, "n_points must be an integer, got 2.5"),
    ({"noise": -1.0}, r"noise must be >= 0.0, got -1.0"),
    ({"noise": float("nan")}, "noise must be a finite number"),
    ({"separation": float("inf")}, "separation must be a finite number"),
    ({"seed": -1}, "seed must be a non-negative integer, got -1"),
    ({"seed": None}, "seed must be a non-negative integer, got None"),
    ({"shifted_class": 2}, "shifted_class must be 0 or 1, the class moved by"),
    ({"shifted_class": True}, "shifted_class must be 0 or 1"),
])
def test_blobs_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        blobs(**kwargs)


# ------------------------------------------------------------ playground sets


@pytest.mark.parametrize("name", PLAYGROUND)
@pytest.mark.parametrize("n", [2, 7, 500])
def test_playground_shapes_and_balance(name, n):
    X, y = make(name, n_points=n, seed=4)
    check_shapes(X, y, n)
    counts = np.bincount(y, minlength=2)
    assert counts.max() - counts.min() <= 1  # at noise 0 the classes are as equal as n allows
    assert np.all(np.isfinite(X))


@pytest.mark.parametrize("name", PLAYGROUND)
def test_playground_seeding(name):
    a, b, c = (make(name, n_points=100, noise=0.2, seed=s) for s in (5, 5, 6))
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])


@pytest.mark.parametrize("name", PLAYGROUND)
def test_playground_coordinates_stay_near_the_playground_square(name):
    X, _ = make(name, n_points=2000, noise=0.0, seed=0)
    assert np.abs(X).max() <= 6.0 + 1e-5


@pytest.mark.parametrize("name", PLAYGROUND)
@pytest.mark.parametrize("noise", [-0.1, 1.5, float("nan")])
def test_playground_rejects_noise_outside_0_1(name, noise):
    with pytest.raises(ValueError, match="noise must be"):
        make(name, noise=noise)


def test_circle_without_noise_separates_disc_and_ring():
    X, y = make("circle", n_points=1000, seed=1)
    radius = np.hypot(X[:, 0], X[:, 1])
    assert radius[y == 1].max() < 2.5 and radius[y == 0].min() >= 3.5 - 1e-5
    assert radius[y == 0].max() <= 5.0 + 1e-5


def test_circle_noise_changes_labels_not_points():
    X0, y0 = make("circle", n_points=1000, noise=0.0, seed=1)
    X1, y1 = make("circle", n_points=1000, noise=0.5, seed=1)
    np.testing.assert_array_equal(X0, X1)
    assert 0 < np.count_nonzero(y0 != y1) < 1000


def test_xor_without_noise_labels_by_quadrant():
    X, y = make("xor", n_points=1000, seed=2)
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] >= 0).astype(int))
    assert np.abs(X).min() >= 0.3 - 1e-6 and np.abs(X).max() <= 5.3 + 1e-5


def test_gaussian_centres_and_variance():
    X, y = make("gaussian", n_points=4000, noise=0.5, seed=3)
    np.testing.assert_allclose(X[y == 1].mean(axis=0), [2, 2], atol=0.15)
    np.testing.assert_allclose(X[y == 0].mean(axis=0), [-2, -2], atol=0.15)
    np.testing.assert_allclose(X[y == 0].var(axis=0), [4, 4], rtol=0.1)  # 0.5 + 7 * 0.5


@pytest.mark.parametrize("classes", [2, 3, 4, 5])
def test_spiral_arms(classes):
    X, y = spiral(n_points=10 * classes, classes=classes, seed=0)
    np.testing.assert_array_equal(np.bincount(y), [10] * classes)
    # arm j starts at radius 0 and ends at radius 5 * 9/10, turned by 2 pi j / k
    for j in range(classes):
        arm = X[y == j]
        radius = np.hypot(arm[:, 0], arm[:, 1])
        assert radius.min() == 0.0
        outer = arm[radius.argmax()]
        t = 1.75 * 2 * math.pi * 0.9 + 2 * math.pi * j / classes
        np.testing.assert_allclose(outer, [4.5 * math.sin(t), 4.5 * math.cos(t)], atol=1e-5)


@pytest.mark.parametrize("classes", [1, 6])
def test_spiral_rejects_bad_number_of_classes(classes):
    with pytest.raises(ValueError, match=f"classes must be between 2 and 5, got {classes}"):
        spiral(classes=classes)


def test_spiral_noise_moves_points_by_at_most_noise():
    X0, y0 = spiral(n_points=300, noise=0.0, seed=8)
    X1, y1 = spiral(n_points=300, noise=0.4, seed=8)
    np.testing.assert_array_equal(y0, y1)  # same order (the shuffle is drawn after the noise)
    shift = np.abs(X1 - X0)
    assert shift.max() <= 0.4 + 1e-5 and shift.max() > 0.3


def test_moons_without_noise_lie_on_two_arcs():
    X, y = make("moons", n_points=200, seed=0)
    upper = X[y == 0] / 4 + (0.5, 0.25)          # undo the scaling: (cos t, sin t)
    lower = X[y == 1] / 4 + (0.5, 0.25)          # (1 - cos t, 1/2 - sin t)
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0, atol=1e-5)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0, atol=1e-5)
    np.testing.assert_allclose([X[:, 0].min(), X[:, 0].max()], [-6, 6], atol=1e-5)


def test_make_unknown_name():
    with pytest.raises(ValueError, match="unknown data set 'swirl'; known: circle, xor, "
                                         "gaussian, spiral, moons"):
        make("swirl")


def test_make_passes_arguments():
    np.testing.assert_array_equal(make("Spiral", n_points=30, classes=3, seed=1)[0],
                                  spiral(n_points=30, classes=3, seed=1)[0])


# ------------------------------------------------------- the playground's registry


def points_the_playground_made(name, n, noise, seed):
    """What app_pages/playground.py's load_data called before PLANE_DATASETS existed."""
    if name.startswith("gate_"):
        return datasets.noisy_gate(name[len("gate_"):], n, noise, seed)
    if name == "spiral3":
        return datasets.spiral(n, noise, classes=3, seed=seed)
    return datasets.make(name, n_points=n, noise=noise, seed=seed)


def test_plane_datasets_in_order_with_windows_and_classes():
    assert list(PLANE_DATASETS) == ["circle", "xor", "gaussian", "spiral", "spiral3", "moons",
                                    "gate_and", "gate_or", "gate_nand", "gate_xor"]
    for name, entry in PLANE_DATASETS.items():
        gate = name.startswith("gate_")
        assert entry.window == ((-0.5, 1.5) if gate else (-6.0, 6.0))
        assert entry.classes == (3 if name == "spiral3" else 2)


@pytest.mark.parametrize("name", list(PLANE_DATASETS))
@pytest.mark.parametrize("n, noise, seed", [(200, 0.0, 0), (150, 0.35, 7), (21, 0.5, 99_999)])
def test_plane_datasets_make_the_points_the_playground_made(name, n, noise, seed):
    X, y = make_plane(name, n, noise, seed)
    X_old, y_old = points_the_playground_made(name, n, noise, seed)
    check_shapes(X, y, n)
    np.testing.assert_array_equal(X, X_old)
    np.testing.assert_array_equal(y, y_old)
    np.testing.assert_array_equal(PLANE_DATASETS[name].make(n, noise, seed)[0], X)
    assert set(np.unique(y)) <= set(range(PLANE_DATASETS[name].classes))
    low, high = PLANE_DATASETS[name].window
    if noise == 0.0:
        assert low <= X.min() and X.max() <= high


def test_make_plane_unknown_name():
    with pytest.raises(ValueError, match="unknown data set 'csv'; known: circle, xor, gaussian, "
                                         "spiral, spiral3, moons, gate_and, gate_or, gate_nand, "
                                         "gate_xor"):
        make_plane("csv", 100, 0.0, 0)


def test_fit_points_to_window_keeps_near_points_and_adds_15_percent():
    X, window, rescaled = fit_points_to_window(np.array([[0, 0], [2, 1]]))
    assert not rescaled and X.dtype == np.float32
    np.testing.assert_array_equal(X, [[0, 0], [2, 1]])
    # centres (1, 0.5); half = max(2, 1) / 2 * 1.15 = 1.15; (0.5 - 1.15, 1 + 1.15)
    assert window == pytest.approx((-0.65, 2.15), abs=1e-6)
    # every value within the limit: kept, however lopsided
    X, window, rescaled = fit_points_to_window([[-10, 3], [10, 3]])
    assert not rescaled and window == pytest.approx((-11.5, 14.5))  # centres 0, 3; half 11.5


def test_fit_points_to_window_rescales_far_points_column_by_column():
    X, window, rescaled = fit_points_to_window([[0, 0], [20, 1], [10, 3]])
    assert rescaled
    # column 1: 0..20 -> -5..5; column 2: 0..3 -> -5..5, so 1 -> -5 + 10/3
    np.testing.assert_allclose(X, [[-5, -5], [5, -5 + 10 / 3], [0, 5]], rtol=1e-6)
    assert window == (-5.75, 5.75)  # centre 0, half 5 * 1.15
    X, window, rescaled = fit_points_to_window([[-300, 0.5], [-100, 0.0]])
    np.testing.assert_array_equal(X, [[-5, 5], [5, -5]])
    assert rescaled and window == (-5.75, 5.75)


def test_fit_points_to_window_small_and_constant_clouds():
    X, window, _ = fit_points_to_window([[1, 1], [1, 1]])
    assert window == pytest.approx((1 - 0.575, 1 + 0.575))  # half at least 0.5 * 1.15
    X, window, rescaled = fit_points_to_window([[0, 70], [40, 70]])  # second column constant
    assert rescaled
    np.testing.assert_array_equal(X, [[-5, 0], [5, 0]])  # the constant column sits at 0
    assert window == (-5.75, 5.75)


def test_fit_points_to_window_is_the_playgrounds_arithmetic():
    rng = np.random.default_rng(3)
    for scale in (1.0, 4.0, 50.0, 1e6):
        X = (rng.normal(size=(40, 2)) * scale + (3, -7)).astype(np.float32)
        low, high = X.min(axis=0), X.max(axis=0)  # what load_data did, step by step
        if np.abs(X).max() > 10.0:
            span = np.where(high > low, high - low, 1.0)
            X_old = ((X - low) / span * 10.0 - 5.0).astype(np.float32)
            low, high = X_old.min(axis=0), X_old.max(axis=0)
        else:
            X_old = X
        centre, half = (low + high) / 2.0, max(float((high - low).max()) / 2.0, 0.5) * 1.15
        window_old = (float(min(centre) - half), float(max(centre) + half))
        X_new, window, _ = fit_points_to_window(X)
        np.testing.assert_array_equal(X_new, X_old)
        assert window == window_old


def test_fit_points_to_window_checks_its_input():
    with pytest.raises(ValueError, match=r"X must be points of shape \(n, 2\) with n >= 1, "
                                         r"got shape \(0, 2\)"):
        fit_points_to_window(np.zeros((0, 2)))
    with pytest.raises(ValueError, match=r"got shape \(3, 3\)"):
        fit_points_to_window(np.zeros((3, 3)))


# --------------------------------------------------------------------- split


def test_train_test_split_sizes_and_partition():
    X = np.arange(20, dtype=np.float32).reshape(10, 2)
    y = np.arange(10)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, seed=0)
    assert len(X_test) == 3 and len(X_train) == 7     # ceil(0.25 * 10) = 3
    np.testing.assert_array_equal(X_train[:, 0], 2 * y_train)  # rows stay with their labels
    np.testing.assert_array_equal(X_test[:, 0], 2 * y_test)
    np.testing.assert_array_equal(np.sort(np.concatenate([y_train, y_test])), y)
    assert X_train.dtype == np.float32


def test_train_test_split_seeding():
    X, y = blobs(n_points=50)
    a = train_test_split(X, y, seed=1)
    b = train_test_split(X, y, seed=1)
    c = train_test_split(X, y, seed=2)
    for left, right in zip(a, b):
        np.testing.assert_array_equal(left, right)
    assert not np.array_equal(a[3], c[3])


@pytest.mark.parametrize("test_size", [0, 1, 1.0, -0.5, 1.5, True, "0.2"])
def test_train_test_split_rejects_bad_test_size(test_size):
    with pytest.raises(ValueError, match="test_size must be a fraction between 0 and 1"):
        train_test_split(np.zeros((10, 2)), np.zeros(10), test_size=test_size)


def test_train_test_split_needs_a_training_sample():
    with pytest.raises(ValueError, match="leaves no training sample"):
        train_test_split(np.zeros((2, 2)), np.zeros(2), test_size=0.9)


def test_train_test_split_length_mismatch():
    with pytest.raises(ValueError, match="same number of samples, got 4 and 3"):
        train_test_split(np.zeros((4, 2)), np.zeros(3))


# ----------------------------------------------------------------------- CSV


def test_from_csv_with_header_and_minus_one_one_labels():
    X, y = from_csv("x1,x2,label\n0.5,1.25,-1\n\n2,3,1\n-4e-1, 7 ,1\n")
    check_shapes(X, y, 3)
    np.testing.assert_array_equal(X, np.float32([[0.5, 1.25], [2, 3], [-0.4, 7]]))
    np.testing.assert_array_equal(y, [0, 1, 1])  # -1 -> 0, 1 -> 1


def test_from_csv_bytes_bom_crlf_semicolons_and_float_labels():
    X, y = from_csv("\ufeff1;2;2.0\r\n3;4;1\r\n5;6;9\r\n".encode("utf-8"))
    np.testing.assert_array_equal(X, [[1, 2], [3, 4], [5, 6]])
    np.testing.assert_array_equal(y, [1, 0, 2])  # sorted labels 1, 2, 9 -> 0, 1, 2


def test_from_csv_utf16_and_tabs():
    X, y = from_csv("a\tb\tc\n1\t2\t1\n3\t4\t2\n".encode("utf-16"))
    np.testing.assert_array_equal(y, [0, 1])


@pytest.mark.parametrize("data, message", [
    ("", "the CSV is empty"),
    (b"  \n\n", "the CSV is empty"),
    ("x,y,label\n", "header but no data rows"),
    ("x,y\n1,2\n", "line 1: the header has 2 columns, expected 3"),
    ("1,2,0\n3,4\n", "line 2: expected 3 columns .* got 2"),
    ("1,2,0\n3,4,1,5\n", "line 2: expected 3 columns .* got 4"),
    ("1,2,0\n\n3,abc,1\n", "line 3, column 2: 'abc' is not a number"),
    ("1,2,0\nnan,4,1\n", "line 2, column 1: 'nan' is not a finite"),
    ("1,2,0\n3,inf,1\n", "line 2, column 2: 'inf' is not a finite"),
    ("1,2,0\n3,1e40,1\n", "line 2, column 2: '1e40' is not a finite float32"),
    ("1,2,0\n3,4,0.5\n", "line 2, column 3: label '0.5' is not a whole number"),
    ("1,2,0\n3,4,nan\n", "line 2, column 3: label 'nan' is not a whole number"),
    ("1,2,0\n3,4,yes\n", "line 2, column 3: label 'yes' is not a number"),
    ("1,2,0\n3,4,99999999999\n", "line 2, column 3: label '99999999999' is too large"),
    ("1,2,3\n4,5,3\n", "all 2 rows have label 3; a classifier needs at least two classes"),
    ("".join(f"{i},{i},{i}\n" for i in range(11)), "11 different labels found; at most 10"),
    (b"1,2,0\n3,4,\xe9\n", "line 2: the file is not UTF-8 text"),
    ("1,2,0\n3,4\x00,1\n", "line 2: the file contains NUL characters"),
    ('1,2,0\n3,"4,1\n', "line 2: expected 3 columns"),
])
def test_from_csv_rejects_bad_input(data, message):
    with pytest.raises(ValueError, match=message):
        from_csv(data)


def test_from_csv_max_rows():
    text = "x,y,c\n" + "".join(f"{i},{i},{i % 2}\n" for i in range(5))
    X, y = from_csv(text, max_rows=5)
    assert len(y) == 5
    with pytest.raises(ValueError, match="at most 4 data rows are allowed, line 6 is row 5"):
        from_csv(text, max_rows=4)


def test_from_csv_quoted_fields_with_spaces_are_data_not_a_header():
    # the first row is a point: spaces and quotes around its numbers do not make it a header
    X, y = from_csv(' "1.5", "2.0", "1"\n"0.5" , "1.0", "0"\n\'2.5\', \'2\', \'1\'\n')
    np.testing.assert_array_equal(X, np.float32([[1.5, 2.0], [0.5, 1.0], [2.5, 2.0]]))
    np.testing.assert_array_equal(y, [1, 0, 1])
    X, y = from_csv('"1.5";"2.0";"1"\r\n"0.5";"1.0";"0"\r\n')
    assert len(y) == 2


def test_from_csv_skips_a_quoted_header():
    X, y = from_csv('"x1", "x2", "label"\n1, 2, 0\n3, 4, 1\n')
    np.testing.assert_array_equal(X, [[1, 2], [3, 4]])
    np.testing.assert_array_equal(y, [0, 1])


@pytest.mark.parametrize("kind", [bytes, bytearray, memoryview, str])
def test_from_csv_refuses_input_over_the_byte_cap_before_reading_it(kind):
    def content(size):  # two points, then spaces (a blank line) up to `size` bytes
        text = "1,2,0\n3,4,1\n" + " " * (size - 12)
        return text if kind is str else kind(text.encode())

    X, y = from_csv(content(MAX_CSV_BYTES))  # exactly the cap is accepted
    assert len(y) == 2
    with pytest.raises(ValueError, match=r"^the file is too large: 1,000,001 bytes \(1\.0 MB\); "
                                         r"at most 1,000,000 bytes \(1 MB\) are accepted, "
                                         r"enough for 10,000 points$"):
        from_csv(content(MAX_CSV_BYTES + 1))
    with pytest.raises(ValueError, match=r"too large: 2,500,000 bytes \(2\.5 MB\)"):
        from_csv(content(2_500_000))


def test_from_csv_checks_the_size_first_and_counts_a_str_in_utf8_bytes():
    # an over-size file is refused even if it is not text
    with pytest.raises(ValueError, match="too large: 11 bytes .* at most 10 bytes"):
        from_csv(b"\xff\x00" + b"1,2,0\n3,4", max_bytes=10)
    # 4 characters of 2 bytes each are 8 bytes
    with pytest.raises(ValueError, match="too large: 8 bytes"):
        from_csv("éééé", max_bytes=7)


def test_from_csv_just_under_the_byte_cap_is_read():
    rows = ["x1,x2,label"] + [f"{i % 97 - 48.123456:.6f},{i % 89 / 7:.6f},{i % 2}"
                              for i in range(MAX_CSV_ROWS)]
    data = "\n".join(rows).encode()
    assert len(data) < MAX_CSV_BYTES  # the row cap, with long numbers, fits in the byte cap
    X, y = from_csv(data)
    assert len(y) == MAX_CSV_ROWS


def test_from_csv_a_huge_first_field_is_a_value_error_not_a_csv_error():
    big = "9" * 200_000  # over the csv module's field limit (131,072)
    for data in (f'"{big}",1,0\n1,2,1\n', f"x1,x2,label\n{big},1,0\n", big.encode()):
        with pytest.raises(ValueError, match=r"line [12] is 200,0\d\d characters long; .*"
                                             r"at most 1,000 characters are accepted"):
            from_csv(data)


def test_from_csv_messages_quote_a_long_field_cut_short():
    with pytest.raises(ValueError) as err:
        from_csv("1,2,0\n3," + "x" * 500 + ",1\n")
    message = str(err.value)
    assert message.startswith("line 2, column 2: 'xxxx") and "'…" in message
    assert len(message) < 100


def test_from_csv_rejects_other_types():
    with pytest.raises(TypeError, match="data must be str or bytes, got list"):
        from_csv([["1", "2", "0"]])


def test_csv_round_trip_of_a_generated_set():
    X, y = make("spiral", n_points=60, noise=0.3, classes=3, seed=9)
    text = "x1,x2,label\n" + "".join(f"{a!r},{b!r},{c}\n" for (a, b), c in zip(X.tolist(), y))
    X2, y2 = from_csv(text)
    np.testing.assert_array_equal(X2, X)
    np.testing.assert_array_equal(y2, y)


def test_module_registry_names_match_functions():
    for name, generator in PLAYGROUND_DATASETS.items():
        assert getattr(datasets, name) is generator


def test_split_is_not_fooled_by_float_rounding():
    from engine.datasets import train_test_split
    X, y = np.zeros((300, 2), np.float32), np.zeros(300, np.int64)
    assert len(train_test_split(X, y, test_size=1 - 0.7)[1]) == 90
