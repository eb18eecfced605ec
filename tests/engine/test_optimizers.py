"""Every registered optimizer on a small quadratic; one hand-worked step (or two) per
optimizer, with PyTorch's update rules."""

import math

import numpy as np
import pytest

from engine import optimizers
from engine.optimizers import OPTIMIZERS, SGD, Adam, Momentum, RMSprop

NAMES = list(OPTIMIZERS)
# a bowl: loss = 1/2 sum c (p - centre)^2, gradient c (p - centre)
CURVATURE = np.array([0.5, 1.0, 2.0, 3.0])
CENTRE = np.array([1.0, -2.0, 0.5, 3.0])


def bowl_loss(p):
    return 0.5 * float(np.sum(CURVATURE * (p - CENTRE) ** 2))


def test_registry_order_and_names():
    assert NAMES == ["sgd", "momentum", "rmsprop", "adam"]
    for name, cls in OPTIMIZERS.items():
        assert cls.name == name


@pytest.mark.parametrize("name", NAMES)
def test_get_builds_each_with_its_learning_rate(name):
    opt = optimizers.get(name, lr=0.02)
    assert isinstance(opt, OPTIMIZERS[name]) and opt.lr == 0.02 and opt.name == name
    assert optimizers.get(opt) is opt  # objects pass through


@pytest.mark.parametrize("name", NAMES)
def test_a_few_hundred_steps_go_down_a_quadratic_bowl(name):
    opt = optimizers.get(name, lr=0.05)
    params = np.zeros(4)
    start = bowl_loss(params)
    for _ in range(300):
        opt.step(params, CURVATURE * (params - CENTRE))
    assert bowl_loss(params) < 0.01 * start
    assert opt.t == 300


@pytest.mark.parametrize("lr", [0, -0.1, math.nan, math.inf])
@pytest.mark.parametrize("name", NAMES)
def test_learning_rates_that_are_not_positive_and_finite_are_refused(name, lr):
    with pytest.raises(ValueError, match=f"{name}: learning rate lr must be > 0 and finite"):
        optimizers.get(name, lr=lr)


@pytest.mark.parametrize("name", NAMES)
def test_config_round_trips_into_get(name):
    opt = optimizers.get(name, lr=0.03)
    copy = optimizers.get(**opt.config())
    assert type(copy) is type(opt) and copy.config() == opt.config()
    grads = np.array([0.5, -1.0, 2.0])
    a, b = np.ones(3), np.ones(3)
    opt.step(a, grads)
    copy.step(b, grads)
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name", NAMES)
def test_the_step_is_written_in_place(name):
    opt = optimizers.get(name, lr=0.1)
    buffer = np.ones(6, np.float32)
    params, grads = buffer[:4], np.full(4, 0.5, np.float32)  # a view, like a model's W
    for _ in range(2):
        opt.step(params, grads)
    assert params.base is buffer and params.dtype == np.float32
    assert np.all(buffer[:4] < 1.0) and np.all(buffer[4:] == 1.0)


def test_momentum_is_sgd_with_momentum_0_9():
    assert Momentum().momentum == 0.9 and Momentum().lr == 0.01
    assert run(Momentum(lr=0.1), 3) == run(SGD(lr=0.1, momentum=0.9), 3)
    assert run(Momentum(lr=0.1, momentum=0.5, nesterov=True), 3) == \
        run(SGD(lr=0.1, momentum=0.5, nesterov=True), 3)
    assert Momentum(0.1).config() == {"name": "momentum", "lr": 0.1, "momentum": 0.9,
                                      "nesterov": False, "weight_decay": 0.0}
    with pytest.raises(ValueError, match="momentum: momentum must be in"):
        Momentum(momentum=0.0)
    with pytest.raises(ValueError, match="momentum: momentum must be in"):
        Momentum(momentum=1.0)


def run(opt, steps, p=1.0, g=0.5):
    params = np.array([p], dtype=np.float64)
    grads = np.array([g], dtype=np.float64)
    out = []
    for _ in range(steps):
        opt.step(params, grads)
        out.append(float(params[0]))
    return out


def test_plain_sgd():
    assert run(SGD(lr=0.1), 2) == pytest.approx([0.95, 0.9])


def test_sgd_momentum():
    # v1 = g = 0.5, p = 1 - 0.1 * 0.5 = 0.95; v2 = 0.9 * 0.5 + 0.5 = 0.95, p = 0.95 - 0.095
    assert run(SGD(lr=0.1, momentum=0.9), 2) == pytest.approx([0.95, 0.855])


def test_sgd_nesterov():
    # v1 = 0.5, step = g + 0.9 v1 = 0.95 -> p = 0.905; v2 = 0.95, step = 0.5 + 0.855 = 1.355
    assert run(SGD(lr=0.1, momentum=0.9, nesterov=True), 2) == pytest.approx([0.905, 0.7695])


def test_sgd_weight_decay():
    # g = 0.5 + 0.1 * 1.0 = 0.6 -> p = 1 - 0.1 * 0.6
    assert run(SGD(lr=0.1, weight_decay=0.1), 1) == pytest.approx([0.94])


def test_rmsprop():
    # torch's defaults: s = 0.01 * 0.25 = 0.0025, sqrt = 0.05; p = 1 - 0.01 * 0.5 / (0.05 + 1e-8)
    first = 1 - 0.01 * 0.5 / (0.05 + 1e-8)
    # s = 0.99 * 0.0025 + 0.0025 = 0.004975
    second = first - 0.01 * 0.5 / (0.004975 ** 0.5 + 1e-8)
    assert run(RMSprop(lr=0.01, alpha=0.99, eps=1e-8), 2) == pytest.approx([first, second],
                                                                        rel=1e-12)


def test_rmsprop_has_keras_defaults():
    # Keras: lr 0.001, rho 0.9, epsilon 1e-7. s = 0.1 * 0.25 = 0.025
    first = 1 - 0.001 * 0.5 / (0.025 ** 0.5 + 1e-7)
    # s = 0.9 * 0.025 + 0.025 = 0.0475
    second = first - 0.001 * 0.5 / (0.0475 ** 0.5 + 1e-7)
    assert run(RMSprop(), 2) == pytest.approx([first, second], rel=1e-12)


def test_adam():
    # step 1: m_hat = g, v_hat = g^2, so p moves by lr * g / (|g| + eps), about lr
    first = 1 - 0.001 * 0.5 / (0.5 + 1e-8)
    # step 2 with the same g: m_hat = g and v_hat = g^2 again
    assert run(Adam(), 2) == pytest.approx([first, 2 * first - 1], rel=1e-12)


def test_adam_bias_correction_with_a_changing_gradient():
    opt = Adam(lr=0.1)
    params = np.array([0.0])
    opt.step(params, np.array([1.0]))
    opt.step(params, np.array([-1.0]))
    # m = 0.9 * 0.1 - 0.1 = -0.01, m_hat = -0.01 / 0.19; v = 0.001 * 0.999 + 0.001 = 0.001999
    # v_hat = 0.001999 / 0.001999 = 1; second step = 0.1 * (0.01 / 0.19) / (1 + 1e-8)
    expected = -0.1 / (1 + 1e-8) + 0.1 * (0.01 / 0.19) / (1 + 1e-8)
    assert params[0] == pytest.approx(expected, rel=1e-9)


def test_float32_stays_float32():
    for opt in (SGD(0.1, momentum=0.9), Momentum(0.1), RMSprop(), Adam()):
        params = np.ones(3, np.float32)
        opt.step(params, np.full(3, 0.5, np.float32))
        assert params.dtype == np.float32


def test_defaults():
    # RMSprop: Keras's (tutorial 000's Keras comparison); Adam: PyTorch's
    assert (RMSprop().lr, RMSprop().alpha, RMSprop().eps) == (0.001, 0.9, 1e-7)
    assert (Adam().lr, Adam().betas, Adam().eps) == (0.001, (0.9, 0.999), 1e-8)


def test_bad_hyperparameters():
    with pytest.raises(ValueError, match="lr must be > 0"):
        SGD(lr=0)
    with pytest.raises(ValueError, match="lr must be > 0"):
        Adam(lr=float("inf"))
    with pytest.raises(ValueError, match="nesterov"):
        SGD(0.1, nesterov=True)
    with pytest.raises(ValueError, match="unknown optimizer 'adagrad'; known optimizers: sgd, "
                                         "momentum, rmsprop, adam"):
        optimizers.get("adagrad")
