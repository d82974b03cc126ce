"""What every backend's import writer does (``ports.ImportStore``), through the protocols alone.

New, updated, unchanged, moved and missing cards; a card whose file is renamed keeps its
state; a batch that fails leaves nothing behind, in the database or in the writer's
caches; review histories are committed with their cards or not at all; and two writers
loaded at once never hand out the same key.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from quizapp.cards.model import Card
from quizapp.scheduling.memory import MemoryState
from quizapp.store.db import Database, open_database, run_sql
from quizapp.store.errors import HistoryChanged, WriteFailed
from quizapp.store.records import (
    CardFilter,
    HistoryWrite,
    ImportedCard,
    ImportedPractice,
    ImportedReview,
    SourceFileInfo,
)
from store.cards_factory import make_card

T0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
T1 = T0 + timedelta(days=1)


def _info(path: str, sha: str = "0") -> SourceFileInfo:
    return SourceFileInfo(path, 10, 1, sha * 64, "/deck")


def _uids(store: Database, *, missing: bool = False) -> list[str]:
    found = store.cards.find(CardFilter(include_missing=True))
    return sorted(c.card.id for c in found if c.missing == missing)


def _edited(card: Card) -> Card:
    return replace(card, question=card.question + " (edited)", content_hash="f" * 64)


def _review(when: datetime, rating: int) -> ImportedReview:
    before = MemoryState.new(when)
    after = replace(before, state=2, stability=3.5, difficulty=5.0, due=when + timedelta(days=3))
    after = replace(after, last_review=when, reps=1)
    return ImportedReview(when, rating, 4000, before, after)


def test_new_updated_unchanged_and_moved_cards_are_counted_and_stored(store: Database) -> None:
    alpha, beta = make_card("alpha", tags=("ml",)), make_card("beta", deck="maths")
    outcome = store.import_writer().write_file(_info("/deck/a.md"), [alpha, beta], T0)
    assert (outcome.new, outcome.updated, outcome.unchanged, outcome.missing) == (2, 0, 0, ())

    writer = store.import_writer()
    moved = replace(alpha, line=40)  # same content, another line: not an edit
    edited = replace(_edited(beta), tags=("stats",))
    assert [writer.classify(card, "/deck/a.md") for card in (moved, edited)] == [
        "unchanged",
        "updated",
    ]
    outcome = writer.write_file(_info("/deck/a.md", "1"), [moved, edited], T1)
    assert (outcome.new, outcome.updated, outcome.unchanged) == (0, 1, 1)

    stored_alpha, stored_beta = store.cards.get("alpha"), store.cards.get("beta")
    assert stored_alpha is not None and stored_beta is not None
    assert stored_alpha.card.line == 40
    assert stored_alpha.updated_at == T0  # a move is not an update
    assert stored_beta.card.question.endswith("(edited)") and stored_beta.updated_at == T1
    assert stored_beta.card.tags == ("stats",)
    assert [(tag.name, tag.count) for tag in store.cards.tag_counts()] == [
        ("ml", 1),
        ("stats", 1),
    ]
    assert sorted(store.cards.deck_names()) == ["default", "maths"]
    # a writer loaded now sees every card unchanged
    fresh = store.import_writer()
    assert fresh.classify(moved, "/deck/a.md") == "unchanged"
    assert fresh.classify(edited, "/deck/a.md") == "unchanged"
    assert fresh.uids_by_source() == {"/deck/a.md": ["alpha", "beta"]}


def test_a_card_gone_from_its_file_or_a_file_gone_is_missing_and_comes_back(
    store: Database,
) -> None:
    alpha, beta, gamma = make_card("alpha"), make_card("beta"), make_card("gamma")
    writer = store.import_writer()
    writer.write_files([(_info("/deck/a.md"), [alpha, beta]), (_info("/deck/g.md"), [gamma])], T0)
    outcome = writer.write_file(_info("/deck/a.md", "1"), [alpha], T1)
    assert outcome.missing == ("beta",)
    assert writer.mark_files_missing(["/deck/g.md"]) == ["gamma"]
    assert _uids(store, missing=True) == ["beta", "gamma"]
    assert _uids(store) == ["alpha"]

    writer = store.import_writer()
    assert writer.classify(beta, "/deck/a.md") == "updated"  # back from missing
    outcome = writer.write_file(_info("/deck/a.md", "2"), [alpha, beta], T1)
    assert (outcome.new, outcome.updated, outcome.unchanged) == (0, 1, 1)
    assert _uids(store) == ["alpha", "beta"]


def test_a_renamed_file_keeps_its_cards_keys_and_states(store: Database) -> None:
    alpha = make_card("alpha")
    learnt = replace(
        MemoryState.new(T0), state=2, stability=12.0, difficulty=4.0, due=T0 + timedelta(days=9)
    )
    store.import_writer().write_files(
        [(_info("/deck/old.md"), [alpha])], T0, starting={"alpha": learnt}
    )
    before = store.cards.get("alpha")
    assert before is not None and before.memory == learnt

    writer = store.import_writer()
    assert writer.classify(alpha, "/deck/new.md") == "updated"
    writer.write_file(_info("/deck/new.md"), [alpha], T1)
    assert writer.mark_files_missing(["/deck/old.md"]) == []  # nothing left in the old file
    after = store.cards.get("alpha")
    assert after is not None
    assert (after.pk, after.memory, after.source_path) == (before.pk, learnt, "/deck/new.md")
    assert not after.missing
    assert store.cards.count() == 1


def test_a_card_stored_under_another_unicode_form_is_taken_over_by_its_nfkc_id(
    store: Database,
) -> None:
    decomposed = unicodedata.normalize("NFD", "café")
    store.import_writer().write_file(_info("/deck/c.md"), [make_card(decomposed)], T0)
    before = store.cards.get(decomposed)
    assert before is not None

    composed = make_card("café")
    writer = store.import_writer()
    assert writer.classify(composed, "/deck/c.md") == "updated"
    writer.write_file(_info("/deck/c.md", "1"), [composed], T1)
    after = store.cards.get("café")
    assert after is not None and after.pk == before.pk
    assert store.cards.count() == 1


def test_a_card_already_stored_under_its_nfkc_id_stays_that_ids_card(store: Database) -> None:
    old_id = unicodedata.normalize("NFD", "café")
    writer = store.import_writer()
    writer.write_file(_info("/deck/new.md"), [make_card("café")], T0)
    writer.write_file(_info("/deck/old.md"), [make_card(old_id)], T0)
    assert writer.mark_files_missing(["/deck/old.md"]) == [old_id]
    composed, old = store.cards.get("café"), store.cards.get(old_id)
    assert composed is not None and old is not None and composed.pk != old.pk

    writer = store.import_writer()
    edited = _edited(make_card("café"))
    assert writer.classify(edited, "/deck/new.md") == "updated"
    writer.write_file(_info("/deck/new.md", "1"), [edited], T1)
    after, old_after = store.cards.get("café"), store.cards.get(old_id)
    assert after is not None and after.pk == composed.pk
    assert after.card.question.endswith("(edited)")
    assert old_after == old  # the old row is left as it is, missing


def test_a_failing_batch_leaves_nothing_in_the_database_or_the_writer(store: Database) -> None:
    writer = store.import_writer()
    writer.write_file(_info("/deck/a.md"), [make_card("alpha")], T0)
    twice = make_card("beta", deck="new-deck", tags=("fresh",))
    files = [
        (_info("/deck/b.md"), [twice]),
        (_info("/deck/c.md"), [make_card("gamma"), replace(twice, line=9)]),  # one id, twice
    ]
    with pytest.raises(WriteFailed) as failure:
        writer.write_files(files, T1)
    assert str(failure.value).startswith("database error: ")
    assert "\n" not in str(failure.value)

    assert _uids(store) == ["alpha"]
    assert store.cards.deck_names() == ["default"]
    assert store.cards.tag_counts() == []
    assert writer.uids_by_source() == {"/deck/a.md": ["alpha"]}
    assert writer.classify(twice, "/deck/b.md") == "new"
    # the same writer goes on: the files one by one store what is right
    assert writer.write_file(*files[0], T1).new == 1
    assert sorted(store.cards.deck_names()) == ["default", "new-deck"]
    assert _uids(store) == ["alpha", "beta"]
    assert store.import_writer().uids_by_source()["/deck/b.md"] == ["beta"]


def test_histories_are_written_with_their_cards(store: Database) -> None:
    alpha, beta = make_card("alpha"), make_card("beta")
    reviews = (_review(T0 - timedelta(days=3), 3), _review(T0 - timedelta(days=1), 4))
    memory = reviews[-1].after
    practice = (ImportedPractice(T0 - timedelta(hours=5), 2, 1500),)
    items = [
        ImportedCard(alpha, memory, reviews, practice, suspended=True),
        ImportedCard(beta, None),
    ]
    writer = store.import_writer()
    histories = HistoryWrite(items, {}, {}, {"alpha", "beta"}, T0)
    outcomes = writer.write_files(
        [(_info("/deck/a.md"), [alpha, beta])], T0, {"alpha": memory}, histories
    )
    assert outcomes[0].new == 2

    stored = store.cards.get("alpha")
    assert stored is not None and stored.suspended and stored.memory == memory
    other = store.cards.get("beta")
    assert other is not None and not other.suspended and other.memory == MemoryState.new(T0)
    found = store.histories.load_histories([stored.pk, other.pk])
    assert list(found) == [stored.pk]
    logs = found[stored.pk].reviews
    assert [(log.rating, log.reviewed_at, log.duration_ms) for log in logs] == [
        (3, T0 - timedelta(days=3), 4000),
        (4, T0 - timedelta(days=1), 4000),
    ]
    assert [(log.before, log.after) for log in logs] == [(r.before, r.after) for r in reviews]
    epoch_ms = int((T0 - timedelta(hours=5)).timestamp() * 1000)
    assert found[stored.pk].practice == {(epoch_ms, 2)}


def test_a_history_changed_meanwhile_stops_the_batch_and_writes_nothing(
    store: Database,
) -> None:
    alpha = make_card("alpha")
    store.import_writer().write_file(_info("/deck/a.md"), [alpha], T0)
    stored = store.cards.get("alpha")
    assert stored is not None
    beta = make_card("beta")
    items = [
        ImportedCard(alpha, _review(T0, 3).after, (_review(T0, 3),)),
        ImportedCard(beta, None),
    ]
    # the history was merged from one stored log, but none is stored: reviewed meanwhile
    histories = HistoryWrite(items, {"alpha": stored.pk}, {stored.pk: 1}, {"beta"}, T1)
    writer = store.import_writer()
    with pytest.raises(HistoryChanged):
        writer.write_files([(_info("/deck/b.md"), [beta])], T1, None, histories)
    assert _uids(store) == ["alpha"]
    assert store.histories.load_histories([stored.pk]) == {}
    after = store.cards.get("alpha")
    assert after is not None and after.memory == stored.memory
    assert writer.classify(beta, "/deck/b.md") == "new"


def test_two_writers_loaded_at_once_store_both_batches_under_distinct_keys(
    store: Database,
) -> None:
    first, second = store.import_writer(), store.import_writer()
    first.write_file(_info("/deck/a.md"), [make_card("alpha"), make_card("beta")], T0)
    second.write_file(_info("/deck/b.md"), [make_card("gamma"), make_card("delta")], T0)
    # the second writer re-reads what the first stored before deciding
    outcome = second.write_file(_info("/deck/a.md"), [make_card("alpha")], T1)
    assert (outcome.new, outcome.unchanged, outcome.missing) == (0, 1, ("beta",))
    pks = [c.pk for c in store.cards.find(CardFilter(include_missing=True))]
    assert len(set(pks)) == 4
    assert _uids(store) == ["alpha", "delta", "gamma"]


def test_a_writer_sees_what_another_connection_stored_between_its_batches(
    store: Database, backend_url: str
) -> None:
    other = open_database(backend_url, auto_backup=False)
    try:
        writer, elsewhere = store.import_writer(), other.import_writer()
        writer.write_file(_info("/deck/x.md"), [make_card("xray")], T0)
        elsewhere.write_file(_info("/deck/a.md"), [make_card("alpha"), make_card("beta")], T0)
        # the writer's caches know nothing of a.md, but it reads again what changed
        outcome = writer.write_file(_info("/deck/a.md"), [make_card("alpha")], T1)
    finally:
        other.close()
    assert (outcome.new, outcome.unchanged, outcome.missing) == (0, 1, ("beta",))
    assert _uids(store) == ["alpha", "xray"]


def test_related_questions_point_at_the_cards_they_name(store: Database) -> None:
    alpha = make_card("alpha", related=("[[Beta]]", "What is Nothing?"))
    beta = make_card("beta")
    writer = store.import_writer()
    writer.write_files([(_info("/deck/a.md"), [alpha]), (_info("/deck/b.md"), [beta])], T0)
    assert writer.resolve_related() == 1
    stored = store.cards.get("alpha")
    assert stored is not None
    assert [(link.text, link.target_uid) for link in stored.related_links] == [
        ("[[Beta]]", "beta"),
        ("What is Nothing?", None),
    ]
    assert writer.resolve_related() == 0
    writer.mark_files_missing(["/deck/b.md"])  # a link to a missing card points nowhere
    assert writer.resolve_related() == 1
    stored = store.cards.get("alpha")
    assert stored is not None
    assert [link.target_uid for link in stored.related_links] == [None, None]


def test_a_file_recorded_again_without_its_root_keeps_the_one_it_had(store: Database) -> None:
    writer = store.import_writer()
    writer.write_file(_info("/deck/a.md"), [make_card("alpha")], T0)
    writer.touch_sources([SourceFileInfo("/deck/a.md", 20, 2, "1" * 64)], T1)
    writer.write_file(SourceFileInfo("/deck/a.md", 30, 3, "2" * 64), [make_card("alpha")], T1)
    assert run_sql(store, "SELECT path, size, mtime_ns, sha256, root FROM source_files") == [
        ("/deck/a.md", 30, 3, "2" * 64, "/deck")
    ]
