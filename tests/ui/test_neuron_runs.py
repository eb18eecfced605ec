"""ui.neuron_runs and ui.neuron_views: the one-neuron page's data, runs, pacing and pictures.

No Streamlit session and no sleeps: runs are stepped directly, the Pacer runs on a
fake clock, and each expected number is worked out here from the page's formulas.
"""

import numpy as np
import pytest

from engine import Dense, Sequential, datasets
from engine.optimizers import Adam
from engine.units import Perceptron, UnitTrainer
from ui import catalog
from ui import neuron_views as views
from ui.live import Pacer
from ui.neuron_runs import (EIGHT, MAX_CURVE_POINTS, OWN_DATASETS, PERCEPTRON, SIGMOID,
                            TUTORIAL_EVERY, NeuronRun, correct_count, dataset_label,
                            dataset_options, is_plane_set, load_data, make_unit, play_frame)
from ui.xor_net import xor_network

OR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
OR_Y = np.array([0, 1, 1, 1], dtype=float)
START = (0.3, -0.6, 0.1)


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def or_run(batch_size=1, seed=0, weights=START, model=PERCEPTRON):
    data = load_data("OR")
    return NeuronRun.start(("OR",), data, make_unit(model, "mse", 0.1, weights), batch_size, seed)


# ----------------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------------


def test_the_data_box_offers_the_page_sets_then_every_two_class_registry_set():
    options = dataset_options()
    assert options[:len(OWN_DATASETS)] == list(OWN_DATASETS)
    registry = catalog.plane_datasets(max_classes=2)
    assert options[len(OWN_DATASETS):] == registry
    assert "spiral3" not in options  # three classes: not for one unit
    assert all(is_plane_set(name) for name in registry)
    assert not any(is_plane_set(name) for name in OWN_DATASETS)
    assert dataset_label("OR") == "OR"
    assert dataset_label("moons") == catalog.label("dataset", "moons") == "Moons"


def test_load_data_gives_exact_truth_tables_and_nothing_held_out():
    data = load_data("XOR")
    np.testing.assert_array_equal(data["X_train"], OR_X)
    np.testing.assert_array_equal(data["y_train"], [0, 1, 1, 0])
    assert data["X_train"].dtype == np.float64
    assert len(data["y_test"]) == 0


@pytest.mark.parametrize("name", catalog.plane_datasets(max_classes=2))
def test_a_registry_set_is_the_engines_points_split_like_the_blobs(name):
    data = load_data(name, n_points=120, noise=0.1, seed=3, test_percent=25)
    X, y = datasets.make_plane(name, 120, 0.1, 3)
    X_train, X_test, y_train, y_test = datasets.train_test_split(
        X.astype(float), y.astype(float), test_size=0.25, seed=3)
    for key, expected in (("X_train", X_train), ("X_test", X_test), ("y_train", y_train),
                          ("y_test", y_test)):
        np.testing.assert_array_equal(data[key], expected)
    assert len(data["y_test"]) == 30 and set(np.unique(data["y_train"])) <= {0.0, 1.0}


def test_blobs_hold_out_their_share_and_bad_settings_raise_value_error():
    data = load_data("Two blobs", n_points=40, separation=4.0, noise=1.0, seed=0, test_percent=25)
    assert (len(data["y_train"]), len(data["y_test"])) == (30, 10)
    with pytest.raises(ValueError):
        load_data("moons", n_points=1)


# ----------------------------------------------------------------------------
# Runs
# ----------------------------------------------------------------------------


def test_a_new_run_starts_from_the_given_weights_with_one_curve_point():
    run = or_run()
    np.testing.assert_array_equal(run.unit.w, START[:2])
    assert run.unit.b == START[2]
    # z = 0.3 x1 - 0.6 x2 + 0.1 is 0.1, -0.5, 0.4, -0.2 on OR's inputs: step says 1, 0, 1, 0
    # for targets 0, 1, 1, 1, so 3 mistakes, and the tutorial's E = sum (y_hat - y)^2 = 3.
    assert run.updates == [0] and run.train_loss == [3.0] and run.test_loss == []
    assert run.tutorial_updates == [0] and run.tutorial_error == [3.0]
    assert run.last is None and run.last_changes() is None
    assert run.remaining(3) == 12 and run.fraction_done(3) == 0.0


def test_steps_follow_the_engines_trainer_and_record_every_update():
    run = or_run(seed=5)
    unit = Perceptron(n_inputs=2, lr=0.1)
    unit.w, unit.b = START[:2], START[2]
    twin = UnitTrainer(unit, OR_X, OR_Y, batch_size=1, seed=5)
    run.step()
    run.step_epoch()  # finishes the epoch under way: 3 more updates
    twin.step(4)
    np.testing.assert_array_equal(run.unit.w, unit.w)
    assert run.unit.b == unit.b
    assert run.updates == [0, 1, 2, 3, 4] and run.trainer.epoch == 1
    assert run.train_loss[-1] == unit.errors(OR_X, OR_Y)
    last = run.last
    assert run.last_changes() == pytest.approx(
        [last["w"][0] - last["w_before"][0], last["w"][1] - last["w_before"][1],
         last["b"] - last["b_before"]])
    assert run.remaining(2) == 4 and run.fraction_done(2) == 0.5


def test_a_long_run_thins_its_loss_curve_evenly_and_keeps_the_tutorial_points():
    run = or_run()
    n = 2 * MAX_CURVE_POINTS + 1  # one past the limit: the curve halves, the stride doubles
    for _ in range(n):
        run.step()
    assert run.curve_stride == 2
    assert MAX_CURVE_POINTS <= len(run.updates) <= 2 * MAX_CURVE_POINTS
    assert run.updates[0] == 0 and set(np.diff(run.updates)) == {2}
    assert len(run.train_loss) == len(run.updates)
    # before training, then after updates 1, 101, 201 ... (tutorial 002's iterations 0, 100 ...)
    assert run.tutorial_updates == [0, *range(1, n + 1, TUTORIAL_EVERY)]


def test_a_held_out_set_gets_its_own_curve():
    data = load_data(EIGHT, test_percent=25)
    run = NeuronRun.start((EIGHT,), data, make_unit(SIGMOID, "bce", 1.0, START), 1, 0)
    run.step()
    assert len(run.test_loss) == len(run.train_loss) == 2


# ----------------------------------------------------------------------------
# Play: paced by the clock, never past the epochs
# ----------------------------------------------------------------------------


def test_play_makes_the_updates_due_by_the_clock_and_stops_at_the_last_epoch():
    run, clock = or_run(), FakeClock()
    pacer = Pacer(rate=0.0, clock=clock)
    # "fast": a run of 5 epochs (20 updates) takes 4 s, 5 updates per second.
    assert play_frame(run, pacer, 5, "fast", budget_s=60) is False
    assert run.trainer.updates == 2  # the first frame counts as 0.5 s: 2.5 updates, 2 made
    clock.now += 1.0
    play_frame(run, pacer, 5, "fast", budget_s=60)
    assert run.trainer.updates == 7  # 5 more, plus the half update owed
    clock.now += 0.2
    play_frame(run, pacer, 5, "fast", budget_s=60)
    assert run.trainer.updates == 8  # 1 due: at least one per frame
    clock.now += 100.0  # a long gap (a hidden tab) counts as 1 s only
    play_frame(run, pacer, 5, "fast", budget_s=60)
    assert run.trainer.updates == 13
    for _ in range(10):
        clock.now += 1.0
        if play_frame(run, pacer, 5, "fast", budget_s=60):
            break
    assert run.trainer.updates == 20 and run.remaining(5) == 0  # not one update more


def test_slow_play_makes_one_update_per_frame():
    run, clock = or_run(), FakeClock()
    pacer = Pacer(rate=0.0, clock=clock)
    for expected in (1, 2, 3):
        clock.now += 5.0
        play_frame(run, pacer, 5, "slow")
        assert run.trainer.updates == expected
    # Switching to a faster speed then starts afresh: no debt, no catching up.
    play_frame(run, pacer, 5, "normal", budget_s=60)  # 20 updates in 15 s, first frame 0.5 s
    assert run.trainer.updates == 4


def test_a_frame_over_its_budget_stops_early_and_forgives_the_rest():
    run, clock = or_run(), FakeClock()
    pacer = Pacer(rate=0.0, clock=clock)
    play_frame(run, pacer, 500, "fast", budget_s=0.0)  # 2000 updates in 4 s: 250 due at once
    assert run.trainer.updates == 1  # the budget is spent after the first update
    clock.now += 0.001
    play_frame(run, pacer, 500, "fast", budget_s=60)
    assert run.trainer.updates == 1 + 1  # nothing owed from the frame cut short: 0.5 due, 1 made


# ----------------------------------------------------------------------------
# Views and the XOR network
# ----------------------------------------------------------------------------


def test_truth_table_and_batch_text_say_what_the_unit_computes():
    unit = make_unit(PERCEPTRON, "mse", 0.1, (1.0, 1.0, -1.0))  # OR = step(x1 + x2 - 1)
    table, n_right, on_line = views.truth_table(unit, PERCEPTRON, "OR", OR_X, OR_Y)
    assert n_right == 4 and on_line  # (0, 1) and (1, 0) lie on the line: z = 0, step(0) = 1
    assert list(table["z = w₁x₁ + w₂x₂ + b"]) == ["-1", "0", "0", "1"]
    assert list(table["right?"]) == ["yes"] * 4
    assert views.on_line_caption(unit, OR_X).startswith("The point (0, 1) lies on the line: z = 0")
    run = or_run(batch_size=4)
    run.step()
    assert views.batch_text(run.last, run.data, PERCEPTRON, "mse") == (
        "Update 1 (epoch 1) used 4 points of 4.")
    run = or_run(seed=0)
    run.step()
    i = run.last["indices"][0]
    x, target = OR_X[i], int(OR_Y[i])
    said = int(x @ START[:2] + START[2] >= 0)
    verdict = "right, so nothing changes" if said == target else "wrong, so the line moves"
    assert views.batch_text(run.last, run.data, PERCEPTRON, "mse") == (
        f"Update 1 (epoch 1) used the point x = ({x[0]:g}, {x[1]:g}) with target y = {target}; "
        f"the neuron said ŷ = {said} ({verdict}).")


def test_the_loss_figure_counts_whole_mistakes_for_the_perceptron():
    run = or_run()
    run.step_epoch()
    fig = views.loss_figure(run, PERCEPTRON, "mse")
    assert fig.layout.yaxis.dtick == 1
    assert list(fig.data[0].y) == run.train_loss
    assert views.loss_label(SIGMOID, "bce") == "binary cross-entropy"


def test_the_xor_network_is_the_2_4_1_network_trained_with_adam_and_solves_xor():
    network, losses = xor_network()
    X, y = datasets.logic_gate("xor")
    # The page's network before the move, built and trained the same way.
    before = Sequential([Dense(2, 4, "tanh"), Dense(4, 1, "sigmoid")], seed=0)
    history = before.fit(X, y, epochs=500, batch_size=4, optimizer=Adam(lr=0.05),
                         loss="binary_cross_entropy", seed=0)
    for layer, old in zip(network.layers, before.layers):
        np.testing.assert_array_equal(layer.W, old.W)
        np.testing.assert_array_equal(layer.b, old.b)
    assert losses == [epoch["loss"] for epoch in history] and len(losses) == 500
    table, n_right = views.xor_truth_table(network, X, y)
    assert n_right == 4 and list(table["says"]) == [0, 1, 1, 0]
    fig = views.xor_figure(network, X, y)
    assert sum(trace.name == "hidden neurons' lines" for trace in fig.data) == 4


def test_correct_count_is_zero_for_no_points():
    unit = make_unit(PERCEPTRON, "mse", 0.1, START)
    assert correct_count(unit, OR_X[:0], OR_Y[:0]) == 0
    assert correct_count(unit, OR_X, OR_Y) == 1  # only (1, 0): see the start weights above
