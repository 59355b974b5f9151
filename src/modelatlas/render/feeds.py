"""Change feeds and CDN files: ``v1/changes.json`` (+ pages), Atom feeds, ``_headers``, ``.nojekyll``.

Pure: ``render(catalog)`` yields ``(relative path, bytes)``; every byte is a function of the
catalog (feed timestamps are change dates, never the build time). Upstream text (ids, names,
values) goes into XML only through ElementTree, which escapes it; characters XML 1.0 forbids are
dropped.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Sequence
from typing import Any
from urllib.parse import quote

from modelatlas.changes.diff import ChangeKind, Entry
from modelatlas.changes.report import change_text, show_value
from modelatlas.fetch.providers import registry
from modelatlas.ids import provider_ids
from modelatlas.jsonio import compact_bytes
from modelatlas.pagination import encode_page_token, has_next, page_bounds, page_count
from modelatlas.render.catalog import Catalog
from modelatlas.render.links import Linker
from modelatlas.render.response_headers import headers_file
from modelatlas.schema import SCHEMA_VERSION

ATOM = "http://www.w3.org/2005/Atom"
FEED_GROUPS = 100  # Atom entries (one per model and day) per feed
EPOCH = "1970-01-01T00:00:00Z"
# What XML 1.0 forbids (every character but tab, newline, return, U+0020-D7FF, U+E000-FFFD and beyond
# U+FFFF), spelled out: the negated class of what it allows took 5 ms to compile, in every build.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")



def _json(value: Any) -> bytes:
    return compact_bytes(value) + b"\n"


def changes_json(
    entries: Sequence[Entry], page_size: int, linker: Linker, since: str | None = None
) -> Iterator[tuple[str, bytes]]:
    """``v1/changes.json`` (all, newest first) and ``v1/changes/page/<k>.json``; links per :class:`Linker`.

    ``since``: the day the log starts (an empty list means "nothing changed since then")."""
    total = len(entries)
    pages = page_count(total, page_size)
    whole = "v1/changes.json"
    starts = {"since": since} if since else {}
    yield (
        whole,
        _json(
            {
                "schema_version": SCHEMA_VERSION,
                "data": list(entries),
                "total": total,
                "page_size": page_size,
                "pages": pages,
                "links": {
                    "first": linker.url(whole, "v1/changes/page/0.json"),
                    "feed": linker.url(whole, "changes.xml"),
                },
                **starts,
            }
        ),
    )
    for page in range(pages):
        start, stop = page_bounds(page, total, page_size)
        path = f"v1/changes/page/{page}.json"
        document: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "data": list(entries[start:stop]),
            "page": page,
            "total": total,
            "links": {},
            **starts,
        }
        if has_next(page, total, page_size):
            document["next_page_token"] = encode_page_token(page + 1)
            document["links"]["next"] = linker.url(path, f"v1/changes/page/{page + 1}.json")
        yield path, _json(document)


def _text(value: str) -> str:
    return _NOT_XML.sub("", value)


def _stamp(date: str) -> str:
    return f"{date}T00:00:00Z"


def group_entries(entries: Iterable[Entry]) -> list[list[Entry]]:
    """Entries grouped by (date, model), in order of first appearance (newest first stays newest first)."""
    groups: dict[tuple[str, str], list[Entry]] = {}
    for entry in entries:
        groups.setdefault((entry["date"], entry["model"]), []).append(entry)
    return list(groups.values())


def _line(entry: Entry) -> str:
    if entry["kind"] != ChangeKind.CHANGED:
        shown = entry["after"] if entry["after"] is not None else entry["before"]
        return f"{entry['kind']}: {show_value(shown)}"
    return f"{entry['field']}: {change_text(entry)}"


def _title(group: Sequence[Entry]) -> str:
    model = group[0]["model"]
    kinds = {e["kind"] for e in group}
    if kinds == {ChangeKind.CHANGED}:
        fields = ", ".join(e["field"] for e in group[:3]) + (
            f" and {len(group) - 3} more" if len(group) > 3 else ""
        )
        return f"{model} changed: {fields}"
    return f"{model} {'re-added' if ChangeKind.READDED in kinds else sorted(kinds)[0]}"


def atom_feed(
    groups: Sequence[list[Entry]],
    title: str,
    self_href: str,
    linker: Linker,
    details: dict[str, str],
    since: str | None,
) -> bytes:
    """One Atom feed at build path ``self_href``; its links per ``linker`` (absolute with a base URL).

    Feed and entry ids are ``urn:modelatlas:`` names made of the feed's path, the change date and
    the model id: they stay the same whatever base URL the feed is published under. Its subtitle
    says since when changes are logged; an empty feed says nothing changed since then (and is
    ``updated`` that day).
    """
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}id").text = f"urn:modelatlas:feed:{quote(self_href)}"
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    if since:
        subtitle = f"Changes since {since}" if groups else f"No changes since {since}"
        ET.SubElement(feed, f"{{{ATOM}}}subtitle").text = subtitle
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = (
        _stamp(groups[0][0]["date"]) if groups else _stamp(since) if since else EPOCH
    )
    self_link = linker.url(self_href, self_href)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", type="application/atom+xml", href=self_link)
    ET.SubElement(
        feed,
        f"{{{ATOM}}}link",
        rel="alternate",
        type="application/json",
        href=linker.url(self_href, "v1/changes.json"),
    )
    ET.SubElement(ET.SubElement(feed, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = "modelatlas"
    ET.SubElement(feed, f"{{{ATOM}}}generator").text = "modelatlas"
    for group in groups[:FEED_GROUPS]:
        first = group[0]
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(
            entry, f"{{{ATOM}}}id"
        ).text = f"urn:modelatlas:change:{first['date']}:{quote(first['model'], safe='')}"
        ET.SubElement(entry, f"{{{ATOM}}}title").text = _text(_title(group))
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _stamp(first["date"])
        if first["model"] in details:
            ET.SubElement(
                entry,
                f"{{{ATOM}}}link",
                rel="alternate",
                type="application/json",
                href=linker.url(self_href, details[first["model"]]),
            )
        for term in [first["provider"], *sorted({e["kind"] for e in group})]:
            ET.SubElement(entry, f"{{{ATOM}}}category", term=term)
        content = ET.SubElement(entry, f"{{{ATOM}}}content", type="text")
        content.text = _text("\n".join(_line(e) for e in group))
    return (
        b'<?xml version="1.0" encoding="utf-8"?>\n'
        + ET.tostring(feed, encoding="utf-8", xml_declaration=False)
        + b"\n"
    )


def render(catalog: Catalog, only_deferred: bool = False) -> Iterator[tuple[str, bytes]]:
    """The change feeds; none is :class:`~modelatlas.render.lazy.Deferred`, so nothing with
    ``only_deferred`` (see :func:`modelatlas.render.deferred_files`)."""
    if only_deferred:
        return
    entries = catalog.changes
    linker = catalog.linker
    since = catalog.changes_since
    yield from changes_json(entries, catalog.page_size, linker, since)
    details = {
        m["id"]: m["modelatlas"]["links"]["details"]
        for m in catalog.models
        if isinstance(m.get("modelatlas", {}).get("links", {}).get("details"), str)
    }
    yield (
        "changes.xml",
        atom_feed(
            group_entries(entries),
            "modelatlas: LLM catalog changes",
            "changes.xml",
            linker,
            details,
            since,
        ),
    )
    for provider in provider_ids():
        mine = group_entries(e for e in entries if e.get("provider") == provider)
        yield (
            f"changes/{provider}.xml",
            atom_feed(
                mine,
                f"modelatlas: {registry.names()[provider]} model changes",
                f"changes/{provider}.xml",
                linker,
                details,
                since,
            ),
        )
    yield "_headers", headers_file()
    yield ".nojekyll", b""
