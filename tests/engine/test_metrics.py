"""Accuracy, confusion matrix and per-class accuracy on hand-worked examples."""

import numpy as np
import pytest

from engine.metrics import accuracy, confusion_matrix, per_class_accuracy, to_classes

# A 3-class example worked by hand:
#   sample    0  1  2  3  4  5  6  7  8  9
#   true      0  0  0  1  1  1  1  2  2  2
#   predicted 0  0  1  1  1  2  1  2  0  2
# class 0: 2 of 3 right (one taken for 1); class 1: 3 of 4 (one taken for 2);
# class 2: 2 of 3 (one taken for 0); 7 of 10 right overall.
TRUE = np.array([0, 0, 0, 1, 1, 1, 1, 2, 2, 2])
PRED = np.array([0, 0, 1, 1, 1, 2, 1, 2, 0, 2])
MATRIX = [[2, 1, 0],
          [0, 3, 1],
          [1, 0, 2]]


def scores_for(classes, k, seed=0):
    """Random score rows (n, k) whose argmax is `classes`."""
    rng = np.random.default_rng(seed)
    scores = rng.uniform(0.0, 1.0, size=(len(classes), k))
    scores[np.arange(len(classes)), classes] = 2.0
    return scores


def test_confusion_matrix_by_hand():
    matrix = confusion_matrix(TRUE, PRED)
    assert matrix.dtype == np.int64 and matrix.shape == (3, 3)
    np.testing.assert_array_equal(matrix, MATRIX)
    np.testing.assert_array_equal(matrix.sum(axis=1), np.bincount(TRUE))  # rows: true classes
    np.testing.assert_array_equal(matrix.sum(axis=0), np.bincount(PRED))  # columns: predicted


def test_accuracy_by_hand():
    assert accuracy(TRUE, PRED) == 0.7
    assert accuracy(TRUE, TRUE) == 1.0
    assert accuracy([0, 1], [1, 0]) == 0.0
    assert isinstance(accuracy(TRUE, PRED), float)


def test_per_class_accuracy_by_hand():
    result = per_class_accuracy(TRUE, PRED)
    assert result.dtype == np.float64
    np.testing.assert_allclose(result, [2 / 3, 3 / 4, 2 / 3])


def test_per_class_accuracy_is_nan_for_a_class_without_samples():
    result = per_class_accuracy([0, 0, 2], [0, 1, 1], n_classes=4)
    # class 0: 1 of 2; class 1: no samples; class 2: 0 of 1; class 3: no samples
    np.testing.assert_array_equal(np.isnan(result), [False, True, False, True])
    np.testing.assert_array_equal(result[[0, 2]], [0.5, 0.0])


def test_scores_and_one_hot_are_read_by_argmax():
    one_hot_true = np.eye(3)[TRUE]
    scores = scores_for(PRED, 3)
    assert accuracy(one_hot_true, scores) == 0.7
    assert accuracy(TRUE, scores) == 0.7
    np.testing.assert_array_equal(confusion_matrix(one_hot_true, scores), MATRIX)


def test_argmax_tie_goes_to_the_first_column():
    assert accuracy([0], [[0.5, 0.5]]) == 1.0


@pytest.mark.parametrize("probabilities", [
    np.array([0.2, 0.5, 0.49, 0.9]),            # (n,)
    np.array([[0.2], [0.5], [0.49], [0.9]]),    # (n, 1)
    np.array([[0.2], [0.5], [0.49], [0.9]], dtype=np.float32),
])
def test_binary_probabilities_are_cut_at_one_half(probabilities):
    # classes 0, 1 (0.5 counts as 1), 0, 1
    np.testing.assert_array_equal(to_classes(probabilities), [0, 1, 0, 1])
    assert accuracy([0, 1, 1, 1], probabilities) == 0.75
    np.testing.assert_array_equal(confusion_matrix([0, 1, 1, 1], probabilities), [[1, 0], [1, 2]])


def test_whole_float_values_are_classes():
    np.testing.assert_array_equal(to_classes(np.array([0.0, 2.0, 1.0])), [0, 2, 1])
    np.testing.assert_array_equal(to_classes(np.array([[3], [1]])), [3, 1])
    np.testing.assert_array_equal(to_classes(np.array([True, False])), [1, 0])


def test_confusion_matrix_size():
    assert confusion_matrix([0, 1], [1, 1]).shape == (2, 2)
    assert confusion_matrix([0, 1], [1, 1], n_classes=10).shape == (10, 10)
    # columns of a score array count even if the last class never occurs
    assert confusion_matrix([0, 1], scores_for([0, 1], 5)).shape == (5, 5)
    # a single probability column means two classes
    assert confusion_matrix([0, 0], [[0.1], [0.2]]).shape == (2, 2)


@pytest.mark.parametrize("n_classes", [2, 3, 10])
def test_confusion_matrix_agrees_with_a_loop(n_classes):
    rng = np.random.default_rng(n_classes)
    true = rng.integers(0, n_classes, size=200)
    pred = rng.integers(0, n_classes, size=200)
    expected = np.zeros((n_classes, n_classes), dtype=np.int64)
    for t, p in zip(true, pred):
        expected[t, p] += 1
    matrix = confusion_matrix(true, pred, n_classes)
    np.testing.assert_array_equal(matrix, expected)
    assert accuracy(true, pred) == pytest.approx(np.trace(expected) / 200)
    with np.errstate(invalid="ignore"):
        np.testing.assert_allclose(per_class_accuracy(true, pred, n_classes),
                                   np.diag(expected) / expected.sum(axis=1))


@pytest.mark.parametrize("call, message", [
    (lambda: accuracy([0, 1, 1], [0, 1]), "same number of samples, got 3 and 2"),
    (lambda: accuracy(np.zeros((4, 3)), np.zeros((4, 2))), "different numbers of classes"),
    (lambda: accuracy([], []), "empty"),
    (lambda: accuracy([0, 1], np.zeros((2, 2, 2))), r"y_pred must have shape .* got \(2, 2, 2\)"),
    (lambda: accuracy([0, 1], [0.3, 1.7]), r"whole class numbers or probabilities in \[0, 1\]"),
    (lambda: accuracy([0, 1], [0.3, np.nan]), "y_pred contains NaN"),
    (lambda: accuracy(["a", "b"], [0, 1]), "y_true must hold numbers"),
    (lambda: accuracy([-1, 1], [0, 1]), "y_true must hold classes 0, 1, 2, ..., got -1"),
    (lambda: confusion_matrix([0, 3], [0, 1], n_classes=3), "n_classes=3 but class 3 occurs"),
    (lambda: confusion_matrix([0, 1], [0, 1], n_classes=0), "n_classes must be a positive"),
])
def test_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()
