"""Resource limits for card files.

Card collections come from strangers, so every dimension that could make the parser slow or
the store huge has a ceiling. Each limit is checked where it is cheapest to check and, when
exceeded, gives a one-line error naming the file and line. ``docs/card-format.md`` states them.
"""

from __future__ import annotations

#: A card file larger than this is refused before it is read whole (1 MiB).
MAX_FILE_BYTES = 1024 * 1024

#: At most this many cards in one file of quizapp's own layout, where a card is a whole
#: Markdown section with its derivation steps.
MAX_CARDS_PER_FILE = 200

#: At most this many cards in one file of an inline format (``Q::A`` lines, ``Q:``/``A:``
#: pairs, question headings and lists, CSV rows). Their cards are a line or a few long, so
#: an Anki export or a README question list of thousands is ordinary; the 1 MiB file limit
#: bounds the work, and this bounds one file's transaction.
MAX_INLINE_CARDS_PER_FILE = 10_000

#: A single formula (``$…$`` or ``$$…$$``) may hold at most this many characters.
MAX_FORMULA_CHARS = 2000

#: At most this many headings (of any level) in one file.
MAX_HEADINGS_PER_FILE = 2000

#: Lists and block quotes may nest this many block levels deep. A list level costs two
#: (the list and its item), so this allows about twenty nested lists. markdown-it stops
#: parsing at this depth and silently drops the rest of the document, so reaching it is an
#: error rather than a quiet loss of the card's metadata sections.
MAX_BLOCK_NESTING = 40

# What one card may hold. The TUI draws a card as one widget per Markdown block, and
# Textual's layout, styling and focus changes cost time for every widget on the screen, so
# the number of blocks is what decides how long the largest card stalls the app;
# ``bench/parts/card_display.py`` measures the worst legal card against the 100 ms goal.
# Formulas are drawn in threads, but ``quizapp show`` draws them all. What counts is what
# is drawn: the question and the answer (metadata sections become badges). The bundled
# deck's largest card has 67 blocks, 61 formulas and 5,300 characters.

#: At most this many formulas (inline and display together) in one card.
MAX_FORMULAS_PER_CARD = 300

#: At most this many Markdown blocks in one card: each paragraph, heading, list, block
#: quote, code block, display formula, table, table row and table cell counts one, and
#: each list item three (it is drawn as a bullet beside a box for its content, which
#: counts too).
MAX_BLOCKS_PER_CARD = 100

#: At most this many derivation steps in one card (each is drawn with its own heading).
MAX_STEPS_PER_CARD = 30

#: At most this many characters in one card (question and answer).
MAX_CARD_CHARS = 20_000
