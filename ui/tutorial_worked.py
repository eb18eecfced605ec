"""The One-neuron page's "From the tutorials: the worked numbers": tutorials 002 and 003.

    from ui import tutorial_worked
    tutorial_worked.section()

Two tabs, each an `st.fragment` (a click reruns its tab only, not the page):

    Tutorial 002: the two dot products (with cosine similarity beside them), the
        neuron's predictions, squared error and derivative with weights 1.45 and
        -0.66, and its one update as printed (weights - derivative) beside the
        exact rule (weights - lr * 2 (p - t) p (1 - p) x);
    Tutorial 003: the OR neuron (lr 0.05) trained by the printed rule (the
        sigmoid's derivative taken at the output: the sigmoid applied twice) and
        by the exact one, its weights, a table of its outputs for the four
        inputs and the error sums it printed.

Every number is computed by engine/tutorials/t002.py and t003.py; the tutorial's
printed figure stands beside ours, and only where our inputs are the tutorial's.
"""

import math

import numpy as np
import pandas as pd
import streamlit as st

from engine.tutorials import t002, t003

from . import charts, state
from .colours import LINE_COLOURS

LIMIT = 1000.0  # every typed number of tutorial 002 lies in [-LIMIT, LIMIT]
MAX_LR_002 = 100.0
MAX_LR_003 = 10.0
MAX_EPOCHS = 12_000  # 0.1-0.2 s of training per rule and learning rate; 11,010 are needed
CHART_POINTS = 1_500  # the error-sum curve is drawn with at most this many points per line
CHART_CONFIG = {"displayModeBar": False}
AS_PRINTED, EXACT = "As the tutorial printed it", "The exact rule"
RULE_NAMES = {AS_PRINTED: "as-printed", EXACT: "exact"}
KEY = "tutorial_worked_"  # every widget key of this section starts with it


def digits(value, n=8):
    """A number to compare with a printed one: 8 significant digits (0.7985731, 0.014962479)."""
    if value is None or not math.isfinite(value):
        return "—"
    text = f"{value:.{n}g}"
    return "0" if text in ("-0", "0") else text.replace("-", "−")


def pair(values, n=4):
    return "(" + ", ".join(digits(v, n) for v in values) + ")"


def point(values):
    return "[" + ", ".join(f"{v:g}" for v in values) + "]"


def typed(label, value, key, *, low=-LIMIT, high=LIMIT, step=0.01, help=None):
    """A number input for an exact value: free typing, steps of 0.01, bounded (its limits say so)."""
    return st.number_input(label, min_value=low, max_value=high, value=float(value), step=step,
                           format="%g", key=KEY + key, help=help)


def section():
    """Draw the section (a header and two tabs) at the end of the One-neuron page."""
    st.header("From the tutorials: the worked numbers")
    st.markdown("Tutorials 002 and 003 work these numbers out by hand. Here the engine computes "
                "them; the tutorial's printed figure stands beside ours.")
    tab_002, tab_003 = st.tabs(["Tutorial 002: one neuron by hand", "Tutorial 003: the OR neuron"])
    with tab_002:
        st.fragment(tutorial_002)()
    with tab_003:
        st.fragment(tutorial_003)()


# --- Tutorial 002 --------------------------------------------------------------------


def tutorial_002():
    st.subheader("Dot products: which weights are most like the input?")
    columns = st.columns(3)
    vectors = []
    for column, (name, default) in zip(columns, (("input_vector", t002.INPUT_VECTOR),
                                                 ("weights_1", t002.WEIGHTS_1),
                                                 ("weights_2", t002.WEIGHTS_2))):
        with column:
            st.markdown(f"**{name}**")
            left, right = st.columns(2)
            with left:
                first = typed(f"{name}[0]", default[0], f"{name}_0")
            with right:
                second = typed(f"{name}[1]", default[1], f"{name}_1")
            vectors.append((first, second))
    st.caption(f"Type any value from −{LIMIT:,.0f} to {LIMIT:,.0f}; ± moves by 0.01.")
    dot_products_view(*vectors)
    st.divider()
    st.subheader("One neuron, its error and one update")
    neuron_view()


def dot_products_view(x, w1, w2):
    dots = t002.dot_products(x, w1, w2)
    cosines = [t002.cosine_similarity(x, w) for w in (w1, w2)]
    as_tutorial = (x, w1, w2) == (t002.INPUT_VECTOR, t002.WEIGHTS_1, t002.WEIGHTS_2)
    printed = list(t002.PRINTED_DOT_PRODUCTS.values()) if as_tutorial else [None, None]
    table = pd.DataFrame({
        "": ["input_vector · weights_1", "input_vector · weights_2"],
        "tutorial printed": [f"{p:g}" if p is not None else "—" for p in printed],
        "ours (the engine)": [digits(d) for d in dots.values()],
        "cosine similarity": [digits(c, 3) for c in cosines],
    })
    st.table(table, hide_index=True)
    st.markdown("The tutorial: *“because the dot product of input_vector and weights_2 is "
                "4.1259, and 4.1259 is greater than 2.1672, input_vector is more similar to "
                "weights_2.”*")
    st.markdown("But the dot product is $|a|\\,|b|\\cos\\theta$: it also grows with the vectors' "
                "**lengths**. The fair comparison of directions is the **cosine similarity** "
                "$\\dfrac{a\\cdot b}{|a|\\,|b|}$, from −1 (opposite) to 1 (same direction). "
                + similarity_verdict(list(dots.values()), cosines))
    if as_tutorial:
        st.caption("The tutorial's 4.1259 is exactly 1.72 × 2.17 + 1.23 × 0.32 = 4.126: Python "
                   f"prints this float as {dots['dot_product_2']!r}, and the tutorial cut that "
                   "after four decimals.")


def similarity_verdict(dots, cosines):
    if None in cosines:
        return "A vector of zeros has no direction, so its cosine is not defined."
    by_dot = 1 + int(dots[1] > dots[0])
    by_cosine = 1 + int(cosines[1] > cosines[0])
    if dots[0] == dots[1] or cosines[0] == cosines[1]:
        return "Here the two weights tie on one of the measures."
    if by_dot == by_cosine:
        return f"Here both say weights_{by_cosine}."
    return (f"Here they disagree: the dot product prefers weights_{by_dot} only because it is "
            f"longer; weights_{by_cosine} points more nearly the way the input does.")


def neuron_view():
    st.markdown("$\\text{prediction} = \\sigma(x \\cdot w + b)$, target 1 for "
                f"{point(t002.NEURON_INPUT_1)} and target 0 for {point(t002.NEURON_INPUT_2)}.")
    c1, c2, c3, c4 = st.columns(4)
    with c1:
        w1 = typed("w₁", t002.NEURON_WEIGHTS[0], "neuron_w1")
    with c2:
        w2 = typed("w₂", t002.NEURON_WEIGHTS[1], "neuron_w2")
    with c3:
        b = typed("b", t002.NEURON_BIAS, "neuron_b")
    with c4:
        lr = typed("learning rate (exact rule)", 1.0, "neuron_lr", low=0.0, high=MAX_LR_002,
                   help="The tutorial's step has no learning rate; 1 makes the exact step "
                        "comparable with it.")
    as_tutorial = (w1, w2, b) == (*t002.NEURON_WEIGHTS, t002.NEURON_BIAS)
    printed_rule = t002.worked_neuron((w1, w2), b, "as-printed")
    exact = t002.worked_neuron((w1, w2), b, "exact", learning_rate=lr)
    shown = t002.PRINTED_NEURON if as_tutorial else dict.fromkeys(t002.PRINTED_NEURON)

    def printed(key):
        value = shown[key]
        return "—" if value is None else repr(value)

    x1, x2 = point(t002.NEURON_INPUT_1), point(t002.NEURON_INPUT_2)
    st.table(pd.DataFrame({
        "before the update": [f"prediction for {x1} (target 1)", f"prediction for {x2} (target 0)",
                              "squared error (p − 0)²", "derivative 2 (p − 0)"],
        "tutorial printed": [printed(k) for k in ("prediction_1", "prediction_2", "mse",
                                                  "derivative")],
        "ours (the engine)": [digits(printed_rule[k]) for k in ("prediction_1", "prediction_2",
                                                                "mse", "derivative")],
    }), hide_index=True)
    if as_tutorial:
        st.caption("The printed error 0.7586743596667225 is the square of the rounded 0.87101915; "
                   f"the unrounded prediction squares to {digits(printed_rule['mse'], 11)}.")
    else:
        st.caption("The tutorial printed its figures for w = (1.45, −0.66), b = 0: type those to "
                   "see them beside ours.")

    def verdict(value):
        return "right" if value > 0.5 else "wrong"

    rows = [("subtracted from the weights", "—", pair(printed_rule["step"]), pair(exact["step"])),
            ("weights after", "—", pair(printed_rule["weights_after"]),
             pair(exact["weights_after"])),
            (f"prediction for {x2} (target 0)", printed("after_update"),
             digits(printed_rule["after_update"]), digits(exact["after_update"])),
            ("its squared error", printed("error_after"), digits(printed_rule["error_after"]),
             digits(exact["error_after"])),
            (f"prediction for {x1} (target 1)", "—",
             f"{digits(printed_rule['prediction_1_after'], 4)} ({verdict(printed_rule['prediction_1_after'])})",
             f"{digits(exact['prediction_1_after'], 4)} ({verdict(exact['prediction_1_after'])})")]
    st.markdown("**One update, made on " + x2 + "**")
    st.table(pd.DataFrame(rows, columns=["after one update", "tutorial printed",
                                         "as printed: w − 2 (p − t)",
                                         f"exact: w − {lr:g} · 2 (p − t) p (1 − p) x"]),
             hide_index=True)
    st.markdown(update_explanation(printed_rule, exact, lr))


def update_explanation(printed_rule, exact, lr):
    printed_length = float(np.hypot(*printed_rule["step"]))
    exact_length = float(np.hypot(*exact["step"]))
    ratio = (f" The printed step is {printed_length / exact_length:.1f} times as long as the exact "
             "one here." if exact_length > 0 else "")
    return ("**Why they differ, and which is right.** The tutorial subtracts the derivative of "
            "the error with respect to the *prediction*, one number, from both weights: no "
            "learning rate, no slope of the sigmoid, no input. The chain rule gives the "
            "derivative with respect to each *weight*, $2(p-t)\\,p(1-p)\\,x_i$: each weight "
            "moves as much as it made the error. The exact rule is the right one (the "
            "tutorial's own NeuralNetwork class uses it later, with learning rate 0.1)." + ratio
            + " A longer step can lower one point's error more, as here, and still break "
              "the other point.")


# --- Tutorial 003 --------------------------------------------------------------------


@st.cache_data(max_entries=64, show_spinner=False)
def trained_or_run(rule, learning_rate, epochs):
    """t003.train_or_neuron (deterministic, so one cache serves every visitor; 0.4 MB at most)."""
    return t003.train_or_neuron(epochs, rule, learning_rate)


def or_run(epochs, rule, learning_rate):
    """The run after `epochs` epochs, read from a longer cached run when there is one.

    The tutorial's learning rate is trained for MAX_EPOCHS once (0.1-0.2 s per rule, for
    the whole server), so every number of epochs is then a read; another learning rate
    is trained to the next thousand epochs, so a click never trains much more than asked.
    """
    if learning_rate == t003.LEARNING_RATE:
        trained = MAX_EPOCHS
    else:
        trained = min(MAX_EPOCHS, -(-epochs // 1000) * 1000)
    return t003.after(trained_or_run(rule, learning_rate, trained), epochs)


def set_epochs(epochs):
    st.session_state[KEY + "or_epochs"] = epochs  # idempotent: a callback that comes twice is harmless


def tutorial_003():
    st.markdown("The OR neuron: $X$ = the four inputs, $y = (0, 1, 1, 1)$, weights $(0.1, 0.2)$, "
                "bias $0.3$, all four points in every epoch.")
    c1, c2, c3 = st.columns([1, 1, 2], vertical_alignment="bottom")
    with c1:
        lr = st.number_input("Learning rate", min_value=0.001, max_value=MAX_LR_003,
                             value=t003.LEARNING_RATE, step=0.01, format="%g",
                             key=KEY + "or_lr", help=f"From 0.001 to {MAX_LR_003:g}.")
    with c2:
        st.session_state.setdefault(KEY + "or_epochs", t003.CELL_EPOCHS)  # the button sets it too
        epochs = state.number_input(st, "Number of epochs", min_value=1, max_value=MAX_EPOCHS,
                                    step=1000, key=KEY + "or_epochs",
                                    help=f"From 1 to {MAX_EPOCHS:,} (a run of 12,000 epochs "
                                         "takes a fraction of a second; the server is shared).")
    with c3:
        st.button(f"{t003.PRINTED_EPOCHS:,} epochs: the printed figures", key=KEY + "or_11010",
                  on_click=set_epochs, args=(t003.PRINTED_EPOCHS,))
    rule_label = st.radio("Derivative", [AS_PRINTED, EXACT], horizontal=True, key=KEY + "or_rule",
                          label_visibility="collapsed")
    st.caption(f"Epochs from 1 to {MAX_EPOCHS:,}: the tutorial's printed figures need "
               f"{t003.PRINTED_EPOCHS:,}. Learning rate from 0.001 to {MAX_LR_003:g}.")
    epochs, lr = int(epochs), float(lr)
    runs = {rule: or_run(epochs, rule, lr) for rule in t003.RULES}
    rule = RULE_NAMES[rule_label]
    run = runs[rule]
    is_tutorial = lr == t003.LEARNING_RATE
    weights_table(runs, epochs, is_tutorial)
    outputs_table(run, rule_label, is_tutorial)
    error_sum_view(runs, rule, epochs, is_tutorial)
    derivative_explanation(runs, epochs)


def weights_table(runs, epochs, is_tutorial):
    printed = t003.PRINTED if is_tutorial else {"weights": [None, None], "bias": None}
    st.table(pd.DataFrame({
        f"after {epochs:,} epochs": ["w₁", "w₂", "b"],
        "tutorial printed": [digits(v, 9) for v in (*printed["weights"], printed["bias"])],
        "as printed (ours)": [digits(v, 9) for v in (*runs["as-printed"]["weights"],
                                                     runs["as-printed"]["bias"])],
        "exact rule (ours)": [digits(v, 9) for v in (*runs["exact"]["weights"],
                                                     runs["exact"]["bias"])],
    }), hide_index=True)
    if is_tutorial:
        st.caption(f"The tutorial's cell says range({t003.CELL_EPOCHS}); its printed result is "
                   f"what {t003.PRINTED_EPOCHS:,} epochs give: the cell was run again and again. "
                   + ("" if epochs == t003.PRINTED_EPOCHS else
                      "Press the button above to see them meet."))
    else:
        st.caption(f"The tutorial used learning rate {t003.LEARNING_RATE:g}: set it to compare.")


def outputs_table(run, rule_label, is_tutorial):
    checks = {tuple(p): t003.PRINTED[key] for key, p in t003.CHECK_POINTS.items()}
    rows = []
    for x, target, out in zip(t003.X, t003.Y, run["outputs"]):
        said = int(out >= 0.5)
        printed = checks.get(tuple(x)) if is_tutorial else None
        rows.append({"x₁": x[0], "x₂": x[1], "OR (target)": target,
                     "output σ(z)": digits(out), "neuron says": said,
                     "right?": "yes" if said == target else "no",
                     "tutorial printed": "not printed" if is_tutorial and printed is None
                     else digits(printed)})
    st.markdown(f"**The trained unit's outputs ({rule_label.lower()})**")
    st.table(pd.DataFrame(rows), hide_index=True)


def error_sum_view(runs, rule, epochs, is_tutorial):
    step = max(1, math.ceil(epochs / CHART_POINTS))
    x = np.arange(1, epochs + 1)[::step]
    series = {"as printed": (x, runs["as-printed"]["error_sums"][::step]),
              "exact rule": (x, runs["exact"]["error_sums"][::step])}
    fig = charts.line_chart(series, xlabel="epoch", ylabel="error.sum() = Σ (out − y)",
                            height=320)
    fig.update_yaxes(rangemode="normal")
    fig.update_traces(selector=dict(name="exact rule"), line=dict(color=LINE_COLOURS[1]))
    st.markdown("**What it printed each epoch: `error.sum()`, the sum of the signed errors**")
    st.plotly_chart(fig, key=KEY + "or_error_chart", config=CHART_CONFIG)
    sums = t003.error_sums(runs[rule]["weights"], runs[rule]["bias"])
    text = (f"After {epochs:,} epochs ({'as printed' if rule == 'as-printed' else 'exact rule'}): "
            f"Σ (out − y) = {digits(sums['signed'], 3)}, but Σ (out − y)² = "
            f"{digits(sums['squared'], 3)}, and {sums['wrong']} of 4 points wrong. ")
    first = t003.PRINTED_SUMS_FIRST_EPOCH
    last = first + len(t003.PRINTED_SUMS) - 1
    if is_tutorial and rule == "as-printed" and epochs >= last:
        shown = runs["as-printed"]["error_sums"][first - 1:last]
        text += (f"The tutorial's printed lines, {digits(t003.PRINTED_SUMS[0], 9)} … "
                 f"{digits(t003.PRINTED_SUMS[-1], 3)}, are our epochs {first:,} to {last:,}: "
                 f"{digits(shown[0], 9)} … {digits(shown[-1], 6)}.")
    st.markdown(text)
    zero = t003.error_sums((0.0, 0.0), math.log(3.0))
    st.caption("Errors of opposite sign cancel: if all four outputs were 0.75, the sum would be "
               f"{digits(zero['signed'], 3)} while {zero['wrong']} point ([0, 0]) is wrong. "
               "A tiny printed sum does not mean a tiny error: the squared error cannot cancel.")


def derivative_explanation(runs, epochs):
    def slopes(weights, bias):
        z = np.array(t003.X, float) @ np.asarray(weights, float) + float(bias)
        out = t003.SIGMOID.fn(z)
        ones = np.ones_like(z)
        return out, t003.deriv_as_printed(z, out, ones), t003.deriv_exact(z, out, ones)

    start_out, start_printed, start_exact = slopes(t003.START_WEIGHTS, t003.START_BIAS)
    run = runs["as-printed"]
    end_out, end_printed, end_exact = slopes(run["weights"], run["bias"])
    squared = {rule: t003.error_sums(runs[rule]["weights"], runs[rule]["bias"])["squared"]
               for rule in t003.RULES}
    lower = "as printed" if squared["as-printed"] < squared["exact"] else "by the exact rule"
    st.markdown(
        "**Why the printed derivative is wrong.** The chain rule needs the sigmoid's slope at "
        "its input $z$: $\\sigma'(z) = \\text{out}\\,(1-\\text{out})$. The tutorial's "
        "`sigmoid_der(out)` computes $\\sigma(\\text{out})(1-\\sigma(\\text{out}))$: the sigmoid "
        "applied twice, the slope at the *output*. As out lies between 0 and 1, that is always "
        "between 0.197 and 0.25: it never fades as the unit grows sure of itself, while the "
        "true slope goes to 0 near 0 and 1.")
    st.markdown(
        f"At the start (outputs {pair(start_out, 3)}) the two are alike: printed "
        f"{pair(start_printed, 3)}, true {pair(start_exact, 3)}. After {epochs:,} epochs of the "
        f"printed rule (outputs {pair(end_out, 3)}) the true slope is {pair(end_exact, 2)}, the "
        f"printed one still {pair(end_printed, 2)}. So the printed rule keeps taking big steps: "
        f"after {epochs:,} epochs the squared error Σ (out − y)² is "
        f"{digits(squared['as-printed'], 3)} as printed and {digits(squared['exact'], 3)} by the "
        f"exact rule, lower {lower}. Each point still pulls the right way (both factors are "
        "positive), only by the wrong amount: the printed rule is not the gradient of the "
        "error the tutorial wrote down, $\\frac12\\sum(\\text{out}-y)^2$. The exact rule is.")
