"""Symbolic links: an import reaches only what was asked for.

Links that stay inside the import root are followed; links that leave it are skipped with
a warning naming the link, unless ``follow_links``; ``/proc``, ``/sys`` and ``/dev`` are
never searched; and no loop of links, followed or not, makes discovery run forever.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from quizapp.cards import Discovery, Severity, discover

from .helpers import card_source


def write_card(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(card_source(path.stem), encoding="utf-8")
    return path


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """``vault/`` with one card, and ``elsewhere/`` with another, outside it."""
    write_card(tmp_path / "vault" / "inside.md")
    write_card(tmp_path / "elsewhere" / "outside.md")
    return tmp_path / "vault"


def names(found: Discovery) -> list[str]:
    return sorted(Path(source.file).name for source in found.files)


def warnings(found: Discovery) -> list[str]:
    assert all(problem.severity is Severity.WARNING for problem in found.problems)
    return [str(problem) for problem in found.problems]


def test_a_folder_link_leaving_the_root_is_skipped_with_a_warning(vault: Path) -> None:
    link = vault / "more"
    os.symlink(vault.parent / "elsewhere", link)
    found = discover([str(vault)])
    assert names(found) == ["inside.md"]
    target = os.path.realpath(vault.parent / "elsewhere")
    assert warnings(found) == [
        f"{link}:0: skipped: symbolic link to {target} leads outside the import root"
        " (--follow-links follows it)"
    ]


def test_follow_links_follows_it(vault: Path) -> None:
    os.symlink(vault.parent / "elsewhere", vault / "more")
    found = discover([str(vault)], follow_links=True)
    assert names(found) == ["inside.md", "outside.md"]
    assert found.problems == []
    assert {source.root for source in found.files} == {vault}


def test_a_file_link_leaving_the_root_is_skipped_too(vault: Path) -> None:
    os.symlink(vault.parent / "elsewhere" / "outside.md", vault / "linked.md")
    assert names(discover([str(vault)])) == ["inside.md"]
    assert names(discover([str(vault)], follow_links=True)) == ["inside.md", "linked.md"]


def test_a_link_to_the_filesystem_root_is_not_walked(vault: Path) -> None:
    os.symlink("/", vault / "everything")
    found = discover([str(vault)])
    assert names(found) == ["inside.md"]
    assert warnings(found) == [
        f"{vault / 'everything'}:0: skipped: symbolic link to / leads outside the import root"
        " (--follow-links follows it)"
    ]


@pytest.mark.parametrize("tree", ["/proc", "/sys", "/dev"])
def test_system_trees_are_never_searched_even_with_follow_links(vault: Path, tree: str) -> None:
    if not os.path.isdir(tree):
        pytest.skip(f"no {tree} here")
    os.symlink(tree, vault / "system")
    found = discover([str(vault)], follow_links=True)
    assert names(found) == ["inside.md"]
    assert warnings(found) == [
        f"{vault / 'system'}:0: skipped: {tree} is never searched (nor /proc, /sys, /dev)"
    ]


def test_a_card_named_link_to_a_device_is_skipped(vault: Path) -> None:
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero here")
    os.symlink("/dev/zero", vault / "zero.md")
    found = discover([str(vault)], follow_links=True)
    assert names(found) == ["inside.md"]
    assert [problem.message for problem in found.problems] == [
        "skipped: /dev is never searched (nor /proc, /sys, /dev)"
    ]


def test_a_system_tree_named_directly_is_not_searched() -> None:
    if not os.path.isdir("/proc"):
        pytest.skip("no /proc here")
    found = discover(["/proc", "/proc/self/status"], follow_links=True)
    assert found.files == []
    assert [str(problem) for problem in found.problems] == [
        "/proc:0: skipped: /proc is never searched (nor /proc, /sys, /dev)",
        "/proc:0: no .csv, .md, .tsv or .txt files in this folder",
        "/proc/self/status:0: skipped: /proc is never searched (nor /proc, /sys, /dev)",
    ]


def test_followed_link_loops_end_and_list_each_file_once(vault: Path) -> None:
    elsewhere = vault.parent / "elsewhere"
    os.symlink(elsewhere, vault / "out")
    os.symlink(vault, elsewhere / "back")
    os.symlink(elsewhere, elsewhere / "self")
    found = discover([str(vault)], follow_links=True)
    assert names(found) == ["inside.md", "outside.md"]
    assert found.problems == []
    # Without following, the loop is cut at the first link out.
    assert names(discover([str(vault)])) == ["inside.md"]


def test_links_inside_the_root_are_still_followed(vault: Path) -> None:
    write_card(vault / "deep" / "nested" / "card.md")
    os.symlink(vault / "deep" / "nested", vault / "shortcut")
    found = discover([str(vault)])
    assert found.problems == []
    assert names(found) == ["card.md", "inside.md"]


def test_a_glob_through_a_link_leaving_its_root_is_skipped(vault: Path) -> None:
    os.symlink(vault.parent / "elsewhere", vault / "more")
    pattern = str(vault / "*" / "*.md")
    write_card(vault / "sub" / "kept.md")
    found = discover([pattern])
    assert names(found) == ["kept.md"]
    assert [problem.severity for problem in found.problems] == [Severity.WARNING]
    assert "leads outside the import root" in found.problems[0].message
    assert names(discover([pattern], follow_links=True)) == ["kept.md", "outside.md"]
