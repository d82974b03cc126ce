"""The small pages a visitor sees instead of the app: refused, or every session in use.

Each says in one sentence what happened and what to do, as the command line's one-line
errors do; none shows anything of the collection.
"""

from __future__ import annotations

from html import escape

from quizapp.text import plural

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>quizapp: {title}</title>
<style>
body {{ margin: 0; min-height: 100vh; display: flex; align-items: center;
  justify-content: center; background: #0c181f; color: rgba(255,255,255,.95);
  font-family: menlo, monospace; }}
main {{ max-width: 40em; padding: 32px; background: #12232d; }}
h1 {{ font-size: 1.2em; margin-top: 0; }}
</style></head>
<body><main><h1>{title}</h1><p>{text}</p></main></body></html>
"""


def page(title: str, text: str) -> str:
    """A whole HTML page holding ``title`` and one paragraph of ``text`` (both escaped)."""
    return _PAGE.format(title=escape(title), text=escape(text))


def refused_page(reason: str) -> str:
    """The 403 page: why the request was refused."""
    return page("Not allowed", f"quizapp refused this request: {reason}.")


def busy_page(limit: int) -> str:
    """The 503 page shown when every session is in use."""
    return page(
        "Every session is in use",
        f"This quizapp serves {plural(limit, 'browser tab')} at a time and all are open. "
        "Close one of them (its app ends within a few seconds), then reload this page.",
    )


def busy_terminal_text(limit: int) -> bytes:
    """What a tab that got the page but lost the race for the last session shows in its
    terminal before its connection is closed."""
    text = (
        f"\r\n  quizapp: every session is in use ({plural(limit, 'session')} at most). "
        "Close another tab, then reload this one.\r\n"
    )
    return text.encode("utf-8")
