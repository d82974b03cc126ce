"""``quizapp serve``: the Textual app in a browser, one app process per tab.

textual-serve does the drawing (xterm.js in the page, the app's own process behind a
websocket); this package adds what a server left running on a home network needs:
who may connect (``access``), how many apps may run at once and how each ends
(``sessions``), the pages a refused or turned-away visitor sees (``pages``), and the
process each tab runs (``app_process``). Nothing here imports Textual: the app process
does, on its own.
"""
