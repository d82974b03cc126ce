"""Finding card files from command-line paths: files, folders, globs and hostile trees."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from quizapp.cards import discover, parse_file

from .helpers import card_source


def write_card(path: Path, title: str = "Card") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(card_source(title), encoding="utf-8")
    return path


def relative(paths: list[Path], root: Path) -> list[str]:
    return [path.relative_to(root).as_posix() for path in paths]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A small collection with nested decks, a hidden folder and a non-card file."""
    root = tmp_path / "notes"
    write_card(root / "top.md")
    write_card(root / "ml" / "optim" / "adam.md")
    write_card(root / "ml" / "loss.md")
    write_card(root / ".obsidian" / "hidden.md")
    write_card(root / "ml" / ".draft.md")
    (root / "ml" / "figure.png").write_bytes(b"\x89PNG")
    return root


def test_folder_is_walked_recursively_sorted_skipping_hidden(tree: Path) -> None:
    found = discover([str(tree)])
    assert found.problems == []
    assert relative([f.path for f in found.files], tree) == [
        "top.md",
        "ml/loss.md",
        "ml/optim/adam.md",
    ]
    assert {f.root for f in found.files} == {tree}


def test_ids_and_decks_follow_the_folders(tree: Path) -> None:
    found = discover([str(tree)])
    cards = {c.id: c for f in found.files for c in parse_file(f.path, f.root).cards}
    assert {card_id: card.deck for card_id, card in cards.items()} == {
        "top": "notes",
        "ml/loss": "ml",
        "ml/optim/adam": "ml/optim",
    }
    assert cards["ml/optim/adam"].source == "ml/optim/adam.md"


def test_file_argument_has_its_folder_as_root(tree: Path) -> None:
    found = discover([str(tree / "ml" / "loss.md")])
    assert [(f.path.name, f.root) for f in found.files] == [("loss.md", tree / "ml")]
    parsed = parse_file(found.files[0].path, found.files[0].root)
    assert (parsed.path, parsed.cards[0].id, parsed.cards[0].deck) == ("loss.md", "loss", "ml")


def test_glob_root_is_the_part_before_the_wildcard(tree: Path) -> None:
    found = discover([str(tree / "**" / "*.md")])
    assert found.problems == []
    assert relative([f.path for f in found.files], tree) == [
        "ml/loss.md",
        "ml/optim/adam.md",
        "top.md",
    ]
    assert {f.root for f in found.files} == {tree}


def test_missing_path_empty_folder_and_unmatched_glob_are_problems(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.rst").write_text("not a card")
    found = discover([str(tmp_path / "nope.md"), str(tmp_path / "empty"), str(tmp_path / "*.md")])
    assert found.files == []
    assert [str(problem) for problem in found.problems] == [
        f"{tmp_path / 'nope.md'}:0: no such file or folder",
        f"{tmp_path / 'empty'}:0: no .csv, .md, .tsv or .txt files in this folder",
        f"{tmp_path / '*.md'}:0: no .csv, .md, .tsv or .txt files match this pattern",
    ]


def test_good_paths_are_kept_when_others_fail(tree: Path) -> None:
    found = discover([str(tree / "missing"), str(tree / "top.md")])
    assert [f.path.name for f in found.files] == ["top.md"]
    assert len(found.problems) == 1


def test_a_file_named_twice_is_listed_once(tree: Path) -> None:
    found = discover([str(tree / "top.md"), str(tree), str(tree / "ml" / ".." / "top.md")])
    assert [f.path for f in found.files].count(tree / "top.md") == 1
    assert len(found.files) == 3


def test_symlink_loops_are_walked_once(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    write_card(root / "a" / "one.md")
    write_card(root / "b" / "two.md")
    os.symlink(root, root / "a" / "back-to-root")
    os.symlink(root / "b", root / "a" / "to-b")
    os.symlink(root / "a", root / "b" / "to-a")
    found = discover([str(root)])
    assert found.problems == []
    assert sorted(f.path.name for f in found.files) == ["one.md", "two.md"]
    globbed = discover([str(root / "**" / "*.md")])
    assert sorted({f.path.resolve() for f in globbed.files}) == sorted(
        {(root / "a" / "one.md").resolve(), (root / "b" / "two.md").resolve()}
    )


def test_a_self_referencing_symlink_is_a_problem_not_a_hang(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    write_card(root / "ok.md")
    os.symlink(root / "loop.md", root / "loop.md")
    found = discover([str(root)])
    assert [f.path.name for f in found.files] == ["ok.md"]
    assert [problem.message for problem in found.problems] == ["broken link or unreadable file"]
    direct = discover([str(root / "loop.md")])
    assert [problem.message for problem in direct.problems] == ["broken symbolic link"]


def test_paths_with_dot_dot(tree: Path) -> None:
    found = discover([str(tree / "ml" / ".." / "ml" / "optim")])
    assert [f.path.name for f in found.files] == ["adam.md"]
    source = found.files[0]
    card = parse_file(source.path, source.root).cards[0]
    assert card.id == "adam"
    assert ".." not in card.id and ".." not in card.source


def test_a_file_outside_its_root_gets_its_bare_name(tree: Path) -> None:
    parsed = parse_file(tree / "ml" / "loss.md", tree / "ml" / "optim")
    assert (parsed.path, parsed.cards[0].id) == ("loss.md", "loss")


def test_each_file_comes_with_its_path_text_and_stat(tree: Path) -> None:
    found = discover([str(tree), str(tree / "ml" / "loss.md")])
    assert [f.file for f in found.files] == [str(f.path) for f in found.files]
    for source in found.files:
        assert source.info is not None
        info = os.stat(source.path)
        assert (source.info.st_ino, source.info.st_size, source.info.st_mtime_ns) == (
            info.st_ino,
            info.st_size,
            info.st_mtime_ns,
        )
    assert str(tree / "ml" / "optim" / "adam.md") in [f.file for f in found.files]
