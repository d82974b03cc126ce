"""Hard limits that keep every exercise and every answer cheap to evaluate.

They are the sandbox's second wall (the first is the syntax whitelist): whatever a card
author or a learner types, evaluation allocates at most a few tens of megabytes and does at
most a few tens of millions of floating-point operations. ``docs/exercises.md`` lists them.
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
#: Floating-point operations (roughly) allowed in one evaluation.
MAX_FLOPS = 50_000_000
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
