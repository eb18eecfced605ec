"""How well does the bundled model read handwriting that is not MNIST?

Digits 0-9 are drawn with the mouse in Chromium on the app's Draw-a-digit page,
in several handwriting styles (a 1 with and without a flag, a 4 closed and
open, a 7 with and without a bar), at different sizes, positions, pen widths
and slants. For each drawing the bench reads the page's "Prediction" and also
takes the canvas's own pixels and runs them through the same
`canvas_to_mnist` + model, so the two can be compared (they should agree) and
the drawings can be scored again later with another model.

    python bench/handwriting.py                  # in Chromium, every variant (a few minutes)
    python bench/handwriting.py --quick          # in Chromium, 4 variants per style
    python bench/handwriting.py --rendered       # no browser: the same strokes drawn by
                                                 #   engine.preprocess.render_strokes
    python bench/handwriting.py --from test-output/handwriting.npz --model other.npz
                                                 # score saved drawings with another model

Prints a table (accuracy per digit, size, position, pen width, slant; the
misread drawings) and one JSON line with the figures. The drawings are saved
to test-output/handwriting.npz (ink, labels, variants, page predictions).

The stroke paths are defined here in a unit box (x to the right, y down, both
0..1) and placed on the 280x280 canvas by `place`; `draw_page`, `draw_stroke`
and `DIGIT_STYLES` are reused by bench/draw_latency.py.
"""

import argparse
import base64
import contextlib
import io
import json
import math
import os
import signal
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from PIL import Image

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

sys.path.insert(0, str(REPO_ROOT / "bench"))
from helpers import CHROMIUM, CHROMIUM_ARGS, serve_app, wait_idle  # noqa: E402
from engine import load_model  # noqa: E402
from engine.preprocess import canvas_to_mnist, render_strokes  # noqa: E402

CANVAS = 280
OUTPUT = REPO_ROOT / "test-output" / "handwriting.npz"


# --- the digits, as a person draws them --------------------------------------------

def arc(cx, cy, rx, ry, start, end, n=24):
    """Points on an ellipse from angle `start` to `end` (degrees; y down, so 90 is the bottom)."""
    return [(cx + rx * math.cos(math.radians(a)), cy + ry * math.sin(math.radians(a)))
            for a in np.linspace(start, end, n)]


def figure_eight(n=48):
    """One stroke: top, down-right, crossing in the middle, round the bottom, back up."""
    return [(0.5 + 0.45 * math.sin(-2 * t), 0.5 - 0.5 * math.cos(t))
            for t in np.linspace(0.0, 2 * math.pi, n)]


# digit -> {style name: list of strokes}; a stroke is a list of (x, y) in the unit box.
DIGIT_STYLES = {
    0: {"oval": [arc(0.5, 0.5, 0.5, 0.5, -95, -95 - 370)]},
    1: {"stroke": [[(0.62, 0.0), (0.5, 0.5), (0.4, 1.0)]],
        "flag": [[(0.25, 0.22), (0.62, 0.0), (0.5, 0.5), (0.4, 1.0)]]},
    2: {"curly": [arc(0.5, 0.3, 0.42, 0.28, 190, 380) + [(0.05, 1.0), (1.0, 0.98)]]},
    3: {"two bumps": [arc(0.45, 0.26, 0.42, 0.25, 200, 450) + arc(0.45, 0.74, 0.5, 0.26, 270, 510)]},
    4: {"closed": [[(0.6, 0.0), (0.02, 0.66), (1.0, 0.66)], [(0.76, 0.28), (0.72, 1.0)]],
        "open": [[(0.15, 0.0), (0.08, 0.56), (0.95, 0.56)], [(0.75, 0.0), (0.75, 1.0)]]},
    5: {"hook": [[(0.22, 0.02), (0.17, 0.45)] + arc(0.45, 0.7, 0.45, 0.3, 240, 510),
                 [(0.22, 0.02), (0.92, 0.0)]]},
    6: {"loop": [[(0.78, 0.0), (0.45, 0.2), (0.22, 0.48)] + arc(0.5, 0.72, 0.36, 0.28, 180, -180)]},
    7: {"plain": [[(0.0, 0.04), (1.0, 0.0), (0.35, 1.0)]],
        "crossed": [[(0.0, 0.04), (1.0, 0.0), (0.35, 1.0)], [(0.35, 0.52), (0.88, 0.5)]]},
    8: {"one stroke": [figure_eight()]},
    9: {"loop and stem": [arc(0.5, 0.27, 0.42, 0.27, 0, -360) + [(0.9, 0.6), (0.85, 1.0)]]},
}

BOX_SIZES = {"large": 240, "medium": 160, "small": 90}  # height of the digit in canvas pixels
ASPECT = 0.7  # a handwritten digit is about 0.7 times as wide as it is tall

# (size, position, pen width, slant in degrees): each factor varied on its own, a few mixed.
VARIANTS = [
    ("large", "centre", 20, 0), ("medium", "centre", 20, 0), ("small", "centre", 20, 0),
    ("large", "centre", 12, 0), ("large", "centre", 30, 0),
    ("medium", "top-left", 20, 0), ("medium", "bottom-right", 20, 0), ("small", "top-left", 12, 0),
    ("large", "centre", 20, -12), ("large", "centre", 20, 12),
    ("medium", "bottom-right", 30, 8), ("small", "bottom-right", 16, -8),
]
QUICK_VARIANTS = [VARIANTS[i] for i in (0, 2, 4, 9)]


def place(strokes, size, position, slant):
    """Unit-box strokes -> canvas pixels: scaled to `size`, moved to `position`, turned by `slant`.

    A positive slant leans the top of the digit to the right (clockwise on screen).
    """
    height = BOX_SIZES[size]
    width = ASPECT * height
    margin = 14 + height / 2
    cx, cy = {"centre": (CANVAS / 2, CANVAS / 2), "top-left": (margin, margin),
              "bottom-right": (CANVAS - margin, CANVAS - margin)}[position]
    angle = math.radians(slant)
    placed = []
    for stroke in strokes:
        points = []
        for x, y in stroke:
            dx, dy = (x - 0.5) * width, (y - 0.5) * height
            points.append((cx + dx * math.cos(angle) - dy * math.sin(angle),
                           cy + dx * math.sin(angle) + dy * math.cos(angle)))
        placed.append([(min(max(x, 1.0), CANVAS - 1.0), min(max(y, 1.0), CANVAS - 1.0))
                       for x, y in points])
    return placed


def drawings(variants):
    """Every (digit, style, variant) to draw, in a fixed order."""
    return [(digit, style, variant)
            for digit, styles in DIGIT_STYLES.items()
            for style in styles
            for variant in variants]


# --- the app in Chromium -----------------------------------------------------------

@contextlib.contextmanager
def draw_page(url):
    """A Chromium page on the Draw-a-digit page, reached from the home page's sidebar."""
    from playwright.sync_api import expect, sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(url, wait_until="domcontentloaded")
        wait_idle(page)
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Draw a digit").click()
        wait_idle(page)
        expect(upper_canvas(page)).to_be_visible(timeout=60_000)
        try:
            yield page
        finally:
            browser.close()


def upper_canvas(page):
    return page.locator("[data-testid=stBidiComponentIsolated] canvas.upper-canvas")


def prediction(page):
    return page.get_by_test_id("stMetric").filter(has_text="Prediction").get_by_test_id(
        "stMetricValue")


# True when the point (x, y) of the canvas, in canvas pixels, is the canvas's own
# (not under its toolbar, not off screen).
ON_CANVAS = """([canvas, x, y]) => {
    const box = canvas.getBoundingClientRect();
    return canvas.getRootNode().elementFromPoint(box.left + x, box.top + y) === canvas;
}"""


def draw_stroke(page, stroke, pixels_per_step=6):
    """Hover, press, move through the points (a mouse event every few pixels), release;
    return the time (perf_counter) just after the release.

    The canvas's toolbar hides, invisible but clickable, over the top of the
    canvas until the mouse hovers the canvas; then it slides up out of the way.
    A person's mouse hovers before drawing; here we wait until the starting
    point is the canvas's own.
    """
    canvas = upper_canvas(page)
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    x, y = stroke[0]
    page.mouse.move(box["x"] + x, box["y"] + y)
    page.wait_for_function(ON_CANVAS, arg=[canvas.element_handle(), x, y], timeout=30_000)
    box = canvas.bounding_box()  # where the canvas is now that nothing covers it
    page.mouse.move(box["x"] + x, box["y"] + y)
    page.mouse.down()
    for (x0, y0), (x, y) in zip(stroke, stroke[1:]):
        steps = max(1, round(math.hypot(x - x0, y - y0) / pixels_per_step))
        page.mouse.move(box["x"] + x, box["y"] + y, steps=steps)
    page.mouse.up()
    return time.perf_counter()


def drawn_picture(page):
    """The address of the page's "As drawn" picture (None before the first stroke).

    Streamlit names an image by a hash of its pixels, so the address changes
    exactly when the page has shown the result of a new stroke.
    """
    pictures = page.locator("[data-testid=stImage] img")
    return pictures.first.get_attribute("src") if pictures.count() else None


def draw_and_wait(page, stroke, timeout_ms=60_000):
    """Draw one stroke; wait until the page shows the result for it. Returns the seconds
    from releasing the mouse to the new result on screen (script finished, picture new)."""
    before = drawn_picture(page)
    released = draw_stroke(page, stroke)
    page.wait_for_function(
        """before => {
            const picture = document.querySelector('[data-testid=stImage] img');
            const app = document.querySelector('[data-testid=stApp]');
            return picture && picture.getAttribute('src') !== before
                && app.dataset.testScriptState === 'notRunning';
        }""", arg=before, timeout=timeout_ms, polling=10)
    return time.perf_counter() - released


def canvas_ink(page):
    """The drawing layer's pixels (white ink, transparent elsewhere) as (280, 280, 4) uint8."""
    url = page.locator("[data-testid=stBidiComponentIsolated] canvas.dc-canvas.lower-canvas") \
        .evaluate("canvas => canvas.toDataURL('image/png')")
    data = base64.b64decode(url.split(",", 1)[1])
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGBA"))


def clear(page):
    from playwright.sync_api import expect
    page.get_by_role("button", name="Clear").click()
    expect(page.get_by_text("Draw a digit on the black square")).to_be_visible(timeout=60_000)
    wait_idle(page)
    expect(upper_canvas(page)).to_be_visible(timeout=60_000)


def draw_in_browser(todo):
    """Draw every digit on the page; return inks (n, 280, 280) uint8 and the page's answers.

    Drawings are made grouped by pen width, so the pen changes only a few times.
    """
    inks, answers = [None] * len(todo), [None] * len(todo)
    order = sorted(range(len(todo)), key=lambda i: todo[i][2][2])
    with serve_app() as (_, url), draw_page(url) as page:
        for count, number in enumerate(order):
            digit, style, (size, position, width, slant) = todo[number]
            set_pen_width(page, width)
            for stroke in place(DIGIT_STYLES[digit][style], size, position, slant):
                draw_and_wait(page, stroke)
            inks[number] = to_ink_uint8(canvas_ink(page))
            answers[number] = int(prediction(page).inner_text())
            clear(page)
            print(f"\r{count + 1}/{len(todo)} drawn", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return np.stack(inks), np.array(answers)


def set_pen_width(page, width, tries=20):
    """Move the pen-width slider with the keyboard to `width`, and wait until the canvas uses it.

    The canvas takes a new width a moment after the page's rerun; a stroke
    begun in between is cut. So a probe line is drawn (and cleared) until its
    thickness on the canvas is the new width.
    """
    slider = page.get_by_role("slider", name="Pen width (pixels)")
    current = int(slider.input_value())
    if current == width:
        return
    key = "ArrowRight" if width > current else "ArrowLeft"
    for _ in range(abs(width - current)):
        slider.press(key)
    deadline = time.monotonic() + 60
    while int(slider.input_value()) != width:  # the page has caught up
        if time.monotonic() > deadline:
            raise RuntimeError(f"the pen-width slider did not reach {width}")
        time.sleep(0.05)
    wait_idle(page)
    for _ in range(tries):
        draw_and_wait(page, [(30.0, 140.0), (90.0, 140.0)])
        column = to_ink_uint8(canvas_ink(page))[:, 60]
        thickness = int(np.count_nonzero(column >= 128))
        clear(page)
        if abs(thickness - width) <= 2:
            return
    raise RuntimeError(f"the canvas did not take the pen width {width} (probe: {thickness} px)")


def to_ink_uint8(rgba):
    """Ink per pixel as uint8 (what canvas_to_mnist reads), from either canvas look."""
    rgba = rgba.astype(np.uint16)
    return (rgba[:, :, :3].max(axis=2) * rgba[:, :, 3] // 255).astype(np.uint8)


def draw_rendered(todo):
    """The same strokes drawn by render_strokes, no browser."""
    inks = [to_ink_uint8(render_strokes(place(DIGIT_STYLES[digit][style], size, position, slant),
                                        width=width))
            for digit, style, (size, position, width, slant) in todo]
    return np.stack(inks), None


# --- scoring ------------------------------------------------------------------------

def read(model, inks):
    """canvas_to_mnist + predict for every drawing: predicted digits and probabilities."""
    images = np.stack([canvas_to_mnist(ink) for ink in inks]).reshape(len(inks), 784)
    output = model.predict(images)
    return output.argmax(axis=1), output


def report(todo, labels, predicted, page_answers=None, source=""):
    """Print the accuracy table; return the summary dict."""
    right = predicted == labels
    groups = defaultdict(lambda: defaultdict(list))
    for (digit, style, (size, position, width, slant)), ok in zip(todo, right):
        groups["digit"][digit].append(ok)
        groups["style"][f"{digit} {style}"].append(ok)
        groups["size"][size].append(ok)
        groups["position"][position].append(ok)
        groups["pen width"][width].append(ok)
        groups["slant"][slant].append(ok)
    print(f"\nHandwriting drawn {source}: {right.mean():.1%} read right "
          f"({right.sum()} of {len(right)})")
    for factor, values in groups.items():
        cells = "  ".join(f"{key}: {np.mean(oks):.0%}" for key, oks in values.items())
        print(f"  by {factor:<9} {cells}")
    misread = [(todo[i], int(predicted[i])) for i in np.flatnonzero(~right)]
    if misread:
        print("  misread:")
        for (digit, style, variant), said in misread:
            print(f"    {digit} ({style}; {', '.join(map(str, variant))}) read as {said}")
    summary = {"source": source, "drawings": int(len(right)), "accuracy": round(float(right.mean()), 4),
               **{f"accuracy_by_{factor.replace(' ', '_')}":
                  {str(key): round(float(np.mean(oks)), 3) for key, oks in values.items()}
                  for factor, values in groups.items() if factor != "style"}}
    if page_answers is not None:
        agree = float(np.mean(page_answers == predicted))
        print(f"  the page's Prediction agrees with canvas_to_mnist + predict on the canvas "
              f"pixels for {agree:.1%} of the drawings")
        summary["page_agrees"] = round(agree, 4)
    return summary


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default=str(REPO_ROOT / "assets" / "mnist_model.npz"))
    parser.add_argument("--quick", action="store_true", help="4 variants per style, not 12")
    parser.add_argument("--rendered", action="store_true",
                        help="draw with render_strokes instead of the mouse in Chromium")
    parser.add_argument("--from", dest="source", metavar="NPZ",
                        help="score drawings saved by an earlier run")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # so `kill` still stops the server

    model = load_model(args.model)
    if args.source:
        saved = np.load(args.source, allow_pickle=False)
        inks, labels = saved["inks"], saved["labels"]
        todo = [(int(d), str(s), (str(z), str(p), int(w), int(a)))
                for d, s, z, p, w, a in zip(labels, saved["styles"], saved["sizes"],
                                            saved["positions"], saved["widths"], saved["slants"])]
        page_answers, source = None, f"(saved in {args.source})"
    else:
        todo = drawings(QUICK_VARIANTS if args.quick else VARIANTS)
        labels = np.array([digit for digit, _, _ in todo])
        started = time.perf_counter()
        if args.rendered:
            inks, page_answers = draw_rendered(todo)
            source = "by render_strokes"
        else:
            inks, page_answers = draw_in_browser(todo)
            source = "with the mouse in Chromium"
        seconds = time.perf_counter() - started
        if not args.rendered:
            OUTPUT.parent.mkdir(exist_ok=True)
            np.savez_compressed(
                OUTPUT, inks=inks, labels=labels, page_answers=page_answers,
                styles=np.array([s for _, s, _ in todo]),
                sizes=np.array([v[0] for _, _, v in todo]),
                positions=np.array([v[1] for _, _, v in todo]),
                widths=np.array([v[2] for _, _, v in todo]),
                slants=np.array([v[3] for _, _, v in todo]))
            print(f"saved the drawings to {OUTPUT.relative_to(REPO_ROOT)} "
                  f"({seconds:.0f} s to draw them)", file=sys.stderr)
    predicted, _ = read(model, inks)
    summary = report(todo, labels, predicted, page_answers, source)
    summary["model"] = os.path.relpath(args.model, REPO_ROOT)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
