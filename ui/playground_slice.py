"""A slice through the playground network's loss landscape (issue 12, part 2, playground half).

    record(runs)                          # every frame: each network's parameters, capped
    choice = panel(runs)                  # in the live fragment: the toggle, two weights
    draw(choice, runs, still)             # holding live.turn()

For two chosen parameters of one network (all the others held at their current
values), the training loss over a grid around their current values
(`engine.landscape.network_loss_slice`), with the path those two took so far
(their values after each screen update) and the current point. It is a slice:
the picture says how many parameters are held. A grid costs tens of
milliseconds, so while training it is redrawn about once a second
(SLICE_SECONDS), not every frame.
"""

import html as html_module
import time

import numpy as np
import streamlit as st

from engine.landscape import network_loss_slice
from ui import catalog, pictures
from ui.colours import INK

KEY = "playground__slice_"
CELLS = 15  # the grid has 2 * CELLS + 1 values on each axis, the current value in the middle
PATH_CAP = 400  # parameter vectors kept per network (then every other old one is dropped)
SLICE_SECONDS = 1.0  # while training, the slice is recomputed at most this often
BANDS = 12
# light (low loss) to dark (high loss), then the contour lines' colour
PALETTE = np.array([(247, 251, 235), (229, 244, 214), (204, 233, 196), (168, 218, 186),
                    (127, 200, 189), (90, 178, 193), (64, 152, 192), (45, 124, 183),
                    (36, 96, 166), (32, 70, 140), (27, 48, 110), (20, 30, 80),
                    (255, 255, 255)], dtype=np.uint8)
SIZE = 240  # the map's pixels on each side

EXPLAIN = (
    "Training walks downhill on the loss, a surface over all the network's weights and "
    "biases. Here two of them vary over a grid around their current values while **every "
    "other one is held where it is now**: a slice through that surface, not the whole of it. "
    "Light is low loss, dark high; the line is the path the two took so far (their values "
    "after each screen update), the red dot where they are now. As the other weights move "
    "the slice itself changes, so an old path need not follow today's valleys.")


def parameters(run):
    """{"0W0,1": "w: x₂ → unit 2 of layer 1", ...}: every weight and bias of the network."""
    feature = catalog.labeller("feature")
    layers = run.model.layers
    last = len(layers) - 1

    def unit(l, j):  # unit j of layer l's output
        if l < last:
            return f"unit {j + 1} of layer {l + 1}"
        return "the output" if layers[l].n_out == 1 else f"output {j}"

    options = {}
    for l, layer in enumerate(layers):
        for j in range(layer.n_out):
            for i in range(layer.n_in):
                source = feature(run.inputs[i]) if l == 0 else f"unit {i + 1} of layer {l}"
                options[f"{l}W{i},{j}"] = f"w: {source} → {unit(l, j)}"
            options[f"{l}b{j}"] = f"b: bias of {unit(l, j)}"
    return options


def parse(value):
    """"0W0,1" -> (0, "W", 0, 1); "1b0" -> (1, "b", 0): engine.landscape's parameter form."""
    for kind in "Wb":
        if kind in value:
            layer, index = value.split(kind)
            return (int(layer), kind, *map(int, index.split(",")))
    raise ValueError(f"not a parameter: {value!r}")


def value_of(model, parameter):
    layer, kind, *index = parameter
    return float(getattr(model.layers[layer], kind)[tuple(index)])


def flat_index(model, parameter):
    """Where the parameter sits in model.params (each layer's W and b are views into it)."""
    layer, kind, *index = parameter
    array = getattr(model.layers[layer], kind)
    offset = (array.ctypes.data - model.params.ctypes.data) // array.itemsize
    return offset + int(np.ravel_multi_index(tuple(index), array.shape))


def record(runs):
    """Keep each network's parameters after this frame (once per epoch), at most PATH_CAP."""
    for run in runs.values():
        path = run.view_cache.setdefault("params_path", {"epochs": [], "params": []})
        if path["epochs"] and path["epochs"][-1] == run.epoch:
            continue
        path["epochs"].append(run.epoch)
        path["params"].append(run.model.params.copy())
        if len(path["epochs"]) > PATH_CAP:  # thin the older half: the start stays
            half = PATH_CAP // 2
            for name in ("epochs", "params"):
                path[name] = path[name][:half:2] + path[name][half:]


def path_of(run, first, second):
    """(values of first, values of second) after each recorded frame."""
    params = run.view_cache.get("params_path", {}).get("params") or [run.model.params]
    stacked = np.asarray(params)
    return (stacked[:, flat_index(run.model, first)].astype(np.float64),
            stacked[:, flat_index(run.model, second)].astype(np.float64))


def slice_numbers(run, first, second):
    """The grid and what is drawn on it, from the engine (no drawing).

    The axes run over a0 ± ha and b0 ± hb (the current values in the middle, the
    path inside); loss[r, c] is the training loss (without the regularization
    term, as the page reports it) at (a[c], b[r]); loss[CELLS, CELLS] is the
    current point.
    """
    model = run.model
    a0, b0 = value_of(model, first), value_of(model, second)
    path_a, path_b = path_of(run, first, second)
    ha = max(1.0, 1.15 * float(np.max(np.abs(path_a - a0))))
    hb = max(1.0, 1.15 * float(np.max(np.abs(path_b - b0))))
    steps = np.arange(-CELLS, CELLS + 1) / CELLS  # exactly 0 in the middle
    a_values, b_values = a0 + ha * steps, b0 + hb * steps
    loss = network_loss_slice(model, run.X_train, run.y_train, run.loss, first, second,
                              a_values, b_values)
    return {"a": a_values, "b": b_values, "loss": loss, "here": float(loss[CELLS, CELLS]),
            "path_a": path_a, "path_b": path_b, "epoch": run.epoch,
            "held": int(model.params.size) - 2}


def _smooth(values, size):
    """Bilinear resampling of a (n, n) grid to (size, size) pixels."""
    n = values.shape[0]
    where = np.linspace(0, n - 1, size)
    rows = np.array([np.interp(where, np.arange(n), row) for row in values])
    return np.array([np.interp(where, np.arange(n), col) for col in rows.T]).T


def map_png(loss):
    """The loss as filled contour bands (light low, dark high) with lines between them."""
    finite = np.where(np.isfinite(loss), loss, np.nanmax(loss[np.isfinite(loss)]))
    logs = np.log(np.maximum(finite, 1e-6))
    low, high = float(logs.min()), float(logs.max())
    t = (logs - low) / (high - low) if high > low else np.zeros_like(logs)
    t = _smooth(t[::-1], SIZE)  # the first row of the picture is the largest b
    bands = np.minimum((t * BANDS).astype(np.uint8), BANDS - 1)
    edge = np.zeros(bands.shape, dtype=bool)
    edge[:, 1:] |= bands[:, 1:] != bands[:, :-1]
    edge[1:, :] |= bands[1:, :] != bands[:-1, :]
    bands[edge] = BANDS
    return pictures.png_data_uri(bands, PALETTE)


def slice_svg(numbers, first_label, second_label, width=420, height=300):
    """The map, its axes, the path and the current point, as SVG."""
    left, top, size = 64, 10, SIZE
    a, b = numbers["a"], numbers["b"]

    def px(v):
        return left + (v - a[0]) / (a[-1] - a[0]) * size

    def py(v):
        return top + (b[-1] - v) / (b[-1] - b[0]) * size

    coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(px(numbers["path_a"]),
                                                         py(numbers["path_b"])))
    start = (px(numbers["path_a"][0]), py(numbers["path_b"][0]))
    here = (px(a[CELLS]), py(b[CELLS]))
    ticks = "".join(
        f'<text x="{px(v):.1f}" y="{top + size + 17}" text-anchor="middle">{v:.2f}</text>'
        for v in (a[0], a[CELLS], a[-1]))
    ticks += "".join(
        f'<text x="{left - 5}" y="{py(v) + 4:.1f}" text-anchor="end">{v:.2f}</text>'
        for v in (b[0], b[CELLS], b[-1]))
    esc = html_module.escape
    return (f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'font-family="sans-serif" font-size="13" fill="{INK}">'
            f'<image x="{left}" y="{top}" width="{size}" height="{size}" '
            f'preserveAspectRatio="none" href="{map_png(numbers["loss"])}"/>'
            f'<rect x="{left}" y="{top}" width="{size}" height="{size}" fill="none" '
            f'stroke="{INK}"/>'
            f'<clipPath id="pg-slice"><rect x="{left}" y="{top}" width="{size}" '
            f'height="{size}"/></clipPath><g clip-path="url(#pg-slice)">'
            f'<polyline points="{coords}" fill="none" stroke="#f28e2b" stroke-width="2.4"/>'
            f'<circle cx="{start[0]:.1f}" cy="{start[1]:.1f}" r="4" fill="#ffffff" '
            f'stroke="#f28e2b" stroke-width="2"/>'
            f'<circle cx="{here[0]:.1f}" cy="{here[1]:.1f}" r="6" fill="#e15759" '
            f'stroke="#ffffff" stroke-width="2"/></g>{ticks}'
            f'<text x="{left + size / 2}" y="{top + size + 36}" text-anchor="middle">'
            f'{esc(first_label)}</text>'
            f'<text transform="translate(14 {top + size / 2}) rotate(-90)" '
            f'text-anchor="middle">{esc(second_label)}</text>'
            f'<g font-size="12"><circle cx="{left + size + 18}" cy="{top + 8}" r="5" '
            f'fill="#e15759"/><text x="{left + size + 28}" y="{top + 12}">now</text>'
            f'<circle cx="{left + size + 18}" cy="{top + 28}" r="4" fill="#ffffff" '
            f'stroke="#f28e2b" stroke-width="2"/><text x="{left + size + 28}" y="{top + 32}">'
            f'start</text><text x="{left + size + 10}" y="{top + 56}">light: low loss</text>'
            f'<text x="{left + size + 10}" y="{top + 72}">dark: high loss</text></g></svg>')


def slice_html(numbers, network, first_label, second_label):
    held = numbers["held"]
    return (f'<div class="pg-slice" data-pg-slice="{network}" '
            f'data-pg-slice-loss="{numbers["here"]!r}" style="max-width:560px">'
            f'<img src="{pictures.svg_data_uri(slice_svg(numbers, first_label, second_label))}"'
            f' alt="a slice of the training loss over two weights" '
            f'style="width:100%;display:block"><p style="margin-top:0.3rem">'
            f'Training loss here: <b data-pg="slice-loss">{numbers["here"]:.3f}</b> (epoch '
            f'{numbers["epoch"]:,}). <b>A slice:</b> the other {held:,} weights and biases are '
            f'held where they are now; the true landscape has {held + 2:,} dimensions.</p></div>')


def panel(runs):
    """The toggle and, when on, the network and the two parameters; returns the choice or None."""
    on = st.toggle("Show a slice through the loss landscape", key=KEY + "on",
                   help="The training loss over two chosen weights, all others held.")
    if not on:
        return None
    names = list(runs)
    network = names[0]
    if len(names) > 1:
        if st.session_state.get(KEY + "net") not in names:
            st.session_state[KEY + "net"] = names[0]
        network = st.radio("Network", names, key=KEY + "net", horizontal=True,
                           format_func=lambda c: f"Network {c.upper()}")
    options = parameters(runs[network])
    values = list(options)
    for slot, default in (("first", values[0]), ("second", values[1])):
        key = f"{KEY}{network}_{slot}"
        if st.session_state.get(key) not in options:
            st.session_state[key] = default
    left, right = st.columns(2)
    first = left.selectbox("First weight (across)", values, format_func=options.get,
                           key=f"{KEY}{network}_first")
    second = right.selectbox("Second weight (up)", values, format_func=options.get,
                             key=f"{KEY}{network}_second")
    st.caption(EXPLAIN)
    if first == second:
        st.info("Choose two different weights.", icon=":material/info:")
        return None
    return network, first, second, options, st.empty()


def draw(choice, runs, still):
    """Record the paths; redraw the slice (while training, at most every SLICE_SECONDS)."""
    record(runs)
    if choice is None:
        return
    network, first, second, options, slot = choice
    run = runs.get(network)
    if run is None:
        return
    key = (first, second)
    cached = run.view_cache.get("slice")
    now = time.monotonic()
    if (not still and cached is not None and cached[0] == key
            and now - cached[1] < SLICE_SECONDS):
        if cached[3] is not slot:  # a new run of the fragment: a new placeholder
            slot.html(cached[2])
            run.view_cache["slice"] = (*cached[:3], slot)
        return
    numbers = slice_numbers(run, parse(first), parse(second))
    html = slice_html(numbers, network, options[first], options[second])
    slot.html(html)
    run.view_cache["slice"] = (key, now, html, slot)
