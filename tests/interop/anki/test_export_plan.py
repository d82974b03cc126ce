"""The translation of quizapp cards into Anki notes (``interop/anki/export.py``), without
Anki: note types and siblings, fields, tags, decks, GUIDs, and with history each card's
scheduling and revlog rows, against a fixed clock."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from store.cards_factory import make_card
from store.kind_cards import CLOZE_NOTE, kind_cards

from quizapp.cards.model import Card, ExerciseSource, Step
from quizapp.interop.anki import export_cloze
from quizapp.interop.anki.export import (
    ExercisePrompt,
    HistoryOptions,
    anki_deck,
    anki_tags,
    note_guid,
    plan_export,
)
from quizapp.interop.anki.export_notetypes import CARD_FIELDS, CLOZE_FIELDS, NoteKind
from quizapp.interop.anki.export_schedule import (
    QUEUE_DAY_LEARN,
    QUEUE_LEARN,
    QUEUE_REVIEW,
    QUEUE_SUSPENDED,
    REVLOG_LEARN,
    REVLOG_RELEARN,
    REVLOG_REVIEW,
    TYPE_RELEARN,
    TYPE_REVIEW,
    DayClock,
    schedule_for,
)
from quizapp.scheduling.memory import MemoryState
from quizapp.scheduling.queue import study_day
from quizapp.scheduling.scheduler import Scheduler
from quizapp.scheduling.settings import Settings
from quizapp.store.records import ReviewRecord, StoredCard

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
NEW = MemoryState(state=1, step=0, stability=None, difficulty=None, due=NOW, last_review=None)
CLOCK = DayClock(NOW, 4, UTC, 0)


def _stored(cards: list[Card], memory: MemoryState = NEW) -> list[StoredCard]:
    return [StoredCard(pk, card, memory) for pk, card in enumerate(cards, start=1)]


def _fields(kind: NoteKind, values: tuple[str, ...]) -> dict[str, str]:
    names = CLOZE_FIELDS if kind is NoteKind.CLOZE else CARD_FIELDS
    return dict(zip(names, values, strict=True))


def test_a_cloze_note_and_a_reversed_pair_are_one_note_each() -> None:
    plan = plan_export(_stored(kind_cards()))
    kinds = [note.kind for note in plan.notes]
    assert kinds == [NoteKind.CLOZE, NoteKind.REVERSED, NoteKind.CARD]
    assert plan.card_count == 5
    cloze_note, pair, alone = plan.notes
    text = _fields(NoteKind.CLOZE, cloze_note.fields)["Text"]
    assert text == (
        "<p>{{c1::Adam}} keeps two moving averages of the gradient, "
        "{{c2::\\(m_t\\) and \\(v_t\\)::its two moments}}, and divides by "
        "\\(\\sqrt{\\hat v_t}\\).</p>"
    )
    assert [(card.card_id, card.ord) for card in cloze_note.cards] == [
        ("optim#adam/c1", 0),
        ("optim#adam/c2", 1),
    ]
    assert "Kingma and Ba, 2015." in _fields(NoteKind.CLOZE, cloze_note.fields)["Back Extra"]
    assert [(card.card_id, card.ord) for card in pair.cards] == [
        ("optim#relu", 0),
        ("optim#relu/reverse", 1),
    ]
    pair_fields = _fields(NoteKind.REVERSED, pair.fields)
    assert pair_fields["Question"] == "<p>What is the ReLU activation?</p>"
    assert "\\(\\max(0, x)\\)" in pair_fields["Answer"]
    assert pair_fields["Source id"] == "optim#relu<br>optim#relu/reverse"
    assert _fields(NoteKind.CARD, alone.fields)["Answer"] == ""  # question only


def test_siblings_that_are_no_longer_one_note_go_out_one_note_each() -> None:
    first, second = kind_cards()[:2]
    edited = replace(second, question=second.question.replace("gradient", "loss"))
    plan = plan_export(_stored([first, edited]))
    assert [note.kind for note in plan.notes] == [NoteKind.CLOZE, NoteKind.CLOZE]
    assert [[card.ord for card in note.cards] for note in plan.notes] == [[0], [1]]
    assert len({note.guid for note in plan.notes}) == 2


def test_merge_puts_every_deletion_back() -> None:
    cards = kind_cards()[:2]
    assert export_cloze.merge([card.question for card in cards]) == CLOZE_NOTE
    assert export_cloze.merge([cards[0].question, cards[0].question]) is None
    assert export_cloze.merge(["{{c1::a}} b", "a {{c2::c}}"]) is None


def test_fields_tags_and_deck() -> None:
    card = make_card(
        "dl/backprop",
        title="Backpropagation",
        tags=("ml/optim", "Deep Learning", "ML/optim"),
        difficulty="hard",
        deck="deep-learning/cnn",
        text="Chain rule: $\\delta = x$.",
    )
    (note,) = plan_export(_stored([card])).notes
    fields = _fields(NoteKind.CARD, note.fields)
    assert fields["Title"] == "Backpropagation"
    assert fields["Question"] == "<p>What is Backpropagation?</p>"
    assert re.sub(r">\s+<", "><", fields["Answer"]) == (
        '<section class="qz-step"><h3>Overview</h3><p>Chain rule: \\(\\delta = x\\).</p>'
        '</section><section class="qz-step"><h3>Detail › More</h3>'
        "<p>Chain rule: \\(\\delta = x\\).!</p></section>"
    )
    assert fields["Difficulty"] == "hard"
    assert fields["Source id"] == "dl/backprop"
    assert note.tags == ("ml::optim", "Deep_Learning", "difficulty::hard")
    assert note.deck == "deep-learning::cnn"
    assert anki_deck("") == "Default"
    assert anki_tags(("a//b ",), None) == ("a::b",)


def test_a_title_that_repeats_the_question_is_left_out() -> None:
    card = make_card("q", title="What is dropout", question="What is dropout?")
    (note,) = plan_export(_stored([card])).notes
    assert _fields(NoteKind.CARD, note.fields)["Title"] == ""


def test_a_lone_answer_step_has_no_heading() -> None:
    card = replace(make_card("q"), steps=(Step(("Answer",), "Because."),))
    (note,) = plan_export(_stored([card])).notes
    answer = _fields(NoteKind.CARD, note.fields)["Answer"]
    assert answer == '<section class="qz-step"><p>Because.</p></section>'


def test_a_live_exercise_says_it_cannot_run_in_anki_with_its_first_prompt() -> None:
    card = replace(make_card("dl/net"), exercises=(ExerciseSource("id: x", 3),))
    prompts = {1: ExercisePrompt("Backprop drill", "$\\delta^{(2)}$ = ∂L/∂z")}
    (note,) = plan_export(_stored([card]), exercises=prompts).notes
    exercise = _fields(NoteKind.CARD, note.fields)["Exercise"]
    assert "Anki cannot run it" in exercise
    assert "<code>quizapp exercise dl/net</code>" in exercise
    assert "First ask: \\(\\delta^{(2)}\\) = ∂L/∂z" in exercise
    assert "Backprop drill" in exercise


def test_guids_are_stable_and_follow_the_id_not_the_text() -> None:
    card = make_card("a")
    first = plan_export(_stored([card, make_card("b")]))
    edited = plan_export(_stored([replace(card, question="Rewritten?"), make_card("b")]))
    assert [n.guid for n in first.notes] == [n.guid for n in edited.notes]
    assert first.notes[0].guid != first.notes[1].guid
    assert first.notes[0].guid == note_guid("card:a")
    assert 8 <= len(note_guid("x")) <= 11


# --------------------------------------------------------------------------- history


def _answered(
    card_pk: int, ratings: list[tuple[int, int]]
) -> tuple[MemoryState, list[ReviewRecord]]:
    """A card answered ``rating`` at ``NOW - days`` for each ``(days, rating)``, in order."""
    scheduler = Scheduler(Settings())
    memory = replace(NEW, due=NOW - timedelta(days=60))
    records = []
    for number, (days_ago, rating) in enumerate(ratings, start=1):
        moment = NOW - timedelta(days=days_ago)
        after = scheduler.review(card_pk, memory, rating, moment)
        records.append(ReviewRecord(number, card_pk, rating, moment, 4000, memory, after))
        memory = after
    return memory, records


def test_history_goes_out_as_revlog_rows_and_scheduling() -> None:
    memory, records = _answered(1, [(40, 3), (40, 3), (30, 3), (10, 1), (10, 3)])
    card = make_card("a")
    stored = StoredCard(1, card, memory)
    history = HistoryOptions(CLOCK, learning_steps=2, relearning_steps=1)
    (note,) = plan_export([stored], reviews={1: records}, history=history).notes
    (out,) = note.cards
    assert [entry.ease for entry in out.revlog] == [3, 3, 3, 1, 3]
    assert [entry.type for entry in out.revlog] == [
        REVLOG_LEARN,
        REVLOG_LEARN,
        REVLOG_REVIEW,
        REVLOG_REVIEW,
        REVLOG_RELEARN,
    ]
    assert out.revlog[0].ivl < 0  # a learning step: seconds
    assert out.revlog[2].ivl > 0 and out.revlog[2].last_ivl > 0  # days
    assert [entry.id for entry in out.revlog] == [
        int(record.reviewed_at.timestamp() * 1000) + offset
        for record, offset in zip(records, [0, 1, 0, 0, 1], strict=True)
    ]
    assert out.schedule is not None
    assert out.schedule.type == TYPE_REVIEW and out.schedule.queue == QUEUE_REVIEW
    assert out.schedule.due == CLOCK.days_between(NOW, memory.due)
    assert out.schedule.stability == memory.stability
    assert out.schedule.reps == 5 and out.schedule.lapses == 1


def test_learning_cards_keep_their_time_and_steps_left() -> None:
    learning = replace(
        NEW,
        reps=1,
        step=1,
        stability=2.3,
        difficulty=5.0,
        due=NOW + timedelta(minutes=10),
        last_review=NOW,
    )
    schedule = schedule_for(learning, CLOCK, suspended=False, learning_steps=2, relearning_steps=1)
    assert schedule is not None
    assert (schedule.queue, schedule.due, schedule.left) == (
        QUEUE_LEARN,
        int((NOW + timedelta(minutes=10)).timestamp()),
        1,
    )
    tomorrow = replace(learning, state=3, step=0, due=NOW + timedelta(days=2))
    later = schedule_for(tomorrow, CLOCK, suspended=False, learning_steps=2, relearning_steps=1)
    assert later is not None
    assert (later.type, later.queue, later.due) == (TYPE_RELEARN, QUEUE_DAY_LEARN, 2)


def test_suspended_cards_stay_suspended_and_new_cards_stay_new() -> None:
    review = replace(
        NEW,
        state=2,
        reps=3,
        stability=9.0,
        difficulty=4.0,
        due=NOW + timedelta(days=3),
        last_review=NOW - timedelta(days=6),
    )
    suspended = schedule_for(review, CLOCK, suspended=True, learning_steps=2, relearning_steps=1)
    assert suspended is not None and suspended.queue == QUEUE_SUSPENDED
    assert suspended.due == 3 and suspended.ivl == 9
    assert schedule_for(NEW, CLOCK, suspended=False, learning_steps=2, relearning_steps=1) is None
    new_suspended = schedule_for(NEW, CLOCK, suspended=True, learning_steps=2, relearning_steps=1)
    assert new_suspended is not None and new_suspended.queue == QUEUE_SUSPENDED


def test_review_days_follow_the_study_day_rollover() -> None:
    # 03:00 on the 6th is still the 5th's study day with a 04:00 rollover.
    clock = DayClock(datetime(2026, 1, 5, 23, 0, tzinfo=UTC), 4, UTC, 100)
    assert clock.anki_day(datetime(2026, 1, 6, 3, 0, tzinfo=UTC)) == 100
    assert clock.anki_day(datetime(2026, 1, 6, 5, 0, tzinfo=UTC)) == 101


def test_days_between_counts_study_days_as_the_scheduler_does() -> None:
    # Across a daylight-saving change, with a rollover: the same as ``study_day``'s days.
    zone = ZoneInfo("Europe/Berlin")
    clock = DayClock(NOW, 4, zone, 0)
    start = datetime(2026, 3, 27, 1, 30, tzinfo=UTC)
    moments = [start + timedelta(minutes=97 * step) for step in range(120)]
    for earlier in moments[::7]:
        for later in moments:
            expected = (study_day(later, 4, zone) - study_day(earlier, 4, zone)).days
            assert clock.days_between(earlier, later) == expected
