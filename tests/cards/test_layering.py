"""The cards package is core code: it never imports textual, and its model stays light."""

from __future__ import annotations

import subprocess
import sys


def loaded_modules(statement: str) -> set[str]:
    """The top-level modules loaded by running ``statement`` in a fresh interpreter."""
    program = f"{statement}\nimport sys\nprint(' '.join(sorted(sys.modules)))"
    output = subprocess.run(
        [sys.executable, "-c", program], check=True, capture_output=True, text=True
    ).stdout
    return {name.split(".")[0] for name in output.split()}


def test_cards_package_does_not_import_textual() -> None:
    modules = loaded_modules(
        "import quizapp.cards\n"
        "from quizapp.cards import parse_text, parse_file, discover\n"
        "parse_text('# T\\n## Question\\nq\\n## Answer\\nâ†’ a\\n')"
    )
    assert "markdown_it" in modules  # the statement really loaded the parser
    assert "textual" not in modules
    assert "rich" not in modules


def test_the_model_alone_does_not_load_the_parser() -> None:
    modules = loaded_modules("from quizapp.cards.model import Card\nimport quizapp.cards")
    assert not {"markdown_it", "yaml", "ftfy", "textual"} & modules
