"""Turn a digit drawn on the canvas into an MNIST-style 28x28 image.

A network trained on MNIST only reads digits that look like MNIST digits.
LeCun, Cortes and Burges prepared every MNIST digit in the same way:

    1. crop      keep the bounding box of the ink
    2. scale     resize so the longer side is 20 pixels, keeping the
                 aspect ratio (a "1" stays tall and thin)
    3. centre    place it in a 28x28 field so that its centre of mass
                 lies at the field's centre

A drawn digit must go through the same three steps, or it is misread: a
small digit in a corner looks nothing like the training data until it is
cropped, enlarged and centred. `canvas_to_mnist` does exactly that and can
hand back each intermediate image so a page can show the steps:

    >>> image = canvas_to_mnist(canvas_result.image_data)   # (28, 28) or None
    >>> image, steps = canvas_to_mnist(rgba, return_steps=True)
    >>> steps["drawn"], steps["cropped"], steps["scaled"], steps["centred"]

Conventions
-----------
* White ink on black, as in MNIST: 0.0 is background, 1.0 is full ink.
* Coordinates are (row, col) = (y, x), row 0 at the top. The centre of a
  28x28 image is (14, 14): the mean centre of mass of the 60,000 MNIST
  training digits is (14.00, 14.01) in this convention, each within half a
  pixel, because MNIST shifted by whole pixels.
* "Ink" of a pixel = max(R, G, B) / 255 * alpha / 255. The brightest channel
  counts, so a coloured pen gives full ink too; multiplying by alpha makes
  both canvas outputs work: an opaque black background (alpha 255
  everywhere) and a transparent one (alpha 0 where nothing was drawn,
  whatever the RGB values there).

`ink_extent` measures the drawing itself (its box in pixels, and the share
of the box's rows and columns that hold ink), so a page can tell a dot or a
dash from a digit before any network is asked.

`render_strokes` draws polylines the way the canvas does (white, round
caps and joints, antialiased edges), so tests and benchmarks can make
realistic canvas images without a browser.

What this module leaves out: sub-pixel centring (MNIST used whole-pixel
shifts too), deskewing, and thickening of very thin strokes (their
contrast is stretched instead, see `fit_into_box`). Pillow is used only to
resize and to draw; everything else is NumPy.
"""

import numbers
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

IMAGE_SIZE = 28  # MNIST images are 28x28 ...
FIT_SIZE = 20  # ... with the digit scaled to fit a 20x20 box inside.
CENTRE = 14.0  # where the centre of mass goes, (row, col) = (14, 14)

INK_THRESHOLD = 0.1  # fainter pixels are background noise and are ignored
MIN_INK = 4.0  # less total ink than four white pixels counts as "nothing drawn"

# LANCZOS resizes with a low-pass filter in both directions: it averages
# away aliasing when a large drawing shrinks and stays smooth when a small
# one grows. Its slight overshoot is clipped back into [0, 1].
RESAMPLE = Image.Resampling.LANCZOS


def canvas_to_mnist(rgba, return_steps=False):
    """Crop, scale to fit 20x20 and centre by mass in 28x28, as MNIST did.

    Args:
        rgba: the canvas image, a NumPy array (or array-like) of shape
            (H, W, 4) RGBA, (H, W, 3) RGB or (H, W) grayscale, any H and W.
            dtype uint8 (0..255), another integer type with values in
            0..255, bool, or float with values in [0, 1]. White ink on black.
            `None` (the canvas before its first stroke) counts as empty.
        return_steps: also return the intermediate images.

    Returns:
        image: (28, 28) float32 in [0, 1], or None when nothing is drawn
            (total ink of the pixels at least INK_THRESHOLD bright is below
            MIN_INK).
        With return_steps=True, (image, steps) where steps maps
            "drawn"   (H, W)   the input as ink, float32 in [0, 1]
            "cropped" (h, w)   the ink's bounding box (faint pixels zeroed)
            "scaled"  (h', w') the crop resized so max(h', w') == 20, aspect
                               kept, contrast stretched so its maximum is 1
            "centred" (28, 28) the final image (the same array as `image`)
        or (None, {}) when nothing is drawn.

    Raises:
        ValueError: wrong number of dimensions or channels, zero size, or a
            dtype or value range that cannot be read as an image.
    """
    empty = (None, {}) if return_steps else None
    if rgba is None:
        return empty

    drawn = to_ink(rgba)
    box = ink_bounding_box(drawn)
    if box is None:
        return empty

    top, bottom, left, right = box
    cropped = drawn[top:bottom, left:right]
    cropped = np.where(cropped >= INK_THRESHOLD, cropped, np.float32(0.0))
    scaled = fit_into_box(cropped, FIT_SIZE)
    centred = centre_by_mass(scaled, IMAGE_SIZE)

    if not return_steps:
        return centred
    steps = {"drawn": drawn, "cropped": cropped, "scaled": scaled, "centred": centred}
    return centred, steps


def to_ink(image, name="rgba"):
    """Ink per pixel: max(R, G, B) * alpha, scaled to float32 in [0, 1].

    Args:
        image: (H, W) grayscale, (H, W, 1), (H, W, 3) RGB or (H, W, 4) RGBA;
            uint8 or other integers in 0..255, bool, or floats in [0, 1].
        name: the argument's name, used in error messages.

    Returns:
        (H, W) float32 in [0, 1], a new array (never a view of `image`).
    """
    image = _as_unit_float(image, name)
    if image.ndim == 2:
        return image.copy()
    channels = image.shape[2]
    if channels == 1:
        return image[:, :, 0].copy()
    red, green, blue = image[:, :, 0], image[:, :, 1], image[:, :, 2]
    ink = np.maximum(np.maximum(red, green), blue)
    if channels == 4:
        ink *= image[:, :, 3]
    return ink


def ink_bounding_box(ink, threshold=INK_THRESHOLD, min_ink=MIN_INK):
    """Smallest rectangle holding every pixel with ink >= threshold.

    Args:
        ink: (H, W) float in [0, 1].
        threshold: pixels fainter than this are ignored (background noise).
        min_ink: when the pixels at least `threshold` bright hold less
            total ink than this, nothing counts as drawn.

    Returns:
        (top, bottom, left, right) as slice bounds (bottom and right
        exclusive), so ink[top:bottom, left:right] is the crop; or None.
    """
    mask = ink >= threshold
    if float(np.sum(ink, where=mask)) < min_ink:
        return None
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    return int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1


@dataclass(frozen=True)
class InkExtent:
    """How much of its picture a drawing fills, measured before any model reads it.

    height, width: the ink's bounding box in pixels of the picture (the crop
        `canvas_to_mnist` makes): a tap with a 20-pixel pen is 21 x 21 (its
        antialiased edge adds a pixel); a slanted "1" drawn down most of a
        280-pixel canvas is about 210 tall and 55 wide.
    picture_height, picture_width: the whole picture, in the same pixels.
    rows_with_ink, columns_with_ink: the share of the box's rows (columns)
        that hold ink. One connected stroke, however thin, has ink on every
        row and column of its box (1.0); separate dots or dashes leave empty
        bands between them. Of the 60,000 MNIST training digits, 59,993 have
        ink on at least half of their rows and of their columns.
    """

    height: int
    width: int
    picture_height: int
    picture_width: int
    rows_with_ink: float
    columns_with_ink: float


def ink_extent(rgba, threshold=INK_THRESHOLD, min_ink=MIN_INK):
    """Measure the ink's box and its empty bands; None when nothing is drawn.

    Takes what `canvas_to_mnist` takes (or the "drawn" ink it hands back) and
    uses the same threshold and the same "nothing drawn" rule, so the box is
    exactly the crop of its step 2:

        >>> ink_extent(render_strokes([[(140, 140)]], width=20))   # one tap
        InkExtent(height=21, width=21, picture_height=280, picture_width=280, ...)

    Returns:
        InkExtent, or None (the same drawings for which canvas_to_mnist gives None).
    """
    if rgba is None:
        return None
    ink = to_ink(rgba)
    box = ink_bounding_box(ink, threshold, min_ink)
    if box is None:
        return None
    top, bottom, left, right = box
    inked = ink[top:bottom, left:right] >= threshold
    return InkExtent(height=bottom - top, width=right - left,
                     picture_height=ink.shape[0], picture_width=ink.shape[1],
                     rows_with_ink=float(inked.any(axis=1).mean()),
                     columns_with_ink=float(inked.any(axis=0).mean()))


def fit_into_box(cropped, size=FIT_SIZE):
    """Resize so the longer side is `size` and the aspect ratio is kept.

    A crop of h x w becomes h' x w' with scale = size / max(h, w),
    h' = round(h * scale), w' = round(w * scale), each at least 1:
    a 200 x 50 crop of a "1" becomes 20 x 5.

    Shrinking averages each stroke over its new, smaller pixels: a pen
    3 pixels wide on a 200-pixel digit becomes 0.3 pixels wide, a faint
    grey line. MNIST digits always reach full white (the brightest pixel
    of every training digit is at least 254/255), so the result is divided
    by its maximum: thin strokes stay visible, thick ones barely change.

    Args:
        cropped: (h, w) float32 in [0, 1] with some ink.
        size: the longer side after resizing.

    Returns:
        (h', w') float32 in [0, 1] with maximum 1.
    """
    height, width = cropped.shape
    scale = size / max(height, width)
    new_height = max(1, int(height * scale + 0.5))
    new_width = max(1, int(width * scale + 0.5))
    resized = Image.fromarray(cropped.astype(np.float32, copy=False))
    resized = resized.resize((new_width, new_height), RESAMPLE)
    scaled = np.clip(np.asarray(resized, dtype=np.float32), 0.0, 1.0)
    brightest = float(scaled.max())
    if brightest > 0.0:
        scaled /= np.float32(brightest)
    return scaled


def centre_of_mass(image):
    """Ink-weighted mean position: (sum_r r * I[r, c], sum_c c * I[r, c]) / sum I.

    Args:
        image: (h, w) float, not all zero.

    Returns:
        (row, col) as Python floats, in pixel-index coordinates: the centre
        of pixel (0, 0) is (0.0, 0.0).
    """
    total = float(image.sum(dtype=np.float64))
    rows = np.arange(image.shape[0], dtype=np.float64)
    cols = np.arange(image.shape[1], dtype=np.float64)
    row = float(image.sum(axis=1, dtype=np.float64) @ rows) / total
    col = float(image.sum(axis=0, dtype=np.float64) @ cols) / total
    return row, col


def centre_by_mass(scaled, size=IMAGE_SIZE, centre=CENTRE):
    """Place `scaled` in a size x size field with its centre of mass at `centre`.

    The offset is a whole number of pixels, offset = round(centre - com),
    clipped to [0, size - h] (rows) and [0, size - w] (cols) so no ink is
    pushed off the field; the centre of mass then lies within half a pixel
    of (centre, centre) unless the clip was needed.

    Args:
        scaled: (h, w) float32 with h, w <= size, not all zero.
        size: side of the square output.
        centre: target position of the centre of mass, in both directions.

    Returns:
        (size, size) float32.
    """
    height, width = scaled.shape
    com_row, com_col = centre_of_mass(scaled)
    top = min(max(int(np.floor(centre - com_row + 0.5)), 0), size - height)
    left = min(max(int(np.floor(centre - com_col + 0.5)), 0), size - width)
    field = np.zeros((size, size), dtype=np.float32)
    field[top:top + height, left:left + width] = scaled
    return field


def render_strokes(strokes, size=(280, 280), width=20, transparent=False, supersample=4):
    """Draw polylines in white on black, as the drawing canvas does.

    Each stroke is a list of (x, y) points in pixels, x to the right and y
    down (Pillow's convention): [[(60, 40), (200, 40), (110, 250)]] is a "7".
    Lines have round caps and joints; edges are antialiased by drawing
    `supersample` times larger and shrinking with a box filter.

    Args:
        strokes: list of strokes, each a list of (x, y) points (one point
            draws a dot).
        size: (width, height) of the canvas, Pillow's order; the array that
            comes back has shape (height, width, 4).
        width: pen width in pixels.
        transparent: False gives an opaque black background (alpha 255
            everywhere, RGB = ink); True gives the transparent canvas look
            (RGB white where there is ink, alpha = coverage, (0, 0, 0, 0)
            elsewhere).
        supersample: drawing resolution factor for antialiasing (1 = none).

    Returns:
        (height, width, 4) uint8 RGBA array.
    """
    canvas_width, canvas_height = _positive_size(size)
    if not isinstance(width, numbers.Real) or not width > 0:
        raise ValueError(f"width must be a positive number of pixels, got {width!r}")
    if not isinstance(supersample, numbers.Integral) or supersample < 1:
        raise ValueError(f"supersample must be a positive integer, got {supersample!r}")

    big = Image.new("L", (canvas_width * supersample, canvas_height * supersample), 0)
    pen = ImageDraw.Draw(big)
    pen_width = max(1, int(round(width * supersample)))
    radius = width * supersample / 2.0
    for index, stroke in enumerate(strokes):
        points = _stroke_points(stroke, index, supersample)
        if len(points) > 1:
            pen.line(points, fill=255, width=pen_width, joint="curve")
        for x, y in points:  # round caps (and round joints for sharp turns)
            pen.ellipse((x - radius, y - radius, x + radius, y + radius), fill=255)

    coverage = np.asarray(big.resize((canvas_width, canvas_height), Image.Resampling.BOX))
    rgba = np.empty((canvas_height, canvas_width, 4), dtype=np.uint8)
    if transparent:
        rgba[:, :, :3] = np.where(coverage > 0, 255, 0)[:, :, None]
        rgba[:, :, 3] = coverage
    else:
        rgba[:, :, :3] = coverage[:, :, None]
        rgba[:, :, 3] = 255
    return rgba


# --- input checks -----------------------------------------------------------

_SHAPES = "(H, W), (H, W, 3) or (H, W, 4)"


def _as_unit_float(image, name):
    """Check an image array and return it as float32 in [0, 1]."""
    try:
        array = np.asarray(image)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be an image array of shape {_SHAPES}; "
                         f"could not read {type(image).__name__}: {error}") from None
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (1, 3, 4)):
        raise ValueError(f"{name} must have shape {_SHAPES}, got shape {array.shape}")
    if array.shape[0] == 0 or array.shape[1] == 0:
        raise ValueError(f"{name} must have at least one pixel, got shape {array.shape}")

    kind = array.dtype.kind
    if array.dtype == np.uint8:
        return array.astype(np.float32) * np.float32(1.0 / 255.0)
    if kind == "b":
        return array.astype(np.float32)
    if kind in "iu":
        low, high = int(array.min()), int(array.max())
        if low < 0 or high > 255:
            raise ValueError(f"{name} with integer dtype must hold values in 0..255, "
                             f"got dtype {array.dtype} with values in {low}..{high}")
        return array.astype(np.float32) * np.float32(1.0 / 255.0)
    if kind == "f":
        converted = array.astype(np.float32)
        low, high = float(converted.min()), float(converted.max())
        if not (np.isfinite(low) and np.isfinite(high)) or low < 0.0 or high > 1.0:
            raise ValueError(f"{name} with float dtype must hold finite values in [0, 1], "
                             f"got dtype {array.dtype} with values in [{low}, {high}]")
        return converted
    raise ValueError(f"{name} must have dtype uint8, another integer type (0..255), bool "
                     f"or float (0..1), got dtype {array.dtype}")


def _positive_size(size):
    """Check a (width, height) pair of positive integers."""
    try:
        canvas_width, canvas_height = size
    except (TypeError, ValueError):
        raise ValueError(f"size must be a (width, height) pair, got {size!r}") from None
    for value in (canvas_width, canvas_height):
        if not isinstance(value, numbers.Integral) or value < 1:
            raise ValueError(f"size must be two positive integers (width, height), got {size!r}")
    return int(canvas_width), int(canvas_height)


def _stroke_points(stroke, index, supersample):
    """One stroke as a list of (x, y) float tuples on the supersampled canvas."""
    try:
        points = [(float(x) * supersample, float(y) * supersample) for x, y in stroke]
    except (TypeError, ValueError):
        raise ValueError(f"strokes[{index}] must be a list of (x, y) points, "
                         f"got {stroke!r}") from None
    if not points:
        raise ValueError(f"strokes[{index}] must hold at least one (x, y) point, got none")
    return points
