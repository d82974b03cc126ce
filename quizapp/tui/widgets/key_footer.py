"""The footer of every screen: Textual's ``Footer``, rebuilt only when the keys it shows
change.

Why: Textual's footer rebuilds all its keys (a widget each, styled and laid out) after
every report of the screen's bindings, changed or not. A screen reports several as it
opens (focus set, screen resumed, a refresh asked for), so behind the home screen's first
frame three rebuilds of the same keys (some 30 ms each) held the UI thread while the
learner waited for today's counts. This footer skips a rebuild that would draw what is
already there. Like Textual's, it draws its keys once the screen first reports them, just
after the screen's first frame, which therefore does not wait for them.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Footer

#: What one shown key looks like: key, label on the key, description, action, enabled,
#: tooltip, and its group's description (grouped keys are drawn together).
KeyLook = tuple[str, str, str, str, bool, str, str | None]


class KeyFooter(Footer):
    """A ``Footer`` whose keys are rebuilt only when they change."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.drawn: tuple[KeyLook, ...] | None = None
        """The keys the footer's widgets show now (None: none yet, before the screen first
        reports its bindings)."""

    def keys_shown(self) -> tuple[KeyLook, ...]:
        """The keys the screen's bindings call for now, as ``compose`` would draw them."""
        app = self.app
        palette = self.show_command_palette and app.ENABLE_COMMAND_PALETTE
        return tuple(
            (
                key,
                app.get_key_display(binding),
                binding.description,
                binding.action,
                enabled,
                tooltip,
                binding.group.description if binding.group is not None else None,
            )
            for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or (palette and key == app.COMMAND_PALETTE_BINDING)
        )

    def compose(self) -> ComposeResult:
        self.drawn = self.keys_shown() if self._bindings_ready else None
        return super().compose()

    async def recompose(self) -> None:
        """Rebuild the keys, unless they would be drawn as they are."""
        if self.is_attached and self.drawn == self.keys_shown():
            return
        await super().recompose()
