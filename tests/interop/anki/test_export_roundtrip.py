"""``quizapp export`` end to end: quizapp -> .apkg -> a fresh Anki collection opened with
the ``anki`` library (``import_anki_package``), checked there: notes, fields, tags, decks,
GUIDs and, with history, the revlog and due dates; exported again after an edit and
imported into the same collection, the notes are updated, not added twice; and back into
quizapp through the import half, with the cards and their answers as they were."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("anki")

from anki.collection import (
    Collection,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
)
from store.cards_factory import make_card
from store.kind_cards import write_kind_cards

from quizapp.interop.anki.export import note_guid
from quizapp.interop.anki.export_schedule import DayClock
from quizapp.scheduling.scheduler import Scheduler
from quizapp.services.anki_export import export_anki
from quizapp.store.db import Database, open_database, run_sql
from quizapp.store.records import SourceFileInfo
from quizapp.store.sqlite.card_repo import CardRepository
from quizapp.store.sqlite.import_repo import ImportWriter

T0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
#: The export's clock: a day after the last answer below.
NOW = T0 + timedelta(days=31)
BASIC = ("alpha", "beta", "gamma", "delta")


def _write_basic(db: Database, cards: list[Any], when: datetime = T0) -> None:
    writer = ImportWriter.load(db)
    for card in cards:
        writer.write_file(SourceFileInfo(f"/c/{card.id}.md", 1, 1, "0" * 64, "/c"), [card], when)


def _basic_cards(question_suffix: str = "") -> list[Any]:
    decks = {"alpha": "ml/optim", "beta": "ml/optim", "gamma": "stats", "delta": "stats"}
    return [
        make_card(
            uid,
            tags=("ML/optim", "Gradients") if decks[uid] == "ml/optim" else ("Stats",),
            difficulty="hard" if uid == "alpha" else "medium",
            deck=decks[uid],
            text=f"Answer of {uid} with $x_{{{uid}}}^2$.",
            question=f"What is {uid}?{question_suffix}",
        )
        for uid in BASIC
    ]


@pytest.fixture
def studied(tmp_path: Path) -> Iterator[Database]:
    """Four basic cards and the five cards of ``kind_cards``; alpha, beta and the cloze
    c1 answered on three days, gamma once (learning), delta suspended after two answers."""
    db = open_database(tmp_path / "quizapp.db", auto_backup=False)
    _write_basic(db, _basic_cards())
    write_kind_cards(db, T0)
    scheduler = Scheduler(db.settings.load_settings())
    pks = {str(uid): int(pk) for pk, uid in run_sql(db, "SELECT id, uid FROM cards")}
    plan = {
        "alpha": [3, 3, 3],
        "beta": [3, 1, 3],
        "optim#adam/c1": [4, 3, 3],
        "gamma": [3],
        "delta": [3, 3],
    }
    for uid, ratings in plan.items():
        pk = pks[uid]
        for day, rating in enumerate(ratings):
            moment = T0 + timedelta(days=10 * day, minutes=pk)
            before = db.answers.memory(pk)
            db.answers.record_answer(
                pk, before, scheduler.review(pk, before, rating, moment), rating, moment, 1500
            )
    db.answers.set_suspended([pks["delta"]], True)
    yield db
    db.close()


def _anki(folder: Path, name: str = "anki.anki2") -> Collection:
    folder.mkdir(parents=True, exist_ok=True)
    return Collection(str(folder / name))


def _import(col: Collection, package: Path, *, scheduling: bool = True, merge: bool = False) -> Any:
    """Import as Anki's dialog does; ``merge`` ticks "Merge note types"."""
    options = ImportAnkiPackageOptions(
        with_scheduling=scheduling, with_deck_configs=scheduling, merge_notetypes=merge
    )
    return col.import_anki_package(
        ImportAnkiPackageRequest(package_path=str(package), options=options)
    ).log


def _notes(col: Collection) -> dict[str, Any]:
    """The collection's notes by their Source id field."""
    found = {}
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        found[note["Source id"]] = note
    return found


def test_notes_fields_tags_decks_and_guids(studied: Database, tmp_path: Path) -> None:
    out = tmp_path / "deck.apkg"
    report = export_anki(studied, out, now=NOW, zone=UTC)
    assert (report.notes, report.cards, report.reviews) == (7, 9, 0)
    col = _anki(tmp_path / "anki")
    try:
        log = _import(col, out, scheduling=False)
        assert len(log.new) == 7
        assert col.note_count() == 7 and col.card_count() == 9
        notes = _notes(col)
        assert set(notes) == {
            *BASIC,
            "optim#adam/c1<br>optim#adam/c2",
            "optim#relu<br>optim#relu/reverse",
            "optim#adamw",
        }
        alpha = notes["alpha"]
        assert alpha.note_type()["name"] == "quizapp card"
        assert alpha["Question"] == "<p>What is alpha?</p>"
        answer = alpha["Answer"].replace("\n", "")
        assert "<h3>Overview</h3><p>Answer of alpha with \\(x_{alpha}^2\\).</p>" in answer
        assert alpha["Difficulty"] == "hard"
        assert sorted(alpha.tags) == ["Gradients", "ML::optim", "difficulty::hard"]
        assert alpha.guid == note_guid("card:alpha")
        cloze = notes["optim#adam/c1<br>optim#adam/c2"]
        assert cloze.note_type()["name"] == "quizapp cloze"
        assert sorted(card.ord for card in cloze.cards()) == [0, 1]
        assert "{{c2::\\(m_t\\) and \\(v_t\\)::its two moments}}" in cloze["Text"]
        pair = notes["optim#relu<br>optim#relu/reverse"]
        assert len(pair.cards()) == 2
        decks = {col.decks.name(card.did) for note in notes.values() for card in note.cards()}
        assert decks == {"ml::optim", "stats", "optim"}
        # Without history every card starts new in Anki.
        assert {col.get_card(cid).type for cid in col.find_cards("")} == {0}
    finally:
        col.close()


def test_history_goes_out_with_due_dates(studied: Database, tmp_path: Path) -> None:
    out = tmp_path / "deck.apkg"
    report = export_anki(studied, out, with_history=True, now=NOW, zone=UTC)
    stored = {s.card.id: s for s in CardRepository(studied).find()}
    logs = run_sql(studied, "SELECT count(*) FROM review_logs")[0][0]
    assert report.reviews == logs == 12
    col = _anki(tmp_path / "anki")
    try:
        _import(col, out)
        assert col.db.scalar("select count() from revlog") == logs  # type: ignore[union-attr]
        notes = _notes(col)
        clock = DayClock(NOW, 4, UTC, col.sched.today)
        (alpha,) = notes["alpha"].cards()
        c1 = next(card for card in notes["optim#adam/c1<br>optim#adam/c2"].cards() if card.ord == 0)
        for uid, card in (("alpha", alpha), ("optim#adam/c1", c1)):
            memory = stored[uid].memory
            assert (card.type, card.queue) == (2, 2)  # review
            assert card.due == clock.anki_day(memory.due)
            assert card.due - col.sched.today > 40  # weeks ahead, as in quizapp
            assert card.reps == 3
            assert card.memory_state is not None
            assert card.memory_state.stability == pytest.approx(memory.stability, rel=1e-5)
            assert len(col.get_review_logs(card.id)) == 3
        for uid in ("beta", "gamma"):  # learning (beta after a lapse), due at its time
            (card,) = notes[uid].cards()
            assert (card.type, card.queue) == (1, 1)
            assert card.due == int(stored[uid].memory.due.timestamp())
        (delta,) = notes["delta"].cards()
        assert delta.queue == -1  # suspended stays suspended
        (adamw,) = notes["optim#adamw"].cards()
        assert adamw.type == 0  # never answered: new
        preset = col.decks.config_dict_for_deck_id(alpha.did)
        assert preset["name"] == "quizapp"
        assert preset["new"]["delays"] == [1.0, 10.0] and preset["lapse"]["delays"] == [10.0]
        assert preset["desiredRetention"] == pytest.approx(0.9)
        assert len(preset["fsrsParams6"]) == 21
        assert col.decks.config_dict_for_deck_id(1)["name"] == "Default"  # type: ignore[arg-type]
        eases = sorted(
            row[0]
            for row in col.db.all("select ease from revlog")  # type: ignore[union-attr]
        )
        assert eases == sorted([3, 3, 3, 3, 1, 3, 4, 3, 3, 3, 3, 3])
    finally:
        col.close()


@pytest.mark.parametrize("merge", [False, True], ids=["keep-note-types", "merge-note-types"])
def test_exporting_again_updates_the_notes_instead_of_adding_copies(
    studied: Database, tmp_path: Path, merge: bool
) -> None:
    first, second = tmp_path / "first.apkg", tmp_path / "second.apkg"
    export_anki(studied, first, with_history=True, now=NOW, zone=UTC)
    edited = [
        replace(card, content_hash=card.content_hash + "x")
        for card in _basic_cards(question_suffix=" Derive it.")
    ]
    _write_basic(studied, edited, when=NOW)  # edited after the first export's cards
    export_anki(studied, second, with_history=True, now=NOW, zone=UTC)
    col = _anki(tmp_path / "anki")
    try:
        _import(col, first, merge=merge)
        revlog = col.db.scalar("select count() from revlog")  # type: ignore[union-attr]
        log = _import(col, second, merge=merge)
        assert col.note_count() == 7 and col.card_count() == 9
        assert len(log.new) == 0
        assert len(log.updated) == 4  # the four edited cards
        assert _notes(col)["alpha"]["Question"] == "<p>What is alpha? Derive it.</p>"
        assert col.db.scalar("select count() from revlog") == revlog  # type: ignore[union-attr]
    finally:
        col.close()


def test_back_into_quizapp_with_content_and_history(studied: Database, tmp_path: Path) -> None:
    """quizapp -> .apkg -> quizapp: every card comes back under its id and kind, the basic
    ones with their text and answers (the import half reads quizapp's note types by their
    Source id field)."""
    from quizapp.services.importer import import_paths

    out = tmp_path / "deck.apkg"
    export_anki(studied, out, with_history=True, now=NOW, zone=UTC)
    again = open_database(tmp_path / "again.db", auto_backup=False)
    try:
        report = import_paths(again, [out], now=NOW)
        assert not report.errors, report.errors
        before = {s.card.id: s for s in CardRepository(studied).find()}
        after = {s.card.id: s for s in CardRepository(again).find()}
        for uid in BASIC:
            original, back = before[uid], after[uid]
            assert back.card.question == original.card.question
            assert [step.text for step in back.card.steps] == [
                step.text for step in original.card.steps
            ]
            assert [step.path for step in back.card.steps] == [
                (step.title,) for step in original.card.steps
            ]
            assert back.card.difficulty == original.card.difficulty
            assert back.card.deck == original.card.deck
            old = studied.answers.reviews_of(original.pk)
            new = again.answers.reviews_of(back.pk)
            assert [(r.rating, r.reviewed_at) for r in new] == [
                (r.rating, r.reviewed_at) for r in old
            ]
        assert after["delta"].suspended
        # A cloze note and a reversed pair come back as their cards, under their ids.
        kinds = {uid: stored.card.kind for uid, stored in after.items()}
        assert {uid: kinds.get(uid) for uid in before} == {
            uid: stored.card.kind for uid, stored in before.items()
        }
        assert after["optim#adam/c1"].memory.reps == 3
        assert after["optim#adam/c1"].card.note == after["optim#adam/c2"].card.note != ""
    finally:
        again.close()


def test_cards_of_the_unnamed_deck_leave_anki_default_preset_alone(tmp_path: Path) -> None:
    db = open_database(tmp_path / "q.db", auto_backup=False)
    try:
        _write_basic(db, [make_card("plain", deck="default"), make_card("named", deck="ml")])
        out = tmp_path / "d.apkg"
        export_anki(db, out, with_history=True, now=NOW, zone=UTC)
    finally:
        db.close()
    col = _anki(tmp_path / "anki")
    try:
        _import(col, out)
        notes = _notes(col)
        (plain,) = notes["plain"].cards()
        (named,) = notes["named"].cards()
        assert col.decks.name(plain.did) == "Default"
        assert col.decks.config_dict_for_deck_id(plain.did)["name"] == "Default"
        assert col.decks.config_dict_for_deck_id(named.did)["name"] == "quizapp"
    finally:
        col.close()


def test_every_note_type_renders_in_anki(studied: Database, tmp_path: Path) -> None:
    """The templates as Anki renders them: front without the answer, back with it."""
    out = tmp_path / "deck.apkg"
    export_anki(studied, out, now=NOW, zone=UTC)
    col = _anki(tmp_path / "anki")
    try:
        _import(col, out, scheduling=False)
        notes = _notes(col)
        (alpha,) = notes["alpha"].cards()
        assert "What is alpha?" in alpha.question() and "Overview" not in alpha.question()
        assert "<h3>Overview</h3>" in alpha.answer() and "qz-difficulty" in alpha.question()
        cloze = sorted(notes["optim#adam/c1<br>optim#adam/c2"].cards(), key=lambda c: c.ord)
        assert ">[...]</span> keeps two moving averages" in cloze[0].question()
        assert ">Adam</span>" not in cloze[0].question() and ">Adam</span>" in cloze[0].answer()
        assert "[its two moments]" in cloze[1].question()
        assert "Kingma and Ba, 2015." in cloze[1].answer()
        forward, backward = sorted(
            notes["optim#relu<br>optim#relu/reverse"].cards(), key=lambda c: c.ord
        )
        assert "What is the ReLU activation?" in forward.question()
        assert "What is the ReLU activation?" not in backward.question()
        assert "\\(\\max(0, x)\\)" in backward.question()
        assert "What is the ReLU activation?" in backward.answer()
        (alone,) = notes["optim#adamw"].cards()
        assert "No written answer" in alone.answer()
        for card in (alpha, *cloze, forward, backward, alone):
            assert "error" not in card.answer().casefold().replace("qz-", "")
    finally:
        col.close()
