"""AppTest checks of the Perceptron page: data, hand-set weights, training steps, XOR.

The expected numbers are computed here with plain NumPy from the formulas the
page shows (the perceptron rule, gradient descent through a sigmoid), so a
wrong update on the page fails the test.
"""

import base64
import json

import numpy as np
import pytest

from engine import datasets
from ui import catalog
from ui.state import PerceptronState

PAGE = "../../app_pages/perceptron.py"
OR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
OR_Y = np.array([0, 1, 1, 1], dtype=float)


def rerun(at):
    at.run()
    assert not at.exception, at.exception
    return at


def metric(at, label):
    """The shown value of the metric with this label, as text."""
    for element in at.metric:
        if element.label == label:
            return element.value
    raise AssertionError(f"no metric {label!r}; metrics: {[m.label for m in at.metric]}")


def weights_shown(at):
    return np.array([float(metric(at, name)) for name in ("w₁", "w₂", "b")])


def chart(at, key):
    """The figure dict ({"data": [...], "layout": {...}}) of the plotly chart with `key`."""
    for element in at.get("plotly_chart"):
        if key in element.proto.id:
            return json.loads(element.proto.spec)
    raise AssertionError(f"no plotly chart with key {key!r}")


def has_chart(at, key):
    return any(key in element.proto.id for element in at.get("plotly_chart"))


def as_array(values):
    """A plotly data array: a JSON list, or the typed-array form {"dtype", "bdata"}."""
    if isinstance(values, dict):
        values = np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
    return np.asarray(values, dtype=float)


def contour_z(at, key):
    """The output grid behind the points of a decision-boundary chart."""
    contour = next(trace for trace in chart(at, key)["data"] if trace["type"] == "contour")
    return as_array(contour["z"]) if isinstance(contour["z"], dict) else np.array(contour["z"], float)


def page_state(at):
    """The page's PerceptronState (the run, the Play flag) in the test's session."""
    return at.session_state[PerceptronState.KEY]


def playing(at):
    return page_state(at).live.playing


def texts(at):
    return [element.value for element in [*at.markdown, *at.success, *at.warning, *at.info]]


def set_weights(at, w1, w2, b):
    at.slider(key="perceptron_w1").set_value(w1)
    at.slider(key="perceptron_w2").set_value(w2)
    at.slider(key="perceptron_b").set_value(b)
    return rerun(at)


def step(z):
    return (z >= 0).astype(float)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# ----------------------------------------------------------------------------
# Loading, data and model
# ----------------------------------------------------------------------------


def test_page_loads_with_or_untrained(app):
    assert app.title[0].value == "One neuron & the perceptron"
    assert metric(app, "Updates") == "0"
    # The start weights are shown as the unit's current weights.
    w1, w2, b = (app.slider(key=k).value for k in ("perceptron_w1", "perceptron_w2", "perceptron_b"))
    np.testing.assert_allclose(weights_shown(app), [w1, w2, b])
    assert has_chart(app, "perceptron_hand_chart")
    assert has_chart(app, "perceptron_live_chart")
    assert has_chart(app, "perceptron_loss_chart")
    assert not has_chart(app, "perceptron_tutorial_chart")  # only for the 8-point set


def test_hand_set_or_weights_give_a_full_truth_table(app):
    at = set_weights(app, 1.0, 1.0, -1.0)  # OR = step(-1 + x1 + x2)
    table = at.table[0].value
    np.testing.assert_allclose(table["z = w₁x₁ + w₂x₂ + b"].astype(float), OR_X @ [1, 1] - 1)
    np.testing.assert_array_equal(table["neuron says"].astype(int), OR_Y)
    assert list(table["right?"]) == ["yes"] * 4
    assert "**Truth table: 4 of 4 right**" in texts(at)
    assert any("this neuron computes OR" in text for text in texts(at))


def test_the_default_weights_get_or_wrong_and_the_table_says_so(app):
    w = np.array([app.slider(key="perceptron_w1").value, app.slider(key="perceptron_w2").value])
    b = app.slider(key="perceptron_b").value
    n_right = int(np.sum(step(OR_X @ w + b) == OR_Y))
    assert n_right < 4
    assert f"**Truth table: {n_right} of 4 right**" in texts(app)
    assert not app.success


def test_solution_button_sets_the_sliders(app):
    app.selectbox(key="perceptron_dataset").set_value("AND")
    at = rerun(app)
    at.button(key="perceptron_solution").click()
    at = rerun(at)
    assert [at.slider(key=k).value for k in ("perceptron_w1", "perceptron_w2", "perceptron_b")] == [1.0, 1.0, -1.5]
    np.testing.assert_array_equal(at.table[0].value["neuron says"].astype(int), [0, 0, 0, 1])
    assert "**Truth table: 4 of 4 right**" in texts(at)


def test_moving_a_slider_moves_the_boundary(app):
    before = contour_z(app, "perceptron_hand_chart")
    at = set_weights(app, 1.0, 1.0, -1.0)
    after = contour_z(at, "perceptron_hand_chart")
    assert before.shape == after.shape
    assert not np.array_equal(before, after)
    assert set(np.unique(after)) <= {0.0, 1.0}  # a step unit: the output is 0 or 1


def test_sigmoid_model_shows_probabilities(app):
    app.radio(key="perceptron_model").set_value(app.radio(key="perceptron_model").options[1])
    at = set_weights(app, 1.0, 1.0, -1.0)
    assert at.radio(key="perceptron_loss").value in ("mse", "bce")  # the loss choice appears
    table = at.table[0].value
    np.testing.assert_allclose(table["ŷ = σ(z)"].astype(float), np.round(sigmoid(OR_X @ [1, 1] - 1), 3),
                               atol=1e-3)
    z = contour_z(at, "perceptron_hand_chart")
    assert np.any((z > 0.01) & (z < 0.99))  # a smooth output, not a step


def test_blobs_hold_out_test_points(app):
    app.selectbox(key="perceptron_dataset").set_value("Two blobs")
    at = rerun(app)
    n_points = at.slider(key="perceptron_n_points").value
    test_percent = at.slider(key="perceptron_test_percent_Two blobs").value
    assert test_percent == 25
    n_test = int(np.ceil(n_points * test_percent / 100))
    figure = chart(at, "perceptron_live_chart")
    shown = {trace["name"]: len(as_array(trace["x"])) for trace in figure["data"]
             if trace["type"] == "scatter" and trace["name"].startswith("class")}
    assert sum(n for name, n in shown.items() if "(test)" in name) == n_test
    assert sum(n for name, n in shown.items() if "(train)" in name) == n_points - n_test
    assert metric(at, "Test accuracy").endswith("%")
    # More points on the slider, more points in the chart.
    at.slider(key="perceptron_n_points").set_value(n_points + 40)
    at = rerun(at)
    figure = chart(at, "perceptron_live_chart")
    assert sum(len(as_array(t["x"])) for t in figure["data"]
               if t["type"] == "scatter" and t["name"].startswith("class")) == n_points + 40


def test_xor_explains_and_shows_a_hidden_layer_solving_it(app):
    assert not has_chart(app, "perceptron_xor_network_chart")
    app.selectbox(key="perceptron_dataset").set_value("XOR")
    at = rerun(app)
    assert any("there is none" in t for t in texts(at))
    assert has_chart(at, "perceptron_xor_network_chart")
    assert "**Truth table of the network: 4 of 4 right**" in texts(at)
    network_table = at.table[1].value
    np.testing.assert_array_equal(network_table["says"].astype(int), [0, 1, 1, 0])
    # The single unit, trained for a few epochs, is still wrong somewhere, and the page says why.
    for _ in range(3):
        at.button(key="perceptron_step_epoch").click()
        at = rerun(at)
    assert metric(at, "Training accuracy") != "100%"
    assert any("not linearly separable" in t for t in texts(at))


def test_eight_point_set_shows_the_tutorials_error_chart(app):
    app.selectbox(key="perceptron_dataset").set_value("The 8-point set")
    at = rerun(app)
    X = np.array([[3, 1.5], [2, 1], [4, 1.5], [3, 4], [3.5, 0.5], [2, 0.5], [5.5, 1], [1, 1]])
    y = np.array([0, 1, 0, 1, 0, 1, 1, 0], dtype=float)
    w = np.array([at.slider(key="perceptron_w1").value, at.slider(key="perceptron_w2").value])
    b = at.slider(key="perceptron_b").value
    error = chart(at, "perceptron_tutorial_chart")["data"][0]
    np.testing.assert_allclose(as_array(error["x"]), [0])
    np.testing.assert_allclose(as_array(error["y"]), [np.sum((step(X @ w + b) - y) ** 2)])
    for _ in range(13):  # 13 epochs of 8 stochastic updates: 104 updates
        at.button(key="perceptron_step_epoch").click()
        at = rerun(at)
    assert metric(at, "Updates") == "104"
    error = chart(at, "perceptron_tutorial_chart")["data"][0]
    # before training, then where tutorial 002's loop measures: after its iterations 0 and 100
    np.testing.assert_allclose(as_array(error["x"]), [0, 1, 101])


def test_every_two_class_data_set_of_the_engine_is_offered_and_three_classes_are_not(app):
    offered = app.selectbox(key="perceptron_dataset").options  # AppTest lists the labels
    for name in catalog.plane_datasets(max_classes=2):
        assert catalog.label("dataset", name) in offered
    for name in set(catalog.plane_datasets()) - set(catalog.plane_datasets(max_classes=2)):
        assert catalog.label("dataset", name) not in offered  # e.g. spiral3: one unit has 2 classes
    assert offered[:6] == ["OR", "AND", "NAND", "XOR", "Two blobs", "The 8-point set"]


def test_a_registry_data_set_trains_on_its_points(app):
    """Moons, made by the engine, split like the blobs; one full-batch update is the rule's."""
    app.selectbox(key="perceptron_dataset").set_value("moons")
    at = rerun(app)
    assert any("come from the Network playground" in t for t in texts(at))
    n_points = at.slider(key="perceptron_n_points").value
    noise = at.slider(key="perceptron_plane_noise").value
    seed = at.number_input(key="perceptron_data_seed").value
    test_percent = at.slider(key="perceptron_test_percent_moons").value
    assert test_percent == 25
    X, y = datasets.make_plane("moons", n_points, noise / 100, seed)
    X_train, X_test, y_train, y_test = datasets.train_test_split(
        X.astype(float), y.astype(float), test_size=test_percent / 100, seed=seed)
    data = page_state(at).run.data
    np.testing.assert_array_equal(data["X_train"], X_train)
    np.testing.assert_array_equal(data["y_test"], y_test)
    figure = chart(at, "perceptron_live_chart")
    shown = sum(len(as_array(t["x"])) for t in figure["data"]
                if t["type"] == "scatter" and t["name"].startswith("class"))
    assert shown == n_points
    # One full-batch perceptron update on these points: w <- w + lr * sum (y - y_hat) x.
    at.radio(key="perceptron_batch_mode").set_value(at.radio(key="perceptron_batch_mode").options[2])
    at = rerun(at)
    w, b = start_weights(at)
    lr = at.number_input(key="perceptron_lr_perceptron").value
    at.button(key="perceptron_step_update").click()
    at = rerun(at)
    error = y_train - step(X_train @ w + b)
    expected = np.append(w + lr * X_train.T @ error, b + lr * error.sum())
    np.testing.assert_allclose(weights_shown(at), expected, rtol=1e-3, atol=1e-3)  # 4 digits
    assert metric(at, "Updates") == "1"
    right = int(np.sum(step(X_test @ expected[:2] + expected[2]) == y_test))
    assert metric(at, "Test accuracy") == f"{100 if right == len(y_test) else 100 * right // len(y_test)}%"
    # Play trains on: each run of the live view is one frame.
    at.button(key="perceptron_play").click()
    at = rerun(at)
    assert playing(at) and int(metric(at, "Updates")) > 1


def test_every_registry_data_set_loads_and_trains_an_epoch(app):
    at = app
    for name in catalog.plane_datasets(max_classes=2):
        at.selectbox(key="perceptron_dataset").set_value(name)
        at = rerun(at)
        n_train = len(page_state(at).run.data["y_train"])
        at.button(key="perceptron_step_epoch").click()
        at = rerun(at)
        assert metric(at, "Updates") == str(n_train), name  # stochastic: one point per update
        assert metric(at, "Epochs done") == "1", name


# ----------------------------------------------------------------------------
# Training: the Step buttons, with the numbers of the update
# ----------------------------------------------------------------------------


def start_weights(at):
    w = np.array([at.slider(key="perceptron_w1").value, at.slider(key="perceptron_w2").value])
    return w, at.slider(key="perceptron_b").value


def test_step_one_update_full_batch_perceptron_rule(app):
    app.radio(key="perceptron_batch_mode").set_value(app.radio(key="perceptron_batch_mode").options[2])
    at = rerun(app)
    w, b = start_weights(at)
    lr = at.number_input(key="perceptron_lr_perceptron").value
    at.button(key="perceptron_step_update").click()
    at = rerun(at)
    # The perceptron rule over the whole truth table: w <- w + lr * sum (y - y_hat) x.
    error = OR_Y - step(OR_X @ w + b)
    grad_w, grad_b = -(OR_X.T @ error), -np.sum(error)
    assert np.any(grad_w != 0)  # the start is wrong, so the update must move the line
    expected = np.append(w - lr * grad_w, b - lr * grad_b)
    np.testing.assert_allclose(weights_shown(at), expected, atol=1e-9)
    assert metric(at, "Updates") == "1"
    assert metric(at, "Epochs done") == "1"  # one full batch is one epoch
    latex = at.latex[-1].value
    for before, after in zip([*w, b], expected):
        assert f"{before:.4g}" in latex and f"{after:.4g}" in latex


def test_step_one_update_sigmoid_gradient_descent(app):
    app.radio(key="perceptron_model").set_value(app.radio(key="perceptron_model").options[1])
    app.radio(key="perceptron_batch_mode").set_value(app.radio(key="perceptron_batch_mode").options[2])
    at = rerun(app)
    at.radio(key="perceptron_loss").set_value("bce")
    at = rerun(at)
    w, b = start_weights(at)
    lr = at.number_input(key="perceptron_lr_sgd").value
    at.button(key="perceptron_step_update").click()
    at = rerun(at)
    # Binary cross-entropy through a sigmoid: dE/dz = (y_hat - y) / m.
    delta = (sigmoid(OR_X @ w + b) - OR_Y) / len(OR_Y)
    expected = np.append(w - lr * OR_X.T @ delta, b - lr * delta.sum())
    np.testing.assert_allclose(weights_shown(at), expected, rtol=1e-3, atol=1e-3)  # shown with 4 digits


def test_stochastic_steps_count_updates_and_epochs(app):
    at = app
    weights = [weights_shown(at)]
    for n in (1, 2, 3):
        at.button(key="perceptron_step_update").click()
        at = rerun(at)
        assert metric(at, "Updates") == str(n)
        weights.append(weights_shown(at))
    assert metric(at, "Epochs done") == "0"
    # Each stochastic update changes the weights by lr * (y - y_hat) * x for one point:
    # a change of 0 or +-lr per weight and for the bias.
    lr = at.number_input(key="perceptron_lr_perceptron").value
    for before, after in zip(weights, weights[1:]):
        change = np.round((after - before) / lr, 6)
        assert set(change) <= {-1.0, 0.0, 1.0}
    at.button(key="perceptron_step_epoch").click()  # finishes the epoch under way
    at = rerun(at)
    assert metric(at, "Updates") == "4"
    assert metric(at, "Epochs done") == "1"
    assert any(t.startswith("Update 4 (epoch 1) used the point") for t in texts(at))


def test_reset_returns_to_the_hand_set_weights(app):
    start = weights_shown(app)
    for _ in range(2):
        app.button(key="perceptron_step_epoch").click()
        app = rerun(app)
    assert metric(app, "Updates") == "8"
    app.button(key="perceptron_reset").click()
    at = rerun(app)
    assert metric(at, "Updates") == "0"
    np.testing.assert_allclose(weights_shown(at), start)


def test_moving_a_slider_restarts_training_from_it(app):
    app.button(key="perceptron_step_epoch").click()
    at = rerun(app)
    assert metric(at, "Updates") == "4"
    at = set_weights(at, 1.0, 1.0, -1.0)
    assert metric(at, "Updates") == "0"
    np.testing.assert_allclose(weights_shown(at), [1.0, 1.0, -1.0])


def test_play_trains_until_the_epochs_are_done_then_stops(app):
    app.number_input(key="perceptron_epochs_other").set_value(2)
    at = rerun(app)
    at.button(key="perceptron_play").click()
    at = rerun(at)
    assert playing(at)
    assert int(metric(at, "Updates")) >= 1  # each run of the live view advances while playing
    for _ in range(20):  # AppTest never fires run_every: each run() stands for one frame
        if not playing(at):
            break
        at = rerun(at)
    assert not playing(at)
    assert metric(at, "Updates") == "8"  # 2 epochs of 4 points, not one update more
    assert any("Training finished: all 2 epochs are done" in t for t in texts(at))
    assert at.button(key="perceptron_play").disabled


def test_pause_stops_training(app):
    app.button(key="perceptron_play").click()
    at = rerun(app)
    assert at.button(key="perceptron_play").label == "Pause"
    at.button(key="perceptron_play").click()
    at = rerun(at)
    assert at.button(key="perceptron_play").label == "Play"
    paused_at = metric(at, "Updates")
    at = rerun(at)
    assert metric(at, "Updates") == paused_at
    assert f"**Paused** after update {paused_at}." in texts(at)


def test_loss_curve_has_the_loss_after_every_update(app):
    """Step (one epoch) records each of its updates: replayed here with the engine's own trainer."""
    from engine.units import Perceptron, UnitTrainer

    w, b = start_weights(app)
    app.button(key="perceptron_step_epoch").click()
    at = rerun(app)
    curve = next(t for t in chart(at, "perceptron_loss_chart")["data"] if t["name"] == "training points")
    np.testing.assert_array_equal(as_array(curve["x"]), [0, 1, 2, 3, 4])
    unit = Perceptron(n_inputs=2, lr=at.number_input(key="perceptron_lr_perceptron").value)
    unit.w, unit.b = w, b
    trainer = UnitTrainer(unit, OR_X, OR_Y, batch_size=1, seed=at.number_input(key="perceptron_seed").value)
    expected = [np.sum(step(OR_X @ w + b) != OR_Y)]
    for _ in range(4):
        trainer.step(1)
        expected.append(np.sum(step(OR_X @ unit.w + unit.b) != OR_Y))  # mistakes after the update
    np.testing.assert_array_equal(as_array(curve["y"]), expected)
    assert len(set(expected)) > 1  # the line moved during the epoch: a flat curve would be wrong


def test_the_drawn_decision_line_is_w_x_plus_b_equals_zero(app):
    app.button(key="perceptron_step_epoch").click()
    at = rerun(app)
    w1, w2, b = weights_shown(at)
    line = next(t for t in chart(at, "perceptron_live_chart")["data"] if t["name"] == "decision line")
    x1, x2 = as_array(line["x"]), as_array(line["y"])
    np.testing.assert_allclose(w1 * x1 + w2 * x2 + b, 0.0, atol=1e-3)  # weights shown to 4 digits


def test_mini_batches_use_batch_size_points_per_update(app):
    app.selectbox(key="perceptron_dataset").set_value("Two blobs")
    at = rerun(app)
    n_train = len(page_state(at).run.data["y_train"])
    at.radio(key="perceptron_batch_mode").set_value(at.radio(key="perceptron_batch_mode").options[1])
    at = rerun(at)
    batch_size = at.slider(key=f"perceptron_batch_size_{n_train}").value
    assert 1 < batch_size < n_train
    at.button(key="perceptron_step_update").click()
    at = rerun(at)
    assert any(f"used {batch_size} points of {n_train}" in t for t in texts(at))
    ring = next(t for t in chart(at, "perceptron_live_chart")["data"] if t["name"] == "used by the last update")
    assert len(as_array(ring["x"])) == batch_size  # the batch is circled on the chart
    at.button(key="perceptron_step_epoch").click()
    at = rerun(at)
    assert metric(at, "Updates") == str(-(-n_train // batch_size))  # ceil(n / batch size)
    assert metric(at, "Epochs done") == "1"


def test_a_long_run_keeps_the_loss_curve_light(app):
    app.selectbox(key="perceptron_dataset").set_value("Two blobs")
    at = rerun(app)
    at.slider(key="perceptron_n_points").set_value(400)
    at = rerun(at)
    n_train = len(page_state(at).run.data["y_train"])  # 300 points, 1 per update
    epochs = -(-2001 // n_train)  # enough stochastic updates to pass 2000 curve points
    for _ in range(epochs):
        at.button(key="perceptron_step_epoch").click()
        at = rerun(at)
    assert metric(at, "Updates") == str(epochs * n_train)
    curve = next(t for t in chart(at, "perceptron_loss_chart")["data"] if t["name"] == "training points")
    x = as_array(curve["x"])
    assert 1000 <= len(x) <= 2000
    assert x[0] == 0 and np.all(np.diff(x) == 2)  # every second update, evenly


# ----------------------------------------------------------------------------
# The tutorials' set-ups, exact numbers, the learning rate, the optimizers
# ----------------------------------------------------------------------------

PLAY_FRAMES = 5000  # each AppTest run is one frame of Play: a generous bound, never reached


def play_to_the_end(at):
    """Play at the fast speed and run frames until training stops by itself."""
    at.select_slider(key="perceptron_speed").set_value("fast")
    at = rerun(at)
    at.button(key="perceptron_play").click()
    at = rerun(at)
    for _ in range(PLAY_FRAMES):
        if not playing(at):
            break
        at = rerun(at)
    assert not playing(at)
    return at


def test_tutorial_001_set_up_trains_to_the_printed_accuracy(app):
    from engine.optimizers import Adam
    from engine.tutorials import t001
    from engine.units import SigmoidNeuron, UnitTrainer

    app.button(key="perceptron_preset_t001").click()
    at = rerun(app)
    assert at.selectbox(key="perceptron_dataset").value == "Two blobs"
    assert at.slider(key="perceptron_n_points").value == 200
    assert at.slider(key="perceptron_separation").value == 10.0
    assert at.slider(key="perceptron_test_percent_Two blobs").value == 25
    assert at.radio(key="perceptron_loss").value == "bce"
    assert at.selectbox(key="perceptron_optimizer").value == "adam"
    assert at.number_input(key="perceptron_lr_adam").value == 0.001
    assert at.slider(key="perceptron_batch_size_150").value == 32
    assert at.number_input(key="perceptron_epochs_other").value == 1000
    assert any("Tutorial 001's set-up" in m.value for m in at.info)
    # the points and the split are the tutorial's, as engine/tutorials/t001.py makes them
    data, expected = page_state(at).run.data, t001.tutorial_data(seed=0)
    for key in expected:
        np.testing.assert_array_equal(data[key], expected[key])
    assert np.all((data["X_train"].mean(axis=1) > 5) == (data["y_train"] == 0))  # labels as printed
    w, b = start_weights(at)

    at = play_to_the_end(at)
    assert metric(at, "Updates") == "5000"  # 1000 epochs of 5 batches (32, 32, 32, 32, 22)
    assert metric(at, "Test accuracy") == "100%"
    assert ("**Tutorial 001 printed test accuracy 1.000**; this run after all its epochs: "
            "**1.000** (50 of 50 test points).") in texts(at)
    # the page's unit is the engine's Adam, stepped as the engine steps it
    unit = page_state(at).run.unit
    assert isinstance(unit.optimizer, Adam) and unit.optimizer.t == 5000
    twin = SigmoidNeuron(lr=0.001, loss="bce", optimizer="adam")
    twin.w, twin.b = w, b
    UnitTrainer(twin, data["X_train"], data["y_train"], batch_size=32,
                seed=at.number_input(key="perceptron_seed").value).step(5000)
    np.testing.assert_array_equal(unit.w, twin.w)
    assert unit.b == twin.b

    at.button(key="perceptron_t001_spread").click()
    at = rerun(at)
    spread = t001.run(5)[0]["ours"]
    shown = next(t for t in texts(at) if t.startswith("Over 5 random starts"))
    assert f"from **{min(spread):.3f}** to **{max(spread):.3f}**" in shown
    assert min(spread) == 1.0  # what the tutorial printed, at every start


def test_changing_a_setting_of_the_preset_drops_the_comparison(app):
    app.button(key="perceptron_preset_t001").click()
    at = rerun(app)
    assert any(t.startswith("**Tutorial 001 printed") for t in texts(at))
    at.number_input(key="perceptron_lr_adam").set_value(0.01)
    at = rerun(at)
    assert not any(t.startswith("**Tutorial 001 printed") for t in texts(at))
    assert not any("Tutorial 001's set-up" in m.value for m in at.info)


def tutorial_002_loop(seed, iterations):
    """Tutorial 002's NeuralNetwork and train(), as printed, after np.random.seed(seed)."""
    X = np.array([[3, 1.5], [2, 1], [4, 1.5], [3, 4], [3.5, 0.5], [2, 0.5], [5.5, 1], [1, 1]])
    t = np.array([0, 1, 0, 1, 0, 1, 1, 0])
    rng = np.random.RandomState(seed)
    weights = np.array([rng.randn(), rng.randn()])
    bias = rng.randn()
    errors = []
    for i in range(iterations):
        k = rng.randint(len(X))
        p = sigmoid(X[k] @ weights + bias)
        d = 2 * (p - t[k]) * sigmoid(X[k] @ weights + bias) * (1 - sigmoid(X[k] @ weights + bias))
        bias, weights = bias - 0.1 * d, weights - 0.1 * d * X[k]
        if i % 100 == 0:
            errors.append(sum(np.square(sigmoid(x @ weights + bias) - y) for x, y in zip(X, t)))
    return errors


def test_tutorial_002_set_up_replays_the_tutorials_loop(app):
    app.button(key="perceptron_preset_t002").click()
    at = rerun(app)
    assert at.selectbox(key="perceptron_dataset").value == "The 8-point set"
    assert at.radio(key="perceptron_loss").value == "mse"
    assert at.selectbox(key="perceptron_optimizer").value == "sgd"
    assert at.number_input(key="perceptron_lr_sgd").value == 0.1
    assert at.radio(key="perceptron_batch_mode").value.startswith("Stochastic")
    assert at.radio(key="perceptron_order").value == "replacement"
    assert at.number_input(key="perceptron_epochs_eight").value == 1250  # 10,000 updates
    assert any(c.value == "= 10,000 updates" for c in at.caption)
    seed = at.number_input(key="perceptron_seed").value
    np.testing.assert_array_equal([*start_weights(at)[0], start_weights(at)[1]],
                                  np.random.RandomState(seed).randn(3))  # randn, as printed
    at = play_to_the_end(at)
    assert metric(at, "Updates") == "10000"
    error = chart(at, "perceptron_tutorial_chart")["data"][0]
    x, y = as_array(error["x"]), as_array(error["y"])
    np.testing.assert_array_equal(x, [0, *range(1, 10_000, 100)])
    expected = tutorial_002_loop(seed, 10_000)
    assert len(expected) == 100
    np.testing.assert_allclose(y[1:], expected, rtol=1e-9)
    assert y[-1] < y[0]  # the error falls, as the tutorial's chart shows
    caption = next(c.value for c in at.caption if c.value.startswith("E = "))
    assert caption.startswith(f"E = {float(f'{y[0]:.4g}'):g} before training; "
                              f"{float(f'{y[-1]:.4g}'):g} after update 9,901.")


def test_exact_weights_can_be_typed_and_the_slider_follows(app):
    app.radio(key="perceptron_model").set_value(app.radio(key="perceptron_model").options[1])
    at = rerun(app)
    at.number_input(key="perceptron_w1_typed").set_value(1.45)
    at.number_input(key="perceptron_w2_typed").set_value(-0.66)
    at.number_input(key="perceptron_b_typed").set_value(0.0)
    at = rerun(at)
    assert [at.slider(key=k).value for k in ("perceptron_w1", "perceptron_w2", "perceptron_b")] \
        == [1.45, -0.66, 0.0]
    unit = page_state(at).run.unit
    assert unit.w.tolist() == [1.45, -0.66] and unit.b == 0.0
    # tutorial 002's prediction for [2, 1.5] with these weights: 0.87101915
    assert unit.output([2.0, 1.5]) == pytest.approx(0.87101915, abs=1e-8)
    assert any(r"1.45\,x_1 - 0.66\,x_2" in latex.value for latex in at.latex)
    at.slider(key="perceptron_w1").set_value(0.1)  # the slider writes the box
    at = rerun(at)
    assert at.number_input(key="perceptron_w1_typed").value == 0.1


def test_a_solution_sets_the_boxes_too(app):
    app.button(key="perceptron_solution").click()
    at = rerun(app)
    assert [at.number_input(key=f"perceptron_{k}_typed").value for k in ("w1", "w2", "b")] \
        == [1.0, 1.0, -1.0]
    assert any("g(−1 + 1 + 1) = g(−1) = 1: a typo" in c.value for c in at.caption)


def test_any_learning_rate_in_range_is_used_and_others_are_refused_in_words(app):
    app.radio(key="perceptron_batch_mode").set_value(app.radio(key="perceptron_batch_mode").options[2])
    app.number_input(key="perceptron_lr_perceptron").set_value(0.05)  # tutorial 003's rate
    at = rerun(app)
    w, b = start_weights(at)
    at.button(key="perceptron_step_update").click()
    at = rerun(at)
    error = OR_Y - step(OR_X @ w + b)
    np.testing.assert_allclose(weights_shown(at), np.append(w + 0.05 * OR_X.T @ error,
                                                            b + 0.05 * error.sum()), atol=1e-9)
    for bad in (0.0, -0.1, 1000.0):
        at.number_input(key="perceptron_lr_perceptron").set_value(bad)
        at = rerun(at)
        assert any("The learning rate must be a number from 1e-06 to 100" in e.value
                   for e in at.error), bad
        assert at.button(key="perceptron_play").disabled
        assert at.button(key="perceptron_step_update").disabled
    assert page_state(at).run.unit.lr == 0.05  # the last good one
    at.number_input(key="perceptron_lr_perceptron").set_value(0.5)
    at = rerun(at)
    assert not at.error and not at.button(key="perceptron_step_update").disabled


def test_the_sigmoid_neuron_offers_every_engine_optimizer_and_adam_steps_as_the_engine(app):
    from engine import optimizers

    app.radio(key="perceptron_model").set_value(app.radio(key="perceptron_model").options[1])
    app.radio(key="perceptron_batch_mode").set_value(app.radio(key="perceptron_batch_mode").options[2])
    at = rerun(app)
    box = at.selectbox(key="perceptron_optimizer")
    assert len(box.options) == len(optimizers.OPTIMIZERS)
    assert box.options[0] == "plain gradient descent (SGD)" and "Adam" in box.options
    at.radio(key="perceptron_loss").set_value("bce")
    box.set_value("adam")
    at = rerun(at)
    assert at.number_input(key="perceptron_lr_adam").value == 0.001  # the engine's default
    at.number_input(key="perceptron_lr_adam").set_value(0.1)
    at = rerun(at)
    w, b = start_weights(at)
    for _ in range(3):
        at.button(key="perceptron_step_update").click()
        at = rerun(at)
    adam, params = optimizers.Adam(lr=0.1), np.append(w, b)
    for _ in range(3):
        delta = (sigmoid(OR_X @ params[:2] + params[2]) - OR_Y) / 4
        adam.step(params, np.append(OR_X.T @ delta, delta.sum()))
    np.testing.assert_allclose(weights_shown(at), params, rtol=1e-3, atol=1e-3)  # 4 digits
    np.testing.assert_allclose([*page_state(at).run.unit.w, page_state(at).run.unit.b], params,
                               rtol=1e-12)
    assert any("Adam's step" in t for t in texts(at))


def test_a_new_engine_optimizer_reaches_the_page_and_trains(app, monkeypatch):
    from engine import optimizers

    class HalfSGD(optimizers.SGD):
        name = "half_sgd"

        def step(self, params, grads):
            super().step(params, grads / 2)

    monkeypatch.setitem(optimizers.OPTIMIZERS, "half_sgd", HalfSGD)
    app.radio(key="perceptron_model").set_value(app.radio(key="perceptron_model").options[1])
    at = rerun(app)
    assert "half_sgd" in at.selectbox(key="perceptron_optimizer").options  # no label yet
    at.selectbox(key="perceptron_optimizer").set_value("half_sgd")
    at = rerun(at)
    at.button(key="perceptron_step_update").click()
    at = rerun(at)
    unit = page_state(at).run.unit
    assert isinstance(unit.optimizer, HalfSGD) and unit.optimizer.t == 1


def test_blobs_go_to_the_tutorials_separation_with_its_labels(app):
    app.selectbox(key="perceptron_dataset").set_value("Two blobs")
    at = rerun(app)
    separation = at.slider(key="perceptron_separation")
    assert separation.value == 10.0 and separation.max >= 10.0
    data = page_state(at).run.data
    X = np.concatenate([data["X_train"], data["X_test"]])
    y = np.concatenate([data["y_train"], data["y_test"]])
    np.testing.assert_allclose(X[y == 0].mean(axis=0), [10, 10], atol=0.5)  # class 0 moved
    np.testing.assert_allclose(X[y == 1].mean(axis=0), [0, 0], atol=0.5)
    assert any("random_state=42" in c.value for c in at.caption)


# ----------------------------------------------------------------------------
# The loss landscape (issue 12, part 2)
# ----------------------------------------------------------------------------


def sigmoid_full_batch(app, loss="bce"):
    app.radio(key="perceptron_model").set_value(app.radio(key="perceptron_model").options[1])
    app.radio(key="perceptron_batch_mode").set_value(app.radio(key="perceptron_batch_mode").options[2])
    at = rerun(app)
    at.radio(key="perceptron_loss").set_value(loss)
    return rerun(at)


def landscape_traces(at):
    figure = chart(at, "perceptron_landscape_chart")
    return {trace.get("name"): trace for trace in figure["data"]}


def map_value_at(at, x_value, y_value):
    """The contour's z where x = x_value and y = y_value exactly (a node of the map)."""
    contour = landscape_traces(at)["training loss"]
    xs, ys = as_array(contour["x"]), as_array(contour["y"])
    z = contour["z"]
    z = as_array(z).reshape(len(ys), len(xs)) if isinstance(z, dict) else np.array(z, float)
    (c,), (r,) = np.flatnonzero(xs == x_value), np.flatnonzero(ys == y_value)
    return z[r, c]


@pytest.mark.parametrize("loss", ["bce", "mse"])
def test_the_landscape_at_the_current_weights_is_the_loss_the_page_reports(app, loss):
    at = sigmoid_full_batch(app, loss)
    for _ in range(3):
        at.button(key="perceptron_step_update").click()
        at = rerun(at)
    unit = page_state(at).run.unit
    curve = next(t for t in chart(at, "perceptron_loss_chart")["data"] if t["name"] == "training points")
    reported = as_array(curve["y"])[-1]
    assert map_value_at(at, unit.w[0], unit.w[1]) == pytest.approx(reported, rel=1e-12)
    assert metric(at, "Loss at the star (now)") == f"{reported:.4f}"
    traces = landscape_traces(at)
    assert as_array(traces["now"]["x"]).tolist() == [unit.w[0]]
    assert as_array(traces["now"]["y"]).tolist() == [unit.w[1]]
    path_x = as_array(traces["this run"]["x"])
    assert len(path_x) == 5 and path_x[-1] == unit.w[0]  # the start, 3 updates, now
    # over (w1, b), w2 held: the map's value at (w1, b) is still the page's loss
    at.radio(key="perceptron_landscape_axes").set_value("b")
    at = rerun(at)
    assert map_value_at(at, unit.w[0], unit.b) == pytest.approx(reported, rel=1e-12)
    assert any("w₂ = " in t and "held" in t for t in texts(at))


def test_compared_optimizers_end_where_the_engines_optimizers_take_them(app):
    from engine import optimizers

    at = sigmoid_full_batch(app)
    w, b = start_weights(at)
    lr = at.number_input(key="perceptron_lr_sgd").value
    epochs = at.number_input(key="perceptron_epochs_other").value
    at.toggle(key="perceptron_landscape_compare").set_value(True)
    at = rerun(at)
    traces = landscape_traces(at)
    updates = page_state(at).run.landscape["compared"][5]
    assert updates == epochs == 20  # the page's 20 epochs of one full-batch update
    for name in optimizers.OPTIMIZERS:
        from ui.neuron_landscape import SHORT_NAMES
        trace = traces[SHORT_NAMES[name]]
        optimizer, params = optimizers.get(name, lr=lr), np.append(w, b)
        for _ in range(updates):  # by hand: the gradient of the mean BCE, the engine's step
            delta = (sigmoid(OR_X @ params[:2] + params[2]) - OR_Y) / 4
            optimizer.step(params, np.append(OR_X.T @ delta, delta.sum()))
        x, y = as_array(trace["x"]), as_array(trace["y"])
        assert len(x) == updates + 1 and (x[0], y[0]) == (w[0], w[1])
        np.testing.assert_allclose([x[-1], y[-1]], params[:2], rtol=1e-9)
    assert any("Why the paths differ" in t for t in texts(at))
    at.toggle(key="perceptron_landscape_compare").set_value(False)
    at = rerun(at)
    assert set(landscape_traces(at)) == {"training loss", "this run", "start", "now"}
