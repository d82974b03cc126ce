"""Review histories drawn from the FSRS-6 model itself, vectorised with NumPy.

Method (documented in RESULTS.md too): every reviewed card gets a number of reviews
(1 + a multinomial share of the total, weighted by a Gamma(2) draw, so the counts add up
exactly to the requested number of logs). The first answer is Again/Hard/Good/Easy with
probabilities 0.10/0.10/0.70/0.10 and sets FSRS-6's initial stability and difficulty.
Every later review happens after the interval FSRS schedules for 90 % retention (capped
at a year; Again: one day, the relearning step), stretched by a log-normal delay (sigma
0.2, whole days, at least one). The learner recalls the card with the probability given by
FSRS-6's forgetting curve ``R = (1 + factor * t / S) ** decay`` at that moment, answering
Again when not, and Hard/Good/Easy with 0.15/0.75/0.10 when so. Stability and difficulty
then follow py-fsrs's update rules with its default parameters (checked equal to py-fsrs's
``review_card``). Same-day (short-term) steps are not simulated: a history is a sequence
of day-spaced reviews, which is what the store and the optimiser see of a mature
collection.

All arrays are per card; the loop runs over review number, so 100,000 cards with 1,000,000
reviews take well under a second.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from fsrs.scheduler import DEFAULT_PARAMETERS
from numpy.typing import NDArray

W = np.asarray(DEFAULT_PARAMETERS, dtype=np.float64)
DECAY = -W[20]
FACTOR = 0.9 ** (1 / DECAY) - 1
RETENTION = 0.9
STABILITY_MIN = 0.001
#: Longest simulated interval. FSRS's default (100 years) lets the longest histories reach
#: back decades; a one-year cap (a common user setting) keeps timelines within a few years.
MAX_INTERVAL = 365.0

FIRST_RATING_P = (0.10, 0.10, 0.70, 0.10)
PASS_RATING_P = (0.15, 0.75, 0.10)  # Hard, Good, Easy when recalled

_FLOAT_COLUMNS = frozenset({"day", "s_before", "d_before", "s_after", "d_after", "next_interval"})

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]


def retrievability(elapsed_days: Floats, stability: Floats) -> Floats:
    """FSRS-6's forgetting curve."""
    result: Floats = (1 + FACTOR * elapsed_days / stability) ** DECAY
    return result


def interval_days(stability: Floats) -> Floats:
    """The whole-day interval FSRS schedules for 90 % retention (at least one day)."""
    raw = stability / FACTOR * (RETENTION ** (1 / DECAY) - 1)
    result: Floats = np.clip(np.round(raw), 1, MAX_INTERVAL)
    return result


def initial_difficulty(rating: Ints | Floats) -> Floats:
    """D0(G), unclamped."""
    result: Floats = W[4] - np.exp(W[5] * (rating - 1)) + 1
    return result


def next_difficulty(difficulty: Floats, rating: Ints) -> Floats:
    """Linear damping then mean reversion towards D0(Easy), clamped to [1, 10]."""
    delta = -(W[6] * (rating - 3))
    damped = difficulty + (10.0 - difficulty) * delta / 9.0
    reverted = W[7] * initial_difficulty(np.asarray(4.0)) + (1 - W[7]) * damped
    result: Floats = np.clip(reverted, 1.0, 10.0)
    return result


def next_stability(stability: Floats, difficulty: Floats, recall: Floats, rating: Ints) -> Floats:
    """Recall stability for Hard/Good/Easy, forget stability for Again (py-fsrs's rules)."""
    hard = np.where(rating == 2, W[15], 1.0)
    easy = np.where(rating == 4, W[16], 1.0)
    recalled = stability * (
        1
        + np.exp(W[8])
        * (11 - difficulty)
        * stability ** -W[9]
        * (np.exp((1 - recall) * W[10]) - 1)
        * hard
        * easy
    )
    forgot = np.minimum(
        W[11]
        * difficulty ** -W[12]
        * ((stability + 1) ** W[13] - 1)
        * np.exp((1 - recall) * W[14]),
        stability / np.exp(W[17] * W[18]),
    )
    result: Floats = np.maximum(np.where(rating == 1, forgot, recalled), STABILITY_MIN)
    return result


@dataclass(frozen=True)
class Histories:
    """Simulated reviews, flattened in (card, time) order, plus every card's final state.

    Times are in days from each card's own first review; ``bench.history_db`` places each
    timeline on the calendar. ``*_before``/``*_after`` are the memory states around each
    review (stability/difficulty NaN before a card's first review).
    """

    card: Ints
    day: Floats
    rating: Ints
    reps_before: Ints
    lapses_before: Ints
    state_before: Ints
    s_before: Floats
    d_before: Floats
    state_after: Ints
    s_after: Floats
    d_after: Floats
    lapses_after: Ints
    next_interval: Floats
    """Days from this review to the next scheduled one (relearning: 10 minutes)."""


def review_counts(cards: int, logs: int, rng: np.random.Generator) -> Ints:
    """How many reviews each card gets: at least one each, ``logs`` in total."""
    if logs < cards:
        raise ValueError(f"{logs} logs cannot give each of {cards} cards a review")
    weights = rng.gamma(2.0, size=cards)
    counts: Ints = 1 + rng.multinomial(logs - cards, weights / weights.sum()).astype(np.int64)
    return counts


def simulate(counts: Ints, rng: np.random.Generator) -> Histories:
    """Simulate ``counts[i]`` day-spaced reviews of card ``i`` under FSRS-6."""
    n = len(counts)
    total = int(counts.sum())
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
    out_card = np.repeat(np.arange(n, dtype=np.int64), counts)
    cols: dict[str, NDArray[np.generic]] = {
        name: np.zeros(total, dtype=np.float64 if name in _FLOAT_COLUMNS else np.int64)
        for name in (
            "day",
            "rating",
            "reps_before",
            "lapses_before",
            "state_before",
            "s_before",
            "d_before",
            "state_after",
            "s_after",
            "d_after",
            "lapses_after",
            "next_interval",
        )
    }
    stability = np.full(n, np.nan)
    difficulty = np.full(n, np.nan)
    state = np.ones(n, dtype=np.int64)  # learning (new)
    lapses = np.zeros(n, dtype=np.int64)
    day = np.zeros(n)
    wait = np.zeros(n)  # scheduled days until the next review
    for k in range(int(counts.max())):
        live = np.nonzero(counts > k)[0]
        at = offsets[live] + k
        s, d = stability[live], difficulty[live]
        if k == 0:
            rating = rng.choice(4, size=len(live), p=FIRST_RATING_P).astype(np.int64) + 1
            elapsed = np.zeros(len(live))
            new_s = W[rating - 1]
            new_d = np.clip(initial_difficulty(rating), 1.0, 10.0)
            new_lapses = lapses[live]
        else:
            delay = np.exp(rng.normal(0.0, 0.2, size=len(live)))
            elapsed = np.maximum(np.round(wait[live] * delay), 1.0)
            recall = retrievability(elapsed, s)
            passed = rng.random(len(live)) < recall
            passing = rng.choice(3, size=len(live), p=PASS_RATING_P).astype(np.int64) + 2
            rating = np.where(passed, passing, 1)
            new_s = next_stability(s, d, recall, rating)
            new_d = next_difficulty(d, rating)
            new_lapses = lapses[live] + ((rating == 1) & (state[live] == 2))
        day[live] = day[live] + elapsed
        cols["day"][at] = day[live]
        cols["rating"][at] = rating
        cols["reps_before"][at] = k
        cols["lapses_before"][at] = lapses[live]
        cols["state_before"][at] = state[live]
        cols["s_before"][at] = s
        cols["d_before"][at] = d
        new_state = np.where(rating == 1, 3, 2)
        cols["state_after"][at] = new_state
        cols["s_after"][at] = new_s
        cols["d_after"][at] = new_d
        cols["lapses_after"][at] = new_lapses
        scheduled = np.where(rating == 1, 1.0, interval_days(new_s))
        cols["next_interval"][at] = np.where(rating == 1, 10 / 1440, scheduled)
        stability[live], difficulty[live] = new_s, new_d
        state[live], lapses[live], wait[live] = new_state, new_lapses, scheduled
    return Histories(card=out_card, **cols)  # type: ignore[arg-type]
