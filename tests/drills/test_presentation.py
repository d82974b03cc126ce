"""What a learner is shown and may answer: the symbols line (names to type, drawn forms
beside them only where they differ, a sum's terms as one indexed entry), the drill drawn
as math, chains ``lhs = A = B`` (any side is a right answer, and the verdict says which),
and formulas about moments whose sides are equal only under distributional assumptions,
which are not drills (with the reason)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from quizapp.cli import cli
from quizapp.drills.checking import check_drill_answer
from quizapp.drills.drawing import formula_lines, prompt_line, prose
from quizapp.drills.drill import card_drills

from .conftest import card_from, formula_drill

CHAIN_CARD = """\
# Output Error

## Question
What is the output error?

## Answer

### Output

By the chain rule through $\\hat{y} = \\sigma(z)$:

$$\\delta = (\\hat{y} - y)\\, \\sigma'(z) = (\\hat{y} - y)\\, \\hat{y}(1 - \\hat{y})$$
"""

MOMENT_CARD = """\
# Dot Product Variance

## Question
Why scale attention logits?

## Answer

### Variance

With independent unit-variance components:

$$\\operatorname{Var}(q^T k) = \\sum_{i=1}^{d_k} \\operatorname{Var}(q_i k_i) = \
\\sum_{i=1}^{d_k} \\mathbb{E}[q_i^2]\\, \\mathbb{E}[k_i^2] = d_k$$

### Moments

The variance is a difference of moments:

$$\\operatorname{Var}(x) = \\mathbb{E}[x^2] - \\mathbb{E}[x]^2$$
"""


def test_an_accented_symbol_keeps_its_argument() -> None:
    drill = formula_drill("L", r"-y \log \hat{y} - (1 - y) \log(1 - \hat{y})")
    assert drill.symbols["yhat"] == r"\hat{y}"
    assert drill.symbols_line() == "y, yhat = ŷ"


def test_identity_names_are_shown_alone_and_scripted_ones_drawn() -> None:
    drill = formula_drill("z^{(1)}", r"W^{(1)} x + b^{(1)} + d_k")
    assert drill.symbols_line() == "W1 = W⁽¹⁾, x, b1 = b⁽¹⁾, d_k"


def test_a_conditional_quantity_is_drawn_whole() -> None:
    drill = formula_drill(
        "r", r"\beta \log \frac{\pi_\theta(y \mid x)}{\pi_{\text{ref}}(y \mid x)}"
    )
    assert drill.symbols["pi_ref_of_y_x"] == r"\pi_{\text{ref}}(y \mid x)"
    assert drill.symbols_line() == (
        "beta = β, pi_theta_of_y_x = π_θ(y ∣ x), pi_ref_of_y_x = π_(ref)(y ∣ x)"
    )


def test_a_sums_terms_are_one_indexed_entry() -> None:
    drill = formula_drill("s", r"\sum_{i=1}^{d_k} q_i k_i")
    assert drill.symbols_line() == "q_i, k_i (indexed, i = 1…d_k)"
    bounded = formula_drill("s", r"\sum_{j=1}^{3} \hat{y}_j w_j + c")
    assert bounded.symbols_line() == "yhat_j = ŷⱼ, w_j (indexed, j = 1…3), c"
    kronecker = formula_drill(
        "g_k", r"\sum_i \left(-\frac{y_i}{p_i}\right) p_i (\delta_{ik} - p_k)"
    )
    assert kronecker.symbols_line() == "y_i, p_i, delta_ik = δᵢₖ (indexed, i = 1…3), p_k"
    shifted = formula_drill("g", r"\sum_{t=1}^{2} \delta_t h_{t-1}^T")
    assert shifted.symbols_line() == "delta_t = δₜ, h_{t-1} = hₜ₋₁ (indexed, t = 1…2)"
    double = formula_drill("y", r"\sum_i \sum_j W_{ij} x_j")
    assert double.symbols_line() == "W_ij (indexed, i, j = 1…3), x_j (indexed, j = 1…3)"


def test_prompts_and_context_are_drawn_as_math() -> None:
    assert prompt_line(r"\frac{\partial L}{\partial \hat{y}}") == "∂L/∂ŷ = ?"
    assert prose(r"By the chain rule through $\hat{y} = \sigma(z^{(2)})$:") == (
        "By the chain rule through ŷ = σ(z⁽²⁾):"
    )
    assert formula_lines(r"E = \frac{1}{2} e^2", 40) == ["    1", "E = ─ e²", "    2"]
    # Too wide for display: one inline line instead.
    assert formula_lines(r"E = \frac{1}{2} e^2", 6) == ["E = ½ e²"]


def test_any_side_of_a_chain_is_right_and_the_verdict_names_it() -> None:
    [drill] = card_drills(card_from(CHAIN_CARD)).drills
    assert drill.revealed == (
        r"\delta = (\hat{y} - y)\, \sigma'(z) = (\hat{y} - y)\, \hat{y}(1 - \hat{y})"
    )
    first = check_drill_answer(drill, r"(\hat y - y) \sigma(z)(1 - \sigma(z))")
    assert first.correct and "equals the side (ŷ - y) σ′(z)" in first.message
    last = check_drill_answer(drill, "(yhat - y) * yhat * (1 - yhat)")
    assert last.correct and "equals the side (ŷ - y) ŷ(1 - ŷ)" in last.message
    wrong = check_drill_answer(drill, "(y - yhat) * yhat * (1 - yhat)")
    assert wrong.verdict == "incorrect"
    assert wrong.diagnosis == "The sign is flipped."
    unknown = check_drill_answer(drill, "q")
    assert unknown.verdict == "invalid" and "`q` is not a symbol" in unknown.message


def test_moments_equal_only_under_assumptions_are_not_drills() -> None:
    found = card_drills(card_from(MOMENT_CARD))
    [skipped] = found.skipped
    assert skipped.site.number == 1
    assert skipped.reason.startswith(
        "it states moments (Var, E) of random variables, equal only under assumptions"
    )
    # An identity between moments holds at every draw, so it is a drill.
    [drill] = found.drills
    assert drill.formula == 2
    assert check_drill_answer(drill, r"\mathbb{E}[x^2] - \mathbb{E}[x]^2").correct
    assert not check_drill_answer(drill, r"\mathbb{E}[x^2] + \mathbb{E}[x]^2").correct


def test_check_verbose_says_why_a_moment_is_not_drilled(tmp_path: Path) -> None:
    (tmp_path / "variance.md").write_text(MOMENT_CARD, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--verbose", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Drills: 1 of 2 formulas can be drilled" in result.output
    assert 'card "variance": formula 1: it states moments (Var, E)' in result.output
