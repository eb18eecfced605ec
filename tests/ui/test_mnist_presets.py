"""Every figure a MNIST preset's note promises is what training that preset gives.

Each preset is trained here as the page trains it (ui.jobs.Run: the same model,
optimizer, data and seed), on the real MNIST files, and the note must contain the
figures formatted from these runs: a note cannot drift from what the app does.
Seeds 0-4 for the quick presets (the note gives their spread), seed 0 for the others.
"""

import re

import pytest
from threadpoolctl import threadpool_limits

from ui import mnist_setup as setup
from ui.jobs import Run


@pytest.fixture(scope="module")
def data():
    with threadpool_limits(limits=1, user_api="blas"):  # as on the server (app.py)
        yield setup.load_data()


def train(data, config):
    run = Run.new(1, config, data)
    run.trainer.run()
    return setup.test_results(run.model, data)["accuracy"], run.trainer.history


def accuracies(data, name, seeds):
    return [train(data, dict(setup.PRESETS[name]["config"], seed=seed))[0] for seed in seeds]


# Percentages written to one decimal must be within 0.15 points of what training gives
# (the last digit, or one test digit of 10,000 read differently: float32 sums depend on
# the CPU's BLAS kernels); "about N%" within 0.5 points.
ONE_DECIMAL, ABOUT = 0.15, 0.5


def stated(note, pattern):
    """The numbers (in %) the note writes where `pattern` has its groups ((\\d+...) each)."""
    match = re.search(pattern, note)
    assert match, (pattern, note)
    return [float(group) for group in match.groups()]


def close(measured, written, tolerance):
    return abs(100 * measured - written) <= tolerance


@pytest.mark.parametrize("name", ["tutorial_1", "tutorial_5"])
def test_the_100_image_presets_give_the_accuracies_their_notes_state(data, name):
    note = setup.PRESETS[name]["note"]
    values = accuracies(data, name, range(5))
    (first,) = stated(note, r"(\d+\.\d)% on the 10,000 test digits")
    low, high = stated(note, r"seeds 0-4(?::| give) (\d+\.\d)-(\d+\.\d)%")
    assert close(values[0], first, ONE_DECIMAL), (values, note)
    assert close(min(values), low, ONE_DECIMAL) and close(max(values), high, ONE_DECIMAL), values


def test_five_epochs_on_100_images_climb_to_the_training_accuracy_the_note_states(data):
    _, history = train(data, setup.PRESETS["tutorial_5"]["config"])
    (written,) = stated(setup.PRESETS["tutorial_5"]["note"], r"climbs to (\d+)%")
    assert close(history[-1]["accuracy"], written, 1.0)  # 100 images: 1 point is one image
    assert history[-1]["accuracy"] < 0.9  # no "nears 100%" any more: it does not


def test_the_tutorials_printed_figures_are_quoted_as_printed():
    assert "The tutorial printed 0.3959" in setup.PRESETS["tutorial_1"]["note"]
    assert "the tutorial printed 0.690" in setup.PRESETS["tutorial_5"]["note"]
    assert "the tutorial printed 11.97% and 3.59%" in setup.PRESETS["optimizers"]["note"]


def test_all_60000_images_give_the_accuracy_the_note_states(data):
    (value,) = accuracies(data, "tutorial_all", [0])
    (written,) = stated(setup.PRESETS["tutorial_all"]["note"], r"about (\d+)% test accuracy")
    assert close(value, written, ABOUT) and value > 0.9  # the tutorial: "more than 90 %"


def test_the_keras_comparison_gives_the_error_rates_the_note_states(data):
    first, second = setup.job_configs(setup.PRESETS["optimizers"]["config"])
    assert (first["optimizer"], second["optimizer"]) == ("sgd", "rmsprop")
    errors = [1 - train(data, config)[0] for config in (first, second)]
    written = stated(setup.PRESETS["optimizers"]["note"],
                     r"error about (\d+(?:\.\d)?)% with SGD and about (\d+(?:\.\d)?)% with RMSprop")
    assert all(close(e, w, ABOUT) for e, w in zip(errors, written)), (errors, written)


def test_the_best_preset_gives_the_accuracy_its_note_and_label_state(data):
    (value,) = accuracies(data, "best", [0])
    (written,) = stated(setup.PRESETS["best"]["note"], r"about (\d+)% test accuracy")
    (label,) = stated(setup.PRESETS["best"]["label"], r"Best: (\d+)%")
    assert close(value, written, ABOUT) and close(value, label, ABOUT), value
