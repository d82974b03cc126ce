"""Cards of every kind, built directly (not through a format), for store, service, CLI and
TUI tests: a cloze note of two deletions (math in one), a reversed pair and a
question-only card, all from one file."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from quizapp.cards.cloze import card_text
from quizapp.cards.identity import content_hash
from quizapp.cards.model import Card, CardKind, Step
from quizapp.store.db import Database
from quizapp.store.records import SourceFileInfo

#: The cloze note: c1 hides a word, c2 a formula behind a hint.
CLOZE_NOTE = (
    "{{c1::Adam}} keeps two moving averages of the gradient, "
    "{{c2::$m_t$ and $v_t$::its two moments}}, and divides by $\\sqrt{\\hat v_t}$."
)
SOURCE = "/cards/optim.md"


def _card(
    uid: str,
    title: str,
    question: str,
    kind: CardKind,
    note: str = "",
    steps: tuple[Step, ...] = (),
    deck: str = "optim",
) -> Card:
    card = Card(
        id=uid,
        title=title,
        question=question,
        steps=steps,
        tags=("Optimisation",),
        difficulty="medium",
        deck=deck,
        source="optim.md",
        kind=kind,
        note=note,
    )
    return replace(card, content_hash=content_hash(card))


def kind_cards(deck: str = "optim") -> list[Card]:
    """Five cards: ``optim#adam/c1`` and ``/c2`` (cloze siblings), ``optim#relu`` and
    ``optim#relu/reverse`` (a reversed pair), and ``optim#adamw`` (question only)."""
    first, second = card_text(CLOZE_NOTE, 1), card_text(CLOZE_NOTE, 2)
    return [
        _card("optim#adam/c1", first, first, CardKind.CLOZE, "optim#adam", deck=deck),
        _card(
            "optim#adam/c2",
            "Adam's moments",
            second,
            CardKind.CLOZE,
            "optim#adam",
            (Step(("Extra",), "Kingma and Ba, 2015."),),
            deck=deck,
        ),
        _card(
            "optim#relu",
            "ReLU",
            "What is the ReLU activation?",
            CardKind.BASIC,
            "optim#relu",
            (Step((), "$\\max(0, x)$: zero for negative inputs."),),
            deck=deck,
        ),
        _card(
            "optim#relu/reverse",
            "Which activation is max(0, x)?",
            "Which activation is $\\max(0, x)$?",
            CardKind.REVERSED,
            "optim#relu",
            (Step((), "ReLU, the rectified linear unit."),),
            deck=deck,
        ),
        _card(
            "optim#adamw",
            "Why does AdamW decouple weight decay?",
            "Why does AdamW decouple weight decay from the gradient update?",
            CardKind.QUESTION_ONLY,
            deck=deck,
        ),
    ]


def write_kind_cards(db: Database, now: datetime, deck: str = "optim") -> list[Card]:
    """Import :func:`kind_cards` into ``db`` as one file's cards, at ``now``."""
    cards = kind_cards(deck)
    info = SourceFileInfo(SOURCE, 1, 1, "0" * 64, "/cards")
    db.import_writer().write_file(info, cards, now)
    return cards
