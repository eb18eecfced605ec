"""AppTest of ui.tutorial_worked: the numbers shown are the engine's; typing, the switch, limits.

The section runs on its own (AppTest.from_string); the expected numbers come
from engine/tutorials/t002.py and t003.py, and the tutorial's printed figures
from the tutorial text, so a page that shows other numbers fails.
"""

import math

import pytest
from streamlit.testing.v1 import AppTest

from engine.tutorials import t002, t003
from ui import tutorial_worked as tw

SCRIPT = "from ui import tutorial_worked\ntutorial_worked.section()"
KEY = tw.KEY


@pytest.fixture
def app():
    at = AppTest.from_string(SCRIPT, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def rerun(at):
    at.run()
    assert not at.exception, at.exception
    return at


def table(at, first_header):
    """The shown table whose first column is `first_header`, as a DataFrame."""
    for element in at.table:
        frame = element.value
        if frame.columns[0] == first_header:
            return frame
    raise AssertionError(f"no table headed {first_header!r}: {[t.value.columns[0] for t in at.table]}")


def row(frame, label):
    return frame[frame.iloc[:, 0] == label].iloc[0]


def text(at):
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def test_dot_products_shown_are_the_engines_beside_the_printed(app):
    frame = table(app, "")
    assert list(frame["tutorial printed"]) == ["2.1672", "4.1259"]
    ours = t002.dot_products()
    assert list(frame["ours (the engine)"]) == [tw.digits(ours["dot_product_1"]),
                                               tw.digits(ours["dot_product_2"])] == ["2.1672", "4.126"]
    assert list(frame["cosine similarity"]) == ["0.813", "0.89"]
    assert "Here both say weights_2." in text(app)
    assert "4.1259999999999994" in text(app)


def test_longer_weights_win_the_dot_product_not_the_cosine(app):
    app.number_input(key=KEY + "weights_1_0").set_value(12.6)
    rerun(app)
    frame = table(app, "")
    assert list(frame["tutorial printed"]) == ["—", "—"]  # not the tutorial's vectors any more
    assert frame["ours (the engine)"][0] == "21.672"
    assert "the dot product prefers weights_1 only because it is longer" in text(app)
    app.number_input(key=KEY + "input_vector_0").set_value(0.0)
    app.number_input(key=KEY + "input_vector_1").set_value(0.0)
    rerun(app)
    assert "has no direction" in text(app) and list(table(app, "")["cosine similarity"]) == ["—"] * 2


def test_neuron_figures_beside_the_printed_ones(app):
    frame = table(app, "before the update")
    printed = [repr(t002.PRINTED_NEURON[k]) for k in ("prediction_1", "prediction_2", "mse",
                                                      "derivative")]
    assert list(frame["tutorial printed"]) == printed == [
        "0.7985731", "0.87101915", "0.7586743596667225", "1.7420383"]
    assert list(frame["ours (the engine)"]) == ["0.7985731", "0.87101915", "0.75867436",
                                               "1.7420383"]
    update = table(app, "after one update")
    after = row(update, "prediction for [2, 1.5] (target 0)")
    assert after["tutorial printed"] == "0.01496248"
    assert after["as printed: w − 2 (p − t)"] == "0.014962479"  # 0.01496248 to 7 digits
    exact = t002.worked_neuron(rule="exact")
    assert after.iloc[3] == tw.digits(exact["after_update"]) == "0.66525897"
    error = row(update, "its squared error")
    assert error["tutorial printed"] == "0.00022388"
    assert error["as printed: w − 2 (p − t)"] == "0.00022387579"
    assert "(wrong)" in row(update, "prediction for [1.66, 1.56] (target 1)").iloc[2]
    assert "(right)" in row(update, "prediction for [1.66, 1.56] (target 1)").iloc[3]
    assert "5.0 times as long" in text(app)


def test_typing_weights_recomputes_with_the_engine(app):
    app.number_input(key=KEY + "neuron_w1").set_value(1.0)
    app.number_input(key=KEY + "neuron_w2").set_value(-1.0)
    app.number_input(key=KEY + "neuron_lr").set_value(0.1)
    rerun(app)
    frame = table(app, "before the update")
    ours = t002.worked_neuron((1.0, -1.0), 0.0, "exact", learning_rate=0.1)
    assert list(frame["tutorial printed"]) == ["—"] * 4
    assert frame["ours (the engine)"][1] == tw.digits(ours["prediction_2"])
    update = table(app, "after one update")
    assert update.columns[3] == "exact: w − 0.1 · 2 (p − t) p (1 − p) x"
    assert row(update, "its squared error").iloc[3] == tw.digits(ours["error_after"])
    # 1.45 is enterable exactly, and brings the printed figures back
    app.number_input(key=KEY + "neuron_w1").set_value(1.45)
    app.number_input(key=KEY + "neuron_w2").set_value(-0.66)
    rerun(app)
    assert table(app, "before the update")["tutorial printed"][0] == "0.7985731"


def test_extreme_inputs_give_numbers_not_tracebacks(app):
    for key in ("input_vector_0", "input_vector_1", "weights_1_0", "weights_2_1", "neuron_w1",
                "neuron_b"):
        app.number_input(key=KEY + key).set_value(tw.LIMIT)
    app.number_input(key=KEY + "neuron_w2").set_value(-tw.LIMIT)
    app.number_input(key=KEY + "neuron_lr").set_value(0.0)
    rerun(app)
    assert table(app, "before the update")["ours (the engine)"][0] != "—"
    limits = [(n.min, n.max) for n in app.number_input if n.key.startswith(KEY + "input")]
    assert limits == [(-tw.LIMIT, tw.LIMIT)] * 2


def or_values(run):
    return [tw.digits(v, 9) for v in (*run["weights"], run["bias"])]


def test_or_neuron_defaults_are_1000_epochs_of_both_rules(app):
    frame = table(app, "after 1,000 epochs")
    assert list(frame["tutorial printed"]) == ["7.20642565", "7.20667957", "−3.24934367"]
    assert list(frame["as printed (ours)"]) == or_values(t003.train_or_neuron(1000, "as-printed"))
    assert list(frame["exact rule (ours)"]) == or_values(t003.train_or_neuron(1000, "exact"))
    assert list(frame["as printed (ours)"]) == ["2.64321662", "2.66226811", "−0.779374336"]
    outputs = table(app, "x₁")
    assert list(outputs["output σ(z)"]) == [
        tw.digits(v) for v in t003.train_or_neuron(1000, "as-printed")["outputs"]]
    assert list(outputs["tutorial printed"]) == ["0.03735048", "not printed", "0.98123985",
                                                 "0.99998582"]
    assert list(outputs["right?"]) == ["yes"] * 4


def test_the_11010_button_meets_the_printed_figures(app):
    app.button(key=KEY + "or_11010").click()
    rerun(app)
    assert app.number_input(key=KEY + "or_epochs").value == 11_010
    frame = table(app, "after 11,010 epochs")
    assert list(frame["as printed (ours)"]) == list(frame["tutorial printed"]) == [
        "7.20642565", "7.20667957", "−3.24934367"]  # every printed digit
    outputs = table(app, "x₁")
    for printed, ours in zip(outputs["tutorial printed"], outputs["output σ(z)"]):
        if printed != "not printed":
            assert float(ours) == pytest.approx(float(printed), rel=1e-7)
    assert "are our epochs 10,011 to 10,053: −0.000144167718 … −0.000146003" in text(app)


def test_the_switch_shows_the_exact_rules_outputs(app):
    app.radio(key=KEY + "or_rule").set_value(tw.EXACT)
    rerun(app)
    outputs = table(app, "x₁")
    assert list(outputs["output σ(z)"]) == [
        tw.digits(v) for v in t003.train_or_neuron(1000, "exact")["outputs"]]
    assert "(the exact rule)" in text(app)
    assert "After 1,000 epochs (exact rule)" in text(app)


def test_learning_rate_and_epoch_limits(app):
    epochs = app.number_input(key=KEY + "or_epochs")
    assert (epochs.min, epochs.max) == (1, tw.MAX_EPOCHS) and tw.MAX_EPOCHS >= t003.PRINTED_EPOCHS
    lr = app.number_input(key=KEY + "or_lr")
    assert (lr.min, lr.max) == (0.001, tw.MAX_LR_003)
    lr.set_value(tw.MAX_LR_003)
    app.number_input(key=KEY + "or_epochs").set_value(tw.MAX_EPOCHS)
    rerun(app)
    frame = table(app, f"after {tw.MAX_EPOCHS:,} epochs")
    assert list(frame["tutorial printed"]) == ["—"] * 3  # another learning rate than the tutorial's
    run = t003.train_or_neuron(tw.MAX_EPOCHS, "exact", tw.MAX_LR_003)
    assert list(frame["exact rule (ours)"]) == or_values(run)
    assert all(math.isfinite(v) for v in run["weights"])
    assert "12,000" in text(app)
