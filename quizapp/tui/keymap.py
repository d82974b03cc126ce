"""The learner's key remapping, read from a small TOML file.

Every binding in the app has an id (``review.reveal``, ``home.custom`` …). A file such as::

    # ~/.config/quizapp/keymap.toml
    [keymap]
    "review.reveal" = "space,j"
    "review.rate_again" = "z"

replaces the keys of those bindings through Textual's own keymap support, so the Footer,
the help screen and the command palette all show the remapped keys. The file lives in the
platformdirs config directory, or wherever ``QUIZAPP_KEYMAP`` points.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_VAR = "QUIZAPP_KEYMAP"


class KeymapError(ValueError):
    """A keymap file that cannot be used; the message names the file and the fault."""


@dataclass(frozen=True)
class LoadedKeymap:
    """The bindings to remap, and where they came from (for messages)."""

    keys: dict[str, str]
    path: Path | None


def default_keymap_path() -> Path:
    """Where the keymap file is looked for when ``QUIZAPP_KEYMAP`` is not set."""
    from platformdirs import user_config_path

    return user_config_path("quizapp") / "keymap.toml"


def keymap_path() -> Path:
    """The keymap file in effect: ``$QUIZAPP_KEYMAP`` or the default location."""
    override = os.environ.get(ENV_VAR)
    return Path(override).expanduser() if override else default_keymap_path()


def parse_keymap(text: str, source: str = "keymap.toml") -> dict[str, str]:
    """Parse keymap TOML; raise ``KeymapError`` naming ``source`` when it is malformed."""
    import tomllib  # only when there is a file: the app starts without one, unslowed

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise KeymapError(f"{source}: {exc}") from None
    table = data.get("keymap", data)
    if not isinstance(table, dict):
        raise KeymapError(f'{source}: [keymap] must be a table of binding id = "keys"')
    keys: dict[str, str] = {}
    for binding_id, value in table.items():
        if not isinstance(value, str) or not value.strip():
            raise KeymapError(
                f'{source}: {binding_id!r} must map to a key string such as "space,j"'
            )
        keys[str(binding_id)] = value.strip()
    return keys


def load_keymap(path: Path | None = None) -> LoadedKeymap:
    """Read the keymap file if there is one; an absent file means no remapping."""
    path = path or keymap_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return LoadedKeymap({}, None)
    except (OSError, UnicodeDecodeError) as exc:
        raise KeymapError(f"{path}: cannot read keymap ({exc})") from None
    return LoadedKeymap(parse_keymap(text, str(path)), path)
