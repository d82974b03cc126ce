"""The part of a card's derivation step that a hint may show for one ask.

An exercise's ask links its hint to a step of the card (``step: "Gradients of V and
A"``), but one step often derives several asks at once: showing it whole while the
learner works on ∂L/∂V would give away ∂L/∂A, asked next. So the step is cut into
pieces (paragraphs, sentences, the equations of a display formula separated by
``\\qquad``, the lines of a code block) and every piece that names a later ask is left
out. Earlier asks are settled, so pieces naming them stay.

Both front ends use this: the TUI's hint panel and ``quizapp exercise``'s ``?``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from quizapp.cards.model import Card, Step

_FORMULA = re.compile(r"\$\$(.+?)\$\$|\$([^$\n]+)\$", flags=re.DOTALL)
_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+(?=\S)")
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class AskLabel:
    """How an ask shows up in a card's text: its name (``dW2``, matched as a word in
    code) and the symbol its prompt starts with (``∂L/∂W⁽²⁾``, matched in formulas as
    the terminal draws them)."""

    name: str
    symbol: str

    @classmethod
    def of(cls, name: str, prompt: str) -> AskLabel:
        """The label of an ask named ``name`` asked as ``prompt``."""
        return cls(name, prompt_symbol(prompt))


def prompt_symbol(prompt: str) -> str:
    """The quantity a prompt asks for, without its shape: "∂L/∂V (3×2)" is "∂L/∂V"."""
    return prompt.split("=")[0].split("(")[0].strip()


def _drawn(text: str) -> str:
    """``text`` with each formula drawn on one line, spaces removed, for matching."""
    from quizapp.mathtext import render_block

    def one_line(match: re.Match[str]) -> str:
        source = match.group(1) or match.group(2) or ""
        try:
            lines = render_block(source).lines
        except Exception:  # a formula that does not draw is matched as written
            return source
        return " ".join(lines[:1]) if lines else source

    return _FORMULA.sub(one_line, text).replace(" ", "")


def _names_any(text: str, labels: Sequence[AskLabel], code: bool = False) -> bool:
    """True when ``text`` names one of ``labels`` (in code, by name only)."""
    if not labels:
        return False
    drawn = text.replace(" ", "") if code else _drawn(text)
    for label in labels:
        if len(label.name) >= 2 and re.search(rf"(?<!\w){re.escape(label.name)}(?!\w)", text):
            return True
        if not code and len(label.symbol) >= 2 and label.symbol.replace(" ", "") in drawn:
            return True
    return False


def _top_level_parts(formula: str) -> list[str]:
    """A display formula's equations: split at ``\\qquad`` outside braces."""
    parts: list[str] = []
    depth = 0
    start = 0
    index = 0
    while index < len(formula):
        char = formula[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0 and formula.startswith(r"\qquad", index):
            parts.append(formula[start:index])
            index += len(r"\qquad")
            start = index
            continue
        index += 1
    parts.append(formula[start:])
    cleaned = [part.strip().rstrip(",").strip() for part in parts]
    return [part for part in cleaned if part]


def _blocks(text: str) -> list[tuple[str, str]]:
    """The step's Markdown as (kind, source) blocks: "code" fences (whole, fence lines
    included) and "para" paragraphs."""
    blocks: list[tuple[str, str]] = []
    lines = text.splitlines()
    index = 0
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(("para", "\n".join(paragraph)))
            paragraph.clear()

    while index < len(lines):
        line = lines[index]
        fence = _FENCE.match(line)
        if fence:
            flush()
            marker = fence.group(1)
            code = [line]
            index += 1
            while index < len(lines):
                code.append(lines[index])
                index += 1
                if lines[index - 1].strip().startswith(marker):
                    break
            blocks.append(("code", "\n".join(code)))
            continue
        if line.strip():
            paragraph.append(line)
        else:
            flush()
        index += 1
    flush()
    return blocks


def _display_formula(paragraph: str) -> str | None:
    """The LaTeX of a paragraph that is one ``$$…$$`` formula, else None."""
    stripped = paragraph.strip()
    if stripped.startswith("$$") and stripped.endswith("$$") and stripped.count("$$") == 2:
        return stripped[2:-2]
    return None


def excerpt(text: str, later: Sequence[AskLabel]) -> str:
    """The Markdown of ``text`` without the pieces that name an ask in ``later``."""
    kept: list[str] = []
    for kind, source in _blocks(text):
        if not _names_any(source, later, code=kind == "code"):
            kept.append(source)
            continue
        if kind == "code":
            lines = source.splitlines()
            body = [line for line in lines[1:-1] if not _names_any(line, later, code=True)]
            if body:
                kept.append("\n".join([lines[0], *body, lines[-1]]))
            continue
        formula = _display_formula(source)
        if formula is not None:
            parts = [p for p in _top_level_parts(formula) if not _names_any(f"${p}$", later)]
            if parts:
                kept.append("$$" + r" \qquad ".join(parts) + "$$")
            continue
        sentences = [s for s in _SENTENCE_END.split(source) if not _names_any(s, later)]
        if sentences:
            kept.append(" ".join(sentences))
    return "\n\n".join(kept)


def linked_step(card: Card, name: str | None, prompt: str) -> Step | None:
    """The card step an ask's hint links to: the one whose title contains ``name`` (the
    spec's ``step``), else the first whose formulas, drawn on one line, mention the asked
    quantity (e.g. "∂L/∂W⁽²⁾")."""
    if name:
        wanted = name.casefold()
        for step in card.steps:
            if wanted in step.title.casefold():
                return step
    symbol = prompt_symbol(prompt).replace(" ", "")
    if not symbol:
        return None
    for step in card.steps:
        formulas = "".join(m.group(0) for m in _FORMULA.finditer(step.text))
        if symbol in _drawn(formulas):
            return step
    return None


@dataclass(frozen=True)
class HintStep:
    """The title of the linked step and the part of its text the hint may show."""

    title: str
    text: str


def hint_step(
    card: Card, step: str | None, prompt: str, later: Sequence[AskLabel]
) -> HintStep | None:
    """The linked step of an ask (``linked_step``), cut down to what does not name a
    ``later`` ask; None when there is no such step or nothing of it is left."""
    found = linked_step(card, step, prompt)
    if found is None:
        return None
    text = excerpt(found.text, later)
    if not text.strip():
        return None
    return HintStep(found.title, text)
