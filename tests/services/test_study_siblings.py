"""Bury siblings: answering a card hides its note's other cards until the next rollover
(a setting, on by default); undo brings them back; cramming buries nothing.

On SQLite and PostgreSQL (``db`` is ``backend_db`` here); burial times read back with
``run_sql`` are compared in SQLite's stored text form (``_stamp``)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from store.kind_cards import kind_cards, write_kind_cards
from test_study_builders import T0, FakeClock

from quizapp.scheduling.memory import LEARNING, REVIEW, MemoryState
from quizapp.scheduling.settings import Settings
from quizapp.scheduling.siblings import buries
from quizapp.services.study import StaleCardError, StudySession
from quizapp.store.db import Database, run_sql
from quizapp.store.records import SourceFileInfo

#: T0 is 10:00 UTC; with the default rollover at 04:00 (UTC here) the day ends then.
ROLLOVER = datetime(2026, 1, 6, 4, 0, tzinfo=UTC)
EASY = 4


@pytest.fixture
def db(backend_db: Database) -> Iterator[Database]:
    """Every test of this module on each backend."""
    yield backend_db


def _stamp(value: object) -> str | None:
    """A stored time as SQLite's text holds it: PostgreSQL hands back a naive datetime."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    return None if value is None else str(value)


def buried_until(db: Database, pk: int) -> str | None:
    ((until,),) = run_sql(db, f"SELECT buried_until FROM cards WHERE id = {pk}")
    return _stamp(until)


def pks(db: Database) -> dict[str, int]:
    return {str(uid): int(pk) for pk, uid in run_sql(db, "SELECT id, uid FROM cards")}


def buried(db: Database) -> dict[str, str | None]:
    rows = run_sql(db, "SELECT uid, buried_until FROM cards")
    return {str(uid): _stamp(until) for uid, until in rows}


def study_day(db: Database, clock: FakeClock) -> list[str]:
    """Answer every card the session shows (Easy: straight to review), in order."""
    session = StudySession(db, clock=clock, zone=UTC)
    shown: list[str] = []
    while (card := session.next_card()) is not None:
        shown.append(card.uid)
        session.answer(EASY, 1000)
        clock.advance(seconds=30)
    return shown


def test_siblings_are_not_shown_on_the_same_day(db: Database) -> None:
    write_kind_cards(db, T0)
    clock = FakeClock()
    first = study_day(db, clock)
    assert len(first) == 3 and "optim#adamw" in first
    assert len({uid.split("/")[0] for uid in first}) == 3  # one card of each note
    held = {uid: until for uid, until in buried(db).items() if until is not None}
    assert len(held) == 2 and set(held.values()) == {"2026-01-06 04:00:00.000000"}
    assert set(held) | set(first) == {card.id for card in kind_cards()}
    clock.now = T0 + timedelta(days=1)
    assert sorted(study_day(db, clock)) == sorted(held)


def test_with_the_setting_off_siblings_follow_each_other(db: Database) -> None:
    write_kind_cards(db, T0)
    db.settings.save_settings(replace(Settings(), bury_siblings=False))
    assert sorted(study_day(db, FakeClock())) == sorted(card.id for card in kind_cards())
    assert set(buried(db).values()) == {None}


def test_undo_unburies_the_siblings_it_buried(db: Database) -> None:
    write_kind_cards(db, T0)
    session = StudySession(db, clock=FakeClock(), zone=UTC)
    card = session.next_card()
    assert card is not None
    session.answer(EASY, 1000)
    siblings = db.siblings.sibling_ids(card.pk)
    assert len(siblings) == 1
    (sibling,) = siblings
    assert buried_until(db, sibling) == "2026-01-06 04:00:00.000000"
    assert session.undo().undone
    assert buried_until(db, sibling) is None
    # The same card is shown again, and answering it buries its sibling again.
    again = session.next_card()
    assert again is not None and again.pk == card.pk
    session.answer(EASY, 1000)
    assert buried_until(db, sibling) == "2026-01-06 04:00:00.000000"


def test_cramming_buries_nothing(db: Database) -> None:
    write_kind_cards(db, T0)
    session = StudySession(db, clock=FakeClock(), zone=UTC, cram=True, seed=3)
    shown = []
    while (card := session.next_card()) is not None:
        shown.append(card.uid)
        session.answer(EASY, 1000)
    assert len(shown) == 5 and set(buried(db).values()) == {None}


def _state(db: Database, pk: int, state: int, reps: int, due: datetime) -> None:
    run_sql(
        db,
        f"UPDATE card_states SET state = {state}, reps = {reps}, stability = 3.0,"
        f" due = '{due.replace(tzinfo=None).isoformat(sep=' ')}' WHERE card_id = {pk}",
    )


def test_which_siblings_are_buried(db: Database) -> None:
    """New and review-due-today siblings are buried; learning ones, reviews due after the
    rollover, suspended ones and cards of the same note in another file are not, and a
    later burial is kept."""
    write_kind_cards(db, T0)
    # The same note keys in another file: no siblings of these.
    moved = [replace(card, id=card.id.replace("optim", "copy")) for card in kind_cards()]
    db.import_writer().write_file(SourceFileInfo("/cards/copy.md", 1, 1, "1" * 64), moved, T0)
    ids = pks(db)
    repo = db.siblings
    assert repo.sibling_ids(ids["optim#relu"]) == [ids["optim#relu/reverse"]]
    assert repo.sibling_ids(ids["optim#adamw"]) == []  # alone: no note
    _state(db, ids["optim#relu/reverse"], LEARNING, 1, T0 + timedelta(minutes=10))
    assert repo.bury_siblings(ids["optim#relu"], ROLLOVER, buries) == ()
    _state(db, ids["optim#relu/reverse"], REVIEW, 3, ROLLOVER + timedelta(hours=1))
    assert repo.bury_siblings(ids["optim#relu"], ROLLOVER, buries) == ()
    _state(db, ids["optim#relu/reverse"], REVIEW, 3, ROLLOVER - timedelta(hours=1))
    (done,) = repo.bury_siblings(ids["optim#relu"], ROLLOVER, buries)
    assert (done.pk, done.previous) == (ids["optim#relu/reverse"], None)
    db.answers.set_suspended([ids["optim#adam/c2"]], True)
    assert repo.bury_siblings(ids["optim#adam/c1"], ROLLOVER, buries) == ()
    db.answers.set_suspended([ids["optim#adam/c2"]], False)
    later = ROLLOVER + timedelta(days=2)
    db.answers.bury([ids["optim#adam/c2"]], later)
    assert repo.bury_siblings(ids["optim#adam/c1"], ROLLOVER, buries) == ()
    held = buried(db)
    assert held["copy#relu/reverse"] is None and held["copy#adam/c2"] is None
    assert held["optim#adam/c2"] == "2026-01-08 04:00:00.000000"


@pytest.mark.parametrize(
    ("memory", "expected"),
    [
        (MemoryState(LEARNING, 0, None, None, T0, None, 0, 0), True),  # new
        (MemoryState(REVIEW, None, 5.0, 5.0, ROLLOVER - timedelta(seconds=1), T0, 3, 0), True),
        (MemoryState(REVIEW, None, 5.0, 5.0, ROLLOVER, T0, 3, 0), False),
        (MemoryState(LEARNING, 1, 1.0, 5.0, T0, T0, 1, 0), False),
        (MemoryState(3, 0, 1.0, 5.0, T0, T0, 5, 1), False),  # relearning
    ],
)
def test_the_rule_buries_new_cards_and_reviews_due_today(
    memory: MemoryState, expected: bool
) -> None:
    assert buries(memory, ROLLOVER) is expected


def test_the_setting_reads_and_writes_as_on_and_off() -> None:
    settings = Settings()
    assert settings.bury_siblings is True and settings.display("bury_siblings") == "on"
    off = settings.with_value("bury_siblings", "off")
    assert off.bury_siblings is False and off.to_storage()["bury_siblings"] is False
    assert Settings.from_storage(off.to_storage()).bury_siblings is False
    with pytest.raises(ValueError, match=r"bury_siblings: invalid value 'maybe': not on or off"):
        settings.with_value("bury_siblings", "maybe")
    with pytest.raises(ValueError, match=r"stored setting bury_siblings: 'yes': .* true or false"):
        Settings.from_storage({"bury_siblings": "yes"})


def test_an_answer_refused_as_stale_buries_nothing(db: Database) -> None:
    """The burial is part of the answer's transaction: no answer, no burial."""
    write_kind_cards(db, T0)
    session = StudySession(db, clock=FakeClock(), zone=UTC)
    card = session.next_card()
    assert card is not None
    # Another window answers the card first.
    run_sql(
        db, f"UPDATE card_states SET reps = 1, state = 2, stability = 2.0 WHERE card_id = {card.pk}"
    )
    with pytest.raises(StaleCardError):
        session.answer(EASY, 1000)
    assert set(buried(db).values()) == {None}
    assert run_sql(db, "SELECT count(*) FROM review_logs") == [(0,)]
