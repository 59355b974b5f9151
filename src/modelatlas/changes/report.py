"""Render change entries as text (terminal), markdown (commit body, job summary) or JSON.

Upstream text (model ids, names, values) is untrusted: control characters are escaped in text,
and markdown escapes table pipes, HTML and backticks so a hostile id cannot break the layout.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from modelatlas.changes.diff import ChangeKind as K
from modelatlas.changes.diff import Entry, counts
from modelatlas.jsonio import dumps_compact, dumps_pretty
from modelatlas.schema import SCHEMA_VERSION

FORMATS = ("text", "markdown", "json")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_MARKS = {K.ADDED: "+", K.READDED: "+", K.REMOVED: "-", K.CHANGED: "~"}


def _escape_control(text: str) -> str:
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def show_value(value: Any) -> str:
    """One value as short text: strings bare, absent as ``(absent)``, anything else as compact JSON."""
    if value is None:
        return "(absent)"
    if isinstance(value, str):
        return value
    return dumps_compact(value)


def headline(entries: Sequence[Entry]) -> str:
    tally = counts(entries)
    if not entries:
        return "no changes"
    parts = [f"{tally[k]} {k}" for k in (K.ADDED, K.REMOVED, K.READDED) if tally[k]]
    if tally[K.CHANGED]:
        parts.append(
            f"{tally['changed']} changed ({tally['fields']} field{'s' if tally['fields'] != 1 else ''})"
        )
    return ", ".join(parts)


def signed_percent(entry: Entry) -> str:
    """The entry's relative price change as ``+25%`` / ``-20%``; empty when it has none."""
    percent = entry.get("percent")
    if percent is None:
        return ""
    return f"{'' if percent.startswith('-') else '+'}{percent}%"


def change_text(entry: Entry) -> str:
    """``before → after`` of a changed field, with the price change in percent when there is one."""
    text = f"{show_value(entry['before'])} → {show_value(entry['after'])}"
    return f"{text} ({signed_percent(entry)})" if "percent" in entry else text


def format_text(entries: Sequence[Entry], old_label: str, new_label: str) -> str:
    lines = [f"{_escape_control(old_label)} → {_escape_control(new_label)}: {headline(entries)}"]
    for entry in entries:
        mark, model = _MARKS[entry["kind"]], _escape_control(entry["model"])
        if entry["kind"] == K.CHANGED:
            lines.append(f"{mark} {model}  {entry['field']}: {_escape_control(change_text(entry))}")
        else:
            lines.append(f"{mark} {model}  {entry['kind']}")
    return "\n".join(lines) + "\n"


def md_cell(text: str) -> str:
    text = _escape_control(text).replace("\\", "\\\\").replace("|", "\\|")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("`", "'")


def _md_code(text: str) -> str:
    return f"`{md_cell(text)}`"


def _md_model_rows(entries: Sequence[Entry], limit: int | None) -> list[str]:
    rows = ["| model | name | context | prompt $/token | completion $/token |", "|---|---|---|---|---|"]
    for entry in entries[:limit]:
        shown = entry["after"] if entry["after"] is not None else entry["before"] or {}
        pricing = shown.get("pricing") or {}
        cells = [
            _md_code(entry["model"]),
            md_cell(str(shown.get("name", ""))),
            md_cell(show_value(shown.get("context_length")) if "context_length" in shown else ""),
            md_cell(pricing.get("prompt", "")),
            md_cell(pricing.get("completion", "")),
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def _md_more(total: int, limit: int | None) -> list[str]:
    return (
        ["", f"… and {total - limit} more (see `modelatlas diff --format json`)."]
        if limit and total > limit
        else []
    )


def format_markdown(
    entries: Sequence[Entry], old_label: str, new_label: str, limit: int | None = None
) -> str:
    """Markdown: a headline, then one table per kind; at most ``limit`` rows per table."""
    lines = [f"**{md_cell(headline(entries))}** ({_md_code(old_label)} → {_md_code(new_label)})"]
    for kind, title in ((K.ADDED, "Added"), (K.READDED, "Re-added"), (K.REMOVED, "Removed")):
        group = [e for e in entries if e["kind"] == kind]
        if group:
            lines += [
                "",
                f"### {title} ({len(group)})",
                "",
                *_md_model_rows(group, limit),
                *_md_more(len(group), limit),
            ]
    changed = [e for e in entries if e["kind"] == K.CHANGED]
    if changed:
        models = len({e["model"] for e in changed})
        lines += [
            "",
            f"### Changed ({models} models, {len(changed)} fields)",
            "",
            "| model | field | before | after | change |",
            "|---|---|---|---|---|",
        ]
        for entry in changed[:limit]:
            cells = [
                _md_code(entry["model"]),
                _md_code(entry["field"]),
                md_cell(show_value(entry["before"])),
                md_cell(show_value(entry["after"])),
                signed_percent(entry),
            ]
            lines.append("| " + " | ".join(cells) + " |")
        lines += _md_more(len(changed), limit)
    return "\n".join(lines) + "\n"


def format_json(entries: Sequence[Entry], old_label: str, new_label: str) -> str:
    return dumps_pretty(
        {
            "schema_version": SCHEMA_VERSION,
            "old": old_label,
            "new": new_label,
            "summary": counts(entries),
            "changes": list(entries),
        }
    )


def render_report(entries: Sequence[Entry], old_label: str, new_label: str, fmt: str) -> str:
    if fmt == "markdown":
        return format_markdown(entries, old_label, new_label)
    if fmt == "json":
        return format_json(entries, old_label, new_label)
    return format_text(entries, old_label, new_label)
