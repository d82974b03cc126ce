"""Deck and tag names shortened to what tells them apart (issue 14): a path by its end,
a one-part name by its start."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from quizapp.cards.short_names import common_prefix, shortened

VAULT = [
    "InterviewQuestions/10-Machine-Learning/Basics",
    "InterviewQuestions/10-Machine-Learning/Ensembles",
    "InterviewQuestions/20-Deep-Learning/CNN",
    "InterviewQuestions/30-NLP",
]


def test_decks_that_share_a_long_start_are_shown_by_their_end() -> None:
    assert shortened(VAULT, 18) == ["…/Basics", "…/Ensembles", "…/CNN", "30-NLP"]


def test_a_wider_column_shows_more_and_a_name_that_fits_is_whole() -> None:
    assert shortened(VAULT, 30) == [
        "10-Machine-Learning/Basics",
        "10-Machine-Learning/Ensembles",
        "20-Deep-Learning/CNN",
        "InterviewQuestions/30-NLP",
    ]
    assert shortened(VAULT, 60) == VAULT
    assert shortened(["ml", "dl/cnn"], 18) == ["ml", "dl/cnn"]


def test_a_last_folder_wider_than_the_column_keeps_its_end() -> None:
    assert shortened(["a/Probability-and-Statistics"], 10) == ["…tatistics"]
    assert shortened(["深度学习/卷积神经网络"], 9) == ["…神经网络"]  # wide characters: 2 cells


def test_names_that_would_read_the_same_get_more_of_their_path() -> None:
    assert shortened(["a/x/basics", "b/y/basics", "c"], 8) == ["…/x/basics", "…/y/basics", "c"]


def test_the_shared_start_leaves_each_name_one_part() -> None:
    assert common_prefix([["a", "b"], ["a", "b", "c"]]) == 1
    assert common_prefix([["a", "b"]]) == 0
    assert shortened(["Interview/A/x", "Interview/B/x"], 6) == ["A/x", "B/x"]
    assert shortened(["X/X", "X/X/X"], 4) == ["X/X", "X/X/X"]  # not "X/X" twice


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.lists(st.text(alphabet="abcXYZ-中", min_size=1, max_size=8), min_size=1, max_size=4).map(
            "/".join
        ),
        min_size=1,
        max_size=8,
        unique=True,
    ),
    st.integers(min_value=4, max_value=40),
)
def test_names_are_whole_when_they_fit_else_their_end_and_stay_apart(
    names: list[str], width: int
) -> None:
    shown = shortened(names, width)
    assert len(shown) == len(names)
    for name, short in zip(names, shown, strict=True):
        if cell_len(name) <= width or short == name:
            assert short == name or cell_len(name) > width
        elif "/" not in name:  # one part: its start, or its start and end, around "…"
            start, _, end = short.partition("…")
            assert name.startswith(start) and name.endswith(end)
            assert cell_len(short) <= width
        else:
            assert name.endswith(short.removeprefix("…").removeprefix("/"))
    assert len(set(shown)) == len(shown)


def test_a_one_part_name_keeps_its_start() -> None:
    """A tag or a top-level deck has no shared start to lose: its start reads best."""
    assert shortened(["ReinforcementLearning", "Adam"], 9) == ["Reinforc…", "Adam"]
    assert shortened(["llm-alignment", "llm-inference"], 10) == ["llm-align…", "llm-infer…"]


def test_one_part_names_that_start_alike_keep_their_start_and_end() -> None:
    assert shortened(["Regularization-L1", "Regularization-L2"], 9) == [
        "Regu…n-L1",
        "Regu…n-L2",
    ]


def test_one_folder_names_that_end_alike_are_told_apart_by_their_start() -> None:
    """Cut to their ends, both would read "…中X" (found by the property above); by their
    starts they stay apart."""
    assert shortened(["XX中X", "XY中X"], 4) == ["XX…", "XY…"]
