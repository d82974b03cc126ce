"""Seeded folders for the import benchmarks beyond quizapp's own layout.

``write_format_mix`` writes cards in every format quizapp reads besides its own (the
Obsidian plugin's syntax, hashcards, questions as headings, question tables, front-matter
card lists, Anki's plain-text export and two-column CSV) plus native files, each file
holding the cards a real one would: a dozen to fifty. It returns how many cards they
make, so that a benchmark can refuse to time an import that read fewer.

``write_no_card_files`` adds what a notes folder holds besides cards: notes that are no
card files (skipped) and card files with an error (failed).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from bench.generate import TAGS, TOPICS, card_text

CONCEPTS = [
    "momentum",
    "dropout",
    "weight decay",
    "batch normalisation",
    "attention",
    "the softmax",
    "gradient clipping",
    "early stopping",
    "the learning rate",
    "label smoothing",
    "the bias term",
    "the ReLU",
    "the logit",
    "cross-entropy",
    "the KL divergence",
    "an embedding",
    "a residual connection",
    "layer normalisation",
    "the Adam optimiser",
    "a convolution",
]
FORMULAS = [
    r"\frac{\partial L}{\partial w_{k}}",
    r"\sigma(z_{k})",
    r"\log\frac{p_{k}}{1-p_{k}}",
    r"\sum_{i=1}^{n} x_i^{k}",
    r"\mathbb{E}[x_{k}]",
    r"\theta_{t+1} = \theta_t - \eta g_{k}",
]


def _formula(rng: random.Random, k: int) -> str:
    return rng.choice(FORMULAS).replace("{k}", str(k))


def _concept(rng: random.Random) -> str:
    return rng.choice(CONCEPTS)


def _obsidian(index: int, rng: random.Random, blocks: int) -> tuple[str, int]:
    """A note of ``blocks`` groups: a ``::`` card (some with the plugin's schedule), a
    ``:::`` pair, a multi-line card and a two-deletion cloze: six cards per group."""
    topic = TOPICS[index % len(TOPICS)]
    lines = [f"#flashcards/ml/{topic}", ""]
    for b in range(blocks):
        k = index * 100 + b
        question = f"What does {_concept(rng)} change in model {k}?"
        lines.append(f"{question}::It rescales ${_formula(rng, k)}$")
        if b % 3 == 0:
            lines.append(f"<!--SR:!2026-0{1 + b % 9}-1{b % 10},{3 + b},{230 + b}-->")
        lines.append("")
        lines.append(f"term {k}:::the definition of term {k}, with ${_formula(rng, k)}$")
        lines.append("")
        lines.append(f"Why does {_concept(rng)} help network {k}?")
        lines.append("?")
        lines.append(f"It keeps the updates of network {k} small and the loss smooth.")
        lines.append("")
        lines.append(f"Model {k} uses ==encoder {k}== to reach a ==latent code {k}==.")
        lines.append("")
    return "\n".join(lines), 6 * blocks


def _hashcards(index: int, rng: random.Random, blocks: int) -> tuple[str, int]:
    """``Q:``/``A:`` pairs with multi-line answers and ``C:`` clozes: three cards a group."""
    lines = ["---", f'name = "Statistics {index}"', "---"]
    for b in range(blocks):
        k = index * 100 + b
        lines.append(f"Q: What does {_concept(rng)} estimate in study {k}?")
        lines.append(f"A: An unbiased estimate of ${_formula(rng, k)}$.")
        lines.append(f"It converges as study {k} grows.")
        lines.append("")
        lines.append(f"C: A [random forest {k}] averages trees grown on [bootstrap samples {k}].")
        lines.append("")
    return "\n".join(lines), 3 * blocks


def _headings(index: int, rng: random.Random, blocks: int) -> tuple[str, int]:
    """A README-style list: numbered H3 questions with difficulty markers under H2s."""
    lines = [f"# Interview questions {index}", ""]
    for b in range(blocks):
        k = index * 100 + b
        if b % 5 == 0:
            lines += [f"## Part {b // 5 + 1}", ""]
        marker = ["[E]", "[M]", "[H]"][b % 3]
        lines.append(f"### {b + 1}) What does {_concept(rng)} do in layer {k}? {marker}")
        lines.append(f"It maps ${_formula(rng, k)}$ to the next layer and keeps layer {k} stable.")
        lines.append("")
    return "\n".join(lines), blocks


def _table(index: int, rng: random.Random, blocks: int) -> tuple[str, int]:
    """A Markdown table of questions with Answer and Level columns."""
    lines = [f"# Exercises {index}", "", "| Question | Answer | Level |", "|---|---|---|"]
    for b in range(blocks):
        k = index * 100 + b
        level = ["Fundamental", "Advanced"][b % 2]
        lines.append(
            f"| What is {_concept(rng)} for case {k}? | It is ${_formula(rng, k)}$ | {level} |"
        )
    return "\n".join(lines) + "\n", blocks


def _front_matter(index: int, rng: random.Random, blocks: int) -> tuple[str, int]:
    """A ``cards:`` list in YAML front matter, front/back and question/answer."""
    lines = ["---", f"tags: [{rng.choice(TAGS)}]", "cards:"]
    for b in range(blocks):
        k = index * 100 + b
        if b % 2:
            lines += [
                f"  - front: What is {_concept(rng)} in item {k}?",
                f"    back: The {k}th rule of thumb.",
                f"    difficulty: {1 + b % 5}",
            ]
        else:
            lines += [
                f"  - question: Why use {_concept(rng)} for item {k}?",
                f"    answer: It lowers the error of item {k}.",
            ]
    lines += ["---", f"Cards about topic {index}.", ""]
    return "\n".join(lines), blocks


def _anki(index: int, rng: random.Random, blocks: int) -> tuple[str, int]:
    """Anki's "Notes in Plain Text" export: tab-separated, HTML fields, MathJax, tags."""
    lines = ["#separator:tab", "#html:true", "#tags column:3"]
    for b in range(blocks):
        k = index * 100 + b
        question = f"What does <b>{_concept(rng)}</b> change in run {k}?"
        answer = f"It rescales \\({_formula(rng, k)}\\) in <i>run {k}</i>."
        lines.append(f"{question}\t{answer}\t{rng.choice(TAGS)}")
    return "\n".join(lines) + "\n", blocks


def _csv(index: int, rng: random.Random, blocks: int) -> tuple[str, int]:
    """Quizlet's plain two-column CSV."""
    lines = [
        f"What is {_concept(rng)} number {index * 100 + b}?,The rule for case {index * 100 + b}"
        for b in range(blocks)
    ]
    return "\n".join(lines) + "\n", blocks


#: (folder, suffix, writer, cards per file, share of the cards) for each kind of file.
KINDS: list[tuple[str, str, Callable[[int, random.Random, int], tuple[str, int]], int, float]] = [
    ("native", ".md", lambda i, rng, _n: (card_text(i, rng), 1), 1, 0.10),
    ("obsidian", ".md", _obsidian, 4, 0.25),  # 4 groups = 24 cards a note
    ("hashcards", ".md", _hashcards, 8, 0.15),  # 24 cards
    ("headings", ".md", _headings, 20, 0.15),
    ("tables", ".md", _table, 25, 0.10),
    ("front-matter", ".md", _front_matter, 12, 0.10),
    ("anki", ".tsv", _anki, 40, 0.10),
    ("quizlet", ".csv", _csv, 40, 0.05),
]


def write_format_mix(root: Path, cards: int, seed: int = 13) -> tuple[list[Path], int]:
    """Files in every format making about ``cards`` cards; the paths and the exact count."""
    rng = random.Random(seed)
    paths: list[Path] = []
    total = 0
    for folder, suffix, writer, blocks, share in KINDS:
        wanted = max(1, round(cards * share))
        made = 0
        index = 0
        while made < wanted:
            text, count = writer(index, rng, blocks)
            path = root / folder / f"part{index % 8}" / f"{folder}{index:05d}{suffix}"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            paths.append(path)
            made += count
            index += 1
        total += made
    return paths, total


def write_no_card_files(root: Path, count: int, seed: int = 17) -> tuple[int, int]:
    """``count`` files that give no cards: two in three notes (skipped), one in three
    card files with an error (failed). Returns (skipped, failed)."""
    rng = random.Random(seed)
    skipped = failed = 0
    for index in range(count):
        folder = root / TOPICS[index % len(TOPICS)] / "notes"
        folder.mkdir(parents=True, exist_ok=True)
        if index % 3 == 2:
            text = (
                f"# Draft {index}\n\n## Question\n\nWhat does {_concept(rng)} do?\n\n"
                "## Answer\n\n"
            )  # an empty answer: the file fails
            failed += 1
        else:
            words = " ".join(rng.choice(CONCEPTS) for _ in range(60))
            text = (
                f"# Meeting {index}\n\nWe talked about {words}.\n\n## Action items\n\n"
                f"- read about {_concept(rng)}\n- rerun experiment {index}\n"
            )
            skipped += 1
        (folder / f"note{index:05d}.md").write_text(text, encoding="utf-8")
    return skipped, failed
