"""One hand-worked step (or two) per optimizer, with PyTorch's update rules."""

import numpy as np
import pytest

from engine import optimizers
from engine.optimizers import SGD, Adam, RMSprop


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
    # s = 0.01 * 0.25 = 0.0025, sqrt = 0.05; p = 1 - 0.01 * 0.5 / (0.05 + 1e-8)
    first = 1 - 0.01 * 0.5 / (0.05 + 1e-8)
    # s = 0.99 * 0.0025 + 0.0025 = 0.004975
    second = first - 0.01 * 0.5 / (0.004975 ** 0.5 + 1e-8)
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
    for opt in (SGD(0.1, momentum=0.9), RMSprop(), Adam()):
        params = np.ones(3, np.float32)
        opt.step(params, np.full(3, 0.5, np.float32))
        assert params.dtype == np.float32


def test_defaults_are_pytorchs():
    assert (RMSprop().lr, RMSprop().alpha, RMSprop().eps) == (0.01, 0.99, 1e-8)
    assert (Adam().lr, Adam().betas, Adam().eps) == (0.001, (0.9, 0.999), 1e-8)


def test_bad_hyperparameters():
    with pytest.raises(ValueError, match="lr must be > 0"):
        SGD(lr=0)
    with pytest.raises(ValueError, match="lr must be > 0"):
        Adam(lr=float("inf"))
    with pytest.raises(ValueError, match="nesterov"):
        SGD(0.1, nesterov=True)
    with pytest.raises(ValueError, match="known optimizers"):
        optimizers.get("adagrad")
