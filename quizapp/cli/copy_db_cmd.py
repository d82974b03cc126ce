"""``quizapp copy-db --from URL --to URL``: a whole collection into another database."""

from __future__ import annotations

import click

from quizapp.cli.context import CliError, warn
from quizapp.text import plural


@click.command("copy-db")
@click.option(
    "--from",
    "from_target",
    required=True,
    metavar="URL",
    help="The collection to copy: a SQLite file or a SQLAlchemy URL.",
)
@click.option(
    "--to",
    "to_target",
    required=True,
    metavar="URL",
    help="Where to copy it: a SQLite file or a postgresql+psycopg:// URL (created if new).",
)
@click.option("--force", is_flag=True, help="Replace whatever the target already holds.")
def copy_db(from_target: str, to_target: str, force: bool) -> None:
    """Copy a whole collection between SQLite and PostgreSQL, either way.

    Cards, schedules, every review and practice log, tags, settings, exercise attempts
    and imported files are copied in one transaction, then checked equal (row counts and a
    SHA-256 of each table's canonical content) before the copy is committed. A target that
    already holds a collection is refused unless --force. Exit status: 0 copied, 1 refused
    or failed (the target is then as it was), 2 a URL that cannot be opened.
    """
    from quizapp.store.errors import StoreError
    from quizapp.store.transfer import CopyRefused, copy_database

    for name, value in (("--from", from_target), ("--to", to_target)):
        if not value.strip():
            raise click.BadParameter("is empty; give a file path or a URL", param_hint=name)
    try:
        report = copy_database(from_target, to_target, force=force, on_problem=warn)
    except CopyRefused as error:
        raise CliError(str(error)) from None
    except StoreError as error:
        raise CliError(str(error), exit_code=2) from None
    width = max(len(table.table) for table in report.tables)
    replaced = " (its previous content replaced)" if report.replaced else ""
    click.echo(
        f"copied {plural(report.rows, 'row')} from {report.source} to {report.target}{replaced}"
    )
    for table in report.tables:
        click.echo(f"  {table.table:<{width}}  {plural(table.rows, 'row'):>14}  {table.sha256}")
    click.echo("checked equal: the same row counts and SHA-256 of each table's content")
