"""Formula drills: every display formula ``lhs = rhs`` of a card becomes an exercise.

The learner is shown the left side (with the step's heading and the sentence before the
formula) and types the right side, in LaTeX or in the exercise language; the answer is
checked by numeric equivalence at random points, as scalars and, for matrix notation, as
random conformable matrices. See ``docs/drills.md``.

Modules: ``extraction`` (which formulas become drills, and why the others do not),
``domains`` (where each symbol is drawn from), ``shapes`` (the shapes of matrix symbols),
``equivalence`` (points, evaluation, agreement), ``variants`` (the mistakes a wrong
answer is compared with), ``checking`` (one answer → a verdict), ``symbol_list`` (the
names a learner may type) and ``drawing`` (a drill's LaTeX drawn as text). Like the exercise engine,
NumPy loads only when a drill is checked.
"""
