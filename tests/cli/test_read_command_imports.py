"""The read commands (``list``, ``show``, ``tags``, ``stats``) import only what they use.

Each runs in a fresh interpreter on a database holding a small deck, and the modules it
loaded are compared with what it needs: SQLAlchemy is the one large import these
commands should pay (issue 17). The TUI, the exercise engine's NumPy, Alembic, the
scheduler's FSRS libraries and other commands' modules must stay out, because importing
them is most of what made ``quizapp list`` feel slow. Behaviour, not timing: a stray
module-level import fails here however fast the machine is.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from quizapp.services.importer import import_paths
from quizapp.store.db import open_database

#: Runs the command line in-process and prints the top-level packages and the quizapp
#: modules it loaded, as JSON, after the command's own output.
SCRIPT = """
import json, sys
from quizapp.cli import main
try:
    main(sys.argv[1:])
except SystemExit as stop:
    code = stop.code
else:
    code = 0
loaded = sorted(sys.modules)
print("\\n@@" + json.dumps({"code": code, "modules": loaded}))
"""

#: Loaded by no read command: the TUI, Alembic (the schema is current), PostgreSQL's
#: dialect and driver (the database is SQLite), the ORM row classes (every read is Core
#: on ``store/tables.py``), the parameter fitting library (nothing is
#: fitted), the exercise engine, YAML and the formats' readers (nothing is parsed), other
#: commands.
NEVER = [
    "textual",
    "alembic",
    "sqlalchemy.dialects.postgresql",
    "psycopg",
    "quizapp.store.models",
    "fsrs_rs_python",
    "yaml",
    "ftfy",
    "html_to_markdown",
    "quizapp.exercises",
    "quizapp.tui",
    "quizapp.services.importer",
    "quizapp.cli.import_cmd",
    "quizapp.cli.review_cmd",
    "quizapp.cli.export_cmd",
    "quizapp.cli.exercise_cmd",
]

#: What each command may not load on top of ``NEVER``.
ALSO_NEVER = {
    "list": ["numpy", "fsrs", "markdown_it", "pylatexenc", "quizapp.mathtext"],
    "tags": ["numpy", "fsrs", "markdown_it", "pylatexenc", "quizapp.mathtext"],
    # show draws Markdown and math: markdown-it and pylatexenc are its work
    "show": ["numpy", "fsrs"],
    # stats computes recall over every card with NumPy and py-fsrs's forgetting curve
    # (its decay and factor come from the FSRS parameters): its work; nothing is drawn
    "stats": ["markdown_it", "pylatexenc", "quizapp.mathtext"],
}

CARD = """# Softmax gradient

## Question
What is the derivative of softmax?

## Answer
$$\\frac{\\partial s_i}{\\partial z_j} = s_i(\\delta_{ij} - s_j)$$
"""


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file holding one card, backed up today (no backup in the runs)."""
    folder = tmp_path_factory.mktemp("reads")
    deck = folder / "deck"
    deck.mkdir()
    (deck / "softmax.md").write_text(CARD, encoding="utf-8")
    path = folder / "quizapp.db"
    db = open_database(path)
    try:
        report = import_paths(db, [deck])
        assert report.new == 1
    finally:
        db.close()
    open_database(path).close()  # the daily backup, now that the database holds data
    return path


def _loaded(database: Path, *args: str) -> set[str]:
    env = {k: v for k, v in os.environ.items() if k != "QUIZAPP_DB"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, "--db", str(database), *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    report = json.loads(result.stdout.rsplit("\n@@", 1)[1])
    assert report["code"] == 0, result.stderr
    return set(report["modules"])


def _offenders(loaded: set[str], packages: list[str]) -> list[str]:
    return sorted(
        name for name in loaded if any(name == p or name.startswith(p + ".") for p in packages)
    )


@pytest.mark.parametrize(
    "args",
    [("list",), ("tags",), ("show", "softmax"), ("stats",)],
    ids=lambda args: args[0],
)
def test_a_read_command_imports_only_what_it_uses(database: Path, args: tuple[str, ...]) -> None:
    loaded = _loaded(database, *args)
    assert "sqlalchemy" in loaded  # the store is read through SQLAlchemy, its one interface
    assert _offenders(loaded, NEVER + ALSO_NEVER[args[0]]) == []


def test_show_still_draws_its_math(database: Path) -> None:
    """The lazy imports load what ``show`` needs: its formula is drawn, not left as TeX."""
    loaded = _loaded(database, "show", "softmax")
    assert {"markdown_it", "quizapp.mathtext"} <= loaded


def test_every_command_is_listed_and_loads_under_its_own_name() -> None:
    """The lazily loaded commands are the ones ``--help`` lists, each found by its name."""
    import click

    from quizapp.cli.app import COMMANDS, cli

    with click.Context(cli) as ctx:
        assert set(cli.list_commands(ctx)) >= set(COMMANDS)
        for name in COMMANDS:
            command = cli.get_command(ctx, name)
            assert command is not None and command.name == name
        assert cli.get_command(ctx, "no-such-command") is None
