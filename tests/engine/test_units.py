"""Single units: worked numbers, logic gates, gradients, and the trainer's books."""

import numpy as np
import pytest

from engine import optimizers
from engine.units import (
    LOSSES,
    Perceptron,
    SigmoidNeuron,
    UnitTrainer,
    get_loss,
    total_squared_error,
)

GATE_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
GATES = {
    "or": np.array([0.0, 1.0, 1.0, 1.0]),
    "and": np.array([0.0, 0.0, 0.0, 1.0]),
    "nand": np.array([1.0, 1.0, 1.0, 0.0]),
    "xor": np.array([0.0, 1.0, 1.0, 0.0]),
}
TRACE_KEYS = {
    "update", "epoch", "batch_size", "indices", "w_before", "b_before",
    "grad_w", "grad_b", "w", "b", "loss", "lr", "optimizer",
}


def two_blobs(seed=0, n_per_class=40):
    """Two Gaussian blobs around (-2, -2) (class 0) and (2, 2) (class 1)."""
    rng = np.random.default_rng(seed)
    X = np.vstack([
        rng.normal(loc=(-2.0, -2.0), scale=0.7, size=(n_per_class, 2)),
        rng.normal(loc=(2.0, 2.0), scale=0.7, size=(n_per_class, 2)),
    ])
    y = np.repeat([0.0, 1.0], n_per_class)
    return X, y


# --- the tutorial's worked sigmoid neuron ------------------------------------


@pytest.fixture
def tutorial_neuron():
    neuron = SigmoidNeuron(n_inputs=2, lr=0.1, loss="mse")
    neuron.w = [1.45, -0.66]
    neuron.b = 0.0
    return neuron


def test_sigmoid_neuron_worked_outputs(tutorial_neuron):
    # z = 1.45 * 1.66 - 0.66 * 1.56 = 1.3774 -> sigmoid 0.7985731
    assert tutorial_neuron.output([1.66, 1.56]) == pytest.approx(0.7985731, abs=1e-7)
    # z = 1.45 * 2 - 0.66 * 1.5 = 1.91 -> sigmoid 0.87101915
    assert tutorial_neuron.output([2.0, 1.5]) == pytest.approx(0.87101915, abs=1e-8)
    both = tutorial_neuron.output([[1.66, 1.56], [2.0, 1.5]])
    assert both.shape == (2,)
    np.testing.assert_allclose(both, [0.7985731, 0.87101915], atol=1e-7)
    assert tutorial_neuron.net_input([2.0, 1.5]) == pytest.approx(1.91)


def test_sigmoid_neuron_worked_error_and_derivative(tutorial_neuron):
    x, target = np.array([[2.0, 1.5]]), np.array([0.0])
    # squared error (0.87101915 - 0)^2 = 0.75867436 (one point: mean = sum)
    assert tutorial_neuron.loss(x, target) == pytest.approx(0.75867436, abs=1e-8)
    assert total_squared_error(tutorial_neuron, x, target) == pytest.approx(0.75867436, abs=1e-8)
    # derivative 2 (prediction - target) = 1.7420383
    y_hat = tutorial_neuron.output(x)
    assert get_loss("mse").grad(y_hat, target)[0] == pytest.approx(1.7420383, abs=1e-7)


def test_sigmoid_mse_hand_worked_update(tutorial_neuron):
    # x = [2, 1.5], y = 0, lr = 0.1, w = [1.45, -0.66], b = 0
    # y_hat = 0.87101915; dE/dy_hat = 2 * 0.87101915 = 1.74203830
    # dy_hat/dz = y_hat (1 - y_hat) = 0.87101915 * 0.12898085 = 0.11234479
    # dE/dz = 1.74203830 * 0.11234479 = 0.19570893
    # dE/dw = 0.19570893 * [2, 1.5] = [0.39141786, 0.29356339]; dE/db = 0.19570893
    # w = [1.45 - 0.039141786, -0.66 - 0.029356339] = [1.41085821, -0.68935634]
    # b = 0 - 0.019570893 = -0.01957089
    trace = tutorial_neuron.update([[2.0, 1.5]], [0.0])
    assert set(trace) == TRACE_KEYS
    np.testing.assert_allclose(trace["grad_w"], [0.39141786, 0.29356339], atol=1e-8)
    assert trace["grad_b"] == pytest.approx(0.19570893, abs=1e-8)
    np.testing.assert_allclose(trace["w"], [1.41085821, -0.68935634], atol=1e-8)
    assert trace["b"] == pytest.approx(-0.01957089, abs=1e-8)
    assert trace["w_before"] == [1.45, -0.66] and trace["b_before"] == 0.0
    assert trace["loss"] == pytest.approx(0.75867436, abs=1e-8)
    assert trace["update"] == 1 and trace["batch_size"] == 1 and trace["lr"] == 0.1
    np.testing.assert_allclose(tutorial_neuron.w, trace["w"], rtol=0, atol=0)
    assert tutorial_neuron.b == trace["b"]


# --- perceptron ---------------------------------------------------------------


def test_or_by_hand_weights():
    # step(-1 + x1 + x2): (0,0) -> step(-1) = 0, the others step(0) or step(1) = 1
    unit = Perceptron()
    unit.w, unit.b = [1.0, 1.0], -1.0
    np.testing.assert_array_equal(unit.net_input(GATE_X), [-1.0, 0.0, 0.0, 1.0])
    np.testing.assert_array_equal(unit.output(GATE_X), GATES["or"])
    assert unit.predict(GATE_X).dtype.kind == "i"
    np.testing.assert_array_equal(unit.predict(GATE_X), [0, 1, 1, 1])
    assert unit.errors(GATE_X, GATES["or"]) == 0
    assert unit.errors(GATE_X, GATES["and"]) == 2


def test_perceptron_hand_worked_single_point_update():
    # w = [0, 0], b = 0, x = [1, 2], y = 0: z = 0 -> y_hat = step(0) = 1, y - y_hat = -1
    # dE/dw = -(-1) [1, 2] = [1, 2], dE/db = 1
    # w = [0, 0] - 0.1 [1, 2] = [-0.1, -0.2], b = 0 - 0.1 * 1 = -0.1
    unit = Perceptron(lr=0.1)
    trace = unit.update([1.0, 2.0], 0.0)
    assert trace["grad_w"] == [1.0, 2.0] and trace["grad_b"] == 1.0
    np.testing.assert_allclose(trace["w"], [-0.1, -0.2])
    assert trace["b"] == pytest.approx(-0.1)
    assert trace["loss"] == 1.0  # one mistake
    # now z = -0.1 - 0.4 - 0.1 < 0 -> right, so the next update changes nothing
    again = unit.update([1.0, 2.0], 0.0)
    assert again["grad_w"] == [0.0, 0.0] and again["w"] == again["w_before"]
    assert again["loss"] == 0.0 and again["update"] == 2


def test_perceptron_hand_worked_batch_update_sums():
    # w = [0.5, -0.5], b = 0, batch [1,0] y=0, [0,1] y=1, [1,1] y=1
    # z = 0.5, -0.5, 0  -> y_hat = 1, 0, 1 -> y - y_hat = -1, +1, 0 (two mistakes)
    # sum (y - y_hat) x = -[1, 0] + [0, 1] + 0 = [-1, 1] -> dE/dw = [1, -1]
    # dE/db = -(-1 + 1 + 0) = 0
    # w = [0.5, -0.5] - 0.1 [1, -1] = [0.4, -0.4], b = 0
    unit = Perceptron(lr=0.1)
    unit.w, unit.b = [0.5, -0.5], 0.0
    trace = unit.update([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], [0.0, 1.0, 1.0])
    assert trace["grad_w"] == [1.0, -1.0] and trace["grad_b"] == 0.0
    np.testing.assert_allclose(trace["w"], [0.4, -0.4])
    assert trace["b"] == 0.0 and trace["loss"] == 2.0 and trace["batch_size"] == 3


def test_perceptron_gradient_is_minus_the_rule():
    rng = np.random.default_rng(3)
    unit = Perceptron(init="normal", seed=3)
    X = rng.normal(size=(7, 2))
    y = rng.integers(0, 2, size=7).astype(float)
    error = y - unit.output(X)
    grad_w, grad_b = unit.gradients(X, y)
    np.testing.assert_allclose(grad_w, -(error[:, None] * X).sum(axis=0))
    assert grad_b == pytest.approx(-error.sum())


@pytest.mark.parametrize("gate", ["or", "and", "nand"])
@pytest.mark.parametrize("batch_size", [1, None])
@pytest.mark.parametrize("init", ["zeros", "normal"])
def test_perceptron_learns_linearly_separable_gates(gate, batch_size, init):
    unit = Perceptron(lr=0.1, init=init, seed=1)
    trainer = UnitTrainer(unit, GATE_X, GATES[gate], batch_size=batch_size, seed=0)
    for _ in range(20):  # 1 to 14 epochs are needed here, depending on gate and start
        trainer.step_epoch()
        if trainer.history[-1]["accuracy"] == 1.0:
            break
    assert trainer.history[-1]["accuracy"] == 1.0, trainer.history[-1]
    assert unit.errors(GATE_X, GATES[gate]) == 0
    assert total_squared_error(unit, GATE_X, GATES[gate]) == 0.0


@pytest.mark.parametrize("batch_size", [1, 2, None])
def test_perceptron_never_learns_xor(batch_size):
    unit = Perceptron(lr=0.1)
    trainer = UnitTrainer(unit, GATE_X, GATES["xor"], batch_size=batch_size, seed=0)
    for _ in range(100):
        trainer.step_epoch()
    accuracies = [h["accuracy"] for h in trainer.history]
    assert len(accuracies) == 100
    assert max(accuracies) <= 0.75  # a line gets at most 3 of XOR's 4 points right
    assert all(h["loss"] >= 1.0 for h in trainer.history)


# --- gradients against central differences ----------------------------------


@pytest.mark.parametrize("loss", list(LOSSES))
def test_sigmoid_gradients_match_central_differences(loss):
    rng = np.random.default_rng(5)
    unit = SigmoidNeuron(n_inputs=3, loss=loss, seed=5)
    unit.b = 0.3
    X = rng.normal(size=(6, 3))
    y = np.array([0.0, 1.0, 1.0, 0.0, 1.0, 0.25])  # a soft target too
    grad_w, grad_b = unit.gradients(X, y)

    h = 1e-6
    w0, b0 = unit.w.copy(), unit.b
    numeric_w = np.zeros(3)
    for i in range(3):
        up, down = w0.copy(), w0.copy()
        up[i] += h
        down[i] -= h
        unit.w = up
        loss_up = unit.loss(X, y)
        unit.w = down
        numeric_w[i] = (loss_up - unit.loss(X, y)) / (2 * h)
    unit.w = w0
    unit.b = b0 + h
    loss_up = unit.loss(X, y)
    unit.b = b0 - h
    numeric_b = (loss_up - unit.loss(X, y)) / (2 * h)

    np.testing.assert_allclose(grad_w, numeric_w, rtol=1e-6, atol=1e-10)
    assert grad_b == pytest.approx(numeric_b, rel=1e-6, abs=1e-10)


def test_bce_is_finite_when_saturated():
    unit = SigmoidNeuron(loss="bce")
    unit.w, unit.b = [100.0, 100.0], 0.0
    X, y = np.array([[10.0, 10.0], [-10.0, -10.0]]), np.array([0.0, 1.0])  # confidently wrong
    loss = unit.loss(X, y)
    assert np.isfinite(loss) and loss > 30.0  # -ln(eps) = 36.04
    grad_w, grad_b = unit.gradients(X, y)
    # fused dE/dz = (y_hat - y) / 2 = [0.5, -0.5]: dE/dw = 0.5 [10, 10] - 0.5 [-10, -10]
    np.testing.assert_allclose(grad_w, [10.0, 10.0])
    assert grad_b == pytest.approx(0.0, abs=1e-12)


# --- learning two blobs --------------------------------------------------------


@pytest.mark.parametrize("batch_size", [1, 10, None])
def test_bce_neuron_learns_two_blobs(batch_size):
    X, y = two_blobs(seed=0)
    unit = SigmoidNeuron(loss="bce", lr=0.5, seed=0)
    trainer = UnitTrainer(unit, X, y, batch_size=batch_size, seed=0)
    start = trainer.evaluate()["loss"]
    for _ in range(30):
        trainer.step_epoch()
    assert trainer.history[-1]["accuracy"] == 1.0
    assert trainer.history[-1]["loss"] < 0.1 < start
    assert trainer.history[-1]["loss"] == pytest.approx(unit.loss(X, y))
    # the decision line separates the blob centres
    assert unit.predict([-2.0, -2.0]) == 0 and unit.predict([2.0, 2.0]) == 1


def test_total_squared_error_falls_as_mse_neuron_learns():
    X, y = two_blobs(seed=1)
    unit = SigmoidNeuron(loss="mse", lr=1.0, seed=2)
    trainer = UnitTrainer(unit, X, y, batch_size=1, seed=2)
    errors = [total_squared_error(unit, X, y)]
    for _ in range(5):
        trainer.step(100)  # the tutorial's chart: error summed over all points every 100 updates
        errors.append(total_squared_error(unit, X, y))
    assert errors[-1] < 0.5 * errors[0]
    expected = float(np.sum((unit.output(X) - y) ** 2))
    assert errors[-1] == pytest.approx(expected)


# --- the trainer's books -------------------------------------------------------


def run(seed, batch_size, n_updates):
    X, y = two_blobs(seed=4, n_per_class=5)
    trainer = UnitTrainer(SigmoidNeuron(loss="bce", seed=1), X, y, batch_size=batch_size, seed=seed)
    return trainer.step(n_updates), trainer


def test_trainer_is_deterministic_given_seed():
    traces_a, trainer_a = run(seed=7, batch_size=1, n_updates=25)
    traces_b, trainer_b = run(seed=7, batch_size=1, n_updates=25)
    assert traces_a == traces_b
    assert trainer_a.history == trainer_b.history
    traces_c, _ = run(seed=8, batch_size=1, n_updates=25)
    assert [t["indices"] for t in traces_a] != [t["indices"] for t in traces_c]


def test_trainer_epoch_bookkeeping_with_remainder_batch():
    # 10 points, batches of 3: 3 + 3 + 3 + 1 = 4 updates per epoch
    traces, trainer = run(seed=0, batch_size=3, n_updates=5)
    assert trainer.updates_per_epoch == 4
    assert [t["batch_size"] for t in traces] == [3, 3, 3, 1, 3]
    assert [t["epoch"] for t in traces] == [1, 1, 1, 1, 2]
    assert [t["update"] for t in traces] == [1, 2, 3, 4, 5]
    assert trainer.updates == 5 and trainer.epoch == 1
    assert len(trainer.history) == 1 and trainer.history[0]["epoch"] == 1
    first_epoch = sorted(i for t in traces[:4] for i in t["indices"])
    assert first_epoch == list(range(10))  # every point exactly once

    rest = trainer.step_epoch()  # finishes epoch 2: three more updates
    assert [t["batch_size"] for t in rest] == [3, 3, 1]
    assert all(t["epoch"] == 2 for t in rest)
    assert sorted(i for t in traces[4:] + rest for i in t["indices"]) == list(range(10))
    assert trainer.updates == 8 and trainer.epoch == 2
    assert [h["epoch"] for h in trainer.history] == [1, 2]

    whole = trainer.step_epoch()  # a whole epoch when none is under way
    assert len(whole) == 4 and trainer.epoch == 3
    assert trainer.history[-1] == {"epoch": 3, **trainer.evaluate()}
    # consecutive traces chain: each update starts where the last one ended
    chain = traces + rest + whole
    for before, after in zip(chain, chain[1:]):
        assert after["w_before"] == before["w"] and after["b_before"] == before["b"]


def test_trainer_reshuffles_each_epoch_and_respects_shuffle_false():
    X, y = two_blobs(seed=4, n_per_class=5)
    trainer = UnitTrainer(Perceptron(), X, y, batch_size=1, seed=0)
    orders = [[t["indices"][0] for t in trainer.step_epoch()] for _ in range(3)]
    assert all(sorted(order) == list(range(10)) for order in orders)
    assert orders[0] != orders[1] or orders[1] != orders[2]
    fixed = UnitTrainer(Perceptron(), X, y, batch_size=4, shuffle=False)
    assert [t["indices"] for t in fixed.step_epoch()] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]


def test_full_batch_is_one_update_per_epoch():
    X, y = two_blobs(seed=4, n_per_class=5)
    trainer = UnitTrainer(SigmoidNeuron(), X, y)
    traces = trainer.step(3)
    assert [t["batch_size"] for t in traces] == [10, 10, 10]
    assert trainer.epoch == 3 and len(trainer.history) == 3


def test_trainer_does_not_change_callers_data():
    X, y = two_blobs(seed=4, n_per_class=5)
    X_copy, y_copy = X.copy(), y.copy()
    UnitTrainer(Perceptron(), X, y, batch_size=2).step(12)
    np.testing.assert_array_equal(X, X_copy)
    np.testing.assert_array_equal(y, y_copy)


def test_trace_holds_plain_python_values():
    _, trainer = run(seed=0, batch_size=2, n_updates=0)
    trace = trainer.step()[0]
    assert set(trace) == TRACE_KEYS
    for key in ("w_before", "grad_w", "w", "indices"):
        assert type(trace[key]) is list
    for key in ("b_before", "grad_b", "b", "loss", "lr"):
        assert type(trace[key]) is float
    assert all(type(v) is float for v in trace["w"] + trace["grad_w"])
    assert all(type(i) is int for i in trace["indices"])
    assert type(trace["update"]) is int and type(trace["epoch"]) is int


def test_weights_are_copied_in_and_not_mutated_by_update():
    unit = Perceptron()
    hand_set = np.array([0.5, -0.5])
    unit.w = hand_set
    old = unit.w
    unit.update([[0.0, 1.0]], [1.0])
    np.testing.assert_array_equal(hand_set, [0.5, -0.5])
    np.testing.assert_array_equal(old, [0.5, -0.5])
    assert not np.array_equal(unit.w, old)


# --- initialisation --------------------------------------------------------------


def test_init_zeros_and_seeded_normal():
    assert Perceptron().w.tolist() == [0.0, 0.0] and Perceptron().b == 0.0
    a, b = SigmoidNeuron(n_inputs=4, seed=3), SigmoidNeuron(n_inputs=4, seed=3)
    np.testing.assert_array_equal(a.w, b.w)
    assert a.b == 0.0 and a.w.shape == (4,)
    assert not np.array_equal(a.w, SigmoidNeuron(n_inputs=4, seed=4).w)
    expected = np.random.default_rng(3).normal(0.0, 0.5, size=4)  # std 1/sqrt(4)
    np.testing.assert_array_equal(a.w, expected)
    many = SigmoidNeuron(n_inputs=10_000, seed=0).w
    assert np.std(many) == pytest.approx(0.01, rel=0.05)


# --- bad input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: SigmoidNeuron(loss="hinge"), r"loss must be one of 'mse', 'bce'; got 'hinge'"),
        (lambda: Perceptron(init="uniform"), "init"),
        (lambda: Perceptron(n_inputs=0), "n_inputs"),
        (lambda: Perceptron(n_inputs=2.5), "n_inputs"),
        (lambda: Perceptron(lr=0.0), "lr"),
        (lambda: SigmoidNeuron(lr=float("nan")), "lr"),
        (lambda: Perceptron(seed=None), "seed"),
    ],
)
def test_bad_constructor_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_bad_inputs_name_the_argument():
    unit = Perceptron()
    with pytest.raises(ValueError, match=r"X must have shape \(m, 2\).*got shape \(3, 3\)"):
        unit.output(np.zeros((3, 3)))
    with pytest.raises(ValueError, match=r"y must have shape \(4,\)"):
        unit.update(GATE_X, [0.0, 1.0])
    with pytest.raises(ValueError, match="y must hold only 0 and 1"):
        unit.update(GATE_X, [0.0, 1.0, 0.5, 1.0])
    with pytest.raises(ValueError, match=r"y must hold targets in \[0, 1\]"):
        SigmoidNeuron().update(GATE_X, [0.0, 1.0, 2.0, 1.0])
    with pytest.raises(ValueError, match="at least one point"):
        unit.update(np.zeros((0, 2)), [])
    with pytest.raises(ValueError, match=r"w must be 2 finite numbers"):
        unit.w = [1.0, 2.0, 3.0]
    with pytest.raises(ValueError, match="b must be a finite number"):
        unit.b = float("inf")
    with pytest.raises(ValueError, match="lr"):
        unit.lr = -1.0


@pytest.mark.parametrize("batch_size", [0, 5, -1, 2.0, True])
def test_trainer_rejects_bad_batch_size(batch_size):
    expected = r"batch_size must be None \(full batch\) or an integer from 1 to 4"
    with pytest.raises(ValueError, match=expected):
        UnitTrainer(Perceptron(), GATE_X, GATES["or"], batch_size=batch_size)


def test_trainer_rejects_bad_shapes_and_steps():
    with pytest.raises(ValueError, match=r"X must have shape \(n, 2\)"):
        UnitTrainer(Perceptron(), GATE_X[:, :1], GATES["or"])
    with pytest.raises(ValueError, match=r"X must have shape \(n, 2\)"):
        UnitTrainer(Perceptron(), np.zeros((0, 2)), [])
    with pytest.raises(ValueError, match=r"y must have shape \(4,\)"):
        UnitTrainer(Perceptron(), GATE_X, GATES["or"][:3])
    with pytest.raises(ValueError, match="unit must be"):
        UnitTrainer("perceptron", GATE_X, GATES["or"])
    trainer = UnitTrainer(Perceptron(), GATE_X, GATES["or"])
    with pytest.raises(ValueError, match="n_updates"):
        trainer.step(-1)
    assert trainer.step(0) == [] and trainer.updates == 0


# --- an optimizer of engine/optimizers.py on the sigmoid neuron ----------------


def by_hand(optimizer, X, y, batches, w, b, loss="bce"):
    """The optimizer's step applied by hand to [w, b] with the plain neuron's gradients."""
    plain = SigmoidNeuron(loss=loss)
    params = np.append(np.asarray(w, float), b)
    for batch in batches:
        plain.w, plain.b = params[:-1], float(params[-1])
        grad_w, grad_b = plain.gradients(X[batch], y[batch])
        optimizer.step(params, np.append(grad_w, grad_b))
    return params


@pytest.mark.parametrize("name", list(optimizers.OPTIMIZERS))
def test_every_optimizer_on_the_unit_is_that_optimizer_applied_by_hand(name):
    X, y = two_blobs(seed=2, n_per_class=6)
    unit = SigmoidNeuron(lr=0.05, loss="bce", optimizer=name)
    unit.w, unit.b = [0.3, -0.6], 0.1
    assert type(unit.optimizer) is optimizers.OPTIMIZERS[name] and unit.optimizer.lr == 0.05
    trainer = UnitTrainer(unit, X, y, batch_size=4, seed=3)
    traces = trainer.step(9)  # three epochs of 4 + 4 + 4 points
    expected = by_hand(optimizers.get(name, lr=0.05), X, y, [t["indices"] for t in traces],
                       [0.3, -0.6], 0.1)
    np.testing.assert_allclose([*unit.w, unit.b], expected, rtol=1e-12, atol=1e-15)
    assert all(t["optimizer"] == name for t in traces)
    assert traces[-1]["w"] == unit.w.tolist() and traces[-1]["b"] == unit.b


def test_adam_on_the_unit_is_engine_adam_by_hand_and_not_plain_descent():
    # Tutorial 001's Adam (Keras's defaults, epsilon 1e-7) on single points, worked through.
    X, y = two_blobs(seed=0, n_per_class=5)
    unit = SigmoidNeuron(loss="bce", optimizer=optimizers.Adam(lr=0.001, eps=1e-7))
    assert unit.lr == 0.001  # the optimizer's own learning rate
    unit.w, unit.b = [0.5, -0.5], 0.0
    trace = unit.update(X[:1], y[:1])
    # Adam's first step is lr * g / (|g| + eps'): about lr in size whatever the gradient.
    step = np.subtract(trace["w"], trace["w_before"])
    np.testing.assert_allclose(np.abs(step), 0.001, rtol=1e-4)
    np.testing.assert_array_equal(np.sign(step), -np.sign(trace["grad_w"]))
    assert abs(trace["b"] - trace["b_before"]) == pytest.approx(0.001, rel=1e-4)
    for i in range(1, 10):
        unit.update(X[i:i + 1], y[i:i + 1])
    expected = by_hand(optimizers.Adam(lr=0.001, eps=1e-7), X, y, [[i] for i in range(10)],
                       [0.5, -0.5], 0.0)
    np.testing.assert_allclose([*unit.w, unit.b], expected, rtol=1e-12)
    plain = by_hand(optimizers.SGD(lr=0.001), X, y, [[i] for i in range(10)], [0.5, -0.5], 0.0)
    assert not np.allclose(expected, plain, rtol=1e-6)  # Adam is not w - lr * dE/dw


def test_sgd_on_the_unit_is_the_plain_rule_and_no_optimizer_is_the_default():
    X, y = two_blobs(seed=1, n_per_class=4)
    plain, sgd = SigmoidNeuron(lr=0.3), SigmoidNeuron(lr=0.3, optimizer="sgd")
    assert plain.optimizer is None and plain.lr == 0.3
    a = UnitTrainer(plain, X, y, batch_size=2, seed=0).step(8)
    b = UnitTrainer(sgd, X, y, batch_size=2, seed=0).step(8)
    assert [t["w"] for t in a] == [t["w"] for t in b]
    assert a[0]["optimizer"] is None and b[0]["optimizer"] == "sgd"
    assert SigmoidNeuron().lr == 0.1  # the old default


def test_setting_the_units_learning_rate_sets_the_optimizers():
    unit = SigmoidNeuron(lr=0.01, optimizer="adam")
    unit.lr = 0.2
    assert unit.optimizer.lr == 0.2
    assert SigmoidNeuron(lr=0.5, optimizer=optimizers.Adam(lr=0.001)).optimizer.lr == 0.5
    assert "optimizer='adam'" in repr(unit)


def test_a_bad_optimizer_name_is_refused_with_the_known_ones():
    with pytest.raises(ValueError, match=r"optimizer must be None or one of 'sgd'.*got 'adamw'"):
        SigmoidNeuron(optimizer="adamw")
    with pytest.raises(ValueError, match="lr"):
        SigmoidNeuron(lr=-1.0, optimizer="adam")


# --- drawing points with replacement (tutorial 002) -----------------------------


def test_replacement_draws_what_numpys_generator_draws():
    X, y = two_blobs(seed=4, n_per_class=4)  # 8 points
    trainer = UnitTrainer(SigmoidNeuron(), X, y, batch_size=1, order="replacement", seed=5)
    drawn = [t["indices"][0] for t in trainer.step(200)]
    rng = np.random.default_rng(5)
    assert drawn == [int(rng.integers(8, size=1)[0]) for _ in range(200)]
    # with replacement: some point comes twice in a row, and an "epoch" misses some points
    assert any(a == b for a, b in zip(drawn, drawn[1:]))
    assert any(len(set(drawn[k:k + 8])) < 8 for k in range(0, 200, 8))
    assert trainer.epoch == 25 and trainer.updates_per_epoch == 8  # 8 draws an epoch
    assert [t["epoch"] for t in trainer.step(9)][:1] == [26]


def test_replacement_with_a_legacy_random_state_draws_np_random_randint():
    """Tutorial 002's np.random.seed(s); ...; np.random.randint(len(input_vectors)), replayed."""
    X, y = two_blobs(seed=4, n_per_class=4)
    trainer = UnitTrainer(SigmoidNeuron(), X, y, batch_size=1, order="replacement",
                          seed=np.random.RandomState(11))
    drawn = [t["indices"][0] for t in trainer.step(100)]
    np.random.seed(11)
    assert drawn == [np.random.randint(len(X)) for _ in range(100)]


def test_replacement_mini_batches_draw_batch_size_points_then_the_rest():
    X, y = two_blobs(seed=4, n_per_class=5)  # 10 points, batches of 4: 4 + 4 + 2 draws an epoch
    trainer = UnitTrainer(SigmoidNeuron(), X, y, batch_size=4, order="replacement", seed=0)
    traces = trainer.step(4)
    assert [t["batch_size"] for t in traces] == [4, 4, 2, 4]
    rng = np.random.default_rng(0)
    assert [t["indices"] for t in traces] == [rng.integers(10, size=k).tolist() for k in (4, 4, 2, 4)]
    assert trainer.epoch == 1 and len(trainer.history) == 1


def test_order_in_order_is_shuffle_false_and_a_bad_order_is_refused():
    X, y = two_blobs(seed=4, n_per_class=2)
    trainer = UnitTrainer(Perceptron(), X, y, batch_size=1, order="in order")
    assert [t["indices"][0] for t in trainer.step(8)] == [0, 1, 2, 3, 0, 1, 2, 3]
    assert not trainer.shuffle and UnitTrainer(Perceptron(), X, y).order == "shuffle"
    with pytest.raises(ValueError, match=r"order must be one of 'shuffle', 'in order', "
                                         r"'replacement'; got 'random'"):
        UnitTrainer(Perceptron(), X, y, order="random")
    with pytest.raises(ValueError, match="seed must be an integer or a NumPy random generator"):
        UnitTrainer(Perceptron(), X, y, seed="0")


def test_mse_on_one_point_is_tutorial_002s_error_and_exact_gradient(tutorial_neuron):
    # Tutorial 002: error (p - t)^2 and its gradient 2 (p - t) sigmoid'(z) x on one instance.
    x, t = np.array([2.0, 1.5]), 0.0
    z = 1.45 * 2 - 0.66 * 1.5
    p = 1 / (1 + np.exp(-z))
    assert tutorial_neuron.loss(x, t) == pytest.approx((p - t) ** 2, rel=1e-12)
    grad_w, grad_b = tutorial_neuron.gradients(x, t)
    np.testing.assert_allclose(grad_w, 2 * (p - t) * p * (1 - p) * x, rtol=1e-12)
    assert grad_b == pytest.approx(2 * (p - t) * p * (1 - p), rel=1e-12)
    trace = tutorial_neuron.update(x, t)  # lr 0.1: w <- w - 0.1 * gradient
    np.testing.assert_allclose(trace["w"], np.array([1.45, -0.66]) - 0.1 * grad_w, rtol=1e-12)


def test_replacement_gives_tutorial_002s_error_curve_as_engine_tutorials_t002_trains_it():
    """UnitTrainer with replacement and the same draws as t002's loop: the same 100 error sums."""
    from engine.tutorials import t002

    X, y = np.array(t002.EIGHT_INPUTS, float), np.array(t002.EIGHT_TARGETS, float)
    for seed in (0, 7):
        expected = t002.train_eight_points(np.random.default_rng(seed))
        rng = np.random.default_rng(seed)
        unit = SigmoidNeuron(lr=t002.EIGHT_LEARNING_RATE, loss="mse")
        unit.w = [rng.standard_normal(), rng.standard_normal()]  # the tutorial's randn, twice
        unit.b = rng.standard_normal()
        trainer = UnitTrainer(unit, X, y, batch_size=1, order="replacement", seed=rng)
        curve = []
        for iteration in range(t002.EIGHT_ITERATIONS):
            trainer.step(1)
            if iteration % t002.EIGHT_EVERY == 0:  # after iterations 0, 100, ... 9900
                curve.append(total_squared_error(unit, X, y))
        assert len(curve) == len(expected) == 100
        np.testing.assert_array_equal(curve, expected)
        assert len(set(curve)) > 50  # a curve that moves, not a constant that matches anything
