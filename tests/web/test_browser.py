"""The served app in a real browser: Debian's Chromium, headless, reading xterm.js's text.

These are the tests that say the web front end works, not that it is assumed to: a
person's keys go in through the page, the app's screens come back through the websocket,
and the answers land in the database. The screenshot of the last run is kept in
``tests/web/screenshots/`` (an artefact to look at, not compared pixel by pixel;
``QUIZAPP_KEEP_SCREENSHOTS=1`` replaces it with this run's).
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

from selenium.webdriver.common.keys import Keys

from .conftest import TITLES
from .harness import HOME_READY, Browser, Served, Tab, poll

SCREENSHOTS = Path(__file__).with_name("screenshots")


def keep(shot: Path) -> None:
    """Keep ``shot`` in ``tests/web/screenshots/`` when there is none yet, or when
    ``QUIZAPP_KEEP_SCREENSHOTS`` is set: a run does not rewrite the committed one (every
    run's bytes differ), so the working tree stays clean."""
    kept = SCREENSHOTS / shot.name
    if os.environ.get("QUIZAPP_KEEP_SCREENSHOTS") or not kept.exists():
        SCREENSHOTS.mkdir(exist_ok=True)
        shutil.copyfile(shot, kept)


def reviews(db: Path) -> list[tuple[str, int]]:
    """(card id, rating) of every review stored, oldest first."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        rows = connection.execute(
            "SELECT cards.uid, review_logs.rating FROM review_logs "
            "JOIN cards ON cards.id = review_logs.card_id ORDER BY review_logs.id"
        ).fetchall()
    return [(str(uid), int(rating)) for uid, rating in rows]


def shown_title(tab: Tab, other_than: str | None = None) -> str:
    """The title of the card the tab shows (waiting for one other than ``other_than``)."""
    titles = [t for t in TITLES if t != other_than]
    pattern = "|".join(re.escape(title) for title in titles)
    return tab.wait_for(pattern).group(0)


def answer_good(tab: Tab, title: str) -> None:
    """Reveal the card's answer with Space, wait for it, rate it Good (3)."""
    tab.press(" ")
    tab.wait_for(re.escape(f"Answer to {title}."))
    tab.press("3")


def test_a_review_in_the_browser_lands_in_the_database(
    collection: Path, serve: Callable[..., Served], chromium: Browser, tmp_path: Path
) -> None:
    served = serve(collection)
    tab = chromium.open(served.url)
    tab.wait_for(HOME_READY)

    tab.press(Keys.ENTER)
    first = shown_title(tab)
    answer_good(tab, first)
    second = shown_title(tab, other_than=first)
    answer_good(tab, second)
    shown_title(tab, other_than=second)  # the session goes on to a third card

    stored = poll(lambda: len(reviews(collection)) == 2 and reviews(collection), 20, "2 reviews")
    assert [rating for _, rating in stored] == [3, 3]
    assert len({uid for uid, _ in stored}) == 2
    shot = tmp_path / "review-in-chromium.png"
    tab.screenshot(shot)
    assert shot.read_bytes().startswith(b"\x89PNG")
    keep(shot)


def test_two_tabs_answering_at_once_both_land(
    collection: Path, serve: Callable[..., Served], chromium: Browser
) -> None:
    served = serve(collection)
    first_tab = chromium.open(served.url)
    second_tab = chromium.open(served.url)
    for tab in (first_tab, second_tab):
        tab.wait_for(HOME_READY)
        tab.press(Keys.ENTER)
    shown = shown_title(first_tab)
    assert shown_title(second_tab) == shown  # one queue, one database
    # The second tab sets that card aside for today (b: bury), so the tabs show two cards.
    second_tab.press("b")
    other = shown_title(second_tab, other_than=shown)
    for tab, title in ((first_tab, shown), (second_tab, other)):
        tab.press(" ")
        tab.wait_for(re.escape(f"Answer to {title}."))

    first_tab.press("3")  # no wait between: both app processes write at once
    second_tab.press("3")

    stored = poll(lambda: len(reviews(collection)) >= 2 and reviews(collection), 20, "2 reviews")
    assert len(stored) == 2
    uids = {uid for uid, _ in stored}
    assert len(uids) == 2
    assert len(served.children()) == 2  # one app process per tab


def test_a_link_in_a_card_opens_in_a_new_tab_of_the_browser(
    collection: Path, serve: Callable[..., Served], chromium: Browser
) -> None:
    served = serve(collection)
    tab = chromium.open(served.url)
    # What the page asks the browser to open is recorded instead of loaded.
    chromium.driver.execute_script(
        "window.opened = []; window.open = (url, target) => { window.opened.push([url, target]); };"
    )
    tab.wait_for(HOME_READY)
    tab.press(Keys.ENTER)
    title = shown_title(tab)
    tab.press(" ")
    tab.wait_for(re.escape(f"Answer to {title}."))
    number = TITLES.index(title) + 1

    tab.click_text("the notes")

    opened = poll(lambda: chromium.driver.execute_script("return window.opened;"), 20, "a link")
    assert opened == [[f"https://example.org/{number}", "_blank"]]
