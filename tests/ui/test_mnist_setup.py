"""ui/mnist_setup.py: the MNIST page's presets, checks, models and texts, without Streamlit."""

import numpy as np
import pytest

from engine import Dense, Sequential, activations, optimizers
from ui import catalog
from ui import mnist_setup as setup


def config(**changes):
    return setup.check_config({**setup.DEFAULT_CONFIG, **changes})


def model_as_before(config):
    """How the page built its models before engine.build_mlp (layer by layer)."""
    sizes = [784, *[int(s) for s in config["hidden"].split(",") if s], 10]
    output = setup.OUTPUTS[config["output"]][0]
    layers = [Dense(n_in, n_out, config["activation"], init=config["init"])
              for n_in, n_out in zip(sizes[:-2], sizes[1:-1])]
    layers.append(Dense(sizes[-2], 10, output, init=config["init"]))
    return Sequential(layers, seed=config["seed"], input_scaling=config["scaling"])


@pytest.mark.parametrize("changes", [
    {},
    {"hidden": "", "output": "softmax_ce"},
    {"hidden": "256,128", "activation": "relu", "init": "glorot", "seed": 7},
    {"hidden": "30,20,10", "activation": "tanh", "init": "he", "scaling": "unit"},
    *[preset["config"] for preset in setup.PRESETS.values()],
])
def test_models_have_the_same_starting_weights_as_before(changes):
    checked = config(**changes)
    model, before = setup.build_model(checked), model_as_before(checked)
    assert model.sizes == before.sizes and model.input_scaling == before.input_scaling
    np.testing.assert_array_equal(model.params, before.params)


@pytest.mark.parametrize("hidden, message", [
    ("abc", "separated by commas"),
    ("90,,10", "separated by commas"),
    ("4.5", "separated by commas"),
    ("600", "1 to 512 units"),
    ("0", "1 to 512 units"),
    ("10,10,10,10", "at most 3 hidden layers"),
])
def test_bad_hidden_layers_say_what_is_wrong(hidden, message):
    with pytest.raises(ValueError, match="^Hidden layers: ") as err:
        config(hidden=hidden)
    assert message in str(err.value)


@pytest.mark.parametrize("hidden, sizes", [("", []), ("none", []), (" 20 , 5 ", [20, 5])])
def test_hidden_layers_may_be_empty_or_spaced(hidden, sizes):
    assert setup.build_model(config(hidden=hidden)).sizes == [784, *sizes, 10]


@pytest.mark.parametrize("field, value, message", [
    ("lr", 50.0, "Learning rate: expected 1e-05 to 5"),
    ("lr2", 0.0, "Learning rate"),
    ("epochs", 21, "Epochs: expected 1 to 20"),
    ("batch_size", 0, "Batch size"),
    ("train_size", 500, "train_size: expected one of"),
    ("optimizer", "nadam", "optimizer: expected one of"),
    ("activation", "softmax", "activation: expected one of"),
])
def test_values_out_of_range_are_refused(field, value, message):
    with pytest.raises(ValueError, match=message):
        config(**{field: value})


def test_every_registered_name_is_offered():
    first, second = setup.optimizer_choices()
    assert first == list(optimizers.OPTIMIZERS) and second == ["none", *optimizers.OPTIMIZERS]
    for name in catalog.hidden_activations():
        assert setup.build_model(config(activation=name, hidden="3")).sizes == [784, 3, 10]
    assert set(catalog.hidden_activations()) <= set(activations.ACTIVATIONS)


@pytest.mark.parametrize("name", list(optimizers.OPTIMIZERS))
def test_optimizers_are_built_by_their_registry_name(name):
    optimizer = setup.make_optimizer(config(optimizer=name, lr=0.02))
    assert type(optimizer) is optimizers.OPTIMIZERS[name] and optimizer.lr == 0.02


def test_momentum_steps_as_sgd_with_momentum_did():
    a, b = setup.make_optimizer(config(optimizer="momentum", lr=0.05)), \
        optimizers.SGD(0.05, momentum=0.9)
    params_a, params_b = np.ones(4), np.ones(4)
    for grad in (np.array([1.0, -2.0, 0.5, 0.0]), np.array([0.3, 0.3, -1.0, 2.0])):
        a.step(params_a, grad.copy())
        b.step(params_b, grad.copy())
    np.testing.assert_array_equal(params_a, params_b)


def test_a_second_optimizer_makes_a_second_run():
    (only,) = setup.job_configs(config())
    assert only["optimizer2"] == "none"
    first, second = setup.job_configs(config(optimizer2="adam", lr2=0.01))
    assert (first["optimizer"], first["lr"]) == ("sgd", 0.3)
    assert (second["optimizer"], second["lr"], second["optimizer2"]) == ("adam", 0.01, "none")


def test_texts():
    assert setup.config_text(config()) == ("784-90-10 sigmoid · sigmoid + SSE · SGD lr 0.3 · "
                                           "batch 1 · 100 images · 1 epoch · file order")
    best = config(**setup.PRESETS["best"]["config"])
    assert setup.config_text(best) == ("784-256-128-10 relu · softmax + cross-entropy · "
                                       "SGD + momentum 0.9 lr 0.05 · batch 128 · 60,000 images "
                                       "· 10 epochs")
    assert setup.network_text(config(hidden="")) == "784-10"
    assert setup.run_label("Run 3", best, 0.9812) == \
        "Run 3 · 784-256-128-10 relu · SGD + momentum 0.9 · 98.1%"
    assert setup.run_label("Run 4", best, 0.5, uploaded="m.npz") == "Run 4 · uploaded m.npz · 50.0%"
    assert [setup.format_seconds(s) for s in (0.421, 12.34, 125)] == ["0.42 s", "12.3 s",
                                                                      "2 min 5 s"]
    assert setup.format_seconds(0.2, 0) == "1 s"


def test_the_scaling_table_matches_the_formulas():
    table = setup.scaling_table()
    pixels = table["pixel"].astype(float)
    np.testing.assert_allclose(table["0.01 to 1.0 (tutorial)"],
                               (pixels / 255 * 0.99 + 0.01).round(4))
    np.testing.assert_allclose(table["0 to 1"], (pixels / 255).round(4))


def test_misread_digits_most_confident_first():
    outputs = np.array([[0.2, 0.8], [0.6, 0.4], [0.1, 0.9], [0.3, 0.7]], dtype=np.float32)
    results = {"outputs": outputs, "predicted": outputs.argmax(axis=1)}
    y_test = np.array([0, 0, 0, 1])  # digits 0, 2 are misread (as 1), 1 and 3 are right
    assert setup.misread(results, y_test).tolist() == [2, 0]  # 0.9, then 0.8
    assert setup.misread(results, y_test, digit=0).tolist() == [2, 0]
    assert setup.misread(results, y_test, digit=1).tolist() == []
    assert setup.misread(results, y_test, most_confident_first=False).tolist() == [0, 2]
