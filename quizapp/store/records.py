"""Plain dataclasses that cross the store's edge.

The store converts ORM rows into these before returning; services, the CLI and the TUI
only ever see these (and ``quizapp.cards.model.Card``). They are frozen so a screen can
hold one without worrying that a query elsewhere changes it underneath.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from quizapp.cards.model import Card, CardKind
from quizapp.scheduling.memory import MemoryState

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from quizapp.scheduling.queue import QueueKind
    from quizapp.scheduling.stats import CardColumns


@dataclass(frozen=True)
class RelatedLink:
    """A related question: its text, and the card it points at when one matched."""

    text: str
    target_uid: str | None = None
    target_title: str | None = None


@dataclass(frozen=True)
class StoredCard:
    """A card as stored: its parsed content plus everything the database adds.

    ``pk`` is the integer id handed to FSRS; ``card.id`` is the user-visible stable id.
    """

    pk: int
    card: Card
    memory: MemoryState
    related_links: tuple[RelatedLink, ...] = ()
    suspended: bool = False
    buried_until: datetime | None = None
    missing: bool = False
    source_path: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def kind(self) -> CardKind:
        """How the card is asked (basic, cloze, reversed, question_only)."""
        return self.card.kind

    @property
    def note(self) -> str:
        """The card's sibling group, empty for a card alone."""
        return self.card.note


@dataclass(frozen=True)
class ReviewRecord:
    """One stored review-log entry, with the memory state before and after it."""

    id: int
    card_pk: int
    rating: int
    reviewed_at: datetime
    duration_ms: int
    before: MemoryState
    after: MemoryState


@dataclass(frozen=True)
class ImportedReview:
    """One answer a card brings from another app, as it is stored: its time, rating and
    duration, and the memory states before and after it (``review_logs``)."""

    reviewed_at: datetime
    rating: int
    duration_ms: int
    before: MemoryState
    after: MemoryState


@dataclass(frozen=True)
class ImportedPractice:
    """One answer given while cramming in another app, which never touched the schedule:
    stored as a practice log."""

    reviewed_at: datetime
    rating: int
    duration_ms: int


@dataclass(frozen=True)
class ImportedCard:
    """A card brought from another app with its progress (issue 15).

    ``memory`` is the state it is stored with, None for a card never answered (a new
    card's state). ``reviews`` is its whole review history in time order, the answers
    already stored included (merged by the importer), and replaces what is stored when
    ``history_changed``; ``practice`` holds the cram answers not yet stored. A card new to
    the database is stored ``suspended`` as the other app had it.
    """

    card: Card
    memory: MemoryState | None
    reviews: tuple[ImportedReview, ...] = ()
    practice: tuple[ImportedPractice, ...] = ()
    suspended: bool = False
    history_changed: bool = True
    stored_reviews: Sequence[StoredReview] | None = None
    """The history in stored form instead of ``reviews``, for an importer that makes it
    so (100,000 answers cost less as text than as states): see :data:`StoredReview`."""


#: One answer in stored form: rating, time (aware), that time's ``isoformat()``, duration,
#: and the states before and after it as ``review_logs`` keeps them (the JSON text of
#: ``MemoryState.to_dict``, as ``store/state_text.py`` makes it).
StoredReview = tuple[int, datetime, str, int, str, str]


@dataclass(frozen=True)
class CardCondition:
    """One search term as SQL can test it (the browse query language's terms).

    ``tag``, ``deck`` and ``id`` match case-insensitively, a value also matching what lies
    under it (``ml`` matches ``ml/optim``) and ``*`` being a wildcard. ``difficulty`` is
    one label; ``state`` one of ``CONDITION_STATES`` (due, buried at the filter's
    ``now``); ``kind`` a ``CardKind`` value (cloze, reversed, ...); ``text`` a substring
    of the title, question, id, a tag, a step or the card in another language,
    case-insensitive in every script (``cards/textfold.py``). ``negated`` keeps the cards
    that fail it.
    """

    field: str
    value: str
    negated: bool = False


@dataclass(frozen=True)
class CardFilter:
    """Which cards to list. Empty fields do not filter.

    ``tags``: a card must carry every tag given (case-insensitive; ``ml`` also matches
    ``ml/optimisation``). ``difficulties``: any of them. ``kinds``: any of these
    ``CardKind`` values. ``deck``: that deck or a sub-deck.
    ``due_before``: cards due at or before that time that are neither suspended nor
    buried. Missing cards (their file is gone) are left out unless ``include_missing``.
    ``conditions`` must all hold, tested at ``now`` (required by ``state`` conditions on
    due or buried).
    """

    tags: tuple[str, ...] = ()
    difficulties: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    deck: str | None = None
    due_before: datetime | None = None
    include_missing: bool = False
    conditions: tuple[CardCondition, ...] = ()
    now: datetime | None = None


@dataclass(frozen=True)
class CardPage:
    """One page of a filtered, sorted card list, and how many cards match in all."""

    total: int
    cards: list[StoredCard]


@dataclass(frozen=True)
class TagCount:
    """A tag as first written, and how many present cards carry it."""

    name: str
    count: int


@dataclass(frozen=True)
class QueuedCard:
    """A card picked for study: enough to show its title and to answer it safely.

    ``memory`` is the state as read; the answer is applied only if it is still current.
    """

    pk: int
    uid: str
    title: str
    source: str
    kind: QueueKind
    memory: MemoryState


@dataclass(frozen=True)
class TodayCounts:
    """Answers already given in the current study day, as the daily limits count them."""

    new: int
    reviews: int
    learning: int


@dataclass(frozen=True)
class DueCounts:
    """How many cards of each kind a filtered queue holds right now (before limits)."""

    learning: int
    review: int
    new: int


@dataclass(frozen=True)
class GroupDue:
    """One deck, tag or difficulty: its present cards, and its due cards by kind.

    ``cards`` counts cards whose file is present (suspended ones included); ``due``
    counts as ``QueueRepository.due_counts`` does for the matching filter (before the
    daily limits).
    """

    name: str
    cards: int
    due: DueCounts


@dataclass(frozen=True)
class DueByGroup:
    """Due counts of every deck (sub-decks counted in their parents), tag and difficulty."""

    decks: tuple[GroupDue, ...]
    tags: tuple[GroupDue, ...]
    difficulties: tuple[GroupDue, ...]


@dataclass(frozen=True)
class SourceFileInfo:
    """What the importer saw of a file: enough to skip it next time without reading it.

    ``root`` is the absolute import root its card ids and deck were made relative to, so a
    later import that names the file alone (or a subfolder) can use the same root; None
    when it is not known.
    """

    path: str
    size: int
    mtime_ns: int
    sha256: str
    root: str | None = None


@dataclass(frozen=True)
class FileOutcome:
    """How the cards of one file were written."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class BuriedSibling:
    """A sibling that answering a card buried, and when it was buried until before
    (None: it was not), so that undoing the answer can put it back."""

    pk: int
    previous: datetime | None


#: One remembered problem: severity ("error" or "warning"), line, message.
StoredProblem = tuple[str, int, str]


@dataclass(frozen=True, slots=True)
class UnimportedFile:
    """What one file gave the last time it was read: no cards, and why.

    ``failed`` tells a card file with errors from a file that is no card file (skipped);
    ``problems`` are every error and warning it was reported with, or for a skipped file
    the reason it was skipped. ``reader`` fingerprints what decided (see the importer): a
    record made by another reader is not trusted.
    """

    path: str
    size: int
    mtime_ns: int
    sha256: str
    reader: str
    failed: bool
    problems: tuple[StoredProblem, ...]


@dataclass(frozen=True)
class StatsAggregates:
    """The raw counts statistics are computed from.

    ``days`` maps a study day (ISO date) to ``[answers, review-state answers, of those
    passed, again, hard, good, easy]``, for every day with answers in the last
    ``DAYS_KEPT`` days; ``older`` sums the same totals over every earlier day (only the
    rating counts need them). ``columns`` holds every present card's facts as arrays,
    ``tags`` and ``difficulties`` the card ids of each group, and ``recall_answers`` the
    latest review-state answers for calibration: raw figures, which
    ``scheduling.stats.summarise`` (called by ``services.stats``) turns into states,
    forecasts and recalls. A day is taken as exactly 24 hours from today's rollover, so a
    daylight-saving change may move answers given within an hour of the rollover to the
    neighbouring day.
    """

    days: dict[str, list[int]]
    older: list[int]
    columns: CardColumns
    tags: list[tuple[str, NDArray[np.int64]]]
    difficulties: list[tuple[str, NDArray[np.int64]]]
    recall_answers: RecallAnswers


@dataclass(frozen=True)
class RecallAnswers:
    """The latest review-state answers as the card stood before each (calibration's input).

    Parallel arrays: the stability before the answer, whole days since the card's
    previous review, and whether the answer passed (not "again").
    """

    stability: NDArray[np.float64]
    elapsed: NDArray[np.int64]
    passed: NDArray[np.bool_]


@dataclass(frozen=True)
class BackupInfo:
    """One backup file: where it is, when it was made, and how big it is."""

    path: Path
    created_at: datetime
    size: int


@dataclass(frozen=True)
class FileStamp:
    """What the store records of a source file besides its path and hash: its size and
    mtime (a starter database is moved to a deck's files with them)."""

    size: int
    mtime_ns: int


@dataclass
class StoredCardKey:
    """What the importer needs to know about a stored card to decide what to do with it."""

    pk: int
    source_path: str
    content_hash: str
    line: int
    missing: bool


@dataclass
class StoredHistory:
    """A card's stored answers: its review logs in time order and its practice answers
    as (epoch milliseconds, rating)."""

    reviews: list[ReviewRecord] = field(default_factory=list)
    practice: set[tuple[int, int]] = field(default_factory=set)


@dataclass(frozen=True)
class HistoryWrite:
    """The review histories an Anki import stores with its cards, in the same transaction.

    ``cards`` are the imported cards (those with ``history_changed`` are written),
    ``owned`` the keys of stored cards whose files stay the authority (only their history
    is merged), ``read_counts`` how many review logs each stored card had when its
    history was read (a different count now means it was reviewed meanwhile, and the
    import is refused), ``new_uids`` the cards stored for the first time.
    """

    cards: Sequence[ImportedCard]
    owned: Mapping[str, int]
    read_counts: Mapping[int, int]
    new_uids: set[str]
    now: datetime
