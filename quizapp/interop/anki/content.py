"""An Anki field (HTML) as quizapp Markdown.

The conversion itself is the delimited format's (``cards/formats/html_fields.py``:
html-to-markdown, with MathJax ``\\(…\\)`` and ``\\[…\\]`` cut out first and put back as
``$…$`` and ``$$…$$``, entities decoded). What Anki adds on top is handled here, before it:

- Anki's older LaTeX tags: ``[$]…[/$]`` is inline math, ``[$$]…[/$$]`` and
  ``[latex]…[/latex]`` display math (quizapp draws the formula instead of Anki's
  pre-rendered image).
- ``<img src="photo.jpg">`` becomes the placeholder ``[image: photo.jpg]`` and
  ``[sound:clip.mp3]`` becomes ``[sound: clip.mp3]``: the files themselves are copied into
  the media folder beside the database, where the placeholder names them. A terminal does
  not show images or play sound, so the placeholder says what the card held.
"""

from __future__ import annotations

import html
import re

from quizapp.cards.formats.html_fields import html_to_markdown

_LATEX_TAGS = re.compile(
    r"\[\$\$\](?P<display>.*?)\[/\$\$\]|\[\$\](?P<inline>.*?)\[/\$\]"
    r"|\[latex\](?P<latex>.*?)\[/latex\]",
    re.IGNORECASE | re.DOTALL,
)
_IMAGE = re.compile(r"<img\b[^<>]*?\bsrc\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))[^<>]*>", re.I)
_SOUND = re.compile(r"\[sound:([^\]]+)\]")
_TAG = re.compile(r"<[^<>]*>")


def _latex(match: re.Match[str]) -> str:
    display, inline, latex = match.group("display", "inline", "latex")
    if inline is not None:
        return f"\\({inline}\\)"
    return f"\\[{display if display is not None else latex}\\]"


def _image(match: re.Match[str]) -> str:
    name = html.unescape(next(group for group in match.groups() if group is not None))
    return f" [image: {html.escape(name, quote=False)}] "


def media_names(field: str) -> list[str]:
    """The media files a field refers to (images and sounds), in order."""
    names = [
        html.unescape(next(group for group in match.groups() if group is not None))
        for match in _IMAGE.finditer(field)
    ]
    names.extend(html.unescape(match.group(1)) for match in _SOUND.finditer(field))
    return names


def field_markdown(field: str) -> str:
    """One field's HTML as Markdown (see the module's docstring)."""
    if "[" in field:
        field = _LATEX_TAGS.sub(_latex, field)
        field = _SOUND.sub(lambda match: f"[sound: {match.group(1)}]", field)
    if "<img" in field or "<IMG" in field:
        field = _IMAGE.sub(_image, field)
    return html_to_markdown(field)


def plain_text(field: str) -> str:
    """A field as one line of text without markup, to see whether it says anything."""
    return " ".join(html.unescape(_TAG.sub(" ", field)).replace("\xa0", " ").split())
