"""quizapp's cards as Anki notes: the translation behind ``quizapp export OUT.apkg``.

Pure: it takes stored cards (and, with history, their review logs) and returns an
:class:`ExportPlan` of notes, fields, tags, decks, GUIDs, card scheduling and revlog rows;
``export_writer`` writes that plan with the ``anki`` library and ``store/sqlite/export_repo.py``
reads what it needs. What maps to what (docs/anki.md says it for users):

- **Notes.** A card alone is a "quizapp card" note (``export_notetypes``). The cloze
  cards of one note (``Card.note``) become one "quizapp cloze" note, their deletions put
  back together (``export_cloze``); a reversed pair becomes one "quizapp card (and
  reversed)" note. Siblings that cannot be one note (a cloze whose cards no longer share
  their text, a group of other kinds) are written one note per card.
- **Fields.** Title, Question, Answer (the steps as HTML, each step under its heading),
  Difficulty, Source id (the card's id; a note's cards' ids, one per line) and Exercise.
  Text is rendered by ``export_html``: math as MathJax, wikilinks as their text, images
  as a placeholder, the card's "More" sections after its steps. A title that only
  repeats the question's first paragraph is left out, so the card does not show it twice.
- **Live exercises** cannot run in Anki: the Exercise field says so, with the first ask.
- **Tags** ``a/b`` become ``a::b`` (spaces as ``_``, which Anki tags cannot hold),
  difficulty becomes ``difficulty::hard``; **decks** ``a/b`` become ``a::b``.
- **GUIDs** are derived from the card's id (a note's, for siblings), so exporting again
  and importing into the same Anki collection updates the notes instead of adding copies.
- **History** (``with_history``): each card's scheduling and its answers as revlog rows
  (``export_schedule``).
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from quizapp.cards import cloze
from quizapp.cards.display_markdown import plain, tidy, tidy_question, without_title
from quizapp.cards.kinds import display_title
from quizapp.cards.model import Card, CardKind, Step
from quizapp.interop.anki import export_cloze
from quizapp.interop.anki.export_html import FieldBatch, MarkdownRenderer, Mode
from quizapp.interop.anki.export_notetypes import NoteKind
from quizapp.interop.anki.export_schedule import (
    AnkiSchedule,
    DayClock,
    RevlogEntry,
    revlog_entry,
    schedule_for,
    unique_ids,
)
from quizapp.store.records import ReviewRecord, StoredCard

#: What the Exercise field says before a card's exercise (Anki cannot run it).
EXERCISE_NOTE = "runs only in quizapp, with fresh numbers each time; Anki cannot run it"
#: A step heading that says nothing when it is a card's only step (inline formats' answer).
_GENERIC_HEADINGS = frozenset({"", "Answer"})
#: Anki's GUID alphabet (``anki.utils.guid64``): 91 printable characters.
_BASE91 = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~"
)


@dataclass(frozen=True)
class ExercisePrompt:
    """A card's live exercise, as the Exercise field names it: its title and the prompt
    of its first ask (either may be empty when the exercise could not be read)."""

    title: str
    prompt: str


@dataclass(frozen=True)
class HistoryOptions:
    """What a history export needs beyond the cards: how days are counted, and how many
    learning and relearning steps quizapp's settings have (Anki's ``left``)."""

    clock: DayClock
    learning_steps: int
    relearning_steps: int


@dataclass(frozen=True)
class CardOut:
    """One Anki card of a note: the quizapp card (``pk``, ``card_id``) it is, its template
    ordinal (``ord``: 0, or the cloze ordinal - 1, or 1 for a pair's reversed side), its
    deck, and with history its scheduling and revlog rows."""

    pk: int
    card_id: str
    ord: int
    deck: str
    schedule: AnkiSchedule | None = None
    revlog: tuple[RevlogEntry, ...] = ()


@dataclass(frozen=True)
class NoteOut:
    """One Anki note: GUID, note type, fields (in the note type's order), tags, the deck
    it is added to, its cards, and when its cards were last edited in quizapp (epoch
    seconds, 0 when unknown): Anki updates a note it has only from a newer one."""

    guid: str
    kind: NoteKind
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    deck: str
    cards: tuple[CardOut, ...]
    modified: int = 0


@dataclass(frozen=True)
class ExportPlan:
    """Everything an export writes: its notes, in the order the cards came."""

    notes: tuple[NoteOut, ...] = ()
    decks: tuple[str, ...] = field(default=())

    @property
    def card_count(self) -> int:
        """How many Anki cards the notes make (one per quizapp card)."""
        return sum(len(note.cards) for note in self.notes)

    @property
    def revlog_count(self) -> int:
        """How many revlog rows go out."""
        return sum(len(card.revlog) for note in self.notes for card in note.cards)


# ----------------------------------------------------------------------- names and ids


def note_guid(key: str) -> str:
    """A stable Anki GUID for a note keyed ``key``: 64 bits of its SHA-256, written in
    Anki's own base-91 alphabet (10 characters, like the GUIDs Anki makes)."""
    number = int.from_bytes(hashlib.sha256(f"quizapp\0{key}".encode()).digest()[:8], "big")
    digits = []
    while number:
        number, digit = divmod(number, len(_BASE91))
        digits.append(_BASE91[digit])
    return "".join(reversed(digits)) or _BASE91[0]


@lru_cache(maxsize=4096)
def anki_name(path: str) -> str:
    """A quizapp deck or tag path (``a/b``) as Anki writes it (``a::b``). Cached: an
    export names the same few hundred decks and tags for thousands of cards."""
    return "::".join(part.strip() for part in path.split("/") if part.strip())


def anki_tags(tags: Sequence[str], difficulty: str | None) -> tuple[str, ...]:
    """A card's tags for Anki: hierarchy as ``::``, spaces as ``_`` (a space separates
    Anki tags), the difficulty as ``difficulty::<level>``; each once, first spelling kept."""
    return _anki_tags(tuple(tags), difficulty)


@lru_cache(maxsize=4096)
def _anki_tags(tags: tuple[str, ...], difficulty: str | None) -> tuple[str, ...]:
    result: list[str] = []
    seen: set[str] = set()
    named = [*tags, f"difficulty/{difficulty}"] if difficulty else list(tags)
    for tag in named:
        name = "_".join(anki_name(tag).split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            result.append(name)
    return tuple(result)


def anki_deck(deck: str) -> str:
    """A quizapp deck for Anki (``Default`` when it has no name)."""
    return anki_name(deck) or "Default"


def anki_decks(cards: Sequence[StoredCard]) -> tuple[str, ...]:
    """Every Anki deck an export of ``cards`` adds notes or cards to, sorted."""
    return tuple(sorted({anki_deck(stored.card.deck) for stored in cards}))


# ------------------------------------------------------------------------- the fields

#: A field in the making: literal HTML and indexes of texts in the batch, joined in order.
_Parts = list[str | int]


@dataclass
class _Draft:
    """A note before its texts are rendered."""

    guid: str
    kind: NoteKind
    fields: list[_Parts]
    tags: tuple[str, ...]
    deck: str
    cards: tuple[CardOut, ...]
    modified: int


class _Builder:
    """Collects every note's texts into one :class:`FieldBatch` (one rendering call for
    the whole export), then joins each field."""

    def __init__(self, exercises: Mapping[int, ExercisePrompt]) -> None:
        self.batch = FieldBatch()
        self.exercises = exercises

    def block(self, markdown: str) -> _Parts:
        return [self.batch.add(markdown, Mode.BLOCK)] if markdown.strip() else []

    def inline(self, markdown: str) -> _Parts:
        return [self.batch.add(markdown, Mode.INLINE)] if markdown.strip() else []

    def title(self, card: Card, question: str) -> _Parts:
        """The Title field: empty when the question's first paragraph only repeats it."""
        title = display_title(card)
        if without_title(title, question) != question:
            return []
        return self.inline(title)

    def answer(self, card: Card) -> _Parts:
        """The steps, each in a section under its heading, then the "More" sections."""
        parts: _Parts = []
        steps: Sequence[Step] = card.steps
        lone = len(steps) == 1 and steps[0].title in _GENERIC_HEADINGS
        sections = [
            ("" if lone else step.title, plain(tidy(step.text)))
            for step in steps
            if step.title or step.text.strip()
        ]
        if sections:
            parts.append(self.batch.add_steps(sections))
        if card.extras:
            parts.append('<section class="qz-more"><h3>More</h3>')
            for extra in card.extras:
                parts += ["<h4>", *self.inline(extra.heading), "</h4>"]
                parts += self.block(plain(tidy(extra.text)))
            parts.append("</section>")
        return parts

    def exercise(self, stored: StoredCard) -> _Parts:
        prompt = self.exercises.get(stored.pk)
        if prompt is None:
            return []
        parts: _Parts = ["<p><b>Live exercise</b>"]
        if prompt.title.strip():
            parts += [" (", *self.inline(prompt.title), ")"]
        parts.append(
            f": {EXERCISE_NOTE} (<code>quizapp exercise {html.escape(stored.card.id)}</code>).</p>"
        )
        if prompt.prompt.strip():
            parts += ["<p>First ask: ", *self.inline(prompt.prompt), "</p>"]
        return parts

    def resolve(self, drafts: Sequence[_Draft], renderer: MarkdownRenderer) -> list[NoteOut]:
        rendered = self.batch.render(renderer)

        def join(parts: _Parts) -> str:
            return "".join(part if isinstance(part, str) else rendered[part] for part in parts)

        return [
            NoteOut(
                draft.guid,
                draft.kind,
                tuple(join(parts) for parts in draft.fields),
                draft.tags,
                draft.deck,
                draft.cards,
                draft.modified,
            )
            for draft in drafts
        ]


def _first(pair: tuple[int | None, StoredCard]) -> int:
    return pair[0] or 0


def _ordinal(stored: StoredCard) -> int | None:
    """The one cloze ordinal a card asks, or None (no deletion, several, or malformed)."""
    try:
        ordinals = cloze.ordinals(stored.card.question)
    except cloze.ClozeError:
        return None
    return ordinals[0] if len(ordinals) == 1 else None


def _source_ids(cards: Sequence[StoredCard]) -> _Parts:
    return ["<br>".join(html.escape(stored.card.id) for stored in cards)]


# -------------------------------------------------------------------------- the notes


class _Planner:
    """Turns cards into note drafts, with their scheduling when history goes out."""

    def __init__(
        self,
        builder: _Builder,
        reviews: Mapping[int, Sequence[ReviewRecord]] | None,
        history: HistoryOptions | None,
    ) -> None:
        self.builder = builder
        self.reviews = reviews
        self.history = history
        self.drafts: list[_Draft] = []

    def card_out(self, stored: StoredCard, ord: int) -> CardOut:
        deck = anki_deck(stored.card.deck)
        if self.history is None:
            return CardOut(stored.pk, stored.card.id, ord, deck)
        options = self.history
        schedule = schedule_for(
            stored.memory,
            options.clock,
            suspended=stored.suspended,
            learning_steps=options.learning_steps,
            relearning_steps=options.relearning_steps,
        )
        answers = (self.reviews or {}).get(stored.pk, ())
        revlog = tuple(revlog_entry(record, options.clock) for record in answers)
        return CardOut(stored.pk, stored.card.id, ord, deck, schedule, revlog)

    def add(
        self,
        key: str,
        kind: NoteKind,
        fields: list[_Parts],
        first: StoredCard,
        cards: Sequence[tuple[StoredCard, int]],
    ) -> None:
        card = first.card
        edits = [int(s.updated_at.timestamp()) for s, _ in cards if s.updated_at is not None]
        self.drafts.append(
            _Draft(
                note_guid(key),
                kind,
                fields,
                anki_tags(card.tags, card.difficulty),
                anki_deck(card.deck),
                tuple(self.card_out(stored, ord) for stored, ord in cards),
                max(edits, default=0),
            )
        )

    def common(self, members: Sequence[StoredCard]) -> list[_Parts]:
        """Difficulty, Source id and Exercise, the fields every note type ends with."""
        first = members[0]
        exercise: _Parts = []
        for stored in members:
            exercise = exercise or self.builder.exercise(stored)
        return [[html.escape(first.card.difficulty or "")], _source_ids(members), exercise]

    def basic(self, stored: StoredCard) -> None:
        card = stored.card
        question = plain(tidy_question(card.question))
        fields = [
            self.builder.title(card, question),
            self.builder.block(question),
            self.builder.answer(card),
            *self.common([stored]),
        ]
        self.add(f"card:{card.id}", NoteKind.CARD, fields, stored, [(stored, 0)])

    def reversed_pair(self, forward: StoredCard, backward: StoredCard) -> None:
        card = forward.card
        question = plain(tidy_question(card.question))
        fields = [
            self.builder.title(card, question),
            self.builder.block(question),
            self.builder.answer(card),
            *self.common([forward, backward]),
        ]
        cards = [(forward, 0), (backward, 1)]
        self.add(f"note:{card.note}", NoteKind.REVERSED, fields, forward, cards)

    def cloze_note(self, key: str, text: str, members: Sequence[StoredCard]) -> None:
        first = members[0]
        question = plain(tidy_question(text))
        try:
            filled = cloze.plain(question)
        except cloze.ClozeError:
            filled = question
        title = display_title(first.card)
        repeats = without_title(title, filled) != filled
        steps: list[Step] = []
        for stored in members:  # Anki has one Back Extra per note: every card's, once
            steps += [step for step in stored.card.steps if step not in steps]
        fields: list[_Parts] = [
            [self.builder.batch.add(question, Mode.CLOZE)],
            self.builder.answer(replace(first.card, steps=tuple(steps))),
            [] if repeats else self.builder.inline(title),
            *self.common(members),
        ]
        cards = [(stored, (_ordinal(stored) or 1) - 1) for stored in members]
        self.add(key, NoteKind.CLOZE, fields, first, cards)

    def lone_cloze(self, stored: StoredCard) -> None:
        if _ordinal(stored) is None:
            self.basic(stored)  # no deletion Anki could ask: shown as written
            return
        self.cloze_note(f"card:{stored.card.id}", stored.card.question, [stored])

    def group(self, members: Sequence[StoredCard]) -> None:
        """The cards of one note: one Anki note when they fit one, else one each."""
        kinds = sorted(stored.kind for stored in members)
        note = members[0].card.note
        ordinals = [_ordinal(stored) for stored in members]
        if (
            kinds == [CardKind.CLOZE] * len(members)
            and None not in ordinals
            and (self._same_note(members))
        ):
            ordered = [s for _, s in sorted(zip(ordinals, members, strict=True), key=_first)]
            merged = export_cloze.merge([stored.card.question for stored in ordered])
            if merged is not None:
                self.cloze_note(f"note:{note}", merged, ordered)
                return
        if kinds == [CardKind.BASIC, CardKind.REVERSED] and self._same_note(members):
            forward = next(s for s in members if s.kind is CardKind.BASIC)
            backward = next(s for s in members if s.kind is CardKind.REVERSED)
            self.reversed_pair(forward, backward)
            return
        for stored in members:
            self.single(stored)

    @staticmethod
    def _same_note(members: Sequence[StoredCard]) -> bool:
        """Whether the cards agree on what an Anki note holds once: tags and difficulty."""
        first = members[0].card
        return all(
            (s.card.tags, s.card.difficulty) == (first.tags, first.difficulty) for s in members
        )

    def single(self, stored: StoredCard) -> None:
        if stored.kind is CardKind.CLOZE:
            self.lone_cloze(stored)
        else:
            self.basic(stored)


#: How many cards are translated between two hand-overs to ``on_notes``: enough that a
#: rendering call and an ``add_notes`` call each carry a lot, few enough that the
#: writer starts early.
CHUNK_CARDS = 2_000


def plan_export(
    cards: Sequence[StoredCard],
    *,
    renderer: MarkdownRenderer | None = None,
    reviews: Mapping[int, Sequence[ReviewRecord]] | None = None,
    history: HistoryOptions | None = None,
    exercises: Mapping[int, ExercisePrompt] | None = None,
    on_notes: Callable[[Sequence[NoteOut]], None] | None = None,
    chunk_cards: int = CHUNK_CARDS,
) -> ExportPlan:
    """The Anki notes for ``cards`` (see the module's docstring), in their order.

    ``renderer`` turns Markdown into HTML (markdown-it when None; ``export_writer``
    passes Anki's own, batched). With ``history``, each card carries its scheduling and
    its ``reviews`` (by card pk, oldest first) as revlog rows with unique ids.
    ``exercises`` gives, by card pk, the live exercise of the cards that have one.

    The notes are made ``chunk_cards`` cards at a time (a note's cards never split), and
    each chunk's notes are handed to ``on_notes`` as soon as they are made, so that the
    writer can add them to Anki while the next chunk is translated. Their fields, tags,
    decks and GUIDs are final; only the revlog ids of the returned plan may differ (they
    are made unique across the whole export at the end).
    """
    from quizapp.interop.anki.export_html import markdown_it_renderer

    render = renderer or markdown_it_renderer
    groups: dict[str, list[StoredCard]] = {}
    order: list[StoredCard | str] = []
    for stored in cards:
        note = stored.card.note
        if not note:
            order.append(stored)
        elif note in groups:
            groups[note].append(stored)
        else:
            groups[note] = [stored]
            order.append(note)
    notes: list[NoteOut] = []
    planner = _Planner(_Builder(exercises or {}), reviews, history)
    planned = 0

    def hand_over() -> None:
        made = planner.builder.resolve(planner.drafts, render)
        notes.extend(made)
        if on_notes is not None and made:
            on_notes(made)
        planner.builder = _Builder(exercises or {})
        planner.drafts = []

    for item in order:
        if isinstance(item, str):
            members = groups[item]
            if len(members) > 1:
                planner.group(members)
            else:
                planner.single(members[0])
            planned += len(members)
        else:
            planner.single(item)
            planned += 1
        if planned >= chunk_cards:
            hand_over()
            planned = 0
    hand_over()
    if history is not None:
        notes = _with_unique_revlog(notes)
    decks = sorted({card.deck for note in notes for card in note.cards})
    return ExportPlan(tuple(notes), tuple(decks))


def _with_unique_revlog(notes: list[NoteOut]) -> list[NoteOut]:
    """The notes with revlog ids unique across the whole export (Anki's primary key)."""
    entries = [entry for note in notes for card in note.cards for entry in card.revlog]
    unique = unique_ids(entries)
    by_card: dict[int, list[RevlogEntry]] = {}
    for entry in unique:
        by_card.setdefault(entry.card_pk, []).append(entry)
    return [
        NoteOut(
            note.guid,
            note.kind,
            note.fields,
            note.tags,
            note.deck,
            cards=tuple(
                CardOut(
                    card.pk,
                    card.card_id,
                    card.ord,
                    card.deck,
                    card.schedule,
                    tuple(by_card.get(card.pk, ())),
                )
                for card in note.cards
            ),
            modified=note.modified,
        )
        for note in notes
    ]
