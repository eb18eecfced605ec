"""ui/teaching.py: reading a drawing, the lesson's batches, and a lesson on a copy."""

import numpy as np
import pytest

from engine import Dense, Sequential
from engine.preprocess import INK_THRESHOLD, canvas_to_mnist, ink_extent, render_strokes
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


# --- a drawing too flat, too small or in pieces to be a digit ----------------------------

def block_picture(*blocks, side=280):
    """A side x side ink picture with solid blocks (top, bottom, left, right) of full ink."""
    ink = np.zeros((side, side), np.float32)
    for top, bottom, left, right in blocks:
        ink[top:bottom, left:right] = 1.0
    return ink


def doubt(*blocks, side=280):
    return teaching.not_a_digit(ink_extent(block_picture(*blocks, side=side)), 280)


def test_a_drawing_less_than_70_pixels_tall_is_too_small():
    # The page says "at least 70 pixels tall": 69 is flagged, 70 is not.
    assert 70 == np.ceil(teaching.MIN_HEIGHT * 280)
    text = doubt((100, 169, 130, 150))
    assert text.startswith("Unsure: the drawing is only 20 × 69 pixels of the 280 × 280 canvas")
    assert "at least 70 pixels tall" in text and "Draw it bigger" in text
    assert doubt((100, 170, 130, 150)) is None


def test_a_drawing_less_than_half_as_tall_as_wide_is_too_flat():
    text = doubt((100, 199, 40, 240))  # 200 wide, 99 tall
    assert text.startswith("Unsure: the drawing is 200 × 99 pixels of the 280 × 280 canvas, "
                           "less than half as tall as it is wide")
    assert f"only {teaching.MNIST_FLAT} of MNIST's 60,000 training digits" in text
    assert doubt((100, 200, 40, 240)) is None  # 100 tall: half its width
    # A short dash is too flat before it is too small.
    assert "less than half as tall" in doubt((130, 150, 100, 181))


def test_a_drawing_in_pieces_is_flagged_with_the_share_of_rows_or_columns():
    # A box 100 rows tall (100..199): 25 + 24 = 49 rows of ink are fewer than half.
    text = doubt((100, 125, 100, 120), (176, 200, 100, 120))
    assert "in pieces with empty space between them: only 49% of the rows it spans" in text
    assert f"only {teaching.MNIST_GAPPY} of MNIST's 60,000 training digits" in text
    assert doubt((100, 125, 100, 120), (175, 200, 100, 120)) is None  # 50 of 100 rows
    # Side by side: the columns. 0.495 shows as 49%, never a rounded-up "50%".
    text = doubt((100, 200, 20, 69), (100, 200, 170, 220))  # 49 + 50 of 200 columns
    assert "only 49% of the columns it spans" in text


def test_sizes_are_told_in_canvas_pixels_on_a_sharp_screen():
    # A screen with 2 pixels per point sends a 560 x 560 picture of the 280-point canvas.
    text = doubt((200, 240, 300, 340), side=560)
    assert text.startswith("Unsure: the drawing is only 20 × 20 pixels of the 280 × 280 canvas")
    assert doubt((100, 240, 300, 340), side=560) is None  # 70 points tall


@pytest.mark.parametrize("strokes", [
    [[(168, 48), (150, 140), (134, 236)]],  # a tall, thin 1
    [[(140, 40), (140, 240)]],  # a straight 1, one pen width wide
    [[(78, 62), (150, 58), (204, 56), (166, 140), (128, 238)]],  # 7
    [[(190, 40), (60, 180), (220, 180)], [(170, 40), (170, 250)]],  # 4 in two strokes
    [[(200, 50), (90, 50), (85, 130), (200, 140), (190, 230), (80, 230)]],  # 5
])
def test_digits_are_not_flagged(strokes):
    for pen in (8, 20, 40):
        assert teaching.not_a_digit(ink_extent(render_strokes(strokes, width=pen)), 280) is None


def test_the_mnist_counts_the_page_quotes():
    """MNIST_FLAT and MNIST_GAPPY, counted over the 60,000 training digits (vectorised;
    ink_extent itself is checked on those digits and a sample of the others)."""
    x_train = teaching.mnist_digits()[0]
    inked = x_train.astype(np.float32) * np.float32(1 / 255) >= INK_THRESHOLD  # as to_ink
    rows, columns = inked.any(axis=2), inked.any(axis=1)

    def span(lines):
        first = lines.argmax(axis=1)
        last = lines.shape[1] - 1 - lines[:, ::-1].argmax(axis=1)
        return last - first + 1

    height, width = span(rows), span(columns)
    flat = height < teaching.MIN_TALLNESS * width
    gappy = np.minimum(rows.sum(axis=1) / height, columns.sum(axis=1) / width) < teaching.MIN_INKED
    assert int(flat.sum()) == teaching.MNIST_FLAT
    assert int(gappy.sum()) == teaching.MNIST_GAPPY
    sample = np.flatnonzero(flat | gappy).tolist() + list(range(0, 60000, 300))
    for index in sample:
        extent = ink_extent(x_train[index])
        assert (extent.height, extent.width) == (height[index], width[index])
        assert (extent.height < teaching.MIN_TALLNESS * extent.width) == flat[index]
        assert (min(extent.rows_with_ink, extent.columns_with_ink)
                < teaching.MIN_INKED) == gappy[index]
