"""What in a notes folder is not a note: folders, ignore files and templates.

A vault holds more than notes. Obsidian keeps its settings in ``.obsidian/`` and deleted
notes in ``.trash/`` (hidden folders are never searched), and templates in a folder such
as ``_templates/`` (:data:`SKIPPED_FOLDERS`). A Logseq graph keeps its settings and old
copies of every page (``bak/``, ``version-files/``) in ``logseq/``, beside ``pages/``:
such a folder, known by its ``config.edn``, is skipped too, or each page would come in
several times. A user can skip more with a
``.quizappignore`` file at the import root, in gitignore syntax (read with ``pathspec``),
and with ``--exclude GLOB`` on ``import`` and ``check`` (:class:`IgnoreRules`). A template
kept anywhere else is recognised by its placeholders (:func:`template_marker`): the
Templater plugin's ``<% … %>`` and the core Templates plugin's ``{{date}}``,
``{{time}}`` and ``{{title}}``. Such a file is skipped, not an error.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pathspec

#: Folder names never searched, in any case, besides hidden ones: Obsidian's templates.
SKIPPED_FOLDERS = frozenset({"_templates"})

#: The ignore file read at each import root.
IGNORE_FILE = ".quizappignore"

#: Templater's tags (``<% tp.date.now() %>``, ``<%* tR += … %>``: a command, which uses
#: ``tp.``, or a script) and the Templates plugin's placeholders (``{{date}}``,
#: ``{{time:HH:mm}}``, ``{{title}}``). Not ERB or JSP's ``<% x %>`` in a note about them,
#: nor a cloze ``{{c1::…}}``.
_TEMPLATE = re.compile(
    r"<%[-_]?(?:\*|\s*tp\.)[^\n]*?%>|\{\{\s*(?:date|time|title)(?::[^{}\n]*)?\s*\}\}",
    re.IGNORECASE,
)


def template_marker(text: str) -> str | None:
    """The first template placeholder in ``text``, or None when it is no template."""
    if "<%" not in text and "{{" not in text:
        return None
    match = _TEMPLATE.search(text)
    return None if match is None else " ".join(match.group(0).split())[:40]


@dataclass(frozen=True)
class IgnoreRules:
    """The ``.quizappignore`` patterns of one import root and the ``--exclude`` globs,
    matched against paths relative to that root (gitignore rules: ``drafts/`` skips every
    folder named drafts, ``/top.md`` only the root's, ``*.draft.md`` any such file)."""

    spec: pathspec.GitIgnoreSpec | None

    @classmethod
    def load(cls, root: Path, excludes: Sequence[str] = ()) -> IgnoreRules:
        """The rules for ``root``: its ignore file, if it has one, then ``excludes``.

        An ignore file that cannot be read is taken as empty: skipping less is safer than
        failing the import over it.
        """
        lines: list[str] = []
        with contextlib.suppress(OSError, UnicodeDecodeError):
            lines = (root / IGNORE_FILE).read_text(encoding="utf-8").splitlines()
        lines.extend(excludes)
        if not any(line.strip() and not line.lstrip().startswith("#") for line in lines):
            return cls(None)
        import pathspec  # only discovery reads ignore files; a file reader never does

        return cls(pathspec.GitIgnoreSpec.from_lines(lines))

    def skips(self, relative: str, is_folder: bool) -> bool:
        """Whether the file or folder at ``relative`` (posix, under the root) is skipped."""
        if self.spec is None or not relative:
            return False
        return self.spec.match_file(relative + "/" if is_folder else relative)


#: A Logseq graph's own folder, and the file that tells it from a folder of that name.
LOGSEQ_FOLDER, LOGSEQ_CONFIG = "logseq", "config.edn"


def skipped_folder(name: str, path: str) -> bool:
    """A folder never searched (hidden ones are skipped anyway): a template folder, or a
    Logseq graph's ``logseq/`` (``path`` is the folder's path)."""
    if name.casefold() in SKIPPED_FOLDERS:
        return True
    return name == LOGSEQ_FOLDER and os.path.isfile(os.path.join(path, LOGSEQ_CONFIG))
