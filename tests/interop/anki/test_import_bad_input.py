"""Anki packages that are refused (issue 15): one clear line each, the database unchanged."""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import text

from interop.anki.packages import PNG, add, add_media, database, export, new_collection, rewrite
from quizapp.interop.anki.package import MAX_MEDIA_BYTES, check_archive
from quizapp.services.importer import ImportReport, check_paths, import_paths
from quizapp.store.db import Database

GIB = 1024**3


@pytest.fixture(scope="module")
def small_packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A two-note deck with a media file, current and legacy."""
    folder = tmp_path_factory.mktemp("anki-small")
    built = new_collection(folder)
    add(built, "one", "Basic", {"Front": "One?", "Back": '<img src="pic.png">'})
    add(built, "two", "Basic", {"Front": "Two?", "Back": "2"})
    add_media(built, "pic.png")
    packages = {
        "current": export(built, folder / "small.apkg"),
        "legacy": export(built, folder / "small-legacy.apkg", legacy=True),
    }
    database(built.col).execute(
        "update notes set flds = ? where guid = ?", "\x1f", built.guids["two"]
    )
    packages["empty"] = export(built, folder / "empty-note.apkg")
    built.col.close()
    return packages


def _snapshot(db: Database) -> list[object]:
    with db.begin() as conn:
        return [
            conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in (
                "cards",
                "card_states",
                "review_logs",
                "practice_logs",
                "source_files",
                "decks",
                "tags",
            )
        ]


def _refused(db: Database, package: Path) -> str:
    """Import ``package``; check that it failed with one error and changed nothing."""
    before = _snapshot(db)
    report = import_paths(db, [package])
    assert not report.ok and len(report.errors) == 1, report.errors
    assert report.failed_files == 1
    assert _snapshot(db) == before
    assert not Path(str(db.path)).with_name("quizapp.media").exists()
    problem = report.errors[0]
    assert problem.file == str(package)
    assert "\n" not in problem.message
    return problem.message


def test_a_file_that_is_not_a_zip(db: Database, tmp_path: Path) -> None:
    package = tmp_path / "notes.apkg"
    package.write_text("front,back\n")
    assert _refused(db, package) == "not an Anki package: not a zip file"


def test_a_zip_that_is_not_an_anki_package(db: Database, tmp_path: Path) -> None:
    package = tmp_path / "photos.apkg"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("photo.txt", "not a collection")
    message = _refused(db, package)
    assert message.startswith("a zip file but not an Anki package: it holds no collection.anki21b")


def test_a_package_from_a_newer_anki_is_refused_by_the_library(
    db: Database, small_packages: dict[str, Path], tmp_path: Path
) -> None:
    future = rewrite(
        small_packages["current"], tmp_path / "future.apkg", {"meta": bytes([0x08, 99])}
    )  # PackageMetadata.version = 99
    message = _refused(db, future)
    assert message.startswith("made by a newer Anki than the anki library installed here reads")


def test_a_note_whose_fields_are_all_empty(db: Database, small_packages: dict[str, Path]) -> None:
    message = _refused(db, small_packages["empty"])
    assert message.endswith("(Basic): every field is empty; fill one in or delete the note in Anki")
    assert message.startswith("note ")


def test_a_media_name_leading_out_of_the_media_folder(
    db: Database, small_packages: dict[str, Path], tmp_path: Path
) -> None:
    legacy = small_packages["legacy"]
    with zipfile.ZipFile(legacy) as archive:
        listed = json.loads(archive.read("media"))
    assert listed == {"0": "pic.png"}
    listing = json.dumps({"0": "../pic.png"}).encode()
    evil = rewrite(legacy, tmp_path / "evil.apkg", {"media": listing})
    message = _refused(db, evil)
    assert message == (
        "media file name '../pic.png' would be written outside the media folder; "
        "nothing was imported"
    )
    assert not (tmp_path / "pic.png").exists()


def _claiming(path: Path, member: str, size: int) -> None:
    """Rewrite the zip's central directory so that ``member`` claims ``size`` bytes."""
    data = bytearray(path.read_bytes())
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) >= 0:
        name_length = int.from_bytes(data[start + 28 : start + 30], "little")
        if data[start + 46 : start + 46 + name_length] == member.encode():
            data[start + 24 : start + 28] = size.to_bytes(4, "little")
            break
        start += 4
    path.write_bytes(bytes(data))


def test_a_one_gigabyte_media_file_is_over_the_limit(
    db: Database, small_packages: dict[str, Path], tmp_path: Path
) -> None:
    huge = tmp_path / "huge.apkg"
    huge.write_bytes(small_packages["legacy"].read_bytes())
    _claiming(huge, "0", GIB)
    with zipfile.ZipFile(huge) as archive:
        assert archive.getinfo("0").file_size == GIB
    assert GIB > MAX_MEDIA_BYTES
    message = _refused(db, huge)
    assert message == (
        f"media file 'pic.png' is 1,073,741,824 bytes, over the {MAX_MEDIA_BYTES:,}-byte limit "
        "for one media file; nothing was imported"
    )


def test_the_limit_applies_to_unpacked_media_of_the_current_format(
    small_packages: dict[str, Path],
) -> None:
    from quizapp.interop.anki.package import AnkiPackageError, open_package

    package = small_packages["current"]
    size = len(PNG)
    check_archive(package, media_limit=size - 1)  # compressed sizes are not the files' sizes
    with open_package(package, media_limit=size) as opened:
        assert opened.media["pic.png"].read_bytes() == PNG
    expected = rf"media file 'pic.png' is {size} bytes, over the {size - 1}-byte limit"
    with pytest.raises(AnkiPackageError, match=expected), open_package(package, size - 1):
        pass


def test_without_the_anki_extra_one_line_says_how_to_install_it(
    db: Database, small_packages: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "anki.collection", None)
    message = _refused(db, small_packages["current"])
    assert message == (
        "importing Anki packages needs the anki library: pip install 'quizapp[anki]' "
        "(or, in a checkout: uv sync --extra anki)"
    )


def test_check_reads_a_package_without_writing(small_packages: dict[str, Path]) -> None:
    report: ImportReport = check_paths([small_packages["current"]])
    assert report.ok and report.new == 2 and report.dry_run
    refused = check_paths([small_packages["empty"]])
    assert not refused.ok and refused.failed_files == 1


def test_state_json_is_the_document_json_dumps_writes() -> None:
    import json
    from datetime import UTC, datetime

    from quizapp.scheduling.memory import MemoryState
    from quizapp.store.state_text import state_json

    moment = datetime(2026, 3, 1, 12, 30, 5, 123000, tzinfo=UTC)
    memories = (
        MemoryState(2, None, 31.25, 4.1, moment, moment, 7, 1),
        MemoryState(1, 0, None, None, moment, None),
        MemoryState(3, 2, 1e-7, 10.0, moment, moment, 12, 4),
        MemoryState(2, None, float("inf"), -0.0, moment, moment, 3, 0),
    )
    for memory in memories:
        assert state_json(memory) == json.dumps(memory.to_dict())
        last = memory.last_review
        given = "null" if last is None else f'"{last.isoformat()}"'
        assert state_json(memory, given) == json.dumps(memory.to_dict())
    for memory in memories[:3]:
        assert MemoryState.from_dict(json.loads(state_json(memory))) == memory


def test_a_logs_stored_time_is_made_from_its_iso_text_as_utc_datetime_stores_it() -> None:
    from datetime import UTC, datetime, timedelta, timezone

    from sqlalchemy.dialects import sqlite

    from quizapp.store.sqlite.history_repo import HistoryWriter
    from quizapp.store.tables import REVIEW_LOGS

    dialect = sqlite.dialect()
    utc = REVIEW_LOGS.c.reviewed_at.type.bind_processor(dialect)
    text = sqlite.DATETIME().bind_processor(dialect)  # type: ignore[no-untyped-call]
    assert utc is not None and text is not None
    for moment in (
        datetime(2026, 3, 1, 12, 30, 5, 123000, tzinfo=UTC),
        datetime(2026, 3, 1, 12, 30, 5, tzinfo=UTC),
        datetime(2026, 3, 1, 23, 30, 5, 7, tzinfo=timezone(timedelta(hours=-5))),
        datetime(2026, 3, 1, 0, 0, tzinfo=timezone(timedelta(hours=2))),
    ):
        assert HistoryWriter._stored_time(moment, moment.isoformat()) == text(utc(moment))
