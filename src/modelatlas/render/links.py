"""URLs written into built files: relative to the document they appear in (RFC 3986), or absolute.

A client resolves a relative URL against the URL of the document holding it, as browsers, feed
readers, ``urllib.parse.urljoin`` and ``new URL(link, documentUrl)`` all do. So a link written into
``v1/models/page/0.json`` that points at ``v1/models/page/1.json`` is ``1.json``, not the path from
the build root. With a base URL (``build --base-url``) every link is that base plus the build path
instead: the same bytes in every document, and usable after the document is copied elsewhere.

Records are serialized once with ``modelatlas.links.details`` relative to the build root
(``v1/model/<provider>/<file>.json``); :class:`Linker` rewrites that one value in the serialized
bytes, once into the form ``v1/models.json`` holds and then per other document, which is cheaper
than serializing every record once per list. The match includes the unescaped quotes and braces
around the value, which no string inside a record can contain.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from modelatlas.build_folder import relative_url
from modelatlas.errors import InputError

BASE_URL_ENV = "MODELATLAS_BASE_URL"
_DETAILS_KEY = b'"links":{"details":"'
_DETAILS_FROM_ROOT = _DETAILS_KEY + b"v1/model/"
_STORED_AT = "v1/models.json"
_URL_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")  # RFC 3986, nothing to escape


def normalize_base_url(value: str | None) -> str | None:
    """``value`` as a base URL ending in ``/`` (None for no base); InputError unless http(s) with a host."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    parts = urlsplit(value)
    unsafe = not _URL_CHARACTERS.fullmatch(value)  # it is written verbatim into JSON, XML and HTML
    if unsafe or parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise InputError(
            f"--base-url {value!r} is not an http(s) URL without query, fragment or characters to escape; "
            "pass e.g. https://example.github.io/modelatlas/"
        )
    return value if value.endswith("/") else value + "/"


@dataclass(frozen=True)
class Linker:
    """Writes the URL of one build path as it must appear inside another build document."""

    base_url: str | None = None

    def url(self, from_doc: str, target: str) -> str:
        """``target`` as seen from ``from_doc``: absolute with a base URL, else relative to the document."""
        if self.base_url is not None:
            return self.base_url + target
        return relative_url(from_doc, target)

    def stored_record(self, body: bytes) -> bytes:
        """A record serialized with its build-root ``details`` link, rewritten as documents in ``v1/``
        (``v1/models.json``, the biggest list) hold it, or absolute with a base URL."""
        return body.replace(_DETAILS_FROM_ROOT, _DETAILS_KEY + self._details_prefix(_STORED_AT))

    def record_in(self, stored: bytes, from_doc: str) -> bytes:
        """One or more :meth:`stored_record` bodies (a page joins several) as ``from_doc`` must hold them."""
        prefix = self._details_prefix(from_doc)
        if prefix == self._details_prefix(_STORED_AT):
            return stored
        return stored.replace(_DETAILS_KEY + self._details_prefix(_STORED_AT), _DETAILS_KEY + prefix)

    def _details_prefix(self, from_doc: str) -> bytes:
        """What ``<provider>/<file>.json`` follows in a details link written into ``from_doc``."""
        if self.base_url is not None:
            return (self.base_url + "v1/model/").encode("utf-8")
        return _relative_details_prefix(from_doc.rpartition("/")[0])  # its folder (paths are relative)


@cache  # one per folder of the build: a list file's every record asked for it
def _relative_details_prefix(folder: str) -> bytes:
    return relative_url(posixpath.join(folder, "x"), "v1/model/x").encode("utf-8")[:-1]
