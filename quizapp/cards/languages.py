"""Which heading words name which part of a note, in each language: one table.

Notes are written in many languages, and bilingual notes carry one section per language:
``## Question (EN)`` / ``## Вопрос (RU)`` / ``## Answer (EN)`` / ``## Ответ (RU)``. The
parser never matches heading words itself; it asks :func:`heading_role`, which looks the
heading up in :data:`LANGUAGES`.

A heading names a **role** (:class:`Role`): the question, the answer, tags, difficulty,
related questions, or one of the sections shown in a "More" panel rather than revealed as
steps (:data:`EXTRA_KINDS`: follow-ups, references, see also, sources, further reading,
links). It may also say its **language**: by a marker after the words, ``(EN)``,
``[ru]``, ``(pt-BR)``, ``(English)``, ``(Русский)``, or by words that only one language
uses (``Ответ`` is Russian). Words that several languages share (``Question`` is English
and French, ``回答`` Chinese and Japanese) say nothing about the language.

Extending the table: add a :class:`Language` (or words to one) below, with the heading
words casefolded. A test checks that no word names two roles.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    """What a heading says its section is."""

    QUESTION = "question"
    ANSWER = "answer"
    TAGS = "tags"
    DIFFICULTY = "difficulty"
    RELATED = "related"
    FOLLOW_UPS = "follow_ups"
    REFERENCES = "references"
    SEE_ALSO = "see_also"
    SOURCES = "sources"
    FURTHER_READING = "further_reading"
    LINKS = "links"

    @property
    def is_extra(self) -> bool:
        """A section shown in the "More" panel: about the card, not part of its answer."""
        return self.value in EXTRA_KINDS


#: The roles whose sections become ``Card.extras`` (``CardExtra.kind``), in display order.
EXTRA_KINDS = ("follow_ups", "references", "see_also", "sources", "further_reading", "links")


@dataclass(frozen=True)
class Language:
    """One language's heading words, casefolded, by role; ``names`` are what a marker
    such as ``(English)`` may say instead of the code, and ``codes`` other codes that
    mean it (``eng``)."""

    code: str
    names: tuple[str, ...]
    words: Mapping[Role, tuple[str, ...]]
    codes: tuple[str, ...] = field(default=())


#: The table. Words are casefolded and compared after whitespace is collapsed and a
#: trailing colon dropped.
LANGUAGES: tuple[Language, ...] = (
    Language(
        "en",
        ("english", "eng"),
        {
            Role.QUESTION: ("question",),
            Role.ANSWER: ("answer",),
            Role.TAGS: ("tags",),
            Role.DIFFICULTY: ("difficulty",),
            Role.RELATED: ("related questions", "related", "related notes"),
            Role.FOLLOW_UPS: (
                "follow-ups",
                "follow-up",
                "followups",
                "follow ups",
                "follow-up questions",
                "follow up questions",
            ),
            Role.REFERENCES: ("references",),
            Role.SEE_ALSO: ("see also",),
            Role.SOURCES: ("sources",),
            Role.FURTHER_READING: ("further reading", "read more"),
            Role.LINKS: ("links", "useful links", "resources"),
        },
        codes=("eng", "gb", "us", "uk"),
    ),
    Language(
        "ru",
        ("русский", "russian", "рус"),
        {
            Role.QUESTION: ("вопрос", "vopros"),
            Role.ANSWER: ("ответ", "otvet"),
            Role.TAGS: ("теги", "метки"),
            Role.DIFFICULTY: ("сложность",),
            Role.RELATED: ("связанные вопросы", "похожие вопросы", "связанные заметки"),
            Role.FOLLOW_UPS: ("дополнительные вопросы", "уточняющие вопросы", "follow-up вопросы"),
            Role.REFERENCES: ("литература", "список литературы"),
            Role.SEE_ALSO: ("см. также", "смотрите также", "смотри также"),
            Role.SOURCES: ("источники",),
            Role.FURTHER_READING: ("дополнительное чтение", "что почитать", "почитать"),
            Role.LINKS: ("ссылки", "полезные ссылки"),
        },
        codes=("rus",),
    ),
    Language(
        "de",
        ("deutsch", "german"),
        {
            Role.QUESTION: ("frage",),
            Role.ANSWER: ("antwort",),
            Role.TAGS: ("schlagwörter",),
            Role.DIFFICULTY: ("schwierigkeit",),
            Role.RELATED: ("verwandte fragen", "ähnliche fragen"),
            Role.FOLLOW_UPS: ("folgefragen", "anschlussfragen"),
            Role.REFERENCES: ("referenzen", "literatur"),
            Role.SEE_ALSO: ("siehe auch",),
            Role.SOURCES: ("quellen",),
            Role.FURTHER_READING: ("weiterführende literatur", "weiterlesen"),
            Role.LINKS: ("weblinks",),
        },
        codes=("deu", "ger"),
    ),
    Language(
        "fr",
        ("français", "francais", "french"),
        {
            Role.QUESTION: ("question",),
            Role.ANSWER: ("réponse", "reponse"),
            Role.TAGS: ("étiquettes",),
            Role.DIFFICULTY: ("difficulté",),
            Role.RELATED: ("questions liées", "questions connexes"),
            Role.FOLLOW_UPS: ("questions de suivi", "questions complémentaires"),
            Role.REFERENCES: ("références",),
            Role.SEE_ALSO: ("voir aussi",),
            Role.SOURCES: ("sources",),
            Role.FURTHER_READING: ("pour aller plus loin", "lectures complémentaires"),
            Role.LINKS: ("liens",),
        },
        codes=("fra", "fre"),
    ),
    Language(
        "es",
        ("español", "espanol", "spanish"),
        {
            Role.QUESTION: ("pregunta",),
            Role.ANSWER: ("respuesta",),
            Role.TAGS: ("etiquetas",),
            Role.DIFFICULTY: ("dificultad",),
            Role.RELATED: ("preguntas relacionadas",),
            Role.FOLLOW_UPS: ("preguntas de seguimiento",),
            Role.REFERENCES: ("referencias",),
            Role.SEE_ALSO: ("véase también", "ver también"),
            Role.SOURCES: ("fuentes",),
            Role.FURTHER_READING: ("lecturas adicionales", "lectura adicional"),
            Role.LINKS: ("enlaces",),
        },
        codes=("spa",),
    ),
    Language(
        "zh",
        ("中文", "汉语", "chinese"),
        {
            Role.QUESTION: ("问题", "題目", "题目"),
            Role.ANSWER: ("答案", "回答", "解答"),
            Role.TAGS: ("标签",),
            Role.DIFFICULTY: ("难度",),
            Role.RELATED: ("相关问题",),
            Role.FOLLOW_UPS: ("追问", "后续问题"),
            Role.REFERENCES: ("参考资料", "参考文献", "参考"),
            Role.SEE_ALSO: ("另见", "参见"),
            Role.SOURCES: ("来源", "出处"),
            Role.FURTHER_READING: ("延伸阅读", "扩展阅读"),
            Role.LINKS: ("链接",),
        },
        codes=("zho", "chi", "cn"),
    ),
    Language(
        "ja",
        ("日本語", "japanese"),
        {
            Role.QUESTION: ("質問", "問題", "問い"),
            Role.ANSWER: ("答え", "回答", "解答"),
            Role.TAGS: ("タグ",),
            Role.DIFFICULTY: ("難易度",),
            Role.RELATED: ("関連する質問", "関連質問"),
            Role.FOLLOW_UPS: ("追加の質問", "フォローアップ"),
            Role.REFERENCES: ("参考文献",),
            Role.SEE_ALSO: ("関連項目",),
            Role.SOURCES: ("出典",),
            Role.FURTHER_READING: ("さらに読む",),
            Role.LINKS: ("リンク",),
        },
        codes=("jpn", "jp"),
    ),
)


@dataclass(frozen=True)
class HeadingRole:
    """What a heading names: its role, and the language it is in (``""`` when the heading
    does not say: no marker, and words that several languages share)."""

    role: Role
    language: str


def _build() -> tuple[dict[str, tuple[Role, frozenset[str]]], dict[str, str]]:
    words: dict[str, tuple[Role, set[str]]] = {}
    for language in LANGUAGES:
        for role, spellings in language.words.items():
            for word in spellings:
                known = words.setdefault(word, (role, set()))
                if known[0] is not role:
                    raise ValueError(f"the heading word {word!r} names two roles")
                known[1].add(language.code)
    markers: dict[str, str] = {}
    for language in LANGUAGES:
        for name in (language.code, *language.codes, *language.names):
            markers.setdefault(name, language.code)
    return {word: (role, frozenset(codes)) for word, (role, codes) in words.items()}, markers


_WORDS, _MARKERS = _build()

#: A trailing language marker: ``(EN)``, ``[ru]``, ``(pt-BR)``, ``(English)``, ``- RU``.
_MARKER = re.compile(
    r"(?:\s*[(\[]\s*(?P<enclosed>[^()\[\]]{2,12}?)\s*[)\]]|\s+[-–—/|]\s*(?P<bare>[A-Za-z]{2,3}))"
    r"\s*$"
)
#: A bare code: two or three letters, with an optional region (``pt-BR``).
_CODE = re.compile(r"^[a-z]{2,3}(?:[-_][a-z]{2,4})?$")


def language_code(marker: str) -> str | None:
    """The language a marker names: a code (``EN``, ``pt-BR`` → ``pt-br``), another code
    of the table's (``eng`` → ``en``) or a language's name (``Русский`` → ``ru``)."""
    value = " ".join(marker.split()).casefold().replace("_", "-")
    if value in _MARKERS:
        return _MARKERS[value]
    if _CODE.match(value):
        return value
    return None


def split_marker(text: str) -> tuple[str, str]:
    """``text`` without a trailing language marker, and the marker's language (``""``
    when there is none)."""
    match = _MARKER.search(text)
    if match is None:
        return text, ""
    raw = match.group("enclosed") or match.group("bare") or ""
    code = language_code(raw)
    if code is None:
        return text, ""
    return text[: match.start()], code


def _key(text: str) -> str:
    return " ".join(text.strip().rstrip(":：").strip().split()).casefold()


@functools.lru_cache(maxsize=4096)
def heading_role(text: str) -> HeadingRole | None:
    """What a heading's text names (see the module), or None for any other heading.

    Cached: a vault repeats the same few dozen headings in every note.
    """
    words, marked = split_marker(text)
    found = _WORDS.get(_key(words))
    if found is None:
        return None
    role, languages = found
    if marked:
        return HeadingRole(role, marked)
    return HeadingRole(role, next(iter(languages)) if len(languages) == 1 else "")


@functools.lru_cache(maxsize=4096)
def is_language_label(text: str) -> bool:
    """True for a heading that only says a language or a role in one (``Вопрос (RU)``,
    ``(EN)``, ``English``): never a card's title."""
    words, marked = split_marker(text)
    if heading_role(text) is not None:
        return True
    rest = _key(words)
    if not rest:
        return bool(marked)
    return rest in _MARKERS and not _CODE.match(rest)
