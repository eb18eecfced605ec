"""One driver for live training in a fragment: play, pause, step, reset, in chunks.

A page's live view is an `st.fragment` that reruns on a timer while playing.
Each rerun trains a chunk that fits a time budget, then draws, so a click is
answered within one chunk. Both the perceptron page and the playground use it:

    live = page.live                          # a Live, kept in the page's state
    with live.turn():                         # one script thread of this session at a time
        if live.playing or live.take_step_request():
            advance(run.train_one, steps=10, budget_s=0.04, done=lambda: run.finished)
        draw(run)

Why the lock: Streamlit starts a new script run as soon as a widget changes,
while the old run of the same session may still be inside its chunk. Two
threads training (or one training while the other draws) the same run would
mix up its numbers, so every chunk and every button callback that touches a
run takes `live.turn()` first.

The buttons only set flags, idempotently: Play sets playing, it does not flip
it, so a click Streamlit delivers twice changes nothing more. A button outside
the live fragment also ignores a press Streamlit replays into a run of the
fragment alone (see `outside_fragment`).
"""

import functools
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Live:
    """What the Play / Pause / Step / Reset buttons set, and the lock of one session's runs."""

    playing: bool = False
    step_requested: bool = False
    frame: int = 0  # screen updates drawn so far (kept in the page for tests and benchmarks)
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)

    def set_playing(self, playing):
        self.playing = bool(playing)

    def request_step(self):
        """Step: stop playing and train one chunk at the next run."""
        self.playing = False
        self.step_requested = True

    def take_step_request(self):
        """True once after request_step()."""
        requested, self.step_requested = self.step_requested, False
        return requested

    def reset(self):
        self.playing = False
        self.step_requested = False

    def turn(self):
        """The session's lock: hold it while training or drawing a run (re-entrant)."""
        return self.lock

    def next_frame(self):
        self.frame += 1
        return self.frame


def advance(step, *, steps, budget_s, done=None, clock=time.perf_counter):
    """Call step() up to `steps` times, stopping once budget_s seconds have passed.

    At least one call is made unless done() is already true; done() is asked
    before each call. Returns the number of calls made.
    """
    deadline = clock() + budget_s
    made = 0
    while made < steps and not (done is not None and done()):
        step()
        made += 1
        if clock() >= deadline:
            break
    return made


@dataclass
class Pacer:
    """Work paced by the clock, not by frames: about `rate` units per second.

    A busy computer shows fewer frames, but each one does more, so a run lasts
    about as long. A gap longer than max_gap_s (the tab was hidden, the machine
    stalled) is not caught up.

        pacer = Pacer(rate=40)    # 40 updates per second
        n = pacer.due()           # at every frame: how many updates to make now (>= 1)
    """

    rate: float
    first_gap_s: float = 0.5  # what the first frame counts as elapsed
    max_gap_s: float = 1.0
    clock: object = field(default=time.monotonic, repr=False)
    _last: float = None
    _credit: float = 0.0

    def due(self):
        now = self.clock()
        elapsed = self.first_gap_s if self._last is None else min(self.max_gap_s, now - self._last)
        self._last = now
        self._credit += self.rate * elapsed
        n = max(1, int(self._credit))
        self._credit -= n
        return n

    def restart(self):
        """Start counting again (after a pause), owing nothing."""
        self._last, self._credit = None, 0.0

    def forgive(self):
        """This machine could not keep the pace: do not pile up a debt."""
        self._credit = 0.0


def in_fragment_run():
    """True while Streamlit runs only a fragment of the page, not the whole page."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return bool(ctx is not None and ctx.fragment_ids_this_run)


def outside_fragment(callback):
    """Wrap the callback of a button that is not inside a fragment: a press comes once.

    Pressing such a button makes the browser ask for a run of the whole page, so
    its callback belongs to a whole-page run. Streamlit 1.67 sometimes calls it
    again in a later run of the live fragment alone (seen in the Play/Pause
    hammer test: one or two presses of Play out of 50 came twice, the second
    time after the next Pause, so the page started playing by itself). Those
    calls are dropped.

        st.button("Reset", on_click=outside_fragment(reset))
    """
    @functools.wraps(callback)
    def once(*args, **kwargs):
        if not in_fragment_run():
            return callback(*args, **kwargs)
        return None

    return once


MAX_BACKLOG = 0  # messages waiting for the browser before the next frame is held back


def browser_backlog():
    """How many messages of this session wait to be sent to its browser (0 if unknown).

    Streamlit 1.67's server queues what a script sends to a browser and, once
    500 messages wait, drops the session without closing its connection: the
    page stays on screen, shows "running" and never answers a click again.
    Frames of a big network (about 130 kB each) sent faster than a slow browser
    or a classroom's Wi-Fi reads them get there in seconds (seen in the
    Play/Pause hammer test: the send queue grew to 500 in 13 s). The count is
    read from the server's send queue, the one place it is known; another
    server without such a queue gives 0, that is, no holding back.
    """
    try:
        from streamlit.runtime import Runtime
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        client = Runtime.instance().get_client(get_script_run_ctx().session_id)
        return client._send_queue.qsize()
    except (AttributeError, RuntimeError):  # no script run, no runtime, or no such queue
        return 0


def browser_keeps_up():
    return browser_backlog() <= MAX_BACKLOG


def frames(duration_s, frame_s, *, ready=browser_keeps_up, clock=time.perf_counter,
           sleep=time.sleep):
    """Yield 0, 1, 2, ... for about duration_s seconds, at most one frame every frame_s.

    The caller trains and draws between yields; a frame that took longer than
    frame_s is followed at once by the next. A frame is held back (checked
    again every frame_s) while ready() is false: the browser has not yet
    received the frames before it, so a slow browser or network gets fewer
    frames instead of a growing queue.
    """
    end = clock() + duration_s
    n = 0
    while True:
        started = clock()
        if ready():
            yield n
            n += 1
        if clock() >= end:
            return
        sleep(max(0.0, frame_s - (clock() - started)))
