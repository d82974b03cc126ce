"""A seeded Obsidian-style vault for the import benchmark (issue 14).

Shaped like the bilingual interview vault the issue was filed from: three notes in four
hold one card each, with YAML front matter (id on half of them, title, aliases, tags,
difficulty as a word, a number or ``level:``), a title heading or none, English and
Russian question and answer sections in varying order, "More" sections (follow-ups,
references, links) and a Related Questions section of ``[[wikilinks]]`` by file name,
alias or label, grouped by ``###`` labels. The other quarter holds no card: concept notes,
index ("map of content") notes of links, empty notes, templates in ``_templates/`` and
Templater templates elsewhere, and a ``.obsidian/`` folder.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

FOLDERS = ["ml", "dl", "stats", "systems", "nlp", "cv", "rl", "optim"]

_ANSWER_EN = (
    "The expected error splits into a bias term, a variance term and noise; "
    "$\\mathbb{{E}}[(y - \\hat f)^2] = \\mathrm{{Bias}}^2 + \\mathrm{{Var}} + \\sigma^2$ "
    "for note {n}.\n\n### Why\nExpand the square around $\\mathbb{{E}}[\\hat f]$; the cross "
    "term vanishes.\n\n```python\nerr = bias**2 + var + noise  # note {n}\n```\n"
)
_ANSWER_RU = (
    "Ожидаемая ошибка раскладывается на смещение, дисперсию и шум (заметка {n}).\n\n"
    "### Почему\nРаскройте квадрат вокруг $\\mathbb{{E}}[\\hat f]$.\n"
)


@dataclass(frozen=True)
class Vault:
    """What was written: every Markdown file, and what importing it must give."""

    paths: list[Path]
    cards: int
    skipped: int
    related: int


def _name(index: int) -> str:
    return f"Question {index:04d} о модели"


def _note(index: int, count: int, rng: random.Random) -> tuple[str, int]:
    """One card note and how many distinct related links it has."""
    folder = FOLDERS[index % len(FOLDERS)]
    targets = sorted({rng.randrange(count) for _ in range(rng.randint(2, 5))} - {index})
    front = ["---"]
    if index % 2 == 0:
        front.append(f"id: {folder}/q{index:04d}")
    front += [f"title: Question {index}", "aliases:", f"  - q{index}", f"  - вопрос {index}"]
    front.append(f"tags: [{folder}, interview, topic{index % 37}]")
    front.append(
        ["difficulty: medium", "difficulty: 4", "level: easy", "difficulty: Hard"][index % 4]
    )
    front += ["created: 2024-03-01", "---", ""]
    parts = ["\n".join(front)]
    if index % 3 == 0:
        parts.append(f"# Question {index}\n")
    en_q = f"## Question (EN)\nWhat does the bias-variance tradeoff say in case {index}?\n"
    ru_q = f"## Вопрос (RU)\nЧто говорит компромисс смещения и дисперсии в случае {index}?\n"
    en_a = "## Answer (EN)\n" + _ANSWER_EN.format(n=index)
    ru_a = "## Ответ (RU)\n" + _ANSWER_RU.format(n=index)
    order = [
        [en_q, ru_q, en_a, ru_a],
        [ru_q, en_q, ru_a, en_a],
        [ru_q, ru_a, en_q, en_a],
        [en_q, en_a, ru_q, ru_a],
    ][index % 4]
    parts += order
    parts.append("## Follow-ups\n- What if the model grows?\n- What if the data grows?\n")
    parts.append("## References\n- ESL, chapter 7\n- [Notes](https://example.org/bv)\n")
    related = ["## Related Questions", "### Same topic"]
    for position, target in enumerate(targets):
        if position == 2:
            related.append("### Further")
        form = (index + position) % 3
        if form == 0:
            related.append(f"- [[{_name(target)}]]")
        elif form == 1:
            related.append(f"- [[{_name(target)}|see {target}]]")
        else:
            related.append(f"- q{target}")
    parts.append("\n".join(related) + "\n")
    return "\n".join(parts), len(targets)


def _not_a_card(index: int, count: int) -> tuple[str, str]:
    """A file that holds no card: its path under the vault and its text."""
    kind = index % 5
    if kind == 0:
        return f"concepts/Concept {index}.md", (
            f"---\ntags: [concept]\n---\n# Concept {index}\n\nA definition, with "
            f"[[{_name(index % count)}]] and a formula $x^2$.\n\n## Notes\n- one\n- two\n"
        )
    if kind == 1:
        links = "\n".join(f"- [[{_name((index * 7 + k) % count)}]]" for k in range(12))
        return f"maps/Index {index}.md", f"# Index {index}\n\n{links}\n"
    if kind == 2:
        return f"_templates/Template {index}.md", (
            "---\ntitle: \n---\n## Question (EN)\n\n## Answer (EN)\n"
        )
    if kind == 3:
        return f"inbox/Draft {index}.md", (
            '---\ncreated: <% tp.date.now("YYYY-MM-DD") %>\n---\n# <% tp.file.title %>\n'
            "## Question (EN)\n\n## Answer (EN)\n"
        )
    return f"inbox/Empty {index}.md", ""


def write_vault(root: Path, notes: int, seed: int = 14) -> Vault:
    """Write ``notes`` files under ``root``: 75 % card notes, 25 % files with no card."""
    rng = random.Random(seed)
    cards = notes * 3 // 4
    paths: list[Path] = []
    related = 0
    for index in range(cards):
        text, links = _note(index, cards, rng)
        path = root / FOLDERS[index % len(FOLDERS)] / f"{_name(index)}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
        related += links
    skipped = 0
    for index in range(notes - cards):
        name, text = _not_a_card(index, cards)
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
        if not name.startswith("_templates/"):
            skipped += 1
    settings = root / ".obsidian" / "workspace.md"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text("## Question\nnot a note\n## Answer\nno\n", encoding="utf-8")
    return Vault(paths, cards, skipped, related)
