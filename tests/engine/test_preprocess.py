"""Canvas -> MNIST preprocessing: a worked example, then properties of
realistic drawings (made with render_strokes) at many sizes and places.

Coordinates: images are indexed (row, col) = (y, x); render_strokes takes
points as (x, y) and size as (width, height), Pillow's order.
"""

import numpy as np
import pytest

from engine.preprocess import (
    CENTRE,
    FIT_SIZE,
    IMAGE_SIZE,
    canvas_to_mnist,
    centre_of_mass,
    ink_extent,
    render_strokes,
)

# Digits as polylines in a unit box: x to the right, y down, both in [0, 1].
DIGITS = {
    "one": [[(0.5, 0.0), (0.5, 1.0)]],
    "seven": [[(0.0, 0.0), (1.0, 0.0), (0.35, 1.0)]],
    "two": [[(0.05, 0.25), (0.3, 0.02), (0.7, 0.02), (0.95, 0.25), (0.9, 0.5),
             (0.0, 1.0), (1.0, 1.0)]],
    "four": [[(0.7, 0.0), (0.0, 0.65), (1.0, 0.65)], [(0.7, 0.0), (0.7, 1.0)]],
    "zero": [[(0.5 + 0.5 * np.cos(t), 0.5 + 0.5 * np.sin(t))
              for t in np.linspace(0.0, 2.0 * np.pi, 41)]],
}


def draw(digit, left, top, width, height, canvas=(280, 280), pen=20, **kwargs):
    """Render a unit-box digit scaled into the pixel box (left, top, width, height)."""
    strokes = [[(left + x * width, top + y * height) for x, y in stroke]
               for stroke in DIGITS[digit]]
    return render_strokes(strokes, size=canvas, width=pen, **kwargs)


def ink_box(image, threshold=0.0):
    """(height, width) of the bounding box of pixels brighter than threshold."""
    rows = np.flatnonzero((image > threshold).any(axis=1))
    cols = np.flatnonzero((image > threshold).any(axis=0))
    return rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1


def correlation(a, b):
    return float(np.corrcoef(a.ravel(), b.ravel())[0, 1])


# name: (digit, left, top, width, height, canvas (width, height), pen width)
CASES = {
    "centred": ("two", 60, 40, 160, 200, (280, 280), 20),
    "tiny_in_corner": ("seven", 5, 5, 25, 30, (280, 280), 6),
    "huge_filling_canvas": ("zero", 15, 15, 250, 250, (280, 280), 30),
    "off_centre": ("four", 170, 150, 90, 110, (280, 280), 14),
    "thin_3px": ("two", 50, 30, 170, 220, (280, 280), 3),
    "thick_40px": ("seven", 40, 30, 200, 220, (280, 280), 40),
    "non_square_tall": ("two", 40, 120, 120, 160, (200, 400), 18),
    "non_square_wide": ("four", 250, 40, 100, 140, (400, 200), 18),
}


# --- a worked example ---------------------------------------------------------

def test_worked_example_solid_block():
    # A solid block of ink, 5 rows x 10 cols, in a 30 x 40 grayscale image.
    canvas = np.zeros((30, 40), dtype=np.uint8)
    canvas[12:17, 3:13] = 255
    image, steps = canvas_to_mnist(canvas, return_steps=True)
    # crop: the 5 x 10 block; scale = 20 / 10 = 2 -> a 10 x 20 block of ones
    # (resizing a constant image keeps it constant).
    assert steps["cropped"].shape == (5, 10)
    assert steps["scaled"].shape == (10, 20)
    np.testing.assert_allclose(steps["scaled"], 1.0, atol=1e-5)
    # centre of mass of the block: (4.5, 9.5); offsets round(14 - 4.5) = 10
    # (halves round up) and round(14 - 9.5) = 5 -> rows 10..19, cols 5..24.
    expected = np.zeros((28, 28), dtype=np.float32)
    expected[10:20, 5:25] = 1.0
    np.testing.assert_allclose(image, expected, atol=1e-5)
    assert centre_of_mass(image) == pytest.approx((14.5, 14.5), abs=1e-4)


def test_centre_of_mass_worked_example():
    image = np.zeros((4, 5), dtype=np.float32)
    image[1, 1] = 1.0  # mass 1 at (1, 1)
    image[3, 4] = 3.0  # mass 3 at (3, 4) -> row (1 + 9) / 4, col (1 + 12) / 4
    assert centre_of_mass(image) == pytest.approx((2.5, 3.25))


# --- properties of realistic drawings -------------------------------------------

@pytest.mark.parametrize("case", list(CASES))
def test_result_is_mnist_shaped(case):
    digit, left, top, width, height, canvas, pen = CASES[case]
    image = canvas_to_mnist(draw(digit, left, top, width, height, canvas, pen))
    assert image.shape == (IMAGE_SIZE, IMAGE_SIZE)
    assert image.dtype == np.float32
    assert image.min() >= 0.0 and image.max() <= 1.0
    box_height, box_width = ink_box(image)
    assert max(box_height, box_width) <= FIT_SIZE
    assert max(box_height, box_width) >= FIT_SIZE - 1
    row, col = centre_of_mass(image)
    assert abs(row - CENTRE) <= 1.0 and abs(col - CENTRE) <= 1.0
    assert image.max() == pytest.approx(1.0, abs=1e-6)


@pytest.mark.parametrize("case", list(CASES))
def test_aspect_ratio_is_kept(case):
    digit, left, top, width, height, canvas, pen = CASES[case]
    rgba = draw(digit, left, top, width, height, canvas, pen)
    _, steps = canvas_to_mnist(rgba, return_steps=True)
    in_height, in_width = steps["cropped"].shape
    out_height, out_width = steps["scaled"].shape
    # Rounding to whole pixels moves the ratio by at most half a pixel in 20.
    assert out_width / out_height == pytest.approx(in_width / in_height, rel=0.06, abs=0.06)


def test_tall_thin_one_stays_tall_and_thin():
    image = canvas_to_mnist(draw("one", 120, 30, 0, 220, pen=20))
    box_height, box_width = ink_box(image, threshold=0.05)
    assert box_height >= FIT_SIZE - 1
    assert box_width <= 4  # 20-pixel pen on a 240-pixel line: about 2 of 20 pixels


@pytest.mark.parametrize("pen", [30, 40])
def test_thick_strokes_have_a_solid_core(pen):
    image = canvas_to_mnist(draw("seven", 40, 30, 200, 220, pen=pen))
    assert np.count_nonzero(image > 0.9) >= 25


def test_thin_strokes_stay_visible():
    image = canvas_to_mnist(draw("two", 50, 30, 170, 220, pen=3))
    # Every row of the thin 2 (20 rows) still shows a clearly visible pixel.
    visible_rows = np.count_nonzero((image > 0.5).any(axis=1))
    assert visible_rows >= FIT_SIZE - 1


@pytest.mark.parametrize("digit", list(DIGITS))
def test_same_drawing_moved_gives_nearly_the_same_image(digit):
    here = canvas_to_mnist(draw(digit, 20, 30, 120, 150))
    there = canvas_to_mnist(draw(digit, 137, 101, 120, 150))
    assert correlation(here, there) > 0.97


@pytest.mark.parametrize("digit", list(DIGITS))
def test_same_drawing_resized_gives_nearly_the_same_image(digit):
    # The pen grows with the drawing, so the drawing is the same at both sizes.
    small = canvas_to_mnist(draw(digit, 100, 90, 64, 80, pen=8))
    large = canvas_to_mnist(draw(digit, 20, 20, 192, 240, pen=24))
    assert correlation(small, large) > 0.9


def test_same_drawing_on_square_and_non_square_canvas():
    square = canvas_to_mnist(draw("two", 60, 40, 160, 200, (280, 280), 20))
    tall = canvas_to_mnist(draw("two", 20, 150, 160, 200, (200, 400), 20))
    assert correlation(square, tall) > 0.97


def test_transparent_and_opaque_backgrounds_agree():
    opaque = canvas_to_mnist(draw("four", 50, 40, 180, 200))
    transparent_rgba = draw("four", 50, 40, 180, 200, transparent=True)
    assert (transparent_rgba[:, :, 3] == 0).mean() > 0.5  # alpha 0 where not drawn
    np.testing.assert_allclose(canvas_to_mnist(transparent_rgba), opaque, atol=1e-5)


def test_alpha_zero_hides_colour():
    rgba = draw("seven", 40, 30, 200, 220)
    rgba[:, :, 3] = 0  # fully transparent: nothing is visible, whatever the RGB
    assert canvas_to_mnist(rgba) is None


def test_coloured_ink_counts_fully():
    rgba = draw("two", 60, 40, 160, 200)
    red = rgba.copy()
    red[:, :, 1:3] = 0  # a red pen on black
    np.testing.assert_allclose(canvas_to_mnist(red), canvas_to_mnist(rgba), atol=1e-6)


def test_input_is_not_modified():
    rgba = draw("two", 60, 40, 160, 200)
    before = rgba.copy()
    _, steps = canvas_to_mnist(rgba, return_steps=True)
    steps["drawn"][:] = 0.0
    np.testing.assert_array_equal(rgba, before)


# --- empty canvases -------------------------------------------------------------

def test_empty_canvas_gives_none():
    assert canvas_to_mnist(render_strokes([])) is None
    assert canvas_to_mnist(np.zeros((280, 280, 4), dtype=np.uint8)) is None
    assert canvas_to_mnist(None) is None


def test_stray_faint_pixels_give_none():
    canvas = np.zeros((280, 280), dtype=np.uint8)
    rng = np.random.default_rng(0)
    rows, cols = rng.integers(0, 280, size=(2, 300))
    canvas[rows, cols] = 20  # 300 faint specks, each below the ink threshold
    canvas[5, 7] = canvas[100, 200] = canvas[250, 3] = 255  # three bright strays
    assert canvas_to_mnist(canvas) is None


def test_small_real_mark_is_not_empty():
    canvas = np.zeros((280, 280), dtype=np.uint8)
    canvas[100:103, 100:103] = 255  # nine white pixels
    assert canvas_to_mnist(canvas) is not None


def test_empty_canvas_with_steps():
    image, steps = canvas_to_mnist(np.zeros((50, 60, 4), dtype=np.uint8), return_steps=True)
    assert image is None and steps == {}


# --- steps and input formats ----------------------------------------------------

def test_steps_have_the_right_shapes():
    rgba = draw("seven", 40, 30, 120, 200, canvas=(300, 260))
    image, steps = canvas_to_mnist(rgba, return_steps=True)
    assert list(steps) == ["drawn", "cropped", "scaled", "centred"]
    assert steps["drawn"].shape == (260, 300)
    crop_height, crop_width = steps["cropped"].shape
    assert crop_height > crop_width  # taller than wide, like the drawing
    assert steps["scaled"].shape[0] == FIT_SIZE and steps["scaled"].shape[1] < FIT_SIZE
    assert steps["centred"].shape == (IMAGE_SIZE, IMAGE_SIZE)
    np.testing.assert_array_equal(steps["centred"], image)
    for step in steps.values():
        assert step.dtype == np.float32
        assert step.min() >= 0.0 and step.max() <= 1.0


def test_grayscale_rgb_and_float_inputs_agree_with_rgba():
    rgba = draw("two", 60, 40, 160, 200)
    expected = canvas_to_mnist(rgba)
    gray = rgba[:, :, 0].copy()
    inputs = {
        "gray_uint8": gray,
        "gray_float": gray / 255.0,
        "gray_int64": gray.astype(np.int64),
        "rgb_uint8": rgba[:, :, :3].copy(),
        "rgba_float32": rgba.astype(np.float32) / 255.0,
        "gray_channel": gray[:, :, None],
    }
    for name, image in inputs.items():
        np.testing.assert_allclose(canvas_to_mnist(image), expected, atol=1e-5, err_msg=name)


def test_bool_input():
    canvas = np.zeros((60, 40), dtype=bool)
    canvas[10:50, 18:22] = True
    image = canvas_to_mnist(canvas)
    assert image.shape == (28, 28) and ink_box(image) == (20, 2)


@pytest.mark.parametrize(
    "bad, words",
    [
        (np.zeros(280, dtype=np.uint8), "shape"),
        (np.zeros((2, 28, 28, 4), dtype=np.uint8), "shape"),
        (np.zeros((28, 28, 2), dtype=np.uint8), "shape"),
        (np.zeros((0, 280, 4), dtype=np.uint8), "at least one pixel"),
        (np.zeros((280, 0), dtype=np.uint8), "at least one pixel"),
        (np.zeros((28, 28), dtype=np.complex64), "dtype"),
        (np.full((28, 28), "ink"), "dtype"),
        (np.full((28, 28), 2.0), "[0, 1]"),
        (np.full((28, 28), np.nan), "[0, 1]"),
        (np.full((28, 28), 300, dtype=np.int32), "0..255"),
        (np.full((28, 28), -1, dtype=np.int16), "0..255"),
        ("not an image", "shape"),
    ],
)
def test_bad_input_raises_value_error(bad, words):
    with pytest.raises(ValueError, match="rgba") as error:
        canvas_to_mnist(bad)
    assert words in str(error.value)


# --- render_strokes ------------------------------------------------------------

def test_render_strokes_draws_round_white_strokes():
    rgba = render_strokes([[(50, 100), (150, 100)]], size=(200, 160), width=20)
    assert rgba.shape == (160, 200, 4) and rgba.dtype == np.uint8
    assert (rgba[:, :, 3] == 255).all()
    assert (rgba[100, 60:140, :3] == 255).all()  # on the line
    assert (rgba[20, :, :3] == 0).all()  # far above it
    # Round cap: inked 8 px beyond the end along the line, but not at the
    # corner of the square a flat cap would have drawn.
    assert rgba[100, 158, 0] == 255
    assert rgba[92, 158, 0] < 128


def test_render_strokes_single_point_is_a_dot():
    rgba = render_strokes([[(40, 40)]], size=(80, 80), width=10)
    ink = rgba[:, :, 0] > 127
    assert ink[40, 40]
    area = np.count_nonzero(ink)
    assert area == pytest.approx(np.pi * 5.0**2, rel=0.25)


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"strokes": [[(1, 2)]], "width": 0}, "width"),
        ({"strokes": [[(1, 2)]], "size": (0, 10)}, "size"),
        ({"strokes": [[(1, 2)]], "size": 280}, "size"),
        ({"strokes": [[1, 2, 3]]}, "strokes[0]"),
        ({"strokes": [[(1, 2)], []]}, "strokes[1]"),
    ],
)
def test_render_strokes_bad_input(kwargs, words):
    with pytest.raises(ValueError) as error:
        render_strokes(**kwargs)
    assert words in str(error.value)


def test_lopsided_digit_is_shifted_without_losing_ink():
    # A heavy bar on top of a faint thin stem: the centre of mass sits near
    # the top, so centring it at row 14 would push the stem off the bottom.
    canvas = np.zeros((100, 100), dtype=np.float32)
    canvas[0:10, 0:100] = 1.0
    canvas[10:100, 49:51] = 0.2
    image, steps = canvas_to_mnist(canvas, return_steps=True)
    assert centre_of_mass(steps["scaled"])[0] < 14.0 - (IMAGE_SIZE - FIT_SIZE)
    assert image.sum() == pytest.approx(steps["scaled"].sum(), rel=1e-6)
    assert image[-1].max() > 0.0  # the stem ends on the last row: clipped shift
    assert abs(centre_of_mass(image)[1] - CENTRE) <= 0.5


# --- ink_extent: the drawing measured before any model reads it ---------------------

def test_ink_extent_worked_example():
    # Two blocks in a 100 x 60 picture: rows 10..19 and 40..49 (a gap of 20 rows between),
    # columns 5..34 and 20..29. The box is rows 10..49 (40 tall), columns 5..34 (30 wide);
    # 20 of its 40 rows hold ink, and all 30 of its columns.
    canvas = np.zeros((100, 60), dtype=np.float32)
    canvas[10:20, 5:35] = 1.0
    canvas[40:50, 20:30] = 1.0
    extent = ink_extent(canvas)
    assert (extent.height, extent.width) == (40, 30)
    assert (extent.picture_height, extent.picture_width) == (100, 60)
    assert extent.rows_with_ink == 0.5 and extent.columns_with_ink == 1.0


def test_ink_extent_box_is_the_crop_canvas_to_mnist_makes():
    for case in CASES.values():
        digit, left, top, width, height, canvas, pen = case
        rgba = draw(digit, left, top, width, height, canvas, pen)
        extent = ink_extent(rgba)
        _, steps = canvas_to_mnist(rgba, return_steps=True)
        assert (extent.height, extent.width) == steps["cropped"].shape
        assert (extent.picture_height, extent.picture_width) == (canvas[1], canvas[0])
        assert ink_extent(steps["drawn"]) == extent  # the ink the page already has
        assert extent.rows_with_ink == 1.0 and extent.columns_with_ink == 1.0  # one piece


def test_ink_extent_of_a_tap_and_of_separate_dots():
    tap = ink_extent(render_strokes([[(140, 140)]], width=20))
    assert (tap.height, tap.width) == (21, 21)  # 20 pixels and the antialiased edge
    # Two taps 140 pixels apart, one above the other: 2 x 21 inked rows in a box 161 tall.
    dots = ink_extent(render_strokes([[(100, 60)], [(100, 200)]], width=20))
    assert (dots.height, dots.width) == (161, 21)
    assert dots.rows_with_ink == pytest.approx(42 / 161) and dots.columns_with_ink == 1.0


def test_ink_extent_of_nothing_is_none_like_canvas_to_mnist():
    assert ink_extent(None) is None
    assert ink_extent(np.zeros((280, 280, 4), np.uint8)) is None
    faint = np.zeros((50, 50), dtype=np.float32)
    faint[10:20, 10:20] = 0.05  # below INK_THRESHOLD
    assert ink_extent(faint) is None and canvas_to_mnist(faint) is None
    with pytest.raises(ValueError):
        ink_extent(np.zeros((10, 10, 2)))
