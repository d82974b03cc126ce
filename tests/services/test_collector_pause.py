"""The garbage collector is held off inside ``collector_paused`` and restored after it."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from quizapp.services.collector_pause import collector_paused


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if was:  # as it was before the test, whatever the test left it as
        gc.enable()
    else:
        gc.disable()


@pytest.mark.usefixtures("collector_on")
def test_the_collector_is_off_inside_and_on_again_after() -> None:
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_the_collector_comes_back_after_an_error() -> None:
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("import failed")
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_an_anki_import_runs_with_the_collector_paused(
    monkeypatch: pytest.MonkeyPatch, collector_on: None
) -> None:
    import quizapp.services.anki_import as anki_import

    seen: list[bool] = []

    def spy(*_args: object) -> None:
        seen.append(gc.isenabled())

    monkeypatch.setattr(anki_import, "_import", spy)
    from quizapp.services.importer import ImportReport

    anki_import.import_package(None, "deck.apkg", ImportReport())  # type: ignore[arg-type]
    assert seen == [False]
    assert gc.isenabled()
