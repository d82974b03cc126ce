"""Importing a generated bilingual vault (``make_vault.py``) the way Obsidian shows it.

Done when (issue 14): importing it twice gives no error, no warning about front matter
that disagrees, and every related link resolved. Around it, the things that are not
notes, ``--exclude``, broken front matter, duplicate ids and search by the command line.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cards.vault.make_vault import TOPICS, VaultFacts, write_vault
from quizapp.cards.languages import heading_role
from quizapp.cli import cli
from quizapp.services.importer import ImportReport, check_paths, import_paths
from quizapp.store.db import Database, run_sql
from quizapp.store.records import StoredCard
from quizapp.store.sqlite.card_repo import CardRepository


@pytest.fixture
def vault(tmp_path: Path) -> tuple[Path, VaultFacts]:
    root = tmp_path / "vault"
    return root, write_vault(root)


def _problems(report: ImportReport) -> list[str]:
    return [str(problem) for problem in (*report.errors, *report.warnings)]


def test_the_vault_imports_twice_cleanly_with_every_link_resolved(
    db: Database, vault: tuple[Path, VaultFacts]
) -> None:
    root, facts = vault
    first = import_paths(db, [root])
    assert _problems(first) == []
    assert (first.new, first.skipped) == (facts.cards, facts.skipped)
    second = import_paths(db, [root])
    assert _problems(second) == []
    assert (second.new, second.updated, second.unchanged) == (0, 0, facts.cards)
    links = run_sql(db, "SELECT text, target_id FROM related")
    assert len(links) == facts.related
    assert [text for text, target in links if target is None] == []


def test_every_vault_card_is_read_as_obsidian_shows_it(
    db: Database, vault: tuple[Path, VaultFacts]
) -> None:
    root, facts = vault
    import_paths(db, [root])
    cards = {stored.card.id: stored for stored in CardRepository(db).find()}
    assert {uid: stored.card.title for uid, stored in cards.items()} == facts.titles
    assert {uid: stored.card.difficulty for uid, stored in cards.items()} == facts.difficulties
    bilingual = [stored for stored in cards.values() if stored.card.alternates]
    assert len(bilingual) == facts.bilingual
    for stored in cards.values():
        card = stored.card
        assert heading_role(card.title) is None, card.title  # never "Вопрос (RU)"
        for step in (*card.steps, *(s for alt in card.alternates for s in alt.steps)):
            roles = [heading_role(part) for part in step.path]
            assert not any(r is not None and r.role.is_extra for r in roles), (card.id, step)
            assert "Follow-up" not in step.text and "Hastie" not in step.text
        assert card.extras, card.id
    for stored in bilingual:
        assert stored.card.language == "en"
        assert [alt.language for alt in stored.card.alternates] == ["ru"]
        assert stored.card.question.isascii() is False or "?" in stored.card.question
        russian = stored.card.in_language("ru")
        assert any("а" <= char <= "я" for char in russian.question.casefold()), russian.question


def test_related_links_open_the_card_they_name(
    db: Database, vault: tuple[Path, VaultFacts]
) -> None:
    root, _facts = vault
    import_paths(db, [root])
    repo = CardRepository(db)
    bias = _by_title(repo.find(), "Bias-variance tradeoff")
    targets = {link.text: link.target_title for link in bias.related_links}
    assert targets == {
        "Regularization": "Regularization",
        "cross-validation": "Cross-validation",
        "ЭНТРОПИЯ": "Entropy",
    }


def test_what_is_not_a_note_is_never_found_or_skipped_quietly(
    vault: tuple[Path, VaultFacts],
) -> None:
    root, facts = vault
    report = check_paths([root])
    seen = {problem.file for problem in report.skipped_files}
    assert len(seen) == facts.skipped
    assert not any(path in seen for path in facts.never_found)
    reasons = {problem.file: problem.message for problem in report.skipped_files}
    assert reasons["Daily/2024-01-01.md"] == "a note template ({{date:YYYY-MM-DD}})"
    assert reasons["Meeting template.md"].startswith("a note template (<% tp.date.now(")


def test_exclude_globs_skip_more(vault: tuple[Path, VaultFacts]) -> None:
    root, facts = vault
    report = check_paths([root], excludes=["теория/", "*--hard.md"])
    assert report.new == facts.cards - 3
    assert _problems(report) == []


def test_a_file_named_on_its_own_is_taken_even_when_ignored(
    vault: tuple[Path, VaultFacts],
) -> None:
    root, _facts = vault
    report = check_paths([root / "drafts" / "Half written.md"])
    assert report.new == 1


def test_broken_front_matter_imports_the_body_with_one_warning(
    db: Database, tmp_path: Path
) -> None:
    note = tmp_path / "notes" / "Softmax.md"
    note.parent.mkdir()
    note.write_text(
        "---\\\ntitle: Softmax\n---\n## Question\nWhat is softmax?\n\n## Answer\nA map.\n",
        encoding="utf-8",
    )
    broken = tmp_path / "notes" / "Sigmoid.md"
    broken.write_text(
        "---\ntags: [a, b\n---\n## Question\nWhat is a sigmoid?\n\n## Answer\nAn S.\n",
        encoding="utf-8",
    )
    report = import_paths(db, [tmp_path / "notes"])
    assert report.errors == []
    assert report.new == 2
    assert [str(problem) for problem in report.warnings] == [
        "Sigmoid.md:3: broken YAML front matter: did not find expected ',' or ']';"
        " the note is read without it"
    ]


def test_a_front_matter_id_used_twice_fails_the_second_file_naming_both(
    db: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    for name in ("A first.md", "B second.md"):
        (folder / name).write_text(
            f"---\nid: shared\n---\n## Question\nQ {name}?\n\n## Answer\nA.\n", encoding="utf-8"
        )
    report = import_paths(db, [folder])
    assert report.new == 1
    assert [str(problem) for problem in report.errors] == [
        'B second.md:4: duplicate card id "shared": already defined in A first.md:4;'
        " the first is kept"
    ]
    stored = CardRepository(db).get("shared")
    assert stored is not None and stored.card.source == "A first.md"


def test_list_text_finds_cards_in_any_script_and_case(
    tmp_path: Path, vault: tuple[Path, VaultFacts]
) -> None:
    root, _facts = vault
    database = tmp_path / "cli.db"
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", str(database), "import", str(root)]).exit_code == 0
    for query, title in (
        ("ЭНТРОПИЯ РАСПРЕДЕЛЕНИЯ", "Entropy"),
        ("регуляризация снижает", "Regularization"),
        ("STRASSE", "Gradient descent"),
    ):
        result = runner.invoke(cli, ["--db", str(database), "list", "--text", query, "--json"])
        assert result.exit_code == 0, result.output
        assert [card["title"] for card in json.loads(result.stdout)] == [title], query


def test_check_exclude_on_the_command_line(vault: tuple[Path, VaultFacts]) -> None:
    root, facts = vault
    result = CliRunner().invoke(cli, ["check", str(root), "--exclude", "optim/", "--json"])
    assert result.exit_code == 0, result.output
    optim = sum(1 for topic in TOPICS if topic.folder == "optim")
    assert json.loads(result.stdout)["new"] == facts.cards - optim


def _by_title(cards: list[StoredCard], title: str) -> StoredCard:
    return next(stored for stored in cards if stored.card.title == title)
