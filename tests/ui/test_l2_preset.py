"""The L2 preset shows what its title says: the regularised network generalises better.

"Compare: the same big network without / with L2 regularization" trains two
copies of a 2-16-16-16-1 ReLU network (Adam, learning rate 0.01, batch 10) on a
circle with 50 % label noise, 300 points of which 30 % (90) are for training;
network B adds L2 0.03. A memorises its 90 noisy points: its training loss
falls while its test loss climbs far above where it started, and it gets
about two thirds of the test points right. B, kept smooth, ends better on both
test loss and test accuracy, all the time a class watches (epochs 300 to
2,000, and beyond).

The two networks are trained here exactly as the page trains them: the
preset's settings (ui.url_state.preset_settings), the page's data and Runs
(ui.networks.load_data, Run) and its lockstep training, the preset's "epochs
per screen update" at a time (ui.networks.train_together). The screen only
adds time limits per frame, which change how many epochs a frame shows, never
what an epoch does.

Before this preset had 100 points (30 for training) and B ended with the
better test loss but the worse test accuracy (58.6 % against 64.3 % at epoch
1,108): the title's lesson was not what the screen showed.
"""

import math

import pytest

from ui import networks
from ui import url_state as us

NAME = "Compare: the same big network without / with L2 regularization"
EARLY = (10, 20, 50)  # A's test loss is at its lowest here, before it starts memorising
CHECKS = (300, 500, 750, 1000, 1250, 1500, 1750, 2000)  # epochs a class watches


def train(shared, nets, checks):
    """Both networks trained as the page does; {epoch: {"a": latest, "b": latest}} at the checks.

    Epoch 0 (the starting weights) is always there.
    """
    data = networks.load_data(shared)
    runs = {c: networks.Run(nets[c], data, shared["wseed"]) for c in us.NETS}
    seen = {0: {c: _latest(run) for c, run in runs.items()}}
    for epoch in checks:
        while runs["a"].epoch < epoch:
            step = min(shared["speed"], epoch - runs["a"].epoch)
            networks.train_together(list(runs.values()), step, budget_s=math.inf)
        assert runs["a"].epoch == runs["b"].epoch == epoch
        seen[epoch] = {c: _latest(run) for c, run in runs.items()}
    return seen


def _latest(run):
    assert run.error is None, run.error
    return {name: run.latest(name) for name in ("train_loss", "test_loss", "train_acc",
                                                 "test_acc")}


@pytest.fixture(scope="module")
def preset_run():
    return train(*us.preset_settings(NAME), checks=EARLY + CHECKS)


def test_the_preset_compares_the_same_network_without_and_with_l2():
    shared, nets = us.preset_settings(NAME)
    assert shared["compare"] and (shared["seed"], shared["wseed"]) == (0, 0)
    assert (nets["a"]["reg"], nets["b"]["reg"], nets["b"]["rate"]) == ("none", "l2", 0.03)
    same = {k: v for k, v in nets["a"].items() if k not in ("reg", "rate")}
    assert same == {k: v for k, v in nets["b"].items() if k not in ("reg", "rate")}
    assert nets["a"]["hidden"] == [16, 16, 16]  # big for 90 points: it can memorise them
    # The link the page writes for it opens the same experiment.
    link = us.settings_to_url(shared, nets)
    read_shared, read_nets, notes = us.settings_from_url(link)
    assert (read_shared, notes) == (shared, [])
    assert us.settings_to_url(read_shared, read_nets) == link


@pytest.mark.parametrize("epoch", CHECKS)
def test_with_l2_the_test_accuracy_and_the_test_loss_are_better(preset_run, epoch):
    a, b = preset_run[epoch]["a"], preset_run[epoch]["b"]
    assert b["test_acc"] > a["test_acc"], (epoch, a, b)
    assert b["test_loss"] < a["test_loss"], (epoch, a, b)


def test_with_l2_the_test_accuracy_is_clearly_better_on_average(preset_run):
    gaps = [preset_run[e]["b"]["test_acc"] - preset_run[e]["a"]["test_acc"] for e in CHECKS]
    assert sum(gaps) / len(gaps) > 0.05  # 5 points: more than 10 of the 210 test points


def test_without_l2_the_network_overfits_visibly(preset_run):
    a = {epoch: values["a"] for epoch, values in preset_run.items()}
    lowest_early = min(a[epoch]["test_loss"] for epoch in EARLY)
    for epoch in CHECKS:
        # It fits its training points far better than the test points,
        assert a[epoch]["train_acc"] > a[epoch]["test_acc"] + 0.15, (epoch, a[epoch])
        # and its test loss has climbed to more than twice its lowest.
        assert a[epoch]["test_loss"] > 2 * lowest_early, (epoch, a[epoch])
    # Meanwhile its training loss falls below anything it had early, and far below B's
    # (Adam makes it jump now and then: the median over the epochs watched).
    assert median(a, "train_loss") < min(a[epoch]["train_loss"] for epoch in EARLY)
    b = {epoch: values["b"] for epoch, values in preset_run.items()}
    assert median(a, "train_loss") < 0.5 * median(b, "train_loss")


def median(net, name):
    values = sorted(net[epoch][name] for epoch in CHECKS)
    return (values[(len(values) - 1) // 2] + values[len(values) // 2]) / 2


def test_with_l2_the_network_does_not(preset_run):
    start, b = preset_run[0]["b"], {epoch: preset_run[epoch]["b"] for epoch in CHECKS}
    for epoch in CHECKS:
        assert b[epoch]["test_loss"] < start["test_loss"], (epoch, b[epoch])
        assert abs(b[epoch]["train_acc"] - b[epoch]["test_acc"]) < 0.1, (epoch, b[epoch])


def test_the_check_can_fail_on_the_old_preset():
    """The preset as it was (100 points, 30 for training): B's test accuracy ends lower."""
    shared, nets = us.preset_settings(NAME)
    shared["points"] = 100
    old = train(shared, nets, checks=(1100,))[1100]
    assert old["b"]["test_acc"] < old["a"]["test_acc"]
    assert old["b"]["test_loss"] < old["a"]["test_loss"]
