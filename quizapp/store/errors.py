"""The one exception the store raises for problems a user can fix.

Front ends print it as a single line (``quizapp: error: …``); anything else escaping the
store is a bug and deserves its traceback.
"""

from __future__ import annotations


class StoreError(Exception):
    """A database that cannot be opened, created, upgraded, backed up or restored.

    The message is one line that names the file at fault and what to do about it.
    """
