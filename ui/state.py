"""Per-user state: each page's state as one typed object under one session key.

A page asks for its state object and reads or changes its fields; Streamlit
keeps it in `st.session_state` for that browser tab only, so one learner's
runs never touch another's.

    from ui import state
    page = state.get(state.PerceptronState)   # created on first use
    page.playing = True

Widgets still keep their values under their own keys (Streamlit needs a
key per widget); the objects here hold everything else a page remembers.
`Shelf` is the one cross-page contract: the models this session trained or
uploaded on the MNIST page, offered on the draw page.
"""

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import ClassVar

import streamlit as st

from ui.live import Live, Pacer


def get(cls):
    """The session's one instance of the state class `cls` (stored under cls.KEY)."""
    value = st.session_state.get(cls.KEY)
    if not isinstance(value, cls):
        value = st.session_state[cls.KEY] = cls()
    return value


def reset(cls):
    """Forget the session's `cls` state: the next get(cls) starts afresh."""
    st.session_state.pop(cls.KEY, None)


def number_input(container, label, *args, key, **kwargs):
    """container.number_input for a box whose value the page keeps in st.session_state[key].

    The value is passed as `value` too. Without it, Streamlit's browser side first
    draws the box at its min_value and, for a moment after the page is drawn, holds
    that number: a click in that moment sent it back as if typed (a weight of 0.3
    became -5, the slider's minimum). Passing the same value the session holds
    changes nothing else (a keyed widget's identity is its key); the server's warning
    about a value given twice is off in .streamlit/config.toml.
    """
    if key in st.session_state:
        kwargs["value"] = st.session_state[key]
    return container.number_input(label, *args, key=key, **kwargs)


@dataclass
class Shelf:
    """The models of this session, by label, oldest first (the MNIST page fills it)."""

    KEY: ClassVar[str] = "shelf"
    models: "OrderedDict[str, object]" = field(default_factory=OrderedDict)

    def put(self, label, model):
        self.models[label] = model

    def keep_only(self, labels):
        """Drop every model whose label is not in `labels` (runs the page no longer keeps)."""
        for name in [name for name in self.models if name not in labels]:
            del self.models[name]

    def newest(self):
        """The label of the model put last, or None."""
        return next(reversed(self.models), None)


# Each page's own state class follows, one section per page (its KEY names the
# page). Keep the fields plain data or engine objects of this session.

# --- MNIST page ---------------------------------------------------------------

from itertools import count  # noqa: E402

from ui.jobs import RunBook  # noqa: E402


@dataclass
class MnistState:
    """What the MNIST page remembers between runs (the form's widgets keep mnist_w_<field>).

    job is the training going on (a ui.jobs.Job), last_job the one that ended
    last; book holds the session's ended runs (each run's model is also on the
    Shelf, for the draw page). The *_pending fields choose what the Results,
    Save & load and Compare runs tabs show next, before their widgets are drawn.
    """

    KEY: ClassVar[str] = "mnist"
    config: "dict | None" = None  # the last configuration used (fills the form)
    preset: "str | None" = None  # the preset whose note is shown
    config_error: "str | None" = None
    job: object = None
    last_job: object = None
    book: RunBook = field(default_factory=RunBook)
    upload_message: "tuple | None" = None  # ("error" or "success", text)
    results_pending: "str | None" = None
    save_pending: "str | None" = None
    compare_pending: "list | None" = None
    in_full_run: bool = False  # the progress fragment trains a chunk itself in a full run
    numbers: count = field(default_factory=lambda: count(1), repr=False)

    def next_number(self):
        """The next run's number: Run 1, Run 2 ... in the order runs start."""
        return next(self.numbers)

    def keep(self, run, shelf):
        """Keep an ended run (the oldest beyond the limit goes) and put its model on the shelf."""
        self.book.add(run)
        shelf.keep_only(self.book.labels())
        shelf.put(run.label, run.model)
        self.results_pending = self.save_pending = run.label  # shown next in those tabs

    def settle(self, shelf):
        """Keep the job's ended runs; once it is over, it becomes last_job. The job going on."""
        job = self.job
        if job is None:
            return None
        for run in job.take_finished():
            self.keep(run, shelf)
        if not job.done:
            return job
        self.last_job, self.job = job, None
        # Compare the job's runs (with the run before, if the job had only one).
        labels = self.book.labels()
        chosen = [run.label for run in job.runs if run.label in labels]
        self.compare_pending = labels[-2:] if len(chosen) == 1 and len(labels) > 1 else chosen
        return None


# --- Draw page ----------------------------------------------------------------

@dataclass
class TaughtCopy:
    """The session's own copy of a model, taught on the draw page."""

    model: object  # an engine Sequential of this session only
    base: str  # the label of the model it was copied from, e.g. "Bundled model"
    lessons: int = 0
    accuracy: float = float("nan")  # on the MNIST test digits after the last lesson


@dataclass
class DrawState:
    """What the draw page remembers between runs (its widgets keep their own keys)."""

    KEY: ClassVar[str] = "draw"
    canvas_round: int = 0  # Clear moves the canvas to a fresh key: draw_canvas_<round>
    image: object = None  # the last drawing as the network sees it (28x28), or None
    taught: "TaughtCopy | None" = None
    lesson_seed: int = 0  # each lesson distorts the drawing with the next seed
    lesson: object = None  # ui.teaching.Lesson: what the last lesson did, or None
    error: "str | None" = None  # why the last lesson could not be given
    newest_seen: object = None  # the shelf's newest model when the page last looked


# --- Perceptron page ----------------------------------------------------------

@dataclass
class PerceptronState:
    """What the one-neuron page remembers between runs (its widgets keep their own keys).

    Touch `run` only inside `live.turn()`: two script threads of one session must
    never step it at once.
    """

    KEY: ClassVar[str] = "perceptron"
    run: object = None  # a ui.neuron_runs.NeuronRun; None before the first run and after Reset
    live: Live = field(default_factory=Live)  # playing, and the session's lock
    pacer: Pacer = field(default_factory=lambda: Pacer(rate=0.0))  # Play's updates per second


# --- Playground -----------------------------------------------------------------

from .live import Live  # noqa: E402  (the playground's and the perceptron page's driver)


@dataclass
class PlaygroundState:
    """The Network playground's session state (its widgets keep their own playground_* keys).

    live: Play / Pause / Step flags, the frame counter and the lock every chunk of
    training and every redraw of `runs` takes; runs: network letter ("a", "b") ->
    ui.networks.Run; data: the ui.networks.Data they train on.
    """

    KEY: ClassVar[str] = "playground__state"
    live: Live = field(default_factory=Live)
    runs: dict = field(default_factory=dict)
    data: object = None
    url_read: bool = False  # the settings were read from the link (on the first run only)
    url_notes: list = field(default_factory=list)  # what the link had that could not be used
    message: str = ""  # a toast to show once (e.g. "Loaded the preset ...")
    csv_cache: tuple = None  # (upload's file id, its points or None, its error or None)
    full_run: bool = False  # set by the page's run, so the live view knows it is part of one


# --- Activations page -----------------------------------------------------------

@dataclass
class ActivationsState:
    """What the activations page remembers besides its widgets."""

    KEY: ClassVar[str] = "activations"
    collapse_seed: int = 0  # "Draw new random weights and inputs" moves to the next seed
