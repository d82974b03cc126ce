"""Burying siblings: once a card is answered, its note's other cards wait for tomorrow.

A cloze note makes one card per deletion and a reversed pair two cards; seeing one of
them answers much of the other, so reviewing both on one day would test the learner's
short-term memory instead of their long-term one. Like Anki's "bury siblings", answering
a card hides its siblings until the next day rollover (the ``bury_siblings`` setting,
on by default). Cramming does not bury: it leaves the schedule alone.

Which siblings: new cards, and review cards due before the day ends, the ones that would
otherwise come up today. Learning and relearning siblings are left alone, as in Anki's
defaults: their steps are minutes apart, and burying one would break its learning steps.
A sibling buried here comes back at the rollover; undoing the answer unburies it.

The rule lives here; the store (``Database.siblings``) finds the siblings and writes it.
"""

from __future__ import annotations

from datetime import datetime

from quizapp.scheduling.memory import REVIEW, MemoryState


def buries(memory: MemoryState, until: datetime) -> bool:
    """Whether a sibling in ``memory`` is buried until ``until`` (the next rollover) when
    another card of its note is answered."""
    if memory.is_new:
        return True
    return memory.state == REVIEW and memory.due < until
