"""The fork server's warm-up reads one sample of every format, each by its own format."""

from __future__ import annotations

import pytest

from quizapp.cards.formats.registry import default_registry
from quizapp.cards.parser import parse_bytes
from quizapp.services.parse_pool import ParsePool, worker_context
from quizapp.services.reader_warmup import SAMPLES


def _formats_read(name: str, text: str) -> set[str]:
    parsed = parse_bytes(text.encode("utf-8"), f"warmup/{name}", "warmup")
    assert parsed.errors == [], name
    assert parsed.warnings == [], name
    assert parsed.cards, name
    return {card.format for card in parsed.cards}


def test_each_sample_makes_cards_without_a_problem() -> None:
    for name, text in SAMPLES.items():
        _formats_read(name, text)


def test_the_samples_warm_every_format_shipped() -> None:
    read = set().union(*(_formats_read(name, text) for name, text in SAMPLES.items()))
    assert read == {fmt.name for fmt in default_registry().formats}


@pytest.mark.skipif(worker_context().get_start_method() != "forkserver", reason="no fork server")
def test_a_worker_starts_with_the_readers_loaded() -> None:
    with ParsePool(2) as pool:
        assert pool.has_module("html_to_markdown")  # loaded by reading a file, not at import
        assert pool.has_module("quizapp.cards.formats.delimited")
