"""``quizapp backup`` and ``quizapp restore [FILE]``: copies of the study history."""

from __future__ import annotations

from pathlib import Path

import click

from quizapp.cli.context import CliError, db_target, open_db


@click.command("backup")
@click.pass_context
def backup(ctx: click.Context) -> None:
    """Back the database up now (SQLite's backup API); keeps 7 daily and 4 weekly.

    Unlike the automatic daily backup, which only warns, this fails (exit 1) when the
    copy cannot be made or the database fails SQLite's integrity check.
    """
    from quizapp.store.backup import backup_now

    info = backup_now(open_db(ctx, auto_backup=False))
    click.echo(f"backed up to {info.path}")


@click.command("restore")
@click.argument("file", required=False, metavar="[FILE|NUMBER]")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def restore(ctx: click.Context, file: str | None, yes: bool) -> None:
    """List backups, or restore one (by path or list number) after a confirmation.

    The backup is checked first (integrity, schema revision, tables) and refused, with the
    database untouched, if anything is wrong. The current state is backed up before it is
    replaced, so a restore can itself be undone. The database is not opened first, so a
    database that no longer opens can still be restored.
    """
    from quizapp.store.backup import list_backups, stage_restore
    from quizapp.store.db import database_file
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
    if file.isdigit() and not Path(file).exists():
        index = int(file)
        if not 1 <= index <= len(backups):
            raise CliError(f"no backup number {index} (there are {len(backups)})", exit_code=2)
        source = backups[index - 1].path
    else:
        source = Path(file)
    with stage_restore(path, source) as staged:
        if not yes and not click.confirm(
            f"Replace {path} with {source}? (the current state is backed up first)"
        ):
            raise click.exceptions.Exit(1)
        saved = staged.install()
    if saved is None:
        click.echo(f"restored {source}")
    else:
        click.echo(f"restored {source}; the previous state is in {saved.path}")
