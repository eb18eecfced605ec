"""ui/teaching.py: reading a drawing, the lesson's batches, and a lesson on a copy."""

import numpy as np
import pytest

from engine import Dense, Sequential
from engine.preprocess import canvas_to_mnist, render_strokes
from ui import teaching

SEVEN = canvas_to_mnist(render_strokes([[(78, 62), (150, 58), (204, 56), (166, 140),
                                         (128, 238)]], width=20))


def small_model(seed=0):
    """784 -> 10 softmax with small random weights: fast, and not yet sure of anything."""
    return Sequential([Dense(784, 10, "softmax")], seed=seed)


def test_read_gives_probabilities_and_the_saliency_of_the_best_digit():
    layer = Dense(784, 10, "softmax")
    layer.W = np.random.default_rng(0).normal(0.0, 0.01, (784, 10)).astype(np.float32)
    layer.b = np.zeros(10, np.float32)
    layer.b[3] = 5.0
    model = Sequential([layer])
    probabilities, saliency = teaching.read(model, SEVEN)
    assert probabilities.shape == (10,) and probabilities.sum() == pytest.approx(1.0)
    assert int(np.argmax(probabilities)) == 3
    # one softmax layer: the logit of class 3 is x @ W[:, 3] + b_3, so its gradient is W[:, 3]
    np.testing.assert_allclose(saliency, layer.W[:, 3].reshape(28, 28), rtol=1e-6)


def test_read_turns_outputs_that_are_not_a_softmax_into_probabilities():
    layer = Dense(784, 10, "linear")
    layer.W = np.zeros((784, 10), np.float32)
    layer.b = np.array([-1, 0, 1, 3, 0, 0, 0, 0, 0, 0], np.float32)
    probabilities, _ = teaching.read(Sequential([layer]), SEVEN)
    np.testing.assert_allclose(probabilities, [0, 0, 0.25, 0.75, 0, 0, 0, 0, 0, 0])


def test_lesson_batches_mix_the_drawing_with_mnist_digits():
    X, y = teaching.lesson_batches(SEVEN, 7, np.random.default_rng(0))
    steps, batch, own = teaching.TEACH_STEPS, teaching.TEACH_BATCH, teaching.TEACH_OWN
    assert X.shape == (steps * batch, 784) and X.dtype == np.float32
    assert y.shape == (steps * batch,) and y.dtype == np.int64
    for start in range(0, len(X), batch):
        np.testing.assert_array_equal(X[start], SEVEN.reshape(784))  # as drawn
        assert not np.array_equal(X[start + 1], X[start])  # distorted copies
        assert (y[start:start + own] == 7).all()
    assert 0.0 <= X.min() and X.max() <= 1.0


def test_a_lesson_trains_only_the_copy_and_keeps_its_record():
    shared = small_model()
    shared.history = [{"epoch": 1, "loss": 1.0, "val_accuracy": 0.5}]
    student = teaching.own_copy(shared)
    assert student is not shared
    np.testing.assert_array_equal(student.params, shared.params)
    history, config, loss = list(student.history), dict(student.training_config), student.loss
    before = shared.params.copy()

    lesson = teaching.teach(student, SEVEN, 1, seed=0)

    np.testing.assert_array_equal(shared.params, before)  # the shared model is untouched
    assert not np.array_equal(student.params, before)
    assert (student.history, student.training_config, student.loss) == (history, config, loss)
    assert lesson.label == 1
    assert lesson.after[1] > lesson.before[1]  # the lesson raised the taught answer
    np.testing.assert_allclose(lesson.before, teaching.read(shared, SEVEN)[0])
    np.testing.assert_allclose(lesson.after, teaching.read(student, SEVEN)[0])
    accuracy, per_digit = teaching.test_accuracy(student)
    assert lesson.accuracy_after == accuracy and per_digit.shape == (10,)
    assert lesson.worst_drop == pytest.approx(lesson.worst_before - lesson.worst_after)


def test_a_tile_keeps_small_pictures_square_pixelled():
    picture = teaching.tile(SEVEN, side=140)
    assert picture.shape == (140, 140, 3) and picture.dtype == np.uint8
    np.testing.assert_array_equal(picture[:, :, 0], np.kron(
        (np.clip(SEVEN, 0, 1) * 255).astype(np.uint8), np.ones((5, 5), np.uint8)))
