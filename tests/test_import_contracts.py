"""The layers hold: import-linter's contracts (``[tool.importlinter]`` in pyproject.toml).

The core never imports textual; scheduling never imports the store; services and front
ends import neither SQLAlchemy nor the store's internals (``store/sqlite/``, the ORM
models and tables), only the store's interface (``db``, ``ports``, ``records``…).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def test_every_contract_is_kept() -> None:
    result = _lint()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def test_a_breach_would_be_reported(tmp_path: Path) -> None:
    """The check has teeth: a contract the code breaks (services use the store's
    interface) is reported broken, naming the import."""
    config = tmp_path / ".importlinter"
    config.write_text(
        "[importlinter]\nroot_package = quizapp\n\n"
        "[importlinter:contract:breach]\nname = services never use the store\n"
        "type = forbidden\nsource_modules = quizapp.services.settings\n"
        "forbidden_modules = quizapp.store.db\n",
        encoding="utf-8",
    )
    result = _lint(str(config))
    assert result.returncode == 1
    assert "quizapp.services.settings -> quizapp.store.db" in result.stdout
