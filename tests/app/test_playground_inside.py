"""AppTest checks of the playground's look inside a hidden layer (issue 12, part 3): the
histogram of z and the dead and saturated units it reports, against numbers computed here."""

import re

import numpy as np

from tests.app.test_playground_page import open_page
from ui import playground_inside as inside
from ui import url_state as us
from ui.state import PlaygroundState


def inside_html(at):
    (block,) = [h.value for h in at.html if 'class="pg-inside"' in h.value]
    return block


def attribute(block, name):
    return re.search(rf'{name}="([^"]*)"', block).group(1)


def shown_dead(block):
    """(dead, units) as the sentence under the histogram says them: '3 of 8'."""
    dead, units = re.search(r'data-pg="dead">(\d+) of (\d+)<', block).groups()
    return int(dead), int(units)


def step(at, times):
    for _ in range(times):
        at.button(key=us.KEY + "_step").click().run()
        assert not at.exception, at.exception


def dead_units_by_hand(run, layer=0):
    """Units whose z = X @ W + b is <= 0 on every training point (ReLU's slope there is 0)."""
    W, b = run.model.layers[layer].W, run.model.layers[layer].b
    z = run.X_train.astype(W.dtype) @ W + b
    return np.flatnonzero(np.all(z <= 0, axis=0)).tolist()


def test_default_page_shows_layer_one_histogram_with_every_value_counted():
    at = open_page()
    box = at.selectbox(key=inside.KEY)
    assert box.options == ["Layer 1: 4 tanh units", "Layer 2: 2 tanh units"]
    block = inside_html(at)
    counts = [int(c) for c in attribute(block, "data-pg-hist").split(",")]
    assert len(counts) == inside.BINS
    assert sum(counts) == 250 * 4  # every training point, every unit of layer 1
    assert attribute(block, "data-pg-points") == "250"
    assert 'data-pg="saturated">' in block and "4 units" in block  # tanh: saturation, no dying
    assert 'data-pg="dead"' not in block

    box.set_value("a1").run()
    block = inside_html(at)
    assert sum(int(c) for c in attribute(block, "data-pg-hist").split(",")) == 250 * 2


def test_saturated_share_is_the_share_of_values_beyond_the_limit():
    at = open_page()
    step(at, 2)
    run = at.session_state[PlaygroundState.KEY].runs["a"]
    W, b = run.model.layers[0].W, run.model.layers[0].b
    z = run.X_train.astype(W.dtype) @ W + b
    share = float(np.mean(1 - np.tanh(z) ** 2 < 0.01))  # slope under 1 % of its peak, 1
    block = inside_html(at)
    shown = int(re.search(r'data-pg="saturated">(\d+) %<', block).group(1))
    assert shown == round(100 * share) > 0
    assert "|z| &gt; 3.0," in block  # where 1 - tanh(z)^2 = 0.01: z = 2.99


def test_relu_units_die_with_a_learning_rate_too_big_and_the_count_is_the_models():
    shared, nets = inside.dying_setup()
    at = open_page(us.settings_to_url(shared, nets))
    assert at.selectbox(key=inside.KEY).options == [
        "Network A, layer 1: 8 ReLU units", "Network B, layer 1: 8 ReLU units"]
    assert shown_dead(inside_html(at)) == (0, 8)  # at the start every unit is active
    step(at, 3)
    runs = at.session_state[PlaygroundState.KEY].runs
    assert runs["b"].epoch == 3
    a_block = inside_html(at)
    assert shown_dead(a_block) == (len(dead_units_by_hand(runs["a"])), 8) == (0, 8)
    at.selectbox(key=inside.KEY).set_value("b0").run()
    block = inside_html(at)
    dead = dead_units_by_hand(runs["b"])
    assert len(dead) >= 3  # the lesson: learning rate 1 kills ReLU units (4 of 8 here)
    assert shown_dead(block) == (len(dead), 8)
    assert attribute(block, "data-pg-dead-units") == ",".join(map(str, dead))
    assert "never active on these 250 training points" in block
    assert sum(int(c) for c in attribute(block, "data-pg-hist").split(",")) == 250 * 8


def test_a_network_without_hidden_layer_says_there_is_nothing_inside():
    at = open_page({"hidden": ""})
    assert not [h for h in at.html if 'class="pg-inside"' in h.value]
    assert any("no hidden layer" in c.value for c in at.caption)


def test_the_dying_link_opens_the_set_up_it_describes():
    assert inside.DYING_LINK in inside.EXPLAIN
    shared, nets, notes = us.settings_from_url(
        dict(pair.split("=") for pair in inside.DYING_LINK[1:].replace("%2C", ",").split("&")))
    assert notes == [] and shared["compare"] and nets["b"]["lr"] == 1.0
