"""One neuron: set a perceptron's weights by hand, then watch it learn, update by update.

The page has four parts:
    1. the data (logic gates, two blobs, the tutorial's 8 points, and every 2-class
       set of the engine's registry), the unit (perceptron or sigmoid neuron, with any
       optimizer of the engine), and one-click set-ups of tutorials 001 and 002;
    2. sliders and exact number boxes for w1, w2 and b, the decision line, the truth table;
    3. training from those weights, live: an `st.fragment` that reruns every
       FRAME_SECONDS while playing, makes the updates due by the clock, then redraws
       the boundary, the loss curve and the last update (w <- w - eta * dE/dw);
    4. for XOR: why one unit fails, and a 2-4-1 network that succeeds.

Data, units and runs: ui/neuron_runs.py; widgets and presets: ui/neuron_controls.py;
charts, tables, sentences: ui/neuron_views.py; the loss landscape: ui/neuron_landscape.py; every number comes from the engine. Per-user state is one ui.state.PerceptronState
(the run, the Play flag, the session's lock, held by every callback and frame).
"""

import streamlit as st

from engine import datasets
from ui import neuron_controls as controls
from ui import neuron_landscape
from ui import neuron_views as views
from ui import state
from ui.formulas import number, percent, percent_text, unit_formula
from ui.live import outside_fragment
from ui.neuron_runs import (EIGHT, FRAME_SECONDS, GATES, PERCEPTRON, SPEEDS, NeuronRun,
                            correct_count, load_data, make_unit, play_frame)
from ui.state import PerceptronState
from ui.xor_net import xor_network

# A known solution per gate: (w1, w2, b). OR = step(-1 + x1 + x2).
GATE_SOLUTIONS = {"OR": (1.0, 1.0, -1.0), "AND": (1.0, 1.0, -1.5), "NAND": (-1.0, -1.0, 1.5)}
MAX_EPOCHS = 2000
CHART = views.CHART_CONFIG


# Button callbacks: they run before the script, so the page draws the new state. Each
# holds the session's lock while it touches the run (a frame of Play may be running).
def set_playing(playing):
    """Play or Pause. Idempotent on purpose: a click delivered twice must not undo itself."""
    page = state.get(PerceptronState)
    with page.live.turn():
        page.live.set_playing(playing)
        page.pacer.restart()  # the clock of the animation starts again


def step_update():
    page = state.get(PerceptronState)
    with page.live.turn():
        page.live.set_playing(False)
        if page.run is not None:
            page.run.step()


def step_epoch():
    """Finish the epoch under way (a whole one if none is), one recorded update at a time."""
    page = state.get(PerceptronState)
    with page.live.turn():
        page.live.set_playing(False)
        if page.run is not None:
            page.run.step_epoch()


def reset_run():
    page = state.get(PerceptronState)
    with page.live.turn():
        page.live.reset()
        page.run = None


st.title("One neuron & the perceptron")
st.markdown(
    "A single neuron takes two inputs $x_1, x_2$, weighs them, adds a bias and squashes "
    "the sum. Whatever the weights, the points where the sum is exactly zero form a "
    "**straight line**: the neuron says *class 1* on one side of it and *class 0* on the other."
)
st.latex(r"z = w_1 x_1 + w_2 x_2 + b, \qquad \hat y = f(z), \qquad \text{decision line: } z = 0")

# --- 1. Data and model --------------------------------------------------------
st.header("1. Choose the data and the neuron")
controls.preset_buttons(outside_fragment(controls.apply_preset))
chosen = controls.data_and_model()
dataset, model, loss, optimizer = (chosen[k] for k in ("dataset", "model", "loss", "optimizer"))
n_points, separation, noise, data_seed, test_percent = (
    chosen[k] for k in ("n_points", "separation", "noise", "data_seed", "test_percent"))
active = next((name for name in controls.PRESETS if controls.preset_active(name)), None)
if active:
    st.info(controls.PRESETS[active].note, icon=":material/school:")

try:
    data = load_data(dataset, n_points=n_points, separation=separation, noise=noise,
                     seed=int(data_seed), test_percent=test_percent)
except ValueError as err:  # e.g. too few points to hold some out
    st.error(f"These data settings do not work: {err}. Change the number of points or the test share.")
    st.stop()
X_train, y_train, X_test, y_test = data["X_train"], data["y_train"], data["X_test"], data["y_test"]

note = views.data_note(dataset)
if note:
    st.info(note, icon=":material/lightbulb:")

# --- 2. Hand-set weights -----------------------------------------------------
st.header("2. Set the weights by hand")
st.markdown(
    "Move the sliders and watch the line turn and slide, or type exact values in the boxes "
    "(such as the tutorials' 1.45 and −0.66). The background shows the neuron's "
    "output: blue where it says class 1, orange where it says class 0."
)
slider_col, hand_chart_col = st.columns([2, 3], gap="large")
with slider_col:
    w1, w2, b = controls.weight_inputs()
    if dataset in GATE_SOLUTIONS:
        solution = GATE_SOLUTIONS[dataset]
        st.button(
            f"Show a solution for {dataset}", key="perceptron_solution",
            on_click=outside_fragment(controls.set_weights), args=(solution,),
            help=f"Sets w₁ = {solution[0]:g}, w₂ = {solution[1]:g}, b = {solution[2]:g}.",
        )
    st.caption(f"Limits: weights from {-controls.WEIGHT_LIMIT:g} to {controls.WEIGHT_LIMIT:g}, "
               f"bias from {-controls.BIAS_LIMIT:g} to {controls.BIAS_LIMIT:g}.")

hand_unit = make_unit(model, loss, 0.1, (w1, w2, b))  # its learning rate is never used
with hand_chart_col:
    st.latex(unit_formula(model == PERCEPTRON, hand_unit.w, hand_unit.b))
    st.plotly_chart(views.boundary_figure(hand_unit, data), key="perceptron_hand_chart",
                    config=CHART)

if dataset in GATES:
    table, n_right, on_line = views.truth_table(hand_unit, model, dataset, X_train, y_train)
    st.markdown(f"**Truth table: {n_right} of 4 right**")
    st.table(table, hide_index=True)
    if n_right == 4:
        st.success(f"All four rows are right: this neuron computes {dataset}.")
    elif dataset == "XOR":
        st.warning("No weights get all four XOR rows right; 3 of 4 is the best a single line can do.")
    if model == PERCEPTRON and on_line:
        st.caption("A point exactly on the line has z = 0, and step(0) = 1: it counts as class 1.")
    if dataset == "OR":
        st.caption(views.OR_TYPO_NOTE)
else:
    with slider_col:
        right = correct_count(hand_unit, X_train, y_train)
        st.markdown(f"**Training points right: {percent_text(right, len(y_train))}**")
        if len(y_test):
            right = correct_count(hand_unit, X_test, y_test)
            st.markdown(f"**Test points right: {percent_text(right, len(y_test))}**")

# --- 3. Training ------------------------------------------------------------------
st.header("3. Let it learn")
st.markdown(
    "Training starts from the weights you set above and changes them a little after each "
    "batch of points, against the slope of the error:"
)
st.latex(r"w \leftarrow w - \eta\,\frac{\partial E}{\partial w}, \qquad b \leftarrow b - \eta\,\frac{\partial E}{\partial b}")
with st.expander("Where do the slopes ∂E/∂w come from?"):
    views.explain_slopes(model, loss, optimizer)

n_train = len(y_train)
setting_cols = st.columns(4, gap="medium")
with setting_cols[0]:
    batch_size = controls.batch_size_setting(n_train)
with setting_cols[1]:
    epochs = state.number_input(
        st, f"Epochs (1 to {MAX_EPOCHS})", 1, MAX_EPOCHS, key=controls.default(
            controls.epochs_key(dataset), 500 if dataset == EIGHT else 20),
        help="One epoch uses every training point once (with replacement: as many draws).",
    )
    st.caption(f"= {int(epochs) * -(-n_train // batch_size):,} updates")
    order = controls.order_setting(batch_size, n_train)
with setting_cols[2]:
    lr, lr_problem = controls.learning_rate(model, optimizer)
    seed = st.number_input(
        "Seed (order of the points)", 0, 9999, 0, key="perceptron_seed",
        help="Each epoch visits the points in an order drawn from this seed (with "
        "replacement: np.random.seed(seed)'s draws, as tutorial 002 makes them).",
    )
with setting_cols[3]:
    speed = st.select_slider(
        "Animation speed", tuple(SPEEDS), "normal", key="perceptron_speed",
        help="slow: one update per frame; normal: the whole run takes about 15 seconds; fast: about 4 "
        "(longer for very long runs: each frame computes for at most a fifth of a second).",
    )

if lr_problem:
    st.error(lr_problem, icon=":material/error:")
page = state.get(PerceptronState)
signature = (dataset, n_points, separation, noise, int(data_seed), test_percent, model, loss,
             optimizer, batch_size, order, int(seed), w1, w2, b)
with page.live.turn():  # a frame of Play may still be running in another script thread
    if page.run is None or page.run.signature != signature:
        try:
            unit = make_unit(model, loss, 0.1 if lr_problem else lr, (w1, w2, b), optimizer)
            page.run = NeuronRun.start(signature, data, unit, batch_size, int(seed), order)
        except ValueError as err:
            st.error(f"Training cannot start with these settings: {err}")
            st.stop()
        page.live.set_playing(False)
    if lr_problem:
        page.live.set_playing(False)  # nothing trains with a learning rate out of range
    else:
        page.run.unit.lr = lr  # the learning rate may change between updates
    playing = page.live.playing
    finished = page.run.remaining(epochs) == 0
    blocked = bool(lr_problem)

button_cols = st.columns([1, 1.4, 1.4, 1])
button_cols[0].button(
    "Pause" if playing else "Play", key="perceptron_play",
    on_click=outside_fragment(set_playing), args=(not playing,),
    icon=":material/pause:" if playing else ":material/play_arrow:", type="primary",
    disabled=(finished and not playing) or blocked, width="stretch",
)
button_cols[1].button("Step (one update)", key="perceptron_step_update", disabled=blocked,
                      on_click=outside_fragment(step_update), icon=":material/skip_next:", width="stretch")
button_cols[2].button("Step (one epoch)", key="perceptron_step_epoch", disabled=blocked,
                      on_click=outside_fragment(step_epoch), icon=":material/fast_forward:", width="stretch")
button_cols[3].button("Reset", key="perceptron_reset", on_click=outside_fragment(reset_run),
                      icon=":material/restart_alt:", width="stretch",
                      help="Back to the weights set above, with no update made.")


@st.fragment(run_every=FRAME_SECONDS if playing else None)
def live_view(epochs, speed, model, loss, dataset, active):
    """The part of the page that redraws while training plays: it advances, then draws."""
    page = state.get(PerceptronState)
    with page.live.turn():  # train and draw this session's run in one script thread at a time
        run = page.run
        if run is None:
            st.rerun()  # Reset was pressed: rebuild the run from the settings
        if page.live.playing and play_frame(run, page.pacer, epochs, speed):
            page.live.set_playing(False)
            st.rerun()  # the whole page, so the timer stops and Play becomes available again
        page.live.next_frame()
        draw_run(run, page.live.playing, epochs, model, loss, dataset, active)


def draw_run(run, playing_now, epochs, model, loss, dataset, active):
    """The run as it stands: progress, boundary, accuracy, weights, the last update, the loss."""
    trainer, unit, data = run.trainer, run.unit, run.data
    if playing_now:
        st.markdown(f"**Training…** epoch {trainer.epoch + 1} of {epochs}")
    elif run.remaining(epochs) == 0:
        st.success(f"Training finished: all {epochs} epochs are done ({trainer.updates} updates). "
                   "Press Reset to start again, or raise the epochs to go on.")
    elif trainer.updates == 0:
        st.markdown("**Ready.** Press *Play*, or step through one update at a time.")
    else:
        st.markdown(f"**Paused** after update {trainer.updates}.")
    st.progress(run.fraction_done(epochs))

    X_train, y_train, X_test, y_test = data["X_train"], data["y_train"], data["X_test"], data["y_test"]
    last = run.last
    chart_col, numbers_col = st.columns(2, gap="large")
    with chart_col:
        highlight = None
        if last is not None and last["batch_size"] < len(y_train):
            highlight = last["indices"]
        # a coarser grid while playing keeps each frame light
        st.markdown(f"**Decision boundary after update {trainer.updates}**")
        fig = views.boundary_figure(unit, data, highlight, resolution=50 if playing_now else 80)
        st.plotly_chart(fig, key="perceptron_live_chart", config=CHART)
        caption = views.on_line_caption(unit, X_train) if model == PERCEPTRON else None
        if caption:
            st.caption(caption)
    with numbers_col:
        accuracy_cols = st.columns(2)
        right = correct_count(unit, X_train, y_train)
        accuracy_cols[0].metric("Training accuracy", percent(right, len(y_train)))
        accuracy_cols[0].caption(f"{right} of {len(y_train)} training points right")
        if len(y_test):
            right = correct_count(unit, X_test, y_test)
            accuracy_cols[1].metric("Test accuracy", percent(right, len(y_test)))
            accuracy_cols[1].caption(f"{right} of {len(y_test)} test points right")
        else:
            accuracy_cols[1].metric("Test accuracy", "–")
            accuracy_cols[1].caption("no points are held out")
        if active == "t001":
            views.t001_comparison(run, epochs)
        count_cols = st.columns(2)
        count_cols[0].metric("Updates", trainer.updates)
        count_cols[1].metric("Epochs done", trainer.epoch)
        count_cols[1].caption(f"of {epochs}")
        deltas = run.last_changes() or [None] * 3
        for col, label, value, delta in zip(st.columns(3), ("w₁", "w₂", "b"), (*unit.w, unit.b),
                                            deltas):
            col.metric(label, number(value), None if delta is None else number(delta),
                       delta_color="off")
        if last is not None:
            st.caption("Under each weight: how much the last update changed it.")

    st.markdown("**The last update, with its numbers**")
    if last is None:
        st.caption("No update yet: press Play or Step, and each update's numbers appear here.")
    else:
        text, latex = views.last_update(last, data, model, loss)
        st.markdown(text)
        st.latex(latex)

    loss_col, tutorial_col = st.columns(2, gap="large") if dataset == EIGHT else (st.container(), None)
    with loss_col:
        st.markdown(f"**Loss ({views.loss_label(model, loss)}) after each update**")
        st.plotly_chart(views.loss_figure(run, model, loss), key="perceptron_loss_chart",
                        config=CHART)
    if tutorial_col is not None:
        with tutorial_col:
            st.markdown(views.TUTORIAL_TITLE)
            st.plotly_chart(views.tutorial_figure(run), key="perceptron_tutorial_chart",
                            config=CHART)
            st.caption(views.tutorial_curve_caption(run, active == "t002"))
    neuron_landscape.section(run, epochs, model != PERCEPTRON)  # the map and the paths on it

    if dataset == "XOR" and trainer.updates > 0 and correct_count(unit, X_train, y_train) < 4:
        st.warning(
            "The single neuron keeps moving its line but never gets all four XOR rows right: "
            "at most 3 of 4. XOR is **not linearly separable**: (0, 1) and (1, 0) sit at opposite "
            "corners, with (0, 0) and (1, 1) between them, and one straight line cannot cut the "
            "square that way. Part 4 shows what does work."
        )


live_view(int(epochs), speed, model, loss, dataset, active)


# --- 4. XOR needs a hidden layer -----------------------------------------------
st.header("4. When one line is not enough: XOR")
if dataset != "XOR":
    st.markdown("Choose **XOR** as the data above to see a single neuron fail, and how a "
                "hidden layer fixes it.")
else:
    st.markdown(
        "Give the inputs to **four hidden neurons** first, each drawing its own line (dashed), "
        "and let one output neuron combine their answers. The region for class 1 no longer has "
        "to be one side of one line. This 2-4-1 network, trained by the same engine "
        "(tanh hidden layer, sigmoid output, Adam on binary cross-entropy, 500 epochs), solves XOR:"
    )
    network, xor_losses = xor_network()
    X_xor, y_xor = datasets.logic_gate("xor")
    net_col, table_col = st.columns([3, 2], gap="large")
    with net_col:
        st.plotly_chart(views.xor_figure(network, X_xor, y_xor),
                        key="perceptron_xor_network_chart", config=CHART)
    with table_col:
        table, n_right = views.xor_truth_table(network, X_xor, y_xor)
        st.markdown(f"**Truth table of the network: {n_right} of 4 right**")
        st.table(table, hide_index=True)
        st.caption(f"Final loss after {len(xor_losses)} epochs: {xor_losses[-1]:.4f}. "
                   "The MNIST page builds bigger networks the same way.")
from ui import tutorial_worked
tutorial_worked.section()
