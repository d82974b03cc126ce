"""The numbers the bundled deck states are the numbers NumPy computes (issue 16).

Each test recomputes one claim that a review found wrong, then checks that the card states
the corrected figure. A card edited back to the old figure, or a figure that no longer
reproduces from its stated seed, fails here. Simulations use the seeds the cards name.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from quizapp.cards import parse_file

CONTENT = Path(__file__).resolve().parents[2] / "content"

Array = NDArray[np.float64]


def card_text(card_id: str) -> str:
    """The card's source with runs of whitespace folded, so wrapped lines still match."""
    return " ".join((CONTENT / f"{card_id}.md").read_text(encoding="utf-8").split())


def difficulty(card_id: str) -> str | None:
    """The difficulty the importer reads from the card."""
    path = CONTENT / f"{card_id}.md"
    (card,) = parse_file(path, CONTENT).cards
    return card.difficulty


# --- Huber loss: the minimiser is not always between the median and the mean -----------


def huber_location(samples: Array, delta: float) -> Array:
    """Minimiser of sum(Huber(x - m)) per row, by bisection on its monotone derivative."""
    lo, hi = samples.min(axis=1), samples.max(axis=1)
    for _ in range(200):
        mid = (lo + hi) / 2
        pull = np.clip(samples - mid[:, None], -delta, delta).sum(axis=1)
        lo, hi = np.where(pull > 0, mid, lo), np.where(pull > 0, hi, mid)
    result: Array = (lo + hi) / 2
    return result


def test_huber_minimiser_can_lie_outside_median_and_mean() -> None:
    sample = np.array([[0.0, 0.0, 1.0, 1.0, 10.0]])
    assert huber_location(sample, 1.0)[0] == np.float64(0.75)
    assert (np.median(sample), sample.mean()) == (1.0, 2.4)
    # the two limits the card names: the median as delta -> 0, the mean as delta -> inf
    assert abs(huber_location(sample, 1e-6)[0] - 1.0) < 1e-5
    assert abs(huber_location(sample, 100.0)[0] - 2.4) < 1e-12
    text = card_text("probability/huber-loss")
    assert "$\\{0, 0, 1, 1, 10\\}$ with $\\delta = 1$ it is $0.75$" in text
    assert "median (1) and the mean (2.4)" in text
    assert "lies between the mean and the median" not in text


def test_huber_outside_share_for_five_normal_draws_seed_0() -> None:
    samples = np.random.default_rng(0).normal(size=(10_000, 5))
    m = huber_location(samples, 1.0)
    low = np.minimum(samples.mean(axis=1), np.median(samples, axis=1))
    high = np.maximum(samples.mean(axis=1), np.median(samples, axis=1))
    share = float(((m < low - 1e-9) | (m > high + 1e-9)).mean())
    assert round(share * 100) == 22
    assert "about 22% of samples of five standard-normal draws" in card_text(
        "probability/huber-loss"
    )


# --- Adam: how slowly bias correction fades, and how large the uncorrected steps are ----


def test_adam_bias_factor_at_one_over_one_minus_beta() -> None:
    def factor(beta: float, t: int) -> float:
        return 1 / (1 - beta**t)

    assert round(factor(0.999, 1000), 2) == 1.58
    assert round(factor(0.9, 10), 2) == 1.54
    assert round(1 / (1 - math.exp(-1)), 2) == 1.58
    # within 1 % once beta^t <= 0.01: about 4.6 / (1 - beta) steps
    for beta in (0.99, 0.999, 0.9999):
        steps = math.log(100) / -math.log(beta)
        assert round(steps * (1 - beta), 1) == 4.6
    assert round(math.log(100) / -math.log(0.999), -2) == 4600
    text = card_text("optimisation/adam")
    assert "is still about 1.58 (1.54 for $\\beta_1 = 0.9$)" in text
    assert "\\approx 4.6 / (1 - \\beta)$ steps (about 4,600 for $\\beta_2$)" in text


def test_adam_uncorrected_step_ratio() -> None:
    t = np.arange(1, 20_001)
    ratio = (1 - 0.9**t) / np.sqrt(1 - 0.999**t)
    assert round(float(ratio[0]), 2) == 3.16
    assert int(t[ratio.argmax()]) == 12
    assert round(float(ratio.max()), 1) == 6.6
    assert round(float(ratio[999]), 2) == 1.26
    assert round(int(t[ratio <= 1.01][0]), -2) == 3900
    text = card_text("optimisation/adam")
    assert "3.16 times too large at $t = 1$" in text
    assert "peak of about 6.6 times near $t = 12$" in text
    assert "1.26 times at $t = 1000$" in text
    assert "within 1% of 1 only after about 3,900 steps" in text
    assert "about 3 times too" not in text


# --- Normalisation: LayerNorm([C, H, W]) has element-wise affine parameters -------------


def test_layer_norm_over_chw_has_per_element_affine_parameters() -> None:
    channels, height, width = 64, 32, 32
    layer_norm_affine = 2 * channels * height * width  # gamma and beta of shape (C, H, W)
    batch_norm_affine = 2 * channels
    assert (layer_norm_affine, batch_norm_affine) == (131_072, 128)
    text = card_text("normalisation/batch-vs-layer-norm")
    assert "per *element*, of shape $(C, H, W)$" in text
    assert "131,072 affine parameters, against 128 for `BatchNorm2d(64)`" in text
    assert "In every case $\\gamma$ and $\\beta$ have one entry per channel" not in text


# --- Transformer block: where the O(nd^2) and O(n^2 d) terms cross ----------------------


def matmul_flops(m: int, k: int, n: int) -> int:
    """FLOPs of an (m x k) @ (k x n) product, two per multiply-add."""
    return 2 * m * k * n


def block_flops(n: int, d: int) -> tuple[int, int, int]:
    """(projections, FFN, attention) FLOPs of one block's forward pass, from its matmuls."""
    projections = 4 * matmul_flops(n, d, d)  # W_Q, W_K, W_V, W_O
    ffn = matmul_flops(n, d, 4 * d) + matmul_flops(n, 4 * d, d)
    attention = matmul_flops(n, d, n) + matmul_flops(n, n, d)  # Q K^T and A V
    return projections, ffn, attention


def test_transformer_dense_terms_dominate_below_six_d_ffn_below_four_d() -> None:
    d = 768
    projections, ffn, attention = block_flops(1, 1)
    assert (projections, ffn, attention) == (8, 16, 4)  # 8nd^2 + 16nd^2 = 24nd^2; 4n^2d
    lengths = range(1, 10 * d)
    dense_cross = next(n for n in lengths if sum(block_flops(n, d)[:2]) <= block_flops(n, d)[2])
    ffn_cross = next(n for n in lengths if block_flops(n, d)[1] <= block_flops(n, d)[2])
    assert (dense_cross, ffn_cross) == (6 * d, 4 * d)
    assert round(dense_cross, -2) == 4600
    text = card_text("architectures/transformer-block")
    assert "about $24 n d^2$ FLOPs" in text
    assert "about $4 n^2 d$ FLOPs" in text
    assert "that is for $n < 6d$ (about 4,600 tokens for $d = 768$)" in text
    assert "the FFN alone outweighs attention for $n < 4d$" in text
    assert "The FFN dominates for $n < 6d$" not in text


# --- Bias-variance: more data lowers the bias of non-parametric models ------------------


def knn_squared_bias(n: int, k: int = 10) -> float:
    """Squared bias of k-NN regression of sin(2 pi x) from n evenly spaced inputs."""
    inputs = (np.arange(n) + 0.5) / n
    queries = 0.1 + (np.arange(800) + 0.25) / 1000  # inside [0.1, 0.9], no distance ties
    nearest = np.argsort(np.abs(queries[:, None] - inputs[None, :]), axis=1)[:, :k]
    fit = np.sin(2 * np.pi * inputs[nearest]).mean(axis=1)
    return float(((fit - np.sin(2 * np.pi * queries)) ** 2).mean())


def test_knn_bias_falls_with_more_data() -> None:
    small, large = knn_squared_bias(100), knn_squared_bias(1000)
    assert f"{small:.1e}" == "2.9e-04"
    assert f"{large:.1e}" == "1.0e-06"
    text = card_text("classic-ml/bias-variance")
    assert "Bias stays unchanged only for a fixed parametric class" in text
    assert "from $2.9 \\times 10^{-4}$ at $n = 100$ to $1.0 \\times 10^{-6}$ at $n = 1000$" in text
    assert "bias unchanged." not in text


# --- SVM: what each value of the slack means ---------------------------------------------


def test_svm_slack_values_and_their_meaning() -> None:
    w, b = np.array([1.0, 0.0]), 0.0
    points = np.array([[1.5, 0.0], [0.5, 0.0], [0.0, 0.0], [-0.5, 0.0]])
    f = points @ w + b
    slack = np.maximum(0.0, 1 - 1 * f)  # every point labelled +1
    assert slack.tolist() == [0.0, 0.5, 1.0, 1.5]
    # 0 < xi < 1: correct side; xi = 1: on the boundary; xi > 1: wrong side
    assert np.sign(f).tolist() == [1.0, 1.0, 0.0, -1.0]
    text = card_text("classic-ml/svm")
    assert "$0 < \\xi_i < 1$ inside the margin but on the correct side" in text
    assert "$\\xi_i = 1$ exactly on the decision boundary ($f(x_i) = 0$)" in text
    assert "$\\xi_i > 1$ misclassified" in text
    assert "\\xi_i \\in (0, 1]" not in text


# --- Early stopping vs L2: the match needs lambda << alpha as well --------------------


def test_early_stopping_matches_ridge_only_for_small_lambda_over_alpha() -> None:
    eta, steps = 1e-3, 1000
    alpha = 1 / (eta * steps)

    def gap(lam: float) -> float:
        return abs((1 - eta * lam) ** steps - alpha / (lam + alpha))

    assert gap(0.01 * alpha) < 1e-4
    assert gap(alpha) > 0.1
    assert (round(math.exp(-1), 2), alpha / (alpha + alpha)) == (0.37, 0.5)
    text = card_text("regularisation/early-stopping")
    assert "if also $\\lambda_i \\ll \\alpha$" in text
    assert "the two factors are $e^{-1} \\approx 0.37$ and $0.5$" in text


# --- Activation functions: the missing derivatives ------------------------------------


def _phi_cdf(z: Array) -> Array:
    erf = np.vectorize(math.erf)
    result: Array = 0.5 * (1 + erf(z / math.sqrt(2)))
    return result


def _gelu(z: Array) -> Array:
    result: Array = z * _phi_cdf(z)
    return result


def _silu(z: Array) -> Array:
    result: Array = z / (1 + np.exp(-z))
    return result


def _gelu_prime(z: Array) -> Array:
    density = np.exp(-(z**2) / 2) / math.sqrt(2 * math.pi)
    result: Array = _phi_cdf(z) + z * density
    return result


def _silu_prime(z: Array) -> Array:
    s = 1 / (1 + np.exp(-z))
    result: Array = s * (1 + z * (1 - s))
    return result


def test_activation_derivatives_match_finite_differences() -> None:
    z = np.linspace(-4, 4, 81) + 0.013  # avoids the kink of Leaky ReLU at 0
    h = 1e-6
    alpha = 0.01

    def leaky(x: Array) -> Array:
        return np.maximum(alpha * x, x)

    leaky_prime = np.where(z > 0, 1.0, alpha)
    for func, prime in ((_gelu, _gelu_prime(z)), (_silu, _silu_prime(z)), (leaky, leaky_prime)):
        numeric = (func(z + h) - func(z - h)) / (2 * h)
        assert np.allclose(numeric, prime, atol=1e-6)
    text = card_text("deep-learning/activation-functions")
    assert "\\operatorname{GELU}'(z) = \\Phi(z) + z\\, \\phi(z)" in text
    assert "\\sigma(z)\\left(1 + z\\,(1 - \\sigma(z))\\right)" in text
    assert "\\operatorname{LeakyReLU}'(z) = \\begin{cases} 1 & z > 0 \\\\ \\alpha & z < 0" in text


def test_gelu_and_silu_extremes_the_card_states() -> None:
    z = np.linspace(-6, 6, 1_200_001)
    gelu_prime, silu_prime = _gelu_prime(z), _silu_prime(z)
    gelu, silu = _gelu(z), _silu(z)
    zero = np.zeros(1)
    assert (float(_gelu_prime(zero)[0]), float(_silu_prime(zero)[0])) == (0.5, 0.5)
    assert round(float(gelu_prime.max()), 2) == 1.13
    assert abs(float(z[gelu_prime.argmax()]) - math.sqrt(2)) < 1e-4
    assert round(float(silu_prime.max()), 2) == 1.10
    assert round(float(z[silu_prime.argmax()]), 1) == 2.4
    assert (round(float(gelu.min()), 2), round(float(z[gelu.argmin()]), 2)) == (-0.17, -0.75)
    assert (round(float(silu.min()), 2), round(float(z[silu.argmin()]), 2)) == (-0.28, -1.28)
    text = card_text("deep-learning/activation-functions")
    assert "up to about 1.13 (GELU, at $z = \\sqrt{2}$)" in text
    assert "and 1.10 (SiLU, at $z \\approx 2.4$)" in text
    assert "minimum of about $-0.17$ at $z \\approx -0.75$" in text
    assert "SiLU to about $-0.28$ at $z \\approx -1.28$" in text


# --- k-NN: distance concentration, rerun with the stated seed -------------------------


def test_knn_distance_concentration_figures_reproduce() -> None:
    rng = np.random.default_rng(0)
    ratios = []
    for d in (10, 100, 1000):
        points = rng.uniform(size=(1000, d))
        queries = rng.uniform(size=(100, d))
        squared = (
            (queries**2).sum(axis=1)[:, None]
            + (points**2).sum(axis=1)[None, :]
            - 2 * queries @ points.T
        )
        dist = np.sqrt(np.maximum(squared, 0.0))
        ratios.append(float(((dist.max(axis=1) - dist.min(axis=1)) / dist.min(axis=1)).mean()))
    assert [round(ratios[0], 1), round(ratios[1], 2), round(ratios[2], 2)] == [2.9, 0.44, 0.12]
    text = card_text("classic-ml/knn")
    assert "NumPy `default_rng(0)`" in text
    assert "about 2.9 at $d = 10$, 0.44 at $d = 100$ and 0.12 at $d = 1000$" in text
    # the closed-form figures beside it
    assert (round(0.01 ** (1 / 10), 2), round(0.01 ** (1 / 100), 2)) == (0.63, 0.95)
    assert (round(1 - 0.98**10, 2), round(1 - 0.98**100, 2)) == (0.18, 0.87)


# --- Data leakage: feature selection outside the folds ---------------------------------


def _top_correlated(x: Array, y: Array, k: int) -> NDArray[np.intp]:
    xc, yc = x - x.mean(axis=0), y - y.mean()
    corr = np.abs(xc.T @ yc) / np.sqrt((xc**2).sum(axis=0))
    return np.argpartition(-corr, k)[:k]


def _centroid_accuracy(x_tr: Array, y_tr: Array, x_te: Array, y_te: Array) -> float:
    m0, m1 = x_tr[y_tr == 0].mean(axis=0), x_tr[y_tr == 1].mean(axis=0)
    pred = (((x_te - m1) ** 2).sum(axis=1) < ((x_te - m0) ** 2).sum(axis=1)).astype(float)
    return float((pred == y_te).mean())


Folds = list[NDArray[np.intp]]


def _cv(x: Array, y: Array, folds: Folds, chosen: NDArray[np.intp] | None) -> float:
    """5-fold CV accuracy; features chosen on all data if given, else inside each fold."""
    scores = []
    for f, test in enumerate(folds):
        train = np.concatenate([fold for g, fold in enumerate(folds) if g != f])
        cols = _top_correlated(x[train], y[train], 20) if chosen is None else chosen
        scores.append(_centroid_accuracy(x[train][:, cols], y[train], x[test][:, cols], y[test]))
    return float(np.mean(scores))


def _leakage_run(seed: int) -> tuple[float, float, float]:
    """(leaky, honest, honest with stratified folds) on 50 x 5,000 noise, balanced labels."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(50, 5000))
    y = np.repeat([0.0, 1.0], 25)
    rng.shuffle(y)
    folds = np.array_split(rng.permutation(50), 5)
    by_class = [rng.permutation(np.flatnonzero(y == c)) for c in (0.0, 1.0)]
    stratified = [
        np.concatenate(p) for p in zip(*(np.array_split(i, 5) for i in by_class), strict=True)
    ]
    leaky = _cv(x, y, folds, _top_correlated(x, y, 20))
    return leaky, _cv(x, y, folds, None), _cv(x, y, stratified, None)


def test_feature_selection_leakage_figures_reproduce() -> None:
    runs = np.array([_leakage_run(seed) for seed in range(200)])
    leaky, honest, stratified = (round(float(v) * 100) for v in runs.mean(axis=0))
    assert (leaky, honest, stratified) == (97, 48, 51)
    text = card_text("evaluation/data-leakage")
    assert "gives about 97% accuracy" in text
    assert "about 48% (averaged over NumPy seeds 0 to 199" in text
    assert "stratified folds give 51%, chance within" in text
    assert "honest ~55%" not in text


# --- Warmup with pre-norm: the two cards agree -------------------------------------------


def test_residual_and_schedule_cards_agree_on_warmup_with_pre_norm() -> None:
    residual = card_text("deep-learning/residual-connections")
    schedules = card_text("optimisation/learning-rate-schedules")
    for text in (residual, schedules):
        assert "tolerate a short warmup or, in small models, none at all" in text
        assert "(Xiong et al., 2020)" in text
        assert "pre-norm models still use a short" in text.lower()
    assert "without warmup tricks" not in residual
    assert "are less sensitive but still use it" not in schedules


# --- Representer theorem: a strictly increasing regulariser ------------------------------


def test_representer_theorem_needs_a_strictly_increasing_regulariser() -> None:
    rng = np.random.default_rng(0)
    features, targets = rng.normal(size=(5, 12)), rng.normal(size=5)  # n = 5 < D = 12

    def loss(w: Array) -> float:
        return float(((targets - features @ w) ** 2).sum())

    ridge = features.T @ np.linalg.solve(features @ features.T + 0.1 * np.eye(5), targets)
    projector = features.T @ np.linalg.pinv(features.T)  # onto the span of the rows
    orthogonal = rng.normal(size=12)
    orthogonal -= projector @ orthogonal
    # moving off the span leaves the loss unchanged and strictly raises ||w||:
    assert abs(loss(ridge + orthogonal) - loss(ridge)) < 1e-9
    assert np.linalg.norm(ridge + orthogonal) > np.linalg.norm(ridge)
    # with no penalty (non-decreasing, constant) both are minimisers of the loss
    interpolant = np.linalg.pinv(features) @ targets
    assert loss(interpolant) < 1e-18 and loss(interpolant + orthogonal) < 1e-18
    assert np.allclose(projector @ ridge, ridge)
    text = card_text("classic-ml/kernel-trick")
    assert "plus a **strictly** increasing function of $\\|w\\|$" in text
    assert "some minimiser lies in the span, but not necessarily every one" in text


# --- Difficulty: calibrated to top-lab interviews -------------------------------------


def test_cards_that_top_labs_treat_as_medium() -> None:
    for card_id in (
        "classic-ml/bias-variance",
        "classic-ml/pca",
        "evaluation/calibration",
        "optimisation/adam",
    ):
        assert difficulty(card_id) == "medium", card_id
