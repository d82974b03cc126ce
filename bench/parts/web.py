"""The app in a browser (issue 19): ``quizapp serve`` opened in headless Chromium.

- Page open to home: from the browser starting to load the page to the home screen's due
  counts ("N to study") in the terminal's text (xterm.js's buffer) and a frame drawn, as
  the page measures it (``performance.now()``, a probe installed before the page's own
  scripts, so chromedriver's round trips are not counted),
  against the TUI's own cold start to the same ready home screen in a pseudo-terminal
  (``bench.terminal``), alternating with it in the same run on the same collection. The
  server is started once beforehand (as it is left running); every round loads the page
  in the same tab, which starts a new app process (the previous one has ended).
- Key press to next card: on the review screen in the browser, from the page's keydown
  of "3" (Good) to the next card's title drawn: measured inside the page
  (``performance.now()`` at the keydown, then, when xterm.js has parsed the output that
  shows another title, at the next animation frame), so the webdriver's own round trips
  are not counted. The path measured is the whole loop: websocket, serve, the app
  process (answer written, next card read and drawn), websocket, xterm.js.

Needs Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them); without
them the rows say why and the run goes on.
"""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path

from bench.history_db import collection, working_copy
from bench.parts.common import guarded, verdict
from bench.parts.tui import HOME_READY, ROOT, _quiz
from bench.report import Row, fmt_s, median
from bench.terminal import Terminal

PART = "web"
FIGURES = [
    ("page open to home screen drawn, browser", "≤ 2× TUI cold start"),
    ("key press to next card drawn, browser", "median ≤ 100 ms"),
]

#: Watches the page's terminal for the next card after each "3" (see the module's text).
_PROBE = """
const term = window.quizappTerminal.terminal;
const probe = window.quizappProbe = {start: null, end: null, before: arguments[0], title: null};
const pattern = /Synthetic question (\\d+)/g;
function text() {
  const buffer = term.buffer.active;
  const lines = [];
  for (let row = 0; row < buffer.length; row++) {
    const line = buffer.getLine(row);
    lines.push(line ? line.translateToString(true) : "");
  }
  return lines.join("\\n");
}
term.onWriteParsed(() => {
  if (probe.start === null || probe.end !== null) { return; }
  for (const match of text().matchAll(pattern)) {
    if (match[1] !== probe.before) {
      probe.end = -1;
      probe.title = match[1];
      requestAnimationFrame(() => { probe.end = performance.now(); });
      return;
    }
  }
});
document.addEventListener("keydown", (event) => {
  if (event.key === "3" && probe.start === null) { probe.start = performance.now(); }
}, true);
"""


#: Installed in every page before its own scripts: notes when the home screen's due counts
#: are in the terminal and a frame has been drawn, in ms since the page began to load.
_READY_PROBE = """
(() => {
  const pattern = /\\d+ to study|nothing due/;
  function shown(term) {
    const buffer = term.buffer.active;
    for (let row = 0; row < buffer.length; row++) {
      const line = buffer.getLine(row);
      if (line && pattern.test(line.translateToString(true))) { return true; }
    }
    return false;
  }
  const waiting = setInterval(() => {
    const holder = window.quizappTerminal;
    if (!holder) { return; }
    clearInterval(waiting);
    const done = holder.terminal.onWriteParsed(() => {
      if (shown(holder.terminal)) {
        done.dispose();
        requestAnimationFrame(() => { window.quizappReadyAt = performance.now(); });
      }
    });
  }, 5);
})();
"""


def bench_web(smoke: bool) -> list[Row]:
    """The two browser figures."""
    return guarded(PART, FIGURES, lambda: _run(smoke))


def _run(smoke: bool) -> list[Row]:
    from tests.web.harness import Served, browser, browser_missing

    missing = browser_missing()
    if missing is not None:
        raise RuntimeError(missing)
    rounds, presses = (1, 2) if smoke else (5, 30)
    source = collection(400, 4_000) if smoke else collection(10_000, 100_000)
    size = f"{source.cards:,} cards"
    with tempfile.TemporaryDirectory(prefix="quizapp-bench-web-") as tmp:
        folder = Path(tmp)
        config = folder / "config"
        config.mkdir()
        db = working_copy(source.path, folder)
        _tui_ready(db, config)  # once, untimed: the daily backup, warm caches
        served = Served.start(db)
        try:
            with browser() as chromium:
                tui_s: list[float] = []
                page_s: list[float] = []
                for _ in range(rounds):
                    tui_s.append(_tui_ready(db, config))
                    page_s.append(_page_ready(chromium, served))
                rows = [_start_row(tui_s, page_s, size, smoke)]
                rows.append(_key_presses(chromium, served, presses, size, smoke))
        finally:
            served.close()
    return rows


def _tui_ready(db: Path, config: Path) -> float:
    """Seconds from starting the TUI to its ready home screen."""
    with Terminal(_quiz(db, config), cwd=ROOT) as term:
        term.wait_for(HOME_READY, timeout=180)
        return time.perf_counter() - term.started


def _page_ready(chromium: object, served: object) -> float:
    """Seconds from the browser starting to load the page to its ready home screen drawn,
    as the page itself measures it (``_READY_PROBE``); the tab then leaves the page, and
    its app process has ended before this returns."""
    from tests.web.harness import Browser, Served, poll

    assert isinstance(chromium, Browser) and isinstance(served, Served)
    driver = chromium.driver
    if not getattr(driver, "_quizapp_probe", False):
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": _READY_PROBE})
        driver._quizapp_probe = True  # type: ignore[attr-defined]
    driver.get(served.url)
    ready = poll(lambda: driver.execute_script("return window.quizappReadyAt;"), 180, "home")
    driver.get("about:blank")
    poll(lambda: served.children() == [], 30, "the tab's app process to end")
    return float(ready) / 1000


def _start_row(tui_s: list[float], page_s: list[float], size: str, smoke: bool) -> Row:
    tui, page = median(tui_s), median(page_s)
    return Row(
        PART,
        f"page open to home screen drawn, browser ({size})",
        f"{fmt_s(page)} = {page / tui:.2f}× the TUI's cold start",
        f"TUI cold start to ready home {fmt_s(tui)} (median of {len(tui_s)}, same run)",
        "≤ 2×",
        verdict(page <= 2 * tui, smoke),
    )


def _key_presses(chromium: object, served: object, presses: int, size: str, smoke: bool) -> Row:
    """Median in-page time from "3" to the next card drawn, over ``presses`` answers."""
    from selenium.webdriver.common.keys import Keys

    from tests.web.harness import Browser, Served, poll

    assert isinstance(chromium, Browser) and isinstance(served, Served)
    tab = chromium.open(served.url)
    tab.wait_for(HOME_READY, timeout=180)
    tab.press(Keys.ENTER)
    shown = tab.wait_for(r"Synthetic question (\d+)", timeout=60).group(1)
    samples: list[float] = []
    for _ in range(presses + 1):
        tab.press(" ")
        tab.wait_for("3 good", timeout=30)
        chromium.driver.execute_script(_PROBE, shown)
        tab.press("3")
        probe = poll(
            lambda: _finished(chromium.driver.execute_script("return window.quizappProbe;")),
            30,
            "the next card",
        )
        samples.append((probe["end"] - probe["start"]) / 1000)
        shown = probe["title"]
        tab.wait_for(rf"Synthetic question {re.escape(shown)}\b", timeout=30)
    samples = samples[1:]  # the first answer pays for imports (py-fsrs) once
    took = median(samples)
    return Row(
        PART,
        f"key press to next card drawn, browser ({size})",
        f"median {fmt_s(took)}, max {fmt_s(max(samples))} over {len(samples)} answers",
        "in the page: keydown to the next title parsed and a frame drawn",
        "median ≤ 100 ms",
        verdict(took <= 0.1, smoke),
    )


def _finished(probe: object) -> dict[str, object] | None:
    """The probe once it has both ends, else None."""
    if isinstance(probe, dict) and probe.get("start") is not None:
        end = probe.get("end")
        if isinstance(end, int | float) and end > 0:
            return probe
    return None
