"""engine/tutorials/t001.py: tutorial 001's blobs, split, Adam unit and OR table, as printed."""

import math

import numpy as np
import pytest

from engine import optimizers
from engine.datasets import blobs
from engine.tutorials import EXPERIMENTS, t001
from engine.units import SigmoidNeuron


def test_the_split_is_scikit_learns_shuffle_split_with_random_state_42():
    # scikit-learn's train_test_split -> ShuffleSplit: check_random_state(42) is
    # np.random.RandomState(42); permutation(200); the first ceil(0.25 * 200) = 50 test.
    X = np.arange(400.0).reshape(200, 2)
    y = np.arange(200.0)
    X_train, X_test, y_train, y_test = t001.sklearn_split(X, y, test_size=0.25, random_state=42)
    order = np.random.RandomState(42).permutation(200)
    np.testing.assert_array_equal(y_test, order[:50])
    np.testing.assert_array_equal(y_train, order[50:])
    np.testing.assert_array_equal(X_train[:, 0], 2 * order[50:])
    assert (len(y_train), len(y_test)) == (150, 50)
    # a few of RandomState(42)'s indices, written out: a different generator fails here
    assert order[:5].tolist() == [95, 15, 30, 158, 128]
    assert len(t001.sklearn_split(X[:10], y[:10], test_size=0.25)[3]) == math.ceil(2.5)


def test_the_tutorials_data_are_the_blobs_as_printed_split_as_printed():
    data = t001.tutorial_data(seed=3)
    X, y = blobs(200, 10.0, 1.0, 3, shifted_class=0)
    order = np.random.RandomState(42).permutation(200)
    np.testing.assert_array_equal(data["X_test"], X[order[:50]].astype(float))
    np.testing.assert_array_equal(data["y_train"], y[order[50:]])
    assert data["X_train"].dtype == np.float64
    # label 0 for the shifted points (the first 100), 1 for the rest
    assert np.all((data["X_train"].mean(axis=1) > 5) == (data["y_train"] == 0))


def test_keras_start_is_glorot_uniform_with_zero_bias():
    w, b = t001.keras_start(np.random.default_rng(0))
    assert b == 0.0 and w.shape == (2,)
    many = np.concatenate([t001.keras_start(np.random.default_rng(s))[0] for s in range(500)])
    limit = math.sqrt(6 / 3)
    assert np.abs(many).max() <= limit and np.abs(many).max() > 0.95 * limit


def test_one_start_trains_5000_adam_steps_with_kerass_defaults_to_full_test_accuracy():
    accuracy, unit, data = t001.train_blobs(seed=0)
    assert isinstance(unit, SigmoidNeuron) and unit.loss_name == "bce"
    adam = unit.optimizer
    assert isinstance(adam, optimizers.Adam)
    assert (adam.lr, adam.betas, adam.eps) == (0.001, (0.9, 0.999), 1e-7)
    assert adam.t == 1000 * 5  # 150 points in batches of 32: 5 updates an epoch
    assert unit.updates == 5000
    assert accuracy == 1.0 == t001.PRINTED_ACCURACY
    assert unit.errors(data["X_train"], data["y_train"]) == 0


def test_fewer_epochs_do_not_reach_it_so_the_accuracy_is_earned():
    accuracies = [t001.train_blobs(seed, epochs=1)[0] for seed in range(3)]
    assert min(accuracies) < 1.0


def test_the_experiment_gives_one_accuracy_per_start_beside_the_printed_one():
    experiment = EXPERIMENTS["t001-blobs"]
    assert experiment.tutorial == "001" and experiment.random
    seen = []
    (result,) = experiment.run(2, seen.append)
    assert result["variant"] is None and result["tutorial"] == 1.0
    assert result["ours"] == [1.0, 1.0]
    assert seen == [0.5, 1.0]
    settings = result["settings"]
    assert (settings["epochs"], settings["batch_size"], settings["lr"]) == (1000, 32, 0.001)
    assert settings["optimizer"] == "adam" and settings["random_state"] == 42


def test_the_or_table_and_its_typo():
    for x1, x2, total, g in t001.OR_ROWS:
        assert total == -1 + x1 + x2 and g == (1 if total >= 0 else 0) == (x1 or x2)
    assert t001.OR_ROWS[-1] == (1, 1, 1, 1)  # printed as g(-1 + 1 + 1) = g(-1) = 1
    assert "g(−1)" in t001.OR_TYPO


@pytest.mark.parametrize("name", ["run", "train_blobs", "tutorial_data", "sklearn_split"])
def test_the_module_says_what_the_tutorial_did(name):
    assert "train_test_split" in t001.__doc__ and "1.000" in t001.__doc__
    assert getattr(t001, name).__doc__
