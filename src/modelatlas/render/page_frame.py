"""A page template rendered once per build for many pages: a page's own values go where the
template was given markers (:func:`mark`), and :meth:`Frame.fill` puts them in. Thousands of model
and canonical pages share a frame per folder depth and kind of page (render/model_page.py,
render/canonical_html.py); the template stays the one place that lays out their frame. A page with
a table of thousands of rows (a provider's) is a frame of its own whose table is streamed into
it (:meth:`Frame.stream`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from jinja2 import Environment

_PREFIX = "modelatlas-slot-"
_MARK = "\x00" + _PREFIX + "{}\x00"  # no escaping changes it, and no page's text holds a NUL (refused)


def mark(slot: str) -> str:
    """The marker standing for ``slot`` in a frame's context."""
    return _MARK.format(slot)


class Frame:
    """``template`` rendered once with ``context``, whose markers (:func:`mark`) become slots."""

    def __init__(self, env: Environment, template: str, context: dict[str, Any]) -> None:
        html = env.get_template(template).render(**context)
        self.pieces: list[str] = []
        self.slots: list[str] = []
        for part in html.split("\x00"):
            if part.startswith(_PREFIX):
                self.slots.append(part.removeprefix(_PREFIX))
            else:
                self.pieces.append(part)
        self.encoded = [piece.encode("utf-8") for piece in self.pieces]

    def fill(self, values: dict[str, bytes]) -> bytes:
        """The page's bytes: ``values`` (already escaped HTML, encoded, by slot) in their places.
        Pages are put together as bytes: text joined with one non-ASCII character (a "›") is held
        two bytes a character and encoded character by character, and most of a page is ASCII."""
        out = [self.encoded[0]]
        for slot, piece in zip(self.slots, self.encoded[1:], strict=True):
            out.append(values[slot])
            out.append(piece)
        return b"".join(out)

    def stream(self, values: Mapping[str, Iterable[str]]) -> Iterator[str]:
        """The page piece by piece: each slot's pieces (already escaped HTML) in its place."""
        yield self.pieces[0]
        for slot, piece in zip(self.slots, self.pieces[1:], strict=True):
            yield from values[slot]
            yield piece
