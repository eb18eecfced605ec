"""engine.diagnostics: saturated and dead units, counted as the definitions say."""

import numpy as np
import pytest

from engine import activations
from engine.diagnostics import (SATURATION, layer_report, saturates, saturation_limit,
                                slope_peak)

SIGMOID, TANH, RELU = (activations.get(n) for n in ("sigmoid", "tanh", "relu"))


def test_slope_peaks_and_saturation():
    assert slope_peak(SIGMOID) == pytest.approx(0.25)
    assert slope_peak(TANH) == pytest.approx(1.0) and slope_peak(RELU) == 1.0
    assert saturates(SIGMOID) and saturates(TANH) and not saturates(RELU)
    assert not saturates(activations.get("leaky_relu"))
    # sigmoid'(z) = 0.01 * 0.25 where s(1 - s) = 0.0025: z = ln((1 + sqrt(0.99)) / (1 - sqrt(0.99)))
    root = np.sqrt(1 - 4 * 0.0025)
    assert saturation_limit(SIGMOID) == pytest.approx(np.log((1 + root) / (1 - root)), abs=0.01)
    assert saturation_limit(TANH) == pytest.approx(np.arccosh(10), abs=0.01)  # sech^2 = 0.01
    assert saturation_limit(RELU) is None


def test_a_relu_unit_negative_on_every_example_is_dead():
    z = np.array([[1.0, -2.0, -0.5, 0.0],
                  [2.0, -1.0, 0.3, -3.0],
                  [0.5, -4.0, -0.1, -1.0]])
    report = layer_report(RELU, z)
    # unit 1 is negative everywhere; unit 3 is 0 or negative: ReLU's slope at 0 is 0 here too
    assert report["dead_units"] == [i for i in range(4) if np.all(RELU.grad(z[:, i].copy()) == 0)]
    assert report["dead_units"] == [1, 3] and report["dead_share"] == 0.5
    assert report["saturated_share"] is None and report["n_examples"] == 3


def test_saturated_share_counts_values_beyond_the_limit():
    rng = np.random.default_rng(0)
    z = rng.normal(0, 6, size=(500, 8))
    z[:, 2] = 20.0  # saturated on every example
    report = layer_report(SIGMOID, z)
    slope = SIGMOID.grad(z.copy())
    assert report["saturated_share"] == pytest.approx(np.mean(slope < SATURATION * 0.25))
    assert report["saturated_units"] == [2] and report["dead_units"] == []


def test_bad_shapes_are_refused():
    with pytest.raises(ValueError, match="examples, units"):
        layer_report(RELU, np.zeros(3))
