"""Writing imported cards: one transaction per file, Core bulk statements, cached look-ups.

Importing 10,000 files must cost little more than parsing them, so this module avoids the
per-row ORM: it loads what it needs to decide (cards by uid, tags, decks, source files)
once, writes each file with a handful of bulk statements in its own transaction, and
updates its caches only after that transaction commits, so a failed file leaves no trace
in the database or in memory.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import (
    Connection,
    Table,
    Text,
    bindparam,
    cast,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from quizapp.cards.model import Card
from quizapp.scheduling.memory import MemoryState
from quizapp.store.card_rows import FILE_COLUMNS, card_values, file_row, link_key, tag_key
from quizapp.store.db import Database
from quizapp.store.errors import DatabaseBusy, WriteFailed
from quizapp.store.records import FileOutcome, HistoryWrite, SourceFileInfo, StoredCardKey
from quizapp.store.sqlite.time_text import sqlite_time_text
from quizapp.store.tables import (
    CARD_STATES,
    CARD_TAGS,
    CARDS,
    DECKS,
    RELATED,
    SOURCE_FILES,
    TAGS,
    UTCDateTime,
)

if TYPE_CHECKING:
    from quizapp.store.sqlite.history_repo import HistoryWriter

T = TypeVar("T")

#: Where a :func:`file_row` holds the card's file name (``link_name``).
_LINK_NAME = FILE_COLUMNS.index("link_name")
#: ``_upsert_sources``, SQLite's: the files' records, a known root kept when none is given.
_UPSERT_SOURCES = (
    "INSERT INTO source_files (path, size, mtime_ns, sha256, imported_at, root)"
    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET size = excluded.size,"
    " mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256,"
    " imported_at = excluded.imported_at, root = COALESCE(excluded.root, source_files.root)"
)
#: The columns every new card starts with the same values in (see ``_insert_new_cards``).
_NEW_CARD_START = ("created_at", "updated_at", "suspended", "missing")


@dataclass
class _Pending:
    """Cache updates that take effect only once the file's transaction commits."""

    cards: dict[str, StoredCardKey] = field(default_factory=dict)
    tags: dict[str, int] = field(default_factory=dict)
    decks: dict[str, int] = field(default_factory=dict)
    sources: list[SourceFileInfo] = field(default_factory=list)
    named: list[tuple[int, Card, str]] = field(default_factory=list)
    """New cards stored by the transaction: key, card, file name (for ``_names``)."""


class ImportWriter:
    """Writes parsed files into the database for one import run.

    Open with ``ImportWriter.load(db)``: it reads every card key, tag, deck and source-file
    record once. Each ``write_file`` call is one transaction.
    """

    def __init__(
        self,
        database: Database,
        cards: dict[str, StoredCardKey],
        tags: dict[str, int],
        decks: dict[str, int],
        sources: dict[str, SourceFileInfo],
    ) -> None:
        self.database = database
        self.cards = cards
        self.tags = tags
        self.decks = decks
        self.sources = sources
        self.changed = False
        self.renamed: dict[str, str] = {}
        """Stored uids that are not in NFKC form, by the NFKC form their cards are cached
        under (see :func:`_by_identity`): the card that next comes with that id takes the
        row over, uid and all."""
        self._alone_since: object = None
        """:meth:`_change_mark` as this writer last left the database, while nobody else is
        known to have written since :meth:`load` (its caches are then whole, and a write
        need not read its batch's rows again); None once someone has, or when the backend
        cannot tell."""
        self._linked = False
        """Whether this writer has written a card with related questions. Until it has, the
        names of the cards it stores are not folded into :attr:`_names` (they wait in
        :attr:`_unnamed`): a run without links (an Anki package) folds nothing."""
        self._names: tuple[dict[str, int], ...] | None = (
            tuple({} for _kind in range(_NAME_KINDS)) if not cards else None
        )
        """The link keys of the names of the cards this writer stored, one dict per kind
        of name in the order :meth:`resolve_related` tries them (file name, alias, title,
        id, question), each key giving the card stored first: while it holds every card
        there is, :meth:`resolve_related` looks links up here instead of reading every
        card again after the last file. None when it would not: the database held cards
        when the writer loaded, or a card stored was then changed or marked missing."""
        self._unnamed: list[tuple[int, Card, str]] = []
        """Cards stored before the first link, whose names wait to be folded (see
        :attr:`_linked`)."""
        self._by_source: dict[str, set[str]] = {}
        for uid, key in cards.items():
            self._by_source.setdefault(key.source_path, set()).add(uid)

    @classmethod
    def load(cls, database: Database) -> ImportWriter:
        """Read what the import needs to decide, in one short read transaction."""
        # Rows are unpacked as tuples: a rescan of 10,000 files reads 20,000 of them.
        with database.begin() as conn:
            # Unordered, so that SQLite reads the index holding these columns
            # (``ix_cards_source_keys``) and not every card's row; sorted here by key,
            # the order the cards were stored in, which the caches keep.
            rows = list(
                conn.execute(
                    select(
                        CARDS.c.id,
                        CARDS.c.uid,
                        CARDS.c.source_path,
                        CARDS.c.content_hash,
                        CARDS.c.line,
                        CARDS.c.missing,
                    )
                ).all()  # one fetchall, not a fetch per row
            )
            rows.sort(key=itemgetter(0))
            cards, renamed = _by_identity(
                (uid, StoredCardKey(pk, source_path, content_hash, line, missing))
                for pk, uid, source_path, content_hash, line, missing in rows
            )
            mark = cls._change_mark(conn)
            tags = {key: pk for key, pk in conn.execute(select(TAGS.c.key, TAGS.c.id))}
            decks = {name: pk for name, pk in conn.execute(select(DECKS.c.name, DECKS.c.id))}
            sources = {
                path: SourceFileInfo(path, size, mtime_ns, sha256, root)
                for path, size, mtime_ns, sha256, root in conn.execute(
                    select(
                        SOURCE_FILES.c.path,
                        SOURCE_FILES.c.size,
                        SOURCE_FILES.c.mtime_ns,
                        SOURCE_FILES.c.sha256,
                        SOURCE_FILES.c.root,
                    )
                ).all()
            }
        writer = cls(database, cards, tags, decks, sources)
        writer.renamed = renamed
        writer._alone_since = mark
        return writer

    def uids_from(self, source_path: str) -> list[str]:
        """The uids of the present (not missing) cards last imported from a file."""
        return sorted(
            uid for uid in self._by_source.get(source_path, ()) if not self.cards[uid].missing
        )

    def uids_by_source(self) -> dict[str, list[str]]:
        """Present cards grouped by the file they came from."""
        grouped: dict[str, list[str]] = {}
        for uid, key in self.cards.items():
            if not key.missing:
                grouped.setdefault(key.source_path, []).append(uid)
        return grouped

    def classify(self, card: Card, source_path: str) -> str:
        """ "new", "updated" or "unchanged": what ``write_file`` would do with this card."""
        key = self.cards.get(card.id)
        if key is None:
            return "new"
        if (
            card.id not in self.renamed
            and key.content_hash == card.content_hash
            and key.source_path == source_path
            and not key.missing
        ):
            return "unchanged"
        return "updated"

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        """A write transaction; ``DatabaseBusy`` when the write lock is not had in time,
        ``WriteFailed`` when the database refuses the write (rolled back either way).

        SQLite waits up to the busy timeout for another writer and then fails with
        "database is locked". That is not a fault of the file being written, so it must
        not be retried file by file (each retry would wait the timeout again): the import
        stops at once with one line that says what to do.
        """
        try:
            with self.database.begin(write=True) as conn:
                self._lock_for_writing(conn)
                if self._alone_since is not None and self._change_mark(conn) != self._alone_since:
                    self._alone_since = None  # for good: a refresh reads only its batch's rows
                yield conn
                if self._alone_since is not None:
                    self._alone_since = self._change_mark(conn)
        except SQLAlchemyError as exc:
            if self._is_busy(exc):
                raise DatabaseBusy(self._where()) from None
            raise WriteFailed(_first_line(exc)) from exc

    # --- what differs between backends (``store/postgres/import_repo.py`` overrides) ----

    def _lock_for_writing(self, conn: Connection) -> None:
        """Exclude other importers for the rest of the transaction. On SQLite the write
        transaction (``BEGIN IMMEDIATE``) already holds the database's write lock."""

    def _is_busy(self, exc: SQLAlchemyError) -> bool:
        """Whether ``exc`` is a lock not had in time (not a fault of what was written)."""
        return isinstance(exc, OperationalError) and _is_busy(exc)

    def _where(self) -> str:
        """The database as a busy message names it."""
        return str(self.database.path) if self.database.path else self.database.url

    @staticmethod
    def _change_mark(conn: Connection) -> object:
        """What moves whenever anyone but this writer changes the database, read in the
        transaction on ``conn``; None when the backend cannot tell.

        On SQLite: the connection itself, its ``PRAGMA data_version`` (which changes when
        any other connection commits, and only then) and its count of changed rows
        (``total_changes``, which another writer sharing the connection in this process
        moves).
        """
        raw = conn.connection.dbapi_connection
        version = conn.exec_driver_sql("PRAGMA data_version").scalar()
        return (raw, version, getattr(raw, "total_changes", None))

    def _new_keys(self, conn: Connection, count: int) -> list[int]:
        """``count`` fresh keys for ``cards`` rows.

        Assigned here rather than read back with RETURNING, which SQLite can only do row
        by row; the write lock (BEGIN IMMEDIATE) is already held, so no other writer can
        take them meanwhile.
        """
        first = int(conn.execute(select(func.coalesce(func.max(CARDS.c.id), 0))).scalar_one())
        return list(range(first + 1, first + 1 + count))

    def _insert_rows(self, conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
        """Insert many rows (all with the keys of the first) in bulk."""
        _insert_many(conn, table, rows)

    def _insert_new_cards(
        self, conn: Connection, pks: Sequence[int], rows: Sequence[tuple[Any, ...]], now: datetime
    ) -> None:
        """Insert new cards: their keys, their :func:`file_row` values (JSON already
        encoded) and what every new card starts with (created and updated now, neither
        suspended nor missing), each of those converted once for the batch."""
        names = ("id", *FILE_COLUMNS, *_NEW_CARD_START)
        start = tuple(
            self._driver_value(conn, CARDS, name, value)
            for name, value in zip(_NEW_CARD_START, (now, now, False, False), strict=True)
        )
        self._insert_tuples(
            conn, CARDS, names, [(pk, *row, *start) for pk, row in zip(pks, rows, strict=True)]
        )

    def _insert_tuples(
        self, conn: Connection, table: Table, names: Sequence[str], rows: list[tuple[Any, ...]]
    ) -> None:
        """Insert rows of values already as the driver takes them, in ``names``' order."""
        columns = ", ".join(f'"{name}"' for name in names)
        marks = ", ".join("?" * len(names))
        conn.exec_driver_sql(f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})', rows)

    @staticmethod
    def _driver_value(conn: Connection, table: Table, name: str, value: Any) -> Any:
        """``value`` as sqlite3 is handed it for ``table``'s column ``name``: through the
        column type's conversion, then the adapter sqlite3 applies (as ``_insert_many``)."""
        return _bound(conn, table, name, value)

    def _write_histories(
        self, conn: Connection, keys: Mapping[str, int], histories: HistoryWrite
    ) -> None:
        """Store the review histories an Anki import brings (``history_repo``)."""
        self._history_writer().write(
            conn,
            {**histories.owned, **keys},
            histories.cards,
            histories.read_counts,
            histories.new_uids,
            histories.now,
        )

    def _history_writer(self) -> HistoryWriter:
        """This backend's writer of review histories (imported on first use: only an
        Anki import with histories needs it)."""
        from quizapp.store.sqlite.history_repo import HistoryWriter

        return HistoryWriter()

    def touch_sources(self, infos: Sequence[SourceFileInfo], now: datetime) -> None:
        """Record new sizes/mtimes for files whose content did not change, in one
        transaction."""
        if not infos:
            return
        with self._writing() as conn:
            self._upsert_sources(conn, infos, now)
        for info in infos:
            self.sources[info.path] = info

    def write_file(self, info: SourceFileInfo, cards: Sequence[Card], now: datetime) -> FileOutcome:
        """Store every card of one file in one transaction; mark its vanished cards missing.

        New cards get a fresh FSRS state (learning, step 0, due now); changed cards get
        their new content and keep their state and review history.
        """
        return self.write_files([(info, cards)], now)[0]

    def write_files(
        self,
        files: Sequence[tuple[SourceFileInfo, Sequence[Card]]],
        now: datetime,
        starting: Mapping[str, MemoryState] | None = None,
        histories: HistoryWrite | None = None,
    ) -> list[FileOutcome]:
        """Store several files in one transaction with a few bulk statements.

        Each file is still whole or absent: the transaction commits all of them or none.
        Raises ``WriteFailed`` when the batch fails; the caller may then retry the
        files one by one to find the one at fault. ``starting`` gives, by card id, the
        memory state a card starts with instead of a new card's (progress it brings from
        another app); it is used only for a card stored for the first time, never to
        change the state of a card already stored. ``histories`` (the review histories
        an Anki import brings, ``history_repo.HistoryWriter``) are written last, inside
        the same transaction, so they commit with the cards or not at all.
        """
        pending = _Pending()
        outcomes: list[FileOutcome] = []
        new_cards: list[tuple[Any, ...]] = []
        new_uids: list[tuple[str, Card, str]] = []
        updates: list[dict[str, Any]] = []
        moved: list[dict[str, Any]] = []
        refreshed: list[tuple[int, Card]] = []
        vanished_all: list[str] = []
        rekeyed: list[str] = []
        written = {card.id for _info, cards in files for card in cards}
        with self._writing() as conn:
            if self._alone_since is None:  # others may have written: read the batch's rows
                self._names = None
                self._refresh(conn, files)
            self._create_decks(conn, files, pending)
            for info, cards in files:
                counts = {"new": 0, "updated": 0, "unchanged": 0}
                for card in cards:
                    action = self.classify(card, info.path)
                    counts[action] += 1
                    key = self.cards.get(card.id)
                    if action == "unchanged":
                        assert key is not None
                        if key.line != card.line:  # moved within its file: not an edit
                            moved.append({"pk": key.pk, "line": card.line})
                            pending.cards[card.id] = StoredCardKey(
                                key.pk, info.path, card.content_hash, card.line, False
                            )
                        continue
                    deck_id = self.decks.get(card.deck) or pending.decks[card.deck]
                    self._linked = self._linked or bool(card.related)
                    if key is None:
                        new_cards.append(file_row(card, deck_id, info.path))
                        new_uids.append((card.id, card, info.path))
                    else:
                        values = card_values(card, deck_id, info.path)
                        updates.append(
                            {**values, "pk": key.pk, "updated_at": now, "missing": False}
                        )
                        refreshed.append((key.pk, card))
                        pending.cards[card.id] = StoredCardKey(
                            key.pk, info.path, card.content_hash, card.line, False
                        )
                        if card.id in self.renamed:  # the update writes the new uid
                            rekeyed.append(card.id)
                vanished = [uid for uid in self.uids_from(info.path) if uid not in written]
                vanished_all.extend(vanished)
                outcomes.append(
                    FileOutcome(
                        counts["new"], counts["updated"], counts["unchanged"], tuple(vanished)
                    )
                )
            if new_cards:
                pks = self._new_keys(conn, len(new_cards))
                self._insert_new_cards(conn, pks, new_cards, now)
                for (uid, card, path), pk, row in zip(new_uids, pks, new_cards, strict=True):
                    refreshed.append((pk, card))
                    pending.cards[uid] = StoredCardKey(
                        pk, path, card.content_hash, card.line, False
                    )
                    pending.named.append((pk, card, row[_LINK_NAME]))
                fresh = MemoryState.new(now).columns()
                brought = starting or {}
                self._insert_rows(
                    conn,
                    CARD_STATES,
                    [
                        {"card_id": pk, **(fresh if uid not in brought else brought[uid].columns())}
                        for (uid, _card, _path), pk in zip(new_uids, pks, strict=True)
                    ],
                )
            if updates or vanished_all:  # names changed or gone: links are looked up in rows
                self._names = None
            if updates:
                columns: dict[str, Any] = {
                    name: bindparam(name) for name in updates[0] if name != "pk"
                }
                conn.execute(
                    update(CARDS).where(CARDS.c.id == bindparam("pk")).values(columns), updates
                )
                old = [pk for pk, _card in refreshed[: len(updates)]]
                for chunk in _chunks(old, 500):
                    conn.execute(delete(CARD_TAGS).where(CARD_TAGS.c.card_id.in_(chunk)))
                    conn.execute(delete(RELATED).where(RELATED.c.card_id.in_(chunk)))
            if moved:
                conn.execute(
                    update(CARDS)
                    .where(CARDS.c.id == bindparam("pk"))
                    .values(line=bindparam("line")),
                    moved,
                )
            self._write_links(conn, refreshed, pending)
            if vanished_all:
                self._mark_missing(conn, vanished_all, pending)
            self._upsert_sources(conn, [info for info, _cards in files], now)
            if histories is not None:
                keys = {uid: (pending.cards.get(uid) or self.cards[uid]).pk for uid in written}
                self._write_histories(conn, keys, histories)
        pending.sources = [info for info, _cards in files]
        self._commit(pending)
        for uid in rekeyed:
            self.renamed.pop(uid, None)
        return outcomes

    def _refresh(
        self, conn: Connection, files: Sequence[tuple[SourceFileInfo, Sequence[Card]]]
    ) -> None:
        """Re-read, under the write lock, what another process may have written since
        ``load``: the batch's cards (by uid and by file), decks and tags. Skipped while
        this writer knows that nobody else has written (:attr:`_alone_since`).

        Two imports running at once both load their caches before either writes; without
        this, both would insert the same new deck, tag or card and the second would fail
        on a UNIQUE constraint. The rows read are committed (this transaction has written
        nothing yet), so the caches may take them at once.
        """
        uids = sorted({card.id for _info, cards in files for card in cards})
        paths = sorted({info.path for info, _cards in files})
        columns = (
            CARDS.c.id,
            CARDS.c.uid,
            CARDS.c.source_path,
            CARDS.c.content_hash,
            CARDS.c.line,
            CARDS.c.missing,
        )
        rows: dict[str, StoredCardKey] = {}
        for column, values in ((CARDS.c.uid, uids), (CARDS.c.source_path, paths)):
            for chunk in _chunks(values, 500):
                for pk, uid, source_path, content_hash, line, missing in conn.execute(
                    select(*columns).where(column.in_(chunk))
                ):
                    rows[uid] = StoredCardKey(pk, source_path, content_hash, line, missing)
        fresh, renamed = _by_identity(rows.items())
        for uid in fresh.keys() - renamed.keys():  # stored under this very uid meanwhile
            self.renamed.pop(uid, None)
        self.renamed.update(renamed)
        changed = {uid: key for uid, key in fresh.items() if self.cards.get(uid) != key}
        if changed:
            self._take(changed)
        names = sorted({card.deck for _info, cards in files for card in cards} - set(self.decks))
        for chunk in _chunks(names, 500):
            query = select(DECKS.c.name, DECKS.c.id).where(DECKS.c.name.in_(chunk))
            self.decks.update({name: pk for name, pk in conn.execute(query)})
        keys = sorted(
            {tag_key(name) for _info, cards in files for card in cards for name in card.tags}
            - set(self.tags)
        )
        for chunk in _chunks(keys, 500):
            query = select(TAGS.c.key, TAGS.c.id).where(TAGS.c.key.in_(chunk))
            self.tags.update({key: pk for key, pk in conn.execute(query)})

    def mark_files_missing(self, paths: Iterable[str]) -> list[str]:
        """Mark every card of these (vanished) files missing and forget the files."""
        path_set = set(paths)
        uids = [uid for path in sorted(path_set) for uid in self.uids_from(path)]
        if not uids and not path_set & self.sources.keys():
            return []
        pending = _Pending()
        self._names = None
        with self._writing() as conn:
            if uids:
                self._mark_missing(conn, uids, pending)
            conn.execute(delete(SOURCE_FILES).where(SOURCE_FILES.c.path.in_(sorted(path_set))))
        self._commit(pending)
        for path in path_set:
            self.sources.pop(path, None)
        return uids

    def _commit(self, pending: _Pending) -> None:
        if self._names is not None:
            if self._linked:
                for pk, card, name in [*self._unnamed, *pending.named]:
                    self._name(pk, card, name)
                self._unnamed = []
            else:
                self._unnamed.extend(pending.named)
        self._take(pending.cards)
        self.tags.update(pending.tags)
        self.decks.update(pending.decks)
        for info in pending.sources:
            self.sources[info.path] = info
        self.changed = self.changed or bool(pending.cards)

    def _take(self, cards: dict[str, StoredCardKey]) -> None:
        """Put card keys into the caches, keeping the by-file index in step."""
        for uid, key in cards.items():
            old = self.cards.get(uid)
            if old is not None and old.source_path != key.source_path:
                self._by_source.get(old.source_path, set()).discard(uid)
            self._by_source.setdefault(key.source_path, set()).add(uid)
        self.cards.update(cards)

    def _mark_missing(self, conn: Connection, uids: list[str], pending: _Pending) -> None:
        pks = [self.cards[uid].pk for uid in uids]
        for chunk in _chunks(pks, 500):
            conn.execute(update(CARDS).where(CARDS.c.id.in_(chunk)).values(missing=True))
        for uid in uids:
            key = self.cards[uid]
            pending.cards[uid] = StoredCardKey(
                key.pk, key.source_path, key.content_hash, key.line, True
            )

    def _create_decks(
        self,
        conn: Connection,
        files: Sequence[tuple[SourceFileInfo, Sequence[Card]]],
        pending: _Pending,
    ) -> None:
        """Store the decks that the batch's new and changed cards name and that do not
        exist yet, in order of first use, with one statement (a first import makes a
        hundred or more, and one statement each was a tenth of its writing)."""
        names = dict.fromkeys(
            card.deck
            for info, cards in files
            for card in cards
            if card.deck not in self.decks and self.classify(card, info.path) != "unchanged"
        )
        pending.decks.update(_created(conn, DECKS, DECKS.c.name, {name: {} for name in names}))

    def _write_links(
        self, conn: Connection, cards: Sequence[tuple[int, Card]], pending: _Pending
    ) -> None:
        """Tags and related questions of freshly written cards, in bulk inserts (the new
        tags first, in one)."""
        new_tags: dict[str, dict[str, Any]] = {}
        for _pk, card in cards:
            for name in card.tags:
                key = tag_key(name)
                if key not in self.tags and key not in new_tags:
                    new_tags[key] = {"name": name}
        pending.tags.update(_created(conn, TAGS, TAGS.c.key, new_tags))
        tag_rows: list[dict[str, Any]] = []
        related_rows: list[dict[str, Any]] = []
        for pk, card in cards:
            seen: set[int] = set()
            for position, name in enumerate(card.tags):
                key = tag_key(name)
                tag_id = self.tags.get(key) or pending.tags[key]
                if tag_id not in seen:
                    seen.add(tag_id)
                    tag_rows.append({"card_id": pk, "tag_id": tag_id, "position": position})
            related_rows.extend(
                {"card_id": pk, "position": i, "text": text, "target_id": None}
                for i, text in enumerate(card.related)
            )
        self._insert_rows(conn, CARD_TAGS, tag_rows)
        self._insert_rows(conn, RELATED, related_rows)

    @classmethod
    def _upsert_sources(
        cls, conn: Connection, infos: Sequence[SourceFileInfo], now: datetime
    ) -> None:
        """Record the files written (one ``executemany`` of plain rows, the time converted
        once: SQLAlchemy's upsert converted every row's values itself, a twentieth of a
        first import's writing). A file re-imported without a known root keeps the one
        it had."""
        if not infos:
            return
        at = cls._driver_value(conn, SOURCE_FILES, "imported_at", now)
        conn.exec_driver_sql(
            _UPSERT_SOURCES, [(i.path, i.size, i.mtime_ns, i.sha256, at, i.root) for i in infos]
        )

    def _name(self, pk: int, card: Card, name: str) -> None:
        """Enter the stored card ``pk``'s names in :attr:`_names`, folded (``link_key``),
        unless an earlier card has taken them. Done as each batch commits, so that
        :meth:`resolve_related`, which ends the import, need not fold every card's names
        after the last file."""
        assert self._names is not None
        by_file, by_alias, by_title, by_id, by_question = self._names
        key = link_key
        if name:
            by_file.setdefault(key(name), pk)
        for alias in card.aliases:
            if alias:
                by_alias.setdefault(key(alias), pk)
        if card.title:
            by_title.setdefault(key(card.title), pk)
        for text in (card.id, card.id.rsplit("/", 1)[-1]):
            if text:
                by_id.setdefault(key(text), pk)
        by_question.setdefault(key(card.question), pk)

    def resolve_related(self) -> int:
        """Point every related question at the card whose file name, alias, title or id
        it names (or, failing those, whose question it quotes).

        Matching folds case in every script (``link_key``), and a wikilink's label and
        ``#heading`` are ignored, so ``[[Bias-Variance Tradeoff|the tradeoff]]`` finds the
        card written in ``Bias-Variance Tradeoff.md`` as Obsidian would. Runs after every
        import that changed something, because a card imported later can be the target
        of a link written earlier. Returns how many links changed.
        """
        with self._writing() as conn:
            links = conn.execute(
                select(RELATED.c.card_id, RELATED.c.position, RELATED.c.text, RELATED.c.target_id)
            ).all()
            if not links:  # nothing to point (an Anki package's cards have no links)
                return 0
            keys = {text: link_key(text) for _card, _position, text, _target in links}
            wanted = set(keys.values())
            if self._names is not None and self._alone_since is not None and not self._unnamed:
                index = self._looked_up(wanted)
            else:
                index = self._read_names(conn, wanted)
            changes = []
            for card_id, position, text, target_id in links:
                target = index.get(keys[text])
                if target == card_id:
                    target = None
                if target != target_id:
                    changes.append({"c": card_id, "p": position, "t": target})
            if changes:
                self._retarget(conn, changes)
        return len(changes)

    def _looked_up(self, wanted: set[str]) -> dict[str, int]:
        """The card each link key names, from :attr:`_names`: every card there is, when
        this writer stored them all and nobody else has written."""
        assert self._names is not None
        index: dict[str, int] = {}
        for key in wanted:
            for names in self._names:
                pk = names.get(key)
                if pk is not None:
                    index[key] = pk
                    break
        return index

    def _read_names(self, conn: Connection, wanted: set[str]) -> dict[str, int]:
        """The card each link key names, from the names of every present card read."""
        index: dict[str, int] = {}
        rows = conn.execute(
            select(
                CARDS.c.id,
                CARDS.c.uid,
                CARDS.c.title,
                cast(CARDS.c.aliases, Text).label("aliases"),
                CARDS.c.link_name,
            )
            .where(CARDS.c.missing.is_(False))
            .order_by(CARDS.c.id)
        ).all()
        # One kind of name at a time, so that a file name beats another card's title
        # ([[Regularization]] is the note Regularization.md, whatever it is titled);
        # within a kind, the card stored first. Once every link has found a name, the
        # later kinds cannot change where any points.
        kinds: list[Iterable[tuple[int, Iterable[Any]]]] = [
            ((pk, (name,)) for pk, _uid, _title, _aliases, name in rows),
            (
                (pk, json.loads(aliases))
                for pk, _uid, _title, aliases, _name in rows
                if aliases != "[]"
            ),
            ((pk, (title,)) for pk, _uid, title, _aliases, _name in rows),
            ((pk, (uid, uid.rsplit("/", 1)[-1])) for pk, uid, _title, _aliases, _name in rows),
        ]
        unresolved = set(wanted)
        for names in kinds:
            if not unresolved:
                break
            for pk, texts in names:
                for name in texts:
                    if name:
                        key = link_key(str(name))
                        if key in unresolved:
                            index[key] = pk
                            unresolved.discard(key)
        if unresolved:
            # Last, a related question may quote a card's question verbatim: the
            # questions are long, so they are read only when a link is still unmatched.
            questions = conn.execute(
                select(CARDS.c.id, CARDS.c.question)
                .where(CARDS.c.missing.is_(False))
                .order_by(CARDS.c.id)
            ).all()
            for card_id, question in questions:
                key = link_key(question)
                if key in unresolved:
                    index[key] = card_id
                    unresolved.discard(key)
        return index

    def _retarget(self, conn: Connection, changes: list[dict[str, Any]]) -> None:
        """Point related questions at new targets: ``c`` card key, ``p`` position, ``t``
        target key or None."""
        conn.execute(
            update(RELATED)
            .where(RELATED.c.card_id == bindparam("c"))
            .where(RELATED.c.position == bindparam("p"))
            .values(target_id=bindparam("t")),
            changes,
        )


#: The kinds of name a link is matched against, in the order tried (``_names``).
_NAME_KINDS = 5


def _by_identity(
    rows: Iterable[tuple[str, StoredCardKey]],
) -> tuple[dict[str, StoredCardKey], dict[str, str]]:
    """Stored card keys by the id a card file gives them now, and the uids that differ.

    Ids are NFKC-normalised at import (``cards/identity.py``), but a card stored before
    that rule may keep another form, such as a file name made on macOS, whose accents are
    decomposed ("e" then U+0301). Cached under its NFKC form, it is the card that a
    re-import of its file updates, uid included, with its state and reviews, instead of a
    new card beside a "missing" one. A row whose uid already is that form keeps it: two rows never
    share a key, and the other stays cached under its own uid.
    """
    cards: dict[str, StoredCardKey] = {}
    others: list[tuple[str, StoredCardKey]] = []
    for uid, key in rows:
        cards[uid] = key
        if not uid.isascii():
            others.append((uid, key))
    renamed: dict[str, str] = {}
    for uid, key in others:
        identity = unicodedata.normalize("NFKC", uid)
        if identity != uid and identity not in cards:
            del cards[uid]
            cards[identity] = key
            renamed[identity] = uid
    return cards, renamed


def _created(
    conn: Connection, table: Table, key: Any, rows: Mapping[str, dict[str, Any]]
) -> dict[str, int]:
    """Insert one row per key of ``rows`` (the key in column ``key``, the row's other
    values beside it), in the order given, and return each key's new id."""
    if not rows:
        return {}
    conn.execute(insert(table), [{key.name: name, **values} for name, values in rows.items()])
    ids: dict[str, int] = {}
    for chunk in _chunks(list(rows), 500):
        query = select(key, table.c.id).where(key.in_(chunk))
        ids.update({name: pk for name, pk in conn.execute(query)})
    return ids


def _insert_many(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """``INSERT`` many rows (all with the keys of the first) in one ``executemany``.

    The same statement and the same column conversions (JSON, UTC times, booleans) as
    ``conn.execute(insert(table), rows)``, but each column's converter is applied here in
    one pass, and values that repeat in every row (an import's timestamp, a flag, an
    empty list) are converted once: SQLAlchemy's per-row parameter handling would
    otherwise cost more than SQLite's own work on 70,000 rows of a 10,000-card import.
    """
    if not rows:
        return
    names = list(rows[0])
    compiled = insert(table).compile(dialect=conn.dialect, column_keys=names)
    order = list(compiled.positiontup or ())
    if sorted(order) != sorted(names):  # pragma: no cover - a dialect with named parameters
        conn.execute(insert(table), list(rows))
        return
    count = len(rows)
    columns: list[Iterable[Any]] = []
    for name in order:
        convert = _converter(conn, table, name)
        column = [row[name] for row in rows]
        if _constant(column):
            columns.append(itertools.repeat(_bound(conn, table, name, column[0]), count))
        elif convert is None:
            columns.append(column)
        else:
            columns.append([convert(value) for value in column])
    conn.exec_driver_sql(str(compiled), list(zip(*columns, strict=True)))


def _bound(conn: Connection, table: Table, name: str, value: Any) -> Any:
    """``value`` as sqlite3 is handed it for ``table``'s column ``name``: through the
    column type's conversion, then the adapter sqlite3 applies (:func:`_adapted`)."""
    convert = _converter(conn, table, name)
    return _adapted(value if convert is None else convert(value))


def _converter(conn: Connection, table: Table, name: str) -> Callable[[Any], Any] | None:
    """The conversion SQLAlchemy applies to a value bound to ``table``'s column ``name``.

    It is the column type's as this dialect implements it, not the type's own: for
    ``UTCDateTime`` that one stops at a naive datetime, which sqlite3 then writes without
    ``.000000`` on a whole second, where SQLAlchemy writes the microseconds always. Such a
    stored time never equals one bound later, and an answer's compare-and-set refused
    every answer to a card whose schedule came from another app (due at noon). Times get
    :func:`sqlite_time_text`, the same text at a third of the cost."""
    column_type = table.c[name].type
    if isinstance(column_type, UTCDateTime) and conn.dialect.name == "sqlite":
        return _time_text
    return column_type.dialect_impl(conn.dialect).bind_processor(conn.dialect)


def _time_text(value: datetime | None) -> str | None:
    return None if value is None else sqlite_time_text(value)


def _adapted(value: Any) -> Any:
    """``value`` as sqlite3 hands it to SQLite: through the adapter registered for its
    type, as sqlite3 would apply it to every row (a datetime becomes its ISO text)."""
    adapter = sqlite3.adapters.get((type(value), sqlite3.PrepareProtocol))
    return value if adapter is None else adapter(value)


def _constant(column: list[Any]) -> bool:
    """Whether every value of a column converts alike, so that it is converted once: equal
    values of one type (each card's state row has its own equal due time). Floats must be
    the same object, since ``0.0 == -0.0`` yet the two are stored apart."""
    first = column[0]
    if type(first) is float:
        return all(value is first for value in column)
    return column.count(first) == len(column) and {type(value) for value in column} == {type(first)}


def _first_line(exc: SQLAlchemyError) -> str:
    """The driver's message, first line only."""
    return str(getattr(exc, "orig", exc)).splitlines()[0]


def _is_busy(exc: OperationalError) -> bool:
    """Whether SQLite gave up waiting for a lock (SQLITE_BUSY and its extended codes)."""
    code = getattr(exc.orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF == sqlite3.SQLITE_BUSY
    return "database is locked" in str(exc.orig)


def _chunks(items: list[T], size: int) -> Iterable[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
