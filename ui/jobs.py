"""MNIST training in the background: a Job (one click on Train), its Runs, and a fair gate.

    job = Job(job_configs(config), data, numbers=itertools.count(1).__next__)
    job.step(0.3)            # train about 0.3 s here, in this thread (tests do only this)
    job.renew_lease()        # or let a background thread go on for LEASE_SECONDS more
    job.snapshot()           # plain copies of what the progress panel draws
    job.net_inputs(X)        # each layer's z on X, from a copy of the weights at one moment
    job.set_paused(True); job.stop()
    job.take_finished()      # the runs that ended since the last call, to keep in the session

A job's runs train one after the other (two when a second optimizer is
compared). Everything that trains goes through `step()`; the background
thread only calls it too.

Caps of the shared server: a session trains one job at a time (the page's
Train is disabled while one runs); the server trains setup.RUNS_AT_ONCE jobs at
once and the others wait in LINE, first come first served, seeing their place;
each run stops after setup.CPU_SECONDS_PER_RUN seconds of training on one core.

Three locks, always taken in this order:

    _stepping  one stepper per job: a full script run, a newer script run that
               Streamlit started while the old one is still in its chunk, and the
               background thread take turns, so one Trainer is never stepped twice
               at once (each waits for the other's Trainer.step, ~STEP_SECONDS)
    GATE       server-wide: at most TRAINERS_AT_ONCE trainers step at once, the
               others wait first come, first served (one Trainer.step per turn)
    _lock      the job's state: the stepper holds it during one Trainer.step;
               pause, stop, snapshot and the lease take it briefly, so each
               answers within one step

A finished run (status finished, stopped, diverged, failed or uploaded) is
never changed again: the page may read it directly (its model, results,
history). A run still training is only seen through snapshot().
"""

import collections
import threading
import time
import weakref
from dataclasses import dataclass, field

import numpy as np

from engine import LambdaCallback, Trainer, TrainingDiverged
from engine.augment import augment_batch
from ui import mnist_setup as setup

# How training keeps pace with the page. The progress panel is a fragment that
# reruns every REFRESH_SECONDS while a run is going; each of its reruns renews a
# lease of LEASE_SECONDS on the background thread, which steps the Trainer
# STEP_SECONDS of batches at a time, so training does not wait while the page
# draws; when the refreshes stop (the learner left the page or closed it) the
# lease runs out and training pauses. A full script run trains one chunk of
# CHUNK_SECONDS itself: progress shows at once, and AppTest, which never fires
# run_every, sees it.
REFRESH_SECONDS = 1.0  # Stop and Pause do not wait for it: a click reruns the panel at once
LEASE_SECONDS = 3.0
STEP_SECONDS = 0.05
CHUNK_SECONDS = 0.3
LOSS_POINTS = 300  # points per loss curve (batches are averaged in buckets)
PROBE_IMAGES = 500  # test images the page's activation histograms look at, the same each frame

# Trainers that may step at once on the whole server (None: no limit). The
# machine has 2 cores; bench/concurrent_learners.py measures the choice.
TRAINERS_AT_ONCE = 2

# The server's caps (setup.RUNS_AT_ONCE jobs at once, the others in LINE; at most
# setup.CPU_SECONDS_PER_RUN of training per run) are stated on the page, so they live
# with the page's other limits in ui/mnist_setup.py.
WAIT_SECONDS = 0.1  # how often a job waiting in line looks again

ENDED = ("finished", "stopped", "diverged", "failed", "uploaded")


class Gate:
    """At most `limit` threads inside at once; the others enter in the order they came.

        with gate:          # waits its turn
            trainer.step(k)

    threading.Semaphore does not promise an order; a queue of waiters does.
    limit=None lets everybody in at once.
    """

    def __init__(self, limit):
        self.limit = limit
        self.inside = 0
        self._queue = collections.deque()  # the waiting threads' tokens, first come first
        self._changed = threading.Condition()

    def __enter__(self):
        if self.limit is None:
            return self
        token = object()
        with self._changed:
            self._queue.append(token)
            self._changed.notify_all()
            try:
                self._changed.wait_for(lambda: self._queue[0] is token
                                       and self.inside < self.limit)
            except BaseException:
                self._queue.remove(token)
                self._changed.notify_all()
                raise
            self._queue.popleft()
            self.inside += 1
            self._changed.notify_all()  # the next in line may fit too
        return self

    def __exit__(self, *exc):
        if self.limit is not None:
            with self._changed:
                self.inside -= 1
                self._changed.notify_all()

    @property
    def waiting(self):
        return len(self._queue)

    def wait_until(self, predicate, timeout=None):
        """Block until predicate(gate) holds (for tests and monitoring); False on timeout."""
        with self._changed:
            return self._changed.wait_for(lambda: predicate(self), timeout)


GATE = Gate(TRAINERS_AT_ONCE)


class Line:
    """The server's queue of jobs: the first `limit` present jobs train, the others wait.

        LINE.join(job)      # when it starts or resumes: at the end of the line
        LINE.ahead(job)     # 0: it may train now; n: n more must leave before it can
        LINE.leave(job)     # when it is paused or done

    A job is present while its page keeps renewing its lease (Job.present): a job
    whose tab was closed keeps its place but does not count, so it never blocks the
    others. Jobs are held by weak reference: a session that ends takes its job along.
    limit=None: no line, every job trains at once.
    """

    def __init__(self, limit):
        self.limit = limit
        self._refs = []  # weak references to the jobs, in the order they joined
        self._lock = threading.Lock()

    def join(self, job):
        with self._lock:
            if job not in self._jobs():
                self._refs.append(weakref.ref(job))

    def leave(self, job):
        with self._lock:
            self._refs = [weakref.ref(j) for j in self._jobs() if j is not job]

    def ahead(self, job):
        if self.limit is None:
            return 0
        with self._lock:
            present = [j for j in self._jobs() if j is job or j.present]
        place = present.index(job) if job in present else len(present)
        return max(0, place - self.limit + 1)

    def _jobs(self):
        return [job for job in (ref() for ref in self._refs) if job is not None]


LINE = Line(setup.RUNS_AT_ONCE)


class Run:
    """One training of one configuration: its model, Trainer, loss curve, outcome and times.

    Build one with Run.new (to train) or Run.from_upload (a loaded model).
    """

    def __init__(self, number, config, model, *, status="training", history=None, start=None,
                 uploaded=None):
        self.number = number
        self.name = f"Run {number}"
        self.config = config
        self.model = model
        self.status = status
        self.message = ""
        self.history = history if history is not None else []  # one dict per epoch
        self.start = start  # test loss and accuracy of the starting weights (epoch 0)
        self.uploaded = uploaded  # the file's name, for an uploaded model
        self.trainer = None
        self.results = None  # setup.test_results once the run has ended
        self.label = None  # how lists show the run, once it has ended
        self.loss_x, self.loss_y = [], []  # batches' losses averaged over buckets
        self._bucket, self._bucket_sum, self._bucket_n = 1, 0.0, 0
        self.k = 1  # batches per Trainer.step, tuned so that one step takes STEP_SECONDS
        self.started = self.ended = None  # perf_counter at the start and the last batch
        self.paused_seconds = 0.0
        self.seconds = self.wall_seconds = None  # training time; from start to end, drawing in
        self.samples_seen = 0
        self.cpu_seconds = 0.0  # the training thread's CPU time in Trainer.step
        self.batches_done = self.batches_total = 0
        self.epochs_done = 0.0
        self.figures = {}  # the page's drawings of this run, kept with it (never read here)

    @classmethod
    def new(cls, number, config, data):
        """A run with a fresh model and its Trainer on the shared data, ready to step."""
        model = setup.build_model(config)
        y_train, y_test = setup.targets(config, data)
        loss = setup.loss_name(config)
        loss0, accuracy0 = model.evaluate(data["X_test"], y_test, loss=loss)
        run = cls(number, config, model,
                  start={"epoch": 0, "val_loss": loss0, "val_accuracy": accuracy0})
        augment = None
        if config["augment"]:
            rng = np.random.default_rng(config["seed"])
            augment = lambda xb: augment_batch(xb, rng)  # noqa: E731
        n = config["train_size"]
        run.trainer = Trainer(
            model, data["X_train"][:n], y_train,  # a slice of the shared array: a view
            epochs=config["epochs"], batch_size=config["batch_size"],
            optimizer=setup.make_optimizer(config), loss=loss,
            validation_data=(data["X_test"], y_test), seed=config["seed"], augment=augment,
            shuffle=config["shuffle"], callbacks=[LambdaCallback(on_batch_end=run._record_loss)])
        run.history = run.trainer.history
        run.batches_total = run.trainer.epochs * run.trainer.batches_per_epoch
        run._bucket = max(1, -(-run.batches_total // LOSS_POINTS))
        run.started = time.perf_counter()
        return run

    @classmethod
    def from_upload(cls, number, name, model, data):
        """An uploaded model kept as an ended run, with its test results."""
        run = cls(number, setup.uploaded_config(model), model, status="uploaded",
                  history=setup.uploaded_history(model), uploaded=name)
        run._end("uploaded", data)
        return run

    def figure(self, key, build):
        """The page's figure `key` of this run: build() once, then the same figure."""
        if key not in self.figures:
            self.figures[key] = build()
        return self.figures[key]

    @property
    def ended_yet(self):
        return self.status in ENDED

    def _record_loss(self, trainer, logs):
        """Batch callback: average the loss over buckets of self._bucket batches."""
        self._bucket_sum += logs["loss"]
        self._bucket_n += 1
        if self._bucket_n == self._bucket or logs["batch"] == logs["batches"]:
            self.loss_x.append(logs["epoch"] - 1 + logs["batch"] / logs["batches"])
            self.loss_y.append(self._bucket_sum / self._bucket_n)
            self._bucket_sum, self._bucket_n = 0.0, 0

    def _step(self):
        """One Trainer.step of self.k batches; then k is tuned towards STEP_SECONDS.

        k grows at most fourfold per step, so a step never overshoots by much.
        """
        began, cpu = time.perf_counter(), time.thread_time()
        try:
            self.trainer.step(self.k)
        finally:
            self.cpu_seconds += time.thread_time() - cpu
            took = time.perf_counter() - began
            self.k = int(np.clip(self.k * STEP_SECONDS / max(took, 1e-6), 1, 4 * self.k))
            if self.trainer.done:  # the last batch (or a diverging one): the clock stops here
                self.ended = time.perf_counter()

    def _end(self, status, data, message=""):
        """Record the end: test results, times, the label; free the Trainer."""
        trainer, self.trainer = self.trainer, None
        self.status, self.message = status, message
        if self.started is not None:
            ended = self.ended if self.ended is not None else time.perf_counter()
            self.wall_seconds = ended - self.started - self.paused_seconds
        if trainer is not None:
            self.seconds = trainer.seconds
            self.samples_seen = trainer.samples_seen
            self.batches_done = trainer.batches_done
            self.epochs_done = self.batches_done / trainer.batches_per_epoch
        self.results = setup.test_results(self.model, data)
        self.label = setup.run_label(self.name, self.config, self.results["accuracy"],
                                     self.uploaded)

    def curves(self):
        """Train and test accuracy per epoch, as name -> (x, y) lists for charts.line_chart."""
        history = list(self.history)
        curves = {}
        if history:
            curves["train"] = ([h["epoch"] for h in history],
                               [h.get("accuracy", np.nan) for h in history])
        test = [h for h in ([self.start] if self.start else []) + history
                if "val_accuracy" in h]
        if test:
            curves["test"] = ([h["epoch"] for h in test], [h["val_accuracy"] for h in test])
        return curves


@dataclass(frozen=True)
class Progress:
    """What the progress panel draws of a job's current run, copied at one moment."""

    name: str
    config: dict
    number: int  # which run of the job, from 1
    total: int  # runs in the job
    paused: bool
    epoch: int  # the epoch under way, 1 to epochs
    epochs: int
    fraction: float  # of all batches, 0 to 1
    batches_done: int
    batches_total: int
    samples_seen: int
    seconds: float  # training time so far
    seconds_left: "float | None"  # None until there is a speed to go by
    loss_x: list
    loss_y: list
    curves: dict  # "train" / "test" -> (epochs, accuracies)
    test_accuracy: float  # the latest test accuracy
    tested_after: int  # the epoch it was measured after (0: the starting weights)
    ahead: int  # 0: training; n: waiting in the server's line, n more jobs must leave first
    figures: dict = field(compare=False, repr=False)  # the page's drawings of this run


class Job:
    """The runs of one click on Train, trained one after the other.

    `numbers()` gives each new run its number (the session's counter), so
    runs are numbered in the order they start.
    """

    def __init__(self, configs, data, numbers, gate=None, line=None):
        for config in configs:
            setup.make_optimizer(config)  # an unknown optimizer fails now, not in the thread
        self._data = data
        self._numbers = numbers
        self._gate = gate  # None: the module's GATE, looked up at each step
        self._line = line  # None: the module's LINE
        self._queue = list(configs[1:])
        self.total = len(configs)
        self.runs = [Run.new(numbers(), configs[0], data)]
        self.paused = False
        self.done = False
        self.error = None  # why the job ended early, if not in a run
        self._paused_at = None
        self._lease_until = 0.0
        self._worker = None
        self._unclaimed = []  # ended runs take_finished() has not handed out yet
        self._lock = threading.RLock()
        self._stepping = threading.Lock()
        self.line.join(self)

    @property
    def current(self):
        return self.runs[-1]

    @property
    def training(self):
        return not (self.paused or self.done)

    @property
    def line(self):
        return self._line or LINE

    @property
    def present(self):
        """Training, and its page still refreshing (the lease runs), or being stepped now."""
        return self.training and (time.perf_counter() < self._lease_until
                                  or self._stepping.locked())

    def ahead(self):
        """0 if the job may train now; else how many jobs must leave the line before it can."""
        return self.line.ahead(self)

    # -- training ------------------------------------------------------------------
    def step(self, seconds):
        """Train here for about `seconds` (whole Trainer steps); the batches trained."""
        deadline = time.perf_counter() + seconds
        batches = 0
        while True:
            trained = self._step_once()
            if trained is None:
                return batches
            batches += trained
            if time.perf_counter() >= deadline:
                return batches

    def _step_once(self):
        """One Trainer.step of the current run, in turn; None if the job cannot go on now."""
        if self.ahead():  # waiting in the server's line
            return None
        with self._stepping, (self._gate or GATE), self._lock:
            if not self.training:
                return None
            run, trainer = self.current, self.current.trainer
            before = trainer.batches_done
            try:
                run._step()
            except TrainingDiverged as err:  # the learner's to fix: a smaller learning rate
                self._end_run("diverged", str(err))
            except Exception as err:  # noqa: BLE001 - a bug, said as such, never a traceback
                self._end_run("failed", f"Training failed: {type(err).__name__}: {err}.")
            else:
                if run.trainer.done:
                    self._end_run("finished")
                elif run.cpu_seconds >= setup.CPU_SECONDS_PER_RUN:
                    trainer.stop()
                    self._end_run("stopped", setup.BUDGET_MESSAGE)
            return trainer.batches_done - before

    def _end_run(self, status, message=""):
        """End the current run; start the job's next one, or end the job."""
        run = self.current
        if run.started is not None and self._paused_at is not None:  # stopped while paused
            run.paused_seconds += time.perf_counter() - self._paused_at
            self._paused_at = None
        run._end(status, self._data, message)
        self._unclaimed.append(run)
        if not self._queue:
            self.done = True
            self.line.leave(self)
            return
        try:
            self.runs.append(Run.new(self._numbers(), self._queue.pop(0), self._data))
        except Exception as err:  # noqa: BLE001 - shown in the page
            self._queue = []
            self.done = True
            self.line.leave(self)
            self.error = f"The next run could not start: {type(err).__name__}: {err}."

    def set_paused(self, paused):
        """Pause / Resume: a paused run is simply not stepped (it answers within one step).

        It sets the state the button showed rather than flipping it, so that a click
        Streamlit delivers twice changes nothing more.
        """
        with self._lock:
            if self.done or self.paused == bool(paused):
                return
            self.paused = bool(paused)
            if self.paused:  # a paused job gives its place in the line to the next
                self.line.leave(self)
                self._lease_until = 0.0
                self._paused_at = time.perf_counter()
            else:
                self.line.join(self)
                self.current.paused_seconds += time.perf_counter() - self._paused_at
                self._paused_at = None

    def stop(self):
        """Stop: end training now; the model keeps what it has learnt. No next run."""
        with self._lock:
            if self.done:
                return
            self._queue = []
            trainer = self.current.trainer
            finished = trainer.epoch >= trainer.epochs
            trainer.stop()
            self._end_run("finished" if finished else "stopped")

    # -- the background thread -------------------------------------------------------
    def renew_lease(self, seconds=LEASE_SECONDS):
        """Let the background thread train `seconds` more (starting it if it is not running)."""
        with self._lock:
            if not self.training:
                return
            self._lease_until = time.perf_counter() + seconds
            if self._worker is None:
                self._worker = threading.Thread(target=self._work, daemon=True,
                                                name=f"mnist {self.current.name}")
                self._worker.start()

    def _work(self):
        """The thread: step while leased, not paused and not done. It only steps."""
        me = threading.current_thread()
        try:
            while True:
                with self._lock:  # decided under the lock, so renew_lease never misses the end
                    if not (self.training and time.perf_counter() < self._lease_until):
                        self._worker = None
                        return
                if self._step_once() is None:  # waiting in line (or just paused, stopped)
                    time.sleep(WAIT_SECONDS)
        except BaseException:
            with self._lock:
                if self._worker is me:
                    self._worker = None
            raise

    def wait_idle(self, timeout=None):
        """Wait until the background thread has stopped (its lease over, a pause, the end).

        For tests and benchmarks; the page never waits. False if it still runs after timeout.
        """
        with self._lock:
            worker = self._worker
        if worker is not None:
            worker.join(timeout)
            return not worker.is_alive()
        return True

    # -- what the page reads -----------------------------------------------------------
    def take_finished(self):
        """The runs that ended since the last call, oldest first."""
        with self._lock:
            runs, self._unclaimed = self._unclaimed, []
            return runs

    def snapshot(self):
        """Progress of the current run, or None once the job is done."""
        with self._lock:
            if self.done:
                return None
            run, trainer = self.current, self.current.trainer
            fraction = trainer.fraction_done
            seconds_left = None
            if fraction > 0 and trainer.seconds > 0:
                seconds_left = trainer.seconds * (1 - fraction) / fraction
            history = run.history
            return Progress(
                name=run.name, config=dict(run.config), number=len(self.runs),
                total=self.total, paused=self.paused,
                epoch=min(trainer.epoch + 1, trainer.epochs), epochs=trainer.epochs,
                fraction=fraction, batches_done=trainer.batches_done,
                batches_total=run.batches_total, samples_seen=trainer.samples_seen,
                seconds=trainer.seconds, seconds_left=seconds_left,
                loss_x=list(run.loss_x), loss_y=list(run.loss_y), curves=run.curves(),
                test_accuracy=(history[-1] if history else run.start)["val_accuracy"],
                tested_after=history[-1]["epoch"] if history else 0, ahead=self.ahead(),
                figures=run.figures)

    def net_inputs(self, X):
        """Each layer's net inputs z on X (forward_trace) for the current run, or None once
        the job is done.

        The weights are copied under the lock, between two Trainer steps, so they are the
        weights of one moment; the forward pass runs after, outside the lock, on a model of
        its own built from the run's configuration (a few milliseconds for 500 images).
        """
        with self._lock:
            if self.done:
                return None
            run = self.current
            params = run.model.params.copy()
        model = setup.build_model(run.config)
        model.params[...] = params
        return [z for z, _ in model.forward_trace(X)]


class RunBook:
    """The session's ended runs, oldest first: at most `limit`, the oldest dropped first."""

    def __init__(self, limit=setup.MAX_RUNS):
        self.limit = limit
        self.runs = []
        self.dropped = []  # names of the runs dropped so far

    def add(self, run):
        self.runs.append(run)
        while len(self.runs) > self.limit:
            self.dropped.append(self.runs.pop(0).name)

    def labels(self):
        return [run.label for run in self.runs]

    def find(self, label):
        return next((run for run in self.runs if run.label == label), None)

    def __len__(self):
        return len(self.runs)
