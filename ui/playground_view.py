"""What the playground draws of one network, as one HTML block for `st.html`.

    html = run_html(run, run.picture(), data, shared, label="", side_by_side=True)

The block holds the epoch and the metrics (with data-pg attributes, which the
tests and bench/playground_fps.py read), the network graph with a heatmap of
every unit, the decision regions under the data points, and the loss and
accuracy curves; ui/pictures.py draws each piece. It is built from a
networks.Picture, a snapshot of the run, never from the model's own arrays.
page_css() is the page's CSS with the picture of the axes and points, put on
the page once per script run; the frames only refer to it.
"""

import numpy as np

from ui import catalog, pictures
from ui.colours import CLASS_COLOURS, INK, class_colour
from ui.networks import GRID
from ui.url_state import compact_activations

UNIT_GRID_STEP = 5  # unit heatmaps use every 5th grid point: 20 x 20
CHART_EVERY = 3  # while playing, the loss and accuracy curves are redrawn every 3rd frame


def net_summary(net, classes):
    """One line about a network, e.g. '2 → 4 → 2 → 1 units, tanh; SGD, learning rate 0.03'."""
    sizes = [len(net["inputs"])] + net["hidden"] + [1 if classes == 2 else classes]
    acts = (", ".join(catalog.label("activation", a) for a in compact_activations(net))
            if net["hidden"] else "no hidden layer")
    text = (f"{' → '.join(map(str, sizes))} units, {acts}; "
            f"{catalog.label('optimizer', net['opt'])}, learning rate {net['lr']:g}, "
            f"batch {net['batch']}")
    if net["reg"] != "none":
        text += f", {net['reg'].upper()} {net['rate']:g}"
    return text


def unit_images(values):
    """One heatmap per column of values (GRID * GRID, k), each scaled to its own largest |value|.

    Returns k PNG data URIs of 20 x 20 pixels: blue where the value is positive,
    orange where it is negative, white at 0.
    """
    step = UNIT_GRID_STEP
    small = np.asarray(values).reshape(GRID, GRID, -1)[step // 2::step, step // 2::step]
    scale = np.abs(small).max(axis=(0, 1))
    scale[scale == 0] = 1.0
    small = small / scale
    return [pictures.diverging_png(small[:, :, unit]) for unit in range(small.shape[2])]


def unit_columns(run, picture):
    """The network as columns of nodes for pictures.network_html, with heatmaps of each unit."""
    if "inputs" not in run.view_cache:
        run.view_cache["inputs"] = unit_images(picture.grid_inputs)  # they never change
    feature = catalog.labeller("feature")
    columns = [{
        "title": "Inputs",
        "nodes": [{"name": feature(f), "label": feature(f), "image": image,
                   "tooltip": f"input {feature(f)}: blue where it is positive, "
                              f"orange where negative"}
                  for f, image in zip(picture.inputs, run.view_cache["inputs"])],
    }]
    hidden = zip(picture.acts, picture.grid_outputs[:-1], picture.biases[:-1])
    for index, (act_name, outputs, b) in enumerate(hidden):
        act = catalog.label("activation", act_name)
        columns.append({
            "title": f"Layer {index + 1}\n{len(b)} {act}",
            "nodes": [{"name": f"unit {u + 1} of layer {index + 1}", "image": image,
                       "bias": float(b[u]),
                       "tooltip": f"layer {index + 1}, unit {u + 1} ({act}): "
                                  f"bias b = {b[u]:+.3f}"}
                      for u, image in enumerate(unit_images(outputs))],
        })
    step = UNIT_GRID_STEP
    out, b = picture.grid_outputs[-1], picture.biases[-1]
    small = out.reshape(GRID, GRID, -1)[step // 2::step, step // 2::step]
    if len(b) == 1:
        nodes = [{"name": "the output", "image": pictures.region_png(small[:, :, 0]),
                  "bias": float(b[0]),
                  "tooltip": f"output (sigmoid): P(class 1), bias b = {b[0]:+.3f}"}]
    else:
        nodes = [{"name": f"output {k}", "image": pictures.class_png(small[:, :, k], k),
                  "bias": float(b[k]),
                  "tooltip": f"output {k} (softmax): P(class {k}), bias b = {b[k]:+.3f}"}
                 for k in range(len(b))]
    columns.append({"title": "Output\n" + ("sigmoid" if len(b) == 1 else "softmax"),
                    "nodes": nodes})
    return columns, picture.weights


def regions_image(picture, discretize):
    """PNG of the decision regions: each grid point coloured by the class the network picks."""
    output = picture.grid_outputs[-1]
    if output.shape[1] == 1:
        probs = output[:, 0].reshape(GRID, GRID)
        if discretize:
            probs = (probs >= 0.5).astype(np.float32)
        return pictures.region_png(probs)
    return pictures.multiclass_region_png(output.reshape(GRID, GRID, -1), discretize)


def overlay_class(show_test):
    return "pg-plane-test" if show_test else "pg-plane-train"


def page_css(data, show_test):
    """The page's CSS, with the picture of the axes and points (sent once per run, not per frame).

    The picture is cached with the data: it only changes with the data.
    """
    if show_test not in data.overlays:
        points = pictures.points_svg(
            data.X_train, data.y_train, data.window,
            data.X_test if show_test else None, data.y_test if show_test else None)
        data.overlays[show_test] = pictures.plane_overlay_css(
            overlay_class(show_test), pictures.svg_data_uri(pictures.plane_svg(data.window, points)))
    return PAGE_CSS.replace("</style>", data.overlays[show_test] + "</style>")


def percent(value):
    return f"{100 * value:.1f}%"


def metric(label, value, tag=""):
    attribute = f' data-pg="{tag}"' if tag else ""
    return f'<div class="pg-m"><span>{label}</span><b{attribute}>{value}</b></div>'


def charts_html(run, picture, still):
    """The loss and accuracy curves; while training, redrawn every CHART_EVERY-th new point.

    An unchanged picture is the same image to the browser, which then need not
    draw it again: the curves move slowly, the rest of the frame does not.
    """
    curves, cached = picture.curves, run.view_cache.get("charts")
    if not still and cached is not None and len(curves["epoch"]) - cached[0] < CHART_EVERY:
        return cached[1]
    loss = pictures.lines_svg(
        curves["epoch"], {"training": (curves["train_loss"], "#8c96a3", True),
                          "test": (curves["test_loss"], INK, False)},
        title="Loss")
    accuracy = pictures.lines_svg(
        curves["epoch"], {"training": ([100 * a for a in curves["train_acc"]], "#8c96a3", True),
                          "test": ([100 * a for a in curves["test_acc"]], INK, False)},
        title="Accuracy (%)", y_range=(0.0, 100.0))
    html = (f'<div class="pg-curves"><img src="{pictures.svg_data_uri(loss)}" alt="loss curves">'
            f'<img src="{pictures.svg_data_uri(accuracy)}" alt="accuracy curves"></div>')
    run.view_cache["charts"] = (len(curves["epoch"]), html)
    return html


def run_html(run, picture, data, shared, label, side_by_side, frame=0, still=True):
    """Everything live about one network, as one HTML block.

    picture: run.picture(), taken while holding the session's live.turn().
    side_by_side: graph and decision regions next to each other (one network),
    else stacked (two networks, each in half the width).
    frame: a counter of screen updates, kept in the HTML for tests and benchmarks.
    still: the network is not training, so draw the graph with hover titles
    (while it trains, the graph is one image: far cheaper to redraw, and
    nobody can read a value that changes ten times a second).
    """
    columns, weights = unit_columns(run, picture)
    width = 560 if side_by_side else 600
    if still:
        network = pictures.network_html(columns, weights, width=width, max_height=400)
    else:
        svg = pictures.network_svg(columns, weights, width=width, max_height=400)
        network = (f'<img src="{pictures.svg_data_uri(svg)}" alt="network graph" '
                   f'style="width:100%;display:block">')
    regions = pictures.plane_html(regions_image(picture, shared["discretize"]),
                                  overlay_class(shared["test"]))
    tag = label[-1].lower() if label else ""
    latest = picture.latest
    head = (
        f'<div class="pg-head" data-pg-frame="{frame}"><div class="pg-epoch">'
        f'Epoch <b data-pg="epoch{tag}">{picture.epoch:,}</b></div>'
        + metric("Test loss", f"{latest['test_loss']:.3f}", f"test-loss{tag}")
        + metric("Test accuracy", percent(latest["test_acc"]), f"test-acc{tag}")
        + metric("Training loss", f"{latest['train_loss']:.3f}")
        + metric("Training accuracy", percent(latest["train_acc"]))
        + "</div>")
    legend = (
        '<div class="pg-legend">'
        + "".join(f'<span><i style="background:{class_colour(k)}"></i>class {k}</span>'
                  for k in range(max(data.classes, 2)))
        + ('<span><i class="ring"></i>test point</span>' if shared["test"] else "")
        + "</div>")
    curves_html = charts_html(run, picture, still)
    if side_by_side:
        body = (f'<div class="pg-row"><div class="pg-net">{network}{curves_html}</div>'
                f'<div class="pg-out">{regions}{legend}</div></div>')
    else:
        body = (f'<div class="pg-net">{network}</div>'
                f'<div class="pg-row"><div class="pg-out">{regions}{legend}</div>'
                f'{curves_html}</div>')
    return f'<div class="pg">{head}{body}</div>'


PAGE_CSS = "".join((
    "<style>",
    ".pg {color: #1c2430; line-height: 1.3}",
    ".pg-head {display: grid; grid-template-columns: repeat(3, auto); justify-content: start;"
    " gap: 0.1rem 1.4rem; align-items: baseline; margin-bottom: 0.6rem}",
    ".pg-epoch {grid-row: 1 / span 2; align-self: center; font-size: 1.6rem}",
    ".pg-m {display: flex; flex-wrap: wrap; column-gap: 0.4rem; align-items: baseline;"
    " color: #5b6675}",
    ".pg-m b {font-size: 1.2rem; color: #1c2430}",
    ".pg-row {display: flex; flex-wrap: wrap; gap: 0.6rem 1.2rem; align-items: flex-start}",
    ".pg-net {flex: 1.5 1 360px; min-width: 0}",
    ".pg-out {flex: 1 1 260px; max-width: 440px}",
    ".pg-curves {display: flex; flex-wrap: wrap; gap: 0.4rem 1.2rem; flex: 1 1 240px;"
    " margin-top: 0.6rem}",
    ".pg-curves img {flex: 1 1 240px; width: 0; max-width: 320px; height: auto}",
    ".pg-legend {display: flex; flex-wrap: wrap; gap: 0.2rem 1rem; font-size: 0.85rem;"
    " margin: 0.2rem 0 0 2.8rem}",
    ".pg-legend i {display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 50%;"
    " margin-right: 0.3rem; vertical-align: -0.1rem}",
    ".pg-legend i.ring {border: 2px solid #1c2430; background: #ffffff}",
    pictures.NETWORK_CSS,
    "</style>",
))
