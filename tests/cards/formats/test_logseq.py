"""Logseq pages: card blocks and their answers, clozes, tags, decks, Logseq's schedule,
what the format claims, malformed blocks, graph folders, and which edits keep history.

The pages are written from Logseq's documentation of its Markdown outlines and flashcards
(docs.logseq.com: "Flashcards", "Properties") and its file-based SRS code; none is taken
from anyone's graph.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.cards import parse_text
from quizapp.cards.discovery import discover
from quizapp.cards.formats import FileContext
from quizapp.cards.formats.logseq import LogseqFormat, page_name
from quizapp.cards.model import CardKind, ImportedSchedule, ParsedFile
from quizapp.store.db import Database
from quizapp.store.sqlite.card_repo import CardRepository

from .history import counts, history, review, run, write

LOGSEQ = LogseqFormat()


def parse(text: str, path: str = "pages/Optimisation.md", deck: str = "pages") -> ParsedFile:
    parsed = parse_text(text, path=path, default_id=path.removesuffix(".md"), deck=deck)
    assert parsed.format == "logseq", parsed.skipped or parsed.format
    assert parsed.errors == [], [str(problem) for problem in parsed.errors]
    return parsed


def sides(parsed: ParsedFile) -> list[tuple[str, str, str]]:
    return [
        (str(card.kind), card.question, "\n".join(step.text for step in card.steps))
        for card in parsed.cards
    ]


def errors(text: str) -> list[str]:
    parsed = parse_text(text, path="p.md", default_id="p")
    assert parsed.format == "logseq"
    return [str(problem) for problem in parsed.errors]


def test_a_card_block_asks_its_text_and_answers_with_its_children() -> None:
    text = (
        "- What does momentum add to SGD? #card\n"
        "\t- A running average of past gradients.\n"
        "- Name Adam's two moments. #card\n"
        "\t- The mean of the gradients,\n"
        "\t  written $m_t$.\n"
        "\t- Their uncentred variance $v_t$.\n"
        "\t\t- Both are bias-corrected.\n"
    )
    assert sides(parse(text)) == [
        ("basic", "What does momentum add to SGD?", "A running average of past gradients."),
        (
            "basic",
            "Name Adam's two moments.",
            "- The mean of the gradients,\n  written $m_t$.\n- Their uncentred variance $v_t$.\n"
            "  - Both are bias-corrected.",
        ),
    ]
    card = parse(text).cards[0]
    assert (card.id, card.deck, card.line, card.steps[0].line, card.format) == (
        "pages/Optimisation#what-does-momentum-add-to-sgd",
        "Optimisation",
        1,
        2,
        "logseq",
    )


def test_outlines_indented_with_spaces_read_the_same() -> None:
    tabs = "- Why clip gradients? #card\n\t- To bound each step.\n\t\t- Norm clipping.\n"
    spaces = "- Why clip gradients? #card\n  - To bound each step.\n    - Norm clipping.\n"
    assert sides(parse(tabs)) == sides(parse(spaces))
    assert sides(parse(spaces))[0][2] == "- To bound each step.\n  - Norm clipping."


def test_every_way_of_referencing_the_card_page_makes_a_card() -> None:
    text = (
        "- One #card\n\t- a\n"
        "- Two #[[card]]\n\t- b\n"
        "- Three [[card]]\n\t- c\n"
        "- Four #Card\n\t- d\n"
        "- Five\n  tags:: card, [[deep learning]]\n\t- e\n"
        "- Not a card: #cardio and C# and `#card` in code\n\t- f\n"
    )
    parsed = parse(text)
    assert [card.question for card in parsed.cards] == ["One", "Two", "Three", "Four", "Five"]
    assert parsed.cards[4].tags == ("deep-learning",)


def test_tags_become_card_tags_and_a_trailing_run_leaves_the_text() -> None:
    text = (
        "tags:: interview, [[ml]]\n\n"
        "- What does #dropout do at training time? #card #regularisation #[[deep learning]]\n"
        "\t- Zeroes activations at random.\n"
    )
    card = parse(text).cards[0]
    assert card.question == "What does #dropout do at training time?"
    assert card.tags == ("interview", "ml", "dropout", "regularisation", "deep-learning")


def test_properties_drawers_task_markers_and_heading_marks_are_not_card_text() -> None:
    text = (
        "- TODO ## Why warm up the learning rate? #card\n"
        "  id:: 65f0c0de-0000-4000-8000-000000000001\n"
        "  collapsed:: true\n"
        "  :LOGBOOK:\n"
        "  CLOCK: [2026-01-10 Sat 10:00]--[2026-01-10 Sat 10:05] =>  00:05:00\n"
        "  :END:\n"
        "\t- Early second-moment estimates are poor.\n"
        "\t  source:: [[Adam paper]]\n"
    )
    assert sides(parse(text)) == [
        ("basic", "Why warm up the learning rate?", "Early second-moment estimates are poor.")
    ]


def test_a_cloze_block_is_one_card_hiding_all_its_deletions() -> None:
    text = (
        "- The {{cloze softmax}} of logits, sharpened by {{cloze: a low temperature}},"
        " gives $\\frac{e^{z_i}}{\\sum_j e^{z_j}}$. #card\n"
        "\t- Temperature divides the logits.\n"
    )
    parsed = parse(text)
    assert [(str(card.kind), card.id.rsplit("/", 1)[-1]) for card in parsed.cards] == [
        ("cloze", "c1")
    ]
    card = parsed.cards[0]
    assert card.question.startswith("The {{c1::softmax}} of logits, sharpened by ")
    assert "{{c1::a low temperature}}" in card.question
    assert [step.text for step in card.steps] == ["Temperature divides the logits."]


def test_a_card_without_children_is_question_only() -> None:
    parsed = parse("- Explain the bias-variance trade-off aloud. #card\n")
    card = parsed.cards[0]
    assert (card.kind, card.steps) == (CardKind.QUESTION_ONLY, ())


def test_fenced_code_in_a_block_is_text_not_outline() -> None:
    text = (
        "- What does this print? #card\n  ```python\n  - not a bullet\n  print(1)\n  ```\n\t- 1\n"
    )
    assert sides(parse(text)) == [
        ("basic", "What does this print?\n```python\n- not a bullet\nprint(1)\n```", "1")
    ]


def test_block_references_show_the_referenced_text_on_the_same_page() -> None:
    text = (
        "- Scaled dot-product attention\n"
        "  id:: 65f0c0de-0000-4000-8000-000000000002\n"
        "- What does the scale in ((65f0c0de-0000-4000-8000-000000000002)) fix? #card\n"
        "\t- Logit variance; see ((65f0c0de-0000-4000-8000-00000000ffff)).\n"
    )
    assert sides(parse(text)) == [
        (
            "basic",
            "What does the scale in Scaled dot-product attention fix?",
            "Logit variance; see (block reference).",
        )
    ]


def test_template_blocks_are_not_cards_and_a_page_of_templates_is_skipped() -> None:
    templates = "- Flashcard\n  template:: flashcard\n\t- Question #card\n\t\t- Answer\n"
    assert parse_text(templates, path="pages/templates.md").format == ""
    parsed = parse(templates + "- A real question? #card\n\t- A real answer.\n")
    assert [card.question for card in parsed.cards] == ["A real question?"]


@pytest.mark.parametrize(
    ("path", "properties", "deck"),
    [
        ("pages/Optimisation.md", "", "Optimisation"),
        ("pages/ML___Transformers.md", "", "ML/Transformers"),
        ("pages/ML%2FTransformers.md", "", "ML/Transformers"),
        ("pages/ml-transformers.md", "title:: ML/Attention\n", "ML/Attention"),
        ("pages/Optimisation.md", "deck:: interviews/ml\n", "interviews/ml"),
        ("journals/2026_01_14.md", "", "journals"),
    ],
)
def test_the_deck_is_the_page_name(path: str, properties: str, deck: str) -> None:
    parsed = parse(properties + "- Q? #card\n\t- A.\n", path=path, deck=path.split("/")[0])
    assert parsed.cards[0].deck == deck


def test_page_name_decodes_namespaces() -> None:
    assert page_name("graph/pages/a___b___c.md") == "a/b/c"
    assert page_name("pages/Caf%C3%A9.md") == "Café"


def test_logseq_schedule_is_handed_on_as_progress() -> None:
    text = (
        "- Scheduled #card\n"
        "  card-last-interval:: 11.2\n"
        "  card-repeats:: 3\n"
        "  card-ease-factor:: 2.36\n"
        "  card-next-schedule:: 2026-01-20T10:00:00.000Z\n"
        "  card-last-reviewed:: 2026-01-09T10:00:00.000Z\n"
        "  card-last-score:: 5\n"
        "\t- a\n"
        "- Forgotten last time #card\n"
        "  card-last-interval:: -1\n"
        "  card-repeats:: 1\n"
        "  card-ease-factor:: 2.5\n"
        "  card-next-schedule:: 2026-01-10T10:00:00.000Z\n"
        "\t- b\n"
        "- Never reviewed #card\n\t- c\n"
    )
    parsed = parse(text)
    assert parsed.schedules == {
        "pages/Optimisation#scheduled": ImportedSchedule(date(2026, 1, 20), 11, 236)
    }


def test_an_unreadable_schedule_is_a_warning_and_the_card_starts_new() -> None:
    parsed = parse(
        "- Q #card\n  card-repeats:: 2\n  card-last-interval:: 4\n  card-ease-factor:: easy\n"
        "  card-next-schedule:: 2026-01-20T10:00:00.000Z\n\t- A\n"
    )
    assert parsed.schedules == {}
    assert [str(problem) for problem in parsed.warnings] == [
        'pages/Optimisation.md:4: card-ease-factor "easy" is not a number: the card starts new'
    ]
    late = parse(
        "- Q #card\n  card-repeats:: 2\n  card-last-interval:: 4\n"
        "  card-next-schedule:: soon\n\t- A\n"
    )
    assert late.schedules == {} and "is not a date" in str(late.warnings[0])


def test_what_the_format_claims() -> None:
    assert LOGSEQ.sniff("- What is a GAN? #card\n\t- Two networks.\n", _context())
    assert LOGSEQ.sniff("- What is a GAN?\n  tags:: [[card]], gan\n", _context())
    assert not LOGSEQ.sniff("- a list about #cardio\n- C#\n", _context())
    assert not LOGSEQ.sniff("What is a GAN? #card\n", _context())  # no outline
    assert not LOGSEQ.sniff("tags:: card\n\n- a page tagged card\n", _context())
    # Other formats' files stay theirs.
    assert parse_text("#flashcards\n\n- Q::A #card\n", path="n.md").format == "obsidian_sr"
    assert parse_text("Q: Why? #card\nA: Because.\n", path="n.md").format == "hashcards"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- #card\n\t- an answer\n", "p.md:1: this #card block has no question"),
        ("- a\n- The {{cloze softmax #card\n", 'p.md:2: the deletion "{{cloze" is never closed'),
        ("- The {{cloze }} hides nothing #card\n", "p.md:1: the deletion"),
        ("- The {{cloze a::b}} #card\n", 'p.md:1: the deletion "{{cloze a::b}}" holds "::"'),
    ],
)
def test_malformed_blocks_are_errors_on_their_line(text: str, message: str) -> None:
    found = errors(text)
    assert len(found) == 1 and found[0].startswith(message), found


def test_a_graph_folder_skips_logseq_backups(tmp_path: Path) -> None:
    graph = tmp_path / "graph"
    write(graph / "pages", "Optimisation.md", "- Q? #card\n\t- A.\n")
    write(graph / "logseq", "config.edn", "{:meta/version 1}\n")
    write(graph / "logseq" / "bak" / "pages" / "Optimisation", "2026-01-01.md", "- Q? #card\n")
    found = [Path(file.path).relative_to(graph).as_posix() for file in discover([str(graph)]).files]
    assert found == ["pages/Optimisation.md"]
    globbed = discover([f"{graph}/**/*.md"]).files
    assert [Path(file.path).relative_to(graph).as_posix() for file in globbed] == found
    # A folder that happens to be called logseq, without Logseq's config, is notes.
    notes = tmp_path / "notes"
    write(notes / "logseq", "tips.md", "- Q? #card\n\t- A.\n")
    assert len(discover([str(notes)]).files) == 1


PAGE = (
    "- What does momentum add to SGD? #card\n"
    "  card-last-interval:: 6\n"
    "  card-repeats:: 2\n"
    "  card-ease-factor:: 2.5\n"
    "  card-next-schedule:: 2026-01-20T08:00:00.000Z\n"
    "\t- A running average of past gradients.\n"
    "- Why warm up the learning rate? #card\n"
    "\t- Early second-moment estimates are poor.\n"
)


def test_import_starts_scheduled_cards_from_logseq_progress(db: Database, tmp_path: Path) -> None:
    graph = tmp_path / "graph"
    write(graph / "pages", "Optimisation.md", PAGE)
    assert counts(run(db, graph)) == (2, 0, 0)
    cards = CardRepository(db)
    momentum = cards.get("pages/Optimisation#what-does-momentum-add-to-sgd")
    assert momentum is not None and momentum.memory.display_state == "review"
    assert momentum.memory.due == datetime(2026, 1, 20, 12, tzinfo=UTC)
    assert momentum.memory.stability is not None and abs(momentum.memory.stability - 6) < 0.01
    warm_up = cards.get("pages/Optimisation#why-warm-up-the-learning-rate")
    assert warm_up is not None and warm_up.memory.display_state == "new"


def test_editing_an_answer_or_logseq_schedule_keeps_the_card_and_its_history(
    db: Database, tmp_path: Path
) -> None:
    graph = tmp_path / "graph"
    path = write(graph / "pages", "Optimisation.md", PAGE)
    run(db, graph)
    uid = "pages/Optimisation#why-warm-up-the-learning-rate"
    pk = review(db, uid)
    path.write_text(
        PAGE.replace("are poor.", "are poor, so early steps overshoot.").replace(
            "card-repeats:: 2", "card-repeats:: 3"
        )
    )
    assert counts(run(db, graph)) == (0, 1, 0)
    assert history(db, uid) == (pk, 3, 7.5, 1)
    again = run(db, graph)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 2)


def _context() -> FileContext:
    return FileContext(path="pages/p.md", base_id="pages/p", deck="pages")


#: Pieces of a block's text, and of the lines under a bullet.
WORDS = [
    "Why?", "answer", "#card", "#[[card]]", "[[card]]", "#Card", "#ml", "#[[deep learning]]",
    "{{cloze softmax}}", "{{cloze: $x$}}", "{{cloze", "}}", "{{cloze a::b}}", "::", "$x$",
    "`#card`", "TODO", "##", "((65f0c0de-0000-4000-8000-000000000001))", "C#", "#", "é",
]  # fmt: skip
UNDER = [
    "tags:: card", "tags:: ml, [[card]]", "id:: 65f0c0de-0000-4000-8000-000000000001",
    "card-repeats:: 2", "card-repeats:: x", "card-last-interval:: 4", "card-last-interval:: -1",
    "card-ease-factor:: 2.5", "card-next-schedule:: 2026-01-20T10:00:00.000Z",
    "card-next-schedule:: soon", "template:: t", "collapsed:: true", ":LOGBOOK:", ":END:",
    "```", "$$", "more text", "", "difficulty:: 4",
]  # fmt: skip
INDENTS = ["", "\t", "\t\t", "  ", "    ", "\t\t\t"]


@st.composite
def logseq_pages(draw: st.DrawFn) -> str:
    """A page of bullets at random depths, each with words, and lines under them."""
    lines: list[str] = []
    if draw(st.booleans()):
        lines.extend(draw(st.lists(st.sampled_from(["tags:: a, b", "title:: A/B", "deck:: d"]))))
    for _ in range(draw(st.integers(0, 12))):
        indent = draw(st.sampled_from(INDENTS))
        if draw(st.integers(0, 3)) == 0:
            lines.append(indent + "  " + draw(st.sampled_from(UNDER)))
        else:
            words = draw(st.lists(st.sampled_from(WORDS), max_size=6))
            lines.append(indent + "- " + " ".join(words))
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\r\n"]))


@settings(max_examples=1500, deadline=None, derandomize=True, database=None)
@given(logseq_pages())
def test_any_page_reads_consistently(text: str) -> None:
    parsed = parse_text(text, path="pages/p.md", default_id="pages/p", deck="pages")
    lines = text.count("\n") + text.count("\r") + 2
    for problem in parsed.errors + parsed.warnings:
        assert "\n" not in problem.message and 1 <= problem.line <= lines, problem
    if parsed.errors:
        assert parsed.cards == [] and parsed.schedules == {}
    assert len({card.id for card in parsed.cards}) == len(parsed.cards)
    assert set(parsed.schedules) <= {card.id for card in parsed.cards}
    for card in parsed.cards:
        assert card.question.strip() and card.title
        if card.kind is not CardKind.CLOZE:  # a cloze's answer is its filled-in text
            assert (card.kind is CardKind.QUESTION_ONLY) == (not card.steps)
        assert all(step.text.strip() for step in card.steps)
        assert all(tag and tag.casefold() != "card" for tag in card.tags)
