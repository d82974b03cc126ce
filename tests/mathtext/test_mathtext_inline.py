"""Exact inline renderings, one construct per case (the reference card's formulas first)."""

from __future__ import annotations

import pytest

from quizapp.mathtext import render_inline

REFERENCE_CARD = [
    (r"z^{[1]} = W^{[1]}x + b^{[1]}", "z⁽¹⁾ = W⁽¹⁾x + b⁽¹⁾"),
    (r"a^{[1]} = \sigma(z^{[1]})", "a⁽¹⁾ = σ(z⁽¹⁾)"),
    (r"z^{[2]} = W^{[2]}a^{[1]} + b^{[2]}", "z⁽²⁾ = W⁽²⁾a⁽¹⁾ + b⁽²⁾"),
    (r"\hat{y} = \sigma(z^{[2]})", "ŷ = σ(z⁽²⁾)"),
    (r"L = \frac{1}{2}(\hat{y} - y)^2", "L = ½(ŷ - y)²"),
    (r"\frac{\partial L}{\partial \hat{y}} = \hat{y} - y", "∂L/∂ŷ = ŷ - y"),
    (r"\delta^{[2]} = (\hat{y} - y) \cdot \sigma'(z^{[2]})", "δ⁽²⁾ = (ŷ - y) · σ′(z⁽²⁾)"),
    (
        r"\frac{\partial L}{\partial W^{[2]}} = \delta^{[2]} \cdot (a^{[1]})^T",
        "∂L/∂W⁽²⁾ = δ⁽²⁾ · (a⁽¹⁾)ᵀ",
    ),
    (r"\frac{\partial L}{\partial b^{[2]}} = \delta^{[2]}", "∂L/∂b⁽²⁾ = δ⁽²⁾"),
    (
        r"\delta^{[1]} = (W^{[2]})^T \delta^{[2]} \odot \sigma'(z^{[1]})",
        "δ⁽¹⁾ = (W⁽²⁾)ᵀ δ⁽²⁾ ⊙ σ′(z⁽¹⁾)",
    ),
    (r"\frac{\partial L}{\partial W^{[1]}} = \delta^{[1]} \cdot x^T", "∂L/∂W⁽¹⁾ = δ⁽¹⁾ · xᵀ"),
    (
        r"\delta^{[l]} = (W^{[l+1]})^T \delta^{[l+1]} \odot \sigma'(z^{[l]})",
        "δ⁽ˡ⁾ = (W⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾ ⊙ σ′(z⁽ˡ⁾)",
    ),
    (
        r"\frac{\partial L}{\partial W^{[l]}} = \delta^{[l]} (a^{[l-1]})^T",
        "∂L/∂W⁽ˡ⁾ = δ⁽ˡ⁾ (a⁽ˡ⁻¹⁾)ᵀ",
    ),
]

CONSTRUCTS = [
    # Greek letters; control words swallow the space after them, so βγ is juxtaposition
    (r"\alpha + \beta \gamma \Gamma \Omega", "α + βγΓΩ"),
    (r"\epsilon \ne \varepsilon", "ϵ ≠ ε"),
    # accents, as combining marks (NFC-composed where Unicode has a precomposed letter)
    (r"\tilde{x} \vec{v} \dot{x}", "x̃ v⃗ ẋ"),
    (r"\overline{AB} \hat{xy}", "A̅B̅ x̂ŷ"),
    (r"\mathrm{d}x \neq 0", "dx ≠ 0"),
    # scripts: Unicode only when every character has a form, else ^(…) / _(…)
    (r"x_{i,j}^2", "x_(i,j)²"),
    (r"e^{-x^2/2}", "e^(-x²/2)"),
    (r"x^{2^3}", "x^(2³)"),
    (r"10^{-3}", "10⁻³"),
    (r"2^{n+1} - 1", "2ⁿ⁺¹ - 1"),
    (r"{}^{14}C", "¹⁴C"),
    (r"\|x\|_2^2 = x^\top x", "‖x‖₂² = xᵀx"),
    (r"\nabla_\theta J(\theta)", "∇_θ J(θ)"),
    (r"\sigma_{\text{max}} + x_{\text{train}}", "σₘₐₓ + x_(train)"),
    (r"f''(x) + g'''(x)", "f″(x) + g‴(x)"),
    (r"\theta^* = \arg\max_\theta \log p(x \mid \theta)", "θ* = argmax_θ log p(x ∣ θ)"),
    # fractions: parentheses only where precedence needs them
    (r"\bar{x} = \frac{1}{n} \sum_{i=1}^{n} x_i", "x̄ = (1/n) ∑ᵢ₌₁ⁿ xᵢ"),
    (r"\frac{a + b}{c - d}", "(a + b)/(c - d)"),
    (r"\frac{a}{b} x", "(a/b) x"),
    (r"\frac{1}{\frac{1}{x} + 1}", "1/(1/x + 1)"),
    (
        r"\operatorname{softmax}(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}",
        "softmax(z)ᵢ = e^(zᵢ)/(∑ⱼ e^(zⱼ))",
    ),
    # roots
    (r"\sqrt{x} + \sqrt{x + 1} + \sqrt[3]{8} + \sqrt[n]{x}", "√x + √(x + 1) + ∛8 + ⁿ√x"),
    # math alphabets
    (r"\mathbb{E}_{x \sim p}[f(x)]", "𝔼_(x∼p)[f(x)]"),
    (r"\mathbb{R}^{n \times d}", "ℝ^(n×d)"),
    (r"\mathcal{L} + \mathbf{W} + \boldsymbol{\theta}", "ℒ + 𝐖 + 𝛉"),
    (r"\mathbb{1}[y = k]", "𝟙[y = k]"),
    # operators and relations, spaced to one space each side
    (r"\lVert w \rVert \langle u, v \rangle", "‖w‖⟨u, v⟩"),
    (r"a \leq b \geq c \approx d \in S \to \infty", "a ≤ b ≥ c ≈ d ∈ S → ∞"),
    (r"p \propto q, \quad a \sim b", "p ∝ q,  a ∼ b"),
    (r"x \leftarrow x - \eta \nabla L \Rightarrow \text{update}", "x ← x - η∇L ⇒ update"),
    (r"\pm 1, -1, a \times b \otimes c \circ d", "±1, -1, a × b ⊗ c ∘ d"),
    (r"P(A \cap B) = P(A) P(B \mid A)", "P(A ∩ B) = P(A) P(B ∣ A)"),
    (r"\not\in \not=", "∉≠"),
    # \left/\right, \text, spacing commands, dots
    (r"\left( \frac{a}{b} \right) \left[ x \right]", "(a/b) [x]"),
    (r"\text{if } x > 0 \text{ and } y", "if x > 0 and y"),
    (r"x_1, x_2, \ldots, x_n \quad \cdots \quad \dots", "x₁, x₂, …, xₙ  ⋯  …"),
    (r"a \, b \quad c \qquad d", "a b  c    d"),
    # named operators and big operators
    (r"\max(a, b) + \min_i x_i + \exp(x) + \log x", "max(a, b) + minᵢ xᵢ + exp(x) + log x"),
    (r"\int_0^\infty e^{-x} dx", "∫₀^∞ e⁻ˣ dx"),
    (r"\prod_{k=1}^{K} p_k", "∏ₖ₌₁ᴷ pₖ"),
    (r"\lim_{n \to \infty} a_n", "lim_(n→∞) aₙ"),
    (r"\xi_i = \max\left(0, 1 - y_i f(x_i)\right)", "ξᵢ = max(0, 1 - yᵢ f(xᵢ))"),
    (r"\binom{n}{k}", "C(n, k)"),
    (r"y = -x \bmod 3 \pmod{5}", "y = -x mod 3 (mod 5)"),
    (r"\operatorname*{arg\,max}_x f(x)", "arg maxₓ f(x)"),
    (r"\mathbb{E}_{x \sim p}\left[x\right] \nabla_\theta J", "𝔼_(x∼p)[x] ∇_θ J"),
    (r"|a| - b = \left| c \right|", "|a| - b = |c|"),
    (r"\underbrace{a + b}_{n}", "(a + b)ₙ"),
    (r"\overset{def}{=}", "=ᵈᵉᶠ"),
    # a slash is set tight whatever the typed spacing (a control word eats its space)
    (r"\beta / 2", "β/2"),
    (r"a / 2", "a/2"),
    (r"(a + b) / 2", "(a + b)/2"),
    # environments, on one line
    (r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}", "(a, b; c, d)"),
    (r"\begin{bmatrix} 1 & 0 \\ 0 & 1 \end{bmatrix}", "[1, 0; 0, 1]"),
    (r"|x| = \begin{cases} x & x \ge 0 \\ -x & x < 0 \end{cases}", "|x| = {x, x ≥ 0; -x, x < 0}"),
    (r"\begin{aligned} a &= b \\ c &= d \end{aligned}", "a = b; c = d"),
    # what cannot be rendered is shown as source, in backticks
    (r"\foo{x} + y", r"`\foo{x}` + y"),
    ("% comment", "`% comment`"),
    (r"\frac{a", r"`\frac{a`"),
    ("", ""),
]


@pytest.mark.parametrize(("latex", "expected"), REFERENCE_CARD + CONSTRUCTS)
def test_inline_rendering(latex: str, expected: str) -> None:
    assert render_inline(latex) == expected
