"""Reading cards back: one card by id, filtered lists, decks and tags with counts.

Every query about card content lives here and answers with ``StoredCard`` dataclasses, so
services and front ends never see a row or build a query.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    case,
    exists,
    false,
    func,
    literal,
    not_,
    or_,
    select,
    type_coerce,
)

from quizapp.cards.model import Card, CardKind
from quizapp.cards.textfold import fold
from quizapp.scheduling.memory import STATE_NAMES, MemoryState
from quizapp.store.card_rows import (
    alternates_from_json,
    exercises_from_json,
    extras_from_json,
    steps_from_json,
    tag_key,
)
from quizapp.store.db import Database
from quizapp.store.portable_sql import joined_text, larger, text_position, whole_days_between
from quizapp.store.records import (
    CardCondition,
    CardFilter,
    CardPage,
    RelatedLink,
    StoredCard,
    TagCount,
)
from quizapp.store.row_decode import (
    DECODE_ERRORS,
    UnreadableRowError,
    json_list,
    memory_state,
    unreadable,
    utc_datetime,
)
from quizapp.store.tables import CARD_STATES, CARD_TAGS, CARDS, DECKS, RELATED, TAGS

#: The fields a ``CardCondition`` may test, and the states ``state`` accepts.
CONDITION_FIELDS = ("tag", "deck", "difficulty", "id", "state", "kind", "text")
CONDITION_STATES = (
    "due",
    "new",
    "learning",
    "review",
    "relearning",
    "suspended",
    "buried",
    "missing",
)
#: The values ``kind`` conditions and ``CardFilter.kinds`` accept: ``CardKind``'s.
CARD_KINDS = tuple(kind.value for kind in CardKind)


#: The orders ``CardRepository.page`` sorts by (ties broken by card id); also those of
#: ``MORE_ORDERS`` and "recall", predicted recall at the filter's ``now`` (new cards 0).
PAGE_ORDERS: dict[str, Any] = {
    "title": func.lower(CARDS.c.title),
    "deck": func.lower(DECKS.c.name),
    "difficulty": case({"easy": 0, "medium": 1, "hard": 2}, value=CARDS.c.difficulty, else_=3),
    "due": CARD_STATES.c.due,
    "stability": func.coalesce(CARD_STATES.c.stability, 0.0),
    "reviews": CARD_STATES.c.reps,
    "lapses": CARD_STATES.c.lapses,
}


#: Further orders for a browse table's columns: state (new first, then py-fsrs's learning,
#: review, relearning), tags (as written, joined by commas, casefolded) and kind.
MORE_ORDERS: dict[str, Any] = {
    "state": case((CARD_STATES.c.reps == 0, 0), else_=CARD_STATES.c.state),
    "kind": CARDS.c.kind,
    # A card without tags sorts first ('', not NULL: PostgreSQL sorts NULL last).
    "tags": func.coalesce(
        select(joined_text(TAGS.c.key, ","))
        .select_from(CARD_TAGS.join(TAGS, TAGS.c.id == CARD_TAGS.c.tag_id))
        .where(CARD_TAGS.c.card_id == CARDS.c.id)
        .scalar_subquery(),
        "",
    ),
}


def _prefix_match(column: Any, value: str) -> ColumnElement[bool]:
    return or_(column == value, column.startswith(value + "/", autoescape=True))


def _like_pattern(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.replace("*", "%")


def _name_match(column: Any, value: str) -> ColumnElement[bool]:
    """``_matches_name`` of the query language: wildcard or exact-or-under, case-folded."""
    value = value.casefold()
    if "*" in value:
        return func.lower(column).like(_like_pattern(value), escape="\\")
    return _prefix_match(func.lower(column), value)


def _key_match(column: Any, key: str) -> ColumnElement[bool]:
    """Like ``_name_match`` on a column already stored casefolded (index-friendly)."""
    if "*" in key:
        matched: ColumnElement[bool] = column.like(_like_pattern(key), escape="\\")
        return matched
    return _prefix_match(column, key)


def _state_clause(state: str, now: datetime | None) -> ColumnElement[bool]:
    if state in ("due", "buried") and now is None:
        raise ValueError(f"a filter on is:{state} needs the time now")
    buried = func.coalesce(CARDS.c.buried_until > now, false())
    if state == "suspended":
        return CARDS.c.suspended.is_(True)
    if state == "missing":
        return CARDS.c.missing.is_(True)
    if state == "buried":
        return buried
    if state == "due":
        return and_(
            CARDS.c.suspended.is_(False),
            CARDS.c.missing.is_(False),
            not_(buried),
            CARD_STATES.c.reps > 0,
            CARD_STATES.c.due <= now,
        )
    if state == "new":
        return CARD_STATES.c.reps == 0
    codes = [code for code, name in STATE_NAMES.items() if name == state]
    if not codes:
        raise ValueError(f"unknown state {state!r}; use one of {', '.join(CONDITION_STATES)}")
    return and_(CARD_STATES.c.reps > 0, CARD_STATES.c.state.in_(codes))


def _kind(value: str) -> str:
    """A kind as stored, from any case; ``ValueError`` naming the kinds for another."""
    wanted = value.strip().casefold()
    if wanted not in CARD_KINDS:
        raise ValueError(f"unknown kind {value!r}; use one of {', '.join(CARD_KINDS)}")
    return wanted


def condition_clause(condition: CardCondition, now: datetime | None) -> ColumnElement[bool]:
    """The SQL test for one condition (never NULL, so negation keeps the other cards)."""
    field, value = condition.field, condition.value.strip()
    clause: ColumnElement[bool]
    if field == "tag":
        # Driven from the tag index: the matching cards' ids, not a test per card.
        tag_ids = select(TAGS.c.id).where(_key_match(TAGS.c.key, tag_key(value)))
        clause = CARDS.c.id.in_(select(CARD_TAGS.c.card_id).where(CARD_TAGS.c.tag_id.in_(tag_ids)))
    elif field == "deck":
        clause = CARDS.c.deck_id.in_(select(DECKS.c.id).where(_name_match(DECKS.c.name, value)))
    elif field == "id":
        clause = _name_match(CARDS.c.uid, value)
    elif field == "difficulty":
        # Stored casefolded; plain equality reads ix_cards_difficulty. A card without a
        # difficulty must pass the negated test, so only then is NULL made "".
        wanted = value.casefold()
        if condition.negated:
            return func.coalesce(CARDS.c.difficulty, "") != wanted
        return CARDS.c.difficulty == wanted
    elif field == "state":
        clause = _state_clause(value.casefold(), now)
    elif field == "kind":
        clause = CARDS.c.kind == _kind(value)
    elif field == "text":
        # ``search_text`` is folded in Python (cards/textfold.py): SQLite's lower() folds
        # only ASCII, so comparing it with a casefolded needle missed "Вопрос".
        needle = fold(value)
        clause = or_(
            text_position(CARDS.c.search_text, needle) > 0,
            exists(
                select(1)
                .select_from(CARD_TAGS.join(TAGS, TAGS.c.id == CARD_TAGS.c.tag_id))
                .where(CARD_TAGS.c.card_id == CARDS.c.id)
                .where(text_position(TAGS.c.key, needle) > 0)
            ),
        )
    else:
        raise ValueError(f"unknown field {field!r}; use one of {', '.join(CONDITION_FIELDS)}")
    return not_(clause) if condition.negated else clause


def filter_clause(card_filter: CardFilter) -> ColumnElement[bool]:
    """The WHERE clause for a filter, over ``cards`` joined with ``card_states`` and ``decks``
    (``filtered_from()``).

    Public so that other store modules (the study queue) filter cards the same way.
    """
    clauses: list[ColumnElement[bool]] = []
    if not card_filter.include_missing:
        clauses.append(CARDS.c.missing.is_(False))
    for tag in card_filter.tags:
        clauses.append(
            exists(
                select(1)
                .select_from(CARD_TAGS.join(TAGS, TAGS.c.id == CARD_TAGS.c.tag_id))
                .where(CARD_TAGS.c.card_id == CARDS.c.id)
                .where(_prefix_match(TAGS.c.key, tag_key(tag)))
            )
        )
    if card_filter.difficulties:
        wanted = [d.strip().lower() for d in card_filter.difficulties]
        clauses.append(CARDS.c.difficulty.in_(wanted))
    if card_filter.kinds:
        clauses.append(CARDS.c.kind.in_(sorted({_kind(kind) for kind in card_filter.kinds})))
    if card_filter.deck:
        clauses.append(_prefix_match(func.lower(DECKS.c.name), card_filter.deck.strip().lower()))
    if card_filter.due_before is not None:
        when = card_filter.due_before
        clauses.append(CARD_STATES.c.due <= when)
        clauses.append(CARDS.c.suspended.is_(False))
        clauses.append(or_(CARDS.c.buried_until.is_(None), CARDS.c.buried_until <= when))
    for condition in card_filter.conditions:
        clauses.append(condition_clause(condition, card_filter.now))
    return and_(*clauses) if clauses else CARDS.c.id.is_not(None)


def _recall_order(now: datetime | None) -> Any:
    """Sorts like predicted recall at ``now``: FSRS's curve falls as elapsed/stability
    grows (whole days elapsed, as the scheduler counts), so recall ascending is that
    ratio descending; a card never answered has recall 0 and sorts first."""
    if now is None:
        raise ValueError("sorting by recall needs the time now (CardFilter.now)")
    when = literal(now, CARD_STATES.c.last_review.type)
    # Whole days; truncation = floor when >= 0.
    elapsed = larger(whole_days_between(when, CARD_STATES.c.last_review), 0)
    ratio = elapsed / CARD_STATES.c.stability
    return -func.coalesce(case((CARD_STATES.c.reps == 0, None), else_=ratio), 1e300)


def _needed_from(*clauses: Any) -> Any:
    """``cards``, joined with ``decks`` and ``card_states`` only when ``clauses`` read them.

    Every card has exactly one deck and one state row, so leaving a join out changes no
    result; it spares SQLite a lookup per card (100,000 cards: a count takes 1 ms, not
    120 ms, and a title sort reads one table).
    """
    from sqlalchemy.sql.util import find_tables

    used = {table for clause in clauses for table in find_tables(clause, check_columns=True)}
    source: Any = CARDS
    if DECKS in used:
        source = source.join(DECKS, DECKS.c.id == CARDS.c.deck_id)
    if CARD_STATES in used:
        source = source.join(CARD_STATES, CARD_STATES.c.card_id == CARDS.c.id)
    return source


def filtered_from() -> Any:
    """``cards`` joined with ``card_states`` and ``decks``: what ``filter_clause`` expects."""
    return CARDS.join(DECKS, DECKS.c.id == CARDS.c.deck_id).join(
        CARD_STATES, CARD_STATES.c.card_id == CARDS.c.id
    )


#: ``cards`` columns read raw and decoded per row (see ``row_decode``).
_DECODED = frozenset(
    {
        "steps",
        "aliases",
        "exercises",
        "alternates",
        "extras",
        "created_at",
        "updated_at",
        "buried_until",
    }
)


def _raw(column: Any) -> Any:
    """``column`` as SQLite stores it: text, without SQLAlchemy's JSON/datetime decoding."""
    return type_coerce(column, String).label(column.name)


def _memory(row: Any) -> MemoryState:
    return memory_state(
        row.state,
        row.step,
        row.stability,
        row.fsrs_difficulty,
        row.due,
        row.last_review,
        row.reps,
        row.lapses,
    )


def card_from_row(row: Any, tags: Sequence[str] = (), related: Sequence[str] = ()) -> Card:
    """The ``Card`` a ``cards`` row holds (JSON columns raw, plus ``deck_name``).

    Raises one of ``row_decode.DECODE_ERRORS`` when the stored content does not decode;
    ``quizapp doctor`` checks every row with this same function.
    """
    return Card(
        id=row.uid,
        title=row.title,
        question=row.question,
        steps=steps_from_json(json_list(row.steps)),
        tags=tuple(tags),
        difficulty=row.difficulty,
        related=tuple(related),
        deck=row.deck_name,
        aliases=tuple(str(alias) for alias in json_list(row.aliases)),
        exercises=exercises_from_json(json_list(row.exercises)),
        source=row.source,
        line=row.line,
        content_hash=row.content_hash,
        kind=CardKind(row.kind),
        note=row.note,
        language=row.language,
        alternates=alternates_from_json(row.alternates),
        extras=extras_from_json(row.extras),
        link_name=row.link_name,
    )


def card_columns() -> list[Any]:
    """Every ``cards`` column, the JSON and time ones raw (for ``card_from_row``)."""
    return [_raw(column) if column.name in _DECODED else column for column in CARDS.c]


class CardRepository:
    """Queries over stored cards, answering with ``StoredCard``."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def _card_select(self) -> Select[Any]:
        # JSON and datetime columns come back raw and are decoded row by row in
        # ``_stored``: decoded while fetching, one damaged row would fail every card.
        return select(
            *card_columns(),
            DECKS.c.name.label("deck_name"),
            CARD_STATES.c.state,
            CARD_STATES.c.step,
            CARD_STATES.c.stability,
            CARD_STATES.c.difficulty.label("fsrs_difficulty"),
            _raw(CARD_STATES.c.due),
            _raw(CARD_STATES.c.last_review),
            CARD_STATES.c.reps,
            CARD_STATES.c.lapses,
        ).select_from(filtered_from())

    def _load(
        self, where: ColumnElement[bool], order: Sequence[Any], *, strict: bool = False
    ) -> list[StoredCard]:
        """The matching cards; one whose stored values do not decode is reported and left
        out, or with ``strict`` (one card asked for by id) raises ``UnreadableRowError``."""
        with self.database.begin() as conn:
            rows = conn.execute(self._card_select().where(where).order_by(*order)).all()
            if not rows:
                return []
            ids = select(CARDS.c.id).select_from(filtered_from()).where(where)
            tags: dict[int, list[str]] = {}
            for tag_row in conn.execute(
                select(CARD_TAGS.c.card_id, TAGS.c.name)
                .select_from(CARD_TAGS.join(TAGS, TAGS.c.id == CARD_TAGS.c.tag_id))
                .where(CARD_TAGS.c.card_id.in_(ids))
                .order_by(CARD_TAGS.c.card_id, CARD_TAGS.c.position)
            ):
                tags.setdefault(tag_row.card_id, []).append(tag_row.name)
            target = CARDS.alias("target")
            related: dict[int, list[RelatedLink]] = {}
            for rel in conn.execute(
                select(RELATED.c.card_id, RELATED.c.text, target.c.uid, target.c.title)
                .select_from(RELATED.outerjoin(target, target.c.id == RELATED.c.target_id))
                .where(RELATED.c.card_id.in_(ids))
                .order_by(RELATED.c.card_id, RELATED.c.position)
            ):
                related.setdefault(rel.card_id, []).append(
                    RelatedLink(rel.text, rel.uid, rel.title)
                )
        cards: list[StoredCard] = []
        for row in rows:
            try:
                cards.append(self._stored(row, tags.get(row.id, []), related.get(row.id, [])))
            except DECODE_ERRORS:
                problem = unreadable(f"card {row.uid}")
                if strict:
                    raise UnreadableRowError(problem) from None
                self.database.report(problem)
        return cards

    @staticmethod
    def _stored(row: Any, tags: list[str], related: list[RelatedLink]) -> StoredCard:
        card = card_from_row(row, tags, [link.text for link in related])
        return StoredCard(
            pk=row.id,
            card=card,
            memory=_memory(row),
            related_links=tuple(related),
            suspended=row.suspended,
            buried_until=utc_datetime(row.buried_until),
            missing=row.missing,
            source_path=row.source_path,
            created_at=utc_datetime(row.created_at),
            updated_at=utc_datetime(row.updated_at),
        )

    def get(self, uid: str) -> StoredCard | None:
        """The card with this id (exact, then case-insensitive), missing or not."""
        found = self._load(CARDS.c.uid == uid, [CARDS.c.id], strict=True)
        if not found:
            found = self._load(func.lower(CARDS.c.uid) == uid.lower(), [CARDS.c.id], strict=True)
        return found[0] if found else None

    def get_by_pk(self, pk: int) -> StoredCard | None:
        """The card with this integer key."""
        found = self._load(CARDS.c.id == pk, [CARDS.c.id], strict=True)
        return found[0] if found else None

    def find(self, card_filter: CardFilter | None = None) -> list[StoredCard]:
        """The cards matching ``card_filter``, by deck and then id."""
        where = filter_clause(card_filter or CardFilter())
        return self._load(where, [DECKS.c.name, CARDS.c.uid])

    def page(
        self,
        card_filter: CardFilter | None = None,
        *,
        order: str = "title",
        descending: bool = False,
        limit: int = 50,
        offset: int = 0,
    ) -> CardPage:
        """Cards ``offset`` to ``offset + limit`` of the filtered list sorted by ``order``.

        For a browse table's first screen on a large collection: only the page's cards
        are read whole, and the total comes with them (one window count), so the first
        rows of 100,000 cards show in tens of milliseconds where ``find`` takes seconds.
        ``order`` is a key of ``PAGE_ORDERS``; a title sorts case-insensitively (ASCII).
        """
        if order == "recall":
            key = _recall_order((card_filter or CardFilter()).now)
        elif order in PAGE_ORDERS or order in MORE_ORDERS:
            key = PAGE_ORDERS.get(order, MORE_ORDERS.get(order))
        else:
            known = ", ".join([*PAGE_ORDERS, *MORE_ORDERS, "recall"])
            raise ValueError(f"unknown sort order {order!r}; use one of {known}")
        tie = CARDS.c.id
        ordering = [key.desc(), tie.desc()] if descending else [key, tie]
        where = filter_clause(card_filter or CardFilter())
        query = (
            select(CARDS.c.id)
            .select_from(_needed_from(where, key))
            .where(where)
            .order_by(*ordering)
            .limit(limit)
            .offset(offset)
        )
        counted = select(func.count()).select_from(_needed_from(where)).where(where)
        with self.database.begin() as conn:
            rows = conn.execute(query).all()
            total = int(conn.execute(counted).scalar_one())
        ids = [int(row[0]) for row in rows]
        loaded = {stored.pk: stored for stored in self._load(CARDS.c.id.in_(ids), [CARDS.c.id])}
        return CardPage(total, [loaded[pk] for pk in ids if pk in loaded])

    def ids(self, card_filter: CardFilter | None = None) -> list[int]:
        """The keys of every card matching ``card_filter`` (one indexed read, no content),
        for acting on a whole filtered set ("study these")."""
        where = filter_clause(card_filter or CardFilter())
        query = select(CARDS.c.id).select_from(filtered_from()).where(where).order_by(CARDS.c.id)
        with self.database.begin() as conn:
            return [int(pk) for pk in conn.execute(query).scalars()]

    def count(self, *, include_missing: bool = False) -> int:
        """How many cards are stored."""
        statement = select(func.count()).select_from(CARDS)
        if not include_missing:
            statement = statement.where(CARDS.c.missing.is_(False))
        with self.database.begin() as conn:
            return int(conn.execute(statement).scalar_one())

    def tag_counts(self) -> list[TagCount]:
        """Every tag with the number of present cards carrying it, most used first."""
        count = func.count(CARDS.c.id)
        statement = (
            select(TAGS.c.name, count.label("n"))
            .select_from(
                TAGS.join(CARD_TAGS, CARD_TAGS.c.tag_id == TAGS.c.id).join(
                    CARDS, CARDS.c.id == CARD_TAGS.c.card_id
                )
            )
            .where(CARDS.c.missing.is_(False))
            .group_by(TAGS.c.id)
            .order_by(count.desc(), TAGS.c.key)
        )
        with self.database.begin() as conn:
            return [TagCount(row.name, int(row.n)) for row in conn.execute(statement)]

    def deck_names(self) -> list[str]:
        """Names of decks that hold at least one present card."""
        statement = (
            select(DECKS.c.name)
            .where(exists(select(1).where(CARDS.c.deck_id == DECKS.c.id, ~CARDS.c.missing)))
            .order_by(DECKS.c.name)
        )
        with self.database.begin() as conn:
            return [str(name) for name in conn.execute(statement).scalars()]
