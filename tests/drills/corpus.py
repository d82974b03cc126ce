"""The drill corpora: card formulas with rewrites a learner could write (all right), and
with wrong answers (all refused, most with the mistake named)."""

from __future__ import annotations

SIGMOID_DERIVATIVE = r"\frac{e^{-z}}{(1+e^{-z})^2}"
SOFTMAX_CE_GRADIENT = r"\operatorname{softmax}(z) - y"
ADAM = r"\theta - \alpha \frac{\hat{m}}{\sqrt{\hat{v}} + \epsilon}"
LOG_SUM_EXP = r"\log \sum_{j=1}^{n} e^{z_j}"
VARIANCE = r"\mathbb{E}\left[(x - \mathbb{E}[x])^2\right]"
BCE = r"-\left[y \log p + (1 - y) \log(1 - p)\right]"
BIAS_VARIANCE = r"b^2 + v + \sigma^2"
KL = r"\sum_{i=1}^{n} p_i \log \frac{p_i}{q_i}"
BACKPROP_DW = r"\delta (a)^T"
BACKPROP_DELTA = r"(W)^T \delta \odot \sigma'(z)"
LINEAR = r"W x + b"
MSE = r"\frac{1}{n}\sum_{i=1}^{n} (y_i - \hat{y}_i)^2"

#: (card formula's right side, a rewrite that is right).
EQUIVALENT: list[tuple[str, str]] = [
    # the sigmoid derivative in three forms (and more)
    (SIGMOID_DERIVATIVE, r"\sigma(z)(1 - \sigma(z))"),
    (SIGMOID_DERIVATIVE, r"\sigma'(z)"),
    (SIGMOID_DERIVATIVE, r"\frac{1}{1+e^{-z}} \cdot \frac{e^{-z}}{1+e^{-z}}"),
    (SIGMOID_DERIVATIVE, r"\frac{e^{z}}{(1+e^{z})^2}"),
    (SIGMOID_DERIVATIVE, "sigmoid(z) * (1 - sigmoid(z))"),
    (SIGMOID_DERIVATIVE, "sigmoid(z) * sigmoid(-z)"),
    (SIGMOID_DERIVATIVE, "\u03c3(z)(1 \u2212 \u03c3(z))"),
    (SIGMOID_DERIVATIVE, r"\sigma(z) - \sigma(z)^2"),
    (r"\sigma(z)(1 - \sigma(z))", SIGMOID_DERIVATIVE),
    (r"\tanh'(z)", r"1 - \tanh(z)^2"),
    (r"1 - \tanh(z)^2", r"\frac{4}{(e^{z} + e^{-z})^2}"),
    (r"\tanh(z)", r"2\sigma(2z) - 1"),
    (r"\operatorname{ReLU}'(z)", "z > 0"),
    (r"\max(0, z)", r"\frac{z + |z|}{2}"),
    (r"\operatorname{ReLU}(z)", r"\max(z, 0)"),
    (r"\log(1 + e^{z})", "softplus(z)"),
    (r"\log(1 + e^{z})", r"z + \log(1 + e^{-z})"),
    # softmax cross-entropy: element-wise or vectorised
    (SOFTMAX_CE_GRADIENT, "softmax(z) - y"),
    (SOFTMAX_CE_GRADIENT, "exp(z) / sum(exp(z)) - y"),
    (SOFTMAX_CE_GRADIENT, r"-y + \operatorname{softmax}(z)"),
    (SOFTMAX_CE_GRADIENT, "exp(z - max(z)) / sum(exp(z - max(z))) - y"),
    (
        r"\frac{e^{z_1}}{\sum_{j=1}^{3} e^{z_j}} - y_1",
        r"\frac{1}{1 + e^{z_2 - z_1} + e^{z_3 - z_1}} - y_1",
    ),
    # Adam: ε inside or outside the root
    (ADAM, r"\theta - \alpha \frac{\hat{m}}{\sqrt{\hat{v} + \epsilon}}"),
    (ADAM, r"\theta - \frac{\alpha \hat{m}}{\sqrt{\hat{v}} + \epsilon}"),
    (ADAM, "theta - alpha * mhat / (sqrt(vhat) + epsilon)"),
    (ADAM, r"\theta - \alpha \hat{m} (\sqrt{\hat{v}} + \epsilon)^{-1}"),
    (r"\frac{m}{1 - \beta_1^t}", r"m (1 - \beta_1^t)^{-1}"),
    (r"\beta_1 m + (1 - \beta_1) g", r"m + (1 - \beta_1)(g - m)"),
    (r"\beta_2 v + (1 - \beta_2) g^2", r"v - (1 - \beta_2)(v - g^2)"),
    # KL as cross-entropy minus entropy
    (KL, r"-\sum_{i=1}^{n} p_i \log q_i + \sum_{i=1}^{n} p_i \log p_i"),
    (KL, r"\sum_i p_i (\log p_i - \log q_i)"),
    (KL, r"-\sum_{i=1}^{n} p_i \log \frac{q_i}{p_i}"),
    # the log-sum-exp trick
    (LOG_SUM_EXP, r"\max_k z_k + \log \sum_{j=1}^{n} e^{z_j - \max_k z_k}"),
    (LOG_SUM_EXP, r"\log(e^{z_1} + e^{z_2} + e^{z_3})"),
    (LOG_SUM_EXP, r"z_1 + \log\left(1 + e^{z_2 - z_1} + e^{z_3 - z_1}\right)"),
    # variance as E[x²] − E[x]²
    (VARIANCE, r"\mathbb{E}[x^2] - \mathbb{E}[x]^2"),
    (VARIANCE, r"\mathbb{E}[x^2] - (\mathbb{E}[x])^2"),
    (VARIANCE, r"\mathbb{E}\left[x^2\right] - \mathbb{E}\left[x\right]^2"),
    (
        r"\mathbb{E}[(x - \mathbb{E}[x])(y - \mathbb{E}[y])]",
        r"\mathbb{E}[x y] - \mathbb{E}[x] \mathbb{E}[y]",
    ),
    (r"\mathbb{E}[2 x + 1]", r"2 \mathbb{E}[x] + 1"),
    # bias–variance terms reordered
    (BIAS_VARIANCE, r"\sigma^2 + b^2 + v"),
    (BIAS_VARIANCE, r"v + \sigma^2 + b^2"),
    (BIAS_VARIANCE, r"b \cdot b + \sigma \sigma + v"),
    # binary cross-entropy
    (BCE, r"-y \log p - (1 - y) \log(1 - p)"),
    (BCE, r"-y\log p - \log(1 - p) + y \log(1 - p)"),
    (BCE, r"y \log\frac{1}{p} + (1 - y) \log\frac{1}{1 - p}"),
    (r"\sigma(s) - y", r"\frac{1}{1 + e^{-s}} - y"),
    # backprop: products, transposes, element-wise
    (BACKPROP_DW, r"\delta a^\top"),
    (BACKPROP_DW, "delta @ a.T"),
    (BACKPROP_DW, r"\delta \cdot a^{T}"),
    (BACKPROP_DW, r"(a \delta^T)^T"),
    (BACKPROP_DELTA, r"W^T \delta \odot \sigma(z) \odot (1 - \sigma(z))"),
    (BACKPROP_DELTA, "(W.T @ delta) * sigmoid(z) * (1 - sigmoid(z))"),
    (BACKPROP_DELTA, r"\sigma'(z) \odot (W^\top \delta)"),
    (BACKPROP_DELTA, r"(\delta^T W)^T \odot \sigma'(z)"),
    (BACKPROP_DELTA, r"(W^T \delta) \sigma'(z)"),
    (LINEAR, r"b + W x"),
    (LINEAR, "W @ x + b"),
    (LINEAR, r"(x^T W^T)^T + b"),
    (LINEAR, r"W(x) + b"),
    (r"X^T (X w - y)", r"X^T X w - X^T y"),
    (r"X^T (X w - y)", "X.T @ X @ w - X.T @ y"),
    (r"(X^T X)^{-1} X^T y", "inv(X.T @ X) @ (X.T @ y)"),
    (r"(A B)^T", r"B^T A^T"),
    (r"A (B + C)", r"A B + A C"),
    (r"\mathbf{x}^T \mathbf{y}", r"\mathbf{y}^T \mathbf{x}"),
    (r"\|x\|^2", r"x^T x"),
    (r"\|x - y\|^2", r"x^T x - 2 x^T y + y^T y"),
    (r"\frac{1}{2}\|W x - y\|^2", r"\frac{1}{2}(W x - y)^T (W x - y)"),
    # everyday algebra a learner does on the way
    (MSE, r"\frac{1}{n}\sum_{i=1}^{n} (\hat{y}_i - y_i)^2"),
    (MSE, r"\frac{(y_1 - \hat{y}_1)^2 + (y_2 - \hat{y}_2)^2 + (y_3 - \hat{y}_3)^2}{3}"),
    (r"\frac{1}{2}(\hat{y} - y)^2", r"\frac{(y - \hat{y})^2}{2}"),
    (r"\frac{1}{2}(\hat{y} - y)^2", "0.5 * (yhat - y)**2"),
    (r"\frac{a}{b} + \frac{c}{d}", r"\frac{a d + b c}{b d}"),
    (r"(a + b)^2", r"a^2 + 2ab + b^2"),
    (r"a^2 - b^2", r"(a - b)(a + b)"),
    (r"\sqrt{x y}", r"\sqrt{x}\sqrt{y}"),
    (r"\log(x y)", r"\log x + \log y"),
    (r"\log \frac{x}{y}", r"\ln x - \ln y"),
    (r"e^{a + b}", r"e^a e^b"),
    (r"\exp(2 \log x)", r"x^2"),
    (r"\frac{1}{\sqrt{x}}", r"x^{-0.5}"),
    (r"\sqrt[3]{x}", r"x^{\frac{1}{3}}"),
    (r"\frac{x - \mu}{\sigma}", r"(x - \mu) / \sigma"),
    (r"\gamma \hat{x} + \beta", r"\beta + \gamma \hat{x}"),
    (r"\frac{x - \mu}{\sqrt{\sigma^2 + \epsilon}}", r"\frac{x - \mu}{\sigma}"),
    (r"\eta g", r"g \eta"),
    (r"\sum_{i=1}^{n} x_i", r"x_1 + x_2 + x_3"),
    (r"\prod_{i=1}^{3} x_i", r"x_1 x_2 x_3"),
    (r"\frac{1}{n} \sum_{i=1}^{n} x_i", r"\frac{x_1 + x_2 + x_3}{3}"),
    (r"|x - y|", r"|y - x|"),
    (r"\max(a, b)", r"\frac{a + b + |a - b|}{2}"),
    (r"\min(a, b)", r"-\max(-a, -b)"),
    (
        r"\frac{\partial L}{\partial \hat{y}} \cdot \sigma'(z)",
        r"\sigma(z)(1-\sigma(z))\frac{\partial L}{\partial \hat{y}}",
    ),
    (r"\frac{t}{t + f}", r"\frac{1}{1 + f/t}"),
    (r"2 \frac{p r}{p + r}", r"\frac{2}{1/p + 1/r}"),
    (r"\cos(x)^2 + \sin(x)^2", "1 + 0*x"),
]

#: (card formula's right side, a wrong answer, the variant that should name it or None).
WRONG: list[tuple[str, str, str | None]] = [
    # the sign flipped
    (SIGMOID_DERIVATIVE, r"-\sigma(z)(1 - \sigma(z))", "sign_flipped"),
    (SOFTMAX_CE_GRADIENT, r"y - \operatorname{softmax}(z)", "sign_flipped"),
    (SOFTMAX_CE_GRADIENT, "y - softmax(z)", "sign_flipped"),
    (BCE, r"y \log p + (1 - y) \log(1 - p)", "sign_flipped"),
    (BACKPROP_DW, r"-\delta a^T", "sign_flipped"),
    (LINEAR, r"-W x - b", "sign_flipped"),
    (r"\hat{y} - y", r"y - \hat{y}", "sign_flipped"),
    (r"X^T (X w - y)", r"X^T (y - X w)", "sign_flipped"),
    (KL, r"\sum_{i=1}^{n} p_i \log \frac{q_i}{p_i}", "sign_flipped"),
    (r"\mathbb{E}[x^2] - \mathbb{E}[x]^2", r"\mathbb{E}[x]^2 - \mathbb{E}[x^2]", "sign_flipped"),
    (r"\frac{1}{2}(\hat{y}-y)^2", r"-\frac{1}{2}(\hat{y}-y)^2", "sign_flipped"),
    (r"\tanh'(z)", r"\tanh(z)^2 - 1", "sign_flipped"),
    # a factor dropped, or doubled, or halved
    (r"\frac{1}{2}(\hat{y} - y)^2", r"(\hat{y} - y)^2", "factor_2"),
    (r"(\hat{y} - y)^2", r"\frac{1}{2}(\hat{y} - y)^2", "factor_half"),
    (r"2 (\hat{y} - y)", r"\hat{y} - y", "factor_half"),
    (r"\frac{1}{2}\|W x - y\|^2", r"\|W x - y\|^2", "factor_2"),
    (
        r"\frac{2}{n} \sum_{i=1}^{n} (\hat{y}_i - y_i)",
        r"\frac{1}{n} \sum_{i=1}^{n} (\hat{y}_i - y_i)",
        "factor_half",
    ),
    (r"(\hat{y} - y) \sigma'(z)", r"\hat{y} - y", "missing_factor"),
    (BACKPROP_DELTA, r"W^T \delta", "missing_factor"),
    (BACKPROP_DELTA, r"\sigma'(z)", "missing_factor"),
    (r"\sigma'(z)", r"\sigma(z)", "missing_factor"),
    (r"\sigma'(z)", r"1 - \sigma(z)", "missing_factor"),
    (ADAM, r"\theta - \frac{\hat{m}}{\sqrt{\hat{v}} + \epsilon}", "missing_factor"),
    (r"\eta g", r"g", "missing_factor"),
    (r"\gamma \hat{x} + \beta", r"\hat{x} + \beta", "missing_factor"),
    (r"\frac{x - \mu}{\sigma}", r"x - \mu", None),
    # a transpose dropped
    (BACKPROP_DW, r"\delta a", "transpose_dropped"),
    (BACKPROP_DW, "delta @ a", "transpose_dropped"),
    (BACKPROP_DELTA, r"W \delta \odot \sigma'(z)", "transpose_dropped"),
    (r"X^T (X w - y)", r"X (X w - y)", "transpose_dropped"),
    (r"W^T \delta", r"W \delta", "transpose_dropped"),
    (r"(X^T X)^{-1} X^T y", r"(X^T X)^{-1} X y", "transpose_dropped"),
    (r"\mathbf{x}^T \mathbf{y}", r"\mathbf{x} \mathbf{y}", "transpose_dropped"),
    (r"A^T B", r"A B", "transpose_dropped"),
    # the product order swapped
    (LINEAR, r"x W + b", "product_order"),
    (BACKPROP_DW, r"a^T \delta", "product_order"),
    (r"A B", r"B A", "product_order"),
    (r"A B x", r"B A x", "product_order"),
    (r"W^T \delta", r"\delta W^T", "product_order"),
    (r"X^T y", r"y X^T", "product_order"),
    (r"A x", r"x A", "product_order"),
    (r"x^T A", r"A x^T", "product_order"),
    # element-wise where a matrix product belongs, and the reverse
    (LINEAR, r"W \odot x + b", "elementwise_for_matmul"),
    (r"A B", r"A \odot B", "elementwise_for_matmul"),
    (r"W^T \delta", r"W^T \odot \delta", "elementwise_for_matmul"),
    # a term missing
    (BIAS_VARIANCE, r"b^2 + v", "missing_term"),
    (BIAS_VARIANCE, r"b^2 + \sigma^2", "missing_term"),
    (BIAS_VARIANCE, r"v + \sigma^2", "missing_term"),
    (LINEAR, r"W x", "missing_term"),
    (BCE, r"-y \log p", "missing_term"),
    (r"\beta_1 m + (1 - \beta_1) g", r"\beta_1 m", "missing_term"),
    (r"\beta_1 m + (1 - \beta_1) g", r"(1 - \beta_1) g", "missing_term"),
    (r"a^2 + 2ab + b^2", r"a^2 + b^2", "missing_term"),
    (r"x^T x - 2 x^T y + y^T y", r"x^T x + y^T y", "missing_term"),
    (r"\gamma \hat{x} + \beta", r"\gamma \hat{x}", "missing_term"),
    (r"1 + x + \frac{x^2}{2}", r"1 + x", "missing_term"),
    (r"e^{x} - 1 - x", r"e^{x} - 1", "missing_term"),
    # log in place of log1p where that changes the value
    (r"\operatorname{log1p}(x)", r"\log x", "log_for_log1p"),
    (r"\operatorname{log1p}(e^{z})", r"\log(e^{z})", "log_for_log1p"),
    (r"-\operatorname{log1p}(-p)", r"-\log(-p)", None),
    (r"\log(1 + e^{-z})", r"\log(e^{-z})", None),
    (r"\log(1 + x)", r"\log(x)", None),
    # the sign of one term
    (r"\hat{x} \gamma + \beta", r"\gamma \hat{x} - \beta", "term_sign_flipped"),
    (r"a^2 - b^2", r"a^2 + b^2", "term_sign_flipped"),
    (ADAM, r"\theta + \alpha \frac{\hat{m}}{\sqrt{\hat{v}} + \epsilon}", "term_sign_flipped"),
    (r"\beta_1 m + (1 - \beta_1) g", r"\beta_1 m - (1 - \beta_1) g", "term_sign_flipped"),
    # other mistakes learners make (no variant names them)
    (SIGMOID_DERIVATIVE, r"z(1 - z)", None),
    (SIGMOID_DERIVATIVE, r"\frac{e^{-z}}{1+e^{-z}}", None),
    (r"\tanh'(z)", r"1 - z^2", None),
    (SOFTMAX_CE_GRADIENT, r"\operatorname{softmax}(z)", "missing_term"),
    (ADAM, r"\theta - \alpha \frac{\hat{m}}{\hat{v} + \epsilon}", None),
    (KL, r"\sum_{i=1}^{n} q_i \log \frac{q_i}{p_i}", None),
    (LOG_SUM_EXP, r"\sum_{j=1}^{n} z_j", None),
    (LOG_SUM_EXP, r"\max_k z_k", None),
    (VARIANCE, r"\mathbb{E}[x^2]", None),
    (VARIANCE, r"\mathbb{E}[x]^2", None),
    (MSE, r"\sum_{i=1}^{n} (y_i - \hat{y}_i)^2", "missing_factor"),
    (MSE, r"\frac{1}{n}\sum_{i=1}^{n} (y_i - \hat{y}_i)", None),
    (r"\sqrt{x^2 + y^2}", r"x + y", None),
    (r"\log(x y)", r"\log x \log y", None),
    (r"e^{a + b}", r"e^a + e^b", None),
    (r"(a + b)^2", r"a^2 + b^2", None),
    (r"\frac{a}{b} + \frac{c}{d}", r"\frac{a + c}{b + d}", None),
    (r"\max(0, z)", r"|z|", None),
    (r"(X^T X)^{-1} X^T y", r"(X^T X)^{-1} y", "missing_factor"),
    (r"\|x\|^2", r"\|x\|", None),
]
