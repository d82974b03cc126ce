"""Card text drawn as Obsidian draws it, in the TUI (issue 14): wikilinks as styled links,
highlights, callouts as titled panels, images as placeholders, footnotes kept, prices
that are not math, and Chinese, Japanese and Korean text that wraps at any character.

What is asserted is what reaches the screen: the lines a widget draws, and the styles of
the cells that draw a word.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich._wrap import divide_line as rich_divide_line
from rich.cells import cell_len
from rich.segment import Segment
from rich.text import Text
from textual.app import App, ComposeResult
from textual.await_complete import AwaitComplete
from textual.coordinate import Coordinate
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widgets import Static

from quizapp.cards.model import CardExtra, Step
from quizapp.scheduling.filters import StudyFilter
from quizapp.services.importer import import_paths
from quizapp.services.settings import set_setting
from quizapp.store.db import open_database
from quizapp.tui.line_breaks import divide_line
from quizapp.tui.screens.browse import BrowseScreen
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.review import ReviewScreen
from quizapp.tui.session_request import SessionRequest
from quizapp.tui.widgets.card_view import CardView, StepView
from quizapp.tui.widgets.math_markdown import MathMarkdown
from quizapp.tui.widgets.more_panel import MorePanel
from quizapp.tui.widgets.name_table import NameTable

from .conftest import NOW, AppFactory, settle
from .obsidian_cards import (
    DROPOUT,
    VAULT_DECKS,
    card_pk,
    write_obsidian_cards,
    write_vault_decks,
)

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
    st.text(alphabet=string.ascii_letters + "  \t-.,éß→–", max_size=120),
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
    lines = text_of(
        await drawn(
            "Costs $5 and $10, $x_1$ is math.\n\n![a net](img/net.png) ![[loss.png|300]]\n\n"
            "Said[^1].\n\n[^1]: In a talk.\n"
        )
    )
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


# ------------------------------------------------------------------ the review screen


@pytest.fixture
def vault_db(tmp_path: Path) -> Path:
    """A database holding ``obsidian_cards.CARDS``, new at NOW."""
    path = tmp_path / "vault.db"
    db = open_database(path, auto_backup=False)
    write_obsidian_cards(db, NOW)
    db.close()
    return path


def session_of(db_path: Path, uid: str) -> SessionRequest:
    return SessionRequest(filter=StudyFilter(card_pks=(card_pk(db_path, uid),)))


async def until(pilot: Pilot[None], holds: Callable[[], bool], rounds: int = 50) -> None:
    """Let the app run (workers and message handlers, no sleeping) until ``holds()``."""
    for _ in range(rounds):
        await settle(pilot)
        if holds():
            return
    raise AssertionError("the app never got there")


def card_view(pilot: Pilot[None]) -> CardView:
    return pilot.app.screen.query_one(CardView)


def on_card(pilot: Pilot[None]) -> Callable[[], bool]:
    """The review screen has shown its first card (``shown_at`` is set last)."""

    def shown() -> bool:
        screen = pilot.app.screen
        return isinstance(screen, ReviewScreen) and screen.shown_at is not None

    return shown


def question(pilot: Pilot[None]) -> str:
    return card_view(pilot).query_one("#card-question", MathMarkdown).source


def static_text(pilot: Pilot[None], selector: str) -> str:
    rendered = pilot.app.screen.query_one(selector, Static).render()
    return rendered.plain if isinstance(rendered, Text) else str(rendered)


def step_texts(pilot: Pilot[None]) -> list[str]:
    return [step.step.text for step in card_view(pilot).query(StepView)]


def more_shown(pilot: Pilot[None]) -> bool:
    return card_view(pilot).query_one("#card-more").display


async def test_a_bilingual_card_shows_the_preferred_language_and_l_shows_the_other(
    vault_db: Path, make_app: AppFactory
) -> None:
    app = make_app(vault_db, session_spec=session_of(vault_db, "ml/bias-variance"))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, on_card(pilot))
        view = card_view(pilot)
        assert question(pilot) == "What is the **bias-variance tradeoff**?"  # quote, rule off
        assert view.languages == ("en", "ru")
        assert view.total_steps == 2  # the Russian answer is no step
        assert "l: RU" in static_text(pilot, "#answer-hint")
        assert "EN·ru" in static_text(pilot, "#card-badges")
        await pilot.press("space")
        await settle(pilot)
        await pilot.press("l")
        await until(pilot, lambda: question(pilot).startswith("Что такое"))
        assert view.languages == ("ru", "en") and view.total_steps == 1
        assert view.revealed == 1  # as far revealed as before
        assert [s.startswith("Ожидаемая") for s in step_texts(pilot)] == [True]
        assert "RU·en" in static_text(pilot, "#card-badges")
        await pilot.press("l")
        await until(pilot, lambda: question(pilot).startswith("What is"))
        assert view.total_steps == 2


async def test_the_language_setting_chooses_the_first_language(
    vault_db: Path, make_app: AppFactory
) -> None:
    db = open_database(vault_db, auto_backup=False)
    set_setting(db, "language", "ru")
    db.close()
    app = make_app(vault_db, session_spec=session_of(vault_db, "ml/bias-variance"))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, on_card(pilot))
        assert question(pilot) == "Что такое **компромисс смещения и дисперсии**?"
        assert "l: EN" in static_text(pilot, "#answer-hint")


async def test_more_shows_the_extras_with_the_whole_answer_or_on_m(
    vault_db: Path, make_app: AppFactory
) -> None:
    app = make_app(vault_db, session_spec=session_of(vault_db, "ml/bias-variance"))
    async with app.run_test(size=(100, 40)) as pilot:
        await until(pilot, on_card(pilot))
        panel = card_view(pilot).query_one(MorePanel)
        assert [extra.heading for extra in panel.extras] == ["Follow-ups", "References"]
        assert not more_shown(pilot)
        await pilot.press("space")
        await settle(pilot)
        assert not more_shown(pilot)
        await pilot.press("space")
        await settle(pilot)
        assert more_shown(pilot)  # with the whole answer
        assert not [text for text in step_texts(pilot) if "bagging" in text]
        await pilot.press("m")
        await settle(pilot)
        assert not more_shown(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert more_shown(pilot)


async def test_m_shows_more_before_the_answer(vault_db: Path, make_app: AppFactory) -> None:
    app = make_app(vault_db, session_spec=session_of(vault_db, "ml/bias-variance"))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, on_card(pilot))
        await pilot.press("m")
        await settle(pilot)
        assert more_shown(pilot)
        assert card_view(pilot).revealed == 0


async def test_keys_for_languages_and_more_are_off_for_a_card_without_them(
    vault_db: Path, make_app: AppFactory
) -> None:
    app = make_app(vault_db, session_spec=session_of(vault_db, "ml/batch-norm"))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, on_card(pilot))
        screen = app.screen
        assert screen.check_action("language", ()) is None
        assert screen.check_action("more", ()) is None
        assert "l:" not in static_text(pilot, "#answer-hint")
        await pilot.press("l", "m")
        await settle(pilot)
        assert card_view(pilot).languages == ()
        assert not more_shown(pilot)


async def test_a_question_that_is_its_title_is_shown_once(
    vault_db: Path, make_app: AppFactory
) -> None:
    app = make_app(vault_db, session_spec=session_of(vault_db, "ml/dropout"))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, on_card(pilot))
        assert static_text(pilot, "#card-title") == "What is dropout?"
        assert not card_view(pilot).query_one("#card-question").display
        lines = [strip.text for strip in app.screen._compositor.render_strips()]
        assert sum("What is dropout?" in line for line in lines) == 1


class CardHost(App[None]):
    """A card view on its own."""

    def compose(self) -> ComposeResult:
        yield CardView()


async def test_a_reveal_asked_while_a_card_is_put_in_place_is_made_once_it_is() -> None:
    """A key that arrives while the card view replaces its widgets (the next card after
    an answer) reveals the new card; the view used to set ``revealed`` back to 0 after
    such a reveal had mounted its step, leaving the step shown and the card unrevealed."""
    app = CardHost()
    async with app.run_test(size=(80, 30)) as pilot:
        view = app.query_one(CardView)
        asked = view.query_one("#card-question", MathMarkdown)
        update = asked.update

        def update_then_press(markdown: str) -> AwaitComplete:
            view.reveal_all()  # "a", pressed while the question is being replaced
            return update(markdown)

        asked.update = update_then_press  # type: ignore[method-assign]
        await view.show_card(DROPOUT)
        await settle(pilot)
        assert view.revealed == view.total_steps == 1
        assert view.fully_revealed
        assert len(view.query(StepView)) == 1


async def test_a_title_and_a_step_heading_draw_their_formulas() -> None:
    """Imported notes often make a question with a formula their title (hashcards'
    ``Q: What is $\\sigma(x)$?``): the title and the step headings draw it, as the
    question does, instead of showing its LaTeX."""
    card = replace(
        DROPOUT,
        title="What is $\\sigma(x)$?",
        question="What is $\\sigma(x)$?",
        steps=(Step(("Derivative $\\sigma'(x)$",), "$\\sigma(x)(1-\\sigma(x))$", 3),),
    )
    app = CardHost()
    async with app.run_test(size=(80, 30)) as pilot:
        view = app.query_one(CardView)
        await view.show_card(card)
        view.reveal_all()
        await settle(pilot)
        assert static_text(pilot, "#card-title") == "What is σ(x)?"
        heading = view.query_one(".step-heading", Static).render()
        assert str(heading) == "Derivative σ′(x)  step 1/1"


# ------------------------------------------------------------------- names that fit


@pytest.fixture
def decks_db(tmp_path: Path) -> Path:
    """A database of one card in each of ``obsidian_cards.VAULT_DECKS``."""
    path = tmp_path / "decks.db"
    db = open_database(path, auto_backup=False)
    write_vault_decks(db, NOW)
    db.close()
    return path


def rows_loaded(pilot: Pilot[None]) -> Callable[[], bool]:
    def loaded() -> bool:
        screen = pilot.app.screen
        return isinstance(screen, HomeScreen) and bool(
            screen.query_one("#decks", NameTable).full_names
        )

    return loaded


def name_cells(table: NameTable) -> list[str]:
    return [str(table.get_row_at(row)[0]) for row in range(table.row_count)]


async def test_decks_are_shown_by_their_distinguishing_end_with_the_full_name_at_hand(
    decks_db: Path, make_app: AppFactory
) -> None:
    app = make_app(decks_db)
    async with app.run_test(size=(40, 24)) as pilot:
        await until(pilot, rows_loaded(pilot))
        decks = app.screen.query_one("#decks", NameTable)
        assert list(decks.full_names) == list(VAULT_DECKS)
        shown = name_cells(decks)
        # The decks panel alone is too narrow for the names at 40 columns:
        # the last two folders of the CNN deck fit, the longer names keep their last one.
        assert shown == [
            "…/Basics",
            "…/Ensembles",
            "20-Deep-Learning/CNN",
            "…/Transformers",
            "30-NLP",
            "…/Bayes",
        ]
        decks.focus()
        await settle(pilot)
        decks.move_cursor(row=2)
        await settle(pilot)
        assert str(decks.border_subtitle) == VAULT_DECKS[2]
        decks.hover_coordinate = Coordinate(3, 0)
        assert str(decks.tooltip) == VAULT_DECKS[3]


async def test_name_columns_take_the_width_the_terminal_gives(
    decks_db: Path, make_app: AppFactory
) -> None:
    widths: dict[int, tuple[int, int]] = {}
    tags: dict[int, list[str]] = {}
    for columns in (48, 160):
        app = make_app(decks_db)
        async with app.run_test(size=(columns, 30)) as pilot:
            await until(pilot, rows_loaded(pilot))
            deck_table = app.screen.query_one("#decks", NameTable)
            deck_width = deck_table.name_width()
            if columns == 48:  # one panel at a time: g shows the tags
                await pilot.press("g")
                await settle(pilot)
            tag_table = app.screen.query_one("#tags", NameTable)
            widths[columns] = (deck_width, tag_table.name_width())
            tags[columns] = name_cells(tag_table)
    assert widths[160][0] > widths[48][0] and widths[160][1] > widths[48][1]
    assert tags[48][0] == "Topic-0"  # the shared "Machine-Learning/Regularisation" dropped
    assert tags[160][0] == "Machine-Learning/Regularisation/Topic-0"  # room for it whole


@pytest.mark.parametrize("columns", [80, 120])
async def test_statistics_tag_column_takes_the_free_width_and_keeps_names_readable(
    decks_db: Path, make_app: AppFactory, columns: int
) -> None:
    """Statistics' "Predicted recall by tag" names a vault's long tags as home does: whole
    when the width allows (120 columns), else by the end that tells them apart, the full
    name under the table for the cursor's row; the figure columns are never cut."""
    from quizapp.tui.screens.statistics import StatisticsScreen

    app = make_app(decks_db)
    async with app.run_test(size=(columns, 40)) as pilot:
        await until(pilot, rows_loaded(pilot))
        await pilot.press("t")
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, StatisticsScreen)
                and app.screen.query_one("#recall-table", NameTable).row_count > 0
            ),
        )
        table = app.screen.query_one("#recall-table", NameTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width
        full = [f"Machine-Learning/Regularisation/Topic-{index}" for index in range(6)]
        assert list(table.full_names) == full
        if columns == 120:
            assert name_cells(table) == full
        else:
            assert name_cells(table) == [f"Topic-{index}" for index in range(6)]
            table.focus()
            await settle(pilot)
            table.move_cursor(row=3)
            await settle(pilot)
            assert table.has_focus
            assert str(table.border_subtitle) == full[3]


async def test_browse_shows_the_highlighted_cards_deck_in_full(
    decks_db: Path, make_app: AppFactory
) -> None:
    app = make_app(decks_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, rows_loaded(pilot))
        await pilot.press("b")
        await until(pilot, lambda: isinstance(app.screen, BrowseScreen) and bool(app.screen.shown))
        line = static_text(pilot, "#browse-card").split("\n")[1]
        assert line.startswith(f"deck {VAULT_DECKS[0]} · tags Machine-Learning/")
        await pilot.press("down", "down")  # from the query box to the rows, then one down
        await settle(pilot)
        line = static_text(pilot, "#browse-card").split("\n")[1]
        assert line.startswith(f"deck {VAULT_DECKS[1]}")


async def test_wikilinks_in_step_and_more_headings_are_drawn_as_text() -> None:
    card = replace(
        DROPOUT,
        steps=(Step(("See [[Bagging|bagging]]",), "Like an ensemble."),),
        extras=(CardExtra("links", "Links to [[Ensembles]]", "- [[Ensembles]]"),),
    )
    app = CardHost()
    async with app.run_test(size=(80, 30)) as pilot:
        view = app.query_one(CardView)
        await view.show_card(card, revealed=1)
        await settle(pilot)
        lines = [strip.text for strip in app.screen._compositor.render_strips()]
        assert any(line.startswith(" See bagging  step 1/1") for line in lines)
        assert any("Links to Ensembles" in line for line in lines)
        assert not any("[[" in line for line in lines)


BILINGUAL_NOTE = """---
tags: [ml]
---
# Bias-variance tradeoff

## Question (EN)
> What is the bias-variance tradeoff?

## Вопрос (RU)
> Что такое компромисс смещения и дисперсии?

---

## Answer (EN)
Expected error is ==bias² + variance + noise==; see [[Regularization|regularization]].

---

## Ответ (RU)
Ожидаемая ошибка: смещение² + дисперсия + шум; см. [[Regularization]].

## Follow-ups
- How does bagging reduce variance?
"""


async def test_a_vault_note_read_by_the_importer_is_drawn_as_obsidian_draws_it(
    tmp_path: Path, make_app: AppFactory
) -> None:
    """End to end: the note as the native reader stores it (quote, rules and wikilinks
    kept as written), drawn without them, its Russian side a key away, its follow-ups in
    the More panel."""
    (tmp_path / "vault").mkdir()
    (tmp_path / "vault" / "Bias-Variance Tradeoff.md").write_text(BILINGUAL_NOTE, "utf-8")
    path = tmp_path / "vault.db"
    db = open_database(path, auto_backup=False)
    assert import_paths(db, [tmp_path / "vault"]).ok
    db.close()
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, rows_loaded(pilot))
        await pilot.press("enter")
        await until(pilot, on_card(pilot))
        await pilot.press("a")
        await settle(pilot)
        lines = [strip.text.rstrip() for strip in app.screen._compositor.render_strips()]
        text = "\n".join(lines)
        assert " What is the bias-variance tradeoff?" in lines
        assert "see regularization." in text
        assert not any(mark in text for mark in ("[[", "==", "> What", "---"))
        assert more_shown(pilot)
        assert "How does bagging reduce variance?" in text
        await pilot.press("l")
        await until(pilot, lambda: question(pilot).startswith("Что такое"))
        assert step_texts(pilot)[0].startswith("Ожидаемая ошибка")


def test_a_line_of_markdown_is_drawn_styled_not_as_its_marks() -> None:
    """Titles and step headings: emphasis styled, formulas drawn, code as written, and
    text that looks like Rich markup left alone."""
    from quizapp.tui.widgets.math_markdown import line_text

    gap = line_text("**[…]** keeps $m_t$")
    assert gap.plain == "[…] keeps mₜ"
    assert [(span.start, span.end, str(span.style)) for span in gap.spans] == [(0, 3, "bold")]
    word = line_text("What is *overfitting*? ~~no~~ ==yes==", "bold")
    assert word.plain == "What is overfitting? no yes"
    assert str(word.style) == "bold"
    styles = {word.plain[span.start : span.end]: str(span.style) for span in word.spans}
    assert styles == {"overfitting": "italic", "no": "strike", "yes": "reverse"}
    assert line_text("Why `torch.no_grad()`?").plain == "Why `torch.no_grad()`?"
    assert line_text("[bold red]not markup[/] \x1b[2J").plain == "[bold red]not markup[/] \\x1b[2J"
