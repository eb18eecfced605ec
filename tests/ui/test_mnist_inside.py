"""ui/mnist_inside.py and Job.net_inputs: the hidden layer's histogram, its report, the settings
its text names. The dead units are counted again here from the weights alone."""

import itertools

import numpy as np
import pytest

from engine import activations
from engine.diagnostics import layer_report, saturation_limit
from ui import jobs
from ui import mnist_inside as inside
from ui import mnist_setup as setup


@pytest.fixture(scope="module")
def data():
    return setup.load_data()


def config(**changes):
    return setup.check_config({**setup.DEFAULT_CONFIG, **changes})


# The settings SHOWS_IT names: ReLU, softmax + cross-entropy, Glorot, 0-1, SGD, batches of 32,
# 1,000 images, one epoch; learning rate 1 (too big) or 0.1.
RELU = dict(activation="relu", output="softmax_ce", init="glorot", scaling="unit", lr=1.0,
            batch_size=32, epochs=1, train_size=1000, shuffle=True)


def new_job(data, **changes):
    return jobs.Job(setup.job_configs(config(**changes)), data, itertools.count(1).__next__,
                    gate=jobs.Gate(None), line=jobs.Line(None))


def trained(data, **changes):
    job = new_job(data, **changes)
    for _ in range(10_000):
        if job.done:
            return job.runs[-1]
        job.step(1.0)
    raise AssertionError("the job did not end")


def dead_from_weights(model, X):
    """Units of the first layer with x @ W + b <= 0 for every image, from the weights alone."""
    layer = model.layers[0]
    x = X.astype(np.float64)
    if model.input_scaling == "tutorial":
        x = x * 0.99 + 0.01
    z = x @ layer.W.astype(np.float64) + layer.b.astype(np.float64)
    return np.flatnonzero(np.all(z <= 0, axis=0)).tolist()


def test_the_probe_is_the_first_500_test_images(data):
    X = inside.probe_images(data)
    assert X.shape == (jobs.PROBE_IMAGES, 784) == (500, 784)
    np.testing.assert_array_equal(X, data["X_test"][:500])


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu"])
def test_the_histogram_counts_every_value_once(name):
    activation = activations.get(name)
    z = np.random.default_rng(0).normal(0, 20, size=(500, 90)).astype(np.float32)
    edges, counts = inside.histogram(activation, z)
    assert counts.sum() == 500 * 90 and len(edges) == inside.BINS + 1
    assert edges[0] <= z.min() and edges[-1] >= z.max()
    # A narrow z still shows the activation's flat parts: at least 1.5 x the saturation limit.
    edges, _ = inside.histogram(activation, np.zeros((3, 2)))
    assert edges[-1] == -edges[0] == pytest.approx(inside.span(activation))
    sigmoid = activations.get("sigmoid")
    assert inside.span(sigmoid) == pytest.approx(1.5 * saturation_limit(sigmoid))
    assert saturation_limit(sigmoid) == pytest.approx(np.log(0.9975 / 0.0025), abs=0.02)


def test_the_figure_draws_the_counts_over_f_and_its_slope():
    sigmoid = activations.get("sigmoid")
    z = np.linspace(-10, 10, 500 * 90).reshape(500, 90)
    figure = inside.histogram_figure(sigmoid, z, "title")
    bars, curve, slope = figure.data
    assert sum(bars.y) == 500 * 90
    np.testing.assert_allclose(curve.y, 1 / (1 + np.exp(-np.asarray(curve.x))), atol=1e-6)
    assert max(slope.y) == pytest.approx(0.25, abs=1e-3)
    assert len(figure.layout.shapes) == 2  # |z| > 5.9 shaded on both sides
    # Filled in place: the same figure, new counts.
    again = inside.histogram_figure(sigmoid, z[:10], "new title", figure)
    assert again is figure and sum(figure.data[0].y) == 10 * 90
    assert figure.layout.title.text == "new title"


def test_a_relu_with_a_learning_rate_too_big_has_dead_units_counted_as_by_hand(data):
    run = trained(data, **RELU)
    X = inside.probe_images(data)
    (z, _) = inside.net_inputs(run.model, X)
    report = layer_report(run.model.layers[0].activation, z)
    assert report["n_examples"] * report["n_units"] == 500 * 90
    dead = dead_from_weights(run.model, X)
    assert report["dead_units"] == dead
    assert 30 <= len(dead) <= 70  # the text says "about half of the 90 units"
    assert inside.report_text(run.model.layers[0].activation, report).startswith(
        f"**{len(dead)} of 90 units dead** on these 500 test images")
    # With learning rate 0.1, as the text says, none die.
    calm = trained(data, **{**RELU, "lr": 0.1})
    assert dead_from_weights(calm.model, X) == []


def test_the_tutorials_sigmoid_network_saturates_as_it_learns(data):
    X = inside.probe_images(data)
    sigmoid = activations.get("sigmoid")
    start = setup.build_model(config())
    assert layer_report(sigmoid, inside.net_inputs(start, X)[0])["saturated_share"] == 0.0
    run = trained(data, train_size=10_000)  # the tutorial's network, lr 0.3, one epoch
    report = layer_report(sigmoid, inside.net_inputs(run.model, X)[0])
    assert 0.04 <= report["saturated_share"] <= 0.10  # the text says "about 7 %"
    assert inside.report_text(sigmoid, report).startswith(
        f"**{report['saturated_share']:.1%} of the values saturated** (|z| > 6.0")


def test_net_inputs_of_a_job_are_its_models_at_one_moment(data):
    job = new_job(data, hidden="30,20", activation="tanh", epochs=2)
    X = inside.probe_images(data)
    job.step(0.0)
    job.set_paused(True)  # nothing changes the weights now: the copy equals the model
    zs = job.net_inputs(X)
    expected = inside.net_inputs(job.current.model, X)
    assert [z.shape for z in zs] == [(500, 30), (500, 20), (500, 10)]
    for z, z_model in zip(zs, expected):
        np.testing.assert_array_equal(z, z_model)
    job.stop()
    assert job.net_inputs(X) is None

