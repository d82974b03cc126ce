"""Obsidian notes through the importer: which edits keep a card's history, re-imports that
change nothing, and the plugin's progress becoming the starting state of new cards."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from quizapp.store.db import Database, run_sql
from quizapp.store.sqlite.card_repo import CardRepository

from .history import counts, history, review, run
from .history import present as uids
from .history import write as history_write

NOTE = """\
#flashcards/ml

What does momentum add to SGD?::A running average of past gradients
Adam's two moments:::mean and uncentred variance

Why warm up the learning rate?
?
Early second-moment estimates are poor.

The ==encoder== maps inputs to a ==latent code==.
"""


def write(folder: Path, text: str, name: str = "optim.md") -> Path:
    """Write the note (``optim.md`` unless named)."""
    return history_write(folder, name, text)


def test_reimporting_an_unchanged_folder_changes_nothing(db: Database, tmp_path: Path) -> None:
    deck = tmp_path / "vault"
    write(deck, NOTE)
    first = run(db, deck)
    assert (first.new, first.updated) == (6, 0)
    again = run(db, deck)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 6)
    (deck / "optim.md").write_text(NOTE + "\n")  # read again: same cards
    third = run(db, deck)
    assert (third.new, third.updated, third.unchanged) == (0, 0, 6)


def test_editing_an_answer_keeps_the_card_and_its_history(db: Database, tmp_path: Path) -> None:
    deck = tmp_path / "vault"
    path = write(deck, NOTE)
    run(db, deck)
    uid = "optim#why-warm-up-the-learning-rate"
    pk = review(db, uid)
    path.write_text(NOTE.replace("are poor.", "are poor, so early steps overshoot."))
    assert counts(run(db, deck)) == (0, 1, 0)
    assert history(db, uid) == (pk, 3, 7.5, 1)


def test_editing_a_question_in_place_keeps_its_history(db: Database, tmp_path: Path) -> None:
    deck = tmp_path / "vault"
    path = write(deck, NOTE)
    run(db, deck)
    uid = "optim#what-does-momentum-add-to-sgd"
    pk = review(db, uid)
    path.write_text(NOTE.replace("What does momentum add to SGD?", "What does momentum add?"))
    assert counts(run(db, deck)) == (0, 1, 0)
    assert uid in uids(db) and history(db, uid) == (pk, 3, 7.5, 1)


def test_reordering_and_inserting_keep_every_id(db: Database, tmp_path: Path) -> None:
    deck = tmp_path / "vault"
    path = write(deck, NOTE)
    run(db, deck)
    before = uids(db)
    pk = review(db, "optim#adam-s-two-moments/reverse")
    moved = NOTE.replace(
        "What does momentum add to SGD?::A running average of past gradients\n"
        "Adam's two moments:::mean and uncentred variance\n",
        "Adam's two moments:::mean and uncentred variance\n"
        "What is Nesterov momentum?::A look-ahead gradient\n"
        "What does momentum add to SGD?::A running average of past gradients\n",
    )
    path.write_text(moved)
    report = run(db, deck)
    assert counts(report) == (1, 0, 0)
    assert sorted([*before, "optim#what-is-nesterov-momentum"]) == uids(db)
    assert history(db, "optim#adam-s-two-moments/reverse") == (pk, 3, 7.5, 1)


def test_a_rewritten_question_that_also_moved_is_a_new_card(db: Database, tmp_path: Path) -> None:
    deck = tmp_path / "vault"
    path = write(deck, NOTE)
    run(db, deck)
    old = "optim#what-does-momentum-add-to-sgd"
    review(db, old)
    rewritten = (
        NOTE.replace("What does momentum add to SGD?::A running average of past gradients\n", "")
        + "\nWhy does heavy-ball momentum damp oscillation?::It averages gradients\n"
    )
    path.write_text(rewritten)
    report = run(db, deck)
    assert counts(report) == (1, 0, 1)
    assert old not in uids(db)
    assert run_sql(db, f"SELECT missing FROM cards WHERE uid = '{old}'") == [(1,)]


def test_making_a_card_bidirectional_keeps_the_forward_card(db: Database, tmp_path: Path) -> None:
    deck = tmp_path / "vault"
    path = write(deck, NOTE)
    run(db, deck)
    uid = "optim#what-does-momentum-add-to-sgd"
    pk = review(db, uid)
    path.write_text(NOTE.replace("SGD?::A running", "SGD?:::A running"))
    assert counts(run(db, deck)) == (1, 1, 0)  # the reverse is new; the forward gains a note
    assert history(db, uid) == (pk, 3, 7.5, 1)
    assert f"{uid}/reverse" in uids(db)


def test_rewording_an_eleven_deletion_cloze_keeps_each_deletions_history(
    db: Database, tmp_path: Path
) -> None:
    deck = tmp_path / "vault"
    words = ", ".join(f"=={word}==" for word in "abcdefghijk")
    path = write(deck, f"#flashcards\n\nLetters: {words}.\n")
    run(db, deck)
    note = "optim#letters-a-b-c-d-e-f-g-h-i-j-k"
    keys = {n: review(db, f"{note}/c{n}") for n in (2, 10)}
    path.write_text(f"#flashcards\n\nThe letters: {words}.\n")
    assert counts(run(db, deck)) == (0, 11, 0)
    repo = CardRepository(db)
    for number, letter in ((2, "b"), (10, "j")):
        stored = repo.get(f"{note}/c{number}")
        assert stored is not None and stored.pk == keys[number]
        assert f"{{{{c{number}::{letter}}}}}" in stored.card.question  # still its deletion


def test_the_plugins_progress_starts_new_cards_and_is_never_applied_again(
    db: Database, tmp_path: Path
) -> None:
    deck = tmp_path / "vault"
    text = NOTE.replace("gradients\n", "gradients\n<!--SR:!2026-01-20,12,250-->\n", 1).replace(
        "latent code==.\n", "latent code==.\n<!--SR:!2000-01-01,1,250!2026-01-18,4,210-->\n"
    )
    path = write(deck, text)
    run(db, deck)
    repo = CardRepository(db)
    momentum = repo.get("optim#what-does-momentum-add-to-sgd")
    assert momentum is not None and momentum.memory.display_state == "review"
    assert momentum.memory.due == datetime(2026, 1, 20, 12, tzinfo=UTC)
    assert momentum.memory.stability is not None and abs(momentum.memory.stability - 12) < 0.01
    cloze = sorted(
        (card for card in repo.find() if card.card.kind == "cloze"), key=lambda c: c.card.id
    )
    assert [card.memory.display_state for card in cloze] == ["new", "review"]
    assert [card.memory.due.date().isoformat() for card in cloze][1] == "2026-01-18"
    assert repo.get("optim#adam-s-two-moments") is not None
    # The plugin reviews the card again and rewrites its comment: quizapp's state stays.
    path.write_text(text.replace("2026-01-20,12,250", "2026-02-25,36,270"))
    report = run(db, deck, days=1)
    assert (report.new, report.updated) == (0, 0)
    again = repo.get("optim#what-does-momentum-add-to-sgd")
    assert again is not None and again.memory == momentum.memory
