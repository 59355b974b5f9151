"""A safe markdown subset for upstream model descriptions.

Everything is HTML-escaped first; only then are a few inline forms turned back into markup:
``**bold**``, ``*italic*``, `` `code` ``, ``[text](http(s)://url)`` and bare http(s) URLs.
Paragraphs are split on blank lines, ``- item`` lines become a list. A link whose target is not
http or https (``javascript:``, ``data:``, relative paths) stays plain text.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_LINK = re.compile(r"\[([^\]\n]{1,300})\]\(([^)\s]{1,2000})\)")
_BARE_URL = re.compile(
    r"(?<![\w/])(https?://(?:(?!&#)[^\s<>()\[\]]){0,2000}[^\s<>()\[\].,;:!?&])", re.IGNORECASE
)
_CODE = re.compile(r"`([^`\n]{1,500})`")
_BOLD = re.compile(r"\*\*([^*\n]{1,500})\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*([^*\n]{1,500})\*(?![*\w])")
_BULLET = re.compile(r"^\s*[-*] ")
_SAFE_SCHEME = re.compile(r"^https?://", re.IGNORECASE)
_LINK_ATTRS = 'rel="nofollow noopener noreferrer"'


def _link(match: re.Match[str]) -> str:
    text, url = match.group(1), match.group(2)
    if not _SAFE_SCHEME.match(url):
        return text
    return f'<a href="{url}" {_LINK_ATTRS}>{text}</a>'


def _inline_piece(piece: str) -> str:
    """Links, bare URLs and emphasis in one escaped piece outside backticks."""
    placeholders: list[str] = []

    def keep(html: str) -> str:
        placeholders.append(html)
        return f"\x00{len(placeholders) - 1}\x00"

    piece = _LINK.sub(lambda m: keep(_link(m)), piece)
    piece = _BARE_URL.sub(lambda m: keep(f'<a href="{m.group(1)}" {_LINK_ATTRS}>{m.group(1)}</a>'), piece)
    piece = _BOLD.sub(r"<strong>\1</strong>", piece)
    piece = _ITALIC.sub(r"<em>\1</em>", piece)
    return re.sub(r"\x00(\d+)\x00", lambda m: placeholders[int(m.group(1))], piece)


def _inline(escaped: str) -> str:
    """Inline markup on already-escaped text (no raw ``<``, ``>``, ``"`` or ``'`` can remain in it)."""
    pieces = _CODE.split(escaped)
    return "".join(f"<code>{p}</code>" if i % 2 else _inline_piece(p) for i, p in enumerate(pieces))


def render_markdown(text: str) -> Markup:
    """Upstream markdown-ish text as safe HTML (paragraphs, lists, emphasis, code, http(s) links)."""
    escaped = str(escape(text.replace("\x00", "").replace("\r\n", "\n")))
    blocks = [b.strip("\n") for b in re.split(r"\n\s*\n", escaped) if b.strip()]
    html: list[str] = []
    for block in blocks:
        lines = block.split("\n")
        if all(_BULLET.match(line) for line in lines):
            items = "".join("<li>" + _inline(_BULLET.sub("", line)) + "</li>" for line in lines)
            html.append(f"<ul>{items}</ul>")
        else:
            html.append("<p>" + "<br>".join(_inline(line) for line in lines) + "</p>")
    return Markup("".join(html))


def plain_summary(text: str, limit: int = 160) -> str:
    """The first ``limit`` characters of a description with markdown punctuation removed (unescaped)."""
    flat = _LINK.sub(r"\1", text)
    flat = re.sub(r"[*`_#>]+", "", flat)
    flat = " ".join(flat.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
