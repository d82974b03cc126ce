"""A memory state's JSON document as text, made without building a dictionary.

A review log keeps the states before and after its answer as the JSON ``json.dumps``
writes of ``MemoryState.to_dict()`` (``review_logs.state_before``/``state_after``).
Importing a well-used Anki deck writes 100,000 logs at once; making each document with
one format string from the numbers, instead of a dictionary and ``json.dumps``, is what
keeps that write short. Tests compare the text made here with ``json.dumps``'s.
"""

from __future__ import annotations

from quizapp.scheduling.memory import MemoryState

#: ``repr`` of a float JSON cannot hold, as ``json.dumps`` writes it.
_NONFINITE = {"inf": "Infinity", "-inf": "-Infinity", "nan": "NaN"}


def number_text(value: float | None) -> str:
    """A stability, difficulty or step as ``json.dumps`` writes it (None is ``null``)."""
    if value is None:
        return "null"
    text = repr(value)
    return _NONFINITE.get(text, text)


def state_text(
    state: int,
    step: str,
    stability: str,
    difficulty: str,
    due: str,
    last_review: str,
    reps: int,
    lapses: int,
) -> str:
    """The document from its parts: ``step``, ``stability`` and ``difficulty`` as
    :func:`number_text` gives them, ``due`` the due time's ISO text, and ``last_review``
    the last review's ISO text in quotes or ``null``."""
    return (
        f'{{"state": {state}, "step": {step}, "stability": {stability}, '
        f'"difficulty": {difficulty}, "due": "{due}", "last_review": {last_review}, '
        f'"reps": {reps}, "lapses": {lapses}}}'
    )


def state_json(memory: MemoryState, last_text: str | None = None) -> str:
    """``json.dumps(memory.to_dict())``; ``last_text`` is the last review's ISO text in
    quotes when the caller has it already (an answer's time is its state's last review)."""
    if last_text is None:
        last = memory.last_review
        last_text = "null" if last is None else '"' + last.isoformat() + '"'
    step = memory.step
    return state_text(
        memory.state,
        "null" if step is None else str(step),
        number_text(memory.stability),
        number_text(memory.difficulty),
        memory.due.isoformat(),
        last_text,
        memory.reps,
        memory.lapses,
    )
