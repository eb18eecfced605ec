"""Inside the MNIST network: the first layer's weights, and a hidden layer's net inputs.

    probe_images(data)              the PROBE_IMAGES fixed test images every histogram looks at
    net_inputs(model, X)            each layer's net inputs z on X (the engine's forward_trace)
    histogram(activation, z)        (edges, counts) of all n x units values, the same bins for all
    histogram_figure(...)           those counts over f(z) and f'(z); built once, filled in place
    report_text(activation, report) the engine's layer_report in words ("12 of 90 units dead")
    layer_view(...)                 the hidden-layer view: layer choice, histogram, report, why
    results_view(run, data)         the Results tab's "inside" part: first-layer weights, then z

A run still training is only seen through Job.net_inputs (a copy of its weights
taken between two Trainer steps); an ended run's model never changes and is read
directly. The numbers are engine.diagnostics.layer_report's.
"""

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from engine import activations
from engine.diagnostics import SATURATION, layer_report, saturation_limit
from ui import charts, mnist_figures
from ui import mnist_setup as setup
from ui.jobs import PROBE_IMAGES

PLOT = {"displayModeBar": False}
BINS = 60
RELU_SPAN = 4.0  # the least |z| a histogram of a non-saturating activation shows
BAR_COLOUR, CURVE_COLOUR, SLOPE_COLOUR, FLAT_COLOUR = "#7fb2e5", "#1c2430", "#d95f02", "#eeeeee"

WHY = (
    "Backpropagation multiplies every error that passes a unit by the slope **f′(z)** at its "
    "net input z = x·w + b (the orange curve). **Saturated** (sigmoid, tanh): where the "
    f"curve is flat, the slope is under {SATURATION:.0%} of its peak, so the error reaching "
    "the unit's weights is cut a hundredfold: they hardly change and the unit learns "
    "slowly. **Dead** (ReLU): a unit whose z is below 0 for every image outputs 0 and has "
    "slope 0 on all of them: no error reaches its weights, nothing changes them, so it stays "
    "dead (for units of the first layer, whose inputs are the pixels, for good).")
SHOWS_IT = (
    "To watch it happen: **ReLU with a learning rate too big** (hidden activation ReLU, "
    "softmax + cross-entropy, Glorot start, 0-1 scaling, SGD with learning rate 1, batches of "
    "32, 1,000 images: about half of the 90 units die in one epoch; with learning rate 0.1 "
    "none do). **The tutorial's sigmoid network saturates as it learns**: none of its values "
    "at the start, about 7 % after one epoch on 10,000 images (learning rate 0.3).")


def probe_images(data):
    """The fixed batch the histograms look at: the first PROBE_IMAGES test images."""
    return data["X_test"][:PROBE_IMAGES]


def net_inputs(model, X):
    """Each layer's net inputs z = x @ W + b on X, as the engine's forward_trace gives them."""
    return [z for z, _ in model.forward_trace(X)]


def span(activation):
    """Half the width the histogram shows at least: 1.5 x the saturation limit, else RELU_SPAN."""
    limit = saturation_limit(activation)
    return 1.5 * limit if limit else RELU_SPAN


def histogram(activation, z, bins=BINS):
    """(edges, counts) of every value of z over [min(z, -span), max(z, span)]: none left out,
    so counts.sum() == z.size."""
    z = np.asarray(z, dtype=np.float64)
    low, high = min(float(z.min()), -span(activation)), max(float(z.max()), span(activation))
    counts, edges = np.histogram(z, bins=bins, range=(low, high))
    return edges, counts


def histogram_figure(activation, z, title, figure=None):
    """The counts of z's values as bars, over f(z) and f'(z) (right axis), flat parts shaded.

    `figure`: one built here before, filled in place with the new values (building a styled
    figure takes tens of milliseconds, filling one well under one).
    """
    edges, counts = histogram(activation, z)
    grid = np.linspace(edges[0], edges[-1], 241)
    f, slope = activation.fn(grid.copy()), activation.grad(grid.copy())
    if figure is None:
        figure = go.Figure([
            go.Bar(name="values of z", marker_color=BAR_COLOUR, marker_line_width=0,
                   hovertemplate="z %{x:.2f}: %{y} values<extra></extra>"),
            go.Scatter(name="f(z)", yaxis="y2", mode="lines",
                       line=dict(color=CURVE_COLOUR, width=3), hoverinfo="skip"),
            go.Scatter(name="slope f′(z)", yaxis="y2", mode="lines",
                       line=dict(color=SLOPE_COLOUR, width=3, dash="dot"), hoverinfo="skip")])
        charts.style(figure, title=title, height=360)
        figure.update_layout(bargap=0.05, legend=dict(orientation="h", x=0.0, xanchor="left",
                                                      y=-0.22, yanchor="top"),
                             yaxis2=dict(overlaying="y", side="right", showgrid=False,
                                         tickmode="auto", nticks=5, title_text="f(z), f′(z)"))
        figure.update_xaxes(title_text="net input z")
        figure.update_yaxes(title_text="how many values", selector=dict(overlaying=None))
    figure.data[0].update(x=(edges[:-1] + edges[1:]) / 2, y=counts, width=np.diff(edges))
    figure.data[1].update(x=grid, y=f)
    figure.data[2].update(x=grid, y=slope)
    low, high = min(f.min(), slope.min()), max(f.max(), slope.max())
    pad = 0.05 * (high - low)
    figure.update_layout(title_text=title, shapes=_flat_parts(activation, edges[0], edges[-1]),
                         yaxis2_range=[low - pad, high + pad])
    figure.update_xaxes(range=[edges[0], edges[-1]])
    return figure


def _flat_parts(activation, low, high):
    """Grey bands where the slope is under SATURATION of its peak (|z| > limit), or is 0."""
    limit = saturation_limit(activation)
    if limit:
        bands = [(low, -limit), (limit, high)]
    elif activation.dying_units:
        bands = [(low, 0.0)]
    else:
        bands = []
    return [dict(type="rect", xref="x", yref="paper", x0=a, x1=b, y0=0, y1=1, layer="below",
                 fillcolor=FLAT_COLOUR, line_width=0) for a, b in bands if b > a]


def report_text(activation, report):
    """The layer report in a learner's words, e.g. '**12 of 90 units dead** on these 500
    test images' or '**38 % of the values saturated** (|z| > 5.9)'."""
    n, units = report["n_examples"], report["n_units"]
    on = f"on these {n:,} test images"
    if report["saturated_share"] is not None:
        every = len(report["saturated_units"])
        return (f"**{report['saturated_share']:.1%} of the values saturated** (|z| > "
                f"{saturation_limit(activation):.1f}, grey), {n:,} images × {units} units; "
                f"{every} of {units} units saturated on every one of them.")
    dead = len(report["dead_units"])
    if activation.dying_units:
        return (f"**{dead} of {units} units dead** {on}: z ≤ 0 (grey) for every image, so "
                f"they output 0 and learn nothing.")
    return f"{dead} of {units} units dead {on}: {activation.name}'s slope is never 0."


def layer_view(net_inputs_of, hidden, figures, data, key):
    """A hidden layer's net inputs: choose the layer, its histogram, the report, and why.

    net_inputs_of(X): every layer's z on X (a list), or None (the run has just ended).
    hidden: one activation object per hidden layer. figures: the run's figures (the one
    histogram per layer is kept there and filled in place). key: of the page's widgets.
    """
    if not hidden:
        st.caption("This network has no hidden layer to look inside.")
        return
    chart, words = st.columns([3, 2])
    layer = 0
    if len(hidden) > 1:
        layer = words.selectbox("Hidden layer", range(len(hidden)),
                                key=f"mnist_inside_layer_{key}_{len(hidden)}",
                                format_func=lambda i: f"layer {i + 1} ({hidden[i].name})")
    zs = net_inputs_of(probe_images(data))
    if zs is None:
        return
    activation, z = hidden[layer], zs[layer]
    report = layer_report(activation, z)
    title = f"Hidden layer {layer + 1}: net inputs z"
    figure = histogram_figure(activation, z, title, figures.get(("inside", layer)))
    figures[("inside", layer)] = figure
    figure.update_xaxes(title_text=f"net input z ({z.shape[0]} images × {z.shape[1]} units)")
    chart.plotly_chart(figure, key=f"mnist_inside_{key}", config=PLOT)
    words.markdown(report_text(activation, report))
    words.caption(WHY)


def results_view(run, data):
    """The Results tab's look inside: the first layer's weights, then a hidden layer's z."""
    st.markdown("##### What the first layer looks for")
    n_out = run.model.sizes[1]
    count = min(n_out, 20)
    st.plotly_chart(run.figure("weights", lambda: mnist_figures.first_layer(run.model, count)),
                    key="mnist_weights", config=PLOT)
    st.caption(setup.weights_caption(count, n_out))
    st.markdown("##### Inside a hidden layer: saturated and dead units")
    layer_view(lambda X: net_inputs(run.model, X),
               [layer.activation for layer in run.model.layers[:-1]], run.figures, data, "done")
    st.caption(SHOWS_IT)


def live_view(job, config, figures, data):
    """The same while training: from a copy of the current run's weights, at each redraw."""
    hidden = [activations.get(config["activation"])] * len(setup.hidden_sizes(config["hidden"]))
    layer_view(job.net_inputs, hidden, figures, data, "live")
