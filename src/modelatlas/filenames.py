"""Safe file names for model ids: portable on Windows, macOS and Linux, URL-safe, collision-free.

``model_filename(upstream_id)`` returns a file *stem* (callers add ``.json`` / ``.html``):

* An id that is already a plain lowercase name (``[a-z0-9._-]``, not starting or ending with a
  dot, at most :data:`MAX_SLUG` characters, not a Windows device name) is used as is:
  ``gpt-4o`` → ``gpt-4o``.
* Anything else becomes a readable slug plus ``~`` plus a short hash of the *exact* id:
  ``GPT-4o`` → ``gpt-4o~3f1c2a9b0d``, ``a/b`` → ``a_b~…``, ``../../x`` → ``_x~…``.

The ``~`` separator cannot occur in a name used as is, so a hashed name never equals a plain one,
and two hashed names only collide if their ids share a 50-bit hash prefix (the build still checks
every folder for collisions, also case-insensitively, and fails clearly; see :func:`check_unique`).
Names contain only ``[a-z0-9._~-]``: no separators, no ``..``, nothing to escape from a folder.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from functools import cache

MAX_SLUG = 80
HASH_CHARS = 10
_PLAIN = re.compile(r"[a-z0-9._-]+")
_NOT_ALLOWED = re.compile(r"[^a-z0-9._-]+")
_DOTS = re.compile(r"\.{2,}")
# Windows device names, reserved with any extension (``nul.txt``, ``con.json``).
WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{n}" for n in range(10)}
    | {f"lpt{n}" for n in range(10)}
    | {"com¹", "com²", "com³", "lpt¹", "lpt²", "lpt³", "conin$", "conout$"}
)


def _is_plain(name: str) -> bool:
    return (
        0 < len(name) <= MAX_SLUG
        and _PLAIN.fullmatch(name) is not None
        and not name.startswith(".")
        and not name.endswith(".")
        and name.split(".", 1)[0] not in WINDOWS_RESERVED
    )


def _slug(upstream_id: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", upstream_id).encode("ascii", "ignore").decode("ascii")
    slug = _DOTS.sub(".", _NOT_ALLOWED.sub("_", ascii_text.lower()))
    slug = slug.strip(".")[:MAX_SLUG].strip(".") or "_"
    stem, dot, rest = slug.partition(".")
    if stem in WINDOWS_RESERVED:  # nul.txt~… would still be the NUL device on Windows
        slug = f"{stem}_{dot}{rest}"
    return slug


def id_hash(upstream_id: str) -> str:
    """A short, stable hash of the exact id (case and unicode included)."""
    return hashlib.sha256(upstream_id.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_CHARS]


@cache  # a build asks for each model's and canonical model's stem from several pages and files
def model_filename(upstream_id: str) -> str:
    """The safe file stem for a model's upstream id (unique per id within one provider folder)."""
    if _is_plain(upstream_id):
        return upstream_id
    return f"{_slug(upstream_id)}~{id_hash(upstream_id)}"


class FilenameCollision(ValueError):
    """Two different ids map to the same file name (or names equal but for case)."""


def check_unique(ids: Iterable[str]) -> dict[str, str]:
    """Map each id to its file stem; raise :class:`FilenameCollision` if two names clash.

    Names are compared case-insensitively (macOS and Windows file systems fold case).
    """
    names: dict[str, str] = {}
    seen: dict[str, str] = {}
    for upstream_id in ids:
        name = model_filename(upstream_id)
        folded = name.casefold()
        other = seen.get(folded)
        if other is not None and other != upstream_id:
            raise FilenameCollision(f"ids {other!r} and {upstream_id!r} both map to file name {name!r}")
        seen[folded] = upstream_id
        names[upstream_id] = name
    return names
