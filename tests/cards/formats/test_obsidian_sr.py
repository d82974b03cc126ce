"""The Obsidian Spaced Repetition plugin's syntax: every card type, the deck tags' scoping,
scheduling comments, what the format claims, and malformed notes.

The notes are written from the plugin's documentation (docs/docs/en/flashcards/*.md and
data-storage.md of st3v3nmw/obsidian-spaced-repetition); none is taken from anyone's vault.
"""

from __future__ import annotations

from datetime import date

import pytest

from quizapp.cards import parse_text
from quizapp.cards.formats import FileContext
from quizapp.cards.formats.obsidian_sr import ObsidianSrFormat
from quizapp.cards.model import CardKind, ImportedSchedule, ParsedFile

SR = ObsidianSrFormat()


def parse(text: str, path: str = "ml/notes.md") -> ParsedFile:
    parsed = parse_text(text, path=path, deck="ml")
    assert parsed.format == "obsidian_sr", parsed.skipped or parsed.format
    return parsed


def cards_of(text: str, path: str = "ml/notes.md") -> ParsedFile:
    parsed = parse(text, path)
    assert parsed.errors == [], [str(problem) for problem in parsed.errors]
    return parsed


def sides(parsed: ParsedFile) -> list[tuple[str, str, str]]:
    """``(kind, question, answer)`` of every card."""
    return [
        (str(card.kind), card.question, "\n".join(step.text for step in card.steps))
        for card in parsed.cards
    ]


def error_of(text: str) -> str:
    parsed = parse(text)
    assert parsed.cards == [] and len(parsed.errors) == 1, [str(p) for p in parsed.errors]
    return str(parsed.errors[0])


# -- the question-and-answer cards -------------------------------------------------------


def test_single_line_basic() -> None:
    parsed = cards_of("#flashcards\nWhat does a ReLU output for x < 0?::Zero\n")
    assert sides(parsed) == [("basic", "What does a ReLU output for x < 0?", "Zero")]
    card = parsed.cards[0]
    assert card.id == "ml/notes#what-does-a-relu-output-for-x-0"
    assert (card.line, card.steps[0].line, card.note, card.format) == (2, 2, "", "obsidian_sr")


def test_single_line_bidirectional_makes_two_sibling_cards() -> None:
    parsed = cards_of("#flashcards\nlogit:::the log-odds $\\log\\frac{p}{1-p}$\n")
    assert sides(parsed) == [
        ("basic", "logit", "the log-odds $\\log\\frac{p}{1-p}$"),
        ("reversed", "the log-odds $\\log\\frac{p}{1-p}$", "logit"),
    ]
    forward, backward = parsed.cards
    assert (forward.id, backward.id) == ("ml/notes#logit", "ml/notes#logit/reverse")
    assert forward.note == backward.note == "ml/notes#logit"


def test_multi_line_basic_and_bidirectional() -> None:
    text = (
        "#flashcards\n\n"
        "What are the two terms\nof the bias-variance decomposition?\n?\n"
        "bias squared\nand variance\n\n"
        "precision\n??\nTP / (TP + FP)\n"
    )
    parsed = cards_of(text)
    assert sides(parsed) == [
        (
            "basic",
            "What are the two terms\nof the bias-variance decomposition?",
            "bias squared\nand variance",
        ),
        ("basic", "precision", "TP / (TP + FP)"),
        ("reversed", "TP / (TP + FP)", "precision"),
    ]
    assert [card.line for card in parsed.cards] == [3, 9, 9]
    assert parsed.cards[0].steps[0].line == 6
    assert parsed.cards[0].title == "What are the two terms of the bias-variance decomposition?"


def test_a_blank_line_ends_a_multi_line_card() -> None:
    text = "#flashcards\n\nWhy normalise inputs?\n?\nSteadier gradients.\n\nA remark, not a card.\n"
    assert sides(cards_of(text)) == [("basic", "Why normalise inputs?", "Steadier gradients.")]


def test_fenced_code_is_part_of_a_card_and_never_a_separator() -> None:
    text = (
        "#flashcards\n\n"
        "What does this print?\n```python\nprint(1 if x else 2)\n?\n\nx::y\n```\n?\n2\n"
    )
    parsed = cards_of(text)
    assert sides(parsed) == [
        ("basic", "What does this print?\n```python\nprint(1 if x else 2)\n?\n\nx::y\n```", "2")
    ]


def test_separators_in_code_spans_and_list_markers() -> None:
    text = (
        "#flashcards\n\n"
        "Prose about `std::vector` is no card.\n\n"
        "- What does `a::b` name in C++?::the member b of a\n"
        "1. Which norm does Lasso use?::L1\n"
    )
    assert sides(cards_of(text)) == [
        ("basic", "What does `a::b` name in C++?", "the member b of a"),
        ("basic", "Which norm does Lasso use?", "L1"),
    ]


def test_html_comments_hide_what_they_enclose() -> None:
    text = "#flashcards\n\n<!-- Hidden?::yes -->\n<!--\nAlso hidden?::yes\n-->\nShown?::yes\n"
    assert [card.question for card in cards_of(text).cards] == ["Shown?"]


# -- clozes --------------------------------------------------------------------------------


def test_each_highlight_bold_or_curly_deletion_is_a_sibling_card() -> None:
    text = "#flashcards\n\nThe ==encoder== maps to a **latent** code that the {{decoder}} reads.\n"
    parsed = cards_of(text)
    assert [card.question for card in parsed.cards] == [
        "The {{c1::encoder}} maps to a latent code that the decoder reads.",
        "The encoder maps to a {{c2::latent}} code that the decoder reads.",
        "The encoder maps to a latent code that the {{c3::decoder}} reads.",
    ]
    assert {card.kind for card in parsed.cards} == {CardKind.CLOZE}
    note = "ml/notes#the-encoder-maps-to-a-latent-code-that-the-f2258847"
    assert [card.id for card in parsed.cards] == [f"{note}/c1", f"{note}/c2", f"{note}/c3"]
    assert {card.note for card in parsed.cards} == {note}
    assert all(card.steps == () for card in parsed.cards)


def test_hints_groups_anki_style_and_math_inside_deletions() -> None:
    text = (
        "#flashcards\n\n"
        "Softmax of ==$z$==^[the input] is ==$e^{z_i} / \\sum_j e^{z_j}$==^[a formula].\n\n"
        "Adam keeps ==two==[^1] moment estimates: ==mean==[^2] and ==variance==[^1].\n\n"
        "The {{c1::ReLU::an activation}} is {{c2::$\\max(0, x)$}}.\n"
    )
    questions = [card.question for card in cards_of(text).cards]
    assert questions == [
        "Softmax of {{c1::$z$::the input}} is $e^{z_i} / \\sum_j e^{z_j}$.",
        "Softmax of $z$ is {{c2::$e^{z_i} / \\sum_j e^{z_j}$::a formula}}.",
        "Adam keeps {{c1::two}} moment estimates: mean and {{c1::variance}}.",
        "Adam keeps two moment estimates: {{c2::mean}} and variance.",
        "The {{c1::ReLU::an activation}} is $\\max(0, x)$.",
        "The ReLU is {{c2::$\\max(0, x)$}}.",
    ]


def test_a_multi_line_card_with_bold_text_is_no_cloze() -> None:
    text = "#flashcards\n\nWhat is **dropout**?\n?\nZeroing random **units**.\n"
    assert sides(cards_of(text)) == [("basic", "What is **dropout**?", "Zeroing random **units**.")]


def test_deletion_markers_in_code_or_math_are_no_deletions() -> None:
    text = (
        "#flashcards\n\nIn Python `a == b` compares; $x^{{2}}$ is math; the ==answer== is hidden.\n"
    )
    parsed = cards_of(text)
    assert [card.question for card in parsed.cards] == [
        "In Python `a == b` compares; $x^{{2}}$ is math; the {{c1::answer}} is hidden."
    ]


def test_a_cloze_with_more_than_nine_deletions_orders_its_cards_by_number() -> None:
    words = " ".join(f"=={index}==" for index in range(1, 12))
    parsed = cards_of(f"#flashcards\n\nCount: {words}.\n")
    assert [card.id.rsplit("/", 1)[1] for card in parsed.cards] == [f"c{n}" for n in range(1, 12)]


# -- decks ---------------------------------------------------------------------------------


DECKS = """\
Before any tag::in the file's first tag deck

#flashcards/deckA
Question1::Answer1
Question2::Answer2

#flashcards/deckB Question4::Answer4

Question6::Answer6

#flashcards/language/words #flashcards/trivia
A group of cats is called a::clowder
"""


def test_tags_apply_to_the_cards_after_them_and_a_leading_tag_to_its_card_only() -> None:
    parsed = cards_of(DECKS)
    assert [(card.question, card.deck, card.tags) for card in parsed.cards] == [
        ("Before any tag", "flashcards/deckA", ()),
        ("Question1", "flashcards/deckA", ()),
        ("Question2", "flashcards/deckA", ()),
        ("Question4", "flashcards/deckB", ()),
        ("Question6", "flashcards/deckA", ()),
        ("A group of cats is called a", "flashcards/language/words", ("flashcards/trivia",)),
    ]


def test_a_tag_line_on_a_multi_line_cards_first_line_is_that_cards_own() -> None:
    text = "#flashcards/a\n\n#flashcards/b\nWhy?\n?\nBecause.\n\nHow?\n?\nSo.\n"
    parsed = cards_of(text)
    assert [(card.question, card.deck) for card in parsed.cards] == [
        ("Why?", "flashcards/b"),
        ("How?", "flashcards/a"),
    ]


def test_cards_after_a_first_cards_own_tag_take_the_notes_deck() -> None:
    """The common layout: ``#flashcards`` on the line right above the first card, then
    more cards. The tag line is the first card's own, and the plugin puts the whole note
    in that deck, so the later cards are in it too, not in the file's folder."""
    multi = cards_of("#flashcards/ml\nWhy?\n?\nBecause.\n\nHow?\n?\nSo.\n")
    cloze_cards = cards_of("#flashcards\nThe ==gradient== points uphill.\n\nIt is ==convex==.\n")
    assert [card.deck for card in multi.cards] == ["flashcards/ml", "flashcards/ml"]
    assert [card.deck for card in cloze_cards.cards] == ["flashcards", "flashcards"]


def test_front_matter_tags_apply_until_the_first_tag_in_the_text() -> None:
    text = (
        "---\ntags: [flashcards/ml, optimisation, difficulty/hard]\naliases: [Notes]\n---\n"
        "Early?::front matter deck\n\n#flashcards/other\nLate?::tagged deck\n"
    )
    parsed = cards_of(text)
    assert [(card.deck, card.tags, card.difficulty) for card in parsed.cards] == [
        ("flashcards/ml", ("optimisation",), "hard"),
        ("flashcards/other", ("optimisation",), "hard"),
    ]
    assert parsed.warnings == []


def test_a_front_matter_deck_wins_with_a_warning() -> None:
    parsed = parse("---\ndeck: interview\n---\n#flashcards/x\nQ?::A\n")
    assert [card.deck for card in parsed.cards] == ["interview"]
    assert [str(problem) for problem in parsed.warnings] == [
        'ml/notes.md:2: front matter deck "interview" wins over the #flashcards deck tags'
    ]


def test_without_any_tag_a_forced_file_uses_its_folder() -> None:
    parsed = parse_text("Q?::A\n", path="ml/plain.md", deck="ml", format="obsidian_sr")
    assert [(card.deck, card.format) for card in parsed.cards] == [("ml", "obsidian_sr")]


# -- scheduling comments -------------------------------------------------------------------


def test_scheduling_comments_on_the_next_or_the_same_line() -> None:
    text = (
        "#flashcards\n"
        "Next line?::yes\n<!--SR:!2024-08-16,51,230-->\n"
        "Same line?::yes <!--SR:!2024-09-01,3,250-->\n"
        "Legacy?::yes\n<!--SR:2021-08-20,13,290-->\n"
        "Never reviewed?::yes\n"
    )
    parsed = cards_of(text)
    assert [card.steps[0].text for card in parsed.cards] == ["yes"] * 4
    assert parsed.schedules == {
        "ml/notes#next-line": ImportedSchedule(date(2024, 8, 16), 51, 230),
        "ml/notes#same-line": ImportedSchedule(date(2024, 9, 1), 3, 250),
        "ml/notes#legacy": ImportedSchedule(date(2021, 8, 20), 13, 290),
    }


def test_one_entry_per_sibling_and_the_placeholder_date_means_not_reviewed() -> None:
    text = (
        "#flashcards\n\n"
        "The ==mean== and the ==median== of a sample, and its ==mode==.\n"
        "<!--SR:!2026-01-02,4,250!2000-01-01,1,250-->\n\n"
        "pair:::riap <!--SR:!2026-02-01,9,270!2026-02-02,10,210!2026-02-03,11,210-->\n"
    )
    parsed = cards_of(text)
    note = parsed.cards[0].note
    assert parsed.schedules == {
        f"{note}/c1": ImportedSchedule(date(2026, 1, 2), 4, 250),
        "ml/notes#pair": ImportedSchedule(date(2026, 2, 1), 9, 270),
        "ml/notes#pair/reverse": ImportedSchedule(date(2026, 2, 2), 10, 210),
    }
    assert "SR" not in parsed.cards[0].question


def test_a_multi_line_cards_comment_is_not_part_of_its_answer() -> None:
    text = "#flashcards\n\nWhy?\n?\nBecause.\n<!--SR:!2026-03-01,20,250-->\n"
    parsed = cards_of(text)
    assert sides(parsed) == [("basic", "Why?", "Because.")]
    assert parsed.schedules == {"ml/notes#why": ImportedSchedule(date(2026, 3, 1), 20, 250)}


@pytest.mark.parametrize(
    "comment", ["<!--SR:!2024-13-45,51,230-->", "<!--SR:!2024-08-16,x,230-->", "<!--SR:soon-->"]
)
def test_a_malformed_scheduling_comment_is_an_error(comment: str) -> None:
    assert error_of(f"#flashcards\nQ?::A\n{comment}\n") == (
        f'ml/notes.md:3: the scheduling comment "{comment}" is not '
        '"<!--SR:!YYYY-MM-DD,interval,ease-->": fix it or delete it (the card then starts new)'
    )


# -- what the format claims ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "#flashcards\nQ::A\n",
        "Some note.\n\n#Flashcards/ML\n\nWhy?\n?\nBecause.\n",
        "---\ntags: [flashcards]\n---\nThe ==mean== minimises squared error.\n",
        "---\ntags:\n  - flashcards/stats\n---\nQ::A\n",
        "Q::A\n<!--SR:!2024-08-16,51,230-->\n",
    ],
)
def test_claims_tagged_notes_with_cards_and_notes_with_scheduling_comments(text: str) -> None:
    assert SR.sniff(text, FileContext("n.md"))


@pytest.mark.parametrize(
    "text",
    [
        "Dataview field:: value\nand C++ `std::vector`\n",
        "Reviewed my #flashcards today; nothing else here.\n",
        "I like #flashcardsapp::a different tag\n",
        "---\ntitle: My flashcards\n---\nQ::A\n",
    ],
)
def test_leaves_other_notes_alone(text: str) -> None:
    assert not SR.sniff(text, FileContext("n.md"))


def test_an_untagged_note_is_skipped_by_the_registry() -> None:
    assert parse_text("Key:: value\n", path="n.md").skipped == "no cards found (not a card file)"


# -- malformed notes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "#flashcards\n\n?\nAn answer.\n",
            'ml/notes.md:3: a "?" separator with no question above it: '
            "write the question on the lines just above it",
        ),
        (
            "#flashcards\n\nA question\n??\n\nA stray line.\n",
            'ml/notes.md:4: nothing after the "??" separator: write the answer on the lines just '
            "below it (a blank line ends a card)",
        ),
        (
            "#flashcards\n::an answer\n",
            'ml/notes.md:2: nothing before "::": write the question before it',
        ),
        (
            "#flashcards\nA question:::\n",
            'ml/notes.md:2: nothing after ":::": write the answer after it',
        ),
        (
            "#flashcards\n\nIt is {{c1::unclosed.\n",
            'ml/notes.md:3: "{{c1::" is never closed: end the deletion with "}}"',
        ),
        (
            "#flashcards\n\nA ==b==[^1] and ==c==.\n",
            "ml/notes.md:3: some deletions of this paragraph have a group number ([^1]) and this "
            "one has none: number every deletion or none",
        ),
        (
            "#flashcards\n\nMixed\n==a== and {{c1::b}}.\n",
            "ml/notes.md:4: this paragraph mixes {{c1::…}} deletions with ==…==, **…** or {{…}}: "
            "write all its deletions one way",
        ),
        (
            "#flashcards\n\nThe ==a}}b== fails.\n",
            'ml/notes.md:3: the deletion "==a}}b==" holds "::", "{{" or "}}": reword it',
        ),
        (
            "---\ntags: [flashcards\n---\nQ::A\n",
            "ml/notes.md:3: broken YAML front matter: did not find expected ',' or ']'",
        ),
    ],
)
def test_malformed_notes_give_one_error_and_no_card(text: str, message: str) -> None:
    parsed = parse_text(text, path="ml/notes.md", format="obsidian_sr")
    assert parsed.cards == [] and [str(problem) for problem in parsed.errors] == [message]


def test_a_note_with_cards_elsewhere_fine_still_imports_none_of_them() -> None:
    parsed = parse("#flashcards\nGood?::yes\n\n?\nno question\n")
    assert parsed.cards == [] and parsed.schedules == {} and len(parsed.errors) == 1


def test_a_tagged_note_whose_only_card_is_hidden_says_so() -> None:
    parsed = parse_text("#flashcards\n<!-- Q::A -->\n", path="n.md", format="obsidian_sr")
    assert [str(problem) for problem in parsed.errors] == [
        'n.md:1: no flashcard in this note: write "question::answer", a line "?" between '
        "question and answer lines, or ==deletions== (custom separators set in the plugin "
        "are not read)"
    ]
