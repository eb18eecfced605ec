"""Backpropagation, step by step: a tiny network's forward pass, loss, backward pass and update.

Every number is the engine's (ui/backprop.py: engine Dense and Sequential in
float64, their forward_cached, backward and loss_and_backward, the engine's
SGD); this page reads the widgets, keeps the weights in the session and draws.
"""

import numpy as np
import streamlit as st

from ui import backprop as bp
from ui import backprop_figures as figs
from ui import catalog
from ui import state

PLOT = {"displayModeBar": False}
ss = st.session_state
ss.setdefault("bp_stage", 0)
ss.setdefault("bp_losses", [])
ss.setdefault("bp_updates", 0)


def current_setup():
    """The settings as the widgets hold them (the widgets' own defaults before they exist)."""
    loss = ss.get("bp_loss", "mse")
    outputs = ss.get("bp_outputs", 1)
    if outputs not in bp.outputs_allowed(loss):
        outputs = bp.outputs_allowed(loss)[0]
    out_names = bp.output_activations(loss)
    output_act = ss.get("bp_output_act", "sigmoid")
    if output_act not in out_names:
        output_act = out_names[0]
    hidden_act = ss.get("bp_hidden_act", "sigmoid")
    target = (ss.get("bp_t0", 0.99), ss.get("bp_t1", 0.01))
    if loss == "cross_entropy":
        target = (ss.get("bp_class", 0),)
    return bp.Setup(hidden=ss.get("bp_hidden", 2), outputs=outputs, hidden_act=hidden_act,
                    output_act=output_act, loss=loss, data=ss.get("bp_data", "one"),
                    x=(ss.get("bp_x0", 0.05), ss.get("bp_x1", 0.10)), target=target)


def fill_missing_weights(setup, everything=False):
    """Put the seed's weights in every box that has no value yet (or in all of them)."""
    drawn = bp.build(setup, seed=ss.get("bp_seed", 0)).params
    for p in bp.parameters(setup):
        if everything or p.key not in ss:
            ss[p.key] = float(drawn[p.index])


def current_params(setup):
    return np.array([float(ss[p.key]) for p in bp.parameters(setup)], bp.DTYPE)


def write_params(setup, params):
    """Put new weights in their boxes; False (and a message) if some are not finite numbers."""
    if not np.all(np.isfinite(params)):
        ss.bp_message = ("The update gave weights too large to be numbers (the loss or the "
                         "learning rate is too large): the weights were kept as they were.")
        return False
    for p in bp.parameters(setup):
        ss[p.key] = float(params[p.index])
    return True


def model_now(setup, tutorial003=None):
    if tutorial003 is None:
        tutorial003 = ss.get("bp_t003", False)
    return bp.build(setup, current_params(setup), tutorial003=tutorial003)


def on_next():
    setup = current_setup()
    if ss.bp_stage < len(bp.STAGES) - 1:
        ss.bp_stage += 1
        return
    model = model_now(setup)
    X, T = bp.examples(setup)
    tr = bp.trace(model, X, T, setup.loss)
    if not ss.bp_losses:
        ss.bp_losses = [tr.loss]
    bp.sgd_update(model, tr.grad, ss.get("bp_lr", 0.5))
    if not write_params(setup, model.params):
        return
    ss.bp_losses = ss.bp_losses + [bp.loss_at(model, X, T, setup.loss, model.params)]
    ss.bp_updates += 1
    ss.bp_stage = 0


def on_previous():
    ss.bp_stage = max(0, ss.bp_stage - 1)


def on_run_updates():
    setup = current_setup()
    model = model_now(setup)
    X, T = bp.examples(setup)
    values = bp.run_updates(model, X, T, setup.loss, ss.get("bp_lr", 0.5))
    if not write_params(setup, model.params):
        return
    ss.bp_losses = (ss.bp_losses or values[:1]) + values[1:]
    ss.bp_updates += len(values) - 1


def on_draw_from_seed():
    fill_missing_weights(current_setup(), everything=True)
    ss.bp_losses, ss.bp_updates, ss.bp_stage = [], 0, 0


def settings():
    """The set-up: data, sizes, activations, loss, learning rate, seed; then the weights."""
    box = st.expander("**Set up the network**: data, sizes, activations, loss, learning "
                      "rate, starting weights", expanded=False, icon=":material/tune:")
    top = box.columns(4)
    top[0].radio("Train on", list(bp.DATA), format_func=bp.DATA.get, key="bp_data")
    loss = top[1].selectbox("Loss", bp.LOSS_NAMES, format_func=catalog.labeller("loss"),
                            key="bp_loss")
    allowed = bp.outputs_allowed(loss)
    if ss.get("bp_outputs") not in allowed:
        ss.bp_outputs = allowed[0]
    top[2].radio("Hidden units", bp.HIDDEN_SIZES, key="bp_hidden", horizontal=True)
    outputs = top[3].radio("Outputs", bp.OUTPUT_SIZES, key="bp_outputs", horizontal=True,
                           disabled=len(allowed) == 1,
                           help="Cross-entropy over classes needs 2 outputs.")
    row = box.columns(4, vertical_alignment="bottom")
    row[0].selectbox("Hidden activation", catalog.hidden_activations(),
                     format_func=catalog.labeller("activation"), key="bp_hidden_act")
    out_names = bp.output_activations(loss)
    if ss.get("bp_output_act") not in out_names:
        ss.bp_output_act = "sigmoid" if "sigmoid" in out_names else out_names[0]
    row[1].selectbox("Output activation", out_names, format_func=catalog.labeller("activation"),
                     key="bp_output_act", help="Binary cross-entropy needs an output in "
                     "(0, 1): sigmoid; cross-entropy needs softmax.")
    if outputs == 1 and ss.get("bp_output_act") == "softmax":
        box.info(bp.SOFTMAX_OF_ONE, icon=":material/info:")
    state.number_input(row[2], "Learning rate η", min_value=1e-4, max_value=100.0, value=0.5,
                       step=0.1, format="%.4f", key="bp_lr")
    state.number_input(row[3], "Seed", min_value=0, max_value=10**6, value=0, step=1,
                       key="bp_seed")
    box.button("Draw the starting weights from the seed", on_click=on_draw_from_seed,
               key="bp_draw", icon=":material/casino:",
               help="The engine's Glorot initialiser for the weights, biases from the same "
               "seed, rounded to 2 decimals; the updates so far are forgotten.")
    setup = current_setup()
    if setup.data == "one":
        box.markdown("**The training example**")
        cols = box.columns(4)
        state.number_input(cols[0], "x₁", value=0.05, step=0.05, format="%.4f", key="bp_x0")
        state.number_input(cols[1], "x₂", value=0.10, step=0.05, format="%.4f", key="bp_x1")
        if setup.loss == "cross_entropy":
            cols[2].radio("Target class", (0, 1), key="bp_class", horizontal=True)
        else:
            bce = setup.loss == "binary_cross_entropy"
            for k in range(setup.outputs):
                state.number_input(cols[2 + k], f"target t{k + 1}", min_value=0.0 if bce
                                   else None, max_value=1.0 if bce else None,
                                   value=(0.99, 0.01)[k], step=0.01, format="%.4f",
                                   key=f"bp_t{k}")
    setup = current_setup()
    fill_missing_weights(setup)
    box.markdown("**Weights and biases** (type exact numbers; the updates write here too)")
    cols = box.columns(3)
    for n, p in enumerate(bp.parameters(setup)):
        state.number_input(cols[n % 3], p.name, step=0.1, format="%.6f", key=p.key)
    return current_setup()


def row_names(setup, X, T):
    dense = bp.dense_targets(T, setup.outputs)
    return [f"x=({x[0]:g}, {x[1]:g}), t=" + ", ".join(f"{t:g}" for t in target)
            for x, target in zip(X, dense)]


def stage_controls():
    stage = ss.bp_stage
    title, text = bp.STAGES[stage]
    prev, nxt, run, info = st.columns([0.9, 1.1, 1.4, 1.1], vertical_alignment="center")
    prev.button("Previous", icon=":material/arrow_back:", on_click=on_previous,
                disabled=stage == 0, key="bp_prev", use_container_width=True)
    nxt.button("Apply update" if stage == len(bp.STAGES) - 1 else "Next stage",
               icon=":material/arrow_forward:", on_click=on_next, key="bp_next",
               type="primary", use_container_width=True)
    run.button(f"Run {bp.UPDATES} updates", icon=":material/fast_forward:",
               on_click=on_run_updates, key="bp_run", use_container_width=True)
    info.markdown(f"Updates so far: **{ss.bp_updates}**")
    st.markdown(f"**Stage {stage + 1} of {len(bp.STAGES)}: {title}.** {text}")
    return stage


def chain_rule_text(setup, tr, param, names):
    terms, total = bp.chain_rule(tr, param, names)
    units = bp.unit_names(setup)
    target = units[param.layer + 1][param.j]
    symbol = "b" if param.kind == "b" else "w"
    if param.kind == "b":
        source = "1"
    elif param.layer == 0:
        source = units[0][param.i]
    else:
        source = f"a_{units[1][param.i]}"
    head = f"∂L/∂{symbol} = δ_{target} · {source}"
    lines = [f"**{param.name}**", "", f"`{head}`", ""]
    if len(terms) == 1:
        _, d, a = terms[0]
        lines.append(f"`= ({d:+.6f}) × ({a:+.6f})`")
    else:
        lines.append(f"summed over the {len(terms)} rows (δ already holds the mean's 1/4):")
        lines.append("")
        lines += [f"`{'+' if k else ' '} ({d:+.6f}) × ({a:+.6f})`  " for k, (_, d, a)
                  in enumerate(terms)]
    lines += ["", f"`= {total:+.8f}`"]
    return "\n".join(lines)


def gradient_check(setup, model, X, T, tr, names):
    st.subheader("Check one gradient", anchor=False)
    params = bp.parameters(setup)
    by_name = {p.name: p for p in params}
    pick, h_box, switch = st.columns([1.3, 1, 1.7], vertical_alignment="bottom")
    name = pick.selectbox("Weight or bias", list(by_name), key="bp_param")
    param = by_name.get(name, params[0])
    h = state.number_input(h_box, "Step h", min_value=1e-10, max_value=0.1, value=bp.DEFAULT_H,
                           step=1e-6, format="%.1e", key="bp_h")
    tutorial003 = switch.toggle("Use tutorial 003's derivative", key="bp_t003",
                                help="σ(a)(1 − σ(a)) in place of a(1 − a): the sigmoid "
                                "applied twice, as engine/tutorials/t003.py's tutorial did.")
    if tutorial003 and not bp.sigmoid_twice_matters(setup):
        st.info("Tutorial 003's derivative is a sigmoid's: this network has no sigmoid unit "
                "whose slope backpropagation uses (a sigmoid output with binary "
                "cross-entropy goes straight from the loss: δ = (a − t)/n), so nothing "
                "changes. Pick a sigmoid hidden activation, or MSE.", icon=":material/info:")
    check = bp.finite_difference(model, X, T, setup.loss, param.index, h, tr.grad[param.index])
    left, right = st.columns(2, border=True)
    with left:
        st.markdown("**Backpropagation (the chain rule)**")
        st.markdown(chain_rule_text(setup, tr, param, names))
    with right:
        st.markdown("**Finite differences (nudge the weight, measure the loss)**")
        st.markdown(f"`L(w + h) = {check.loss_plus:.12f}`  \n"
                    f"`L(w − h) = {check.loss_minus:.12f}`  \n"
                    f"`(L(w+h) − L(w−h)) / 2h = {check.numeric:+.8f}`")
        st.metric("Relative difference", f"{check.relative:.2e}")
        if check.agrees:
            st.success(f"They agree (below {bp.AGREE:g}): the backward pass is right.",
                       icon=":material/check_circle:")
        else:
            st.error(f"They disagree (above {bp.AGREE:g}): the gradient backpropagation "
                     "computed is not the slope of the loss."
                     + (" Tutorial 003's derivative is on." if tutorial003 else ""),
                     icon=":material/error:")
    return param


st.title("Backpropagation, step by step", anchor=False)
st.markdown("Follow every number of a tiny network, one stage at a time.")
setup = settings()
tutorial003 = ss.get("bp_t003", False)
model = model_now(setup, tutorial003)
X, T = bp.examples(setup)
tr = bp.trace(model, X, T, setup.loss)
names = row_names(setup, X, T)
if not (np.isfinite(tr.loss) and np.all(np.isfinite(tr.grad))):
    st.warning("Some numbers are not finite (a weight or a learning rate too large): draw "
               "new weights or type smaller ones.", icon=":material/warning:")

stage = stage_controls()
message = ss.pop("bp_message", None)
if message:
    st.warning(message, icon=":material/warning:")
row = 0
if len(X) > 1:
    row = st.selectbox("Example shown on the units (the gradients are over all four rows)",
                       range(len(X)), format_func=lambda r: names[r], key="bp_row")
chosen = next((p for p in bp.parameters(setup) if p.name == ss.get("bp_param")), None)
st.plotly_chart(figs.network_figure(setup, tr, stage, row=row, chosen=chosen,
                                    lr=ss.get("bp_lr", 0.5)),
                config=PLOT, key="bp_network")
st.caption("Blue links: positive weights, orange: negative (thicker: larger); red: the weight "
           "checked below. Each unit shows its bias b, then z and a on the way forward and δ "
           "on the way back. Every number is the engine's (Dense and Sequential in float64).")
if not np.allclose(tr.grad, tr.engine_grad, rtol=1e-12, atol=1e-15, equal_nan=True):
    st.error("The stage-by-stage backward pass differs from the engine's loss_and_backward.")

gradient_check(setup, model, X, T, tr, names)

st.subheader("The same numbers in tables", anchor=False)
units_tab, weights_tab = st.tabs(["Units: z, a, δ", "Weights: w, ∂L/∂w, update"])
units_tab.dataframe(figs.unit_table(setup, tr, names), hide_index=True,
                    column_config={c: st.column_config.NumberColumn(format="%.6f")
                                   for c in ("z", "a", "δ = ∂L/∂z")})
weights_tab.dataframe(figs.weight_table(setup, tr, ss.get("bp_lr", 0.5)), hide_index=True,
                      key="bp_weights_table",
                      column_config={c: st.column_config.NumberColumn(format="%.6f")
                                     for c in ("w", "∂L/∂w", "w − η·∂L/∂w")})

if len(ss.bp_losses) > 1:
    st.subheader("The loss, update by update", anchor=False)
    st.plotly_chart(figs.loss_curve(ss.bp_losses), config=PLOT, key="bp_loss_curve")
    st.caption(f"From {ss.bp_losses[0]:.5f} to {ss.bp_losses[-1]:.5f} after "
               f"{len(ss.bp_losses) - 1} updates of plain gradient descent.")
