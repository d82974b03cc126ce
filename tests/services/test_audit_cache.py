"""``quizapp check`` keeps its gameability audits on disk (services/audit_cache.py): an
exercise that did not change is not audited again, one that did is, and nothing the cache
holds or lacks changes what ``check`` reports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import quizapp.exercises.gameability as gameability
from quizapp.cards import parse_file
from quizapp.cli.app import cli
from quizapp.exercises import parse_spec
from quizapp.exercises.gameability import COINCIDES, Finding, audit_key
from quizapp.exercises.spec import ExerciseSpec
from quizapp.services import audit_cache
from quizapp.services.audit_cache import AuditCache, engine_version
from quizapp.services.importer import check_paths

# The Huber exercise as issue 16 found it: the MSE gradient passes in 16 seeds of 200.
GAMEABLE = """\
id: huber-old
given:
  yhat: normal(4, 1)
  y: normal(4, 1)
  delta: 1.0
compute:
  r: yhat - y
  l: where(abs(r) <= delta, 0.5 * r**2, delta * (abs(r) - 0.5 * delta))
  L: mean(l)
show: [r, l, L]
ask:
  - name: dyhat
    answer: grad(L, yhat)
    mistakes:
      - answer: r / 4
        says: "That is the MSE gradient."
tolerance: {rtol: 1e-2, atol: 1e-3}
"""

CLEAN = """\
id: scaled
given:
  x: normal(3, 1)
ask:
  - name: q
    answer: 3 * x
"""

CARD = """# Audit Cache Drill

## Question
What is the gradient?

## Answer

### Gradient
Worked out.

```exercise
{yaml}```

## Tags
#Test
"""


def _card(folder: Path, yaml: str, name: str = "drill.md") -> tuple[Path, ExerciseSpec]:
    """A card file holding ``yaml``, and its exercise parsed as ``check`` parses it."""
    path = folder / name
    path.write_text(CARD.format(yaml=yaml), encoding="utf-8")
    (card,) = parse_file(path, folder).cards
    (block,) = card.exercises
    return path, parse_spec(block.yaml, line=block.line, source=str(path))


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forget the audits this process remembers, so only the disk can save one."""
    monkeypatch.setattr(gameability, "_CACHE", {})


def _planted(spec: ExerciseSpec) -> Finding:
    return Finding(COINCIDES, "q", 3, "planted", 9, 200, "a planted finding", spec.line)


def test_check_reuses_a_kept_audit_and_no_cache_audits_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh: None
) -> None:
    path, spec = _card(tmp_path, CLEAN)
    monkeypatch.setenv("QUIZAPP_CACHE_DIR", str(tmp_path / "cache"))
    AuditCache(tmp_path / "cache" / "audit").put(spec, [_planted(spec)])
    kept = CliRunner().invoke(cli, ["check", "--json", str(path)])
    (error,) = json.loads(kept.stdout)["errors"]
    assert "a planted finding" in error["message"]  # what the cache held was reported
    afresh = CliRunner().invoke(cli, ["check", "--json", "--no-cache", str(path)])
    assert json.loads(afresh.stdout)["errors"] == [] and afresh.exit_code == 0


def test_a_check_keeps_its_audit_for_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh: None
) -> None:
    path, spec = _card(tmp_path, GAMEABLE)
    folder = tmp_path / "cache"
    (first,) = check_paths([path], audit_cache=folder).errors
    assert "mistake `r / 4`" in first.message and "16 of 200 seeds" in first.message
    (kept,) = (folder / engine_version()[:16]).glob("*.json")
    assert kept.name == f"{audit_key(spec)}.json"

    def no_audit(spec: ExerciseSpec, seeds: int = 200) -> list[Finding]:
        raise AssertionError("audited again")

    monkeypatch.setattr(gameability, "_CACHE", {})
    monkeypatch.setattr(gameability, "audit_spec", no_audit)
    (second,) = check_paths([path], audit_cache=folder).errors
    assert second == first


def test_an_edited_or_moved_exercise_is_audited_again_a_renamed_file_is_not(
    tmp_path: Path,
) -> None:
    _, spec = _card(tmp_path, CLEAN)
    cache = AuditCache(tmp_path / "cache")
    cache.put(spec, [])
    assert cache.get(spec) == []
    _, renamed = _card(tmp_path, CLEAN, name="elsewhere.md")
    assert renamed.source != spec.source and cache.get(renamed) == []
    _, edited = _card(tmp_path, CLEAN.replace("3 * x", "4 * x"))
    assert cache.get(edited) is None
    moved = parse_spec(CLEAN, line=spec.line + 1)
    assert cache.get(moved) is None  # its findings would name other lines
    assert cache.get(parse_spec(CLEAN, line=spec.line)) == []


def test_a_damaged_cache_file_is_audited_again(tmp_path: Path, fresh: None) -> None:
    path, spec = _card(tmp_path, GAMEABLE)
    cache = AuditCache(tmp_path / "cache")
    cache.put(spec, [])
    kept = cache.engine / f"{audit_key(spec)}.json"
    for damage in ("{not json", "[]x", '{"kind": 1}', '[{"kind": "x"}]', "[1]", "\udcff"):
        kept.write_text(damage, encoding="utf-8", errors="surrogateescape")
        assert cache.get(spec) is None, damage
        (error,) = check_paths([path], audit_cache=tmp_path / "cache").errors
        assert "mistake `r / 4`" in error.message  # audited afresh…
        again = cache.get(spec)  # …and kept again
        assert again is not None and again[0].message in error.message


def test_findings_round_trip_and_anything_else_is_refused() -> None:
    finding = Finding(COINCIDES, None, 0, None, 3, 200, "message", None)
    assert Finding.from_dict(json.loads(json.dumps(finding.to_dict()))) == finding
    good = finding.to_dict()
    bad: object
    for bad in (
        [],
        {**good, "extra": 1},
        {**good, "seed": "0"},
        {**good, "seed": True},
        {**good, "line": 1.5},
        {**good, "ask": 3},
        {k: v for k, v in good.items() if k != "message"},
    ):
        with pytest.raises(ValueError):
            Finding.from_dict(bad)


def test_an_unwritable_cache_folder_costs_only_the_saving(tmp_path: Path, fresh: None) -> None:
    path, _ = _card(tmp_path, GAMEABLE)
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the folder would be", encoding="utf-8")
    (error,) = check_paths([path], audit_cache=blocked).errors
    assert "mistake `r / 4`" in error.message


def test_a_new_engine_version_starts_a_new_folder_and_removes_old_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, spec = _card(tmp_path, CLEAN)
    folder = tmp_path / "cache"
    AuditCache(folder).put(spec, [])
    old = folder / engine_version()[:16]
    (folder / "notes").mkdir()  # not an engine folder: left alone
    monkeypatch.setattr(audit_cache, "engine_version", lambda: "f" * 64)
    newer = AuditCache(folder)
    assert newer.get(spec) is None  # another engine's audit is not trusted
    newer.put(spec, [])
    assert not old.exists() and (folder / "notes").is_dir()
    assert newer.get(spec) == []


def test_the_key_is_the_same_in_every_process() -> None:
    """Sets of names are sorted before hashing: Python's string hashing, which orders a
    frozenset, changes from one process to the next."""
    code = (
        "from quizapp.exercises import parse_spec\n"
        "from quizapp.exercises.gameability import audit_key\n"
        "import sys\n"
        "print(audit_key(parse_spec(sys.stdin.read())))\n"
    )
    text = GAMEABLE.replace("r / 4", "(r + yhat + y + delta + l + L) / 4")
    keys = set()
    for seed in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-c", code],
            input=text,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        keys.add(done.stdout.strip())
    assert keys == {audit_key(parse_spec(text))}


def test_the_cache_folder_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZAPP_CACHE_DIR", str(tmp_path))
    assert audit_cache.default_audit_cache() == tmp_path / "audit"
    monkeypatch.delenv("QUIZAPP_CACHE_DIR")
    assert audit_cache.default_audit_cache().parts[-2:] == ("quizapp", "audit")
