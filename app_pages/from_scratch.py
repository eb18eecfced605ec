"""MNIST from scratch (tutorial 000): the notebook's steps with our numbers, then its experiments.

Every number comes from engine/tutorials/t000.py: the walk-through (a few
hundredths of a second, cached) for the seed, learning rate and hidden nodes
typed in; the experiments in a background job (ui/from_scratch.py) whose
results, the same for everybody, are kept for every session.
"""

import numpy as np
import pandas as pd
import streamlit as st

from engine.tutorials import t000
from ui import from_scratch as fs
from ui import from_scratch_figures as figs
from ui import mnist_setup as setup
from ui import state
from ui.live import outside_fragment

PLOT = {"displayModeBar": False}


def page_state():
    return state.get(fs.FromScratchState)


def on_run(names):
    page_state().start(names, fs.shared_data())


def on_stop():
    job = page_state().job
    if job is not None:
        job.stop()


def column(values, digits=4):
    return [f"{v:.{digits}f}" for v in np.asarray(values).reshape(-1)]


def matrix_text(values):
    """A matrix as NumPy prints it, 8 decimals, as in the tutorial."""
    return "array(" + np.array2string(values, precision=8, floatmode="fixed",
                                      separator=", ", prefix="array(") + ")"


def inputs_row():
    """The walk-through's three exact numbers; (seed, lr, h_n), or None after a message."""
    st.markdown("**Your starting point.** Type the numbers; the steps below follow them "
                "(the tutorial: learning rate 0.3, 90 hidden nodes; its random weights "
                "cannot be drawn again, so pick a seed).")
    seed_box, lr_box, hidden_box = st.columns(3)
    seed = seed_box.number_input("Seed of the random weights", min_value=0,
                                 max_value=fs.SEED_MAX, value=0, step=1, key="fs_seed")
    lr = lr_box.number_input("Learning rate l_r", min_value=fs.LR_RANGE[0],
                             max_value=fs.LR_RANGE[1], value=0.3, step=0.1, format="%.4f",
                             key="fs_lr")
    h_n = hidden_box.number_input("Hidden nodes h_n", min_value=fs.HIDDEN_RANGE[0],
                                  max_value=fs.HIDDEN_RANGE[1], value=90, step=1,
                                  key="fs_hidden")
    try:
        return fs.check_inputs(seed, lr, h_n)
    except ValueError as err:
        st.error(str(err), icon=":material/error:")
        return None


def toy_section(w):
    st.subheader("1 · The 3-5-2 network")
    st.markdown("`i_n = 3`, `h_n = 5`, `o_n = 2`. `np.random.rand` fills each weight matrix "
                "with numbers from 0 to 1, **all positive**. A matrix is *following × preceding* "
                "nodes:")
    for name, size in (("w_i_h", "5 by 3"), ("w_h_o", "2 by 5")):
        st.markdown(f"`{name}`, shape {w['toy'][name].shape} ({size})")
        st.code(matrix_text(w["toy"][name]), language=None)


def data_section(w):
    st.subheader("2 · One observation: 785 values")
    obs = w["observation"]
    st.markdown(f"`len(data[0].split(','))` is **{len(obs)}**: the label, then 784 pixels "
                f"0 (white) to 255 (black). Our first training image's label is "
                f"**{w['label']}**. The tutorial's printed line and target say 3 while its text "
                f"says \"label is 5\": its printed line is not MNIST's first training image; "
                f"ours is.")
    text, picture = st.columns([3, 2])
    nonzero = np.flatnonzero(obs[1:])
    text.markdown(f"Label `{obs[0]}`, then pixels 1–784; {len(nonzero)} of them are not 0, "
                  f"the first at position {nonzero[0] + 1} (value {obs[1 + nonzero[0]]}).")
    text.code(",".join(str(v) for v in obs), language=None, wrap_lines=True, height=230)
    picture.plotly_chart(figs.digit(w["image"], title=f"data[0]: a {w['label']}"),
                         key="fs_digit", config=PLOT)


def pitfall_section(w, h_n):
    st.subheader("3 · 784-90-10, raw pixels: every output is 1")
    raw = w["raw"]
    h_all = (f"every `h_output` is exactly {float(raw['h_output'].min())!r}"
             if (raw["h_output"] == raw["h_output"].min()).all()
             else f"every `h_output` is {raw['h_output'].min():.6f} or more")
    st.markdown(
        f"Weights from `np.random.rand` ({w['raw_net_shapes']['w_i_h']} and "
        f"{w['raw_net_shapes']['w_h_o']}) and the raw pixels 0–255: `h_input` runs from "
        f"{raw['h_input'].min():,.0f} to {raw['h_input'].max():,.0f}, so {h_all}; "
        f"`o_input` runs from {raw['o_input'].min():.2f} to {raw['o_input'].max():.2f}, and "
        "`o_output` is:")
    st.code(np.array2string(raw["o_output"].ravel(), precision=8, separator=", "),
            language=None)
    ones = int(np.sum(raw["o_output"] == 1.0))
    st.markdown(f"**{ones} of 10 outputs are exactly 1.0**: the sigmoid is flat beyond ±5 and "
                "tells nothing. The fix: inputs `x / 255 * 0.99 + 0.01` (0.01 to 1.0, never 0), "
                "targets 0.01 and 0.99, and weights of both signs from "
                f"`normal(0, pow(h_n, -0.5))` = N(0, {h_n ** -0.5:.4f}) for `w_i_h` and "
                f"`normal(0, pow(o_n, -0.5))` = N(0, {10 ** -0.5:.4f}) for `w_h_o`.")
    st.caption("The tutorial's text says the spread should follow 1/√(number of incoming "
               "links): that is i_n = 784 for w_i_h and h_n for w_h_o. Its code uses the "
               "receiving layer's own size instead. The experiments below try both.")


def feedforward_section(w):
    st.subheader("4 · Feedforward, step by step")
    f, shapes = w["first"], w["shapes"]
    h_n = shapes["w_i_h"][0]
    st.markdown(
        f"| step | computed as | shapes |\n|---|---|---|\n"
        f"| `h_input` | `np.dot(w_i_h, input)` | ({h_n}, 784) · (784, 1) → "
        f"{f['h_input'].shape} |\n"
        f"| `h_output` | `sigmoid(h_input)` | → {f['h_output'].shape} |\n"
        f"| `o_input` | `np.dot(w_h_o, h_output)` | (10, {h_n}) · ({h_n}, 1) → "
        f"{f['o_input'].shape} |\n"
        f"| `o_output` | `sigmoid(o_input)` | → {f['o_output'].shape} |")
    table = pd.DataFrame({"one-hot target": column(w["one_hot"], 0),
                          "target (0.01 / 0.99)": column(w["target"], 2),
                          "o_output": column(f["o_output"], 8),
                          "o_errors": column(f["o_errors"], 8)})
    table.index.name = "node"
    st.markdown("`o_errors = target - o_output`, node by node:")
    st.dataframe(table)
    st.plotly_chart(figs.outputs(f["o_output"], highlight=w["label"], target=w["target"],
                                 title="o_output and the target", height=280),
                    key="fs_first_outputs", config=PLOT)


def backprop_section(w, lr):
    st.subheader("5 · The error, split back over the weights")
    f = w["first"]
    exact = w["exact_h_errors"]
    st.markdown("Each hidden node gets the output errors weighted by its links: "
                "`h_errors = np.dot(w_h_o.T, o_errors)` (the first 10 of "
                f"{len(f['h_errors'])}). The exact gradient of E = ½ Σ (t − o)² sends "
                "back `o_errors * o_output * (1 - o_output)` instead:")
    st.dataframe(pd.DataFrame({"h_errors, as printed": column(f["h_errors"][:10], 8),
                               "exact: w_h_o.T · (o_errors · o(1−o))": column(exact[:10], 8)}))
    st.latex(r"\Delta w_{ho} = l_r\,\big(e_o\, o\,(1-o)\big)\, h^\top \qquad "
             r"\Delta w_{ih} = l_r\,\big(e_h\, h\,(1-h)\big)\, x^\top")
    before = float(0.5 * np.sum(f["o_errors"] ** 2))
    after = float(0.5 * np.sum((w["target"] - w["o_output_after_one_update"]) ** 2))
    change = w["largest_w_i_h_change"]
    st.markdown(f"**One update with l_r = {lr:g}** on this image: the error "
                f"E = ½ Σ (target − o_output)² goes from **{before:.4f}** to "
                f"**{after:.4f}**; "
                f"the largest change of a `w_i_h` weight is {change:.2e}.")


def test_image_section(w):
    st.subheader("6 · Test image 0, after training on 100 images")
    st.markdown(f"The as-printed loop, 1 epoch over the first {w['train_images']} training "
                f"images with l_r = {w['lr']:g} from seed {w['seed']}'s weights, then test "
                f"image 0 (label **{w['test_label']}**):")
    picture, bars = st.columns([2, 3])
    picture.plotly_chart(figs.digit(w["test_image"], title=f"test image 0: a {w['test_label']}"),
                         key="fs_test_digit", config=PLOT)
    bars.plotly_chart(figs.outputs(w["test_output"], highlight=w["test_prediction"],
                                   title="its ten outputs"), key="fs_test_outputs", config=PLOT)
    verdict = "right" if w["test_prediction"] == w["test_label"] else "wrong"
    st.markdown(f"`np.argmax(o_output)` = **{w['test_prediction']}** ({verdict}; the "
                f"tutorial's network said 7). On all 10,000 test images this network scores "
                f"**{w['test_accuracy']:.2%}** (the tutorial: 0.3959).")


def run_button(names, label, busy):
    names = (names,) if isinstance(names, str) else tuple(names)
    seconds = sum(fs.ABOUT_SECONDS[n] for n in names)
    st.button(f"{label} (about {seconds} s)", key=f"fs_run_{names[0]}", disabled=busy,
              icon=":material/play_arrow:", on_click=outside_fragment(on_run), args=(names,))


def progress_panel(live):
    """The fragment: renew the job's lease, then draw its progress and Stop."""
    page = page_state()
    if page.job is not None:
        page.job.renew_lease()
    job = page.settle()
    if (job is not None) != live:
        st.rerun()
    if job is not None:
        snap = job.snapshot()
        text, stop = st.columns([5, 1], vertical_alignment="center")
        text.markdown(fs.job_text(snap))
        stop.button("Stop", key="fs_stop", on_click=on_stop, icon=":material/stop:",
                    width="stretch")
        st.progress(min(1.0, snap.fraction))


def job_here(names, busy):
    """The progress panel, where the job's experiments are (one place per page run)."""
    job = page_state().job
    if job is not None and job.names[0] in names:
        st.fragment(progress_panel, run_every=1.0 if busy else None)(busy)
    elif (ended := fs.end_text(page_state().last)) and page_state().last.name in names:
        st.warning(ended, icon=":material/stop_circle:")


def experiment_table(name):
    results = fs.finished(name)
    if results is None:
        return False
    st.markdown(f"**{t000.FROM_SCRATCH[name][0]}**")
    st.table(pd.DataFrame(fs.rows(name, results)).set_index("variant"))
    if sentence := fs.comparison(name, results):
        st.caption(sentence)
    return True


def experiments_section(busy):
    st.subheader("7 · The training experiments, beside the tutorial's figures")
    st.markdown(
        f"Each runs {fs.STARTS} times, from seeds 0–{fs.STARTS - 1}, and is tested on all "
        "10,000 test images. **As printed** sends `o_errors` back; the **exact rule** sends "
        "back `o_errors * o(1 − o)`, the true gradient of E, so it is the right one. "
        "Leaving out o(1 − o), which is at most ¼, weighs each output's error 1 / (o(1 − o)) "
        "≥ 4 times more than the gradient does: like a larger learning rate for the hidden "
        "layer, pointed a little differently, which on 100 images can help. The text's init "
        "(1/√ incoming links) starts with much smaller weights, which learn more slowly here.")
    small = fs.FROM_SCRATCH[:4]
    if not all(fs.finished(n) for n in small):
        run_button(small, "Run the four 100-image experiments", busy)
    job_here(small, busy)
    for name in small:
        experiment_table(name)
    big = "t000-60000-images"
    if not experiment_table(big):
        st.markdown("**All 60,000 training images**: 2 epochs with l_r 0.1 and 90 hidden "
                    "nodes, one image at a time, for both rules and 5 starts: 1.2 million "
                    "updates.")
        run_button(big, "Run on 60,000 images", busy)
    job_here((big,), busy)


def keras_section(busy):
    st.subheader("8 · The same task in Keras")
    st.markdown("784 → 90 ReLU → 10 softmax, `kernel_initializer='normal'` = N(0, 0.05), zero "
                "biases, categorical cross-entropy, batches of 200, 5 epochs shuffled, built "
                "from this app's own engine. SGD (Keras's lr 0.01) against RMSprop (lr 0.001). "
                "Keras prints each epoch's mean loss and accuracy over its batches.")
    done = {n: fs.finished(n) for n in fs.KERAS if fs.finished(n)}
    if len(done) < len(fs.KERAS):
        run_button(tuple(fs.KERAS), "Run SGD and RMSprop", busy)
    job_here(tuple(fs.KERAS), busy)
    if not done:
        return
    st.table(pd.DataFrame(fs.keras_rows(done)).set_index("optimizer"))
    st.caption(f"Lines: our mean over the {fs.STARTS} starts, in a band from the lowest to the "
               "highest start; crosses: the tutorial's printed numbers.")
    loss, accuracy = st.columns(2)
    loss.plotly_chart(figs.keras_epochs(done, "loss", "training loss per epoch"),
                      key="fs_keras_loss", config=PLOT)
    accuracy.plotly_chart(figs.keras_epochs(done, "accuracy", "training accuracy per epoch"),
                          key="fs_keras_accuracy", config=PLOT)


def main():
    st.title("MNIST from scratch (tutorial 000)")
    st.markdown("The tutorial *Neural Network Fundamentals* builds a 784-90-10 network with "
                "NumPy alone, then the same task in Keras. Here is each of its steps with real "
                "numbers, and each experiment with its printed figure beside ours.")
    try:
        fs.shared_data()
    except (OSError, ValueError) as err:
        st.error(setup.data_problem(err), icon=":material/error:")
        st.stop()
    page = page_state()
    busy = page.settle() is not None
    checked = inputs_row()
    if checked is not None:
        seed, lr, h_n = checked
        w = fs.walkthrough(seed, lr, h_n)
        toy_section(w)
        data_section(w)
        pitfall_section(w, h_n)
        feedforward_section(w)
        backprop_section(w, lr)
        test_image_section(w)
    experiments_section(busy)
    keras_section(busy)


main()
