"""Screen updates per second of the Network playground while a 2x8 network trains on 500 points.

Run from the repository root:  python bench/playground_fps.py [--seconds 10]

What it does: start `streamlit run app.py` (the app's own config), open the
playground in Debian's Chromium with a link that sets up 2 hidden layers of 8
tanh units on 500 points of the circle data (250 of them for training, batch
10, one epoch per screen update), press Play, and then, for --seconds:

1. count in the page how often the epoch counter on screen changes, checked
   once per painted frame (requestAnimationFrame): the screen updates a
   learner sees;
2. count the frames the server sent (the page's own frame counter);
3. read the CPU time used by the Streamlit server and by every Chromium
   process (from /proc), per frame. These depend much less on what else runs
   on the machine than the rate does, so they bound what 2 idle cores could
   do: about 2000 / (server ms + browser ms) frames per second (CPU time
   itself grows somewhat when the cores are shared).

It also times the page's own work for one frame in this process (train one
epoch + draw, as while playing). The machine has 2 cores, often shared with
other work: the load average is printed with the results.
"""

import argparse
import glob
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from helpers import CHROMIUM, CHROMIUM_ARGS, serve_app  # noqa: E402

# 2 hidden layers of 8 units, 500 points (half for training), one epoch per update.
SETUP = ("data=circle&noise=0&points=500&train=50&seed=0&wseed=0&inputs=x1,x2&hidden=8,8"
         "&act=tanh&opt=sgd&lr=0.03&batch=10&speed=1")
TARGET_UPDATES_PER_S = 10.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

COUNTER_JS = """
() => {
  // Count painted frames in which the epoch counter shows a new value. A
  // mutation observer asks for one animation frame after a change, so the
  // counting itself does not make the browser paint continuously.
  window.__pg = {changes: 0, painted: null, pending: false};
  const text = () => {
    const node = document.querySelector('[data-pg=epoch]');
    return node ? node.textContent : null;
  };
  window.__pg.observer = new MutationObserver(() => {
    if (window.__pg.pending) return;
    window.__pg.pending = true;
    requestAnimationFrame(() => {
      window.__pg.pending = false;
      const now = text();
      if (now !== null && now !== window.__pg.painted) {
        window.__pg.changes += 1;
        window.__pg.painted = now;
      }
    });
  });
  window.__pg.observer.observe(document.body,
                               {subtree: true, childList: true, characterData: true});
}
"""


def processes():
    """pid -> (parent pid, CPU seconds used so far) for every process we can read."""
    table = {}
    for folder in glob.glob("/proc/[0-9]*"):
        try:
            with open(folder + "/stat") as stat:
                text = stat.read()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2:].split()
        table[int(folder[6:])] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS)
    return table


def tree_cpu(roots, include_roots=True):
    """CPU seconds used by the processes `roots` (or not) and all their descendants."""
    table = processes()
    children = {}
    for pid, (parent, _) in table.items():
        children.setdefault(parent, []).append(pid)
    total = sum(table.get(pid, (0, 0.0))[1] for pid in roots) if include_roots else 0.0
    todo = [child for pid in roots for child in children.get(pid, [])]
    while todo:
        pid = todo.pop()
        total += table.get(pid, (0, 0.0))[1]
        todo.extend(children.get(pid, []))
    return total


def measure_in_browser(seconds):
    """A dict of what the browser saw and what server and browser spent per frame."""
    from playwright.sync_api import expect, sync_playwright

    with serve_app() as (server, url):
        with sync_playwright() as playwright:
            # the Playwright driver is our child; Chromium is the driver's child
            drivers = [pid for pid, (parent, _) in processes().items()
                       if parent == os.getpid() and pid != server.pid]
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(url + "/", wait_until="domcontentloaded")
            page.get_by_role("heading", level=1).first.wait_for(timeout=60_000)
            page.goto(f"{url}/playground?{SETUP}")
            epoch = page.locator("[data-pg=epoch]")
            expect(epoch).to_have_text("0", timeout=60_000)
            page.get_by_role("button", name="Play").click()
            expect(epoch).not_to_have_text("0", timeout=30_000)
            page.wait_for_timeout(1000)  # settle into the steady rhythm

            def frame():
                return int(page.locator("[data-pg-frame]").first.get_attribute("data-pg-frame"))

            page.evaluate(COUNTER_JS)
            start = (time.perf_counter(), frame(), int(epoch.inner_text().replace(",", "")),
                     tree_cpu([server.pid]), tree_cpu(drivers, include_roots=False))
            page.wait_for_timeout(seconds * 1000)
            changes = page.evaluate("() => { window.__pg.observer.disconnect(); "
                                    "return window.__pg.changes; }")
            end = (time.perf_counter(), frame(), int(epoch.inner_text().replace(",", "")),
                   tree_cpu([server.pid]), tree_cpu(drivers, include_roots=False))
            browser.close()
    elapsed, frames = end[0] - start[0], max(end[1] - start[1], 1)
    return {
        "screen_updates_per_s": changes / elapsed,
        "frames_sent_per_s": (end[1] - start[1]) / elapsed,
        "epochs": end[2] - start[2],
        "server_ms_per_frame": 1000 * (end[3] - start[3]) / frames,
        "browser_ms_per_frame": 1000 * (end[4] - start[4]) / frames,
    }


def page_work_ms(frames=60):
    """Median CPU time of one frame's work (train one epoch + draw), in ms, and the frame cap."""
    from threadpoolctl import threadpool_limits

    from ui import networks, playground_view, url_state

    playground = (REPO / "app_pages" / "playground.py").read_text()
    frame_seconds = float(playground.split("FRAME_SECONDS = ", 1)[1].split()[0])
    budget_s = float(playground.split("TRAIN_BUDGET_S = ", 1)[1].split()[0])
    shared, nets = url_state.defaults()
    shared.update(points=500, train=50, speed=1)
    nets["a"].update(inputs=["x1", "x2"], hidden=[8, 8], act=["tanh"], batch=10)
    data = networks.load_data(shared)
    run = networks.Run(nets["a"], data, wseed=0)
    times = []
    with threadpool_limits(limits=1, user_api="blas"):  # as app.py sets it for the server
        for _ in range(frames):  # as the page does while playing
            start = time.process_time()
            networks.train_together([run], 1, budget_s)
            playground_view.run_html(run, run.picture(), data, shared, "", True, still=False)
            times.append(time.process_time() - start)
    return 1000 * statistics.median(times), 1.0 / frame_seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="browser measuring time")
    args = parser.parse_args()
    work_ms, cap = page_work_ms()
    print(f"page work per frame (train 1 epoch + draw), CPU, median of 60: {work_ms:.1f} ms; "
          f"the page paces frames to at most {cap:.0f}/s")
    result = measure_in_browser(args.seconds)
    verdict = "OK" if result["screen_updates_per_s"] >= TARGET_UPDATES_PER_S else "BELOW TARGET"
    print(f"browser: {result['screen_updates_per_s']:.1f} screen updates/s over "
          f"{args.seconds:g} s ({result['epochs']} epochs; server sent "
          f"{result['frames_sent_per_s']:.1f} frames/s) - target "
          f"{TARGET_UPDATES_PER_S:g}: {verdict}")
    server_ms, browser_ms = result["server_ms_per_frame"], result["browser_ms_per_frame"]
    print(f"CPU per frame: server {server_ms:.0f} ms, Chromium (all processes) "
          f"{browser_ms:.0f} ms -> 2 idle cores could give at most about "
          f"{min(cap, 2000 / max(server_ms + browser_ms, 1e-9)):.0f} updates/s")
    print(f"load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"({os.cpu_count()} cores; more than that means other work shared them)")


if __name__ == "__main__":
    main()
