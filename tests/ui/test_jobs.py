"""ui/jobs.py without Streamlit and without sleeping: Job.step() driven here, the fair gate.

Every job here has its own gate and line with no limit (Gate(None), Line(None)),
unless the test is about them, so the tests never wait on each other.
"""

import itertools
import threading

import numpy as np
import pytest

from engine import Dense, Sequential, Trainer, optimizers
from ui import jobs
from ui import mnist_setup as setup

TIMEOUT_S = 60  # for joins and waits: generous, the machine is shared


@pytest.fixture(scope="module")
def data():
    return setup.load_data()


def config(**changes):
    """The tutorial's first preset (784-90-10 sigmoid, 100 images, batch 1), changed."""
    return setup.check_config({**setup.DEFAULT_CONFIG, **changes})


def new_job(data, gate=None, line=None, **changes):
    return jobs.Job(setup.job_configs(config(**changes)), data, itertools.count(1).__next__,
                    gate=gate or jobs.Gate(None), line=line or jobs.Line(None))


def train_to_end(job, max_steps=10_000):
    for _ in range(max_steps):
        if job.done:
            return
        job.step(1.0)
    raise AssertionError("the job did not end")


def test_a_run_trains_to_the_end_with_the_weights_of_a_plain_trainer(data):
    job = new_job(data, epochs=2)
    train_to_end(job)
    (run,) = job.runs
    assert run.status == "finished" and run.message == ""
    assert job.take_finished() == [run] and job.take_finished() == []
    assert job.snapshot() is None
    # The same configuration, built and trained directly with the engine.
    reference = Sequential([Dense(784, 90, "sigmoid", init="normal"),
                            Dense(90, 10, "sigmoid", init="normal")], seed=0,
                           input_scaling="tutorial")
    Trainer(reference, data["X_train"][:100], data["T_train"][:100], epochs=2, batch_size=1,
            optimizer=optimizers.SGD(0.3), loss="sse", shuffle=False, seed=0).run()
    np.testing.assert_array_equal(run.model.params, reference.params)
    # What the page shows of it.
    assert (run.batches_done, run.batches_total, run.epochs_done) == (200, 200, 2.0)
    assert run.samples_seen == 200 and 0 < run.seconds <= run.wall_seconds
    predicted = reference.predict_classes(data["X_test"])
    assert run.results["accuracy"] == pytest.approx(np.mean(predicted == data["y_test"]))
    assert run.results["confusion"].sum() == 10_000
    assert run.label == f"Run 1 · 784-90-10 sigmoid · SGD · {run.results['accuracy']:.1%}"
    # One loss point per batch (200 batches under LOSS_POINTS), x from 0.01 to 2 epochs.
    assert len(run.loss_x) == 200 and run.loss_x[-1] == pytest.approx(2.0)
    x, y = run.curves()["test"]
    assert x == [0, 1, 2] and y[0] == run.start["val_accuracy"]


def test_the_loss_curve_is_averaged_into_at_most_loss_points(data):
    job = new_job(data, batch_size=1, train_size=1_000)  # 1,000 batches
    train_to_end(job)
    run = job.runs[0]
    assert len(run.loss_x) == len(run.loss_y) <= jobs.LOSS_POINTS
    assert run.loss_x[-1] == pytest.approx(1.0)


@pytest.mark.parametrize("name", list(optimizers.OPTIMIZERS))
def test_every_registered_optimizer_is_built_by_name(data, name):
    job = new_job(data, optimizer=name, lr=0.01)
    assert type(job.runs[0].trainer.optimizer) is optimizers.OPTIMIZERS[name]
    assert job.runs[0].trainer.optimizer.lr == 0.01


def test_an_unknown_optimizer_raises_instead_of_becoming_adam(data):
    configs = [dict(config(), optimizer="nadam")]
    with pytest.raises(ValueError, match="unknown optimizer 'nadam'"):
        jobs.Job(configs, data, itertools.count(1).__next__)


def test_a_snapshot_is_a_copy(data):
    job = new_job(data, hidden="20", train_size=1_000, batch_size=10)
    job.step(0.0)  # one Trainer.step
    progress = job.snapshot()
    assert progress.name == "Run 1" and (progress.number, progress.total) == (1, 1)
    assert progress.batches_done > 0 and progress.batches_total == 100
    assert 1 <= progress.epoch <= progress.epochs == 1
    assert progress.fraction == progress.batches_done / 100
    assert progress.tested_after == 0 and progress.test_accuracy == job.runs[0].start[
        "val_accuracy"]
    progress.loss_x.append(99.0)
    progress.config["epochs"] = 99
    assert 99.0 not in job.runs[0].loss_x and job.runs[0].config["epochs"] == 1


def test_pause_stops_stepping_and_resume_goes_on(data):
    job = new_job(data, train_size=1_000)
    job.step(0.0)
    held = job.snapshot().batches_done
    job.set_paused(True)
    job.set_paused(True)  # a click delivered twice changes nothing more
    assert job.step(1.0) == 0 and job.snapshot().batches_done == held
    assert job.snapshot().paused
    job.renew_lease()  # no background thread for a paused job
    assert job.wait_idle(0) and job.snapshot().batches_done == held
    job.set_paused(False)
    assert job.step(0.0) > 0 and job.snapshot().batches_done > held
    job.stop()


def test_stop_ends_the_run_as_stopped_and_keeps_the_model(data):
    job = new_job(data, train_size=1_000, optimizer2="adam")
    job.step(0.0)
    batches = job.snapshot().batches_done
    job.stop()
    assert job.done and job.step(1.0) == 0
    (run,) = job.take_finished()
    assert run.status == "stopped" and run.batches_done == batches < run.batches_total
    assert run.model is job.runs[0].model and run.results["accuracy"] > 0
    assert len(job.runs) == 1  # the second optimizer's run never starts
    job.stop()  # a second click changes nothing
    assert job.take_finished() == []


def test_a_diverging_run_ends_as_diverged_with_its_last_finite_weights(data):
    # Three wide ReLU layers and a far too large learning rate: the loss becomes NaN.
    job = new_job(data, hidden="512,512,512", activation="relu", output="softmax_ce",
                  init="glorot", scaling="unit", optimizer="momentum", lr=5.0, batch_size=10,
                  train_size=1_000)
    train_to_end(job)
    run = job.runs[0]
    assert run.status == "diverged" and "smaller learning rate" in run.message
    assert np.all(np.isfinite(run.model.params))


def test_an_error_inside_the_trainer_ends_the_run_as_failed(data, monkeypatch):
    def broken(trainer, k=1):
        raise RuntimeError("a made-up bug")

    job = new_job(data)
    monkeypatch.setattr(Trainer, "step", broken)
    assert job.step(1.0) == 0
    run = job.runs[0]
    assert job.done and run.status == "failed"
    assert run.message == "Training failed: RuntimeError: a made-up bug."
    assert run.results is not None  # the model as it was left is still measured


def test_the_second_run_starts_after_the_first_and_both_are_kept(data):
    job = new_job(data, optimizer2="rmsprop", lr2=0.001)
    assert job.total == 2 and len(job.runs) == 1
    train_to_end(job)
    first, second = job.take_finished()
    assert (first.name, second.name) == ("Run 1", "Run 2")
    assert (first.config["optimizer"], second.config["optimizer"]) == ("sgd", "rmsprop")
    assert (first.config["lr"], second.config["lr"]) == (0.3, 0.001)
    assert first.status == second.status == "finished"
    assert second.started >= first.ended
    assert second.model.training_config["optimizer"]["name"] == "rmsprop"


def test_the_background_thread_trains_while_leased(data):
    job = new_job(data, epochs=2)
    job.renew_lease(TIMEOUT_S)
    assert job.wait_idle(TIMEOUT_S)
    assert job.done and job.runs[0].status == "finished"


def test_two_threads_never_step_one_trainer_at_once(data, monkeypatch):
    """Streamlit may run a new script run while the old one is inside its chunk."""
    inside, most = [0], [0]
    count_lock = threading.Lock()
    step = Trainer.step

    def counting_step(trainer, k=1):
        with count_lock:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        try:
            return step(trainer, k)
        finally:
            with count_lock:
                inside[0] -= 1

    monkeypatch.setattr(Trainer, "step", counting_step)
    job = new_job(data, hidden="64", batch_size=10, train_size=60_000, epochs=2)
    start = threading.Barrier(3)

    def script_run():
        start.wait(TIMEOUT_S)
        for _ in range(20):
            job.step(0.0)
            job.snapshot()

    threads = [threading.Thread(target=script_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    start.wait(TIMEOUT_S)
    job.renew_lease(TIMEOUT_S)  # and the background thread
    for thread in threads:
        thread.join(TIMEOUT_S)
    job.stop()
    assert job.wait_idle(TIMEOUT_S)
    assert most[0] == 1
    (run,) = job.take_finished()
    assert run.status in ("stopped", "finished") and run.batches_done >= 40


# -- the gate ------------------------------------------------------------------------------
def test_the_gate_lets_threads_in_first_come_first_served():
    gate = jobs.Gate(1)
    entered = []

    def enter(name):
        with gate:
            entered.append(name)

    threads = []
    with gate:  # held: everybody queues
        for i in range(6):
            threads.append(threading.Thread(target=enter, args=(i,)))
            threads[-1].start()
            assert gate.wait_until(lambda g, n=i + 1: g.waiting == n, TIMEOUT_S)
    for thread in threads:
        thread.join(TIMEOUT_S)
    assert entered == list(range(6))
    assert gate.inside == 0 and gate.waiting == 0


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_the_gate_lets_at_most_its_limit_in_at_once_and_fills_up_to_it(limit):
    gate = jobs.Gate(limit)
    together = threading.Barrier(limit)  # passes only when `limit` threads are inside at once
    inside, most = [0], [0]
    count_lock = threading.Lock()
    errors = []

    def work():
        with gate:
            with count_lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            try:
                together.wait(TIMEOUT_S)
            except threading.BrokenBarrierError as err:
                errors.append(err)
            with count_lock:
                inside[0] -= 1

    threads = [threading.Thread(target=work) for _ in range(4 * limit)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT_S)
    assert not errors and most[0] == limit


def test_a_gate_without_a_limit_lets_everybody_in():
    gate = jobs.Gate(None)
    together = threading.Barrier(5)  # passes only when all 5 are inside at once

    def work():
        with gate:
            together.wait(TIMEOUT_S)

    threads = [threading.Thread(target=work) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT_S)
    assert not together.broken and together.n_waiting == 0


def test_the_servers_gate_is_one_constant():
    assert jobs.GATE.limit == jobs.TRAINERS_AT_ONCE


# -- the server's line and the time budget of a run ---------------------------------------
def watched(job):
    """As if the job's page kept refreshing (its lease never runs out), without its thread."""
    job._lease_until = float("inf")
    return job


def test_a_job_waits_in_line_while_the_servers_places_are_taken_and_sees_its_place(data):
    line = jobs.Line(1)
    first = new_job(data, line=line, train_size=60_000, batch_size=10, epochs=20)
    second = new_job(data, line=line, train_size=60_000, batch_size=10, epochs=20)
    # A job nobody is watching (no lease: its tab is closed) never blocks the line.
    assert first.ahead() == 0 and second.ahead() == 0
    watched(first)
    assert second.ahead() == 1 and second.snapshot().ahead == 1
    assert second.step(0.2) == 0 and second.current.batches_done == 0
    assert first.step(0.2) > 0
    first.set_paused(True)  # pausing gives the place to the next in line
    assert second.ahead() == 0 and second.step(0.2) > 0
    first.set_paused(False)  # back at the end of the line
    watched(first)
    assert first.ahead() == 0  # nobody ahead is present: second is not watched
    watched(second)
    assert first.ahead() == 1 and first.step(0.2) == 0
    second.stop()  # a job that ends leaves the line
    assert first.ahead() == 0 and first.step(0.2) > 0
    first.stop()


def test_the_line_forgets_a_job_whose_session_is_gone(data):
    line = jobs.Line(1)
    gone = watched(new_job(data, line=line))
    waiting = new_job(data, line=line)
    assert waiting.ahead() == 1
    del gone
    import gc
    gc.collect()
    assert waiting.ahead() == 0 and len(line._jobs()) == 1


def test_a_run_stops_at_the_servers_time_budget(data, monkeypatch):
    monkeypatch.setattr(setup, "CPU_SECONDS_PER_RUN", 0.0)  # over budget after the first step
    job = new_job(data, train_size=1000, epochs=2)
    train_to_end(job)
    (run,) = job.take_finished()
    assert run.status == "stopped" and run.message == setup.BUDGET_MESSAGE
    assert 0 < run.batches_done < run.batches_total and run.cpu_seconds > 0
    kind, text, _, _ = setup.outcome(run)
    assert kind == "warning" and "limit of 10 minutes of training per run" in text


def test_the_servers_line_is_the_stated_limit():
    assert jobs.LINE.limit == setup.RUNS_AT_ONCE == 2
    assert "2 on the whole server" in setup.LIMITS and "each at most 10 minutes" in setup.LIMITS


# -- the session's book of runs -------------------------------------------------------------
def test_the_book_keeps_the_last_runs(data):
    book = jobs.RunBook(limit=3)
    model = setup.build_model(config(hidden="5"))
    for number in range(1, 6):
        book.add(jobs.Run.from_upload(number, f"m{number}.npz", model, data))
    assert [run.name for run in book.runs] == ["Run 3", "Run 4", "Run 5"]
    assert book.dropped == ["Run 1", "Run 2"]
    assert book.find(book.labels()[0]) is book.runs[0] and book.find("nope") is None
