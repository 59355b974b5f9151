"""The shrink guard: a refreshed list that lost too many of a provider's models is not written.

Two thresholds, two overrides (docs/data.md, "Shrink guard" and "Mass removals"):

* a list that lost more than ``shrink_limit`` (default 30%) of the active models it had from the
  same kind of source is held back; ``--allow-shrink`` (the everyday override) writes it;
* a list that lost most of them (more than :data:`MOST`, from any source) or all of them is held
  back as an upstream fault, and ``--allow-shrink`` does not write it: only
  ``--allow-mass-removal <provider>``, naming the provider, does. The message of such a hold names
  no flag, so no printed advice can lead to an empty catalog.
"""

from __future__ import annotations

from enum import Enum

from modelatlas.datastore import ProviderDoc

MOST = 0.5
MASS_REMOVAL_DOCS = "docs/data.md, 'Mass removals'"


class Removal(Enum):
    """How much of its list a provider's refresh would remove."""

    NONE = "none"  # nothing held back
    SHRINK = "shrink"  # more than the shrink limit: --allow-shrink writes it
    MASS = "mass"  # most or all: only --allow-mass-removal <provider> writes it


def active_ids(doc: ProviderDoc | None) -> set[str]:
    models = doc.get("models", []) if doc else []
    return {
        m["id"] for m in models if m.get("modelatlas", {}).get("lifecycle", {}).get("status") != "removed"
    }


def removal(previous: ProviderDoc | None, doc: ProviderDoc, limit: float) -> tuple[Removal, str]:
    """How much ``doc`` would remove of ``previous``'s active models, and a description of it."""
    before, after = active_ids(previous), active_ids(doc)
    if not before:
        return Removal.NONE, ""
    lost = len(before - after)
    share = lost / len(before)
    if not after:
        return Removal.MASS, f"the new list is empty (had {len(before)} models)"
    described = f"the list lost {lost} of {len(before)} models ({lost * 100 // len(before)}%"
    if share > MOST:
        return Removal.MASS, described + ")"
    same_source = (previous or {}).get("status", {}).get("source") == doc["status"]["source"]
    if same_source and share > limit:
        return Removal.SHRINK, described + f" > {limit:.0%})"
    return Removal.NONE, ""


def held_reason(
    previous: ProviderDoc | None, doc: ProviderDoc, limit: float, *, allow_shrink: bool, allow_mass: bool
) -> str | None:
    """Why ``doc`` is held back (None if it may be written), with the advice that is safe to give."""
    kind, described = removal(previous, doc, limit)
    if kind is Removal.MASS and not allow_mass:
        return (
            f"held back: {described}; a provider never drops most of its models at once, so this is "
            f"taken for an upstream fault and its last good list is kept (to accept a real removal, "
            f"see {MASS_REMOVAL_DOCS})"
        )
    if kind is Removal.SHRINK and not (allow_shrink or allow_mass):
        return f"held back: {described}; if the provider really dropped them, rerun with --allow-shrink"
    return None
