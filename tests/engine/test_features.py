"""Input features of 2-D points: each formula, the column order, errors."""

import numpy as np
import pytest

from engine.features import FEATURES, feature_matrix

X = np.array([[1.0, 2.0], [3.0, -1.0], [-0.5, 0.25]], dtype=np.float32)


def test_features_in_the_playgrounds_order():
    assert list(FEATURES) == ["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"]


@pytest.mark.parametrize("name, column", [
    ("x1", [1.0, 3.0, -0.5]), ("x2", [2.0, -1.0, 0.25]), ("x1sq", [1.0, 9.0, 0.25]),
    ("x2sq", [4.0, 1.0, 0.0625]), ("x1x2", [2.0, -3.0, -0.125]),
    ("sinx1", np.sin([1.0, 3.0, -0.5])), ("sinx2", np.sin([2.0, -1.0, 0.25])),
])
def test_each_feature(name, column):
    result = feature_matrix(X, [name])
    assert result.shape == (3, 1) and result.dtype == np.float32
    np.testing.assert_allclose(result[:, 0], column, rtol=1e-6)


def test_columns_come_in_the_order_asked():
    result = feature_matrix(X.astype(np.float64), ["x1x2", "x1", "x1sq"])
    np.testing.assert_array_equal(result, [[2, 1, 1], [-3, 3, 9], [-0.125, -0.5, 0.25]])
    assert result.dtype == np.float32


def test_bad_arguments():
    with pytest.raises(ValueError, match="unknown feature 'x3'; known: x1, x2, x1sq, x2sq, x1x2, "
                                         "sinx1, sinx2"):
        feature_matrix(X, ["x1", "x3"])
    with pytest.raises(ValueError, match=r"X must be points of shape \(n, 2\), got shape \(3,\)"):
        feature_matrix(X[:, 0], ["x1"])
    with pytest.raises(ValueError, match="at least one feature"):
        feature_matrix(X, [])
