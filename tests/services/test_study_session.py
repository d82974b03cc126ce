"""StudySession: queue order, limits, filters, cram, undo, previews and bad input."""

from __future__ import annotations

import itertools
import random
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, timedelta

import pytest
from sqlalchemy import func, select
from test_study_builders import T0, FakeClock, Spec, add_cards, make_database, numbered

from quizapp.scheduling.filters import StudyFilter
from quizapp.scheduling.memory import REVIEW
from quizapp.scheduling.queue import QueueKind, day_window
from quizapp.scheduling.scheduler import AGAIN, EASY, GOOD, HARD, ClockSkewError, RatingError
from quizapp.services.study import NotInSessionError, StudySession
from quizapp.store.db import Database
from quizapp.store.records import QueuedCard
from quizapp.store.tables import CARD_STATES, REVIEW_LOGS
from quizapp.text import plural


def _settings(db: Database, **changes: str) -> None:
    settings = db.settings.load_settings()
    for key, value in changes.items():
        settings = settings.with_value(key, value, today=T0.date())
    db.settings.save_settings(settings)


def _states(db: Database) -> list[tuple[object, ...]]:
    with db.begin() as conn:
        return [
            tuple(row) for row in conn.execute(select(CARD_STATES).order_by(CARD_STATES.c.card_id))
        ]


def _log_count(db: Database) -> int:
    with db.begin() as conn:
        return int(conn.execute(select(func.count()).select_from(REVIEW_LOGS)).scalar_one())


@pytest.fixture
def db(backend_url: str) -> Iterator[Database]:
    """A fresh collection on each backend: every session test runs on SQLite and PostgreSQL."""
    database = make_database(backend_url)
    yield database
    database.close()


def test_sixty_days_respect_limits_and_order(db: Database) -> None:
    """60 simulated days: daily limits hold and every day runs learning, review, new."""
    add_cards(db, list(numbered(120)))
    _settings(db, new_cards_per_day="7", max_reviews_per_day="15")
    clock = FakeClock()
    rng = random.Random(1234)
    rank = {QueueKind.LEARNING: 0, QueueKind.REVIEW: 1, QueueKind.INTERVIEW: 1, QueueKind.NEW: 2}
    saw_review_limit = False
    for day in range(60):
        clock.now = T0 + timedelta(days=day)
        session = StudySession(db, clock=clock, zone=UTC)
        kinds: list[QueueKind] = []
        new_today = reviews_today = 0
        for _ in range(500):
            card = session.next_card()
            if card is None:
                break
            kinds.append(card.kind)
            if card.kind is QueueKind.NEW:
                new_today += 1
            elif card.kind is QueueKind.REVIEW:
                reviews_today += 1
            rating = rng.choices([AGAIN, HARD, GOOD, EASY], [0.15, 0.15, 0.6, 0.1])[0]
            session.answer(rating, 5000)
            clock.advance(seconds=30)
        assert new_today <= 7
        assert reviews_today <= 15
        saw_review_limit |= reviews_today == 15
        # learning cards come back within the day; outside those, order is review before new
        first_new = next((i for i, k in enumerate(kinds) if k is QueueKind.NEW), len(kinds))
        assert all(k is not QueueKind.REVIEW for k in kinds[first_new:])
        # cards already in learning at the start of the day come before any review
        first_review = next((i for i, k in enumerate(kinds) if k is QueueKind.REVIEW), 0)
        assert all(rank[k] == 0 for k in kinds[:first_review])
    assert saw_review_limit
    window = day_window(clock.now, 4, UTC)
    today = db.queue.today_counts(window)
    assert today.new <= 7 and today.reviews <= 15


def test_learning_then_review_then_new(db: Database) -> None:
    add_cards(
        db,
        [
            Spec("learn", question="alpha"),
            Spec("rev", question="beta"),
            Spec("new", question="gamma"),
        ],
    )
    clock = FakeClock()
    # "rev" becomes a review card, "learn" a learning card after a lapse into step 0
    for text, rating in (("beta", EASY), ("alpha", AGAIN)):
        session = StudySession(db, StudyFilter(text=text), clock=clock, zone=UTC)
        assert session.next_card() is not None
        session.answer(rating, 1000)
    clock.advance(days=20)
    session = StudySession(db, clock=clock, zone=UTC)
    order = []
    while (card := session.next_card()) is not None:
        order.append((card.uid, card.kind))
        session.bury()
    assert order == [
        ("learn", QueueKind.LEARNING),
        ("rev", QueueKind.REVIEW),
        ("new", QueueKind.NEW),
    ]


def test_siblings_from_one_file_are_spread(db: Database) -> None:
    specs = [Spec(f"a{i}", source="a.md") for i in range(3)] + [
        Spec(f"b{i}", source="b.md") for i in range(3)
    ]
    add_cards(db, specs)
    session = StudySession(db, clock=FakeClock(), zone=UTC)
    sources = []
    for _ in range(6):
        card = session.next_card()
        assert card is not None
        sources.append(card.source)
        session.answer(EASY, 100)
    assert all(x != y for x, y in itertools.pairwise(sources))


@pytest.mark.parametrize(
    ("study_filter", "expected"),
    [
        (StudyFilter(tags_any=("ML", "stats")), {"t-ml", "t-stats", "t-both"}),
        (StudyFilter(tags_all=("ml", "STATS")), {"t-both"}),
        (StudyFilter(difficulties=("hard",)), {"t-stats", "d-hard"}),
        (StudyFilter(deck="dl"), {"d-hard", "d-sub"}),
        (StudyFilter(deck="dl/cnn"), {"d-sub"}),
        (StudyFilter(text="gradient"), {"d-sub"}),
        (StudyFilter(text="100%"), set()),
        (StudyFilter(tags_any=("ml",), difficulties=("easy",)), {"t-ml"}),
        (StudyFilter(), {"t-ml", "t-stats", "t-both", "d-hard", "d-sub", "plain"}),
    ],
)
def test_filters_return_exactly_the_matching_cards(
    db: Database, study_filter: StudyFilter, expected: set[str]
) -> None:
    add_cards(
        db,
        [
            Spec("t-ml", tags=("ML",), difficulty="easy"),
            Spec("t-stats", tags=("stats",), difficulty="hard"),
            Spec("t-both", tags=("ml", "Stats")),
            Spec("d-hard", deck="dl", difficulty="hard"),
            Spec("d-sub", deck="dl/cnn", question="What is a gradient?"),
            Spec("plain", deck="dlx"),
        ],
    )
    session = StudySession(db, study_filter, clock=FakeClock(), zone=UTC)
    seen = set()
    while (card := session.next_card()) is not None:
        seen.add(card.uid)
        session.answer(EASY, 10)
    assert seen == expected
    cram = StudySession(db, study_filter, cram=True, clock=FakeClock(), zone=UTC)
    crammed = set()
    while (card := cram.next_card()) is not None:
        crammed.add(card.uid)
        cram.answer(EASY, 10)
    assert crammed == expected


def test_cram_leaves_schedule_unchanged(db: Database) -> None:
    add_cards(db, list(numbered(8, tags=("x",))))
    clock = FakeClock()
    session = StudySession(db, clock=clock, zone=UTC)
    for _ in range(5):
        card = session.next_card()
        assert card is not None
        session.answer(GOOD, 10)
    before_states, before_logs = _states(db), _log_count(db)
    cram = StudySession(db, StudyFilter(tags_any=("x",)), cram=True, clock=clock, zone=UTC, seed=7)
    assert cram.next_card() is not None
    assert cram.previews() == ()
    answered = Counter[str]()
    rng = random.Random(5)
    while (card := cram.next_card()) is not None:
        answered[card.uid] += 1
        cram.answer(rng.choice([AGAIN, GOOD, GOOD]), 100)
        clock.advance(seconds=10)
    assert set(answered) == {f"c{i:03d}" for i in range(8)}
    assert _states(db) == before_states
    assert _log_count(db) == before_logs
    with db.begin() as conn:
        practice = conn.exec_driver_sql("SELECT count(*) FROM practice_logs").scalar_one()
    assert practice == sum(answered.values())


def test_undo_restores_exact_state_and_log_several_levels(db: Database) -> None:
    add_cards(db, list(numbered(4)))
    clock = FakeClock()
    session = StudySession(db, clock=clock, zone=UTC)
    snapshots = []
    for rating in (GOOD, AGAIN, EASY, HARD, GOOD, GOOD):
        snapshots.append((_states(db), _log_count(db)))
        assert session.next_card() is not None
        session.answer(rating, 1500)
        clock.advance(minutes=3)
    for expected in reversed(snapshots):
        result = session.undo()
        assert result.undone, result.message
        assert (_states(db), _log_count(db)) == expected
        assert session.current is not None and session.current.pk == result.card_pk
    nothing = session.undo()
    assert not nothing.undone and nothing.message == "nothing to undo"


def test_previews_match_what_answering_does(db: Database) -> None:
    add_cards(db, list(numbered(6)))
    clock = FakeClock()
    rng = random.Random(99)
    for step in range(40):
        session = StudySession(db, clock=clock, zone=UTC)
        card = session.next_card()
        if card is None:
            clock.advance(days=3)
            continue
        shown = {p.rating: p for p in session.previews()}
        assert [p.name for p in shown.values()] == ["again", "hard", "good", "easy"]
        rating = rng.choice([AGAIN, HARD, GOOD, EASY])
        result = session.answer(rating, 100)
        assert result.after.due == shown[rating].due, step
        assert result.after.due - clock.now == shown[rating].interval
        clock.advance(hours=rng.choice([0.1, 5, 30, 200]))


def test_bad_input_is_rejected_without_storing(db: Database) -> None:
    ids = add_cards(db, list(numbered(2)))
    clock = FakeClock()
    session = StudySession(db, clock=clock, zone=UTC)
    with pytest.raises(NotInSessionError):
        session.answer(GOOD, 10)
    card = session.next_card()
    assert card is not None
    for bad in (0, 5, -1, True, 2.5):
        with pytest.raises(RatingError, match="not one of 1"):
            session.answer(bad, 10)  # type: ignore[arg-type]
    other = next(pk for pk in ids.values() if pk != card.pk)
    with pytest.raises(NotInSessionError, match=f"card {other} is not the card being shown"):
        session.answer(GOOD, 10, card_pk=other)
    session.answer(GOOD, 10, card_pk=card.pk)
    clock.advance(minutes=20)
    again = StudySession(db, StudyFilter(), clock=clock, zone=UTC)
    while (shown := again.next_card()) is not None and shown.pk != card.pk:
        again.bury()
    assert shown is not None
    logs, states = _log_count(db), _states(db)
    clock.now = clock.now - timedelta(hours=1)
    with pytest.raises(ClockSkewError, match="before this card's last review"):
        again.answer(GOOD, 10)
    assert (_log_count(db), _states(db)) == (logs, states)


def test_suspend_and_bury_until_rollover(db: Database) -> None:
    add_cards(db, list(numbered(2)))
    clock = FakeClock()
    session = StudySession(db, clock=clock, zone=UTC)
    first = session.next_card()
    assert first is not None
    session.suspend()
    second = session.next_card()
    assert second is not None and second.pk != first.pk
    until = session.bury()
    assert until == T0.replace(hour=4) + timedelta(days=1)
    assert session.next_card() is None
    clock.now = until
    assert [StudySession(db, clock=clock, zone=UTC).next_card()] != [None]
    db.answers.set_suspended([first.pk], False)
    s = StudySession(db, clock=clock, zone=UTC)
    assert s.progress().new == 2


def test_interview_date_brings_weak_cards_forward(db: Database) -> None:
    add_cards(db, list(numbered(6)))
    clock = FakeClock()
    session = StudySession(db, clock=clock, zone=UTC)
    while (card := session.next_card()) is not None:
        assert session.early_review() is None  # new and learning cards are not early
        session.answer(EASY if card.pk % 2 else GOOD, 100)
        clock.advance(minutes=11)
    memories = [db.answers.memory(pk) for pk in range(1, 7)]
    assert {m.state for m in memories} == {REVIEW}
    assert len({m.stability for m in memories}) == 2
    _settings(db, interview_date=(T0.date() + timedelta(days=40)).isoformat())
    clock.advance(days=1)
    assert min(m.due for m in memories) >= day_window(clock.now, 4, UTC).end
    session = StudySession(db, clock=clock, zone=UTC)
    assert session.progress().total == 0  # nothing is due...
    planned = session.interview_left()  # ...but this many will be brought forward
    brought: list[QueuedCard] = []
    while (card := session.next_card()) is not None:
        assert card.kind is QueueKind.INTERVIEW
        assert session.interview_left() == planned - len(brought)
        # Marked as early, with how far off its due day and the interview are.
        early = session.early_review()
        assert early is not None and early.interview_in_days == 39
        due_in = (card.memory.due.date() - clock.now.date()).days
        assert early.due_in_days == due_in and due_in >= 1
        assert early.describe() == f"early: interview in 39 days, due in {plural(due_in, 'day')}"
        # Shorter wordings for a narrow screen say the same, longest first.
        assert early.wordings() == (
            early.describe(),
            f"early: interview in 39d, due in {due_in}d",
            f"early: interview 39d, due {due_in}d",
        )
        brought.append(card)
        session.answer(GOOD, 100)
    assert brought, "weak cards should be brought forward"
    assert len(brought) == planned and session.interview_left() == 0
    # weakest first: longest elapsed/stability at the interview date means smallest stability
    stabilities = [c.memory.stability for c in brought]
    assert stabilities == sorted(stabilities)  # type: ignore[type-var]
    _settings(db, interview_date="none")
    assert StudySession(db, clock=clock, zone=UTC).next_card() is None
    assert date(2026, 1, 6) == clock.now.date()


def test_cram_undo_puts_the_card_back_and_deletes_the_practice(db: Database) -> None:
    add_cards(db, list(numbered(3)))
    cram = StudySession(db, cram=True, clock=FakeClock(), zone=UTC, seed=1)
    first = cram.next_card()
    assert first is not None
    cram.answer(AGAIN, 10)  # "again" sends the card to the end of the cram queue
    assert cram.progress().review == 3
    result = cram.undo()
    assert result.undone and cram.current == first
    assert cram.progress().review == 3
    with db.begin() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM practice_logs").scalar_one() == 0
    seen = []
    while (card := cram.next_card()) is not None:
        seen.append(card.pk)
        cram.answer(GOOD, 10)
    assert sorted(seen) == [1, 2, 3]
