"""AppTest checks of the Activations page: curves, parameters, properties, the XOR demo."""

import base64
import json

import numpy as np
import pytest

from engine import activations

PAGE = "../../app_pages/activations.py"


def chart(at, key):
    """The figure dict ({"data": [...], "layout": {...}}) of the plotly chart with `key`."""
    for element in at.get("plotly_chart"):
        if element.proto.id.endswith("-" + key):     # ids look like "$$ID-<hash>-<key>"
            return json.loads(element.proto.spec)
    raise AssertionError(f"no plotly chart with key {key!r}")


def as_array(values):
    """A plotly data array: a JSON list, or numpy's typed-array form {"dtype", "bdata"}."""
    if isinstance(values, dict):
        values = np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
    return np.asarray(values, dtype=float)


def traces(at, key):
    """name -> (x, y) of every trace of a chart, as float arrays."""
    return {t["name"]: (as_array(t["x"]), as_array(t["y"])) for t in chart(at, key)["data"]}


def dataframe(at, column):
    """The table (a pandas DataFrame) that has a column named `column`."""
    for element in at.dataframe:
        if column in element.value.columns:
            return element.value
    raise AssertionError(f"no table with a column {column!r}")


def test_default_page_draws_both_charts_with_the_engine_values(app):
    for key in ("activations_value_chart", "activations_slope_chart"):
        names = set(traces(app, key))
        assert names == {"sigmoid", "tanh", "ReLU"}
    x, y = traces(app, "activations_value_chart")["tanh"]
    assert x[0] == -5.0 and x[-1] == 5.0
    np.testing.assert_allclose(y, np.tanh(x), atol=1e-12)
    x, dy = traces(app, "activations_slope_chart")["sigmoid"]
    s = 1 / (1 + np.exp(-x))
    np.testing.assert_allclose(dy, s * (1 - s), atol=1e-12)


def test_selecting_another_activation_adds_its_traces(app):
    app.multiselect(key="activations_selected").select("gelu").run()
    assert not app.exception
    value_traces = traces(app, "activations_value_chart")
    assert set(value_traces) == {"sigmoid", "tanh", "ReLU", "GELU"}
    x, y = value_traces["GELU"]
    np.testing.assert_allclose(y, activations.get("gelu").fn(x), atol=1e-12)

    app.multiselect(key="activations_selected").unselect("sigmoid").run()
    assert set(traces(app, "activations_slope_chart")) == {"tanh", "ReLU", "GELU"}


def test_changing_the_x_range_redraws_over_the_new_range(app):
    app.slider(key="activations_x_range").set_value((-2.0, 8.0)).run()
    x, _ = traces(app, "activations_value_chart")["ReLU"]
    assert (x[0], x[-1]) == (-2.0, 8.0)


def test_leaky_slope_slider_changes_the_curve(app):
    app.multiselect(key="activations_selected").set_value(["leaky_relu"]).run()
    x, y_before = traces(app, "activations_value_chart")["leaky ReLU"]
    assert x[0] == -5.0
    assert app.slider(key="activations_leaky_slope").value == 0.01  # tutorial 003's a
    assert y_before[0] == pytest.approx(-0.05)

    app.slider(key="activations_leaky_slope").set_value(0.5).run()
    assert not app.exception
    x, y_after = traces(app, "activations_value_chart")["leaky ReLU"]
    assert y_after[0] == pytest.approx(-2.5)           # f(-5) = 0.5 * -5
    _, slope = traces(app, "activations_slope_chart")["leaky ReLU"]
    assert slope[0] == pytest.approx(0.5) and slope[-1] == pytest.approx(1.0)
    positive = x >= 0
    np.testing.assert_array_equal(y_after[positive], y_before[positive])  # x >= 0 unchanged


def test_rrelu_shows_mean_slope_curve_and_samples_inside_the_range(app):
    app.multiselect(key="activations_selected").set_value(["rrelu"]).run()
    app.slider(key="activations_rrelu_range").set_value((0.1, 0.5)).run()
    assert not app.exception
    value_traces = traces(app, "activations_value_chart")
    x, y = value_traces["randomized ReLU"]
    assert y[0] == pytest.approx(-5.0 * 0.3)           # inference: mean slope (0.1 + 0.5) / 2
    xs, ys = value_traces["RReLU samples"]
    negative = xs < 0
    slopes = ys[negative] / xs[negative]
    assert slopes.min() >= 0.1 and slopes.max() <= 0.5
    assert slopes.std() > 0.05                          # really random, not one slope

    app.checkbox(key="activations_rrelu_samples").uncheck().run()
    assert set(traces(app, "activations_value_chart")) == {"randomized ReLU"}
    # tutorial 003's own definition ("a not 0.01 is randomized") is corrected where the formula is
    assert any("Tutorial 003 calls a leaky ReLU" in m.value for m in app.markdown)


def test_softmax_is_drawn_as_the_first_output_of_softmax_x_0(app):
    app.multiselect(key="activations_selected").set_value(["softmax", "sigmoid"]).run()
    assert not app.exception
    value_traces = traces(app, "activations_value_chart")
    soft = next(v for k, v in value_traces.items() if k.startswith("softmax"))
    np.testing.assert_allclose(soft[1], value_traces["sigmoid"][1], atol=1e-9)


def test_softmax_on_three_scores_gives_probabilities_that_follow_the_scores(app):
    app.multiselect(key="activations_selected").set_value(["softmax"]).run()
    app.slider(key="activations_softmax_z0").set_value(0.0).run()
    app.slider(key="activations_softmax_z1").set_value(0.0).run()
    app.slider(key="activations_softmax_z2").set_value(1.0).run()
    assert not app.exception
    bars = chart(app, "activations_softmax_bars")["data"][0]
    e = np.exp(1.0)                                     # softmax([0, 0, 1]) = [1, 1, e] / (2 + e)
    np.testing.assert_allclose(as_array(bars["y"]), [1 / (2 + e), 1 / (2 + e), e / (2 + e)],
                               rtol=1e-6)


def test_every_registered_activation_is_offered_and_drawn(app):
    names = list(activations.ACTIVATIONS)
    assert len(app.multiselect(key="activations_selected").options) == len(names)
    app.multiselect(key="activations_selected").set_value(names).run()
    assert not app.exception
    for key in ("activations_value_chart", "activations_slope_chart"):
        drawn = traces(app, key)
        lines = [name for name in drawn if "samples" not in name]
        assert len(lines) == len(names)                  # one curve per activation
        assert all(np.isfinite(y).all() for _, y in drawn.values())
    assert len(dataframe(app, "name in code")) == len(names)


def test_properties_table_has_one_row_per_activation_with_engine_values(app):
    chosen = ["step", "relu", "silu", "softmax"]
    app.multiselect(key="activations_selected").set_value(chosen).run()
    table = dataframe(app, "name in code")
    assert list(table["name in code"]) == chosen
    for _, row in table.iterrows():
        props = activations.get(row["name in code"]).properties()
        assert row["output range"] == props["output range"]
        for column in ("zero-centred", "monotonic", "saturates", "units can die"):
            assert row[column] == ("yes" if props[column] else "no"), (row["name in code"], column)
    markdown = " ".join(m.value for m in app.markdown)
    for name in chosen:
        assert activations.get(name).used_for in markdown


def test_two_linear_layers_equal_one(app):
    table = dataframe(app, "two layers: y₁")
    assert len(table) == 5
    two = table[["two layers: y₁", "two layers: y₂"]].to_numpy()
    one = table[["one layer W, b: y₁", "one layer W, b: y₂"]].to_numpy()
    np.testing.assert_allclose(two, one, atol=1e-5)
    assert np.abs(two).max() > 0.1                      # not trivially zero

    app.button(key="activations_collapse_new").click().run()
    new_table = dataframe(app, "two layers: y₁")
    assert not np.allclose(new_table["x₁"], table["x₁"])  # new inputs and weights


def xor_accuracy(at):
    metric = next(m for m in at.metric if m.label == "Accuracy on XOR")
    return float(metric.value.rstrip("%")) / 100


def test_xor_tanh_hidden_layer_gets_every_row_right(app):
    assert app.radio(key="activations_xor_hidden").value == "tanh"
    assert xor_accuracy(app) == 1.0
    table = dataframe(app, "XOR (target)")
    assert list(table["XOR (target)"]) == [0, 1, 1, 0]
    assert list(table["predicted class"]) == [0, 1, 1, 0]
    assert len(app.success) == 1


def test_xor_linear_hidden_layer_cannot(app):
    app.radio(key="activations_xor_hidden").set_value("linear").run()
    assert not app.exception
    assert xor_accuracy(app) <= 0.75
    table = dataframe(app, "XOR (target)")
    assert (table["predicted class"] != table["XOR (target)"]).any()
    assert len(app.error) == 1 and "75%" in app.error[0].value
