"""The import's LaTeX check: every card that names a command mathtext cannot draw is
reported, however many cards before it used only known commands."""

from __future__ import annotations

from pathlib import Path

from quizapp.services.importer import check_paths


def _card(title: str, answer: str, question: str = "What is it?") -> str:
    return (
        f"# {title}\n\n## Question\n\n{question}\n\n## Answer\n\n### Step\n\n{answer}\n\n"
        "## Tags\n\n#Maths\n"
    )


def _unknown_warnings(folder: Path) -> list[tuple[str, int, str]]:
    report = check_paths([folder])
    assert report.ok
    return [
        (problem.file, problem.line, problem.message)
        for problem in report.warnings
        if "unknown LaTeX" in problem.message
    ]


def test_each_card_with_an_unknown_command_is_reported(tmp_path: Path) -> None:
    known = r"$$\frac{\partial L}{\partial w} = \sigma(z) \cdot x$$"
    for index in range(3):
        (tmp_path / f"a{index}.md").write_text(_card(f"Known {index}", known), encoding="utf-8")
    (tmp_path / "b.md").write_text(
        _card("Odd", r"First $\frac{1}{2}$ then $$\sigma(z) + \foo{x}$$"), encoding="utf-8"
    )
    (tmp_path / "c.md").write_text(
        _card("Again", r"$$\frac{\foo}{2}$$", question=r"Is $\cite{x}$ known?"),
        encoding="utf-8",
    )
    assert _unknown_warnings(tmp_path) == [
        ("b.md", 11, r'card "Odd": unknown LaTeX \foo in $\sigma(z) + \foo{x}$'),
        ("c.md", 5, r'card "Again": unknown LaTeX \cite in $\cite{x}$'),
        ("c.md", 11, r'card "Again": unknown LaTeX \foo in $\frac{\foo}{2}$'),
    ]


def test_unknown_environment_is_reported_after_known_commands(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(
        _card("Matrix", r"$$\begin{pmatrix} a \\ b \end{pmatrix}$$"), encoding="utf-8"
    )
    (tmp_path / "b.md").write_text(
        _card("Weird", r"$$\begin{weird} a \end{weird}$$"), encoding="utf-8"
    )
    warnings = _unknown_warnings(tmp_path)
    assert [(file, line) for file, line, _ in warnings] == [("b.md", 11)]
    assert r"\begin{weird}" in warnings[0][2]


def test_formulas_in_code_and_prose_without_commands_are_not_reported(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(
        _card("Prose", "costs $5 and $10, and `$\\nope$` is code"), encoding="utf-8"
    )
    assert _unknown_warnings(tmp_path) == []


def test_an_import_lets_go_of_its_cards_without_the_cyclic_gc(tmp_path: Path) -> None:
    """pylatexenc keeps a caught exception in a frame, which ties the caller's frames into
    a cycle; the run must not hold every parsed card there (one file's worth may stay)."""
    import gc

    from quizapp.cards.model import Card

    for index in range(5):
        (tmp_path / f"gc{index}.md").write_text(
            _card(f"Freed {index}", r"$$\frac{\alpha}{\zeta_{gc}} + \Xi$$"), encoding="utf-8"
        )
    collecting = gc.isenabled()
    gc.disable()
    try:
        report = check_paths([tmp_path])
        assert report.ok and report.files == 5
        left = [o for o in gc.get_objects() if type(o) is Card and o.title.startswith("Freed")]
    finally:
        if collecting:
            gc.enable()
    assert len(left) <= 1
