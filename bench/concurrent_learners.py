"""Several learners training MNIST at once: how soon is each one's run done?

    python bench/concurrent_learners.py    # the full run: 5 to 8 minutes on a quiet 2-core machine
    python bench/concurrent_learners.py --epochs 1 --train-size 6000 --learners 1,3  # quick check

What it simulates: N learners who all press Train on the MNIST page's
"Best: 98%" preset at the same moment (784-256-128-10 ReLU, softmax +
cross-entropy, Glorot init, pixels 0-1, SGD momentum 0.9, lr 0.05, batch 128,
10 epochs over the 60,000 shuffled images, seed 0, the 10,000 test images
scored after every epoch). Server side only, no Streamlit and no browsers (a
real learner's browser runs on the learner's own machine). Every process has
one BLAS thread, as the app's server has (app.py). Each learner's model and
Trainer are built after the start, in the design's thread or worker, and
stepped as the page steps them: Trainer.step(k), with k tuned so that one step
takes about STEP_SECONDS (50 ms). The designs:

    threads        today's page: one thread per learner, each stepping its
                   Trainer chunk after chunk as fast as it can
    fcfs-K         the same threads, but at most K of them step at once; the
                   others wait in line for each chunk, first come first served
                   (FairGate below), so every learner keeps moving chunk by chunk
    processes-P    a pool of P worker processes, started before the clock (as a
                   server would start them once). The MNIST arrays are copied
                   once into multiprocessing.shared_memory; the workers map them
                   (read-only NumPy views), so no job pickles data. Learner i goes
                   to worker i % P, which builds the learner's model and Trainer
                   there and round-robins its learners chunk by chunk

For each design and N it measures, from the start, when each learner's run is
done (its last batch and last test-set score): the first, the median and the
last of the N (the last is when all are done), and the throughput, epochs per
second over all learners (N * epochs / last). Repeats and designs are
interleaved in one process run (the order of the designs turns with every
round), since this machine's speed drifts with its neighbours; the table gives
medians over --repeats and, per repeat, each design's median time over the
threads design's time in the same round ("÷ threads": below 1 is sooner).

Every run uses the same seed, so every learner of every design must end with
the same weights (their SHA-256 is compared) and the same test accuracy (~98 %
for the full preset): a design that changes results is wrong, and the script
says so (exit status 1).

Left out: the page's own work per refresh (charts, in the server's threads),
and, for processes-P, what an app would add: sending each batch's loss and
each epoch's scores back for the live charts, and the trained model at the
end. With learners placed i % P once, an odd N leaves one worker a learner
more than the other (3 learners: 2 + 1).

Output: one JSON line of the setup (BLAS from threadpoolctl, CPUs, load
average), one JSON line per (repeat, design, N), then a markdown table for the
README. An "epoch" is one pass over --train-size images.
"""

import argparse
import collections
import hashlib
import json
import multiprocessing
import os
import statistics
import sys
import threading
import time
import traceback
from multiprocessing import shared_memory
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpers import blas_info  # noqa: E402
from engine import SGD, Dense, Sequential, Trainer, load_mnist, scale_pixels  # noqa: E402

STEP_SECONDS = 0.05  # as app_pages/mnist.py: one Trainer.step call takes about this long
# The "Best: 98%" preset of app_pages/mnist.py (epochs and images come from the options).
HIDDEN, ACTIVATION, INIT, SCALING = (256, 128), "relu", "glorot", "unit"
LR, MOMENTUM, BATCH_SIZE, SEED = 0.05, 0.9, 128, 0
DESIGNS = "threads,fcfs-2,processes-2"


# ---------------------------------------------------------------------------
# One learner's run, as the MNIST page builds and steps it
# ---------------------------------------------------------------------------
class Learner:
    """The preset's model and Trainer, stepped about STEP_SECONDS of batches at a time."""

    def __init__(self, data, epochs, train_size):
        sizes = [784, *HIDDEN, 10]
        layers = [Dense(n_in, n_out, ACTIVATION, init=INIT)
                  for n_in, n_out in zip(sizes[:-2], sizes[1:-1])]
        layers.append(Dense(sizes[-2], 10, "softmax", init=INIT))
        self.model = Sequential(layers, seed=SEED, input_scaling=SCALING)
        self.trainer = Trainer(
            self.model, data["X_train"][:train_size], data["y_train"][:train_size],
            epochs=epochs, batch_size=BATCH_SIZE, optimizer=SGD(LR, momentum=MOMENTUM),
            loss="cross_entropy", shuffle=True,
            validation_data=(data["X_test"], data["y_test"]), seed=SEED)
        self.k = 1  # batches per step, tuned as the page's train_steps tunes it

    def chunk(self):
        """One Trainer.step of about STEP_SECONDS; True once the run is done."""
        start = time.perf_counter()
        self.trainer.step(self.k)
        took = time.perf_counter() - start
        self.k = int(np.clip(self.k * STEP_SECONDS / max(took, 1e-6), 1, 4 * self.k))
        return self.trainer.done

    def result(self):
        return {"accuracy": self.trainer.history[-1]["val_accuracy"],
                "weights": hashlib.sha256(self.model.params.tobytes()).hexdigest()[:16]}


def warm_up(data):
    """A few batches and one test-set score, off the clock: first calls allocate and load code."""
    Learner(data, 1, 4 * BATCH_SIZE).trainer.run()


# ---------------------------------------------------------------------------
# threads and fcfs-K: one thread per learner, optionally behind a fair gate
# ---------------------------------------------------------------------------
class FairGate:
    """At most `slots` holders at once; the others wait in line, first come first served.

        with gate:          # waits for its turn
            trainer.step(k)

    A thread that leaves and comes straight back joins the end of the line, so
    every waiting thread gets its turn in the order it came (a plain
    threading.Semaphore promises no order).
    """

    def __init__(self, slots):
        self._lock = threading.Lock()
        self._free = slots
        self._line = collections.deque()  # one Event per waiting thread, in arrival order

    def __enter__(self):
        with self._lock:
            if self._free and not self._line:
                self._free -= 1
                return self
            turn = threading.Event()
            self._line.append(turn)
        turn.wait()  # __exit__ of a holder hands its slot straight to us
        return self

    def __exit__(self, *exc_info):
        with self._lock:
            if self._line:
                self._line.popleft().set()
            else:
                self._free += 1


def run_threads(data, n, epochs, train_size, slots=None):
    """N learner threads (at most `slots` stepping at once, if given): one dict per learner."""
    gate = FairGate(slots) if slots else None
    ready = threading.Barrier(n + 1)
    results, errors = [None] * n, []
    clock = {}

    def learner_thread(i):
        try:
            ready.wait()
            learner = Learner(data, epochs, train_size)
            done = False
            while not done:
                if gate is None:
                    done = learner.chunk()
                else:
                    with gate:
                        done = learner.chunk()
            results[i] = {"done": time.monotonic() - clock["start"], **learner.result()}
        except BaseException:  # noqa: BLE001 - reported by the main thread
            errors.append(traceback.format_exc())

    threads = [threading.Thread(target=learner_thread, args=(i,), daemon=True)
               for i in range(n)]
    for thread in threads:
        thread.start()
    clock["start"] = time.monotonic()
    ready.wait()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError("a learner thread failed:\n" + errors[0])
    return results


# ---------------------------------------------------------------------------
# processes-P: a pool of worker processes on the dataset in shared memory
# ---------------------------------------------------------------------------
def share_arrays(arrays):
    """Copy each array once into its own SharedMemory block.

    Returns (blocks, specs, views): the blocks (close and unlink them at the
    end), name -> (block name, shape, dtype) for the workers, and read-only
    NumPy views of the shared copies.
    """
    blocks, specs, views = [], {}, {}
    for name, array in arrays.items():
        block = shared_memory.SharedMemory(create=True, size=max(array.nbytes, 1))
        blocks.append(block)
        view = np.ndarray(array.shape, array.dtype, buffer=block.buf)
        view[...] = array
        view.flags.writeable = False
        specs[name] = (block.name, array.shape, array.dtype.str)
        views[name] = view
    return blocks, specs, views


def worker_main(specs, inbox, outbox):
    """A worker process: map the shared dataset, then train the learners it is sent.

    Each job is (learner ids, epochs, train size, start time); the worker builds
    those learners and steps them in turn, one chunk each, until all are done,
    sending (id, seconds from the start, result) as each one ends.
    """
    limits = threadpool_limits(limits=1, user_api="blas")  # noqa: F841 - kept for the process
    blocks = {name: shared_memory.SharedMemory(name=spec[0]) for name, spec in specs.items()}
    data = {}
    for name, (_, shape, dtype) in specs.items():
        data[name] = np.ndarray(shape, np.dtype(dtype), buffer=blocks[name].buf)
        data[name].flags.writeable = False
        data[name].sum()  # touch every page now, not on the clock
    warm_up(data)
    outbox.put(("ready", os.getpid(), None))
    try:
        for ids, epochs, train_size, start in iter(inbox.get, None):
            line = collections.deque((i, Learner(data, epochs, train_size)) for i in ids)
            while line:
                i, learner = line.popleft()
                if learner.chunk():
                    outbox.put((i, time.monotonic() - start, learner.result()))
                else:
                    line.append((i, learner))
    except BaseException:  # noqa: BLE001 - reported by the main process
        outbox.put(("error", os.getpid(), traceback.format_exc()))
    finally:
        data.clear()  # the views go before their blocks close
        for block in blocks.values():
            block.close()


class ProcessPool:
    """P worker processes (spawned: a server with threads must not fork) on shared MNIST."""

    def __init__(self, size, specs):
        context = multiprocessing.get_context("spawn")
        self.outbox = context.Queue()
        self.inboxes = [context.Queue() for _ in range(size)]
        self.workers = [context.Process(target=worker_main, args=(specs, inbox, self.outbox),
                                        daemon=True) for inbox in self.inboxes]
        for worker in self.workers:
            worker.start()
        for _ in self.workers:
            self._receive()  # "ready"

    def _receive(self):
        message = self.outbox.get(timeout=3600)
        if message[0] == "error":
            raise RuntimeError(f"worker {message[1]} failed:\n{message[2]}")
        return message

    def run(self, n, epochs, train_size):
        """N learners, learner i on worker i % P: one dict per learner."""
        start = time.monotonic()  # CLOCK_MONOTONIC: one clock for every process on Linux
        for w, inbox in enumerate(self.inboxes):
            ids = list(range(w, n, len(self.inboxes)))
            if ids:
                inbox.put((ids, epochs, train_size, start))
        results = [None] * n
        for _ in range(n):
            i, done, result = self._receive()
            results[i] = {"done": done, **result}
        return results

    def close(self):
        for inbox in self.inboxes:
            inbox.put(None)
        for worker in self.workers:
            worker.join(timeout=30)


# ---------------------------------------------------------------------------
# The measurement
# ---------------------------------------------------------------------------
def parse_design(name):
    """'threads' -> ('threads', None), 'fcfs-2' -> ('fcfs', 2), 'processes-3' -> ('processes', 3)"""
    kind, _, number = name.partition("-")
    if kind == "threads" and not number:
        return kind, None
    if kind in ("fcfs", "processes") and number.isdigit() and int(number) >= 1:
        return kind, int(number)
    raise SystemExit(f"unknown design {name!r}: threads, fcfs-K or processes-P (K, P >= 1)")


def summarise(results, epochs):
    done = sorted(result["done"] for result in results)
    return {"first": done[0], "median": statistics.median(done), "last": done[-1],
            "epochs_per_s": len(done) * epochs / done[-1]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", default="1,5,10", help="numbers of learners, e.g. 1,5,10")
    parser.add_argument("--designs", default=DESIGNS,
                        help=f"comma-separated: threads, fcfs-K, processes-P (default {DESIGNS})")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--train-size", type=int, default=60_000)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    counts = [int(n) for n in args.learners.split(",")]
    designs = args.designs.split(",")
    kinds = {design: parse_design(design) for design in designs}
    if not 1 <= args.train_size <= 60_000 or args.epochs < 1 or args.repeats < 1 or \
            min(counts) < 1:
        raise SystemExit("need 1 <= --train-size <= 60000, --epochs >= 1, --repeats >= 1, "
                         "learners >= 1")

    limits = threadpool_limits(limits=1, user_api="blas")  # noqa: F841 - as app.py does
    (x_train, y_train), (x_test, y_test) = load_mnist()
    blocks, specs, data = share_arrays({
        "X_train": scale_pixels(x_train, "unit"), "y_train": y_train,
        "X_test": scale_pixels(x_test, "unit"), "y_test": y_test})
    del x_train, x_test
    warm_up(data)
    pools = {}
    try:
        for kind, size in kinds.values():
            if kind == "processes" and size not in pools:
                pools[size] = ProcessPool(size, specs)
        print(json.dumps({"numpy": np.__version__, "blas": blas_info(),
                          "cpus": len(os.sched_getaffinity(0)),
                          "load_average": [round(x, 2) for x in os.getloadavg()],
                          "learners": counts, "designs": designs, "epochs": args.epochs,
                          "train_size": args.train_size, "repeats": args.repeats}), flush=True)
        rows = collections.defaultdict(list)  # (design, n) -> one summary per repeat
        outcomes = collections.Counter()  # (accuracy, weights hash) -> learners
        turn = 0
        for repeat in range(args.repeats):
            for n in counts:
                order = designs[turn % len(designs):] + designs[:turn % len(designs)]
                turn += 1
                for design in order:
                    kind, size = kinds[design]
                    if kind == "processes":
                        results = pools[size].run(n, args.epochs, args.train_size)
                    else:
                        results = run_threads(data, n, args.epochs, args.train_size,
                                              slots=size if kind == "fcfs" else None)
                    summary = summarise(results, args.epochs)
                    rows[design, n].append(summary)
                    outcomes.update((r["accuracy"], r["weights"]) for r in results)
                    print(json.dumps({
                        "repeat": repeat + 1, "design": design, "learners": n,
                        "done_s": [round(r["done"], 2) for r in results],
                        **{k: round(v, 3) for k, v in summary.items()},
                        "test_accuracy": sorted({r["accuracy"] for r in results}),
                        "load_average": round(os.getloadavg()[0], 2)}), flush=True)
    finally:
        for pool in pools.values():
            pool.close()
        data.clear()
        for block in blocks:
            block.close()
            block.unlink()

    print()
    print(f"{args.epochs} epochs of {args.train_size:,} images per learner; seconds from the "
          f"start until a learner's run is done; median of {args.repeats} repeat(s).")
    print()
    threads_column = "threads" in designs
    header = ["design", "learners", "first done (s)", "median done (s)", "last done (s)",
              "epochs/s"] + (["median ÷ threads"] if threads_column else [])
    print("| " + " | ".join(header) + " |")
    print("|" + " --- |" * len(header))
    for n in counts:
        for design in designs:
            runs = rows[design, n]
            cells = [design, str(n)] + [f"{statistics.median(r[k] for r in runs):.2f}"
                                        for k in ("first", "median", "last")]
            cells.append(f"{statistics.median(r['epochs_per_s'] for r in runs):.2f}")
            if threads_column:
                ratios = [r["median"] / t["median"] for r, t in zip(runs, rows["threads", n])]
                cells.append(f"{statistics.median(ratios):.2f}")
            print("| " + " | ".join(cells) + " |")
    print()
    if len(outcomes) == 1:
        (accuracy, weights), count = outcomes.popitem()
        print(f"Every one of the {count} runs ended with the same weights (sha256 {weights}) "
              f"and test accuracy {accuracy:.2%}.")
        return 0
    print("RESULTS DIFFER between runs (test accuracy, weights sha256: runs):")
    for (accuracy, weights), count in outcomes.most_common():
        print(f"  {accuracy:.4f} {weights}: {count}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
