"""Golden samples: every format's sample files, imported, give exactly the expected cards.

``golden/<format>/`` holds sample input files, each beside ``<file>.json``: either the
``quizapp show --json`` of every card the file gives, in file order, with the format that
read it, or why the file gave none (the errors, or the reason it was skipped). The whole
folder is imported into a fresh database at a fixed time, and each card is shown through
the real command line. A new format adds a folder; nothing here changes.

After a deliberate change: ``QUIZAPP_UPDATE_GOLDEN=1 uv run pytest tests/cards/formats``
rewrites the expected files; review their diff before committing.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from quizapp.cards import parse_file
from quizapp.cli import cli
from quizapp.services.importer import import_paths
from quizapp.store.db import open_database

GOLDEN = Path(__file__).parent / "golden"
#: The import's time: new cards are due then, so ``due`` in the expected files is fixed.
IMPORTED_AT = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
WIDTH = "80"
UPDATE = os.environ.get("QUIZAPP_UPDATE_GOLDEN") == "1"

FOLDERS = sorted(path for path in GOLDEN.iterdir() if path.is_dir())


def samples(folder: Path) -> list[Path]:
    """The input files of a golden folder: everything but the expected ``.json`` files."""
    return sorted(path for path in folder.iterdir() if path.is_file() and path.suffix != ".json")


def show(db_path: Path, card_id: str) -> Any:
    result = CliRunner().invoke(
        cli, ["--db", str(db_path), "show", card_id, "--json", "--width", WIDTH]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def actual(folder: Path, sample: Path, db_path: Path) -> dict[str, Any]:
    """What the sample gives, in the shape of its expected file."""
    parsed = parse_file(sample, folder)
    if parsed.errors:
        return {"errors": [str(problem) for problem in parsed.errors]}
    if parsed.skipped:
        return {"skipped": parsed.skipped}
    return {
        "format": parsed.format,
        "cards": [show(db_path, card.id) for card in parsed.cards],
    }


def test_every_format_has_a_golden_folder() -> None:
    from quizapp.cards.formats import default_registry

    assert sorted(folder.name for folder in FOLDERS) == sorted(default_registry().names)


@pytest.mark.parametrize("folder", FOLDERS, ids=[folder.name for folder in FOLDERS])
def test_golden_samples(folder: Path, tmp_path: Path) -> None:
    db_path = tmp_path / "golden.db"
    database = open_database(db_path, auto_backup=False)
    try:
        import_paths(database, [folder], now=IMPORTED_AT)
    finally:
        database.close()
    mismatched: list[str] = []
    for sample in samples(folder):
        got = actual(folder, sample, db_path)
        expected_file = sample.with_name(sample.name + ".json")
        if UPDATE:
            text = json.dumps(got, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
            expected_file.write_text(text, encoding="utf-8")
        if not expected_file.exists():
            missing = f"{sample.name}: no {expected_file.name} (set QUIZAPP_UPDATE_GOLDEN=1)"
            mismatched.append(missing)
            continue
        expected = json.loads(expected_file.read_text(encoding="utf-8"))
        if got != expected:
            mismatched.append(f"{sample.name}: differs from {expected_file.name}")
        elif "cards" in got:
            assert got["format"] == folder.name, f"{sample.name} was read by {got['format']}"
    assert not mismatched, mismatched
    expected_files = {path.name for path in folder.glob("*.json")}
    orphans = expected_files - {sample.name + ".json" for sample in samples(folder)}
    assert not orphans, f"expected files without a sample: {sorted(orphans)}"
