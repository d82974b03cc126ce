"""``quizapp backup`` and ``quizapp restore [FILE]``: copies of the study history."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from quizapp.cli.context import CliError, db_target, open_db

if TYPE_CHECKING:
    from quizapp.store.records import BackupInfo


@click.command("backup")
@click.pass_context
def backup(ctx: click.Context) -> None:
    """Back the database up now (SQLite's backup API); keeps 7 daily and 4 weekly.

    Unlike the automatic daily backup, which only warns, this fails (exit 1) when the
    copy cannot be made or the database fails SQLite's integrity check.
    """
    info = open_db(ctx, auto_backup=False).maintenance.backup_now()
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
