"""The ORM models' tables, typed as Core ``Table``s for bulk statements.

``Model.__table__`` is typed as a bare ``FromClause``; Core's ``insert``/``update``
want a ``Table``. Naming them once here keeps the casts in one place.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table

from quizapp.store.models import (
    CardRow,
    CardStateRow,
    CardTagRow,
    DeckRow,
    RelatedRow,
    ReviewLogRow,
    SourceFileRow,
    TagRow,
)

CARDS = cast(Table, CardRow.__table__)
CARD_STATES = cast(Table, CardStateRow.__table__)
CARD_TAGS = cast(Table, CardTagRow.__table__)
TAGS = cast(Table, TagRow.__table__)
DECKS = cast(Table, DeckRow.__table__)
RELATED = cast(Table, RelatedRow.__table__)
SOURCE_FILES = cast(Table, SourceFileRow.__table__)
REVIEW_LOGS = cast(Table, ReviewLogRow.__table__)
