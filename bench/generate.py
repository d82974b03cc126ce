"""Seeded synthetic data for the benchmarks.

Cards are shaped like the real user's reference card (about 2.4 kB, 13 display formulas, a
code block, tags and a difficulty) and spread over folders and tags, so that the importer,
the store and the renderer see realistic work. Review histories are drawn from the FSRS
model itself: each review passes with the card's predicted recall at that moment.
"""

from __future__ import annotations

import random
from pathlib import Path

TOPICS = [
    "backprop",
    "optim",
    "regular",
    "norm",
    "cnn",
    "rnn",
    "attention",
    "loss",
    "linear",
    "trees",
    "pca",
    "kmeans",
    "svm",
    "metrics",
    "calib",
    "leakage",
]
TAGS = [
    "DeepLearning",
    "Backpropagation",
    "GradientDescent",
    "NeuralNetworks",
    "Optimisation",
    "Regularisation",
    "Normalisation",
    "CNN",
    "RNN",
    "Attention",
    "Transformers",
    "Probability",
    "LossFunctions",
    "ClassicML",
    "Evaluation",
    "Metrics",
    "Calibration",
    "Ensembles",
    "Unsupervised",
    "LinearModels",
]
DIFFICULTIES = ["Easy", "Medium", "Hard"]

FORMULAS = [
    r"z^{[{l}]} = W^{[{l}]}a^{[{k}]} + b^{[{l}]}",
    r"a^{[{l}]} = \sigma(z^{[{l}]})",
    r"\hat{y} = \sigma(z^{[{l}]})",
    r"L = \frac{1}{2}(\hat{y} - y)^2",
    r"\frac{\partial L}{\partial \hat{y}} = \hat{y} - y",
    r"\delta^{[{l}]} = (\hat{y} - y) \cdot \sigma'(z^{[{l}]})",
    r"\frac{\partial L}{\partial W^{[{l}]}} = \delta^{[{l}]} \cdot (a^{[{k}]})^T",
    r"\frac{\partial L}{\partial b^{[{l}]}} = \delta^{[{l}]}",
    r"\delta^{[{k}]} = (W^{[{l}]})^T \delta^{[{l}]} \odot \sigma'(z^{[{k}]})",
    r"\theta_{t+1} = \theta_t - \eta \nabla_\theta L(\theta_t)",
    r"\mathbb{E}[x] = \sum_{i=1}^{n} p_i x_i",
    r"\hat{m}_t = \frac{m_t}{1 - \beta_1^t}",
    r"\sigma(z) = \frac{1}{1 + e^{-z}}",
]

CODE = """```python
import numpy as np

def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))

grad = (yhat - y) * yhat * (1 - yhat)
W2 -= lr * grad @ a1.T
```"""


def card_text(index: int, rng: random.Random, *, edited: bool = False) -> str:
    """One reference-shaped card, about 2.4 kB, different for every index."""
    layer = str(rng.randint(1, 9))
    prev = str(int(layer) - 1)
    formulas = ["$$" + f.replace("{l}", layer).replace("{k}", prev) + "$$" for f in FORMULAS]
    tags = " ".join("#" + t for t in rng.sample(TAGS, 4))
    note = " (revised)" if edited else ""
    return f"""# Synthetic question {index}: layer {layer} gradients{note}

## Question
Explain how the gradient reaches layer {layer} in network {index}, and derive each term.

## Answer

### Overview
Gradients flow backwards through layer {layer} by the chain rule; each term below is one
link of the chain, computed once and reused, which is why the algorithm is linear in depth.
The same structure holds for any differentiable layer: only the local derivative changes.
Working through one small network by hand is the best preparation for the interview.

### Forward Pass
{formulas[0]}
{formulas[1]}
{formulas[2]}
{formulas[3]}

## Backward Pass

### Output Layer
{formulas[4]}

{formulas[5]}

{formulas[6]}

{formulas[7]}

### Hidden Layer
{formulas[8]}

## Update Rules
{formulas[9]}

{formulas[10]}

{formulas[11]}

{formulas[12]}

## Implementation
{CODE}

## Vanishing and Exploding Gradients

**Vanishing:** each sigmoid derivative is at most 0.25, so a product of many of them shrinks
geometrically and the early layers of network {index} barely learn. **Exploding:** weights
with a spectral norm above one make the same product grow instead.

**Remedies:**
- ReLU-family activations, whose derivative is one on the active side
- Careful initialisation (Xavier for tanh, He for ReLU)
- Normalisation layers and residual connections
- Gradient clipping by global norm for recurrent networks

## Key Takeaways
1. **The chain rule** gives every gradient as a product of local derivatives.
2. **Store activations** in the forward pass; the backward pass needs them.
3. **Shapes check the algebra**: a gradient has the shape of its parameter.

## Tags
{tags}

## Difficulty
{rng.choice(DIFFICULTIES)}

## Related Questions
- Synthetic question {max(index - 1, 0)}: layer {layer} gradients
- What are vanishing and exploding gradients?
"""


def write_deck(root: Path, count: int, seed: int = 7) -> list[Path]:
    """Write ``count`` card files under ``root``, spread over topic folders."""
    rng = random.Random(seed)
    paths = []
    for i in range(count):
        folder = root / TOPICS[i % len(TOPICS)] / f"part{(i // len(TOPICS)) % 8}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"card{i:06d}.md"
        path.write_text(card_text(i, rng), encoding="utf-8")
        paths.append(path)
    return paths


def edit_some(paths: list[Path], fraction: float, seed: int = 11) -> list[Path]:
    """Rewrite a seeded ``fraction`` of the cards with changed text (same ids)."""
    rng = random.Random(seed)
    chosen = rng.sample(paths, max(1, int(len(paths) * fraction)))
    for path in chosen:
        index = int(path.stem.removeprefix("card"))
        path.write_text(card_text(index, random.Random(index), edited=True), encoding="utf-8")
    return chosen
