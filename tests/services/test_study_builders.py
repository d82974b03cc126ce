"""Builders shared by the study and stats tests: a small collection written straight to SQL.

Kept as a module of helpers (it holds no tests) so the study tests do not depend on the
card parser or the importer: they need exact control over tags, decks, sources and ids.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from quizapp.cards.model import Card
from quizapp.cards.textfold import search_text
from quizapp.store.db import Database, open_database
from quizapp.store.tables import CARD_STATES, CARD_TAGS, CARDS, DECKS, TAGS

#: The fixed "now" every study test starts from: 10:00 UTC, well after the 04:00 rollover.
T0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Spec:
    """One card to create."""

    uid: str
    tags: Sequence[str] = ()
    difficulty: str | None = "medium"
    deck: str = "default"
    source: str = ""
    title: str = ""
    question: str = "What is it?"


@dataclass
class FakeClock:
    """A settable clock: tests move time explicitly."""

    now: datetime = T0
    ticks: list[datetime] = field(default_factory=list)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now = self.now + timedelta(**delta)


def make_database(path: Path | str) -> Database:
    """A fresh, migrated database: a file, or a URL (PostgreSQL)."""
    return open_database(path, auto_backup=False)


def add_cards(database: Database, specs: Sequence[Spec], created: datetime = T0) -> dict[str, int]:
    """Insert cards (new: reps 0, due at ``created``); returns uid -> primary key."""
    ids: dict[str, int] = {}
    with database.begin(write=True) as conn:
        decks = {row.name: row.id for row in conn.execute(select(DECKS.c.name, DECKS.c.id))}
        tags = {row.key: row.id for row in conn.execute(select(TAGS.c.key, TAGS.c.id))}
        for line, spec in enumerate(specs, start=1):
            if spec.deck not in decks:
                decks[spec.deck] = conn.execute(
                    insert(DECKS).values(name=spec.deck).returning(DECKS.c.id)
                ).scalar_one()
            source = spec.source or f"{spec.deck}/{spec.uid}.md"
            title = spec.title or spec.uid.replace("-", " ").title()
            pk = conn.execute(
                insert(CARDS)
                .values(
                    uid=spec.uid,
                    deck_id=decks[spec.deck],
                    title=title,
                    question=spec.question,
                    steps=[],
                    difficulty=spec.difficulty,
                    aliases=[],
                    exercises=[],
                    source=source,
                    source_path="/cards/" + source,
                    line=line,
                    content_hash=spec.uid,
                    search_text=search_text(Card(spec.uid, title, spec.question, ())),
                    created_at=created,
                    updated_at=created,
                    suspended=False,
                    buried_until=None,
                    missing=False,
                )
                .returning(CARDS.c.id)
            ).scalar_one()
            conn.execute(
                insert(CARD_STATES).values(
                    card_id=pk, state=1, step=0, due=created, reps=0, lapses=0
                )
            )
            for position, tag in enumerate(spec.tags):
                key = tag.casefold()
                if key not in tags:
                    tags[key] = conn.execute(
                        insert(TAGS).values(key=key, name=tag).returning(TAGS.c.id)
                    ).scalar_one()
                conn.execute(
                    insert(CARD_TAGS).values(card_id=pk, tag_id=tags[key], position=position)
                )
            ids[spec.uid] = int(pk)
    return ids


def numbered(count: int, **common: object) -> Iterator[Spec]:
    """``count`` specs named c000, c001, ... sharing the given fields."""
    for index in range(count):
        yield Spec(uid=f"c{index:03d}", **common)  # type: ignore[arg-type]


def simulate_reviews(
    cards: int, days: int, seed: int, start: datetime = T0
) -> list[tuple[int, datetime, int]]:
    """A learner's (card, time, rating) history, simulated with py-fsrs's scheduler.

    Recall is drawn from FSRS's own prediction for a learner whose memory is weaker than
    the default parameters assume, so a fit has something to find; the seed fixes it.
    """
    import random as random_module

    import fsrs

    rng = random_module.Random(seed)
    truth = list(fsrs.scheduler.DEFAULT_PARAMETERS)
    truth[0:4] = [w * 0.3 for w in truth[0:4]]
    truth[8] = truth[8] * 0.7
    learner = fsrs.Scheduler(parameters=truth, enable_fuzzing=False)
    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    reviews: list[tuple[int, datetime, int]] = []
    for card_id in range(1, cards + 1):
        first = start + timedelta(days=rng.randrange(days // 2), minutes=rng.randrange(600))
        card = fsrs.Card(card_id=card_id, due=first)
        memory = fsrs.Card(card_id=card_id, due=first)
        at = first
        while at < start + timedelta(days=days):
            recall = learner.get_card_retrievability(memory, at) if memory.last_review else 0.5
            passed = rng.random() < recall
            rating = rng.choice([2, 3, 3, 3, 4]) if passed else 1
            card, _ = scheduler.review_card(card, fsrs.Rating(rating), at)
            memory, _ = learner.review_card(memory, fsrs.Rating(rating), at)
            reviews.append((card_id, at, rating))
            at = max(card.due, at + timedelta(minutes=1)) + timedelta(minutes=rng.randrange(90))
    return reviews
