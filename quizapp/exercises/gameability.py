"""Refuses exercises that a learner could game, or that reject honest work.

An exercise is drawn afresh from a seed each time, so a property that holds for the trial
seed can fail for one seed in ten, and nobody notices until a learner is told that a
wrong answer is right. This audit runs a spec over many seeds (200 by default) and
reports, with the first seed at fault, the ask and the variant:

- **degenerate asks**: a reference that is all zero (every answer of zeros is right, and
  nothing is learnt) in any seed;
- **gameable mistakes**: a spec mistake, or one of the diagnosis's built-in variants
  (transposed, sign, factor 2, an activation derivative left out, ``*`` for ``@``…), that
  is within tolerance of the reference in more than 1 % of the seeds, so that the mistake
  is marked correct. A built-in variant that equals the reference to round-off in every
  seed is the same computation for this exercise (``*`` and ``@`` agree on a scalar
  factor), not a mistake, and is skipped; a spec mistake that does is an error;
- **display**: answers worked from the numbers as displayed (rounded as shown),
  either from the givens alone or also from the shown intermediates, then typed as they
  would be displayed, must be accepted in at least 99 % of the seeds.

``quizapp check`` runs it (``services/card_checks.py``); import does not, since it costs
about one instance and a few variant passes per seed, some half a second per exercise.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields, is_dataclass, replace

import numpy as np

from quizapp.exercises.autodiff import Array
from quizapp.exercises.diagnosis import MISTAKE, SwappedGraphs, attempts, close, same_shape
from quizapp.exercises.display import displayed
from quizapp.exercises.errors import ExerciseError
from quizapp.exercises.instance import (
    ExerciseInstance,
    build_graph,
    compute_references,
    new_instance,
)
from quizapp.exercises.limits import ZERO_SCALE
from quizapp.exercises.spec import Ask, ExerciseSpec

#: Seeds every exercise is audited over.
SEEDS = 200
#: Largest fraction of seeds in which a mistake may be within tolerance of the reference.
MAX_COINCIDENCE = 0.01
#: Smallest fraction of seeds in which an answer worked from the display must pass.
MIN_DISPLAY_PASS = 0.99
#: A variant within this relative distance of the reference is the same number (round-off).
SAME = 1e-9

DEGENERATE = "degenerate"
COINCIDES = "coincides"
NOT_A_MISTAKE = "not_a_mistake"
DISPLAY = "display"
BROKEN = "broken"

#: The two ways of working from the display that are audited.
FROM_GIVENS = "from the displayed givens"
FROM_SHOWN = "from the displayed givens and shown values"


@dataclass(frozen=True)
class Finding:
    """One reason to refuse a spec: what, which ask, the first seed at fault, the variant
    (its machine name, or the mistake's text), in how many of how many seeds."""

    kind: str
    ask: str | None
    seed: int
    variant: str | None
    count: int
    seeds: int
    message: str
    line: int | None

    def error(self) -> ExerciseError:
        """The finding as the one-line error ``check`` reports."""
        return ExerciseError(self.message, line=self.line, ask=self.ask)

    def to_dict(self) -> dict[str, object]:
        """The finding as JSON-ready data (``check`` keeps audits on disk)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: object) -> Finding:
        """The finding ``to_dict`` gave; ``ValueError`` for anything else (a damaged or
        foreign cache file is audited again, never trusted)."""
        if not isinstance(data, dict) or set(data) != {f.name for f in fields(cls)}:
            raise ValueError("not a finding")
        texts = ("kind", "message")
        optional_texts = ("ask", "variant")
        numbers = ("seed", "count", "seeds")
        if (
            not all(isinstance(data[k], str) for k in texts)
            or not all(data[k] is None or isinstance(data[k], str) for k in optional_texts)
            or not all(type(data[k]) is int for k in numbers)
            or not (data["line"] is None or type(data["line"]) is int)
        ):
            raise ValueError("not a finding")
        return cls(**data)


@dataclass
class _Tally:
    """How one variant of one ask behaved over the seeds."""

    key: str
    label: str
    line: int | None
    applied: int = 0
    same: int = 0
    close_seeds: list[int] = field(default_factory=list)


def audit_spec(spec: ExerciseSpec, seeds: int = SEEDS) -> list[Finding]:
    """Every finding for ``spec`` over seeds ``0 … seeds−1``, at most one per ask and kind
    (and per variant); [] for a spec that cannot be gamed."""
    findings: list[Finding] = []
    tallies: dict[tuple[str, int], _Tally] = {}
    zero: dict[str, list[int]] = {}
    rejected: dict[tuple[str, str], list[int]] = {}
    for seed in range(seeds):
        try:
            instance = new_instance(spec, seed)
        except ExerciseError as exc:
            message = f"exercise `{spec.id}` cannot be drawn at seed {seed}: {exc.message}"
            return [Finding(BROKEN, exc.ask, seed, None, 1, seeds, message, exc.line)]
        graphs: SwappedGraphs = {}  # forward passes with a swap, shared by the asks
        for ask in spec.asks:
            reference = instance.references[ask.name]
            if _scale(reference) <= ZERO_SCALE:
                zero.setdefault(ask.name, []).append(seed)
            _tally_variants(instance, ask, seed, tallies, graphs)
        for way, ok in _display_checks(instance).items():
            for name, passed in ok.items():
                if not passed:
                    rejected.setdefault((name, way), []).append(seed)
    findings += _degenerate(spec, zero, seeds)
    findings += _coinciding(spec, tallies, seeds)
    findings += _display_findings(spec, rejected, seeds)
    return findings


def check_gameability(spec: ExerciseSpec, seeds: int = SEEDS) -> None:
    """Raise the first finding of ``audit_spec`` as an ``ExerciseError``, if any."""
    findings = cached_audit(spec, seeds)
    if findings:
        raise findings[0].error()


_CACHE: dict[str, list[Finding]] = {}


def cached_audit(spec: ExerciseSpec, seeds: int = SEEDS) -> list[Finding]:
    """``audit_spec``, remembered for the process by ``audit_key``, so that one spec used
    by several cards, checked twice, or audited by a test before ``check`` runs, is
    audited once."""
    key = audit_key(spec, seeds)
    found = _CACHE.get(key)
    if found is None:
        found = audit_spec(spec, seeds)
        _CACHE[key] = found
    return found


def audit_key(spec: ExerciseSpec, seeds: int = SEEDS) -> str:
    """A digest of everything the audit of ``spec`` depends on and its findings say: the
    whole parsed spec (expressions, tolerances, mistakes, lines, ids) but not the file it
    came from, and the seeds. The same text on the same lines gives the same key in any
    process (sets are sorted, so string hashing does not enter)."""
    canonical = repr((_canonical(replace(spec, source="")), seeds))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _canonical(value: object) -> object:
    """``value`` with every dataclass as (its type, its fields) and every set sorted."""
    if is_dataclass(value) and not isinstance(value, type):
        return (
            type(value).__name__,
            tuple((f.name, _canonical(getattr(value, f.name))) for f in fields(value)),
        )
    if isinstance(value, frozenset | set):
        return tuple(sorted((_canonical(v) for v in value), key=repr))
    if isinstance(value, tuple | list):
        return tuple(_canonical(v) for v in value)
    return value


def _scale(a: Array) -> float:
    return float(np.max(np.abs(a), initial=0.0))


def _tally_variants(
    instance: ExerciseInstance,
    ask: Ask,
    seed: int,
    tallies: dict[tuple[str, int], _Tally],
    graphs: SwappedGraphs,
) -> None:
    reference = instance.references[ask.name]
    tolerance = instance.spec.tolerance
    mistakes = list(ask.mistakes)
    # what ``close`` and the round-off test work out from the reference, once per ask
    # rather than once per variant (the same arithmetic, so the same verdicts)
    size = np.abs(reference)
    scale = float(size.max(initial=0.0))
    allowed = tolerance.atol_at(scale) + tolerance.rtol * size
    same_gap = SAME * max(1.0, scale)
    for index, variant in enumerate(attempts(instance, ask, graphs)):
        if variant is None or not same_shape(variant.value, reference):
            continue
        tally = tallies.get((ask.name, index))
        if tally is None:
            if variant.key == MISTAKE and index < len(mistakes):
                mistake = mistakes[index]
                label = f"mistake `{mistake.expression.text}` (line {mistake.line})"
                line: int | None = mistake.line
            else:
                label = f"built-in variant `{variant.key}` ({variant.message})"
                line = ask.line
            tally = _Tally(variant.key, label, line)
            tallies[(ask.name, index)] = tally
        tally.applied += 1
        gap = np.abs(np.reshape(variant.value, reference.shape) - reference)
        if float(gap.max(initial=0.0)) <= same_gap:
            tally.same += 1
        if bool(np.all(gap <= allowed)):  # close(value, reference, tolerance)
            tally.close_seeds.append(seed)


def _display_checks(instance: ExerciseInstance) -> dict[str, dict[str, bool]]:
    """For each way of working from the display, which asks' answers are accepted."""
    spec, seed = instance.spec, instance.seed
    givens = {name: displayed(value) for name, value in instance.given.items()}
    computed = {d.name for d in spec.compute}
    shown = {n: displayed(v) for n, v in instance.shown.items() if n in computed}
    # values shown exactly (integers, one-hots, short decimals) give the instance's own
    # pass again: then only the rounding of the typed answers is left to check
    exact = _all_exact(givens, instance.given)
    exact_shown = exact and _all_exact(shown, instance.shown)
    ways: dict[str, Callable[[], dict[str, Array]]] = {
        FROM_GIVENS: (lambda: instance.references)
        if exact
        else (lambda: _references(spec, seed, givens, {})),
        FROM_SHOWN: (lambda: instance.references)
        if exact_shown
        else (lambda: _references(spec, seed, givens, shown)),
    }
    results: dict[str, dict[str, bool]] = {}
    for way, compute in ways.items():
        if way == FROM_SHOWN and not shown:
            continue
        try:
            worked = compute()
        except ExerciseError:
            worked = {}
        results[way] = {
            ask.name: ask.name in worked
            and close(displayed(worked[ask.name]), instance.references[ask.name], spec.tolerance)
            for ask in spec.asks
        }
    return results


def _all_exact(shown: dict[str, Array], values: dict[str, Array]) -> bool:
    """True when every value in ``shown`` is the value itself, not a rounding of it."""
    return all(np.array_equal(v, values[n]) for n, v in shown.items())


def _references(
    spec: ExerciseSpec, seed: int, givens: dict[str, Array], shown: dict[str, Array]
) -> dict[str, Array]:
    graph = build_graph(spec, seed, overrides=givens, rounded=shown)
    return compute_references(spec, graph, seed)


def _degenerate(spec: ExerciseSpec, zero: dict[str, list[int]], seeds: int) -> list[Finding]:
    findings: list[Finding] = []
    for ask in spec.asks:
        found = zero.get(ask.name)
        if found:
            message = (
                f"exercise `{spec.id}`: the answer to `{ask.name}` is all zero at seed "
                f"{found[0]} ({len(found)} of {seeds} seeds), so an answer of zeros is "
                "right; draw the givens so that it never vanishes"
            )
            findings.append(
                Finding(DEGENERATE, ask.name, found[0], None, len(found), seeds, message, ask.line)
            )
    return findings


def _coinciding(
    spec: ExerciseSpec, tallies: dict[tuple[str, int], _Tally], seeds: int
) -> list[Finding]:
    findings: list[Finding] = []
    limit = MAX_COINCIDENCE * seeds
    for (ask_name, _), tally in tallies.items():
        if tally.applied and tally.same == tally.applied:
            if tally.key != MISTAKE:
                continue  # the same computation for this exercise: not a mistake here
            message = (
                f"exercise `{spec.id}`: {tally.label} equals the right answer in every "
                f"seed (first: seed {tally.close_seeds[0]}), so it is not a mistake"
            )
            findings.append(
                Finding(
                    NOT_A_MISTAKE,
                    ask_name,
                    tally.close_seeds[0],
                    tally.label,
                    tally.applied,
                    seeds,
                    message,
                    tally.line,
                )
            )
            continue
        if len(tally.close_seeds) > limit:
            first = tally.close_seeds[0]
            message = (
                f"exercise `{spec.id}`: {tally.label} is within tolerance of the right "
                f"answer at seed {first} ({len(tally.close_seeds)} of {seeds} seeds; at most "
                f"{MAX_COINCIDENCE:.0%} may be), so that mistake is marked correct; draw the "
                "givens so that it shows"
            )
            findings.append(
                Finding(
                    COINCIDES,
                    ask_name,
                    first,
                    tally.label,
                    len(tally.close_seeds),
                    seeds,
                    message,
                    tally.line,
                )
            )
    return findings


def _display_findings(
    spec: ExerciseSpec, rejected: dict[tuple[str, str], list[int]], seeds: int
) -> list[Finding]:
    findings: list[Finding] = []
    limit = (1.0 - MIN_DISPLAY_PASS) * seeds
    lines = {a.name: a.line for a in spec.asks}
    for (ask_name, way), found in rejected.items():
        if len(found) <= limit:
            continue
        message = (
            f"exercise `{spec.id}`: an answer to `{ask_name}` worked {way} (rounded as shown) "
            f"is rejected at seed {found[0]} ({len(found)} of {seeds} seeds; at least "
            f"{MIN_DISPLAY_PASS:.0%} must pass); loosen the tolerance or draw values whose "
            "rounding matters less"
        )
        findings.append(
            Finding(
                DISPLAY, ask_name, found[0], way, len(found), seeds, message, lines.get(ask_name)
            )
        )
    return findings
