"""What an opened Anki collection holds, as plain dataclasses: note types, notes, cards,
decks and the review log.

This is the only module that reads the collection (see :func:`read_collection` for how).
The rest of the translation (``notes.py``, ``history.py``) works on these values and never
sees the library.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from anki.collection import Collection

#: Anki's card types (``cards.type``) and queues (``cards.queue``) that matter here.
CARD_NEW, CARD_LEARN, CARD_REVIEW, CARD_RELEARN = 0, 1, 2, 3
QUEUE_SUSPENDED = -1
#: Anki's note type kinds (``notetypes.type``).
NOTETYPE_CLOZE = 1


@dataclass(frozen=True, slots=True)
class AnkiNoteType:
    """A note type: its name, whether it is a cloze type, its field names in order, its
    card templates' names, and the stock type it was made from (``originalStockKind``:
    0 Basic, 1 and-reversed, 2 optional-reversed, 3 type-in, 4 Cloze), or None."""

    id: int
    name: str
    cloze: bool
    fields: tuple[str, ...]
    templates: tuple[str, ...]
    stock_kind: int | None


class AnkiNote(NamedTuple):
    """A note: its GUID (stable across exports), note type, tags and field values (HTML)."""

    id: int
    guid: str
    notetype: int
    tags: tuple[str, ...]
    fields: tuple[str, ...]


class AnkiCard(NamedTuple):
    """A card's scheduling as Anki left it. ``deck`` is the home deck (a card in a
    filtered deck counts in the deck it came from); ``due`` is a day number for review
    cards, already taken back from a filtered deck."""

    id: int
    note: int
    deck: int
    ordinal: int
    type: int
    queue: int
    due: int
    interval: int
    factor: int
    reps: int
    lapses: int


class AnkiReview(NamedTuple):
    """One revlog entry: ``id`` is its time in epoch milliseconds, ``ease`` the button
    (1-4, 0 for a manual change), ``interval`` the new interval (days when positive,
    seconds when negative), ``factor`` the ease in permille, ``millis`` the time taken,
    ``kind`` 0 learn, 1 review, 2 relearn, 3 filtered (cram), 4 manual, 5 rescheduled."""

    id: int
    card: int
    ease: int
    interval: int
    last_interval: int
    factor: int
    millis: int
    kind: int


@dataclass(frozen=True)
class AnkiCollection:
    """Everything the translation needs from one collection. ``today`` is Anki's day
    number for the day the package is read on and ``today_date`` that day's date, so that
    a review card's due day number can be turned into a date."""

    notetypes: dict[int, AnkiNoteType]
    notes: list[AnkiNote]
    cards: list[AnkiCard]
    decks: dict[int, str]
    reviews: list[AnkiReview]
    today: int
    today_date: date


def read_collection(col: Collection, today_date: date) -> AnkiCollection:
    """Read ``col`` whole; ``today_date`` is the study day the import happens on.

    Note types, decks and the day number come through the library's API. The notes,
    cards and revlog (100,000 rows and more) are then read from the collection's file
    with sqlite3, read-only: through the library's database handle each row costs a
    round trip, and reading them took longer than Anki's whole import. So the collection
    is closed here, once the API has given what only it can; the file is the one the
    library unpacked and upgraded.
    """
    notetypes: dict[int, AnkiNoteType] = {}
    for model in col.models.all():
        stock = model.get("originalStockKind")
        notetypes[int(model["id"])] = AnkiNoteType(
            id=int(model["id"]),
            name=str(model["name"]),
            cloze=int(model.get("type", 0)) == NOTETYPE_CLOZE,
            fields=tuple(str(field["name"]) for field in model["flds"]),
            templates=tuple(str(template["name"]) for template in model["tmpls"]),
            stock_kind=int(stock) if isinstance(stock, int) else None,
        )
    decks = {int(entry.id): str(entry.name) for entry in col.decks.all_names_and_ids()}
    today = int(col.sched.today)
    path = col.path
    col.close(downgrade=False)
    uri = Path(path).as_uri() + "?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as conn:
        notes = [
            AnkiNote(nid, str(guid), mid, tuple(str(tags).split()), tuple(str(flds).split("\x1f")))
            for nid, guid, mid, tags, flds in conn.execute(
                "select id, guid, mid, tags, flds from notes order by id"
            )
        ]
        # A card in a filtered deck keeps its home deck and due day in odid/odue.
        card_rows = conn.execute(
            "select id, nid, coalesce(nullif(odid, 0), did), ord, type, queue,"
            " case when odid then odue else due end, ivl, factor, reps, lapses"
            " from cards order by nid, ord"
        )
        cards = list(map(partial(tuple.__new__, AnkiCard), card_rows))
        # Each row becomes its named tuple without a Python call: the rows have the
        # fields' number and order (100,000 revlog entries and more)
        reviews = list(
            map(
                partial(tuple.__new__, AnkiReview),
                conn.execute(
                    "select id, cid, ease, ivl, lastIvl, factor, time, type from revlog"
                    " order by cid, id"
                ),
            )
        )
    return AnkiCollection(notetypes, notes, cards, decks, reviews, today, today_date)
