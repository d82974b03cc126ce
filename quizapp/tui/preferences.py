"""Front-end preferences that are not scheduling settings: for now, the colour theme.

Scheduling settings live in the database (``quizapp.scheduling.settings``); how the app
looks is a per-machine choice, like Posting's and Harlequin's themes, so it is kept in a
small TOML file in the config directory next to ``keymap.toml``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

CONFIG_ENV_VAR = "QUIZAPP_CONFIG_DIR"


def config_dir() -> Path:
    """``$QUIZAPP_CONFIG_DIR`` or the platform's user config directory for quizapp."""
    override = os.environ.get(CONFIG_ENV_VAR)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_path

    return user_config_path("quizapp", appauthor=False)


def preferences_path(directory: Path | None = None) -> Path:
    """Where the preferences file lives."""
    return (directory or config_dir()) / "tui.toml"


def load_theme(directory: Path | None = None) -> str | None:
    """The saved theme name, or None (unreadable files are ignored: it is only a look)."""
    try:
        text = preferences_path(directory).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    import tomllib  # only when there is a file: the app starts without one, unslowed

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None
    theme = data.get("theme")
    return theme if isinstance(theme, str) else None


def save_theme(theme: str, directory: Path | None = None) -> None:
    """Remember ``theme`` for the next start."""
    path = preferences_path(directory)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"theme = {json.dumps(theme)}\n", encoding="utf-8")
