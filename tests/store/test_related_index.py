"""Related questions found from the names the import writer kept, or from the rows.

A first import into an empty database resolves its links from the names of the cards it
stored (``ImportWriter._names``), without reading every card back after the last file;
any other import reads them from the stored rows. Both must point every link at the same
card: the file name first, then an alias, a title, an id, and last a quoted question,
within a kind the card stored first, never the card itself.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sqlalchemy import event

from quizapp.cards.model import Card
from quizapp.store.db import Database, open_database
from quizapp.store.records import SourceFileInfo
from store.cards_factory import NOW, make_card


def _cards() -> list[tuple[str, list[Card]]]:
    named = replace(make_card("a/named", title="Shared Title"), source="a/Regularization.md")
    titled = make_card("a/titled", title="Regularization")  # a title: the file name wins
    first = make_card("b/first", title="Twice")
    second = make_card("b/second", title="Twice")  # the same title: the first stored wins
    aliased = make_card("c/aliased", aliases=("The Alias",))
    asked = make_card("c/asked", question="What does dropout do at test time?")
    linking = make_card(
        "d/linking",
        related=(
            "[[Regularization]]",
            "twice",
            "[[the alias|shown]]",
            "c/titled",
            "titled",
            "What does dropout do at test time?",
            "Nothing Has This Name",
            "d/linking",
        ),
    )
    later = make_card("e/later", title="Late Target")
    early = make_card("a/early", related=("Late Target",))  # a link to a card stored after
    return [
        ("a/Regularization.md", [named]),
        ("a/titled.md", [titled]),
        ("a/early.md", [early]),
        ("b/first.md", [first]),
        ("b/second.md", [second]),
        ("c/aliased.md", [aliased, asked]),
        ("d/linking.md", [linking]),
        ("e/later.md", [later]),
    ]


EXPECTED = {
    "d/linking": ["a/named", "b/first", "c/aliased", None, "a/titled", "c/asked", None, None],
    "a/early": ["e/later"],
}


def _write(db: Database, files: list[tuple[str, list[Card]]]) -> tuple[int, list[str]]:
    """Write the files with one writer and resolve their links; the number of links
    pointed, and the statements that read the cards' names from their rows."""
    reads: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if "link_name" in statement and statement.lstrip().upper().startswith("SELECT"):
            reads.append(statement)

    writer = db.import_writer()
    for name, cards in files:
        writer.write_file(SourceFileInfo(f"/v/{name}", 1, 1, "0" * 64, "/v"), cards, NOW)
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        pointed = writer.resolve_related()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return pointed, reads


def _targets(db: Database) -> dict[str, list[str | None]]:
    found: dict[str, list[str | None]] = {}
    for uid in EXPECTED:
        stored = db.cards.get(uid)
        assert stored is not None
        found[uid] = [link.target_uid for link in stored.related_links]
    return found


def test_a_first_import_finds_its_links_from_the_names_it_kept(tmp_path: Path) -> None:
    db = open_database(tmp_path / "q.db", auto_backup=False)
    try:
        pointed, reads = _write(db, _cards())
        assert reads == []  # no card was read back
        assert pointed == 6
        assert _targets(db) == EXPECTED
    finally:
        db.close()


def test_an_import_into_a_database_with_cards_reads_their_names(tmp_path: Path) -> None:
    db = open_database(tmp_path / "q.db", auto_backup=False)
    try:
        _write(db, [("z/other.md", [make_card("z/other", title="Unrelated")])])
        pointed, reads = _write(db, _cards())
        assert reads != []
        assert pointed == 6
        assert _targets(db) == EXPECTED
    finally:
        db.close()


def test_a_card_stored_again_in_the_same_import_makes_the_names_be_read(
    tmp_path: Path,
) -> None:
    """An edited card may have lost a name the writer kept: the rows decide."""
    db = open_database(tmp_path / "q.db", auto_backup=False)
    try:
        files = _cards()
        renamed = replace(make_card("e/later", title="Renamed"), content_hash="1" * 64)
        pointed, reads = _write(db, [*files, ("e/later.md", [renamed])])
        assert reads != []
        stored = db.cards.get("a/early")
        assert stored is not None
        assert [link.target_uid for link in stored.related_links] == [None]
        assert pointed == 5
    finally:
        db.close()
