"""Change feeds: v1/changes.json and pages, Atom feeds (all + per provider), _headers, .nojekyll."""

from __future__ import annotations

import base64
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from modelatlas.changes import changelog
from modelatlas.ids import provider_ids
from modelatlas.render import feeds
from modelatlas.render.build import assemble
from modelatlas.render.catalog import Catalog
from tests.paths import FIXTURES

A = "{http://www.w3.org/2005/Atom}"
FIXTURE = FIXTURES / "changes" / "data"


def entry(date: str, model: str, kind: str = "changed", **extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "date": date,
        "model": model,
        "provider": model.split("/")[0],
        "kind": kind,
        "before": None,
        "after": None,
        "source": "litellm",
    }
    if kind == "changed":
        base.update(field="pricing.prompt", before="0.0000025", after="0.000002", percent="-20")
    elif kind == "removed":
        base["before"] = {"name": model}
    else:
        base["after"] = {"name": model}
    return {**base, **extra}


CHANGES = [  # newest first, as load_changes gives them
    entry("2026-11-27", "openai/gpt-4o"),
    entry("2026-11-27", "openai/gpt-4o", field="context_length", before=128000, after=200000, percent=None),
    entry("2026-11-27", "anthropic/claude-x", "added"),
    entry("2026-11-26", "openai/o1", "removed"),
    entry("2026-11-20", "openai/o1", "readded"),
]


def catalog(changes: list[dict[str, Any]], page_size: int = 2) -> Catalog:
    clean = [
        {k: v for k, v in c.items() if v is not None or k in ("before", "after", "source")} for c in changes
    ]
    models = [
        {
            "id": "openai/gpt-4o",
            "modelatlas": {"provider": "openai", "links": {"details": "v1/model/openai/gpt-4o.json"}},
        }
    ]
    return Catalog(providers={}, models=models, page_size=page_size, changes=clean)


def files(cat: Catalog) -> dict[str, bytes]:
    return dict(feeds.render(cat))


def test_changes_json_and_pages_newest_first() -> None:
    out = files(catalog(CHANGES))
    whole = json.loads(out["v1/changes.json"])
    assert [e["date"] for e in whole["data"]] == ["2026-11-27"] * 3 + ["2026-11-26", "2026-11-20"]
    assert whole["total"] == 5 and whole["pages"] == 3
    pages = [json.loads(out[f"v1/changes/page/{k}.json"]) for k in range(3)]
    assert [len(p["data"]) for p in pages] == [2, 2, 1]
    assert [e for p in pages for e in p["data"]] == whole["data"]
    assert json.loads(base64.b64decode(pages[0]["next_page_token"])) == {"page": 1}
    assert pages[1]["links"]["next"] == "2.json"  # relative to the page itself (RFC 3986)
    assert "next_page_token" not in pages[2]
    assert "v1/changes/page/3.json" not in out


def test_atom_feed_parses_with_one_entry_per_model_and_day() -> None:
    out = files(catalog(CHANGES))
    root = ET.fromstring(out["changes.xml"])
    assert root.tag == f"{A}feed"
    assert root.findtext(f"{A}updated") == "2026-11-27T00:00:00Z"
    entries = root.findall(f"{A}entry")
    titles = [e.findtext(f"{A}title") for e in entries]
    assert titles == [
        "openai/gpt-4o changed: pricing.prompt, context_length",
        "anthropic/claude-x added",
        "openai/o1 removed",
        "openai/o1 re-added",
    ]
    ids = [e.findtext(f"{A}id") for e in entries]
    assert len(set(ids)) == 4 and all(i.startswith("urn:modelatlas:change:") for i in ids)
    content = entries[0].findtext(f"{A}content")
    assert "pricing.prompt: 0.0000025 → 0.000002 (-20%)" in content
    assert "context_length: 128000 → 200000" in content
    link = entries[0].find(f"{A}link")
    assert link is not None and link.get("href") == "v1/model/openai/gpt-4o.json"
    assert [c.get("term") for c in entries[0].findall(f"{A}category")] == ["openai", "changed"]


def test_per_provider_feeds_hold_only_their_provider() -> None:
    out = files(catalog(CHANGES))
    openai = ET.fromstring(out["changes/openai.xml"])
    assert {e.find(f"{A}category").get("term") for e in openai.findall(f"{A}entry")} == {"openai"}
    assert len(openai.findall(f"{A}entry")) == 3
    assert openai.find(f"{A}entry/{A}link").get("href") == "../v1/model/openai/gpt-4o.json"
    anthropic = ET.fromstring(out["changes/anthropic.xml"])
    assert len(anthropic.findall(f"{A}entry")) == 1
    assert len([p for p in out if p.startswith("changes/")]) == len(provider_ids())
    empty = ET.fromstring(out["changes/cerebras.xml"])
    assert empty.findall(f"{A}entry") == [] and empty.findtext(f"{A}updated") == feeds.EPOCH


def test_hostile_text_is_escaped_and_invalid_xml_characters_dropped() -> None:
    hostile = entry("2026-11-27", "openai/<script>&\x01\x0b]]>", "added", after={"name": "</title><x/>\x00"})
    out = files(catalog([hostile]))
    root = ET.fromstring(out["changes.xml"])  # still well-formed
    item = root.find(f"{A}entry")
    assert item.findtext(f"{A}title") == "openai/<script>&]]> added"
    assert "</title><x/>" in item.findtext(f"{A}content")
    assert b"<script>" not in out["changes.xml"]
    assert "%3Cscript%3E" in item.findtext(f"{A}id")


def test_headers_and_nojekyll() -> None:
    out = files(catalog([]))
    assert out[".nojekyll"] == b""
    blocks = {
        b.splitlines()[0]: b.splitlines()[1:]
        for b in out["_headers"].decode().split("\n\n")
        if not b.startswith("#")
    }
    v1 = [line.strip() for line in blocks["/v1/*"]]
    assert "Access-Control-Allow-Origin: *" in v1
    assert "Content-Type: application/json; charset=utf-8" in v1
    assert any(line.startswith("Cache-Control: public, max-age=") for line in v1)
    assert all(line.startswith("  ") for lines in blocks.values() for line in lines)  # Netlify syntax
    assert "Content-Type: application/atom+xml; charset=utf-8" in [x.strip() for x in blocks["/changes.xml"]]


def test_render_is_deterministic() -> None:
    assert files(catalog(CHANGES)) == files(catalog(CHANGES))


def test_build_publishes_the_committed_log(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    changelog.append_changes(
        data,
        [
            {k: v for k, v in c.items() if v is not None or k in ("before", "after", "source")}
            for c in sorted(CHANGES, key=lambda c: c["date"])
        ],
    )
    assemble(data, tmp_path / "build")
    built = json.loads((tmp_path / "build" / "v1" / "changes.json").read_bytes())
    assert [e["model"] for e in built["data"]][:3] == ["openai/gpt-4o", "openai/gpt-4o", "anthropic/claude-x"]
    root = ET.parse(tmp_path / "build" / "changes.xml").getroot()
    assert len(root.findall(f"{A}entry")) == 4
    assert (tmp_path / "build" / "_headers").is_file() and (tmp_path / "build" / ".nojekyll").is_file()
    page = (tmp_path / "build" / "changes.html").read_text()  # the site's changes page lists them too
    assert all(model in page for model in ("openai/gpt-4o", "anthropic/claude-x", "openai/o1"))
    assert built["since"] == "2026-11-20"  # no baseline file: the oldest entry's day
    assert root.find(f"{A}subtitle").text == "Changes since 2026-11-20"


def test_an_empty_log_says_since_when_nothing_changed(tmp_path: Path) -> None:
    """A fresh deployment's feeds are not silently empty: they name the baseline's day."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    changelog.write_baseline(data, "2026-11-20")
    assemble(data, tmp_path / "build")
    built = json.loads((tmp_path / "build" / "v1" / "changes.json").read_bytes())
    assert (built["data"], built["total"], built["since"]) == ([], 0, "2026-11-20")
    assert json.loads((tmp_path / "build" / "v1" / "changes" / "page" / "0.json").read_bytes())["since"] == (
        "2026-11-20"
    )
    for feed in ("changes.xml", "changes/openai.xml", "changes/cerebras.xml"):
        root = ET.parse(tmp_path / "build" / feed).getroot()
        assert root.find(f"{A}subtitle").text == "No changes since 2026-11-20", feed
        assert root.find(f"{A}updated").text == "2026-11-20T00:00:00Z" and not root.findall(f"{A}entry")
    (data / "changes" / "baseline.json").unlink()  # without a baseline: the snapshot's own day
    assemble(data, tmp_path / "build")
    assert json.loads((tmp_path / "build" / "v1" / "changes.json").read_bytes())["since"] == "2026-11-26"


def test_exactly_the_characters_xml_forbids_are_dropped() -> None:
    """XML 1.0's Char: tab, newline, return, U+0020-U+D7FF, U+E000-U+FFFD, U+10000-U+10FFFF."""
    allowed = [(0x9, 0x9), (0xA, 0xA), (0xD, 0xD), (0x20, 0xD7FF), (0xE000, 0xFFFD), (0x10000, 0x10FFFF)]
    edges = {edge + step for low, high in allowed for edge in (low, high) for step in (-1, 0, 1)}
    for point in sorted(p for p in edges | {0x0, 0x1F, 0xDBFF, 0xDC00} if 0 <= p <= 0x10FFFF):
        kept = any(low <= point <= high for low, high in allowed)
        assert feeds._text(f"a{chr(point)}b") == (f"a{chr(point)}b" if kept else "ab"), hex(point)
