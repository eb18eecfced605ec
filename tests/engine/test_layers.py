"""Dense layer: shapes, in-place weights, initialisers, backward vs central differences."""

import numpy as np
import pytest

from engine import activations
from engine.layers import Dense

SMOOTH_ENOUGH = [n for n in activations.ACTIVATIONS if n not in ("step",)]


@pytest.mark.parametrize("name", SMOOTH_ENOUGH)
def test_backward_matches_central_differences(name):
    rng = np.random.default_rng(3)
    layer = Dense(4, 3, name, dtype=np.float64, seed=1)
    layer.b[...] = rng.normal(size=3)
    x = rng.normal(size=(5, 4))
    g = rng.normal(size=(5, 3))  # L = sum(g * a), so dL/da = g

    def loss():
        return float(np.sum(g * layer.forward(x)))

    _, cache = layer.forward_cached(x)
    grad_x = layer.backward(cache, g.copy())
    for param, grad in [(layer.W, layer.dW), (layer.b, layer.db), (x, grad_x)]:
        numeric = np.zeros_like(param)
        for idx in np.ndindex(param.shape):
            old = param[idx]
            param[idx] = old + 1e-6
            up = loss()
            param[idx] = old - 1e-6
            down = loss()
            param[idx] = old
            numeric[idx] = (up - down) / 2e-6
        np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-8)


def test_forward_is_the_formula():
    layer = Dense(2, 1, "sigmoid")
    layer.W[...] = [[1.45], [-0.66]]
    layer.b[...] = 0.0
    # the tutorial's neuron: sigmoid(1.45 * 1.66 - 0.66 * 1.56) = 0.7985731
    out = layer.forward(np.array([[1.66, 1.56], [2.0, 1.5]], dtype=np.float32))
    np.testing.assert_allclose(out[:, 0], [0.7985731, 0.87101915], rtol=1e-6)


def test_weights_assign_in_place_or_by_copy_with_shape_check():
    layer = Dense(3, 2)
    view = layer.W
    layer.W = np.ones((3, 2))
    assert view is layer.W and layer.W.dtype == np.float32
    np.testing.assert_array_equal(view, 1.0)
    with pytest.raises(ValueError, match=r"W must have shape \(3, 2\), got \(2, 3\)"):
        layer.W = np.ones((2, 3))


@pytest.mark.parametrize("init, expected_std", [
    ("normal", 400 ** -0.5), ("he", (2 / 400) ** 0.5), ("glorot", (2 / (400 + 300)) ** 0.5)])
def test_initialisers_have_the_right_spread(init, expected_std):
    layer = Dense(400, 300, init=init, seed=0)
    assert layer.W.std() == pytest.approx(expected_std, rel=0.02)
    assert abs(layer.W.mean()) < 0.01 * expected_std * 10
    np.testing.assert_array_equal(layer.b, 0.0)


def test_same_seed_same_weights():
    np.testing.assert_array_equal(Dense(5, 4, seed=7).W, Dense(5, 4, seed=7).W)
    assert not np.array_equal(Dense(5, 4, seed=7).W, Dense(5, 4, seed=8).W)


def test_bad_arguments():
    with pytest.raises(ValueError, match="n_out must be a positive integer"):
        Dense(3, 0)
    with pytest.raises(ValueError, match="unknown init"):
        Dense(3, 2, init="xavier")
    with pytest.raises(ValueError, match="unknown activation"):
        Dense(3, 2, "relu6")


def snapshot(obj):
    """The object's attributes, each with the identity and content of its value."""
    return {k: (id(v), v.copy() if isinstance(v, np.ndarray) else v) for k, v in vars(obj).items()}


def assert_same_snapshot(before, after):
    assert before.keys() == after.keys()
    for key, (identity, value) in before.items():
        assert after[key][0] == identity, key
        if isinstance(value, np.ndarray):
            np.testing.assert_array_equal(after[key][1], value)


def test_forward_stores_nothing_on_the_layer():
    layer = Dense(3, 2, "tanh", seed=1)
    x = np.random.default_rng(0).normal(size=(4, 3)).astype(np.float32)
    before = snapshot(layer)
    layer.forward(x)
    layer.forward_cached(x)
    assert_same_snapshot(before, snapshot(layer))


def test_forward_cached_returns_x_z_and_a():
    layer = Dense(3, 2, "relu", seed=1)
    layer.b[...] = [0.5, -0.25]
    x = np.random.default_rng(0).normal(size=(4, 3)).astype(np.float32)
    a, cache = layer.forward_cached(x)
    assert cache.x is x and cache.a is a
    x, z, a2 = cache  # a plain tuple too
    np.testing.assert_allclose(z, x @ layer.W + layer.b, rtol=1e-6)
    np.testing.assert_array_equal(a, np.maximum(z, 0))
    np.testing.assert_array_equal(layer.forward(x), a)


def test_backward_options_skip_the_input_or_the_parameter_gradients():
    rng = np.random.default_rng(0)
    layer = Dense(3, 2, "sigmoid", dtype=np.float64, seed=1)
    x, g = rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    _, cache = layer.forward_cached(x)
    grad_x = layer.backward(cache, g.copy())
    dW, db = layer.dW.copy(), layer.db.copy()

    layer.dW[...], layer.db[...] = 7.0, 7.0
    assert layer.backward(cache, g.copy(), input_grad=False) is None
    np.testing.assert_array_equal(layer.dW, dW)
    np.testing.assert_array_equal(layer.db, db)

    layer.dW[...], layer.db[...] = 7.0, 7.0
    np.testing.assert_array_equal(layer.backward(cache, g.copy(), param_grads=False), grad_x)
    assert np.all(layer.dW == 7.0) and np.all(layer.db == 7.0)

    grad_z = g * cache.a * (1 - cache.a)  # sigmoid's f'(z) = a (1 - a)
    np.testing.assert_allclose(layer.backward_from_z(cache, grad_z), grad_x, rtol=1e-12)
    np.testing.assert_allclose(layer.dW, dW, rtol=1e-12)


def test_a_forward_pass_between_forward_cached_and_backward_changes_nothing():
    rng = np.random.default_rng(0)
    layer = Dense(3, 2, "tanh", seed=1)
    x, other = rng.normal(size=(5, 3)).astype(np.float32), rng.normal(size=(9, 3)).astype(np.float32)
    g = rng.normal(size=(5, 2)).astype(np.float32)
    _, cache = layer.forward_cached(x)
    expected = layer.backward(cache, g.copy()), layer.dW.copy(), layer.db.copy()

    _, cache = layer.forward_cached(x)
    layer.forward(other)
    layer.forward_cached(other)
    grad_x = layer.backward(cache, g.copy())
    for got, want in zip((grad_x, layer.dW, layer.db), expected):
        np.testing.assert_array_equal(got, want)


def test_forward_works_on_read_only_weights():
    layer = Dense(3, 2, "softmax", seed=1)
    for array in layer.parameters() + layer.gradients():
        array.flags.writeable = False
    out = layer.forward(np.ones((2, 3), np.float32))
    np.testing.assert_allclose(out.sum(axis=1), 1.0, rtol=1e-6)


def test_merge_linear_is_one_layer_doing_what_two_linear_layers_do():
    from engine.layers import merge_linear
    first, second = Dense(2, 3, "linear", seed=1), Dense(3, 2, "linear", seed=2)
    first.b, second.b = [0.5, -1.0, 2.0], [0.25, -0.75]
    x = np.array([[1.0, 2.0], [-0.5, 0.0]], dtype=np.float32)
    merged = merge_linear(first, second)
    np.testing.assert_allclose(merged.W, first.W @ second.W, rtol=1e-6)
    np.testing.assert_allclose(merged.b, first.b @ second.W + second.b, rtol=1e-6)
    np.testing.assert_allclose(merged.forward(x), second.forward(first.forward(x)), rtol=1e-5,
                               atol=1e-6)
    with pytest.raises(ValueError, match="linear layers"):
        merge_linear(Dense(2, 3, "tanh"), second)
