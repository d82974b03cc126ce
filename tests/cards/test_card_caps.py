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


# -- the bound that spares parsing most cards of the inline formats ------------------------

#: Pieces that open the most blocks per character: list and quote markers, ordered items,
#: table rows and cells, fences, rules, headings, display math, blank lines.
_PIECES = (
    "- ",
    "* ",
    "+ ",
    "1. ",
    "2) ",
    "> ",
    "| a ",
    "|",
    "|---|---|\n",
    "---\n",
    "***\n",
    "# h\n",
    "```\nx\n```\n",
    "$$\nx\n$$\n",
    "\n",
    "\n\n",
    "text ",
    "    code\n",
    "-\n",
    "<div>\n",
    "a\n===\n",
    "$x$ ",
    "\\(y\\) ",
)


def _blocks_and_formulas(text: str) -> tuple[int, int]:
    from quizapp.cards.card_size import CardSizes
    from quizapp.cards.markdown_parser import parse_blocks

    tokens, env = parse_blocks(text)
    sizes = CardSizes(tokens, env)
    lines = text.count("\n") + 1
    return len(sizes.blocks), sizes.formulas([(0, lines)])


def test_the_counted_bound_holds_for_every_text() -> None:
    """block_bound is never below the blocks parsing finds, and a card the counts clear
    (may_be_too_big False) is within both limits: 1,500 seeded texts built from the
    pieces that open the most blocks, many of them far over the block limit."""
    import random

    from quizapp.cards.card_size import block_bound, may_be_too_big

    rng = random.Random(20261206)
    cleared = over = 0
    for _ in range(1_500):
        text = "".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 200)))
        blocks, formulas = _blocks_and_formulas(text)
        assert blocks <= block_bound(text), text
        over += blocks > MAX_BLOCKS_PER_CARD
        if not may_be_too_big(text):
            cleared += 1
            assert blocks <= MAX_BLOCKS_PER_CARD, text
            assert formulas <= MAX_FORMULAS_PER_CARD, text
    assert cleared > 40 and over > 100  # both sides of the limit were tried


def test_the_counts_flag_a_card_over_the_block_limit() -> None:
    from quizapp.cards.card_size import may_be_too_big, text_problem

    text = "\n".join("- item" for _ in range(MAX_BLOCKS_PER_CARD // 3 + 1))
    assert may_be_too_big(text)
    problem = text_problem(text)
    assert problem is not None and "Markdown blocks" in problem
    assert not may_be_too_big("What is a gradient?\n\nThe vector of partial derivatives.")
