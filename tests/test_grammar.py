"""Counts in messages agree with their nouns: "1 card", "2 cards", never "1 cards" or
"card(s)" (issue 17).

Two walks: every f-string in quizapp is read (ast) for a count printed straight before a
plural noun or a "(s)"; and the message templates that take counts are rendered with 0, 1
and 2 and checked word by word.
"""

from __future__ import annotations

import ast
import itertools
import re
from pathlib import Path

import pytest

import quizapp
from quizapp.cards.model import Problem, Severity
from quizapp.cli.backup_cmd import _are_backups
from quizapp.cli.import_cmd import summary_line
from quizapp.services.importer import ImportReport

PACKAGE = Path(quizapp.__file__).parent

#: Nouns that follow counts in quizapp's messages, in the plural.
COUNTED = {
    "asks",
    "backups",
    "cards",
    "days",
    "decks",
    "errors",
    "exercises",
    "files",
    "notes",
    "problems",
    "reviews",
    "rows",
    "settings",
    "steps",
    "tags",
    "tries",
    "warnings",
}


#: Counts before a plural that are right: the word is no count, or the count is never 1.
ALLOWED = {
    ("cards/discovery.py", "{kinds} files"),  # "no Markdown files in this folder"
    ("cli/stats_cmd.py", "{days} days:"),  # the retention windows: 7, 30 and 365 days
    ("tui/screens/statistics.py", "{window.days} days"),  # the same windows
}


def _count_before_plural(node: ast.JoinedStr) -> list[str]:
    """Each ``{count} nouns`` in the f-string whose count is not a constant limit."""
    found = []
    parts = node.values
    for value, after in itertools.pairwise(parts):
        if not (isinstance(value, ast.FormattedValue) and isinstance(after, ast.Constant)):
            continue
        words = str(after.value).split()
        if not str(after.value).startswith(" ") or not words:
            continue
        nouns = [word.strip(".,;:)").lower() for word in words[:2]]  # "wrong tries" too
        expression = ast.unparse(value.value)
        is_limit = expression.rsplit(".", 1)[-1].isupper()  # MAX_CARDS_PER_FILE: never 1
        if set(nouns) & COUNTED and not is_limit:
            found.append(f"{{{expression}}} {' '.join(words[:2])}")
    return found


def _problems_in(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            where = path.relative_to(PACKAGE).as_posix()
            for found in _count_before_plural(node):
                if not any(where == file and found.startswith(text) for file, text in ALLOWED):
                    problems.append(f"{where}:{node.lineno}: {found}")
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and re.search(r"\w\(s\)", node.value)
        ):
            problems.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value!r}")
    return problems


def test_no_message_prints_a_count_before_a_fixed_plural() -> None:
    problems = [problem for path in sorted(PACKAGE.rglob("*.py")) for problem in _problems_in(path)]
    assert problems == []


def test_the_walk_finds_what_it_looks_for(tmp_path: Path) -> None:
    """The source walk above is not vacuous: it flags both kinds of mistake."""
    sample = PACKAGE / "_grammar_probe.py"
    assert not sample.exists()
    source = 'def f(n, m):\n    return f"{n} cards", "file(s)", f"{m} wrong tries", f"{n} new"\n'
    probe = tmp_path / "probe.py"
    probe.write_text(source, encoding="utf-8")
    tree = ast.parse(source)
    flagged = [
        found
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        for found in _count_before_plural(node)
    ]
    assert flagged == ["{n} cards", "{m} wrong tries"]
    assert re.search(r"\w\(s\)", "file(s)")


def _words_agree(text: str) -> list[str]:
    """Every ``<number> <noun>`` in ``text`` whose noun disagrees with the number."""
    wrong = []
    for number, noun in re.findall(r"\b(\d+) ([a-z-]+(?: try| tries| review| reviews)?)", text):
        head = noun.split()[-1]
        plural_noun = head in COUNTED or head == "tries"
        singular_noun = head.rstrip("s") + "s" in COUNTED or head == "try"
        if number == "1" and plural_noun:
            wrong.append(f"{number} {noun}")
        if number != "1" and singular_noun and not plural_noun:
            wrong.append(f"{number} {noun}")
    return wrong


def _problem(n: int) -> list[Problem]:
    return [Problem("a.md", 1, "x", Severity.ERROR) for _ in range(n)]


@pytest.mark.parametrize("count", [0, 1, 2])
def test_import_summary_with_0_1_2(count: int) -> None:
    report = ImportReport(
        new=count, skipped=count, warnings=_problem(count), errors=_problem(count)
    )
    for verbose in (False, True):
        line = summary_line(report, "Imported", verbose)
        assert "(s)" not in line
        assert _words_agree(line) == []
    one = summary_line(ImportReport(skipped=1, warnings=_problem(1), errors=_problem(1)), "X")
    assert "1 file skipped" in one and "1 warning, 1 error" in one


@pytest.mark.parametrize(
    ("count", "text"),
    [(0, "are no backups"), (1, "is 1 backup"), (2, "are 2 backups")],
)
def test_backup_count_with_0_1_2(count: int, text: str) -> None:
    assert _are_backups(count) == text


def test_the_agreement_check_is_not_vacuous() -> None:
    assert _words_agree("1 cards, 2 card, 1 wrong tries, 2 errors, 1 error") == [
        "1 cards",
        "2 card",
        "1 wrong tries",
    ]
