"""The draw page's work: read a drawing with a model, and teach a copy of the model.

    probabilities, saliency = teaching.read(model, image)     # image: 28x28 in [0, 1]
    student = teaching.own_copy(model)                         # the shared model stays as it is
    lesson = teaching.teach(student, image, label=3, seed=0)   # a few training steps, checked

`read` is safe on a model shared by every session (the engine's predict and
input_gradient keep no state on the model). `teach` trains only the copy it is
given, on the drawing mixed with MNIST digits, and says what the lesson did:
the answer before and after, and the accuracy on MNIST test digits before and
after, so a learner sees what teaching one digit cost the others.
"""

import io
import math
import warnings
from dataclasses import dataclass

import numpy as np
import streamlit as st
from PIL import Image

from engine import Trainer, load_mnist, load_model, optimizers, per_class_accuracy, save_model
from engine.augment import augment_batch

# A lesson: TEACH_STEPS Adam steps, each on TEACH_OWN copies of the drawing among
# TEACH_BATCH - TEACH_OWN MNIST training digits. Adam moves every weight by about its lr at
# each step, whatever the drawing, so a lesson must be small to leave the rest alone. Measured
# on the bundled model (the TEST_SAMPLES check digits): 15 steps of 8 copies in 32 at lr 1e-3
# cost 2 to 11 points (a flagged 1 taught as 1: 98.45% -> 95.60%). These settings cost at most
# 0.15 points in 102 lessons (each bench/handwriting.py style taught its own label and two
# wrong ones, 12 misread MNIST test digits taught theirs); every right label for a misread or
# unsure digit won, while a wrong label for a clear digit moves it only a little.
TEACH_STEPS = 20  # training steps per lesson
TEACH_OWN = 2  # copies of the drawing in each batch (1 as drawn + 1 distorted) ...
TEACH_BATCH = 256  # ... among 254 MNIST training digits, replayed so it does not forget them
TEACH_LR = 3.5e-5  # Adam's learning rate for a lesson
TEST_SAMPLES = 2000  # MNIST test digits used to check that a lesson did not spoil the rest


@st.cache_resource(show_spinner="Loading MNIST ...")
def mnist_digits():
    """MNIST as uint8 arrays (read-only, one copy for every session), for teaching and checking."""
    (x_train, y_train), (x_test, y_test) = load_mnist()
    arrays = (x_train, y_train, x_test[:TEST_SAMPLES], y_test[:TEST_SAMPLES])
    for array in arrays:
        array.flags.writeable = False
    return arrays


MAX_CANVAS_SIDE = 1200  # pixels: the 280-pixel canvas on a screen of up to 4 pixels per point


def canvas_pixels(canvas):
    """The canvas's picture as an array (None before the first stroke), read safely.

    The picture arrives from the browser as a PNG data URL, and a browser can be
    made to send anything: its header is read first, and only a PNG of at most
    MAX_CANVAS_SIDE pixels a side is decoded. ValueError otherwise.
    """
    try:
        data = canvas.image_bytes
    except Exception:  # noqa: BLE001 - not a data URL at all
        raise ValueError("the drawing did not arrive as a picture") from None
    if data is None:
        return None
    refused = f"the drawing is not a PNG of at most {MAX_CANVAS_SIDE} pixels a side"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # refused below
            with Image.open(io.BytesIO(data)) as picture:  # reads the header only
                if picture.format != "PNG" or max(picture.size) > MAX_CANVAS_SIDE:
                    raise ValueError(refused)
                return np.asarray(picture.convert("RGBA"))
    except ValueError:
        raise
    except Image.DecompressionBombError:  # a header asking for hundreds of millions of pixels
        raise ValueError(refused) from None
    except Exception as err:  # noqa: BLE001 - Pillow's errors for a broken or huge picture
        raise ValueError(f"the drawing could not be read ({type(err).__name__})") from None


# A drawing is too flat, too small or in too many pieces to be a digit when (judged from
# engine.preprocess.ink_extent, before any model reads it, in this order):
MIN_TALLNESS = 0.5  # it is less tall than half its width: 4 of the 60,000 MNIST training
#                     digits are (MNIST_FLAT)
MIN_HEIGHT = 0.25  # ... or less tall than a quarter of the canvas (70 of 280 pixels): digits
#                    drawn 90 pixels tall are still read well (bench/handwriting.py's "small")
MIN_INKED = 0.5  # ... or fewer than half of its box's rows (or columns) hold ink: 7 of the
#                  60,000 MNIST training digits have such gaps (MNIST_GAPPY)
MNIST_FLAT, MNIST_GAPPY = 4, 7  # checked against the data by tests/ui/test_teaching.py


def not_a_digit(extent, canvas_size):
    """Why a drawing cannot be a digit (too flat, too small, in pieces) for the page; or None.

    `extent` is engine.preprocess.ink_extent of the canvas's picture (or None,
    nothing drawn). The picture may have more pixels than the canvas has
    points (a sharp screen sends 2 per point), so sizes are told in the
    canvas's own `canvas_size` x `canvas_size` pixels. A network always names a
    digit (its ten probabilities add up to 1), so this is the only way a dot
    or a dash gets "unsure": from the drawing itself.
    """
    if extent is None:
        return None
    height = round(extent.height * canvas_size / extent.picture_height)
    width = round(extent.width * canvas_size / extent.picture_width)
    times = "\u00a0×\u00a0"  # no-break spaces: "280 × 280" never splits over two lines
    size = f"{width}{times}{height} pixels of the {canvas_size}{times}{canvas_size} canvas"
    if extent.height < MIN_TALLNESS * extent.width:
        return (f"Unsure: the drawing is {size}, less than half as tall as it is wide; "
                f"only {MNIST_FLAT} of MNIST's 60,000 training digits are that flat. Draw a "
                "digit, not a line.")
    if extent.height < MIN_HEIGHT * extent.picture_height:
        least = math.ceil(MIN_HEIGHT * canvas_size)
        return (f"Unsure: the drawing is only {size}; a digit should be at least {least} pixels "
                "tall, better most of the canvas's height. Draw it bigger.")
    rows, columns = extent.rows_with_ink, extent.columns_with_ink
    if min(rows, columns) < MIN_INKED:
        which, share = ("rows", rows) if rows <= columns else ("columns", columns)
        return (f"Unsure: the drawing is in pieces with empty space between them: only "
                f"{math.floor(share * 100)}% of the {which} it spans hold ink; only "
                f"{MNIST_GAPPY} of MNIST's 60,000 training digits have ink on fewer than half. "
                "Draw the digit with strokes that meet.")
    return None


def reads_digits(model):
    """True for a model that maps 784 pixels to 10 digit scores."""
    return getattr(model, "n_inputs", None) == 784 and getattr(model, "n_outputs", None) == 10


def read(model, image):
    """Scores of the ten digits (summing to 1) and the saliency of the best one, (28, 28).

    A model whose last layer is not a softmax gets its outputs clipped at 0 and
    scaled to sum to 1, so they read as probabilities too.
    """
    x = image.reshape(1, 784)
    output = model.predict(x)[0].astype(np.float64)
    best = int(np.argmax(output))
    gradient = model.input_gradient(x, best)[0].reshape(28, 28)
    if model.layers[-1].activation.name != "softmax":
        output = np.clip(output, 0.0, None)
        output = output / output.sum() if output.sum() > 0 else np.full(10, 0.1)
    return output, gradient


def own_copy(model):
    """A new model with the same layers and weights (save and load round trip)."""
    return load_model(save_model(model))


def lesson_batches(image, label, rng):
    """TEACH_STEPS batches of the drawing (as drawn + distorted) mixed with MNIST.

    Each batch of TEACH_BATCH holds TEACH_OWN copies of the drawing and
    random MNIST training digits, so the model learns this digit without
    forgetting the others. Returns X float32 (TEACH_STEPS * TEACH_BATCH, 784), y int64.
    """
    x_train, y_train, _, _ = mnist_digits()
    n_mnist = TEACH_BATCH - TEACH_OWN
    drawing = image.reshape(1, 784).astype(np.float32)
    xs, ys = [], []
    for _ in range(TEACH_STEPS):
        copies = np.repeat(drawing, TEACH_OWN, axis=0)
        copies[1:] = augment_batch(copies[1:], rng)
        picks = rng.integers(0, len(x_train), n_mnist)
        mnist = x_train[picks].reshape(n_mnist, 784).astype(np.float32) / np.float32(255.0)
        xs += [copies, mnist]
        ys += [np.full(TEACH_OWN, label), y_train[picks]]
    return np.concatenate(xs), np.concatenate(ys).astype(np.int64)


def test_accuracy(model):
    """Accuracy on the first TEST_SAMPLES MNIST test digits: overall, and per digit (10,)."""
    _, _, x_test, y_test = mnist_digits()
    X = x_test.reshape(len(x_test), 784).astype(np.float32) / np.float32(255.0)
    predicted = model.predict_classes(X)
    return float(np.mean(predicted == y_test)), per_class_accuracy(y_test, predicted, 10)


test_accuracy.__test__ = False  # not a test, whatever its name says to pytest


def teach_loss(model):
    """The loss the model was trained with, or the usual one for its output layer."""
    if model.loss:
        return model.loss
    return "cross_entropy" if model.layers[-1].activation.name == "softmax" else "mse"


@dataclass(frozen=True)
class Lesson:
    """What one lesson did: the drawing, its label, the answers and accuracies before and after."""

    label: int
    image: np.ndarray  # the drawing, 28x28
    before: np.ndarray  # probabilities of the ten digits before the lesson
    after: np.ndarray  # ... and after it
    accuracy_before: float  # on TEST_SAMPLES MNIST test digits
    accuracy_after: float
    worst_digit: int  # the digit whose test accuracy dropped most
    worst_drop: float
    worst_before: float  # that digit's accuracy before and after
    worst_after: float


def teach(student, image, label, seed):
    """Train `student` (a session's own copy) for one lesson on the drawing; return a Lesson.

    The lesson is not an epoch of the model's own training record: its history,
    training settings and loss are kept as they were. Raises ValueError or
    engine.TrainingDiverged if the training fails (the student may then be
    part-trained).
    """
    before, _ = read(student, image)
    accuracy_before, per_digit_before = test_accuracy(student)
    history, config, loss_name = list(student.history), dict(student.training_config), student.loss
    X, y = lesson_batches(image, label, np.random.default_rng(seed))
    try:
        Trainer(student, X, y, epochs=1, batch_size=TEACH_BATCH,
                optimizer=optimizers.get("adam", lr=TEACH_LR), loss=teach_loss(student),
                shuffle=False, seed=0).run()
    finally:
        student.history, student.training_config, student.loss = history, config, loss_name
    after, _ = read(student, image)
    accuracy_after, per_digit_after = test_accuracy(student)
    drops = np.nan_to_num(per_digit_before - per_digit_after, nan=0.0)
    worst = int(np.argmax(drops))
    return Lesson(label=int(label), image=image, before=before, after=after,
                  accuracy_before=accuracy_before, accuracy_after=accuracy_after,
                  worst_digit=worst, worst_drop=float(drops[worst]),
                  worst_before=float(per_digit_before[worst]),
                  worst_after=float(per_digit_after[worst]))


def percent(p):
    """A probability for the page: '59%', or 'under 1%' for what rounds to 0."""
    return f"{p:.0%}" if p >= 0.005 else "under 1%"


def lesson_summary(lesson):
    """What a lesson did to the drawing's answer and what it cost on the check digits (Markdown).

    The same words fit a misread clear digit (one lesson nudges it; MNIST's thousands of
    digits weigh more), an ambiguous one (the lesson tips it) and a wrong label.
    """
    label, before, after = lesson.label, lesson.before, lesson.after
    said, says = int(np.argmax(before)), int(np.argmax(after))
    p_before, p_after = percent(before[label]), percent(after[label])
    if said == label:
        did = (f"It already read this drawing as **{label}** ({p_before}); after the lesson, "
               f"{p_after}.")
    elif says == label:
        did = (f"The lesson changed the answer from **{said}** to **{label}**: the probability "
               f"of {label} went from {p_before} to {p_after}.")
    else:
        moved = (f"hardly moved the probability of **{label}** ({p_before} before and after)"
                 if p_before == p_after else
                 f"raised the probability of **{label}** from {p_before} to {p_after}")
        did = (f"The lesson {moved}, not enough to change the answer: it still says "
               f"**{says}**. A lesson is a small push, so that the network keeps what "
               f"60,000 MNIST digits taught it, and those say drawings like this are "
               f"{said}s. Teach it again to push further, and watch the cost.")
    right_before = round(lesson.accuracy_before * TEST_SAMPLES)
    right_after = round(lesson.accuracy_after * TEST_SAMPLES)
    cost = (f"Its cost: of {TEST_SAMPLES:,} MNIST test digits it read {right_before:,} right "
            f"({lesson.accuracy_before:.2%}) before the lesson and {right_after:,} "
            f"({lesson.accuracy_after:.2%}) after it")
    if right_after < right_before:
        cost += f": {right_before - right_after} fewer"
        if lesson.worst_drop > 0.02:
            cost += (f", mostly real **{lesson.worst_digit}**s ({lesson.worst_before:.0%} "
                     f"right before, {lesson.worst_after:.0%} after)")
        cost += "."
    elif right_after > right_before:
        cost += f": {right_after - right_before} more; learning yours did not spoil the others."
    else:
        cost += ": the same; learning yours did not make it forget the others."
    return f"{did}\n\n{cost}"


TILE_BACKGROUND = (240, 242, 246)  # light grey around a picture that is not square


def tile(image, side=140):
    """A grayscale [0, 1] image drawn on a side x side RGB tile, as large as fits.

    Small images grow by a whole factor with square pixels (a 28x28 input
    stays visibly 28x28); large ones shrink smoothly. The part of the tile
    the picture does not cover is light grey.
    """
    pixels = (np.clip(image, 0.0, 1.0) * 255).astype(np.uint8)
    height, width = image.shape
    longest = max(height, width)
    if longest > side:
        size = (max(1, round(width * side / longest)), max(1, round(height * side / longest)))
        pixels = np.asarray(Image.fromarray(pixels).resize(size, Image.Resampling.BOX))
    else:
        factor = side // longest
        pixels = np.kron(pixels, np.ones((factor, factor), np.uint8))
    out = np.empty((side, side, 3), np.uint8)
    out[...] = TILE_BACKGROUND
    top, left = (side - pixels.shape[0]) // 2, (side - pixels.shape[1]) // 2
    out[top:top + pixels.shape[0], left:left + pixels.shape[1]] = pixels[:, :, None]
    return out
