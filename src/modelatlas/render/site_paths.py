"""Where each page of the HTML site lives under the build root, and relative links between pages.

Every link in the site is relative (the site works from any subpath, e.g. GitHub Pages'
``https://<user>.github.io/<repo>/``). File names for models come from
:func:`modelatlas.filenames.model_filename`, never from a raw id.
"""

from __future__ import annotations

import posixpath
from typing import Any

from modelatlas.filenames import model_filename

NOT_NAMES = frozenset({"", ".", ".."})  # parts of a path that name no file or folder of their own
BROWSE_PAGE_SIZE = 250


def model_stem(record: dict[str, Any]) -> str:
    return model_filename(record["modelatlas"]["upstream_id"])


def model_page(record: dict[str, Any]) -> str:
    return f"model/{record['modelatlas']['provider']}/{model_stem(record)}.html"


def canonical_page(slug: str) -> str:
    """The page of one canonical model: ``canonical/<vendor>/<model>.html`` (each part a safe name)."""
    vendor, _, model = slug.partition("/")
    return f"canonical/{model_filename(vendor)}/{model_filename(model)}.html"


def provider_page(provider: str) -> str:
    return f"providers/{provider}.html"


def provider_chart_page(provider: str) -> str:
    return f"charts/{provider}.html"


def browse_page(number: int) -> str:
    """The k-th (1-based) plain, script-free page of the full catalog table."""
    return f"browse/{number}.html"


def root_of(page: str) -> str:
    """The relative prefix from ``page`` back to the build root ("", "../", "../../")."""
    depth = page.count("/")
    return "../" * depth


def relative(from_page: str, target: str) -> str:
    """A relative URL from one page to another build path."""
    return posixpath.relpath(target, posixpath.dirname(from_page) or ".")


def is_safe_output_path(path: str) -> bool:
    """A relative posix path that stays inside the build root (no absolute, no ``..``, no backslash)."""
    parts = path.split("/")
    return (
        bool(path)
        and not path.startswith("/")
        and "\\" not in path
        and ":" not in path
        and NOT_NAMES.isdisjoint(parts)
    )
