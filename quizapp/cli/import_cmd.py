"""``quizapp import PATH...`` and ``quizapp check PATH...``: card files in, one report out."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from quizapp.cli.context import open_db
from quizapp.cli.terminal import safe_json, safe_text

if TYPE_CHECKING:
    from quizapp.services.drills import DrillCoverage
    from quizapp.services.importer import ImportReport

#: Show a progress bar only for imports of at least this many steps (two per file: 50 files).
_PROGRESS_MIN_STEPS = 100


class _Bar:
    """A click progress bar on stderr, created only once an import proves long."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: Any = None
        self.shown = 0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < _PROGRESS_MIN_STEPS:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="Importing", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.shown)
        self.shown = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def _print_report(report: ImportReport, verb: str, verbose: bool) -> None:
    for problem in report.errors:
        click.echo(f"error: {safe_text(str(problem), keep_newlines=False)}", err=True)
    for problem in report.warnings:
        click.echo(f"warning: {safe_text(str(problem), keep_newlines=False)}", err=True)
    if verbose:
        for problem in report.skipped_files:
            line = f"{problem.file}: {problem.message}"
            click.echo(f"skipped: {safe_text(line, keep_newlines=False)}", err=True)
    if verbose and report.formats:
        from quizapp.text import plural

        read = ", ".join(
            f"{name} {plural(count, 'file')}" for name, count in sorted(report.formats.items())
        )
        click.echo(f"read as: {read}", err=True)
    click.echo(summary_line(report, verb, verbose))
    hint = nothing_read_hint(report)
    if hint:
        click.echo(f"hint: {hint}", err=True)


def nothing_read_hint(report: ImportReport) -> str:
    """What to do when every file was skipped as no card file, or "" otherwise: the
    user's notes are likely in a layout quizapp does not detect, and the bare counts do
    not say which layouts it reads."""
    if not report.nothing_read:
        return ""
    from quizapp.cards.formats import default_registry

    names = ", ".join(default_registry().names)
    return (
        "no file here is in a layout quizapp detects; docs/formats.md shows each one, and "
        f"--format NAME reads every file as one of: {names}"
    )


def summary_line(report: ImportReport, verb: str, verbose: bool = False) -> str:
    """The one-line summary of an import or check, every count in its right number."""
    from quizapp.text import plural

    would = " (dry run: nothing written)" if report.dry_run and verb != "Checked" else ""
    skipped = ""
    if report.skipped:
        listed = "" if verbose else "; --verbose lists them"
        skipped = f"{plural(report.skipped, 'file')} skipped (no cards found{listed}); "
    return (
        f"{verb}: {report.new} new, {report.updated} updated, {report.unchanged} unchanged, "
        f"{report.repaired} repaired, {report.missing} missing; {skipped}"
        f"{plural(len(report.warnings), 'warning')}, {plural(len(report.errors), 'error')}"
        f"{would}"
    )


def _known_format(_ctx: click.Context, _param: click.Parameter, name: str | None) -> str | None:
    """``--format NAME``: a usage error (exit 2) when no registered format has that name.
    The registry is loaded only when the option is given, to keep start-up light."""
    if name is None:
        return None
    from quizapp.cards.formats import UnknownFormat, default_registry

    try:
        return default_registry().get(name).name
    except UnknownFormat as exc:
        raise click.BadParameter(str(exc)) from None


#: ``--format NAME`` on import and check.
_format_option = click.option(
    "--format",
    "format_name",
    metavar="NAME",
    default=None,
    callback=_known_format,
    help="Read files that do not name their own format (front matter quizapp-format) "
    "as NAME, instead of detecting it (docs/formats.md lists the formats).",
)
#: ``--question-only`` on import and check: questions with no written answer become cards.
_question_only_option = click.option(
    "--question-only",
    is_flag=True,
    help="Also read questions written without an answer (question lists, answerless "
    "question headings or rows) as question-only cards, in files that hold other cards "
    "too; a file's front matter quizapp-question-only: true/false overrides it.",
)
#: ``--verbose`` on import and check: list the skipped files too.
_verbose_option = click.option(
    "--verbose", "-v", is_flag=True, help="Also list the files skipped as not card files."
)


def _run(
    as_json: bool,
    verb: str,
    work: Callable[[Callable[[int, int], None] | None], ImportReport],
    verbose: bool = False,
    coverage: DrillCoverage | None = None,
) -> None:
    bar = _Bar(enabled=not as_json and sys.stderr.isatty())
    try:
        report = work(bar)
    finally:
        bar.close()
    if as_json:
        extra = {} if coverage is None else {"drills": coverage.to_dict()}
        click.echo(safe_json(report.to_dict() | extra))
    else:
        _print_report(report, verb, verbose)
        if coverage is not None:
            _print_coverage(coverage, verbose)
    if not report.ok:
        raise click.exceptions.Exit(1)


def _print_coverage(coverage: DrillCoverage, verbose: bool) -> None:
    """``N of M formulas can be drilled``; with --verbose, why each other one is not."""
    if not coverage.formulas:
        return
    hint = "; --verbose says why the others cannot" if coverage.reasons and not verbose else ""
    click.echo(safe_text(f"Drills: {coverage.summary()}{hint}", keep_newlines=False))
    if verbose:
        for line in coverage.lines():
            click.echo(safe_text(f"  {line}", keep_newlines=False))


_exclude_option = click.option(
    "--exclude",
    "excludes",
    multiple=True,
    metavar="GLOB",
    help="Skip what this gitignore-style glob names below each folder given (repeat; "
    "e.g. 'drafts/' or '*.excalidraw.md'); a .quizappignore there skips more.",
)


_follow_links_option = click.option(
    "--follow-links",
    is_flag=True,
    help="Follow symbolic links that lead out of the folders named (never into /proc, /sys, /dev).",
)


@click.command("import")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@_follow_links_option
@_format_option
@_question_only_option
@_verbose_option
@_exclude_option
@click.option(
    "--no-bundled",
    is_flag=True,
    help="On a database without cards, import only PATH, not the bundled deck too.",
)
@click.pass_context
def import_command(
    ctx: click.Context,
    paths: tuple[str, ...],
    dry_run: bool,
    as_json: bool,
    follow_links: bool,
    format_name: str | None,
    question_only: bool,
    verbose: bool,
    excludes: tuple[str, ...],
    no_bundled: bool,
) -> None:
    """Import card files, folders (recursively, *.md) and globs.

    Besides quizapp's own cards it reads the notes people already keep: Obsidian
    flashcards and vaults, Logseq #card blocks, hashcards, Q:/A: and bold-question notes,
    README question lists and <details> answers, CSV/TSV, and Anki packages (.apkg,
    .colpkg); docs/formats.md shows each. Unchanged files are skipped, edited cards keep
    their review history, and cards whose file disappeared are marked missing, never
    deleted. Files that hold no cards are skipped, not errors. On a database without cards
    the bundled deck is imported first (--no-bundled: not). Exit status: 0 no errors, 1
    some files failed, 2 usage error.
    """
    from quizapp.services.importer import import_paths

    if no_bundled:
        ctx.ensure_object(dict)["no_bundled"] = True
    database = open_db(ctx, starter_deck=not dry_run)
    _run(
        as_json,
        "Would import" if dry_run else "Imported",
        lambda progress: import_paths(
            database,
            paths,
            dry_run=dry_run,
            progress=progress,
            follow_links=follow_links,
            format=format_name,
            excludes=excludes,
            question_only=question_only,
        ),
        verbose,
    )


@click.command("check")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@_follow_links_option
@_format_option
@_question_only_option
@_verbose_option
@_exclude_option
@click.option(
    "--no-cache",
    is_flag=True,
    help="Audit every exercise afresh instead of reusing the audits kept from earlier "
    "checks of the same exercise (in $QUIZAPP_CACHE_DIR, else your user cache folder).",
)
def check(
    paths: tuple[str, ...],
    as_json: bool,
    follow_links: bool,
    format_name: str | None,
    question_only: bool,
    verbose: bool,
    excludes: tuple[str, ...],
    no_cache: bool,
) -> None:
    """Validate card files without touching any database; same report as import.

    Live exercises are also audited over 200 seeds for answers that a mistake or a zero
    would pass; an unchanged exercise's audit is reused (--no-cache: not).
    """
    from quizapp.services.audit_cache import default_audit_cache
    from quizapp.services.drills import DrillCoverage
    from quizapp.services.importer import check_paths

    coverage = DrillCoverage()
    _run(
        as_json,
        "Checked",
        lambda progress: check_paths(
            paths,
            progress=progress,
            follow_links=follow_links,
            format=format_name,
            excludes=excludes,
            question_only=question_only,
            audit_cache=None if no_cache else default_audit_cache(),
            on_cards=coverage.add,
        ),
        verbose,
        coverage,
    )
