"""``data/curated/canonical.yaml``: hand-checked links the rules cannot decide, each with its source.

An entry names either one record (``id``) or every record the rules linked to one snapshot
(``canonical_slug``), and sets ``canonical_slug`` and/or ``family``, or ``unlink: true``::

    - canonical_slug: anthropic/claude-opus-4-20250514
      set: {canonical_slug: anthropic/claude-4-opus-20250522}
      source: https://docs.anthropic.com/en/docs/about-claude/models/overview
      reason: Anthropic published one Claude Opus 4 snapshot; OpenRouter dates it by release day.

A bad file stops the build with one line naming the file and entry (exit 2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from modelatlas import regular_files, yamlio
from modelatlas.errors import InputError

SLUG = re.compile(r"[a-z0-9][a-z0-9._-]*/[a-z0-9][a-z0-9._:-]*")
SETTABLE = ("canonical_slug", "family")


@dataclass(frozen=True)
class CuratedLink:
    """One curated decision: which records (``record_id`` or ``matched_slug``) and what they get."""

    record_id: str | None
    matched_slug: str | None
    values: dict[str, str]
    unlink: bool
    source: str


def curated_links_path(data_dir: Path) -> Path:
    return data_dir / "curated" / "canonical.yaml"


def _entry(raw: Any, label: str) -> CuratedLink:
    if not isinstance(raw, dict):
        raise InputError(f"{label}: expected a mapping with id or canonical_slug, set and source")
    source, reason = raw.get("source"), raw.get("reason")
    if not isinstance(source, str) or not source.startswith("https://"):
        raise InputError(f"{label}: 'source' must be the https URL of the page that says so")
    if not isinstance(reason, str) or not reason.strip():
        raise InputError(f"{label}: 'reason' must say in one line why the rules get this wrong")
    record_id, matched = raw.get("id"), raw.get("canonical_slug")
    if (record_id is None) == (matched is None) or not isinstance(record_id or matched, str):
        raise InputError(f"{label}: give exactly one of 'id' (a record) or 'canonical_slug' (a snapshot)")
    unlink = raw.get("unlink", False)
    values = raw.get("set", {})
    if not isinstance(values, dict) or set(values) - set(SETTABLE) or not isinstance(unlink, bool):
        raise InputError(f"{label}: 'set' may hold only {', '.join(SETTABLE)}; 'unlink' is true or false")
    for key, value in values.items():
        if not isinstance(value, str) or SLUG.fullmatch(value) is None:
            raise InputError(f"{label}: set.{key} must be a lowercase <vendor>/<model> slug, got {value!r}")
    if unlink == bool(values):
        raise InputError(f"{label}: give either 'set' or 'unlink: true'")
    return CuratedLink(record_id, matched, dict(values), unlink, source)


def load_curated_links(data_dir: Path) -> list[CuratedLink]:
    """The curated entries (none when the file does not exist); a bad file raises InputError."""
    path = curated_links_path(data_dir)
    try:
        raw = yamlio.safe_load(regular_files.read_text(path))
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"{path}: cannot read it as YAML ({exc.__class__.__name__}); fix the file") from exc
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise InputError(f"{path}: expected a YAML list of entries (- id: ... or - canonical_slug: ...)")
    return [_entry(item, f"{path} entry {index}") for index, item in enumerate(raw, start=1)]
