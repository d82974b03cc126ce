"""Anki notes as quizapp cards: which note type makes which cards, with what text.

- **Basic** and **Basic (type in the answer)**: one basic card, the first field the
  question, the second its answer (no answer: a question-only card).
- **Basic (and reversed card)** and **Basic (optional reversed card)**: the cards Anki
  made, as siblings of one note: the front-to-back card is basic, the back-to-front one
  ``reversed``.
- **Cloze** (any cloze note type): one cloze card per ``cN`` Anki made, in quizapp's
  cloze markup (``cards/cloze.py``, the same ``{{cN::answer::hint}}``); the note's other
  non-empty fields (Back Extra) are steps shown after the reveal, titled by field name.
- **quizapp card**, **quizapp card (and reversed)** and **quizapp cloze** (the note types
  ``quizapp export`` writes, known by their Source id field): the cards they came from,
  ids included (one per line of Source id, in the order of the cards), so that a round
  trip keeps the history; the Answer's step headings become steps again.
- **Any other note type**: one card per note, the first field the question and every
  other non-empty field an answer step titled by its field name. When such a note has
  several cards in Anki, the first one's schedule and history are kept.

A card's id is ``anki/<note GUID>/<card>`` (``c1``…, or ``card1``…), so that importing a
newer version of the same deck finds the same cards. Decks ``A::B`` become ``A/B``, tags
``a::b`` become ``a/b``; a tag ``difficulty::hard`` (as quizapp exports it) is the
card's difficulty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from quizapp.cards import cloze
from quizapp.cards.identity import hashed, normalise_id
from quizapp.cards.languages import EXTRA_KINDS, heading_role
from quizapp.cards.metadata import DIFFICULTIES
from quizapp.cards.model import Card, CardExtra, CardKind, Problem, Severity, Step
from quizapp.interop.anki.content import field_markdown, media_names, plain_text
from quizapp.interop.anki.reader import AnkiCard, AnkiCollection, AnkiNote, AnkiNoteType

#: The fields that identify quizapp's own note type.
QUIZAPP_FIELDS = ("Title", "Question", "Answer", "Difficulty", "Source id")
#: Stock note types by name, for collections older than ``originalStockKind``.
_BASIC_NAMES = frozenset({"basic", "basic (type in the answer)"})
_REVERSED_NAMES = frozenset({"basic (and reversed card)", "basic (optional reversed card)"})
#: ``originalStockKind`` values.
_STOCK_BASIC, _STOCK_REVERSED, _STOCK_OPTIONAL_REVERSED, _STOCK_TYPING = 0, 1, 2, 3
#: The longest title taken from a question's first line.
TITLE_CHARS = 80
_SAFE_GUID = re.compile(r"[A-Za-z0-9_-]+")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$", re.MULTILINE)
_MARKUP = re.compile(r"[*_`$]+|\\(?=[\\*_])")


@dataclass
class NoteCards:
    """The cards made from a collection: each with the Anki card whose schedule and
    history it takes; the problems found (a note skipped is a warning); the media files
    the imported notes refer to."""

    cards: list[tuple[Card, AnkiCard]] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    media: set[str] = field(default_factory=set)


def notetype_kind(notetype: AnkiNoteType) -> str:
    """``"cloze"``, ``"basic"``, ``"reversed"``, ``"quizapp"`` or ``"other"``."""
    if notetype.cloze:
        return "cloze"
    if set(QUIZAPP_FIELDS) <= set(notetype.fields):
        return "quizapp"  # "quizapp card", and "quizapp card (and reversed)" with 2 cards
    name = notetype.name.casefold()
    two_fields = len(notetype.fields) == 2
    if name in _BASIC_NAMES or (
        two_fields
        and len(notetype.templates) == 1
        and notetype.stock_kind in (_STOCK_BASIC, _STOCK_TYPING)
        and name.startswith("basic")
    ):
        return "basic"
    if name in _REVERSED_NAMES or (
        two_fields
        and notetype.stock_kind in (_STOCK_REVERSED, _STOCK_OPTIONAL_REVERSED)
        and name.startswith("basic")
    ):
        return "reversed"
    return "other"


def guid_key(guid: str) -> str:
    """The note's GUID as it stands in card ids: itself when it is plain letters, digits,
    ``-`` and ``_``, else ``g`` and its hex (GUIDs may hold ``/``, ``#``, ``:``)."""
    if _SAFE_GUID.fullmatch(guid):
        return guid
    return "g" + guid.encode("utf-8").hex()


def deck_name(anki_name: str) -> str:
    """Anki's ``A::B::C`` as quizapp's ``A/B/C``."""
    return "/".join(part.strip() for part in anki_name.split("::") if part.strip()) or "Default"


def tags_and_difficulty(anki_tags: tuple[str, ...]) -> tuple[tuple[str, ...], str | None]:
    """Anki's tags as quizapp's (``a::b`` → ``a/b``), and the difficulty a
    ``difficulty::…`` tag gives."""
    tags: list[str] = []
    difficulty = None
    for tag in anki_tags:
        parts = [part for part in tag.split("::") if part]
        if (
            len(parts) == 2
            and parts[0].casefold() == "difficulty"
            and parts[1].casefold() in DIFFICULTIES
        ):
            difficulty = parts[1].casefold()
            continue
        name = "/".join(parts)
        if name and name not in tags:
            tags.append(name)
    return tuple(tags), difficulty


def _title(markdown: str) -> str:
    for line in markdown.splitlines():
        text = " ".join(_MARKUP.sub("", line).lstrip("#>- ").split())
        if text:
            return text if len(text) <= TITLE_CHARS else text[: TITLE_CHARS - 1].rstrip() + "…"
    return "(untitled)"


def _steps_from_markdown(markdown: str) -> tuple[tuple[Step, ...], tuple[CardExtra, ...]]:
    """An answer written with headings (as quizapp exports steps) as one step per
    heading, text without headings as one untitled step; after a "More" heading, each
    sub-heading is a section of the card's "More" panel (``CardExtra``)."""
    matches = list(_HEADING.finditer(markdown))
    steps: list[Step] = []
    extras: list[CardExtra] = []
    before = markdown[: matches[0].start()].strip() if matches else markdown.strip()
    if before:
        steps.append(Step((), before))
    more = False
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(markdown)
        text = markdown[match.end() : end].strip()
        heading = match.group(2)
        if not more and heading == "More" and not text:
            more = True
        elif more:
            role = heading_role(heading)
            kind = str(role.role) if role is not None else ""
            extras.append(CardExtra(kind if kind in EXTRA_KINDS else "see_also", heading, text))
        else:
            steps.append(Step((heading,), text))
    return tuple(steps), tuple(extras)


class _Builder:
    """Makes the cards of one collection (see the module's docstring)."""

    def __init__(self, collection: AnkiCollection, source: str) -> None:
        self.collection = collection
        self.source = source
        self.out = NoteCards()
        self.cards_by_note: dict[int, list[AnkiCard]] = {}
        for card in collection.cards:
            self.cards_by_note.setdefault(card.note, []).append(card)
        self.kinds = {nid: notetype_kind(nt) for nid, nt in collection.notetypes.items()}
        # What every card of a note shares, worked out once per note and deck (a note
        # makes up to a few cards, and a package's decks are few)
        self.deck_names = {deck_id: deck_name(name) for deck_id, name in collection.decks.items()}
        self._shared: tuple[int, dict[str, object]] | None = None

    def problem(self, note: AnkiNote, message: str, severity: Severity) -> None:
        notetype = self.collection.notetypes.get(note.notetype)
        where = f"note {note.guid} ({notetype.name if notetype else 'unknown note type'})"
        target = self.out.errors if severity is Severity.ERROR else self.out.warnings
        target.append(Problem(self.source, 1, f"{where}: {message}", severity))

    def source_ids(self, note: AnkiNote, anki_cards: list[AnkiCard]) -> dict[int, str]:
        """The quizapp ids a note exported by quizapp names (its Source id field, one per
        card in the order of the cards' ordinals), by Anki card id."""
        notetype = self.collection.notetypes[note.notetype]
        if "Source id" not in notetype.fields:
            return {}
        text = note.fields[notetype.fields.index("Source id")]
        lines = [plain_text(line) for line in re.split(r"<br\s*/?>|\n", text, flags=re.I)]
        ids = [normalise_id(line) for line in lines if line]
        ordered = sorted(anki_cards, key=lambda card: card.ordinal)
        return {card.id: uid for card, uid in zip(ordered, ids, strict=False)}

    def _note_values(self, anki_note: AnkiNote) -> dict[str, object]:
        """The values every card of ``anki_note`` starts from (its id's prefix under
        ``"id"``, tags, difficulty, deck), worked out for the note's first card."""
        if self._shared is not None and self._shared[0] == anki_note.id:
            return self._shared[1]
        tags, difficulty = tags_and_difficulty(anki_note.tags)
        anki_cards = self.cards_by_note.get(anki_note.id, [])
        deck_id = anki_cards[0].deck if anki_cards else 0
        deck = self.deck_names.get(deck_id) or deck_name("Default")
        shared: dict[str, object] = {
            "id": f"anki/{guid_key(anki_note.guid)}/",
            "tags": tags,
            "difficulty": difficulty,
            "deck": deck,
            "source": self.source,
            "format": "anki",
        }
        self._shared = (anki_note.id, shared)
        return shared

    def card(self, anki_note: AnkiNote, suffix: str, **values: object) -> Card:
        base = dict(self._note_values(anki_note))
        base["id"] = f"{base['id']}{suffix}"
        base.update(values)
        return hashed(Card(**base))  # type: ignore[arg-type]

    def add(self, note: AnkiNote) -> None:
        notetype = self.collection.notetypes.get(note.notetype)
        anki_cards = self.cards_by_note.get(note.id, [])
        if notetype is None or not anki_cards:
            return  # a note without cards shows nowhere in Anki either
        values = dict(zip(notetype.fields, note.fields, strict=False))
        media = [name for text in note.fields for name in media_names(text)]
        if not media and not any(plain_text(text) for text in note.fields):
            self.problem(
                note, "every field is empty; fill one in or delete the note in Anki", Severity.ERROR
            )
            return
        self.out.media.update(media)
        kind = self.kinds[note.notetype]
        try:
            if kind == "cloze":
                self.add_cloze(note, notetype, anki_cards)
            elif kind == "quizapp":
                self.add_quizapp(note, values, anki_cards)
            elif kind == "reversed":
                self.add_reversed(note, notetype, anki_cards)
            else:
                self.add_plain(note, notetype, anki_cards, titled=kind == "other")
        except cloze.ClozeError as exc:
            self.problem(note, f"skipped: {exc.message}", Severity.WARNING)

    def add_plain(
        self, note: AnkiNote, notetype: AnkiNoteType, anki_cards: list[AnkiCard], titled: bool
    ) -> None:
        question = field_markdown(note.fields[0])
        steps = tuple(
            Step((name,) if titled else (), markdown)
            for name, text in zip(notetype.fields[1:], note.fields[1:], strict=False)
            if (markdown := field_markdown(text))
        )
        kind = CardKind.BASIC if steps else CardKind.QUESTION_ONLY
        if not question:
            self.problem(note, "skipped: its first field (the question) is empty", Severity.WARNING)
            return
        made = self.card(
            note, "card1", title=_title(question), question=question, steps=steps, kind=kind
        )
        self.out.cards.append((made, anki_cards[0]))

    def add_reversed(
        self, note: AnkiNote, notetype: AnkiNoteType, anki_cards: list[AnkiCard]
    ) -> None:
        front = field_markdown(note.fields[0])
        back = field_markdown(note.fields[1]) if len(note.fields) > 1 else ""
        key = f"anki/{guid_key(note.guid)}"
        for anki_card in anki_cards:
            if anki_card.ordinal == 0:
                question, answer, kind = front, back, CardKind.BASIC
            else:
                question, answer, kind = back, front, CardKind.REVERSED
            if not question:
                continue
            made = self.card(
                note,
                f"card{anki_card.ordinal + 1}",
                title=_title(question),
                question=question,
                steps=(Step((), answer),) if answer else (),
                kind=kind,
                note=key,
            )
            self.out.cards.append((made, anki_card))

    def add_cloze(self, note: AnkiNote, notetype: AnkiNoteType, anki_cards: list[AnkiCard]) -> None:
        text = field_markdown(note.fields[0])
        extras = tuple(
            Step((name,), markdown)
            for name, field_text in zip(notetype.fields[1:], note.fields[1:], strict=False)
            if (markdown := field_markdown(field_text))
        )
        present = set(cloze.ordinals(text))
        key = f"anki/{guid_key(note.guid)}"
        ids = self.source_ids(note, anki_cards)
        values = dict(zip(notetype.fields, note.fields, strict=False))
        exported = "Source id" in values  # quizapp's own cloze type: its other fields
        if exported:
            extras = tuple(step for step in extras if step.path[0] == "Back Extra")
        for anki_card in anki_cards:
            ordinal = anki_card.ordinal + 1
            if ordinal not in present:
                continue  # Anki keeps a card whose deletion was removed; it shows nothing
            question = cloze.card_text(text, ordinal)
            extra: dict[str, object] = {}
            if anki_card.id in ids:
                extra["id"] = ids[anki_card.id]
            if exported and plain_text(values.get("Title", "")):
                extra["title"] = plain_text(values["Title"])
            difficulty = plain_text(values.get("Difficulty", "")).casefold()
            if difficulty in DIFFICULTIES:
                extra["difficulty"] = difficulty
            made = self.card(
                note,
                f"c{ordinal}",
                **{"title": _title(question), **extra},
                question=question,
                steps=extras,
                kind=CardKind.CLOZE,
                note=key,
            )
            self.out.cards.append((made, anki_card))

    def add_quizapp(
        self, note: AnkiNote, values: dict[str, str], anki_cards: list[AnkiCard]
    ) -> None:
        question = field_markdown(values["Question"])
        if not question:
            self.problem(note, "skipped: its Question field is empty", Severity.WARNING)
            return
        answer = field_markdown(values["Answer"])
        steps, card_extras = _steps_from_markdown(answer)
        difficulty = plain_text(values["Difficulty"]).casefold()
        ids = self.source_ids(note, anki_cards)
        common: dict[str, object] = {"extras": card_extras}
        if difficulty in DIFFICULTIES:
            common["difficulty"] = difficulty
        title = plain_text(values["Title"]) or _title(question)
        pair = len(anki_cards) > 1  # "quizapp card (and reversed)"
        key = f"anki/{guid_key(note.guid)}" if pair else ""
        for anki_card in sorted(anki_cards, key=lambda card: card.ordinal):
            extra = dict(common)
            if anki_card.id in ids:
                extra["id"] = ids[anki_card.id]
            if anki_card.ordinal == 0:
                made = self.card(
                    note,
                    "card1",
                    title=title,
                    question=question,
                    steps=steps,
                    note=key,
                    kind=CardKind.BASIC if steps else CardKind.QUESTION_ONLY,
                    **extra,
                )
            elif answer:
                made = self.card(
                    note,
                    f"card{anki_card.ordinal + 1}",
                    title=_title(answer),
                    question=answer,
                    steps=(Step((), question),),
                    kind=CardKind.REVERSED,
                    note=key,
                    **extra,
                )
            else:
                continue
            self.out.cards.append((made, anki_card))
            if not pair:
                break


def note_cards(collection: AnkiCollection, source: str) -> NoteCards:
    """Every card the collection's notes make, with the problems found; a note whose
    fields are all empty is an error (the package is refused), a note that makes no card
    a warning. Two notes that would give the same card id keep the first."""
    builder = _Builder(collection, source)
    for note in collection.notes:
        builder.add(note)
    seen: set[str] = set()
    unique: list[tuple[Card, AnkiCard]] = []
    for made, anki_card in builder.out.cards:
        if made.id in seen:
            builder.out.warnings.append(
                Problem(
                    source,
                    1,
                    f'card "{made.id}" appears twice; the first is kept',
                    Severity.WARNING,
                )
            )
            continue
        seen.add(made.id)
        unique.append((made, anki_card))
    builder.out.cards = unique
    return builder.out
