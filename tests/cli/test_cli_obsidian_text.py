"""``quizapp show`` prints card text as Obsidian draws it where plain text can (issue 14):
wikilinks as their label or target, never raw; images as placeholders; callout titles;
no quote around the question, no closing rule; the title not repeated as the question;
and the "More" sections after the steps, never as steps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from quizapp.cli import cli

NOTE = """---
tags: [ML]
---
# What is dropout?

## Question
> What is dropout?

---

## Answer
Randomly zeroing activations, like [[Bagging|bagging]] many thinned networks; see
[[Regularization#L2]] and [[Ensembles]].

![a thinned network](img/dropout.png) ![[mask.png|300]]

> [!tip] At test time
> Scale the weights instead.

---

## Follow-ups
- Why does dropout slow training? [[Training speed]]

## References
- Srivastava et al., 2014
"""


@pytest.fixture
def db(tmp_path: Path) -> Path:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "Dropout.md").write_text(NOTE, encoding="utf-8")
    path = tmp_path / "q.db"
    result = run(path, "import", "--no-bundled", str(notes))
    assert result.exit_code == 0, result.output
    return path


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def card_id(db: Path) -> str:
    (card,) = json.loads(run(db, "list", "--json").stdout)
    return str(card["id"])


def test_show_draws_wikilinks_images_and_callouts_as_text(db: Path) -> None:
    result = run(db, "show", card_id(db), "--width", "80")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "[[" not in out and "]]" not in out
    assert "like bagging many thinned networks; see\nRegularization › L2 and Ensembles." in out
    assert "[image: a thinned network — img/dropout.png] [image: mask.png]" in out
    assert "> **Tip: At test time**\n> Scale the weights instead." in out
    assert "---" not in out


def test_show_does_not_repeat_the_title_and_keeps_more_apart(db: Path) -> None:
    out = run(db, "show", card_id(db), "--width", "80").stdout
    assert out.count("What is dropout?") == 1
    assert "\nQuestion\n" not in out
    steps, _, more = out.partition("\nMore\n")
    assert "Srivastava" not in steps and "slow training" not in steps
    assert "Follow-ups\n- Why does dropout slow training? Training speed" in more
    assert "References\n- Srivastava et al., 2014" in more


def test_show_json_text_is_drawn_and_markdown_kept(db: Path) -> None:
    data = json.loads(run(db, "show", card_id(db), "--json").stdout)
    assert data["question"] == "What is dropout?"
    (step,) = data["steps"]
    assert "Regularization › L2" in step["text"]
    assert "[[Regularization#L2]]" in step["markdown"]
