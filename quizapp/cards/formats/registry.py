"""Which format reads a file: forced by name, declared in front matter, or detected.

The registry holds the formats quizapp reads, in the order they are tried, and chooses one
per file:

1. front matter ``quizapp-format: NAME`` names the file's format (an unknown name is an
   error on that line), since it is the author's word about this very file;
2. otherwise ``--format NAME`` (``format=`` in the services) forces one for every file;
3. otherwise each format that claims the file's suffix is asked, in registry order, whether
   the text is written in it (:meth:`CardFormat.sniff`); a file with a suffix that no format
   claims (a ``.txt`` named on the command line) is offered to every format.

A file that no format claims, or that is empty, is **skipped**: it is not a card file, and
that is not an error. Discovery looks only for the suffixes that registered formats claim.

Tests and callers that want other formats build their own :class:`FormatRegistry` and pass
it in; nothing replaces the default one.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from quizapp.cards.diagnostics import Diagnostics
from quizapp.cards.formats.protocol import CardFormat, FileContext, SchedulingFormat
from quizapp.cards.frontmatter import FORMAT_KEY, declared_format
from quizapp.cards.identity import InvalidId, normalise_card_ids, normalise_id
from quizapp.cards.model import Card, ImportedSchedule, ParsedFile
from quizapp.cards.source import SourceText

#: Why a file that no format claims is skipped.
NOT_A_CARD_FILE = "no cards found (not a card file)"
#: Why an empty (or blank) file is skipped.
EMPTY_FILE = "no cards found (empty file)"


class UnknownFormat(ValueError):
    """A format name that no registered format has; the message lists the known ones."""


class FormatRegistry:
    """The formats quizapp reads, in the order they are tried on a file."""

    def __init__(self, formats: Iterable[CardFormat]) -> None:
        self.formats: tuple[CardFormat, ...] = tuple(formats)
        self._by_name: dict[str, CardFormat] = {}
        for card_format in self.formats:
            key = card_format.name.casefold()
            if key in self._by_name:
                raise ValueError(f'two formats are named "{card_format.name}"')
            self._by_name[key] = card_format
        #: Every suffix some format claims, lower case with the dot: what discovery finds.
        self.suffixes: frozenset[str] = frozenset(
            suffix.casefold() for card_format in self.formats for suffix in card_format.suffixes
        )
        self._by_suffix: dict[str, tuple[CardFormat, ...]] = {
            suffix: tuple(f for f in self.formats if suffix in (s.casefold() for s in f.suffixes))
            for suffix in self.suffixes
        }

    @property
    def names(self) -> tuple[str, ...]:
        """The formats' names, in the order they are tried."""
        return tuple(card_format.name for card_format in self.formats)

    def get(self, name: str) -> CardFormat:
        """The format called ``name`` (any case); :class:`UnknownFormat` when there is none."""
        found = self._by_name.get(name.strip().casefold())
        if found is None:
            known = ", ".join(self.names)
            raise UnknownFormat(f'unknown format "{name}" (known formats: {known})')
        return found

    def candidates(self, file_name: str) -> tuple[CardFormat, ...]:
        """The formats to ask about a file, in order: those claiming its suffix, or every
        format when none does."""
        return self._by_suffix.get(_suffix(file_name), self.formats)

    def detect(self, text: str, context: FileContext) -> CardFormat | None:
        """The first candidate format whose sniff claims ``text``, or None."""
        for card_format in self.candidates(context.path):
            if card_format.sniff(text, context):
                return card_format
        return None

    def choose(
        self,
        text: str,
        context: FileContext,
        diagnostics: Diagnostics,
        forced: str | None = None,
    ) -> CardFormat | str | None:
        """The format that reads this file; or why it is skipped (a string); or None after
        reporting an unknown format named in its front matter. ``forced`` must be a known
        name (check it with :meth:`get` first)."""
        declared = declared_format(text)
        if declared is not None:
            name, line = declared
            found = self._by_name.get(name.casefold())
            if found is None:
                diagnostics.error(
                    line,
                    f'unknown format "{name}" in front matter "{FORMAT_KEY}" '
                    f"(known formats: {', '.join(self.names)})",
                )
            return found
        if forced is not None:
            return self.get(forced)
        if not text.strip():
            return EMPTY_FILE
        return self.detect(text, context) or NOT_A_CARD_FILE

    def parse(
        self, source: SourceText, context: FileContext, forced: str | None = None
    ) -> ParsedFile:
        """Read one file's text with the format chosen for it. Never raises for bad input:
        problems come back in the result, and a file with errors has no cards."""
        result = ParsedFile(context.path)
        diagnostics = Diagnostics(context.path)
        chosen = self.choose(source.text, context, diagnostics, forced)
        if isinstance(chosen, str):
            result.skipped = chosen
        elif chosen is not None:
            result.format = chosen.name
            result.repaired = source.repaired
            schedules: dict[str, ImportedSchedule] = {}
            if _brings_schedules(type(chosen)) and isinstance(chosen, SchedulingFormat):
                cards, schedules = chosen.read_scheduled(source.text, context, diagnostics)
            else:
                cards = chosen.read(source.text, context, diagnostics)
            result.cards = normalise_card_ids(cards, diagnostics)
            if schedules:
                result.schedules = _schedules_by_id(schedules, result.cards)
        result.warnings = diagnostics.warnings
        result.errors = diagnostics.errors
        if result.errors:
            result.cards = []
            result.schedules = {}
        return result


@functools.cache
def _brings_schedules(kind: type) -> bool:
    """Whether a format class has ``read_scheduled``: asked once per class, since the
    protocol's own ``isinstance`` walks every member of the protocol on each call, for
    each file."""
    return callable(getattr(kind, "read_scheduled", None))


def _schedules_by_id(
    schedules: dict[str, ImportedSchedule], cards: list[Card]
) -> dict[str, ImportedSchedule]:
    """The schedules keyed by their cards' ids as normalised, for the cards kept."""
    kept = {card.id for card in cards}
    found: dict[str, ImportedSchedule] = {}
    for identity, schedule in schedules.items():
        try:
            identity = normalise_id(identity)
        except InvalidId:
            continue  # its card was left out, with an error
        if identity in kept:
            found[identity] = schedule
    return found


def _suffix(file_name: str) -> str:
    name = file_name.rsplit("/", 1)[-1]
    dot = name.rfind(".")
    return name[dot:].casefold() if dot > 0 else ""


@functools.cache
def default_registry() -> FormatRegistry:
    """Every format quizapp ships, in detection order.

    Order matters only between formats that could claim the same file; the strictest
    sniff goes first. ``native`` is first: it claims only files with a ``Question`` or
    ``Answer`` heading, which no other layout has.
    """
    from quizapp.cards.formats.delimited import DelimitedFormat
    from quizapp.cards.formats.details import DetailsFormat
    from quizapp.cards.formats.frontmatter_cards import FrontmatterCardsFormat
    from quizapp.cards.formats.hashcards import HashcardsFormat
    from quizapp.cards.formats.heading_questions import HeadingQuestionsFormat
    from quizapp.cards.formats.logseq import LogseqFormat
    from quizapp.cards.formats.native import NativeFormat
    from quizapp.cards.formats.obsidian_sr import ObsidianSrFormat
    from quizapp.cards.formats.qa_pairs import QaPairsFormat
    from quizapp.cards.formats.question_lists import QuestionListsFormat

    return FormatRegistry(
        [
            NativeFormat(),
            ObsidianSrFormat(),
            HashcardsFormat(),
            LogseqFormat(),
            DetailsFormat(),
            HeadingQuestionsFormat(),
            QuestionListsFormat(),
            FrontmatterCardsFormat(),
            QaPairsFormat(),
            DelimitedFormat(),
        ]
    )
