"""Activation functions: what f(x) and f'(x) look like, and why they matter.

Every curve, table entry and trained network on this page comes from the
engine (`engine/activations.py`, `engine/layers.py`, `engine/model.py`);
this script only reads the widgets and draws.
"""

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from engine import Dense, Sequential, TrainingDiverged, activations, datasets
from engine.layers import merge_linear
from ui import catalog, charts, state, xor_net
from ui.formulas import latex_matrix
from ui.xor_net import xor_network

# Labels and formulas of the engine's names come from ui/catalog.py (the name in
# code is shown in the table), so an activation added to the engine appears here.
label_of = catalog.labeller("activation")

# One colour per activation, fixed, so a curve keeps its colour when others are
# added or removed; the common ones get the clearest colours.
COLOUR_ORDER = ["sigmoid", "tanh", "relu", "leaky_relu", "rrelu", "elu", "softplus", "silu",
                "gelu", "softmax", "step", "linear"]
PALETTE = list(charts.LINE_COLOURS) + ["#1c2430", "#bab0ac"]
COLOURS = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(
    COLOUR_ORDER + [n for n in catalog.activation_names() if n not in COLOUR_ORDER])}

N_POINTS = 401          # points per curve
N_RRELU_SAMPLES = 150   # training-mode samples drawn for the randomized ReLU
# Every activation a hidden layer can use; linear first, the one that cannot learn XOR.
XOR_HIDDEN = ["linear"] + [name for name in catalog.hidden_activations() if name != "linear"]
XOR_EPOCHS = 1000


def yes_no(value):
    return "yes" if value else "no"


def curve_figure(title, y_title, n_legend_entries):
    """An empty chart of curves over x in the app's look, legend below in rows of 2."""
    legend_rows = -(-n_legend_entries // 2)
    fig = charts.style(go.Figure(), title=title, height=330 + 28 * legend_rows)
    fig.update_layout(
        hovermode="x unified",
        legend=dict(orientation="h", yanchor="top", y=-0.3, xanchor="left", x=0,
                    entrywidth=0.5, entrywidthmode="fraction"),
        margin=dict(b=50 + 28 * legend_rows))
    fig.update_xaxes(title_text="x", zeroline=True, zerolinecolor="#888")
    fig.update_yaxes(title_text=y_title, zeroline=True, zerolinecolor="#888")
    return fig


# --------------------------------------------------------------------------- intro
st.title("Activation functions")
st.markdown(
    "A neuron adds up its weighted inputs, $z = w_1x_1 + w_2x_2 + \\dots + b$, and then "
    "passes $z$ through an **activation function** $f$. Its output is $f(z)$. "
    "During training, backpropagation multiplies every error signal by the "
    "**derivative** $f'(z)$: where $f'$ is close to 0 the neuron barely learns."
)

# --------------------------------------------------------------------------- controls
names = catalog.activation_names()
top_left, top_right = st.columns([3, 1])  # one row: the curves stay in view on a projector
selected = top_left.multiselect(
    "Activation functions to compare",
    names,
    default=["sigmoid", "tanh", "relu"],
    format_func=label_of,
    key="activations_selected",
)
x_low, x_high = top_right.slider(
    "Range of x (the net input)",
    min_value=-10.0, max_value=10.0, value=(-5.0, 5.0), step=0.5,
    key="activations_x_range",
)
if x_high - x_low < 0.5:
    top_right.warning("Empty range: showing 1 unit from its start instead.")
    x_high = x_low + 1.0
control_cols = st.columns(4)  # the parameters of the activations that have some

params = {}
show_samples = False
if "leaky_relu" in selected:
    params["leaky_relu"] = dict(slope=control_cols[1].slider(
        "Leaky ReLU: slope a for x < 0", 0.0, 0.9, 0.01, 0.01, key="activations_leaky_slope",
        help="0.01, as in tutorial 003 (and PyTorch's default). The leak is hard to see at "
             "0.01: drag it to 0.2 to see it."))
if "rrelu" in selected:
    lower, upper = control_cols[2].slider(
        "Randomized ReLU: slope range [ℓ, u]", 0.0, 0.9, (0.125, 0.333), 0.001,
        format="%.3f", key="activations_rrelu_range",
        help="In training each value draws its own slope a between ℓ and u; "
             "at inference a is the mean (ℓ + u) / 2. PyTorch's defaults: 1/8 and 1/3.")
    params["rrelu"] = dict(lower=lower, upper=upper, seed=0)
    show_samples = control_cols[2].checkbox(
        "Show training samples", value=True, key="activations_rrelu_samples")
if "elu" in selected:
    params["elu"] = dict(alpha=control_cols[3].slider(
        "ELU: α (how low it goes for x < 0)", 0.1, 3.0, 1.0, 0.1, key="activations_elu_alpha"))

if not selected:
    st.info("Pick at least one activation function above to see its curve.")
    st.stop()

# --------------------------------------------------------------------------- curves
x = np.linspace(x_low, x_high, N_POINTS)
n_entries = len(selected) + (1 if "rrelu" in selected and show_samples else 0)
value_fig = curve_figure("f(x): the activation", "f(x)", n_entries)
slope_fig = curve_figure("f′(x): its derivative (slope)", "f′(x)", n_entries)
acts = {}
for name in selected:
    act = activations.get(name, **params.get(name, {}))
    acts[name] = act
    y, dy = act.curve(x)
    label = label_of(name) + (" of [x, 0]" if name == "softmax" else "")
    style = dict(color=COLOURS.get(name, charts.INK), width=3)
    value_fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name=label, line=style))
    slope_fig.add_trace(go.Scatter(x=x, y=dy, mode="lines", name=label, line=style))
    if name == "rrelu" and show_samples:
        # Training mode: every value draws its own slope, so the outputs scatter
        # between the lines a = ℓ and a = u (the curve is the mean slope).
        xs = np.linspace(x_low, x_high, N_RRELU_SAMPLES)
        ys = act.forward(xs, training=True)
        sampled_slopes = act.slopes_used(xs, ys)
        dots = dict(color=COLOURS[name], size=6, opacity=0.55)
        value_fig.add_trace(go.Scatter(x=xs, y=ys, mode="markers", marker=dots,
                                       name="RReLU samples"))
        slope_fig.add_trace(go.Scatter(x=xs, y=sampled_slopes, mode="markers", marker=dots,
                                       name="RReLU samples"))

left, right = st.columns(2)
left.plotly_chart(value_fig, width="stretch", key="activations_value_chart")
right.plotly_chart(slope_fig, width="stretch", key="activations_slope_chart")
st.caption(
    "Left: what the neuron outputs for each net input x. Right: the slope of that curve, "
    "the factor backpropagation multiplies the error by. Hover over a chart to read values."
)
if "rrelu" in selected:
    st.caption(
        "Randomized ReLU: the line is the curve used at inference (slope = mean of ℓ and u); "
        "the dots are outputs in training mode, where each value draws a random slope."
    )
if "softmax" in selected:
    st.markdown(
        "**Softmax is not element-wise:** it turns a whole vector of scores into "
        "probabilities that add up to 1, so each output depends on every input. "
        "The curve 'softmax of [x, 0]' is the first output of softmax([x, 0]) = eˣ / (eˣ + 1), "
        "which is exactly the sigmoid; its slope is the Jacobian entry y₁(1 − y₁)."
    )
    with st.expander("Softmax on three scores"):
        cols = st.columns(3)
        scores = np.array([[
            cols[k].slider(f"score z{'₀₁₂'[k]} of class {k}", -5.0, 5.0, start, 0.5,
                           key=f"activations_softmax_z{k}")
            for k, start in enumerate((2.0, 1.0, 0.0))]])
        probs = acts["softmax"].fn(scores)[0]
        bars = go.Figure(go.Bar(x=[f"class {k}" for k in range(3)], y=probs,
                                text=[f"{prob:.3f}" for prob in probs], textposition="outside",
                                marker_color=[charts.class_colour(k) for k in range(3)]))
        charts.style(bars, height=320)
        bars.update_yaxes(range=[0, 1.15], title_text="probability")
        st.plotly_chart(bars, width="stretch", key="activations_softmax_bars")
        st.caption(f"The probabilities add up to {probs.sum():.3f}. Raise one score and "
                   "the others' probabilities fall.")

# --------------------------------------------------------------------------- formulas
st.subheader("Formulas")
for name in selected:
    p = acts[name].params
    note = ""
    if name == "leaky_relu":
        note = f"a = {p['slope']:g}"
    elif name == "rrelu":
        note = (f"training: a ~ U({p['lower']:g}, {p['upper']:g}); "
                f"inference: a = {acts[name].mean_slope:.3g}  \n"
                "Tutorial 003 calls a leaky ReLU with a ≠ 0.01 \"randomized\"; a fixed a is "
                "still a leaky ReLU: the randomized one draws a at random in training.")
    elif name == "elu":
        note = f"α = {p['alpha']:g}"
    label_col, value_col, slope_col = st.columns([1, 2, 2], vertical_alignment="center")
    label_col.markdown(f"**{label_of(name)}**" + (f"  \n{note}" if note else ""))
    if catalog.formula(name) is None:  # a new engine activation, not yet in the catalogue
        value_col.markdown(f"The formulas of `{name}` are in `engine/activations.py`.")
        continue
    value_tex, slope_tex = catalog.formula(name)
    value_col.latex(value_tex)
    slope_col.latex(slope_tex)

# --------------------------------------------------------------------------- properties
st.subheader("Properties")
rows = []
for name in selected:
    props = acts[name].properties()
    rows.append({
        "activation": label_of(name),
        "name in code": props["name"],
        "output range": props["output range"],
        "zero-centred": yes_no(props["zero-centred"]),
        "monotonic": yes_no(props["monotonic"]),
        "saturates": yes_no(props["saturates"]),
        "units can die": yes_no(props["units can die"]),
    })
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="activations_properties",
             column_config={"output range": st.column_config.TextColumn(width="medium")})
st.caption(
    "**Zero-centred**: outputs are positive and negative, which helps the next layer learn. "
    "**Saturates**: the curve goes flat, so f′ ≈ 0 and learning slows there. "
    "**Units can die**: a unit whose input stays negative outputs 0 with slope 0 and "
    "stops learning."
)
st.markdown("**Where each is used**")
st.markdown("\n".join(f"- **{label_of(name)}**: {acts[name].used_for}" for name in selected))

# --------------------------------------------------------------------------- non-linearity
st.header("Why non-linearity matters")
st.subheader("1. Two linear layers are just one linear layer")
st.markdown(
    "Stack two layers without an activation (f(x) = x) and expand the algebra: the result "
    "is again a single layer, with weights W = W₁W₂ and bias b = b₁W₂ + b₂."
)
st.latex(r"y = (x W_1 + b_1)\,W_2 + b_2 = x\,\underbrace{W_1 W_2}_{W}"
         r" + \underbrace{b_1 W_2 + b_2}_{b}")

page = state.get(state.ActivationsState)
if st.button("Draw new random weights and inputs", key="activations_collapse_new"):
    page.collapse_seed += 1
seed = page.collapse_seed
rng = np.random.default_rng(seed)

first, second = Dense(2, 3, "linear", seed=2 * seed), Dense(3, 2, "linear", seed=2 * seed + 1)
# Two decimals, so a learner can multiply the matrices by hand; non-zero biases.
first.W, second.W = first.W.round(2), second.W.round(2)
first.b = rng.normal(0.0, 1.0, size=3).round(2)
second.b = rng.normal(0.0, 1.0, size=2).round(2)
two_layers = Sequential([first, second])
one_layer = merge_linear(first, second)  # W = W1 W2, b = b1 W2 + b2
W, b = one_layer.W, one_layer.b

inputs = rng.normal(0.0, 1.0, size=(5, 2)).round(2).astype(np.float32)
out_two = two_layers.predict(inputs)
out_one = one_layer.forward(inputs)

st.latex(r"\small W_1 = " + latex_matrix(first.W) + r"\qquad W_2 = " + latex_matrix(second.W)
         + r"\qquad W = W_1 W_2 = " + latex_matrix(W, digits=4))
st.latex(r"\small b_1 = " + latex_matrix(first.b) + r"\qquad b_2 = " + latex_matrix(second.b)
         + r"\qquad b = b_1 W_2 + b_2 = " + latex_matrix(b, digits=4))
collapse = pd.DataFrame({
    "x₁": inputs[:, 0], "x₂": inputs[:, 1],
    "two layers: y₁": out_two[:, 0], "two layers: y₂": out_two[:, 1],
    "one layer W, b: y₁": out_one[:, 0], "one layer W, b: y₂": out_one[:, 1],
})
st.dataframe(collapse, hide_index=True, width="stretch", key="activations_collapse_table",
             column_config={column: st.column_config.NumberColumn(
                 format="%.2f" if column.startswith("x") else "%.4f") for column in collapse})
difference = float(np.abs(out_two - out_one).max())
st.markdown(
    f"Largest difference between the two columns: **{difference:.1e}** (rounding in the "
    "last digit of 32-bit floats). However many linear layers you stack, the network can "
    "only draw straight lines."
)

st.subheader("2. One non-linear hidden layer solves XOR")
st.markdown(
    "XOR is 1 when exactly one input is 1. No straight line separates its 1s from its 0s, "
    "so a linear model gets at most 3 of the 4 rows right (75%). Below, the engine trains "
    "a network with 2 inputs, 4 hidden units and 1 sigmoid output "
    f"({XOR_EPOCHS} epochs of Adam, learning rate {xor_net.LEARNING_RATE}, binary cross-entropy). "
    "Choose the hidden layer's activation and watch what changes."
)
xor_cols = st.columns([2, 1])
hidden = xor_cols[0].radio(
    "Hidden layer activation", XOR_HIDDEN, index=XOR_HIDDEN.index("tanh"), horizontal=True,
    format_func=label_of, key="activations_xor_hidden")
xor_seed = xor_cols[1].number_input(
    "Seed of the starting weights (0-99)", 0, 99, 0, 1, key="activations_xor_seed")


try:
    model, xor_losses = xor_network(hidden, int(xor_seed), epochs=XOR_EPOCHS, shuffle=False)
except (ValueError, TrainingDiverged) as error:
    st.error(f"Training on XOR failed: {error} Try another activation or seed.")
    st.stop()
X_xor, y_xor = datasets.logic_gate("xor")
target = np.asarray(y_xor).ravel().astype(int)
output = model.predict(X_xor)[:, 0]
predicted = model.predict_classes(X_xor)
loss, accuracy = model.evaluate(X_xor, y_xor, loss="binary_cross_entropy")
truth = pd.DataFrame({
    "x₁": np.asarray(X_xor)[:, 0].astype(int), "x₂": np.asarray(X_xor)[:, 1].astype(int),
    "XOR (target)": target,
    "network output": output,
    "predicted class": predicted,
    "right?": np.where(predicted == target, "✓", "✗"),
})
table_col, metric_col = st.columns([3, 1])
table_col.dataframe(
    truth, hide_index=True, width="stretch", key="activations_xor_table",
    column_config={"network output": st.column_config.NumberColumn(format="%.3f")})
metric_col.metric("Accuracy on XOR", f"{accuracy:.0%}")
metric_col.metric("Final loss", f"{loss:.3f}")

if hidden == "linear":
    st.error(
        "With a linear hidden layer the whole network is sigmoid(x·W + b): it can only draw "
        "one straight line, and no line puts (0, 1) and (1, 0) on one side and (0, 0) and "
        "(1, 1) on the other. So at most 75% is possible, whatever the seed. Here training "
        "settles on the safest answer, an output of about 0.5 ('don't know') for every row: "
        "the loss stays at ln 2 ≈ 0.693 and tiny differences from 0.5 decide the classes."
    )
elif accuracy == 1.0:
    st.success(
        f"With {label_of(hidden)} the hidden units bend the plane: the network gets all 4 rows "
        "right. Its boundary below is a curve or two lines, which no single straight line "
        "can do."
    )
else:
    st.warning(
        f"This run got stuck at {accuracy:.0%}. With only 4 hidden units, some starting "
        "weights lead nowhere (a ReLU unit whose input is negative for every row is 'dead': "
        "slope 0, no learning). Try another seed."
    )

boundary = charts.decision_boundary(
    lambda points: model.predict(points)[:, 0], X_xor, target,
    title="Output over the plane", height=460)
boundary.update_traces(marker_size=18, selector=dict(type="scatter"))
losses_fig = charts.line_chart({label_of(hidden): xor_losses}, xlabel="epoch",
                              ylabel="binary cross-entropy", title="Training loss", height=460)
# One scale for every choice, so a flat loss at 0.693 looks flat.
losses_fig.update_yaxes(range=[0.0, max(0.75, 1.05 * max(xor_losses))])
chart_left, chart_right = st.columns(2)
chart_left.plotly_chart(boundary, width="stretch", key="activations_xor_boundary")
chart_right.plotly_chart(losses_fig, width="stretch", key="activations_xor_loss")
st.caption(
    "Left: the network's output at every point of the plane, blue near 1 (class 1) and "
    "orange near 0 (class 0); the black line is where it equals 0.5. Right: the loss while "
    "training; a linear hidden layer stays stuck near ln 2 ≈ 0.693 (outputs ≈ 0.5 everywhere)."
)
