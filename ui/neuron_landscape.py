"""The one-neuron page's loss landscape: the training loss over two weights, and the paths on it.

    section(run, epochs)       # inside the page's live fragment: redrawn with every frame

draws a contour map of the sigmoid neuron's training loss over (w1, w2) with the
bias held at its current value (or over (w1, b) with w2 held), the path the run's
training has taken so far, the current weights (a star), and, on request, the
paths of every optimizer of the engine from the same start with the page's
learning rate (or each one's own), batch size, order and seed.

The numbers are engine/landscape.py's: unit_loss_grid / unit_loss_grid_bias for
the map (the current weights are a grid node, so the map's value there is the
loss the page reports), optimizer_path for the compared paths. What a run keeps
for this section lives in `run.landscape` (ui/neuron_runs.py's NeuronRun): the
last grid, so a rerun with nothing changed computes nothing, and the comparison.
"""

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from engine import landscape
from ui import catalog, charts
from ui.formulas import number
from ui.neuron_runs import optimizer_default_lr, tutorial_rng

GRID = 60  # grid nodes per axis (plus the current weights' own)
MIN_HALF_WIDTH = 2.0  # the map shows at least -2..2 on each axis
COMPARE_MAX_UPDATES = 3000  # the compared paths stop here (the page's run may be longer)
AXES = {"w2": "w₁ and w₂ (the bias held)", "b": "w₁ and the bias b (w₂ held)"}
LR_CHOICES = {"page": "the page's", "own": "each optimizer's default"}
COMPARE_COLOURS = charts.CLASS_COLOURS[2:]  # green, red, purple, brown ...: not the classes'
CONTOUR_SCALE = [[0.0, "#ffffff"], [0.35, "#dfe6ef"], [1.0, "#8c9db3"]]
PATH_COLOUR = charts.INK
SHORT_NAMES = {"sgd": "SGD", "momentum": "momentum", "rmsprop": "RMSprop", "adam": "Adam"}
AXIS_TITLES = {"w1": "w₁", "w2": "w₂", "b": "b"}
KEY = "perceptron_landscape"

EXPLANATION = (
    "Every point of this map is one choice of the two weights; its shade is the **training "
    "loss** the neuron would have with them (darker is worse), and each contour line joins "
    "weights of equal loss, like the height lines of a hiking map. Training walks downhill "
    "on it: each update steps against the slope. The black line is where this run has been; "
    "the circle is where it started and the star where it is now."
)
WHY_PATHS_DIFFER = (
    "**Why the paths differ.** SGD steps by η times the slope: long steps where the map is "
    "steep, tiny ones where it is flat. Momentum adds up its past steps like a ball rolling "
    "downhill: it speeds up along a long valley and can overshoot and swing back. RMSprop "
    "and Adam divide each step by the recent size of the slopes, so each weight moves by "
    "about η per update wherever it is, flat or steep (Adam also keeps momentum). With one "
    "point per update each step follows that one point's slope, not the whole map's: the "
    "path jitters around the way downhill. A full batch gives a smooth path."
)


def short_name(name):
    """An optimizer's name in the legend: 'SGD', 'momentum' ... (its catalogue label if new)."""
    return SHORT_NAMES.get(name) or catalog.label("optimizer", name)


def nice_half_width(values, minimum=MIN_HALF_WIDTH):
    """A round half-width (1, 2, 5 x 10^k) that holds every |value| with some room."""
    need = max(minimum, 1.15 * float(np.max(np.abs(values))) if len(values) else 0.0)
    scale = 10.0 ** np.floor(np.log10(need))
    return float(next(m * scale for m in (1.0, 2.0, 5.0, 10.0) if m * scale >= need))


def _coordinates(weights, second):
    """(x, y) of (w1, w2, b) rows on the map: x = w1, y = w2 or b."""
    weights = np.asarray(weights, dtype=np.float64).reshape(-1, 3)
    return weights[:, 0], weights[:, 1 if second == "w2" else 2]


def grid(run, second):
    """(xs, ys, losses, held) for the run's unit now: the map, the current weights on its nodes.

    losses[r, c] is the training loss at x = xs[c], y = ys[r]; held is the value of
    the third parameter (b, or w2). Kept in run.landscape until something changes.
    """
    unit, data = run.unit, run.data
    current = (*unit.w.tolist(), unit.b)
    shown = [np.asarray(run.path), np.asarray([current])]
    shown += [path for path in run.landscape.get("paths", {}).values()]
    x_seen, y_seen = _coordinates(np.concatenate(shown), second)
    half_x, half_y = nice_half_width(x_seen), nice_half_width(y_seen)
    key = (second, half_x, half_y, current, unit.loss_name)
    cached = run.landscape.get("grid")
    if cached is not None and cached[0] == key:
        return cached[1]
    x_now, y_now = _coordinates(current, second)
    xs = np.unique(np.append(np.linspace(-half_x, half_x, GRID), x_now))
    ys = np.unique(np.append(np.linspace(-half_y, half_y, GRID), y_now))
    X, y = data["X_train"], data["y_train"]
    if second == "w2":
        held = unit.b
        losses = landscape.unit_loss_grid(X, y, unit.loss_name, xs, ys, held)
    else:
        held = float(unit.w[1])
        losses = landscape.unit_loss_grid_bias(X, y, unit.loss_name, xs, ys, held)
    result = (xs, ys, losses, held)
    run.landscape["grid"] = (key, result)
    return result


def compare_settings(run, epochs, lr_choice):
    """What the compared paths depend on: start, learning rates, batches, updates."""
    trainer = run.trainer
    updates = min(COMPARE_MAX_UPDATES, epochs * trainer.updates_per_epoch)
    rates = tuple(run.unit.lr if lr_choice == "page" else optimizer_default_lr(name)
                  for name in catalog.optimizer_names())
    return (tuple(run.path[0]), rates, trainer.batch_size, trainer.order, run.seed, updates,
            run.unit.loss_name)


def optimizer_paths(run, settings):
    """Every engine optimizer's path from the run's start: {name: (updates + 1, 3) array}."""
    start, rates, batch_size, order, seed, updates, loss = settings
    data = run.data
    paths = {}
    for name, lr in zip(catalog.optimizer_names(), rates):
        rng = tutorial_rng(seed) if order == "replacement" else seed  # as the run draws
        paths[name] = landscape.optimizer_path(
            data["X_train"], data["y_train"], loss, start[:2], start[2], name, lr,
            batch_size=batch_size, updates=updates, seed=rng, order=order)
    return paths


def figure(xs, ys, losses, second, run_path, current, paths=None):
    """The contour map, the run's path (black), the current weights (star), other paths.

    paths: {optimizer name: (k, 3) array of (w1, w2, b)}, drawn each in its colour.
    """
    top = float(np.quantile(losses, 0.95))  # a few steep corners would wash the valley out
    bottom = float(losses.min())
    fig = go.Figure(go.Contour(
        x=xs, y=ys, z=losses, name="training loss", colorscale=CONTOUR_SCALE,
        zmin=bottom, zmax=top, line=dict(width=0.6, color="#6b7a8f"), showscale=False,
        contours=dict(start=bottom, end=top, size=(top - bottom) / 10 or 1.0, showlabels=True,
                      labelfont=dict(size=12, color="#3d4a5c"), labelformat=".3g"),
        hovertemplate=(f"w₁ = %{{x:.3g}}<br>{AXIS_TITLES[second]} = %{{y:.3g}}"
                       "<br>loss = %{z:.4g}<extra></extra>"),
    ))
    for (name, path), colour in zip((paths or {}).items(), COMPARE_COLOURS):
        x, y = _coordinates(path, second)
        fig.add_scatter(x=x, y=y, mode="lines", name=short_name(name),
                        line=dict(color=colour, width=3), hoverinfo="skip")
        fig.add_scatter(x=x[-1:], y=y[-1:], mode="markers", showlegend=False, hoverinfo="skip",
                        marker=dict(color=colour, size=11, symbol="circle",
                                    line=dict(color="white", width=1.5)))
    x, y = _coordinates(run_path, second)
    fig.add_scatter(x=x, y=y, mode="lines", name="this run", line=dict(color=PATH_COLOUR, width=3),
                    hoverinfo="skip")
    fig.add_scatter(x=x[:1], y=y[:1], mode="markers", name="start", hoverinfo="skip",
                    showlegend=False,
                    marker=dict(color="white", size=12, line=dict(color=PATH_COLOUR, width=2.5)))
    x, y = _coordinates(current, second)
    fig.add_scatter(x=x, y=y, mode="markers", name="now", showlegend=False,
                    marker=dict(color="#ffd23f", size=20, symbol="star",
                                line=dict(color=PATH_COLOUR, width=1.5)), hoverinfo="skip")
    charts.style(fig, height=500)
    fig.update_xaxes(title_text="w₁", range=[xs[0], xs[-1]], showgrid=False, zeroline=False)
    fig.update_yaxes(title_text=AXIS_TITLES[second], range=[ys[0], ys[-1]], showgrid=False,
                     zeroline=False)
    fig.update_layout(legend=dict(orientation="h", yanchor="bottom", y=1.01, xanchor="left", x=0.0,
                                  font=dict(size=14)),
                      margin=dict(l=10, r=10, t=10, b=10))
    return fig


TRY = ("**Try:** switch on *Compare optimizers* to see SGD, momentum, RMSprop and Adam "
       "start from the same point; then change the batch size above (one point at a time, "
       "or the full batch) and watch the paths turn jittery or smooth.")


def section(run, epochs, sigmoid):
    """The section "The loss landscape", for the run as it stands (inside the live fragment)."""
    st.subheader("The loss landscape")
    if not sigmoid:
        st.caption("The loss landscape is drawn for the sigmoid neuron: the perceptron's loss "
                   "(its number of mistakes) is flat with steps, so it has no slope to walk down.")
        return
    st.markdown(EXPLANATION)
    axes_col, lr_col = st.columns(2, gap="medium")
    second = axes_col.radio("Map over", tuple(AXES), format_func=AXES.get, key=f"{KEY}_axes")
    lr_choice = lr_col.radio("Compared optimizers' learning rate", tuple(LR_CHOICES),
                             format_func=LR_CHOICES.get, key=f"{KEY}_lr")
    map_col, side_col = st.columns([2, 1], gap="medium")
    comparing = side_col.toggle(
        "Compare optimizers", key=f"{KEY}_compare",
        help="Every optimizer of the engine from this run's start, with this run's batches, "
        f"for as many updates as the run has (at most {COMPARE_MAX_UPDATES:,}).")
    if comparing:
        settings = compare_settings(run, epochs, lr_choice)
        if run.landscape.get("compared") != settings:  # new settings: new paths
            run.landscape["paths"] = optimizer_paths(run, settings)
            run.landscape["compared"] = settings
    else:
        run.landscape.pop("paths", None)
        run.landscape.pop("compared", None)
    unit = run.unit
    xs, ys, losses, held = grid(run, second)
    current = (*unit.w.tolist(), unit.b)
    x_now, y_now = _coordinates(current, second)
    loss_now = float(losses[np.searchsorted(ys, y_now[0]), np.searchsorted(xs, x_now[0])])
    paths = run.landscape.get("paths")
    with map_col:
        held_text = f"b = {number(held)}" if second == "w2" else f"w₂ = {number(held)}"
        st.markdown(f"**Training loss over {AXES[second].split(' (')[0]}, {held_text} held**")
        st.plotly_chart(figure(xs, ys, losses, second, run.path + [current], current, paths),
                        key=f"{KEY}_chart", config={"displayModeBar": False})
    with side_col:
        st.metric("Loss at the star (now)", f"{loss_now:.4f}",
                  help="The map's value at the current weights: the loss chart's last point.")
        st.caption("A slice: the third parameter changes during training too, so the map is "
                   "drawn for its value now, and the paths were walked on maps a little "
                   "different.")
        if not paths:
            st.markdown(TRY)
            return
        updates, rates = run.landscape["compared"][5], run.landscape["compared"][1]
        rows = [f"| {short_name(name)} | {lr:g} | {path_loss(run, path):.4f} |"
                for (name, path), lr in zip(paths.items(), rates)]
        st.markdown(f"Each optimizer made **{updates:,} updates** from the same start (the "
                    "circle), with this run's batches:\n\n| optimizer | η | final loss |\n"
                    "| --- | --- | --- |\n" + "\n".join(rows))
    st.markdown(WHY_PATHS_DIFFER)


def path_loss(run, path):
    """The training loss at a path's last point."""
    w1, w2, b = path[-1]
    return landscape.unit_loss_at(run.data["X_train"], run.data["y_train"], run.unit.loss_name,
                                  (w1, w2), b)
