"""Help: every binding of the screen the learner came from, with its current key."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from quizapp.tui.widgets import add_fixed_columns

#: Textual's own bindings worth listing beside quizapp's (which all have ids): quitting
#: and the command palette. Its scrolling, focus and copy keys are left out.
TEXTUAL_ACTIONS_LISTED = {"quit": "Quit the app", "command_palette": "Command palette"}


def binding_rows(screen: Screen[Any]) -> list[tuple[str, str, str]]:
    """(keys, description, binding id) for every quizapp binding active on ``screen``, and
    Textual's quit and palette keys.

    Keys of the same binding are listed together, so remapped keys show as they are; two
    bindings of one action (home's ``b`` and the app's ``f3``) are two rows, each with the
    id that remaps it.
    """
    app = screen.app
    grouped: dict[tuple[str, str, str], list[str]] = {}

    def rank(item: tuple[str, ActiveBinding]) -> int:
        node = item[1].node
        return 0 if node is screen else 1 if node is app else 2

    for key, active in sorted(screen.active_bindings.items(), key=rank):
        binding = active.binding
        description = binding.description
        if not binding.id:
            description = TEXTUAL_ACTIONS_LISTED.get(binding.action.removeprefix("app."), "")
        if not description:
            continue
        group = (binding.action, description, binding.id or "")
        display = app.get_key_display(binding.with_key(key))
        grouped.setdefault(group, [])
        if display not in grouped[group]:
            grouped[group].append(display)
    return [(" ".join(keys), group[1], group[2]) for group, keys in grouped.items()]


class HelpScreen(ModalScreen[None]):
    """Lists the keys of the screen below; any of escape, q or ? closes it.

    A screen may say what its keys cannot in ``HELP_NOTES`` (what its markers mean),
    shown under the table."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close help", id="help.close"),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 90%; max-width: 90; height: 90%; border: round $primary;
        background: $surface; padding: 0 1;
    }
    HelpScreen #help-title { text-style: bold; height: 1; }
    HelpScreen DataTable { height: 1fr; scrollbar-size-vertical: 1; }
    HelpScreen #help-hint { color: $text-muted; height: auto; }
    HelpScreen #help-notes { height: auto; max-height: 30%; margin: 1 0 0 0; }
    """

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self.for_screen = screen
        self.rows = binding_rows(screen)

    def compose(self) -> ComposeResult:
        title = getattr(self.for_screen, "HELP_TITLE", type(self.for_screen).__name__)
        with Vertical():
            yield Static(Text(f"Keys — {title}"), id="help-title")
            table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True)
            # 14 + 22 + 25 and their padding fit the dialog at 80 columns with its scrollbar;
            # the longest id (exercise.history_forward) is 24.
            add_fixed_columns(table, [("Key", 14), ("Does", 22), ("Binding id", 25)])
            for keys, description, binding_id in self.rows:
                table.add_row(Text(keys, style="bold"), Text(description), Text(binding_id))
            yield table
            notes = getattr(self.for_screen, "HELP_NOTES", "")
            if notes:
                yield Static(Text(notes), id="help-notes")
            yield Static(
                Text(
                    "Remap any key by its binding id in keymap.toml (see docs). "
                    "ctrl+p opens the command palette."
                ),
                id="help-hint",
            )
