"""How good are the predictions? Accuracy, the confusion matrix, accuracy per class.

All three take the true classes and the predictions in whatever form is at
hand, and first turn each into one integer class per sample:

    shape (n,) or (n, 1), integers    already classes (bools: False 0, True 1)
    shape (n,) or (n, 1), floats      if all are whole numbers (0.0, 2.0, ...),
                                      classes; otherwise probabilities p of
                                      class 1, all in [0, 1]: class 1 if
                                      p >= 0.5, else class 0
    shape (n, k), k >= 2              scores, probabilities or one-hot rows:
                                      the column of the largest value (argmax;
                                      the first one on a tie)

The rule at 0.5 is the one Sequential.predict_classes uses for one output
(a probability of exactly 0.0 or 1.0 gives the same class either way).

    >>> accuracy([0, 1, 2, 2], [[0.8, 0.1, 0.1], [0.2, 0.7, 0.1],
    ...                         [0.5, 0.2, 0.3], [0.1, 0.1, 0.8]])
    0.75
"""

import numpy as np


def to_classes(values, name="y"):
    """One integer class per sample, int64 (n,), by the rules in the module docstring."""
    values = np.asarray(values)
    if values.ndim == 2 and values.shape[1] >= 2:
        _check_finite(values, name)
        return values.argmax(axis=1).astype(np.int64)
    if values.ndim == 2 and values.shape[1] == 1:
        values = values[:, 0]  # one column: read like shape (n,)
    if values.ndim != 1:
        raise ValueError(f"{name} must have shape (n,), (n, 1) or (n, k), got {values.shape}")
    if values.dtype == bool or np.issubdtype(values.dtype, np.integer):
        return values.astype(np.int64)
    if not np.issubdtype(values.dtype, np.floating):
        raise ValueError(f"{name} must hold numbers, got dtype {values.dtype}")
    _check_finite(values, name)
    if np.all(values == np.round(values)):
        return values.astype(np.int64)
    if values.min() < 0.0 or values.max() > 1.0:
        raise ValueError(f"{name} of shape (n,) must be whole class numbers or probabilities "
                         f"in [0, 1], got values from {values.min()} to {values.max()}")
    return (values >= 0.5).astype(np.int64)


def accuracy(y_true, y_pred):
    """The fraction of samples whose predicted class is the true class: mean(pred == true).

    Args:
        y_true, y_pred: classes, probabilities or scores for n samples, in any
            of the forms of the module docstring (the two may differ, e.g.
            labels (n,) against softmax outputs (n, k)).

    Returns:
        A float in [0, 1].
    """
    true, pred = _paired_classes(y_true, y_pred)
    return float(np.count_nonzero(true == pred) / len(true))


def confusion_matrix(y_true, y_pred, n_classes=None):
    """Counts C[i, j] of samples of true class i predicted as class j.

    Rows are true classes, columns predicted ones; the diagonal holds the
    correct predictions and each row sums to the number of samples of that
    class. For y_true = [0, 1, 1, 2] and y_pred = [0, 2, 1, 2]:

        [[1, 0, 0],
         [0, 1, 1],      one 1 right, one 1 taken for a 2
         [0, 0, 1]]

    Args:
        y_true, y_pred: as for `accuracy`.
        n_classes: k; default: the largest class seen + 1, but at least the
            number of columns of a score array (n, k) and at least 2 when
            either input is 2-D.

    Returns:
        int64 array of shape (k, k).
    """
    true, pred = _paired_classes(y_true, y_pred)
    k = _n_classes(n_classes, true, pred, y_true, y_pred)
    counts = np.bincount(true * k + pred, minlength=k * k)
    return counts.reshape(k, k).astype(np.int64)


def per_class_accuracy(y_true, y_pred, n_classes=None):
    """For each true class i, the fraction of its samples predicted as i: C[i, i] / sum_j C[i, j].

    This is the recall of each class. A class with no samples in y_true gets
    NaN (nothing to be right or wrong about), not 0.

    Args:
        y_true, y_pred, n_classes: as for `confusion_matrix`.

    Returns:
        float64 array of shape (k,).
    """
    matrix = confusion_matrix(y_true, y_pred, n_classes)
    per_class = matrix.sum(axis=1).astype(np.float64)
    correct = np.diagonal(matrix).astype(np.float64)
    result = np.full(len(matrix), np.nan)
    np.divide(correct, per_class, out=result, where=per_class > 0)
    return result


def _paired_classes(y_true, y_pred):
    true, pred = to_classes(y_true, "y_true"), to_classes(y_pred, "y_pred")
    if len(true) != len(pred):
        raise ValueError(f"y_true and y_pred must have the same number of samples, "
                         f"got {len(true)} and {len(pred)}")
    if len(true) == 0:
        raise ValueError("y_true and y_pred are empty: there is nothing to score")
    shape_true, shape_pred = np.shape(y_true), np.shape(y_pred)
    if (len(shape_true) == 2 and len(shape_pred) == 2 and min(shape_true[1], shape_pred[1]) >= 2
            and shape_true != shape_pred):
        raise ValueError(f"y_true and y_pred have different numbers of classes: "
                         f"shapes {shape_true} and {shape_pred}")
    for name, classes in (("y_true", true), ("y_pred", pred)):
        if classes.min() < 0:
            raise ValueError(f"{name} must hold classes 0, 1, 2, ..., got {classes.min()}")
    return true, pred


def _n_classes(n_classes, true, pred, y_true, y_pred):
    largest = int(max(true.max(), pred.max()))
    if n_classes is None:
        columns = [np.shape(y)[1] for y in (y_true, y_pred) if np.ndim(y) == 2]
        return max([largest + 1, 2 if columns else 0, *columns])
    if isinstance(n_classes, bool) or not isinstance(n_classes, (int, np.integer)) or n_classes < 1:
        raise ValueError(f"n_classes must be a positive integer, got {n_classes!r}")
    if largest >= n_classes:
        raise ValueError(f"n_classes={n_classes} but class {largest} occurs; classes must be "
                         f"0..{n_classes - 1}")
    return int(n_classes)


def _check_finite(values, name):
    if not np.issubdtype(values.dtype, np.number) and values.dtype != bool:
        raise ValueError(f"{name} must hold numbers, got dtype {values.dtype}")
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{name} contains NaN or infinite values")
