"""Every number box is sent to the browser with its value as its default too.

Streamlit's browser side draws a box at the proto's `default` first and, for a moment,
holds that number; a click then sends it back as if typed. A box whose value lives in
the session (a key, no `value`) had its min_value as default: a quick click on the
one-neuron page turned the weights 0.3, -0.6, 0.1 into -5, -5, -10. ui/state.py's
number_input passes the session's value; this checks each page's boxes, before and
after a change.
"""

import pytest
from streamlit.testing.v1 import AppTest

PAGES = ["perceptron", "mnist", "playground", "from_scratch", "activations", "draw", "backprop"]


def boxes_whose_default_is_not_their_value(at):
    return [(box.key, box.value, box.proto.default) for box in at.number_input
            if box.value is not None and box.proto.default != box.value]


@pytest.mark.parametrize("page", PAGES)
def test_each_box_is_drawn_first_with_its_own_value(page):
    at = AppTest.from_file(f"../../app_pages/{page}.py", default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert boxes_whose_default_is_not_their_value(at) == []


def test_after_typing_a_weight_the_box_is_drawn_with_the_new_value():
    at = AppTest.from_file("../../app_pages/perceptron.py", default_timeout=60)
    at.run()
    at.number_input(key="perceptron_w1_typed").set_value(1.45).run()
    at.number_input(key="tutorial_worked_or_epochs").set_value(11010).run()
    assert not at.exception, at.exception
    assert at.slider(key="perceptron_w1").value == 1.45
    assert at.number_input(key="perceptron_w1_typed").proto.default == 1.45
    assert boxes_whose_default_is_not_their_value(at) == []
