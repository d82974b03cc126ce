"""A small bilingual Obsidian vault, generated: every convention of issue 14 in a few notes.

Written by the tests themselves (no third-party notes are copied): English and Russian
notes whose sections come in every order, with and without a title heading, with a
``# Вопрос (RU)`` language-label heading, transliterated ``Otvet (RU)``, "More" sections
(follow-ups, references, see also, links, sources, further reading), related questions
grouped by ``###`` labels and written as ``[[file]]``, ``[[file|label]]``,
``[[file#heading]]``, by alias, title or id in any case; front matter that is the
authority (a body title that differs, body tags it already lists), difficulty as a word,
1..5, ``level:`` and a ``--hard`` file-name suffix; and what is not a note: concept and
index notes, an empty and a front-matter-only note, templates (in ``_templates/``, and
Templater or ``{{date}}`` ones elsewhere), ``.obsidian/`` and ``.trash/``, and a
``drafts/`` folder that ``.quizappignore`` skips.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Topic:
    """One interview question, in English and Russian."""

    name: str  # the file name, without .md
    folder: str
    title: str
    title_ru: str
    question: str
    question_ru: str
    answer: str
    answer_ru: str
    aliases: tuple[str, ...] = ()


TOPICS = (
    Topic(
        "Bias-Variance Tradeoff",
        "ml",
        "Bias-variance tradeoff",
        "Компромисс смещения",
        "What is the bias-variance tradeoff?",
        "Что такое компромисс смещения и дисперсии?",
        "Expected error is bias squared plus variance plus noise.",
        "Ожидаемая ошибка равна квадрату смещения плюс дисперсия плюс шум.",
        ("bias variance", "Смещение и дисперсия"),
    ),
    Topic(
        "Regularization",
        "ml",
        "Regularization",
        "Регуляризация",
        "Why does regularization reduce overfitting?",
        "Почему регуляризация снижает переобучение?",
        "A penalty on the weights trades a little bias for less variance.",
        "Штраф на веса меняет немного смещения на меньшую дисперсию.",
        ("L2",),
    ),
    Topic(
        "Cross-validation",
        "ml",
        "Cross-validation",
        "Кросс-валидация",
        "How does k-fold cross-validation estimate error?",
        "Как k-fold оценивает ошибку?",
        "Each fold is held out once; the k errors are averaged.",
        "Каждый фолд один раз откладывается; k ошибок усредняются.",
    ),
    Topic(
        "Энтропия",
        "теория",
        "Entropy",
        "Энтропия",
        "What is the entropy of a distribution?",
        "Что такое энтропия распределения?",
        "The expected surprise, $H = -\\sum_i p_i \\log p_i$.",
        "Ожидаемая неожиданность, $H = -\\sum_i p_i \\log p_i$.",
        ("Shannon entropy",),
    ),
    Topic(
        "Cross-entropy loss",
        "теория",
        "Cross-entropy loss",
        "Перекрёстная энтропия",
        "Why is cross-entropy the loss for classification?",
        "Почему перекрёстная энтропия — функция потерь для классификации?",
        "Minimising it maximises the likelihood of the labels.",
        "Её минимизация максимизирует правдоподобие меток.",
    ),
    Topic(
        "Adam optimizer--hard",
        "optim",
        "Adam optimizer",
        "Оптимизатор Adam",
        "How does Adam adapt the step size?",
        "Как Adam подбирает шаг?",
        "It divides by a running RMS of the gradients, with bias correction.",
        "Делит на скользящее среднеквадратичное градиентов с поправкой смещения.",
    ),
    Topic(
        "Straße der Gradienten",
        "optim",
        "Gradient descent",
        "Градиентный спуск",
        "Why does gradient descent converge on a convex function?",
        "Почему градиентный спуск сходится на выпуклой функции?",
        "With a small enough step each move lowers the loss.",
        "При достаточно малом шаге каждый шаг уменьшает потери.",
    ),
    Topic(
        "Σ-sums",
        "optim",
        "Sums of squares",
        "Суммы квадратов",
        "Why square the residuals?",
        "Зачем возводить остатки в квадрат?",
        "Squares are smooth and make the mean the minimiser.",
        "Квадраты гладкие, и минимум даёт среднее.",
    ),
)

#: Which notes each note lists under Related Questions, with how the link is written.
#: ``{name}`` is the target's file name; other forms name it by alias, title or id.
LINKS = {
    "Bias-Variance Tradeoff": [
        ("Models", "[[Regularization]]"),
        ("Models", "[[cross-validation|CV]] — choosing the penalty"),
        ("Theory", "[[ЭНТРОПИЯ#Definition]]"),
    ],
    "Regularization": [
        ("", "[[Bias-Variance Tradeoff|the tradeoff]]"),
        ("", "ml/cross-validation"),
    ],
    "Cross-validation": [("", "BIAS VARIANCE"), ("", "l2")],
    "Энтропия": [("Related", "[[Cross-entropy loss]]"), ("", "[[σ-sums]]")],
    "Cross-entropy loss": [("", "Entropy"), ("", "[[теория/энтропия]]")],
    "Adam optimizer--hard": [("", "[[Straße der Gradienten]]"), ("", "[[STRASSE DER GRADIENTEN]]")],
    "Straße der Gradienten": [("", "[[Adam optimizer--hard|Adam]]"), ("", "[[Σ-SUMS]]")],
    "Σ-sums": [("", "[[энтропия]]"), ("", "optim/gradient-descent")],
}


@dataclass
class VaultFacts:
    """What importing the vault must give."""

    cards: int = 0
    bilingual: int = 0
    related: int = 0
    skipped: int = 0  # found but holding no card (skipped quietly)
    never_found: list[str] = field(default_factory=list)  # never even read
    titles: dict[str, str] = field(default_factory=dict)  # card id -> title
    difficulties: dict[str, str | None] = field(default_factory=dict)


def _front(topic: Topic, index: int, related: list[str]) -> str:
    """Front matter in one of a few styles; the body's related items are all listed."""
    lines = ["---"]
    if index % 2 == 0:
        lines.append(f"id: {topic.folder}/{topic.title.lower().replace(' ', '-')}")
    lines.append(f"title: {topic.title}")
    if topic.aliases:
        lines.append("aliases:")
        lines.extend(f"  - {alias}" for alias in topic.aliases)
    lines.append(f"tags: [{topic.folder}, interview]")
    style = index % 4
    if style == 0:
        lines.append("difficulty: medium")
    elif style == 1:
        lines.append("difficulty: 2")
    elif style == 2:
        lines.append("level: hard")
    if related and index % 3 == 0:
        lines.append("related:")
        lines.extend(f'  - "{item}"' for item in related)
    lines.append("created: 2024-13-45")  # an impossible date stays text
    lines.append("---")
    return "\n".join(lines) + "\n"


def _sections(topic: Topic, index: int, rng: random.Random) -> list[str]:
    en_q = f"## Question (EN)\n{topic.question}\n"
    ru_q = f"## Вопрос (RU)\n{topic.question_ru}\n"
    en_a = f"## Answer (EN)\n{topic.answer}\n\n### Why\nBecause the derivation says so.\n"
    ru_word = "Otvet" if index % 3 == 1 else "Ответ"
    ru_a = f"## {ru_word} (RU)\n{topic.answer_ru}\n"
    orders = [
        [en_q, ru_q, en_a, ru_a],
        [ru_q, en_q, ru_a, en_a],
        [ru_q, ru_a, en_q, en_a],
        [en_q, en_a, ru_q, ru_a],
    ]
    chosen = orders[index % len(orders)]
    if index % 4 == 2:
        # A note that opens with its Russian question as a top-level label heading.
        chosen = [f"# Вопрос (RU)\n{topic.question_ru}\n", en_q, ru_a, en_a]
    rng.shuffle(extra := _extras(index))
    return [*chosen, *extra]


def _extras(index: int) -> list[str]:
    pool = [
        "## Follow-ups\n- What changes with more data?\n- And with a bigger model?\n",
        "## References\n- Hastie, Tibshirani, Friedman, ch. 7\n",
        "## See also\n- The index of this vault\n",
        "## Links\n- https://example.org/notes\n",
        "## Sources\n- Lecture notes\n",
        "## Further reading\n- A survey\n",
        "## Дополнительные вопросы\n- Что будет при большем объёме данных?\n",
    ]
    return [pool[(index + k) % len(pool)] for k in range(3)]


def _related(items: list[tuple[str, str]]) -> str:
    lines = ["## Related Questions"]
    group = None
    for label, text in items:
        if label and label != group:
            lines.append(f"### {label}")
            group = label
        lines.append(f"- {text}")
    return "\n".join(lines) + "\n"


def _link_targets(items: list[tuple[str, str]]) -> list[str]:
    """What the parser keeps of each related item (a link's target, or the plain text)."""
    targets = []
    for _label, text in items:
        if "[[" in text:
            inner = text.split("[[", 1)[1].split("]]", 1)[0]
            targets.append(inner.split("|", 1)[0].split("#", 1)[0])
        else:
            targets.append(text)
    return targets


def write_vault(root: Path, seed: int = 14) -> VaultFacts:
    """Write the vault under ``root`` and return what importing it must give."""
    rng = random.Random(seed)
    facts = VaultFacts()
    for index, topic in enumerate(TOPICS):
        items = LINKS[topic.name]
        related = _link_targets(items)
        parts = [_front(topic, index, related)]
        if index % 4 == 1:
            parts.append(f"# {topic.title_ru}\n")  # a body title the front matter overrules
        parts.extend(_sections(topic, index, rng))
        parts.append(f"## Tags\n#{topic.folder}\n")  # already in the front matter
        parts.append(_related(items))
        path = root / topic.folder / f"{topic.name}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(parts), encoding="utf-8")
        facts.cards += 1
        facts.bilingual += 1
        facts.related += len(dict.fromkeys(target.casefold() for target in related))
        style = index % 4
        difficulty = {0: "medium", 1: "easy", 2: "hard"}.get(style)
        if difficulty is None and topic.name.endswith("--hard"):
            difficulty = "hard"
        card_id = (
            f"{topic.folder}/{topic.title.lower().replace(' ', '-')}"
            if index % 2 == 0
            else f"{topic.folder}/{topic.name}"
        )
        facts.titles[card_id] = topic.title
        facts.difficulties[card_id] = difficulty
    # A note in one language, without front matter or a title: titled by its file name.
    (root / "ml" / "Overfitting.md").write_text(
        "## Question\nWhat is overfitting?\n\n## Answer\nFitting the noise.\n\n"
        "## See also\n- [[Regularization]]\n",
        encoding="utf-8",
    )
    facts.cards += 1
    facts.titles["ml/Overfitting"] = "Overfitting"
    facts.difficulties["ml/Overfitting"] = None
    facts.skipped += _not_notes(root)
    facts.never_found += _never_found(root)
    return facts


def _not_notes(root: Path) -> int:
    """Files that are found and read but hold no card; returns how many."""
    files = {
        "Index.md": "# Index\n\n- [[Bias-Variance Tradeoff]]\n- [[Энтропия]]\n",
        "ml/Concepts/Variance.md": "---\ntags: [concept]\n---\n# Variance\n\nThe spread.\n",
        "Empty.md": "",
        "Front only.md": "---\ntitle: Nothing here\ntags: [x]\n---\n",
        "Daily/2024-01-01.md": "# {{date:YYYY-MM-DD}}\n\n## Question\n{{title}}\n",
        "Meeting template.md": '---\ncreated: <% tp.date.now("YYYY-MM-DD") %>\n---\n'
        "## Question (EN)\n\n## Answer (EN)\n",
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return len(files)


def _never_found(root: Path) -> list[str]:
    """Files under folders that are never searched; returns their paths under ``root``."""
    card = "## Question\nQ?\n\n## Answer\nA.\n"
    files = [
        ".obsidian/templates/Note.md",
        ".trash/Old note.md",
        "_templates/Interview question.md",
        "drafts/Half written.md",
        "ml/drafts/Another.md",
    ]
    for name in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(card, encoding="utf-8")
    (root / ".quizappignore").write_text("# not ready yet\ndrafts/\n", encoding="utf-8")
    return files
