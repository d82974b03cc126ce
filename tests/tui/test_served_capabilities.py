"""A served app (``quizapp serve``) is not a local one: no ``$EDITOR``, Import only inside
the served card folders, web links opened in the learner's browser (issue 19)."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest
from textual.widgets import DirectoryTree, Input, Markdown

from quizapp.tui.capabilities import LOCAL, Capabilities
from quizapp.tui.screens.import_cards import ImportScreen
from quizapp.tui.screens.review import ReviewScreen
from quizapp.tui.widgets.math_markdown import MathMarkdown

from .conftest import CARDS, AppFactory, MessageLog, press_to, settle


def test_local_capabilities_allow_everything(tmp_path: Path) -> None:
    assert LOCAL.edit_source and LOCAL.can_import
    assert LOCAL.may_import(tmp_path) and LOCAL.import_start() is None


def test_served_capabilities_keep_import_inside_the_roots(tmp_path: Path) -> None:
    root = tmp_path / "cards"
    (root / "sub").mkdir(parents=True)
    outside = tmp_path / "private"
    outside.mkdir()
    (root / "escape").symlink_to(outside)
    served = Capabilities.served_with((root,))
    assert not served.edit_source and served.can_import
    assert served.import_start() == root.resolve()
    assert served.may_import(root) and served.may_import(root / "sub" / "x.md")
    assert not served.may_import(outside)
    assert not served.may_import(root / ".." / "private")
    assert not served.may_import(root / "escape")  # a link out of the root
    assert not served.may_import(tmp_path / "cards-evil")  # a sibling sharing the prefix


def test_served_without_roots_imports_nothing(tmp_path: Path) -> None:
    served = Capabilities.served_with()
    assert not served.can_import and not served.may_import(tmp_path)


async def test_o_runs_no_editor_when_served(
    db_path: Path, make_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "editor-ran"
    script = tmp_path / "editor.py"
    script.write_text(f"open({str(marker)!r}, 'w').close()\n", encoding="utf-8")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", shlex.join([sys.executable, str(script)]))
    app = make_app(db_path, capabilities=Capabilities.served_with())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = await press_to(pilot, "enter", ReviewScreen)
        assert screen.turn is not None
        assert screen.check_action("edit", ()) is False
        titles = [command.title for command in app.get_system_commands(screen)]
        assert "Edit source" not in titles
        await pilot.press("o")
        await settle(pilot)
        screen.action_edit()
        await settle(pilot)
    assert not marker.exists()


async def test_served_import_browses_and_reads_only_the_card_folders(
    db_path: Path, make_app: AppFactory, tmp_path: Path
) -> None:
    root = tmp_path / "served-cards"
    root.mkdir()
    (root / "one.md").write_text((CARDS / "momentum.md").read_text("utf-8"), "utf-8")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "two.md").write_text((CARDS / "momentum.md").read_text("utf-8"), "utf-8")
    app = make_app(db_path, capabilities=Capabilities.served_with((root,)))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await press_to(pilot, "i", ImportScreen)
        assert Path(screen.query_one(DirectoryTree).path) == root.resolve()

        screen.query_one("#import-path", Input).value = str(outside)
        await pilot.press("ctrl+t")
        await settle(pilot)
        state = str(screen.query_one("#import-state").render())
        assert "outside the card folders" in state and str(root.resolve()) in state
        assert screen.report is None

        screen.query_one("#import-path", Input).value = str(root)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert screen.report is not None and screen.report.files == 1


async def test_served_import_without_card_folders_is_off(
    db_path: Path, make_app: AppFactory, tmp_path: Path
) -> None:
    app = make_app(db_path, capabilities=Capabilities.served_with())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await press_to(pilot, "i", ImportScreen)
        assert not screen.query(DirectoryTree)
        assert "Import is off" in str(screen.query_one("#import-state").render())
        screen.query_one("#import-path", Input).value = str(tmp_path)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert "import is off" in str(screen.query_one("#import-state").render())
        assert screen.report is None


async def test_web_links_open_through_open_url_and_nothing_else_opens(
    db_path: Path, make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(db_path)
    opened: list[tuple[str, bool]] = []

    def open_url(url: str, *, new_tab: bool = True) -> None:
        opened.append((url, new_tab))

    monkeypatch.setattr(app, "open_url", open_url)
    log = MessageLog()
    async with app.run_test(size=(100, 30), message_hook=log) as pilot:
        await settle(pilot)
        document = MathMarkdown("[paper](https://arxiv.org/abs/1412.6980)")
        await app.screen.mount(document)
        await settle(pilot)
        for href in ("https://arxiv.org/abs/1412.6980", "file:///etc/passwd", "notes/other.md"):
            document.post_message(Markdown.LinkClicked(document, href))
            await settle(pilot)
        notes = log.notifications
    assert opened == [("https://arxiv.org/abs/1412.6980", True)]
    assert "Not a web link: file:///etc/passwd" in notes
