"""A tiny inline format for tests: ``Q: question | A: answer``, one card per line.

It exists to exercise the seam (registry, discovery, identity policy) without depending on
any real format but the native one.
"""

from __future__ import annotations

from dataclasses import replace

from quizapp.cards.diagnostics import Diagnostics
from quizapp.cards.formats import FileContext
from quizapp.cards.formats.ids import inline_ids
from quizapp.cards.identity import content_hash
from quizapp.cards.model import Card, Step


class LinesFormat:
    """``Q: … | A: …`` lines in ``.txt`` files."""

    name = "lines"
    suffixes = (".txt",)

    def sniff(self, text: str, context: FileContext) -> bool:
        return text.lstrip().startswith("Q:")

    def read(self, text: str, context: FileContext, diagnostics: Diagnostics) -> list[Card]:
        found: list[tuple[int, str, str]] = []
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            question, bar, answer = line.partition("| A:")
            if not line.startswith("Q:") or not bar:
                diagnostics.error(number, 'a line must read "Q: question | A: answer"')
                continue
            found.append((number, question[2:].strip(), answer.strip()))
        ids = inline_ids(context.base_id or "lines", [q for _, q, _ in found], context.previous_ids)
        cards = []
        for identity, (number, question, answer) in zip(ids, found, strict=True):
            card = Card(
                id=identity,
                title=question,
                question=question,
                steps=(Step(("Answer",), answer, number),),
                deck=context.deck,
                source=context.path,
                line=number,
                format=self.name,
            )
            cards.append(replace(card, content_hash=content_hash(card)))
        return cards
