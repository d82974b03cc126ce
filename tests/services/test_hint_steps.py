"""A hint shows the part of its card step for the current ask only (issue 17): pieces
of the step that name a later ask (by the symbol its prompt asks for, drawn as the
terminal draws it, or by its name in code) are cut; earlier asks' pieces stay."""

from __future__ import annotations

from quizapp.cards.model import Card
from quizapp.cards.parser import parse_text
from quizapp.services.hint_steps import AskLabel, excerpt, hint_step, prompt_symbol

CARD = r"""# Two gradients

## Question
Find both gradients of $Y = XW$.

## Answer

### Both products
For $Y = XW$ the rule is the same for each factor.

$$\frac{\partial L}{\partial W} = X^T \bar{Y}, \qquad \frac{\partial L}{\partial X} = \bar{Y} W^T$$

The first needs $X$. The second, $\partial L / \partial X$, needs $W$.

```python
dW = X.T @ dY
dX = dY @ W.T
```
"""

DW = AskLabel.of("dW", "∂L/∂W (2×3)")
DX = AskLabel.of("dX", "∂L/∂X (4×2)")


def _card() -> Card:
    parsed = parse_text(CARD, default_id="two-gradients")
    assert parsed.cards, parsed.errors
    return parsed.cards[0]


def test_the_prompt_symbol_leaves_out_the_shape() -> None:
    assert prompt_symbol("∂L/∂V (3×2)") == "∂L/∂V"
    assert prompt_symbol("δ⁽²⁾ = ∂L/∂z⁽²⁾") == "δ⁽²⁾"


def test_the_first_ask_does_not_see_the_second() -> None:
    step = hint_step(_card(), "Both products", "∂L/∂W (2×3)", [DX])
    assert step is not None and step.title == "Both products"
    assert r"\frac{\partial L}{\partial W} = X^T \bar{Y}" in step.text
    assert r"\partial X" not in step.text
    assert "The first needs $X$." in step.text
    assert "needs $W$" not in step.text
    assert "dW = X.T @ dY" in step.text
    assert "dX" not in step.text
    assert "same for each factor" in step.text


def test_the_last_ask_sees_the_whole_step() -> None:
    step = hint_step(_card(), "Both products", "∂L/∂X (4×2)", [])
    assert step is not None
    assert step.text == excerpt(step.text, [])
    assert r"\partial X" in step.text and "dX = dY @ W.T" in step.text


def test_the_step_is_found_by_its_formula_when_the_ask_names_none() -> None:
    step = hint_step(_card(), None, "∂L/∂X (4×2)", [DW])
    assert step is not None and step.title == "Both products"
    assert "dW" not in step.text


def test_nothing_is_shown_when_every_piece_names_a_later_ask() -> None:
    assert excerpt(r"$$\frac{\partial L}{\partial X} = 1$$", [DX]) == ""
    assert hint_step(_card(), "No such step", "q", [DX]) is None
