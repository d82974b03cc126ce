"""The store's interface: one protocol per repository, as the services call them.

``Database`` hands these out (``db.cards``, ``db.queue``, ``db.answers``…), each backed
by the open database's backend (``quizapp.store.sqlite`` today). Services and front ends
see only these protocols and the values of ``records.py``: they never import SQLAlchemy,
build a query or construct a repository, so a second backend is a second package of
repositories, not a branch in every service.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from quizapp.cards.model import Card
    from quizapp.exercises import ExerciseAttempt
    from quizapp.scheduling.filters import StudyFilter
    from quizapp.scheduling.memory import MemoryState
    from quizapp.scheduling.queue import DayWindow, QueueKind
    from quizapp.scheduling.settings import Settings
    from quizapp.store.checkup import Checkup, LogEntry, Repairs
    from quizapp.store.db import Database
    from quizapp.store.records import (
        BackupInfo,
        BuriedSibling,
        CardFilter,
        CardPage,
        DueByGroup,
        DueCounts,
        FileOutcome,
        HistoryWrite,
        QueuedCard,
        ReviewRecord,
        SourceFileInfo,
        StatsAggregates,
        StoredCard,
        StoredCardKey,
        StoredHistory,
        TagCount,
        TodayCounts,
        UnimportedFile,
    )


class CardStore(Protocol):
    """The stored cards: one by id, filtered lists and pages, tags and decks."""

    def get(self, uid: str) -> StoredCard | None:
        """The card with this id (exact, then case-insensitive), missing or not."""
        ...

    def get_by_pk(self, pk: int) -> StoredCard | None:
        """The card with this integer key."""
        ...

    def find(self, card_filter: CardFilter | None = None) -> list[StoredCard]:
        """The cards matching ``card_filter``, by deck and then id."""
        ...

    def page(
        self,
        card_filter: CardFilter | None = None,
        *,
        order: str = "title",
        descending: bool = False,
        limit: int = 50,
        offset: int = 0,
    ) -> CardPage:
        """Cards ``offset`` to ``offset + limit`` of the filtered list sorted by ``order``."""
        ...

    def ids(self, card_filter: CardFilter | None = None) -> list[int]:
        """The keys of every card matching ``card_filter`` (one indexed read, no content),
        for acting on a whole filtered set ("study these")."""
        ...

    def count(self, *, include_missing: bool = False) -> int:
        """How many cards are stored."""
        ...

    def tag_counts(self) -> list[TagCount]:
        """Every tag with the number of present cards carrying it, most used first."""
        ...

    def deck_names(self) -> list[str]:
        """Names of decks that hold at least one present card."""
        ...


class QueueStore(Protocol):
    """The study queue: which cards are due, in what order, and how many."""

    def candidates(
        self,
        kind: QueueKind,
        study_filter: StudyFilter,
        now: datetime,
        window: DayWindow,
        *,
        limit: int,
        exclude: Sequence[int] = (),
        until: datetime | None = None,
    ) -> list[QueuedCard]:
        """Up to ``limit`` available cards of one queue kind, in the order they are due."""
        ...

    def interview_candidates(
        self,
        study_filter: StudyFilter,
        now: datetime,
        window: DayWindow,
        interview_at: datetime,
        threshold: float,
        *,
        limit: int,
    ) -> list[int]:
        """Review cards not due today whose recall at ``interview_at`` falls below target."""
        ...

    def queued_card(self, pk: int, kind: QueueKind) -> QueuedCard:
        """One card by id with its current state, as a queue entry of ``kind``."""
        ...

    def available_card(self, pk: int, kind: QueueKind, now: datetime) -> QueuedCard | None:
        """One card with its current state, or None if it is gone, suspended or buried."""
        ...

    def cram_cards(self, study_filter: StudyFilter, now: datetime) -> list[QueuedCard]:
        """Every available card matching the filter, for a cram session (schedule ignored)."""
        ...

    def matching_ids(self, study_filter: StudyFilter, now: datetime) -> list[int]:
        """Ids of the available cards a filter selects, in id order."""
        ...

    def filter_counts(self, study_filter: StudyFilter, now: datetime) -> tuple[int, int]:
        """(present, available): the cards a filter selects, and those of them that may
        be shown now (not suspended, not buried), in one pass over the filter's cards."""
        ...

    def today_counts(self, window: DayWindow) -> TodayCounts:
        """Answers given in the study day ``window``, split as the daily limits count them."""
        ...

    def due_counts(self, study_filter: StudyFilter, now: datetime, window: DayWindow) -> DueCounts:
        """How many learning, review and new cards the filtered queue holds (no limits)."""
        ...

    def next_due(self, now: datetime) -> datetime | None:
        """When the next answered card falls due (``now`` if one already is), leaving out
        suspended and missing cards; None when no card was ever answered. One indexed
        read, for a session summary's "next card due"."""
        ...


class AnswerStore(Protocol):
    """Answers and their undo, cram answers, suspend, bury, reset, and the review log."""

    def record_answer(
        self,
        pk: int,
        before: MemoryState,
        after: MemoryState,
        rating: int,
        reviewed_at: datetime,
        duration_ms: int,
    ) -> int:
        """Store one answer: the card's new state and its review log, in one transaction."""
        ...

    def record_answer_burying(
        self,
        pk: int,
        before: MemoryState,
        after: MemoryState,
        rating: int,
        reviewed_at: datetime,
        duration_ms: int,
        *,
        until: datetime,
        buries: Callable[[MemoryState, datetime], bool],
    ) -> tuple[int, tuple[BuriedSibling, ...]]:
        """``record_answer``, and in the same transaction bury until ``until`` the card's
        siblings that ``buries`` picks (``sibling_repo.bury_siblings_on``): the review log's
        id and the siblings buried, for undo. One transaction, so an answer never stands
        without its burial; a card without a note costs one indexed read more."""
        ...

    def undo_answer(self, log_id: int) -> ReviewRecord:
        """Reverse one answer exactly: restore the state before it and delete its log."""
        ...

    def record_practice(self, pk: int, rating: int, reviewed_at: datetime, duration_ms: int) -> int:
        """Store one cram answer in ``practice_logs`` only; the schedule is not touched."""
        ...

    def undo_practice(self, log_id: int) -> None:
        """Delete one cram answer."""
        ...

    def reviews_of(self, pk: int) -> list[ReviewRecord]:
        """A card's review log, oldest first."""
        ...

    def memory(self, pk: int) -> MemoryState:
        """A card's current stored state."""
        ...

    def set_suspended(self, pks: Iterable[int], suspended: bool) -> int:
        """Suspend (or unsuspend) cards; returns how many exist."""
        ...

    def reset_cards(self, pks: Iterable[int], now: datetime) -> int:
        """Make cards new again (queued after the other new cards, from ``now``), keeping
        their review history; returns how many were reset. The logs stay, so statistics,
        retention and parameter fitting still see every past answer."""
        ...

    def bury(self, pks: Iterable[int], until: datetime | None) -> int:
        """Hide cards until ``until`` (the next day rollover); None unburies them."""
        ...

    def review_history(self) -> dict[int, list[tuple[datetime, int]]]:
        """Every card's answers as (time, rating), oldest first, keyed by card id."""
        ...


class SettingsStore(Protocol):
    """The stored settings."""

    def load_settings(self) -> Settings:
        """The stored settings (defaults for anything never set)."""
        ...

    def save_settings(self, settings: Settings, keys: Iterable[str] | None = None) -> None:
        """Store ``settings`` (only ``keys`` when given) in one transaction."""
        ...


class SiblingStore(Protocol):
    """The cards of one note, buried and unburied together."""

    def sibling_ids(self, pk: int) -> list[int]:
        """The keys of the other present cards of ``pk``'s note, in key order."""
        ...

    def bury_siblings(
        self, pk: int, until: datetime, buries: Callable[[MemoryState, datetime], bool]
    ) -> tuple[BuriedSibling, ...]:
        """:func:`bury_siblings_on` in a transaction of its own (answers use
        ``AnswerRepository.record_answer_burying``, which buries in the answer's)."""
        ...

    def unbury(self, buried: Sequence[BuriedSibling], until: datetime) -> int:
        """Undo ``bury_siblings``: each sibling still buried until ``until`` gets back the
        burial it had before; one buried or unburied since is left alone. Returns how
        many were put back."""
        ...


class ExportStore(Protocol):
    """What an export reads: whole cards and their review logs."""

    def cards(self, card_filter: CardFilter | None = None) -> list[StoredCard]:
        """The cards ``card_filter`` picks (missing ones left out unless it says
        otherwise), by deck and id, with their tags, memory state, suspension and last
        edit. Each ``Card`` holds what an export writes: title, question, steps, tags,
        difficulty, deck, exercises, kind, note and extras."""
        ...

    def reviews(self, card_filter: CardFilter | None = None) -> dict[int, list[ReviewRecord]]:
        """The review log of every card ``card_filter`` picks, by card pk, oldest first."""
        ...


class StatsStore(Protocol):
    """The raw figures statistics and the home screen's group counts are made from."""

    def aggregates(
        self, *, now: datetime, window: DayWindow, interview_at: datetime | None
    ) -> StatsAggregates:
        """Every aggregate ``quizapp stats`` needs, read in one transaction."""
        ...

    def due_by_group(self, now: datetime, window: DayWindow) -> DueByGroup:
        """Every deck's, tag's and difficulty's due counts, in one read."""
        ...


class ExerciseStore(Protocol):
    """Exercise attempts."""

    def record_attempt(self, card_pk: int | None, attempt: ExerciseAttempt) -> int:
        """Store ``attempt`` for the card ``card_pk`` (None: a card-less exercise)."""
        ...

    def attempts_for(self, card_pk: int) -> list[ExerciseAttempt]:
        """Every stored attempt for the card ``card_pk``, newest first."""
        ...


class HistoryStore(Protocol):
    """The review histories cards bring from another app (an Anki import)."""

    def load_histories(self, pks: Iterable[int]) -> dict[int, StoredHistory]:
        """The stored review and practice logs of these cards, by card key."""
        ...


class UnimportedStore(Protocol):
    """The files an import read that gave no cards, and why (so a rescan reports them)."""

    def load_unimported(self) -> dict[str, UnimportedFile]:
        """Every remembered file, by its absolute path, in one read."""
        ...

    def save_unimported(
        self, remember: Sequence[UnimportedFile], forget: Iterable[str], now: datetime
    ) -> None:
        """Record (or replace) ``remember`` and drop the records of the ``forget`` paths."""
        ...


class MaintenanceStore(Protocol):
    """Backups, and the doctor's checkup and repairs."""

    def backup_now(self, *, now: datetime | None = None, keep_all: bool = False) -> BackupInfo:
        """Make a backup now, prune old ones (unless ``keep_all``), and return the new one."""
        ...

    def check(self) -> Checkup:
        """Every row quizapp cannot use, and the database's own integrity verdict."""
        ...

    def rebuild_inputs(
        self, pks: Iterable[int]
    ) -> dict[int, tuple[datetime | None, list[LogEntry]]]:
        """For each card that exists: when it was created and its review log, oldest first."""
        ...

    def repair(self, repairs: Repairs, now: datetime) -> list[str]:
        """Write ``repairs`` in one transaction; one line per repair made."""
        ...


class ImportStore(Protocol):
    """One import run's writer: what is stored, loaded once, and the writes of each batch."""

    cards: dict[str, StoredCardKey]
    """The stored cards by id, as the import decides what to do with each."""
    sources: dict[str, SourceFileInfo]
    """What the last import saw of each file, by path."""
    changed: bool
    """True once a write stored a new or changed card (related links need resolving)."""
    database: Database
    """The database written to."""

    def uids_from(self, source_path: str) -> list[str]:
        """The uids of the present (not missing) cards last imported from a file."""
        ...

    def uids_by_source(self) -> dict[str, list[str]]:
        """Present cards grouped by the file they came from."""
        ...

    def classify(self, card: Card, source_path: str) -> str:
        """ "new", "updated" or "unchanged": what ``write_file`` would do with this card."""
        ...

    def touch_sources(self, infos: Sequence[SourceFileInfo], now: datetime) -> None:
        """Record new sizes/mtimes for files whose content did not change, in one
        transaction."""
        ...

    def write_file(self, info: SourceFileInfo, cards: Sequence[Card], now: datetime) -> FileOutcome:
        """Store every card of one file in one transaction; mark its vanished cards missing."""
        ...

    def write_files(
        self,
        files: Sequence[tuple[SourceFileInfo, Sequence[Card]]],
        now: datetime,
        starting: Mapping[str, MemoryState] | None = None,
        histories: HistoryWrite | None = None,
    ) -> list[FileOutcome]:
        """Store several files in one transaction with a few bulk statements."""
        ...

    def mark_files_missing(self, paths: Iterable[str]) -> list[str]:
        """Mark every card of these (vanished) files missing and forget the files."""
        ...

    def resolve_related(self) -> int:
        """Point every related question at the card whose file name, alias, title or id
        it names (or, failing those, whose question it quotes)."""
        ...
