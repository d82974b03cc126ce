"""A file reader made ready before it is needed: imported once by the parse pool's fork
server, so that every worker forked from it starts warm.

A reader's first file costs far more than the next ones: the formats, their parsers and
converters (markdown-it, YAML, the HTML converter, the LaTeX checker) are imported on
first use and their patterns compiled. A spawned worker paid that, about a fifth of a
second of CPU, once for each worker and each import. The fork server (``parse_pool.py``)
imports this module instead, which reads one small sample of each format through the
same path as a real file (:func:`read_sample`), and every worker forked from it inherits
the result.

Only the reading side is loaded: neither the store nor textual (``tests`` check that a
worker has neither).
"""

from __future__ import annotations

from quizapp.cards.parser import parse_bytes
from quizapp.services.card_checks import check_card

#: One small file per format, by name (the suffix picks the delimited format), each with
#: the constructs that load something on first use: math, HTML, front matter, tables.
SAMPLES: dict[str, str] = {
    "native.md": (
        "# Softmax gradient\n\n## Question\n\nWhat is $\\partial s_i / \\partial z_j$?\n\n"
        "## Answer\n\n### Step 1: differentiate\n\n$$s_i(\\delta_{ij} - s_j)$$\n\n"
        "## Tags\n\n- calculus\n\n## Difficulty\n\nmedium\n"
    ),
    "obsidian.md": (
        "#flashcards/ml\n\nWhat does ReLU output for $x<0$?::0\n\n"
        "Bias::Variance\n\nA ==cloze== deletion\n\nMulti-line\n?\nanswer\n"
        "<!--SR:!2024-08-16,51,230-->\n"
    ),
    "hashcards.md": "Q: What is *overfitting*?\nA: Fitting noise.\n\nC: Adam uses [moments].\n",
    "logseq.md": (
        "tags:: ml\n\n- What does {{cloze softmax}} give? #card\n  card-repeats:: 1\n"
        "  card-last-interval:: 4\n  card-next-schedule:: 2024-08-16T10:00:00.000Z\n"
        "\t- Probabilities, $p_i$.\n"
    ),
    "details.md": (
        "## Metrics\n\n1. **What is recall?**\n   <details><summary>Answer</summary>\n\n"
        "   $TP/(TP+FN)$\n   </details>\n\n<details><summary>What is <code>F1</code>?"
        "</summary><br><b>\n\nA harmonic mean.\n</b></details>\n"
    ),
    "headings.md": (
        "# ML\n\n## Optimisation\n\n### 1) What is momentum? [M]\n\n"
        "A running average of gradients, $v_t$.\n\n### 2) Why clip gradients? (Hard)\n\n"
        "- To bound each step.\n"
    ),
    "table.md": (
        "| Question | Answer | Level |\n|---|---|---|\n"
        "| What is a `tensor`? | An array | Fundamental |\n"
    ),
    "lists.md": (
        "## Exercises\n\n1. What is entropy? [E]\n2. Why does dropout work? [H]\n"
        "3. What is a *prior*?\n"
    ),
    "frontmatter.md": (
        "---\ntags: [ml]\ncards:\n  - front: What is $L_2$?\n    back: A norm\n"
        "    difficulty: 3\n---\n"
    ),
    "qa.md": (
        "## Optimisers\n\n**Q: What is momentum?** [M]\nA: A running average, $v_t$.\n\n"
        "1. Why clip gradients?\n   - To bound each step.\n"
    ),
    "anki.txt": (
        "#separator:tab\n#html:true\n"
        "What is <b>\\(\\sigma\\)</b>?\t<div>The logistic&nbsp;function<br>\\[x\\]</div>\n"
    ),
    "quizlet.csv": 'term,definition\n"What is a GAN?","Two <i>networks</i>"\n',
}


def read_sample(name: str, text: str) -> None:
    """Parse and check one sample as a file of that name would be (nothing is kept)."""
    parsed = parse_bytes(text.encode("utf-8"), f"warmup/{name}", "warmup")
    for card in parsed.cards:
        check_card(card, name)


def warm_up() -> None:
    """Read every sample once. A sample that fails only leaves its format cold."""
    for name, text in SAMPLES.items():
        try:
            read_sample(name, text)
        except Exception:  # a bug here must never stop the fork server
            continue


warm_up()
