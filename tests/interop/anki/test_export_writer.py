"""Writing a plan with the ``anki`` library (``interop/anki/export_writer.py``): notes
handed over chunk by chunk while the rest is translated make the same package as one
write of the whole plan, and a chunk Anki refuses ends the export with its one line."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("anki")

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.errors import InvalidInput
from store.cards_factory import make_card
from store.kind_cards import kind_cards

from quizapp.interop.anki.export import anki_decks, plan_export
from quizapp.interop.anki.export_writer import AnkiExportError, PackageWriter, open_writer
from quizapp.scheduling.memory import MemoryState
from quizapp.store.records import StoredCard

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
NEW = MemoryState(state=1, step=0, stability=None, difficulty=None, due=NOW, last_review=None)


def _cards() -> list[StoredCard]:
    """A cloze note, a reversed pair and a question-only card, then basic cards in three
    decks, one with math and code."""
    cards = [
        *kind_cards(),
        *(
            make_card(
                f"card-{number}",
                text=f"Step with $x_{number}^2$ and `code` number {number}.",
                tags=("ml/optim", f"group {number % 3}"),
                deck=("optim", "optim/adam", "stats")[number % 3],
            )
            for number in range(7)
        ),
    ]
    return [StoredCard(pk, card, NEW) for pk, card in enumerate(cards, start=1)]


def _contents(package: Path, folder: Path) -> list[tuple[Any, ...]]:
    """What a fresh Anki collection holds once ``package`` is imported: each card's note
    GUID, note type, fields, tags, deck and ordinal, sorted."""
    col = Collection(str(folder / f"{package.stem}.anki2"))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(package), options=ImportAnkiPackageOptions())
        )
        found = []
        for cid in col.find_cards(""):
            card = col.get_card(cid)
            note = card.note()
            found.append(
                (
                    note.guid,
                    note.note_type()["name"],  # type: ignore[index]
                    tuple(note.fields),
                    tuple(sorted(note.tags)),
                    col.decks.name(card.did),
                    card.ord,
                )
            )
        return sorted(found)
    finally:
        col.close()


def test_notes_added_chunk_by_chunk_make_the_same_package(tmp_path: Path) -> None:
    cards = _cards()
    whole, chunked = tmp_path / "whole.apkg", tmp_path / "chunked.apkg"
    with open_writer() as writer:
        plan = plan_export(cards, renderer=writer.renderer)
        writer.write(plan, whole, with_history=False)
    handed: list[int] = []
    with open_writer() as writer:
        writer.prepare(anki_decks(cards), with_history=False)

        def add(notes: Any) -> None:
            handed.append(len(notes))
            writer.add(notes)

        streamed = plan_export(cards, renderer=writer.renderer, on_notes=add, chunk_cards=2)
        writer.write(streamed, chunked, with_history=False)
    assert streamed == plan
    assert len(handed) > 3 and sum(handed) == len(plan.notes)
    contents = _contents(whole, tmp_path)
    assert _contents(chunked, tmp_path) == contents
    assert len(contents) == len(cards)
    assert {deck for *_, deck, _ in contents} == {"optim", "optim::adam", "stats"}


def test_a_chunk_anki_refuses_ends_the_export_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cards = _cards()
    with open_writer() as writer:
        col = writer.col

        def refuse(note: Any, deck_id: Any) -> Any:
            if note.guid == plan_guid:
                raise InvalidInput("field too long", None, None, None)
            return Collection.add_note(col, note, deck_id)

        def refuse_all(request: bytes) -> bytes:
            raise InvalidInput("a batch with a bad note", None, None, None)

        monkeypatch.setattr(col._backend, "add_notes_raw", refuse_all)
        monkeypatch.setattr(col, "add_note", refuse)
        writer.prepare(anki_decks(cards), with_history=False)
        plan_guid = plan_export(cards[-1:]).notes[0].guid
        with pytest.raises(AnkiExportError) as raised:
            plan = plan_export(
                cards, renderer=writer.renderer, on_notes=writer.add, chunk_cards=100
            )
            writer.write(plan, tmp_path / "out.apkg", with_history=False)
    assert str(raised.value) == "Anki refused the note of card card-6: field too long"
    assert not (tmp_path / "out.apkg").exists()


def test_notes_cannot_come_before_the_decks() -> None:
    with open_writer() as writer:
        with pytest.raises(RuntimeError, match="prepare"):
            writer.add(plan_export(_cards()).notes)
        assert isinstance(writer, PackageWriter)


def test_a_second_collection_renders_only_while_notes_are_being_added(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cards = _cards()
    release = threading.Event()
    add_chunk = PackageWriter._add_chunk

    def held(self: PackageWriter, notes: Any, request: bytes) -> list[int]:
        release.wait(timeout=60)
        return add_chunk(self, notes, request)

    with open_writer() as writer:
        folder = Path(writer.col.path).parent
        alone = plan_export(cards, renderer=writer.renderer)
        assert not (folder / "renderer.anki2").exists()  # nothing was being added
        monkeypatch.setattr(PackageWriter, "_add_chunk", held)
        writer.prepare(anki_decks(cards), with_history=False)
        writer.add(alone.notes[:1])
        try:
            meanwhile = plan_export(cards, renderer=writer.renderer)
            assert (folder / "renderer.anki2").exists()
        finally:
            release.set()
    assert meanwhile == alone


def test_cards_read_from_their_rows_are_the_cards_anki_gives() -> None:
    cards = _cards()
    with open_writer() as writer:
        plan = plan_export(cards, renderer=writer.renderer)
        writer.prepare(anki_decks(cards), with_history=False)
        writer.add(plan.notes)
        writer._note_ids(plan)
        db = writer.col.db
        assert db is not None
        rows = db.all(
            "select id, nid, did, ord, mod, usn, type, queue, due, ivl, factor, reps,"
            " lapses, left, odue, odid, flags, data from cards"
        )
        assert len(rows) == len(cards)
        for row in rows:
            from_row = writer._card(row)._to_backend_card()
            assert from_row == writer.col.get_card(row[0])._to_backend_card()
