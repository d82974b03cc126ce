"""``quizapp serve`` run as a person runs it, and a headless Chromium to open it with.

Shared by the web tests and ``bench/parts/web.py``. The server is a real process (the
console script's code under this interpreter, in a process group of its own so that a
test can press Ctrl+C on it as a terminal would); the browser is Debian's ``chromium``
driven through ``chromedriver`` (Selenium), never a downloaded one. The page keeps its
xterm.js terminal as ``window.quizappTerminal`` (``quizapp.web.server.served_script``),
so what a tab shows is read from the terminal's buffer as text.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

#: How long a server may take to print its URL, a page to draw, a process to end.
START_TIMEOUT = 60.0
DRAW_TIMEOUT = 30.0

#: Drawn on the home screen once today's counts are in (as ``bench/parts/tui.py`` waits).
HOME_READY = r"\d+ to study|nothing due"

#: The lines of xterm.js's active buffer, each as the text it shows.
_READ_TERMINAL = """
const holder = window.quizappTerminal;
if (!holder) { return null; }
const buffer = holder.terminal.buffer.active;
const lines = [];
for (let row = 0; row < buffer.length; row++) {
  const line = buffer.getLine(row);
  lines.push(line ? line.translateToString(true) : "");
}
return lines.join("\\n");
"""


#: The page coordinates of the middle of the first cell run showing ``arguments[0]``.
_FIND_TEXT = """
const term = window.quizappTerminal.terminal;
const buffer = term.buffer.active;
const screen = term.element.querySelector(".xterm-screen");
const box = screen.getBoundingClientRect();
const width = box.width / term.cols, height = box.height / term.rows;
for (let row = 0; row < term.rows; row++) {
  const line = buffer.getLine(buffer.viewportY + row);
  const column = line ? line.translateToString(false).indexOf(arguments[0]) : -1;
  if (column >= 0) {
    return {x: box.left + (column + arguments[0].length / 2) * width,
            y: box.top + (row + 0.5) * height};
  }
}
return null;
"""


def browser_missing() -> str | None:
    """Why the browser tests cannot run here (None when they can)."""
    try:
        import selenium  # noqa: F401
    except ModuleNotFoundError:
        return "selenium is not installed (uv sync installs the dev group)"
    for program in ("chromium", "chromedriver"):
        if shutil.which(program) is None:
            return (
                f"{program} is not installed: apt-get install -y chromium chromium-driver "
                "(.ci/run does)"
            )
    return None


# ---------------------------------------------------------------------- the server


class Served:
    """A running ``quizapp serve``: its process, its printed URL, its output so far."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.url = self.wait_for_line(r"^Open (\S+)", START_TIMEOUT).group(1)

    @classmethod
    def start(cls, db: Path, *options: str) -> Served:
        """Start ``quizapp --db DB --no-bundled serve --port 0 OPTIONS…`` and wait for its URL."""
        command = [
            sys.executable,
            "-c",
            "from quizapp.cli import main; main()",
            "--db",
            str(db),
            "--no-bundled",
            "serve",
            "--port",
            "0",
            *options,
        ]
        environment = {k: v for k, v in os.environ.items() if not k.startswith("QUIZAPP_")}
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            env=environment,
            start_new_session=True,
        )
        try:
            return cls(process)
        except BaseException:
            _end(process)
            raise

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def wait_for_line(self, pattern: str, timeout: float = DRAW_TIMEOUT) -> re.Match[str]:
        """The first output line matching ``pattern``, waiting up to ``timeout`` s for it."""
        compiled = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for line in self.lines:
                    if match := compiled.search(line):
                        return match
                left = deadline - time.monotonic()
                if left <= 0 or (self.process.poll() is not None and not self._reader.is_alive()):
                    output = "\n".join(self.lines)
                    raise AssertionError(f"serve printed no line like {pattern!r}:\n{output}")
                self._changed.wait(left)

    @property
    def base(self) -> str:
        """The URL's scheme, host and port (``http://127.0.0.1:PORT``)."""
        match = re.match(r"https?://[^/]+", self.url)
        assert match is not None
        return match.group(0).replace("://0.0.0.0", "://127.0.0.1")

    def children(self) -> list[int]:
        """The ids of the processes serve started that are still running (its app
        processes), read from /proc."""
        return child_pids(self.process.pid)

    def interrupt(self, timeout: float = START_TIMEOUT) -> int:
        """Press Ctrl+C on serve's terminal (SIGINT to its process group); its exit status."""
        os.killpg(self.process.pid, signal.SIGINT)
        return self.process.wait(timeout)

    def close(self) -> None:
        """Stop serve if it still runs (for fixtures' teardown)."""
        _end(self.process)
        self._reader.join(5)


def _end(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdout is not None:
        process.stdout.close()


def child_pids(parent: int) -> list[int]:
    """The ids of ``parent``'s running child processes (zombies excluded), from /proc."""
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if fields[0] != "Z" and int(fields[1]) == parent:
            children.append(int(entry.name))
    return children


def alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2 :].split()[0] != "Z"


def poll(condition: Callable[[], Any], timeout: float, what: str) -> Any:
    """``condition()``'s first true value, asked every 50 ms for up to ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.05)


# ---------------------------------------------------------------------- the browser


class Tab:
    """One browser tab showing the served app."""

    def __init__(self, driver: WebDriver, handle: str) -> None:
        self.driver = driver
        self.handle = handle

    def _front(self) -> None:
        if self.driver.current_window_handle != self.handle:
            self.driver.switch_to.window(self.handle)

    def text(self) -> str:
        """What the tab's terminal shows now ("" before the terminal exists)."""
        self._front()
        text = self.driver.execute_script(_READ_TERMINAL)
        return text if isinstance(text, str) else ""

    def wait_for(self, pattern: str, timeout: float = DRAW_TIMEOUT) -> re.Match[str]:
        """Wait until the terminal shows text matching ``pattern``; the match."""
        compiled = re.compile(pattern)
        last = ""

        def found() -> re.Match[str] | None:
            nonlocal last
            last = self.text()
            return compiled.search(last)

        try:
            match: re.Match[str] = poll(found, timeout, f"{pattern!r} in the terminal")
        except AssertionError as error:
            raise AssertionError(f"{error}; the terminal shows:\n{last}") from None
        return match

    def press(self, *keys: str) -> None:
        """Type ``keys`` into the terminal (each a character or a Selenium ``Keys`` value)."""
        from selenium.webdriver.common.action_chains import ActionChains

        self._front()
        self.driver.execute_script("window.quizappTerminal.terminal.focus();")
        actions = ActionChains(self.driver)
        for key in keys:
            actions.send_keys(key)
        actions.perform()

    def click_text(self, text: str) -> None:
        """Click the middle of the first place the terminal shows ``text``, as a person
        would with the mouse (xterm.js turns the click into the terminal's mouse report)."""
        from selenium.webdriver.common.actions.action_builder import ActionBuilder

        self._front()
        where = self.driver.execute_script(_FIND_TEXT, text)
        assert where is not None, f"{text!r} is not on the screen:\n{self.text()}"
        actions = ActionBuilder(self.driver)
        actions.pointer_action.move_to_location(int(where["x"]), int(where["y"]))  # type: ignore[no-untyped-call]
        actions.pointer_action.click()
        actions.perform()

    def screenshot(self, path: Path) -> None:
        """Save what the tab shows as a PNG."""
        self._front()
        path.parent.mkdir(parents=True, exist_ok=True)
        assert self.driver.save_screenshot(str(path)), f"no screenshot saved to {path}"


class Browser:
    """A headless Chromium (Debian's), with tabs."""

    def __init__(self, size: tuple[int, int] = (1100, 700)) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service

        chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
        assert chromium is not None and driver is not None, browser_missing()
        options = Options()
        options.binary_location = chromium
        for argument in (
            "--headless=new",
            "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
            "--disable-dev-shm-usage",
            "--disable-gpu",
            f"--window-size={size[0]},{size[1]}",
            # Tabs in the background keep drawing at full speed (two tabs answer at once).
            "--disable-background-timer-throttling",
            "--disable-renderer-backgrounding",
            "--disable-backgrounding-occluded-windows",
        ):
            options.add_argument(argument)
        self.driver: WebDriver = webdriver.Chrome(service=Service(driver), options=options)
        self._first = True

    def open(self, url: str) -> Tab:
        """Open ``url`` in a new tab (the first call uses the window's own tab)."""
        if not self._first:
            self.driver.switch_to.new_window("tab")
        self._first = False
        self.driver.get(url)
        return Tab(self.driver, self.driver.current_window_handle)

    def close(self) -> None:
        """Quit the browser and its driver."""
        self.driver.quit()


@contextmanager
def browser(size: tuple[int, int] = (1100, 700)) -> Iterator[Browser]:
    """A headless Chromium for the duration of the block."""
    instance = Browser(size)
    try:
        yield instance
    finally:
        instance.close()


def write_deck(folder: Path, titles: Sequence[str]) -> Path:
    """One card file per title, each with a one-step answer: ``Answer to <title>.`` and a
    link to ``https://example.org/<number>``."""
    folder.mkdir(parents=True, exist_ok=True)
    for number, title in enumerate(titles, 1):
        (folder / f"card-{number}.md").write_text(
            f"# {title}\n\n## Question\nWhat is {title.lower()}?\n\n"
            f"## Answer\nAnswer to {title}. See [the notes](https://example.org/{number}).\n\n"
            "## Tags\n#web\n",
            encoding="utf-8",
        )
    return folder


def import_deck(db: Path, folder: Path) -> None:
    """Import ``folder`` into the database ``db`` (created if needed)."""
    from quizapp.services.importer import import_paths
    from quizapp.store.db import open_database

    database = open_database(db, auto_backup=False)
    try:
        report = import_paths(database, [folder])
        assert not report.errors, report.errors
    finally:
        database.close()
