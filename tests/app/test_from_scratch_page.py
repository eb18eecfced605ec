"""The "MNIST from scratch" page (tutorial 000): its numbers are the engine's; no click fails."""

import ast

import numpy as np
import pytest

from engine.tutorials import t000
from ui import from_scratch as fs
from ui import jobs

PAGE = "../../app_pages/from_scratch.py"
TIMEOUT_S = 120
WAIT_S = 300  # generous: the machine is shared; never assumes how fast it computes


@pytest.fixture(scope="module")
def data():
    return t000.load_data()


def texts(at):
    return " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)


def frames(at):
    return [df.value for df in at.dataframe]


def run_until_done(at, timeout_s=WAIT_S):
    """Rerun the page (each run renews the job's lease) until its job has ended."""
    job = at.session_state[fs.FromScratchState.KEY].job
    assert job is not None
    for _ in range(int(timeout_s)):
        if job.wait(1.0):
            break
        at.run()
    assert job.done, "the job did not end in time"
    at.run()
    assert not at.exception, at.exception
    return job


def test_walkthrough_numbers_are_the_engines(app, data):
    assert [t.value for t in app.title] == ["MNIST from scratch (tutorial 000)"]
    w = t000.walkthrough(data, seed=0, lr=0.3, h_n=90)
    codes = [c.value for c in app.code]
    toy = np.array(ast.literal_eval(codes[0].removeprefix("array(").removesuffix(")")))
    np.testing.assert_allclose(toy, w["toy"]["w_i_h"], atol=5e-9)
    assert toy.shape == (5, 3) and (toy > 0).all()
    text = texts(app)
    assert "is **785**" in text and "label is **5**" in text
    assert "**10 of 10 outputs are exactly 1.0**" in text
    assert (w["raw"]["o_output"] == 1.0).all()
    assert "[1., 1., 1., 1., 1., 1., 1., 1., 1., 1.]" in codes
    assert f"**{w['test_accuracy']:.2%}**" in text
    assert f"`np.argmax(o_output)` = **{w['test_prediction']}**" in text
    first = next(df for df in frames(app) if "o_errors" in df.columns)
    assert list(first["o_output"]) == [f"{v:.8f}" for v in w["first"]["o_output"].ravel()]
    h = next(df for df in frames(app) if "h_errors, as printed" in df.columns)
    assert list(h["h_errors, as printed"]) == [f"{v:.8f}" for v in w["first"]["h_errors"][:10,
                                                                                          0]]
    code = next(c for c in codes if len(c.split(",")) == 785).split(",")
    assert len(code) == 785 and code[0] == "5"


def test_exact_inputs_change_the_numbers(app, data):
    app.number_input(key="fs_seed").set_value(7)
    app.number_input(key="fs_lr").set_value(0.1234)
    app.number_input(key="fs_hidden").set_value(33).run()
    assert not app.exception
    w = t000.walkthrough(data, seed=7, lr=0.1234, h_n=33)
    assert f"**{w['test_accuracy']:.2%}**" in texts(app)
    assert "(33, 784) · (784, 1) → (33, 1)" in texts(app)
    assert "l_r = 0.1234" in texts(app)


def test_bad_input_is_a_message(app):
    app.session_state["fs_hidden"] = 0  # past the widget's bounds, as a hostile client could
    app.run()
    assert not app.exception
    assert any("hidden nodes must be" in e.value for e in app.error) or app.number_input(
        key="fs_hidden").value >= 1


def test_the_100_image_experiments_run_and_show_the_engines_spread(app, data):
    fs.store()._results.pop("t000-100-images", None)  # this server may have them already
    app.button(key="fs_run_t000-100-images").click().run()
    assert not app.exception
    job = run_until_done(app)
    assert job.status == "finished", job.message
    expected = t000.run_from_scratch("t000-100-images", fs.STARTS, data=data)
    table = next(t.value for t in app.table if "tutorial printed" in t.value.columns
                 and "0.3959" in set(t.value["tutorial printed"]))
    by_variant = dict(zip(table.index, table[f"ours, {fs.STARTS} starts (min–max)"]))
    for r in expected:
        assert by_variant[fs.VARIANT_LABELS[r["variant"]]] == fs.spread(r["ours"])
    assert any("scored higher" in c.value for c in app.caption)
    assert not any(b.key == "fs_run_t000-100-images" for b in app.button)


def test_stop_and_every_button_answer_without_an_exception(app):
    fs.store()._results.pop("t000-60000-images", None)
    app.button(key="fs_run_t000-60000-images").click().run()
    assert not app.exception
    assert app.button(key="fs_run_t000-60000-images").disabled
    app.button(key="fs_stop").click().run()
    state = app.session_state[fs.FromScratchState.KEY]
    for _ in range(60):  # the job ends at its next chunk (it may have ended in that run)
        if state.job is None or state.job.wait(1.0):
            break
        app.run()
    app.run()
    assert not app.exception
    assert state.job is None and state.last.status == "stopped"
    assert any("Stopped." in w.value for w in app.warning)
    assert fs.finished("t000-60000-images") is None
    others = [b for b in app.button if not b.disabled and b.key != "fs_run_t000-60000-images"]
    for button in others:
        button.click().run()
        assert not app.exception
        if state.job is not None:
            state.job.stop()
            state.job.wait(WAIT_S)
            app.run()


def test_a_job_waits_in_the_servers_line_and_takes_results_another_session_stored():
    line, results = jobs.Line(0), fs.ResultStore()  # no free place: it must wait
    ran = []
    job = fs.ExperimentJob("t000-lr-0.1", None, results=results, line=line,
                           gate=jobs.Gate(None), run={"t000-lr-0.1": ran.append})
    job.renew_lease(30)
    assert not job.wait(0.5) and job.status == "waiting" and job.ahead() == 1
    results.put("t000-lr-0.1", [{"variant": "as-printed", "tutorial": None, "ours": [0.5],
                                 "settings": {}}])
    assert job.wait(WAIT_S)
    assert job.status == "finished" and ran == []
