"""The heading-word table: which words name which section, in which language."""

from __future__ import annotations

import pytest

from quizapp.cards.languages import (
    EXTRA_KINDS,
    LANGUAGES,
    HeadingRole,
    Role,
    heading_role,
    is_language_label,
    language_code,
    split_marker,
)


@pytest.mark.parametrize(
    ("heading", "role", "language"),
    [
        ("Question (EN)", Role.QUESTION, "en"),
        ("Вопрос (RU)", Role.QUESTION, "ru"),
        ("Answer (EN)", Role.ANSWER, "en"),
        ("Ответ (RU)", Role.ANSWER, "ru"),
        ("Otvet (RU)", Role.ANSWER, "ru"),
        ("Vopros", Role.QUESTION, "ru"),
        ("ответ:", Role.ANSWER, "ru"),
        ("Frage", Role.QUESTION, "de"),
        ("Antwort [de]", Role.ANSWER, "de"),
        ("Réponse", Role.ANSWER, "fr"),
        ("Pregunta (ES)", Role.QUESTION, "es"),
        ("Respuesta", Role.ANSWER, "es"),
        ("答案", Role.ANSWER, "zh"),
        ("问题 (中文)", Role.QUESTION, "zh"),
        ("答え", Role.ANSWER, "ja"),
        ("質問 (日本語)", Role.QUESTION, "ja"),
        ("Question", Role.QUESTION, ""),  # English and French share it
        ("回答", Role.ANSWER, ""),  # Chinese and Japanese share it
        ("Question (English)", Role.QUESTION, "en"),
        ("Answer (pt-BR)", Role.ANSWER, "pt-br"),
        ("Answer - RU", Role.ANSWER, "ru"),
        ("Follow-ups", Role.FOLLOW_UPS, "en"),
        ("Follow-up questions", Role.FOLLOW_UPS, "en"),
        ("Дополнительные вопросы", Role.FOLLOW_UPS, "ru"),
        ("References", Role.REFERENCES, "en"),
        ("See also", Role.SEE_ALSO, "en"),
        ("Siehe auch", Role.SEE_ALSO, "de"),
        ("Sources", Role.SOURCES, ""),
        ("Further reading", Role.FURTHER_READING, "en"),
        ("Links", Role.LINKS, "en"),
        ("Ссылки", Role.LINKS, "ru"),
        ("Related Questions", Role.RELATED, "en"),
        ("Связанные вопросы (RU)", Role.RELATED, "ru"),
    ],
)
def test_heading_words_name_a_role_and_a_language(heading: str, role: Role, language: str) -> None:
    assert heading_role(heading) == HeadingRole(role, language)


@pytest.mark.parametrize("heading", ["Backward pass", "Follow the gradient", "Proof (sketch)"])
def test_other_headings_name_nothing(heading: str) -> None:
    assert heading_role(heading) is None


def test_a_dash_inside_a_word_is_no_language_marker() -> None:
    assert split_marker("Follow-ups") == ("Follow-ups", "")
    assert split_marker("Answer (EN)") == ("Answer", "en")


def test_language_codes_and_names() -> None:
    assert language_code("RUS") == "ru"
    assert language_code("Русский") == "ru"
    assert language_code("pt_BR") == "pt-br"
    assert language_code("not a language") is None


def test_every_language_of_the_issue_has_a_question_and_an_answer_word() -> None:
    codes = {language.code for language in LANGUAGES}
    assert {"en", "ru", "de", "fr", "es", "zh", "ja"} <= codes
    for language in LANGUAGES:
        assert language.words[Role.QUESTION] and language.words[Role.ANSWER], language.code


def test_extra_roles_are_the_more_panel_kinds() -> None:
    assert {role.value for role in Role if role.is_extra} == set(EXTRA_KINDS)


def test_language_labels_are_never_titles() -> None:
    assert is_language_label("Вопрос (RU)")
    assert is_language_label("(EN)")
    assert is_language_label("English")
    assert not is_language_label("Bias-variance tradeoff")
    assert not is_language_label("Adam (optimizer)")


def test_the_table_in_docs_formats_names_what_the_code_reads() -> None:
    """Every heading word in docs/formats.md's language table is read as its row says."""
    from pathlib import Path

    docs = Path(__file__).parents[3] / "docs" / "formats.md"
    roles = {
        "question": Role.QUESTION,
        "answer": Role.ANSWER,
        "follow-ups": Role.FOLLOW_UPS,
        "references": Role.REFERENCES,
        "see also": Role.SEE_ALSO,
        "sources": Role.SOURCES,
        "further reading": Role.FURTHER_READING,
        "links": Role.LINKS,
        "related": Role.RELATED,
    }
    rows = [
        line.strip("|").split("|")
        for line in docs.read_text(encoding="utf-8").splitlines()
        if line.startswith("| ") and line.split("|")[1].strip() in roles
    ]
    assert len(rows) == len(roles)
    for cells in rows:
        role = roles[cells[0].strip()]
        for cell in cells[1:]:
            for word in cell.split(","):
                found = heading_role(word.strip())
                assert found is not None and found.role is role, (word, role)
