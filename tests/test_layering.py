"""The core never imports textual: the TUI is one front end, not a dependency."""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "quizapp.cards",
    "quizapp.mathtext",
    "quizapp.exercises",
    "quizapp.store",
    "quizapp.scheduling",
    "quizapp.services",
    "quizapp.interop",
    "quizapp.cli",
    "quizapp.content",
]

SCRIPT = """
import importlib, pkgutil, sys
imported = []
for name in sys.argv[1:]:
    module = importlib.import_module(name)
    imported.append(name)
    for info in pkgutil.walk_packages(getattr(module, "__path__", []), prefix=name + "."):
        if ".migrations" in info.name:
            continue  # Alembic scripts run only inside Alembic
        importlib.import_module(info.name)
        imported.append(info.name)
leaked = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print(len(imported))
print(",".join(leaked[:5]))
"""


def test_core_packages_do_not_import_textual() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, *CORE], capture_output=True, text=True, check=True
    )
    count, leaked = result.stdout.splitlines()
    assert int(count) > 20
    assert leaked == "", f"textual imported by the core: {leaked}"
