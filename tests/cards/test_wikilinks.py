"""Wikilinks in card text: what each form is drawn as, in Markdown tokens and in plain
text, and that code is left alone (issue 14)."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from quizapp.cards import wikilinks
from quizapp.cards.wikilinks import WikiLink, parse


@pytest.mark.parametrize(
    ("inside", "embed", "expected", "text"),
    [
        ("Adam", False, WikiLink("Adam"), "Adam"),
        ("Adam|the optimiser", False, WikiLink("Adam", "", "the optimiser"), "the optimiser"),
        (
            "Adam#Bias correction",
            False,
            WikiLink("Adam", "Bias correction"),
            "Adam › Bias correction",
        ),
        ("Adam#Bias correction|fix", False, WikiLink("Adam", "Bias correction", "fix"), "fix"),
        ("#Proof", False, WikiLink("", "Proof"), "Proof"),
        ("Adam#^a1b2", False, WikiLink("Adam", "^a1b2"), "Adam"),
        (" Adam ", False, WikiLink("Adam"), "Adam"),
        ("net.png|300", True, WikiLink("net.png", embed=True), "net.png"),
        ("net.png|300x200", True, WikiLink("net.png", embed=True), "net.png"),
        ("net.png|The network", True, WikiLink("net.png", "", "The network", True), "The network"),
    ],
)
def test_parse(inside: str, embed: bool, expected: WikiLink, text: str) -> None:
    link = parse(inside, embed=embed)
    assert link == expected
    assert link.text == text


def test_a_link_that_names_nothing_is_no_link() -> None:
    assert parse("|label") is None
    assert parse(" # ") is None


def test_only_embedded_image_files_are_images() -> None:
    assert parse("a.PNG", embed=True).is_image  # type: ignore[union-attr]
    assert not parse("a.png").is_image  # type: ignore[union-attr]
    assert not parse("Other note", embed=True).is_image  # type: ignore[union-attr]


def test_plain_draws_every_link_as_its_text_and_leaves_code_alone() -> None:
    text = (
        "See [[Adam]], [[Adam#Bias correction|the fix]] and [[#Proof]].\n"
        "Code `[[raw]]` stays.\n\n```\n[[also raw]]\n```\n"
    )
    assert wikilinks.plain(text) == (
        "See Adam, the fix and Proof.\nCode `[[raw]]` stays.\n\n```\n[[also raw]]\n```\n"
    )


def test_plain_keeps_embedded_images_for_the_image_placeholders() -> None:
    assert wikilinks.plain("![[net.png|300]] and ![[Other]]") == "![[net.png]] and Other"


def test_text_without_links_is_returned_unchanged() -> None:
    text = "a [single] bracket and [[ unclosed"
    assert wikilinks.plain(text) is text


def test_plugin_makes_links_and_images_tokens() -> None:
    parser = MarkdownIt("commonmark").use(wikilinks.wikilinks_plugin)
    (inline,) = (
        t
        for t in parser.parse("See [[Adam#Moments|them]] ![[net.png|a net]]")
        if t.type == "inline"
    )
    kinds = [(child.type, child.content, dict(child.attrs)) for child in inline.children or []]
    assert kinds == [
        ("text", "See ", {}),
        ("link_open", "", {"href": "Adam#Moments"}),
        ("text", "them", {}),
        ("link_close", "", {}),
        ("text", " ", {}),
        ("image", "a net", {"src": "net.png", "alt": ""}),
    ]


def test_plugin_leaves_code_spans_and_ordinary_links_alone() -> None:
    parser = MarkdownIt("commonmark").use(wikilinks.wikilinks_plugin)
    html = parser.render("`[[x]]` and [a](b) and [[y]]")
    assert html == '<p><code>[[x]]</code> and <a href="b">a</a> and <a href="y">y</a></p>\n'
