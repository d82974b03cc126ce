"""Obsidian notes read the way Obsidian shows them (issue 14): bilingual sections, "More"
sections, the file name as title, related groups, and the front matter as the authority."""

from __future__ import annotations

import pytest

from quizapp.cards import parse_text
from quizapp.cards.model import Card, CardExtra, LanguageVersion, Step
from quizapp.cards.vault import link_name, split_difficulty_suffix, title_from_name

ENGLISH_Q = "## Question (EN)\nWhat is the bias-variance tradeoff?\n"
RUSSIAN_Q = "## Вопрос (RU)\nЧто такое компромисс смещения и дисперсии?\n"
ENGLISH_A = "## Answer (EN)\nError is bias squared plus variance plus noise.\n"
RUSSIAN_A = "## Ответ (RU)\nОшибка равна смещению в квадрате плюс дисперсия и шум.\n"


def _card(text: str, path: str = "ml/Bias-Variance Tradeoff.md") -> Card:
    parsed = parse_text(text, path=path)
    assert parsed.errors == [], [str(problem) for problem in parsed.errors]
    assert parsed.warnings == [], [str(problem) for problem in parsed.warnings]
    assert len(parsed.cards) == 1
    return parsed.cards[0]


@pytest.mark.parametrize(
    "order",
    [
        (ENGLISH_Q, RUSSIAN_Q, ENGLISH_A, RUSSIAN_A),
        (RUSSIAN_Q, ENGLISH_Q, RUSSIAN_A, ENGLISH_A),
        (RUSSIAN_Q, RUSSIAN_A, ENGLISH_Q, ENGLISH_A),
        (ENGLISH_Q, ENGLISH_A, RUSSIAN_Q, RUSSIAN_A),
    ],
    ids=["q-q-a-a", "ru-first", "ru-block-first", "en-block-first"],
)
def test_a_bilingual_note_is_one_card_with_its_other_language_kept(
    order: tuple[str, ...],
) -> None:
    card = _card("\n".join(order))
    assert card.language == "en"
    assert card.question == "What is the bias-variance tradeoff?"
    assert [step.text for step in card.steps] == ["Error is bias squared plus variance plus noise."]
    assert card.alternates == (
        LanguageVersion(
            "ru",
            "Что такое компромисс смещения и дисперсии?",
            (
                Step(
                    ("Ответ",),
                    "Ошибка равна смещению в квадрате плюс дисперсия и шум.",
                    card.alternates[0].steps[0].line,
                ),
            ),
        ),
    )
    russian = card.in_language("ru")
    assert russian.question.startswith("Что такое")
    assert russian.steps[0].text.startswith("Ошибка")


def test_transliterated_russian_headings_are_russian() -> None:
    card = _card(ENGLISH_Q + "## Vopros (RU)\nChto?\n" + ENGLISH_A + "## Otvet (RU)\nVot.\n")
    assert [(alt.language, alt.question) for alt in card.alternates] == [("ru", "Chto?")]
    assert [step.text for step in card.alternates[0].steps] == ["Vot."]


def test_a_note_only_in_russian_is_shown_in_russian_without_alternates() -> None:
    card = _card(RUSSIAN_Q + RUSSIAN_A)
    assert card.question.startswith("Что такое")
    assert (card.language, card.alternates) == ("", ())


def test_a_bilingual_note_without_english_is_shown_in_its_first_language() -> None:
    text = "## Frage (DE)\nWas ist das?\n## Вопрос (RU)\nЧто это?\n"
    text += "## Antwort (DE)\nDas.\n## Ответ (RU)\nЭто.\n"
    card = _card(text)
    assert (card.language, card.question) == ("de", "Was ist das?")
    assert card.alternates[0].language == "ru"


def test_a_language_missing_one_side_keeps_what_it_has() -> None:
    card = _card(ENGLISH_Q + RUSSIAN_Q + ENGLISH_A)
    assert card.alternates == (LanguageVersion("ru", RUSSIAN_Q.split("\n")[1], ()),)
    russian = card.in_language("ru")
    assert russian.steps == card.steps  # no Russian answer: the English one is shown


def test_a_second_section_in_the_same_language_is_an_error() -> None:
    parsed = parse_text(ENGLISH_Q + ENGLISH_A + "## Answer (EN)\nAgain.\n", path="n.md")
    assert [str(problem) for problem in parsed.errors] == [
        'n.md:5: a second "Answer (EN)" section in one card; start each card with its own "# Title"'
    ]


def test_sections_about_the_card_are_extras_never_steps() -> None:
    tail = (
        "## Follow-ups\n- What does regularisation do to it?\n\n"
        "## References\n- Hastie et al., ch. 7\n\n"
        "## See also\n- [[Cross-validation]]\n\n"
        "## Дополнительные вопросы\n- Почему?\n\n"
        "## Further reading\n- A blog post\n"
    )
    card = _card(ENGLISH_Q + ENGLISH_A + "### Why\nBecause.\n\n" + tail)
    assert [step.path for step in card.steps] == [("Answer",), ("Why",)]
    assert card.extras == (
        CardExtra("follow_ups", "Follow-ups", "- What does regularisation do to it?", "en", 8),
        CardExtra("references", "References", "- Hastie et al., ch. 7", "en", 11),
        CardExtra("see_also", "See also", "- [[Cross-validation]]", "en", 14),
        CardExtra("follow_ups", "Дополнительные вопросы", "- Почему?", "ru", 17),
        CardExtra("further_reading", "Further reading", "- A blog post", "en", 20),
    )


def test_the_file_name_is_the_title_before_a_language_label_heading() -> None:
    card = _card("# Вопрос (RU)\nЧто это?\n\n## Ответ (RU)\nЭто.\n", path="ml/Entropy.md")
    assert card.title == "Entropy"
    assert card.link_name == "Entropy"
    assert card.question == "Что это?"


def test_a_real_title_heading_still_wins_over_the_file_name() -> None:
    card = _card("# Cross-entropy\n" + ENGLISH_Q + ENGLISH_A, path="ml/xent.md")
    assert card.title == "Cross-entropy"


def test_sub_headings_in_related_questions_are_group_labels() -> None:
    related = (
        "## Related Questions\n### Optimisation\n- [[Adam]]\n- [[SGD|plain SGD]]\n"
        "### Theory\n- [[Regularization#L2]] — why it shrinks variance\n- Plain question?\n"
    )
    card = _card(ENGLISH_Q + ENGLISH_A + related)
    assert card.related == ("Adam", "SGD", "Regularization", "Plain question?")


FRONT = """---
id: ml/bias-variance
title: Bias-variance tradeoff
tags: [ml, statistics]
difficulty: hard
related: ["[[Adam]]", Regularization]
---
"""


def test_front_matter_wins_silently_where_the_body_differs() -> None:
    body = (
        "# Bias and variance\n"
        + ENGLISH_Q
        + ENGLISH_A
        + "## Tags\n#ML\n\n## Difficulty\nEasy\n\n## Related Questions\n- [[Adam]]\n"
    )
    card = _card(FRONT + body)
    assert (card.id, card.title, card.tags, card.difficulty, card.related) == (
        "ml/bias-variance",
        "Bias-variance tradeoff",
        ("ml", "statistics"),
        "hard",
        ("Adam", "Regularization"),
    )


def test_a_warning_only_for_what_the_body_has_and_the_front_matter_lacks() -> None:
    body = "# T\n" + ENGLISH_Q + ENGLISH_A + "## Tags\n#ml #probability\n"
    parsed = parse_text(FRONT + body, path="n.md")
    assert [str(problem) for problem in parsed.warnings] == [
        'n.md:4: front matter tags lack "probability" from the Tags section; using the front matter'
    ]


@pytest.mark.parametrize(
    ("front", "path", "expected"),
    [
        ("difficulty: 1\n", "n.md", "easy"),
        ("difficulty: 3\n", "n.md", "medium"),
        ("difficulty: 5\n", "n.md", "hard"),
        ("level: hard\n", "n.md", "hard"),
        ("level: 2\n", "n.md", "easy"),
        ("level: easy\ndifficulty: 4\n", "n.md", "hard"),
        ("", "Adam optimizer--hard.md", "hard"),
        ("", "Adam optimizer--Easy.md", "easy"),
        ("difficulty: medium\n", "Adam optimizer--hard.md", "medium"),
        ("", "Adam optimizer.md", None),
    ],
)
def test_difficulty_sources(front: str, path: str, expected: str | None) -> None:
    card = _card(f"---\n{front}---\n" + ENGLISH_Q + ENGLISH_A, path=path)
    assert card.difficulty == expected


def test_a_difficulty_suffix_is_not_part_of_the_title_but_of_the_link_name() -> None:
    card = _card(ENGLISH_Q + ENGLISH_A, path="opt/Adam optimizer--hard.md")
    assert (card.title, card.link_name) == ("Adam optimizer", "Adam optimizer--hard")


def test_an_unknown_numeric_difficulty_is_a_warning() -> None:
    parsed = parse_text("---\ndifficulty: 9\n---\n" + ENGLISH_Q + ENGLISH_A, path="n.md")
    assert [problem.message for problem in parsed.warnings] == [
        'unknown difficulty "9" (expected Easy, Medium or Hard, or 1 to 5)'
    ]


def test_name_helpers() -> None:
    assert link_name("a/b/Note.md") == "Note"
    assert link_name("a/table.csv") == "table.csv"
    assert split_difficulty_suffix("Adam--hard") == ("Adam", "hard")
    assert split_difficulty_suffix("Adam--hardly") == ("Adam--hardly", None)
    assert title_from_name("x/Adam optimizer --medium.md") == "Adam optimizer"


def test_empty_and_front_matter_only_notes_are_skipped() -> None:
    for text in ("", "\n\n", "---\ntitle: x\n---\n", "---\n---\n"):
        parsed = parse_text(text, path="n.md")
        assert (parsed.cards, parsed.errors, parsed.warnings) == ([], [], [])
        assert parsed.skipped
