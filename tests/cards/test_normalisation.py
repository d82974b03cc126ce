"""Encoding repair, tag/difficulty/related normalisation and identity, unit by unit."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.cards import parse_text
from quizapp.cards.encoding import decode, normalise_newlines, repair_mojibake
from quizapp.cards.identity import content_hash, deck_for, path_id, slugify
from quizapp.cards.metadata import normalise_tags, split_related, split_tag_text, unlink
from quizapp.cards.model import ExerciseSource

from .helpers import card_source, only_card


def test_repair_fixes_mojibake_and_counts_each_sequence() -> None:
    text = "a â†’ b\ncafÃ© and naÃ¯ve\nclean → line"
    fixed, count = repair_mojibake(text)
    assert fixed == "a → b\ncafé and naïve\nclean → line"
    assert count == 3


def test_repair_leaves_correct_unicode_alone() -> None:
    text = "σ′(z) ⊙ δ → ∂L/∂W, Übersicht, déjà vu, “quotes”, naïve, 5 · 3, ½"
    assert repair_mojibake(text) == (text, 0)


def test_repair_handles_a_line_mixing_correct_and_broken_text() -> None:
    assert repair_mojibake("good → and bad â†’") == ("good → and bad →", 1)


def test_decode_drops_bom_and_newlines_are_normalised() -> None:
    assert decode(b"\xef\xbb\xbf# T\r\n") == "# T\r\n"
    assert normalise_newlines("\ufeffa\r\nb\rc\n") == "a\nb\nc\n"


def test_parse_reports_repairs() -> None:
    parsed = parse_text(card_source(question="Why â€œchainâ€\x9d rule?"))
    assert parsed.repaired == 2
    assert parsed.cards[0].question == "Why “chain” rule?"


def test_tags() -> None:
    assert split_tag_text("#A #b/c, #A\n") == ["A", "b/c", "A"]
    assert split_tag_text("alpha, beta gamma") == ["alpha", " beta gamma"]
    tags = normalise_tags(
        ["#ML", "ml", "Difficulty/Hard", " deep  learning ", "#", "x.", ".#y", "/#z/"]
    )
    assert tags.tags == ("ML", "deep-learning", "x", "y", "z")
    assert normalise_tags(["C#", "#F#"]).tags == ("C#", "F#")
    assert tags.difficulty == "hard"


def test_unknown_difficulty_tag_stays_a_tag() -> None:
    assert normalise_tags(["difficulty/extreme"]).tags == ("difficulty/extreme",)


def test_related() -> None:
    assert unlink("see [[A|label]] and [[B#part]]") == "see A and B"
    assert unlink("[[#part]] and [[B#part|label]]") == "#part and B"
    assert split_related("- one\n- [[two]]\n\nplain line\n- ONE\n") == ["one", "two", "plain line"]


def test_slugs_ids_and_decks() -> None:
    assert slugify("Bias & Variance (Trade-off)") == "bias-variance-trade-off"
    assert slugify("Übersicht über σ") == "übersicht-über-σ"
    assert slugify("???") == "card"
    assert path_id("deep-learning/backpropagation.md") == "deep-learning/backpropagation"
    assert path_id("notes/readme.MD") == "notes/readme"
    assert deck_for("ml/optim/adam.md", "vault") == "ml/optim"
    assert deck_for("top.md", "vault") == "vault"
    assert deck_for("top.md", "") == "default"


def test_id_survives_text_edits_while_the_hash_changes() -> None:
    before = only_card(card_source(), path="deep-learning/softmax.md")
    edited = only_card(
        card_source(answer="### Result\nIt is diag(s) minus the outer product."),
        path="deep-learning/softmax.md",
    )
    assert before.id == edited.id == "deep-learning/softmax"
    assert before.content_hash != edited.content_hash


def test_hash_covers_every_stored_field_but_not_positions() -> None:
    card = only_card(card_source())
    base = content_hash(card)
    changes = [
        replace(card, title="x"),
        replace(card, question="x"),
        replace(card, steps=card.steps[:0]),
        replace(card, tags=("other",)),
        replace(card, difficulty="hard"),
        replace(card, related=("x",)),
        replace(card, deck="x"),
        replace(card, aliases=("x",)),
        replace(card, exercises=(ExerciseSource("a: 1", 3),)),
    ]
    assert all(content_hash(changed) != base for changed in changes)
    assert content_hash(replace(card, line=40, source="elsewhere.md")) == base
    assert card.content_hash == base


def test_without_a_path_the_id_is_the_title_slug() -> None:
    assert only_card(card_source("Layer Norm")).id == "layer-norm"


@settings(max_examples=1000, deadline=None, derandomize=True, database=None)
@given(st.lists(st.text(max_size=6)))
def test_normalised_tags_are_clean_and_unique(raw: list[str]) -> None:
    tags = normalise_tags(raw).tags
    assert all(tag and not tag.startswith(("#", "/")) and tag == tag.strip() for tag in tags)
    assert len({tag.casefold() for tag in tags}) == len(tags)
