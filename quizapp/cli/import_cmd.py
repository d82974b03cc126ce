"""``quizapp import PATH...`` and ``quizapp check PATH...``: card files in, one report out."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from quizapp.cli.context import open_db
from quizapp.cli.terminal import safe_json, safe_text

if TYPE_CHECKING:
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


def _print_report(report: ImportReport, verb: str) -> None:
    for problem in report.errors:
        click.echo(f"error: {safe_text(str(problem), keep_newlines=False)}", err=True)
    for problem in report.warnings:
        click.echo(f"warning: {safe_text(str(problem), keep_newlines=False)}", err=True)
    would = " (dry run: nothing written)" if report.dry_run and verb != "Checked" else ""
    click.echo(
        f"{verb}: {report.new} new, {report.updated} updated, {report.unchanged} unchanged, "
        f"{report.repaired} repaired, {report.missing} missing; "
        f"{len(report.warnings)} warning(s), {len(report.errors)} error(s){would}"
    )


def _run(
    as_json: bool, verb: str, work: Callable[[Callable[[int, int], None] | None], ImportReport]
) -> None:
    bar = _Bar(enabled=not as_json and sys.stderr.isatty())
    try:
        report = work(bar)
    finally:
        bar.close()
    if as_json:
        click.echo(safe_json(report.to_dict()))
    else:
        _print_report(report, verb)
    if not report.ok:
        raise click.exceptions.Exit(1)


@click.command("import")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@click.option(
    "--follow-links",
    is_flag=True,
    help="Follow symbolic links that lead out of the folders named (never into /proc, /sys, /dev).",
)
@click.pass_context
def import_command(
    ctx: click.Context, paths: tuple[str, ...], dry_run: bool, as_json: bool, follow_links: bool
) -> None:
    """Import card files, folders (recursively, *.md) and globs.

    Unchanged files are skipped, edited cards keep their review history, and cards whose
    file disappeared are marked missing, never deleted. Exit status: 0 no errors, 1 some
    files failed, 2 usage error.
    """
    from quizapp.services.importer import import_paths

    database = open_db(ctx)
    _run(
        as_json,
        "Would import" if dry_run else "Imported",
        lambda progress: import_paths(
            database, paths, dry_run=dry_run, progress=progress, follow_links=follow_links
        ),
    )


@click.command("check")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@click.option(
    "--follow-links",
    is_flag=True,
    help="Follow symbolic links that lead out of the folders named (never into /proc, /sys, /dev).",
)
def check(paths: tuple[str, ...], as_json: bool, follow_links: bool) -> None:
    """Validate card files without touching any database; same report as import."""
    from quizapp.services.importer import check_paths

    _run(
        as_json,
        "Checked",
        lambda progress: check_paths(paths, progress=progress, follow_links=follow_links),
    )
