"""What a study session should contain, as chosen on the home screen, in browse or by CLI flags.

A plain frozen dataclass so every way into the review screen (Enter on home, the custom
session dialog, "study these" in browse, ``quizapp review --tag …``) says the same thing
in the same shape; the review screen hands it on to ``quizapp.services.study``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from quizapp.scheduling.filters import StudyFilter
from quizapp.text import plural


@dataclass(frozen=True)
class SessionRequest:
    """A session: which cards (``filter`` or explicit ``card_pks``), cram or not, how many.

    ``cram`` practises the chosen cards without touching their schedule; otherwise only due
    cards (and new ones within the daily limit) are shown. ``limit`` caps the session.
    ``formula_recall`` opens each card's formula drills as it comes (docs/drills.md); the
    drills' suggested rating is the card's answer.
    """

    filter: StudyFilter = field(default_factory=StudyFilter)
    cram: bool = False
    limit: int | None = None
    card_pks: tuple[int, ...] | None = None
    formula_recall: bool = False

    def describe(self) -> str:
        """One line for the review screen's title bar."""
        what = "cram" if self.cram else "review"
        if self.formula_recall:
            what = f"formula recall ({what})"
        scope = (
            f"{plural(len(self.card_pks), 'chosen card')}"
            if self.card_pks is not None
            else self.filter.describe()
        )
        limit = f", up to {self.limit}" if self.limit else ""
        return f"{what}: {scope}{limit}"
