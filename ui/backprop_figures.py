"""The backprop page's drawing and tables: the tiny network with its numbers (plotly, no maths).

    fig = network_figure(setup, tr, stage, row=0, chosen=param, lr=0.5)
    units, weights = tables(setup, tr, lr, row=0)

Units are circles in three columns (inputs, hidden, outputs, then the loss);
each link is a line, blue for a positive weight and orange for a negative one
(the app's class colours, ui/colours.py), its number written on it: the weight,
its gradient ∂L/∂w or its new value, by stage. Fonts are the app's projector
size (ui/charts.py style).
"""

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ui import backprop as bp
from ui.charts import FONT_SIZE, line_chart, style
from ui.colours import CLASS_COLOURS, INK

HIGHLIGHT = "#e15759"  # the chosen weight's link
COLUMN_X = (0.0, 1.0, 2.0)
LOSS_X = 2.78
BOX_W = (0.3, 0.42, 0.42)  # width of a unit's box, per column (x units)
LINE_H = 0.155  # one line of text in a box (y units)
LABEL_AT = 0.25  # link labels sit a quarter of the way from the source
Y_RANGE = (-1.55, 1.62)  # the same scale whatever the sizes, so boxes keep their size


def _ys(n):
    """Vertical places of n units, centred on 0, one unit apart."""
    return [(n - 1) / 2.0 - k for k in range(n)]


def _num(v):
    return f"{v:+.4f}" if abs(v) < 1e4 else f"{v:+.3g}"


def _link_value(param, tr, stage, lr):
    """The number on a link or a bias at this stage: w, ∂L/∂w, or w − η·∂L/∂w."""
    w = tr.params[param.index]
    g = tr.grad[param.index]
    if stage == 6:
        return w - lr * g
    if (param.layer == 1 and stage >= 4) or (param.layer == 0 and stage >= 5):
        return g
    return w


LINK_CAPTION = {0: "links: w", 1: "links: w", 2: "links: w", 3: "links: w",
                4: "links into the output: ∂L/∂w", 5: "links: ∂L/∂w",
                6: "links: the new w − η·∂L/∂w"}


def _unit_lines(column, k, tr, stage, row, bias_text):
    """The lines in a unit's box at this stage (for the shown example row)."""
    if column == 0:
        return [f"{tr.x[0][row, k]:.4g}"]
    layer = column - 1
    lines = [bias_text]
    if stage >= column:  # forward reached this layer
        lines += [f"z {_num(tr.z[layer][row, k])}", f"a {_num(tr.a[layer][row, k])}"]
    if stage >= (4 if layer == 1 else 5):  # backward reached it
        lines.append(f"δ {_num(tr.delta[layer][row, k])}")
    return lines


def network_figure(setup, tr, stage, *, row=0, chosen=None, lr=0.5, height=380):
    """The network with the numbers of `stage` (an index into backprop.STAGES)."""
    fig = go.Figure()
    names = bp.unit_names(setup)
    places = [list(zip([x] * len(col), _ys(len(col)))) for x, col in zip(COLUMN_X, names)]
    params = bp.parameters(setup)
    annotations, shapes = [], []
    for p in params:
        if p.kind != "W":
            continue
        (x0, y0), (x1, y1) = places[p.layer][p.i], places[p.layer + 1][p.j]
        x0, x1 = x0 + BOX_W[p.layer] / 2, x1 - BOX_W[p.layer + 1] / 2
        w = tr.params[p.index]
        is_chosen = chosen is not None and chosen.index == p.index
        colour = HIGHLIGHT if is_chosen else CLASS_COLOURS[1] if w >= 0 else CLASS_COLOURS[0]
        fig.add_trace(go.Scatter(x=[x0, x1], y=[y0, y1], mode="lines", hoverinfo="skip",
                                 line=dict(color=colour, width=7 if is_chosen else
                                           1.5 + 3.0 * min(abs(w), 2.0)),
                                 showlegend=False))
        t = LABEL_AT  # near the source, where links that cross later are still apart
        annotations.append(dict(
            x=x0 + t * (x1 - x0), y=y0 + t * (y1 - y0),
            text=f"<b>{_num(_link_value(p, tr, stage, lr))}</b>" if is_chosen else
            _num(_link_value(p, tr, stage, lr)),
            showarrow=False, font=dict(size=FONT_SIZE - 1, color=HIGHLIGHT if is_chosen else INK),
            bgcolor="rgba(255,255,255,0.95)", bordercolor=colour, borderwidth=1, borderpad=2))
    if stage >= 3:  # the loss
        for x, y in places[2]:
            fig.add_trace(go.Scatter(x=[x + BOX_W[2] / 2, LOSS_X - 0.2], y=[y, 0], mode="lines",
                                     hoverinfo="skip", showlegend=False,
                                     line=dict(color="#9aa5b1", width=1.5, dash="dot")))
        annotations.append(dict(x=LOSS_X, y=0, text=f"<b>L</b><br>{tr.loss:.5f}",
                                showarrow=False, font=dict(size=FONT_SIZE + 1, color=INK),
                                bgcolor="#fff4d6", bordercolor=INK, borderwidth=1, borderpad=6))
    for column, col_places in enumerate(places):
        for k, (x, y) in enumerate(col_places):
            bias_text, bias_chosen = "", False
            if column > 0:
                bias = next(p for p in params if p.kind == "b" and p.layer == column - 1
                            and p.j == k)
                bias_chosen = chosen is not None and chosen.index == bias.index
                bias_text = f"b {_num(_link_value(bias, tr, stage, lr))}"
                if bias_chosen:
                    bias_text = f"<span style='color:{HIGHLIGHT}'><b>{bias_text}</b></span>"
            lines = [f"<b>{names[column][k]}</b>"] + _unit_lines(column, k, tr, stage, row,
                                                                 bias_text)
            half_h = (len(lines) if column else 2) * LINE_H / 2 + 0.06
            if column > 0:
                half_h = 5 * LINE_H / 2 + 0.06  # every box of a layer the same size
            half_w = BOX_W[column] / 2
            shapes.append(dict(type="rect", x0=x - half_w, x1=x + half_w, y0=y - half_h,
                               y1=y + half_h, line=dict(color=HIGHLIGHT if bias_chosen else INK,
                                                        width=2), fillcolor="#ffffff",
                               layer="above"))
            annotations.append(dict(x=x, y=y, text="<br>".join(lines), showarrow=False,
                                    align="center", font=dict(size=FONT_SIZE - 1, color=INK)))
    annotations.append(dict(x=0.5, y=1.0, xref="paper", yref="paper", xanchor="center",
                            yanchor="top", showarrow=False, text=LINK_CAPTION[stage],
                            font=dict(size=FONT_SIZE - 1, color="#5b6673")))
    style(fig, height=height)
    fig.update_layout(
        annotations=annotations, shapes=shapes, showlegend=False, dragmode=False,
        margin=dict(l=4, r=4, t=4, b=4),
        xaxis=dict(visible=False, range=[-0.25, LOSS_X + 0.3], fixedrange=True),
        yaxis=dict(visible=False, range=list(Y_RANGE), fixedrange=True))
    return fig


def unit_table(setup, tr, row_names):
    """Every unit's z, a and δ for every example row."""
    names = bp.unit_names(setup)
    records = []
    for layer in (0, 1):
        for k, name in enumerate(names[layer + 1]):
            for r, row_name in enumerate(row_names):
                records.append({"unit": name, "example": row_name,
                                "z": float(tr.z[layer][r, k]), "a": float(tr.a[layer][r, k]),
                                "δ = ∂L/∂z": float(tr.delta[layer][r, k])})
    return pd.DataFrame(records)


def weight_table(setup, tr, lr):
    """Every weight and bias: its value, ∂L/∂w (backprop), and its value after the update."""
    records = []
    for p in bp.parameters(setup):
        w, g = float(tr.params[p.index]), float(tr.grad[p.index])
        records.append({"weight": p.name, "w": w, "∂L/∂w": g,
                        "w − η·∂L/∂w": w - lr * g})
    return pd.DataFrame(records)


def loss_curve(values):
    """The loss before each update (update 0 = the start)."""
    return line_chart({"loss": (np.arange(len(values)), values)}, xlabel="update",
                      ylabel="loss L", height=300, mode="lines")
