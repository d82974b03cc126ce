"""Which formulas of a card become drills, and why each of the others does not.

A drill is a display formula (``$$…$$``) with one top-level ``=``, or one line of an
``aligned``/``align`` block with ``=`` or ``&=``, whose left side is a named quantity
(a symbol, a derivative, a function of symbols such as ``L(\\theta)``) and whose right side
the LaTeX front translates. The learner sees the left side with the step's heading and the
sentence before the formula. A formula whose LaTeX holds ``% no-drill`` is skipped, and a
``% domain: …`` comment sets symbol domains (``domains.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from quizapp.cards.formulas import MATH_MARKDOWN, math_tokens
from quizapp.cards.model import Card

#: Marks a formula its author does not want drilled.
NO_DRILL = re.compile(r"%\s*no-drill\b")
#: Display math: a block, or ``$$…$$`` written inside a paragraph.
_DISPLAY_TYPES = frozenset({"math_block", "math_block_label", "math_inline_double"})
#: Relations that make a formula something other than a definition.
_RELATIONS = re.compile(
    r"\\(neq|ne|leq|geq|le|ge|equiv|propto|sim|coloneqq|triangleq|Leftrightarrow|"
    r"Rightarrow|iff|implies|to)(?![A-Za-z])|(?<!\\)[<>]"
)
_ALIGNED = re.compile(
    r"\\begin\{(aligned|align\*?|split|gathered|eqnarray\*?)\}(.*?)\\end\{\1\}", re.DOTALL
)


@dataclass(frozen=True)
class FormulaSite:
    """One candidate formula: where it is and what surrounds it."""

    number: int
    latex: str
    heading: str
    sentence: str
    line: int
    comments: tuple[str, ...] = ()


@dataclass(frozen=True)
class Candidate:
    """A formula split at its ``=``: the shown left side and the right side to type.

    A chain ``lhs = A = B`` has every side in ``rhs_forms``, first to last; the first one
    that translates is the reference (they are equal, so any is a right answer).
    """

    site: FormulaSite
    lhs: str
    rhs_forms: tuple[str, ...]
    whole: str = ""
    """The whole equation as written (every side of a chain, numbers too), to reveal."""

    @property
    def rhs(self) -> str:
        """The first right side."""
        return self.rhs_forms[0]


@dataclass(frozen=True)
class Skipped:
    """A display formula that is not a drill, and the reason in one line."""

    site: FormulaSite
    reason: str


@dataclass
class Extraction:
    """A card's candidates and the formulas skipped before translation."""

    candidates: list[Candidate] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def display_formulas(card: Card) -> Iterator[FormulaSite]:
    """Every display formula of the card's answer steps, in order, with its context."""
    number = 0
    for step in card.steps:
        tokens = MATH_MARKDOWN.parse(step.text)
        lines = step.text.split("\n")
        for token in math_tokens(tokens):
            if token.type not in _DISPLAY_TYPES:
                continue
            number += 1
            row = _token_line(token, step.text)
            yield FormulaSite(
                number=number,
                latex=token.content,
                heading=step.title,
                sentence=_sentence_before(lines, row, token.content),
                line=step.line + row if step.line else 0,
                comments=tuple(re.findall(r"%[^\n]*", token.content)),
            )


def _token_line(token: object, text: str) -> int:
    mapping = getattr(token, "map", None)
    if mapping:
        return int(mapping[0])
    content = getattr(token, "content", "")
    index = text.find(content) if content else -1
    return text.count("\n", 0, index) if index >= 0 else 0


def _sentence_before(lines: list[str], row: int, content: str) -> str:
    """The last sentence of prose above the formula (headings and formulas skipped)."""
    for line in reversed(lines[:row]):
        stripped = line.strip()
        if not stripped or stripped.startswith(("$$", "#", "```", "|")) or "$$" in stripped:
            continue
        stripped = stripped.lstrip("-*> ").strip()
        parts = re.split(r"(?<=[.!?])\s+", stripped)
        return parts[-1] if parts[-1] else stripped
    return ""


def extract(card: Card) -> Extraction:
    """Split the card's display formulas into candidates and skipped formulas.

    A formula that states several equations side by side (``a = b, \\qquad c = d``, or
    ``… \\Rightarrow …``) gives one candidate per equation.
    """
    result = Extraction()
    for site in display_formulas(card):
        if NO_DRILL.search(site.latex):
            result.skipped.append(Skipped(site, "marked % no-drill"))
            continue
        body = re.sub(r"(?<!\\)%[^\n]*", "", site.latex).strip()
        aligned = _ALIGNED.search(body)
        rows = [body]
        if aligned:
            rows = [r for r in re.split(r"\\\\", aligned.group(2)) if r.strip()]
        previous_lhs = ""
        reasons: list[str] = []
        found = False
        for row in rows:
            for piece in _pieces(row.replace("&", " ") if aligned else row):
                split = _split(piece, previous_lhs)
                if isinstance(split, str):
                    reasons.append(split)
                    continue
                previous_lhs = split[0]
                result.candidates.append(Candidate(site, split[0], split[1], split[2]))
                found = True
        if not found:
            reason = reasons[0] if reasons else "not an equation `lhs = rhs`"
            if aligned:
                reason = f"no line of the aligned block is a drill ({reason})"
            result.skipped.append(Skipped(site, reason))
    return result


#: Where a formula holds several statements side by side.
_SEPARATORS = re.compile(
    r"\\(?:qquad|quad|Rightarrow|Longrightarrow|implies|iff|Leftrightarrow)(?![A-Za-z])"
    r"|\\text\{\s*(?:and|or|where|with|for|so|i\.e\.,?)\s*\}"
)


def _pieces(row: str) -> list[str]:
    """The statements of one row, split at top-level ``\\quad``, ``\\Rightarrow`` and
    ``\\text{and}``."""
    pieces: list[str] = []
    depth = 0
    start = 0
    i = 0
    while i < len(row):
        ch = row[i]
        if ch == "\\":
            match = _SEPARATORS.match(row, i) if depth == 0 else None
            if match:
                pieces.append(row[start:i])
                start = i = match.end()
                continue
            i += 2
            continue
        if ch in "{":
            depth += 1
        elif ch in "}":
            depth -= 1
        i += 1
    pieces.append(row[start:])
    cleaned = [re.sub(r"(\\[,;:! ]|\s|[,.;])+$", "", p).strip() for p in pieces]
    return [p for p in cleaned if p]


def _split(formula: str, previous_lhs: str) -> tuple[str, tuple[str, ...], str] | str:
    """``(lhs, right sides, whole equation)`` of ``lhs = rhs`` (or of a chain, or an update
    ``lhs \\leftarrow rhs``), else why it is not a drill."""
    text = formula.strip().rstrip(".,;").strip()
    text = re.sub(r"\\(leftarrow|gets|approx)(?![A-Za-z])", "=", text)
    text = re.sub(r"\\(label|tag)\{[^}]*\}", "", text).strip()
    relation = _top_level_relation(text)
    if relation is not None:
        text = text[:relation].strip()
        if "=" not in text:
            return "not an equation (it states a relation other than =)"
    parts = [p.strip() for p in _top_level_equals(text)]
    if len(parts) == 1:
        return "not an equation `lhs = rhs`"
    lhs, sides = parts[0], [p for p in parts[1:]]
    if not lhs and previous_lhs:
        lhs = previous_lhs
    if not lhs or not all(sides):
        return "one side of the = is empty"
    whole = " = ".join([lhs, *sides])
    sides = [side for side in sides if not re.fullmatch(r"[-+\d.\s]+", side)]
    if not sides:
        return "the right side is a number"
    if not _named(lhs):
        return "the left side is not a named quantity"
    return lhs, tuple(sides), whole


def _named(lhs: str) -> bool:
    """A symbol, a derivative, or a function of symbols: no sum or difference on top."""
    depth = 0
    for i, ch in enumerate(lhs):
        if ch in "{([":
            depth += 1
        elif ch in "})]":
            depth -= 1
        elif ch in "+-" and depth == 0 and i > 0 and lhs[i - 1] not in "^_":
            return False
    return not re.fullmatch(r"[\d.\s]+", lhs)


def _top_level_relation(text: str) -> int | None:
    """Where the first relation other than ``=`` outside braces and brackets starts."""
    for match in _RELATIONS.finditer(text):
        prefix = text[: match.start()]
        if prefix.count("\\begin{") > prefix.count("\\end{"):
            continue  # inside an environment (a condition of `cases`)
        depth = sum(prefix.count(c) for c in "{([") - sum(prefix.count(c) for c in "})]")
        if depth <= 0:
            return match.start()
    return None


def _top_level_equals(text: str) -> list[str]:
    """``text`` split at ``=`` outside braces and brackets."""
    parts: list[str] = []
    depth = 0
    start = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch in "{([":
            depth += 1
        elif ch in "})]":
            depth -= 1
        elif ch == "=" and depth == 0:
            parts.append(text[start:i])
            start = i + 1
        i += 1
    parts.append(text[start:])
    return parts
