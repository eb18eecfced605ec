"""The app side of the "MNIST from scratch" page (tutorial 000): data, jobs, results, texts.

The numbers all come from engine/tutorials/t000.py; this module only runs them
where a page can use them:

    data = shared_data()                       # the MNIST page's one copy, as t000 reads it
    steps = walkthrough(seed, lr, h_n)         # the notebook's steps (cached, ~0.1 s)
    job = ExperimentJob(name, data)            # one experiment in a background thread
    job.renew_lease(); job.snapshot()          # the page's fragment keeps it going, then draws
    finished(name)                             # its results once any session has run it

An experiment runs in a thread of its own, in turns through ui/jobs.py's GATE
(the trainers that may compute at once on the whole server) and waits in its
LINE (at most RUNS_AT_ONCE jobs at once, MNIST trainings and these together),
between chunks of about 500 images or 20 batches. The results depend only on
the experiment's name and the seeds 0..STARTS-1, so they are the same for
everybody: once one session has computed them, every session shows them at
once (a job waiting in line for the same experiment ends as soon as they come).
A job whose page stopped refreshing waits, and gives up after ABANDON_SECONDS.
"""

import threading
import time
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import streamlit as st

from engine.tutorials import t000
from ui import jobs
from ui import mnist_setup as setup

STARTS = 5  # random starts per experiment: seeds 0, 1, 2, 3, 4
ABANDON_SECONDS = 60.0  # a job nobody watches for this long stops
SEED_MAX = 2**31 - 1
LR_RANGE = (1e-4, 10.0)
HIDDEN_RANGE = (1, 500)

# The experiments, in the tutorial's order: name -> (what the page calls it, how to run it).
FROM_SCRATCH = ("t000-100-images", "t000-100-images-5-epochs", "t000-lr-0.1",
                "t000-150-hidden", "t000-60000-images")
KERAS = {"t000-keras-sgd": "sgd", "t000-keras-rmsprop": "rmsprop"}
EXPERIMENTS = FROM_SCRATCH + tuple(KERAS)
VARIANT_LABELS = {
    "as-printed": "as printed",
    "exact": "exact rule",
    "incoming-links init": "exact rule + text's init",
    "notebook-order": "as printed, in the notebook's order",
    None: "ours",
}
SHORT = {
    "t000-100-images": "100 images, 1 epoch, lr 0.3",
    "t000-100-images-5-epochs": "100 images, 5 epochs, lr 0.3",
    "t000-lr-0.1": "100 images, 5 epochs, lr 0.1",
    "t000-150-hidden": "100 images, 5 epochs, lr 0.1, 150 hidden",
    "t000-60000-images": "60,000 images, 2 epochs, lr 0.1",
    "t000-keras-sgd": "Keras, SGD lr 0.01",
    "t000-keras-rmsprop": "Keras, RMSprop lr 0.001",
}
# About how long each takes alone on one core of the project's machine (bench: `python -m
# engine reproduce NAME`); shown on the buttons so a learner knows what a click costs.
ABOUT_SECONDS = {"t000-100-images": 2, "t000-100-images-5-epochs": 3, "t000-lr-0.1": 3,
                 "t000-150-hidden": 3, "t000-60000-images": 120, "t000-keras-sgd": 10,
                 "t000-keras-rmsprop": 10}


# -- data ------------------------------------------------------------------------

def shared_data():
    """MNIST as t000 reads it, from the MNIST page's one shared copy (no second copy)."""
    data = setup.shared_data()
    return {"pixels_train": data["x_train"], "y_train": data["y_train"],
            "pixels_test": data["x_test"], "y_test": data["y_test"],
            "unit_train": data["X_train"], "unit_test": data["X_test"]}


def check_inputs(seed, lr, h_n):
    """The walk-through's inputs as (seed, lr, h_n), or ValueError with what is wrong."""
    problems = []
    if seed is None or not 0 <= seed <= SEED_MAX or int(seed) != seed:
        problems.append(f"the seed must be a whole number from 0 to {SEED_MAX:,}")
    if lr is None or not LR_RANGE[0] <= lr <= LR_RANGE[1]:
        problems.append(f"the learning rate must be from {LR_RANGE[0]} to {LR_RANGE[1]:g}")
    if h_n is None or not HIDDEN_RANGE[0] <= h_n <= HIDDEN_RANGE[1] or int(h_n) != h_n:
        problems.append(f"the hidden nodes must be a whole number from {HIDDEN_RANGE[0]} "
                        f"to {HIDDEN_RANGE[1]}")
    if problems:
        raise ValueError("; ".join(problems).capitalize() + ".")
    return int(seed), float(lr), int(h_n)


@st.cache_data(max_entries=100, show_spinner=False)  # 30-80 kB each
def walkthrough(seed, lr, h_n):
    """t000.walkthrough for these inputs (the same for everybody: cached)."""
    return t000.walkthrough(shared_data(), seed=seed, lr=lr, h_n=h_n)


# -- results shared by every session --------------------------------------------------

class ResultStore:
    """Finished experiments' results by name (a server-wide, thread-safe dict)."""

    def __init__(self):
        self._results = {}
        self._lock = threading.Lock()

    def get(self, name):
        with self._lock:
            return self._results.get(name)

    def put(self, name, results):
        with self._lock:
            self._results[name] = results


@st.cache_resource
def store():
    return ResultStore()


def finished(name):
    """The results of experiment `name` with STARTS starts, if any session has run it."""
    return store().get(name)


def work(name, data):
    """The function a job runs: progress -> the experiment's list of results."""
    if name in KERAS:
        return lambda progress: t000.run_keras(KERAS[name], STARTS, progress, data=data)
    return lambda progress: t000.run_from_scratch(name, STARTS, progress, data=data)


class Stopped(Exception):
    """Raised inside the job's thread, at a chunk's end, to end the computation early."""


@dataclass(frozen=True)
class Snapshot:
    name: str
    status: str  # waiting, running, finished, stopped, failed
    fraction: float
    seconds: float
    ahead: int
    message: str


class ExperimentJob:
    """Experiments computed one after the other in a background thread, in turns with the
    server's trainers.

    The page renews its lease at each refresh; without it the job waits, and
    after ABANDON_SECONDS it stops. stop() ends it at the next chunk. An
    experiment whose results another session has already stored is skipped.
    `run` (for tests): name -> function(progress) -> results, instead of work().
    """

    def __init__(self, names, data, *, results=None, gate=None, line=None, run=None):
        names = (names,) if isinstance(names, str) else tuple(names)
        unknown = [n for n in names if n not in EXPERIMENTS]
        if not names or unknown:
            raise ValueError(f"unknown experiments {unknown!r}" if unknown else "no experiment")
        self.names = names
        self.name = names[0]  # the one being computed
        self._work = {n: (run or {}).get(n) or work(n, data) for n in names}
        self._results = results or store()
        self._gate = gate or jobs.GATE
        self._line = line or jobs.LINE
        self.status = "waiting"
        self.fraction = 0.0  # of all its experiments
        self.message = ""
        self.cpu_seconds = 0.0
        self._started = time.perf_counter()
        self._seconds = None
        self._lease_until = 0.0
        self._stop = threading.Event()
        self._done = threading.Event()
        self._inside = False
        self._thread = None
        self._lock = threading.Lock()
        self._line.join(self)

    # what ui/jobs.py's Line asks of a job
    @property
    def present(self):
        return not self.done and time.perf_counter() < self._lease_until

    @property
    def done(self):
        return self._done.is_set()

    def ahead(self):
        return self._line.ahead(self)

    def renew_lease(self, seconds=jobs.LEASE_SECONDS):
        with self._lock:
            if self.done:
                return
            self._lease_until = time.perf_counter() + seconds
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, daemon=True,
                                                name=f"t000 {self.name}")
                self._thread.start()

    def stop(self):
        self._stop.set()

    def wait(self, timeout=None):
        """Wait until the job has ended (for tests); False on timeout."""
        return self._done.wait(timeout)

    def snapshot(self):
        seconds = self._seconds if self._seconds is not None else time.perf_counter() \
            - self._started
        return Snapshot(self.name, self.status, self.fraction, seconds,
                        0 if self.done else self.ahead(), self.message)

    # -- the thread ------------------------------------------------------------------
    def _enter(self):
        self._gate.__enter__()
        self._inside = True

    def _leave(self):
        if self._inside:
            self._inside = False
            self._gate.__exit__(None, None, None)

    def _wait_turn(self, cpu_start):
        """Return when the job may compute; raise _Adopt if the results came from elsewhere,
        Stopped when it must end."""
        left_at = None
        while True:
            self.cpu_seconds = time.thread_time() - cpu_start
            if self._stop.is_set():
                raise Stopped("Stopped.")
            if self._results.get(self.name) is not None:
                raise _Adopt()
            if self.cpu_seconds >= setup.CPU_SECONDS_PER_RUN:
                raise Stopped(setup.BUDGET_MESSAGE)
            now = time.perf_counter()
            if now < self._lease_until:
                left_at = None
                if self.ahead() == 0:
                    return
            else:
                left_at = left_at or now
                if now - left_at > ABANDON_SECONDS:
                    raise Stopped("Stopped: the page was left.")
            self.status = "waiting"
            time.sleep(jobs.WAIT_SECONDS)

    def _progress(self, index, fraction, cpu_start):
        self.fraction = (index + float(fraction)) / len(self.names)
        self._leave()  # let the other trainers of the server take their turn
        self._wait_turn(cpu_start)
        self._enter()
        self.status = "running"

    def _run(self):
        cpu_start = time.thread_time()
        try:
            for index, name in enumerate(self.names):
                self.name = name
                try:
                    self._wait_turn(cpu_start)
                    self._enter()
                    self.status = "running"
                    results = self._work[name](
                        lambda f, i=index: self._progress(i, f, cpu_start))
                    self._leave()
                    self._results.put(name, results)
                except _Adopt:
                    self._leave()
                self.fraction = (index + 1) / len(self.names)
            self.status = "finished"
        except Stopped as why:
            self.status, self.message = "stopped", str(why)
        except Exception as err:  # noqa: BLE001 - shown in the page, never a traceback
            self.status = "failed"
            self.message = f"The experiment failed: {type(err).__name__}: {err}."
        finally:
            self._leave()
            self.cpu_seconds = time.thread_time() - cpu_start
            self._seconds = time.perf_counter() - self._started
            self._line.leave(self)
            self._done.set()


class _Adopt(Exception):
    """Another session finished the same experiment: take its results."""


@dataclass
class FromScratchState:
    """What the page remembers for this session: its one experiment job, and the last one."""

    KEY: ClassVar[str] = "from_scratch"
    job: "ExperimentJob | None" = None
    last: "Snapshot | None" = field(default=None)

    def start(self, names, data):
        """Start the experiments `names` (ignored while a job runs: the buttons are disabled)."""
        if self.job is not None and not self.job.done:
            return
        self.job = ExperimentJob(names, data)

    def settle(self):
        """The job still going on, or None (an ended one is kept as `last`)."""
        if self.job is not None and self.job.done:
            self.last, self.job = self.job.snapshot(), None
        return self.job


# -- what the page writes ---------------------------------------------------------------

def spread(values, percent=True):
    """'57.8–61.0 %' (min–max), or one value if there is one."""
    lo, hi = min(values), max(values)
    if percent:
        return f"{lo:.1%}" if lo == hi else f"{lo * 100:.1f}–{hi:.1%}"
    return f"{lo:.2f}" if lo == hi else f"{lo:.2f}–{hi:.2f}"


def printed_text(printed):
    if printed is None:
        return "no figure printed"
    if isinstance(printed, str):
        return "more than 90 %" if printed == ">0.90" else printed
    digits = f"{printed:.4f}".rstrip("0")  # 0.3959, and 0.690 as the tutorial printed it
    return digits + "0" * max(0, 3 - len(digits.partition(".")[2]))


def rows(name, results):
    """One table row per variant: variant, tutorial printed, ours (min–max), each start."""
    return [{"variant": VARIANT_LABELS[r["variant"]],
             "tutorial printed": printed_text(r["tutorial"]),
             f"ours, {STARTS} starts (min–max)": spread(r["ours"]),
             "each start (seeds 0–4)": ", ".join(f"{a:.1%}" for a in r["ours"])}
            for r in results]


def keras_rows(results_by_name):
    """Error rates: printed beside ours (min–max) for each optimizer that has run."""
    table = []
    for name, results in results_by_name.items():
        r = results[0]
        table.append({"optimizer": SHORT[name],
                      "tutorial printed": f"{r['tutorial']['error_rate']:.2f} %",
                      f"ours, {STARTS} starts (min–max)":
                          f"{min(r['ours']['error_rate']):.2f}–"
                          f"{max(r['ours']['error_rate']):.2f} %",
                      "each start": ", ".join(f"{e:.2f}" for e in r["ours"]["error_rate"])})
    return table


def comparison(name, results):
    """One or two sentences on what this run shows about the two rules (from its numbers)."""
    by = {r["variant"]: r["ours"] for r in results}
    printed, exact = by.get("as-printed"), by.get("exact")
    if not printed or not exact:
        return ""
    if min(printed) > max(exact):
        which = "the as-printed rule scored higher than the exact rule on every start"
    elif max(printed) < min(exact):
        which = "the exact rule scored higher than the as-printed rule on every start"
    else:
        which = "the two rules' ranges overlap"
    text = (f"Here {which} (mean {np.mean(printed):.1%} against {np.mean(exact):.1%}). ")
    notebook, printed_figure = by.get("notebook-order"), results[0]["tutorial"]
    if notebook and isinstance(printed_figure, float):
        text += f"Replaying the notebook's cells in their order gives {spread(notebook)}"
        if min(notebook) <= printed_figure <= max(notebook):
            text += f", a range that holds the tutorial's {printed_text(printed_figure)}."
        else:
            gap = min(abs(printed_figure - v) for v in notebook)
            text += (f"; the tutorial's {printed_text(printed_figure)} is {gap * 100:.1f} "
                     "points from the nearest start.")
    return text


def job_text(snapshot):
    """The line above the progress bar."""
    if snapshot.ahead:
        return setup.waiting_text(snapshot.ahead)
    if snapshot.status == "waiting":
        return f"**{SHORT[snapshot.name]}**: waiting for its turn…"
    return (f"**{SHORT[snapshot.name]}**: {snapshot.fraction:.0%} done, "
            f"{snapshot.seconds:.0f} s so far (about {ABOUT_SECONDS[snapshot.name]} s alone "
            f"on this server)")


def end_text(snapshot):
    """What the page says once a job has ended (None when it finished normally)."""
    if snapshot is None or snapshot.status == "finished":
        return None
    return f"{SHORT[snapshot.name]}: {snapshot.message}"
