"""Every registered activation: values, derivatives against central differences."""

import numpy as np
import pytest

from engine import activations

NAMES = list(activations.ACTIVATIONS)
ELEMENTWISE = [n for n in NAMES if n != "softmax"]
# points away from the kinks at 0, where one-sided slopes differ
X = np.array([-3.1, -1.7, -0.6, -0.05, 0.07, 0.4, 1.3, 2.9])


def numeric_derivative(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_grad_matches_central_differences(name):
    act = activations.get(name)
    np.testing.assert_allclose(act.grad(X), numeric_derivative(act.fn, X), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", NAMES)
def test_backward_is_vector_jacobian_product(name):
    act = activations.get(name)
    rng = np.random.default_rng(1)
    x = rng.normal(size=(4, 3)) * 2
    g = rng.normal(size=(4, 3))
    y = act.fn(x)
    if name == "softmax":
        expected = np.einsum("ni,nij->nj", g, act.grad(x))
    else:
        expected = g * act.grad(x)
    np.testing.assert_allclose(act.backward(x, y, g.copy()), expected, rtol=1e-10, atol=1e-12)


def test_softmax_jacobian_matches_central_differences():
    act = activations.get("softmax")
    x = np.array([[0.3, -1.2, 2.0, 0.1]])
    jac = act.grad(x)[0]
    for j in range(4):
        e = np.zeros_like(x)
        e[0, j] = 1e-6
        column = (act.fn(x + e) - act.fn(x - e))[0] / 2e-6
        np.testing.assert_allclose(jac[:, j], column, rtol=1e-6, atol=1e-10)


@pytest.mark.parametrize("name, x, expected", [
    ("step", [-1.0, 0.0, 2.0], [0, 1, 1]),
    ("linear", [-1.5, 2.0], [-1.5, 2.0]),
    ("sigmoid", [0.0, 2.0], [0.5, 0.8807970779778823]),
    ("tanh", [0.5], [0.46211715726000974]),
    ("relu", [-2.0, 3.0], [0.0, 3.0]),
    ("leaky_relu", [-2.0, 3.0], [-0.02, 3.0]),
    ("elu", [-1.0, 2.0], [np.exp(-1) - 1, 2.0]),
    ("softplus", [0.0], [np.log(2)]),
    ("silu", [1.0], [0.7310585786300049]),
    ("gelu", [1.0], [0.8411919906082768]),  # PyTorch GELU(approximate="tanh")(1.0)
])
def test_known_values(name, x, expected):
    np.testing.assert_allclose(activations.get(name).fn(np.array(x)), expected, rtol=1e-7)


def test_softmax_rows_sum_to_one_and_survive_large_inputs():
    y = activations.get("softmax").fn(np.array([[1000.0, 1000.0], [1.0, 2.0]]))
    np.testing.assert_allclose(y.sum(axis=1), 1.0)
    np.testing.assert_allclose(y[0], [0.5, 0.5])
    np.testing.assert_allclose(y[1], [0.2689414213699951, 0.7310585786300049])


def test_sigmoid_does_not_overflow():
    with np.errstate(all="raise"):
        y = activations.get("sigmoid").fn(np.array([-1000.0, 1000.0]))
    np.testing.assert_array_equal(y, [0.0, 1.0])


def test_leaky_slope_is_adjustable():
    act = activations.get("leaky_relu", slope=0.2)
    np.testing.assert_allclose(act.fn(np.array([-1.0])), [-0.2])
    np.testing.assert_allclose(act.grad(np.array([-1.0, 1.0])), [0.2, 1.0])


def test_rrelu_samples_slopes_in_training_and_uses_the_mean_otherwise():
    act = activations.get("rrelu", lower=0.1, upper=0.3, seed=0)
    x = -np.ones(1000)
    y_train = act.forward(x, training=True)
    assert 0.1 <= -y_train.max() and -y_train.min() <= 0.3
    assert np.std(y_train) > 0.03
    g = np.ones(1000)
    np.testing.assert_allclose(act.forward(x), -0.2 * np.ones(1000))  # inference between
    np.testing.assert_allclose(act.backward(x, y_train, g), -y_train)  # slope used in forward
    np.testing.assert_allclose(act.backward(x, act.forward(x), np.ones(1000)), 0.2)
    np.testing.assert_array_equal(act.backward(np.array([0.0, 2.0]), np.array([0.0, 2.0]),
                                               np.ones(2)), [1.0, 1.0])


@pytest.mark.parametrize("name", NAMES)
def test_properties_are_filled_in(name):
    props = activations.get(name).properties()
    assert props["name"] == name
    assert props["output range"] and props["used for"]
    assert {"zero-centred", "monotonic", "saturates", "units can die"} <= props.keys()


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(ValueError, match="known activations: step, linear, sigmoid"):
        activations.get("sigmod")


def test_bad_parameters_are_refused():
    with pytest.raises(ValueError, match="slope"):
        activations.get("leaky_relu", slope=2)
    with pytest.raises(ValueError, match="takes no parameters"):
        activations.get("relu", slope=0.1)


@pytest.mark.parametrize("name, params", [
    ("elu", {"alpha": "nan"}), ("elu", {"alpha": float("nan")}), ("elu", {"alpha": float("inf")}),
    ("elu", {"alpha": True}), ("elu", {"alpha": "1.0"}), ("elu", {"alpha": 0}),
    ("elu", {"alpha": 11}), ("elu", {"alpha": 10**400}), ("leaky_relu", {"slope": "0.1"}),
    ("leaky_relu", {"slope": float("nan")}), ("leaky_relu", {"slope": None}),
    ("rrelu", {"lower": float("-inf")}), ("rrelu", {"lower": 0.5, "upper": 0.2}),
])
def test_parameters_must_be_finite_numbers_in_range(name, params):
    with pytest.raises(ValueError, match=f"^{name}: ") as error:
        activations.get(name, **params)
    assert type(error.value) is ValueError


def test_parameters_in_range_are_kept():
    assert activations.get("elu", alpha=10).alpha == 10.0
    assert activations.get("elu", alpha=np.float32(0.5)).params == {"alpha": 0.5}
    assert activations.get("leaky_relu", slope=0).slope == 0.0


@pytest.mark.parametrize("name", [["relu"], None, 3, "x" * 10_000])
def test_a_name_that_is_not_a_known_string_is_a_short_value_error(name):
    with pytest.raises(ValueError, match="unknown activation") as error:
        activations.get(name)
    assert len(str(error.value)) < 300


@pytest.mark.parametrize("name", list(activations.ACTIVATIONS))
def test_curve_is_the_function_and_its_slope_on_a_grid(name):
    act = activations.get(name)
    x = np.linspace(-3.0, 3.0, 13)
    y, dy = act.curve(x)
    assert y.shape == dy.shape == x.shape
    if name == "softmax":  # first output of softmax([x, 0]) is the sigmoid
        s = 1.0 / (1.0 + np.exp(-x))
        np.testing.assert_allclose(y, s, rtol=1e-12)
        np.testing.assert_allclose(dy, s * (1 - s), rtol=1e-12)
    else:
        np.testing.assert_array_equal(y, act.fn(x))
        np.testing.assert_array_equal(dy, act.grad(x))


def test_rrelu_slopes_used_are_read_off_its_training_outputs():
    act = activations.get("rrelu", lower=0.1, upper=0.3, seed=0)
    x = np.array([-2.0, -1.0, 0.0, 1.5])
    slopes = act.slopes_used(x, act.forward(x, training=True))
    assert slopes[2] == slopes[3] == 1.0
    assert np.all((0.1 <= slopes[:2]) & (slopes[:2] <= 0.3))
