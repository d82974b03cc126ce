"""Card text drawn as Obsidian draws it, in the TUI (issue 14): wikilinks as styled links,
highlights, callouts as titled panels, images as placeholders, footnotes kept, prices
that are not math, and Chinese, Japanese and Korean text that wraps at any character.

What is asserted is what reaches the screen: the lines a widget draws, and the styles of
the cells that draw a word.
"""

from __future__ import annotations

import string
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st
from rich._wrap import divide_line as rich_divide_line
from rich.cells import cell_len
from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.strip import Strip

from quizapp.tui.line_breaks import divide_line
from quizapp.tui.widgets.math_markdown import MathMarkdown

from .conftest import settle

# ------------------------------------------------------------------ line breaking


def lines_of(text: str, width: int) -> list[str]:
    offsets = [0, *divide_line(text, width), len(text)]
    return [text[a:b].rstrip() for a, b in pairwise(offsets)]


def test_cjk_text_breaks_between_any_characters_and_fills_each_line() -> None:
    text = "English then 中文继续写下去直到行尾需要换行的时候为止。"
    lines = lines_of(text, 20)
    assert "".join(line.replace(" ", "") for line in lines) == text.replace(" ", "")
    assert all(cell_len(line) <= 20 for line in lines)
    # Rich would move the whole Chinese run to a line of its own after "English then ".
    assert cell_len(lines[0]) >= 19
    assert lines[0].startswith("English then 中")


def test_no_line_starts_with_closing_or_ends_with_opening_punctuation() -> None:
    text = "这是第一句话，这是第二句话。「引用的话」在这里出现、然后结束。"
    for width in range(6, 30):
        for line in lines_of(text, width):
            assert line[0] not in "，。、」", (width, line)
            assert line[-1] != "「", (width, line)


def test_a_long_latin_word_among_cjk_is_chopped_as_rich_chops_one() -> None:
    text = "中文" + "x" * 30 + "中文"
    lines = lines_of(text, 12)
    assert all(cell_len(line) <= 12 for line in lines)
    assert "".join(lines) == text


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=string.ascii_letters + "  \t-.,", max_size=120),
    st.integers(min_value=1, max_value=40),
)
def test_text_without_wide_characters_breaks_exactly_as_rich_breaks_it(
    text: str, width: int
) -> None:
    assert divide_line(text, width) == rich_divide_line(text, width)
    assert divide_line(text, width, fold=False) == rich_divide_line(text, width, fold=False)


# --------------------------------------------------------------- drawn Markdown


class Document(App[None]):
    """One Markdown document of card text, ``width`` cells wide."""

    def compose(self) -> ComposeResult:
        yield MathMarkdown(id="doc")


async def drawn(markdown: str, width: int = 60) -> list[Strip]:
    """The screen's lines after showing ``markdown``."""
    app = Document()
    async with app.run_test(size=(width, 30)) as pilot:
        await app.query_one(MathMarkdown).update(markdown)
        await settle(pilot)
        return list(app.screen._compositor.render_strips())


def text_of(strips: list[Strip]) -> list[str]:
    return [strip.text.rstrip() for strip in strips if strip.text.strip()]


def cells(strips: list[Strip], word: str) -> list[Segment]:
    """The segments that draw ``word`` (the first line holding it)."""
    for strip in strips:
        if word in strip.text:
            start = strip.text.index(word)
            found: list[Segment] = []
            position = 0
            for segment in strip:
                end = position + len(segment.text)
                if end > start and position < start + len(word):
                    found.append(segment)
                position = end
            return found
    raise AssertionError(f"{word!r} is not on the screen")


async def test_wikilinks_are_drawn_as_their_labels_styled_as_links() -> None:
    strips = await drawn("See [[Adam#Bias correction]] and [[Dropout|the dropout card]].")
    assert text_of(strips) == [" See Adam › Bias correction and the dropout card."]
    for segment in cells(strips, "the dropout card"):
        assert segment.style is not None and segment.style.underline
    assert not any(s.style and s.style.underline for s in cells(strips, "See"))


async def test_highlights_have_a_background_of_their_own() -> None:
    strips = await drawn("plain ==marked== plain")
    assert text_of(strips) == [" plain marked plain"]
    (marked,) = {s.style.bgcolor for s in cells(strips, "marked") if s.style}
    (plain,) = {s.style.bgcolor for s in cells(strips, "plain") if s.style}
    assert marked != plain


async def test_a_callout_is_a_panel_titled_with_its_title() -> None:
    lines = text_of(await drawn("> [!warning] Small batches\n> Noisy statistics.\n"))
    assert lines[0].startswith(" ╭─ Small batches ─")
    assert lines[1].startswith(" │ Noisy statistics.")
    assert lines[2].startswith(" ╰─")
    assert not any("[!warning]" in line for line in lines)


async def test_images_footnotes_and_prices() -> None:
    lines = text_of(await drawn(
        "Costs $5 and $10, $x_1$ is math.\n\n![a net](img/net.png) ![[loss.png|300]]\n\n"
        "Said[^1].\n\n[^1]: In a talk.\n"
    ))
    assert lines[0] == " Costs $5 and $10, x₁ is math."
    assert lines[1] == " [image: a net — img/net.png] [image: loss.png]"
    assert lines[2] == " Said[1]."
    assert set(lines[3].strip()) == {"─"}
    assert lines[4] == " [1] In a talk."


async def test_cjk_paragraphs_fill_their_lines() -> None:
    text = "这是一个很长的中文句子，用来测试换行是否可以在任何字符之间发生，而不是等待空格。" * 2
    lines = text_of(await drawn(text, width=30))
    assert len(lines) > 3
    assert all(cell_len(line) >= 28 for line in lines[:-1])
