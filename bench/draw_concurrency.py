"""Five sessions predicting at once on the Draw page: do they wait on each other?

    python bench/draw_concurrency.py [--rounds 300] [--sessions 5]

What it times: the engine's work for one stroke on the Draw a digit page, on
the bundled model (assets/mnist_model.npz, shared by every session, its
weights made read-only as the page makes them):

    output = model.predict(x)                   # x: one image of 784 pixels
    best = argmax(output)
    gradient = model.input_gradient(x, best)    # the saliency map

in two variants:

    lock       one threading.Lock shared by all sessions around those calls:
               the draw page before its lock went (app_pages/draw.py had a model_lock)
    no lock    the same calls without it: what the page can do once the
               engine's forward pass keeps nothing in the layers

and for 1 session alone and for --sessions (5) sessions at once. Each round,
every session's thread is released together (a barrier) and makes one
prediction; its latency runs from its release to its answer, waiting for the
lock included. The rounds of the four cases (variant x 1 or 5 sessions)
alternate, their order turning every round, so the machine's drift hits them
alike. The images are seeded random pixels in [0, 1] (no preprocessing); each
session of a round reads a different image. One BLAS thread, as the app's server.

Every answer is compared with the answer computed for the same image by one
thread alone beforehand: outputs and gradients must be exactly equal. If the
engine is not yet safe to call from several threads at once, the "no lock"
variant shows it as differing answers or errors (the lock variant must never
differ: exit status 1 if it does).

Output: one JSON line of the setup (BLAS from threadpoolctl, CPUs, load
average), one JSON line per case, then a markdown table: median and 95th
percentile latency of one prediction in ms, and the ratio of 5 at once to
alone (median over median, p95 over p95) per variant.
"""

import argparse
import json
import os
import statistics
import sys
import threading
import time
import traceback
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(REPO))

from helpers import blas_info  # noqa: E402
from engine import load_model  # noqa: E402

MODEL_PATH = REPO / "assets" / "mnist_model.npz"
N_IMAGES = 64
WARM_UP_ROUNDS = 10
VARIANTS = ("lock", "no lock")


def read(model, x):
    """What the draw page computes per stroke: the ten scores and the best one's saliency."""
    output = model.predict(x)[0]
    best = int(np.argmax(output))
    gradient = model.input_gradient(x, best)[0]
    return output, gradient


class Crew:
    """`size` threads that wait together and are released together, once per burst."""

    def __init__(self, size):
        self.size = size
        self._go = threading.Barrier(size + 1)
        self._end = threading.Barrier(size + 1)
        self._task = None
        self._out = [None] * size
        self._threads = [threading.Thread(target=self._loop, args=(t,), daemon=True)
                         for t in range(size)]
        for thread in self._threads:
            thread.start()

    def _loop(self, t):
        while True:
            self._go.wait()
            task = self._task
            if task is None:
                return
            self._out[t] = task(t)
            self._end.wait()

    def burst(self, task):
        """Run task(t) on every thread t at once; return their results."""
        self._task = task
        self._go.wait()
        self._end.wait()
        return list(self._out)

    def close(self):
        self._task = None
        self._go.wait()
        for thread in self._threads:
            thread.join()


def percentile(values, q):
    values = sorted(values)
    return values[round(q * (len(values) - 1))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=300, help="rounds per case")
    parser.add_argument("--sessions", type=int, default=5, help="sessions predicting at once")
    args = parser.parse_args()
    if args.rounds < 1 or args.sessions < 2:
        raise SystemExit("need --rounds >= 1 and --sessions >= 2")

    limits = threadpool_limits(limits=1, user_api="blas")  # noqa: F841 - as app.py does
    model = load_model(MODEL_PATH)
    model.params.flags.writeable = False  # as the draw page's bundled_model
    for layer in model.layers:
        for array in layer.parameters():
            array.flags.writeable = False
    images = np.random.default_rng(0).random((N_IMAGES, 784), dtype=np.float32)
    expected = [read(model, images[i:i + 1]) for i in range(N_IMAGES)]  # one thread, alone
    lock = threading.Lock()

    def task(variant, round_index, size):
        def predict(t):
            i = (round_index * size + t) % N_IMAGES
            x = images[i:i + 1]
            start = time.perf_counter()
            try:
                if variant == "lock":
                    with lock:
                        answer = read(model, x)
                else:
                    answer = read(model, x)
            except Exception:  # noqa: BLE001 - counted and shown
                return time.perf_counter() - start, None, traceback.format_exc(limit=3)
            latency = time.perf_counter() - start
            same = all(np.array_equal(a, b) for a, b in zip(answer, expected[i]))
            return latency, same, None
        return predict

    crews = {1: Crew(1), args.sessions: Crew(args.sessions)}
    cases = [(variant, size) for variant in VARIANTS for size in crews]
    print(json.dumps({"numpy": np.__version__, "blas": blas_info(),
                      "cpus": len(os.sched_getaffinity(0)),
                      "load_average": [round(x, 2) for x in os.getloadavg()],
                      "model_sizes": model.sizes, "rounds": args.rounds,
                      "sessions": args.sessions}), flush=True)
    found = {case: {"ms": [], "differ": 0, "errors": [], "answers": 0} for case in cases}
    try:
        for r in range(-WARM_UP_ROUNDS, args.rounds):
            turn = r % len(cases)
            for variant, size in cases[turn:] + cases[:turn]:
                results = crews[size].burst(task(variant, r, size))
                if r < 0:
                    continue
                record = found[variant, size]
                for latency, same, error in results:
                    record["answers"] += 1
                    if error is not None:
                        record["errors"].append(error)
                        continue
                    record["ms"].append(latency * 1000)
                    record["differ"] += not same
    finally:
        for crew in crews.values():
            crew.close()

    rows = {}
    for (variant, size), record in found.items():
        ms = record["ms"]
        rows[variant, size] = {
            "median_ms": statistics.median(ms) if ms else float("nan"),
            "p95_ms": percentile(ms, 0.95) if ms else float("nan")}
        print(json.dumps({"variant": variant, "sessions": size,
                          **{k: round(v, 3) for k, v in rows[variant, size].items()},
                          "answers": record["answers"], "differ_from_alone": record["differ"],
                          "errors": len(record["errors"]),
                          "first_error": (record["errors"] or [None])[0]}), flush=True)

    n = args.sessions
    print()
    print(f"One prediction (predict + input_gradient, one image) on the bundled model "
          f"{'-'.join(map(str, model.sizes))}; {args.rounds} rounds per case; load average "
          f"{os.getloadavg()[0]:.2f}.")
    print()
    print(f"| variant | sessions | median (ms) | p95 (ms) | {n} at once ÷ alone: median, p95 "
          f"| answers that differ from alone | errors |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for variant, size in cases:
        row, alone = rows[variant, size], rows[variant, 1]
        record = found[variant, size]
        ratio = (f"{row['median_ms'] / alone['median_ms']:.2f}, "
                 f"{row['p95_ms'] / alone['p95_ms']:.2f}" if size != 1 else "")
        print(f"| {variant} | {size} | {row['median_ms']:.2f} | {row['p95_ms']:.2f} | {ratio} "
              f"| {record['differ']} of {record['answers']} | {len(record['errors'])} |")
    print()
    unsafe = found["no lock", n]["differ"] + len(found["no lock", n]["errors"])
    if unsafe:
        print(f"Without the lock, {unsafe} of {found['no lock', n]['answers']} answers of "
              f"{n} sessions at once differed from the answer alone or failed: this engine "
              f"is not safe to call from several threads at once without the lock.")
    else:
        print(f"Without the lock, every answer of {n} sessions at once equalled the answer "
              f"alone.")
    locked = sum(record["differ"] + len(record["errors"])
                 for (variant, _), record in found.items() if variant == "lock")
    if locked:
        print(f"WRONG: {locked} answers differed or failed even with the lock.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
