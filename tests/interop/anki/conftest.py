"""The fixture packages of the Anki import tests, built once per test session.

``deck`` is a collection with one note of each stock note type and one of a note type
of the user's own, MathJax and Anki's ``[$]`` LaTeX, an image and a sound, a suspended and
a buried card, five rounds of answers three days apart through Anki's scheduler, then a
due date set by hand, a card reset to new and a cram session in a filtered deck that does
not reschedule. It is exported in every package format Anki writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("anki")

import anki.collection  # noqa: F401  (first: anki.cards alone is a circular import)
from anki.cards import CardId
from anki.decks import DeckId

from interop.anki.packages import (
    Built,
    add,
    add_custom_notetype,
    add_media,
    answer_rounds,
    as_anki2_package,
    card_ids,
    database,
    export,
    new_collection,
)


@dataclass(frozen=True)
class DeckPackages:
    """The same collection in each format, what the tests compare against, and Anki's
    own memory states (stability, difficulty) by card id, None where Anki has none."""

    current: Path
    legacy: Path
    anki2: Path
    colpkg: Path
    guids: dict[str, str]
    card_ids: dict[str, list[int]]
    anki_states: dict[int, tuple[float, float] | None]
    revlog: list[tuple[int, int, int, int, int]]
    """(id, card id, ease, kind, factor) of every revlog entry."""
    suspended: int
    buried: int
    reset: int
    moved: int


FIELD_MATH = "Minimise \\(\\sum_i (y_i - \\hat y_i)^2\\) or [$]a &lt; b[/$]&nbsp;now"
BACK_MATH = (
    "<b>Gradient</b>: [$$]\\nabla L = 2X^T(Xw - y)[/$$]<br>"
    '<img src="pic.png"> [sound:clip.mp3] [latex]E = mc^2[/latex]'
)


def _build(folder: Path) -> DeckPackages:
    built: Built = new_collection(folder)
    add_custom_notetype(built, "Vocab", ["Word", "Meaning", "Example", "Notes"])
    add(
        built,
        "basic",
        "Basic",
        {"Front": FIELD_MATH, "Back": BACK_MATH},
        deck="ML::Basics::Loss",
        tags=("ml::loss", "math"),
    )
    add(
        built,
        "reversed",
        "Basic (and reversed card)",
        {"Front": "Bias", "Back": "Error from wrong assumptions"},
        deck="ML::Basics",
    )
    add(
        built,
        "optional",
        "Basic (optional reversed card)",
        {"Front": "Variance", "Back": "Error from sensitivity", "Add Reverse": "y"},
        deck="ML::Basics",
    )
    add(built, "typein", "Basic (type in the answer)", {"Front": "2 + 2?", "Back": "4"})
    add(
        built,
        "cloze",
        "Cloze",
        {
            "Text": "The {{c1::gradient}} of \\(x^2\\) is {{c2::\\(2x\\)::a derivative}}",
            "Back Extra": "Power rule",
        },
        deck="ML",
    )
    add(
        built,
        "vocab",
        "Vocab",
        {
            "Word": "overfitting",
            "Meaning": "fitting noise",
            "Example": "a 20-degree polynomial",
            "Notes": "",
        },
    )
    for index in range(6):
        add(
            built,
            f"plain{index}",
            "Basic",
            {"Front": f"Question {index}", "Back": f"Answer {index}"},
            deck="Drill",
        )
    add_media(built, "pic.png")
    add_media(built, "clip.mp3", b"ID3 not really a sound")
    answer_rounds(built, rounds=5, gap_days=3)
    col = built.col
    moved = built.card_ids["plain0"][0]
    reset = built.card_ids["plain1"][0]
    suspended = built.card_ids["plain2"][0]
    buried = built.card_ids["plain3"][0]
    col.sched.set_due_date(card_ids([moved]), "9")
    col.sched.schedule_cards_as_new(card_ids([reset]))
    col.sched.suspend_cards(card_ids([suspended]))
    col.sched.bury_cards(card_ids([buried]))
    cram_id = col.decks.new_filtered("Cram")
    cram = col.sched.get_or_create_filtered_deck(cram_id)
    cram.config.reschedule = False
    cram.config.search_terms[0].search = "deck:Drill"
    cram.config.search_terms[0].limit = 100
    added = col.sched.add_or_update_filtered_deck(cram)
    col.decks.select(DeckId(added.id))
    for _ in range(4):
        card = col.sched.getCard()
        if card is None:
            break
        col.sched.answerCard(card, 3)
    col.sched.empty_filtered_deck(DeckId(added.id))
    col.decks.remove([DeckId(added.id)])
    states: dict[int, tuple[float, float] | None] = {}
    for ids in built.card_ids.values():
        for cid in ids:
            computed = col.compute_memory_state(CardId(cid))
            states[cid] = (
                (computed.stability, computed.difficulty)
                if computed.stability is not None and computed.difficulty is not None
                else None
            )
    revlog = [
        (int(a), int(b), int(c), int(d), int(e))
        for a, b, c, d, e in database(col).all("select id, cid, ease, type, factor from revlog")
    ]
    current = export(built, folder / "deck.apkg")
    legacy = export(built, folder / "deck-legacy.apkg", legacy=True)
    anki2 = as_anki2_package(legacy, folder / "deck-anki2.apkg")
    colpkg = export(built, folder / "deck.colpkg")  # closes the collection
    return DeckPackages(
        current,
        legacy,
        anki2,
        colpkg,
        dict(built.guids),
        dict(built.card_ids),
        states,
        revlog,
        suspended,
        buried,
        reset,
        moved,
    )


@pytest.fixture(scope="session")
def deck_packages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DeckPackages]:
    """The fixture packages (see the module's docstring)."""
    yield _build(tmp_path_factory.mktemp("anki-deck"))
