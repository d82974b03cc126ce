"""Live exercises for stored cards: which exercise a card gets, checking answers, saving.

Both front ends come here. ``has_exercise`` answers "does this card have an exercise?"
for every card a screen lists, so it reads only the built-ins' YAML ``tags`` and never
loads NumPy; ``exercise_for`` parses the real spec (and loads the engine) only when an
exercise is actually opened. ``run_exercise`` is the whole of ``quizapp exercise``: find
the card, draw the instance, check ``NAME=EXPR`` answers in order, reveal, store.
"""

from __future__ import annotations

import keyword
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizapp.cards.model import Card
from quizapp.content import bundled_deck_dir
from quizapp.store.records import StoredCard

if TYPE_CHECKING:
    from quizapp.exercises import (
        ExerciseAttempt,
        ExerciseInstance,
        ExerciseSession,
        ExerciseSpec,
        Verdict,
    )
    from quizapp.store.db import Database


class ExerciseRequestError(Exception):
    """A request that cannot be served: unknown card, no exercise, a bad ``NAME=EXPR``.

    ``usage`` is True when the request itself is malformed (the CLI exits 2) and False
    when it is well-formed but names something that is not there (exit 1). The message
    is one line.
    """

    def __init__(self, message: str, *, usage: bool = False) -> None:
        self.message = " ".join(message.split())
        self.usage = usage
        super().__init__(self.message)


# --- built-in exercises ----------------------------------------------------------------


def builtin_folder() -> Path:
    """The folder of built-in exercises: ``exercises/`` inside the bundled deck.

    A function (not a constant) so tests can point it at a fixture folder.
    """
    return bundled_deck_dir() / "exercises"


@lru_cache(maxsize=4)
def _load_builtins(folder: Path) -> tuple[ExerciseSpec, ...]:
    from quizapp.exercises import load_builtin_exercises

    return tuple(load_builtin_exercises(folder))


def builtin_exercises() -> list[ExerciseSpec]:
    """Every built-in exercise, parsed once per folder and process (sorted by file name).

    Raises ``ExerciseError`` naming the file and line when a built-in is broken.
    """
    return list(_load_builtins(builtin_folder()))


@lru_cache(maxsize=4)
def _builtin_tags(folder: Path) -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
    """The tags and subject words of the built-ins in ``folder``, read from YAML alone (no
    NumPy)."""
    import yaml

    from quizapp.exercises.matching import words

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    found: list[tuple[frozenset[str], frozenset[str]]] = []
    if not folder.is_dir():
        return ()
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue  # exercise_for reports it properly when it is opened
        if isinstance(data, dict):
            found.append((words(data.get("tags")), words(data.get("subject"))))
    return tuple(found)


def has_exercise(card: Card | StoredCard) -> bool:
    """True when the card has its own exercise block or a built-in is for it: one that
    shares a tag and, if it names a subject, whose subject the card's title or id names.

    Cheap enough to call for every card in a list: it never imports NumPy.
    """
    return _has_exercise(card, _builtin_tags(builtin_folder()))


def with_exercises(cards: Iterable[StoredCard]) -> list[StoredCard]:
    """The cards that have an exercise (:func:`has_exercise` of each), the built-ins
    looked up once for all of them: an export asks it of 10,000 cards."""
    builtins = _builtin_tags(builtin_folder())
    return [stored for stored in cards if _has_exercise(stored, builtins)]


def _has_exercise(
    card: Card | StoredCard, builtins: tuple[tuple[frozenset[str], frozenset[str]], ...]
) -> bool:
    from quizapp.exercises.matching import fits

    plain = card.card if isinstance(card, StoredCard) else card
    if plain.exercises:
        return True
    return any(fits(plain.title, plain.id, plain.tags, tags, subject) for tags, subject in builtins)


def exercise_for(stored: StoredCard) -> ExerciseSpec | None:
    """The card's own first exercise block, else the built-in for it (most shared tags,
    its subject named by the card), else None.

    A broken block raises ``ExerciseError`` with its card line (never a silent fallback
    to a built-in, so the author sees the mistake).
    """
    from quizapp.exercises import builtin_for_tags, parse_spec

    card = stored.card
    if card.exercises:
        block = card.exercises[0]
        source = stored.source_path or card.source
        return parse_spec(block.yaml, line=block.line, source=source)
    if not has_exercise(card):
        return None  # skip parsing the built-ins when none can match
    return builtin_for_tags(builtin_exercises(), card.tags, card.title, card.id)


# --- checking answers -------------------------------------------------------------------


def parse_answer_option(text: str) -> tuple[str, str]:
    """``"dW2 = delta2 @ a1.T"`` → ``("dW2", "delta2 @ a1.T")``: split at the first ``=``.

    Raises ``ExerciseRequestError`` (usage) when there is no ``=``, the name is not an
    identifier or the expression is empty.
    """
    name, sep, expression = text.partition("=")
    name = name.strip()
    if not sep:
        raise ExerciseRequestError(f"--answer {text!r}: expected NAME=EXPR", usage=True)
    if not name.isidentifier() or keyword.iskeyword(name):
        raise ExerciseRequestError(
            f"--answer {text!r}: {name!r} is not an ask name (expected NAME=EXPR)", usage=True
        )
    if not expression.strip():
        raise ExerciseRequestError(f"--answer {text!r}: the answer after = is empty", usage=True)
    return name, expression.strip()


@dataclass(frozen=True)
class CheckedAnswer:
    """One typed answer and the verdict it got."""

    text: str
    verdict: Verdict

    def to_dict(self) -> dict[str, object]:
        """The verdict's JSON (``ask, verdict, message, diagnosis, variant, value,
        expected_shape``) plus ``answer``, the text as typed."""
        return {**self.verdict.to_dict(), "answer": self.text}


def _now() -> datetime:
    return datetime.now(UTC)


def answer_ask(session: ExerciseSession, ask: str, text: str) -> Verdict:
    """``session.answer``, keeping an accepted value in the reference's shape.

    A typed number is a scalar while a reference such as δ⁽²⁾ is 1×1; the two are equal
    for checking, but a later ``W2.T @ delta2`` needs the 1×1, so it is stored as such.
    """
    verdict = session.answer(ask, text)
    value = session.values.get(ask)
    reference = session.instance.references[ask]
    if verdict.correct and value is not None and value.shape != reference.shape:
        session.values[ask] = value.reshape(reference.shape)
    return verdict


def check_answers(
    session: ExerciseSession,
    answers: Sequence[tuple[str, str]],
    *,
    reveal: bool = False,
) -> tuple[list[CheckedAnswer], ExerciseAttempt | None]:
    """Check ``(ask, text)`` pairs in order on ``session``; an accepted answer is usable by
    name in later ones. With ``reveal``, every ask not yet answered correctly is revealed
    afterwards (and counts as revealed for the rating).

    Every ask name is checked before any answer, so a typo in one name checks nothing.
    Returns the verdicts and, when there were answers, the finished attempt to store.
    """
    known = [a.name for a in session.instance.asks]
    for name, _ in answers:
        if name not in known:
            raise ExerciseRequestError(
                f"no ask named {name!r} in this exercise (asks: {', '.join(known)})",
                usage=True,
            )
    checked = [CheckedAnswer(text, answer_ask(session, name, text)) for name, text in answers]
    if reveal:
        for name in known:
            session.reveal(name)
    return checked, (session.finish() if answers else None)


def save_attempt(db: Database, stored: StoredCard | None, attempt: ExerciseAttempt) -> int:
    """Store ``attempt`` for ``stored`` (None: no card); returns the attempt's row id."""

    return db.exercises.record_attempt(None if stored is None else stored.pk, attempt)


# --- one whole run, as ``quizapp exercise`` does it ---------------------------------------


@dataclass(frozen=True)
class ExerciseRun:
    """What one ``quizapp exercise`` invocation produced, ready to print or dump as JSON."""

    card: StoredCard
    instance: ExerciseInstance
    answers: tuple[CheckedAnswer, ...]
    revealed: bool
    attempt: ExerciseAttempt | None
    attempt_id: int | None

    def to_dict(self) -> dict[str, Any]:
        """``{card, exercise: {id, title}, seed, given, shown, asks, tolerance, answers,
        references (only when revealed), suggested_rating, attempt_id}``."""
        base = self.instance.to_dict(reveal=False)
        data: dict[str, Any] = {
            "card": self.card.card.id,
            "exercise": {"id": base["id"], "title": base["title"]},
            "seed": self.instance.seed,
            "given": base["given"],
            "shown": base["shown"],
            "asks": base["asks"],
            "tolerance": base["tolerance"],
            "answers": [answer.to_dict() for answer in self.answers],
        }
        if self.revealed:
            data["references"] = {
                name: float(value) if value.ndim == 0 else value.tolist()
                for name, value in self.instance.references.items()
            }
        data["suggested_rating"] = None if self.attempt is None else self.attempt.suggested_rating
        data["attempt_id"] = self.attempt_id
        return data


def find_exercise(db: Database, card_id: str) -> tuple[StoredCard, ExerciseSpec]:
    """The stored card ``card_id`` and its exercise.

    Raises ``ExerciseRequestError`` for an unknown card or a card without an exercise,
    ``ExerciseError`` for a broken exercise.
    """
    from quizapp.services.library import find_card

    stored = find_card(db, card_id)
    if stored is None:
        raise ExerciseRequestError(f"no card with id {card_id!r} (see `quizapp list`)")
    spec = exercise_for(stored)
    if spec is None:
        tags = ", ".join(stored.card.tags) or "none"
        raise ExerciseRequestError(
            f"card {stored.card.id!r} has no exercise: no ```exercise block, and no built-in "
            f"exercise matches its tags ({tags})"
        )
    return stored, spec


def run_exercise(
    db: Database,
    card_id: str,
    *,
    seed: int | None = None,
    answers: Sequence[str] = (),
    reveal: bool = False,
    clock: Callable[[], datetime] = _now,
    save: bool = True,
) -> ExerciseRun:
    """Draw the exercise of ``card_id`` at ``seed`` (random if None), check ``NAME=EXPR``
    answers in order, reveal if asked, and store the attempt when there were answers.

    Raises ``ExerciseRequestError`` for bad requests (before anything is drawn or stored)
    and ``ExerciseError`` for an exercise that cannot be drawn at this seed.
    """
    from quizapp.exercises import ExerciseSession, new_instance

    pairs = [parse_answer_option(text) for text in answers]
    stored, spec = find_exercise(db, card_id)
    instance = new_instance(spec, seed)
    session = ExerciseSession(instance, clock=clock)
    checked, attempt = check_answers(session, pairs, reveal=reveal)
    attempt_id = save_attempt(db, stored, attempt) if attempt is not None and save else None
    return ExerciseRun(stored, instance, tuple(checked), reveal, attempt, attempt_id)
