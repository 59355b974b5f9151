"""``sitemap.xml`` (and canonical page URLs) for a build published under a base URL.

Sitemaps must hold absolute URLs, so they are written only with ``build --base-url``. One sitemap
holds at most :data:`MAX_URLS` pages (the sitemaps.org limit); a bigger site gets ``sitemap.xml``
as a sitemap index pointing at ``sitemaps/<k>.xml``. No ``lastmod``: the build has no
trustworthy per-page date, and a wrong one is worse than none.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_URLS = 50_000
_HEAD = b'<?xml version="1.0" encoding="utf-8"?>\n'


def escape(text: str) -> str:
    """XML character data: what ``xml.sax.saxutils.escape`` writes, without importing it (it imports
    ``urllib.request``, and with it ``http.client`` and ``ssl``: a twentieth of a second per build)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def canonical_url(base_url: str, page: str) -> str:
    """The canonical URL of build page ``page``: a folder's ``index.html`` is the folder itself."""
    if page == "index.html" or page.endswith("/index.html"):
        page = page.removesuffix("index.html")
    return base_url + page


def _document(root: str, tag: str, urls: Sequence[str]) -> bytes:
    lines = [f'<{root} xmlns="{SITEMAP_NS}">']
    lines += [f"<{tag}><loc>{escape(url)}</loc></{tag}>" for url in urls]
    lines.append(f"</{root}>\n")
    return _HEAD + "\n".join(lines).encode("utf-8")


def sitemap_files(base_url: str, pages: Sequence[str]) -> Iterator[tuple[str, bytes]]:
    """``sitemap.xml`` listing the canonical URL of every page in ``pages`` (sorted build paths)."""
    urls = [canonical_url(base_url, page) for page in pages]
    if len(urls) <= MAX_URLS:
        yield "sitemap.xml", _document("urlset", "url", urls)
        return
    parts = []
    for number, start in enumerate(range(0, len(urls), MAX_URLS), start=1):
        path = f"sitemaps/{number}.xml"
        parts.append(base_url + path)
        yield path, _document("urlset", "url", urls[start : start + MAX_URLS])
    yield "sitemap.xml", _document("sitemapindex", "sitemap", parts)
