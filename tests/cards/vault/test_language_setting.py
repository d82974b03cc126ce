"""The preferred language is a setting; a bilingual card is shown in it (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from quizapp.cli import cli
from quizapp.scheduling.settings import SettingError, Settings
from quizapp.services.importer import import_paths
from quizapp.services.library import show_card
from quizapp.services.settings import set_setting
from quizapp.store.db import Database

NOTE = (
    "## Вопрос (RU)\nЧто такое энтропия?\n\n## Question (EN)\nWhat is entropy?\n\n"
    "## Ответ (RU)\nОжидаемая неожиданность.\n\n## Answer (EN)\nThe expected surprise.\n"
)


def test_the_language_setting_defaults_to_english_and_takes_codes_and_names() -> None:
    assert Settings().language == "en"
    assert Settings().with_value("language", "RU").language == "ru"
    assert Settings().with_value("language", "Deutsch").language == "de"
    assert Settings().with_value("language", "pt-BR").language == "pt-br"
    with pytest.raises(SettingError, match="language"):
        Settings().with_value("language", "not a language")


def test_show_uses_the_language_setting(db: Database, tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "Entropy.md").write_text(NOTE, encoding="utf-8")
    import_paths(db, [tmp_path / "notes"])
    english = show_card(db, "Entropy")
    assert english is not None and english.question == "What is entropy?"
    set_setting(db, "language", "ru")
    russian = show_card(db, "Entropy")
    assert russian is not None
    assert russian.question == "Что такое энтропия?"
    assert [step.text for step in russian.steps] == ["Ожидаемая неожиданность."]
    assert russian.card is not None
    assert [alt.language for alt in russian.card.alternates] == ["en"]


def test_config_set_language_from_the_command_line(tmp_path: Path) -> None:
    database = str(tmp_path / "c.db")
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", database, "config", "set", "language", "ru"])
    assert result.exit_code == 0, result.output
    shown = runner.invoke(cli, ["--db", database, "config", "get", "language"])
    assert shown.output.strip().endswith("ru")
