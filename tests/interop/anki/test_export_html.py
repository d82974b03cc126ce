"""Card Markdown as Anki field HTML (``interop/anki/export_html.py``): formulas found as
quizapp finds them, drawn as MathJax, code and raw HTML kept as written, cloze markup
that Anki's parser reads, and the fast batched renderer agreeing with markdown-it."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from quizapp.cards.formulas import formulas
from quizapp.cards.parser import parse_file
from quizapp.content import bundled_deck_dir
from quizapp.interop.anki.export_html import (
    FieldBatch,
    Mode,
    batched,
    find_formulas,
    finish,
    markdown_it_renderer,
)


def _bundled_texts() -> list[str]:
    root = bundled_deck_dir()
    texts: list[str] = []
    for path in sorted(root.rglob("*.md")):
        texts.append(path.read_text(encoding="utf-8"))
        for card in parse_file(path, root).cards:
            texts.append(card.question)
            texts.extend(step.text for step in card.steps)
    return texts


_PIECES = [
    "The loss $L = \\frac{1}{2}(\\hat y - y)^2$ falls.",
    "It costs $5 and $10 here.",
    "Escaped \\$x\\$ is prose.",
    "Use `np.sum($x$)` in code.",
    "Double inline $$\\sum_i x_i$$ in a sentence.",
    "$x$ starts a line and ends with 3",
    "a $ b $ c",
    "$$\n\\nabla L = X^T(Xw - y)\n$$",
    "$$a = b$$ (eq1)",
    "```python\ncost = '$5 and $6'\n```",
    "- item with $\\alpha_i$\n- another $\\beta$",
    "> quoted $q^2$ line",
    "## Heading $h$",
    "1. step $s_1$\n2. step $s_2$",
    "$$\n\\begin{aligned}\na &= b \\\\\n\nc &= d\n\\end{aligned}\n$$",
    "Price$5$ and x$y$z",
    "---",
    "| a | b |\n|---|---|\n| $x$ | $y$ |",
]


def _generated(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [
        rng.choice(["\n\n", "\n"]).join(rng.choice(_PIECES) for _ in range(rng.randint(1, 6)))
        for _ in range(count)
    ]


def _latex(text: str) -> list[str]:
    return [formula.latex.strip() for formula in find_formulas(text)]


def test_formulas_are_the_ones_quizapp_finds_in_the_bundled_deck() -> None:
    texts = _bundled_texts()
    assert len(texts) > 300
    with_math = [text for text in texts if formulas(text)]
    assert len(with_math) > 100
    for text in texts:
        assert _latex(text) == [latex.strip() for latex in formulas(text)], text[:200]


def test_formulas_are_the_ones_quizapp_finds_in_generated_cards() -> None:
    for text in _generated(400, seed=15):
        assert _latex(text) == [latex.strip() for latex in formulas(text)], text


def test_formula_offsets_cover_their_source() -> None:
    text = "Before $a_i$ and\n\n$$\nb^2\n$$\n\nafter"
    found = find_formulas(text)
    assert [text[f.start : f.end] for f in found] == ["$a_i$", "$$\nb^2\n$$"]
    assert [f.display for f in found] == [False, True]


def _render(text: str, mode: Mode = Mode.BLOCK) -> str:
    batch = FieldBatch()
    batch.add(text, mode)
    return batch.render()[0]


def test_math_becomes_mathjax_untouched_by_markdown() -> None:
    rendered = _render("Loss $a_i * b_j * c$ and\n\n$$\\frac{a}{b} \\, x < y$$")
    assert "\\(a_i * b_j * c\\)" in rendered  # no <em> from the stars
    assert "\\[\\frac{a}{b} \\, x &lt; y\\]" in rendered  # \, kept, < escaped for HTML
    assert "$" not in rendered


def test_dollars_inside_code_stay_as_written() -> None:
    rendered = _render("Run `echo $HOME` then\n\n```\nprice = $5 $x$\n```")
    assert "<code>echo $HOME</code>" in rendered
    assert "price = $5 $x$" in rendered
    assert "\\(" not in rendered


def test_a_formula_read_in_indented_code_is_put_back_as_written() -> None:
    rendered = _render("Text\n\n    code $x$ here\n")
    assert "<pre><code>code $x$ here" in rendered


def test_raw_html_is_shown_as_written_but_autolinks_stay_links() -> None:
    rendered = _render("<script>alert(1)</script> <b>bold</b> see <https://anki.net>")
    assert "<script>" not in rendered and "<b>" not in rendered
    assert "&lt;script&gt;" in rendered or "&lt;script>" in rendered
    assert '<a href="https://anki.net">' in rendered


def test_inline_mode_is_one_paragraph_without_its_p() -> None:
    assert _render("1. Backprop $\\delta$", Mode.INLINE) == "1. Backprop \\(\\delta\\)"
    assert _render("# Not a heading", Mode.INLINE) == "# Not a heading"


def test_cloze_markup_survives_with_html_answers() -> None:
    rendered = _render(
        "{{c1::Adam}} keeps {{c2::$m_t$ and $e^{x^{2}}$::its moments}} for `std::move`",
        Mode.CLOZE,
    )
    assert rendered.startswith("<p>{{c1::Adam}} keeps {{c2::")
    deletion = re.search(r"\{\{c2::(.*?)::its moments\}\}", rendered)
    assert deletion is not None
    # Anki ends a deletion at the first "}}": inside MathJax the braces are spaced.
    assert deletion.group(1) == "\\(m_t\\) and \\(e^{x^{2} }\\)"
    assert "<code>std::move</code>" in rendered


def test_a_colon_pair_in_an_answer_does_not_start_a_hint() -> None:
    # Inside braces "::" belongs to the answer in quizapp's markup; Anki would read it
    # as the start of a hint, so it is spaced apart in MathJax.
    rendered = _render("Index {{c1::$x_{a::b}$}} here", Mode.CLOZE)
    assert "{{c1::\\(x_{a: :b}\\)}}" in rendered


def _normalised(html_text: str) -> str:
    """HTML with the differences that do not show taken out: quotes written as entities
    or not, a code block's language class, space between tags."""
    html_text = html_text.replace("&quot;", '"').replace("&#39;", "'").replace("&#x27;", "'")
    html_text = re.sub(r' class="language-[^"]*"', "", html_text)
    return re.sub(r">\s+<", "><", html_text).strip()


def test_batched_renderer_agrees_with_markdown_it_on_the_bundled_deck() -> None:
    """The fast path (one renderer call per batch) against markdown-it on every text
    of the bundled deck; a stand-in for Anki's renderer, which the round-trip tests use."""
    texts = _bundled_texts()[:400]
    calls: list[int] = []

    def one(document: str) -> str:
        calls.append(1)
        return markdown_it_renderer([document])[0]

    fast, slow = FieldBatch(), FieldBatch()
    for text in texts:
        fast.add(text)
        slow.add(text)
    assert fast.render(batched(one, size=64)) == slow.render(markdown_it_renderer)
    assert len(calls) < len(texts) / 10


def test_a_fence_left_open_does_not_swallow_the_next_documents() -> None:
    documents = ["```\nnever closed $x$", "second $y$", "third"]
    batch = FieldBatch()
    for text in documents:
        batch.add(text)
    rendered = batch.render(batched(lambda doc: markdown_it_renderer([doc])[0]))
    assert "never closed $x$" in rendered[0]
    assert rendered[1] == "<p>second \\(y\\)</p>"
    assert rendered[2] == "<p>third</p>"


@pytest.mark.parametrize("document", ["| a | b |\n|---|---|\n| 1 | 2 |", "~~gone~~"])
def test_tables_and_strikethrough_go_to_markdown_it(document: str) -> None:
    seen: list[str] = []

    def one(text: str) -> str:
        seen.append(text)
        return "<p>fast</p>\n"

    rendered = batched(one)([document])
    assert seen == []
    assert "<table>" in rendered[0] or "<s>" in rendered[0]


def test_a_link_reference_definition_is_rendered_alone() -> None:
    calls: list[str] = []

    def one(text: str) -> str:
        calls.append(text)
        return markdown_it_renderer([text])[0]

    documents = ["see [x]\n\n[x]: https://example.org", "[y]", "plain [z]: words", "two"]
    rendered = batched(one)(documents)
    assert calls[-1] == documents[0]  # alone, after the batch of the others
    assert len(calls) == 2
    assert rendered[0] == '<p>see <a href="https://example.org">x</a></p>\n'
    assert rendered[1] == "<p>[y]</p>\n"  # the definition did not reach it


def test_anki_renderer_draws_the_bundled_deck_like_markdown_it(tmp_path: Path) -> None:
    pytest.importorskip("anki")
    from quizapp.interop.anki.export_writer import open_writer

    texts = _bundled_texts()[:200]
    with open_writer() as writer:
        fast, slow = FieldBatch(), FieldBatch()
        for text in texts:
            fast.add(text)
            slow.add(text)
        anki = fast.render(writer.renderer)
    reference = slow.render(markdown_it_renderer)
    differing = [
        (text, a, b)
        for text, a, b in zip(texts, anki, reference, strict=True)
        if _normalised(a) != _normalised(b)
    ]
    assert differing == []


def test_an_answer_renders_as_one_document_with_a_section_per_step() -> None:
    documents: list[str] = []

    def one(document: str) -> str:
        documents.append(document)
        return markdown_it_renderer([document])[0]

    batch = FieldBatch()
    batch.add_steps([("Forward $z$", "First $a_1$."), ("", "Second.")])
    (answer,) = batch.render(batched(one))
    assert len(documents) == 1
    assert re.sub(r">\s+<", "><", answer) == (
        '<section class="qz-step"><h3>Forward \\(z\\)</h3><p>First \\(a_1\\).</p></section>'
        '<section class="qz-step"><p>Second.</p></section>'
    )


def test_a_step_with_a_fence_left_open_is_rendered_step_by_step() -> None:
    batch = FieldBatch()
    batch.add_steps([("A", "```\nopen $x$"), ("B", "b $y$")])
    (answer,) = batch.render(batched(lambda doc: markdown_it_renderer([doc])[0]))
    sections = answer.split("</section>")[:-1]
    assert len(sections) == 2
    assert "<h3>A</h3>" in sections[0] and "open $x$" in sections[0]
    assert "<h3>B</h3>" in sections[1] and "<p>b \\(y\\)</p>" in sections[1]


@pytest.mark.parametrize(
    "markdown",
    [
        "[click](javascript:alert(1))",
        "<javascript:alert(1)>",
        "[click](java&#9;script:alert(1))",
        "![x](data:text/html;base64,PHNjcmlwdD4=)",
    ],
)
def test_no_link_or_image_address_runs_a_script(markdown: str) -> None:
    """Anki's renderer runs without its sanitiser; stand-in: pulldown-cmark keeps such
    addresses, which ``safe_links`` must cut whatever renderer made the HTML."""
    rendered = [
        f'<p><a href="{address}">click</a></p>'
        for address in ("javascript:alert(1)", "java\tscript:x", "&#106;avascript:x")
    ]
    for html_text in rendered:
        assert 'href="#"' in finish(html_text, ())
    batch = FieldBatch()
    batch.add(markdown)
    (html_text,) = batch.render(batched(lambda doc: markdown_it_renderer([doc])[0]))
    assert _addresses(html_text) <= {"#"}


def _addresses(html_text: str) -> set[str]:
    return set(re.findall(r'(?:href|src)="([^"]*)"', html_text))


def test_anki_renderer_leaves_no_script_address(tmp_path: Path) -> None:
    pytest.importorskip("anki")
    from quizapp.interop.anki.export_writer import open_writer

    batch = FieldBatch()
    for markdown in ("[a](javascript:alert(1))", "<vbscript:x>", "[b](JaVa&#9;ScRiPt:x)"):
        batch.add(markdown)
    batch.add("![ok](data:image/png;base64,AAAA) [fine](https://anki.net)")
    with open_writer() as writer:
        *bad, good = batch.render(writer.renderer)
    assert all(_addresses(html_text) == {"#"} for html_text in bad), bad
    assert 'src="data:image/png;base64,AAAA"' in good and 'href="https://anki.net"' in good
