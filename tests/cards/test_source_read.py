"""Reading a card file for import: whole, consistent with its stat, and never blocking."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from quizapp.cards.source import read_stable

TEXT = "# Card\n\n## Question\n\nWhy?\n\n## Answer\n\nBecause.\n"


def test_reads_the_whole_file_with_its_stat(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(TEXT * 50, encoding="utf-8")
    read = read_stable(path, 1_000_000)
    assert not isinstance(read, str)
    data, info = read
    assert data == (TEXT * 50).encode("utf-8")
    assert (info.st_size, info.st_mtime_ns) == (os.stat(path).st_size, os.stat(path).st_mtime_ns)


def test_file_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(TEXT, encoding="utf-8")
    read = read_stable(path, 10)
    assert isinstance(read, str) and "larger than the limit of 10 bytes" in read


def test_file_that_grew_after_its_stat_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.md"
    path.write_text(TEXT, encoding="utf-8")
    real_fstat = os.fstat
    calls = iter(range(1000))

    def stale_first(fd: int) -> os.stat_result:
        info = real_fstat(fd)
        if next(calls) == 0:  # the first stat predates the last write
            values = list(info)
            values[6] = info.st_size - 5
            return os.stat_result(values)
        return info

    monkeypatch.setattr(os, "fstat", stale_first)
    read = read_stable(path, 1_000_000)
    assert not isinstance(read, str)
    assert read[0] == TEXT.encode("utf-8")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_named_md_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.md")
    assert read_stable(tmp_path / "pipe.md", 1_000_000) == "not a regular file"
