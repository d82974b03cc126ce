"""The gameability audits ``quizapp check`` keeps on disk, so that checking a deck again
costs nothing for the exercises that did not change.

The audit runs every exercise over 200 seeds (``exercises/gameability.py``), about half a
second to a second each: some 20 s of work for the bundled deck, paid again on every
``check`` although a deck's exercises rarely change between two runs. An audit's findings
depend only on the parsed spec and on the engine that audits it, so each is kept in a file
named by both:

- the spec's ``audit_key``: its expressions, tolerances, mistakes, lines and ids, not the
  file it came from (a moved card keeps its audit; an edited exercise, or one that moved
  to other lines, is audited again);
- the engine version: a digest of the exercise package's source and NumPy's version, so
  that any change to the engine, its diagnoses or its thresholds audits everything again.

Files live in ``$QUIZAPP_CACHE_DIR``, else the platform's user cache folder for quizapp
(``~/.cache/quizapp`` on Linux), under ``audit/<engine>/``; the folders of other engine
versions are removed when a new one is made. A file that cannot be read or does not hold
findings is a miss, never trusted, and one that cannot be written is only a lost saving:
the cache never changes what ``check`` reports. ``quizapp check --no-cache`` audits
afresh.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quizapp.exercises.gameability import Finding
    from quizapp.exercises.spec import ExerciseSpec

#: The environment variable that overrides where quizapp keeps its caches.
CACHE_ENV_VAR = "QUIZAPP_CACHE_DIR"
#: What an engine folder is called: the first hex digits of the engine version.
_ENGINE_FOLDER = re.compile(r"[0-9a-f]{16}")


def default_audit_cache() -> Path:
    """``$QUIZAPP_CACHE_DIR/audit``, else ``audit`` in the platform's user cache folder."""
    override = os.environ.get(CACHE_ENV_VAR)
    if override:
        return Path(override).expanduser() / "audit"
    from platformdirs import user_cache_path

    return user_cache_path("quizapp", appauthor=False) / "audit"


@functools.cache
def engine_version() -> str:
    """A digest of what an audit's result depends on besides the spec: the source of every
    module of ``quizapp.exercises`` (the audit, its thresholds, the diagnoses it tries, the
    evaluator, the display) and NumPy's version."""
    import numpy as np

    import quizapp.exercises

    digest = hashlib.sha256(f"numpy {np.__version__}\n".encode())
    package = Path(quizapp.exercises.__file__).parent
    for path in sorted(package.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


class AuditCache:
    """Audit findings kept as one JSON file per spec in ``folder/<engine>/``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.engine = folder / engine_version()[:16]

    def _path(self, spec: ExerciseSpec) -> Path:
        from quizapp.exercises.gameability import audit_key

        return self.engine / f"{audit_key(spec)}.json"

    def get(self, spec: ExerciseSpec) -> list[Finding] | None:
        """The findings kept for ``spec``, or None (not kept, unreadable or damaged)."""
        from quizapp.exercises.gameability import Finding

        try:
            data = json.loads(self._path(spec).read_text(encoding="utf-8"))
            if not isinstance(data, list):
                return None
            return [Finding.from_dict(item) for item in data]
        except (OSError, ValueError):  # json's errors are ValueErrors too
            return None

    def put(self, spec: ExerciseSpec, findings: list[Finding]) -> None:
        """Keep ``findings`` for ``spec``: written whole (a temporary file renamed) so that
        a reader in another process never sees half a file; a failure is ignored."""
        text = json.dumps([f.to_dict() for f in findings], ensure_ascii=False)
        try:
            if not self.engine.is_dir():
                self.engine.mkdir(parents=True, exist_ok=True)
                self._prune()
            handle, temporary = tempfile.mkstemp(dir=self.engine, suffix=".tmp")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    out.write(text)
                os.replace(temporary, self._path(spec))
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
        except OSError:
            pass  # a read-only or full cache folder costs the saving, nothing else

    def _prune(self) -> None:
        """Remove the folders of other engine versions: their audits never match again."""
        for entry in self.folder.iterdir():
            if entry != self.engine and entry.is_dir() and _ENGINE_FOLDER.fullmatch(entry.name):
                shutil.rmtree(entry, ignore_errors=True)


def audit(spec: ExerciseSpec, cache: AuditCache | None) -> list[Finding]:
    """The gameability findings for ``spec``: kept ones from ``cache`` when it has them,
    else a fresh audit (remembered in ``cache``, and for the process)."""
    from quizapp.exercises.gameability import cached_audit

    if cache is not None:
        kept = cache.get(spec)
        if kept is not None:
            return kept
    findings = cached_audit(spec)
    if cache is not None:
        cache.put(spec, findings)
    return findings
