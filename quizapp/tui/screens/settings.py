"""Settings: scheduling settings (stored in the database) and the theme (a preference)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Select, Static

from quizapp.text import plural
from quizapp.tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp

#: Editable settings: key, label, and a hint on the accepted form.
FIELDS: tuple[tuple[str, str, str], ...] = (
    ("desired_retention", "Desired retention", "0.70–0.99; higher means more reviews"),
    ("new_cards_per_day", "New cards per day", "whole number"),
    ("max_reviews_per_day", "Maximum reviews per day", "whole number"),
    ("learning_steps", "Learning steps", "e.g. 1m 10m"),
    ("relearning_steps", "Relearning steps", "e.g. 10m"),
    ("maximum_interval", "Maximum interval (days)", "whole number"),
    ("day_rollover_hour", "Day starts at hour", "0–23, local time"),
    ("interview_date", "Interview date", "YYYY-MM-DD, or none"),
    ("bury_siblings", "Bury siblings", "on or off"),
)


class SettingsScreen(Screen[None]):
    """Edit and save the settings; each bad value is named with its reason.

    A save that refuses some values stores the others, and leaves the refused ones as typed,
    each with its reason under it and the cursor in the first of them, so that fixing a typo
    does not mean typing everything again.
    """

    HELP_TITLE = "Settings"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="settings.save"),
        Binding("escape", "leave", "Back", id="settings.leave"),
    ]

    DEFAULT_CSS = """
    SettingsScreen #settings-body { height: 1fr; padding: 0 1; }
    SettingsScreen .setting { height: auto; margin: 0 0 1 0; }
    SettingsScreen .field { height: auto; }
    SettingsScreen .field > Label { width: 26; }
    SettingsScreen .error { height: auto; padding: 0 0 0 26; color: $text-error; }
    SettingsScreen .error.-empty { display: none; }
    SettingsScreen .field > Input { width: 20; }
    SettingsScreen .field > Select { width: 24; }
    SettingsScreen .field > .hint { width: 1fr; padding: 0 0 0 2; color: $text-muted; }
    SettingsScreen #settings-save { margin: 1 0 0 0; }
    """

    class Loaded(Message):
        """The stored settings, as text."""

        def __init__(self, values: dict[str, str]) -> None:
            super().__init__()
            self.values = values

    class Saved(Message):
        """Saving finished: what changed, and the errors (key → message)."""

        def __init__(self, changed: list[str], errors: dict[str, str]) -> None:
            super().__init__()
            self.changed = changed
            self.errors = errors

    def __init__(self) -> None:
        super().__init__()
        self.stored: dict[str, str] = {}
        self.errors: dict[str, str] = {}
        """The settings the last save refused, with the reason; their fields keep what was
        typed until it is saved."""

    @property
    def quiz(self) -> QuizApp:
        """The app, typed."""
        from quizapp.tui.app import QuizApp

        assert isinstance(self.app, QuizApp)
        return self.app

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="settings-body"):
            for key, label, hint in FIELDS:
                with Vertical(classes="setting"):
                    with Horizontal(classes="field"):
                        yield Label(label)
                        yield Input(id=f"setting-{key}", disabled=True, compact=True)
                        yield Static(Text(hint), classes="hint", id=f"hint-{key}")
                    yield Static("", classes="error -empty", id=f"error-{key}", markup=False)
            with Horizontal(classes="field setting"):
                yield Label("Theme")
                themes = sorted(self.app.available_themes)
                yield Select[str](
                    [(name, name) for name in themes],
                    value=self.app.theme,
                    allow_blank=False,
                    compact=True,
                    id="setting-theme",
                )
                yield Static(Text("applies at once; remembered"), classes="hint")
            yield Button("Save (ctrl+s)", variant="primary", id="settings-save")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="settings", name="load settings")
    def load(self) -> None:
        """Read the stored settings."""
        from quizapp.services.settings import all_settings

        db = self.quiz.db
        assert db is not None
        self.post_message(self.Loaded(all_settings(db)))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        first_load = not self.stored
        self.stored = dict(message.values)
        for key, _label, _hint in FIELDS:
            field = self.query_one(f"#setting-{key}", Input)
            if key not in self.errors:
                field.value = self.stored.get(key, "")
            field.disabled = False
        refused = [key for key, _label, _hint in FIELDS if key in self.errors]
        if refused:
            field = self.query_one(f"#setting-{refused[0]}", Input)
            field.focus()
            field.cursor_position = len(field.value)
        elif first_load:
            self.query_one(f"#setting-{FIELDS[0][0]}", Input).focus()

    @on(Select.Changed, "#setting-theme")
    def _theme(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.app.theme:
            self.app.theme = event.value

    @on(Button.Pressed, "#settings-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        """Validate and store every changed setting."""
        changes = {
            key: self.query_one(f"#setting-{key}", Input).value.strip()
            for key, _label, _hint in FIELDS
        }
        changes = {key: value for key, value in changes.items() if value != self.stored.get(key)}
        if not changes:
            self.notify("Nothing changed.")
            return
        self._save(changes)

    @work(thread=True, exclusive=True, group="settings", name="save settings")
    def _save(self, changes: dict[str, str]) -> None:
        from quizapp.services.settings import SettingError, set_setting

        db = self.quiz.db
        assert db is not None
        changed: list[str] = []
        errors: dict[str, str] = {}
        today = self.quiz.clock().astimezone(self.quiz.zone).date()
        for key, value in changes.items():
            try:
                set_setting(db, key, value, today=today)
            except SettingError as exc:
                errors[key] = str(exc)
            else:
                changed.append(key)
        self.post_message(self.Saved(changed, errors))

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self.errors = dict(message.errors)
        for key, _label, _hint in FIELDS:
            error = self.query_one(f"#error-{key}", Static)
            field = self.query_one(f"#setting-{key}", Input)
            reason = message.errors.get(key, "")
            error.update(reason)
            error.set_class(not reason, "-empty")
            field.set_class(bool(reason), "-invalid")
        if message.changed:
            labels = {key: label for key, label, _hint in FIELDS}
            named = [labels.get(key, key) for key in message.changed]
            self.notify("Saved: " + ", ".join(named), markup=False)  # as the form names them
        if message.errors:
            self.notify(f"{plural(len(message.errors), 'setting')} not saved", severity="error")
        self.load()

    def action_leave(self) -> None:
        """Back to home."""
        self.dismiss()
