"""Writing imported cards: one transaction per file, Core bulk statements, cached look-ups.

Importing 10,000 files must cost little more than parsing them, so this module avoids the
per-row ORM: it loads what it needs to decide (cards by uid, tags, decks, source files)
once, writes each file with a handful of bulk statements in its own transaction, and
updates its caches only after that transaction commits, so a failed file leaves no trace
in the database or in memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, bindparam, delete, insert, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from quizapp.cards.model import Card
from quizapp.store.card_rows import card_values, link_key, tag_key
from quizapp.store.db import Database
from quizapp.store.tables import (
    CARD_STATES,
    CARD_TAGS,
    CARDS,
    DECKS,
    RELATED,
    SOURCE_FILES,
    TAGS,
)


@dataclass(frozen=True)
class SourceFileInfo:
    """What the importer saw of a file: enough to skip it next time without reading it."""

    path: str
    size: int
    mtime_ns: int
    sha256: str


@dataclass
class StoredCardKey:
    """What the importer needs to know about a stored card to decide what to do with it."""

    pk: int
    source_path: str
    content_hash: str
    line: int
    missing: bool


@dataclass(frozen=True)
class FileOutcome:
    """How the cards of one file were written."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    missing: tuple[str, ...] = ()


@dataclass
class _Pending:
    """Cache updates that take effect only once the file's transaction commits."""

    cards: dict[str, StoredCardKey] = field(default_factory=dict)
    tags: dict[str, int] = field(default_factory=dict)
    decks: dict[str, int] = field(default_factory=dict)
    source: SourceFileInfo | None = None


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
        self._by_source: dict[str, set[str]] = {}
        for uid, key in cards.items():
            self._by_source.setdefault(key.source_path, set()).add(uid)

    @classmethod
    def load(cls, database: Database) -> ImportWriter:
        """Read what the import needs to decide, in one short read transaction."""
        with database.begin() as conn:
            cards = {
                row.uid: StoredCardKey(
                    row.id, row.source_path, row.content_hash, row.line, row.missing
                )
                for row in conn.execute(
                    select(
                        CARDS.c.id,
                        CARDS.c.uid,
                        CARDS.c.source_path,
                        CARDS.c.content_hash,
                        CARDS.c.line,
                        CARDS.c.missing,
                    )
                )
            }
            tags = {row.key: row.id for row in conn.execute(select(TAGS.c.key, TAGS.c.id))}
            decks = {row.name: row.id for row in conn.execute(select(DECKS.c.name, DECKS.c.id))}
            sources = {
                row.path: SourceFileInfo(row.path, row.size, row.mtime_ns, row.sha256)
                for row in conn.execute(select(SOURCE_FILES))
            }
        return cls(database, cards, tags, decks, sources)

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
            key.content_hash == card.content_hash
            and key.source_path == source_path
            and not key.missing
        ):
            return "unchanged"
        return "updated"

    def touch_source(self, info: SourceFileInfo, now: datetime) -> None:
        """Record a new size/mtime for a file whose content did not change."""
        with self.database.begin(write=True) as conn:
            self._upsert_source(conn, info, now)
        self.sources[info.path] = info

    def write_file(self, info: SourceFileInfo, cards: Sequence[Card], now: datetime) -> FileOutcome:
        """Store every card of one file in one transaction; mark its vanished cards missing.

        New cards get a fresh FSRS state (learning, step 0, due now); changed cards get
        their new content and keep their state and review history.
        """
        pending = _Pending()
        counts = {"new": 0, "updated": 0, "unchanged": 0}
        with self.database.begin(write=True) as conn:
            seen = set()
            for card in cards:
                seen.add(card.id)
                action = self.classify(card, info.path)
                counts[action] += 1
                if action == "unchanged":
                    kept = self.cards[card.id]
                    if kept.line != card.line:  # moved within its file: not an edit
                        conn.execute(
                            update(CARDS).where(CARDS.c.id == kept.pk).values(line=card.line)
                        )
                        pending.cards[card.id] = StoredCardKey(
                            kept.pk, info.path, card.content_hash, card.line, False
                        )
                    continue
                deck_id = self._deck_id(conn, card.deck, pending)
                values = card_values(card, deck_id, info.path)
                existing = self.cards.get(card.id)
                if existing is None:
                    pk = conn.execute(
                        insert(CARDS)
                        .values(
                            **values,
                            created_at=now,
                            updated_at=now,
                            suspended=False,
                            missing=False,
                        )
                        .returning(CARDS.c.id)
                    ).scalar_one()
                    conn.execute(
                        insert(CARD_STATES).values(
                            card_id=pk, state=1, step=0, due=now, reps=0, lapses=0
                        )
                    )
                else:
                    pk = existing.pk
                    conn.execute(
                        update(CARDS)
                        .where(CARDS.c.id == pk)
                        .values(**values, updated_at=now, missing=False)
                    )
                    conn.execute(delete(CARD_TAGS).where(CARD_TAGS.c.card_id == pk))
                    conn.execute(delete(RELATED).where(RELATED.c.card_id == pk))
                self._write_tags(conn, pk, card.tags, pending)
                if card.related:
                    conn.execute(
                        insert(RELATED),
                        [
                            {"card_id": pk, "position": i, "text": text, "target_id": None}
                            for i, text in enumerate(card.related)
                        ],
                    )
                pending.cards[card.id] = StoredCardKey(
                    pk, info.path, card.content_hash, card.line, False
                )
            vanished = [uid for uid in self.uids_from(info.path) if uid not in seen]
            if vanished:
                self._mark_missing(conn, vanished, pending)
            self._upsert_source(conn, info, now)
            pending.source = info
        self._commit(pending)
        return FileOutcome(counts["new"], counts["updated"], counts["unchanged"], tuple(vanished))

    def mark_files_missing(self, paths: Iterable[str]) -> list[str]:
        """Mark every card of these (vanished) files missing and forget the files."""
        path_set = set(paths)
        uids = [uid for path in sorted(path_set) for uid in self.uids_from(path)]
        if not uids and not path_set & self.sources.keys():
            return []
        pending = _Pending()
        with self.database.begin(write=True) as conn:
            if uids:
                self._mark_missing(conn, uids, pending)
            conn.execute(delete(SOURCE_FILES).where(SOURCE_FILES.c.path.in_(sorted(path_set))))
        self._commit(pending)
        for path in path_set:
            self.sources.pop(path, None)
        return uids

    def _commit(self, pending: _Pending) -> None:
        for uid, key in pending.cards.items():
            old = self.cards.get(uid)
            if old is not None and old.source_path != key.source_path:
                self._by_source.get(old.source_path, set()).discard(uid)
            self._by_source.setdefault(key.source_path, set()).add(uid)
        self.cards.update(pending.cards)
        self.tags.update(pending.tags)
        self.decks.update(pending.decks)
        if pending.source is not None:
            self.sources[pending.source.path] = pending.source
        self.changed = self.changed or bool(pending.cards)

    def _mark_missing(self, conn: Connection, uids: list[str], pending: _Pending) -> None:
        pks = [self.cards[uid].pk for uid in uids]
        for chunk in _chunks(pks, 500):
            conn.execute(update(CARDS).where(CARDS.c.id.in_(chunk)).values(missing=True))
        for uid in uids:
            key = self.cards[uid]
            pending.cards[uid] = StoredCardKey(
                key.pk, key.source_path, key.content_hash, key.line, True
            )

    def _deck_id(self, conn: Connection, name: str, pending: _Pending) -> int:
        deck_id = self.decks.get(name) or pending.decks.get(name)
        if deck_id is None:
            deck_id = conn.execute(
                insert(DECKS).values(name=name).returning(DECKS.c.id)
            ).scalar_one()
            pending.decks[name] = deck_id
        return deck_id

    def _write_tags(
        self, conn: Connection, pk: int, names: Sequence[str], pending: _Pending
    ) -> None:
        rows = []
        seen: set[int] = set()
        for position, name in enumerate(names):
            key = tag_key(name)
            tag_id = self.tags.get(key) or pending.tags.get(key)
            if tag_id is None:
                tag_id = conn.execute(
                    insert(TAGS).values(key=key, name=name).returning(TAGS.c.id)
                ).scalar_one()
                pending.tags[key] = tag_id
            if tag_id not in seen:
                seen.add(tag_id)
                rows.append({"card_id": pk, "tag_id": tag_id, "position": position})
        if rows:
            conn.execute(insert(CARD_TAGS), rows)

    @staticmethod
    def _upsert_source(conn: Connection, info: SourceFileInfo, now: datetime) -> None:
        statement = sqlite_insert(SOURCE_FILES).values(
            path=info.path,
            size=info.size,
            mtime_ns=info.mtime_ns,
            sha256=info.sha256,
            imported_at=now,
        )
        conn.execute(
            statement.on_conflict_do_update(
                index_elements=[SOURCE_FILES.c.path],
                set_={
                    "size": statement.excluded.size,
                    "mtime_ns": statement.excluded.mtime_ns,
                    "sha256": statement.excluded.sha256,
                    "imported_at": statement.excluded.imported_at,
                },
            )
        )

    def resolve_related(self) -> int:
        """Point every related question at the card whose title, id or alias it names
        (or, failing those, whose question it quotes).

        Runs after every import that changed something, because a card imported later can
        be the target of a link written earlier. Returns how many links changed.
        """
        with self.database.begin(write=True) as conn:
            index: dict[str, int] = {}
            rows = conn.execute(
                select(CARDS.c.id, CARDS.c.uid, CARDS.c.title, CARDS.c.aliases, CARDS.c.question)
                .where(CARDS.c.missing.is_(False))
                .order_by(CARDS.c.id)
            ).all()
            for row in rows:
                names = [row.title, row.uid, row.uid.rsplit("/", 1)[-1], *(row.aliases or [])]
                for name in names:
                    index.setdefault(link_key(str(name)), row.id)
            for row in rows:  # a related question may also quote a card's question verbatim
                index.setdefault(link_key(row.question), row.id)
            changes = []
            for link in conn.execute(
                select(RELATED.c.card_id, RELATED.c.position, RELATED.c.text, RELATED.c.target_id)
            ):
                target = index.get(link_key(link.text))
                if target == link.card_id:
                    target = None
                if target != link.target_id:
                    changes.append({"c": link.card_id, "p": link.position, "t": target})
            if changes:
                conn.execute(
                    update(RELATED)
                    .where(RELATED.c.card_id == bindparam("c"))
                    .where(RELATED.c.position == bindparam("p"))
                    .values(target_id=bindparam("t")),
                    changes,
                )
        return len(changes)


def _chunks(items: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
