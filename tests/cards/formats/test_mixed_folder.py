"""``quizapp check`` on one folder holding a file in every registered format: every card is
read, by the format it is written in, with no error and no file skipped.

``mixed/`` holds one small sample per format (written from each format's documentation);
a format added to the registry adds its sample there, or this test fails.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from quizapp.cards import parse_file
from quizapp.cards.formats import default_registry
from quizapp.cli import cli

MIXED = Path(__file__).parent / "mixed"


def test_check_reads_every_card_of_a_folder_mixing_every_format() -> None:
    samples = sorted(path for path in MIXED.iterdir() if path.is_file())
    parsed = [parse_file(path, MIXED) for path in samples]
    read_by = {result.format for result in parsed}
    assert read_by == set(default_registry().names), "add a sample for each format to mixed/"
    result = CliRunner().invoke(cli, ["check", str(MIXED), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["errors"], report["failed_files"], report["skipped"]) == ([], 0, 0)
    assert report["files"] == len(samples)
    assert report["new"] == sum(len(result.cards) for result in parsed) > len(samples)
