"""How much do the MNIST page's live charts slow training down? (The issue's limit: 10%.)

    python bench/mnist_page_overhead.py [--preset best] [--rounds 3] [--blas-threads 1]

Starts the app (`streamlit run app.py`) on a free port, opens the MNIST page in
Chromium (Playwright), clicks a preset and waits until the run has finished.
The page reports two times for each run:

    with charts   wall clock from the start of the run to its end, in the
                  server: training chunks, redrawing the progress panel,
                  and any gap between two refreshes
    training      the time spent in Trainer.step (the engine's own clock)

Then, with the server idle, the same configuration is trained by a bare
`Trainer.run()` in this process (same data, seed, validation at each epoch
end, no callbacks, nothing drawn). App and bare runs alternate for --rounds
rounds; the medians are printed as JSON, with

    overhead = app time with charts / bare time - 1     (must be <= 0.10)

Wall-clock times on a shared machine move with whatever else runs, so the
CPU time is compared too: the server process's CPU seconds from the click to
the end of the run (read from /proc), against the bare run's, which then also
does what the page computes around training (the test accuracy of the
starting weights, the outputs on the test set at the end):

    cpu overhead = server CPU seconds / bare CPU seconds - 1

On a real host the browser runs on the learner's computer. Here it runs on
the same machine, so by default (--pin) the server and the bare runs are
kept on CPU 0 and Chromium on CPU 1 (sched_setaffinity), so that the browser
drawing the charts does not take CPU time from the training it measures;
--no-pin lets them share all CPUs (an upper bound). Prints the BLAS kernel
(threadpoolctl) and the load average, since other work on the machine skews
timings.

--blas-threads N sets OPENBLAS_NUM_THREADS for the server and for this
process. On a 2-core machine where anything else runs (the browser drawing,
other learners' training), OpenBLAS with 2 threads per call slows down many
times over (its threads wait for each other); with 1 thread it does not.
"""

import argparse
import json
import os
import re
import signal
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _blas_threads_from_argv():
    """--blas-threads must act before NumPy is imported (OpenBLAS reads it when loaded).

    With --pin (the default) the server and the bare runs share one CPU, so
    OpenBLAS gets 1 thread unless --blas-threads says otherwise.
    """
    if "--no-pin" not in sys.argv:
        os.environ["OPENBLAS_NUM_THREADS"] = "1"
    for i, arg in enumerate(sys.argv):
        if arg == "--blas-threads" and i + 1 < len(sys.argv):
            os.environ["OPENBLAS_NUM_THREADS"] = sys.argv[i + 1]
        elif arg.startswith("--blas-threads="):
            os.environ["OPENBLAS_NUM_THREADS"] = arg.split("=", 1)[1]


_blas_threads_from_argv()

import numpy as np  # noqa: E402

from helpers import (CHROMIUM, CHROMIUM_ARGS, blas_info, open_mnist_page,  # noqa: E402
                        serve_app, wait_idle)
from engine import SGD, Dense, Sequential, Trainer, load_mnist, one_hot, scale_pixels  # noqa: E402


# The single-run presets of app_pages/mnist.py, by the label of their button. "best"
# is the case the 10% limit is about; "tutorial_all" (60,000 batches of one image)
# stresses the per-batch costs; "tutorial_5" is short, so fixed costs dominate.
PRESETS = {
    "best": dict(label="Best: 98%", hidden=[256, 128], activation="relu", output="softmax",
                 loss="cross_entropy", init="glorot", scaling="unit",
                 optimizer=lambda: SGD(0.05, momentum=0.9), batch_size=128, epochs=10,
                 train_size=60_000, shuffle=True, seed=0),
    "tutorial_all": dict(label="Tutorial: all 60,000 images", hidden=[90], activation="sigmoid",
                         output="sigmoid", loss="sse", init="normal", scaling="tutorial",
                         optimizer=lambda: SGD(0.1), batch_size=1, epochs=2, train_size=60_000,
                         shuffle=False, seed=0),
    "tutorial_5": dict(label="Tutorial: 100 images, 5 epochs", hidden=[90],
                       activation="sigmoid", output="sigmoid", loss="sse", init="normal",
                       scaling="tutorial", optimizer=lambda: SGD(0.3), batch_size=1, epochs=5,
                       train_size=100, shuffle=False, seed=0),
}


def cpu_seconds(pid):
    """CPU time (user + system, all threads) used so far by process `pid`."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def app_run(page, server_pid, preset, run_number, timeout_s):
    """Click the preset, wait for 'Run N finished'.

    Returns (seconds with charts, seconds training, server CPU seconds).
    """
    cpu_start = cpu_seconds(server_pid)
    page.get_by_role("button", name=preset["label"], exact=True).click()
    done = page.locator("[data-testid=stAlertContentSuccess]").filter(
        has_text=f"Run {run_number} finished")
    done.wait_for(timeout=timeout_s * 1000)
    wait_idle(page)
    cpu = cpu_seconds(server_pid) - cpu_start
    caption = page.locator("[data-testid=stCaptionContainer]").filter(
        has_text="from start to end").first.inner_text()
    match = re.search(r"(.+) from start to end, of which (.+) training", caption)
    if not match:
        raise RuntimeError(f"cannot read the run's times from {caption!r}")
    return seconds(match.group(1)), seconds(match.group(2)), cpu


def seconds(text):
    """'12.3 s' or '2 min 5 s' (as the page writes times) -> seconds."""
    match = re.fullmatch(r"\s*(?:(\d+) min )?([\d.]+) s\s*", text)
    if not match:
        raise RuntimeError(f"cannot read a time from {text!r}")
    return 60 * int(match.group(1) or 0) + float(match.group(2))


def bare_run(preset, data):
    """The same configuration trained by Trainer.run().

    Returns (wall seconds of Trainer.run, CPU seconds of all the computing the
    page does for a run, test accuracy).
    """
    (x_train, y_train), (x_test, y_test), X_train, X_test = data
    n = preset["train_size"]
    if preset["loss"] == "cross_entropy":
        y, y_val = y_train[:n], y_test
    else:
        y, y_val = one_hot(y_train[:n], 10, off=0.01, on=0.99), one_hot(y_test, 10, off=0.01,
                                                                            on=0.99)
    sizes = [784, *preset["hidden"], 10]
    layers = [Dense(a, b, preset["activation"], init=preset["init"])
              for a, b in zip(sizes[:-2], sizes[1:-1])]
    layers.append(Dense(sizes[-2], 10, preset["output"], init=preset["init"]))
    model = Sequential(layers, seed=preset["seed"], input_scaling=preset["scaling"])
    trainer = Trainer(model, X_train[:n], y, epochs=preset["epochs"],
                      batch_size=preset["batch_size"], optimizer=preset["optimizer"](),
                      loss=preset["loss"], shuffle=preset["shuffle"],
                      validation_data=(X_test, y_val), seed=preset["seed"])
    cpu_start = time.process_time()
    model.evaluate(X_test, y_val, loss=preset["loss"])  # the page's "before training" point
    start = time.perf_counter()
    trainer.run()
    wall = time.perf_counter() - start
    model.predict(X_test)  # the page's results
    return wall, time.process_time() - cpu_start, trainer.history[-1]["val_accuracy"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--preset", choices=sorted(PRESETS), default="best")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=900, help="seconds per app run")
    parser.add_argument("--blas-threads", type=int, default=None,
                        help="OPENBLAS_NUM_THREADS for the server and this process")
    parser.add_argument("--pin", action=argparse.BooleanOptionalAction, default=True,
                        help="server and bare runs on CPU 0, the browser on CPU 1")
    args = parser.parse_args()
    # On `kill`, still stop the server (serve_app's exit).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    preset = PRESETS[args.preset]

    from playwright.sync_api import sync_playwright

    (x_train, y_train), (x_test, y_test) = load_mnist()
    data = ((x_train, y_train), (x_test, y_test), scale_pixels(x_train), scale_pixels(x_test))
    print(json.dumps({"numpy": np.__version__, "blas": blas_info(),
                      "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS"),
                      "pinned": args.pin, "cpus": os.cpu_count(),
                      "load_average": os.getloadavg(), "preset": args.preset}), flush=True)
    all_cpus = os.sched_getaffinity(0)
    pin = args.pin and len(all_cpus) >= 2
    server_cpus = {min(all_cpus)} if pin else None
    browser_cpus = all_cpus - server_cpus if pin else all_cpus
    app_times, train_times, bare_times, app_cpus, bare_cpus = [], [], [], [], []
    with serve_app(server_cpus) as (server, url):
        os.sched_setaffinity(0, browser_cpus)  # Playwright's Chromium inherits it
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = open_mnist_page(browser, url)
            for round_number in range(1, args.rounds + 1):
                with_charts, training, app_cpu = app_run(page, server.pid, preset, round_number,
                                                         args.timeout)
                os.sched_setaffinity(0, server_cpus or all_cpus)
                bare, bare_cpu, accuracy = bare_run(preset, data)
                os.sched_setaffinity(0, browser_cpus)
                app_times.append(with_charts)
                train_times.append(training)
                bare_times.append(bare)
                app_cpus.append(app_cpu)
                bare_cpus.append(bare_cpu)
                print(json.dumps({"round": round_number, "app_seconds_with_charts": with_charts,
                                  "app_seconds_training": training,
                                  "bare_seconds": round(bare, 2),
                                  "app_server_cpu_seconds": round(app_cpu, 2),
                                  "bare_cpu_seconds": round(bare_cpu, 2),
                                  "bare_test_accuracy": round(accuracy, 4),
                                  "load_average": os.getloadavg()}), flush=True)
            browser.close()
    app, bare, training = (statistics.median(v) for v in (app_times, bare_times, train_times))
    overhead = app / bare - 1
    cpu_overhead = statistics.median(a / b - 1 for a, b in zip(app_cpus, bare_cpus))
    print(json.dumps({
        "benchmark": f"MNIST page live charts, preset {args.preset}",
        "median_app_seconds_with_charts": app,
        "median_app_seconds_training": training,
        "median_bare_trainer_seconds": round(bare, 2),
        "overhead_vs_bare": round(overhead, 3),
        "server_time_not_training": round(app / training - 1, 3),
        "median_cpu_overhead_vs_bare": round(cpu_overhead, 3),
        "within_10_percent": {"wall": overhead <= 0.10, "cpu": cpu_overhead <= 0.10},
    }))


if __name__ == "__main__":
    main()
