"""Pillow's PNG encoder against ui/pictures.py's hand-written one, on the playground's live pictures.

The playground redraws, for every frame, one 100 x 100 palette picture of the
decision regions and one 20 x 20 palette picture per unit (a 2-8-8-1 network:
19 of them). Both encoders make the same kind of file (palette PNG, zlib
level 1 for the hand-written one; Pillow with compress_level=1 and without
its optimize pass), and both results are turned into the same data: URI.
The two are timed alternately in one process, many rounds, and the medians
compared; the script also checks that both files decode to the same pixels.

    python bench/png_encoder.py            # ratio Pillow / hand-written per frame
"""

import base64
import io
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from ui import pictures  # noqa: E402

ROUNDS = 300


def pillow_data_uri(indices, palette):
    image = Image.fromarray(indices, mode="P")
    image.putpalette(palette.tobytes())
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def decoded(uri):
    data = base64.b64decode(uri.split(",", 1)[1])
    image = Image.open(io.BytesIO(data))
    return np.asarray(image.convert("RGB"))


def frame_pictures(rng):
    """The palette pictures of one frame: the regions (100 x 100) and 19 unit squares (20 x 20)."""
    palette = np.concatenate([pictures._shades("#f28e2b", 0.7)[:0:-1],
                              pictures._shades("#4e79a7", 0.7)])
    smooth = np.cumsum(np.cumsum(rng.normal(size=(100, 100)), axis=0), axis=1)
    regions = np.rint((np.tanh(smooth / 50.0) + 1) * pictures.SHADES).astype(np.uint8)
    units = [np.rint((np.tanh(rng.normal(size=(20, 20))) + 1) * pictures.SHADES).astype(np.uint8)
             for _ in range(19)]
    return palette, [regions, *units]


def time_frame(encode, palette, images):
    start = time.perf_counter()
    for image in images:
        encode(image, palette)
    return time.perf_counter() - start


def main():
    rng = np.random.default_rng(0)
    palette, images = frame_pictures(rng)
    for image in images[:2]:
        same = np.array_equal(decoded(pictures.png_data_uri(image, palette)),
                              decoded(pillow_data_uri(image, palette)))
        if not same:
            raise SystemExit("the two encoders do not give the same pixels")
    hand, pillow = [], []
    for _ in range(ROUNDS):  # alternate, so drift of the machine hits both alike
        hand.append(time_frame(pictures.png_data_uri, palette, images))
        pillow.append(time_frame(pillow_data_uri, palette, images))
    hand_ms, pillow_ms = statistics.median(hand) * 1e3, statistics.median(pillow) * 1e3
    ratios = [p / h for p, h in zip(pillow, hand)]
    print(f"one playground frame (1 picture of 100x100 + 19 of 20x20), median of {ROUNDS}:")
    print(f"  hand-written: {hand_ms:.3f} ms   Pillow: {pillow_ms:.3f} ms   "
          f"Pillow / hand-written (median of paired ratios): {statistics.median(ratios):.2f}")
    sizes = [len(pictures.png_data_uri(images[0], palette)), len(pillow_data_uri(images[0], palette))]
    print(f"  regions picture as a data URI: hand-written {sizes[0]:,} characters, "
          f"Pillow {sizes[1]:,}")


if __name__ == "__main__":
    main()
