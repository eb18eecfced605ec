"""Train on MNIST: a network learns to read handwritten digits while you watch.

The tutorial's 784-90-10 sigmoid network trained one image at a time, and beyond:
other activations, softmax + cross-entropy, mini-batches, every registered optimizer.
Tabs: Train (presets, form, live progress), The data, Results, Compare runs, Save & load.
Only UI here: training is in ui/jobs.py (a Job, its Runs, the background thread the
progress fragment keeps leased), presets, checks and texts in ui/mnist_setup.py, the look
inside a layer (weights, net inputs z, dead and saturated units) in ui/mnist_inside.py; the
page's state is one ui.state.MnistState; each kept model is also on ui.state.Shelf.
"""

import numpy as np
import pandas as pd
import streamlit as st

from ui import catalog, charts, export_buttons, jobs, mnist_figures, state, text
from ui import mnist_inside as inside
from ui import mnist_setup as setup
from ui.live import outside_fragment
from ui.mnist_setup import HELP, OUTPUTS, PRESETS

PLOT = {"displayModeBar": False}


def page_state():
    return state.get(state.MnistState)


def settle():
    """Keep the job's ended runs; the job still going on, or None."""
    return page_state().settle(state.get(state.Shelf))


# -- Callbacks (run before the widgets are drawn) --------------------------------
def start_job(config):
    page = page_state()
    configs = setup.job_configs(setup.check_config(config))
    if page.job:  # two clicks Streamlit delivered at once: the first job ends, and is kept
        page.job.stop()
        settle()
    page.job = jobs.Job(configs, setup.shared_data(), numbers=page.next_number)


def on_preset(name):
    """Preset button: fill the form and train."""
    page, config = page_state(), PRESETS[name]["config"]
    page.config, page.config_error, page.preset = dict(config), None, name
    for field in setup.CONFIG_FIELDS:
        st.session_state[f"mnist_w_{field}"] = config[field]
    start_job(config)


def on_train():
    """Train button (form submit): check the configuration, then start training."""
    page = page_state()
    page.config = {name: st.session_state[f"mnist_w_{name}"] for name in setup.CONFIG_FIELDS}
    page.preset = page.config_error = None
    try:
        start_job(page.config)
    except ValueError as err:
        page.config_error = str(err)


def on_pause(paused):
    if page_state().job:
        page_state().job.set_paused(paused)


def on_stop():
    if page_state().job:
        page_state().job.stop()


def on_upload():
    """File uploader: try the new file; a bad one changes nothing but the message."""
    page, upload = page_state(), st.session_state.get("mnist_upload")
    if upload is None:
        page.upload_message = None
        return
    try:
        model = setup.read_upload(upload.getvalue())
    except ValueError as err:
        page.upload_message = ("error", f"Could not use {text.plain(upload.name)}: "
                               f"{text.plain(err, limit=300)}. Nothing was changed.")
        return
    run = jobs.Run.from_upload(page.next_number(), upload.name, model, setup.shared_data())
    page.keep(run, state.get(state.Shelf))
    page.upload_message = ("success", setup.uploaded_text(upload.name, run))


# -- The Train tab -----------------------------------------------------------------
def presets_row(busy):
    st.markdown("**Presets**: one click fills in the settings and starts training.")
    for column, (name, preset) in zip(st.columns(len(PRESETS)), PRESETS.items()):
        column.button(preset["label"], key=f"mnist_preset_{name}",
                      on_click=outside_fragment(on_preset), args=(name,), width="stretch",
                      disabled=busy, help=preset["note"], wrap=True)
    name = page_state().preset
    if name:
        st.info(f"**{PRESETS[name]['label']}.** {PRESETS[name]['note']}",
                icon=":material/lightbulb:")


def config_form(busy):
    optimizers, second = setup.optimizer_choices()
    with st.form("mnist_form", border=True):
        top_left, top_right = st.columns([3, 2], vertical_alignment="center")
        top_left.markdown("**Your own settings**")
        top_right.form_submit_button("Train", type="primary", on_click=outside_fragment(on_train),
                                     disabled=busy, key="mnist_train", icon=":material/play_arrow:",
                                     width="stretch")
        left, right = st.columns(2)
        left.text_input("Hidden layers", key="mnist_w_hidden", help=HELP["hidden"])
        right.selectbox("Hidden activation", catalog.hidden_activations(),
                        key="mnist_w_activation", format_func=catalog.labeller("activation"))
        st.selectbox("Output layer and loss", tuple(OUTPUTS), key="mnist_w_output",
                     format_func=lambda key: OUTPUTS[key][2])
        left, right = st.columns(2)
        left.selectbox("Starting weights", tuple(setup.INITS), key="mnist_w_init",
                       format_func=setup.INITS.get)
        right.selectbox("Input scaling", tuple(setup.SCALING_LABELS), key="mnist_w_scaling",
                        format_func=setup.SCALING_LABELS.get)
        left.selectbox("Optimizer", optimizers, key="mnist_w_optimizer",
                       format_func=catalog.labeller("optimizer"))
        state.number_input(right, "Learning rate", min_value=setup.MIN_LR, max_value=setup.MAX_LR,
                           key="mnist_w_lr", format="%g", step=0.01)
        state.number_input(left, "Batch size", min_value=1, max_value=setup.MAX_BATCH_SIZE, step=1,
                          key="mnist_w_batch_size", help=HELP["batch_size"])
        state.number_input(right, "Epochs", min_value=1, max_value=setup.MAX_EPOCHS, step=1,
                           key="mnist_w_epochs", help=HELP["epochs"])
        left.selectbox("Training images", setup.TRAIN_SIZES, key="mnist_w_train_size",
                       format_func=lambda n: f"{n:,}")
        state.number_input(right, "Seed", min_value=0, max_value=setup.MAX_SEED, step=1,
                           key="mnist_w_seed", help=HELP["seed"])
        left.selectbox("Then compare with", second, key="mnist_w_optimizer2",
                       format_func=lambda key: "no second run" if key == setup.NO_SECOND_RUN
                       else catalog.label("optimizer", key), help=HELP["optimizer2"])
        state.number_input(right, "Its learning rate", min_value=setup.MIN_LR, max_value=setup.MAX_LR,
                           key="mnist_w_lr2", format="%g", step=0.001)
        st.checkbox("Shuffle the images every epoch", key="mnist_w_shuffle", help=HELP["shuffle"])
        st.checkbox("Distort the digits at random", key="mnist_w_augment", help=HELP["augment"])
    if busy:
        st.caption("Training is running: stop it to start another run.")
    if page_state().config_error:
        st.error(page_state().config_error, icon=":material/error:")
    st.caption(setup.LIMITS)


def progress_panel(live):
    """The fragment: keep the training going (a full run trains one chunk here, so progress
    shows at once and AppTest, which never fires run_every, sees it; every run renews the
    background thread's lease), then draw. `live`: this fragment reruns on its own.
    """
    page = page_state()
    if page.job and page.job.training:
        page.job.renew_lease()  # first: a job in the server's line counts only while leased
        if page.in_full_run:
            page.job.step(jobs.CHUNK_SECONDS)
    job = settle()
    if bool(job and not job.paused) != live:
        st.rerun()  # a full run turns the automatic refresh on or off and redraws the tabs
    progress = job.snapshot() if job else None
    if progress:
        draw_progress(progress, job)
    else:
        draw_last_job(page.last_job)


def draw_progress(p, job):
    """Across the page: the run and its buttons, the bar, the two charts, the numbers, then
    the net inputs of a hidden layer."""
    text, left, right = st.columns([4, 1, 1], vertical_alignment="center")
    text.markdown(f"**{p.name}**" + (f" ({p.number} of {p.total})" if p.total > 1 else "")
                  + f": {setup.config_text(p.config)}")
    left.button("Resume" if p.paused else "Pause", on_click=on_pause, args=(not p.paused,),
                key="mnist_pause", width="stretch",
                icon=":material/play_arrow:" if p.paused else ":material/pause:")
    right.button("Stop", on_click=on_stop, key="mnist_stop", width="stretch",
                 icon=":material/stop:", help=HELP["stop"])
    if p.ahead:
        st.info(setup.waiting_text(p.ahead), icon=":material/hourglass_top:")
    st.progress(p.fraction, text=setup.progress_text(p))
    draw_charts(p.figures, p.config, p.loss_x, p.loss_y, p.curves, "live", side_by_side=True)
    draw_numbers(p.loss_y, p.samples_seen, p.seconds, p.test_accuracy,
                 f"after epoch {p.tested_after}" if p.tested_after else "before training")
    inside.live_view(job, p.config, p.figures, setup.shared_data())


def draw_numbers(loss_y, samples_seen, seconds, test_accuracy, when):
    """Loss and test accuracy as large numbers, speed and images seen below them."""
    left, right = st.columns(2)
    left.metric("Training loss", f"{loss_y[-1]:.3f}" if loss_y else "-", help=HELP["loss"])
    right.metric("Test accuracy", f"{test_accuracy:.1%}", help=HELP["test"])
    st.caption(setup.numbers_caption(samples_seen, seconds, when))


def draw_charts(figures, config, loss_x, loss_y, curves, key_suffix, side_by_side=False):
    loss, accuracy = mnist_figures.live_charts(figures, config, loss_x, loss_y, curves)
    left, right = st.columns(2) if side_by_side else (st.container(), st.container())
    left.plotly_chart(loss, key=f"mnist_loss_{key_suffix}", config=PLOT)
    right.plotly_chart(accuracy, key=f"mnist_accuracy_{key_suffix}", config=PLOT)


def draw_last_job(job):
    if job is None:
        st.info(setup.NO_TRAINING_YET, icon=":material/model_training:")
        return
    if job.error:
        st.error(job.error, icon=":material/bug_report:")
    runs = [run for run in job.runs if run.ended_yet]
    for run in runs:
        kind, message, icon, caption = setup.outcome(run)
        getattr(st, kind)(message, icon=icon)
        if caption:
            st.caption(caption)
    if runs:
        run = runs[-1]
        draw_numbers(run.loss_y, run.samples_seen, run.seconds or 0.0,
                     run.results["accuracy"], "final")
        draw_charts(run.figures, run.config, run.loss_x, run.loss_y, run.curves(), "done")


# -- The data tab --------------------------------------------------------------------
def data_tab(data):
    st.markdown(setup.DATA_INTRO)
    start = st.number_input("First image shown", min_value=0, max_value=60_000 - 20, value=0,
                            step=20, key="mnist_data_start")
    st.plotly_chart(mnist_figures.sample_grid(start), key="mnist_sample_grid", config=PLOT)
    st.markdown("##### One digit, as the network gets it")
    index = st.number_input("Training image number", min_value=0, max_value=59_999, value=0,
                            key="mnist_data_index")
    image, label = data["x_train"][index], int(data["y_train"][index])
    black = int(np.count_nonzero(image == 0))
    st.plotly_chart(mnist_figures.training_digit(index), key="mnist_one_digit", config=PLOT)
    left, right = st.columns(2, gap="large")  # the grid above takes the page's width
    left.markdown(setup.digit_text(black, label))
    right.markdown(setup.CSV_TEXT)
    with right.expander("Show the line"):
        st.code(",".join(map(str, [label, *image.ravel()])), language=None, wrap_lines=True)
    st.markdown("##### Input scaling")
    st.markdown(setup.scaling_text(black))
    st.latex(setup.SCALING_LATEX)
    st.dataframe(pd.DataFrame(setup.scaling_table()), hide_index=True, width=520)


# -- The results, compare and save tabs ----------------------------------------------
def choose_run(label, key, pending):
    """A selectbox of the kept runs, newest first, showing `pending` if it is one of them."""
    labels = page_state().book.labels()[::-1]
    if pending in labels or st.session_state.get(key) not in labels:
        st.session_state[key] = pending if pending in labels else labels[0]
    return page_state().book.find(st.selectbox(label, labels, key=key))


def results_tab(data):
    page = page_state()
    if not page.book.runs:
        st.info("Train a network (or upload one in Save & load) to see its results here.")
        return
    run = choose_run("Run", "mnist_results_run", page.results_pending)
    page.results_pending = None
    results = run.results
    st.caption(setup.run_caption(run))
    columns = st.columns(4)
    columns[0].metric("Test accuracy", f"{results['accuracy']:.2%}")
    columns[1].metric("Test digits misread", f"{results['misread']:,}")
    if run.history:
        columns[2].metric("Train accuracy", help=HELP["train"],
                          value=f"{run.history[-1].get('accuracy', float('nan')):.2%}")
    columns[3].metric("Status", run.status)
    left, right = st.columns(2)
    left.plotly_chart(run.figure("confusion", lambda: charts.confusion_heatmap(
        results["confusion"], title="Confusion matrix (10,000 test digits)")),
        key="mnist_confusion", config=PLOT)
    left.caption(setup.CONFUSION_CAPTION)
    right.plotly_chart(run.figure("per_digit", lambda: mnist_figures.per_digit(
        results["per_digit"])), key="mnist_per_digit", config=PLOT)
    right.caption(setup.hardest_caption(results))
    misread_gallery(run, data)
    inside.results_view(run, data)  # the first layer's weights, a hidden layer's net inputs


def misread_gallery(run, data):
    st.markdown("##### Misread test digits")
    y_test = data["y_test"]
    left, right = st.columns(2)
    digit = left.selectbox("True digit", ("any", *range(10)), key="mnist_gallery_digit")
    order = right.selectbox("Order", ("most confident mistakes first", "as in the test set"),
                            key="mnist_gallery_order")
    wrong = setup.misread(run.results, y_test, digit, order.startswith("most"))
    if len(wrong) == 0:
        st.success("No test digit of this kind is misread.")
        return
    shown = wrong[:20]
    st.plotly_chart(run.figure(("gallery", digit, order), lambda: charts.image_grid(
        data["x_test"][shown], setup.gallery_titles(run.results, y_test, shown), n_cols=10,
        tile_px=90, title_lines=2)), key="mnist_gallery", config=PLOT)
    softmax = run.model.layers[-1].activation.name == "softmax"
    st.caption(setup.gallery_caption(len(wrong), softmax))


def compare_tab():
    page = page_state()
    if not page.book.runs:
        st.info(f"Every run of this session is kept here (the last {setup.MAX_RUNS}), so you "
                "can compare them.")
        return
    labels = page.book.labels()
    if page.compare_pending is not None:
        st.session_state["mnist_compare"], page.compare_pending = page.compare_pending, None
    st.session_state["mnist_compare"] = [  # the last two at first; forget dropped runs
        label for label in st.session_state.get("mnist_compare", labels[-2:]) if label in labels]
    chosen = [page.book.find(label) for label in
              st.multiselect("Runs to compare", labels, key="mnist_compare")]
    if chosen:
        left, right = st.columns(2)
        loss, accuracy = mnist_figures.compared(chosen)
        left.plotly_chart(loss, key="mnist_compare_loss", config=PLOT)
        right.plotly_chart(accuracy, key="mnist_compare_accuracy", config=PLOT)
        left.caption("Losses are only comparable between runs with the same loss function.")
    st.dataframe(pd.DataFrame([setup.run_row(run) for run in page.book.runs[::-1]]),
                 hide_index=True, width="stretch")
    if page.book.dropped:
        st.caption(f"Only the last {setup.MAX_RUNS} runs are kept; removed: "
                   f"{', '.join(page.book.dropped)}.")


def save_tab():
    page = page_state()
    left, right = st.columns(2)
    with left:
        st.markdown("##### Download a trained model")
        if page.book.runs:
            run = choose_run("Model", "mnist_save_run", page.save_pending)
            page.save_pending = None
            export_buttons.mnist_downloads(run)  # the model (.npz), the whole run (.zip)
        else:
            st.info("Train a network first.")
        st.markdown("##### Use a model on the *Draw a digit* page")
        st.caption(setup.DRAW_CAPTION)
    with right:
        st.markdown("##### Upload a model")
        st.file_uploader("A model file saved by this app (.npz)", type=["npz"],
                         key="mnist_upload", on_change=on_upload,
                         max_upload_size=setup.MAX_UPLOAD_MB)
        if page.upload_message:
            kind, message = page.upload_message
            icon = ":material/error:" if kind == "error" else ":material/check_circle:"
            getattr(st, kind)(message, icon=icon)


def main():
    st.title("Train a network on MNIST")
    st.markdown(setup.INTRO)
    try:
        data = setup.shared_data()
    except (OSError, ValueError) as err:
        st.error(setup.data_problem(err), icon=":material/error:")
        st.stop()
    page = page_state()
    page.config = page.config or dict(setup.DEFAULT_CONFIG)
    for name in setup.CONFIG_FIELDS:  # the form's values survive page changes
        if f"mnist_w_{name}" not in st.session_state:
            st.session_state[f"mnist_w_{name}"] = page.config[name]
    job = settle()
    train, data_view, results, compare, save = st.tabs(
        ["Train", "The data", "Results", "Compare runs", "Save & load"])
    with train:
        presets_row(busy=job is not None)
        live = bool(job and not job.paused)
        if job is None:  # the form beside the last results
            form_box, progress_box = st.columns(2, gap="large")
        else:  # the progress across the page (its charts side by side, in view), the form below
            progress_box, form_box = st.container(), st.container()
        with progress_box:
            page.in_full_run = True  # the fragment trains a chunk itself in a full run only
            try:
                st.fragment(progress_panel, run_every=jobs.REFRESH_SECONDS if live else None)(live)
            finally:
                page.in_full_run = False
        with form_box:
            config_form(busy=job is not None)
    with data_view:
        data_tab(data)
    with results:
        results_tab(data)
    with compare:
        compare_tab()
    with save:
        save_tab()


main()
