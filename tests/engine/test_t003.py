"""Tutorial 003's OR neuron: its printed weights, bias, checks and error sums, and the exact rule.

The tutorial's cell is copied below (TutorialCell, shapes and all) as the
reference; the engine's loop must give the same numbers. The exact rule is
checked against central finite differences and against the engine's
SigmoidNeuron (one epoch, and 1,000 epochs of full-batch training).
"""

import numpy as np
import pytest

from engine.tutorials import EXPERIMENTS, t003
from engine.units import SigmoidNeuron, UnitTrainer

X = np.array(t003.X, dtype=float)
Y = np.array(t003.Y, dtype=float)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))  # the tutorial's own


def tutorial_cell(epochs):
    """The tutorial's cells 1-8, as printed (weights (2, 1), y (4, 1), bias becomes shape (1,))."""
    y = np.array([[0, 1, 1, 1]]).reshape(4, 1)
    weights = np.array([[0.1], [0.2]])
    bias = 0.3
    lr = 0.05

    def sigmoid_der(x):
        return sigmoid(x) * (1 - sigmoid(x))

    printed = []
    for _ in range(epochs):
        inputs = X
        in_feed = np.dot(inputs, weights) + bias
        out = sigmoid(in_feed)
        error = out - y
        printed.append(error.sum())
        deriv = error * sigmoid_der(out)
        deriv_final = np.dot(X.T, deriv)
        weights -= lr * deriv_final
        for i in deriv:
            bias -= lr * i
    return weights[:, 0], float(np.asarray(bias).item()), np.array(printed)


@pytest.fixture(scope="module")
def printed_run():
    return t003.train_or_neuron(t003.PRINTED_EPOCHS, "as-printed")


def test_11010_epochs_give_the_printed_weights_bias_and_checks(printed_run):
    ours = t003.summary(printed_run)
    # printed: [[7.20642565] [7.20667957]] [-3.24934367]; ours to 1e-8 relative
    np.testing.assert_allclose(ours["weights"], t003.PRINTED["weights"], rtol=1e-8)
    assert ours["bias"] == pytest.approx(t003.PRINTED["bias"], rel=1e-8)
    for key in ("output_1_0", "output_1_1", "output_0_0"):  # 0.98123985, 0.99998582, 0.03735048
        assert ours[key] == pytest.approx(t003.PRINTED[key], rel=1e-7), key
    assert set(ours) == set(t003.PRINTED)


def test_the_printed_error_sums_are_epochs_10011_to_10053(printed_run):
    sums = printed_run["error_sums"]
    first = t003.PRINTED_SUMS_FIRST_EPOCH - 1  # epoch 10,011 is index 10,010
    shown = sums[first:first + len(t003.PRINTED_SUMS)]
    full, cut = np.array(t003.PRINTED_SUMS[:-1]), t003.PRINTED_SUMS[-1]
    np.testing.assert_allclose(shown[:-1], full, rtol=1e-9)  # 42 lines, 16-17 digits printed
    assert f"{shown[-1]:.6f}" == f"{cut:.6f}" == "-0.000146"  # the cut line, to its 6 decimals
    # the neighbours do not match: it is this stretch and no other
    assert sums[first - 1] != pytest.approx(full[0], rel=1e-9)
    assert sums[first + 1] != pytest.approx(full[0], rel=1e-9)
    assert t003.summary(printed_run)["error_sums"] == pytest.approx(list(shown))


def test_1000_epochs_as_printed_are_one_run_of_the_cell():
    ours = t003.summary(t003.train_or_neuron(1000, "as-printed"))
    # to 6 significant digits: (2.64322, 2.66227), -0.779374 (the 2.6432, 2.6623, -0.7794)
    assert [f"{w:.6g}" for w in ours["weights"]] == ["2.64322", "2.66227"]
    assert f"{ours['bias']:.6g}" == "-0.779374"
    assert [round(w, 4) for w in ours["weights"]] == [2.6432, 2.6623]
    assert round(ours["bias"], 4) == -0.7794
    assert ours["error_sums"] is None  # the printed lines are from epoch 10,011 on
    # outputs 0.866, 0.989, 0.314: far from the printed checks
    assert ours["output_0_0"] == pytest.approx(0.31445475, rel=1e-6)


def test_engine_loop_is_the_tutorials_cell():
    weights, bias, printed = tutorial_cell(1000)
    run = t003.train_or_neuron(1000, "as-printed")
    np.testing.assert_allclose(run["weights"], weights, rtol=1e-12)
    assert run["bias"] == pytest.approx(bias, rel=1e-12)
    np.testing.assert_allclose(run["error_sums"], printed, rtol=1e-9, atol=1e-15)


@pytest.mark.parametrize("rule", t003.RULES)
def test_a_longer_run_stopped_early_is_the_shorter_run(rule):
    long = t003.train_or_neuron(1500, rule)
    short, cut = t003.train_or_neuron(1000, rule), t003.after(long, 1000)
    assert cut["weights"].tolist() == short["weights"].tolist()  # bit for bit
    assert cut["bias"] == short["bias"]
    assert cut["error_sums"].tolist() == short["error_sums"].tolist()
    assert cut["outputs"].tolist() == short["outputs"].tolist()
    assert t003.after(long, 0)["weights"].tolist() == list(t003.START_WEIGHTS)
    assert t003.after(long, 1500)["bias"] == long["bias"]
    for bad in (-1, 1501, 2.0):
        with pytest.raises(ValueError):
            t003.after(long, bad)


def test_as_printed_derivative_applies_the_sigmoid_twice():
    z = np.linspace(-3, 3, 7)
    out = sigmoid(z)
    printed = t003.deriv_as_printed(z, out, np.ones_like(z))
    np.testing.assert_allclose(printed, sigmoid(out) * (1 - sigmoid(out)), rtol=1e-14)
    np.testing.assert_allclose(t003.deriv_exact(z, out, np.ones_like(z)), out * (1 - out),
                               rtol=1e-14)
    assert np.all((printed > 0.19) & (printed <= 0.25))  # never near 0: sigma(out) in (0.5, 0.73)


def half_squared_error(weights, bias):
    return 0.5 * np.sum((sigmoid(X @ weights + bias) - Y) ** 2)


def one_epoch_step(rule, weights=t003.START_WEIGHTS, bias=t003.START_BIAS, lr=1.0):
    """(dw, db) of one epoch divided by -lr: the direction the rule descends along."""
    run = t003.train_or_neuron(1, rule, learning_rate=lr, weights=weights, bias=bias)
    return ((np.array(weights) - run["weights"]) / lr, (bias - run["bias"]) / lr)


@pytest.mark.parametrize("start", [(t003.START_WEIGHTS, t003.START_BIAS), ((2.0, -1.0), 0.5),
                                   ((7.2, 7.2), -3.2)])
def test_exact_rule_is_the_gradient_by_central_differences(start):
    weights, bias = np.array(start[0]), start[1]
    grad_w, grad_b = one_epoch_step("exact", weights, bias)
    h = 1e-6
    numeric_w = [(half_squared_error(weights + h * e, bias)
                  - half_squared_error(weights - h * e, bias)) / (2 * h) for e in np.eye(2)]
    numeric_b = (half_squared_error(weights, bias + h) - half_squared_error(weights, bias - h)) / (2 * h)
    np.testing.assert_allclose(grad_w, numeric_w, rtol=1e-6)
    assert grad_b == pytest.approx(numeric_b, rel=1e-6)
    # the printed rule is not that gradient
    printed_w, _ = one_epoch_step("as-printed", weights, bias)
    assert not np.allclose(printed_w, numeric_w, rtol=1e-2)


def test_exact_rule_is_the_engines_sigmoid_neuron():
    # the engine's mse is the MEAN over 4 points: 2/4 (out - y) where the tutorial has
    # (out - y); so the same step needs the engine's lr = 2 * 0.05 = 0.1
    unit = SigmoidNeuron(n_inputs=2, lr=2 * t003.LEARNING_RATE, loss="mse", init="zeros")
    unit.w, unit.b = t003.START_WEIGHTS, t003.START_BIAS
    trace = unit.update(X, Y)
    run = t003.train_or_neuron(1, "exact")
    np.testing.assert_allclose(run["weights"], trace["w"], rtol=1e-14)
    assert run["bias"] == pytest.approx(trace["b"], rel=1e-14)
    # and 1,000 full-batch epochs of the engine's trainer
    unit = SigmoidNeuron(n_inputs=2, lr=2 * t003.LEARNING_RATE, loss="mse", init="zeros")
    unit.w, unit.b = t003.START_WEIGHTS, t003.START_BIAS
    UnitTrainer(unit, X, Y, batch_size=None, shuffle=False).step(1000)
    run = t003.train_or_neuron(1000, "exact")
    np.testing.assert_allclose(run["weights"], unit.w, rtol=1e-11)
    assert run["bias"] == pytest.approx(unit.b, rel=1e-11)
    np.testing.assert_allclose(run["outputs"], unit.output(X), rtol=1e-11)


def test_exact_rule_after_1000_epochs():
    ours = t003.summary(t003.train_or_neuron(1000, "exact"))
    assert [f"{w:.6g}" for w in ours["weights"]] == ["2.39311", "2.40157"]
    assert f"{ours['bias']:.6g}" == "-0.827666"
    # slower than the printed rule: [0, 0] still at 0.304 (printed rule: 0.314) ...
    assert ours["output_0_0"] == pytest.approx(0.30413888, rel=1e-6)
    printed = t003.summary(t003.train_or_neuron(1000, "as-printed"))
    assert ours["weights"][0] < printed["weights"][0]


def test_error_sum_can_be_zero_while_a_point_is_wrong():
    # every output 0.75 (w = 0, b = ln 3): errors 0.75, -0.25, -0.25, -0.25 add up to 0
    sums = t003.error_sums((0.0, 0.0), np.log(3.0))
    assert sums["signed"] == pytest.approx(0.0, abs=1e-15)
    assert sums["squared"] == pytest.approx(0.75)
    assert sums["wrong"] == 1  # [0, 0] is read as 1
    # the tutorial's -0.000146: [0, 0] is off by +0.037, the others by about -0.019 each
    run = t003.train_or_neuron(t003.PRINTED_EPOCHS, "as-printed")
    sums = t003.error_sums(run["weights"], run["bias"])
    assert abs(sums["signed"]) < 2e-4 < 2e-3 < sums["squared"] and sums["wrong"] == 0


@pytest.mark.parametrize("kwargs", [
    {"epochs": -1}, {"epochs": 1.5}, {"epochs": True}, {"rule": "bug"},
    {"learning_rate": 0}, {"learning_rate": float("nan")},
])
def test_bad_arguments_are_value_errors(kwargs):
    with pytest.raises(ValueError):
        t003.train_or_neuron(**kwargs)


def test_zero_epochs_and_huge_learning_rates_stay_finite():
    run = t003.train_or_neuron(0)
    assert run["error_sums"].shape == (0,) and run["weights"].tolist() == [0.1, 0.2]
    run = t003.train_or_neuron(2000, "exact", learning_rate=1e6)
    assert np.all(np.isfinite(run["weights"])) and np.isfinite(run["bias"])


def test_experiment_lines():
    fractions = []
    lines = EXPERIMENTS["t003-or-neuron"].run(None, fractions.append)
    assert [(line["variant"], line["settings"]["epochs"]) for line in lines] == [
        ("as-printed", 11_010), ("as-printed", 1_000), ("exact", 1_000), ("exact", 11_010)]
    for line in lines:
        assert set(line["ours"]) == set(line["tutorial"]) == set(t003.PRINTED)
    first = lines[0]["ours"]
    np.testing.assert_allclose(first["weights"], t003.PRINTED["weights"], rtol=1e-8)
    np.testing.assert_allclose(first["error_sums"][:-1], t003.PRINTED_SUMS[:-1], rtol=1e-9)
    assert fractions[-1] == 1.0 and all(0 <= f <= 1 for f in fractions)
    assert fractions == sorted(fractions)
