"""Delimited text: Anki's plain-text export and its headers, separators and quoting, HTML
and MathJax, note types, header rows, Quizlet/Mochi two-column exports, what the format
claims, malformed files, and which edits keep a card's history.

The files follow Anki's manual ("Text Files", "File Headers") and the two-column term and
definition layout Quizlet and Mochi export; they are written here.
"""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from quizapp.cards import parse_text
from quizapp.cards.formats import FileContext
from quizapp.cards.formats.delimited import DelimitedFormat
from quizapp.cards.formats.delimited_text import RecordError, headers, records
from quizapp.cards.formats.html_fields import html_to_markdown, looks_like_html
from quizapp.cards.model import CardKind, ParsedFile
from quizapp.store.db import Database

from .history import counts, history, is_new, present, review, run, write

FORMAT = DelimitedFormat()

ANKI = (
    "#separator:tab\n#html:true\n#tags:export\n#notetype column:1\n#deck column:2\n"
    "#tags column:5\n"
    "Basic\tML::Optim\tWhat does <b>momentum</b> add?\t"
    "An average: \\(v_t = \\beta v + g\\)\tsgd ml::opt\n"
    "Cloze\tML\tThe logit is {{c1::\\(\\log\\frac{p}{1-p}\\)::log-odds}} of {{c2::p}}\t"
    "<i>extra</i>\tstats\n"
    "Basic (and reversed card)\tML\tReLU\tmax(0, x)\t\n"
    "Basic (optional reversed card)\tML\tGELU\tx&nbsp;&Phi;(x)\t\n"
)


def parse(text: str, path: str = "decks/ml.tsv", question_only: bool = False) -> ParsedFile:
    parsed = parse_text(text, path=path, deck="decks", question_only=question_only)
    assert parsed.format == "delimited", parsed.skipped or parsed.format
    assert parsed.errors == [], [str(problem) for problem in parsed.errors]
    return parsed


def test_anki_notes_in_plain_text() -> None:
    cards = parse(ANKI).cards
    assert [(card.kind, card.question) for card in cards] == [
        (CardKind.BASIC, "What does **momentum** add?"),
        (CardKind.CLOZE, "The logit is {{c1::$\\log\\frac{p}{1-p}$::log-odds}} of p"),
        (CardKind.CLOZE, "The logit is $\\log\\frac{p}{1-p}$ of {{c2::p}}"),
        (CardKind.BASIC, "ReLU"),
        (CardKind.REVERSED, "max(0, x)"),
        (CardKind.BASIC, "GELU"),
    ]
    assert cards[0].steps[0].text == "An average: $v_t = \\beta v + g$"
    assert cards[1].steps[0].text == "*extra*"
    assert cards[5].steps[0].text == "x Φ(x)"
    assert [card.deck for card in cards] == ["ML/Optim"] + ["ML"] * 5
    assert cards[0].tags == ("export", "sgd", "ml/opt")
    assert cards[1].tags == ("export", "stats")
    assert [card.line for card in cards] == [7, 8, 8, 9, 9, 10]
    assert cards[3].note == cards[4].note == "decks/ml.tsv#relu"
    assert cards[0].id == "decks/ml.tsv#what-does-momentum-add"
    assert {card.format for card in cards} == {"delimited"}


@pytest.mark.parametrize(
    ("header", "line"),
    [
        ("#separator:Comma", "q,a"),
        ("#separator:,", "q,a"),
        ("#separator:Semicolon", "q;a"),
        ("#separator:Pipe", "q|a"),
        ("#separator:Colon", "q:a"),
        ("#separator:Space", "q a"),
        ("#separator:Tab", "q\ta"),
    ],
)
def test_every_separator_anki_names(header: str, line: str) -> None:
    cards = parse(f"{header}\n{line}\n", path="d.csv").cards
    assert [(card.question, card.steps[0].text) for card in cards] == [("q", "a")]


def test_a_separator_written_as_the_character_itself() -> None:
    written = (("#separator:\t", "q\ta,b"), ("#separator: ", "q a,b"), ("#separator:;", "q;a,b"))
    for header, line in written:
        cards = parse(f"{header}\n{line}\n", path="d.csv").cards
        assert [(card.question, card.steps[0].text) for card in cards] == [("q", "a,b")]


def test_separators_guessed_from_the_suffix_and_the_first_line() -> None:
    assert parse("#html:false\nq;a\nr;b\n", path="d.csv").cards[1].question == "r"
    assert parse("#html:false\nq,a;b\n", path="d.csv").cards[0].steps[0].text == "a;b"
    tsv = parse_text("#html:false\nq,a\n", path="d.tsv")
    assert "one column" in str(tsv.errors[0]) and "tab" in str(tsv.errors[0])


def test_quoted_fields_hold_separators_quotes_and_line_breaks() -> None:
    text = '#separator:;\n"a; b";"say ""hi""\non two lines"\nplain;"x"y\n'
    cards = parse(text, path="d.csv").cards
    assert [(card.question, card.steps[0].text, card.line) for card in cards] == [
        ("a; b", 'say "hi"\non two lines', 2),
        ("plain", "xy", 4),
    ]
    assert cards[0].steps[0].line == 2


def test_records_keep_the_line_of_each_field() -> None:
    lines = ['a,"b', 'c",d', "# comment", "", "e,f"]
    found = list(records(lines, ","))
    assert [(record.fields, record.lines) for record in found] == [
        (("a", "b\nc", "d"), (1, 1, 2)),
        (("e", "f"), (5, 5)),
    ]
    with pytest.raises(RecordError) as error:
        list(records(['x,"never closed', "more"], ","))
    assert error.value.line == 1


def test_headers_and_the_old_tags_line() -> None:
    found = headers(["tags:a b", "#separator:Tab", "# a comment", "#Deck Column: 2", "q\ta"])
    assert found.values == {"tags": "a b", "separator": "Tab", "deck column": " 2"}
    assert found.lines == {"tags": 1, "separator": 2, "deck column": 4}
    assert found.body_start == 4


def test_html_is_guessed_when_the_file_does_not_say() -> None:
    assert parse("q<br>x\t<b>a</b>\n").cards[0].question == "q\\\nx"
    assert parse("a < b\tc & d\n").cards[0].question == "a < b"
    assert parse("#html:false\nq<br>x\ta\n").cards[0].question == "q<br>x"


def test_a_first_row_of_column_names() -> None:
    text = (
        "Front,Back,Tags,Deck,Difficulty\n"
        "What is an epoch?,One pass over the data,training,ml::basics,1\n"
        "What is a batch?,A slice of the data,,,Hard\n"
    )
    cards = parse(text, path="q.csv").cards
    assert [(card.question, card.tags, card.deck, card.difficulty) for card in cards] == [
        ("What is an epoch?", ("training",), "ml/basics", "easy"),
        ("What is a batch?", (), "decks", "hard"),
    ]
    swapped = parse("answer,question\na,q\n", path="q.csv").cards
    assert [(card.question, card.steps[0].text) for card in swapped] == [("q", "a")]
    empty = parse_text("answer,question\na,q\nb,\n", path="q.csv")
    assert [str(problem) for problem in empty.errors] == [
        "q.csv:3: this row's question (column 2) is empty"
    ]
    named = parse("#columns:Back,Front\n#separator:,\na,q\n", path="q.csv").cards
    assert [(card.question, card.steps[0].text) for card in named] == [("q", "a")]


def test_quizlet_and_mochi_two_column_exports() -> None:
    quizlet = "precision\tTP / (TP + FP)\nrecall\tTP / (TP + FN)\n"
    cards = parse(quizlet, path="terms.tsv").cards
    assert [(card.question, card.steps[0].text) for card in cards] == [
        ("precision", "TP / (TP + FP)"),
        ("recall", "TP / (TP + FN)"),
    ]
    mochi = "What is \\(e^{i\\pi}\\)?,\\(-1\\)\n"
    assert parse(mochi, path="m.csv").cards[0].question == "What is $e^{i\\pi}$?"


def test_a_cloze_without_a_notetype_and_cloze_faults() -> None:
    cards = parse("The {{c1::mean}} of {{c1::x}}\textra\n", path="c.tsv").cards
    assert [(card.kind, card.id) for card in cards] == [(CardKind.CLOZE, "c.tsv#the-mean-of-x/c1")]
    lonely = parse("#notetype:Cloze\nThe {{c1::mean}}\n", path="c.tsv").cards
    assert lonely[0].kind is CardKind.CLOZE and lonely[0].steps == ()


def test_rows_without_an_answer_follow_the_question_only_rule() -> None:
    text = "q1\ta1\nq2\t\n"
    plain = parse(text, path="d.tsv")
    assert [card.question for card in plain.cards] == ["q1"]
    assert [problem.line for problem in plain.warnings] == [2]
    opted = parse(text, path="d.tsv", question_only=True).cards
    assert [card.kind for card in opted] == [CardKind.BASIC, CardKind.QUESTION_ONLY]
    only = parse("Question,Answer\nq1,\nq2,\n", path="d.csv").cards
    assert [card.kind for card in only] == [CardKind.QUESTION_ONLY] * 2


CLAIMED = [
    ("decks/ml.tsv", ANKI),
    ("a.csv", "#separator:Comma\nx,y\n"),
    ("a.csv", "#html:true\nx\ty\n"),
    ("a.csv", "Question,Answer,Notes\nq,a,n\n"),
    ("a.tsv", "term\tdefinition\n"),
    ("a.csv", "overfitting,fitting noise in the data\nbias,error from wrong assumptions\n"),
]
NOT_CLAIMED = [
    ("a.csv", "epoch,loss,accuracy\n1,0.9,0.5\n2,0.5,0.7\n"),
    ("a.csv", "x,y\n0.1,0.2\n0.3,0.5\n1,2\n"),
    ("a.csv", "date,value\n2024-01-01,3\n2024-01-02,4\n2024-01-03,5\n"),
    ("a.csv", "only one column\nand another\n"),
    ("a.csv", 'x,"never closed\n'),
]


@pytest.mark.parametrize(("path", "text"), CLAIMED)
def test_claims_anki_exports_and_two_column_word_lists(path: str, text: str) -> None:
    assert FORMAT.sniff(text, FileContext(path=path))


@pytest.mark.parametrize(("path", "text"), NOT_CLAIMED)
def test_leaves_data_files_alone(path: str, text: str) -> None:
    assert not FORMAT.sniff(text, FileContext(path=path))
    assert parse_text(text, path=path).skipped


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("#separator:tab\nq\ta\nonly one\n", "3: this row has one column; a card needs a question"),
        ("#separator:tab\nq\ta\n\tno question\n", "3: this row's question (its first column)"),
        ('#separator:tab\nq\t"a\nnever closed\n', "2: a quoted field opened on this line"),
        ("#separator:wavy\nq~a\n", '1: unknown separator "wavy"'),
        ("#separator:tab\n#deck column:first\nq\ta\n", '2: "#deck column:" must be a column'),
        ("#separator:tab\n#notetype:Cloze\nno deletion\n", "3: this cloze row has no deletion"),
        ("#separator:tab\n#notetype:Cloze\n{{c1::never closed\n", '3: "{{c1::" is never closed'),
        ("#separator:tab\n", "no cards: the file has no records"),
        (
            "#separator:tab\n" + "".join(f"q{n}\ta\n" for n in range(10_001)),
            "more than 10,000 cards",
        ),
    ],
)
def test_malformed_files_give_one_error_and_no_card(text: str, message: str) -> None:
    parsed = parse_text(text, path="bad.tsv")
    assert parsed.format == "delimited"
    assert parsed.cards == []
    assert len(parsed.errors) == 1 and message in str(parsed.errors[0]), parsed.errors
    assert str(parsed.errors[0]).startswith("bad.tsv:")


def test_html_fields_keep_their_math_as_latex() -> None:
    assert html_to_markdown("<div>If \\(x_i &lt; y^*\\),</div><div>\\[\\sum_i x_i\\]</div>") == (
        "If $x_i < y^*$,\n\n$$\\sum_i x_i$$"
    )
    dollars = "$x_i$ and $$a_b$$ cost $5 and $10"
    assert html_to_markdown(dollars) == dollars
    assert html_to_markdown("a_b *c*") == "a\\_b \\*c\\*"
    assert html_to_markdown("{{c1::<b>cat</b>::animal}}") == "{{c1::**cat**::animal}}"
    # No formula (empty, unclosed): the backslashes stay literal, escaped.
    assert html_to_markdown("\\( \\) and \\(") == "\\\\( \\\\) and \\\\("
    assert looks_like_html("a<br/>b") and looks_like_html("a&nbsp;b")
    assert not looks_like_html("a < b and c > d")


def test_fields_without_tags_skip_the_html_parser_with_the_same_result() -> None:
    from quizapp.cards.formats.html_fields import _convert, _finished, _plain

    alphabet = "ab \t\n\r*_\\#1.->`[]()\xa0é\u2003\u3000\x00\ufeff=+!|~${}:"
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert _finished(_plain(text)) == _finished(_convert(text)), repr(text)


def test_the_converter_is_imported_only_when_a_field_holds_html() -> None:
    probe = (
        "import sys\n"
        "from quizapp.cards import parse_text\n"
        "parse_text('q\\ta\\n', path='a.tsv')\n"
        "print('html_to_markdown' in sys.modules)\n"
        "parse_text('q\\t<b>a</b>\\n', path='a.tsv')\n"
        "print('html_to_markdown' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "True"]


def test_html_becomes_clean_markdown_with_literal_text() -> None:
    assert html_to_markdown("<h2>Bias</h2><ul><li>one</li><li>two</li></ul>") == (
        "## Bias\n\n- one\n- two"
    )
    assert html_to_markdown("line one <br>line two&nbsp;&lt;3") == "line one\\\nline two <3"
    assert html_to_markdown("<div>a</div><div><br></div><div>b  </div>") == "a\n\nb"
    assert html_to_markdown("<i>x_1</i> \\! and C:\\ <b>*</b>") == (
        "*x\\_1* \\\\! and C:\\\\ **\\***"
    )
    # Nested deeper than the converter walks: the text is kept, not dropped.
    assert html_to_markdown("<div>" * 2000 + "deep_text") == "deep\\_text"


def test_pathological_fields_are_read_in_linear_time() -> None:
    # Openers without closers: each kind is looked for once, not once per opener.
    assert html_to_markdown("\\(" * 50_000) == "\\\\(" * 50_000
    assert html_to_markdown("$" * 50_000)


# -- through the importer ------------------------------------------------------------------


def test_reimport_and_edits_that_keep_or_lose_history(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "anki"
    path = write(folder, "ml.tsv", ANKI)
    assert counts(run(db, folder)) == (6, 0, 0)
    again = run(db, folder)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 6)
    uid = "ml.tsv#the-logit-is-log-frac-p-1-p-of-p/c2"
    pk = review(db, uid)
    # The back, tags and deck edited: same cards.
    edited = ANKI.replace("<i>extra</i>\tstats", "<i>more</i>\tstats logistic").replace(
        "Cloze\tML\t", "Cloze\tML::Stats\t"
    )
    path.write_text(edited, encoding="utf-8")
    assert counts(run(db, folder)) == (0, 2, 0)
    assert history(db, uid) == (pk, 3, 7.5, 1)
    # A row added before it: nothing else changes.
    adam = "Basic\tML\tWhat is Adam?\tMomentum and RMSProp\t\n"
    added = edited.replace("Basic\tML::Optim", adam + "Basic\tML::Optim")
    path.write_text(added, encoding="utf-8")
    assert counts(run(db, folder)) == (1, 0, 0)
    assert history(db, uid) == (pk, 3, 7.5, 1)
    # A deletion added to the note changes its text, hence its key; its cards keep their
    # places among the file's cards, so they keep their ids and history, and the new
    # deletion is a new card.
    third = added.replace("of {{c2::p}}", "of {{c2::p}} in {{c3::(0, 1)}}")
    path.write_text(third, encoding="utf-8")
    report = run(db, folder)
    assert (report.new, report.missing) == (1, 0)
    assert history(db, uid) == (pk, 3, 7.5, 1)
    assert is_new(db, "ml.tsv#the-logit-is-log-frac-p-1-p-of-p-in-0-1/c3")
    # Deleting a row marks its cards missing; the others are untouched.
    relu = "Basic (and reversed card)\tML\tReLU\tmax(0, x)\t\n"
    path.write_text(ANKI.replace(relu, ""), encoding="utf-8")
    report = run(db, folder)
    assert report.missing >= 2
    assert "ml.tsv#relu" not in present(db) and "ml.tsv#relu/reverse" not in present(db)


def test_a_txt_file_is_claimed_only_with_anki_headers(tmp_path: Path) -> None:
    """Anki names its plain-text export ``.txt``; any other ``.txt`` in a folder is prose."""
    (tmp_path / "export.txt").write_text("#separator:tab\n#html:false\nWhat is 2+2?\t4\n")
    (tmp_path / "notes.txt").write_text("shopping\tlist\nmilk\teggs\n")
    exported = parse_text((tmp_path / "export.txt").read_text(), path="export.txt")
    notes = parse_text((tmp_path / "notes.txt").read_text(), path="notes.txt")
    assert exported.format == "delimited"
    assert [card.question for card in exported.cards] == ["What is 2+2?"]
    assert notes.cards == []
    assert notes.errors == []
    assert notes.skipped
