"""Inside the playground's network: one hidden layer's net inputs z, live (issue 12, part 3).

    choice = panel(runs)                 # in the live fragment: the layer box, a placeholder
    draw(choice, runs)                   # every frame, holding live.turn()

For the chosen hidden layer, the net inputs z = x . W + b of all its units over
the training points (the engine's `forward_trace`) as a histogram, drawn over
the activation f(z) and its slope f'(z); below it what
`engine.diagnostics.layer_report` says of them: the share of saturated values
(sigmoid, tanh) and the dead units (ReLU: z <= 0 on every point). The HTML
carries the numbers in data-pg-* attributes for the tests.
"""

import html as html_module
from urllib.parse import urlencode

import numpy as np
import streamlit as st

from engine.diagnostics import SATURATION, layer_report, saturation_limit, slope_peak
from ui import catalog, pictures
from ui import url_state as us
from ui.colours import CLASS_COLOURS, INK

KEY = "playground__inside_layer"
BINS = 40
BAR, CURVE, SLOPE, FLAT = CLASS_COLOURS[1], INK, CLASS_COLOURS[0], "#e9ecf0"
NICE = (2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 80, 100)



def dying_setup():
    """(shared, nets) of the set-up in which ReLU units die: one layer of 8 ReLU units on the
    circle, Adam, learning rate 0.03 for A and 1 for B (B loses 4 of 8 within 3 epochs, A
    none: tests/app/test_playground_inside.py)."""
    shared, nets = us.defaults()
    shared.update(data="circle", noise=0, speed=1, compare=True)
    nets["a"].update(inputs=["x1", "x2"], hidden=[8], act=["relu"], opt="adam", lr=0.03,
                     batch=10)
    nets["b"] = {**us.copy_net(nets["a"]), "lr": 1.0}
    return shared, nets


DYING_LINK = "?" + urlencode(us.settings_to_url(*dying_setup()))
EXPLAIN = (
    "The bars count the net inputs *z = x·w + b* of this layer's units on the training points "
    "(every unit and every point: a bar's height is how many of those values fall under it). "
    "The black line is the activation *f(z)*, the orange dashed line its slope *f′(z)* (right "
    "axis). Backpropagation multiplies every error passing a unit by *f′(z)*: in the grey "
    "zones the slope is under 1 % of its peak, so a unit hardly learns from those points.\n\n"
    "With tanh or the sigmoid, watch the bars spread into the grey as the weights grow: the "
    "units **saturate**. With ReLU, a unit whose *z* is below 0 on every point is **dead**: it "
    "outputs 0 everywhere and gets no gradient, so nothing brings it back.\n\n"
    "**Watch units die.** A ReLU network with a learning rate too big loses units. Turn on "
    "*Compare two networks*, give both one hidden layer of 8 ReLU units on the circle with "
    "Adam, learning rate 0.03 for A and 1 for B (or [open this set-up](" + DYING_LINK + ")), "
    "press Play and choose network B's layer: within a few epochs half of its units die, "
    "while A keeps all 8.")


def layer_options(runs):
    """{"a0": "Network A, layer 1: 4 tanh units", ...}: every hidden layer of every network."""
    options = {}
    for c, run in runs.items():
        for i, (units, act) in enumerate(zip(run.hidden, run.acts)):
            who = f"Network {c.upper()}, layer" if len(runs) > 1 else "Layer"
            options[f"{c}{i}"] = (f"{who} {i + 1}: {units} {catalog.label('activation', act)} "
                                  f"unit{'s' if units != 1 else ''}")
    return options


def panel(runs):
    """The section's heading, its layer box and a placeholder; returns (network, layer, slot).

    Drawn inside the live fragment (so changing the layer reruns the fragment
    only); None when no network has a hidden layer.
    """
    st.subheader("Inside a hidden layer", anchor=False)
    options = layer_options(runs)
    if not options:
        st.caption("These networks have no hidden layer: add one in the sidebar to look "
                   "inside it.")
        return None
    if st.session_state.get(KEY) not in options:
        st.session_state[KEY] = next(iter(options))
    left, right = st.columns([1.4, 2])
    choice = left.selectbox("Layer", list(options), format_func=options.get, key=KEY)
    with right:
        with st.expander("What do the bars and lines show?"):
            st.markdown(EXPLAIN)
    return choice[0], int(choice[1:]), st.empty()


def nice_half_width(value, minimum):
    """The histogram's x-axis runs from -h to h: h the first NICE number >= value (and minimum)."""
    value = max(float(value), float(minimum))
    for h in NICE:
        if h >= value:
            return float(h)
    return float(10 ** np.ceil(np.log10(value)))


def layer_numbers(run, layer):
    """What the picture shows of layer `layer` of run, from the engine (no drawing).

    Returns a dict: z (points, units), activation, report (layer_report),
    half (the x-axis runs from -half to half), counts and edges (np.histogram of
    every value of z over BINS bins: the counts sum to points x units).
    The axis only widens while a network trains (kept in run.view_cache), so
    the bars do not jump about from frame to frame.
    """
    z, _ = run.model.forward_trace(run.X_train)[layer]
    activation = run.model.layers[layer].activation
    report = layer_report(activation, z)
    limit = saturation_limit(activation)
    biggest = float(np.max(np.abs(z))) if np.all(np.isfinite(z)) else 1e6
    key = ("inside_half", layer)
    half = nice_half_width(max(biggest, run.view_cache.get(key, 0.0)),
                           4.0 if limit is None else 1.25 * limit)
    run.view_cache[key] = half
    counts, edges = np.histogram(np.clip(z, -half, half), bins=BINS, range=(-half, half))
    return {"z": z, "activation": activation, "report": report, "limit": limit,
            "half": half, "counts": counts, "edges": edges}


def histogram_svg(numbers, width=600, height=246, font_size=14):
    """The histogram of z over the activation f and its slope f' (right axis), as SVG."""
    top, right, bottom, left = 30, 52, 40, 52
    plot_w, plot_h = width - left - right, height - top - bottom
    half, counts, act = numbers["half"], numbers["counts"], numbers["activation"]
    zs = np.linspace(-half, half, 241)
    f, slope = act.fn(zs.copy()), act.grad(zs.copy())
    peak = slope_peak(act)
    y2_high = 1.1 * max(1.0, peak)
    y2_low = max(-y2_high, min(0.0, float(f.min()), float(slope.min())) * 1.1)
    c_high = max(int(counts.max()), 1) * 1.08

    def px(v):
        return left + (np.asarray(v) + half) / (2 * half) * plot_w

    def py2(v):
        span = y2_high - y2_low  # values off the axis leave the plot (clipped by the SVG)
        return top + (y2_high - np.clip(v, y2_low - 2 * span, y2_high + 2 * span)) / span * plot_h

    parts = []
    flat = slope < SATURATION * peak  # grey: where errors hardly pass
    edges = np.flatnonzero(np.diff(np.concatenate([[0], flat.astype(int), [0]])))
    for start, end in zip(edges[::2], edges[1::2]):
        x0, x1 = px(zs[start]), px(zs[end - 1])
        parts.append(f'<rect x="{x0:.1f}" y="{top}" width="{max(x1 - x0, 1):.1f}" '
                     f'height="{plot_h}" fill="{FLAT}"/>')
    bar_w = plot_w / len(counts)
    for k, count in enumerate(counts):
        if count:
            h = count / c_high * plot_h
            parts.append(f'<rect x="{left + k * bar_w + 0.5:.1f}" y="{top + plot_h - h:.1f}" '
                         f'width="{max(bar_w - 1, 0.5):.1f}" height="{h:.1f}" fill="{BAR}" '
                         f'fill-opacity="0.75"/>')
    for values, colour, dash in ((f, CURVE, ""), (slope, SLOPE, ' stroke-dasharray="6 4"')):
        coords = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(px(zs), py2(values)))
        parts.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" '
                     f'stroke-width="2.2"{dash}/>')
    ticks = []
    for value in np.linspace(-half, half, 5):
        ticks.append(f'<text x="{px(value):.1f}" y="{top + plot_h + 17}" '
                     f'text-anchor="middle">{value:g}</text>')
    for value in (0, int(round(c_high / 1.08))):
        y = top + plot_h - value / c_high * plot_h
        ticks.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{value:,}</text>')
    for value in sorted({round(y2_low, 1), 0.0, 1.0} if y2_low < -0.05 else {0.0, 1.0}):
        ticks.append(f'<text x="{left + plot_w + 6}" y="{py2(value) + 4:.1f}">{value:g}</text>')
    label = html_module.escape(catalog.label("activation", act.name))
    return (f'<svg viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" '
            f'font-family="sans-serif" font-size="{font_size}" fill="{INK}" role="img" '
            f'width="{width}" height="{height}" aria-label="histogram of z with {label}">'
            f'<clipPath id="pg-inside-clip"><rect x="{left}" y="{top}" width="{plot_w}" '
            f'height="{plot_h}"/></clipPath><g clip-path="url(#pg-inside-clip)">{"".join(parts)}'
            f'</g><line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
            f'stroke="{INK}"/>{"".join(ticks)}'
            f'<text x="{left + plot_w / 2}" y="{height - 4}" text-anchor="middle">'
            f'net input z (all units, all training points)</text>'
            f'<text x="{left - 6}" y="{top - 2}" text-anchor="end" font-size="12">count</text>'
            f'<text x="{left + plot_w + 6}" y="{top - 2}" font-size="12">f, f′</text>'
            f'<g font-size="12"><line x1="{left + 8}" y1="{top - 20}" x2="{left + 30}" '
            f'y2="{top - 20}" stroke="{CURVE}" stroke-width="2.2"/><text x="{left + 34}" '
            f'y="{top - 16}">f(z)</text><line x1="{left + 72}" y1="{top - 20}" x2="{left + 94}" '
            f'y2="{top - 20}" stroke="{SLOPE}" stroke-width="2.2" stroke-dasharray="6 4"/>'
            f'<text x="{left + 98}" y="{top - 16}">slope f′(z)</text><rect x="{left + 172}" '
            f'y="{top - 26}" width="14" height="12" fill="{FLAT}" stroke="#c5cbd3"/>'
            f'<text x="{left + 190}" y="{top - 16}">slope under 1 % of its peak</text></g></svg>')


def listed(units):
    """[1, 4, 6] (0-based) -> 'units 2, 5 and 7'."""
    names = [str(u + 1) for u in units]
    if len(names) == 1:
        return f"unit {names[0]}"
    return f"units {', '.join(names[:-1])} and {names[-1]}"


def summary_html(numbers):
    """The sentences under the histogram: dead units, saturated values, with the numbers tagged."""
    report, act = numbers["report"], numbers["activation"]
    n, units = report["n_examples"], report["n_units"]
    lines = []
    if act.dying_units:
        dead = report["dead_units"]
        if dead:
            lines.append(f'<b data-pg="dead">{len(dead)} of {units}</b> units dead (never '
                         f'active on these {n:,} training points): {listed(dead)}. They output '
                         f'0 everywhere and get no gradient, so they cannot come back.')
        else:
            lines.append(f'<b data-pg="dead">0 of {units}</b> units dead: every unit is active '
                         f'on at least one of the {n:,} training points.')
    if report["saturated_share"] is not None:
        line = (f'<b data-pg="saturated">{100 * report["saturated_share"]:.0f} %</b> of the '
                f'{n * units:,} values ({n:,} points × {units} units) saturated '
                f'(|z| &gt; {numbers["limit"]:.1f}, where the slope is under 1 % of its peak)')
        whole = report["saturated_units"]
        line += (f"; {listed(whole)} saturated on every point." if whole else ".")
        lines.append(line)
    if not lines:
        lines.append(f"{html_module.escape(catalog.label('activation', act.name))} neither "
                     f"flattens out on both sides nor has a slope of exactly 0, so no value here "
                     f"counts as saturated and no unit can die.")
    return "".join(f"<p>{line}</p>" for line in lines)


def layer_html(numbers, network, layer):
    """The histogram and its sentences as one HTML block (data-pg-* attributes for the tests)."""
    report = numbers["report"]
    counts = ",".join(str(int(c)) for c in numbers["counts"])
    return (f'<div class="pg-inside" data-pg-inside="{network}{layer}" '
            f'data-pg-points="{report["n_examples"]}" data-pg-units="{report["n_units"]}" '
            f'data-pg-dead-units="{",".join(str(u) for u in report["dead_units"])}" '
            f'data-pg-hist="{counts}" style="max-width:760px">'
            f'<img src="{pictures.svg_data_uri(histogram_svg(numbers))}" '
            f'alt="histogram of the net inputs z" style="width:100%;display:block">'
            f'<div style="margin-top:0.3rem">{summary_html(numbers)}'
            f'</div></div>')


def draw(choice, runs):
    """Redraw the chosen layer into its placeholder (call holding the session's live.turn())."""
    if choice is None:
        return
    network, layer, slot = choice
    run = runs.get(network)
    if run is None or layer >= len(run.hidden):
        return
    slot.html(layer_html(layer_numbers(run, layer), network, layer))
