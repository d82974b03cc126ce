"""What one card may hold: characters, Markdown blocks and formulas, each with a ceiling.

A card over a limit fails with one line naming the file, the card's line, the count and
the limit; a card exactly at a limit imports.
"""

from __future__ import annotations

from quizapp.cards import parse_text
from quizapp.cards.limits import (
    MAX_BLOCKS_PER_CARD,
    MAX_CARD_CHARS,
    MAX_FORMULAS_PER_CARD,
    MAX_STEPS_PER_CARD,
)

from .helpers import card_source, only_card


def card_with_answer(answer: str, title: str = "Big") -> str:
    return card_source(title=title, question="Q?", answer=answer, tail="")


def paragraphs(count: int) -> str:
    return "\n\n".join(f"p{index}" for index in range(count))


# What the card view draws besides the answer's blocks: the question's paragraph. Headings
# of the sections themselves and the metadata sections do not count.
FRAME_BLOCKS = 1


def test_blocks_at_the_limit_import() -> None:
    card = only_card(card_with_answer(paragraphs(MAX_BLOCKS_PER_CARD - FRAME_BLOCKS)), path="b.md")
    assert card.steps[0].text.count("\n\n") == MAX_BLOCKS_PER_CARD - FRAME_BLOCKS - 1


def test_one_block_over_the_limit_is_an_error_naming_file_line_and_limit() -> None:
    parsed = parse_text(card_with_answer(paragraphs(MAX_BLOCKS_PER_CARD)), path="b.md")
    assert parsed.cards == []
    assert [str(problem) for problem in parsed.errors] == [
        f"b.md:1: this card holds {MAX_BLOCKS_PER_CARD + 1:,} Markdown blocks, over the limit"
        f" of {MAX_BLOCKS_PER_CARD:,}; split it into several cards"
    ]


def test_list_items_count_three_blocks_and_their_paragraph_one() -> None:
    # The list is one block, each item three and the paragraph inside it one: 1 + 4n.
    items = (MAX_BLOCKS_PER_CARD - FRAME_BLOCKS - 1) // 4
    fits = "\n".join(f"- item {index}" for index in range(items))
    only_card(card_with_answer(fits), path="l.md")
    over = "\n".join(f"- item {index}" for index in range(items + 1))
    parsed = parse_text(card_with_answer(over), path="l.md")
    blocks = FRAME_BLOCKS + 1 + 4 * (items + 1)
    assert f"holds {blocks:,} Markdown blocks, over the limit" in str(parsed.errors[0])


def test_metadata_sections_do_not_count() -> None:
    related = "\n".join(f"- Question {index}" for index in range(MAX_BLOCKS_PER_CARD))
    source = card_source(
        question="Q?",
        answer=paragraphs(MAX_BLOCKS_PER_CARD - FRAME_BLOCKS),
        tail=f"## Related Questions\n{related}\n",
    )
    card = only_card(source, path="m.md")
    assert len(card.related) == MAX_BLOCKS_PER_CARD


def test_step_headings_count_as_blocks() -> None:
    # Steps of three paragraphs: the block limit is reached before the step limit.
    steps = (MAX_BLOCKS_PER_CARD - FRAME_BLOCKS) // 4
    fits = "\n\n".join(f"### Step {index}\n\na\n\nb\n\nc" for index in range(steps))
    assert len(only_card(card_with_answer(fits), path="s.md").steps) == steps
    over = fits + "\n\n### One more\n\na\n\nb\n\nc"
    assert steps + 1 <= MAX_STEPS_PER_CARD
    assert "Markdown blocks" in str(parse_text(card_with_answer(over), path="s.md").errors[0])


def test_steps_over_the_limit() -> None:
    fits = "\n\n".join(f"### Step {index}\n\nt" for index in range(MAX_STEPS_PER_CARD))
    assert len(only_card(card_with_answer(fits), path="s.md").steps) == MAX_STEPS_PER_CARD
    over = fits + "\n\n### One more\n\nt"
    assert [str(problem) for problem in parse_text(card_with_answer(over), path="s.md").errors] == [
        f"s.md:1: this card holds {MAX_STEPS_PER_CARD + 1} steps, over the limit of"
        f" {MAX_STEPS_PER_CARD}; split it into several cards"
    ]


def test_display_formulas_are_blocks_too() -> None:
    over = "\n\n".join(f"$$x_{{{index}}}$$" for index in range(MAX_BLOCKS_PER_CARD))
    parsed = parse_text(card_with_answer(over), path="d.md")
    assert "Markdown blocks, over the limit" in str(parsed.errors[0])


def test_each_card_of_a_file_has_its_own_budget() -> None:
    half = paragraphs(MAX_BLOCKS_PER_CARD - FRAME_BLOCKS)
    source = card_with_answer(half, "One") + "\n" + card_with_answer(half, "Two")
    parsed = parse_text(source, path="two.md")
    assert parsed.errors == []
    assert [card.title for card in parsed.cards] == ["One", "Two"]


def test_the_second_card_over_the_limit_is_reported_at_its_own_line() -> None:
    first = card_with_answer("fine", "One")
    source = first + "\n" + card_with_answer(paragraphs(MAX_BLOCKS_PER_CARD), "Two")
    parsed = parse_text(source, path="two.md")
    line = first.count("\n") + 2
    assert [problem.line for problem in parsed.errors] == [line]
    assert parsed.cards == []  # a file is imported whole or not at all


def inline_formulas(count: int) -> str:
    # Forty formulas a paragraph, so the block limit is not what is reached.
    rows = [
        " ".join(f"$x_{{{i}}}$" for i in range(start, min(start + 40, count)))
        for start in range(0, count, 40)
    ]
    return "\n\n".join(rows)


def test_formulas_at_the_limit_import() -> None:
    card = only_card(card_with_answer(inline_formulas(MAX_FORMULAS_PER_CARD)), path="f.md")
    assert card.steps[0].text.count("$") == 2 * MAX_FORMULAS_PER_CARD


def test_one_formula_over_the_limit_is_an_error() -> None:
    parsed = parse_text(card_with_answer(inline_formulas(MAX_FORMULAS_PER_CARD + 1)), path="f.md")
    assert [str(problem) for problem in parsed.errors] == [
        f"f.md:1: this card holds {MAX_FORMULAS_PER_CARD + 1:,} formulas, over the limit of"
        f" {MAX_FORMULAS_PER_CARD:,}; split it into several cards"
    ]


def test_dollars_that_are_not_formulas_do_not_count() -> None:
    # Prices and escaped dollars: many "$" but no formula, so the card imports.
    prose = " ".join(f"costs $5 and \\$ {index}" for index in range(2 * MAX_FORMULAS_PER_CARD))
    card = only_card(card_with_answer(prose), path="p.md")
    assert card.steps[0].text == prose


def test_formulas_in_the_question_count() -> None:
    source = card_source(question=inline_formulas(MAX_FORMULAS_PER_CARD + 1), tail="")
    parsed = parse_text(source, path="q.md")
    assert "formulas, over the limit" in str(parsed.errors[0])


def test_characters_over_the_limit() -> None:
    words = "word " * (MAX_CARD_CHARS // 5)
    parsed = parse_text(card_with_answer(words), path="c.md")
    chars = len("Q?") + len(words.rstrip())
    assert chars > MAX_CARD_CHARS
    assert [str(problem) for problem in parsed.errors] == [
        f"c.md:1: this card holds {chars:,} characters, over the limit of {MAX_CARD_CHARS:,};"
        " split it into several cards"
    ]
    fits = "word " * ((MAX_CARD_CHARS - 10) // 5)
    only_card(card_with_answer(fits), path="c.md")
