"""Sequential and Trainer: backprop against central differences, training, chunks, divergence."""

import numpy as np
import pytest

from engine import SGD, Adam, Callback, Dense, RMSprop, Sequential, Trainer, TrainingDiverged, losses
from engine.datasets import logic_gate

CASES = [  # (output activation, loss, number of outputs)
    ("sigmoid", "mse", 2), ("linear", "sse", 3), ("sigmoid", "binary_cross_entropy", 1),
    ("softmax", "cross_entropy", 3), ("softmax", "mse", 3), ("tanh", "sse", 2),
]


def numeric_gradient(value, params, h=1e-6):
    """Central differences of value() with respect to each entry of params (changed in place)."""
    numeric = np.zeros_like(params)
    for i in range(params.size):
        old = params.flat[i]
        params.flat[i] = old + h
        up = value()
        params.flat[i] = old - h
        down = value()
        params.flat[i] = old
        numeric.flat[i] = (up - down) / (2 * h)
    return numeric


def small_model(out_act, n_out, hidden="tanh", dtype=np.float64, seed=0):
    return Sequential([Dense(3, 5, hidden, dtype=dtype), Dense(5, 4, "relu", dtype=dtype),
                       Dense(4, n_out, out_act, dtype=dtype)], seed=seed)


@pytest.mark.parametrize("out_act, loss_name, n_out", CASES)
def test_backprop_matches_central_differences(out_act, loss_name, n_out):
    rng = np.random.default_rng(0)
    model = small_model(out_act, n_out)
    loss = losses.get(loss_name)
    x = rng.normal(size=(6, 3))
    if loss_name == "cross_entropy":
        target = rng.integers(0, n_out, size=6)
    else:
        target = rng.uniform(size=(6, n_out))

    def value():
        out = model.forward(x)
        return model.loss_value(out, target, loss)

    model.loss_and_backward(model.forward(x), target, loss)
    np.testing.assert_allclose(model.grads, numeric_gradient(value, model.params),
                               rtol=1e-4, atol=1e-8)


def test_layers_share_the_flat_parameter_buffer():
    model = small_model("sigmoid", 1, dtype=np.float32)
    assert model.params.dtype == np.float32
    assert model.params.size == 3 * 5 + 5 + 5 * 4 + 4 + 4 * 1 + 1
    model.layers[1].W[0, 0] = 42.0
    assert 42.0 in model.params
    model.params[:] = 0.0
    assert not model.layers[0].W.any()


def test_predict_shape_and_seeded_init():
    a, b = small_model("softmax", 3, seed=5), small_model("softmax", 3, seed=5)
    x = np.random.default_rng(1).normal(size=(10, 3))
    assert a.predict(x).shape == (10, 3)
    np.testing.assert_array_equal(a.predict(x), b.predict(x))
    assert not np.array_equal(a.predict(x), small_model("softmax", 3, seed=6).predict(x))
    np.testing.assert_allclose(a.predict(x).sum(axis=1), 1.0)


def test_sizes_must_chain():
    with pytest.raises(ValueError, match="layer 0 has 4 outputs but layer 1 expects 3 inputs"):
        Sequential([Dense(2, 4), Dense(3, 1)])
    with pytest.raises(ValueError, match=r"inputs must have shape \(n, 2\)"):
        Sequential([Dense(2, 1)]).predict(np.ones((4, 3)))


def test_one_hidden_layer_learns_xor():
    X, y = logic_gate("xor")
    model = Sequential([Dense(2, 4, "tanh"), Dense(4, 1, "sigmoid")], seed=1)
    history = model.fit(X, y, epochs=300, batch_size=4, optimizer=Adam(lr=0.05),
                        loss="binary_cross_entropy")
    assert history[-1]["accuracy"] == 1.0
    np.testing.assert_array_equal(model.predict_classes(X), y)
    loss, acc = model.evaluate(X, y)
    assert acc == 1.0 and loss < 0.1 and loss == pytest.approx(history[-1]["loss"], abs=0.05)


def test_sample_by_sample_training_follows_the_tutorial_rule():
    # one sample, sse, sigmoid: W += lr * x.T (t - a) a (1 - a)
    model = Sequential([Dense(2, 1, "sigmoid", dtype=np.float64)])
    model.layers[0].W[...] = [[0.5], [-0.5]]
    x, t = np.array([[1.0, 2.0]]), np.array([[1.0]])
    a = model.predict(x)[0, 0]  # sigmoid(-0.5) = 0.37754067
    model.fit(x, t, epochs=1, batch_size=1, optimizer=SGD(lr=0.3), loss="sse")
    expected = np.array([[0.5], [-0.5]]) + 0.3 * x.T * (1 - a) * a * (1 - a)
    np.testing.assert_allclose(model.layers[0].W, expected)
    assert a == pytest.approx(0.37754067)


def test_training_in_chunks_equals_training_in_one_go():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(100, 3)).astype(np.float32), rng.integers(0, 3, 100)

    def trainer(model):
        return Trainer(model, X, y, epochs=3, batch_size=16, optimizer=RMSprop(),
                       loss="cross_entropy", seed=4)

    a, b = small_model("softmax", 3, dtype=np.float32), small_model("softmax", 3, dtype=np.float32)
    trainer(a).run()
    t = trainer(b)
    chunks = 0
    while not t.done:
        assert t.step(5) <= 5
        chunks += 1
    assert chunks == int(np.ceil(3 * 7 / 5))
    np.testing.assert_array_equal(a.params, b.params)
    assert [h["epoch"] for h in t.history] == [1, 2, 3]
    assert t.samples_seen == 300 and t.fraction_done == 1.0
    assert t.batches_done == t.epochs * t.batches_per_epoch


def test_stop_keeps_the_model_and_callbacks_see_plain_dicts():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(64, 3)), rng.integers(0, 2, 64)
    seen = []

    class StopAfterFive(Callback):
        def on_batch_end(self, trainer, logs):
            seen.append(logs)
            if logs["batch"] == 5:
                trainer.stop_training = True

    model = small_model("sigmoid", 1, dtype=np.float32)
    history = model.fit(X, y, epochs=10, batch_size=4, optimizer=SGD(0.1),
                        loss="binary_cross_entropy", callbacks=[StopAfterFive()])
    assert len(seen) == 5 and history == []
    assert {"epoch", "batch", "batches", "loss", "accuracy", "samples_seen", "seconds",
            "samples_per_s"} <= seen[-1].keys()
    assert seen[-1]["samples_seen"] == 20 and seen[-1]["batches"] == 16
    t = Trainer(model, X, y, epochs=2, batch_size=4, optimizer=SGD(0.1), loss="mse")
    t.step(3)
    t.stop()
    assert t.done and t.step(10) == 0


def test_epoch_logs_with_validation():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(50, 3)), rng.integers(0, 3, 50)
    model = small_model("softmax", 3, dtype=np.float32)
    history = model.fit(X, y, epochs=2, batch_size=10, optimizer=Adam(),
                        loss="cross_entropy", validation_data=(X[:20], y[:20]))
    assert len(history) == 2 and model.history == history
    for logs in history:
        assert 0 <= logs["val_accuracy"] <= 1 and logs["val_loss"] > 0
        assert logs["samples_per_s"] > 0
    assert model.training_config["batch_size"] == 10
    assert model.training_config["optimizer"]["name"] == "adam"


def test_divergence_stops_with_a_clear_message_and_finite_weights():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3)).astype(np.float32) * 10
    y = rng.normal(size=(200, 1)).astype(np.float32) * 100
    model = Sequential([Dense(3, 16, "relu"), Dense(16, 1)], seed=0)
    with pytest.raises(TrainingDiverged, match="the loss diverged"):
        model.fit(X, y, epochs=50, batch_size=10, optimizer=SGD(lr=1e4), loss="mse")
    assert np.all(np.isfinite(model.params))


def test_after_a_step_that_overflows_the_model_keeps_the_weights_before_it():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 3)).astype(np.float32)
    y = rng.normal(size=(20, 1)).astype(np.float32)
    model = Sequential([Dense(3, 4, "relu"), Dense(4, 1)], seed=0)
    before = model.params.copy()
    with pytest.raises(TrainingDiverged, match="the loss diverged"):
        model.fit(X, y, epochs=1, batch_size=10, optimizer=SGD(lr=3e38), loss="mse")
    np.testing.assert_array_equal(model.params, before)


def test_bad_training_arguments():
    model = small_model("sigmoid", 1)
    X, y = np.zeros((4, 3)), np.zeros(4)
    with pytest.raises(ValueError, match="cross_entropy needs a softmax output layer"):
        model.fit(X, y, epochs=1, batch_size=2, optimizer=SGD(0.1), loss="cross_entropy")
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        model.fit(X, y, epochs=1, batch_size=0, optimizer=SGD(0.1), loss="mse")
    with pytest.raises(ValueError, match="X has 4 samples but y has 3"):
        model.fit(X, y[:3], epochs=1, batch_size=2, optimizer=SGD(0.1), loss="mse")
    with pytest.raises(ValueError, match=r"class labels must be in 0\.\.2"):
        small_model("softmax", 3).fit(X, np.array([0, 1, 2, 3]), epochs=1, batch_size=2,
                                      optimizer=SGD(0.1), loss="cross_entropy")


def test_integer_labels_become_one_hot_targets_for_mse():
    model = small_model("sigmoid", 3)
    X, y = np.zeros((2, 3)), np.array([0, 2])
    t = Trainer(model, X, y, epochs=1, batch_size=2, optimizer=SGD(0.1), loss="mse")
    np.testing.assert_array_equal(t.target, [[1, 0, 0], [0, 0, 1]])


def test_input_scaling_is_applied_inside_predict():
    rng = np.random.default_rng(0)
    layers = [Dense(4, 2, "softmax")]
    scaled = Sequential(layers, input_scaling="tutorial")
    plain = Sequential([Dense(4, 2, "softmax")])
    plain.layers[0].W[...] = scaled.layers[0].W
    x01 = rng.uniform(size=(5, 4)).astype(np.float32)
    np.testing.assert_array_equal(scaled.predict(x01), plain.predict(x01 * 0.99 + 0.01))


@pytest.mark.parametrize("l1, l2", [(0.01, 0.0), (0.0, 0.1), (0.02, 0.05)])
def test_regularization_gradient_matches_central_differences(l1, l2):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(8, 3)), rng.integers(0, 3, 8)
    model = small_model("softmax", 3)
    t = Trainer(model, X, y, epochs=1, batch_size=8, optimizer=SGD(0.1), loss="cross_entropy",
                shuffle=False, l1=l1, l2=l2)
    loss = losses.get("cross_entropy")

    def value():
        penalty = sum(l1 * np.abs(layer.W).sum() + l2 / 2 * (layer.W ** 2).sum()
                      for layer in model.layers)
        return model.loss_value(model.forward(X), y, loss) + penalty

    model.loss_and_backward(model.forward(X), y, loss)
    total = loss.fused(model.layers[-1]._z, model.layers[-1]._a, y)[0] + t._penalty()
    assert total == pytest.approx(value())
    np.testing.assert_allclose(model.grads, numeric_gradient(value, model.params),
                               rtol=1e-4, atol=1e-7)


@pytest.mark.parametrize("scaling", [None, "tutorial"])
def test_input_gradient_matches_central_differences(scaling):
    model = Sequential([Dense(4, 5, "tanh", dtype=np.float64),
                        Dense(5, 3, "softmax", dtype=np.float64)], seed=2, input_scaling=scaling)
    x = np.random.default_rng(0).uniform(size=(2, 4))

    def score(x):
        model.forward(x)
        return model.layers[-1]._z[:, 1].copy()

    numeric = np.stack([numeric_gradient(lambda: score(x)[i], x)[i] for i in range(len(x))])
    np.testing.assert_allclose(model.input_gradient(x, 1), numeric, rtol=1e-6, atol=1e-9)
    assert model.layers[0].needs_input_grad is False


def test_mnist_training_reaches_95_percent_in_two_epochs():
    from engine import load_mnist, scale_pixels
    (x_train, y_train), (x_test, y_test) = load_mnist()
    model = Sequential([Dense(784, 128, "relu"), Dense(128, 10, "softmax")], seed=0)
    trainer = Trainer(model, scale_pixels(x_train), y_train, epochs=2, batch_size=128,
                      optimizer=Adam(), loss="cross_entropy")
    trainer.run()
    loss, acc = model.evaluate(scale_pixels(x_test), y_test)
    assert acc > 0.95 and loss < 0.2
