"""Writing an :class:`~quizapp.interop.anki.export.ExportPlan` as an ``.apkg``, with the
``anki`` library itself.

The package is made the way Anki makes one: a scratch collection in a temporary folder
gets quizapp's note types (with their fixed ids), the decks, a deck preset with quizapp's
FSRS settings when history goes out, and the notes, added with ``add_notes``; the
cards' scheduling goes in through ``update_cards``; then Anki's own
``export_anki_package`` writes the file. No byte of the package is written by quizapp, so
every Anki version that reads Anki's packages reads these.

Adding notes is most of the library's share of an export, and it runs in Rust without
Python's lock. So the notes can be handed over chunk by chunk as they are translated
(:meth:`PackageWriter.prepare`, then :meth:`PackageWriter.add` from ``plan_export``'s
``on_notes``) and are added by one background thread while the next chunk is
translated; Markdown is rendered by a second scratch collection meanwhile, since each
collection serves one call at a time.

The one thing the library has no call for is adding review history that happened
elsewhere (its scheduler records answers as they are given, at the current time), so the
revlog rows are inserted through the collection's own database handle (``col.db``), in
Anki's revlog schema, before the export.

The library is an optional extra: :func:`open_writer` raises :class:`AnkiExportError`
with the line that says how to install it.
"""

from __future__ import annotations

import copy
import hashlib
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizapp.interop.anki.export import ExportPlan, NoteOut
from quizapp.interop.anki.export_html import MarkdownRenderer, batched
from quizapp.interop.anki.export_notetypes import NoteKind, NoteTypeSpec, note_types
from quizapp.interop.anki.export_schedule import NEW_POSITION, QUEUE_SUSPENDED, AnkiSchedule

if TYPE_CHECKING:
    from anki.cards import Card as AnkiCard
    from anki.collection import Collection

#: How to get the library when it is missing (the same words as the import's).
INSTALL_HINT = "pip install 'quizapp[anki]' (or, in a checkout: uv sync --extra anki)"
#: The fixed id of the "quizapp" deck preset, so that a second import updates it.
PRESET_ID = 1_700_015_000_101
#: Anki's "Default" deck, where cards of quizapp's unnamed deck go.
DEFAULT_DECK_ID = 1


class AnkiExportError(Exception):
    """An export that cannot be written: one line that says why and what to do."""


@dataclass(frozen=True)
class DeckPreset:
    """quizapp's scheduling settings as an Anki deck preset ("quizapp"): the learning and
    relearning steps in minutes, the longest interval, the daily limits, whether siblings
    are buried, the desired retention and the FSRS-6 parameters."""

    learning_steps: tuple[float, ...]
    relearning_steps: tuple[float, ...]
    maximum_interval: int
    new_per_day: int
    reviews_per_day: int
    bury_siblings: bool
    desired_retention: float
    parameters: tuple[float, ...]


class PackageWriter:
    """A scratch Anki collection that one export fills and writes out. While notes are
    being added in the background, Markdown is rendered by a second collection, opened
    by ``open_renderer`` the first time it is needed (a small export never needs it)."""

    def __init__(
        self, collection: Collection, open_renderer: Callable[[], Collection] | None = None
    ) -> None:
        self.col = collection
        self._open_renderer = open_renderer
        self._render_col: Collection | None = None
        self._adder: ThreadPoolExecutor | None = None
        #: Each chunk handed to :meth:`add`, with its notes' ids once added.
        self._added: list[tuple[tuple[NoteOut, ...], Future[list[int]]]] = []
        self._notetype_ids: dict[NoteKind, int] = {}
        self._deck_ids: dict[str, int] | None = None

    @property
    def today(self) -> int:
        """The collection's day number for today (review due days count from it)."""
        return int(self.col.sched.today)

    @property
    def renderer(self) -> MarkdownRenderer:
        """Anki's own Markdown renderer (Rust), batched (``export_html``). Its sanitiser
        is not needed, and would take three quarters of the time: ``export_html``
        escapes raw HTML before rendering and cuts script addresses after."""
        return batched(lambda text: self._free_collection().render_markdown(text, sanitize=False))

    def _free_collection(self) -> Collection:
        """The package's collection when no chunk is being added to it (only this
        thread hands chunks over), else the second one (a collection serves one call
        at a time, and the adding must not wait for rendering nor the reverse)."""
        if self._open_renderer is None or all(done.done() for _, done in self._added):
            return self.col
        if self._render_col is None:
            self._render_col = self._open_renderer()
        return self._render_col

    def prepare(
        self, decks: Iterable[str], *, with_history: bool, preset: DeckPreset | None = None
    ) -> None:
        """Make the decks (and with history the deck preset) before any note comes, so
        that :meth:`add` can add notes as they are translated. ``decks`` must name every
        deck of the notes and cards to come."""
        self._deck_ids = self._add_decks(sorted(set(decks)))
        if with_history and preset is not None:
            self._add_preset(preset, sorted(set(self._deck_ids.values())))

    def add(self, notes: Sequence[NoteOut]) -> None:
        """Have ``notes`` added to the collection in the background, after those handed
        over before (:meth:`prepare` first). Raises the error of a chunk that failed, so
        that the export stops translating.

        The request is encoded here, so that the background thread holds Python's lock
        only to start and end Anki's call: the translation goes on meanwhile."""
        from anki import notes_pb2

        if self._deck_ids is None:
            raise RuntimeError("PackageWriter.prepare must come before add")
        for _, done in self._added:
            if done.done() and done.exception() is not None:
                done.result()
        if self._adder is None:
            self._adder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="anki-add")
        chunk = tuple(notes)
        specs = note_types()
        deck_ids = self._deck_ids
        request = notes_pb2.AddNotesRequest(
            requests=[
                notes_pb2.AddNoteRequest(
                    note=notes_pb2.Note(
                        guid=note.guid,
                        notetype_id=specs[note.kind].id,
                        tags=note.tags,
                        fields=note.fields,
                    ),
                    deck_id=deck_ids[note.deck],
                )
                for note in chunk
            ]
        ).SerializeToString()
        self._added.append((chunk, self._adder.submit(self._add_chunk, chunk, request)))

    def _add_chunk(self, notes: tuple[NoteOut, ...], request: bytes) -> list[int]:
        """One chunk's notes added (``request``: their ``AddNotesRequest``) and dated, in
        the background thread."""
        from anki import notes_pb2
        from anki.errors import AnkiException

        for kind in sorted({note.kind for note in notes} - self._notetype_ids.keys()):
            self._notetype_ids[kind] = self._add_note_type(note_types()[kind])
        try:
            added = notes_pb2.AddNotesResponse.FromString(self.col._backend.add_notes_raw(request))
        except AnkiException as error:
            raise AnkiExportError(self._culprit(notes, error)) from None
        note_ids = [int(nid) for nid in added.nids]
        self._date_notes(notes, note_ids)
        return note_ids

    def close(self) -> None:
        """Stop the background thread (after the chunk it is adding) and close the
        second collection."""
        if self._adder is not None:
            self._adder.shutdown(wait=True, cancel_futures=True)
            self._adder = None
        if self._render_col is not None:
            self._render_col.close(downgrade=False)
            self._render_col = None

    def write(
        self,
        plan: ExportPlan,
        out: Path,
        *,
        with_history: bool,
        preset: DeckPreset | None = None,
        legacy: bool = False,
    ) -> None:
        """Fill the collection with ``plan`` and export it to ``out``.

        With ``with_history`` the package carries scheduling, the revlog and the deck
        preset; without, Anki imports every card as new. ``legacy`` writes the older
        package format (``collection.anki21``) for Anki versions before 2.1.50. The notes
        already handed to :meth:`add` (which must be ``plan``'s, in order) are waited
        for; without any, every note is added now.
        """
        from anki.collection import ExportAnkiPackageOptions

        if not self._added:
            if self._deck_ids is None:
                decks = {*plan.decks, *(note.deck for note in plan.notes)}
                self.prepare(decks, with_history=with_history, preset=preset)
            self.add(plan.notes)
        note_ids = self._note_ids(plan)
        assert self._deck_ids is not None
        self._place_cards(plan, note_ids, self._deck_ids, with_history)
        options = ExportAnkiPackageOptions(
            with_scheduling=with_history,
            with_deck_configs=with_history and preset is not None,
            with_media=False,
            legacy=legacy,
        )
        self.col.export_anki_package(out_path=str(out), options=options, limit=None)

    def _note_ids(self, plan: ExportPlan) -> list[int]:
        """The ids of ``plan``'s notes, once every chunk is added (a chunk's error raised)."""
        note_ids: list[int] = []
        guids: list[str] = []
        for chunk, done in self._added:
            note_ids += done.result()
            guids += (note.guid for note in chunk)
        if guids != [note.guid for note in plan.notes]:
            raise RuntimeError("the notes handed to PackageWriter.add are not the plan's")
        return note_ids

    # --------------------------------------------------------------------------------

    def _add_decks(self, names: list[str]) -> dict[str, int]:
        """The decks, created in one transaction (alone, each is a commit and a sync:
        5 ms, and a collection has hundreds); their ids by name."""
        db = self.col.db
        assert db is not None
        ids: dict[str, int] = {}

        def add() -> None:
            for name in names:
                ids[name] = int(self.col.decks.id(name) or 1)

        db.transact(add)
        return ids

    def _add_note_type(self, spec: NoteTypeSpec) -> int:
        from anki.consts import MODEL_CLOZE, MODEL_STD

        models = self.col.models
        notetype = models.new(spec.name)
        for name in spec.fields:
            field = models.new_field(name)
            field["id"] = _stable_id(f"{spec.name}\0field\0{name}")
            models.add_field(notetype, field)
        for name, front, back in spec.templates:
            template = models.new_template(name)
            template["qfmt"] = front
            template["afmt"] = back
            template["id"] = _stable_id(f"{spec.name}\0template\0{name}")
            models.add_template(notetype, template)
        notetype["css"] = spec.css
        notetype["sortf"] = spec.sort_field
        notetype["type"] = MODEL_CLOZE if spec.cloze else MODEL_STD
        notetype["id"] = spec.id
        models.update(notetype)  # keeps the id given: a new one would not match on import
        return spec.id

    def _add_preset(self, preset: DeckPreset, deck_ids: list[int]) -> None:
        decks = self.col.decks
        conf: dict[str, Any] = copy.deepcopy(decks.get_config(1))  # type: ignore[arg-type]
        conf["id"] = PRESET_ID
        conf["name"] = "quizapp"
        conf["new"]["delays"] = list(preset.learning_steps)
        conf["new"]["perDay"] = preset.new_per_day
        conf["new"]["bury"] = preset.bury_siblings
        conf["lapse"]["delays"] = list(preset.relearning_steps)
        conf["rev"]["perDay"] = preset.reviews_per_day
        conf["rev"]["maxIvl"] = preset.maximum_interval
        conf["rev"]["bury"] = preset.bury_siblings
        conf["desiredRetention"] = preset.desired_retention
        conf["fsrsParams6"] = list(preset.parameters)
        decks.update_config(conf)
        for deck_id in deck_ids:
            if deck_id == DEFAULT_DECK_ID:
                continue  # the user's own Default deck keeps its preset on import
            deck = decks.get(deck_id)  # type: ignore[arg-type]
            if deck is not None and not deck.get("dyn"):
                decks.set_config_id_for_deck_dict(deck, PRESET_ID)  # type: ignore[arg-type]

    def _date_notes(self, notes: tuple[NoteOut, ...], note_ids: list[int]) -> None:
        """Each note's modification time set to its cards' last edit in quizapp (Anki
        stamps the time of adding). Anki's importer updates a note it already has only
        from a newer one, so an unchanged card does not overwrite what was edited in
        Anki since, and an edited one does."""
        dated = [
            (note.modified, nid)
            for note, nid in zip(notes, note_ids, strict=True)
            if note.modified > 0
        ]
        if dated:
            db = self.col.db
            assert db is not None
            # One transaction: alone, each row would be committed (and synced) by itself.
            db.transact(lambda: db.executemany("update notes set mod = ? where id = ?", dated))

    def _culprit(self, notes: tuple[NoteOut, ...], error: Exception) -> str:
        """The one line for a chunk Anki refused: which card it refused, found by adding
        the chunk's notes one at a time (only after a failure)."""
        from anki.errors import AnkiException
        from anki.notes import Note

        assert self._deck_ids is not None
        for note in notes:
            notetype = self.col.models.get(self._notetype_ids[note.kind])  # type: ignore[arg-type]
            anki_note = Note(self.col, notetype)
            anki_note.fields = list(note.fields)
            anki_note.tags = list(note.tags)
            anki_note.guid = note.guid
            try:
                self.col.add_note(anki_note, self._deck_ids[note.deck])  # type: ignore[arg-type]
            except AnkiException as single:
                ids = ", ".join(card.card_id for card in note.cards)
                return f"Anki refused the note of card {ids}: {single}"
        return f"Anki refused the notes: {error}"

    def _place_cards(
        self, plan: ExportPlan, note_ids: list[int], deck_ids: dict[str, int], history: bool
    ) -> None:
        """Each card in its own deck, and with history its scheduling and revlog rows."""
        wanted = [
            (note, card)
            for note in plan.notes
            for card in note.cards
            if card.deck != note.deck or (history and card.schedule is not None)
        ]
        revlog = (
            [(card, entry) for note in plan.notes for card in note.cards for entry in card.revlog]
            if history
            else []
        )
        if not wanted and not revlog:
            return
        db = self.col.db
        assert db is not None
        guids = {note.guid: nid for note, nid in zip(plan.notes, note_ids, strict=True)}
        rows = db.all(
            "select id, nid, did, ord, mod, usn, type, queue, due, ivl, factor, reps,"
            " lapses, left, odue, odid, flags, data from cards"
        )
        card_ids = {(int(row[1]), int(row[3])): int(row[0]) for row in rows}
        by_id = {int(row[0]): row for row in rows}

        def card_id(note: NoteOut, ord: int) -> int:
            key = (guids[note.guid], ord)
            if key not in card_ids:
                ids = ", ".join(card.card_id for card in note.cards)
                raise AnkiExportError(f"Anki made no card {ord + 1} for the note of card {ids}")
            return card_ids[key]

        updated: list[AnkiCard] = []
        for note, card in wanted:
            anki_card = self._card(by_id[card_id(note, card.ord)])
            anki_card.did = deck_ids[card.deck]  # type: ignore[assignment]
            if history and card.schedule is not None:
                _schedule(anki_card, card.schedule)
            updated.append(anki_card)
        if updated:
            self.col.update_cards(updated, skip_undo_entry=True)
        if revlog:
            cids = {
                card.pk: card_id(note, card.ord)
                for note in plan.notes
                for card in note.cards
                if card.revlog
            }
            rows = [
                (e.id, cids[c.pk], e.ease, e.ivl, e.last_ivl, e.factor, e.time, e.type)
                for c, e in revlog
            ]
            db.transact(
                lambda: db.executemany(
                    "insert into revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
                    " values (?, ?, -1, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
            )

    def _card(self, row: Sequence[Any]) -> AnkiCard:
        """The card of a ``cards`` row (its columns in schema order), as ``get_card``
        gives it: from the row itself while its ``data`` is empty, as a card Anki has
        just made holds it (10,000 ``get_card`` calls cost a second), else from Anki."""
        from anki.cards import Card
        from anki.cards_pb2 import Card as BackendCard

        cid, nid, did, ord, mod, usn, ctype, queue, due, ivl, factor, reps = row[:12]
        lapses, left, odue, odid, flags, data = row[12:]
        if data not in ("", "{}"):
            return self.col.get_card(cid)
        backend = BackendCard(
            id=cid,
            note_id=nid,
            deck_id=did,
            template_idx=ord,
            mtime_secs=mod,
            usn=usn,
            ctype=ctype,
            queue=queue,
            due=due,
            interval=ivl,
            ease_factor=factor,
            reps=reps,
            lapses=lapses,
            remaining_steps=left,
            original_due=odue,
            original_deck_id=odid,
            flags=flags,
        )
        return Card(self.col, backend_card=backend)


def _stable_id(key: str) -> int:
    """A fixed signed 64-bit id for a note type's field or template. Anki matches fields
    and templates by these ids when it merges note types on import; random ones would
    make every export's templates new to it, and its cards land on added templates."""
    digest = hashlib.sha256(f"quizapp\0{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _schedule(card: AnkiCard, schedule: AnkiSchedule) -> None:
    """Set an Anki card's scheduling fields from ``schedule``."""
    from anki.cards import FSRSMemoryState

    if schedule.due == NEW_POSITION:  # a new card, only suspended
        card.queue = QUEUE_SUSPENDED  # type: ignore[assignment]
        return
    card.type = schedule.type  # type: ignore[assignment]
    card.queue = schedule.queue  # type: ignore[assignment]
    card.due = schedule.due
    card.ivl = schedule.ivl
    card.factor = schedule.factor
    card.reps = schedule.reps
    card.lapses = schedule.lapses
    card.left = schedule.left
    if schedule.stability is not None and schedule.difficulty is not None:
        card.memory_state = FSRSMemoryState(
            stability=schedule.stability, difficulty=schedule.difficulty
        )
    card.last_review_time = schedule.last_review


@contextmanager
def open_writer() -> Iterator[PackageWriter]:
    """A writer on a fresh scratch collection (and, when needed, one to render with),
    removed afterwards.

    Raises :class:`AnkiExportError` when the ``anki`` library is not installed.
    """
    try:
        from anki.collection import Collection
    except ModuleNotFoundError as error:
        if error.name is None or not error.name.startswith("anki"):
            raise
        raise AnkiExportError(f"exporting to Anki needs the anki package: {INSTALL_HINT}") from None
    folder = tempfile.mkdtemp(prefix="quizapp-anki-export-")
    try:
        collection = Collection(str(Path(folder) / "collection.anki2"))
        try:
            # A scratch collection, deleted once the package is written: what it holds
            # needs no flush to the disk at each commit (Anki's is ``full``, which syncs
            # every chunk's notes). The package is written by Anki's export.
            collection.db.execute("pragma synchronous = off")  # type: ignore[union-attr]
            writer = PackageWriter(
                collection, lambda: Collection(str(Path(folder) / "renderer.anki2"))
            )
            try:
                yield writer
            finally:
                writer.close()
        finally:
            collection.close(downgrade=False)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
