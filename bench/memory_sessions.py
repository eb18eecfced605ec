"""Server memory with five learners training on the MNIST page at the same time.

    python bench/memory_sessions.py [--sessions 5] [--preset "Best: 98%"] [--seconds 30]

Starts the app (`streamlit run app.py`) on a free port and reads the server
process's resident memory (VmRSS in /proc/PID/status):

    started      the server alone, no page opened yet
    data loaded  one session has opened the MNIST page: the dataset is loaded,
                 once for all users (uint8 images + one float32 copy, ~270 MB)
    training     peak while --sessions Chromium pages (separate sessions) all
                 train the preset at once, sampled every 0.2 s for --seconds
                 (or until every run has finished, with --until-done)
    after        when every run has been stopped or has finished

and prints them as JSON, with the increase per training session,
(training - data loaded) / sessions. If each session copied the training
images, that increase would be at least 188 MB (60,000 x 784 float32).
"""

import argparse
import json
import os
import signal
import sys
import time

from helpers import CHROMIUM, CHROMIUM_ARGS, open_mnist_page, serve_app, wait_idle


def rss_mb(pid):
    """Resident memory of process `pid` in MB (VmRSS of /proc/PID/status)."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def running(page):
    return page.get_by_role("button", name="Stop").count() > 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=5)
    parser.add_argument("--preset", default="Best: 98%", help="label of a preset button")
    parser.add_argument("--seconds", type=float, default=30.0,
                        help="how long to sample while all sessions train, then stop them")
    parser.add_argument("--until-done", action="store_true",
                        help="sample until every run has finished instead of stopping them")
    args = parser.parse_args()
    # On `kill`, still stop the server (the finally clause below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))

    from playwright.sync_api import sync_playwright

    report = {"sessions": args.sessions, "preset": args.preset,
              "load_average_start": os.getloadavg()}
    with serve_app() as (server, url):
        pid = server.pid
        report["started_mb"] = round(rss_mb(pid), 1)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            pages = [open_mnist_page(browser, url)]
            report["data_loaded_mb"] = round(rss_mb(pid), 1)
            pages += [open_mnist_page(browser, url) for _ in range(args.sessions - 1)]
            report["sessions_open_mb"] = round(rss_mb(pid), 1)
            for page in pages:  # as close to "at once" as one driver gets
                page.get_by_role("button", name=args.preset, exact=True).click()
            for page in pages:
                page.get_by_role("button", name="Stop").wait_for(timeout=120_000)
            peak, samples = 0.0, 0
            start = time.monotonic()
            while True:
                peak = max(peak, rss_mb(pid))
                samples += 1
                elapsed = time.monotonic() - start
                if args.until_done:
                    if elapsed > 5 and not any(running(page) for page in pages):
                        break
                elif elapsed >= args.seconds:
                    break
                time.sleep(0.2)
            report["training_peak_mb"] = round(peak, 1)
            report["sampled_seconds"] = round(time.monotonic() - start, 1)
            report["samples"] = samples
            for page in pages:
                if running(page):
                    page.get_by_role("button", name="Stop").click()
            for page in pages:
                page.get_by_role("button", name="Stop").wait_for(state="detached", timeout=60_000)
                wait_idle(page)
            report["after_mb"] = round(rss_mb(pid), 1)
            browser.close()
    report["per_training_session_mb"] = round(
        (report["training_peak_mb"] - report["data_loaded_mb"]) / args.sessions, 1)
    report["load_average_end"] = os.getloadavg()
    print(json.dumps(report))


if __name__ == "__main__":
    main()
