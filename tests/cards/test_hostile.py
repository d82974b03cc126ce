"""A hostile-input corpus at the parser level: every input ends in a clean import or a
clean error (never an exception), and nothing in the input runs or expands."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.cards import parse_file, parse_text
from quizapp.cards.limits import MAX_CARD_CHARS, MAX_FILE_BYTES
from quizapp.cards.model import ParsedFile

from .helpers import card_source

LAUGHS = "\n".join(
    [
        'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
        *(
            f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]"
            for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
        ),
    ]
)


def is_clean(parsed: ParsedFile) -> bool:
    """Either cards and no errors, or errors and no cards; every message one line."""
    problems = parsed.errors + parsed.warnings
    assert all("\n" not in str(problem) and problem.line >= 0 for problem in problems)
    assert bool(parsed.errors) != bool(parsed.cards) or (not parsed.errors and not parsed.cards)
    return True


def test_truncated_files_never_raise(fixtures: Path, tmp_path: Path) -> None:
    data = (fixtures / "reference-like.md").read_bytes()
    target = tmp_path / "cut.md"
    outcomes = set()
    for cut in range(0, len(data), 13):
        target.write_bytes(data[:cut])
        parsed = parse_file(target, tmp_path)
        assert is_clean(parsed)
        outcomes.add(parsed.ok)
    assert outcomes == {True, False}


def test_truncation_inside_a_multibyte_character(tmp_path: Path) -> None:
    data = card_source(answer="### Step\nσ′ ends here").encode()
    target = tmp_path / "cut.md"
    target.write_bytes(data[: data.index("′".encode()) + 1])
    parsed = parse_file(target, tmp_path)
    assert [problem.message for problem in parsed.errors] == [
        "not valid UTF-8 (byte 0xe2 at column 2); save it as UTF-8"
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"# T\x00itle\n", "not a text file (it contains NUL bytes)"),
        (b"# Title\n\xff\xfe\n", "not valid UTF-8 (byte 0xff at column 1); save it as UTF-8"),
        (b"\xff\xfe#\x00 \x00T\x00", "file is UTF-16 encoded; save it as UTF-8"),
        (b"\xfe\xff\x00#\x00 \x00T", "file is UTF-16 encoded; save it as UTF-8"),
        ("# Title\n".encode("utf-16-le"), "not a text file (it contains NUL bytes)"),
        (b"\xc0\xaf overlong slash", "not valid UTF-8 (byte 0xc0 at column 1); save it as UTF-8"),
    ],
)
def test_non_text_bytes(tmp_path: Path, data: bytes, message: str) -> None:
    (tmp_path / "x.md").write_bytes(data)
    parsed = parse_file(tmp_path / "x.md", tmp_path)
    assert [problem.message for problem in parsed.errors] == [message]
    assert parsed.cards == []


def test_nul_in_text_given_directly() -> None:
    parsed = parse_text(card_source(question="a\x00b"), path="n.md")
    assert [str(problem) for problem in parsed.errors] == [
        "n.md:4: not a text file (it contains NUL bytes)"
    ]


def test_lone_surrogate_in_text_given_directly() -> None:
    parsed = parse_text(card_source(question="half \udcff"), path="s.md")
    assert [str(problem) for problem in parsed.errors] == [
        "s.md:4: not valid Unicode text (it contains a lone surrogate)"
    ]


def test_ten_megabyte_line(tmp_path: Path) -> None:
    line = "a" * (10 * MAX_FILE_BYTES)
    (tmp_path / "long.md").write_text(card_source(question=line))
    size = (tmp_path / "long.md").stat().st_size
    assert [problem.message for problem in parse_file(tmp_path / "long.md", tmp_path).errors] == [
        f"file is {size:,} bytes, larger than the limit of 1,048,576 bytes"
    ]
    assert parse_text(card_source(question=line)).errors[0].message == (
        "file is larger than the limit of 1,048,576 bytes"
    )


def test_long_line_just_under_the_file_limit_is_refused_by_the_card_limit() -> None:
    line = "word " * ((MAX_FILE_BYTES - 1000) // 5)
    parsed = parse_text(card_source(question=line, answer="It is $x$."))
    assert [str(problem) for problem in parsed.errors] == [
        f"<string>:1: this card holds {len(line.strip()) + len('It is $x$.'):,} characters,"
        f" over the limit of {MAX_CARD_CHARS:,}; split it into several cards"
    ]
    fits = "word " * ((MAX_CARD_CHARS - 1000) // 5)
    parsed = parse_text(card_source(question=fits))
    assert parsed.ok
    assert parsed.cards[0].question == fits.strip()


def test_ten_thousand_headings() -> None:
    source = card_source(answer="## H\n" * 10_000)
    parsed = parse_text(source, path="h.md")
    assert [problem.message for problem in parsed.errors] == [
        "more than 2,000 headings in one file"
    ]


def test_billion_laughs_in_a_used_field_is_rejected() -> None:
    source = f"---\n{LAUGHS}\ntags: *i\n---\n" + card_source()
    parsed = parse_text(source, path="lol.md")
    assert [str(problem) for problem in parsed.errors] == [
        'lol.md:11: front matter "tags" must be a list of values or a single value'
    ]


def test_billion_laughs_in_an_unknown_field_is_never_expanded() -> None:
    source = f"---\n{LAUGHS}\nid: safe\n---\n" + card_source()
    parsed = parse_text(source)
    assert parsed.ok
    assert parsed.cards[0].id == "safe"


@pytest.mark.parametrize(
    "front",
    [
        "tags: " + "[" * 5000 + "]" * 5000,
        "x: " + "{a: " * 5000 + "1" + "}" * 5000,
        "".join(" " * depth + "k:\n" for depth in range(1200)).rstrip("\n"),
    ],
    ids=["flow-lists", "flow-mappings", "block-mappings"],
)
def test_deeply_nested_yaml(front: str) -> None:
    parsed = parse_text(f"---\n{front}\n---\n" + card_source(), path="deep.md")
    assert [problem.message for problem in parsed.errors] == [
        "broken YAML front matter: exceeded maximum nesting depth"
    ]


@pytest.mark.parametrize(
    "value",
    [
        "!!python/object/apply:os.system ['touch {marker}']",
        "!!python/object/new:subprocess.Popen [['touch', '{marker}']]",
        "!!python/name:os.system",
        "!!python/object:builtins.dict {{}}",
    ],
)
def test_python_tags_are_refused_and_nothing_runs(tmp_path: Path, value: str) -> None:
    marker = tmp_path / "pwned"
    source = f"---\nid: {value.format(marker=marker)}\n---\n" + card_source()
    parsed = parse_text(source, path="evil.md")
    assert len(parsed.errors) == 1
    error = str(parsed.errors[0])
    assert error.startswith("evil.md:2: broken YAML front matter: the YAML tag !!python/")
    assert error.endswith("is not allowed (only plain values and lists)")
    assert not marker.exists()


@pytest.mark.parametrize(
    "body",
    [
        ">" * 5000 + " quoted",
        "".join("  " * depth + "1. item\n" for depth in range(2000)),
        "".join(">" * depth + " - x\n" for depth in range(1, 60)),
        "[" * 10_000 + "link" + "]" * 10_000,
        "*" * 10_000 + "x" + "_" * 10_000,
        "![" * 5_000,
        "$" * 100_000,
        "```\n" * 10_000,
        "| a |\n|---|\n" + "| x |\n" * 5_000,
        "<div>\n" * 10_000,
        "\\" * 100_000,
    ],
    ids=[
        "quotes",
        "ordered-lists",
        "quote-lists",
        "brackets",
        "emphasis",
        "images",
        "dollars",
        "fences",
        "table",
        "html",
        "backslashes",
    ],
)
def test_pathological_markdown_ends_cleanly(body: str) -> None:
    parsed = parse_text(card_source(answer=body))
    assert is_clean(parsed)


def test_control_and_escape_characters_are_kept_as_data() -> None:
    hostile = "\x1b[2J\x1b]52;c;cHduZWQ=\x07 [bold]x[/bold] \u202eevil"
    card = parse_text(card_source(question=hostile)).cards[0]
    assert card.question == hostile
