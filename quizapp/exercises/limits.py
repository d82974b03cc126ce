"""Hard limits that keep every exercise and every answer cheap to evaluate.

They are the sandbox's second wall (the first is the syntax whitelist): whatever a card
author or a learner types, evaluation allocates at most a few tens of megabytes and does at
most a few tens of milliseconds of work. Work is counted in *flop-equivalents*: one unit is
roughly one nanosecond, the cost of adding two float64s in a large array. Counted work is
an estimate, so the repeated searches (verification, diagnosis) also stop at a wall-clock
deadline. ``docs/exercises.md`` lists every limit.
"""

from __future__ import annotations

#: Characters in one expression (spec entry or typed answer).
MAX_EXPRESSION_LENGTH = 1000
#: Depth of the syntax tree of one expression (``((x))`` counts once; ``-(-x)`` twice).
MAX_DEPTH = 64
#: Largest size of one array dimension.
MAX_DIM = 1024
#: Largest number of elements in one array.
MAX_ELEMENTS = 65_536
#: Elements allocated by one evaluation in total (the tape keeps every intermediate).
MAX_TOTAL_ELEMENTS = 2_000_000
#: Flop-equivalents allowed in one evaluation (a forward pass, or one answer): ≈ 50 ms.
MAX_FLOPS = 50_000_000
#: Flop-equivalents of the Python overhead of creating one node (≈ 10 µs), charged to
#: the evaluation like any other work, so ten thousand tiny operations cost what they take.
NODE_COST = 10_000
#: Flop-equivalents per result element of the operations that cost more than an add.
#: Measured with NumPy on 256×256 float64 arrays relative to ``a + b`` (sigmoid about 30×,
#: softmax 13×, tanh 11×, where/maximum 7×, relu 6×; exp and log 1.2× with a vectorised
#: libm, up to 10× without one), then rounded up for slower machines: a 65,536-element
#: sigmoid is charged about 4·10⁶, the 4 ms it takes on a slow laptop.
#: The functions added later (issue 16) were measured the same way, in nanoseconds per
#: element on a loaded 2-core machine (sigmoid 18 there), and charged about 3.5 times that:
#: erf 144 (``math.erf`` per element: NumPy has none), softplus 47, sin and cos 20–36
#: (each also computes the other, for the derivative), sort 37 along 256 entries (charged
#: by ``Tape.sort`` per comparison level instead), clip 6, log1p 5, minimum 4, cumsum 3.
#: ``solve``, ``inv`` and their condition-number check are charged per n³ in ``Tape``.
ELEMENT_COSTS: dict[str, int] = {
    "erf": 512,
    "softplus": 160,
    "sin": 96,
    "cos": 96,
    "sigmoid": 64,
    "softmax": 32,
    "log_softmax": 32,
    "pow": 24,
    "tanh": 24,
    "clip": 24,
    "log1p": 16,
    "exp": 8,
    "log": 8,
    "relu": 8,
    "maximum": 8,
    "minimum": 8,
    "where": 8,
    "cumsum": 8,
    "sqrt": 4,
}
#: Largest absolute value of an exponent in ``**``.
MAX_EXPONENT = 1000.0
#: Size of the YAML text of one exercise, in characters.
MAX_YAML_LENGTH = 65_536
#: Nesting depth of the YAML of one exercise.
MAX_YAML_DEPTH = 8
#: Entries in ``given`` and in ``compute`` (each), and asks per exercise.
MAX_ENTRIES = 100
#: Spec mistakes per ask.
MAX_MISTAKES = 20

#: Wall-clock seconds ``verify_spec`` may spend on one exercise (at ``check`` and import).
VERIFY_DEADLINE = 1.0
#: Wall-clock seconds the diagnosis of one wrong answer may spend; past it, the verdict
#: stands without a diagnosis.
DIAGNOSIS_DEADLINE = 0.5

#: Largest ``tolerance.rtol`` a spec may set: with more, a doubled or halved answer
#: would come close to passing.
MAX_RTOL = 0.1
#: Largest ``tolerance.atol`` a spec may set.
MAX_ATOL = 0.01
#: Whatever ``atol`` says, an ask's effective atol is at most this fraction of its
#: *scale*, the largest absolute entry of its reference. With ``rtol`` ≤ ``MAX_RTOL`` an
#: all-zero answer to a non-zero ask is then never within tolerance (the largest entry
#: would need ``s ≤ (ATOL_SCALE + rtol)·s``), nor is half the reference. 0.1 rather than
#: less so that answers rounded to four decimals still pass down to a scale of 5·10⁻⁴.
ATOL_SCALE = 0.1
#: A reference whose largest absolute entry is below this counts as zero (float
#: round-off of a quantity that is mathematically 0), so typing 0 for it is right.
ZERO_SCALE = 1e-12
