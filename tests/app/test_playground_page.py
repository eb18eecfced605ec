"""AppTest checks of the Network playground: URL settings, fallbacks, inputs, data, training."""

import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from engine import datasets
from engine.optimizers import Adam, SGD
from ui.state import PlaygroundState
from ui.text import WORD_JOINER

PAGE = "../../app_pages/playground.py"
TIMEOUT_S = 60

# Every default, as the page writes it into the URL.
DEFAULT_URL = {
    "data": "circle", "noise": "0", "points": "500", "train": "50", "seed": "0", "wseed": "0",
    "test": "1", "discretize": "0", "speed": "1", "compare": "0",
    "inputs": "x1,x2", "hidden": "4,2", "act": "tanh", "loss": "ce", "opt": "sgd",
    "lr": "0.03", "batch": "10", "reg": "none", "rate": "0",
}


def open_page(query=None):
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT_S)
    at.query_params.update(query or {})
    at.run()
    assert not at.exception, at.exception
    return at


def page_state(at):
    """The page's PlaygroundState (its runs, data and live flags)."""
    return at.session_state[PlaygroundState.KEY]


def runs_of(at):
    return page_state(at).runs


def run_of(at, network="a"):
    return runs_of(at)[network]


def data_of(at):
    return page_state(at).data


def live_html(at):
    """The HTML of the live view (one block per network)."""
    return [h.value for h in at.html if 'class="pg"' in h.value]


def shown(markdown):
    """What Markdown shows of a message: backslash escapes undone, word joiners left out."""
    return re.sub(r"\\(.)", r"\1", markdown).replace(WORD_JOINER, "")


def warning_text(at):
    return shown("\n".join(w.value for w in at.warning))


def error_text(at):
    return shown("\n".join(e.value for e in at.error))


def test_default_page_trains_the_default_network_and_writes_every_setting_to_the_url():
    at = open_page()
    assert at.query_params == DEFAULT_URL
    run = run_of(at)
    assert run.model.sizes == [2, 4, 2, 1]
    assert [layer.activation.name for layer in run.model.layers] == ["tanh", "tanh", "sigmoid"]
    assert run.trainer.loss.name == "binary_cross_entropy"
    assert isinstance(run.trainer.optimizer, SGD) and run.trainer.optimizer.lr == 0.03
    data = data_of(at)
    assert len(data.X_train) == 250 and len(data.X_test) == 250
    (html,) = live_html(at)
    assert 'data-pg="epoch">0<' in html
    assert "Layer 1<br>4 tanh" in html and "Layer 2<br>2 tanh" in html
    assert not at.warning


def test_settings_in_the_url_are_applied():
    query = {
        "data": "spiral3", "noise": "20", "points": "300", "train": "70", "seed": "7",
        "wseed": "3", "test": "0", "discretize": "1", "speed": "5", "inputs": "x1,x2,sinx1",
        "hidden": "8,6,4", "act": "relu,tanh,elu", "loss": "ce", "opt": "adam", "lr": "0.1",
        "batch": "5", "reg": "l2", "rate": "0.01",
    }
    at = open_page(query)
    assert not at.warning
    # the widgets show the link's settings
    assert at.selectbox(key="playground_data").value == "spiral3"
    assert at.slider(key="playground_noise").value == 20
    assert at.slider(key="playground_points").value == 300
    assert at.slider(key="playground_train").value == 70
    assert at.number_input(key="playground_seed").value == 7
    assert at.number_input(key="playground_wseed").value == 3
    assert at.toggle(key="playground_test").value is False
    assert at.toggle(key="playground_discretize").value is True
    assert at.select_slider(key="playground_speed").value == 5
    assert at.pills(key="playground_a_inputs").value == ["x1", "x2", "sinx1"]
    assert at.number_input(key="playground_a_layers").value == 3
    assert [at.number_input(key=f"playground_a_units{i}").value for i in range(3)] == [8, 6, 4]
    assert [at.selectbox(key=f"playground_a_act{i}").value for i in range(3)] == \
        ["relu", "tanh", "elu"]
    assert at.select_slider(key="playground_a_lr").value == 0.1
    # and the network and data are built from them: 3 classes -> 3 softmax outputs
    run = run_of(at)
    assert run.model.sizes == [3, 8, 6, 4, 3]
    assert [layer.activation.name for layer in run.model.layers] == \
        ["relu", "tanh", "elu", "softmax"]
    assert run.trainer.loss.name == "cross_entropy"
    assert isinstance(run.trainer.optimizer, Adam) and run.trainer.optimizer.lr == 0.1
    assert (run.trainer.l1, run.trainer.l2) == (0.0, 0.01)
    assert run.trainer.batch_size == 5
    data = data_of(at)
    assert (len(data.X_train), len(data.X_test)) == (210, 90)  # 70% of 300 for training
    X, y = datasets.spiral(300, 0.2, classes=3, seed=7)
    X_train, _, y_train, _ = datasets.train_test_split(X, y, test_size=0.3, seed=7)
    np.testing.assert_array_equal(data.X_train, X_train)
    np.testing.assert_array_equal(data.y_train, y_train)
    # the URL keeps them (a link round-trips)
    assert all(at.query_params[name] == value for name, value in query.items())
    # three classes get three colours in the legend; no test points drawn
    (html,) = live_html(at)
    assert "class 2" in html


def test_invalid_url_values_fall_back_to_defaults_with_a_note():
    at = open_page({"hidden": "99,x", "lr": "banana", "data": "nope", "noise": "300",
                    "act": "swish", "test": "maybe", "speed": "7", "colour": "red"})
    notes = warning_text(at)
    for name, value in (("hidden", "99,x"), ("lr", "banana"), ("data", "nope"),
                        ("noise", "300"), ("act", "swish"), ("test", "maybe"), ("speed", "7")):
        assert f"`{name}` = “{value}”" in notes, name
    assert "Unknown setting “colour” ignored." in notes
    assert "expected up to 6 hidden layers of 1 to 16 units each" in notes
    assert "e.g. 4,2 (or none)" in notes
    run = run_of(at)
    assert run.model.sizes == [2, 4, 2, 1]
    assert run.trainer.optimizer.lr == 0.03
    assert at.selectbox(key="playground_data").value == "circle"
    assert at.slider(key="playground_noise").value == 0
    # the URL is rewritten with the values in use; the unknown name is dropped
    assert at.query_params == DEFAULT_URL


def test_too_few_activations_for_the_layers_fall_back_to_the_first():
    at = open_page({"hidden": "5,5,5", "act": "relu,tanh"})
    assert "2 activations for 3 hidden layers" in warning_text(at)
    assert [layer.activation.name for layer in run_of(at).model.layers] == \
        ["relu", "relu", "relu", "sigmoid"]


def test_csv_data_from_a_link_asks_for_the_file():
    at = open_page({"data": "csv"})
    assert not at.warning
    message = "\n".join(i.value for i in at.info)
    assert "upload a CSV file" in message and "cannot carry the file" in message
    assert not runs_of(at)


def test_compare_builds_two_networks_from_the_url():
    at = open_page({"compare": "1", "hidden": "3", "b_hidden": "8,8", "b_act": "relu",
                    "b_lr": "0.3"})
    a, b = run_of(at, "a"), run_of(at, "b")
    assert a.model.sizes == [2, 3, 1] and b.model.sizes == [2, 8, 8, 1]
    assert b.acts == ["relu", "relu"]
    assert (a.trainer.optimizer.lr, b.trainer.optimizer.lr) == (0.03, 0.3)
    assert len(live_html(at)) == 2
    assert at.query_params["b_hidden"] == "8,8" and at.query_params["compare"] == "1"
    # both networks train in lockstep on the same data
    at.button(key="playground__step").click().run()
    assert (run_of(at, "a").epoch, run_of(at, "b").epoch) == (1, 1)


def test_compare_without_b_settings_starts_b_as_a_copy_of_a():
    at = open_page({"compare": "1", "hidden": "5", "act": "sigmoid"})
    assert run_of(at, "b").model.sizes == [2, 5, 1]
    assert run_of(at, "b").acts == ["sigmoid"]


@pytest.mark.parametrize("inputs", ["x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2", "x1x2", "sinx2,x1sq"])
def test_feature_transforms_feed_the_network(inputs):
    at = open_page({"inputs": inputs})
    run, data = run_of(at), data_of(at)
    names = inputs.split(",")
    order = ["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"]
    names = [name for name in order if name in names]  # the page keeps its own order
    x1, x2 = data.X_train[:, 0].astype(np.float64), data.X_train[:, 1].astype(np.float64)
    expected = {"x1": x1, "x2": x2, "x1sq": x1 ** 2, "x2sq": x2 ** 2, "x1x2": x1 * x2,
                "sinx1": np.sin(x1), "sinx2": np.sin(x2)}
    assert run.model.sizes[0] == len(names)
    for column, name in enumerate(names):
        np.testing.assert_allclose(run.X_train[:, column], expected[name], rtol=1e-6, atol=1e-6)
    # the pictures use the same transform, on the grid of the picture
    g1, g2 = data.grid[:, 0].astype(np.float64), data.grid[:, 1].astype(np.float64)
    on_grid = {"x1": g1, "x2": g2, "x1sq": g1 ** 2, "x2sq": g2 ** 2, "x1x2": g1 * g2,
               "sinx1": np.sin(g1), "sinx2": np.sin(g2)}
    for column, name in enumerate(names):
        np.testing.assert_allclose(run.grid_inputs[:, column], on_grid[name], rtol=1e-6,
                                   atol=1e-6)


def test_picking_inputs_in_the_widget_rebuilds_the_network():
    at = open_page()
    at.pills(key="playground_a_inputs").set_value(["x1", "x2", "x1x2"]).run()
    run = run_of(at)
    assert run.model.sizes == [3, 4, 2, 1]
    assert at.query_params["inputs"] == "x1,x2,x1x2"
    (html,) = live_html(at)
    assert "x₁x₂" in html


def test_no_input_selected_falls_back_to_x1_x2_with_a_warning():
    at = open_page()
    at.pills(key="playground_a_inputs").set_value([]).run()
    assert "no input selected" in warning_text(at)
    assert run_of(at).model.sizes[0] == 2


def test_bad_csv_shows_a_clear_error_and_no_traceback():
    at = open_page({"data": "csv"})
    at.file_uploader(key="playground__csv").set_value(
        ("points.csv", b"x1,x2,label\n1,2,0\n3,four,1\n", "text/csv")).run()
    assert not at.exception
    message = error_text(at)
    assert "points.csv" in message and "line 3, column 2" in message and "'four'" in message
    assert "x1, x2, label" in message
    assert "could not be read" in "\n".join(i.value for i in at.info)
    assert not runs_of(at)


def test_good_csv_is_split_and_trained_on():
    rows = ["x1,x2,label"] + [f"{i % 7 - 3},{i % 5 - 2},{1 if i % 2 else -1}" for i in range(40)]
    at = open_page({"data": "csv", "train": "80"})
    at.file_uploader(key="playground__csv").set_value(
        ("mine.csv", "\n".join(rows).encode(), "text/csv")).run()
    assert not at.error
    data = data_of(at)
    assert (len(data.X_train), len(data.X_test)) == (32, 8)
    assert set(np.unique(data.y_train)) <= {0, 1}  # labels -1/1 renumbered to 0/1
    assert run_of(at).model.sizes == [2, 4, 2, 1]


def test_step_trains_one_epoch_and_reset_goes_back_to_the_same_start():
    at = open_page()
    start = run_of(at).model.params.copy()
    at.button(key="playground__step").click().run()
    run = run_of(at)
    assert run.epoch == 1
    assert run.curves["epoch"] == [0, 1]
    assert not np.array_equal(run.model.params, start)
    assert run.curves["train_loss"][1] < run.curves["train_loss"][0]
    (html,) = live_html(at)
    assert 'data-pg="epoch">1<' in html
    at.button(key="playground__reset").click().run()
    run = run_of(at)
    assert run.epoch == 0
    np.testing.assert_array_equal(run.model.params, start)  # the same seed, the same start


def test_learning_rate_and_regularization_apply_without_restarting():
    at = open_page()
    at.button(key="playground__step").click().run()
    before = run_of(at)
    at.select_slider(key="playground_a_lr").set_value(0.3).run()
    at.selectbox(key="playground_a_reg").set_value("l1").run()
    at.select_slider(key="playground_a_rate").set_value(0.001).run()
    run = run_of(at)
    assert run is before and run.epoch == 1  # the same training continues
    assert run.trainer.optimizer.lr == 0.3
    assert (run.trainer.l1, run.trainer.l2) == (0.001, 0.0)
    assert at.query_params["reg"] == "l1" and at.query_params["rate"] == "0.001"


def test_changing_the_layers_rebuilds_and_redraws_the_network():
    at = open_page()
    at.number_input(key="playground_a_layers").set_value(3).run()
    run = run_of(at)
    assert run.model.sizes == [2, 4, 2, 2, 1]  # a new layer copies the one before it
    assert at.query_params["hidden"] == "4,2,2"
    (html,) = live_html(at)
    assert "Layer 3<br>2 tanh" in html
    at.number_input(key="playground_a_layers").set_value(0).run()
    assert run_of(at).model.sizes == [2, 1]
    assert at.query_params["hidden"] == "none"


def test_weights_are_drawn_with_their_values_and_signs():
    at = open_page({"hidden": "3"})
    run = run_of(at)
    (html,) = live_html(at)
    W = run.model.layers[0].W
    for j, name in enumerate(("x₁", "x₂")):
        for k in range(3):
            w = float(W[j, k])
            colour = "#4e79a7" if w >= 0 else "#f28e2b"
            pattern = (rf'title="weight from {name} to unit {k + 1} of layer 1: '
                       rf'{re.escape(f"{w:+.4f}")}"[^>]*background:{colour}')
            assert re.search(pattern, html), (name, k, w)


def test_a_diverging_network_stops_with_advice_instead_of_a_traceback():
    at = open_page({"inputs": "x1,x2,x1sq,x2sq", "hidden": "8,8", "act": "linear",
                    "lr": "3", "opt": "sgd"})
    at.button(key="playground__step").click().run()
    assert not at.exception
    assert "smaller learning rate" in "\n".join(e.value for e in at.error)
    assert run_of(at).error is not None


def test_logic_gate_points_sit_at_the_corners():
    at = open_page({"data": "gate_xor", "noise": "0", "points": "40"})
    data = data_of(at)
    X = np.concatenate([data.X_train, data.X_test])
    y = np.concatenate([data.y_train, data.y_test])
    assert set(map(tuple, X.tolist())) == {(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)}
    xor = (X[:, 0] != X[:, 1]).astype(int)
    np.testing.assert_array_equal(y, xor)
    assert data.window == (-0.5, 1.5)


def test_new_data_and_new_start_change_the_seeds_in_the_url():
    at = open_page()
    at.button(key="playground__new_data").click().run()
    at.button(key="playground__new_weights").click().run()
    assert at.query_params["seed"] == "1" and at.query_params["wseed"] == "1"


@pytest.mark.parametrize("name", [
    "Spiral with 3 classes: a softmax output",
    "Compare: the same big network without / with L2 regularization",
    "XOR: the product x₁x₂ is all you need",
])
def test_presets_load_their_settings(name):
    at = open_page()
    at.selectbox(key="playground_preset").set_value(name).run()
    assert not at.exception
    assert at.selectbox(key="playground_preset").value is None  # ready for the next one
    runs = runs_of(at)
    if name.startswith("Spiral"):
        assert runs["a"].model.sizes == [4, 8, 8, 3]
    elif name.startswith("Compare"):
        assert runs["a"].trainer.l2 == 0.0 and runs["b"].trainer.l2 == 0.03
        assert runs["a"].model.sizes == runs["b"].model.sizes == [2, 16, 16, 16, 1]
    else:
        assert runs["a"].model.sizes == [1, 1]
        assert at.query_params["inputs"] == "x1x2"
