"""What the one-neuron page draws: its decision-boundary and loss charts, tables and sentences.

Each function takes engine objects or a ui.neuron_runs.NeuronRun and returns a
plotly figure, a pandas table or a sentence (explain_slopes writes its own few
lines); the page only places them. The numbers come from the engine (the
unit's net input, output and prediction).
"""

import math

import numpy as np
import pandas as pd
import streamlit as st

from engine.tutorials import t001
from ui import catalog, charts
from ui.formulas import last_update_latex, latex_number, number, signed
from ui.neuron_runs import (EIGHT, LOSS_NAMES, PERCEPTRON, SIGMOID, TUTORIAL_EVERY, is_plane_set,
                            make_unit, point_on_line)

CHART_CONFIG = {"displayModeBar": False}

DATA_NOTES = {
    "XOR": "XOR is 1 when exactly one input is 1. Try to find a line that puts (0, 1) and (1, 0) "
           "on one side and (0, 0), (1, 1) on the other: there is none. See part 4.",
    EIGHT: "The points (2, 1) and (2, 0.5) of class 1 sit among the points of class 0: no "
           "straight line separates the two classes. The best line gets 6 of the 8 points right.",
}
PLANE_NOTE = ("These points come from the Network playground. One neuron draws one straight "
              "line: where the classes curl around each other (a circle, spirals, moons, XOR), "
              "it gets only part of the points right. The playground's hidden layers do better.")


OR_TYPO_NOTE = ("Tutorial 001 prints the last row of this table as g(−1 + 1 + 1) = g(−1) = 1: a "
                "typo, since −1 + 1 + 1 = 1, and g(1) = 1 is the row of step(−1 + x₁ + x₂).")
SPREAD_STARTS = 5  # random starts of engine/tutorials/t001.py shown beside the printed 1.000


def data_note(dataset):
    """What to notice about a data set before training on it, or None."""
    return PLANE_NOTE if is_plane_set(dataset) else DATA_NOTES.get(dataset)


def explain_slopes(model, loss, optimizer=None):
    """Where the slopes dE/dw of the update come from, for this unit, loss and optimizer."""
    if model != PERCEPTRON and optimizer not in (None, "sgd"):
        st.markdown(f"With **{catalog.label('optimizer', optimizer)}** the slopes below are "
                    "not used as they are: the optimizer turns them into each step (Adam, for "
                    "one, divides a running mean of the slopes by a running mean of their "
                    "size, so every step is about η long). The last update shows its numbers.")
    if model == PERCEPTRON:
        st.markdown(
            "The **perceptron rule** (Rosenblatt, 1958): for each point, $w \\leftarrow w + "
            "\\eta\\,(y - \\hat y)\\,x$. A point it gets right ($y = \\hat y$) changes nothing; a "
            "missed point pulls the line towards being right about it. Written as a slope, with "
            "the corrections of a batch added up:"
        )
        st.latex(r"\frac{\partial E}{\partial w_i} = -\sum_{\text{batch}} (y - \hat y)\,x_i, \qquad "
                 r"\frac{\partial E}{\partial b} = -\sum_{\text{batch}} (y - \hat y)")
        st.markdown("The loss curve counts the **mistakes** on the training points.")
    elif loss == "mse":
        st.markdown("Gradient descent on the **mean squared error** over the batch of $m$ points, "
                    "with the chain rule through the sigmoid, $\\sigma'(z) = \\hat y(1 - \\hat y)$:")
        st.latex(r"E = \frac{1}{m}\sum (\hat y - y)^2, \qquad \frac{\partial E}{\partial w_i} = "
                 r"\frac{1}{m}\sum 2(\hat y - y)\,\hat y(1 - \hat y)\,x_i")
    else:
        st.markdown("Gradient descent on the **binary cross-entropy** over the batch of $m$ "
                    "points; the sigmoid's slope cancels out, which keeps learning fast when the "
                    "neuron is confidently wrong:")
        st.latex(r"E = -\frac{1}{m}\sum \big[y \ln \hat y + (1 - y)\ln(1 - \hat y)\big], \qquad "
                 r"\frac{\partial E}{\partial w_i} = \frac{1}{m}\sum (\hat y - y)\,x_i")


def boundary_figure(unit, data, highlight=None, resolution=80):
    """The unit's output over the plane, the training points (circles) and test points (diamonds)."""
    X = np.concatenate([data["X_train"], data["X_test"]])
    y = np.concatenate([data["y_train"], data["y_test"]]).astype(np.int64)
    is_test = np.arange(len(y)) >= len(data["y_train"])
    fig = charts.decision_boundary(unit.output, X, y, test_mask=is_test, height=440,
                                   resolution=resolution)
    # The exact line w . x + b = 0 replaces the traced 0.5 contour, which zigzags along the
    # grid for a step unit; the shading stays the unit's own output.
    fig.update_traces(visible=False, selector=dict(type="contour", name="boundary (0.5)"))
    fig.update_traces(colorbar_title_text="output ŷ", selector=dict(type="contour"))
    charts.add_line(fig, unit.w, unit.b)
    if highlight is not None and len(highlight):
        points = data["X_train"][highlight]
        fig.add_scatter(
            x=points[:, 0], y=points[:, 1], mode="markers", name="used by the last update",
            marker=dict(symbol="circle-open", size=24, color="#1c2430", line=dict(width=3)),
            hoverinfo="skip",
        )
    return fig


def truth_table(unit, model, gate, X, y):
    """A gate's truth table as the unit computes it: (table, rows right, a point on the line?)."""
    z = unit.net_input(X)
    said = unit.predict(X)
    table = {
        "x₁": X[:, 0].astype(int),
        "x₂": X[:, 1].astype(int),
        "z = w₁x₁ + w₂x₂ + b": [number(value) for value in z],
    }
    if model == SIGMOID:
        table["ŷ = σ(z)"] = [number(value, 3) for value in unit.output(X)]
    table["neuron says"] = said
    table[f"{gate} (target)"] = y.astype(int)
    table["right?"] = np.where(said == y, "yes", "no")
    return pd.DataFrame(table), int(np.sum(said == y)), bool(np.any(z == 0))


def on_line_caption(unit, X):
    """For a step unit: a sentence about a training point lying on the line, or None."""
    found = point_on_line(unit, X)
    if found is None:
        return None
    i, z = found
    where = f"The point ({number(X[i, 0], 3)}, {number(X[i, 1], 3)}) lies on the line"
    if z >= 0:
        return f"{where}: z = 0 there, and step(0) = 1, so it counts as class 1."
    # -1e-17 or so: the sum of a few 0.1 steps is not exactly 0 in a computer
    return (f"{where}, up to rounding: the computer gets z = {z:.1e} there, just "
            "below 0, so the step says class 0.")


def batch_text(trace, data, model, loss):
    """Which points the last update used, and for one point what the neuron said, in words."""
    indices = trace["indices"] or []
    if len(indices) == 1:
        i = indices[0]
        x, target = data["X_train"][i], data["y_train"][i]
        before = make_unit(model, loss, trace["lr"], (*trace["w_before"], trace["b_before"]))
        said = (f"ŷ = {int(before.predict(x))}" if model == PERCEPTRON
                else f"ŷ = σ({number(float(before.net_input(x)), 3)}) = "
                     f"{number(float(before.output(x)), 3)}")
        verdict = ""
        if model == PERCEPTRON:
            right = int(before.predict(x)) == int(target)
            verdict = " (right, so nothing changes)" if right else " (wrong, so the line moves)"
        return (f"Update {trace['update']} (epoch {trace['epoch']}) used the point "
                f"x = ({number(x[0], 3)}, {number(x[1], 3)}) with target y = {int(target)}; "
                f"the neuron said {said}{verdict}.")
    return (f"Update {trace['update']} (epoch {trace['epoch']}) used {len(indices)} points "
            f"of {len(data['y_train'])}.")


def last_update(trace, data, model, loss):
    """(sentence, LaTeX) of the last update: the rule with its numbers, or the optimizer's step."""
    text = batch_text(trace, data, model, loss)
    name = trace.get("optimizer")
    if name in (None, "sgd"):
        return (text + " Each row below is $w \\leftarrow w - \\eta\\,\\partial E/\\partial w$ "
                "with its numbers: old value − learning rate × slope = new value.",
                last_update_latex(trace))
    rows = [rf"{n} &\leftarrow {latex_number(before)} + {signed(after - before)} = "
            rf"{latex_number(after)} \qquad \partial E/\partial {n} = {latex_number(grad)}"
            for n, before, after, grad in zip(
                ("w_1", "w_2", "b"), (*trace["w_before"], trace["b_before"]),
                (*trace["w"], trace["b"]), (*trace["grad_w"], trace["grad_b"]))]
    return (text + f" Each row below is old value + {catalog.label('optimizer', name)}'s step "
            f"(η = {number(trace['lr'])}) = new value, with the slope the step was made from.",
            r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}")


@st.cache_data(show_spinner=False)
def t001_spread(starts):
    """Tutorial 001's experiment (engine/tutorials/t001.py) over `starts` random starts."""
    return t001.run(starts)[0]["ours"]


def t001_comparison(run, epochs):
    """Tutorial 001's printed test accuracy beside this run's, and over several random starts."""
    X_test, y_test = run.data["X_test"], run.data["y_test"]
    right = len(y_test) - run.unit.errors(X_test, y_test) if len(y_test) else 0
    ours = right / len(y_test) if len(y_test) else float("nan")
    when = ("after all its epochs" if run.remaining(epochs) == 0
            else f"so far (epoch {run.trainer.epoch} of {epochs})")
    st.markdown(f"**Tutorial 001 printed test accuracy {t001.PRINTED_ACCURACY:.3f}**; this run "
                f"{when}: **{ours:.3f}** ({right} of {len(y_test)} test points).")
    if st.button(f"Compare over {SPREAD_STARTS} random starts", key="perceptron_t001_spread"):
        st.session_state["perceptron_t001_spread_shown"] = True
    if st.session_state.get("perceptron_t001_spread_shown"):
        spread = t001_spread(SPREAD_STARTS)
        st.markdown(f"Over {SPREAD_STARTS} random starts (engine/tutorials/t001.py: new points, "
                    f"Keras's random start, new shuffles each time): test accuracy from "
                    f"**{min(spread):.3f}** to **{max(spread):.3f}** "
                    f"({', '.join(f'{a:.3f}' for a in spread)}).")


def tutorial_curve_caption(run, is_t002):
    """What the tutorial's chart shows, with its first and last numbers as computed here."""
    first, last = run.tutorial_error[0], run.tutorial_error[-1]
    text = (f"E = {number(first)} before training" + (
        f"; {number(last)} after update {run.tutorial_updates[-1]:,}."
        if len(run.tutorial_error) > 1 else "."))
    return text + (" Measured as tutorial 002's loop measures it: right after its iterations "
                   "0, 100, 200 … (updates 1, 101, 201 …)." if is_t002 else "")


def loss_label(model, loss):
    return "mistakes" if model == PERCEPTRON else LOSS_NAMES[loss]


def loss_figure(run, model, loss):
    """The loss after each recorded update, on the training points and the test points."""
    series = {"training points": run.train_loss}
    if run.test_loss:
        series["test points"] = run.test_loss
    fig = charts.line_chart(series, x=run.updates, xlabel="update",
                            ylabel=loss_label(model, loss), height=340)
    if model == PERCEPTRON:  # whole mistakes: no ticks at 2.5
        fig.update_yaxes(tick0=0, dtick=max(1, math.ceil(max(run.train_loss + run.test_loss) / 5)))
    return fig


def tutorial_figure(run):
    """The tutorial's chart: the error summed over all training points, every 100 updates."""
    return charts.line_chart({"E": run.tutorial_error}, x=run.tutorial_updates,
                             xlabel="update", ylabel="E = Σ (ŷ − y)²", height=340,
                             mode="lines+markers")


TUTORIAL_TITLE = (f"**Error summed over all training points, every {TUTORIAL_EVERY} updates** "
                  "(the tutorial's chart)")


def xor_figure(network, X, y):
    """The 2-4-1 network's output over the plane, with each hidden neuron's line (dashed)."""
    fig = charts.decision_boundary(lambda points: network.predict(points)[:, 0], X, y,
                                   title="A 2-4-1 network on XOR", height=460)
    hidden = network.layers[0]
    for j in range(hidden.n_out):  # hidden neuron j says 0 (tanh) on its line
        charts.add_line(fig, hidden.W[:, j], hidden.b[j], name="hidden neurons' lines",
                        colour="#7f7f7f", width=2, dash="dash", showlegend=j == 0)
    return fig


def xor_truth_table(network, X, y):
    """The network's XOR truth table and how many of its 4 rows are right."""
    outputs = network.predict(X)[:, 0]
    says = network.predict_classes(X)
    table = pd.DataFrame({
        "x₁": X[:, 0].astype(int), "x₂": X[:, 1].astype(int),
        "output": [number(value, 3) for value in outputs],
        "says": says.astype(int), "XOR": y,
    })
    return table, int(np.sum(says == y))
