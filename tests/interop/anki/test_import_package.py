"""Importing Anki packages (issue 15): every format, every note type, content, history.

The packages are made with the ``anki`` library (``conftest.py``); the memory states are
checked against the ones Anki's own FSRS computes from the same revlog.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from interop.anki.conftest import DeckPackages
from quizapp.cards.model import CardKind
from quizapp.interop.anki.notes import guid_key
from quizapp.scheduling.queue import local_timezone, study_day
from quizapp.services.importer import import_paths
from quizapp.store.db import Database
from quizapp.store.sqlite.card_repo import CardRepository


def _now(deck: DeckPackages) -> datetime:
    """A fixed time just after the last answer in the fixture (the import's clock).

    Within a second of it, not an hour: the importer reads Anki's day number from the
    real clock (``col.sched.today``) and the study day's date from this one, so the two
    must fall on the same study day, which an hour's gap broke when the fixture was built
    in the hour before the rollover (4 a.m. local time)."""
    last = max(entry[0] for entry in deck.revlog)
    return datetime.fromtimestamp(last / 1000, UTC) + timedelta(seconds=1)


def _uid(deck: DeckPackages, key: str, suffix: str = "card1") -> str:
    return f"anki/{guid_key(deck.guids[key])}/{suffix}"


def _pk_by_anki_card(deck: DeckPackages, db: Database) -> dict[int, int]:
    """quizapp card keys by the Anki card they came from (first card of each note)."""
    repo = CardRepository(db)
    found: dict[int, int] = {}
    for key, ids in deck.card_ids.items():
        suffixes = {
            "cloze": ["c1", "c2"],
            "reversed": ["card1", "card2"],
            "optional": ["card1", "card2"],
        }.get(key, ["card1"])
        for cid, suffix in zip(ids, suffixes, strict=False):
            stored = repo.get(_uid(deck, key, suffix))
            assert stored is not None, (key, suffix)
            found[cid] = stored.pk
    return found


def _text(moment: object) -> str:
    """A stored time as SQLite's text holds it (PostgreSQL hands out a ``datetime``)."""
    if isinstance(moment, datetime):
        return moment.strftime("%Y-%m-%d %H:%M:%S.%f")
    return str(moment)


def _rows(db: Database, sql: str) -> list[tuple[object, ...]]:
    with db.begin() as conn:
        return [tuple(row) for row in conn.execute(text(sql))]


@pytest.mark.parametrize("fmt", ["current", "legacy", "anki2", "colpkg"])
def test_every_package_format_gives_the_same_cards_and_history(
    fmt: str, deck_packages: DeckPackages, backend_db: Database
) -> None:
    db = backend_db
    package: Path = getattr(deck_packages, fmt)
    report = import_paths(db, [package], now=_now(deck_packages))
    assert report.ok, report.errors
    assert report.new == 15  # 1 + 2 + 2 + 1 + 2 + 1 + 6
    answers = [e for e in deck_packages.revlog if 1 <= e[2] <= 4 and not (e[3] == 3 and e[4] == 0)]
    crams = [e for e in deck_packages.revlog if 1 <= e[2] <= 4 and e[3] == 3 and e[4] == 0]
    assert crams, "the fixture crams in a filtered deck"
    pks = _pk_by_anki_card(deck_packages, db)
    logged = _rows(db, "SELECT card_id, rating, reviewed_at FROM review_logs")
    expected = sorted(
        (pks[cid], ease, datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S.%f"))
        for ms, cid, ease, _kind, _factor in answers
    )
    assert sorted((int(a), int(b), _text(c)) for a, b, c in logged) == expected  # type: ignore[call-overload]
    practiced = _rows(db, "SELECT card_id, rating FROM practice_logs")
    assert sorted(practiced) == sorted((pks[cid], ease) for _ms, cid, ease, _k, _f in crams)


def test_memory_states_are_within_one_percent_of_ankis_fsrs(
    deck_packages: DeckPackages, backend_db: Database
) -> None:
    db = backend_db
    import_paths(db, [deck_packages.current], now=_now(deck_packages))
    pks = _pk_by_anki_card(deck_packages, db)
    compared = 0
    for cid, pk in pks.items():
        stored = db.cards.get_by_pk(pk)
        assert stored is not None
        memory = stored.memory
        anki = deck_packages.anki_states[cid]
        if anki is None:
            assert memory.is_new, cid
            continue
        assert memory.stability is not None and memory.difficulty is not None, cid
        assert memory.stability == pytest.approx(anki[0], rel=0.01), cid
        assert memory.difficulty == pytest.approx(anki[1], rel=0.01), cid
        compared += 1
    assert compared >= 10


def test_note_types_map_to_kinds_and_siblings(
    deck_packages: DeckPackages, backend_db: Database
) -> None:
    db = backend_db
    import_paths(db, [deck_packages.current], now=_now(deck_packages))
    repo = CardRepository(db)

    def card(key: str, suffix: str = "card1"):  # type: ignore[no-untyped-def]
        stored = repo.get(_uid(deck_packages, key, suffix))
        assert stored is not None, (key, suffix)
        return stored.card

    front, back = card("reversed"), card("reversed", "card2")
    assert (front.kind, back.kind) == (CardKind.BASIC, CardKind.REVERSED)
    assert front.note == back.note != ""
    assert back.question == "Error from wrong assumptions"
    assert back.steps[0].text == "Bias"
    assert card("optional", "card2").kind is CardKind.REVERSED
    assert card("typein").kind is CardKind.BASIC and card("typein").steps[0].text == "4"
    first, second = card("cloze", "c1"), card("cloze", "c2")
    assert (first.kind, second.kind) == (CardKind.CLOZE, CardKind.CLOZE)
    assert first.note == second.note
    assert first.question == "The {{c1::gradient}} of $x^2$ is $2x$"
    assert second.question == "The gradient of $x^2$ is {{c2::$2x$::a derivative}}"
    assert [(step.path, step.text) for step in first.steps] == [(("Back Extra",), "Power rule")]
    vocab = card("vocab")
    assert vocab.question == "overfitting"
    assert [(step.path, step.text) for step in vocab.steps] == [
        (("Meaning",), "fitting noise"),
        (("Example",), "a 20-degree polynomial"),
    ]


def test_fields_become_markdown_with_dollar_math_and_placeholders(
    deck_packages: DeckPackages, db: Database
) -> None:
    # SQLite only: media are copied beside the database file, which PostgreSQL has not
    import_paths(db, [deck_packages.current], now=_now(deck_packages))
    stored = CardRepository(db).get(_uid(deck_packages, "basic"))
    assert stored is not None
    card = stored.card
    assert card.question == "Minimise $\\sum_i (y_i - \\hat y_i)^2$ or $a < b$ now"
    answer = card.steps[0].text
    assert "**Gradient**" in answer
    assert "$$\\nabla L = 2X^T(Xw - y)$$" in answer
    assert "$$E = mc^2$$" in answer
    assert "[image: pic.png]" in answer and "[sound: clip.mp3]" in answer
    assert "&nbsp;" not in card.question and "<" not in answer
    assert card.deck == "ML/Basics/Loss"
    assert set(card.tags) == {"ml/loss", "math"}
    media = Path(str(db.path)).with_name("quizapp.media")
    assert (media / "pic.png").read_bytes().startswith(b"\x89PNG")
    assert (media / "clip.mp3").exists()


def test_suspended_stay_suspended_buried_come_unburied_reset_is_new(
    deck_packages: DeckPackages, backend_db: Database
) -> None:
    db = backend_db
    now = _now(deck_packages)
    import_paths(db, [deck_packages.current], now=now)
    pks = _pk_by_anki_card(deck_packages, db)
    rows = dict(
        (int(pk), (bool(suspended), buried))  # type: ignore[call-overload]
        for pk, suspended, buried in _rows(db, "SELECT id, suspended, buried_until FROM cards")
    )
    assert rows[pks[deck_packages.suspended]] == (True, None)
    assert rows[pks[deck_packages.buried]] == (False, None)
    reset = db.answers.memory(pks[deck_packages.reset])
    assert reset.is_new
    assert db.answers.reviews_of(pks[deck_packages.reset]), "the answers before the reset are kept"
    moved = db.answers.memory(pks[deck_packages.moved])
    # "due in 9 days" counts study days from the day Anki was told (local time, rollover
    # at 4 a.m. as in Anki), not from the import's clock: an hour later may be a study day
    # later, and the local date may differ from the UTC one
    told = datetime.fromtimestamp(max(entry[0] for entry in deck_packages.revlog) / 1000, UTC)
    assert moved.due.astimezone(UTC).date() == (
        study_day(told, 4, local_timezone()) + timedelta(days=9)
    ), "the due date set by hand in Anki stays"


def test_importing_the_same_package_again_changes_nothing(
    deck_packages: DeckPackages, backend_db: Database
) -> None:
    db = backend_db
    now = _now(deck_packages)
    import_paths(db, [deck_packages.current], now=now)
    before = _rows(db, "SELECT * FROM review_logs ORDER BY id")
    states = _rows(db, "SELECT * FROM card_states ORDER BY card_id")
    again = import_paths(db, [deck_packages.current], now=now + timedelta(seconds=1))
    assert (again.new, again.updated, again.unchanged) == (0, 0, 15)
    assert _rows(db, "SELECT * FROM review_logs ORDER BY id") == before
    assert _rows(db, "SELECT * FROM card_states ORDER BY card_id") == states
