"""Names the kind of mistake a wrong answer looks like.

A wrong answer is compared with *variants* of the reference, in this order, and the first
that matches (same shape, ``np.allclose`` at the spec's tolerance, and itself different
from the reference) gives the diagnosis:

1. the spec's own ``mistakes`` (their ``says`` is the message);
2. the reference transposed, with its sign flipped, doubled, halved;
3. for a gradient: the backward pass with the last activation derivative left out
   (the gradient at the activation's output instead of its input), with σ′ or tanh′
   written from the pre-activation (z(1 − z), 1 − z²), with only the diagonal of a
   softmax Jacobian or its sum over the wrong axis, with an element-wise product where a
   matrix product's VJP belongs, and with a matrix product where an element-wise product
   belongs — each tried at every such node between the variable and the loss, closest to
   the variable first;
4. for a plain computed value: the same three swaps made in the forward computation, in
   the answer's expression and then in the compute steps it depends on, last first.

Variants are generated lazily: most answers are settled by the first few. The search is
bounded by attempts, not by results: every variant *tried* counts against
``MAX_VARIANTS`` and the work budget, including those that turn out not to apply (a
``*`` → ``@`` swap on scalars rebuilds the forward pass just to fail), and the search stops
at a wall-clock deadline (``DIAGNOSIS_DEADLINE``). Past either bound the verdict stands
without a diagnosis.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from itertools import count

import numpy as np

from quizapp.exercises.autodiff import (
    ACTIVATIONS,
    AT_INPUT,
    DIAGONAL,
    ELEMENTWISE,
    MATMUL,
    SKIP_DERIVATIVE,
    WRONG_AXIS,
    Array,
    Tape,
    Var,
)
from quizapp.exercises.deadline import Clock, Deadline
from quizapp.exercises.errors import ExerciseError
from quizapp.exercises.expr import Binary, Call, Expr, Transpose, Unary
from quizapp.exercises.expr import Compare as CompareNode
from quizapp.exercises.instance import (
    ExerciseInstance,
    Graph,
    VariantNotApplicable,
    build_graph,
    evaluate_ask,
)
from quizapp.exercises.limits import DIAGNOSIS_DEADLINE
from quizapp.exercises.spec import Ask, Tolerance

#: Machine-readable names of the variants (``Verdict.variant``).
MISTAKE = "mistake"
TRANSPOSED = "transposed"
SIGN = "sign_flipped"
DOUBLE = "factor_2"
HALF = "factor_half"
ELEMENTWISE_FOR_MATMUL = "elementwise_for_matmul"
MATMUL_FOR_ELEMENTWISE = "matmul_for_elementwise"
BEFORE_ACTIVATION = "before_activation_derivative"
DERIVATIVE_AT_INPUT = "derivative_at_input"
SOFTMAX_DIAGONAL = "softmax_diagonal_only"
SOFTMAX_AXIS = "softmax_wrong_axis"
FLAT_LIST = "flat_list_column"


@dataclass(frozen=True)
class Variant:
    """One plausible wrong answer and the sentence that explains it."""

    key: str
    message: str
    value: Array


def same_shape(a: Array, b: Array) -> bool:
    """Equal shapes, where a scalar and a 1×1 matrix count as equal."""
    return a.shape == b.shape or (a.size == 1 and b.size == 1)


def close(value: Array, reference: Array, tolerance: Tolerance) -> bool:
    """``np.allclose(value, reference)`` at the tolerance, for shapes that are the same.

    The absolute tolerance follows the reference's scale (``Tolerance.atol_at``), so an
    all-zero ``value`` is never close to a reference that is not (nearly) all zero.
    """
    if not same_shape(value, reference):
        return False
    size = np.abs(reference)
    scale = float(size.max(initial=0.0))
    gap = np.abs(np.reshape(value, reference.shape) - reference)
    # np.allclose's rule, written out: it is called for every variant of every answer,
    # and on arrays this small its own overhead is most of the cost
    return bool(np.all(gap <= tolerance.atol_at(scale) + tolerance.rtol * size))


#: At most this many variants are tried for one answer…
MAX_VARIANTS = 64
#: …and at most about this much forward-pass work (a variant costs about one forward pass).
MAX_DIAGNOSIS_FLOPS = 500_000_000

#: Why a search stopped (``Search.stopped``): every variant was tried, the attempt or work
#: budget ran out, or the deadline passed.
EXHAUSTED = "exhausted"
BUDGET = "budget"
DEADLINE = "deadline"
FOUND = "found"


@dataclass(frozen=True)
class Search:
    """The outcome of one diagnosis: the matched variant (or None), how many variants were
    attempted, and why the search stopped (``FOUND``, ``EXHAUSTED``, ``BUDGET``,
    ``DEADLINE``)."""

    variant: Variant | None
    attempts: int
    stopped: str


def diagnose(
    instance: ExerciseInstance,
    ask: Ask,
    value: Array,
    *,
    clock: Clock | None = None,
    deadline: float = DIAGNOSIS_DEADLINE,
) -> Variant | None:
    """The first variant of the reference that ``value`` matches, if any.

    The search is bounded (``MAX_VARIANTS`` attempts, ``MAX_DIAGNOSIS_FLOPS``, and
    ``deadline`` seconds on ``clock``) so that a large exercise cannot make checking one
    answer slow; past a bound there is no diagnosis.
    """
    return search(instance, ask, value, clock=clock, deadline=deadline).variant


def search(
    instance: ExerciseInstance,
    ask: Ask,
    value: Array,
    *,
    clock: Clock | None = None,
    deadline: float = DIAGNOSIS_DEADLINE,
) -> Search:
    """``diagnose``, also saying how many variants it tried and why it stopped."""
    timer = Deadline(deadline, clock)
    reference = instance.references[ask.name]
    tolerance = instance.spec.tolerance
    cost = max(instance.graph.tape.cost, 1)
    allowed = max(8, min(MAX_VARIANTS, MAX_DIAGNOSIS_FLOPS // cost))
    candidates = attempts(instance, ask)
    for tried in count():
        if tried >= allowed:
            return Search(None, tried, BUDGET)
        if timer.expired():
            return Search(None, tried, DEADLINE)
        try:
            variant = next(candidates)
        except StopIteration:
            return Search(None, tried, EXHAUSTED)
        if variant is None or close(variant.value, reference, tolerance):
            continue  # did not apply, or coincides with the right answer: not a mistake
        if close(value, variant.value, tolerance):
            return Search(variant, tried + 1, FOUND)
    raise AssertionError("unreachable")  # pragma: no cover - count() never ends


#: Forward passes with one operation of a compute step swapped, by (step, uid, mode): the
#: graph, or the error that building it raised. The gameability audit passes one per
#: instance to ``attempts`` so that asks depending on the same step share one rebuild.
SwappedGraphs = dict[tuple[str, int, str], "Graph | ExerciseError"]


def attempts(
    instance: ExerciseInstance, ask: Ask, graphs: SwappedGraphs | None = None
) -> Iterator[Variant | None]:
    """One item per variant attempted, in diagnosis order: the variant, or None when it
    does not apply (shapes do not allow it, or its value is not finite).

    ``graphs`` keeps the forward passes rebuilt with a swapped operation for other asks
    of the same instance (each is the same pass whichever ask it is built for).
    """
    earlier = _earlier(instance, ask)
    for mistake in ask.mistakes:
        value = _try(
            partial(
                evaluate_ask, ask, instance.graph, earlier, expression_root=mistake.expression.root
            )
        )
        yield None if value is None else Variant(MISTAKE, mistake.says, value)
    reference = instance.references[ask.name]
    if reference.ndim == 2:
        yield Variant(TRANSPOSED, "Your answer is the transpose of the right one.", reference.T)
    yield Variant(SIGN, "Your answer has the wrong sign.", -reference)
    yield Variant(DOUBLE, _factor_message("twice", ask.twice), 2.0 * reference)
    yield Variant(HALF, _factor_message("half", ask.half), 0.5 * reference)
    if ask.uses_grad:
        yield from _backward_variants(instance, ask, earlier)
    else:
        yield from _forward_variants(instance, ask, earlier, {} if graphs is None else graphs)


def _factor_message(which: str, cause: str | None) -> str:
    """ "Your answer is twice the right value: <the spec's likely cause>", or, when the
    spec names none, only that it is off by a factor of 2: a generic guess (the ½ of a
    squared error) misleads where the cause is a temperature or an average."""
    if cause:
        return f"Your answer is {which} the right value: {cause}"
    return f"Your answer is off by a factor of 2 ({which} the right value)."


def _earlier(instance: ExerciseInstance, ask: Ask) -> dict[str, Array]:
    earlier: dict[str, Array] = {}
    for a in instance.asks:
        if a.name == ask.name:
            break
        earlier[a.name] = instance.references[a.name]
    return earlier


def _try(compute: Callable[[], Array]) -> Array | None:
    """Run a variant computation; None if it does not apply or is not finite."""
    try:
        value = compute()
    except (ExerciseError, VariantNotApplicable):
        return None
    if not isinstance(value, np.ndarray) or not np.all(np.isfinite(value)):
        return None
    return value


def _where(instance: ExerciseInstance, label: str | None) -> str:
    """```z2 = W2 @ a1 + b2``` for a compute step, or the given's name."""
    for d in instance.spec.compute:
        if d.name == label:
            return f"`{d.name} = {d.expression.text}`"
    return f"`{label}`" if label else "the answer"


def _backward_variants(
    instance: ExerciseInstance, ask: Ask, earlier: dict[str, Array]
) -> Iterator[Variant | None]:
    env = instance.graph.env
    nodes: list[Var] = []
    for grad in ask.answer.grads:
        for node in Tape.between(env[grad.of], env[grad.wrt]):
            if node not in nodes:
                nodes.append(node)
    plans: list[tuple[str, Var, str]] = []
    plans += [(SKIP_DERIVATIVE, n, BEFORE_ACTIVATION) for n in nodes if n.kind in ACTIVATIONS]
    plans += [(AT_INPUT, n, DERIVATIVE_AT_INPUT) for n in nodes if n.kind in AT_INPUT_KINDS]
    plans += [(DIAGONAL, n, SOFTMAX_DIAGONAL) for n in nodes if n.kind == "softmax"]
    plans += [(WRONG_AXIS, n, SOFTMAX_AXIS) for n in nodes if n.kind in {"softmax", "log_softmax"}]
    plans += [(ELEMENTWISE, n, ELEMENTWISE_FOR_MATMUL) for n in nodes if n.kind == "matmul"]
    plans += [
        (MATMUL, n, MATMUL_FOR_ELEMENTWISE)
        for n in nodes
        if n.kind == "mul" or n.kind in ACTIVATIONS
    ]
    for mode, node, key in plans:
        value = _try(partial(evaluate_ask, ask, instance.graph, earlier, modes={node.uid: mode}))
        if value is None:
            yield None
            continue
        where = _where(instance, node.label)
        special = _special_message(key, node.kind, where)
        if special is not None:
            message = special
        elif key == BEFORE_ACTIVATION:
            message = (
                f"You stopped before the last activation derivative: this is the gradient at "
                f"the output of {node.kind} in {where}, not at its input (multiply by "
                f"{node.kind}′)."
            )
        elif key == ELEMENTWISE_FOR_MATMUL:
            message = (
                "You used an element-wise product where a matrix product belongs "
                f"(backpropagating through the `@` in {where})."
            )
        elif node.kind == "mul":
            message = (
                "You used a matrix product where an element-wise product belongs "
                f"(backpropagating through the `*` in {where})."
            )
        else:
            message = (
                "You used a matrix product where an element-wise product belongs "
                f"(multiplying by {node.kind}′ in {where})."
            )
        yield Variant(key, message, value)


#: Activations whose derivative is written from their output, so that writing it from
#: the input instead (σ′ as z(1 − z), tanh′ as 1 − z²) is a classic slip.
AT_INPUT_KINDS = frozenset({"sigmoid", "tanh"})


def _special_message(key: str, kind: str, where: str) -> str | None:
    """The sentence for the variants that name one classic slip each."""
    if key == DERIVATIVE_AT_INPUT:
        if kind == "sigmoid":
            return (
                "You wrote σ′ with the pre-activation z, as z(1 − z): it is σ(z)(1 − σ(z)), "
                f"the output times one minus the output (in {where})."
            )
        return (
            "You wrote tanh′ with the pre-activation z, as 1 − z²: it is 1 − tanh²(z), "
            f"from the output (in {where})."
        )
    if key == SOFTMAX_DIAGONAL:
        return (
            "You kept only the diagonal of the softmax Jacobian, s ⊙ (1 − s) ⊙ g: the "
            "off-diagonal terms −sᵢsⱼ matter too, giving s ⊙ (g − Σⱼ sⱼgⱼ) "
            f"(in {where})."
        )
    if key == SOFTMAX_AXIS:
        return (
            "You summed over the wrong axis in the backward pass of the "
            f"{kind.replace('_', '-')}: sum over the axis its distributions run along "
            f"(in {where})."
        )
    return None


def _operations(expr: Expr) -> list[tuple[int, str, str]]:
    """Swappable operations in ``expr``: (uid, mode, description), last evaluated first."""
    found: list[tuple[int, str, str]] = []
    stack: list[Expr] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, Binary):
            if node.op == "@":
                found.append((node.uid, ELEMENTWISE, "@"))
            elif node.op == "*":
                found.append((node.uid, MATMUL, "*"))
            stack += [node.left, node.right]
        elif isinstance(node, Call):
            if node.func in ACTIVATIONS:
                found.append((node.uid, SKIP_DERIVATIVE, node.func))
            stack += list(node.args)
        elif isinstance(node, Unary | Transpose):
            stack.append(node.operand)
        elif isinstance(node, CompareNode):
            stack += [node.left, node.right]
    return sorted(found, reverse=True)


def _forward_message(mode: str, op: str, where: str) -> tuple[str, str]:
    if mode == ELEMENTWISE:
        return ELEMENTWISE_FOR_MATMUL, (
            f"You used an element-wise product where a matrix product belongs (the `@` in {where})."
        )
    if mode == MATMUL:
        return MATMUL_FOR_ELEMENTWISE, (
            f"You used a matrix product where an element-wise product belongs (the `*` in {where})."
        )
    return BEFORE_ACTIVATION, f"You left out the {op} activation in {where}."


def _forward_variants(
    instance: ExerciseInstance, ask: Ask, earlier: dict[str, Array], graphs: SwappedGraphs
) -> Iterator[Variant | None]:
    for uid, mode, op in _operations(ask.answer.root):
        value = _try(partial(evaluate_ask, ask, instance.graph, earlier, swaps={uid: mode}))
        if value is None:
            yield None
        else:
            key, message = _forward_message(mode, op, f"`{ask.answer.text}`")
            yield Variant(key, message, value)
    # the compute steps the answer depends on, last first
    steps = {d.name: d for d in instance.spec.compute}
    needed: list[str] = []
    pending = sorted(ask.answer.names)
    while pending:
        name = pending.pop()
        if name in steps and name not in needed:
            needed.append(name)
            pending += sorted(steps[name].expression.names)
    order = [d.name for d in instance.spec.compute if d.name in needed]
    for step in reversed(order):
        definition = steps[step]
        for uid, mode, op in _operations(definition.expression.root):

            def rebuilt(step: str = step, uid: int = uid, mode: str = mode) -> Array:
                graph = graphs.get((step, uid, mode))
                if graph is None:
                    try:
                        graph = build_graph(instance.spec, instance.seed, swaps={(step, uid): mode})
                    except ExerciseError as exc:
                        graph = exc
                    graphs[(step, uid, mode)] = graph
                if isinstance(graph, ExerciseError):
                    raise graph
                return evaluate_ask(ask, graph, earlier)

            value = _try(rebuilt)
            if value is None:
                yield None
            else:
                key, message = _forward_message(mode, op, _where(instance, step))
                yield Variant(key, message, value)
