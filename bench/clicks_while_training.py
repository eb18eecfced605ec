"""How much slower does one learner's click get while others train MNIST on the same server?

    python bench/clicks_while_training.py [--clicks 150]

A "click" here is the server's work for one stroke on the Draw a digit page,
without Streamlit: the canvas picture (280 x 280 RGBA) to 28 x 28, the bundled
model's scores and saliency (ui.teaching.read), and the page's three figures
built and turned into JSON as st.plotly_chart sends them. It is timed alone, then while learners train
the "Best: 98%" preset (for 20 epochs, so none ends meanwhile) through ui.jobs.Job exactly as the MNIST page does (a
background thread per job, leased, stepping ~50 ms chunks), with:

    2 trainers at once, 4 learners   the app: GATE 2, LINE 2 (two train, two wait)
    1 trainer at once, 4 learners    GATE 1, LINE 1: one core left for everybody else

One BLAS thread, as the app's server. Clicks are 20 ms apart. Output: one JSON
line of the setup, one per case (median and 95th percentile in ms, ratio to
alone, epochs trained per second by all learners together), then a markdown table.
Ratios in one process, never absolute times: compare them on one machine.
"""

import argparse
import itertools
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "bench")]

from threadpoolctl import threadpool_limits  # noqa: E402

from helpers import blas_info  # noqa: E402


def click_times(model, canvases, clicks):
    """Milliseconds of each click (the page's work for one stroke), clicks 20 ms apart."""
    from engine.preprocess import canvas_to_mnist
    from ui import charts, teaching
    times = []
    for rgba in itertools.islice(itertools.cycle(canvases), clicks):
        began = time.perf_counter()
        image = canvas_to_mnist(rgba)
        probabilities, gradient = teaching.read(model, image)
        for figure in (charts.probability_bars(probabilities, highlight=int(probabilities.argmax())),
                       charts.saliency_map(gradient, image, "Gradient"),
                       charts.saliency_map(gradient * image, image, "Gradient × ink")):
            figure.to_json()
        times.append((time.perf_counter() - began) * 1000)
        time.sleep(0.02)
    return times


def summary(name, learners, limit, times, epochs_per_s=0.0):
    return {"case": name, "learners": learners, "trainers_at_once": limit,
            "median_ms": round(statistics.median(times), 2),
            "p95_ms": round(statistics.quantiles(times, n=20)[-1], 2),
            "epochs_per_s": round(epochs_per_s, 3)}


def case(name, model, canvases, clicks, learners, limit, data):
    from ui import jobs
    from ui import mnist_setup as setup
    gate, line = jobs.Gate(limit), jobs.Line(limit)
    config = setup.check_config({**setup.PRESETS["best"]["config"], "epochs": 20})  # no end soon
    running = [jobs.Job(setup.job_configs(config), data, itertools.count(1).__next__,
                        gate=gate, line=line) for _ in range(learners)]
    for job in running:
        job.renew_lease(seconds=3600)
    time.sleep(1.0)  # the trainers are under way
    batches = sum(job.current.trainer.batches_done for job in running)
    began = time.perf_counter()
    times = click_times(model, canvases, clicks)
    seconds = time.perf_counter() - began
    batches = sum(job.current.trainer.batches_done for job in running) - batches
    per_epoch = running[0].current.trainer.batches_per_epoch
    for job in running:
        job.stop()
        job.wait_idle(60)
    return summary(name, learners, limit, times, batches / per_epoch / seconds)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clicks", type=int, default=150)
    args = parser.parse_args()
    with threadpool_limits(limits=1, user_api="blas"):
        from engine import load_model
        from engine.preprocess import render_strokes
        from ui import mnist_setup as setup
        data = setup.load_data()
        model = load_model(REPO / "assets" / "mnist_model.npz")
        strokes = ([[(150, 48), (140, 140), (134, 236)]],  # a 1, a 7, an L
                   [[(78, 62), (204, 56), (128, 238)]], [[(90, 50), (90, 230), (200, 230)]])
        canvases = [render_strokes(stroke, width=20) for stroke in strokes]
        print(json.dumps({"blas": blas_info(), "cpus": os.cpu_count(),
                          "load": os.getloadavg()[0]}))
        click_times(model, canvases, 20)  # warm up
        rows = [summary("alone", 0, 0, click_times(model, canvases, args.clicks))]
        print(json.dumps(rows[-1]))
        for name, learners, limit in (("the app", 4, 2), ("one trainer", 4, 1),
                                      ("the app", 4, 2), ("one trainer", 4, 1)):
            rows.append(case(name, model, canvases, args.clicks, learners, limit, data))
            print(json.dumps(rows[-1]))
        rows.append(summary("alone, again", 0, 0, click_times(model, canvases, args.clicks)))
        print(json.dumps(rows[-1]))
    base_median, base_p95 = rows[0]["median_ms"], rows[0]["p95_ms"]
    print("\n| case | learners training | trainers at once | click median (ms) | ÷ alone "
          "| click p95 (ms) | ÷ alone | epochs/s, all learners |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for row in rows:
        print(f"| {row['case']} | {row['learners']} | {row['trainers_at_once']} | "
              f"{row['median_ms']} | {row['median_ms'] / base_median:.2f} | {row['p95_ms']} | "
              f"{row['p95_ms'] / base_p95:.2f} | {row['epochs_per_s']} |")


if __name__ == "__main__":
    main()
