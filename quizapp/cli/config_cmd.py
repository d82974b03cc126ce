"""``quizapp config get [KEY]`` / ``quizapp config set KEY VALUE``: the scheduling settings."""

from __future__ import annotations

import click

from quizapp.cli.context import CliError, open_db


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
        raise CliError(str(error)) from None


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
        raise CliError(str(error)) from None
