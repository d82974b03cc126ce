"""What each LaTeX control word means: its Unicode text and its atom class.

These are data tables, looked up by the parser. A command missing from every table here is
an *unknown command*: rendered as marked source and reported by :func:`unknown_commands`.
"""

from __future__ import annotations

from .nodes import Kind

_GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
    "varkappa": "ϰ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "omicron": "ο", "pi": "π",
    "varpi": "ϖ", "rho": "ρ", "varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ",
    "upsilon": "υ", "phi": "ϕ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π",
    "Sigma": "Σ", "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}  # fmt: skip

_ORD = {
    "infty": "∞", "partial": "∂", "nabla": "∇", "forall": "∀", "exists": "∃", "nexists": "∄",
    "emptyset": "∅", "varnothing": "∅", "neg": "¬", "lnot": "¬", "top": "⊤", "bot": "⊥",
    "ell": "ℓ", "hbar": "ℏ", "Re": "ℜ", "Im": "ℑ", "aleph": "ℵ", "angle": "∠",
    "triangle": "△", "prime": "′", "dagger": "†", "ddagger": "‡", "ldots": "…", "dots": "…",
    "dotsc": "…", "dotsb": "⋯", "cdots": "⋯", "vdots": "⋮", "ddots": "⋱", "checkmark": "✓",
    "square": "□", "blacksquare": "■", "#": "#", "$": "$", "%": "%", "&": "&", "_": "_",
    "|": "‖", "Vert": "‖", "vert": "|", "backslash": "\\", "degree": "°", "sharp": "♯",
    "flat": "♭", "clubsuit": "♣", "diamondsuit": "♢", "heartsuit": "♡", "spadesuit": "♠",
    "imath": "ı", "jmath": "ȷ", "wp": "℘", "mho": "℧", "surd": "√", "star": "⋆",
}  # fmt: skip

_BIN = {
    "pm": "±", "mp": "∓", "times": "×", "cdot": "·", "div": "÷", "odot": "⊙", "otimes": "⊗",
    "oplus": "⊕", "ominus": "⊖", "oslash": "⊘", "circ": "∘", "ast": "∗", "bullet": "•",
    "cup": "∪", "cap": "∩", "setminus": "∖", "wedge": "∧", "land": "∧", "vee": "∨", "lor": "∨",
    "sqcup": "⊔", "sqcap": "⊓", "uplus": "⊎", "diamond": "⋄", "bmod": "mod", "mod": "mod",
    "amalg": "⨿", "wr": "≀", "triangleleft": "◁", "triangleright": "▷",
}  # fmt: skip

_REL = {
    "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "approx": "≈",
    "equiv": "≡", "sim": "∼", "simeq": "≃", "cong": "≅", "propto": "∝", "in": "∈",
    "notin": "∉", "ni": "∋", "subset": "⊂", "subseteq": "⊆", "supset": "⊃", "supseteq": "⊇",
    "to": "→", "rightarrow": "→", "leftarrow": "←", "gets": "←", "Rightarrow": "⇒",
    "Leftarrow": "⇐", "Leftrightarrow": "⇔", "leftrightarrow": "↔", "iff": "⟺",
    "implies": "⟹", "impliedby": "⟸", "mapsto": "↦", "longrightarrow": "⟶",
    "longleftarrow": "⟵", "Longrightarrow": "⟹", "Longleftarrow": "⟸",
    "longmapsto": "⟼", "uparrow": "↑", "downarrow": "↓", "updownarrow": "↕",
    "Uparrow": "⇑", "Downarrow": "⇓", "nearrow": "↗", "searrow": "↘", "hookrightarrow": "↪",
    "rightleftharpoons": "⇌", "ll": "≪", "gg": "≫", "perp": "⊥", "parallel": "∥",
    "mid": "∣", "nmid": "∤", "coloneqq": "≔", "eqqcolon": "≕", "triangleq": "≜",
    "doteq": "≐", "models": "⊨", "vdash": "⊢", "dashv": "⊣", "prec": "≺", "succ": "≻",
    "preceq": "⪯", "succeq": "⪰", "lesssim": "≲", "gtrsim": "≳", "leqslant": "⩽",
    "geqslant": "⩾", "asymp": "≍", "sqsubseteq": "⊑", "sqsupseteq": "⊒", "nsim": "≁",
    "approxeq": "≊", "lll": "⋘", "ggg": "⋙", "vDash": "⊨", "bowtie": "⋈",
}  # fmt: skip

_OPEN = {
    "{": "{", "lbrace": "{", "langle": "⟨", "lVert": "‖", "lvert": "|", "lfloor": "⌊",
    "lceil": "⌈", "lbrack": "[", "lparen": "(",
}  # fmt: skip

_CLOSE = {
    "}": "}", "rbrace": "}", "rangle": "⟩", "rVert": "‖", "rvert": "|", "rfloor": "⌋",
    "rceil": "⌉", "rbrack": "]", "rparen": ")",
}  # fmt: skip

_PUNCT = {"colon": ":", "ldotp": ".", "cdotp": "·"}

#: Big operators: limits above/below in display mode, and a space after them inline.
BIG_OPS = {
    "sum": "∑", "prod": "∏", "coprod": "∐", "int": "∫", "iint": "∬", "iiint": "∭",
    "oint": "∮", "bigcup": "⋃", "bigcap": "⋂", "bigoplus": "⨁", "bigotimes": "⨂",
    "bigodot": "⨀", "bigvee": "⋁", "bigwedge": "⋀", "bigsqcup": "⨆", "biguplus": "⨄",
}  # fmt: skip

#: Named operators; ``True`` means their subscripts go underneath in display mode.
FUNCTIONS = {
    "log": False, "ln": False, "lg": False, "exp": False, "sin": False, "cos": False,
    "tan": False, "sec": False, "csc": False, "cot": False, "sinh": False, "cosh": False,
    "tanh": False, "coth": False, "arcsin": False, "arccos": False, "arctan": False,
    "arg": False, "deg": False, "dim": False, "hom": False, "ker": False, "max": True,
    "min": True, "sup": True, "inf": True, "lim": True, "limsup": True, "liminf": True,
    "det": True, "gcd": True, "Pr": True, "argmax": True, "argmin": True,
}  # fmt: skip

#: Named operators whose printed name differs from the command name.
FUNCTION_TEXT = {"limsup": "lim sup", "liminf": "lim inf"}


def _table() -> dict[str, tuple[str, Kind]]:
    table: dict[str, tuple[str, Kind]] = {}
    for names, kind in (
        (_GREEK, Kind.ORD),
        (_ORD, Kind.ORD),
        (_BIN, Kind.BIN),
        (_REL, Kind.REL),
        (_OPEN, Kind.OPEN),
        (_CLOSE, Kind.CLOSE),
        (_PUNCT, Kind.PUNCT),
    ):
        for name, text in names.items():
            table[name] = (text, kind)
    return table


#: Every simple symbol command: name (without backslash) -> (text, kind).
SYMBOLS: dict[str, tuple[str, Kind]] = _table()

#: Atom class of single characters typed directly in the formula.
CHAR_KINDS: dict[str, Kind] = {
    "+": Kind.BIN, "-": Kind.BIN, "*": Kind.BIN, "=": Kind.REL, "<": Kind.REL,
    ">": Kind.REL, ":": Kind.REL, ",": Kind.PUNCT, ";": Kind.PUNCT, "(": Kind.OPEN,
    "[": Kind.OPEN, ")": Kind.CLOSE, "]": Kind.CLOSE,
}  # fmt: skip
for _text, _kind in SYMBOLS.values():
    # | and ‖ open and close (\lvert, \rVert): typed directly, they stay ordinary like in TeX
    if len(_text) == 1 and _text not in CHAR_KINDS and _kind is not Kind.ORD and _text not in "|‖":
        CHAR_KINDS[_text] = _kind
for _text in BIG_OPS.values():
    CHAR_KINDS[_text] = Kind.OP

#: Combining mark and the spacing character used above a multi-line body.
ACCENTS: dict[str, tuple[str, str]] = {
    "hat": ("\u0302", "^"), "widehat": ("\u0302", "^"), "bar": ("\u0304", "‾"),
    "overline": ("\u0305", "‾"), "tilde": ("\u0303", "~"), "widetilde": ("\u0303", "~"),
    "vec": ("\u20d7", "→"), "overrightarrow": ("\u20d7", "→"), "dot": ("\u0307", "˙"),
    "ddot": ("\u0308", "¨"), "check": ("\u030c", "ˇ"), "breve": ("\u0306", "˘"),
    "acute": ("\u0301", "´"), "grave": ("\u0300", "`"), "mathring": ("\u030a", "˚"),
    "underline": ("\u0332", "_"),
}  # fmt: skip

#: Explicit spacing commands -> width in cells.
SPACES: dict[str, int] = {
    ",": 1, ":": 1, ">": 1, ";": 1, " ": 1, "!": 0, "quad": 2, "qquad": 4, "enspace": 1,
    "thinspace": 1, "medspace": 1, "thickspace": 1, "negthinspace": 0, "space": 1,
}  # fmt: skip

#: Commands that only change size or style in TeX; a terminal has one size, so they vanish.
IGNORED = frozenset(
    {
        "displaystyle", "textstyle", "scriptstyle", "scriptscriptstyle", "big", "Big",
        "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "Biggl", "Biggr",
        "bigm", "Bigm", "nonumber", "notag", "limits", "nolimits", "relax", "strut",
        "mathstrut", "allowbreak", "nobreak",
    }
)  # fmt: skip

#: Commands that take one argument and drop it (labels, colours, vertical space).
DROP_ONE_ARG = frozenset({"label", "color", "vspace", "vspace*", "phantom", "vphantom"})

#: Text-mode commands whose argument is shown as upright prose.
TEXT_COMMANDS = frozenset(
    {"text", "textrm", "textnormal", "textup", "textit", "textbf", "textsf", "texttt", "mbox",
     "hbox", "textmd", "emph"}
)  # fmt: skip

#: Symbols allowed inside \text{…}: name -> text.
TEXT_SYMBOLS: dict[str, str] = {
    "%": "%", "&": "&", "_": "_", "$": "$", "#": "#", "{": "{", "}": "}", ",": " ", " ": " ",
    "ldots": "…", "dots": "…", "textbackslash": "\\", "quad": "  ", "qquad": "    ",
    ";": " ", ":": " ", "!": "", "textendash": "–", "textemdash": "—", "S": "§",
}  # fmt: skip

#: Environments laid out as grids: name -> (kind, left delimiter, right delimiter).
ENVIRONMENTS: dict[str, tuple[str, str, str]] = {
    "matrix": ("matrix", "", ""), "smallmatrix": ("matrix", "", ""),
    "pmatrix": ("matrix", "(", ")"), "bmatrix": ("matrix", "[", "]"),
    "Bmatrix": ("matrix", "{", "}"), "vmatrix": ("matrix", "|", "|"),
    "Vmatrix": ("matrix", "‖", "‖"), "array": ("matrix", "", ""),
    "aligned": ("aligned", "", ""), "align": ("aligned", "", ""),
    "align*": ("aligned", "", ""), "alignat": ("aligned", "", ""),
    "alignat*": ("aligned", "", ""), "alignedat": ("aligned", "", ""),
    "split": ("aligned", "", ""), "eqnarray": ("aligned", "", ""),
    "eqnarray*": ("aligned", "", ""), "gather": ("gather", "", ""),
    "gather*": ("gather", "", ""), "gathered": ("gather", "", ""),
    "multline": ("gather", "", ""), "multline*": ("gather", "", ""),
    "equation": ("gather", "", ""), "equation*": ("gather", "", ""),
    "displaymath": ("gather", "", ""), "cases": ("cases", "{", ""),
    "dcases": ("cases", "{", ""), "rcases": ("cases", "", "}"),
}  # fmt: skip
