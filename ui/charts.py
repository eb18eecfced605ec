"""Plotly figures shared by the pages (app side only: the engine never imports this).

Pages get one look everywhere:

    from ui import charts
    fig = charts.decision_boundary(model_probability, X, y, test_mask=is_test)
    st.plotly_chart(fig)

    fig = charts.line_chart({"train": train_losses, "test": test_losses}, ylabel="loss")
    st.plotly_chart(fig)

Colours come from ui/colours.py: class k is drawn in CLASS_COLOURS[k] in every
plot of every page, so a class keeps its colour from page to page. The live
pictures that must redraw many times a second (PNG heatmaps, SVG, the network
graph) are in ui/pictures.py.
"""

import numpy as np
import plotly.graph_objects as go

from .colours import CLASS_COLOURS, INK, LINE_COLOURS, class_colour  # noqa: F401 (re-exported)

FONT_SIZE = 16  # readable on a projector from the back of the room
TEMPLATE = "plotly_white"


def style(fig, title=None, height=420):
    """Give a figure the app's one look: template, projector-sized font, margins, legend.

    Args:
        fig: a plotly `go.Figure`, changed in place and returned.
        title: text above the plot, or None for no title.
        height: figure height in pixels.
    """
    fig.update_layout(
        template=TEMPLATE,
        height=height,
        font=dict(size=FONT_SIZE),
        colorway=list(LINE_COLOURS),
        margin=dict(l=10, r=10, t=60 if title else 20, b=10),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="right", x=1.0),
        hoverlabel=dict(font_size=FONT_SIZE),
    )
    if title is not None:
        fig.update_layout(title=dict(text=title, x=0.0, xanchor="left"))
    return fig


# Behind the points: light class-0 orange at the low end, white at 0.5, light class-1 blue.
BOUNDARY_COLOURSCALE = [[0.0, "#fbd0a6"], [0.5, "#ffffff"], [1.0, "#b8cbe0"]]


def decision_boundary(
    predict_fn,
    X,
    y,
    *,
    test_mask=None,
    resolution=80,
    padding=0.15,
    title=None,
    zrange=(0, 1),
    height=520,
):
    """Map a 2-input classifier: its output on a grid behind the points, with the 0.5 line.

    Example: `decision_boundary(lambda P: model.predict(P)[:, 0], X, y)` shades
    the plane orange where the model says class 0 and blue where it says class 1.

    Args:
        predict_fn: function taking an (n, 2) float32 array of points and
            returning n values in [0, 1], the probability of class 1.
        X: (m, 2) array of points.
        y: (m,) class labels (0 and 1; more classes get more colours).
        test_mask: optional (m,) bools; True marks a test point, drawn as a diamond.
        resolution: grid points along each axis (at least 2).
        padding: margin around the points, as a fraction of their widest spread.
        title: text above the plot, or None.
        zrange: (low, high) output values mapped to the ends of the colour scale;
            the boundary line is drawn halfway between them (0.5 by default).
        height: figure height in pixels.

    Returns:
        a `go.Figure` with equal axis scaling (one unit is as long on both axes).
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y).reshape(-1)
    if y.dtype == bool:
        y = y.astype(np.int64)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X: expected an (m, 2) array of points, got shape {X.shape}")
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"y: expected {X.shape[0]} labels (one per row of X), got {y.shape[0]}")
    if test_mask is None:
        test_mask = np.zeros(X.shape[0], dtype=bool)
    test_mask = np.asarray(test_mask, dtype=bool).reshape(-1)
    if test_mask.shape[0] != X.shape[0]:
        raise ValueError(
            f"test_mask: expected {X.shape[0]} bools (one per row of X), got {test_mask.shape[0]}"
        )
    if int(resolution) < 2:
        raise ValueError(f"resolution: expected an int >= 2, got {resolution!r}")
    resolution = int(resolution)

    # A square window around the points, so that equal axis scaling leaves no empty band.
    if X.shape[0] > 0:
        low, high = X.min(axis=0), X.max(axis=0)
    else:
        low, high = np.array([-1.0, -1.0]), np.array([1.0, 1.0])
    centre = (low + high) / 2.0
    half_width = max(float((high - low).max()) / 2.0, 0.5) * (1.0 + 2.0 * padding)
    xs = np.linspace(centre[0] - half_width, centre[0] + half_width, resolution)
    ys = np.linspace(centre[1] - half_width, centre[1] + half_width, resolution)
    grid_x, grid_y = np.meshgrid(xs, ys)
    grid = np.column_stack([grid_x.ravel(), grid_y.ravel()]).astype(np.float32)

    z = np.asarray(predict_fn(grid), dtype=np.float64).reshape(-1)
    if z.shape[0] != grid.shape[0]:
        raise ValueError(
            f"predict_fn: expected {grid.shape[0]} outputs (one per grid point), got {z.shape[0]}"
        )
    z = z.reshape(resolution, resolution)

    fig = go.Figure()
    fig.add_trace(
        go.Contour(
            x=xs,
            y=ys,
            z=z,
            zmin=zrange[0],
            zmax=zrange[1],
            colorscale=BOUNDARY_COLOURSCALE,
            contours=dict(coloring="heatmap", showlines=False),
            line=dict(width=0),
            colorbar=dict(
                title=dict(text="P(class 1)", side="right"),
                orientation="h",
                x=0.5,
                xanchor="center",
                y=-0.24,
                yanchor="top",
                len=0.5,
                thickness=12,
                nticks=5,
            ),
            hovertemplate="x<sub>1</sub> %{x:.2f}<br>x<sub>2</sub> %{y:.2f}<br>P(class 1) %{z:.2f}<extra></extra>",
            name="P(class 1)",
        )
    )
    middle = (zrange[0] + zrange[1]) / 2.0
    fig.add_trace(
        go.Contour(
            x=xs,
            y=ys,
            z=z,
            contours=dict(coloring="none", start=middle, end=middle, size=1.0),
            line=dict(color="#1c2430", width=3),
            showscale=False,
            hoverinfo="skip",
            name=f"boundary ({middle:g})",
            showlegend=False,
        )
    )

    for label in np.unique(y):
        for is_test in (False, True):
            chosen = (y == label) & (test_mask == is_test)
            if not chosen.any():
                continue
            name = f"class {label:g}" if np.issubdtype(y.dtype, np.number) else f"class {label}"
            if test_mask.any():
                name += " (test)" if is_test else " (train)"
            fig.add_trace(
                go.Scatter(
                    x=X[chosen, 0],
                    y=X[chosen, 1],
                    mode="markers",
                    name=name,
                    marker=dict(
                        color=class_colour(label),
                        symbol="diamond" if is_test else "circle",
                        size=11 if is_test else 9,
                        line=dict(color="#1c2430" if is_test else "#ffffff", width=1.5),
                    ),
                    hovertemplate="x<sub>1</sub> %{x:.2f}<br>x<sub>2</sub> %{y:.2f}<extra>" + name + "</extra>",
                )
            )

    style(fig, title=title, height=height)
    fig.update_layout(margin_b=90)  # room for the colour bar under the plot
    fig.update_xaxes(
        range=[xs[0], xs[-1]], constrain="domain", title_text="x<sub>1</sub>", showgrid=False, zeroline=False
    )
    fig.update_yaxes(
        range=[ys[0], ys[-1]],
        scaleanchor="x",
        scaleratio=1,
        constrain="domain",
        title_text="x<sub>2</sub>",
        showgrid=False,
        zeroline=False,
    )
    return fig


def line_chart(series, x=None, *, xlabel="epoch", ylabel="", title=None, height=360,
               percent=False, x_max=None, mode=None):
    """Draw one line per named series, e.g. training and test loss per epoch.

    Example: `line_chart({"train": [0.9, 0.5, 0.3], "test": [1.0, 0.6, 0.4]}, ylabel="loss")`
    draws two lines over epochs 1, 2, 3. Both axes start at 0.

    Args:
        series: dict mapping a line's name to its list of values, or to a
            pair (x, y) of the line's own x values and its values.
        x: x values shared by the series given as values only, or None for
            1, 2, 3, ... per series.
        xlabel, ylabel: axis titles.
        title: text above the plot, or None.
        height: figure height in pixels.
        percent: the values are fractions, drawn as 0 to 100 %.
        x_max: fixes the x axis at [0, x_max], so that a curve still growing
            (a live training run) fills a frame that does not move.
        mode: plotly's trace mode; by default lines, with markers on a line
            of at most 30 points.
    """
    fig = go.Figure()
    for name, values in series.items():
        xs = x
        if isinstance(values, tuple):
            xs, values = values
        values = np.asarray(values, dtype=np.float64).reshape(-1) * (100.0 if percent else 1.0)
        if xs is None:
            xs = np.arange(1, values.shape[0] + 1)
        else:
            xs = np.asarray(xs).reshape(-1)
            if xs.shape[0] != values.shape[0]:
                raise ValueError(
                    f"x: expected {values.shape[0]} values to match series {name!r}, got {xs.shape[0]}"
                )
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=values,
                mode=mode or ("lines+markers" if values.shape[0] <= 30 else "lines"),
                name=str(name),
                line=dict(width=3),
            )
        )
    style(fig, title=title, height=height)
    fig.update_xaxes(title_text=xlabel, rangemode="tozero")
    fig.update_yaxes(title_text=ylabel, rangemode="tozero")
    if x_max is not None:
        fig.update_xaxes(range=[0, x_max * 1.02], dtick=1 if x_max <= 10 else None)
    if percent:
        fig.update_yaxes(range=[0, 100], ticksuffix="%")
    return fig


def probability_bars(probabilities, *, highlight=None, title=None, height=320):
    """Bar chart of a classifier's ten (or k) class probabilities, one bar per digit.

    Example: `probability_bars(model.predict(x)[0], highlight=7)` draws bars 0..9
    with their percentages on top; bar 7 in full colour, the others paler.

    Args:
        probabilities: (k,) values in [0, 1], e.g. a softmax output row.
        highlight: the class to show in full colour (e.g. the prediction), or
            None for all bars in full colour.
        title: text above the plot, or None.
        height: figure height in pixels.
    """
    probabilities = np.asarray(probabilities, dtype=np.float64).reshape(-1)
    classes = np.arange(probabilities.shape[0])
    opacity = [1.0 if highlight is None or k == highlight else 0.45 for k in classes]
    fig = go.Figure(
        go.Bar(
            x=[str(k) for k in classes],
            y=probabilities,
            marker=dict(color=[class_colour(k) for k in classes], opacity=opacity),
            text=[f"{p:.0%}" for p in probabilities],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="digit %{x}: %{y:.1%}<extra></extra>",
        )
    )
    style(fig, title=title, height=height)
    fig.update_xaxes(title_text="digit", type="category")
    fig.update_yaxes(title_text="probability", range=[0, 1.12], tickformat=".0%", dtick=0.25)
    return fig


def before_after_bars(before, after, *, names=("before", "after"), title=None, height=320):
    """Two bars per class side by side: probabilities before and after a change.

    Example: `before_after_bars(p_old, p_new)` shows how a lesson moved each digit's
    probability.

    Args:
        before, after: (k,) values in [0, 1].
        names: legend names of the two series.
        title: text above the plot, or None.
        height: figure height in pixels.
    """
    before = np.asarray(before, dtype=np.float64).reshape(-1)
    after = np.asarray(after, dtype=np.float64).reshape(-1)
    if before.shape != after.shape:
        raise ValueError(f"after: expected shape {before.shape} like before, got {after.shape}")
    classes = [str(k) for k in range(before.shape[0])]
    fig = go.Figure()
    for values, name, colour in ((before, names[0], "#b0b7c0"), (after, names[1], LINE_COLOURS[0])):
        fig.add_trace(
            go.Bar(
                x=classes, y=values, name=name, marker_color=colour,
                hovertemplate="digit %{x}: %{y:.1%}<extra>" + name + "</extra>",
            )
        )
    style(fig, title=title, height=height)
    fig.update_layout(barmode="group")
    fig.update_xaxes(title_text="digit", type="category")
    fig.update_yaxes(title_text="probability", range=[0, 1.0], tickformat=".0%", dtick=0.25)
    return fig


# Diverging: blue (pushes down), white (no effect), red (pushes up).
SALIENCY_COLOURSCALE = [[0.0, "#2166ac"], [0.25, "#92c5de"], [0.5, "#ffffff"],
                        [0.75, "#f4a582"], [1.0, "#b2182b"]]


def saliency_map(values, image=None, title=None, *, height=360):
    """A diverging heatmap over a small image: red where values > 0, blue where < 0.

    Example: `saliency_map(model.input_gradient(x, 7)[0].reshape(28, 28), image)`
    shows which of a digit's pixels raise (red) or lower (blue) the score of 7,
    with the digit's outline drawn on top.

    Args:
        values: (h, w) array, e.g. a gradient with respect to the input pixels.
        image: optional (h, w) image in [0, 1] whose outline (level 0.5) is drawn.
        title: text above the plot, or None.
        height: figure height in pixels (the plot is square).
    """
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 2:
        raise ValueError(f"values: expected an (h, w) array, got shape {values.shape}")
    limit = float(np.abs(values).max()) or 1.0
    fig = go.Figure(
        go.Heatmap(
            z=values, zmin=-limit, zmax=limit, zmid=0.0, colorscale=SALIENCY_COLOURSCALE,
            colorbar=dict(thickness=12, tickfont=dict(size=12)),
            hovertemplate="row %{y}, column %{x}: %{z:.3g}<extra></extra>",
        )
    )
    if image is not None:
        image = np.asarray(image, dtype=np.float64)
        if image.shape != values.shape:
            raise ValueError(f"image: expected shape {values.shape} like values, got {image.shape}")
        fig.add_trace(
            go.Contour(
                z=image, contours=dict(coloring="none", start=0.5, end=0.5, size=1.0),
                line=dict(color="#1c2430", width=2), showscale=False, hoverinfo="skip",
            )
        )
    style(fig, title=title, height=height)
    fig.update_xaxes(visible=False, constrain="domain")
    fig.update_yaxes(visible=False, autorange="reversed", scaleanchor="x", scaleratio=1,
                     constrain="domain")
    return fig


def image_grid(
    images,
    titles=None,
    *,
    n_cols=10,
    colorscale="gray",
    zmin=None,
    zmax=None,
    symmetric=False,
    colorbar_title=None,
    title=None,
    tile_px=80,
    title_lines=1,
):
    """Tile small images (MNIST digits, a layer's weights) into one figure, each with a title.

    Example: `image_grid(x_train[:20], [f"label {d}" for d in y_train[:20]])` shows the
    first 20 digits in two rows of 10, white on black as MNIST stores them.
    All images share one heatmap (gaps between them are empty), so even a
    hundred images draw quickly; hovering shows a pixel's value.

    Args:
        images: (n, h, w) array, e.g. (20, 28, 28).
        titles: n strings shown above the images (`<br>` starts a new line), or None.
        n_cols: images per row.
        colorscale: a plotly colour scale; "gray" draws 0 black and the maximum white.
        zmin, zmax: values at the ends of the colour scale (default: the data's range).
        symmetric: if True, the scale runs from -m to +m with m the largest |value|,
            so 0 sits in the middle (for weights with a diverging scale such as "RdBu").
        colorbar_title: show a colour bar with this title, or None for no bar.
        title: text above the figure, or None.
        tile_px: height of one image on screen, in pixels.
        title_lines: lines of text reserved above each image (0 if there are no titles).

    Returns:
        a `go.Figure`.
    """
    images = np.asarray(images, dtype=np.float64)
    if images.ndim != 3 or images.shape[0] == 0:
        raise ValueError(f"images: expected a non-empty (n, h, w) array, got shape {images.shape}")
    n, h, w = images.shape
    if titles is not None and len(titles) != n:
        raise ValueError(f"titles: expected {n} strings (one per image), got {len(titles)}")
    if int(n_cols) < 1:
        raise ValueError(f"n_cols: expected an int >= 1, got {n_cols!r}")
    n_cols = min(int(n_cols), n)
    n_rows = -(-n // n_cols)
    if titles is None:
        title_lines = 0
    gap = max(1, w // 10)  # empty pixels between images
    # Room for the titles, in image pixels: about a third of an image per line.
    title_rows = int(np.ceil(title_lines * h * 0.36)) if title_lines else 0
    cell_h, cell_w = h + gap + title_rows, w + gap
    canvas = np.full((n_rows * cell_h, n_cols * cell_w - gap), np.nan)
    for i, image in enumerate(images):
        row, col = divmod(i, n_cols)
        top, left = row * cell_h + title_rows, col * cell_w
        canvas[top:top + h, left:left + w] = image
    if symmetric:
        largest = float(np.nanmax(np.abs(images))) or 1.0
        zmin, zmax = -largest, largest
    fig = go.Figure(
        go.Heatmap(
            z=canvas,
            colorscale=colorscale,
            zmin=zmin,
            zmax=zmax,
            showscale=colorbar_title is not None,
            colorbar=dict(title=dict(text=colorbar_title or "", side="right"), thickness=14),
            hoverongaps=False,
            hovertemplate="%{z:.3g}<extra></extra>",
        )
    )
    if titles is not None:
        for i, text in enumerate(titles):
            row, col = divmod(i, n_cols)
            fig.add_annotation(
                x=col * cell_w + (w - 1) / 2,
                y=row * cell_h + title_rows - 0.5,
                text=str(text),
                showarrow=False,
                yanchor="bottom",
                font=dict(size=FONT_SIZE - 2, color="#1c2430"),
            )
    line_px = FONT_SIZE + 4
    height = n_rows * (tile_px + gap * tile_px / h + title_lines * line_px) + (60 if title else 20)
    style(fig, title=title, height=int(height))
    fig.update_layout(plot_bgcolor="rgba(0,0,0,0)")
    fig.update_xaxes(visible=False, constrain="domain", range=[-0.5, canvas.shape[1] - 0.5])
    fig.update_yaxes(
        visible=False,
        autorange="reversed",
        scaleanchor="x",
        scaleratio=1,
        constrain="domain",
    )
    return fig


def confusion_heatmap(matrix, labels=None, *, title=None, height=520):
    """The confusion matrix as a grid of counts: row = true class, column = predicted class.

    Correct answers (the diagonal) are green; mistakes are shaded from white
    (none) to red (the most frequent mistake), so the few errors of a good
    network stand out instead of vanishing next to the large diagonal.
    Example: `confusion_heatmap(engine.metrics.confusion_matrix(y_test, pred))`.

    Args:
        matrix: (k, k) counts, C[i, j] = samples of true class i predicted as j.
        labels: k class names (default 0, 1, ..., k-1).
        title: text above the plot, or None.
        height: figure height in pixels.
    """
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"matrix: expected a square (k, k) array, got shape {matrix.shape}")
    k = matrix.shape[0]
    labels = [str(label) for label in (range(k) if labels is None else labels)]
    if len(labels) != k:
        raise ValueError(f"labels: expected {k} names, got {len(labels)}")
    diagonal = np.eye(k, dtype=bool)
    mistakes = np.where(diagonal, np.nan, matrix.astype(np.float64))
    correct = np.where(diagonal, matrix.astype(np.float64), np.nan)
    row_totals = matrix.sum(axis=1, keepdims=True)
    share = np.divide(matrix * 100.0, row_totals, out=np.zeros(matrix.shape), where=row_totals > 0)
    text = np.where((matrix == 0) & ~diagonal, "", matrix.astype(str))
    hover = ("true %{y}, predicted %{x}<br>%{customdata:.1f}% of the true %{y}s"
             "<br>%{text} samples<extra></extra>")
    fig = go.Figure()
    fig.add_trace(
        go.Heatmap(
            z=mistakes, x=labels, y=labels, text=text, customdata=share,
            texttemplate="%{text}", hovertemplate=hover, hoverongaps=False,
            colorscale=[[0.0, "#ffffff"], [1.0, "#f08a6c"]],  # light enough for dark text
            zmin=0, zmax=max(1.0, float(np.nanmax(mistakes)) if k > 1 else 1.0),
            showscale=False, xgap=1, ygap=1, name="mistakes",
        )
    )
    fig.add_trace(
        go.Heatmap(
            z=correct, x=labels, y=labels, text=text, customdata=share,
            texttemplate="%{text}", hovertemplate=hover, hoverongaps=False,
            colorscale=[[0.0, "#b7e1b0"], [1.0, "#b7e1b0"]],
            showscale=False, xgap=1, ygap=1, name="correct",
        )
    )
    style(fig, title=title, height=height)
    fig.update_xaxes(title_text="predicted", side="top", type="category", showgrid=False)
    fig.update_yaxes(title_text="true", autorange="reversed", type="category", showgrid=False,
                     scaleanchor="x", scaleratio=1, constrain="domain")
    return fig


def add_line(fig, w, b, *, name="decision line", colour="#1c2430", width=3, dash="solid",
             showlegend=False):
    """Draw the straight line w[0] x1 + w[1] x2 + b = 0 across a 2-D plot (e.g. a decision_boundary).

    Example: `add_line(fig, [1, 1], -1)` draws x1 + x2 = 1, the line of OR = step(-1 + x1 + x2).
    The line spans the figure's x-axis range (or its y-axis range when it is steep), so set the
    axis ranges first (decision_boundary does); nothing is drawn when w is (0, 0).

    Args:
        fig: a plotly `go.Figure` with explicit axis ranges; changed in place and returned.
        w: the two weights (w1, w2).
        b: the bias.
        name, colour, width, dash, showlegend: how the line looks and is labelled.
    """
    w1, w2, b = float(w[0]), float(w[1]), float(b)
    x_range, y_range = fig.layout.xaxis.range, fig.layout.yaxis.range
    if x_range is None or y_range is None:
        raise ValueError("fig: expected explicit x and y axis ranges (as decision_boundary sets)")
    if w1 == 0.0 and w2 == 0.0:
        return fig
    if abs(w2) >= abs(w1):  # flat-ish: x across the plot, y = -(w1 x + b) / w2
        xs = np.array(x_range, dtype=np.float64)
        ys = -(w1 * xs + b) / w2
    else:  # steep: y across the plot, x = -(w2 y + b) / w1
        ys = np.array(y_range, dtype=np.float64)
        xs = -(w2 * ys + b) / w1
    fig.add_trace(
        go.Scatter(
            x=xs, y=ys, mode="lines", name=name, showlegend=showlegend, hoverinfo="skip",
            line=dict(color=colour, width=width, dash=dash),
        )
    )
    # Keep the window: a line reaching past it must not make plotly zoom out.
    fig.update_xaxes(range=list(x_range))
    fig.update_yaxes(range=list(y_range))
    return fig
