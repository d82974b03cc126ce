"""Importing a newer version of an Anki deck (issue 15): notes updated, quizapp's own
history kept, and a card reviewed in both apps keeps both histories, merged by time."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from interop.anki.packages import (
    Built,
    add,
    answer_rounds,
    card_ids,
    database,
    export,
    new_collection,
)
from quizapp.interop.anki.notes import guid_key
from quizapp.scheduling.scheduler import Scheduler
from quizapp.services.importer import import_paths
from quizapp.store.db import Database
from quizapp.store.records import ReviewRecord
from quizapp.store.sqlite.card_repo import CardRepository


def _uid(built: Built, key: str) -> str:
    return f"anki/{guid_key(built.guids[key])}/card1"


def _last_answer(built: Built) -> datetime:
    last = int(database(built.col).scalar("select max(id) from revlog"))
    return datetime.fromtimestamp(last / 1000, UTC)


def _answer_in_quizapp(db: Database, pk: int, rating: int, at: datetime) -> None:
    before = db.answers.memory(pk)
    after = Scheduler(db.settings.load_settings()).review(pk, before, rating, at)
    db.answers.record_answer(pk, before, after, rating, at, 4_000)


def _times(reviews: list[ReviewRecord]) -> list[tuple[datetime, int]]:
    return [(review.reviewed_at, review.rating) for review in reviews]


@pytest.fixture
def built(tmp_path: Path) -> Built:
    deck = new_collection(tmp_path / "anki")
    add(deck, "kept", "Basic", {"Front": "Kept?", "Back": "yes"}, deck="Deck")
    add(deck, "edited", "Basic", {"Front": "Edited?", "Back": "old answer"}, deck="Deck")
    add(deck, "deleted", "Basic", {"Front": "Deleted?", "Back": "soon"}, deck="Deck")
    answer_rounds(deck, rounds=3, gap_days=4)
    return deck


def test_a_newer_version_updates_notes_and_keeps_quizapps_history(
    built: Built, db: Database, tmp_path: Path
) -> None:
    package = tmp_path / "deck.apkg"
    first_now = _last_answer(built) + timedelta(hours=2)
    export(built, package)
    assert import_paths(db, [package], now=first_now).new == 3
    repo = CardRepository(db)
    edited = repo.get(_uid(built, "edited"))
    assert edited is not None
    _answer_in_quizapp(db, edited.pk, 3, first_now + timedelta(hours=1))
    history = _times(db.answers.reviews_of(edited.pk))
    col = built.col
    note = col.get_note(col.get_card(card_ids(built.card_ids["edited"])[0]).nid)
    note["Back"] = "new <i>answer</i>"
    col.update_note(note)
    col.remove_notes([col.get_card(card_ids(built.card_ids["deleted"])[0]).nid])
    add(built, "added", "Basic", {"Front": "Added?", "Back": "now"}, deck="Deck")
    export(built, package)
    report = import_paths(db, [package], now=first_now + timedelta(days=1))
    assert (report.new, report.updated, report.unchanged) == (1, 1, 1)
    assert any("no longer in this package" in problem.message for problem in report.warnings)
    edited = repo.get(_uid(built, "edited"))
    assert edited is not None
    assert edited.card.steps[0].text == "new *answer*"
    assert _times(db.answers.reviews_of(edited.pk)) == history
    deleted = repo.get(_uid(built, "deleted"))
    assert deleted is not None and deleted.missing


def test_a_card_reviewed_in_both_apps_keeps_both_histories_merged_by_time(
    built: Built, db: Database, tmp_path: Path
) -> None:
    package = tmp_path / "deck.apkg"
    export(built, package)
    earlier = _last_answer(built)
    import_paths(db, [package], now=earlier + timedelta(hours=2))
    stored = CardRepository(db).get(_uid(built, "kept"))
    assert stored is not None
    in_anki_before = _times(db.answers.reviews_of(stored.pk))
    in_quizapp = earlier + timedelta(days=1)  # between the two sets of answers in Anki
    _answer_in_quizapp(db, stored.pk, 2, in_quizapp)
    assert in_quizapp < datetime.now(UTC) - timedelta(days=1)
    answered = answer_rounds(built, rounds=1, gap_days=0)  # in Anki, now
    export(built, package)
    later = _last_answer(built)
    assert later > in_quizapp
    report = import_paths(db, [package], now=later + timedelta(hours=1))
    assert report.ok and report.unchanged == 3
    merged = db.answers.reviews_of(stored.pk)
    times = _times(merged)
    assert times == sorted(times)
    assert len(times) == len(set(times))
    assert times[: len(in_anki_before)] == in_anki_before
    assert (in_quizapp, 2) in times
    anki_kept = [
        (datetime.fromtimestamp(ms / 1000, UTC), ease)
        for ms, ease in database(built.col).all(
            "select id, ease from revlog where cid = ? and ease > 0 order by id",
            built.card_ids["kept"][0],
        )
    ]
    assert sorted([*anki_kept, (in_quizapp, 2)]) == times
    assert answered > len(in_anki_before)
    memory = db.answers.memory(stored.pk)
    assert memory.last_review == times[-1][0]
    assert memory.reps == len(times)
    for previous, current in itertools.pairwise(merged):
        assert current.before == previous.after  # one chain of states through both apps
    again = import_paths(db, [package], now=later + timedelta(hours=2))
    assert _times(db.answers.reviews_of(stored.pk)) == times
    assert again.ok


def test_an_answer_given_while_the_package_is_imported_is_not_lost(
    built: Built, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import quizapp.store.sqlite.history_repo as history_repo
    from quizapp.store.records import StoredHistory

    package = tmp_path / "deck.apkg"
    export(built, package)
    earlier = _last_answer(built)
    import_paths(db, [package], now=earlier + timedelta(hours=2))
    stored = CardRepository(db).get(_uid(built, "kept"))
    assert stored is not None
    answer_rounds(built, rounds=1, gap_days=0)
    export(built, package)
    loading = history_repo.load_histories

    def load_then_answer(database: Database, pks: list[int]) -> dict[int, StoredHistory]:
        found = loading(database, pks)
        _answer_in_quizapp(database, stored.pk, 3, earlier + timedelta(days=1))  # meanwhile
        return found

    monkeypatch.setattr(history_repo, "load_histories", load_then_answer)
    before = _times(db.answers.reviews_of(stored.pk))
    report = import_paths(db, [package], now=_last_answer(built) + timedelta(hours=1))
    assert [problem.message for problem in report.errors] == [
        "not imported: cards of this package were reviewed while it was imported; import it again"
    ]
    assert _times(db.answers.reviews_of(stored.pk)) == [
        *before,
        (earlier + timedelta(days=1), 3),
    ]
    monkeypatch.setattr(history_repo, "load_histories", loading)
    assert import_paths(db, [package], now=_last_answer(built) + timedelta(hours=2)).ok
    assert (earlier + timedelta(days=1), 3) in _times(db.answers.reviews_of(stored.pk))


@pytest.fixture
def db(backend_db: Database) -> Database:
    """Every test here runs on each backend (SQLite, PostgreSQL)."""
    return backend_db
