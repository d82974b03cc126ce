"""Anki packages for the import tests, made with the ``anki`` library itself.

Notes are added with ``Collection.add_note`` and answered through Anki's own scheduler,
so the revlog is what Anki writes. Anki times answers by the real clock and cannot be
given another, so a history over several days is made by answering in rounds and, after
each round, moving every answer so far back by a few days (``col.db``, the library's
handle): Anki then reads the same history quizapp does, spread over days, when it
computes its memory states. Review cards are made due again between rounds the same way,
without a revlog entry, and so are learning cards Anki moved to the next day: a learning
step that ends after the rollover hour (4 a.m., local time) puts the card in the
day-learning queue, due in days, so near the rollover a round would otherwise find no
card due. Ratings come from a seeded generator.
"""

from __future__ import annotations

import random
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import anki.collection  # noqa: F401  (first: anki.cards alone is a circular import)
from anki.cards import CardId
from anki.collection import Collection, ExportAnkiPackageOptions
from anki.dbproxy import DBProxy
from anki.decks import DeckId
from fsrs_rs_python import DEFAULT_PARAMETERS

DAY_MS = 86_400_000
#: A one-pixel PNG, as a media file.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@dataclass
class Built:
    """A collection being built, and the note GUIDs by what each note is for."""

    col: Collection
    folder: Path
    guids: dict[str, str] = field(default_factory=dict)
    card_ids: dict[str, list[int]] = field(default_factory=dict)


def new_collection(folder: Path, name: str = "source.anki2") -> Built:
    """An empty collection whose FSRS parameters are quizapp's defaults (FSRS-6)."""
    folder.mkdir(parents=True, exist_ok=True)
    col = Collection(str(folder / name))
    config = col.decks.config_dict_for_deck_id(DeckId(1))
    config["fsrsParams6"] = [float(value) for value in DEFAULT_PARAMETERS]
    col.decks.update_config(config)
    return Built(col, folder)


def database(col: Collection) -> DBProxy:
    """The collection's database handle (open)."""
    assert col.db is not None
    return col.db


def card_ids(ids: list[int]) -> list[CardId]:
    """Plain ints as the library's card ids."""
    return [CardId(value) for value in ids]


def add(
    built: Built,
    key: str,
    notetype: str,
    fields: dict[str, str],
    deck: str = "Default",
    tags: tuple[str, ...] = (),
) -> None:
    """Add one note of ``notetype`` to ``deck`` and remember it as ``key``, its card
    ids in template order (``ord``: card 1, card 2, or cloze 1, cloze 2, ...).

    Not in id order: Anki generates a cloze note's cards in a hash set's order, which
    changes from process to process, so the ids of ``c1`` and ``c2`` come either way
    round, and tests that took the lower id for ``c1`` passed or failed by chance."""
    col = built.col
    model = col.models.by_name(notetype)
    assert model is not None, notetype
    note = col.new_note(model)
    for name, value in fields.items():
        note[name] = value
    note.tags = list(tags)
    deck_id = col.decks.id(deck)
    assert deck_id is not None
    col.add_note(note, deck_id)
    built.guids[key] = note.guid
    built.card_ids[key] = [card.id for card in sorted(note.cards(), key=lambda c: c.ord)]


def add_custom_notetype(built: Built, name: str, fields: list[str]) -> None:
    """A note type of the user's own, with one card template."""
    models = built.col.models
    model = models.new(name)
    for field_name in fields:
        models.add_field(model, models.new_field(field_name))
    template = models.new_template("Card 1")
    template["qfmt"] = "{{" + fields[0] + "}}"
    template["afmt"] = "{{FrontSide}}<hr id=answer>" + "".join("{{" + f + "}}" for f in fields[1:])
    models.add_template(model, template)
    models.add(model)


def add_media(built: Built, name: str, data: bytes = PNG) -> None:
    """Put a media file into the collection's media folder."""
    path = built.folder / name
    path.write_bytes(data)
    built.col.media.add_file(str(path))


def answer_rounds(built: Built, rounds: int, gap_days: int = 3, seed: int = 15) -> int:
    """Answer every due card of every deck ``rounds`` times over, ``gap_days`` apart;
    returns how many answers Anki logged."""
    col = built.col
    rng = random.Random(seed)
    tops = sorted(entry.id for entry in col.decks.all_names_and_ids() if "::" not in entry.name)
    for _round in range(rounds):
        # review cards (queue 2), and learning cards whose step ran past the day's
        # rollover on the real clock, which Anki keeps in days (queue 3), are due again
        database(col).execute("update cards set due = ? where queue in (2, 3)", col.sched.today)
        for deck_id in tops:
            col.decks.select(DeckId(deck_id))
            for _ in range(500):
                card = col.sched.getCard()
                if card is None:
                    break
                col.sched.answerCard(card, rng.choice((1, 2, 3, 3, 3, 4)))
        database(col).execute("update revlog set id = id - ?", gap_days * DAY_MS)
    return int(database(col).scalar("select count() from revlog"))


def export(built: Built, path: Path, *, legacy: bool = False) -> Path:
    """Export the whole collection, scheduling and media included, as ``path``
    (``.apkg``: the current format, or the legacy one; ``.colpkg``: a collection
    package, which closes the collection)."""
    if path.suffix == ".colpkg":
        built.col.export_collection_package(str(path), include_media=True, legacy=legacy)
        return path
    built.col.export_anki_package(
        out_path=str(path),
        options=ExportAnkiPackageOptions(
            with_scheduling=True, with_deck_configs=True, with_media=True, legacy=legacy
        ),
        limit=None,
    )
    return path


def as_anki2_package(legacy: Path, target: Path) -> Path:
    """A legacy package rewritten as the oldest format, ``collection.anki2`` alone (what
    Anki 2.1 wrote for the v1 scheduler): the same collection under the old name."""
    with zipfile.ZipFile(legacy) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            if info.filename in ("collection.anki2", "meta"):
                continue  # the placeholder collection, and the meta file old Ankis lacked
            data = source.read(info)
            name = "collection.anki2" if info.filename == "collection.anki21" else info.filename
            out.writestr(name, data)
    return target


def rewrite(
    package: Path, target: Path, replace: dict[str, bytes], drop: tuple[str, ...] = ()
) -> Path:
    """A copy of ``package`` with members replaced, added or dropped."""
    with zipfile.ZipFile(package) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            if info.filename in drop or info.filename in replace:
                continue
            out.writestr(info.filename, source.read(info))
        for name, data in replace.items():
            out.writestr(name, data)
    return target
