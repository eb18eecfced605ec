"""Plotly figures of the "MNIST from scratch" page: a digit, ten outputs, Keras's epochs."""

import numpy as np
import plotly.graph_objects as go

from ui import charts
from ui.colours import CLASS_COLOURS, INK, LINE_COLOURS


def digit(pixels, title=None, height=300):
    """A 28 x 28 image in the tutorial's Blues: 0 is white, 255 dark blue (row 0 at the top)."""
    image = np.asarray(pixels, dtype=float).reshape(28, 28)
    fig = go.Figure(go.Heatmap(z=image, colorscale="Blues", zmin=0, zmax=255, showscale=True,
                               colorbar=dict(thickness=12, len=0.9),
                               hovertemplate="row %{y}, column %{x}: %{z:.0f}<extra></extra>"))
    charts.style(fig, title=title, height=height)
    fig.update_yaxes(autorange="reversed", scaleanchor="x", constrain="domain", showgrid=False)
    fig.update_xaxes(constrain="domain", showgrid=False)
    fig.update_layout(margin=dict(l=10, r=10, t=50 if title else 10, b=10))
    return fig


def outputs(values, highlight=None, title=None, height=300, target=None):
    """The ten output nodes' values (sigmoids, each in 0..1, not summing to 1) as bars."""
    values = np.asarray(values, dtype=float).reshape(-1)
    digits = [str(k) for k in range(len(values))]
    fig = go.Figure(go.Bar(
        x=digits, y=values, name="o_output",
        marker=dict(color=[CLASS_COLOURS[1] if k == highlight else "#a9bcd0"
                           for k in range(len(values))]),
        text=[f"{v:.2f}" for v in values], textposition="outside", cliponaxis=False,
        hovertemplate="node %{x}: %{y:.4f}<extra></extra>"))
    if target is not None:
        fig.add_trace(go.Scatter(x=digits, y=np.asarray(target).reshape(-1), mode="markers",
                                 name="target", marker=dict(symbol="line-ew-open", size=26,
                                                            color=INK, line=dict(width=3))))
    charts.style(fig, title=title, height=height)
    fig.update_xaxes(title_text="output node (digit)", type="category")
    fig.update_yaxes(range=[0, 1.15], dtick=0.25)
    fig.update_layout(showlegend=target is not None)
    return fig


def keras_epochs(results_by_name, key, title, height=440):
    """Per-epoch training loss or accuracy: each printed line beside our spread over starts."""
    fig = go.Figure()
    for i, (name, results) in enumerate(results_by_name.items()):
        r = results[0]
        colour = LINE_COLOURS[i % len(LINE_COLOURS)]
        label = r["settings"]["optimizer"].upper().replace("RMSPROP", "RMSprop")
        ours = np.asarray(r["ours"][key], dtype=float)
        epochs = np.arange(1, ours.shape[1] + 1)
        fig.add_trace(go.Scatter(x=np.r_[epochs, epochs[::-1]],
                                 y=np.r_[ours.max(axis=0), ours.min(axis=0)[::-1]],
                                 fill="toself", fillcolor=colour, opacity=0.25,
                                 line=dict(width=0), name=f"{label}: ours (min–max)",
                                 hoverinfo="skip", showlegend=False))
        fig.add_trace(go.Scatter(x=epochs, y=ours.mean(axis=0), mode="lines+markers",
                                 line=dict(color=colour, width=3), name=f"{label}: ours"))
        fig.add_trace(go.Scatter(x=epochs, y=r["tutorial"][key], mode="markers",
                                 marker=dict(symbol="x", size=11, color=INK),
                                 name=f"{label}: tutorial"))
    charts.style(fig, title=title, height=height)
    fig.update_layout(legend=dict(orientation="h", x=0, xanchor="left", y=-0.22, yanchor="top",
                                  font=dict(size=14)),
                      margin=dict(l=10, r=10, t=50, b=10))
    fig.update_xaxes(title_text="epoch", dtick=1)
    fig.update_yaxes(rangemode="tozero")
    return fig
