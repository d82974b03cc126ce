"""Counted nouns in messages: "1 card", "2 cards", never "1 cards" or "card(s)".

Every front end prints counts ("3 new", "1 wrong try", "2 errors"); one helper keeps the
grammar right everywhere and keeps the irregular plurals in one table.
"""

from __future__ import annotations

#: Plurals that are not the singular plus "s".
_IRREGULAR = {
    "try": "tries",
    "entry": "entries",
    "query": "queries",
    "child": "children",
}


def plural_of(noun: str) -> str:
    """The plural of ``noun`` (the last word of a phrase: "wrong try" → "wrong tries")."""
    head, _, last = noun.rpartition(" ")
    if last in _IRREGULAR:
        word = _IRREGULAR[last]
    elif last.endswith(("s", "x", "z", "ch", "sh")):
        word = last + "es"
    elif len(last) > 1 and last.endswith("y") and last[-2] not in "aeiou":
        word = last[:-1] + "ies"
    else:
        word = last + "s"
    return f"{head} {word}" if head else word


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """``count`` and ``noun`` agreeing: ``plural(1, "card")`` → "1 card", ``plural(2,
    "card")`` → "2 cards", ``plural(0, "error")`` → "0 errors". ``plural_form`` overrides
    the rule for a word the table does not know."""
    if count == 1:
        return f"{count} {noun}"
    return f"{count} {plural_form or plural_of(noun)}"
