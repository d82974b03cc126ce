"""Ids and decks from relative paths: the string fast path agrees with ``PurePosixPath``."""

from __future__ import annotations

from pathlib import PurePosixPath

from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.cards.identity import deck_for, path_id


def _reference_id(relative: str) -> str:
    path = PurePosixPath(relative)
    if path.suffix.casefold() == ".md":
        path = path.with_suffix("")
    return path.as_posix()


def _reference_deck(relative: str, root_name: str) -> str:
    parent = PurePosixPath(relative).parent.as_posix()
    return parent if parent not in ("", ".") else root_name or "default"


_PIECES = st.sampled_from(["a", "/", ".", "md", "MD", ".md", "x.Md", " ", "é", "..", "b_c"])


@settings(max_examples=500, derandomize=True, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=8).map("".join), st.sampled_from(["", "root"]))
def test_ids_and_decks_match_the_path_rules(relative: str, root_name: str) -> None:
    assert path_id(relative) == _reference_id(relative)
    assert deck_for(relative, root_name) == _reference_deck(relative, root_name)


def test_examples() -> None:
    assert path_id("deep-learning/backprop.md") == "deep-learning/backprop"
    assert path_id("notes/README.MD") == "notes/README"
    assert path_id("a/.md") == "a/.md"
    assert path_id("./a//b.md") == "a/b"
    assert deck_for("ml/optim/adam.md", "cards") == "ml/optim"
    assert deck_for("adam.md", "cards") == "cards"
    assert deck_for("adam.md", "") == "default"
