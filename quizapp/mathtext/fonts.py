"""Math alphabets (``\\mathbb``, ``\\mathcal``, ``\\mathbf`` …) as Unicode letters.

The letters come from the Unicode character database by name, so there is no hand-typed table
to get wrong; the few letters that Unicode placed in the older Letterlike Symbols block
(ℝ, ℬ, ℌ, ℎ …) are found through their legacy names.
"""

from __future__ import annotations

import string
import unicodedata
from functools import cache

#: Font command -> Unicode name prefix ("" means upright: letters stay as they are).
FONT_COMMANDS: dict[str, str] = {
    "mathbb": "DOUBLE-STRUCK",
    "mathcal": "SCRIPT",
    "mathscr": "SCRIPT",
    "mathfrak": "FRAKTUR",
    "mathbf": "BOLD",
    "boldsymbol": "BOLD",
    "bm": "BOLD",
    "mathsf": "SANS-SERIF",
    "mathtt": "MONOSPACE",
    "mathit": "ITALIC",
    "mathrm": "",
    "mathnormal": "",
    "operatorname": "",
}

_LEGACY_PREFIX = {"FRAKTUR": "BLACK-LETTER", "DOUBLE-STRUCK": "DOUBLE-STRUCK", "SCRIPT": "SCRIPT"}
_LEGACY_SPECIAL = {("ITALIC", "h"): "ℎ"}

_GREEK_NAMES = {
    "α": "ALPHA", "β": "BETA", "γ": "GAMMA", "δ": "DELTA", "ε": "EPSILON", "ζ": "ZETA",
    "η": "ETA", "θ": "THETA", "ι": "IOTA", "κ": "KAPPA", "λ": "LAMDA", "μ": "MU", "ν": "NU",
    "ξ": "XI", "ο": "OMICRON", "π": "PI", "ρ": "RHO", "σ": "SIGMA", "τ": "TAU",
    "υ": "UPSILON", "φ": "PHI", "χ": "CHI", "ψ": "PSI", "ω": "OMEGA", "ϵ": "EPSILON SYMBOL",
    "ϕ": "PHI SYMBOL", "ϑ": "THETA SYMBOL", "ϱ": "RHO SYMBOL", "ϖ": "PI SYMBOL",
    "ϰ": "KAPPA SYMBOL",
}  # fmt: skip


def _names(char: str) -> str | None:
    if char in string.ascii_uppercase:
        return f"CAPITAL {char}"
    if char in string.ascii_lowercase:
        return f"SMALL {char.upper()}"
    if char in string.digits:
        return f"DIGIT {unicodedata.name(char).split()[-1]}"
    if char in _GREEK_NAMES:
        return f"SMALL {_GREEK_NAMES[char]}"
    lower = char.lower()
    if lower in _GREEK_NAMES and lower != char:
        return f"CAPITAL {_GREEK_NAMES[lower]}"
    return None


@cache
def styled(char: str, style: str) -> str:
    """``char`` in the math alphabet ``style``, or ``char`` itself when Unicode has none."""
    if not style:
        return char
    if (style, char) in _LEGACY_SPECIAL:
        return _LEGACY_SPECIAL[(style, char)]
    tail = _names(char)
    if tail is None:
        return char
    candidates = [f"MATHEMATICAL {style} {tail}"]
    if style in _LEGACY_PREFIX:
        candidates.append(f"{_LEGACY_PREFIX[style]} {tail}")
    for name in candidates:
        try:
            return unicodedata.lookup(name)
        except KeyError:
            continue
    return char


def styled_text(text: str, style: str) -> str:
    """Every character of ``text`` in the math alphabet ``style`` where one exists."""
    return "".join(styled(char, style) for char in text)
