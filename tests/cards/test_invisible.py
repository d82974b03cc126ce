"""The shared list of invisible format characters matches the running Unicode database."""

from __future__ import annotations

import re
import sys
import unicodedata

from quizapp.cards.invisible import FORMAT_CLASS, FORMAT_RANGES, escape


def test_the_list_is_exactly_unicode_category_cf() -> None:
    listed = {code for first, last in FORMAT_RANGES for code in range(first, last + 1)}
    actual = {code for code in range(sys.maxunicode + 1) if unicodedata.category(chr(code)) == "Cf"}
    assert listed == actual


def test_the_class_matches_every_format_character_and_nothing_else() -> None:
    pattern = re.compile(f"[{FORMAT_CLASS}]")
    for first, last in FORMAT_RANGES:
        assert pattern.fullmatch(chr(first)) and pattern.fullmatch(chr(last))
    for plain in ("a", "é", "→", "概", "\u2028", "\U0001f600", "\x1b"):
        assert pattern.fullmatch(plain) is None


def test_escapes_are_unambiguous() -> None:
    assert [escape(c) for c in ("\x1b", "\xad", "\u200b", "\U000e0041")] == [
        "\\x1b",
        "\\xad",
        "\\u200b",
        "\\U000e0041",
    ]
