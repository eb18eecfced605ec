"""AppTest checks of the Backpropagation page: its gradients, its stages, tutorial 003's switch.

The reference numbers are computed here with plain NumPy in float64 (a forward
pass written out, the loss, and central differences of it), independently of
the engine, so a wrong gradient on the page fails the test.
"""

import numpy as np
import pytest

from ui import backprop as bp

PAGE = "../../app_pages/backprop.py"
XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
XOR_Y = np.array([0, 1, 1, 0])


def rerun(at):
    at.run()
    assert not at.exception, at.exception
    return at


def configure(at, **widgets):
    """Set widgets by key (radio, selectbox, number_input, toggle), then run."""
    for key, value in widgets.items():
        for kind in ("radio", "selectbox", "number_input", "toggle"):
            found = [w for w in getattr(at, kind) if w.key == key]
            if found:
                found[0].set_value(value)
                break
        else:
            raise AssertionError(f"no widget with key {key!r}")
        rerun(at)
    return at


def table(at, column):
    """The page's table that has this column, as a DataFrame."""
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with a column {column!r}")


def setup_of(at):
    ss = at.session_state
    return bp.Setup(hidden=ss["bp_hidden"], outputs=ss["bp_outputs"],
                    hidden_act=ss["bp_hidden_act"], output_act=ss["bp_output_act"],
                    loss=ss["bp_loss"], data=ss["bp_data"])


def weights_of(at):
    setup = setup_of(at)
    return np.array([at.session_state[p.key] for p in bp.parameters(setup)], np.float64)


# --- an independent reference: the network's loss written out in NumPy ---------------

def act(name, z):
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-z))
    if name == "tanh":
        return np.tanh(z)
    if name == "softmax":
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    raise ValueError(name)


def reference_loss(params, hidden, outputs, hidden_act, output_act, loss, X, T):
    """L for flat params [W0 (2, hidden) row by row, b0, W1 (hidden, outputs), b1]."""
    k = 0
    W0 = params[k:k + 2 * hidden].reshape(2, hidden); k += 2 * hidden
    b0 = params[k:k + hidden]; k += hidden
    W1 = params[k:k + hidden * outputs].reshape(hidden, outputs); k += hidden * outputs
    b1 = params[k:k + outputs]
    a = act(output_act, act(hidden_act, X @ W0 + b0) @ W1 + b1)
    if loss == "mse":
        return np.mean((a - T) ** 2)
    if loss == "binary_cross_entropy":
        return -np.mean(T * np.log(a) + (1 - T) * np.log(1 - a))
    return -np.mean(np.sum(T * np.log(a), axis=1))  # cross-entropy, T one-hot


def reference_gradient(params, *args, h=1e-6):
    grad = np.empty_like(params)
    for i in range(len(params)):
        plus, minus = params.copy(), params.copy()
        plus[i] += h
        minus[i] -= h
        grad[i] = (reference_loss(plus, *args) - reference_loss(minus, *args)) / (2 * h)
    return grad


def reference_data(at):
    s = setup_of(at)
    if s.data == "xor":
        X, labels = XOR_X, XOR_Y
    else:
        X = np.array([[at.session_state["bp_x0"], at.session_state["bp_x1"]]])
        if s.loss == "cross_entropy":
            labels = np.array([at.session_state["bp_class"]])
        else:
            T = np.array([[at.session_state[f"bp_t{k}"] for k in range(s.outputs)]])
            return X, T
    T = np.eye(2)[labels] if s.outputs == 2 else labels[:, None].astype(float)
    return X, T


def reference_args(at):
    s = setup_of(at)
    X, T = reference_data(at)
    return (s.hidden, s.outputs, s.hidden_act, s.output_act, s.loss, X, T)


def relative(a, b):
    return np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), 1e-300)


CONFIGS = [
    dict(),  # the default: one example, 2-2-1, sigmoid, MSE
    dict(bp_data="xor", bp_hidden=3, bp_hidden_act="tanh", bp_loss="binary_cross_entropy"),
    dict(bp_data="xor", bp_hidden=3, bp_loss="cross_entropy", bp_hidden_act="tanh"),
    dict(bp_outputs=2, bp_hidden_act="tanh", bp_output_act="tanh", bp_seed=7),
    dict(bp_loss="cross_entropy", bp_class=1, bp_seed=3),
]


@pytest.mark.parametrize("widgets", CONFIGS, ids=lambda w: ",".join(f"{v}" for v in w.values())
                         or "default")
def test_gradients_equal_central_differences(app, widgets):
    configure(app, **widgets)
    if "bp_seed" in widgets:
        app.button(key="bp_draw").click()
        rerun(app)
    params = weights_of(app)
    args = reference_args(app)
    page = table(app, "∂L/∂w")["∂L/∂w"].to_numpy(np.float64)
    expected = reference_gradient(params, *args)
    assert page.shape == expected.shape
    assert np.all(relative(page, expected) < 1e-4), (page, expected)
    assert np.abs(page).max() > 1e-4  # not a vacuous comparison of zeros
    # the page's own finite-difference check agrees, for every weight and bias
    for name in table(app, "∂L/∂w")["weight"]:
        configure(app, bp_param=name)
        assert float(app.metric[0].value) < 1e-4, name
        assert app.success and not app.error


def test_every_stage_button(app):
    params = weights_of(app)
    args = reference_args(app)
    loss0 = reference_loss(params, *args)
    assert "Stage 1 of 7" in app.markdown[1].value or any(
        "Stage 1 of 7" in m.value for m in app.markdown)
    assert app.button(key="bp_prev").disabled
    for stage in range(1, len(bp.STAGES)):
        app.button(key="bp_next").click()
        rerun(app)
        assert app.session_state["bp_stage"] == stage
        assert any(f"Stage {stage + 1} of 7: {bp.STAGES[stage][0]}" in m.value
                   for m in app.markdown)
    app.button(key="bp_prev").click()
    rerun(app)
    assert app.session_state["bp_stage"] == len(bp.STAGES) - 2
    app.button(key="bp_next").click()
    rerun(app)
    # the last stage's button applies w <- w - eta dL/dw
    app.button(key="bp_next").click()
    rerun(app)
    assert app.session_state["bp_stage"] == 0
    assert app.session_state["bp_updates"] == 1
    lr = app.session_state["bp_lr"]
    expected = params - lr * reference_gradient(params, *args)
    assert np.allclose(weights_of(app), expected, rtol=1e-6, atol=1e-9)
    assert reference_loss(weights_of(app), *args) < loss0


def test_run_100_updates_makes_the_loss_fall(app):
    configure(app, bp_data="xor", bp_hidden=3, bp_hidden_act="tanh",
              bp_loss="binary_cross_entropy", bp_lr=1.0)
    args = reference_args(app)
    loss0 = reference_loss(weights_of(app), *args)
    app.button(key="bp_run").click()
    rerun(app)
    losses = app.session_state["bp_losses"]
    assert len(losses) == bp.UPDATES + 1
    assert losses[0] == pytest.approx(loss0, rel=1e-12)
    assert losses[-1] == pytest.approx(reference_loss(weights_of(app), *args), rel=1e-12)
    assert losses[-1] < 0.8 * loss0
    assert app.session_state["bp_updates"] == bp.UPDATES


def test_tutorial_003_switch_makes_the_check_fail(app):
    configure(app, bp_param="w(x₁→h1)")
    assert float(app.metric[0].value) < 1e-4
    configure(app, bp_t003=True)
    assert float(app.metric[0].value) > 1e-2
    assert app.error and "tutorial 003" in app.error[0].value.lower()
    # the page's backprop column is now wrong against the true (reference) gradient
    page = table(app, "∂L/∂w")["∂L/∂w"].to_numpy(np.float64)
    expected = reference_gradient(weights_of(app), *reference_args(app))
    assert relative(page, expected).max() > 1e-2
    configure(app, bp_t003=False)
    assert float(app.metric[0].value) < 1e-4


def test_tutorial_003_switch_says_when_it_cannot_matter(app):
    configure(app, bp_hidden_act="tanh", bp_loss="binary_cross_entropy", bp_t003=True)
    assert any("nothing changes" in i.value for i in app.info)
    assert float(app.metric[0].value) < 1e-4


def test_typed_weights_are_used_exactly(app):
    setup = setup_of(app)
    typed = {p.key: v for p, v in zip(bp.parameters(setup),
                                      (0.123456789, -0.400000001, 0.3333333333, 0.25, -0.0625,
                                       0.7071067811865476, -0.2, 0.45, 1e-7))}
    configure(app, **typed)
    params = weights_of(app)
    assert list(params) == list(typed.values())
    assert list(table(app, "∂L/∂w")["w"]) == list(typed.values())
    page = table(app, "∂L/∂w")["∂L/∂w"].to_numpy(np.float64)
    expected = reference_gradient(params, *reference_args(app))
    assert np.all(relative(page, expected) < 1e-4)


def test_every_hidden_and_output_activation_runs(app):
    from ui import catalog
    for name in catalog.hidden_activations():
        configure(app, bp_hidden_act=name)
        for _ in range(len(bp.STAGES)):
            app.button(key="bp_next").click()
            rerun(app)
    for name in bp.output_activations("mse"):
        configure(app, bp_outputs=2, bp_output_act=name)


def test_after_an_update_every_box_is_drawn_with_its_new_value(app):
    app.button(key="bp_run").click()
    rerun(app)
    boxes = [(b.key, b.value, b.proto.default) for b in app.number_input
             if b.value is not None and b.proto.default != b.value]
    assert boxes == []
    assert app.number_input(key="bp_w0_0_0").value == app.session_state["bp_w0_0_0"]


def test_huge_weights_say_so_without_an_exception(app):
    configure(app, bp_output_act="linear", bp_w1_0_0=1e300)  # a ≈ 5e299: its square overflows
    assert any("not finite" in w.value for w in app.warning)
    for _ in range(len(bp.STAGES)):  # the last click applies the update: -inf weights
        app.button(key="bp_next").click()
        rerun(app)
    assert any("kept as they were" in w.value for w in app.warning)
    assert app.session_state["bp_w1_0_0"] == 1e300  # the boxes keep their numbers
    app.button(key="bp_run").click()
    rerun(app)
    assert app.session_state["bp_w1_0_0"] == 1e300
