"""The three Anki note types quizapp exports into: what they hold and how they look.

- **quizapp card**: one card per note, the question on the front and the derivation
  steps on the back. Basic and question-only cards, and any card whose siblings cannot
  be written as one note.
- **quizapp card (and reversed)**: the same fields with a second card that asks the
  answer and reveals the question: a reversed pair (``Card.note`` siblings, one basic
  and one reversed) is one such note.
- **quizapp cloze**: an Anki cloze note type (``{{cloze:Text}}``): a cloze note's cards,
  one per ordinal.

Every note type keeps a fixed id. Anki matches a note it imports against the notes it has
by GUID and updates it only when the note type is the same, so a second export of the
same cards updates the notes of the first instead of adding copies beside them.
The templates and CSS are files in ``export_templates/`` (one column that reads well on
a phone, night mode included).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources


class NoteKind(StrEnum):
    """Which of the three note types a note is."""

    CARD = "card"
    REVERSED = "reversed"
    CLOZE = "cloze"


#: The fields of "quizapp card" and its reversed twin, in order (``NoteOut.fields``).
CARD_FIELDS = ("Title", "Question", "Answer", "Difficulty", "Source id", "Exercise")
#: The fields of "quizapp cloze": Anki's ``Text`` and ``Back Extra``, then quizapp's.
CLOZE_FIELDS = ("Text", "Back Extra", "Title", "Difficulty", "Source id", "Exercise")


@dataclass(frozen=True)
class NoteTypeSpec:
    """One note type: its name, fixed id, fields, templates ``(name, front, back)``, CSS,
    whether it is a cloze type, and the field the browser sorts by."""

    kind: NoteKind
    name: str
    id: int
    fields: tuple[str, ...]
    templates: tuple[tuple[str, str, str], ...]
    css: str
    cloze: bool
    sort_field: int


def _template(name: str) -> str:
    return (resources.files(__package__) / "export_templates" / name).read_text("utf-8")


@cache
def note_types() -> dict[NoteKind, NoteTypeSpec]:
    """The three note types, by kind (read from the template files once)."""
    css = _template("style.css")
    card = (_template("card_front.html"), _template("card_back.html"))
    return {
        NoteKind.CARD: NoteTypeSpec(
            NoteKind.CARD,
            "quizapp card",
            1_700_015_000_001,
            CARD_FIELDS,
            (("Card", *card),),
            css,
            False,
            1,
        ),
        NoteKind.REVERSED: NoteTypeSpec(
            NoteKind.REVERSED,
            "quizapp card (and reversed)",
            1_700_015_000_002,
            CARD_FIELDS,
            (
                ("Card", *card),
                ("Reversed", _template("reversed_front.html"), _template("reversed_back.html")),
            ),
            css,
            False,
            1,
        ),
        NoteKind.CLOZE: NoteTypeSpec(
            NoteKind.CLOZE,
            "quizapp cloze",
            1_700_015_000_003,
            CLOZE_FIELDS,
            (("Cloze", _template("cloze_front.html"), _template("cloze_back.html")),),
            css,
            True,
            0,
        ),
    }
