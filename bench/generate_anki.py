"""A generated Anki package for the import benchmark (issue 15): notes of the four stock
note types and a review history, made with the ``anki`` library itself.

The notes are added through ``Collection.add_notes``. A real history of 100,000 answers
through Anki's scheduler would take minutes to make, so the revlog is written with the
collection's own database handle (``col.db``): each card gets a learning step, then reviews
a few days apart with seeded ratings, and the card's scheduling fields are set to match its
last answer, as Anki's scheduler would leave them. The package is exported with
``export_anki_package`` (the current, zstd-compressed format, with scheduling).
"""

from __future__ import annotations

import os
import random
import tempfile
from dataclasses import dataclass
from pathlib import Path

#: Seconds in a day; revlog ids are milliseconds since the epoch.
DAY = 86_400
#: The generated history ends before this day (2026-01-01, noon UTC), fixed so runs compare;
#: intervals are capped at 60 days, so that 13 reviews fit in the three to four years before.
END = 1_767_268_800


@dataclass(frozen=True)
class GeneratedPackage:
    """What was written: the package and how many notes, cards and revlog entries it holds."""

    path: Path
    notes: int
    cards: int
    revlog: int


def write_package(path: Path, notes: int, reviews: int, seed: int = 15) -> GeneratedPackage:
    """Write an ``.apkg`` of ``notes`` notes whose cards have ``reviews`` revlog entries in
    all (spread over the first card of each note)."""
    from anki.collection import AddNoteRequest, Collection, ExportAnkiPackageOptions

    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="quizapp-anki-gen-") as tmp:
        col = Collection(os.path.join(tmp, "gen.anki2"))
        try:
            kinds = [
                col.models.by_name(name)
                for name in (
                    "Basic",
                    "Basic (and reversed card)",
                    "Cloze",
                    "Basic (type in the answer)",
                )
            ]
            requests = []
            for index in range(notes):
                model = kinds[index % len(kinds)]
                assert model is not None
                note = col.new_note(model)
                deck = col.decks.id(f"Gen::Part {index % 7}")
                assert deck is not None
                if model["name"] == "Cloze":
                    note["Text"] = (
                        f"Item {index}: the {{{{c1::gradient}}}} of \\(x^{{{index % 9}}}\\) "
                        f"is {{{{c2::{index % 9}x^{{{max(index % 9 - 1, 0)}}}}}}}"
                    )
                else:
                    note[note.keys()[0]] = f"Question {index}: what is <b>{index}</b>&nbsp;squared?"
                    note[note.keys()[1]] = f"<div>It is {index * index}.</div><br>\\[{index}^2\\]"
                note.tags = [f"gen::t{index % 13}", "bench"]
                requests.append(AddNoteRequest(note=note, deck_id=deck))
            col.add_notes(requests)
            card_ids = [
                cid for (cid,) in col.db.all("select min(id) from cards group by nid order by nid")
            ]
            per_card, extra = divmod(reviews, len(card_ids))
            rows = []
            updates = []
            revlog_id = (END - 3 * 365 * DAY) * 1000
            for position, cid in enumerate(card_ids):
                count = per_card + (1 if position < extra else 0)
                at = END - rng.randrange(3 * 365 * DAY, 4 * 365 * DAY)
                interval = 0
                factor = 2500
                for answer in range(count):
                    rating = 3 if answer == 0 else rng.choices((1, 2, 3, 4), (8, 10, 75, 7))[0]
                    kind = 0 if answer == 0 else 1
                    last = interval
                    if answer == 0:
                        interval = 1
                    elif rating == 1:
                        interval = 1
                        factor = max(1300, factor - 200)
                    else:
                        grown = interval * (factor / 1000) * (0.8 if rating == 2 else 1)
                        interval = min(60, max(1, round(grown)))
                    revlog_id = max(revlog_id + 1, at * 1000 + rng.randrange(1000))
                    taken = rng.randrange(2000, 20000)
                    rows.append((revlog_id, cid, -1, rating, interval, last, factor, taken, kind))
                    at += min(interval, 60) * DAY + rng.randrange(-3600, 3600)
                if count:
                    due_day = (at - col.crt) // DAY
                    updates.append((due_day, min(interval, 60), factor, count, cid))

            def write() -> None:
                col.db.executemany("insert into revlog values (?,?,?,?,?,?,?,?,?)", rows)
                col.db.executemany(
                    "update cards set type=2, queue=2, due=?, ivl=?, factor=?, reps=? where id=?",
                    updates,
                )

            col.db.transact(write)  # one transaction: row by row, each would commit
            card_count = col.card_count()
            col.export_anki_package(
                out_path=str(path),
                options=ExportAnkiPackageOptions(
                    with_scheduling=True, with_deck_configs=True, with_media=True, legacy=False
                ),
                limit=None,
            )
        finally:
            col.close()
    return GeneratedPackage(path, notes, card_count, len(rows))
