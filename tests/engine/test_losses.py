"""Every loss: value on worked numbers, gradient against central differences."""

import numpy as np
import pytest

from engine import activations, losses

NAMES = list(losses.LOSSES)


def make_case(name, rng):
    if name == "cross_entropy":
        output = activations.get("softmax").fn(rng.normal(size=(5, 4)))
        target = np.eye(4)[rng.integers(0, 4, size=5)]
    else:
        output = activations.get("sigmoid").fn(rng.normal(size=(5, 3)))
        target = rng.uniform(size=(5, 3))
    return output, target


@pytest.mark.parametrize("name", NAMES)
def test_grad_matches_central_differences(name):
    loss = losses.get(name)
    output, target = make_case(name, np.random.default_rng(0))
    numeric = np.zeros_like(output)
    h = 1e-6
    for idx in np.ndindex(output.shape):
        up, down = output.copy(), output.copy()
        up[idx] += h
        down[idx] -= h
        numeric[idx] = (loss.fn(up, target) - loss.fn(down, target)) / (2 * h)
    np.testing.assert_allclose(loss.grad(output, target), numeric, rtol=1e-5, atol=1e-9)


@pytest.mark.parametrize("name", [n for n in NAMES if losses.get(n).fused_activation])
def test_fused_gradient_is_the_chain_rule_through_the_activation(name):
    loss = losses.get(name)
    act = activations.get(loss.fused_activation)
    rng = np.random.default_rng(2)
    z = rng.normal(size=(5, 4)) * 3
    target = np.eye(4)[rng.integers(0, 4, 5)] if name == "cross_entropy" else rng.uniform(size=(5, 4))
    value, delta = loss.fused(z, act.fn(z), target)
    assert value == pytest.approx(loss.fn(act.fn(z), target), rel=1e-10)
    numeric = np.zeros_like(z)
    for idx in np.ndindex(z.shape):
        up, down = z.copy(), z.copy()
        up[idx] += 1e-6
        down[idx] -= 1e-6
        numeric[idx] = (loss.fn(act.fn(up), target) - loss.fn(act.fn(down), target)) / 2e-6
    np.testing.assert_allclose(delta, numeric, rtol=1e-5, atol=1e-9)


def test_cross_entropy_takes_labels_or_one_hot():
    loss = losses.get("cross_entropy")
    z = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
    p = activations.get("softmax").fn(z)
    labels = np.array([0, 2])
    # row 0: lse(2, 1, 0.1) = 2 + ln(1 + e^-1 + e^-1.9) = 2.4170300, loss 2.4170300 - 2
    # row 1: lse(0.5, 2.5, 0.3) = 2.5 + ln(1 + e^-2 + e^-2.2) = 2.7200495, loss 2.7200495 - 0.3
    assert loss.fn(p, labels) == pytest.approx(loss.fn(p, np.eye(3)[labels]))
    value, delta = loss.fused(z, p, labels)
    assert value == pytest.approx(0.5 * (0.41703002 + 2.42004952), rel=1e-6)
    np.testing.assert_allclose(delta, (p - np.eye(3)[labels]) / 2)


def test_fused_cross_entropy_is_finite_for_huge_logits():
    z = np.array([[1000.0, 0.0]])
    p = activations.get("softmax").fn(z)
    value, _ = losses.get("cross_entropy").fused(z, p, np.array([1]))
    assert value == pytest.approx(1000.0)


def test_worked_values():
    o = np.array([[0.8, 0.2]])
    t = np.array([[1.0, 0.0]])
    assert losses.get("mse").fn(o, t) == pytest.approx((0.04 + 0.04) / 2)
    assert losses.get("sse").fn(o, t) == pytest.approx(0.5 * 0.08)
    # -(ln 0.8 + ln 0.8) / 2
    assert losses.get("binary_cross_entropy").fn(o, t) == pytest.approx(0.2231435513)
    # the tutorial: prediction 0.87101915 for target 0, squared error 0.75867436
    assert losses.get("mse").fn(np.array([[0.87101915]]), np.array([[0.0]])) \
        == pytest.approx(0.75867436, rel=1e-7)
    assert losses.get("mse").grad(np.array([[0.87101915]]), np.array([[0.0]]))[0, 0] \
        == pytest.approx(1.7420383, rel=1e-7)


def test_sse_gradient_is_the_tutorial_error():
    o = np.array([[0.3, 0.9]])
    t = np.array([[0.99, 0.01]])
    np.testing.assert_allclose(losses.get("sse").grad(o, t), o - t)


def test_unknown_loss():
    with pytest.raises(ValueError, match="known losses: mse, sse"):
        losses.get("hinge")
