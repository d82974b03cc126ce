"""Unicode superscript and subscript forms.

A script is written with these forms only when *every* character has one; a half-raised
``x⁽ⁱ,j⁾`` would read wrongly, so the caller falls back to ``^(…)``/``_(…)`` instead.
"""

from __future__ import annotations

from rich.cells import cell_len

_SUPER_PAIRS = (
    "0⁰ 1¹ 2² 3³ 4⁴ 5⁵ 6⁶ 7⁷ 8⁸ 9⁹ +⁺ -⁻ −⁻ =⁼ (⁽ )⁾ [⁽ ]⁾ "
    "aᵃ bᵇ cᶜ dᵈ eᵉ fᶠ gᵍ hʰ iⁱ jʲ kᵏ lˡ mᵐ nⁿ oᵒ pᵖ rʳ sˢ tᵗ uᵘ vᵛ wʷ xˣ yʸ zᶻ "
    "Aᴬ Bᴮ Dᴰ Eᴱ Gᴳ Hᴴ Iᴵ Jᴶ Kᴷ Lᴸ Mᴹ Nᴺ Oᴼ Pᴾ Rᴿ Tᵀ Uᵁ Vⱽ Wᵂ "
    "αᵅ βᵝ γᵞ δᵟ εᵋ θᶿ ιᶥ φᵠ ϕᵠ χᵡ ⊤ᵀ ′′ ″″ ‴‴ ** ∗* †† ∘°"
)
_SUB_PAIRS = (
    "0₀ 1₁ 2₂ 3₃ 4₄ 5₅ 6₆ 7₇ 8₈ 9₉ +₊ -₋ −₋ =₌ (₍ )₎ [₍ ]₎ "
    "aₐ eₑ hₕ iᵢ jⱼ kₖ lₗ mₘ nₙ oₒ pₚ rᵣ sₛ tₜ uᵤ vᵥ xₓ βᵦ γᵧ ρᵨ φᵩ ϕᵩ χᵪ"
)

SUPERSCRIPT: dict[str, str] = {pair[0]: pair[1] for pair in _SUPER_PAIRS.split()}
SUBSCRIPT: dict[str, str] = {pair[0]: pair[1] for pair in _SUB_PAIRS.split()}


def _convert(text: str, table: dict[str, str]) -> str | None:
    if not text:
        return None
    out = []
    for char in text:
        mapped = table.get(char)
        if mapped is None:
            return None
        out.append(mapped)
    return "".join(out)


def to_superscript(text: str) -> str | None:
    """``text`` in superscript characters, or None if any character has no such form."""
    return _convert(text, SUPERSCRIPT)


def to_subscript(text: str) -> str | None:
    """``text`` in subscript characters, or None if any character has no such form."""
    return _convert(text, SUBSCRIPT)


def fallback_script(marker: str, text: str) -> str:
    """``^x`` for a single cell, ``^(text)`` otherwise: the readable ASCII form of a script."""
    if cell_len(text) == 1:
        return f"{marker}{text}"
    return f"{marker}({text})"
