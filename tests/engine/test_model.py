"""Sequential and Trainer: backprop against central differences, training, chunks, divergence,
and looking inside a model without changing it (read-only, from many threads)."""

import threading

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
        out, caches = model.forward_cached(x)
        return model.loss_value(out, target, loss, z=caches[-1].z)

    model.loss_and_backward(model.forward_cached(x)[1], target, loss)
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
        output, caches = model.forward_cached(X)
        return model.loss_value(output, y, loss, z=caches[-1].z) + penalty

    caches = model.forward_cached(X)[1]
    model.loss_and_backward(caches, y, loss)
    total = loss.fused(caches[-1].z, caches[-1].a, y)[0] + t._penalty()
    assert total == pytest.approx(value())
    np.testing.assert_allclose(model.grads, numeric_gradient(value, model.params),
                               rtol=1e-4, atol=1e-7)


@pytest.mark.parametrize("scaling", [None, "tutorial"])
def test_input_gradient_matches_central_differences(scaling):
    model = Sequential([Dense(4, 5, "tanh", dtype=np.float64),
                        Dense(5, 3, "softmax", dtype=np.float64)], seed=2, input_scaling=scaling)
    x = np.random.default_rng(0).uniform(size=(2, 4))

    def score(x):
        return model.forward_trace(x)[-1][0][:, 1]  # the output layer's z

    numeric = np.stack([numeric_gradient(lambda: score(x)[i], x)[i] for i in range(len(x))])
    model.grads[...] = np.arange(model.grads.size)  # as a training step might have left them
    grads_before = model.grads.copy()
    np.testing.assert_allclose(model.input_gradient(x, 1), numeric, rtol=1e-6, atol=1e-9)
    np.testing.assert_array_equal(model.grads, grads_before)


# ------------------------------------------------- looking inside changes nothing


def read_only(model):
    """Make every parameter and gradient array of the model read-only, views included."""
    arrays = [model.params, model.grads]
    for layer in model.layers:
        arrays += layer.parameters() + layer.gradients()
    for array in arrays:
        array.flags.writeable = False
    return model


def test_predict_and_friends_work_on_a_read_only_model():
    rng = np.random.default_rng(0)
    X, y = rng.uniform(size=(30, 4)).astype(np.float32), rng.integers(0, 3, 30)
    model = Sequential([Dense(4, 5, "rrelu"), Dense(5, 3, "softmax")], seed=2,
                       input_scaling="tutorial")
    expected = model.predict(X)
    read_only(model)
    np.testing.assert_array_equal(model.predict(X), expected)
    np.testing.assert_array_equal(model.predict(X, batch_size=7), expected)
    assert model.predict_classes(X).shape == (30,)
    loss, acc = model.evaluate(X, y, loss="cross_entropy")
    assert loss > 0 and 0 <= acc <= 1
    assert model.input_gradient(X, 2).shape == (30, 4)
    np.testing.assert_array_equal(model.layer_outputs(X)[-1], expected)
    assert len(model.forward_trace(X)) == 2


def test_input_gradient_leaves_the_model_as_it_was():
    model = small_model("softmax", 3)
    model.grads[...] = 0.5
    params, grads = model.params.copy(), model.grads.copy()
    model.input_gradient(np.ones((2, 3)), 0)
    np.testing.assert_array_equal(model.params, params)
    np.testing.assert_array_equal(model.grads, grads)
    with pytest.raises(ValueError, match=r"index must be an output unit 0\.\.2, got 3"):
        model.input_gradient(np.ones((2, 3)), 3)


def test_layer_outputs_are_each_layers_activations_and_end_with_predict():
    model = small_model("softmax", 3, dtype=np.float32)
    X = np.random.default_rng(1).normal(size=(7, 3))
    outputs = model.layer_outputs(X)
    assert [a.shape for a in outputs] == [(7, 5), (7, 4), (7, 3)]
    np.testing.assert_array_equal(outputs[-1], model.predict(X))
    assert np.all(outputs[1] >= 0)  # the ReLU layer
    one = model.layer_outputs(X[0])  # one sample, as predict takes it
    np.testing.assert_array_equal(one[0], outputs[0][:1])


def test_forward_trace_is_x_at_W_plus_b_layer_by_layer():
    model = small_model("sigmoid", 2, dtype=np.float64)
    for layer in model.layers:
        layer.b[...] = np.linspace(-1, 1, layer.n_out)
    X = np.random.default_rng(1).normal(size=(6, 3))
    trace = model.forward_trace(X)
    x = X
    for (z, a), layer, f in zip(trace, model.layers, (np.tanh, lambda z: np.maximum(z, 0),
                                                      lambda z: 1 / (1 + np.exp(-z)))):
        np.testing.assert_allclose(z, x @ layer.W + layer.b, rtol=1e-12)
        np.testing.assert_allclose(a, f(z), rtol=1e-12)
        x = a


def test_a_forward_pass_on_other_data_before_backward_changes_no_gradient():
    # the race the app hit: drawing the network's answer on a grid while it trains
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(8, 3)), rng.integers(0, 3, 8)
    grid = rng.normal(size=(50, 3))
    model = small_model("softmax", 3)
    loss = losses.get("cross_entropy")
    value = model.loss_and_backward(model.forward_cached(X)[1], y, loss)
    expected = model.grads.copy()

    model.grads[...] = 0.0
    _, caches = model.forward_cached(X)
    model.predict(grid)
    model.forward_cached(grid)
    model.input_gradient(grid, 1)
    assert model.loss_and_backward(caches, y, loss) == value
    np.testing.assert_array_equal(model.grads, expected)


def test_many_threads_predicting_on_one_shared_model_get_the_single_thread_results():
    rng = np.random.default_rng(0)
    model = read_only(Sequential([Dense(6, 16, "tanh"), Dense(16, 8, "relu"),
                                  Dense(8, 4, "softmax")], seed=3))
    inputs = [rng.normal(size=(n, 6)).astype(np.float32) for n in (1, 5, 40, 200)]
    expected = [(model.predict(x), model.input_gradient(x, i)) for i, x in enumerate(inputs)]
    failures = []

    def work(k):
        for round_ in range(300):
            i = (k + round_) % len(inputs)
            prediction, gradient = model.predict(inputs[i]), model.input_gradient(inputs[i], i)
            if not (np.array_equal(prediction, expected[i][0])
                    and np.array_equal(gradient, expected[i][1])):
                failures.append((k, round_))

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


def test_training_while_another_thread_predicts_trains_exactly_as_alone():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(200, 3)).astype(np.float32), rng.integers(0, 3, 200)
    grid = rng.normal(size=(400, 3)).astype(np.float32)

    def train(model):
        Trainer(model, X, y, epochs=20, batch_size=16, optimizer=Adam(0.01),
                loss="cross_entropy", seed=1).run()
        return model.params.copy()

    alone = train(small_model("softmax", 3, dtype=np.float32))
    model = small_model("softmax", 3, dtype=np.float32)
    stop = threading.Event()

    def draw():
        while not stop.is_set():
            model.predict(grid)
            model.layer_outputs(grid)

    drawer = threading.Thread(target=draw)
    drawer.start()
    try:
        together = train(model)
    finally:
        stop.set()
        drawer.join()
    np.testing.assert_array_equal(together, alone)


def test_trainer_keeps_no_forward_pass_on_the_layers():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(20, 3)), rng.integers(0, 3, 20)
    model = small_model("softmax", 3, dtype=np.float32)
    names = [set(vars(layer)) for layer in model.layers]
    Trainer(model, X, y, epochs=1, batch_size=8, optimizer=SGD(0.1),
            loss="cross_entropy").run()
    assert [set(vars(layer)) for layer in model.layers] == names


def test_mnist_training_reaches_95_percent_in_two_epochs():
    from engine import load_mnist, scale_pixels
    (x_train, y_train), (x_test, y_test) = load_mnist()
    model = Sequential([Dense(784, 128, "relu"), Dense(128, 10, "softmax")], seed=0)
    trainer = Trainer(model, scale_pixels(x_train), y_train, epochs=2, batch_size=128,
                      optimizer=Adam(), loss="cross_entropy")
    trainer.run()
    loss, acc = model.evaluate(scale_pixels(x_test), y_test)
    assert acc > 0.95 and loss < 0.2
