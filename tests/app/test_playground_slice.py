"""AppTest checks of the playground's slice through the loss landscape (issue 12, part 2):
its loss at the current weights is the training loss the page reports, and it says it is a
slice."""

import re

import numpy as np

from tests.app.test_playground_page import open_page
from ui import playground_slice as cuts
from ui import url_state as us
from ui.state import PlaygroundState


def slice_html(at):
    (block,) = [h.value for h in at.html if 'class="pg-slice"' in h.value]
    return block


def reported_training_loss(at):
    (live,) = [h.value for h in at.html if 'class="pg"' in h.value]
    return re.search(r"<span>Training loss</span><b>([0-9.]+)</b>", live).group(1)


def test_slice_is_off_until_asked_for_then_its_loss_here_is_the_training_loss():
    at = open_page()
    assert not [h for h in at.html if 'class="pg-slice"' in h.value]
    at.toggle(key=cuts.KEY + "on").set_value(True).run()
    assert not at.exception, at.exception
    for _ in range(2):
        at.button(key=us.KEY + "_step").click().run()
    run = at.session_state[PlaygroundState.KEY].runs["a"]
    block = slice_html(at)
    here = float(re.search(r'data-pg-slice-loss="([^"]+)"', block).group(1))
    assert np.isclose(here, run.latest("train_loss"), rtol=1e-5)
    shown = re.search(r'data-pg="slice-loss">([0-9.]+)<', block).group(1)
    assert shown == reported_training_loss(at)
    held = run.model.params.size - 2  # 2-4-2-1: 12 + 10 + 3 = 25 parameters
    assert held == 23
    assert f"the other {held} weights and biases are held" in block
    assert f"the true landscape has {held + 2} dimensions" in block


def test_other_weights_and_the_path_of_each_frame():
    at = open_page({"hidden": "3", "act": "relu"})
    at.toggle(key=cuts.KEY + "on").set_value(True).run()
    first = at.selectbox(key=cuts.KEY + "a_first")
    assert first.options[:3] == ["w: x₁ → unit 1 of layer 1", "w: x₂ → unit 1 of layer 1",
                                 "b: bias of unit 1 of layer 1"]
    first.set_value("1W2,0").run()  # unit 3 of layer 1 -> the output
    at.selectbox(key=cuts.KEY + "a_second").set_value("1b0").run()
    for _ in range(3):
        at.button(key=us.KEY + "_step").click().run()
    run = at.session_state[PlaygroundState.KEY].runs["a"]
    assert run.view_cache["params_path"]["epochs"] == [0, 1, 2, 3]
    path_a, path_b = cuts.path_of(run, (1, "W", 2, 0), (1, "b", 0))
    assert path_a[-1] == np.float32(run.model.layers[1].W[2, 0])
    assert path_b[-1] == np.float32(run.model.layers[1].b[0])
    here = float(re.search(r'data-pg-slice-loss="([^"]+)"', slice_html(at)).group(1))
    assert np.isclose(here, run.latest("train_loss"), rtol=1e-5)


def test_the_same_weight_twice_is_refused_with_a_message():
    at = open_page()
    at.toggle(key=cuts.KEY + "on").set_value(True).run()
    at.selectbox(key=cuts.KEY + "a_second").set_value("0W0,0").run()
    assert not at.exception
    assert any("two different weights" in i.value for i in at.info)
    assert not [h for h in at.html if 'class="pg-slice"' in h.value]
