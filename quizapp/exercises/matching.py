"""Which built-in exercise a card without its own gets: the rule, with no NumPy.

A built-in shares a tag with the card, and, when it names a ``subject``, the card must be
*about* it: one of the subject's words appears in the card's title or id. Tags alone are
too broad: "Forward-Mode vs Reverse-Mode Automatic Differentiation" and "Vanishing and
Exploding Gradients" are tagged Backpropagation, yet a drill of the backward pass through
a 2-2-1 network is not their subject. Both the engine (``builtin.py``) and the services'
cheap ``has_exercise`` (which reads the built-ins' YAML without parsing the exercises)
apply this one rule.
"""

from __future__ import annotations

from collections.abc import Iterable


def norm_tag(tag: str) -> str:
    """``#Backpropagation`` and ``backpropagation`` are the same tag."""
    return tag.strip().lstrip("#").strip().casefold()


def words(value: object) -> frozenset[str]:
    """Tags or subject words from YAML: a list, or text split at commas; normalised."""
    if isinstance(value, str):
        items: Iterable[object] = value.split(",")
    elif isinstance(value, list | tuple):
        items = value
    else:
        return frozenset()
    return frozenset(norm_tag(str(item)) for item in items) - {""}


def shared_tags(card_tags: Iterable[str], spec_tags: Iterable[str]) -> int:
    """How many tags the card and the built-in share."""
    return len(({norm_tag(t) for t in card_tags} - {""}) & {norm_tag(t) for t in spec_tags})


def is_about(title: str, card_id: str, subjects: Iterable[str]) -> bool:
    """True when no subject is named, or one of its words is in the title or the id."""
    wanted = [norm_tag(s) for s in subjects if norm_tag(s)]
    if not wanted:
        return True
    text = f"{title} {card_id}".casefold()
    return any(word in text for word in wanted)


def fits(
    title: str,
    card_id: str,
    card_tags: Iterable[str],
    spec_tags: Iterable[str],
    subjects: Iterable[str],
) -> int:
    """The built-in's score for the card: shared tags, or 0 when it is not the card's
    subject."""
    count = shared_tags(card_tags, spec_tags)
    return count if count and is_about(title, card_id, subjects) else 0
