"""``quizapp.text.plural``: counted nouns agree with their count."""

from __future__ import annotations

import pytest

from quizapp.text import plural, plural_of


@pytest.mark.parametrize(
    ("noun", "many"),
    [
        ("card", "cards"),
        ("wrong try", "wrong tries"),
        ("entry", "entries"),
        ("day", "days"),
        ("match", "matches"),
        ("box", "boxes"),
        ("media file", "media files"),
        ("later-day review", "later-day reviews"),
    ],
)
def test_plural_of(noun: str, many: str) -> None:
    assert plural_of(noun) == many


def test_one_is_singular_and_every_other_count_plural() -> None:
    assert [plural(n, "error") for n in (0, 1, 2, 11)] == [
        "0 errors",
        "1 error",
        "2 errors",
        "11 errors",
    ]
    assert plural(-1, "day") == "-1 days"
    assert plural(3, "person", "people") == "3 people"
    assert plural(1, "person", "people") == "1 person"
