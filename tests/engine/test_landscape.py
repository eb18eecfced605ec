"""engine/landscape.py: every grid cell equals the engine's own loss there; models untouched."""

import numpy as np
import pytest

from engine import landscape
from engine.layers import Dense
from engine.model import Sequential
from engine.units import SigmoidNeuron, UnitTrainer


def _blobs(n=40, seed=0, soft=False):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2)) + np.repeat([[1.5, 1.0], [-1.0, -1.5]], n // 2, axis=0)
    y = np.repeat([1.0, 0.0], n // 2)
    if soft:
        y = rng.uniform(size=n)
    return X, y


@pytest.mark.parametrize("loss", ["mse", "bce"])
@pytest.mark.parametrize("soft", [False, True])
def test_unit_grid_equals_the_units_own_loss_at_every_cell(loss, soft):
    X, y = _blobs(soft=soft)
    w1s, w2s, b = np.linspace(-3, 3, 7), np.linspace(-2, 4, 5), 0.7
    grid = landscape.unit_loss_grid(X, y, loss, w1s, w2s, b)
    assert grid.shape == (5, 7)  # rows: w2, columns: w1
    unit = SigmoidNeuron(loss=loss)
    for r, w2 in enumerate(w2s):
        for c, w1 in enumerate(w1s):
            unit.w, unit.b = [w1, w2], b
            assert grid[r, c] == pytest.approx(unit.loss(X, y), rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("loss", ["mse", "bce"])
def test_unit_grid_over_the_bias(loss):
    X, y = _blobs()
    w1s, bs, w2 = np.linspace(-3, 3, 6), np.linspace(-5, 5, 4), -0.4
    grid = landscape.unit_loss_grid_bias(X, y, loss, w1s, bs, w2)
    assert grid.shape == (4, 6)
    unit = SigmoidNeuron(loss=loss)
    for r, b in enumerate(bs):
        for c, w1 in enumerate(w1s):
            unit.w, unit.b = [w1, w2], b
            assert grid[r, c] == pytest.approx(unit.loss(X, y), rel=1e-12)
    assert landscape.unit_loss_at(X, y, loss, [w1s[2], w2], bs[1]) == pytest.approx(grid[1, 2])


def test_unit_grid_handles_saturated_sigmoids_as_the_unit_does():
    # weights of 200: z of hundreds, the sigmoid rounds to 0 or 1, the logs are clamped
    X, y = _blobs()
    grid = landscape.unit_loss_grid(X, y, "bce", [-200.0, 200.0], [-200.0, 200.0], 0.0)
    unit = SigmoidNeuron(loss="bce")
    unit.w = [-200.0, -200.0]
    assert np.all(np.isfinite(grid))
    assert grid[0, 0] == pytest.approx(unit.loss(X, y))


def test_unit_grid_rejects_bad_arguments():
    X, y = _blobs()
    with pytest.raises(ValueError, match="loss"):
        landscape.unit_loss_grid(X, y, "hinge", [0.0], [0.0], 0.0)
    with pytest.raises(ValueError, match="X must"):
        landscape.unit_loss_grid(X[:, :1], y, "mse", [0.0], [0.0], 0.0)
    with pytest.raises(ValueError, match="w2s"):
        landscape.unit_loss_grid(X, y, "mse", [0.0], [[0.0]], 0.0)


@pytest.mark.parametrize("optimizer", [None, "sgd", "momentum", "rmsprop", "adam"])
@pytest.mark.parametrize("batch_size, order", [(None, "shuffle"), (1, "shuffle"), (7, "shuffle"),
                                               (3, "replacement"), (None, "in order")])
@pytest.mark.parametrize("loss", ["mse", "bce"])
def test_optimizer_path_is_the_units_own_training(optimizer, batch_size, order, loss):
    X, y = _blobs()
    path = landscape.optimizer_path(X, y, loss, [0.5, -1.0], 0.25, optimizer, lr=0.05,
                                    batch_size=batch_size, updates=30, seed=3, order=order)
    assert path.shape == (31, 3)
    assert path[0].tolist() == [0.5, -1.0, 0.25]
    unit = SigmoidNeuron(lr=0.05, loss=loss, optimizer=optimizer)
    unit.w, unit.b = [0.5, -1.0], 0.25
    traces = UnitTrainer(unit, X, y, batch_size=batch_size, seed=3, order=order).step(30)
    by_hand = np.array([[*t["w"], t["b"]] for t in traces])
    np.testing.assert_allclose(path[1:], by_hand, rtol=1e-10, atol=1e-12)
    assert not np.allclose(path[1], path[0])


def test_optimizer_path_replays_a_legacy_generator_draw_for_draw():
    X, y = _blobs()
    path = landscape.optimizer_path(X, y, "mse", [0.1, 0.2], 0.0, None, lr=0.1, batch_size=1,
                                    updates=25, seed=np.random.RandomState(4), order="replacement")
    unit = SigmoidNeuron(lr=0.1, loss="mse")
    unit.w, unit.b = [0.1, 0.2], 0.0
    trainer = UnitTrainer(unit, X, y, batch_size=1, seed=np.random.RandomState(4),
                          order="replacement")
    trainer.step(25)
    np.testing.assert_allclose(path[-1], [*unit.w, unit.b], rtol=1e-12)


def _network(output="sigmoid", hidden=8, seed=1):
    return Sequential([Dense(2, hidden, "tanh"), Dense(hidden, 1, output)], seed=seed)


SLICES = [
    ((0, "W", 0, 1), (0, "W", 1, 1)),   # two weights of one hidden unit
    ((0, "W", 1, 3), (1, "b", 0)),      # a first-layer weight and the output bias
    ((1, "W", 2, 0), (0, "b", 5)),      # the second axis below the first
    ((1, "W", 4, 0), (1, "W", 5, 0)),   # both in the last layer
]


@pytest.mark.parametrize("first, second", SLICES)
@pytest.mark.parametrize("loss", ["binary_cross_entropy", "mse", "sse"])
def test_network_slice_equals_evaluate_and_leaves_the_model_alone(first, second, loss):
    X, y = _blobs(60)
    model = _network()
    before = model.params.copy()
    a_values, b_values = np.linspace(-2, 2, 5), np.linspace(-3, 1, 4)
    grid = landscape.network_loss_slice(model, X, y, loss, first, second, a_values, b_values)
    assert grid.shape == (4, 5)
    np.testing.assert_array_equal(model.params, before)  # bit for bit
    for r, bv in enumerate(b_values):
        for c, av in enumerate(a_values):
            copy = _network()
            copy.params[...] = before
            for spec, value in ((first, av), (second, bv)):
                layer, kind, *index = spec
                getattr(copy.layers[layer], kind)[tuple(index)] = value
            assert grid[r, c] == pytest.approx(copy.evaluate(X, y, loss)[0], rel=2e-5, abs=1e-6)


def test_network_slice_with_softmax_and_cross_entropy():
    X, y = _blobs(30)
    labels = y.astype(np.int64)
    model = Sequential([Dense(2, 4, "relu"), Dense(4, 2, "softmax")], seed=2)
    grid = landscape.network_loss_slice(model, X, labels, "cross_entropy", (1, "W", 0, 1),
                                        (0, "W", 0, 0), [-1.0, 0.0, 2.0], [0.5, 1.5])
    for r, bv in enumerate([0.5, 1.5]):
        for c, av in enumerate([-1.0, 0.0, 2.0]):
            copy = Sequential([Dense(2, 4, "relu"), Dense(4, 2, "softmax")], seed=2)
            copy.layers[1].W[0, 1], copy.layers[0].W[0, 0] = av, bv
            assert grid[r, c] == pytest.approx(copy.evaluate(X, labels, "cross_entropy")[0],
                                               rel=2e-5)


def test_network_slice_on_a_read_only_model():
    # the app shares some models read-only: the slice must not need to write
    X, y = _blobs()
    model = _network()
    model.params.flags.writeable = False
    grid = landscape.network_loss_slice(model, X, y, "mse", (0, "W", 0, 0), (1, "b", 0),
                                        [0.0, 1.0], [0.0])
    assert np.all(np.isfinite(grid))
    current = landscape.parameter_value(model, (0, "W", 0, 0))
    bias = landscape.parameter_value(model, (1, "b", 0))
    at_current = landscape.network_loss_slice(model, X, y, "mse", (0, "W", 0, 0), (1, "b", 0),
                                              [current], [bias])
    assert at_current[0, 0] == pytest.approx(model.evaluate(X, y, "mse")[0], rel=1e-5)


def test_network_slice_rejects_bad_parameters():
    X, y = _blobs()
    model = _network()
    for bad in [(2, "W", 0, 0), (0, "W", 2, 0), (0, "b", 8), (0, "V", 0), "W"]:
        with pytest.raises(ValueError):
            landscape.network_loss_slice(model, X, y, "mse", bad, (1, "b", 0), [0.0], [0.0])
    with pytest.raises(ValueError, match="different"):
        landscape.network_loss_slice(model, X, y, "mse", (1, "b", 0), (1, "b", 0), [0.0], [0.0])


def test_grids_cut_in_chunks_give_the_same_numbers(monkeypatch):
    X, y = _blobs()
    w = np.linspace(-2, 2, 9)
    whole = landscape.unit_loss_grid(X, y, "bce", w, w, 0.3)
    model = _network()
    first, second = (0, "W", 0, 0), (1, "b", 0)
    slice_whole = landscape.network_loss_slice(model, X, y, "mse", first, second, w, w)
    monkeypatch.setattr(landscape, "_CHUNK_ELEMENTS", 7 * len(X) * 8)  # 7 cells at a time
    np.testing.assert_allclose(landscape.unit_loss_grid(X, y, "bce", w, w, 0.3), whole, rtol=1e-13)
    chunked = landscape.network_loss_slice(model, X, y, "mse", first, second, w, w)
    np.testing.assert_allclose(chunked, slice_whole, rtol=1e-6)


@pytest.mark.parametrize("first, second", [((0, "W", 0, 1), (0, "b", 3)),
                                           ((0, "W", 1, 2), (0, "W", 0, 2))])
def test_network_slice_through_one_hidden_layer_into_a_softmax(first, second):
    X, y = _blobs(30)
    labels = y.astype(np.int64)

    def network():
        layers = [Dense(2, 4, "relu"), Dense(4, 3, "tanh"), Dense(3, 2, "softmax")]
        return Sequential(layers, seed=5)

    model, values = network(), [-1.5, 0.0, 0.7, 2.0]
    grid = landscape.network_loss_slice(model, X, labels, "cross_entropy", first, second,
                                        values, values[:3])
    for r, bv in enumerate(values[:3]):
        for c, av in enumerate(values):
            copy = network()
            for (layer, kind, *index), value in ((first, av), (second, bv)):
                getattr(copy.layers[layer], kind)[tuple(index)] = value
            assert grid[r, c] == pytest.approx(copy.evaluate(X, labels, "cross_entropy")[0],
                                               rel=2e-5)
