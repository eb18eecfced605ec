"""AppTest checks of the MNIST page: presets, validation, training in chunks, Stop, runs, upload.

AppTest never fires `run_every`, so training advances one chunk per script run
(and the job's background thread for a few seconds after each): `train_to_end`
reruns the page until the job is over, as the browser's refreshes would. The
page's state is read through its ui.state.MnistState and the session's Shelf.
"""

import base64
import json
import re

import numpy as np
import pytest

from engine import optimizers
from engine.layers import Dense
from engine.mnist import load_mnist, one_hot, scale_pixels
from engine.model import Sequential, Trainer
from engine.optimizers import SGD
from engine.saving import save_model
from ui import catalog

PAGE = "../../app_pages/mnist.py"
TIMEOUT_S = 120


@pytest.fixture(scope="module")
def mnist():
    (x_train, y_train), (x_test, y_test) = load_mnist()
    return x_train, y_train, x_test, y_test


def page(at):
    """The page's state object (ui.state.MnistState)."""
    return at.session_state["mnist"]


def runs(at):
    """The session's kept runs, oldest first."""
    return page(at).book.runs


def shelf(at):
    """The models offered to the draw page: label -> model."""
    return at.session_state["shelf"].models if "shelf" in at.session_state else {}


def newest_on_shelf(at):
    return at.session_state["shelf"].newest()


def train_to_end(at, max_runs=200):
    """Rerun the page (one training chunk each) until no job is left."""
    for _ in range(max_runs):
        if page(at).job is None:
            return
        at.run()
        assert not at.exception, at.exception
    raise AssertionError(f"training did not end within {max_runs} script runs")


def widget_values(at):
    return {name: at.session_state[f"mnist_w_{name}"] for name in (
        "hidden", "activation", "output", "init", "scaling", "optimizer", "lr", "batch_size",
        "epochs", "train_size", "shuffle", "seed", "optimizer2", "lr2")}


def texts(elements):
    return [element.value for element in elements]


def test_page_starts_with_the_tutorial_settings_and_no_run(app):
    values = widget_values(app)
    assert values["hidden"] == "90" and values["activation"] == "sigmoid"
    assert values["output"] == "sigmoid_sse" and values["init"] == "normal"
    assert (values["optimizer"], values["lr"], values["batch_size"]) == ("sgd", 0.3, 1)
    assert any("No training yet" in text for text in texts(app.info))
    assert runs(app) == []


def test_the_form_offers_every_registered_activation_and_optimizer(app):
    activation = app.selectbox(key="mnist_w_activation")
    assert activation.options == [catalog.label("activation", name)
                                  for name in catalog.hidden_activations()]
    for key, extra in (("mnist_w_optimizer", []), ("mnist_w_optimizer2", ["no second run"])):
        assert app.selectbox(key=key).options == extra + [
            catalog.label("optimizer", name) for name in optimizers.OPTIMIZERS]


@pytest.mark.parametrize("preset, expected", [
    ("best", dict(hidden="256,128", activation="relu", output="softmax_ce", optimizer="momentum",
                  lr=0.05, batch_size=128, epochs=10, train_size=60_000, shuffle=True)),
    ("optimizers", dict(hidden="90", activation="relu", output="softmax_ce", init="keras_normal",
                        optimizer="sgd", lr=0.01, batch_size=200, epochs=5, train_size=60_000,
                        shuffle=True, optimizer2="rmsprop", lr2=0.001)),
    ("tutorial_all", dict(hidden="90", output="sigmoid_sse", lr=0.1, batch_size=1, epochs=2,
                          train_size=60_000, shuffle=False)),
])
def test_a_preset_fills_the_form_and_starts_training(app, preset, expected):
    app.button(key=f"mnist_preset_{preset}").click().run()
    assert not app.exception, app.exception
    values = widget_values(app)
    assert {name: values[name] for name in expected} == expected
    job = page(app).job
    assert job is not None and job.runs[0].status == "training"
    progress = job.snapshot()
    assert progress is not None, [(run.status, run.message) for run in job.runs]
    assert progress.batches_done > 0  # a first chunk ran in the same run
    assert job.total == (2 if preset == "optimizers" else 1)
    # How far one chunk got depends on the machine: any epoch of the run is right.
    (bar,) = app.get("progress")
    epoch, epochs = map(int, re.match(r"Epoch (\d+) of (\d+) · ", bar.proto.text).groups())
    assert 1 <= epoch <= epochs == expected.get("epochs", progress.epochs)
    # While training, the presets and the Train button are disabled.
    assert app.button(key="mnist_preset_tutorial_1").disabled
    assert app.button(key="mnist_train").disabled
    app.button(key="mnist_stop").click().run()
    assert page(app).job is None
    assert runs(app)[-1].status == "stopped"


@pytest.mark.parametrize("hidden, message", [
    ("abc", "separated by commas"),
    ("90,,10", "separated by commas"),
    ("-5", "separated by commas"),
    ("600", "1 to 512 units"),
    ("0", "1 to 512 units"),
    ("10,10,10,10", "at most 3 hidden layers"),
    ("²", "separated by commas"),  # str.isdigit() says yes, int() says no
    ("9" * 5000, "a number of 5,000 digits"),  # beyond int()'s 4,300 digits
])
def test_bad_hidden_layers_show_an_error_and_train_nothing(app, hidden, message):
    app.text_input(key="mnist_w_hidden").set_value(hidden)
    app.button(key="mnist_train").click().run()
    assert not app.exception, app.exception
    errors = texts(app.error)
    assert len(errors) == 1 and "Hidden layers" in errors[0] and message in errors[0], errors
    assert page(app).job is None and runs(app) == []
    # Fixing the text clears the error and trains.
    app.text_input(key="mnist_w_hidden").set_value("20")
    app.selectbox(key="mnist_w_train_size").set_value(100)
    app.button(key="mnist_train").click().run()
    assert not app.error
    train_to_end(app)
    assert runs(app)[-1].model.sizes == [784, 20, 10]


def test_tutorial_run_trains_exactly_as_the_engine_does(app, mnist):
    x_train, y_train, x_test, y_test = mnist
    app.button(key="mnist_preset_tutorial_1").click().run()
    train_to_end(app)
    run = runs(app)[-1]
    assert run.status == "finished"

    # The same configuration, built directly with the engine.
    reference = Sequential([Dense(784, 90, "sigmoid", init="normal"),
                            Dense(90, 10, "sigmoid", init="normal")], seed=0,
                           input_scaling="tutorial")
    Trainer(reference, scale_pixels(x_train[:100]), one_hot(y_train[:100], off=0.01, on=0.99),
            epochs=1, batch_size=1, optimizer=SGD(0.3), loss="sse", shuffle=False, seed=0).run()
    np.testing.assert_array_equal(run.model.params, reference.params)

    accuracy = float(np.mean(reference.predict_classes(scale_pixels(x_test)) == y_test))
    assert run.results["accuracy"] == pytest.approx(accuracy)
    success = [text for text in texts(app.success) if "Run 1 finished" in text]
    assert len(success) == 1 and f"{accuracy:.1%}" in success[0]
    # One loss point per batch (100 batches), x from 0.01 to 1 epoch.
    assert len(run.loss_x) == 100 and run.loss_x[-1] == pytest.approx(1.0)
    # The confusion matrix counts every test digit; its diagonal is the accuracy.
    confusion = run.results["confusion"]
    assert confusion.sum() == 10_000 and np.trace(confusion) == round(accuracy * 10_000)
    np.testing.assert_array_equal(confusion.sum(axis=1), np.bincount(y_test, minlength=10))


def test_stop_keeps_the_model_trained_so_far(app):
    app.button(key="mnist_preset_best").click().run()
    app.run()  # a second chunk
    progress = page(app).job.snapshot()
    batches = progress.batches_done
    assert 0 < batches < progress.batches_total
    app.button(key="mnist_stop").click().run()
    assert not app.exception, app.exception
    assert page(app).job is None
    run = runs(app)[-1]
    # (the background trainer may have gone on a little before the click)
    assert run.status == "stopped" and batches <= run.batches_done < run.batches_total
    # A few dozen batches of the best preset already read most digits (random: ~10%).
    assert run.results["accuracy"] > 0.5
    assert run.start["val_accuracy"] < 0.2
    warnings = [text for text in texts(app.warning) if "stopped" in text]
    assert len(warnings) == 1 and f"{run.results['accuracy']:.1%}" in warnings[0]
    # The stopped model is offered to the draw page, as the newest.
    assert shelf(app)[newest_on_shelf(app)] is run.model
    assert not app.button(key="mnist_train").disabled


def test_pause_holds_training_and_resume_goes_on(app):
    app.button(key="mnist_preset_best").click().run()
    job = page(app).job
    app.button(key="mnist_pause").click().run()
    assert job.paused
    held = job.snapshot().batches_done
    app.run()
    app.run()
    assert job.snapshot().batches_done == held
    assert any("paused" in bar.proto.text for bar in app.get("progress"))
    app.button(key="mnist_pause").click().run()  # now labelled Resume
    assert not job.paused and job.snapshot().batches_done > held
    app.button(key="mnist_stop").click().run()


def train_and_read_errors(app):
    """Press Train, train to the end; the newest run and the error boxes that name it."""
    app.button(key="mnist_train").click().run()
    train_to_end(app)
    assert not app.exception, app.exception
    run = runs(app)[-1]
    return run, [text for text in texts(app.error) if run.name in text]


def test_a_diverging_run_stops_with_advice_and_keeps_finite_weights(app):
    # Three wide ReLU layers and a far too large learning rate: the loss becomes NaN.
    app.text_input(key="mnist_w_hidden").set_value("512,512,512")
    app.selectbox(key="mnist_w_activation").set_value("relu")
    app.selectbox(key="mnist_w_output").set_value("softmax_ce")
    app.selectbox(key="mnist_w_init").set_value("glorot")
    app.selectbox(key="mnist_w_optimizer").set_value("momentum")
    app.number_input(key="mnist_w_lr").set_value(5.0)
    app.number_input(key="mnist_w_batch_size").set_value(10)
    app.selectbox(key="mnist_w_train_size").set_value(1_000)
    run, errors = train_and_read_errors(app)
    assert run.status == "diverged"
    assert np.all(np.isfinite(run.model.params))
    assert len(errors) == 1 and "smaller learning rate" in errors[0]


def test_an_error_in_training_is_reported_as_one_not_as_divergence(app, monkeypatch):
    def broken(trainer, k=1):
        raise RuntimeError("a made-up bug")

    monkeypatch.setattr(Trainer, "step", broken)
    app.selectbox(key="mnist_w_train_size").set_value(1_000)
    run, errors = train_and_read_errors(app)
    assert run.status == "failed"
    assert len(errors) == 1
    assert "RuntimeError: a made-up bug" in errors[0] and "learning rate" not in errors[0]


def test_second_optimizer_adds_a_second_run_and_both_are_compared(app):
    app.selectbox(key="mnist_w_optimizer2").set_value("adam")
    app.number_input(key="mnist_w_lr2").set_value(0.01)
    app.button(key="mnist_train").click().run()
    train_to_end(app)
    kept = runs(app)
    assert [run.config["optimizer"] for run in kept] == ["sgd", "adam"]
    assert kept[1].config["lr"] == 0.01 and kept[0].config["lr"] == 0.3
    assert sorted(app.multiselect(key="mnist_compare").value) == sorted(r.label for r in kept)
    table = next(frame.value for frame in app.dataframe if "run" in frame.value.columns)
    assert list(table["run"]) == ["Run 2", "Run 1"]
    assert list(table["optimizer"]) == ["Adam", "SGD"]
    assert list(table["test accuracy"]) == [f"{r.results['accuracy']:.2%}" for r in kept[::-1]]


def model_file(sizes, seed=0):
    layers = [Dense(a, b, "relu" if i < len(sizes) - 2 else "softmax")
              for i, (a, b) in enumerate(zip(sizes, sizes[1:]))]
    return save_model(Sequential(layers, seed=seed))


def upload(at, name, content):
    at.file_uploader(key="mnist_upload").upload(name, content, "application/octet-stream")
    at.run()
    assert not at.exception, at.exception


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (b"PK\x03\x04 not really a zip", "corrupt"),
    (b"just some text", "not a model file"),
    (model_file([2, 3, 1]), "784 inputs"),
])
def test_a_bad_upload_shows_an_error_and_changes_nothing(app, content, message):
    app.button(key="mnist_preset_tutorial_1").click().run()
    train_to_end(app)
    runs_before = list(runs(app))
    models_before = dict(shelf(app))
    upload(app, "bad.npz", content)
    errors = [text for text in texts(app.error) if r"bad\.npz" in text]  # shown as text
    assert len(errors) == 1 and message in errors[0] and "Nothing was changed" in errors[0]
    assert runs(app) == runs_before
    assert shelf(app) == models_before


def test_an_uploaded_model_becomes_a_run_for_results_and_the_draw_page(app, mnist):
    _, _, x_test, y_test = mnist
    content = model_file([784, 16, 10], seed=3)
    upload(app, "mine.npz", content)
    assert not app.error
    run = runs(app)[-1]
    assert run.uploaded == "mine.npz" and run.model.sizes == [784, 16, 10]
    accuracy = float(np.mean(run.model.predict_classes(scale_pixels(x_test)) == y_test))
    assert run.results["accuracy"] == pytest.approx(accuracy)
    assert newest_on_shelf(app) == run.label
    assert shelf(app)[run.label] is run.model
    assert app.selectbox(key="mnist_results_run").value == run.label


def test_only_the_last_runs_are_kept(app):
    for i in range(11):
        upload(app, f"model{i}.npz", model_file([784, 10], seed=i))
    assert [run.name for run in runs(app)] == [f"Run {i}" for i in range(2, 12)]
    assert list(shelf(app)) == [run.label for run in runs(app)]
    assert any("removed: Run 1" in text for text in texts(app.caption))


def test_the_newest_model_is_offered_for_download(app):
    app.button(key="mnist_preset_tutorial_1").click().run()
    train_to_end(app)
    upload(app, "mine.npz", model_file([784, 10]))
    kept = runs(app)
    assert app.selectbox(key="mnist_save_run").value == kept[-1].label
    assert app.get("download_button")[0].proto.label == "Download the model (.npz)"
    # Choosing the older run offers that one.
    app.selectbox(key="mnist_save_run").set_value(kept[0].label).run()
    assert app.selectbox(key="mnist_save_run").value == kept[0].label
    assert not app.exception


def test_the_data_tab_shows_the_chosen_digits(app, mnist):
    x_train, y_train, _, _ = mnist

    def grid_titles():
        for chart in app.get("plotly_chart"):
            spec = json.loads(chart.proto.spec)
            titles = [a["text"] for a in spec["layout"].get("annotations", [])]
            if len(titles) == 20:
                return titles
        raise AssertionError("no grid of 20 digits")

    assert grid_titles() == [f"label {label}" for label in y_train[:20]]
    app.number_input(key="mnist_data_start").set_value(40).run()
    assert grid_titles() == [f"label {label}" for label in y_train[40:60]]
    app.number_input(key="mnist_data_index").set_value(7).run()
    line = [code.value for code in app.code][0]
    assert line.split(",")[0] == str(y_train[7]) and len(line.split(",")) == 785
    assert [int(v) for v in line.split(",")[1:]] == x_train[7].ravel().tolist()


# The setting the page names for dead ReLU units (ui/mnist_inside.py SHOWS_IT).
DYING_RELU = dict(hidden="90", activation="relu", output="softmax_ce", init="glorot",
                  scaling="unit", lr=1.0, batch_size=32, epochs=1, train_size=1000, shuffle=True)


def inside_charts(at):
    """The hidden-layer histograms drawn: their plotly specs."""
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    return [spec for spec in specs
            if "net inputs z" in spec["layout"].get("title", {}).get("text", "")]


def values(array):
    """A plotly spec's array: a list, or NumPy's bytes as plotly sends them (dtype, bdata)."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"])
    return np.asarray(array)


def test_a_finished_run_shows_its_hidden_layer_report_with_the_engines_numbers(app, mnist):
    from engine.diagnostics import layer_report
    from ui import mnist_inside

    for name, value in DYING_RELU.items():
        app.session_state[f"mnist_w_{name}"] = value
    app.run()
    app.button(key="mnist_train").click().run()
    train_to_end(app)
    run = runs(app)[-1]
    assert run.status == "finished" and run.config["lr"] == 1.0
    # Counted here from the weights alone: units with x @ W + b <= 0 on all 500 images.
    x = mnist[2][:500].reshape(500, 784).astype(np.float64) / 255.0
    z = x @ run.model.layers[0].W.astype(np.float64) + run.model.layers[0].b
    dead = int(np.sum(np.all(z <= 0, axis=0)))
    report = layer_report(run.model.layers[0].activation, mnist_inside.net_inputs(
        run.model, mnist_inside.probe_images(mnist_inside.setup.shared_data()))[0])
    assert len(report["dead_units"]) == dead > 0
    said = [text for text in texts(app.markdown) if "units dead" in text]
    assert said == [f"**{dead} of 90 units dead** on these 500 test images: z ≤ 0 (grey) for "
                    "every image, so they output 0 and learn nothing."]
    (chart,) = inside_charts(app)
    assert values(chart["data"][0]["y"]).sum() == 500 * 90
    assert chart["layout"]["title"]["text"] == "Hidden layer 1: net inputs z"
    assert chart["layout"]["xaxis"]["title"]["text"] == "net input z (500 images × 90 units)"


def test_the_live_histogram_shows_the_layer_being_trained(app):
    from engine.diagnostics import layer_report
    from ui import mnist_inside

    app.button(key="mnist_preset_best").click().run()
    job = page(app).job
    app.button(key="mnist_pause").click().run()  # the weights hold still from here on
    assert job.paused and not app.exception
    X = mnist_inside.probe_images(mnist_inside.setup.shared_data())
    app.selectbox(key="mnist_inside_layer_live_2").set_value(1).run()  # the second hidden layer
    report = layer_report(job.current.model.layers[1].activation, job.net_inputs(X)[1])
    said = [text for text in texts(app.markdown) if "units dead" in text]
    assert said == [f"**{len(report['dead_units'])} of 128 units dead** on these 500 test "
                    "images: z ≤ 0 (grey) for every image, so they output 0 and learn nothing."]
    (chart,) = inside_charts(app)
    assert values(chart["data"][0]["y"]).sum() == 500 * 128
    assert chart["layout"]["title"]["text"] == "Hidden layer 2: net inputs z"
    app.button(key="mnist_stop").click().run()
    assert page(app).job is None
