"""parse_hidden and build_mlp: the sizes a learner types, and the model they make."""

import numpy as np
import pytest

from engine import Dense, Sequential, build_mlp, parse_hidden

FORMAT = "write the number of units of each hidden layer, separated by commas"


@pytest.mark.parametrize("text, sizes", [
    ("256,128", [256, 128]), ("90", [90]), (" 256 , 128 ", [256, 128]), ("", []), ("  ", []),
    ("none", []), (" None ", []), ("NONE", []), ("007", [7]),
    ([64, 32], [64, 32]), ((8,), [8]), ([], []), ([np.int64(5)], [5]),
])
def test_parse_hidden_reads_sizes(text, sizes):
    assert parse_hidden(text) == sizes


@pytest.mark.parametrize("text", ["abc", "90,,10", "-5", "4.5", "1e3", "90,", "8 8", "٣",
                                  "nothing", [4.5], ["8"], [True]])
def test_parse_hidden_refuses_what_is_not_whole_numbers(text):
    with pytest.raises(ValueError, match=FORMAT) as error:
        parse_hidden(text)
    assert "e.g. 90 or 256,128, or none; got '" in str(error.value)


def test_parse_hidden_messages_quote_what_was_typed():
    with pytest.raises(ValueError) as error:
        parse_hidden("90,,10")
    assert str(error.value) == (f"{FORMAT}, e.g. 90 or 256,128, or none; got '90,,10'")


def test_parse_hidden_limits():
    assert parse_hidden("16,16,16", max_layers=3, max_units=16) == [16, 16, 16]
    with pytest.raises(ValueError, match="^at most 3 hidden layers, got 4$"):
        parse_hidden("1,2,3,4", max_layers=3)
    with pytest.raises(ValueError, match="^each hidden layer needs 1 to 16 units, got '8,17'$"):
        parse_hidden("8,17", max_units=16)
    with pytest.raises(ValueError, match="^each hidden layer needs 1 to 16 units, got '0'$"):
        parse_hidden("0", max_units=16)
    with pytest.raises(ValueError, match="^each hidden layer needs at least 1 unit, got '8,0'$"):
        parse_hidden("8,0")
    with pytest.raises(ValueError, match="needs at least 1 unit, got '-1'"):
        parse_hidden([-1])
    assert parse_hidden("100000") == [100000]  # no limit unless asked


def test_build_mlp_is_the_mnist_pages_tutorial_network():
    model = build_mlp([784, 90, 10], "sigmoid", "sigmoid", init="normal", seed=0,
                      input_scaling="tutorial")
    reference = Sequential([Dense(784, 90, "sigmoid", init="normal"),
                            Dense(90, 10, "sigmoid", init="normal")], seed=0,
                           input_scaling="tutorial")
    np.testing.assert_array_equal(model.params, reference.params)
    assert model.sizes == [784, 90, 10] and model.input_scaling == "tutorial"
    assert [layer.activation.name for layer in model.layers] == ["sigmoid", "sigmoid"]
    assert [layer.init for layer in model.layers] == ["normal", "normal"]


def test_build_mlp_with_one_activation_per_hidden_layer():
    model = build_mlp([2, 8, 6, 3], ["tanh", "relu"], "softmax", seed=3)
    assert [layer.activation.name for layer in model.layers] == ["tanh", "relu", "softmax"]
    assert [(layer.n_in, layer.n_out) for layer in model.layers] == [(2, 8), (8, 6), (6, 3)]
    reference = Sequential([Dense(2, 8, "tanh"), Dense(8, 6, "relu"), Dense(6, 3, "softmax")],
                           seed=3)
    np.testing.assert_array_equal(model.params, reference.params)


def test_build_mlp_without_hidden_layers():
    model = build_mlp([784, 10], "relu", "softmax", seed=0)
    assert model.sizes == [784, 10] and model.layers[0].activation.name == "softmax"


def test_build_mlp_bad_arguments():
    with pytest.raises(ValueError, match=r"one name per hidden layer \(2\), got 3"):
        build_mlp([2, 4, 4, 1], ["tanh", "relu", "elu"], "sigmoid")
    with pytest.raises(ValueError, match="sizes must be a list"):
        build_mlp([2], "tanh", "sigmoid")
    with pytest.raises(ValueError, match="unknown activation"):
        build_mlp([2, 4, 1], "tanhh", "sigmoid")
    with pytest.raises(ValueError, match="n_out must be a positive integer"):
        build_mlp([2, 0, 1], "tanh", "sigmoid")
