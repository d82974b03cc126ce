"""The import writer's bulk writes store every value as it was given.

The writer converts each column's values itself (``import_repo._insert_many``), once per
column and once only for a value every row repeats; read back through the store, a card
written in a batch of files, or alone (every value repeated), equals the card given. On
SQLite and PostgreSQL (``backend_db``); the stored time is compared in SQLite's text form.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import event

from quizapp.cards.model import Card
from quizapp.store.db import Database, open_database, run_sql
from quizapp.store.records import SourceFileInfo
from store.cards_factory import make_card

WHEN = datetime(2024, 5, 1, 12, 30, 15, 250000, tzinfo=UTC)


def _info(card: Card) -> SourceFileInfo:
    return SourceFileInfo(f"/deck/{card.id}.md", 10, 1, "0" * 64)


def test_cards_written_in_bulk_read_back_as_given(backend_db: Database) -> None:
    db = backend_db
    batch = [
        make_card("a", difficulty=None, aliases=("alias",), text="x ≤ $\\sigma$", line=3),
        make_card("b", tags=("ml", "stats"), related=("What is B?",)),
        make_card("c", deck="deck/sub", difficulty="hard"),
    ]
    alone = make_card("d", tags=("ml",))
    db.import_writer().write_files([(_info(card), [card]) for card in batch], WHEN)
    db.import_writer().write_files([(_info(alone), [alone])], WHEN)
    for card in [*batch, alone]:
        stored = db.cards.get(card.id)
        assert stored is not None, card.id
        got = stored.card
        assert (
            got.title,
            got.question,
            got.steps,
            got.difficulty,
            got.aliases,
            got.tags,
            got.deck,
            got.line,
            got.content_hash,
        ) == (
            card.title,
            card.question,
            card.steps,
            card.difficulty,
            card.aliases,
            card.tags,
            card.deck,
            card.line,
            card.content_hash,
        )
        assert stored.created_at == WHEN and stored.memory.due == WHEN
        assert not stored.suspended and not stored.missing
    times = [
        value.strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(value, datetime) else value
        for (value,) in run_sql(db, "SELECT created_at FROM cards")
    ]  # a naive datetime on PostgreSQL
    assert times == ["2024-05-01 12:30:15.250000"] * 4  # naive UTC


def test_a_writer_alone_does_not_read_its_batches_rows_again(tmp_path: Path) -> None:
    """On SQLite a writer knows when nobody else has written since it loaded (``PRAGMA
    data_version`` and the connection's changed rows), and then trusts its caches instead
    of reading each batch's cards again; once someone has, it reads them before every
    batch (``tests/store/contract`` checks what it then finds)."""
    db = open_database(tmp_path / "alone.db", auto_backup=False)
    reads: list[str] = []

    @event.listens_for(db.engine, "before_cursor_execute")
    def _seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if "WHERE cards.uid IN" in statement:
            reads.append(statement)

    try:
        writer = db.import_writer()
        for name in ("a", "b", "c"):
            card = make_card(name)
            writer.write_files([(_info(card), [card])], WHEN)
        assert reads == []
        db.import_writer().write_files([(_info(make_card("d")), [make_card("d")])], WHEN)
        card = make_card("e")
        writer.write_files([(_info(card), [card])], WHEN)  # another writer has written
        assert len(reads) == 1
    finally:
        db.close()


def test_a_new_cards_row_holds_what_an_update_of_it_would_store(backend_db: Database) -> None:
    """New cards go in as rows with their JSON already encoded (``card_rows.file_row``),
    changed cards through SQLAlchemy's own encoding (``card_values``): both must store the
    same text, whatever the card holds."""
    import json
    from dataclasses import replace

    from quizapp.cards.model import CardExtra, ExerciseSource, LanguageVersion, Step
    from quizapp.store.card_rows import FILE_COLUMNS, card_values, file_row

    card = replace(
        make_card("odd", aliases=("Ünïcode", 'a "quoted" name')),
        steps=(Step(("Part \\ 1", "Ω"), 'say "hi"\n\ttab \u2028 😀', 7), Step((), "", 0)),
        exercises=(ExerciseSource("kind: numeric\n", 12),),
        alternates=(LanguageVersion("ru", "Что?", (Step(("Шаг",), "ответ", 3),)),),
        extras=(CardExtra("follow_ups", "Follow-ups", "- Why?", "", 20),),
        language="en",
    )
    json_positions = [
        FILE_COLUMNS.index(name)
        for name in ("steps", "aliases", "exercises", "alternates", "extras")
    ]
    row = file_row(card, 1, "/deck/odd.md")
    values = card_values(card, 1, "/deck/odd.md")
    assert dict(zip(FILE_COLUMNS, row, strict=True)).keys() == values.keys()
    for position in json_positions:
        name = FILE_COLUMNS[position]
        assert row[position] == json.dumps(values[name]), name
    for position, name in enumerate(FILE_COLUMNS):
        if position not in json_positions:
            assert row[position] == values[name], name
    db = backend_db
    db.import_writer().write_files([(_info(card), [card])], WHEN)
    stored = db.cards.get(card.id)
    assert stored is not None
    assert (stored.card.steps, stored.card.exercises, stored.card.alternates) == (
        card.steps,
        card.exercises,
        card.alternates,
    )
    assert (stored.card.extras, stored.card.aliases) == (card.extras, card.aliases)


def test_new_decks_and_tags_of_a_batch_are_made_once_each(backend_db: Database) -> None:
    """A batch's new decks and tags are stored together before its cards: a deck or tag
    named by several cards (a tag in another case too) is one row, named as first used."""
    batch = [
        make_card("p", deck="new/one", tags=("Deep Learning", "ml")),
        make_card("q", deck="new/two", tags=("deep learning",)),
        make_card("r", deck="new/one", tags=("ML", "stats")),
    ]
    db = backend_db
    db.import_writer().write_files([(_info(card), [card]) for card in batch], WHEN)
    decks = sorted(name for (name,) in run_sql(db, "SELECT name FROM decks"))
    tags = sorted(name for (name,) in run_sql(db, "SELECT name FROM tags"))
    assert decks == ["new/one", "new/two"]
    assert tags == ["Deep Learning", "ml", "stats"]
    for card in batch:
        stored = db.cards.get(card.id)
        assert stored is not None
        assert stored.card.deck == card.deck
        assert [tag.casefold() for tag in stored.card.tags] == [t.casefold() for t in card.tags]
