"""The accepted variants of the card format beyond the reference layout."""

from __future__ import annotations

from pathlib import Path

from quizapp.cards import parse_file, parse_text
from quizapp.cards.formats.native import ANSWER_STEP_PATH

from .helpers import card_source, messages, only_card

FRONT_MATTER_CARD = """---
id: linalg/svd-basics
title: Singular Value Decomposition
tags: [LinearAlgebra, "#Matrices", difficulty/medium, linearalgebra]
deck: maths/linear
aliases:
  - SVD
  - singular values
related:
  - "[[PCA and SVD|How are PCA and SVD connected?]]"
  - What is the rank of a matrix?
created: 2024-02-30
---
# Singular Value Decomposition

## Question
State the SVD of a real matrix.

## Answer
Every real $m \\times n$ matrix factors as $A = U \\Sigma V^\\top$.
"""


def test_front_matter_fields() -> None:
    card = only_card(FRONT_MATTER_CARD, default_id="ignored", deck="ignored")
    assert card.id == "linalg/svd-basics"
    assert card.title == "Singular Value Decomposition"
    assert card.tags == ("LinearAlgebra", "Matrices")
    assert card.difficulty == "medium"
    assert card.deck == "maths/linear"
    assert card.aliases == ("SVD", "singular values")
    assert card.related == ("PCA and SVD", "What is the rank of a matrix?")
    assert [step.path for step in card.steps] == [ANSWER_STEP_PATH]


def test_front_matter_wins_and_conflicts_are_warnings() -> None:
    source = """---
title: Dropout at Test Time
tags: regularisation, ml/training
difficulty: easy
related: Why does batch norm behave differently at test time?
---
# Dropout During Inference

## Question
What does dropout do when the model is evaluated?

## Answer
Nothing is dropped; activations are scaled so their expectation matches training.

## Tags
#regularisation #other

## Difficulty
Hard

## Related Questions
- What is inverted dropout?
"""
    parsed = parse_text(source, path="dropout.md")
    assert parsed.errors == []
    card = parsed.cards[0]
    assert card.title == "Dropout at Test Time"
    assert card.tags == ("regularisation", "ml/training")
    assert card.difficulty == "easy"
    assert card.related == ("Why does batch norm behave differently at test time?",)
    # The front matter is the authority: a different title or difficulty is taken from
    # it silently; only what the body has and the front matter lacks is worth a warning.
    assert messages(parsed) == [
        'dropout.md:3: front matter tags lack "other" from the Tags section; '
        "using the front matter",
        'dropout.md:5: front matter related questions lack "What is inverted dropout?" from '
        "the Related Questions section; using the front matter",
    ]


def test_front_matter_tags_as_hashtag_string_and_difficulty_tag() -> None:
    source = "---\ntags: '#ml/optimisation #Adam difficulty/Hard'\n---\n" + card_source(tail="")
    card = only_card(source)
    assert card.tags == ("ml/optimisation", "Adam")
    assert card.difficulty == "hard"


def test_empty_front_matter_is_fine() -> None:
    card = only_card("---\n---\n" + card_source())
    assert card.title == "Softmax Gradient"


def test_section_names_ignore_case_and_language_markers() -> None:
    source = """---
title: Kullback-Leibler Divergence
---
# Question (EN)
Is the KL divergence symmetric?

# Answer (EN)
No: $D(p\\|q) \\ne D(q\\|p)$ in general.

## TAGS:
#information-theory

## difficulty (en)
easy

## related questions
- What is cross-entropy?
"""
    card = only_card(source)
    assert card.title == "Kullback-Leibler Divergence"
    assert card.question == "Is the KL divergence symmetric?"
    assert card.steps[0].text == "No: $D(p\\|q) \\ne D(q\\|p)$ in general."
    assert card.tags == ("information-theory",)
    assert card.difficulty == "easy"
    assert card.related == ("What is cross-entropy?",)


def test_several_cards_in_one_file_get_ids_from_their_titles() -> None:
    source = """# Precision

## Question
Define precision.

## Answer
Of the predicted positives, the fraction that are real.

# Notes inside the answer

This H1 has no Question of its own, so it stays in the first card.

## Tags
#metrics

# Recall

## Question (EN)
Define recall.

## Answer (EN)
Of the real positives, the fraction that were predicted.

## Difficulty
Easy
"""
    parsed = parse_text(source, path="metrics/pr.md", deck="metrics")
    assert parsed.errors == []
    assert [card.id for card in parsed.cards] == ["metrics/pr#precision", "metrics/pr#recall"]
    first, second = parsed.cards
    assert [step.path for step in first.steps] == [ANSWER_STEP_PATH, ("Notes inside the answer",)]
    assert first.tags == ("metrics",)
    assert first.difficulty is None
    assert second.difficulty == "easy"
    assert second.tags == ()
    assert second.line == 16
    assert {card.deck for card in parsed.cards} == {"metrics"}


def test_multi_card_front_matter_id_is_a_prefix() -> None:
    source = "---\nid: pack\ntitle: Ignored\n---\n" + card_source("One") + card_source("Two")
    parsed = parse_text(source, path="x.md")
    assert [card.id for card in parsed.cards] == ["pack#one", "pack#two"]
    assert messages(parsed) == [
        'x.md:3: front matter "title" is ignored in a file with several cards'
    ]


def test_math_blocks_and_code_fences_hide_heading_like_lines() -> None:
    answer = """### Derivation
$$
# this is LaTeX, not a heading
\\frac{\\partial L}{\\partial z} = s - y
$$

```text
## Tags
#not-a-tag
```

Inline $a_{#1}$ math stays as written."""
    card = only_card(card_source(answer=answer, tail="## Tags\n#real\n"))
    assert card.tags == ("real",)
    assert len(card.steps) == 1
    text = card.steps[0].text
    assert "# this is LaTeX, not a heading" in text
    assert "```text\n## Tags\n#not-a-tag\n```" in text
    assert text.endswith("Inline $a_{#1}$ math stays as written.")


def test_lists_emphasis_and_tables_are_kept_as_markdown() -> None:
    answer = """### Comparison
| loss | gradient |
|------|----------|
| MSE  | $p - t$  |

- *first* item
  - nested **item**

#### A deeper heading stays inside the step
More text."""
    card = only_card(card_source(answer=answer))
    assert [step.path for step in card.steps] == [("Comparison",)]
    assert card.steps[0].text == answer.split("\n", 1)[1]


def test_answer_text_before_sub_headings_is_its_own_step() -> None:
    answer = """Short answer first.

### Detail
More detail.

## Empty Parent
### Child A
a
### Child B
b"""
    card = only_card(card_source(answer=answer))
    assert [(step.path, step.text) for step in card.steps] == [
        (("Answer",), "Short answer first."),
        (("Detail",), "More detail."),
        (("Empty Parent", "Child A"), "a"),
        (("Empty Parent", "Child B"), "b"),
    ]


def test_empty_leaf_heading_gives_no_step_and_a_warning() -> None:
    parsed = parse_text(card_source(answer="### Empty\n\n### Full\ntext"), path="e.md")
    assert [step.path for step in parsed.cards[0].steps] == [("Full",)]
    assert messages(parsed) == ['e.md:7: section "Empty" is empty; no step for it']


def test_exercise_blocks_are_collected_and_removed_from_steps() -> None:
    answer = """### Try it
Compute the gradient yourself.

```exercise
kind: gradient
expr: sum(x * x)
```

Then compare."""
    source = card_source(answer=answer)
    card = only_card(source)
    assert card.steps[0].text == "Compute the gradient yourself.\n\n\nThen compare."
    assert len(card.exercises) == 1
    exercise = card.exercises[0]
    assert exercise.yaml == "kind: gradient\nexpr: sum(x * x)\n"
    assert source.split("\n")[exercise.line - 1] == "kind: gradient"


def test_a_section_holding_only_an_exercise_gives_no_step_and_no_warning() -> None:
    answer = "### Intro\nSee below.\n\n### Practice\n```exercise\nkind: value\n```"
    parsed = parse_text(card_source(answer=answer))
    assert parsed.warnings == []
    card = parsed.cards[0]
    assert [step.path for step in card.steps] == [("Intro",)]
    assert len(card.exercises) == 1


def test_tags_keep_case_dedupe_case_insensitively_and_allow_hierarchy() -> None:
    tail = "## Tags\n#DeepLearning #deeplearning #ml/optimisation #ML/Optimisation, #CNN.\n"
    card = only_card(card_source(tail=tail))
    assert card.tags == ("DeepLearning", "ml/optimisation", "CNN")


def test_tags_written_without_hashes() -> None:
    card = only_card(card_source(tail="## Tags\n- deep learning\n- Vision\n"))
    assert card.tags == ("deep-learning", "Vision")


def test_difficulty_spellings() -> None:
    for written, expected in [("Easy", "easy"), ("MEDIUM", "medium"), ("**Hard**", "hard")]:
        card = only_card(card_source(tail=f"## Difficulty\n{written}\n"))
        assert card.difficulty == expected


def test_unknown_difficulty_is_a_warning() -> None:
    parsed = parse_text(card_source(tail="## Difficulty\nBrutal\n"), path="d.md")
    assert parsed.ok
    assert parsed.cards[0].difficulty is None
    assert messages(parsed) == [
        'd.md:11: unknown difficulty "Brutal" (expected Easy, Medium or Hard); left unset'
    ]


def test_related_questions_plain_and_wikilinks() -> None:
    tail = """## Related Questions
- What is a Jacobian?
- [[Cross-entropy loss]]
- [[softmax-temperature|What does temperature do?]]
* What is a Jacobian?
1. Why is log-sum-exp
   numerically stable?
"""
    card = only_card(card_source(tail=tail))
    assert card.related == (
        "What is a Jacobian?",
        "Cross-entropy loss",
        "softmax-temperature",
        "Why is log-sum-exp numerically stable?",
    )


def test_unknown_sections_outside_the_answer_are_ignored_with_a_warning() -> None:
    source = card_source(tail="## Tags\n#a\n\n## Notes\nprivate scribbles\n")
    parsed = parse_text(source, path="n.md")
    assert parsed.ok
    assert "private" not in parsed.cards[0].steps[-1].text
    assert messages(parsed) == [
        'n.md:13: section "Notes" after the metadata sections is not part of the card; ignored'
    ]


def test_bom_and_crlf_file(tmp_path: Path) -> None:
    text = card_source(answer="### Step\nline one\nline two")
    (tmp_path / "windows.md").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    parsed = parse_file(tmp_path / "windows.md", tmp_path)
    assert parsed.errors == []
    card = parsed.cards[0]
    assert card.title == "Softmax Gradient"
    assert card.steps[0].text == "line one\nline two"
    assert card.question == "What is the Jacobian of softmax?"


def test_parse_bytes_matches_parse_file(tmp_path: Path) -> None:
    from quizapp.cards import parse_bytes

    path = tmp_path / "deck" / "card.md"
    path.parent.mkdir()
    path.write_bytes(b"\xef\xbb\xbf" + card_source().encode())
    assert parse_bytes(path.read_bytes(), path, tmp_path) == parse_file(path, tmp_path)
    refused = parse_bytes(b"x" * (2 << 20), path, tmp_path)
    assert [str(problem) for problem in refused.errors] == [
        "deck/card.md:1: file is 2,097,152 bytes, larger than the limit of 1,048,576 bytes"
    ]
