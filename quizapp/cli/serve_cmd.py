"""``quizapp serve``: the study app in a browser (the optional ``quizapp[web]`` extra).

The command checks everything it can before it listens (the database opens, the card
folders exist, a non-loopback bind has a token), so a mistake is one ``quizapp: error:``
line and never a server that fails on the first tab. Each tab then runs its own app
process on the same database (``quizapp.web``).
"""

from __future__ import annotations

import asyncio
import logging
import re
from pathlib import Path

import click

from quizapp.cli.context import CliError, open_db
from quizapp.text import plural

#: A token is guessed by nobody and travels in a URL and a cookie unchanged.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9._~-]{16,}")


def check_token(token: str) -> None:
    """Refuse a ``--token`` that is short or would not survive a URL and a cookie."""
    if not token.strip():
        raise click.BadParameter("is empty", param_hint="'--token'")
    if not TOKEN_SHAPE.fullmatch(token):
        raise click.BadParameter(
            "must be at least 16 characters of letters, digits, '-', '_', '.' or '~' "
            "(leave it out and serve makes one)",
            param_hint="'--token'",
        )


@click.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but loopback needs a token (made and printed "
    "unless --token is given).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port (0: any free one).",
)
@click.option(
    "--token",
    default=None,
    envvar="QUIZAPP_SERVE_TOKEN",
    help="The token every visitor's URL must carry (default: none on loopback, a new "
    "random one otherwise; $QUIZAPP_SERVE_TOKEN too).",
)
@click.option(
    "--max-sessions",
    type=click.IntRange(min=1),
    default=4,
    show_default=True,
    help="At most this many tabs (app processes) at once; one more gets a 'busy' page.",
)
@click.option(
    "--cards",
    "card_folders",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A folder the Import screen may read (repeatable; without it Import is off).",
)
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    token: str | None,
    max_sessions: int,
    card_folders: tuple[Path, ...],
) -> None:
    """Serve the study app to web browsers: each tab runs its own app on this database."""
    try:
        from quizapp.web.access import is_loopback, new_token
        from quizapp.web.server import QuizServer, ServeOptions
    except ModuleNotFoundError as error:
        raise CliError(
            f"serve needs the web extra ({(error.name or '?').split('.')[0]} is not installed): "
            "pip install 'quizapp[web]' (uv sync --extra web in a checkout)"
        ) from None
    if token is not None:
        check_token(token)
    if token is None and not is_loopback(host):
        token = new_token()
    database = open_db(ctx, starter_deck=True)
    if database.path is None:
        raise CliError(
            f"serve needs a database file, not {database.url}: every tab opens it "
            "in a process of its own",
            exit_code=2,
        )
    db_path = str(database.path)
    database.close()
    options = ServeOptions(
        db_path=db_path,
        host=host,
        port=port,
        token=token,
        max_sessions=max_sessions,
        card_folders=tuple(str(folder.resolve()) for folder in card_folders),
    )

    def announce(urls: list[str]) -> None:
        click.echo(f"quizapp: serving {db_path} ({plural(max_sessions, 'tab')} at most)")
        click.echo(f"Open {urls[0]}")
        for url in urls[1:]:
            click.echo(f"  or {url}")
        if not is_loopback(host):
            click.echo(
                "Anyone with this URL can study this collection; beyond a trusted network "
                "put it behind a TLS proxy (docs/web.md)."
            )
        click.echo("Press Ctrl+C to stop.")

    logging.basicConfig(level=logging.INFO, format="quizapp: %(message)s")
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)  # one line per file
    server = QuizServer(options, announce=announce)
    try:
        asyncio.run(server.run())
    except OSError as error:
        raise CliError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    click.echo("quizapp: stopped; every app process has ended")
