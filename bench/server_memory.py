"""The server's memory with 1, 10 and 30 idle sessions, and with 5 sessions training MNIST.

    python bench/server_memory.py [--idle 1,10,30] [--training 5] [--preset "Best: 98%"]

What a hosted copy needs to hold (README, "Deploy"). The resident memory of
the `streamlit run app.py` process (VmRSS of /proc/PID/status; VmHWM is its
peak) is read at each step, on two servers started afresh:

idle     sessions are opened one after the other, each a Chromium browser
         context (its own Streamlit session) that opens the home page, then
         follows the link to the MNIST page and stays there, idle. Memory is
         read once the server has 1, 10 and 30 such sessions (--idle), after
         a settle of --settle seconds. The first MNIST page loads the data
         set, once for the whole server.
training --training sessions on the MNIST page press the preset (--preset)
         at the same moment; the server trains at most 2 at once and the
         others wait in line. Memory is sampled every 0.2 s until every run
         has finished (peak), then read again after.

Prints one JSON object: every figure in MB, and the machine and date it ran on.
All sessions and their browser run on this machine: the browser's CPU competes
with the server's, which slows the training but does not change its memory.
"""

import argparse
import datetime
import json
import os
import platform
import signal
import sys
import time

from helpers import CHROMIUM, CHROMIUM_ARGS, open_mnist_page, serve_app, wait_idle


def memory_mb(pid):
    """(resident, peak resident) memory of process `pid` in MB: VmRSS, VmHWM."""
    values = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            name, _, rest = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                values[name] = int(rest.split()[0]) / 1024  # kB -> MB
    return round(values["VmRSS"], 1), round(values["VmHWM"], 1)


def settle(pid, seconds):
    """Resident memory after `seconds` (sessions that just connected finish their first runs)."""
    time.sleep(seconds)
    return memory_mb(pid)[0]


def idle_sessions(playwright, counts, settle_s):
    """{"started": MB, "1": MB, "10": MB, ...}: the server's memory with that many sessions."""
    report = {}
    with serve_app() as (server, url):
        report["started"] = memory_mb(server.pid)[0]
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        pages = []
        for count in sorted(counts):
            while len(pages) < count:
                pages.append(open_mnist_page(browser, url))
            for page in pages:  # every session is connected and idle
                wait_idle(page)
            report[str(count)] = settle(server.pid, settle_s)
        report["peak"] = memory_mb(server.pid)[1]
        browser.close()
    return report


def training_sessions(playwright, sessions, preset):
    """The server's memory while `sessions` MNIST pages train the preset at once."""
    report = {}
    with serve_app() as (server, url):
        report["started"] = memory_mb(server.pid)[0]
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        pages = [open_mnist_page(browser, url) for _ in range(sessions)]
        report["sessions_open"] = memory_mb(server.pid)[0]
        start = time.monotonic()
        for page in pages:  # as close to "at once" as one driver gets
            page.get_by_role("button", name=preset, exact=True).click()
        for page in pages:  # a run in line shows Stop too
            page.get_by_role("button", name="Stop").wait_for(timeout=120_000)
        peak = 0.0
        while True:
            peak = max(peak, memory_mb(server.pid)[0])
            busy = [page for page in pages if page.get_by_role("button", name="Stop").count()]
            if not busy:
                break
            time.sleep(0.2)
        report["training_peak"] = peak
        report["all_done_s"] = round(time.monotonic() - start, 1)
        for page in pages:
            wait_idle(page)
        report["after"] = memory_mb(server.pid)[0]
        report["peak"] = memory_mb(server.pid)[1]  # VmHWM: between the 0.2 s samples too
        browser.close()
    return report


def machine():
    with open("/proc/meminfo") as meminfo:
        total_kb = int(meminfo.readline().split()[1])
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), platform.processor())
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(total_kb / 2**20, 1),
            "python": platform.python_version()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--idle", default="1,10,30",
                        help="numbers of idle sessions to measure at, comma-separated")
    parser.add_argument("--training", type=int, default=5, help="sessions training at once")
    parser.add_argument("--preset", default="Best: 98%", help="label of an MNIST preset button")
    parser.add_argument("--settle", type=float, default=5.0,
                        help="seconds to wait before reading the memory of idle sessions")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # still stops the servers

    from playwright.sync_api import sync_playwright
    import streamlit

    report = {"date": datetime.date.today().isoformat(), "machine": machine(),
              "streamlit": streamlit.__version__, "preset": args.preset}
    with sync_playwright() as playwright:
        counts = [int(n) for n in args.idle.split(",") if n.strip()]
        if counts:
            report["idle_mb"] = idle_sessions(playwright, counts, args.settle)
        if args.training:
            report["training_mb"] = {"sessions": args.training,
                                     **training_sessions(playwright, args.training, args.preset)}
    report["load_average_end"] = os.getloadavg()
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
