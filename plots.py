"""Shared plotly helpers for the app's pages (app side only: the engine never imports this).

Pages import it as `import plots` and get one look everywhere:

    fig = plots.decision_boundary(model_probability, X, y, test_mask=is_test)
    st.plotly_chart(fig)

    fig = plots.line_chart({"train": train_losses, "test": test_losses}, ylabel="loss")
    st.plotly_chart(fig)

Colours: class k is drawn in CLASS_COLOURS[k] in every plot of every page
(class 0 orange, class 1 blue, as in TensorFlow's playground), so a class keeps
its colour from page to page.
"""

import numpy as np
import plotly.graph_objects as go

# Class k -> colour. Tableau 10 colours, reordered so that 0 is orange and 1 is blue.
CLASS_COLOURS = (
    "#f28e2b",  # 0 orange
    "#4e79a7",  # 1 blue
    "#59a14f",  # 2 green
    "#e15759",  # 3 red
    "#b07aa1",  # 4 purple
    "#9c755f",  # 5 brown
    "#ff9da7",  # 6 pink
    "#76b7b2",  # 7 teal
    "#edc948",  # 8 yellow
    "#79706e",  # 9 grey
)

# Lines (loss, accuracy, ...) cycle through the same palette, blue first.
LINE_COLOURS = (CLASS_COLOURS[1], CLASS_COLOURS[0]) + CLASS_COLOURS[2:]

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


def class_colour(label):
    """Colour of class `label` (an int; labels past 9 wrap around)."""
    return CLASS_COLOURS[int(label) % len(CLASS_COLOURS)]


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


# ---------------------------------------------------------------------------
# Fast SVG pictures for live views (`st.html`): heatmaps as small PNGs, points,
# a network graph and line charts. Redrawing one costs a few milliseconds in
# Python and in the browser, so a page can update them 10+ times a second.
# ---------------------------------------------------------------------------

import base64  # noqa: E402  (kept with the helpers that use them)
import functools  # noqa: E402
import html as html_module  # noqa: E402
import math  # noqa: E402
import struct  # noqa: E402
import zlib  # noqa: E402

WHITE_RGB = np.array([255.0, 255.0, 255.0], dtype=np.float32)
INK = "#1c2430"  # text and outlines
REGION_STRENGTH = 0.7  # decision regions are paler than the points drawn on them


def _rgb(hex_colour):
    return np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=np.float32)


def png_data_uri(pixels, palette=None):
    """An image as a `data:image/png;base64,...` URI, encoded fast (zlib level 1).

    Args:
        pixels: (h, w, 3) uint8 RGB, or with a palette (h, w) uint8 indices.
        palette: None, or (n, 3) uint8 colours, n <= 256: a palette image is
            2 to 4 times smaller, so cheaper to send and decode many times a second.
    """
    pixels = np.ascontiguousarray(pixels, dtype=np.uint8)
    if palette is None:
        if pixels.ndim != 3 or pixels.shape[2] != 3:
            raise ValueError(f"pixels: expected an (h, w, 3) RGB array, got shape {pixels.shape}")
        colour_type, extra = 2, b""
    else:
        palette = np.asarray(palette, dtype=np.uint8)
        if pixels.ndim != 2 or palette.ndim != 2 or palette.shape[1] != 3 \
                or not 1 <= len(palette) <= 256:
            raise ValueError(f"pixels, palette: expected (h, w) indices and (n <= 256, 3) colours, "
                             f"got shapes {pixels.shape} and {palette.shape}")
        colour_type, extra = 3, _png_chunk(b"PLTE", palette.tobytes())
    height, width = pixels.shape[:2]
    rows = np.zeros((height, 1 + pixels[0].size), dtype=np.uint8)  # filter byte 0 per row
    rows[:, 1:] = pixels.reshape(height, -1)
    png = (b"\x89PNG\r\n\x1a\n"
           + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0))
           + extra
           + _png_chunk(b"IDAT", zlib.compress(rows.tobytes(), 1))
           + _png_chunk(b"IEND", b""))
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _png_chunk(kind, payload):
    return (struct.pack(">I", len(payload)) + kind + payload
            + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF))


SHADES = 32  # steps from white to a full colour in the heatmaps (the TF playground has 30)


@functools.lru_cache(maxsize=64)
def _shades(hex_colour, strength, steps=SHADES):
    """(steps + 1, 3) colours from white to strength * the colour (computed once, then kept)."""
    t = np.linspace(0.0, strength, steps + 1, dtype=np.float32)[:, None]
    colours = (WHITE_RGB + (_rgb(hex_colour) - WHITE_RGB) * t).round().astype(np.uint8)
    colours.flags.writeable = False  # shared by every caller
    return colours


def diverging_png(values, strength=1.0):
    """Values in [-1, 1] (clipped) as a PNG: class-0 orange at -1, white at 0, class-1 blue at +1.

    Args:
        values: (h, w) array.
        strength: 1 for full colours, less for paler ones.
    """
    v = np.clip(np.nan_to_num(np.asarray(values, dtype=np.float32)), -1.0, 1.0)
    return png_data_uri(np.rint(v * SHADES + SHADES).astype(np.uint8),
                        _diverging_palette(float(strength)))


@functools.lru_cache(maxsize=16)
def _diverging_palette(strength):
    """2 * SHADES + 1 colours: full orange, ..., white, ..., full blue."""
    colours = np.concatenate([_shades(CLASS_COLOURS[0], strength)[:0:-1],
                              _shades(CLASS_COLOURS[1], strength)])
    colours.flags.writeable = False  # shared by every caller
    return colours


def region_png(probability, strength=REGION_STRENGTH):
    """P(class 1) in [0, 1] (h, w) as a PNG: orange for class 0, white at 0.5, blue for class 1."""
    return diverging_png(2.0 * np.asarray(probability, dtype=np.float32) - 1.0, strength)


def class_png(probability, label, strength=1.0):
    """P(class label) in [0, 1] (h, w) as a PNG, from white (0) to the class's colour (1)."""
    p = np.clip(np.nan_to_num(np.asarray(probability, dtype=np.float32)), 0.0, 1.0)
    return png_data_uri(np.rint(p * SHADES).astype(np.uint8),
                        _shades(class_colour(label), float(strength)))


def multiclass_region_png(probabilities, discretize=False, strength=REGION_STRENGTH):
    """Class probabilities (h, w, k) as a PNG: the likeliest class's colour, paler when unsure.

    The shade goes from white (all k classes equally likely) to the class colour
    (certain); with discretize=True every point gets its class's full shade.
    """
    p = np.asarray(probabilities, dtype=np.float32)
    k = p.shape[-1]
    steps = min(SHADES, 256 // k - 1)  # k palettes of steps + 1 colours fit in 256
    winner = p.argmax(axis=-1)
    if discretize:
        sure = np.ones(winner.shape, dtype=np.float32)
    else:
        sure = np.clip((p.max(axis=-1) - 1.0 / k) / (1.0 - 1.0 / k), 0.0, 1.0)
    palette = np.concatenate([_shades(class_colour(label), float(strength), steps)
                              for label in range(k)])
    index = winner * (steps + 1) + np.rint(np.nan_to_num(sure) * steps).astype(np.int64)
    return png_data_uri(index.astype(np.uint8), palette)


# Geometry of plane_svg: a square plot of REGION_SIZE with room for the axes.
REGION_SIZE = 360
REGION_MARGIN = (12, 14, 44, 66)  # top, right, bottom, left: room for '-12.5' and x₂


def _nice_ticks(low, high, count=5):
    """Round tick values covering [low, high]: steps of 1, 2 or 5 times a power of ten."""
    raw = (high - low) / max(count - 1, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step - 1e-9) * step
    return [round(first + i * step, 10) for i in range(int((high - first) / step + 1e-9) + 1)]


def _to_plot(X, window):
    """Data coordinates (n, 2) -> pixel coordinates inside plane_svg's square."""
    low, high = window
    top, _, _, left = REGION_MARGIN
    scale = REGION_SIZE / (high - low)
    px = left + (np.asarray(X[:, 0], dtype=np.float64) - low) * scale
    py = top + (high - np.asarray(X[:, 1], dtype=np.float64)) * scale
    return px, py


def points_svg(X, y, window, X_test=None, y_test=None, radius=3.6):
    """Data points as SVG circles for plane_svg: training points filled, test points ringed.

    Points outside the window are left out of the picture. Build it once per
    data set and reuse it: it does not change while a network learns.
    """
    parts = []
    for points, labels, stroke, width in ((X, y, "#ffffff", 1.0), (X_test, y_test, INK, 1.6)):
        if points is None or len(points) == 0:
            continue
        px, py = _to_plot(points, window)
        low, high = window
        inside = np.all((points >= low) & (points <= high), axis=1)  # as the playground does
        for label in np.unique(labels):
            chosen = (labels == label) & inside
            circles = "".join(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="{radius}"/>'
                              for a, b in zip(px[chosen], py[chosen]))
            parts.append(f'<g fill="{class_colour(label)}" stroke="{stroke}" '
                         f'stroke-width="{width}">{circles}</g>')
    return "".join(parts)


def svg_data_uri(svg):
    """An SVG document as a `data:image/svg+xml;base64,...` URI, for an <img> tag.

    The browser draws such an image in one go: much cheaper to update than the
    same SVG inline, but without hover titles.
    """
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def plane_svg(window, points="", xlabel="x₁", ylabel="x₂"):
    """The input plane's frame, axes and points, transparent inside (see plane_html).

    Args:
        window: (low, high), the same range on both axes.
        points: SVG from points_svg for the same window.
    """
    low, high = window
    top, right, bottom, left = REGION_MARGIN
    width, height = left + REGION_SIZE + right, top + REGION_SIZE + bottom
    scale = REGION_SIZE / (high - low)
    ticks = []
    for value in _nice_ticks(low, high):
        offset = (value - low) * scale
        x, y = left + offset, top + REGION_SIZE - offset
        label = f"{value:g}"
        ticks.append(f'<line x1="{x:.1f}" y1="{top + REGION_SIZE}" x2="{x:.1f}" '
                     f'y2="{top + REGION_SIZE + 5}"/><text x="{x:.1f}" '
                     f'y="{top + REGION_SIZE + 20}" text-anchor="middle">{label}</text>'
                     f'<line x1="{left - 5}" y1="{y:.1f}" x2="{left}" y2="{y:.1f}"/>'
                     f'<text x="{left - 8}" y="{y + 5:.1f}" text-anchor="end">{label}</text>')
    return (
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="18">'
        f'{points}'
        f'<rect x="{left}" y="{top}" width="{REGION_SIZE}" height="{REGION_SIZE}" '
        f'fill="none" stroke="#9aa5b1"/>'
        f'<g stroke="{INK}" fill="{INK}">{"".join(ticks)}</g>'
        f'<text x="{left + REGION_SIZE / 2}" y="{height - 4}" text-anchor="middle" '
        f'fill="{INK}">{xlabel}</text>'
        f'<text x="12" y="{top + REGION_SIZE / 2}" text-anchor="middle" fill="{INK}" '
        f'transform="rotate(-90 12 {top + REGION_SIZE / 2})">{ylabel}</text></svg>')


def plane_overlay_css(class_name, overlay_uri):
    """A CSS rule that draws an overlay (svg_data_uri(plane_svg(...))) in elements of a class.

    Put it on the page once (e.g. in a <style> in its own st.html), then let
    plane_html refer to it by class: the browser keeps the decoded picture,
    and the overlay is not sent again with every frame.
    """
    return (f".{class_name} {{position: absolute; inset: 0; background-image: "
            f"url(\"{overlay_uri}\"); background-size: 100% 100%}}")


def plane_html(heatmap_uri, overlay_class, alt="decision regions and data points"):
    """A heatmap under the plane's axes and points (drawn by a class from plane_overlay_css).

    Only the heatmap changes while a network learns.

    Args:
        heatmap_uri: PNG data URI covering the window, first row at the top.
        overlay_class: CSS class whose rule (plane_overlay_css) draws the axes and points.
    """
    top, right, bottom, left = REGION_MARGIN
    width, height = left + REGION_SIZE + right, top + REGION_SIZE + bottom
    box = (f"left:{100 * left / width:.3f}%;top:{100 * top / height:.3f}%;"
           f"width:{100 * REGION_SIZE / width:.3f}%;height:{100 * REGION_SIZE / height:.3f}%")
    return (f'<div role="img" aria-label="{html_module.escape(alt)}" '
            f'style="position:relative;width:100%;aspect-ratio:{width}/{height}">'
            f'<img src="{heatmap_uri}" alt="" style="position:absolute;{box};margin:0">'
            f'<div class="{overlay_class}"></div></div>')


class _NetworkLayout:
    """Where network_html and network_svg put each node and link (the same picture in both).

    Coordinates are layout units (pixels at full size): columns of nodes left
    to right, each centred vertically, titles above them.
    """

    def __init__(self, columns, weights, width, max_height):
        if len(weights) != len(columns) - 1:
            raise ValueError(f"weights: expected {len(columns) - 1} arrays (one between each "
                             f"pair of columns), got {len(weights)}")
        self.weights = [np.asarray(W) for W in weights]
        for index, W in enumerate(self.weights):
            expected = (len(columns[index]["nodes"]), len(columns[index + 1]["nodes"]))
            if W.shape != expected:
                raise ValueError(f"weights[{index}]: expected shape {expected}, got {W.shape}")
        self.columns, self.width = columns, width
        tallest = max(len(column["nodes"]) for column in columns)
        pitch = min(56.0, max_height / max(tallest, 1))
        self.size = pitch * 0.78
        self.label_size = min(18.0, 0.7 * pitch)  # node labels shrink with crowded columns
        lines = max(column["title"].count("\n") + 1 for column in columns)
        top = 10.0 + 19.0 * lines
        self.height = top + tallest * pitch + 6
        left, right = 88.0, width - 6.0 - self.size  # room for labels such as sin(x₁)
        gap = (right - left) / max(len(columns) - 1, 1)
        self.places = []  # per column: x of the nodes' left edge, y of each node's top edge
        for index, column in enumerate(columns):
            n = len(column["nodes"])
            x = left + index * gap if len(columns) > 1 else (left + right) / 2
            first = top + (tallest - n) * pitch / 2 + (pitch - self.size) / 2
            self.places.append((x, [first + j * pitch for j in range(n)]))

    def links(self):
        """(source node, target node, weight, x0, y0, x1, y1, thickness, colour) per link."""
        size = self.size
        for index, W in enumerate(self.weights):
            (x0, ys0), (x1, ys1) = self.places[index], self.places[index + 1]
            sources, targets = self.columns[index]["nodes"], self.columns[index + 1]["nodes"]
            for j, y0 in enumerate(ys0):
                for k, y1 in enumerate(ys1):
                    w = float(W[j, k])
                    yield (sources[j], targets[k], w, x0 + size, y0 + size / 2, x1,
                           y1 + size / 2, 1.0 + 5.0 * min(abs(w), 3.0) / 3.0,
                           CLASS_COLOURS[1] if w >= 0 else CLASS_COLOURS[0])

    def nodes(self):
        """(column index, node, x, y) per node, left to right."""
        for index, ((x, ys), column) in enumerate(zip(self.places, self.columns)):
            for y, node in zip(ys, column["nodes"]):
                yield index, node, x, y

    def bias_square(self, x, y):
        """(left, top, side) of the small square showing a node's bias."""
        side = max(5.0, self.size * 0.22)
        return x - side - 2, y + self.size - side, side


def _bias_style(bias):
    return (CLASS_COLOURS[1] if bias >= 0 else CLASS_COLOURS[0],
            0.3 + 0.7 * min(abs(bias), 2.0) / 2.0)


def network_html(columns, weights, width=600, max_height=440):
    """A layered network drawn as a graph in plain HTML (safe for `st.html`, which strips SVG).

    Nodes are small heatmap images; each link is a straight line, blue for a
    positive weight and orange for a negative one, thicker for larger |w|.
    Hovering over a link or a node shows its value (its title). The graph
    keeps its proportions and scales to the width of its container. Put
    NETWORK_CSS on the page once. network_svg draws the same picture as one
    image, much cheaper to redraw many times a second, but without hover.

    Args:
        columns: list of layers, left to right; each a dict with "title" (may
            hold "\\n" line breaks) and "nodes", a list of dicts with "name"
            (used in link titles), "image" (PNG data URI), "tooltip", and
            optionally "label" (text left of the node) and "bias" (drawn as a
            small square at the node's lower left).
        weights: list of arrays, weights[i] of shape (len(columns[i]["nodes"]),
            len(columns[i + 1]["nodes"])): the weight from node j of column i
            to node k of column i + 1 is weights[i][j, k].
        width: width of the drawing in layout units (pixels at full size).
        max_height: height available for the tallest column.
    """
    layout = _NetworkLayout(columns, weights, width, max_height)
    height, size = layout.height, layout.size

    def pct(value, total):
        return f"{100.0 * value / total:.3f}%"

    esc = html_module.escape
    parts = []
    for source, target, w, x0, y0, x1, y1, thickness, colour in layout.links():
        dx, dy = x1 - x0, y1 - y0
        parts.append(
            f'<div class="lk" title="weight from {esc(source["name"])} to '
            f'{esc(target["name"])}: {w:+.4f}" style="left:{pct(x0, width)};'
            f'top:{pct(y0, height)};width:{pct(math.hypot(dx, dy), width)};'
            f'height:{thickness:.1f}px;margin-top:{-thickness / 2:.1f}px;background:{colour};'
            f'transform:rotate({math.degrees(math.atan2(dy, dx)):.2f}deg)"></div>')
    for index, ((x, _), column) in enumerate(zip(layout.places, columns)):
        last = index == len(columns) - 1 and len(columns) > 1
        title = "<br>".join(esc(line) for line in column["title"].split("\n"))
        place = (f"right:{pct(width - x - size, width)};text-align:right" if last else
                 f"left:{pct(x + size / 2, width)};transform:translateX(-50%);"
                 f"text-align:center")
        parts.append(f'<div class="ct" style="top:0;{place}">{title}</div>')
    for _, node, x, y in layout.nodes():
        box = (f"left:{pct(x, width)};top:{pct(y, height)};width:{pct(size, width)};"
               f"height:{pct(size, height)}")
        parts.append(f'<img class="nd" src="{node["image"]}" alt="" '
                     f'title="{esc(node.get("tooltip", node["name"]))}" style="{box}">')
        if node.get("label"):
            parts.append(f'<div class="nl" style="right:{pct(width - x + 6, width)};'
                         f'top:{pct(y + size / 2, height)};font-size:{layout.label_size:.0f}px">'
                         f'{esc(node["label"])}</div>')
        if node.get("bias") is not None:
            bias = float(node["bias"])
            bx, by, side = layout.bias_square(x, y)
            fill, opacity = _bias_style(bias)
            parts.append(
                f'<div class="bs" title="bias {bias:+.4f}" style="left:{pct(bx, width)};'
                f'top:{pct(by, height)};width:{pct(side, width)};height:{pct(side, height)};'
                f'background:{fill};opacity:{opacity:.2f}"></div>')
    return (f'<div class="nnet" role="img" aria-label="network graph" '
            f'style="aspect-ratio:{width}/{height:.1f}">{"".join(parts)}</div>')


def network_svg(columns, weights, width=600, max_height=440):
    """The same picture as network_html, as one SVG document (for svg_data_uri and <img>).

    The browser draws it in one go, so it suits a graph redrawn many times a
    second; it has no hover titles. Arguments as for network_html.
    """
    layout = _NetworkLayout(columns, weights, width, max_height)
    height, size = layout.height, layout.size
    esc = html_module.escape
    by_colour = {}  # links grouped by colour: less to send and to parse
    for _, _, _, x0, y0, x1, y1, thickness, colour in layout.links():
        by_colour.setdefault(colour, []).append(
            f'<line x1="{x0:.1f}" y1="{y0:.1f}" x2="{x1:.1f}" y2="{y1:.1f}" '
            f'stroke-width="{thickness:.1f}"/>')
    parts = [f'<g stroke="{colour}" stroke-opacity="0.7">{"".join(lines)}</g>'
             for colour, lines in by_colour.items()]
    for index, ((x, _), column) in enumerate(zip(layout.places, columns)):
        last = index == len(columns) - 1 and len(columns) > 1
        anchor, tx = ("end", x + size) if last else ("middle", x + size / 2)
        lines = "".join(f'<tspan x="{tx:.1f}" dy="{0 if i == 0 else 1.15}em">{esc(line)}</tspan>'
                        for i, line in enumerate(column["title"].split("\n")))
        parts.append(f'<text y="15" text-anchor="{anchor}">{lines}</text>')
    for _, node, x, y in layout.nodes():
        parts.append(f'<image href="{node["image"]}" x="{x:.1f}" y="{y:.1f}" width="{size:.1f}" '
                     f'height="{size:.1f}" preserveAspectRatio="none"/>'
                     f'<rect x="{x + 0.5:.1f}" y="{y + 0.5:.1f}" width="{size - 1:.1f}" '
                     f'height="{size - 1:.1f}" fill="none" stroke="#9aa5b1"/>')
        if node.get("label"):
            parts.append(f'<text x="{x - 6:.1f}" y="{y + size / 2 + layout.label_size / 3:.1f}" '
                         f'text-anchor="end" font-size="{layout.label_size:.0f}">'
                         f'{esc(node["label"])}</text>')
        if node.get("bias") is not None:
            bx, by, side = layout.bias_square(x, y)
            fill, opacity = _bias_style(float(node["bias"]))
            parts.append(f'<rect x="{bx:.1f}" y="{by:.1f}" width="{side:.1f}" '
                         f'height="{side:.1f}" fill="{fill}" fill-opacity="{opacity:.2f}" '
                         f'stroke="{INK}" stroke-width="1"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.1f}" '
            f'width="{width}" height="{height:.0f}" font-family="sans-serif" font-size="14" '
            f'fill="{INK}">{"".join(parts)}</svg>')


# CSS for network_html (put it once on the page, e.g. inside the same st.html).
NETWORK_CSS = (
    ".nnet {position: relative; width: 100%; font-size: 0.8rem; line-height: 1.15;"
    " color: #1c2430}"
    ".nnet > * {position: absolute; margin: 0}"
    ".nnet .lk {transform-origin: 0 50%; opacity: 0.7; min-height: 1px}"
    ".nnet .lk:hover {opacity: 1; background: #1c2430 !important}"
    ".nnet .nd {border: 1px solid #9aa5b1; box-sizing: border-box}"
    ".nnet .nd:hover {outline: 2px solid #1c2430}"
    ".nnet .nl {transform: translateY(-50%); white-space: nowrap}"
    ".nnet .ct {white-space: nowrap}"
    ".nnet .bs {border: 1px solid #1c2430; box-sizing: border-box}"
)


def lines_svg(x, series, *, title="", y_range=None, width=280, height=150, max_points=300,
              font_size=15):
    """A small line chart as SVG, e.g. training and test loss over epochs.

    Args:
        x: shared x values (e.g. epochs), increasing.
        series: dict name -> (values, colour, dashed); values as long as x.
        title: text at the top left.
        y_range: (low, high), or None to run from 0 (or the lowest value) to the highest.
        max_points: longer series are thinned to about this many points.
        font_size: text size in SVG units (the chart scales with its container).
    """
    x = np.asarray(x, dtype=np.float64)
    top, right, bottom, left = 28, 10, 24, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    values = {name: np.asarray(v, dtype=np.float64) for name, (v, _, _) in series.items()}
    for name, v in values.items():
        if v.shape != x.shape:
            raise ValueError(f"series {name!r}: expected {x.shape[0]} values, got {v.shape[0]}")
    finite = np.concatenate([v[np.isfinite(v)] for v in values.values()] + [np.zeros(0)])
    if y_range is None:
        high = float(finite.max()) if finite.size else 1.0
        low = min(0.0, float(finite.min())) if finite.size else 0.0
        y_range = (low, high if high > low else low + 1.0)
    low, high = y_range
    x_low = float(x[0]) if x.size else 0.0
    x_high = float(x[-1]) if x.size and x[-1] > x_low else x_low + 1.0
    keep = np.unique(np.linspace(0, max(x.size - 1, 0), min(x.size, max_points)).astype(int))

    def px(v):
        return left + (v - x_low) / (x_high - x_low) * plot_w

    def py(v):
        return top + (high - np.clip(v, low, high)) / (high - low) * plot_h

    lines, legend = [], []
    legend_end = width - right  # the legend runs right to left from the top right corner
    for name, (_, colour, dashed) in reversed(series.items()):
        v = values[name][keep]
        ok = np.isfinite(v)
        coords = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(px(x[keep][ok]), py(v[ok])))
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        if coords:
            lines.insert(0, f'<polyline points="{coords}" fill="none" stroke="{colour}" '
                            f'stroke-width="2.4"{dash}/>')
        lx = legend_end - (28 + 0.56 * font_size * len(name))
        legend_end = lx - 12
        legend.append(f'<line x1="{lx:.1f}" y1="{top - 14}" x2="{lx + 22:.1f}" y2="{top - 14}" '
                      f'stroke="{colour}" stroke-width="2.4"{dash}/><text x="{lx + 27:.1f}" '
                      f'y="{top - 9}">{html_module.escape(name)}</text>')
    ticks = []
    for value in _nice_ticks(low, high, 4):
        y = py(value)
        ticks.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
                     f'stroke="#e3e7ec"/><text x="{left - 6}" y="{y + 4:.1f}" '
                     f'text-anchor="end">{value:g}</text>')
    for value in (x_low, x_high) if x.size > 1 else (x_low,):
        ticks.append(f'<text x="{px(value):.1f}" y="{top + plot_h + 18}" '
                     f'text-anchor="middle">{value:g}</text>')
    return (f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="{font_size}" '
            f'fill="{INK}" role="img" aria-label="{html_module.escape(title)}">'
            f'<text x="2" y="{top - 9}" font-weight="bold">{html_module.escape(title)}</text>'
            f'{"".join(ticks)}<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" '
            f'y2="{top + plot_h}" stroke="{INK}"/>{"".join(lines)}{"".join(legend)}'
            f'<text x="{left + plot_w / 2}" y="{top + plot_h + 18}" text-anchor="middle">'
            f'epoch</text>'
            f'</svg>')


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
