"""Names vulture cannot see being used (``uv run vulture``; tests/test_dead_code.py runs it).

Each entry is used from outside the static call graph: by name through ``getattr``, by a
library that reads the attribute, or as public API that the tests exercise. Dead code does
not belong here: delete it instead.
"""

# ruff: noqa: B018
from quizapp.exercises.autodiff import Tape
from quizapp.exercises.diagnosis import Search
from quizapp.mathtext.render import RenderedMath
from quizapp.scheduling.filters import StudyFilter
from quizapp.scheduling.scheduler import Scheduler
from quizapp.scheduling.settings import Settings
from quizapp.services.parse_pool import ParsePool
from quizapp.tui.study_adapter import StudyAdapter
from quizapp.web.sessions import AppSession

# The expression evaluator calls the tape's activations by their names in the answer.
Tape.sigmoid
Tape.relu
Tape.softplus
# The adapter's methods run in a worker, called by name (``ReviewScreen._call``).
StudyAdapter.reimport
# Public API that the tests call: why a search stopped, whether a formula fell back to its
# source, an empty filter, the forgetting curve, settings from stored JSON, and whether a
# parse worker imported a module.
Search.stopped
RenderedMath.is_fallback
StudyFilter.is_empty
Scheduler.retrievability
Settings.from_storage
ParsePool.has_module

# Names vulture cannot tie to a class are listed as attributes of a stand-in object.
_ = object()

# Work in progress for issue 17: the LaTeX answer reader (only its tests call it so far) and
# the givens' row packing that the exercise screen reports (not read yet).
_.compile_latex
_.block_rows

# Attributes written for a library to read: Anki's card fields, Textual's input cursor and
# grid style, and the Markdown widget's state that its own methods read.
_.did
_.last_review_time
_.cursor_position
_.grid_size_columns
_._markdown
_._table_of_contents
_._theme
_._last_parsed_line
# Overrides of Textual methods, with Textual's signature.
_._token_to_content
_.container
_.viewport
# Context-manager protocol arguments.
_.trace
# Rows read from Anki's tables and Anki's enumerations, named in full for the reader.
_.last_interval
_.QUEUE_NEW
_.CARD_LEARN
_.CARD_REVIEW
_.CARD_RELEARN

# quizapp/store/ is being split into repositories (issue 17); its remaining unused names are
# left to that work: delete them there, then here.
_.isolation_level  # SQLite connection attribute, read by sqlite3
_.run_sql
_.attempts_for
_.write_file
_.script_head
_.KIND_LEARNING
_.exercise_id
_.sibling_ids
_.review_log
_.reviews_of
_.restore  # store/backup.restore: the CLI stages restores (stage_restore) instead
# textual-serve's AppService calls these overrides (the app process started directly).
AppSession._open_app_process
AppSession._stdin
