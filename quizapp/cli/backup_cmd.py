"""``quizapp backup`` and ``quizapp restore [FILE]``: copies of the study history."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from quizapp.cli.context import CliError, db_target, open_db

if TYPE_CHECKING:
    from quizapp.store.records import BackupInfo


@click.command("backup")
@click.option(
    "--portable",
    is_flag=True,
    help="Write a portable archive (gzip JSON lines) that restores into SQLite or PostgreSQL.",
)
@click.option(
    "--output",
    "-o",
    metavar="FILE",
    type=click.Path(dir_okay=False, writable=True),
    help="Where to write the portable archive (implies --portable).",
)
@click.pass_context
def backup(ctx: click.Context, portable: bool, output: str | None) -> None:
    """Back the database up now (SQLite's backup API); keeps 7 daily and 4 weekly.

    On PostgreSQL, and with --portable, it writes a portable archive instead: every
    table's canonical content, compressed, checked by row counts and SHA-256 digests, that
    `quizapp restore FILE` brings back into SQLite or PostgreSQL. PostgreSQL gets no
    automatic daily backup: the server's own backups apply. Unlike the automatic daily
    backup, which only warns, this fails (exit 1) when the copy cannot be made or the
    database fails SQLite's integrity check.
    """
    database = open_db(ctx, auto_backup=False)
    if portable or output is not None or database.path is None:
        from datetime import UTC, datetime

        from quizapp.store.archive import default_archive_path, write_archive
        from quizapp.store.errors import StoreError
        from quizapp.text import plural

        path = Path(output) if output else default_archive_path(database, datetime.now(UTC))
        try:
            report = write_archive(database, path)
        except StoreError as error:
            raise CliError(str(error)) from None
        click.echo(
            f"backed up {plural(report.rows, 'row')} to {report.path}"
            " (a portable archive; quizapp restore FILE brings it back)"
        )
        return
    info = database.maintenance.backup_now()
    click.echo(f"backed up to {info.path}")


def _backup_source(file: str, backups: list[BackupInfo]) -> Path:
    """The backup ``file`` names: a list number or a path. A usage error (exit 2) blaming
    FILE, checked before anything is asked, when it names no backup."""
    if not file.strip():
        raise click.BadParameter(
            "is empty; give a backup file or its number in the list", param_hint="FILE"
        )
    if file.isdigit() and not Path(file).exists():
        index = int(file)
        if not 1 <= index <= len(backups):
            raise click.BadParameter(
                f"no backup number {index} (there {_are_backups(len(backups))}; "
                "quizapp restore lists them)",
                param_hint="FILE",
            )
        return backups[index - 1].path
    source = Path(file)
    if not source.exists():
        raise click.BadParameter(
            f"{file}: no such file (quizapp restore lists the backups)", param_hint="FILE"
        )
    if not source.is_file():
        raise click.BadParameter(f"{file}: not a file", param_hint="FILE")
    return source


def _are_backups(count: int) -> str:
    """``is 1 backup`` / ``are 3 backups`` / ``are no backups``."""
    from quizapp.text import plural

    if count == 0:
        return "are no backups"
    return ("is " if count == 1 else "are ") + plural(count, "backup")


@click.command("restore")
@click.argument("file", required=False, metavar="[FILE|NUMBER]")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def restore(ctx: click.Context, file: str | None, yes: bool) -> None:
    """List backups, or restore one (by path or list number) after a confirmation.

    The backup is checked first (integrity, schema revision, tables) and refused, with the
    database untouched, if anything is wrong. The current state is backed up before it is
    replaced, so a restore can itself be undone. The database is not opened first, so a
    database that no longer opens can still be restored. Exit status: 0 restored (or
    listed), 1 the backup was refused or you declined, 2 FILE names no backup or --db is
    not a database file.
    """
    from quizapp.store.db import database_file, list_backups, stage_restore
    from quizapp.store.errors import StoreError

    if file is not None and Path(file).is_file():
        from quizapp.store.archive import is_archive

        if is_archive(Path(file)):
            _restore_archive(ctx, Path(file), yes)
            return
    try:
        path = database_file(db_target(ctx))
    except StoreError as error:
        raise CliError(str(error), exit_code=2) from None
    backups = list_backups(path)
    if file is None:
        if not backups:
            click.echo("no backups yet (quizapp backup makes one)")
        for number, info in enumerate(backups, start=1):
            when = info.created_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            click.echo(f"{number:>3}  {when}  {info.size:>10,} bytes  {info.path}")
        return
    source = _backup_source(file, backups)
    with stage_restore(path, source) as staged:
        if not yes and not click.confirm(
            f"Replace {path} with {source}? (the current state is backed up first)"
        ):
            click.echo("not restored: the database is unchanged", err=True)
            raise click.exceptions.Exit(1)
        saved = staged.install()
    if saved is None:
        click.echo(f"restored {source}")
    else:
        click.echo(f"restored {source}; the previous state is in {saved.path}")


def _restore_archive(ctx: click.Context, archive: Path, yes: bool) -> None:
    """Replace the collection in ``--db`` (SQLite or PostgreSQL) with a portable archive:
    checked table by table, in one transaction; a SQLite file's current state is backed
    up first."""
    from quizapp.store.archive import restore_archive
    from quizapp.store.errors import StoreError
    from quizapp.store.transfer import describe_target
    from quizapp.text import plural

    database = open_db(ctx, auto_backup=False)
    where = describe_target(db_target(ctx) or database.url)
    if not yes and not click.confirm(
        f"Replace the collection in {where} with {archive}?"
        + (" (the current state is backed up first)" if database.path is not None else "")
    ):
        click.echo("not restored: the database is unchanged", err=True)
        raise click.exceptions.Exit(1)
    saved = None
    if database.path is not None:
        saved = database.maintenance.backup_now(keep_all=True)
    try:
        report = restore_archive(database, archive, force=True)
    except StoreError as error:
        raise CliError(str(error)) from None
    message = f"restored {plural(report.rows, 'row')} from {archive}"
    if saved is not None:
        message += f"; the previous state is in {saved.path}"
    click.echo(message)
