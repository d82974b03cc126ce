"""``quizapp config get [KEY]`` / ``quizapp config set KEY VALUE``: the scheduling settings."""

from __future__ import annotations

import click

from quizapp.store.db import Database


def db_target(ctx: click.Context) -> str | None:
    """The ``--db`` given to the root command (or None for the default database)."""
    obj = ctx.find_object(dict)
    if obj is not None and obj.get("db") is not None:
        return str(obj["db"])
    value = ctx.find_root().params.get("db")
    return None if value is None else str(value)


def open_db(ctx: click.Context) -> Database:
    """Open the database for a command, turning store errors into one-line CLI errors."""
    from quizapp.store.db import open_database
    from quizapp.store.errors import StoreError

    try:
        return open_database(db_target(ctx))
    except StoreError as error:
        raise click.ClickException(str(error)) from None


@click.group("config")
def config() -> None:
    """Show or change scheduling settings (desired retention, limits, steps, ...)."""


@config.command("get")
@click.argument("key", required=False)
@click.pass_context
def config_get(ctx: click.Context, key: str | None) -> None:
    """Print KEY's value, or every setting as KEY = VALUE lines."""
    from quizapp.services.settings import SettingError, all_settings, get_setting

    database = open_db(ctx)
    try:
        if key is None:
            for name, value in all_settings(database).items():
                click.echo(f"{name} = {value}")
        else:
            click.echo(get_setting(database, key))
    except SettingError as error:
        raise click.ClickException(str(error)) from None
    finally:
        database.close()


@config.command("set")
@click.argument("key")
@click.argument("value")
@click.pass_context
def config_set(ctx: click.Context, key: str, value: str) -> None:
    """Set KEY to VALUE (e.g. ``desired_retention 0.85``, ``learning_steps "1m 10m"``)."""
    from quizapp.services.settings import SettingError, set_setting

    database = open_db(ctx)
    try:
        settings = set_setting(database, key, value)
        click.echo(f"{key} = {settings.display(key)}")
    except SettingError as error:
        raise click.ClickException(str(error)) from None
    finally:
        database.close()
