"""``quizapp backup`` and ``quizapp restore [FILE]``: copies of the study history."""

from __future__ import annotations

from pathlib import Path

import click

from quizapp.cli.context import CliError, open_db


@click.command("backup")
@click.pass_context
def backup(ctx: click.Context) -> None:
    """Back the database up now (SQLite's backup API); keeps 7 daily and 4 weekly."""
    from quizapp.store.backup import backup_now

    info = backup_now(open_db(ctx))
    click.echo(f"backed up to {info.path}")


@click.command("restore")
@click.argument("file", required=False, metavar="[FILE|NUMBER]")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def restore(ctx: click.Context, file: str | None, yes: bool) -> None:
    """List backups, or restore one (by path or list number) after a confirmation.

    The current state is backed up first, so a restore can itself be undone.
    """
    from quizapp.store.backup import list_backups
    from quizapp.store.backup import restore as restore_backup

    database = open_db(ctx)
    backups = list_backups(database)
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
    if not yes and not click.confirm(
        f"Replace {database.path} with {source}? (the current state is backed up first)"
    ):
        raise click.exceptions.Exit(1)
    saved = restore_backup(database, source)
    click.echo(f"restored {source}; the previous state is in {saved.path}")
