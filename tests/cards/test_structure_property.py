"""A property test of the step rules: cards generated from known parts parse back into
exactly the steps the rules in docs/card-format.md predict."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.cards import parse_text
from quizapp.cards.sections import section_of

word = st.text(string.ascii_letters, min_size=1, max_size=8)
heading = (
    st.lists(word, min_size=1, max_size=3)
    .map(" ".join)
    .filter(lambda text: section_of(text) is None)
)
line = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from(string.ascii_letters),
    st.text(string.ascii_letters + string.digits + " .,()", max_size=20),
).map(str.rstrip)
SPECIAL_BODIES = [
    "$$\n# not a heading\n$$",
    "```python\n## also not a heading\n```",
    "- item\n  - nested item",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "#### deep heading stays\ntext",
]
body = st.one_of(
    st.just(""),
    st.lists(line, min_size=1, max_size=3).map("\n".join),
    st.sampled_from(SPECIAL_BODIES),
)
section = st.tuples(st.sampled_from([2, 3]), heading, body)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(intro=body, sections=st.lists(section, max_size=8))
def test_steps_follow_the_heading_rules(intro: str, sections: list[tuple[int, str, str]]) -> None:
    parts = ["# Generated Card", "", "## Question", "Which steps?", "", "## Answer", intro]
    expected: list[tuple[tuple[str, ...], str]] = []
    if intro:
        expected.append((("Answer",), intro))
    parent: str | None = None
    for level, name, text in sections:
        parts += ["", "#" * level + " " + name, "", text]
        if level == 2:
            parent = name
            path: tuple[str, ...] = (name,)
        else:
            path = (parent, name) if parent is not None else (name,)
        if text:
            expected.append((path, text))
    parts += ["", "## Tags", "#generated"]
    parsed = parse_text("\n".join(parts))
    if not expected:
        assert [problem.message for problem in parsed.errors] == ["the Answer section is empty"]
        return
    assert parsed.errors == []
    card = parsed.cards[0]
    assert [(step.path, step.text) for step in card.steps] == expected
    assert card.tags == ("generated",)
