"""Writing imported cards and reading them back through the repositories, on SQLite and
PostgreSQL (``db`` is ``backend_db`` here)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest

from quizapp.store.db import Database, run_sql
from quizapp.store.records import CardFilter, SourceFileInfo, TagCount
from quizapp.store.sqlite.import_repo import ImportWriter
from store.cards_factory import NOW, make_card


@pytest.fixture
def db(backend_db: Database) -> Iterator[Database]:
    """Every test of this module on each backend."""
    yield backend_db


def _info(name: str, sha: str = "0" * 64) -> SourceFileInfo:
    return SourceFileInfo(f"/cards/{name}", 10, 1, sha)


def test_new_card_gets_learning_state_due_now(db: Database) -> None:
    writer = db.import_writer()
    outcome = writer.write_file(_info("a.md"), [make_card("a", tags=("ML",))], NOW)
    assert (outcome.new, outcome.updated, outcome.unchanged) == (1, 0, 0)
    stored = db.cards.get("a")
    assert stored is not None
    assert stored.memory.state == 1 and stored.memory.step == 0
    assert stored.memory.due == NOW and stored.memory.reps == 0 and stored.memory.is_new
    assert stored.card.tags == ("ML",)
    assert [step.path for step in stored.card.steps] == [("Overview",), ("Detail", "More")]
    assert stored.source_path == "/cards/a.md"


def test_edit_keeps_state_and_history(db: Database) -> None:
    writer = db.import_writer()
    writer.write_file(_info("a.md"), [make_card("a")], NOW)
    run_sql(db, "UPDATE card_states SET reps = 3, state = 2, stability = 4.5")
    run_sql(
        db,
        "INSERT INTO review_logs (card_id, rating, reviewed_at, duration_ms, state_before,"
        " state_after) VALUES (1, 3, '2026-01-05 10:00:00', 1000, '{}', '{}')",
    )
    writer = db.import_writer()
    edited = make_card("a", text="A better answer.", tags=("New",))
    assert writer.classify(edited, "/cards/a.md") == "updated"
    outcome = writer.write_file(_info("a.md", "1" * 64), [edited], NOW + timedelta(days=1))
    assert outcome.updated == 1
    stored = db.cards.get("a")
    assert stored is not None
    assert stored.memory.reps == 3 and stored.memory.stability == 4.5
    assert stored.card.steps[0].text == "A better answer."
    assert stored.card.tags == ("New",)
    assert run_sql(db, "SELECT count(*) FROM review_logs") == [(1,)]
    assert stored.created_at == NOW and stored.updated_at == NOW + timedelta(days=1)


def test_unchanged_and_moved_within_file(db: Database) -> None:
    writer = db.import_writer()
    writer.write_file(_info("a.md"), [make_card("a")], NOW)
    outcome = writer.write_file(_info("a.md"), [make_card("a", line=9)], NOW)
    assert (outcome.new, outcome.updated, outcome.unchanged) == (0, 0, 1)
    stored = db.cards.get("a")
    assert stored is not None and stored.card.line == 9


def test_card_gone_from_file_is_marked_missing_not_deleted(db: Database) -> None:
    writer = db.import_writer()
    writer.write_file(_info("a.md"), [make_card("a"), make_card("b")], NOW)
    outcome = writer.write_file(_info("a.md"), [make_card("a")], NOW)
    assert outcome.missing == ("b",)
    repo = db.cards
    b = repo.get("b")
    assert b is not None and b.missing
    assert [s.card.id for s in repo.find()] == ["a"]
    assert len(repo.find(CardFilter(include_missing=True))) == 2
    # The card comes back when its text does.
    writer.write_file(_info("a.md"), [make_card("a"), make_card("b")], NOW)
    b = repo.get("b")
    assert b is not None and not b.missing


def test_vanished_file_marks_cards_missing_and_forgets_file(db: Database) -> None:
    writer = db.import_writer()
    writer.write_file(_info("a.md"), [make_card("a")], NOW)
    assert writer.mark_files_missing(["/cards/a.md"]) == ["a"]
    assert "/cards/a.md" not in db.import_writer().sources
    stored = db.cards.get("a")
    assert stored is not None and stored.missing


def test_tags_case_insensitive_and_counts(db: Database) -> None:
    writer = db.import_writer()
    writer.write_file(_info("a.md"), [make_card("a", tags=("DeepLearning", "ml/optim"))], NOW)
    writer.write_file(_info("b.md"), [make_card("b", tags=("deeplearning",))], NOW)
    repo = db.cards
    assert repo.tag_counts() == [TagCount("DeepLearning", 2), TagCount("ml/optim", 1)]
    b = repo.get("b")
    assert b is not None and b.card.tags == ("DeepLearning",)
    assert [s.card.id for s in repo.find(CardFilter(tags=("DEEPLEARNING",)))] == ["a", "b"]
    assert [s.card.id for s in repo.find(CardFilter(tags=("ML",)))] == ["a"]
    assert repo.find(CardFilter(tags=("ml/opt",))) == []
    assert [s.card.id for s in repo.find(CardFilter(tags=("deeplearning", "ml")))] == ["a"]


def test_filters_difficulty_deck_due(db: Database) -> None:
    writer = db.import_writer()
    writer.write_file(_info("a.md"), [make_card("a", difficulty="hard", deck="dl/nets")], NOW)
    writer.write_file(_info("b.md"), [make_card("b", difficulty="easy", deck="prob")], NOW)
    run_sql(db, "UPDATE card_states SET due = '2026-02-01 00:00:00' WHERE card_id = 2")
    repo = db.cards

    def ids(card_filter: CardFilter) -> list[str]:
        return [s.card.id for s in repo.find(card_filter)]

    assert ids(CardFilter(difficulties=("Hard",))) == ["a"]
    assert ids(CardFilter(difficulties=("hard", "easy"))) == ["a", "b"]
    assert ids(CardFilter(deck="DL")) == ["a"]
    assert ids(CardFilter(deck="dl/nets")) == ["a"]
    assert ids(CardFilter(deck="d")) == []
    assert ids(CardFilter(due_before=NOW)) == ["a"]
    run_sql(db, "UPDATE cards SET suspended = true WHERE uid = 'a'")
    assert ids(CardFilter(due_before=NOW)) == []
    assert repo.deck_names() == ["dl/nets", "prob"]
    assert repo.count() == 2


def test_related_resolved_by_title_id_alias_across_imports(db: Database) -> None:
    writer = db.import_writer()
    a = make_card(
        "a",
        related=("What is nothing?", "[[b]]", "the Third one", "Card C Title?", "[[a]]"),
    )
    writer.write_file(_info("a.md"), [a], NOW)
    writer.resolve_related()
    stored = db.cards.get("a")
    assert stored is not None
    assert all(link.target_uid is None for link in stored.related_links)
    writer.write_file(_info("b.md"), [make_card("dir/b", aliases=("The third ONE",))], NOW)
    writer.write_file(_info("c.md"), [make_card("c", title="card c title")], NOW)
    assert writer.resolve_related() == 3
    stored = db.cards.get("a")
    assert stored is not None
    targets = [link.target_uid for link in stored.related_links]
    assert targets == [None, "dir/b", "dir/b", "c", None]
    assert stored.card.related == a.related
    assert stored.related_links[3].target_title == "card c title"


def test_get_is_case_insensitive_fallback(db: Database) -> None:
    writer = db.import_writer()
    writer.write_file(_info("a.md"), [make_card("Deep/Backprop")], NOW)
    repo = db.cards
    assert repo.get("deep/backprop") is not None
    assert repo.get("nope") is None


def test_failed_write_leaves_no_trace(db: Database) -> None:
    writer = db.import_writer()
    writer.write_file(_info("a.md"), [make_card("a")], NOW)
    naive = NOW.replace(tzinfo=None)
    try:
        writer.write_file(_info("b.md"), [make_card("b", tags=("T",))], naive)
    except Exception:
        pass
    else:
        raise AssertionError("a naive datetime must be refused")
    assert run_sql(db, "SELECT uid FROM cards") == [("a",)]
    assert run_sql(db, "SELECT count(*) FROM tags") == [(0,)]
    # Both backends' writers are (or extend) the SQLite one, whose caches are checked here.
    assert isinstance(writer, ImportWriter)
    assert "b" not in writer.cards and "t" not in writer.tags
    outcome = writer.write_file(_info("b.md"), [replace(make_card("b"), tags=("T",))], NOW)
    assert outcome.new == 1
