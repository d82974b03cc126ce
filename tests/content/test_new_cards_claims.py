"""The numbers stated by the generative, RL, statistics, ML-systems and new deep-learning cards.

Every figure a card states was computed, not recalled. Each test here recomputes one card's
key figures (with the seed the card names where it reports a simulation) and checks that the
card's text states them as computed, so editing either the card or the derivation without the
other fails the build. The heaviest simulations are marked ``slow``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

CONTENT = Path(__file__).resolve().parents[2] / "content"

Array = npt.NDArray[np.float64]


@cache
def card(rel: str) -> str:
    """The Markdown source of one bundled card, e.g. ``statistics/bootstrap``."""
    return (CONTENT / f"{rel}.md").read_text(encoding="utf-8")


def states(rel: str, *snippets: str) -> None:
    """Fail unless the card's text contains every snippet verbatim."""
    text = card(rel)
    missing = [s for s in snippets if s not in text]
    assert not missing, f"{rel} does not state {missing}"


def softmax(z: Array) -> Array:
    e = np.exp(z - z.max())
    out: Array = e / e.sum()
    return out


def bisect(f: Callable[[float], float], lo: float, hi: float) -> float:
    """The root of an increasing function on [lo, hi], to machine precision."""
    for _ in range(200):
        mid = (lo + hi) / 2
        if f(mid) < 0:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def t_upper_tail(t: float, df: float) -> float:
    """P(T > t) for Student's t with ``df`` degrees of freedom (t >= 0), by Simpson's rule."""
    const = math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / math.sqrt(df * math.pi)
    x = np.linspace(0.0, t, 20001)
    y = const * (1 + x**2 / df) ** (-(df + 1) / 2)
    h = x[1] - x[0]
    area = h / 3 * (y[0] + y[-1] + 4 * y[1:-1:2].sum() + 2 * y[2:-1:2].sum())
    return 0.5 - float(area)


def t_quantile(q: float, df: float) -> float:
    return bisect(lambda t: (1 - t_upper_tail(t, df)) - q, 0.0, 50.0)


def norm_sf(x: float) -> float:
    return 0.5 * math.erfc(x / math.sqrt(2))


def expected_max_of_normals(n: int) -> float:
    """E[max of n independent standard normals], by numerical integration."""
    x = np.linspace(-12.0, 12.0, 240001)
    phi = np.exp(-(x**2) / 2) / math.sqrt(2 * math.pi)
    cdf = 0.5 * (1 + np.array([math.erf(v / math.sqrt(2)) for v in x[::100]]))
    cdf_full = np.interp(x, x[::100], cdf)
    return float(np.sum(x * n * phi * cdf_full ** (n - 1)) * (x[1] - x[0]))


def auc(score: Array, y: npt.NDArray[np.int64]) -> float:
    """ROC AUC by average ranks (ties share their mean rank)."""
    _, inverse, counts = np.unique(score, return_inverse=True, return_counts=True)
    order = np.argsort(score, kind="mergesort")
    ranks_sorted = np.arange(1, len(score) + 1, dtype=float)
    sums = np.bincount(inverse[order], weights=ranks_sorted)
    ranks = (sums / counts)[inverse]
    pos = y == 1
    n1, n0 = int(pos.sum()), int((~pos).sum())
    return float((ranks[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


# --- generative -------------------------------------------------------------------------


def test_vae_kl_example_and_estimator_variances() -> None:
    mu, sigma = 1.0, 0.5
    kl = 0.5 * (mu**2 + sigma**2 - 1 - math.log(sigma**2))
    assert round(kl, 3) == 0.818
    # d/dmu E[z^2], z = mu + eps at mu = 1. Gaussian moments E[e^2, e^4, e^6] = 1, 3, 15.
    reparam_var = 4 * 1.0  # Var(2(mu + eps)) = 4 Var(eps)
    score_second_moment = 1 + 6 * 3 + 15  # E[(1+e)^4 e^2]
    score_var = score_second_moment - 2**2

    # With a constant baseline b: Var((z^2 - b)(z - 1)) = E[z^4 e^2] - 2b E[z^2 e^2] + b^2 - 4.
    def baseline_var(b: float) -> float:
        return score_second_moment - 2 * b * 4 + b * b - 4

    best_b = min(np.linspace(0, 8, 801), key=baseline_var)
    assert (reparam_var, score_var, round(float(best_b), 6), baseline_var(4)) == (4, 30, 4, 14)
    eps = np.random.default_rng(0).standard_normal(1_000_000)
    z = 1 + eps
    assert np.var(2 * z) == pytest.approx(4, rel=0.02)
    assert np.var(z**2 * (z - 1)) == pytest.approx(30, rel=0.05)
    assert np.var((z**2 - 4) * (z - 1)) == pytest.approx(14, rel=0.05)
    states(
        "generative/vae-elbo",
        "\\approx 0.818",
        "has variance 4",
        "has variance 30 (still 14 with the best constant baseline, $b = 4$)",
    )


def _ddpm_schedule() -> tuple[Array, Array, Array]:
    beta = np.linspace(1e-4, 0.02, 1000)
    alpha = 1 - beta
    abar: Array = np.cumprod(alpha, dtype=np.float64)
    return beta, alpha, abar


def test_ddpm_schedule_figures() -> None:
    beta, alpha, abar = _ddpm_schedule()
    assert round(float(abar[99]), 3) == 0.897
    assert round(float(abar[499]), 3) == 0.079
    assert f"{abar[999]:.1e}" == "4.0e-05"
    assert round(math.sqrt(abar[999]), 4) == 0.0064
    snr = abar / (1 - abar)
    assert int(np.argmax(snr < 1)) + 1 in (259, 260)
    assert int(np.argmin(np.abs(abar - 0.5))) + 1 == 259
    weight = beta / (2 * alpha * (1 - abar))  # the ELBO weight on the eps-MSE with sigma^2 = beta
    assert round(float(weight[0]), 2) == 0.5
    assert float(weight[99:].max()) < 0.0105
    states(
        "generative/diffusion-ddpm",
        "about 0.897 at $t = 100$, 0.079 at $t = 500$ and $4.0 \\times 10^{-5}$ at $t = 1000$",
        "the signal coefficient is 0.0064",
        "near $t = 259$",
        "the weight is 0.5 at $t = 1$ but about 0.01 from $t = 100$ on",
    )


def test_ddpm_posterior_mean_in_noise_form() -> None:
    beta, alpha, abar = _ddpm_schedule()
    i = 299
    rng = np.random.default_rng(0)
    x0, eps = rng.standard_normal(2)
    xt = math.sqrt(abar[i]) * x0 + math.sqrt(1 - abar[i]) * eps
    mu_tilde = (
        math.sqrt(abar[i - 1]) * beta[i] / (1 - abar[i]) * x0
        + math.sqrt(alpha[i]) * (1 - abar[i - 1]) / (1 - abar[i]) * xt
    )
    mu_eps = (xt - beta[i] / math.sqrt(1 - abar[i]) * eps) / math.sqrt(alpha[i])
    assert mu_tilde == pytest.approx(mu_eps, rel=1e-12)


def test_classifier_free_guidance_gaussian_tilt() -> None:
    x = np.linspace(-20, 20, 400001)
    log_cond = -((x - 1) ** 2) / 2
    log_uncond = -(x**2) / 4
    found = {}
    for s in (3.0, 7.5):
        logp = s * log_cond + (1 - s) * log_uncond
        w = np.exp(logp - logp.max())
        w /= w.sum()
        mean = float((w * x).sum())
        found[s] = (mean, float((w * (x - mean) ** 2).sum()))
    assert found[3.0] == pytest.approx((1.5, 0.5), abs=1e-6)
    assert round(found[7.5][0], 2) == 1.76
    assert round(found[7.5][1], 3) == 0.235
    states(
        "generative/classifier-free-guidance",
        "At $s = 3$ the target is $\\mathcal{N}(1.5, 0.5)$; at $s = 7.5$ it is about "
        "$\\mathcal{N}(1.76, 0.235)$",
    )


def test_gan_jsd_saturates_and_generator_gradients() -> None:
    x = np.linspace(-30, 30, 600001)
    dx = x[1] - x[0]

    def jsd(shift: float) -> float:
        p = np.exp(-(x**2) / 2) / math.sqrt(2 * math.pi)
        q = np.exp(-((x - shift) ** 2) / 2) / math.sqrt(2 * math.pi)
        m = (p + q) / 2

        def kl(a: Array, b: Array) -> float:
            ok = a > 1e-300
            return float(np.sum(a[ok] * np.log(a[ok] / b[ok])) * dx)

        return 0.5 * kl(p, m) + 0.5 * kl(q, m)

    values = [round(jsd(s), 3) for s in (0.5, 2.0, 5.0, 10.0)]
    assert values == [0.030, 0.337, 0.676, 0.693]
    assert round(-math.log(4), 3) == -1.386
    d = 0.01  # D(G(z)) = sigmoid(a): d/da log(1 - D) = -D, d/da -log D = -(1 - D)
    assert (-d, -(1 - d)) == (-0.01, -0.99)
    states(
        "generative/gans",
        "with value $-\\log 4 \\approx -1.386$",
        "the JSD is 0.030 at $\\mu = 0.5$, 0.337 at $\\mu = 2$, 0.676 at $\\mu = 5$ and 0.693",
        "at $D = 0.01$ it is only $-0.01$",
        "is $-(1 - D) = -0.99$",
    )


def test_infonce_temperature_example() -> None:
    s = np.array([0.8, 0.5, 0.3, -0.2])
    found = {}
    for tau in (1.0, 0.1):
        p = softmax(s / tau)
        grad = (p - np.eye(4)[0]) / tau
        found[tau] = (-math.log(p[0]), grad)
    loss1, grad1 = found[1.0]
    loss01, grad01 = found[0.1]
    assert round(loss1, 3) == 0.999
    assert [round(float(g), 3) for g in grad1[1:]] == [0.273, 0.223, 0.135]
    assert round(loss01, 3) == 0.055
    assert [round(float(g), 4) for g in grad01[1:]] == [0.4712, 0.0638, 0.0004]
    assert round(math.log(32768), 1) == 10.4
    assert round(math.log(256), 1) == 5.5
    assert round(1 / 0.07, 1) == 14.3
    states(
        "generative/infonce-clip",
        "at $\\tau = 1$ the loss is 0.999 and the negatives get gradients 0.273, 0.223, 0.135",
        "at $\\tau = 0.1$ the loss is 0.055 and they get 0.471, 0.064, 0.0004",
        "10.4 nats for $N = 32{,}768$",
        "5.5 nats for $N = 256$",
        "about 14.3",
    )


# --- reinforcement learning ---------------------------------------------------------------


def test_value_iteration_example() -> None:
    gamma = 0.9
    v = np.zeros(2)
    history = []
    policies = []
    for _ in range(80):
        stay, go = 1 + gamma * v[0], gamma * v[1]
        v = np.array([max(stay, go), 2 + gamma * v[1]])
        history.append(v.copy())
        policies.append("stay" if stay >= go else "go")
    assert np.allclose(history[0], [1, 2]) and np.allclose(history[1], [1.9, 3.8])
    assert np.allclose(history[2], [3.42, 5.42])
    assert policies[:3] == ["stay", "stay", "go"]
    errors = [float(np.abs(h - [18, 20]).max()) for h in history]
    assert round(errors[19], 2) == 2.43
    assert next(k for k, e in enumerate(errors, start=1) if e < 0.01) == 73
    assert round(math.log(10) / -math.log(0.9), 1) == 21.9
    states(
        "reinforcement-learning/bellman-value-iteration",
        "$V_1 = (1, 2)$, $V_2 = (1.9, 3.8)$",
        "$V_3 = (3.42, 5.42)$",
        "2.43 after 20 sweeps, below 0.01 only after 73",
        "\\approx 21.9",
        "= \\max(10,\\ 18) = 18",
    )


def test_q_learning_updates_and_max_bias() -> None:
    q, r, gamma, alpha = 2.0, 1.0, 0.9, 0.1
    assert round(q + alpha * (r + gamma * 3 - q), 4) == 2.17
    assert round(q + alpha * (r + gamma * 1 - q), 4) == 1.99
    assert round(expected_max_of_normals(10), 2) == 1.54
    assert round(expected_max_of_normals(2), 2) == 0.56
    assert round(expected_max_of_normals(100), 2) == 2.51
    rng = np.random.default_rng(0)
    first, second = rng.standard_normal((200_000, 10)), rng.standard_normal((200_000, 10))
    double = second[np.arange(len(first)), first.argmax(axis=1)]
    assert abs(float(double.mean())) < 0.01
    states(
        "reinforcement-learning/q-learning-dqn",
        "the target is 3.7, the TD error 1.7, and $Q(s, a)$ becomes 2.17",
        "SARSA's target would be 1.9 and $Q(s, a)$ would become 1.99",
        "the max has expectation 1.54 (0.56 for 2 actions, 2.51 for 100)",
    )


def test_policy_gradient_baseline_variance_and_gae() -> None:
    # Two actions, probability 1/2 each; d log pi(a) / d logit_0 is +1/2 for a = 0, -1/2 for a = 1.
    true_grad = 0.5 * 0.5 * 10 + 0.5 * (-0.5) * 11
    var_no_baseline = 0.5 * 25 + 0.5 * 30.25 - true_grad**2 + 0.25
    var_baseline = 0.25  # only the N(0, 1) reward noise, times (1/2)^2
    assert true_grad == -0.25
    assert round(var_no_baseline, 1) == 27.8 and var_no_baseline / var_baseline > 100
    rng = np.random.default_rng(0)
    a = rng.integers(0, 2, 1_000_000)
    r = np.where(a == 0, 10.0, 11.0) + rng.standard_normal(1_000_000)
    score = np.where(a == 0, 0.5, -0.5)
    assert np.var(r * score) == pytest.approx(27.8, rel=0.01)
    assert np.var((r - 10.5) * score) == pytest.approx(0.25, rel=0.01)

    def gae(lam: float) -> Array:
        rewards, values, gamma = [0.0, 0.0, 1.0], [0.5, 0.6, 0.8, 0.0], 0.9
        out, run = np.zeros(3), 0.0
        for t in reversed(range(3)):
            run = rewards[t] + gamma * values[t + 1] - values[t] + gamma * lam * run
            out[t] = run
        return out

    assert np.allclose(gae(0.0), [0.04, 0.12, 0.2])
    assert np.allclose(gae(0.8)[:2], [0.23008, 0.264])
    assert gae(1.0)[0] == pytest.approx(0.31)
    assert round(1 / (1 - 0.99 * 0.95), 1) == 16.8
    states(
        "reinforcement-learning/policy-gradient-gae",
        "The true gradient on the first logit is $-0.25$",
        "variance is 27.8; with $b = 10.5$ it is 0.25",
        "The TD errors are $(0.04, 0.12, 0.2)$",
        "0.12 + 0.72 \\times 0.2 = 0.264",
        "\\approx 0.230",
        "$\\hat{A}_0 = 0.81 - 0.5 = 0.31$",
        "16.8 steps",
    )


def test_ppo_clip_cases() -> None:
    eps = 0.2

    def objective(r: float, adv: float) -> float:
        return min(r * adv, min(max(r, 1 - eps), 1 + eps) * adv)

    def slope(r: float, adv: float) -> float:
        return (objective(r + 1e-6, adv) - objective(r - 1e-6, adv)) / 2e-6

    cases = {(1.5, 2.0): (2.4, 0.0), (0.5, -2.0): (-1.6, 0.0), (1.5, -2.0): (-3.0, -2.0)}
    for (r, adv), (value, grad) in cases.items():
        assert objective(r, adv) == pytest.approx(value)
        assert slope(r, adv) == pytest.approx(grad, abs=1e-6)
    assert objective(0.5, 2.0) == pytest.approx(1.0) and slope(0.5, 2.0) == pytest.approx(2.0)
    states(
        "reinforcement-learning/ppo",
        "$\\min(3, 2.4) = 2.4$, gradient zero",
        "$\\min(-1, -1.6) = -1.6$, gradient zero",
        "$\\min(-3, -2.4) = -3$, the unclipped term",
        "$\\min(1, 1.6) = 1$",
    )


def _bandit_regret(alg: str, horizon: int, runs: int = 500) -> dict[int, float]:
    """The card's simulation: one generator per algorithm, all runs vectorised."""
    p = np.array([0.3, 0.5, 0.6])
    k = len(p)
    rng = np.random.default_rng(0)
    pulls, wins, regret = np.zeros((runs, k)), np.zeros((runs, k)), np.zeros(runs)
    rows = np.arange(runs)
    out: dict[int, float] = {}
    for t in range(1, horizon + 1):
        if alg == "ts":
            arm = np.argmax(rng.beta(wins + 1, pulls - wins + 1), axis=1)
        elif t <= k:
            arm = np.full(runs, t - 1)
        else:
            mean = wins / pulls
            if alg == "eps":
                arm = np.argmax(mean, axis=1)
                explore = rng.random(runs) < 0.1
                arm = np.where(explore, rng.integers(0, k, runs), arm)
            elif alg == "greedy":
                arm = np.argmax(mean, axis=1)
            else:
                arm = np.argmax(mean + np.sqrt(2 * np.log(t) / pulls), axis=1)
        reward = rng.random(runs) < p[arm]
        pulls[rows, arm] += 1
        wins[rows, arm] += reward
        regret += p.max() - p[arm]
        if t in (1_000, 10_000, 100_000):
            out[t] = float(regret.mean())
    return out


def test_bandit_regret_table_up_to_ten_thousand() -> None:
    expected = {"greedy": (91, 899), "eps": (31, 157), "ucb": (45, 131), "ts": (18, 29)}
    for alg, (at_1k, at_10k) in expected.items():
        got = _bandit_regret(alg, 10_000)
        assert (round(got[1_000]), round(got[10_000])) == (at_1k, at_10k), alg
    states(
        "reinforcement-learning/bandits",
        "| 1,000 | 91 | 31 | 45 | 18 |",
        "| 10,000 | 899 | 157 | 131 | 29 |",
    )


@pytest.mark.slow
def test_bandit_regret_at_one_hundred_thousand() -> None:
    got = {
        alg: round(_bandit_regret(alg, 100_000)[100_000]) for alg in ("greedy", "eps", "ucb", "ts")
    }
    assert got == {"greedy": 8963, "eps": 1357, "ucb": 237, "ts": 41}
    states("reinforcement-learning/bandits", "| 100,000 | 8,963 | 1,357 | 237 | 41 |")


# --- statistics ----------------------------------------------------------------------------


def test_t_quantiles_and_interval_example() -> None:
    quantiles = [round(t_quantile(0.975, df), 3) for df in (4, 9, 29, 99)]
    assert quantiles == [2.776, 2.262, 2.045, 1.984]
    assert (round(5.2 - 1.96 * 0.15, 3), round(5.2 + 1.96 * 0.15, 3)) == (4.906, 5.494)
    assert round(math.sqrt(0.9 * 0.1 / 1000), 4) == 0.0095
    states(
        "statistics/clt-confidence-intervals",
        "$[4.906, 5.494]$",
        "2.776 for $n = 5$, 2.262 for $n = 10$, 2.045 for $n = 30$",
        "about 0.0095",
    )
    states(
        "statistics/t-tests",
        "2.262 at 9 degrees of freedom, 2.045 at 29, 1.984 at 99 and 1.960 in the limit",
    )


def test_interval_coverage_simulation() -> None:
    rng = np.random.default_rng(0)
    reps = 100_000
    rows = []
    for dist, n in (("normal", 10), ("exp", 10), ("exp", 30), ("exp", 100)):
        if dist == "normal":
            x, mu = rng.standard_normal((reps, n)), 0.0
        else:
            x, mu = rng.exponential(1.0, (reps, n)), 1.0
        se = x.std(axis=1, ddof=1) / math.sqrt(n)
        miss = np.abs(x.mean(axis=1) - mu)
        z_cover = float(np.mean(miss <= 1.96 * se))
        t_cover = float(np.mean(miss <= t_quantile(0.975, n - 1) * se))
        rows.append(
            f"| {'normal' if dist == 'normal' else 'exponential'} | {n} | "
            f"{100 * z_cover:.1f}% | {100 * t_cover:.1f}% |"
        )
    states("statistics/clt-confidence-intervals", *rows)


def test_t_test_examples() -> None:
    m1, s1, n1, m2, s2, n2 = 5.0, 1.0, 12, 6.0, 2.0, 10
    v1, v2 = s1**2 / n1, s2**2 / n2
    se = math.sqrt(v1 + v2)
    t = (m2 - m1) / se
    df = (v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1))
    assert (round(se, 3), round(t, 2), round(df, 1)) == (0.695, 1.44, 12.7)
    assert round(2 * t_upper_tail(t, df), 3) == 0.175
    sp2 = ((n1 - 1) * s1**2 + (n2 - 1) * s2**2) / (n1 + n2 - 2)
    se_p = math.sqrt(sp2 * (1 / n1 + 1 / n2))
    t_p = (m2 - m1) / se_p
    assert (sp2, round(se_p, 3), round(t_p, 2)) == (2.35, 0.656, 1.52)
    assert round(2 * t_upper_tail(t_p, n1 + n2 - 2), 3) == 0.143

    before = np.array([72, 80, 65, 90, 77, 68, 85, 74], dtype=float)
    drop = np.array([2, 3, 1, 4, 2, 3, 2, 3], dtype=float)
    after = before - drop
    sd = float(drop.std(ddof=1))
    t_pair = float(drop.mean()) / (sd / math.sqrt(8))
    assert (round(sd, 3), round(t_pair, 2)) == (0.926, 7.64)
    assert round(2 * t_upper_tail(t_pair, 7), 4) == 0.0001
    pooled = math.sqrt((before.var(ddof=1) + after.var(ddof=1)) / 2 * (2 / 8))
    t_unpaired = float(before.mean() - after.mean()) / pooled
    assert round(t_unpaired, 2) == 0.61
    assert round(2 * t_upper_tail(t_unpaired, 14), 2) == 0.55
    assert round(1 - 0.95**20, 2) == 0.64
    states(
        "statistics/t-tests",
        "standard error $\\sqrt{1/12 + 4/10} = 0.695$, $t = 1.44$, $\\nu \\approx 12.7$, "
        "two-sided $p \\approx 0.175$",
        "$s_p^2 = (11 + 36) / 20 = 2.35$, standard error 0.656, $t = 1.52$ on 20 degrees of "
        "freedom, $p \\approx 0.143$",
        "$\\bar{d} = 2.5$, $s_d = 0.926$, $t = 7.64$ on 7 degrees of freedom, $p \\approx 0.0001$",
        "$t = 0.61$, $p \\approx 0.55$",
        "\\approx 0.64",
    )


def test_bootstrap_figures() -> None:
    assert [round((1 - 1 / n) ** n, 3) for n in (10, 100)] == [0.349, 0.366]
    assert round(math.exp(-1), 3) == 0.368
    rng = np.random.default_rng(0)
    x = rng.exponential(1.0, 50)
    resamples = x[rng.integers(0, 50, (10_000, 50))]
    assert round(float(resamples.mean(axis=1).std(ddof=1)), 3) == 0.159
    assert round(float(x.std(ddof=1)) / math.sqrt(50), 3) == 0.157
    medians = np.median(resamples, axis=1)
    assert round(float(np.median(x)), 3) == 0.796
    assert round(float(medians.std(ddof=1)), 3) == 0.140
    low, high = np.percentile(medians, [2.5, 97.5])
    assert (round(float(low), 2), round(float(high), 2)) == (0.55, 1.09)
    fresh = np.median(np.random.default_rng(1).exponential(1.0, (200_000, 50)), axis=1)
    assert round(float(fresh.std()), 3) == 0.140
    assert round(1 - (1 - 1 / 50) ** 50, 3) == 0.636
    states(
        "statistics/bootstrap",
        "(0.349 for $n = 10$, 0.366 for $n = 100$)",
        "bootstrap standard error 0.159, against the formula $s / \\sqrt{n} = 0.157$",
        "the median (0.796): bootstrap standard error 0.140",
        "$[0.55, 1.09]$",
        "\\approx 0.636",
    )


@pytest.mark.slow
def test_bootstrap_percentile_coverage_for_skewed_means() -> None:
    rng = np.random.default_rng(0)
    covered = 0
    for _ in range(2_000):
        x = rng.exponential(1.0, 20)
        means = x[rng.integers(0, 20, (2_000, 20))].mean(axis=1)
        low, high = np.percentile(means, [2.5, 97.5])
        covered += int(low <= 1 <= high)
    assert round(covered / 2_000, 2) == 0.91
    states("statistics/bootstrap", "its coverage is about 91%")


def test_bessel_correction_figures() -> None:
    x = np.random.default_rng(0).standard_normal((1_000_000, 5))
    assert round(float(x.var(axis=1).mean()), 3) == 0.800
    assert round(float(x.var(axis=1, ddof=1).mean()), 3) == 1.000

    def c4(n: int) -> float:
        return math.sqrt(2 / (n - 1)) * math.exp(math.lgamma(n / 2) - math.lgamma((n - 1) / 2))

    assert [round(c4(n), 3) for n in (2, 5, 10, 30)] == [0.798, 0.940, 0.973, 0.991]
    n = 5
    mse = [2 / (n - 1), (2 * n - 1) / n**2, 2 / (n + 1)]
    assert [round(m, 3) for m in mse] == [0.5, 0.36, 0.333]
    sq = ((x - x.mean(axis=1, keepdims=True)) ** 2).sum(axis=1)
    simulated = [float(((sq / d - 1) ** 2).mean()) for d in (n - 1, n, n + 1)]
    assert simulated == pytest.approx(mse, rel=0.02)
    states(
        "statistics/bessel-correction",
        "averages 0.800 with $1/n$ and 1.000 with $1/(n - 1)$",
        "$c_4 = 0.798$ for $n = 2$, 0.940 for $n = 5$, 0.973 for $n = 10$ and 0.991 for $n = 30$",
        "= 0.5, \\qquad \\frac{(2n - 1)\\sigma^4}{n^2} = 0.36",
        "\\approx 0.333",
    )


def test_multivariate_gaussian_example() -> None:
    mu = np.array([1.0, 0.0])
    sigma = np.array([[4.0, 1.2], [1.2, 1.0]])
    d = np.array([2.0, 1.0]) - mu
    assert round(float(d @ np.linalg.solve(sigma, d)), 3) == 1.016
    chol = np.linalg.cholesky(sigma)
    assert np.allclose(chol, np.array([[2.0, 0.0], [0.6, 0.8]]))
    assert round(float(2 * np.log(np.diag(chol)).sum()), 3) == 0.940
    cond_mean = mu[0] + sigma[0, 1] / sigma[1, 1] * (2 - mu[1])
    cond_var = sigma[0, 0] - sigma[0, 1] ** 2 / sigma[1, 1]
    assert (cond_mean, round(cond_var, 2)) == (3.4, 2.56)

    def chi2_cdf(x: float, k: int) -> float:
        if k == 1:
            return math.erf(math.sqrt(x / 2))
        if k == 2:
            return 1 - math.exp(-x / 2)
        return math.erf(math.sqrt(x / 2)) - math.sqrt(2 * x / math.pi) * math.exp(-x / 2)

    def chi2_quantile(q: float, k: int) -> float:
        return bisect(lambda x: chi2_cdf(x, k) - q, 0, 50)

    q95 = [round(chi2_quantile(0.95, k), 2) for k in (1, 2, 3)]
    assert q95 == [3.84, 5.99, 7.81]
    assert [round(100 * chi2_cdf(1, k), 1) for k in (1, 2, 3)] == [68.3, 39.3, 19.9]
    norms = np.linalg.norm(np.random.default_rng(0).standard_normal((10_000, 1000)), axis=1)
    assert (round(float(norms.mean()), 1), round(float(norms.std()), 1)) == (31.6, 0.7)
    states(
        "statistics/multivariate-gaussian",
        "squared Mahalanobis distance $2.6 / 2.56 \\approx 1.016$",
        "L = \\begin{pmatrix} 2 & 0 \\\\ 0.6 & 0.8 \\end{pmatrix}",
        "mean $1 + 1.2 \\times 2 = 3.4$ and variance $4 - 1.44 = 2.56$",
        "3.84 in one dimension, 5.99 in two and 7.81 in three",
        "68.3% of the mass in 1-D but only 39.3%",
        "19.9% in 3-D",
        "$31.6 \\pm 0.7$",
        "(0.940 in the example)",
    )


def test_importance_sampling_rare_event() -> None:
    p = norm_sf(4.0)
    assert f"{p:.3e}" == "3.167e-05"
    n = 100_000
    assert round(n * p, 1) == 3.2 and round(math.sqrt((1 - p) / (n * p)), 2) == 0.56
    rng = np.random.default_rng(0)
    assert int((rng.standard_normal(n) > 4).sum()) == 3
    y = 4 + rng.standard_normal(n)
    f = (y > 4) * np.exp(8 - 4 * y)
    estimate = float(f.mean())
    rel_se = float(f.std()) / math.sqrt(n) / estimate
    assert f"{estimate:.2e}" == "3.18e-05"
    assert round(100 * rel_se, 2) == 0.67
    assert 6_500 < p * (1 - p) / float(f.var()) < 7_500
    assert round(2 / math.sqrt(2 * 2 - 1), 2) == 1.15
    narrow = 0.5 * np.random.default_rng(0).standard_normal(n)
    w = np.exp(-(narrow**2) / 2 + narrow**2 / (2 * 0.25)) * 0.5
    ess = float(w.sum() ** 2 / (w**2).sum())
    assert round(100 * ess / n, 1) == 1.5
    states(
        "statistics/importance-sampling",
        "$3.167 \\times 10^{-5}$",
        "expects 3.2 hits",
        "\\approx 56\\%$ (with `default_rng(0)`, 3 hits)",
        "estimate $3.18 \\times 10^{-5}$ with a relative standard error of 0.67%",
        "about 7,000 times less variance",
        "(1.15 at $\\sigma^2 = 2$)",
        "an ESS of about 1.5% of $n$",
    )


def _random_walk_metropolis(step: float, n: int) -> tuple[Array, float]:
    rng = np.random.default_rng(0)
    x, accepted = 0.0, 0
    chain = np.empty(n)
    for i in range(n):
        proposal = x + step * rng.standard_normal()
        if math.log(rng.random()) < -0.5 * proposal**2 + 0.5 * x**2:
            x, accepted = proposal, accepted + 1
        chain[i] = x
    return chain, accepted / n


def _ess(chain: Array) -> tuple[float, float]:
    """Effective sample size (Geyer's initial positive sequence) and lag-1 autocorrelation."""
    n = len(chain)
    centred = chain - chain.mean()
    spectrum = np.fft.rfft(centred, 2 * n)
    acf = np.fft.irfft(spectrum * np.conj(spectrum))[:n] / (centred.var() * n)
    total, k = 0.0, 1
    while k + 1 < n and acf[k] + acf[k + 1] >= 0:
        total += acf[k] + acf[k + 1]
        k += 2
    return n / (1 + 2 * total), float(acf[1])


def test_metropolis_step_size_table() -> None:
    rows = []
    for step, approx_ess in ((0.1, 230), (2.4, 22_000), (20.0, 4_500)):
        chain, acceptance = _random_walk_metropolis(step, 100_000)
        ess, lag1 = _ess(chain)
        assert ess == pytest.approx(approx_ess, rel=0.05), step
        rows.append(f"| {acceptance:.2f} | {lag1:.{3 if lag1 > 0.99 else 2}f} |")
    states(
        "statistics/metropolis-hastings",
        "| 0.1 | 0.97 | 0.995 |",
        "| 2.4 | 0.44 | 0.63 |",
        "| 20 | 0.06 | 0.91 |",
    )
    assert rows == ["| 0.97 | 0.995 |", "| 0.44 | 0.63 |", "| 0.06 | 0.91 |"]


def test_reservoir_sampling_is_exactly_uniform() -> None:
    n, k = 10, 3
    # Exact distribution of Algorithm R: probability that item i is in the reservoir.
    inside = np.zeros(n)
    inside[:k] = 1.0
    for i in range(k + 1, n + 1):
        inside *= 1 - 1 / i  # an existing member is evicted with probability (k/i)(1/k)
        inside[i - 1] = k / i
    assert np.allclose(inside, k / n)
    replacements = sum(100 / i for i in range(101, 10**6 + 1))
    assert round(replacements) == 921
    states("statistics/reservoir-sampling", "about 921 for $k = 100$ and $n = 10^6$")


@pytest.mark.slow
def test_reservoir_sampling_simulation() -> None:
    rng = np.random.default_rng(0)
    n, k, runs = 10, 3, 100_000
    counts = np.zeros(n)
    for _ in range(runs):
        sample: list[int] = []
        for i in range(1, n + 1):
            if i <= k:
                sample.append(i - 1)
            else:
                j = int(rng.integers(0, i))
                if j < k:
                    sample[j] = i - 1
        counts[sample] += 1
    freq = counts / runs
    assert freq.min() >= 0.297 and freq.max() <= 0.302
    states("statistics/reservoir-sampling", "between 0.297 and 0.302")


def test_entropy_and_mutual_information_figures() -> None:
    def h(p: list[float]) -> float:
        return -sum(x * math.log2(x) for x in p if x > 0)

    assert round(h([0.9, 0.1]), 3) == 0.469 and h([1 / 8] * 8) == pytest.approx(3)
    joint = np.array([[0.4, 0.1], [0.1, 0.4]])
    px, py = joint.sum(axis=1), joint.sum(axis=0)
    mi = float(
        sum(
            joint[i, j] * math.log2(joint[i, j] / (px[i] * py[j]))
            for i in range(2)
            for j in range(2)
        )
    )
    h_joint = h(list(joint.ravel()))
    assert (round(h_joint - h(list(py)), 3), round(mi, 3), round(h_joint, 3)) == (
        0.722,
        0.278,
        1.722,
    )
    split_gain = h([0.5, 0.5]) - (0.5 * h([0.8, 0.2]) + 0.5 * h([0.2, 0.8]))
    assert split_gain == pytest.approx(mi)
    assert round(-0.5 * math.log(1 - 0.64), 3) == 0.511
    assert round(-0.5 * math.log2(1 - 0.64), 3) == 0.737
    assert round(0.5 * math.log(2 * math.pi * math.e * 0.01), 2) == -0.88
    assert (round(math.log(50_000), 1), round(math.log2(50_000), 1)) == (10.8, 15.6)
    states(
        "statistics/entropy-mutual-information",
        "a 0.9/0.1 coin 0.469 bits",
        "$\\ln 50{,}000 \\approx 10.8$ nats (15.6 bits)",
        "0.511 nats (0.737 bits) at $\\rho = 0.8$",
        "$H(X \\mid Y) = H(0.8, 0.2) = 0.722$ bits",
        "I(X; Y) = 1 - 0.722 = 0.278",
        "$H(X, Y) = 1 + 0.722 = 1.722$ bits",
        "$-0.88$ nats for $\\sigma = 0.1$",
    )


# --- ML systems ----------------------------------------------------------------------------


def test_recommender_index_memory() -> None:
    assert (1e8 * 128 * 2 / 1e9, 1e8 * 128 * 4 / 1e9, 1e8 * 16 / 1e9) == (25.6, 51.2, 1.6)
    states(
        "ml-systems/recommender-design",
        "128 dimensions in fp16 is 25.6 GB (51.2 GB in fp32)",
        "16 bytes per item brings it to 1.6 GB",
    )


def test_drift_psi_ks_and_label_shift() -> None:
    expected = np.array([0.25, 0.25, 0.25, 0.25])
    actual = np.array([0.15, 0.20, 0.30, 0.35])
    psi = float(np.sum((actual - expected) * np.log(actual / expected)))
    kl_both = float(
        np.sum(actual * np.log(actual / expected) + expected * np.log(expected / actual))
    )
    assert round(psi, 3) == 0.105 and psi == pytest.approx(kl_both)
    n = 1_000_000
    rng = np.random.default_rng(0)
    xs, ys = np.sort(rng.standard_normal(n)), np.sort(rng.standard_normal(n) + 0.01)
    grid = np.concatenate([xs, ys])
    d_stat = float(
        np.max(np.abs(np.searchsorted(xs, grid, "right") - np.searchsorted(ys, grid, "right"))) / n
    )
    assert round(d_stat, 4) == 0.0043
    assert round(1.36 * math.sqrt(2 / n), 4) == 0.0019
    lam = d_stat * math.sqrt(n / 2)
    p_value = 2 * sum((-1) ** (j - 1) * math.exp(-2 * j * j * lam * lam) for j in range(1, 100))
    assert 2e-8 < p_value < 4e-8
    adjusted = 0.8 * 0.2 / (0.8 * 0.2 + 0.2 * 1.8)
    assert round(adjusted, 2) == 0.31
    states(
        "ml-systems/drift-monitoring",
        "\\operatorname{PSI} \\approx 0.105",
        "a Kolmogorov–Smirnov statistic of 0.0043 against a 5% critical value of 0.0019 "
        "($p \\approx 3 \\times 10^{-8}$",
        "\\approx 0.31",
    )


def test_target_encoding_leakage_simulation() -> None:
    rng = np.random.default_rng(0)
    n, levels = 10_000, 2_000
    cat = rng.integers(0, levels, n)
    y = (rng.random(n) < 0.5).astype(np.int64)
    cat_test = rng.integers(0, levels, n)
    y_test = (rng.random(n) < 0.5).astype(np.int64)
    prior = float(y.mean())
    sums = np.bincount(cat, weights=y, minlength=levels)
    counts = np.bincount(cat, minlength=levels)

    def encode(
        train_cat: npt.NDArray[np.int64],
        train_y: npt.NDArray[np.int64],
        query: npt.NDArray[np.int64],
    ) -> Array:
        s = np.bincount(train_cat, weights=train_y, minlength=levels)
        c = np.bincount(train_cat, minlength=levels)
        return np.where(c[query] > 0, s[query] / np.maximum(c[query], 1), prior)

    assert round(auc(encode(cat, y, cat), y), 2) == 0.75
    assert round(auc(encode(cat, y, cat_test), y_test), 2) == 0.50
    smoothed = (sums[cat] + 20 * prior) / (counts[cat] + 20)
    assert round(auc(smoothed, y), 3) == 0.746
    fold = rng.integers(0, 5, n)
    oof = np.empty(n)
    for f in range(5):
        train = fold != f
        oof[~train] = encode(cat[train], y[train], cat[~train])
    assert round(auc(oof, y), 2) == 0.50
    many = counts[cat] > 1
    loo = (sums[cat] - y) / np.maximum(counts[cat] - 1, 1)
    assert np.allclose(y[many], (sums[cat] - (counts[cat] - 1) * loo)[many])
    assert ((5 * 0.6 + 20 * 0.1) / 25, round((500 * 0.6 + 20 * 0.1) / 520, 3)) == (0.2, 0.581)
    collide = [1 - (1 - 1 / m) ** (10**6 - 1) for m in (2**20, 2**24)]
    assert (round(100 * collide[0]), round(100 * collide[1], 1)) == (61, 5.8)
    states(
        "ml-systems/feature-engineering",
        "**training AUC of 0.75**, and 0.50 on fresh test data",
        "(0.746 in-sample)",
        "the training AUC drops to 0.50",
        "$(3 + 2) / 25 = 0.2$",
        "$0.581$",
        "in $2^{20}$ buckets, 61%; in $2^{24}$ buckets, 5.8%",
    )


def test_hyperparameter_search_figures() -> None:
    assert round(1 - 0.95**60, 3) == 0.954
    assert round((0.1 - 0.01) / (0.1 - 1e-5), 2) == 0.90
    budget = sum((81 // 3**i) * 3**i for i in range(5))
    assert (budget, 81 * 81, round(81 * 81 / budget)) == (405, 6561, 16)
    best = np.random.default_rng(0).binomial(1000, 0.8, (100_000, 100)).max(axis=1) / 1000
    assert round(float(best.mean()), 3) == 0.831
    assert round(math.sqrt(0.8 * 0.2 / 1000), 4) == 0.0126
    assert round(expected_max_of_normals(100), 2) == 2.51
    states(
        "ml-systems/hyperparameter-search",
        "$1 - 0.95^{60} \\approx 0.954$",
        "90% of the draws land above $10^{-2}$",
        "= 405$$",
        "$81 \\times 81 = 6{,}561$",
        "16 times cheaper",
        "(standard error 0.0126), the best observed score averages about 0.831",
        "is 2.51 standard errors",
    )


# --- evaluation ----------------------------------------------------------------------------


def test_ranking_metric_examples() -> None:
    def precision_at_hits(rel: list[int], total: int) -> float:
        hits, acc = 0, 0.0
        for i, r in enumerate(rel, start=1):
            if r:
                hits += 1
                acc += hits / i
        return acc / total

    ap1, ap2 = precision_at_hits([0, 1, 0, 1, 1, 0], 3), precision_at_hits([1, 0, 0, 0, 0, 0], 2)
    assert (round(ap1, 3), ap2, round((ap1 + ap2) / 2, 3), (1 / 2 + 1) / 2) == (
        0.533,
        0.5,
        0.517,
        0.75,
    )

    def dcg(rel: list[int], k: int, exponential: bool = True) -> float:
        gains = [(2**r - 1) if exponential else r for r in rel[:k]]
        return sum(g / math.log2(i + 2) for i, g in enumerate(gains))

    rel = [3, 2, 3, 0, 1, 2]
    ideal = sorted(rel, reverse=True)
    terms = [round((2**r - 1) / math.log2(i + 2), 3) for i, r in enumerate(rel)]
    assert terms == [7, 1.893, 3.5, 0, 0.387, 1.069]
    assert (round(dcg(rel, 6), 2), round(dcg(ideal, 6), 2)) == (13.85, 14.60)
    assert round(dcg(rel, 6) / dcg(ideal, 6), 3) == 0.949
    assert (round(dcg(rel, 3), 2), round(dcg(ideal, 3), 2)) == (12.39, 12.92)
    assert round(dcg(rel, 3) / dcg(ideal, 3), 3) == 0.959
    assert round(dcg(rel, 6, False) / dcg(ideal, 6, False), 3) == 0.961
    assert [round(1 / math.log2(i + 1), 2) for i in (2, 3, 10)] == [0.63, 0.5, 0.29]
    states(
        "evaluation/ranking-metrics",
        "MRR $= 0.75$",
        "= 0.533$",
        "MAP is the mean, 0.517",
        "terms $7, 1.893, 3.5, 0, 0.387, 1.069$ and $\\operatorname{DCG@6} = 13.85$",
        "gives 14.60, so $\\operatorname{NDCG@6} = 0.949$",
        "($\\operatorname{NDCG@3} = 12.39 / 12.92 = 0.959$)",
        "(here 0.961)",
        "0.63 at rank 2, 0.5 at rank 3 and 0.29 at rank 10",
    )


def test_regression_metric_examples() -> None:
    y = np.array([10, 12, 8, 15, 9], dtype=float)
    pred = np.array([11, 11, 9, 13, 10], dtype=float)

    def metrics(p: Array) -> tuple[float, float, float, float, float]:
        e = p - y
        mse = float(np.mean(e**2))
        r2 = 1 - float(np.sum(e**2) / np.sum((y - y.mean()) ** 2))
        return mse, math.sqrt(mse), float(np.mean(np.abs(e))), r2, float(np.mean(np.abs(e) / y))

    mse, rmse, mae, r2, mape = metrics(pred)
    assert (mse, round(rmse, 2), mae, round(r2, 3), round(100 * mape, 1)) == (
        1.6,
        1.26,
        1.2,
        0.740,
        11.1,
    )
    outlier = pred.copy()
    outlier[3] = 35
    _, rmse_o, mae_o, r2_o, _ = metrics(outlier)
    assert (round(rmse_o, 2), mae_o, round(r2_o, 1)) == (8.99, 4.8, -12.1)
    assert round(metrics(np.full(5, 12.0))[3], 2) == -0.23
    data = np.array([1, 2, 3, 4, 100], dtype=float)
    grid = np.linspace(0, 120, 120_001)
    losses: dict[str, Callable[[float], float]] = {
        "mse": lambda c: float(np.mean((data - c) ** 2)),
        "mae": lambda c: float(np.mean(np.abs(data - c))),
        "mape": lambda c: float(np.mean(np.abs(data - c) / data)),
    }
    best = {
        name: round(float(grid[int(np.argmin([f(c) for c in grid[::10]])) * 10]))
        for name, f in losses.items()
    }
    assert best == {"mse": 22, "mae": 3, "mape": 2}
    states(
        "evaluation/regression-metrics",
        "give MSE 1.6, RMSE 1.26, MAE 1.2, $R^2 = 0.740$ and MAPE 11.1%",
        "RMSE goes from 1.26 to 8.99",
        "MAE goes from 1.2 to 4.8",
        "$R^2 = -0.23$, and with the outlier prediction $R^2 = -12.1$",
        "the MSE-optimal constant is 22, the MAE-optimal one 3 and the MAPE-optimal one 2",
    )


# --- deep learning -------------------------------------------------------------------------


def _im2col(x: Array, k: int, pad: int) -> tuple[Array, int, int]:
    c, h, w = x.shape
    xp = np.pad(x, ((0, 0), (pad, pad), (pad, pad)))
    ho, wo = h + 2 * pad - k + 1, w + 2 * pad - k + 1
    cols = np.empty((c * k * k, ho * wo))
    row = 0
    for ch in range(c):
        for u in range(k):
            for v in range(k):
                cols[row] = xp[ch, u : u + ho, v : v + wo].ravel()
                row += 1
    return cols, ho, wo


def _col2im(cols: Array, shape: tuple[int, int, int], k: int, pad: int) -> Array:
    c, h, w = shape
    ho, wo = h + 2 * pad - k + 1, w + 2 * pad - k + 1
    xp = np.zeros((c, h + 2 * pad, w + 2 * pad))
    row = 0
    for ch in range(c):
        for u in range(k):
            for v in range(k):
                xp[ch, u : u + ho, v : v + wo] += cols[row].reshape(ho, wo)
                row += 1
    return xp[:, pad : pad + h, pad : pad + w]


def test_conv_backward_via_im2col_matches_finite_differences() -> None:
    rng = np.random.default_rng(0)
    c, f, k, pad = 2, 3, 3, 1
    x = rng.standard_normal((c, 5, 5))
    kernels = rng.standard_normal((f, c, k, k))
    bias = rng.standard_normal(f)
    cols, ho, wo = _im2col(x, k, pad)
    upstream = rng.standard_normal((f, ho, wo))

    def loss(xx: Array, kk: Array) -> float:
        cc, _, _ = _im2col(xx, k, pad)
        return float(np.sum(upstream.reshape(f, -1) * (kk.reshape(f, -1) @ cc + bias[:, None])))

    g2 = upstream.reshape(f, -1)
    d_kernels = (g2 @ cols.T).reshape(kernels.shape)
    d_x = _col2im(kernels.reshape(f, -1).T @ g2, (c, 5, 5), k, pad)
    step = 1e-6

    def loss_of_x(a: Array) -> float:
        return loss(a, kernels)

    def loss_of_kernels(a: Array) -> float:
        return loss(x, a)

    checks: list[tuple[Array, Array, Callable[[Array], float]]] = [
        (x, d_x, loss_of_x),
        (kernels, d_kernels, loss_of_kernels),
    ]
    for arr, grad, fn in checks:
        for idx in np.ndindex(arr.shape):
            e = np.zeros_like(arr)
            e[idx] = step
            assert (fn(arr + e) - fn(arr - e)) / (2 * step) == pytest.approx(grad[idx], abs=1e-6)
    padded = np.pad(upstream, ((0, 0), (k - 1, k - 1), (k - 1, k - 1)))
    full = np.zeros((c, ho + k - 1, wo + k - 1))
    for ch in range(c):
        for i in range(ho + k - 1):
            for j in range(wo + k - 1):
                full[ch, i, j] = np.sum(
                    padded[:, i : i + k, j : j + k] * kernels[:, ch, ::-1, ::-1]
                )
    assert np.allclose(full[:, pad : pad + 5, pad : pad + 5], d_x)
    elems = 64 * 9 * 224 * 224
    assert (round(elems / 1e6, 1), round(elems * 4 / 1e6), round(64 * 224 * 224 * 4 / 1e6, 1)) == (
        28.9,
        116,
        12.8,
    )
    assert round(2 * 64 * elems / 1e9, 1) == 3.7
    states(
        "deep-learning/conv-backward-im2col",
        "$576 \\times 50{,}176 \\approx 28.9$M entries, 116 MB in fp32 against 12.8 MB",
        "is 3.7 GFLOPs",
    )


def test_word2vec_noise_distribution_subsampling_and_gradients() -> None:
    freq = np.array([0.9, 0.09, 0.01])
    noise = freq**0.75 / (freq**0.75).sum()
    assert [round(float(v), 3) for v in noise] == [0.825, 0.147, 0.028]
    assert (
        round(100 * (1 - math.sqrt(1e-5 / 0.01)), 1),
        round(100 * (1 - math.sqrt(1e-5 / 1e-4)), 1),
    ) == (96.8, 68.4)
    rng = np.random.default_rng(0)
    vc, uo, uk = rng.standard_normal(4), rng.standard_normal(4), rng.standard_normal((3, 4))

    def sig(z: Array | float) -> Array:
        return np.asarray(1 / (1 + np.exp(-np.asarray(z))))

    def loss(v: Array, o: Array, neg: Array) -> float:
        return float(-np.log(sig(o @ v)) - np.sum(np.log(sig(-neg @ v))))

    grad_vc = (sig(uo @ vc) - 1) * uo + sig(uk @ vc) @ uk
    grad_uo = (sig(uo @ vc) - 1) * vc
    grad_uk = sig(uk @ vc)[:, None] * vc
    h = 1e-6
    eye = np.eye(4)
    for i in range(4):
        assert (loss(vc + h * eye[i], uo, uk) - loss(vc - h * eye[i], uo, uk)) / (
            2 * h
        ) == pytest.approx(grad_vc[i], abs=1e-6)
        assert (loss(vc, uo + h * eye[i], uk) - loss(vc, uo - h * eye[i], uk)) / (
            2 * h
        ) == pytest.approx(grad_uo[i], abs=1e-6)
        shifted = uk.copy()
        shifted[1, i] += h
        assert (loss(vc, uo, shifted) - loss(vc, uo, uk)) / h == pytest.approx(
            grad_uk[1, i], abs=1e-4
        )
    a, b = 7.0, 2.0  # a log sigma(x) + b log sigma(-x) peaks at x = log(a / b)
    x = np.linspace(-5, 5, 100_001)
    objective = a * np.log(sig(x)) + b * np.log(sig(-x))
    assert float(x[int(np.argmax(objective))]) == pytest.approx(math.log(a / b), abs=1e-4)
    states(
        "deep-learning/word2vec-negative-sampling",
        "the noise probabilities become $(0.825, 0.147, 0.028)$",
        "is dropped 96.8% of the time, one with frequency $10^{-4}$ 68.4% of the time",
    )


def test_debugging_loss_floors() -> None:
    assert (round(math.log(10), 3), round(math.log(1000), 3)) == (2.303, 6.908)
    best = math.e / (math.e + 9)
    assert (round(best, 3), round(-math.log(best), 3)) == (0.232, 1.461)
    assert round(-math.log(1 / (1 + math.exp(-1))), 3) == 0.313
    states(
        "deep-learning/debugging-training",
        "2.303 for 10 classes, 6.908 for 1,000",
        "$e / (e + 9) \\approx 0.232$, so the loss cannot go below 1.461",
        "floors at 0.313",
    )


def test_detection_iou_nms_and_ap() -> None:
    def iou(a: tuple[float, ...], b: tuple[float, ...]) -> float:
        iw = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
        ih = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
        inter = iw * ih
        return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)

    assert round(iou((0, 0, 2, 2), (1, 1, 3, 3)), 3) == 0.143
    assert round(iou((0, 0, 10, 10), (1, 1, 11, 11)), 2) == 0.68
    assert round(iou((0, 0, 10, 10), (2, 2, 12, 12)), 2) == 0.47
    boxes = {"A": ((0, 0, 10, 10), 0.9), "B": ((1, 1, 11, 11), 0.8), "C": ((20, 20, 30, 30), 0.7)}
    remaining = sorted(boxes, key=lambda name: -boxes[name][1])
    kept = []
    while remaining:
        top = remaining.pop(0)
        kept.append(top)
        remaining = [r for r in remaining if iou(boxes[r][0], boxes[top][0]) <= 0.5]
    assert kept == ["A", "C"]
    tp = np.array([1, 1, 0, 1, 0])
    hits = np.cumsum(tp)
    precision, recall = hits / np.arange(1, 6), hits / 4
    interp = [
        float(precision[recall >= r].max()) if np.any(recall >= r) else 0.0
        for r in np.linspace(0, 1, 101)
    ]
    assert round(float(np.mean(interp)), 3) == 0.691
    levels = [0.25, 0.5, 0.75, 1.0]
    area = sum(
        0.25 * max([float(p) for p, rc in zip(precision, recall, strict=True) if rc >= lv] or [0.0])
        for lv in levels
    )
    assert area == 0.6875
    states(
        "deep-learning/object-detection",
        "$\\operatorname{IoU} = 1 / (4 + 4 - 1) = 1/7 \\approx 0.143$",
        "$\\operatorname{IoU} = 81 / 119 \\approx 0.68$",
        "$64 / 136 \\approx 0.47$",
        "= 0.6875$",
        "giving 0.691 here",
    )


def test_vit_b16_parameter_and_compute_counts() -> None:
    d, tokens = 768, 197
    patch = 16 * 16 * 3 * d + d
    block = (4 * d * d + 4 * d) + (8 * d * d + 5 * d) + 4 * d
    body = patch + tokens * d + d + 12 * block + 2 * d
    head = d * 1000 + 1000
    assert (patch, tokens * d, block) == (590_592, 151_296, 7_087_872)
    assert (round(12 * block / 1e6, 1), round(body / 1e6, 1), round((body + head) / 1e6, 1)) == (
        85.1,
        85.8,
        86.6,
    )
    macs = 12 * (12 * tokens * d * d + 2 * tokens * tokens * d) + 196 * d * d
    attention_share = 2 * tokens * tokens * d / (12 * tokens * d * d + 2 * tokens * tokens * d)
    assert (round(macs / 1e9, 1), round(100 * attention_share)) == (17.6, 4)
    assert (24**2 + 1, round(577 / 197, 1), round((577 / 197) ** 2, 1)) == (577, 2.9, 8.6)
    states(
        "architectures/vision-transformer",
        "$16 \\cdot 16 \\cdot 3 \\cdot 768 + 768 = 590{,}592$",
        "$197 \\times 768 = 151{,}296$",
        "7,087,872 parameters, so 85.1M for 12 blocks",
        "about 85.8M without the head, 86.6M with a 1,000-class head",
        "about 17.6 G multiply–adds",
        "only 4% of the total",
        "$24^2 + 1 = 577$ tokens, 2.9 times more",
        "about 8.6 times larger",
    )


def test_distillation_temperatures_and_t_squared() -> None:
    teacher = np.array([5.0, 2.0, 0.0])
    rows = {t: tuple(round(float(p), 3) for p in softmax(teacher / t)) for t in (1, 2, 4, 10)}
    assert rows == {
        1: (0.946, 0.047, 0.006),
        2: (0.766, 0.171, 0.063),
        4: (0.569, 0.269, 0.163),
        10: (0.426, 0.316, 0.258),
    }
    rng = np.random.default_rng(0)
    v = rng.standard_normal(10)
    v -= v.mean()
    z = rng.standard_normal(10)
    z -= z.mean()

    def grad_norm(t: float) -> float:
        return float(np.linalg.norm((softmax(z / t) - softmax(v / t)) / t))

    assert (round(grad_norm(1), 3), round(grad_norm(2), 3), round(grad_norm(20), 4)) == (
        0.421,
        0.108,
        0.0011,
    )
    scaled = [t * t * grad_norm(t) for t in (1, 2, 5, 20, 100)]
    assert all(0.42 <= s <= 0.45 for s in scaled)
    assert round(float(np.linalg.norm((z - v) / 10)), 3) == 0.446
    states(
        "deep-learning/knowledge-distillation",
        "| $p$ | (0.946, 0.047, 0.006) | (0.766, 0.171, 0.063) | "
        "(0.569, 0.269, 0.163) | (0.426, 0.316, 0.258) |",
        "falls from 0.421 at $T = 1$ to 0.108 at $T = 2$ and 0.0011 at $T = 20$",
        "it stays at 0.42–0.45, approaching the limit 0.446",
    )


def test_label_smoothing_optimum_and_floor() -> None:
    found = {}
    for k in (10, 1000):
        top, other = 1 - 0.1 + 0.1 / k, 0.1 / k
        gap = math.log(top / other)
        floor = -(top * math.log(top) + (k - 1) * other * math.log(other))
        found[k] = (round(gap, 2), round(floor, 3))
    assert found == {10: (4.51, 0.500), 1000: (9.11, 1.015)}
    target = np.full(10, 0.01)
    target[0] = 0.91
    z = np.zeros(10)
    for _ in range(20_000):
        z -= softmax(z) - target
    assert z[0] - z[1] == pytest.approx(math.log(91), abs=1e-9)
    states(
        "deep-learning/label-smoothing",
        "$\\log 91 \\approx 4.51$ for $K = 10$ and $\\log 9001 \\approx 9.11$ for $K = 1{,}000$",
        "0.500 nats for $K = 10$ and 1.015 for $K = 1{,}000$",
    )
