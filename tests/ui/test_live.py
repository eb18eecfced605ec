"""ui.live: the buttons' flags, chunks within a budget, clock pacing, frames: on a fake clock."""

import threading

import pytest

from ui import live as live_module
from ui.live import Live, Pacer, advance, frames


class FakeClock:
    """A clock that moves only when told to (or by `tick` per reading)."""

    def __init__(self, tick=0.0):
        self.now, self.tick = 0.0, tick

    def __call__(self):
        self.now += self.tick
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def test_play_and_pause_set_the_state_so_a_repeated_click_changes_nothing_more():
    live = Live()
    live.set_playing(True)
    live.set_playing(True)
    assert live.playing
    live.set_playing(False)
    live.set_playing(False)
    assert not live.playing


def test_step_stops_playing_and_is_taken_once():
    live = Live(playing=True)
    live.request_step()
    assert not live.playing
    assert live.take_step_request() is True
    assert live.take_step_request() is False


def test_reset_forgets_playing_and_a_pending_step():
    live = Live(playing=True, step_requested=True)
    live.reset()
    assert (live.playing, live.step_requested) == (False, False)


def test_advance_stops_at_the_number_of_steps():
    calls = []
    assert advance(lambda: calls.append(1), steps=5, budget_s=10.0, clock=FakeClock()) == 5
    assert len(calls) == 5


def test_advance_stops_when_the_budget_is_spent_but_always_makes_one_call():
    clock = FakeClock(tick=0.3)  # every reading of the clock is 0.3 s later
    assert advance(lambda: None, steps=100, budget_s=0.2, clock=clock) == 1
    clock = FakeClock(tick=0.1)  # the deadline is read at 0.1 s: 0.6; calls end at 0.2 ... 0.6
    assert advance(lambda: None, steps=100, budget_s=0.5, clock=clock) == 5


def test_advance_asks_done_before_each_call():
    counter = {"n": 0}

    def step():
        counter["n"] += 1

    assert advance(step, steps=10, budget_s=10.0, done=lambda: counter["n"] >= 3,
                   clock=FakeClock()) == 3
    assert advance(step, steps=10, budget_s=10.0, done=lambda: True, clock=FakeClock()) == 0


def test_pacer_makes_rate_times_elapsed_units_and_keeps_the_fraction():
    clock = FakeClock()
    pacer = Pacer(rate=10.0, first_gap_s=0.5, clock=clock)
    assert pacer.due() == 5  # the first frame counts as 0.5 s
    clock.sleep(0.25)
    assert pacer.due() == 2  # 2.5 units owed: 2 now, 0.5 kept
    clock.sleep(0.25)
    assert pacer.due() == 3  # 0.5 + 2.5


def test_pacer_does_not_catch_up_a_long_gap_and_always_makes_one():
    clock = FakeClock()
    pacer = Pacer(rate=10.0, max_gap_s=1.0, clock=clock)
    pacer.due()
    clock.sleep(60.0)
    assert pacer.due() == 10  # one second's worth, not sixty
    slow = Pacer(rate=0.1, clock=clock)
    assert slow.due() == 1


def test_pacer_restart_and_forgive_drop_what_is_owed():
    clock = FakeClock()
    pacer = Pacer(rate=3.0, first_gap_s=0.5, clock=clock)
    assert pacer.due() == 1  # 1.5 owed: 1 now, 0.5 kept
    pacer.forgive()
    clock.sleep(0.5)
    assert pacer.due() == 1  # 1.5 again, nothing carried over
    pacer.restart()
    assert pacer.due() == 1


def test_frames_last_about_the_duration_and_are_paced():
    clock = FakeClock()
    shown = list(frames(1.0, 0.25, clock=clock, sleep=clock.sleep))
    assert shown == [0, 1, 2, 3, 4]  # at 0, 0.25, 0.5, 0.75, 1.0 s
    assert clock.now == 1.0


def test_a_frame_waits_while_the_browser_has_not_received_the_last_ones():
    clock = FakeClock()
    behind = {0.25, 0.5}  # the browser is still reading at these ticks
    shown, at = [], []
    for n in frames(1.0, 0.25, ready=lambda: clock.now not in behind, clock=clock,
                    sleep=clock.sleep):
        shown.append(n)
        at.append(clock.now)
    assert shown == [0, 1, 2]  # fewer frames, numbered without gaps
    assert at == [0.0, 0.75, 1.0]
    assert clock.now == 1.0  # the run still ends on time


def test_a_browser_that_never_keeps_up_gets_no_frame_and_the_run_still_ends():
    clock = FakeClock()
    assert list(frames(1.0, 0.25, ready=lambda: False, clock=clock, sleep=clock.sleep)) == []
    assert clock.now == 1.0


def test_the_backlog_is_read_from_the_sessions_send_queue(monkeypatch):
    class Queue:
        def __init__(self, waiting):
            self.waiting = waiting

        def qsize(self):
            return self.waiting

    class Client:
        _send_queue = Queue(7)

    class Runtime:
        def get_client(self, session_id):
            assert session_id == "session-1"
            return Client()

    class Context:
        session_id = "session-1"

    import streamlit.runtime
    import streamlit.runtime.scriptrunner

    monkeypatch.setattr(streamlit.runtime.Runtime, "instance", classmethod(lambda cls: Runtime()))
    monkeypatch.setattr(streamlit.runtime.scriptrunner, "get_script_run_ctx", lambda: Context())
    assert live_module.browser_backlog() == 7
    assert not live_module.browser_keeps_up()
    Client._send_queue = Queue(live_module.MAX_BACKLOG)
    assert live_module.browser_keeps_up()


def test_outside_a_script_run_nothing_is_held_back():
    assert live_module.browser_backlog() == 0
    assert live_module.browser_keeps_up()


def test_the_installed_streamlit_still_has_the_send_queue_that_is_read():
    """If an upgrade renames it, frames are never held back again: this test says so."""
    import inspect

    from streamlit.web.server.starlette import starlette_websocket

    source = inspect.getsource(starlette_websocket.StarletteSessionClient.__init__)
    assert "self._send_queue" in source
    assert starlette_websocket.WEBSOCKET_MAX_SEND_QUEUE_SIZE > 50 + live_module.MAX_BACKLOG


@pytest.mark.parametrize("fragments, called", [(None, True), ([], True), (["f1"], False)])
def test_a_button_outside_the_fragment_ignores_a_press_replayed_into_a_fragment_run(
        monkeypatch, fragments, called):
    import streamlit.runtime.scriptrunner

    class Context:
        fragment_ids_this_run = fragments

    monkeypatch.setattr(streamlit.runtime.scriptrunner, "get_script_run_ctx",
                        lambda: Context())
    presses = []
    press = live_module.outside_fragment(lambda value, *, twice=False: presses.append(value))
    press(1, twice=True)
    assert presses == ([1] if called else [])


def test_outside_any_script_run_a_wrapped_callback_runs():
    presses = []
    live_module.outside_fragment(presses.append)(5)
    assert presses == [5]


def test_turn_lets_one_thread_of_a_session_in_at_a_time():
    live = Live()
    inside, most = [0], [0]

    def work():
        for _ in range(200):
            with live.turn():
                inside[0] += 1
                most[0] = max(most[0], inside[0])
                inside[0] -= 1

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == 1
    with live.turn(), live.turn():  # re-entrant: a callback inside a chunk does not deadlock
        pass
