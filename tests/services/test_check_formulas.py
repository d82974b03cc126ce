"""``quizapp check`` warns about every formula the renderer cannot draw (it would show as
raw source), on the line where the formula is written; import keeps its cheaper check of
unknown commands, and a formula that fails to parse does not vouch for its commands."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from quizapp.cli import cli
from quizapp.services.importer import check_paths, import_paths
from quizapp.store.db import Database

# Line numbers matter here: each formula's line is given in a comment of the test using it.
BROKEN = """\
# Broken formulas

## Question

What is $x^$ here?

## Answer

### Setup


Some text first.

$$\\frac{a}{b$$

A paragraph on two lines,
where $\\left( x$ sits on the second.

## Tags

#Maths
"""


def _warnings(folder: Path) -> list[tuple[str, int, str]]:
    report = check_paths([folder])
    assert report.ok
    return [(problem.file, problem.line, problem.message) for problem in report.warnings]


def test_check_reports_each_undrawable_formula_on_its_own_line(tmp_path: Path) -> None:
    (tmp_path / "broken.md").write_text(BROKEN, encoding="utf-8")
    assert _warnings(tmp_path) == [
        (
            "broken.md",
            5,
            'card "Broken formulas": cannot draw $x^$ (missing argument for ^); '
            "it is shown as source",
        ),
        (
            "broken.md",
            14,
            'card "Broken formulas": cannot draw $\\frac{a}{b$ (Unexpected end of stream, '
            "was expecting '}' @(1,10)); it is shown as source",
        ),
        (
            "broken.md",
            17,
            'card "Broken formulas": cannot draw $\\left( x$ (\\left without a matching '
            "\\right); it is shown as source",
        ),
    ]


def test_the_same_broken_formula_twice_is_reported_at_both_lines(tmp_path: Path) -> None:
    text = "# Twice\n\n## Question\n\nWhy?\n\n## Answer\n\nFirst $y_$.\n\nThen\nagain $y_$.\n"
    (tmp_path / "twice.md").write_text(text, encoding="utf-8")
    assert [(line, "cannot draw $y_$" in message) for _, line, message in _warnings(tmp_path)] == [
        (9, True),
        (12, True),
    ]


def test_a_multi_line_display_formula_is_reported_at_its_first_source_line(
    tmp_path: Path,
) -> None:
    text = "# Block\n\n## Question\n\nWhy?\n\n## Answer\n\n$$\n\\sqrt{x\n+ 1\n$$\n"
    (tmp_path / "block.md").write_text(text, encoding="utf-8")
    assert [(line, "cannot draw" in message) for _, line, message in _warnings(tmp_path)] == [
        (10, True)
    ]


def test_drawable_formulas_and_prose_dollars_give_no_warning(tmp_path: Path) -> None:
    text = (
        "# Fine\n\n## Question\n\nIs $x^2$ fine? It costs $5 and $10.\n\n## Answer\n\n"
        "$$\\frac{a}{b} + \\left( x \\right)$$\n\nAlso `$x^$` is code.\n"
    )
    (tmp_path / "fine.md").write_text(text, encoding="utf-8")
    assert _warnings(tmp_path) == []


def test_quizapp_check_counts_the_warnings_and_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "broken.md").write_text(BROKEN, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "3 warnings, 0 errors" in result.output
    assert "broken.md:14:" in result.output and "cannot draw $\\frac{a}{b$" in result.output


def test_a_formula_that_fails_to_parse_does_not_make_its_commands_known(
    tmp_path: Path, db: Database
) -> None:
    """Import (no parse check) must still warn about ``\\qzfmtunknown`` in a later card,
    although an earlier formula naming it failed to parse and so reported nothing."""
    (tmp_path / "a.md").write_text(
        "# First\n\n## Question\n\nWhy?\n\n## Answer\n\n$\\qzfmtunknown{$\n", encoding="utf-8"
    )
    (tmp_path / "b.md").write_text(
        "# Second\n\n## Question\n\nWhy?\n\n## Answer\n\n$\\qzfmtunknown{x}$\n",
        encoding="utf-8",
    )
    report = import_paths(db, [tmp_path])
    assert [(p.file, p.line, p.message) for p in report.warnings] == [
        ("b.md", 9, 'card "Second": unknown LaTeX \\qzfmtunknown in $\\qzfmtunknown{x}$')
    ]


def test_display_math_is_drawn_on_several_lines_only_on_lines_of_its_own() -> None:
    """What docs/card-format.md states: ``$$…$$`` inside a sentence is drawn on one line;
    on lines of its own it is a display formula, right under a sentence too (Obsidian)."""
    from quizapp.mathtext import render_markdown_math

    own = render_markdown_math("Text.\n\n$$\\sum_k x_k$$\n").splitlines()
    inside = render_markdown_math("Text, so $$\\sum_k x_k$$ holds.\n").splitlines()
    next_line = render_markdown_math("Text\n$$\\sum_k x_k$$\n").splitlines()
    assert own == ["Text.", "", "∑ xₖ", "k"]
    assert inside == ["Text, so ∑ₖ xₖ holds."]
    assert next_line == ["Text", "∑ xₖ", "k"]


def test_prose_like_the_formula_before_it_does_not_take_its_line(tmp_path: Path) -> None:
    text = "# Prose\n\n## Question\n\nWhy?\n\n## Answer\n\nWrite x^ to mean a power.\n\nSo $x^$.\n"
    (tmp_path / "prose.md").write_text(text, encoding="utf-8")
    assert [line for _, line, _ in _warnings(tmp_path)] == [11]
