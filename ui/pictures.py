"""Fast pictures for live views (`st.html`): heatmaps as small PNGs, points, a
network graph and line charts as SVG.

Redrawing one costs a few milliseconds in Python and in the browser, so a page
can update them 10+ times a second, where a plotly figure costs tens of
milliseconds to build and more to mount. The plotly figures are in ui/charts.py.
"""

import base64
import functools
import html as html_module
import math
import struct
import zlib

import numpy as np

from .colours import CLASS_COLOURS, INK, class_colour

WHITE_RGB = np.array([255.0, 255.0, 255.0], dtype=np.float32)
REGION_STRENGTH = 0.7  # decision regions are paler than the points drawn on them


def _rgb(hex_colour):
    return np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=np.float32)


def png_data_uri(pixels, palette=None):
    """An image as a `data:image/png;base64,...` URI, encoded fast (zlib level 1).

    Hand-written rather than Pillow's encoder because it is measurably faster on
    the playground's live pictures: one frame's 20 palette PNGs take 0.49 ms here
    against 0.99 ms with Pillow (compress_level=1), the same bytes decoded
    (bench/png_encoder.py, 2026-12-01, median of 300 alternating rounds).

    Args:
        pixels: (h, w, 3) uint8 RGB, or with a palette (h, w) uint8 indices.
        palette: None, or (n, 3) uint8 colours, n <= 256: a palette image is
            2 to 4 times smaller, so cheaper to send and decode many times a second.
    """
    pixels = np.ascontiguousarray(pixels, dtype=np.uint8)
    if palette is None:
        if pixels.ndim != 3 or pixels.shape[2] != 3:
            raise ValueError(f"pixels: expected an (h, w, 3) RGB array, got shape {pixels.shape}")
        colour_type, extra = 2, b""
    else:
        palette = np.asarray(palette, dtype=np.uint8)
        if pixels.ndim != 2 or palette.ndim != 2 or palette.shape[1] != 3 \
                or not 1 <= len(palette) <= 256:
            raise ValueError(f"pixels, palette: expected (h, w) indices and (n <= 256, 3) colours, "
                             f"got shapes {pixels.shape} and {palette.shape}")
        colour_type, extra = 3, _png_chunk(b"PLTE", palette.tobytes())
    height, width = pixels.shape[:2]
    rows = np.zeros((height, 1 + pixels[0].size), dtype=np.uint8)  # filter byte 0 per row
    rows[:, 1:] = pixels.reshape(height, -1)
    png = (b"\x89PNG\r\n\x1a\n"
           + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0))
           + extra
           + _png_chunk(b"IDAT", zlib.compress(rows.tobytes(), 1))
           + _png_chunk(b"IEND", b""))
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _png_chunk(kind, payload):
    return (struct.pack(">I", len(payload)) + kind + payload
            + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF))


SHADES = 32  # steps from white to a full colour in the heatmaps (the TF playground has 30)


@functools.lru_cache(maxsize=64)
def _shades(hex_colour, strength, steps=SHADES):
    """(steps + 1, 3) colours from white to strength * the colour (computed once, then kept)."""
    t = np.linspace(0.0, strength, steps + 1, dtype=np.float32)[:, None]
    colours = (WHITE_RGB + (_rgb(hex_colour) - WHITE_RGB) * t).round().astype(np.uint8)
    colours.flags.writeable = False  # shared by every caller
    return colours


def diverging_png(values, strength=1.0):
    """Values in [-1, 1] (clipped) as a PNG: class-0 orange at -1, white at 0, class-1 blue at +1.

    Args:
        values: (h, w) array.
        strength: 1 for full colours, less for paler ones.
    """
    v = np.clip(np.nan_to_num(np.asarray(values, dtype=np.float32)), -1.0, 1.0)
    return png_data_uri(np.rint(v * SHADES + SHADES).astype(np.uint8),
                        _diverging_palette(float(strength)))


@functools.lru_cache(maxsize=16)
def _diverging_palette(strength):
    """2 * SHADES + 1 colours: full orange, ..., white, ..., full blue."""
    colours = np.concatenate([_shades(CLASS_COLOURS[0], strength)[:0:-1],
                              _shades(CLASS_COLOURS[1], strength)])
    colours.flags.writeable = False  # shared by every caller
    return colours


def region_png(probability, strength=REGION_STRENGTH):
    """P(class 1) in [0, 1] (h, w) as a PNG: orange for class 0, white at 0.5, blue for class 1."""
    return diverging_png(2.0 * np.asarray(probability, dtype=np.float32) - 1.0, strength)


def class_png(probability, label, strength=1.0):
    """P(class label) in [0, 1] (h, w) as a PNG, from white (0) to the class's colour (1)."""
    p = np.clip(np.nan_to_num(np.asarray(probability, dtype=np.float32)), 0.0, 1.0)
    return png_data_uri(np.rint(p * SHADES).astype(np.uint8),
                        _shades(class_colour(label), float(strength)))


def multiclass_region_png(probabilities, discretize=False, strength=REGION_STRENGTH):
    """Class probabilities (h, w, k) as a PNG: the likeliest class's colour, paler when unsure.

    The shade goes from white (all k classes equally likely) to the class colour
    (certain); with discretize=True every point gets its class's full shade.
    """
    p = np.asarray(probabilities, dtype=np.float32)
    k = p.shape[-1]
    steps = min(SHADES, 256 // k - 1)  # k palettes of steps + 1 colours fit in 256
    winner = p.argmax(axis=-1)
    if discretize:
        sure = np.ones(winner.shape, dtype=np.float32)
    else:
        sure = np.clip((p.max(axis=-1) - 1.0 / k) / (1.0 - 1.0 / k), 0.0, 1.0)
    palette = np.concatenate([_shades(class_colour(label), float(strength), steps)
                              for label in range(k)])
    index = winner * (steps + 1) + np.rint(np.nan_to_num(sure) * steps).astype(np.int64)
    return png_data_uri(index.astype(np.uint8), palette)


# Geometry of plane_svg: a square plot of REGION_SIZE with room for the axes.
REGION_SIZE = 360
REGION_MARGIN = (12, 14, 44, 66)  # top, right, bottom, left: room for '-12.5' and x₂


def _nice_ticks(low, high, count=5):
    """Round tick values covering [low, high]: steps of 1, 2 or 5 times a power of ten."""
    raw = (high - low) / max(count - 1, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step - 1e-9) * step
    return [round(first + i * step, 10) for i in range(int((high - first) / step + 1e-9) + 1)]


def _to_plot(X, window):
    """Data coordinates (n, 2) -> pixel coordinates inside plane_svg's square."""
    low, high = window
    top, _, _, left = REGION_MARGIN
    scale = REGION_SIZE / (high - low)
    px = left + (np.asarray(X[:, 0], dtype=np.float64) - low) * scale
    py = top + (high - np.asarray(X[:, 1], dtype=np.float64)) * scale
    return px, py


def points_svg(X, y, window, X_test=None, y_test=None, radius=3.6):
    """Data points as SVG circles for plane_svg: training points filled, test points ringed.

    Points outside the window are left out of the picture. Build it once per
    data set and reuse it: it does not change while a network learns.
    """
    parts = []
    for points, labels, stroke, width in ((X, y, "#ffffff", 1.0), (X_test, y_test, INK, 1.6)):
        if points is None or len(points) == 0:
            continue
        px, py = _to_plot(points, window)
        low, high = window
        inside = np.all((points >= low) & (points <= high), axis=1)  # as the playground does
        for label in np.unique(labels):
            chosen = (labels == label) & inside
            circles = "".join(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="{radius}"/>'
                              for a, b in zip(px[chosen], py[chosen]))
            parts.append(f'<g fill="{class_colour(label)}" stroke="{stroke}" '
                         f'stroke-width="{width}">{circles}</g>')
    return "".join(parts)


def svg_data_uri(svg):
    """An SVG document as a `data:image/svg+xml;base64,...` URI, for an <img> tag.

    The browser draws such an image in one go: much cheaper to update than the
    same SVG inline, but without hover titles.
    """
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def plane_svg(window, points="", xlabel="x₁", ylabel="x₂"):
    """The input plane's frame, axes and points, transparent inside (see plane_html).

    Args:
        window: (low, high), the same range on both axes.
        points: SVG from points_svg for the same window.
    """
    low, high = window
    top, right, bottom, left = REGION_MARGIN
    width, height = left + REGION_SIZE + right, top + REGION_SIZE + bottom
    scale = REGION_SIZE / (high - low)
    ticks = []
    for value in _nice_ticks(low, high):
        offset = (value - low) * scale
        x, y = left + offset, top + REGION_SIZE - offset
        label = f"{value:g}"
        ticks.append(f'<line x1="{x:.1f}" y1="{top + REGION_SIZE}" x2="{x:.1f}" '
                     f'y2="{top + REGION_SIZE + 5}"/><text x="{x:.1f}" '
                     f'y="{top + REGION_SIZE + 20}" text-anchor="middle">{label}</text>'
                     f'<line x1="{left - 5}" y1="{y:.1f}" x2="{left}" y2="{y:.1f}"/>'
                     f'<text x="{left - 8}" y="{y + 5:.1f}" text-anchor="end">{label}</text>')
    return (
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="18">'
        f'{points}'
        f'<rect x="{left}" y="{top}" width="{REGION_SIZE}" height="{REGION_SIZE}" '
        f'fill="none" stroke="#9aa5b1"/>'
        f'<g stroke="{INK}" fill="{INK}">{"".join(ticks)}</g>'
        f'<text x="{left + REGION_SIZE / 2}" y="{height - 4}" text-anchor="middle" '
        f'fill="{INK}">{xlabel}</text>'
        f'<text x="12" y="{top + REGION_SIZE / 2}" text-anchor="middle" fill="{INK}" '
        f'transform="rotate(-90 12 {top + REGION_SIZE / 2})">{ylabel}</text></svg>')


def plane_overlay_css(class_name, overlay_uri):
    """A CSS rule that draws an overlay (svg_data_uri(plane_svg(...))) in elements of a class.

    Put it on the page once (e.g. in a <style> in its own st.html), then let
    plane_html refer to it by class: the browser keeps the decoded picture,
    and the overlay is not sent again with every frame.
    """
    return (f".{class_name} {{position: absolute; inset: 0; background-image: "
            f"url(\"{overlay_uri}\"); background-size: 100% 100%}}")


def plane_html(heatmap_uri, overlay_class, alt="decision regions and data points"):
    """A heatmap under the plane's axes and points (drawn by a class from plane_overlay_css).

    Only the heatmap changes while a network learns.

    Args:
        heatmap_uri: PNG data URI covering the window, first row at the top.
        overlay_class: CSS class whose rule (plane_overlay_css) draws the axes and points.
    """
    top, right, bottom, left = REGION_MARGIN
    width, height = left + REGION_SIZE + right, top + REGION_SIZE + bottom
    box = (f"left:{100 * left / width:.3f}%;top:{100 * top / height:.3f}%;"
           f"width:{100 * REGION_SIZE / width:.3f}%;height:{100 * REGION_SIZE / height:.3f}%")
    return (f'<div role="img" aria-label="{html_module.escape(alt)}" '
            f'style="position:relative;width:100%;aspect-ratio:{width}/{height}">'
            f'<img src="{heatmap_uri}" alt="" style="position:absolute;{box};margin:0">'
            f'<div class="{overlay_class}"></div></div>')


class _NetworkLayout:
    """Where network_html and network_svg put each node and link (the same picture in both).

    Coordinates are layout units (pixels at full size): columns of nodes left
    to right, each centred vertically, titles above them.
    """

    def __init__(self, columns, weights, width, max_height):
        if len(weights) != len(columns) - 1:
            raise ValueError(f"weights: expected {len(columns) - 1} arrays (one between each "
                             f"pair of columns), got {len(weights)}")
        self.weights = [np.asarray(W) for W in weights]
        for index, W in enumerate(self.weights):
            expected = (len(columns[index]["nodes"]), len(columns[index + 1]["nodes"]))
            if W.shape != expected:
                raise ValueError(f"weights[{index}]: expected shape {expected}, got {W.shape}")
        self.columns, self.width = columns, width
        tallest = max(len(column["nodes"]) for column in columns)
        pitch = min(56.0, max_height / max(tallest, 1))
        self.size = pitch * 0.78
        self.label_size = min(18.0, 0.7 * pitch)  # node labels shrink with crowded columns
        lines = max(column["title"].count("\n") + 1 for column in columns)
        top = 10.0 + 19.0 * lines
        self.height = top + tallest * pitch + 6
        left, right = 88.0, width - 6.0 - self.size  # room for labels such as sin(x₁)
        gap = (right - left) / max(len(columns) - 1, 1)
        self.places = []  # per column: x of the nodes' left edge, y of each node's top edge
        for index, column in enumerate(columns):
            n = len(column["nodes"])
            x = left + index * gap if len(columns) > 1 else (left + right) / 2
            first = top + (tallest - n) * pitch / 2 + (pitch - self.size) / 2
            self.places.append((x, [first + j * pitch for j in range(n)]))

    def links(self):
        """(source node, target node, weight, x0, y0, x1, y1, thickness, colour) per link."""
        size = self.size
        for index, W in enumerate(self.weights):
            (x0, ys0), (x1, ys1) = self.places[index], self.places[index + 1]
            sources, targets = self.columns[index]["nodes"], self.columns[index + 1]["nodes"]
            for j, y0 in enumerate(ys0):
                for k, y1 in enumerate(ys1):
                    w = float(W[j, k])
                    yield (sources[j], targets[k], w, x0 + size, y0 + size / 2, x1,
                           y1 + size / 2, 1.0 + 5.0 * min(abs(w), 3.0) / 3.0,
                           CLASS_COLOURS[1] if w >= 0 else CLASS_COLOURS[0])

    def nodes(self):
        """(column index, node, x, y) per node, left to right."""
        for index, ((x, ys), column) in enumerate(zip(self.places, self.columns)):
            for y, node in zip(ys, column["nodes"]):
                yield index, node, x, y

    def bias_square(self, x, y):
        """(left, top, side) of the small square showing a node's bias."""
        side = max(5.0, self.size * 0.22)
        return x - side - 2, y + self.size - side, side


def _bias_style(bias):
    return (CLASS_COLOURS[1] if bias >= 0 else CLASS_COLOURS[0],
            0.3 + 0.7 * min(abs(bias), 2.0) / 2.0)


def network_html(columns, weights, width=600, max_height=440):
    """A layered network drawn as a graph in plain HTML (safe for `st.html`, which strips SVG).

    Nodes are small heatmap images; each link is a straight line, blue for a
    positive weight and orange for a negative one, thicker for larger |w|.
    Hovering over a link or a node shows its value (its title). The graph
    keeps its proportions and scales to the width of its container. Put
    NETWORK_CSS on the page once. network_svg draws the same picture as one
    image, much cheaper to redraw many times a second, but without hover.

    Args:
        columns: list of layers, left to right; each a dict with "title" (may
            hold "\\n" line breaks) and "nodes", a list of dicts with "name"
            (used in link titles), "image" (PNG data URI), "tooltip", and
            optionally "label" (text left of the node) and "bias" (drawn as a
            small square at the node's lower left).
        weights: list of arrays, weights[i] of shape (len(columns[i]["nodes"]),
            len(columns[i + 1]["nodes"])): the weight from node j of column i
            to node k of column i + 1 is weights[i][j, k].
        width: width of the drawing in layout units (pixels at full size).
        max_height: height available for the tallest column.
    """
    layout = _NetworkLayout(columns, weights, width, max_height)
    height, size = layout.height, layout.size

    def pct(value, total):
        return f"{100.0 * value / total:.3f}%"

    esc = html_module.escape
    parts = []
    for source, target, w, x0, y0, x1, y1, thickness, colour in layout.links():
        dx, dy = x1 - x0, y1 - y0
        parts.append(
            f'<div class="lk" title="weight from {esc(source["name"])} to '
            f'{esc(target["name"])}: {w:+.4f}" style="left:{pct(x0, width)};'
            f'top:{pct(y0, height)};width:{pct(math.hypot(dx, dy), width)};'
            f'height:{thickness:.1f}px;margin-top:{-thickness / 2:.1f}px;background:{colour};'
            f'transform:rotate({math.degrees(math.atan2(dy, dx)):.2f}deg)"></div>')
    for index, ((x, _), column) in enumerate(zip(layout.places, columns)):
        last = index == len(columns) - 1 and len(columns) > 1
        title = "<br>".join(esc(line) for line in column["title"].split("\n"))
        place = (f"right:{pct(width - x - size, width)};text-align:right" if last else
                 f"left:{pct(x + size / 2, width)};transform:translateX(-50%);"
                 f"text-align:center")
        parts.append(f'<div class="ct" style="top:0;{place}">{title}</div>')
    for _, node, x, y in layout.nodes():
        box = (f"left:{pct(x, width)};top:{pct(y, height)};width:{pct(size, width)};"
               f"height:{pct(size, height)}")
        parts.append(f'<img class="nd" src="{node["image"]}" alt="" '
                     f'title="{esc(node.get("tooltip", node["name"]))}" style="{box}">')
        if node.get("label"):
            parts.append(f'<div class="nl" style="right:{pct(width - x + 6, width)};'
                         f'top:{pct(y + size / 2, height)};font-size:{layout.label_size:.0f}px">'
                         f'{esc(node["label"])}</div>')
        if node.get("bias") is not None:
            bias = float(node["bias"])
            bx, by, side = layout.bias_square(x, y)
            fill, opacity = _bias_style(bias)
            parts.append(
                f'<div class="bs" title="bias {bias:+.4f}" style="left:{pct(bx, width)};'
                f'top:{pct(by, height)};width:{pct(side, width)};height:{pct(side, height)};'
                f'background:{fill};opacity:{opacity:.2f}"></div>')
    return (f'<div class="nnet" role="img" aria-label="network graph" '
            f'style="aspect-ratio:{width}/{height:.1f}">{"".join(parts)}</div>')


def network_svg(columns, weights, width=600, max_height=440):
    """The same picture as network_html, as one SVG document (for svg_data_uri and <img>).

    The browser draws it in one go, so it suits a graph redrawn many times a
    second; it has no hover titles. Arguments as for network_html.
    """
    layout = _NetworkLayout(columns, weights, width, max_height)
    height, size = layout.height, layout.size
    esc = html_module.escape
    by_colour = {}  # links grouped by colour: less to send and to parse
    for _, _, _, x0, y0, x1, y1, thickness, colour in layout.links():
        by_colour.setdefault(colour, []).append(
            f'<line x1="{x0:.1f}" y1="{y0:.1f}" x2="{x1:.1f}" y2="{y1:.1f}" '
            f'stroke-width="{thickness:.1f}"/>')
    parts = [f'<g stroke="{colour}" stroke-opacity="0.7">{"".join(lines)}</g>'
             for colour, lines in by_colour.items()]
    for index, ((x, _), column) in enumerate(zip(layout.places, columns)):
        last = index == len(columns) - 1 and len(columns) > 1
        anchor, tx = ("end", x + size) if last else ("middle", x + size / 2)
        lines = "".join(f'<tspan x="{tx:.1f}" dy="{0 if i == 0 else 1.15}em">{esc(line)}</tspan>'
                        for i, line in enumerate(column["title"].split("\n")))
        parts.append(f'<text y="15" text-anchor="{anchor}">{lines}</text>')
    for _, node, x, y in layout.nodes():
        parts.append(f'<image href="{node["image"]}" x="{x:.1f}" y="{y:.1f}" width="{size:.1f}" '
                     f'height="{size:.1f}" preserveAspectRatio="none"/>'
                     f'<rect x="{x + 0.5:.1f}" y="{y + 0.5:.1f}" width="{size - 1:.1f}" '
                     f'height="{size - 1:.1f}" fill="none" stroke="#9aa5b1"/>')
        if node.get("label"):
            parts.append(f'<text x="{x - 6:.1f}" y="{y + size / 2 + layout.label_size / 3:.1f}" '
                         f'text-anchor="end" font-size="{layout.label_size:.0f}">'
                         f'{esc(node["label"])}</text>')
        if node.get("bias") is not None:
            bx, by, side = layout.bias_square(x, y)
            fill, opacity = _bias_style(float(node["bias"]))
            parts.append(f'<rect x="{bx:.1f}" y="{by:.1f}" width="{side:.1f}" '
                         f'height="{side:.1f}" fill="{fill}" fill-opacity="{opacity:.2f}" '
                         f'stroke="{INK}" stroke-width="1"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.1f}" '
            f'width="{width}" height="{height:.0f}" font-family="sans-serif" font-size="14" '
            f'fill="{INK}">{"".join(parts)}</svg>')


# CSS for network_html (put it once on the page, e.g. inside the same st.html).
NETWORK_CSS = (
    ".nnet {position: relative; width: 100%; font-size: 0.8rem; line-height: 1.15;"
    " color: #1c2430}"
    ".nnet > * {position: absolute; margin: 0}"
    ".nnet .lk {transform-origin: 0 50%; opacity: 0.7; min-height: 1px}"
    ".nnet .lk:hover {opacity: 1; background: #1c2430 !important}"
    ".nnet .nd {border: 1px solid #9aa5b1; box-sizing: border-box}"
    ".nnet .nd:hover {outline: 2px solid #1c2430}"
    ".nnet .nl {transform: translateY(-50%); white-space: nowrap}"
    ".nnet .ct {white-space: nowrap}"
    ".nnet .bs {border: 1px solid #1c2430; box-sizing: border-box}"
)


def lines_svg(x, series, *, title="", y_range=None, width=280, height=150, max_points=300,
              font_size=15):
    """A small line chart as SVG, e.g. training and test loss over epochs.

    Args:
        x: shared x values (e.g. epochs), increasing.
        series: dict name -> (values, colour, dashed); values as long as x.
        title: text at the top left.
        y_range: (low, high), or None to run from 0 (or the lowest value) to the highest.
        max_points: longer series are thinned to about this many points.
        font_size: text size in SVG units (the chart scales with its container).
    """
    x = np.asarray(x, dtype=np.float64)
    top, right, bottom, left = 28, 10, 24, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    values = {name: np.asarray(v, dtype=np.float64) for name, (v, _, _) in series.items()}
    for name, v in values.items():
        if v.shape != x.shape:
            raise ValueError(f"series {name!r}: expected {x.shape[0]} values, got {v.shape[0]}")
    finite = np.concatenate([v[np.isfinite(v)] for v in values.values()] + [np.zeros(0)])
    if y_range is None:
        high = float(finite.max()) if finite.size else 1.0
        low = min(0.0, float(finite.min())) if finite.size else 0.0
        y_range = (low, high if high > low else low + 1.0)
    low, high = y_range
    x_low = float(x[0]) if x.size else 0.0
    x_high = float(x[-1]) if x.size and x[-1] > x_low else x_low + 1.0
    keep = np.unique(np.linspace(0, max(x.size - 1, 0), min(x.size, max_points)).astype(int))

    def px(v):
        return left + (v - x_low) / (x_high - x_low) * plot_w

    def py(v):
        return top + (high - np.clip(v, low, high)) / (high - low) * plot_h

    lines, legend = [], []
    legend_end = width - right  # the legend runs right to left from the top right corner
    for name, (_, colour, dashed) in reversed(series.items()):
        v = values[name][keep]
        ok = np.isfinite(v)
        coords = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(px(x[keep][ok]), py(v[ok])))
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        if coords:
            lines.insert(0, f'<polyline points="{coords}" fill="none" stroke="{colour}" '
                            f'stroke-width="2.4"{dash}/>')
        lx = legend_end - (28 + 0.56 * font_size * len(name))
        legend_end = lx - 12
        legend.append(f'<line x1="{lx:.1f}" y1="{top - 14}" x2="{lx + 22:.1f}" y2="{top - 14}" '
                      f'stroke="{colour}" stroke-width="2.4"{dash}/><text x="{lx + 27:.1f}" '
                      f'y="{top - 9}">{html_module.escape(name)}</text>')
    ticks = []
    for value in _nice_ticks(low, high, 4):
        y = py(value)
        ticks.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
                     f'stroke="#e3e7ec"/><text x="{left - 6}" y="{y + 4:.1f}" '
                     f'text-anchor="end">{value:g}</text>')
    for value in (x_low, x_high) if x.size > 1 else (x_low,):
        ticks.append(f'<text x="{px(value):.1f}" y="{top + plot_h + 18}" '
                     f'text-anchor="middle">{value:g}</text>')
    return (f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="{font_size}" '
            f'fill="{INK}" role="img" aria-label="{html_module.escape(title)}">'
            f'<text x="2" y="{top - 9}" font-weight="bold">{html_module.escape(title)}</text>'
            f'{"".join(ticks)}<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" '
            f'y2="{top + plot_h}" stroke="{INK}"/>{"".join(lines)}{"".join(legend)}'
            f'<text x="{left + plot_w / 2}" y="{top + plot_h + 18}" text-anchor="middle">'
            f'epoch</text>'
            f'</svg>')
