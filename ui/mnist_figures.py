"""The MNIST page's own figures (its shared ones come from ui.charts).

    sample_grid(start)           training digits start .. start+19 (cached for everybody)
    training_digit(index)        pixel_values of one training digit (cached for everybody)
    pixel_values(image, label)   one digit as a grid of its 784 pixel values
    per_digit(per_digit)         test accuracy per digit, as bars
    first_layer(model, count)    the first layer's weights into each unit, as 28x28 images
    live_charts(figures, ...)    a run's loss and accuracy charts, built once, filled in place
    compared(runs)               several runs' losses and test accuracies overlaid
"""

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from ui import charts
from ui.mnist_setup import loss_name, shared_data


# Figures of the shared data are the same for everybody: built once, shared (read-only).
@st.cache_resource(max_entries=200, show_spinner=False)
def sample_grid(start):
    """Training digits start .. start+19 with their labels."""
    data = shared_data()
    return charts.image_grid(data["x_train"][start:start + 20],
                             [f"label {label}" for label in data["y_train"][start:start + 20]],
                             n_cols=10, tile_px=90)


@st.cache_resource(max_entries=200, show_spinner=False)
def training_digit(index):
    """Training digit `index` as a grid of its pixel values."""
    data = shared_data()
    return pixel_values(data["x_train"][index], int(data["y_train"][index]))


def pixel_values(image, label):
    """A training digit as a grid of its pixel values, shaded light blue to stay readable."""
    text = np.where(image > 0, image.astype(str), "")
    fig = go.Figure(go.Heatmap(
        z=image, text=text, texttemplate="%{text}", textfont=dict(size=13, color="#1c2430"),
        colorscale=[[0.0, "#ffffff"], [1.0, "#7fb2e5"]], zmin=0, zmax=255, showscale=False,
        xgap=1, ygap=1, hovertemplate="row %{y}, column %{x}: %{z}<extra></extra>"))
    # Drawn across the page's width, square cells of about 30 px: 3-digit values in 13 px
    charts.style(fig, title=f"Training image, label {label}: its 784 pixel values", height=900)
    fig.update_xaxes(visible=False, constrain="domain")
    fig.update_yaxes(visible=False, autorange="reversed", scaleanchor="x", constrain="domain")
    return fig


def per_digit(per_digit):
    fig = go.Figure(go.Bar(
        x=[str(d) for d in range(10)], y=per_digit * 100.0,
        marker_color=list(charts.CLASS_COLOURS),
        text=[f"{v:.1%}" for v in per_digit], textposition="outside", cliponaxis=False,
        textfont=dict(size=charts.FONT_SIZE - 2),
        hovertemplate="digit %{x}: %{y:.1f}% right<extra></extra>"))
    charts.style(fig, title="Accuracy per digit (test set)", height=420)
    fig.update_layout(uniformtext=dict(mode="show", minsize=charts.FONT_SIZE - 2))
    fig.update_xaxes(title_text="true digit", type="category")
    fig.update_yaxes(title_text="right", range=[0, 110], ticksuffix="%")
    return fig


def first_layer(model, count):
    """The weights from the 784 pixels into the first `count` units of the first layer."""
    layer = model.layers[0]
    images = layer.W[:, :count].T.reshape(count, 28, 28)
    # each unit scaled on its own so faint patterns show
    images = images / np.maximum(np.abs(images).max(axis=(1, 2), keepdims=True), 1e-12)
    titles = [f"unit {j + 1}" if layer.n_out != 10 else f"digit {j}" for j in range(count)]
    return charts.image_grid(images, titles, n_cols=10, colorscale="RdBu", symmetric=True,
                             colorbar_title="weight", tile_px=90)


def live_charts(figures, config, loss_x, loss_y, curves):
    """A run's loss and accuracy charts with its latest points (accuracies in %).

    Building a styled plotly figure takes tens of milliseconds (most of it the
    template), filling new points into an existing one well under one: the two
    charts are built once per run, kept in `figures` (the run's), and filled in
    place at each refresh.
    """
    if "live" not in figures:
        epochs = config["epochs"]
        figures["live"] = (
            charts.line_chart({"training loss": ([], [])}, xlabel="epoch",
                              ylabel=loss_name(config).replace("_", "-"), mode="lines",
                              title="Loss over the batches", height=290, x_max=epochs),
            charts.line_chart({"train": ([], []), "test": ([], [])}, xlabel="epoch",
                              ylabel="accuracy", percent=True, mode="lines+markers",
                              title="Accuracy after each epoch", height=290, x_max=epochs))
    loss, accuracy = figures["live"]
    loss.data[0].update(x=loss_x, y=loss_y)
    for trace in accuracy.data:
        x, y = curves.get(trace.name, ([], []))
        trace.update(x=x, y=np.asarray(y, dtype=np.float64) * 100.0)
    return loss, accuracy


def compared(runs):
    """The training losses and the test accuracies of several ended runs, overlaid."""
    loss = {run.name: (run.loss_x, run.loss_y) for run in runs if run.loss_y}
    test = {run.name: run.curves()["test"] for run in runs if "test" in run.curves()}
    return (charts.line_chart(loss, xlabel="epoch", ylabel="loss", title="Training loss"),
            charts.line_chart(test, xlabel="epoch", ylabel="test accuracy", percent=True,
                              title="Test accuracy after each epoch"))
