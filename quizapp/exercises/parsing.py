"""Reads the YAML of an ```` ```exercise ```` block into a checked ``ExerciseSpec``.

The YAML is treated as hostile: it is size-limited, scanned event by event first (no
aliases, so no billion laughs; no tags, so no ``!!python/object``; bounded nesting), and
only then composed into nodes, whose marks give every error its line in the card.
After the structural checks (names, order, cycles), one trial instance is built with a
fixed seed, which reports shape errors, ``grad`` of non-scalars and NaN/inf references
with the line of the step at fault.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from quizapp.exercises.answers import parse_matlab
from quizapp.exercises.errors import ExerciseError
from quizapp.exercises.language import (
    ASK,
    COMPUTE,
    DRAWS,
    GIVEN,
    Expression,
    Num,
    compile_expression,
    function_hint,
)
from quizapp.exercises.limits import (
    MAX_ATOL,
    MAX_DIM,
    MAX_ELEMENTS,
    MAX_ENTRIES,
    MAX_MISTAKES,
    MAX_RTOL,
    MAX_YAML_DEPTH,
    MAX_YAML_LENGTH,
)
from quizapp.exercises.spec import Ask, Definition, ExerciseSpec, Mistake, Tolerance

#: libyaml's safe loader when PyYAML was built with it (several times faster), else Python's.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")
_TOP_KEYS = ("id", "title", "given", "compute", "show", "ask", "tolerance", "tags", "subject")
_ASK_KEYS = ("name", "prompt", "answer", "hint", "step", "mistakes", "twice", "half")
#: Levels of a hint: the idea without the formula, then the step.
MAX_HINT_LEVELS = 2
#: Names a value may not take. Other function names may (``var``, ``norm``): a call and a
#: name are told apart by the syntax.
_RESERVED = set(DRAWS) | {"grad", "T", "np", "numpy"}


def parse_spec(yaml_text: str, *, line: int = 1, source: str = "") -> ExerciseSpec:
    """Parse and check one exercise; ``line`` is the card line of the YAML's first line.

    Raises ``ExerciseError`` whose ``line`` is a card line.
    """
    parser = _SpecParser(line)
    root = parser.load(yaml_text)
    spec = parser.build(root, source)
    from quizapp.exercises.instance import new_instance  # here: instance imports spec

    new_instance(spec, seed=0)  # reports shapes, grad of non-scalars, NaN/inf with lines
    return spec


class _SpecParser:
    def __init__(self, first_line: int) -> None:
        self.first_line = first_line
        self.source = ""
        self.constructor = yaml.constructor.SafeConstructor()

    def line_of(self, node: yaml.Node) -> int:
        return self.first_line + node.start_mark.line

    def fail(self, message: str, node: yaml.Node | None = None, ask: str | None = None) -> None:
        raise ExerciseError(message, line=None if node is None else self.line_of(node), ask=ask)

    # ---- YAML -----------------------------------------------------------------------

    def load(self, text: str) -> yaml.MappingNode:
        if len(text) > MAX_YAML_LENGTH:
            raise ExerciseError(
                f"exercise YAML is {len(text)} characters; the limit is {MAX_YAML_LENGTH}",
                line=self.first_line,
            )
        self.source = text
        if _bracket_depth(text) > 2 * MAX_YAML_DEPTH:
            # refused before PyYAML sees it: its scanner is quadratic in flow nesting
            raise ExerciseError(
                f"exercise YAML is nested more than {MAX_YAML_DEPTH} levels", line=self.first_line
            )
        try:
            depth = 0
            for event in yaml.parse(text, Loader=_LOADER):
                if isinstance(event, yaml.AliasEvent):
                    raise ExerciseError(
                        "YAML aliases (*name) are not allowed in exercises",
                        line=self.event_line(event),
                    )
                tag = getattr(event, "tag", None)
                if tag is not None and tag != "!" and isinstance(event, yaml.NodeEvent):
                    raise ExerciseError(
                        f"YAML tags such as {tag} are not allowed in exercises",
                        line=self.event_line(event),
                    )
                if getattr(event, "anchor", None) is not None:
                    raise ExerciseError(
                        "YAML anchors (&name) are not allowed in exercises",
                        line=self.event_line(event),
                    )
                if isinstance(event, yaml.CollectionStartEvent):
                    depth += 1
                    if depth > MAX_YAML_DEPTH:
                        raise ExerciseError(
                            f"exercise YAML is nested more than {MAX_YAML_DEPTH} levels",
                            line=self.event_line(event),
                        )
                elif isinstance(event, yaml.CollectionEndEvent):
                    depth -= 1
            root = yaml.compose(text, Loader=_LOADER)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = None if mark is None else self.first_line + mark.line
            raise ExerciseError(f"invalid YAML: {exc.problem or exc.context}", line=line) from None
        except yaml.YAMLError as exc:
            raise ExerciseError(f"invalid YAML: {exc}", line=self.first_line) from None
        if not isinstance(root, yaml.MappingNode):
            raise ExerciseError(
                "an exercise must be a YAML mapping (title:, given:, compute:, ask:…)",
                line=self.first_line,
            )
        return root

    def event_line(self, event: yaml.Event) -> int:
        mark = event.start_mark
        return self.first_line + (0 if mark is None else mark.line)

    def mapping(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node, yaml.Node]]:
        """Key/value pairs of a mapping node, keys as written, duplicates refused."""
        if not isinstance(node, yaml.MappingNode):
            self.fail(f"`{what}` must be a mapping", node)
        assert isinstance(node, yaml.MappingNode)
        pairs: list[tuple[str, yaml.Node, yaml.Node]] = []
        seen: set[str] = set()
        for key_node, value_node in self.rejoin(node.value):
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(f"keys in `{what}` must be plain names", key_node)
            key = str(key_node.value)
            if key in seen:
                self.fail(f"`{key}` appears twice in `{what}`", key_node)
            seen.add(key)
            pairs.append((key, key_node, value_node))
        return pairs

    def rejoin(self, items: list[tuple[yaml.Node, yaml.Node]]) -> list[tuple[yaml.Node, yaml.Node]]:
        """Undo YAML's split of ``{answer: grad(L, W2)}`` at the comma inside parentheses.

        In a flow mapping a comma ends the value, so ``grad(L`` becomes the value and
        ``W2)`` a key without a value. When a plain value has unclosed brackets and the
        next key has no value, the two are joined back from the source text.
        """
        merged: list[tuple[yaml.Node, yaml.Node]] = []
        for key_node, value_node in items:
            if merged and _is_bare_key(key_node, value_node):
                prev_key, prev_value = merged[-1]
                if isinstance(prev_value, yaml.ScalarNode) and _unclosed(prev_value.value):
                    start, end = prev_value.start_mark, key_node.end_mark
                    text = self.source[start.index : end.index]
                    joined = yaml.ScalarNode("tag:yaml.org,2002:str", text, start, end)
                    merged[-1] = (prev_key, joined)
                    continue
            merged.append((key_node, value_node))
        return merged

    def scalar(self, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            return None
        try:
            return self.constructor.construct_object(node)
        except (ValueError, OverflowError, yaml.YAMLError):
            raise ExerciseError(
                f"cannot read the value {str(node.value)[:40]!r}", line=self.line_of(node)
            ) from None

    def text(self, node: yaml.Node, what: str, ask: str | None = None) -> str:
        value = self.scalar(node)
        if value is None or isinstance(value, bool | list | dict):
            self.fail(f"`{what}` must be text", node, ask)
        return str(value)

    def number(self, node: yaml.Node, what: str) -> float:
        value = self.scalar(node)
        try:
            if isinstance(value, bool):
                raise ValueError
            number = float(value)
        except (TypeError, ValueError):
            self.fail(f"`{what}` must be a number", node)
            raise AssertionError from None  # unreachable: fail raises
        if not number >= 0 or number == float("inf"):
            self.fail(f"`{what}` must be a non-negative number", node)
        return number

    # ---- the spec -------------------------------------------------------------------

    def build(self, root: yaml.MappingNode, source: str) -> ExerciseSpec:
        fields: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key, key_node, value in self.mapping(root, "exercise"):
            if key not in _TOP_KEYS:
                self.fail(f"unknown key `{key}` (known: {', '.join(_TOP_KEYS)})", key_node)
            fields[key] = (key_node, value)
        for required in ("given", "ask"):
            if required not in fields:
                self.fail(f"an exercise needs `{required}:`", root)

        given = self.definitions(fields["given"][1], "given", GIVEN, {})
        scope = {d.name: d for d in given}
        compute: tuple[Definition, ...] = ()
        if "compute" in fields:
            compute = self.definitions(fields["compute"][1], "compute", COMPUTE, scope)
        defined = {d.name for d in given} | {d.name for d in compute}
        show = self.show(fields["show"][1], defined) if "show" in fields else ()
        asks = self.asks(fields["ask"][1], defined, set(show))
        tags = self.tags(fields["tags"][1]) if "tags" in fields else ()
        subject = self.tags(fields["subject"][1]) if "subject" in fields else ()
        title = self.text(fields["title"][1], "title") if "title" in fields else ""
        if "id" in fields:
            spec_id = self.text(fields["id"][1], "id")
        else:
            spec_id = _slug(Path(source).stem if source else title) or "exercise"
        tolerance = Tolerance()
        if "tolerance" in fields:
            tolerance = self.tolerance(fields["tolerance"][1], spec_id)
        return ExerciseSpec(
            id=spec_id,
            title=title or spec_id,
            given=given,
            compute=compute,
            show=show,
            asks=asks,
            tolerance=tolerance,
            tags=tags,
            source=source,
            line=self.first_line,
            subject=subject,
        )

    def name(self, key: str, key_node: yaml.Node, what: str) -> str:
        if not _IDENTIFIER.fullmatch(key):
            self.fail(
                f"`{key}` is not a valid name in `{what}` "
                "(letters, digits and _, starting with a letter)",
                key_node,
            )
        if key in _RESERVED:
            self.fail(f"`{key}` is a reserved name and cannot name a value", key_node)
        return key

    def definitions(
        self, node: yaml.Node, what: str, context: str, given: dict[str, Definition]
    ) -> tuple[Definition, ...]:
        pairs = self.mapping(node, what)
        if len(pairs) > MAX_ENTRIES:
            self.fail(f"`{what}` has more than {MAX_ENTRIES} entries", node)
        definitions: list[Definition] = []
        for key, key_node, value_node in pairs:
            name = self.name(key, key_node, what)
            if name in given:
                self.fail(f"`{name}` is both given and computed", key_node)
            line = self.line_of(key_node)
            try:
                expression = self.value(value_node, context)
            except ExerciseError as exc:
                raise ExerciseError(f"`{name}`: {exc.message}", line=line) from None
            definitions.append(Definition(name, expression, line))
        self.check_order(definitions, what, set(given))
        return tuple(definitions)

    def value(self, node: yaml.Node, context: str) -> Expression:
        """A given or computed value: a number, a YAML list, MATLAB text or an expression."""
        if isinstance(node, yaml.SequenceNode):
            rows = self.literal_rows(node)
            return Expression(f"{rows}", Num(rows), frozenset(), ())
        value = self.scalar(node)
        if isinstance(value, bool) or value is None:
            raise ExerciseError("expected a number, a matrix or an expression")
        if isinstance(value, int | float):
            return compile_expression(repr(value), context)
        text = str(value)
        matrix = parse_matlab(text)
        if matrix is not None:
            rows = tuple(tuple(float(v) for v in row) for row in matrix.tolist())
            return Expression(text, Num(rows), frozenset(), ())
        return compile_expression(text, context)

    def literal_rows(self, node: yaml.SequenceNode) -> tuple[tuple[float, ...], ...]:
        def number(item: yaml.Node) -> float:
            value = self.scalar(item)
            try:
                if isinstance(value, bool):
                    raise ValueError
                result = float(value)
            except (TypeError, ValueError):
                raise ExerciseError("array literals may only contain numbers") from None
            if result != result or abs(result) == float("inf"):
                raise ExerciseError("array literals may only contain finite numbers")
            return result

        items = node.value
        if not items:
            raise ExerciseError("empty array literal")
        if all(isinstance(i, yaml.SequenceNode) for i in items):
            rows = [tuple(number(v) for v in i.value) for i in items]
        elif any(isinstance(i, yaml.SequenceNode) for i in items):
            raise ExerciseError("array literal mixes numbers and lists")
        else:
            rows = [(number(i),) for i in items]
        width = len(rows[0])
        if width == 0 or any(len(r) != width for r in rows):
            raise ExerciseError("array literal rows have different lengths")
        if len(rows) > MAX_DIM or width > MAX_DIM or len(rows) * width > MAX_ELEMENTS:
            raise ExerciseError("array literal is too large")
        return tuple(rows)

    def check_order(self, definitions: list[Definition], what: str, before: set[str]) -> None:
        """Unknown names, use before definition, and cycles, each with its line."""
        position = {d.name: i for i, d in enumerate(definitions)}
        for index, d in enumerate(definitions):
            for name in sorted(d.expression.names):
                if name in before:
                    continue
                if name not in position:
                    known = sorted(before | set(position))
                    raise ExerciseError(
                        f"`{d.name}` uses unknown variable `{name}` "
                        f"(known: {', '.join(known) or 'none'}){function_hint(name)}",
                        line=d.line,
                    )
                if position[name] >= index:
                    cycle = self.cycle(definitions, d.name)
                    if cycle:
                        raise ExerciseError(f"cyclic computation: {' → '.join(cycle)}", line=d.line)
                    raise ExerciseError(
                        f"`{d.name}` uses `{name}` before it is defined on line "
                        f"{definitions[position[name]].line}; `{what}` runs in order",
                        line=d.line,
                    )

    @staticmethod
    def cycle(definitions: list[Definition], start: str) -> list[str]:
        """A dependency cycle through ``start``, as names, or [] if there is none."""
        uses = {d.name: sorted(d.expression.names) for d in definitions}
        stack: list[tuple[str, list[str]]] = [(start, [start])]
        seen: set[str] = set()
        while stack:
            name, path = stack.pop()
            for used in uses.get(name, []):
                if used == start:
                    return [*path, start]
                if used in uses and used not in seen:
                    seen.add(used)
                    stack.append((used, [*path, used]))
        return []

    def show(self, node: yaml.Node, defined: set[str]) -> tuple[str, ...]:
        if isinstance(node, yaml.ScalarNode):
            names = [n for n in re.split(r"[\s,]+", str(node.value)) if n]
            items: list[tuple[str, yaml.Node]] = [(n, node) for n in names]
        elif isinstance(node, yaml.SequenceNode):
            items = [(str(self.text(i, "show")), i) for i in node.value]
        else:
            self.fail("`show` must be a list of names", node)
            return ()
        for name, item in items:
            if name not in defined:
                self.fail(f"`show` names unknown variable `{name}`", item)
        return tuple(dict.fromkeys(n for n, _ in items))

    def asks(self, node: yaml.Node, defined: set[str], shown: set[str]) -> tuple[Ask, ...]:
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            self.fail("`ask` must be a non-empty list of asks", node)
        assert isinstance(node, yaml.SequenceNode)
        if len(node.value) > MAX_ENTRIES:
            self.fail(f"`ask` has more than {MAX_ENTRIES} entries", node)
        asks: list[Ask] = []
        for item in node.value:
            asks.append(self.ask(item, defined, [a.name for a in asks]))
        return tuple(asks)

    def ask(self, node: yaml.Node, defined: set[str], earlier: list[str]) -> Ask:
        fields: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key, key_node, value in self.mapping(node, "ask"):
            if key not in _ASK_KEYS:
                self.fail(
                    f"unknown key `{key}` in an ask (known: {', '.join(_ASK_KEYS)})", key_node
                )
            fields[key] = (key_node, value)
        if "name" not in fields:
            self.fail("an ask needs a `name`", node)
        name_node = fields["name"][1]
        name = self.name(self.text(name_node, "name"), name_node, "ask")
        if name in defined or name in earlier:
            self.fail(f"ask name `{name}` is already used", name_node, name)
        line = self.line_of(node)
        if "answer" not in fields:
            self.fail("an ask needs an `answer`", node, name)
        answer_node = fields["answer"][1]
        scope = defined | set(earlier)
        answer = self.expression(answer_node, scope, defined, name)
        mistakes: list[Mistake] = []
        if "mistakes" in fields:
            mistakes_node = fields["mistakes"][1]
            if not isinstance(mistakes_node, yaml.SequenceNode):
                self.fail("`mistakes` must be a list of {answer, says}", mistakes_node, name)
            assert isinstance(mistakes_node, yaml.SequenceNode)
            if len(mistakes_node.value) > MAX_MISTAKES:
                self.fail(f"an ask has more than {MAX_MISTAKES} mistakes", mistakes_node, name)
            for item in mistakes_node.value:
                entry = {k: v for k, _, v in self.mapping(item, "mistakes")}
                if set(entry) != {"answer", "says"}:
                    self.fail("each mistake needs exactly `answer` and `says`", item, name)
                mistakes.append(
                    Mistake(
                        self.expression(entry["answer"], scope, defined, name),
                        self.text(entry["says"], "says", name),
                        self.line_of(item),
                    )
                )

        def optional(key: str) -> str | None:
            return self.text(fields[key][1], key, name) if key in fields else None

        hints = self.hints(fields["hint"][1], name) if "hint" in fields else ()

        return Ask(
            name=name,
            prompt=optional("prompt") or name,
            answer=answer,
            hint=hints[0] if hints else None,
            hints=hints,
            step=optional("step"),
            mistakes=tuple(mistakes),
            line=line,
            twice=optional("twice"),
            half=optional("half"),
        )

    def expression(
        self, node: yaml.Node, scope: set[str], defined: set[str], ask: str
    ) -> Expression:
        line = self.line_of(node)
        try:
            if isinstance(node, yaml.SequenceNode):
                rows = self.literal_rows(node)
                return Expression(f"{rows}", Num(rows), frozenset(), ())
            value = self.scalar(node)
            if value is None or isinstance(value, bool):
                raise ExerciseError("expected an expression")
            text = repr(value) if isinstance(value, int | float) else str(value)
            matrix = parse_matlab(text)
            if matrix is not None:
                rows = tuple(tuple(float(v) for v in row) for row in matrix.tolist())
                return Expression(text, Num(rows), frozenset(), ())
            expression = compile_expression(text, ASK)
        except ExerciseError as exc:
            raise ExerciseError(exc.message, line=line, ask=ask) from None
        for name in sorted(expression.names):
            if name not in scope:
                raise ExerciseError(
                    f"unknown variable `{name}` (known: {', '.join(sorted(scope))})"
                    + function_hint(name),
                    line=line,
                    ask=ask,
                )
        for grad in expression.grads:
            for name in (grad.of, grad.wrt):
                if name not in defined:
                    raise ExerciseError(
                        f"grad({grad.of}, {grad.wrt}): `{name}` must be a given or computed "
                        "variable",
                        line=line,
                        ask=ask,
                    )
        return expression

    def hints(self, node: yaml.Node, ask: str) -> tuple[str, ...]:
        """``hint: text`` (one level) or ``hint: [idea, step]`` (two levels: the idea
        without the formula, then the step)."""
        if isinstance(node, yaml.SequenceNode):
            if not 1 <= len(node.value) <= MAX_HINT_LEVELS:
                self.fail(f"`hint` has {MAX_HINT_LEVELS} levels at most: [idea, step]", node, ask)
            return tuple(self.text(item, "hint", ask) for item in node.value)
        return (self.text(node, "hint", ask),)

    def tolerance(self, node: yaml.Node, spec_id: str) -> Tolerance:
        """``{rtol, atol}``, each non-negative and at most ``MAX_RTOL`` / ``MAX_ATOL``: a
        looser tolerance marks nonsense correct (and suggests Easy for it)."""
        values: dict[str, float] = {}
        limits = {"rtol": MAX_RTOL, "atol": MAX_ATOL}
        for key, key_node, value in self.mapping(node, "tolerance"):
            if key not in limits:
                self.fail(f"unknown key `{key}` in `tolerance` (known: rtol, atol)", key_node)
            number = self.number(value, f"tolerance.{key}")
            if number > limits[key]:
                self.fail(
                    f"exercise `{spec_id}`: tolerance.{key} is {number:g}; the limit is "
                    f"{limits[key]:g}",
                    value,
                )
            values[key] = number
        return Tolerance(**values)

    def tags(self, node: yaml.Node) -> tuple[str, ...]:
        if isinstance(node, yaml.ScalarNode):
            return tuple(t.strip() for t in str(node.value).split(",") if t.strip())
        if not isinstance(node, yaml.SequenceNode):
            self.fail("`tags` must be a list", node)
        assert isinstance(node, yaml.SequenceNode)
        return tuple(self.text(t, "tags") for t in node.value)


def _bracket_depth(text: str) -> int:
    """The deepest nesting of ``[`` and ``{`` in the raw text (quotes not considered)."""
    depth = deepest = 0
    for ch in text:
        if ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth = max(0, depth - 1)
    return deepest


def _is_bare_key(key: yaml.Node, value: yaml.Node) -> bool:
    return (
        isinstance(key, yaml.ScalarNode)
        and not key.style
        and isinstance(value, yaml.ScalarNode)
        and value.value == ""
        and value.tag == "tag:yaml.org,2002:null"
    )


def _unclosed(text: str) -> bool:
    return text.count("(") > text.count(")") or text.count("[") > text.count("]")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:64]
