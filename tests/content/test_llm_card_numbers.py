"""The LLM cards' figures are what the arithmetic gives (issue 16).

Every number below is quoted by a card in content/llm-*/ or by the LLM evaluation cards.
Each test recomputes it from first principles and checks that the card still states it, so
an edit that changes a figure without the arithmetic (or the other way round) fails here.
"""

from __future__ import annotations

import math
from itertools import pairwise
from math import comb
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

CONTENT = Path(__file__).resolve().parents[2] / "content"

Array = NDArray[np.float64]


def card_text(card_id: str) -> str:
    """The card's source with runs of whitespace folded, so wrapped lines still match."""
    return " ".join((CONTENT / f"{card_id}.md").read_text(encoding="utf-8").split())


def test_training_flops_and_wall_clock() -> None:
    flops = 6 * 70e9 * 15e12
    seconds = flops / (8192 * 0.4 * 989e12)
    assert flops == 6.3e24
    assert round(seconds / 86400, 1) == 22.5
    assert round(flops / (0.4 * 989e12) / 3600 / 1e6, 1) == 4.4
    assert round(8192 / (6 * 8192) * 100) == 17  # attention share n_ctx / (6d) at n_ctx = d
    text = card_text("llm-training/training-flops")
    assert "= 6.3 \\times 10^{24} \\text{ FLOPs}" in text
    assert "\\approx 22.5 \\text{ days}" in text
    assert "about 4.4 million GPU-hours" in text
    assert "about 17% at $n_{ctx} = d = 8192$" in text


def test_training_memory_per_parameter() -> None:
    per_param = 2 + 2 + 4 + 4 + 4
    assert per_param == 16 == 4 * 4
    assert (per_param * 7e9 / 1e9, per_param * 70e9 / 1e12) == (112.0, 1.12)
    s, b, h, a, layers = 4096, 1, 4096, 32, 32
    per_layer = s * b * h * (34 + 5 * a * s / h)
    assert round(per_layer / 1e9, 2) == 3.25
    assert round(per_layer * layers / 1e9) == 104
    assert round(34 * s * b * h * layers / 1e9) == 18
    assert round(2 * s * b * h * layers / 1e9, 1) == 1.1
    text = card_text("llm-training/training-memory")
    assert "3.25 GB per layer, 104 GB in total" in text
    assert "which leaves $34 sbh$: 18 GB" in text
    assert "about 1.1 GB" in text


def test_chinchilla_arithmetic() -> None:
    chinchilla, gopher = 6 * 70e9 * 1.4e12, 6 * 280e9 * 300e9
    assert (round(chinchilla / 1e23, 1), round(gopher / 1e23, 1)) == (5.9, 5.0)
    n_opt = math.sqrt(1e24 / 120)
    assert (round(n_opt / 1e9), round(20 * n_opt / 1e12, 1)) == (91, 1.8)
    assert round(0.28 / (0.34 + 0.28), 2) == 0.45
    assert round(15e12 / 8e9, -2) == 1900
    text = card_text("llm-training/scaling-laws")
    assert "$N \\approx 91$B parameters and $D \\approx 1.8$T tokens" in text
    assert "give $N_{opt} \\propto C^{0.45}$" in text
    assert "roughly 1,900 tokens per parameter" in text


def test_number_formats_and_loss_scaling() -> None:
    assert float(np.finfo(np.float16).max) == 65504.0
    assert float(np.float16(2.0**-25)) == 0.0  # below half the smallest subnormal: gone
    assert float(np.float16(1) + np.float16(0.001)) == 1.0009765625

    def to_bf16(x: float) -> float:
        bits = int(np.array([x], dtype=np.float32).view(np.uint32)[0])
        rounded = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16) << 16
        return float(np.array([rounded], dtype=np.uint32).view(np.float32)[0])

    assert to_bf16(1.0 + 0.001) == 1.0
    assert (1.75 * 2**8, 1.75 * 2**15) == (448.0, 57344.0)
    text = card_text("llm-training/mixed-precision")
    assert "in bf16, $1 + 0.001 = 1$" in text
    assert "it gives $1.000977$" in text
    assert "| fp8 E4M3 | 4 | 3 | 448 |" in text


def test_zero_memory_table() -> None:
    psi, nd, k = 7.5, 64, 12
    rows = [(2 + 2 + k) * psi, 4 * psi + k * psi / nd, 2 * psi + (2 + k) * psi / nd]
    rows.append((2 + 2 + k) * psi / nd)
    assert [round(r, 1) for r in rows] == [120.0, 31.4, 16.6, 1.9]
    text = card_text("llm-training/data-parallelism")
    for figure in ("120 GB", "31.4 GB", "16.6 GB", "1.9 GB"):
        assert figure in text


def test_tensor_and_pipeline_parallel_ratios() -> None:
    assert round(3 * 8192 / 7, -2) == 3500
    assert (round(989e12 / 450e9, -2), round(989e12 / 50e9, -3)) == (2200, 20000)
    assert "about 3,500 FLOPs per byte" in card_text("llm-training/tensor-parallelism")
    p, m, v = 8, 32, 4
    assert round((p - 1) / (m + p - 1) * 100) == 18
    assert (round((p - 1) / m * 100), round((p - 1) / (v * m) * 100, 1)) == (22, 5.5)
    text = card_text("llm-training/pipeline-parallelism")
    assert "$7 / 39 \\approx 18\\%$" in text
    assert "from 22% to 5.5%" in text


def test_moe_auxiliary_loss_bounds() -> None:
    experts, alpha = 8, 0.01
    uniform = np.full(experts, 1 / experts)
    collapsed = np.eye(experts)[0]
    assert math.isclose(alpha * experts * float(uniform @ uniform), alpha)
    assert math.isclose(alpha * experts * float(collapsed @ collapsed), alpha * experts)
    text = card_text("llm-training/mixture-of-experts")
    assert "$\\mathcal{L}_{aux} = \\alpha$" in text
    assert "$\\mathcal{L}_{aux} = \\alpha E$" in text


def test_lora_gradients_and_sizes() -> None:
    rng = np.random.default_rng(0)
    d, k, r, s = 5, 4, 2, 0.5
    w0, b, a = rng.normal(size=(d, k)), rng.normal(size=(d, r)), rng.normal(size=(r, k))
    x, g = rng.normal(size=k), rng.normal(size=d)

    def loss(b_: Array, a_: Array) -> float:
        return float(g @ (w0 @ x + s * b_ @ a_ @ x))

    eps = 1e-6
    num_b = np.array(
        [
            [(loss(b + eps * e, a) - loss(b - eps * e, a)) / (2 * eps) for e in row]
            for row in np.eye(d * r).reshape(d, r, d, r)
        ]
    )
    num_a = np.array(
        [
            [(loss(b, a + eps * e) - loss(b, a - eps * e)) / (2 * eps) for e in row]
            for row in np.eye(r * k).reshape(r, k, r, k)
        ]
    )
    assert np.allclose(num_b, s * np.outer(g, a @ x), atol=1e-6)
    assert np.allclose(num_a, s * np.outer(b.T @ g, x), atol=1e-6)
    assert (16 * (4096 + 4096), round(16 * 8192 / 4096**2 * 100, 2)) == (131_072, 0.78)
    assert round(2 * 32 * 16 * 8192 / 1e6, 1) == 8.4
    bits = 4 + 8 / 64 + 32 / (64 * 256)
    assert (round(bits - 4, 3), round(65e9 * bits / 8 / 1e9, 1)) == (0.127, 33.5)
    text = card_text("llm-training/lora")
    assert "\\frac{\\partial L}{\\partial B} = s\\, g\\, u^\\top" in text
    assert "\\frac{\\partial L}{\\partial A} = s\\, B^\\top g\\, x^\\top" in text
    assert "131,072 instead of 16.8M, 0.78%" in text
    assert "\\approx 33.5$ GB" in text


def test_bpe_first_merges() -> None:
    words = {tuple("hug"): 10, tuple("pug"): 5, tuple("pun"): 12, tuple("bun"): 4}
    words[tuple("hugs")] = 5
    merges = []
    for _ in range(4):
        pairs: dict[tuple[str, str], int] = {}
        for word, count in words.items():
            for pair in pairwise(word):
                pairs[pair] = pairs.get(pair, 0) + count
        ranked = sorted(pairs.values(), reverse=True)
        assert ranked[0] > ranked[1]  # no ties: the example is unambiguous
        best = max(pairs, key=lambda p: pairs[p])
        merges.append(("".join(best), pairs[best]))
        merged: dict[tuple[str, ...], int] = {}
        for word, count in words.items():
            out: list[str] = []
            i = 0
            while i < len(word):
                if word[i : i + 2] == best:
                    out.append(word[i] + word[i + 1])
                    i += 2
                else:
                    out.append(word[i])
                    i += 1
            merged[tuple(out)] = count
        words = merged
    assert merges == [("ug", 20), ("un", 16), ("hug", 15), ("pun", 12)]
    assert ("hug", "s") in words and ("b", "un") in words
    text = card_text("llm-training/bpe")
    assert "u+g 20, p+u 17, u+n 16, h+u 15" in text
    assert "merge **hug**. Then p+un 12: merge **pun**" in text


def test_perplexity_figures() -> None:
    assert (round(math.exp(2.0), 2), round(math.exp(1.9), 2)) == (7.39, 6.69)
    assert round((1 - math.exp(-0.1)) * 100, 1) == 9.5
    assert round(2.0 / (4 * math.log(2)), 2) == 0.72
    text = card_text("llm-training/perplexity")
    assert "perplexity of 7.39" in text and "gives 6.69, 9.5% lower" in text
    assert "\\approx 0.72$ bits per byte" in text


def test_kv_cache_sizes() -> None:
    def per_token(layers: int, kv_heads: int) -> int:
        return 2 * layers * kv_heads * 128 * 2

    assert per_token(32, 32) == 524_288
    assert per_token(32, 32) * 4096 == 2 * 2**30
    assert (per_token(80, 8), per_token(80, 64)) == (327_680, 5 * 2**19)
    assert (20 * 2**30 // per_token(80, 8), 20 * 2**30 // per_token(80, 64)) == (65_536, 8_192)
    text = card_text("llm-inference/kv-cache")
    assert "= 524{,}288 \\text{ bytes}" in text
    assert "= 327{,}680 \\text{ bytes} = 320 \\text{ KiB per token}" in text
    assert "GQA fits 65,536 tokens" in text and "full attention only 8,192" in text


def test_prefill_and_decode_rooflines() -> None:
    assert round(989e12 / 3.35e12) == 295
    step = 14e9 / 3.35e12
    assert (round(step * 1e3, 1), round(1 / step, -1)) == (4.2, 240)
    prefill = 2 * 7e9 * 2000
    assert (round(prefill / 989e12 * 1e3), round(prefill / (0.5 * 989e12) * 1e3)) == (28, 57)
    assert 32 * 4096 * 524_288 == 64 * 2**30
    text = card_text("llm-inference/prefill-decode")
    assert "\\approx 295 \\text{ FLOPs per byte}" in text
    assert "4.2 ms, so at most about 240 tokens per second" in text
    assert "about 28 ms at peak and 57 ms at 50% utilisation" in text


def _softmax(z: Array) -> Array:
    e = np.exp(z - z.max())
    result: Array = e / e.sum()
    return result


def test_sampling_table_and_filters() -> None:
    logits = np.array([2.0, 1.0, 0.0, -1.0])
    text = card_text("llm-inference/sampling")
    for temp in (0.5, 1.0, 2.0):
        p = _softmax(logits / temp)
        entropy = float(-(p * np.log(p)).sum())
        row = ", ".join(f"{v:.3f}" for v in p)
        assert f"| {temp:g} | {row} | {entropy:.2f} |" in text
    p = _softmax(logits)
    nucleus = int(np.searchsorted(np.cumsum(p), 0.9)) + 1
    assert nucleus == 3
    assert [round(float(v), 3) for v in p[:3] / p[:3].sum()] == [0.665, 0.245, 0.09]
    assert [round(float(v), 3) for v in p[:2] / p[:2].sum()] == [0.731, 0.269]
    assert "renormalised to $(0.665, 0.245, 0.090)$" in text


def test_speculative_decoding_is_exact_and_its_speedup() -> None:
    rng = np.random.default_rng(0)
    p, q = rng.dirichlet(np.ones(5)), rng.dirichlet(np.ones(5))
    draws = 200_000
    drafted = rng.choice(5, size=draws, p=q)
    accept = rng.uniform(size=draws) < np.minimum(1.0, p[drafted] / q[drafted])
    residual = np.maximum(p - q, 0.0)
    out = np.where(accept, drafted, rng.choice(5, size=draws, p=residual / residual.sum()))
    assert np.allclose(np.bincount(out, minlength=5) / draws, p, atol=0.005)
    assert abs(float(accept.mean()) - float(np.minimum(p, q).sum())) < 0.005

    def tokens(beta: float, gamma: int) -> float:
        return (1 - beta ** (gamma + 1)) / (1 - beta)

    assert [round(tokens(0.8, g), 2) for g in (1, 2, 4, 8)] == [1.8, 2.44, 3.36, 4.33]
    assert round(tokens(0.8, 4) / (4 * 0.05 + 1), 1) == 2.8
    text = card_text("llm-inference/speculative-decoding")
    assert "1.8, 2.44, 3.36 and 4.33 tokens" in text
    assert "about $2.8\\times$" in text


def test_online_softmax_merge_example() -> None:
    x, y = np.array([1.0, 3.0]), np.array([2.0, 5.0])
    lx, ly = float(np.exp(x - 3).sum()), float(np.exp(y - 5).sum())
    merged = lx * math.exp(3 - 5) + ly
    assert (round(lx, 4), round(ly, 4), round(merged, 4)) == (1.1353, 1.0498, 1.2034)
    assert math.isclose(merged, float(np.exp(np.r_[x, y] - 5).sum()))
    assert round(5 + math.log(merged), 3) == 5.185
    text = card_text("llm-inference/online-softmax")
    assert "$\\ell = 1.1353\\, e^{-2} + 1.0498 = 1.2034$" in text
    assert "$5 + \\log 1.2034 = 5.185$" in text


def test_flash_attention_matrix_size() -> None:
    assert 8192**2 * 2 == 128 * 2**20
    assert 32 * 8192**2 * 2 == 4 * 2**30
    assert "128 MiB per head, 4 GiB for 32 heads" in card_text("llm-inference/flash-attention")


def test_quantisation_outlier_example() -> None:
    def absmax_int8(v: Array) -> Array:
        scale = float(np.abs(v).max()) / 127
        result: Array = np.round(v / scale) * scale
        return result

    def rel(a: Array, b: Array) -> float:
        return float(np.linalg.norm(a - b) / np.linalg.norm(b))

    x = np.random.default_rng(0).normal(size=4096)
    with_outlier = x.copy()
    with_outlier[7] = 60.0
    rest = np.arange(4096) != 7
    blocks = np.concatenate([absmax_int8(with_outlier[i : i + 128]) for i in range(0, 4096, 128)])
    assert round(rel(absmax_int8(x), x) * 100, 1) == 0.9
    assert round(rel(absmax_int8(with_outlier)[rest], with_outlier[rest]) * 100) == 14
    assert len(np.unique(np.round(with_outlier[rest] / (60 / 127)))) == 16
    assert round(rel(blocks[rest], with_outlier[rest]) * 100, 1) == 2.6
    text = card_text("llm-inference/quantisation")
    assert "absmax gives a 0.9% relative error" in text
    assert "rises to 14%, because they now use only 16 of the 255 levels" in text
    assert "brings it back to 2.6%" in text


def test_ann_memory_figures() -> None:
    assert (100e6 * 768 * 4 / 1e9, 100e6 * 96 / 1e9, 768 * 4 // 96) == (307.2, 9.6, 32)
    assert round(math.log(1e8) / math.log(16), 1) == 6.6
    text = card_text("llm-inference/ann-search")
    assert "100M vectors take 9.6 GB instead of 307 GB" in text
    assert "\\log_{16} n \\approx 6.6$ layers" in text


def test_reward_model_and_dpo_numbers() -> None:
    def sigmoid(z: float) -> float:
        return 1 / (1 + math.exp(-z))

    assert (round(math.log(2), 3), round(-math.log(sigmoid(2)), 3)) == (0.693, 0.127)
    assert (round(sigmoid(-2), 2), comb(9, 2)) == (0.12, 36)
    text = card_text("llm-alignment/reward-model")
    assert "At $\\Delta = 0$ the loss is $\\ln 2 = 0.693$; at $\\Delta = 2$ it is 0.127" in text
    assert "$\\binom{K}{2}$ comparisons per prompt (36 for $K = 9$)" in text


def test_kl_regularised_optimum_and_dpo_gradient() -> None:
    rng = np.random.default_rng(0)
    ref, reward, beta = rng.dirichlet(np.ones(6)), rng.normal(size=6), 0.5
    best = ref * np.exp(reward / beta)
    value = beta * math.log(float(best.sum()))
    best /= best.sum()

    def objective(pi: Array) -> float:
        return float(pi @ reward - beta * (pi * np.log(pi / ref)).sum())

    assert math.isclose(objective(best), value)
    assert all(objective(rng.dirichlet(np.ones(6))) < value for _ in range(1000))
    # the DPO gradient formula on a softmax policy, against finite differences
    theta, w, lose = rng.normal(size=6), 1, 4

    def dpo_loss(t: Array) -> float:
        logp = t - math.log(float(np.exp(t).sum()))
        u = beta * ((logp[w] - math.log(ref[w])) - (logp[lose] - math.log(ref[lose])))
        return math.log1p(math.exp(-u))

    p = _softmax(theta)
    logp = np.log(p)
    u = beta * ((logp[w] - math.log(ref[w])) - (logp[lose] - math.log(ref[lose])))
    grad_w, grad_l = np.eye(6)[w] - p, np.eye(6)[lose] - p
    formula = -beta * (1 / (1 + math.exp(u))) * (grad_w - grad_l)
    step = np.eye(6) * 1e-6
    numeric = np.array([(dpo_loss(theta + e) - dpo_loss(theta - e)) / 2e-6 for e in step])
    assert np.allclose(formula, numeric, atol=1e-8)
    assert "the optimal value is $\\beta \\log Z(x)$" in card_text("llm-alignment/rlhf-ppo")


def test_kl_estimators_are_unbiased_and_k3_non_negative() -> None:
    rng = np.random.default_rng(0)
    pi, ref = rng.dirichlet(np.ones(6)), rng.dirichlet(np.ones(6))
    kl = float((pi * np.log(pi / ref)).sum())
    ratio = ref / pi
    k1, k3 = -np.log(ratio), ratio - 1 - np.log(ratio)
    assert math.isclose(float(pi @ k1), kl) and math.isclose(float(pi @ k3), kl)
    assert (k3 >= 0).all() and (k1 < 0).any()


def test_grpo_group_advantages() -> None:
    def advantages(rewards: list[float], ddof: int = 0) -> list[float]:
        r = np.array(rewards)
        return [round(float(v), 2) for v in (r - r.mean()) / r.std(ddof=ddof)]

    assert advantages([1, 0, 0, 1]) == [1.0, -1.0, -1.0, 1.0]
    assert advantages([1, 0, 0, 0]) == [1.73, -0.58, -0.58, -0.58]
    assert advantages([1, 0, 0, 0], ddof=1) == [1.5, -0.5, -0.5, -0.5]
    assert (round(math.sqrt(0.75 / 0.25), 2), round(-math.sqrt(0.25 / 0.75), 2)) == (1.73, -0.58)
    text = card_text("llm-alignment/grpo")
    assert "advantages $(+1.73, -0.58, -0.58, -0.58)$" in text
    assert "$(1.5, -0.5, -0.5, -0.5)$" in text


def test_pass_at_k_estimators() -> None:
    n, c, k = 10, 2, 5
    assert (comb(8, 5), comb(10, 5)) == (56, 252)
    assert round(1 - comb(n - c, k) / comb(n, k), 3) == 0.778
    assert round(1 - (1 - c / n) ** k, 3) == 0.672
    prob = 0.2
    weights = [comb(n, j) * prob**j * (1 - prob) ** (n - j) for j in range(n + 1)]
    unbiased = [1 - comb(n - j, k) / comb(n, k) for j in range(n + 1)]
    naive = [1 - (1 - j / n) ** k for j in range(n + 1)]
    truth = 1 - (1 - prob) ** k
    assert math.isclose(sum(w * u for w, u in zip(weights, unbiased, strict=True)), truth)
    assert round(sum(w * v for w, v in zip(weights, naive, strict=True)), 3) == 0.594
    product = math.prod(1 - k / i for i in range(n - c + 1, n + 1))
    assert math.isclose(product, comb(n - c, k) / comb(n, k))
    text = card_text("evaluation/pass-at-k")
    assert "the true pass@5 is 0.672, but the naive estimator averages 0.594" in text
    assert "= 1 - \\frac{56}{252} = 0.778" in text


def test_benchmark_standard_error() -> None:
    se = math.sqrt(0.8 * 0.2 / 500)
    assert (round(se, 3), round(1.96 * se * 100, 1)) == (0.018, 3.5)
    assert "0.018, so a 95% interval of about $\\pm 3.5$ points" in card_text(
        "evaluation/llm-evaluation"
    )


def test_beam_search_example() -> None:
    assert (round(0.6 * 0.5, 2), round(0.4 * 0.9, 2)) == (0.3, 0.36)
    text = card_text("llm-inference/beam-search")
    assert "$0.6 \\cdot 0.5 = 0.30$" in text and "$0.4 \\cdot 0.9 = 0.36$" in text
