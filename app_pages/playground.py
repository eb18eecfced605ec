"""Network playground: a multi-layer network learns 2-D data while you watch.

Modelled on the TensorFlow Neural Network Playground (playground.tensorflow.org):
pick the data, the inputs and the network, press Play, and watch the decision
regions, each hidden unit and each weight change as the network learns.

This script only wires the pieces together:
    ui/url_state.py   the settings: one table drives the defaults, reading a link
                      (with a note for each value it could not use), writing the
                      address back, and the presets;
    ui/networks.py    the data and the networks (`Run`: an engine model and its
                      Trainer), rebuilt when an architecture setting changes;
    ui/playground_view.py  the HTML of one network: graph, regions, curves;
    ui/live.py        Play / Pause / Step, and the lock that keeps one script
                      thread of a session at a time on the runs;
    ui/state.py       PlaygroundState, everything the page remembers.

While playing, an `st.fragment` reruns every RUN_SECONDS; each run draws
frames (a few epochs of training, then a redraw into the same placeholders)
for up to LONG_RUN_SECONDS.
"""

import streamlit as st

from ui import catalog, networks, presenter, state
from ui import export_buttons
from ui import playground_inside as inside
from ui import playground_slice as cuts
from ui import playground_view as view
from ui import url_state as us
from ui.live import frames, outside_fragment
from ui.state import PlaygroundState
from ui.url_state import net_key, shared_key

FRAME_SECONDS = 0.066  # while playing, a new frame at most this often (15 per second)
RUN_SECONDS = 0.5  # while playing, the live fragment is rerun this often, and
LONG_RUN_SECONDS = 5.0  # a rerun of the fragment alone draws frames this long
TRAIN_BUDGET_S = 0.04  # training time per screen update (all networks together)
KEY = us.KEY  # the buttons' keys: playground__play, playground__step, ...

LOSS_LABELS = {"ce": "Cross-entropy (log loss)", "mse": "Mean squared error"}
REG_LABELS = {"none": "None", "l1": "L1 (pushes weights to exactly 0)",
              "l2": "L2 (keeps weights small)"}

page = state.get(PlaygroundState)
live = page.live


def dataset_label(name):
    return "Your own CSV file" if name == us.CSV else catalog.label("dataset", name)


# ----------------------------------------------------------------------------
# Buttons (callbacks run before the script, in the thread of the new run)
# ----------------------------------------------------------------------------


def stop_and_reset():
    with live.turn():
        live.reset()
        page.runs.clear()


def request_step():
    live.request_step()


def new_data():
    key = shared_key("seed")
    st.session_state[key] = (st.session_state.get(key, 0) + 1) % (us.MAX_SEED + 1)


def new_weights():
    key = shared_key("wseed")
    st.session_state[key] = (st.session_state.get(key, 0) + 1) % (us.MAX_SEED + 1)
    live.set_playing(False)


def start_comparing():
    """on_change of Compare: network B starts as a copy of A, so you change one thing."""
    if st.session_state.get(shared_key("compare")):
        us.store_net(st.session_state, "b", us.read_net(st.session_state, "a"))


def apply_preset():
    """on_change of the preset box: load its settings into the widgets, then clear the box."""
    name = st.session_state.get(KEY + "preset")
    if name not in us.PRESETS:
        return
    shared, nets = us.preset_settings(name)
    us.store_shared(st.session_state, shared)
    for c in us.NETS:
        us.store_net(st.session_state, c, nets[c])
    st.session_state[KEY + "preset"] = None
    page.message = f"Loaded the preset “{name}”. Press ▶ Play."
    stop_and_reset()


# ----------------------------------------------------------------------------
# Widgets
# ----------------------------------------------------------------------------


def network_settings(c):
    """The widgets of network c (inputs, layers, training); returns its settings."""
    st.pills("Inputs", catalog.feature_names(), selection_mode="multi",
             key=net_key(c, "inputs"), format_func=catalog.labeller("feature"),
             help="What the network is given about each point (x₁, x₂ are its coordinates).")
    state.number_input(st, "Hidden layers", 0, us.MAX_HIDDEN_LAYERS, key=net_key(c, "layers"),
                    help=f"0 to {us.MAX_HIDDEN_LAYERS} layers of 1 to {us.MAX_UNITS} units each.")
    activations = catalog.hidden_activations()
    for i in range(st.session_state[net_key(c, "layers")]):
        # a new layer starts as a copy of the one before it
        st.session_state.setdefault(net_key(c, f"units{i}"),
                                    st.session_state.get(net_key(c, f"units{i - 1}"), 4))
        st.session_state.setdefault(net_key(c, f"act{i}"),
                                    st.session_state.get(net_key(c, f"act{i - 1}"), "tanh"))
        left, right = st.columns([1, 1.3])
        state.number_input(left, f"Layer {i + 1}: units", 1, us.MAX_UNITS, key=net_key(c, f"units{i}"))
        right.selectbox(f"activation {i + 1}", activations,
                        format_func=catalog.labeller("activation"), key=net_key(c, f"act{i}"))
    st.selectbox("Loss", us.LOSSES, format_func=LOSS_LABELS.get, key=net_key(c, "loss"),
                 help="The output is one sigmoid unit for two classes, softmax units for more.")
    st.selectbox("Optimizer", catalog.optimizer_names(), format_func=catalog.labeller("optimizer"),
                 key=net_key(c, "opt"))
    st.select_slider("Learning rate", us.LEARNING_RATES, key=net_key(c, "lr"),
                     format_func=lambda v: f"{v:g}",
                     help="How big a step each update takes. Changes apply at once.")
    st.slider("Batch size", 1, us.MAX_BATCH, key=net_key(c, "batch"),
              help=f"Points per weight update (1 to {us.MAX_BATCH}).")
    st.selectbox("Regularization", us.REGULARIZATIONS, format_func=REG_LABELS.get,
                 key=net_key(c, "reg"),
                 help="L1 adds rate·Σ|w| to the loss, L2 adds rate/2·Σw² (weights only, "
                      "not biases). Changes apply at once.")
    st.select_slider("Regularization rate", us.REG_RATES, key=net_key(c, "rate"),
                     format_func=lambda v: f"{v:g}",
                     disabled=st.session_state[net_key(c, "reg")] == "none")
    return us.read_net(st.session_state, c)


def data_settings():
    """The sidebar's data widgets; returns (points of an uploaded CSV or None, its error)."""
    st.selectbox("Data set", us.dataset_names(), format_func=dataset_label,
                 key=shared_key("data"))
    csv_points, csv_error = None, None
    is_csv = st.session_state[shared_key("data")] == us.CSV
    if is_csv:
        upload = st.file_uploader("CSV file: x1, x2, label on each line", type=["csv", "txt"],
                                  key=KEY + "_csv", help=networks.CSV_HELP,
                                  max_upload_size=networks.CSV_MAX_MB)
        if upload is not None:  # read once per file, a file that cannot be read too
            page.csv_cache = networks.read_upload(upload, page.csv_cache)
            _, csv_points, csv_error = page.csv_cache
            if csv_error:
                st.error(networks.csv_error_markdown(upload.name, csv_error),
                         icon=":material/error:")
        st.caption(networks.CSV_CAPTION)
    st.slider("Noise (%)", 0, 50, key=shared_key("noise"), disabled=is_csv,
              help="How far points stray from the pattern (0 to 50%).")
    st.slider("Number of points", us.MIN_POINTS, us.MAX_POINTS, step=10,
              key=shared_key("points"), disabled=is_csv,
              help=f"{us.MIN_POINTS} to {us.MAX_POINTS:,}.")
    st.slider("Training data (%)", 10, 90, step=10, key=shared_key("train"),
              help="The rest are test points: the network never trains on them.")
    return csv_points, csv_error


def seed_settings():
    left, right = st.columns([1.2, 1], vertical_alignment="bottom")
    state.number_input(left, "Data seed", 0, us.MAX_SEED, key=shared_key("seed"),
                      help="The same seed always gives the same points.")
    right.button("New data", icon=":material/shuffle:", on_click=outside_fragment(new_data),
                 disabled=st.session_state[shared_key("data")] == us.CSV,
                 use_container_width=True, key=KEY + "_new_data")
    left, right = st.columns([1.2, 1], vertical_alignment="bottom")
    state.number_input(left, "Weights seed", 0, us.MAX_SEED, key=shared_key("wseed"),
                      help="Seed of the random starting weights (both networks use it).")
    right.button("New start", icon=":material/casino:", on_click=outside_fragment(new_weights),
                 use_container_width=True, key=KEY + "_new_weights",
                 help="Other random starting weights.")


def explain():
    """What the pictures mean, for students (folded away under the controls)."""
    with st.expander("What am I looking at?"):
        st.markdown(
            "- **The big square** is the input plane. Its colour is the network's answer at "
            "each point: the stronger the colour, the surer the network. The dots are the data: "
            "plain dots are training points, dots with a dark ring are test points, which the "
            "network never learns from.\n"
            "- **Each small square** is one unit, drawn over the same plane: blue where its "
            "output is positive, orange where negative (each scaled to its own largest value). "
            "The first column are the inputs themselves; each later unit combines the ones "
            "before it.\n"
            "- **Each line** is a weight: blue positive, orange negative, thicker means larger. "
            "The small square at a unit's lower left is its bias. Pause, then hover over a "
            "line, a unit or a bias to read its value.\n"
            "- **Loss** measures how wrong the network is (lower is better); **accuracy** is the "
            "share of points put in the right class. When the test loss rises while the training "
            "loss falls, the network is *overfitting*: it memorises the training points.")
        st.latex(r"a^{(l)} = f\left(a^{(l-1)} W^{(l)} + b^{(l)}\right), \qquad "
                 r"W \leftarrow W - \eta\, \frac{\partial L}{\partial W}")
        st.markdown(
            "Every setting is in the page's address: copy it to share this exact set-up "
            "(data, seeds and networks). Training is deterministic, so the same link trains "
            "the same way.")


# ----------------------------------------------------------------------------
# The page
# ----------------------------------------------------------------------------

st.title("Network playground")
st.caption(
    "Press **Play** and watch a small network learn to tell the colours apart: the big square "
    "shows the class it predicts at every point, each small square one unit, each line one "
    "weight. Settings are in the sidebar; the page's address keeps them, so you can share it.")

# 1. Settings: from the URL on first load (then the widgets keep them).
if not page.url_read:
    url_shared, url_nets, page.url_notes = us.settings_from_url(st.query_params.to_dict())
    us.store_shared(st.session_state, url_shared)
    for c in us.NETS:
        us.store_net(st.session_state, c, url_nets[c])
    page.url_read = True
us.fill_missing(st.session_state)

if page.url_notes:
    st.warning("Some settings in this link could not be used, so their defaults are used "
               "instead:\n\n" + "\n".join(f"- {note}" for note in page.url_notes),
               icon=":material/link_off:")
    if st.button("Dismiss", key=KEY + "_dismiss"):
        page.url_notes = []
        st.rerun()

compare = st.session_state[shared_key("compare")]
active = us.NETS if compare else us.NETS[:1]
nets = {}
with st.sidebar:
    st.header("Network")
    st.toggle("Compare two networks", key=shared_key("compare"), on_change=start_comparing,
              help="Train network B next to A on the same data, from the same starting "
                   "seed. B starts as a copy of A: change one thing and compare.")
    if compare:
        for c, tab in zip(active, st.tabs([f"Network {c.upper()}" for c in active])):
            with tab:
                nets[c] = network_settings(c)
    else:
        nets["a"] = network_settings("a")
    st.header("Data")
    csv_points, csv_error = data_settings()
    st.header("View and seeds")
    st.toggle("Show test data", key=shared_key("test"),
              help="Test points have a dark ring; the network never trains on them.")
    st.toggle("Discretize output", key=shared_key("discretize"),
              help="Colour each region by its predicted class only, without the shades "
                   "of confidence.")
    st.select_slider("Epochs per screen update", us.SPEEDS, key=shared_key("speed"),
                     help="An epoch is one pass over all training points.")
    seed_settings()

playing = live.playing
top = st.columns([2.6, 1.2, 1.1, 1.3, 1.3], vertical_alignment="bottom")  # top[4]: Export
top[0].selectbox("Presets", list(us.PRESETS), index=None, key=KEY + "preset",
                 placeholder="Load a preset set-up…", on_change=apply_preset)
top[1].button("Pause" if playing else "Play", type="primary", key=KEY + "_play",
              icon=":material/pause:" if playing else ":material/play_arrow:",
              on_click=outside_fragment(live.set_playing), args=(not playing,),
              use_container_width=True)
top[2].button("Step", icon=":material/skip_next:", on_click=outside_fragment(request_step),
              key=KEY + "_step", use_container_width=True, help="Train one epoch, then stop.")
top[3].button("Reset", icon=":material/replay:", on_click=outside_fragment(stop_and_reset),
              key=KEY + "_reset", use_container_width=True,
              help="Start again from the same starting weights.")
if page.message:
    st.toast(page.message, icon=":material/tune:")
    page.message = ""
explain()

shared = us.read_shared(st.session_state)
for c in active:
    if not nets[c]["inputs"]:
        st.warning(f"Network {c.upper()} has no input selected; using x₁ and x₂.")
        nets[c]["inputs"] = ["x1", "x2"]

# 2. Share: every setting goes into the URL (written only when something changed).
url = {**us.settings_to_url(shared, nets), **presenter.url_params()}  # and ?present=1
if st.query_params.to_dict() != url:
    st.query_params.from_dict(url)

# 3. Data and networks.
data_error = None
try:
    fresh = networks.load_data(shared, csv_points)
    if page.data is None or page.data.signature != fresh.signature:
        page.data = fresh
except ValueError as err:
    page.data, data_error = None, str(err)
if csv_error:
    data_error = "your CSV file could not be read (see the message in the sidebar)"
data = page.data
with live.turn():
    if data is None:
        page.runs.clear()
    else:
        networks.ensure_runs(page.runs, nets, data, shared["wseed"], active)
    if not page.runs:
        live.set_playing(False)
    if live.take_step_request() and page.runs:
        networks.train_together([page.runs[c] for c in active], 1, budget_s=10.0)
export_buttons.playground_download(top[4], page, data, shared, nets, active)  # a .zip


def draw(slots, runs, data, shared, still=True, layer=None, cut=None):
    """Redraw every network into its placeholders: (status, picture) per network, and the
    chosen hidden layer's histogram and the loss slice (ui/playground_inside.py, _slice.py)."""
    frame = live.next_frame()
    inside.draw(layer, runs)
    cuts.draw(cut, runs, still)
    for (c, run), (status, picture) in zip(runs.items(), slots):
        label = f"Network {c.upper()}" if len(runs) > 1 else ""
        if run.error:
            status.error(f"{label + ': ' if label else ''}{run.error}", icon=":material/error:")
        elif run.trainer.done:
            status.info(f"{label + ': ' if label else ''}reached the limit of "
                        f"{networks.MAX_EPOCHS:,} epochs. Press Reset to start again.")
        picture.html(view.run_html(run, run.picture(), data, shared, label, len(runs) == 1,
                                   frame, still))


@st.fragment(run_every=RUN_SECONDS if live.playing else None)
def live_view(data, shared, active, summaries, drawn_playing):
    """Draw every network; while playing, train and redraw, frame after frame, for a while.

    One run of this fragment shows many frames (each a few epochs of training
    and a redraw into the same placeholders), because every script run has a
    fixed cost in Streamlit that a redraw into existing placeholders does not
    pay. As part of the page's run it draws frames for RUN_SECONDS only (the
    page's run must end soon, to clear what it no longer shows); rerun alone,
    for LONG_RUN_SECONDS. A click anywhere stops a run at its next frame; every
    frame trains and draws holding live.turn(), so a script thread started by
    the click never trains or draws the same networks at the same time.
    """
    in_page_run, page.full_run = page.full_run, False
    with live.turn():
        chosen = {c: page.runs[c] for c in active if c in page.runs}
    if len(chosen) != len(active) or live.playing != drawn_playing:
        # Reset was pressed, or a click Streamlit replayed into this fragment's run
        # changed Play / Pause: rerun the whole page, so the runs, the button and the
        # fragment's timer agree again.
        st.rerun()
    st.html(view.page_css(data, shared["test"]))  # once per run; the frames only refer to it
    columns = st.columns(len(chosen), gap="large") if len(chosen) > 1 else [st.container()]
    slots = []
    for c, column in zip(chosen, columns):
        with column:
            if len(chosen) > 1:
                st.caption(f"**Network {c.upper()}**: {summaries[c]}")
            slots.append((st.empty(), st.empty()))
    layer = inside.panel(chosen)  # the histogram of a hidden layer's z
    cut = cuts.panel(chosen)  # the loss over two weights, the others held
    with live.turn():
        draw(slots, chosen, data, shared, not live.playing, layer, cut)
    if not live.playing:
        return
    for _ in frames(RUN_SECONDS if in_page_run else LONG_RUN_SECONDS, FRAME_SECONDS):
        with live.turn():
            if not live.playing:  # paused by a click another thread has handled
                break
            networks.train_together(list(chosen.values()), shared["speed"], TRAIN_BUDGET_S)
            draw(slots, chosen, data, shared, False, layer, cut)  # a click stops us here
            finished = all(run.finished for run in chosen.values())
        if finished:
            live.set_playing(False)
            st.rerun()  # the whole page, so the timer stops and Play comes back


# The live view comes last: while it plays, the page's run goes on inside it.
if data_error:
    st.info(f"Nothing to train yet: {data_error}.", icon=":material/info:")
elif data is not None:
    if data.note:
        st.caption(data.note)
    page.full_run = True
    live_view(data, shared, active, {c: view.net_summary(nets[c], data.classes) for c in active},
              live.playing)
