"""What the app may do on the machine it runs on: everything locally, less when served.

The TUI was written for one local user, who owns the terminal, the files and ``$EDITOR``.
Served to a browser (``quizapp serve``), the person at the keyboard is somewhere else:
running an editor would take over the server's terminal, and browsing for files to import
would show the server's disk. The app is handed one of these at start and each screen asks
it, so the rule is decided once, where the app is started, and not by each screen.

No Textual here: ``quizapp.web`` builds one for every app process it starts.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Capabilities:
    """What the app may do beyond studying the collection it was opened on."""

    edit_source: bool = True
    """Whether ``o`` may open a card's source file in ``$EDITOR`` on this machine."""

    import_roots: tuple[Path, ...] | None = None
    """The folders Import may read from (resolved); None: any path on this machine."""

    @classmethod
    def served_with(cls, import_roots: tuple[Path, ...] = ()) -> Capabilities:
        """A served app: no editor, Import inside ``import_roots`` only (none: no Import)."""
        roots = tuple(Path(os.path.realpath(root)) for root in import_roots)
        return cls(edit_source=False, import_roots=roots)

    @property
    def can_import(self) -> bool:
        """Whether Import may read anything at all."""
        return self.import_roots is None or bool(self.import_roots)

    def may_import(self, path: str | Path) -> bool:
        """Whether ``path`` lies in one of the import roots, once links and ``..`` are
        resolved (so a link inside a root that leads out of it is refused)."""
        if self.import_roots is None:
            return True
        resolved = Path(os.path.realpath(Path(path).expanduser()))
        return any(resolved == root or resolved.is_relative_to(root) for root in self.import_roots)

    def import_start(self) -> Path | None:
        """Where the Import screen's file tree starts: the first root (None: the caller's
        own default, the working folder)."""
        if self.import_roots is None:
            return None
        return self.import_roots[0] if self.import_roots else None


#: The local app: everything the user's own terminal allows.
LOCAL = Capabilities()
