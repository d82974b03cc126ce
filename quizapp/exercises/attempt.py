"""One learner's attempt at one exercise instance, and the session that records it.

``ExerciseAttempt`` is what the store persists (as JSON, via ``to_dict``/``from_dict``):
the seed (enough to replay the instance), every answer typed, every verdict, what was
revealed, when and how long, and the suggested rating. ``ExerciseSession`` is the small
state machine both front ends drive: answer, reveal, finish.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from quizapp.exercises.autodiff import Array
from quizapp.exercises.checking import Verdict, check_answer
from quizapp.exercises.errors import ExerciseError
from quizapp.exercises.instance import ExerciseInstance
from quizapp.exercises.rating import AskOutcome, suggest_rating
from quizapp.exercises.spec import Ask


@dataclass(frozen=True)
class ExerciseAttempt:
    """A finished (or abandoned) attempt, ready to store.

    ``answers`` and ``verdicts`` map each ask to the texts typed and the verdicts they got,
    in order. ``rating`` is the rating the learner confirmed, once they have.
    """

    spec_id: str
    title: str
    seed: int
    answers: dict[str, list[str]]
    verdicts: dict[str, list[str]]
    revealed: tuple[str, ...]
    started_at: datetime
    duration_ms: int
    suggested_rating: int
    asks: tuple[str, ...] = ()
    rating: int | None = None

    def outcomes(self) -> list[AskOutcome]:
        """One outcome per ask, in the exercise's order."""
        names = self.asks or tuple(self.answers)
        return [
            AskOutcome.from_verdicts(n, self.verdicts.get(n, []), n in self.revealed) for n in names
        ]

    def with_rating(self, rating: int) -> ExerciseAttempt:
        """The same attempt with the learner's confirmed (or overridden) rating."""
        if rating not in (1, 2, 3, 4):
            raise ExerciseError(f"rating must be 1 to 4, got {rating}")
        return replace(self, rating=rating)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form; ``started_at`` is ISO 8601 in UTC."""
        return {
            "spec_id": self.spec_id,
            "title": self.title,
            "seed": self.seed,
            "asks": list(self.asks),
            "answers": {k: list(v) for k, v in self.answers.items()},
            "verdicts": {k: list(v) for k, v in self.verdicts.items()},
            "revealed": list(self.revealed),
            "started_at": self.started_at.isoformat(),
            "duration_ms": self.duration_ms,
            "suggested_rating": self.suggested_rating,
            "rating": self.rating,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ExerciseAttempt:
        """Inverse of ``to_dict``; ``ExerciseError`` on malformed data."""
        try:
            rating = data.get("rating")
            return cls(
                spec_id=str(data["spec_id"]),
                title=str(data["title"]),
                seed=int(data["seed"]),
                asks=tuple(str(a) for a in data.get("asks", ())),
                answers={str(k): [str(t) for t in v] for k, v in data["answers"].items()},
                verdicts={str(k): [str(t) for t in v] for k, v in data["verdicts"].items()},
                revealed=tuple(str(r) for r in data["revealed"]),
                started_at=datetime.fromisoformat(str(data["started_at"])),
                duration_ms=int(data["duration_ms"]),
                suggested_rating=int(data["suggested_rating"]),
                rating=None if rating is None else int(rating),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ExerciseError(f"malformed exercise attempt: {exc}") from None


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class ExerciseSession:
    """Drives one instance: answers in any order, reveals, and a final attempt.

    ``clock`` is injectable so tests (and replays) control time.
    """

    instance: ExerciseInstance
    clock: Callable[[], datetime] = _now
    started_at: datetime = field(init=False)
    answers: dict[str, list[str]] = field(init=False, default_factory=dict)
    verdicts: dict[str, list[Verdict]] = field(init=False, default_factory=dict)
    revealed: list[str] = field(init=False, default_factory=list)
    values: dict[str, Array] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.started_at = self.clock()

    def is_settled(self, ask: str) -> bool:
        """True once ``ask`` was answered correctly or revealed."""
        return ask in self.values

    @property
    def current(self) -> Ask | None:
        """The first ask not yet settled, or None when all are."""
        return next((a for a in self.instance.asks if not self.is_settled(a.name)), None)

    @property
    def done(self) -> bool:
        """True when every ask is settled."""
        return self.current is None

    def answer(self, ask: str, text: str) -> Verdict:
        """Check and record an answer; earlier asks may be used by name in it."""
        verdict = check_answer(self.instance, ask, text, self.values)
        if not self.is_settled(ask):
            self.answers.setdefault(ask, []).append(text)
            self.verdicts.setdefault(ask, []).append(verdict)
            if verdict.correct:
                # Later answers use the exact reference, in its shape: a typed "0.1167" is a
                # 0-d scalar and rounded, and neither should leak into the next ask.
                self.values[ask] = self.instance.references[ask]
        return verdict

    def reveal(self, ask: str) -> Array:
        """The reference for ``ask``; revealing counts against the rating."""
        self.instance.ask(ask)
        if not self.is_settled(ask):
            self.revealed.append(ask)
            self.values[ask] = self.instance.references[ask]
        return self.instance.references[ask]

    def outcomes(self) -> list[AskOutcome]:
        """One outcome per ask, in order."""
        return [
            AskOutcome.from_verdicts(
                a.name,
                [v.verdict for v in self.verdicts.get(a.name, [])],
                a.name in self.revealed,
            )
            for a in self.instance.asks
        ]

    def finish(self) -> ExerciseAttempt:
        """The attempt so far, with its suggested rating, timed by ``clock``."""
        elapsed = (self.clock() - self.started_at).total_seconds()
        spec = self.instance.spec
        return ExerciseAttempt(
            spec_id=spec.id,
            title=spec.title,
            seed=self.instance.seed,
            asks=tuple(a.name for a in self.instance.asks),
            answers={k: list(v) for k, v in self.answers.items()},
            verdicts={k: [v.verdict for v in vs] for k, vs in self.verdicts.items()},
            revealed=tuple(self.revealed),
            started_at=self.started_at,
            duration_ms=max(0, round(elapsed * 1000)),
            suggested_rating=suggest_rating(self.outcomes(), elapsed),
        )
