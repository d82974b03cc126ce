"""Due counts through the indexes agree with counting the same cards in plain Python, on
SQLite and PostgreSQL (``module_backend_url``)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, timedelta

import pytest
from sqlalchemy import update
from test_study_builders import T0, FakeClock, Spec, add_cards, make_database

from quizapp.scheduling.filters import StudyFilter
from quizapp.scheduling.memory import LEARNING, RELEARNING, REVIEW
from quizapp.scheduling.queue import day_window
from quizapp.services.study import StudySession, due_by_group
from quizapp.store.db import Database
from quizapp.store.records import DueCounts
from quizapp.store.tables import CARDS

TAGS = ("ml", "stats", "ML/optim", "probability")
DECKS = ("dl", "dl/cnn", "dlx", "maths")


@pytest.fixture(scope="module")
def collection(module_backend_url: str) -> Iterator[tuple[Database, FakeClock, dict[str, Spec]]]:
    """60 cards over tags, decks and difficulties; three days of answers; some hidden."""
    db = make_database(module_backend_url)
    rng = random.Random(3)
    specs = {
        f"k{i:02d}": Spec(
            f"k{i:02d}",
            tags=tuple(rng.sample(TAGS, rng.randrange(3))),
            difficulty=(None, "easy", "medium", "hard")[i % 4],
            deck=DECKS[i % len(DECKS)],
            question="a gradient question" if i % 5 == 0 else "something else",
        )
        for i in range(60)
    }
    add_cards(db, list(specs.values()))
    clock = FakeClock()
    for day in range(3):
        clock.now = T0 + timedelta(days=day)
        session = StudySession(db, clock=clock, zone=UTC)
        for _ in range(25):
            if session.next_card() is None:
                break
            session.answer(rng.choice([1, 2, 3, 3, 4]), 1000)
            clock.advance(minutes=3)
    clock.now = T0 + timedelta(days=4, hours=2)  # some reviews due, one answer still learning
    with db.begin(write=True) as conn:
        conn.execute(update(CARDS).where(CARDS.c.id.in_([2, 7])).values(suspended=True))
        conn.execute(update(CARDS).where(CARDS.c.id == 11).values(missing=True))
        conn.execute(
            update(CARDS)
            .where(CARDS.c.id == 13)
            .values(buried_until=clock.now + timedelta(hours=3))
        )
        conn.execute(
            update(CARDS)
            .where(CARDS.c.id == 17)
            .values(buried_until=clock.now - timedelta(hours=1))
        )
    yield db, clock, specs
    db.close()


def _expected(
    db: Database, specs: dict[str, Spec], study_filter: StudyFilter, clock: FakeClock
) -> DueCounts:
    """The same counts, card by card, from each card's stored row and state."""
    now = clock.now
    end = day_window(now, 4, UTC).end
    learning = review = new = 0
    with db.begin() as conn:
        rows = {row.uid: row for row in conn.execute(CARDS.select())}
    for uid, spec in specs.items():
        row = rows[uid]
        buried = row.buried_until is not None and row.buried_until > now
        if row.suspended or row.missing or buried or not _matches(study_filter, spec):
            continue
        memory = db.answers.memory(row.id)
        if memory.is_new:
            new += 1
        elif memory.state in (LEARNING, RELEARNING) and memory.due <= now:
            learning += 1
        elif memory.state == REVIEW and memory.due < end:
            review += 1
    return DueCounts(learning, review, new)


def _matches(study_filter: StudyFilter, spec: Spec) -> bool:
    tags = {tag.casefold() for tag in spec.tags}
    if study_filter.tags_any and not tags & {t.casefold() for t in study_filter.tags_any}:
        return False
    if not {t.casefold() for t in study_filter.tags_all} <= tags:
        return False
    if study_filter.difficulties and spec.difficulty not in study_filter.difficulties:
        return False
    deck = (study_filter.deck or "").strip("/")
    if deck and not (spec.deck == deck or spec.deck.startswith(deck + "/")):
        return False
    text = (study_filter.text or "").casefold()
    return not text or text in spec.question.casefold() or text in spec.uid


@pytest.mark.parametrize(
    "study_filter",
    [
        StudyFilter(),
        StudyFilter(tags_any=("ML", "probability")),
        StudyFilter(tags_all=("ml", "stats")),
        StudyFilter(difficulties=("hard", "easy")),
        StudyFilter(tags_any=("stats",), difficulties=("medium",)),
        StudyFilter(deck="dl"),
        StudyFilter(deck="dl/cnn", difficulties=("hard",)),
        StudyFilter(text="gradient"),
    ],
    ids=repr,
)
def test_due_counts_match_plain_python(
    collection: tuple[Database, FakeClock, dict[str, Spec]], study_filter: StudyFilter
) -> None:
    db, clock, specs = collection
    expected = _expected(db, specs, study_filter, clock)
    window = day_window(clock.now, 4, UTC)
    assert db.queue.due_counts(study_filter, clock.now, window) == expected
    if study_filter == StudyFilter():
        assert expected.learning + expected.review > 0 and expected.new > 0


def test_matching_ids_leave_out_hidden_cards(
    collection: tuple[Database, FakeClock, dict[str, Spec]],
) -> None:
    db, clock, specs = collection
    ids = db.queue.matching_ids(StudyFilter(deck="dl"), clock.now)
    expected = [
        index + 1
        for index, spec in enumerate(specs.values())
        if spec.deck.startswith("dl") and spec.deck != "dlx" and index + 1 not in (2, 7, 11, 13)
    ]
    assert ids == expected


def test_due_by_group_equals_one_filtered_count_per_group(
    collection: tuple[Database, FakeClock, dict[str, Spec]],
) -> None:
    db, clock, specs = collection
    groups = due_by_group(db, clock=clock, zone=UTC)
    window = day_window(clock.now, 4, UTC)
    present = [spec for pk, spec in enumerate(specs.values(), start=1) if pk != 11]

    def due(study_filter: StudyFilter) -> DueCounts:
        return db.queue.due_counts(study_filter, clock.now, window)

    assert [g.name for g in groups.decks] == sorted(DECKS)
    for group in groups.decks:
        inside = [s for s in present if f"{s.deck}/".startswith(f"{group.name}/")]
        assert (group.cards, group.due) == (len(inside), due(StudyFilter(deck=group.name)))
    assert {g.name for g in groups.tags} == set(TAGS)
    for group in groups.tags:
        tagged = [s for s in present if group.name.casefold() in map(str.casefold, s.tags)]
        assert (group.cards, group.due) == (len(tagged), due(StudyFilter(tags_any=(group.name,))))
    assert [g.name for g in groups.difficulties] == ["easy", "hard", "medium", "none"]
    for group in groups.difficulties[:3]:
        assert group.due == due(StudyFilter(difficulties=(group.name,)))
    assert sum(g.cards for g in groups.difficulties) == len(present)
    assert sum(g.due.new for g in groups.difficulties) == due(StudyFilter()).new
