"""Tutorial 002's numbers: dot products, the worked neuron (as printed and exact), eight points.

Every figure the tutorial printed is checked to the digits it printed (at most
8 significant digits; all of them have 5 or more), and the exact rule against
central finite differences and against the engine's SigmoidNeuron.
"""

import numpy as np
import pytest

from engine.tutorials import EXPERIMENTS, t002
from engine.units import SigmoidNeuron


def significant(value, printed):
    """`value` rounded to the significant digits `printed` shows (at most 8): equal as text."""
    mantissa = repr(float(printed)).lstrip("-").split("e")[0].replace(".", "").lstrip("0")
    digits = min(len(mantissa), 8)
    return f"{value:.{digits}g}" == f"{printed:.{digits}g}"


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))  # the tutorial's own


# --- 1. dot products ---------------------------------------------------------------


def test_dot_products_as_printed():
    ours = t002.dot_products()
    assert set(ours) == set(t002.PRINTED_DOT_PRODUCTS)
    # 1.72 * 1.26 + 1.23 * 0 = 2.1672;  1.72 * 2.17 + 1.23 * 0.32 = 3.7324 + 0.3936 = 4.1260
    assert ours["dot_product_1"] == pytest.approx(2.1672, rel=1e-12)
    assert significant(ours["dot_product_1"], 2.1672)
    # The exact product is 4.126; in float64 it is 4.1259999999999994, which Python prints
    # as that: the tutorial's "4.1259" is the print cut after four decimals. It agrees with
    # ours to 4 significant digits, not 6: that is the tutorial's figure, not an engine error.
    assert ours["dot_product_2"] == pytest.approx(4.126, rel=1e-15)
    assert f"{ours['dot_product_2']}" == "4.1259999999999994"
    assert f"{ours['dot_product_2']}".startswith(repr(t002.PRINTED_DOT_PRODUCTS["dot_product_2"]))
    assert not significant(ours["dot_product_2"], 4.1259)


def test_cosine_similarity_compares_directions_only():
    x = t002.INPUT_VECTOR
    cos_1, cos_2 = t002.cosine_similarity(x, t002.WEIGHTS_1), t002.cosine_similarity(x, t002.WEIGHTS_2)
    # cos = a.b / (|a||b|): 2.1672 / (2.11455 * 1.26) and 4.126 / (2.11455 * 2.19347)
    assert cos_1 == pytest.approx(2.1672 / (np.hypot(1.72, 1.23) * 1.26))
    assert cos_2 == pytest.approx(4.126 / (np.hypot(1.72, 1.23) * np.hypot(2.17, 0.32)))
    assert cos_2 > cos_1  # here it agrees with the tutorial ...
    longer = (12.6, 0.0)  # ... but ten times weights_1: the dot product wins, the direction is the same
    assert t002.dot_products(weights_1=longer)["dot_product_1"] > 4.1259
    assert t002.cosine_similarity(x, longer) == pytest.approx(cos_1)
    assert t002.cosine_similarity((0, 0), x) is None
    assert t002.cosine_similarity((1e300, 1e300), (3e300, 3e300)) == pytest.approx(1.0)
    assert t002.cosine_similarity((1, 0), (-5, 0)) == -1.0


# --- 2.-3. the worked neuron ---------------------------------------------------------


@pytest.mark.parametrize("key", list(t002.PRINTED_NEURON))
def test_neuron_as_printed_matches_every_printed_figure(key):
    ours = t002.worked_neuron(rule="as-printed")
    assert significant(ours[key], t002.PRINTED_NEURON[key]), (key, ours[key])
    assert ours[key] == pytest.approx(t002.PRINTED_NEURON[key], rel=2e-5)


def test_neuron_numbers_by_hand():
    ours = t002.worked_neuron(rule="as-printed")
    # z = 1.45 * 2 - 0.66 * 1.5 = 1.91; sigmoid(1.91) = 0.8710191...
    assert ours["prediction_2"] == pytest.approx(sigmoid(1.91), rel=1e-15)
    assert ours["mse"] == pytest.approx(sigmoid(1.91) ** 2, rel=1e-15)
    assert ours["derivative"] == pytest.approx(2 * sigmoid(1.91), rel=1e-15)
    # weights_1 - derivative: 1.45 - 1.742, -0.66 - 1.742; z = 2 w1 + 1.5 w2 = -4.188...
    after = np.array([1.45, -0.66]) - 2 * sigmoid(1.91)
    assert ours["weights_after"] == pytest.approx(after.tolist(), rel=1e-15)
    assert ours["after_update"] == pytest.approx(sigmoid(after @ [2.0, 1.5]), rel=1e-12)
    # the printed mse is the square of the ROUNDED prediction 0.87101915
    assert 0.87101915 ** 2 == pytest.approx(t002.PRINTED_NEURON["mse"], rel=1e-15)
    assert ours["mse"] != pytest.approx(t002.PRINTED_NEURON["mse"], rel=1e-9)


def squared_error(weights, x=(2.0, 1.5), target=0.0):
    return (sigmoid(np.dot(x, weights)) - target) ** 2


def test_exact_gradient_against_central_differences_and_the_engine():
    ours = t002.worked_neuron(rule="exact")
    w, h = np.array([1.45, -0.66]), 1e-6
    numeric = [(squared_error(w + h * e) - squared_error(w - h * e)) / (2 * h) for e in np.eye(2)]
    np.testing.assert_allclose(ours["gradient"], numeric, rtol=1e-8)
    unit = SigmoidNeuron(n_inputs=2, lr=1.0, loss="mse", init="zeros")
    unit.w, unit.b = [1.45, -0.66], 0.0
    grad_w, _ = unit.gradients([2.0, 1.5], 0.0)
    np.testing.assert_allclose(ours["gradient"], grad_w, rtol=1e-15)
    # 2 (p - t) p (1 - p) x with p = 0.87101915: (0.39142, 0.29356)
    p = sigmoid(1.91)
    np.testing.assert_allclose(ours["gradient"], 2 * p * p * (1 - p) * np.array([2.0, 1.5]))
    # learning rate 1: the step is the gradient; the error falls, less than the printed step's
    np.testing.assert_allclose(ours["weights_after"], w - grad_w, rtol=1e-15)
    assert ours["after_update"] == pytest.approx(0.66525897, rel=1e-7)
    assert ours["error_after"] == pytest.approx(0.44256949, rel=1e-7)
    assert ours["prediction_1_after"] > 0.5  # [1.66, 1.56] (target 1) stays right ...
    printed_rule = t002.worked_neuron(rule="as-printed")
    assert printed_rule["prediction_1_after"] < 0.5  # ... the printed step turns it wrong
    assert printed_rule["step"] != pytest.approx(ours["gradient"])  # not a gradient step


def test_exact_learning_rate_scales_the_step():
    half = t002.worked_neuron(rule="exact", learning_rate=0.5)
    np.testing.assert_allclose(half["step"], 0.5 * np.array(half["gradient"]))
    assert t002.worked_neuron(rule="as-printed", learning_rate=0.5)["step"] == \
        t002.worked_neuron(rule="as-printed")["step"]  # the printed rule has no learning rate


@pytest.mark.parametrize("kwargs", [
    {"rule": "other"}, {"weights": (1.0, float("nan"))}, {"weights": (1.0,)}, {"bias": float("inf")},
    {"rule": "exact", "learning_rate": float("nan")},
])
def test_bad_arguments_are_value_errors(kwargs):
    with pytest.raises(ValueError):
        t002.worked_neuron(**kwargs)


def test_huge_weights_give_finite_numbers():
    ours = t002.worked_neuron(weights=(1e6, -1e6), rule="exact")
    assert all(np.isfinite(ours[key]) for key in t002.PRINTED_NEURON)


# --- 4. eight points --------------------------------------------------------------------


class TutorialNetwork:
    """The tutorial's NeuralNetwork class, verbatim but for np.random -> a Generator."""

    def __init__(self, learning_rate, rng):
        self.rng = rng
        self.weights = np.array([rng.standard_normal(), rng.standard_normal()])
        self.bias = rng.standard_normal()
        self.learning_rate = learning_rate

    def _sigmoid_deriv(self, x):
        return sigmoid(x) * (1 - sigmoid(x))

    def predict(self, input_vector):
        return sigmoid(np.dot(input_vector, self.weights) + self.bias)

    def _compute_gradients(self, input_vector, target):
        layer_1 = np.dot(input_vector, self.weights) + self.bias
        prediction = sigmoid(layer_1)
        derror_dprediction = 2 * (prediction - target)
        dprediction_dlayer1 = self._sigmoid_deriv(layer_1)
        dlayer1_dweights = (0 * self.weights) + (1 * input_vector)
        return (derror_dprediction * dprediction_dlayer1,
                derror_dprediction * dprediction_dlayer1 * dlayer1_dweights)

    def train(self, input_vectors, targets, iterations):
        cumulative_errors = []
        for current_iteration in range(iterations):
            random_data_index = self.rng.integers(len(input_vectors))
            input_vector = input_vectors[random_data_index]
            target = targets[random_data_index]
            derror_dbias, derror_dweights = self._compute_gradients(input_vector, target)
            self.bias = self.bias - (derror_dbias * self.learning_rate)
            self.weights = self.weights - (derror_dweights * self.learning_rate)
            if current_iteration % 100 == 0:
                cumulative_error = 0
                for data_instance_index in range(len(input_vectors)):
                    prediction = self.predict(input_vectors[data_instance_index])
                    cumulative_error = cumulative_error + np.square(
                        prediction - targets[data_instance_index])
                cumulative_errors.append(cumulative_error)
        return cumulative_errors


def test_eight_points_is_the_tutorials_train_loop():
    X, y = np.array(t002.EIGHT_INPUTS, float), np.array(t002.EIGHT_TARGETS, float)
    reference = TutorialNetwork(0.1, np.random.default_rng(3)).train(X, y, 10_000)
    ours = t002.train_eight_points(np.random.default_rng(3))
    assert len(ours) == 100
    np.testing.assert_allclose(ours, reference, rtol=1e-10)


def test_eight_points_samples_with_replacement():
    # the tutorial's randint draws each iteration's point independently: over 8 draws, some
    # point comes twice (an epoch-wise shuffle would show each exactly once)
    rng = np.random.default_rng(0)
    draws = [int(rng.integers(8)) for _ in range(8)]
    assert len(set(draws)) < 8
    # and the run depends on the draws: another seed, another curve
    assert t002.train_eight_points(np.random.default_rng(0), iterations=500) != \
        t002.train_eight_points(np.random.default_rng(1), iterations=500)


# --- the experiments ----------------------------------------------------------------------


def test_experiments_registered_with_the_same_keys_on_both_sides():
    assert {"t002-dot-products", "t002-neuron", "t002-eight-points"} <= set(EXPERIMENTS)
    (dots,) = EXPERIMENTS["t002-dot-products"].run(None, None)
    assert set(dots["ours"]) == set(dots["tutorial"])
    neuron = EXPERIMENTS["t002-neuron"].run(None, None)
    assert [r["variant"] for r in neuron] == ["as-printed", "exact"]
    for line in neuron:
        assert set(line["ours"]) == set(line["tutorial"]) == set(t002.PRINTED_NEURON)
    assert not EXPERIMENTS["t002-neuron"].random and EXPERIMENTS["t002-eight-points"].random


def test_eight_points_experiment_gives_one_pair_per_start():
    fractions = []
    (line,) = EXPERIMENTS["t002-eight-points"].run(2, fractions.append)
    assert len(line["ours"]["first_error"]) == len(line["ours"]["last_error"]) == 2
    assert line["ours"]["first_error"][1] == t002.train_eight_points(np.random.default_rng(1))[0]
    assert fractions[-1] == 1.0 and line["settings"]["iterations"] == 10_000
