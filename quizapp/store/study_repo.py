"""Every study query behind one object: the queue, the answers and the settings.

The queries themselves live by concern in ``queue_repo``, ``answer_repo`` and
``settings_repo`` (statistics in ``stats_queries``, group counts in ``group_counts``);
this class only puts the three repositories behind one name for the callers that use
all of them.
"""

from __future__ import annotations

from quizapp.store.answer_repo import AnswerRepository
from quizapp.store.queue_repo import QueueRepository
from quizapp.store.settings_repo import SettingsRepository


class StudyRepository(QueueRepository, AnswerRepository, SettingsRepository):
    """The queue, answer and settings queries over one open ``Database``."""
