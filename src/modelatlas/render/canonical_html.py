"""A canonical model's page without a Jinja render per page (816 of them in the committed snapshot):
``canonical.html`` is the frame, rendered once per build and folder depth
(:class:`~modelatlas.render.page_frame.Frame`); the main part is written here, section by section,
as the template's comment describes: crumbs and heading, actions, the usage form, the ranked
offerings (and the retired or unverified ones), region and tier prices, the model's snapshots. Every
value is escaped as the template's autoescape did.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinja2 import Environment
from jinja2.utils import url_quote
from markupsafe import Markup

from modelatlas.render.canonical_page import Offerings
from modelatlas.render.canonical_view import Group
from modelatlas.render.page_frame import Frame, mark
from modelatlas.render.table_cells import escaped as _e
from modelatlas.render.table_cells import offering_rows, tier_price_rows
from modelatlas.render.usage_html import form_tag

RANKING_RULE = (
    "Best first: listed pay-per-use offerings by what the usage above costs there (USD), then free tiers, "
    "batch-only and subscription ids, then the offerings that cannot price it, with the reason. Standard "
    "tier in each id's own region unless a region or tier is chosen; the prices are USD per 1M tokens."
)
OFFERING_HEADINGS = (
    '<thead><tr><th scope="col">Offering</th><th scope="col" class="num cost">Cost of the usage</th>'
    '<th scope="col" class="num">Prompt $/1M</th><th scope="col" class="num">Completion $/1M</th>'
    '<th scope="col" class="num">Cache read $/1M</th><th scope="col" class="num">Cache write $/1M</th>'
    '<th scope="col" class="num">Context</th><th scope="col" class="num">Max output</th>'
    '<th scope="col">In → out</th></tr></thead>\n'
)
TIER_HEADINGS = (
    '<thead><tr><th scope="col">Offering</th><th scope="col">Region</th><th scope="col">Tier</th>'
    '<th scope="col" class="num">Prompt</th><th scope="col" class="num">Completion</th>'
    '<th scope="col" class="num">Cache read</th><th scope="col" class="num">Cache write</th>'
    '<th scope="col">Source</th></tr></thead>\n'
)
HIDDEN_CAPTION = "Offerings that are retired, or that only a catalog which may be stale lists"


class CanonicalPages:
    """Canonical pages of one build: a frame per folder depth, the main part of each page here."""

    def __init__(self, env: Environment) -> None:
        self.env = env
        self.usage_body = env.globals["usage_body"]
        self.frames: dict[str, Frame] = {}

    def render(self, context: dict[str, Any], page: dict[str, Any]) -> bytes:
        """The page's bytes, as ``canonical.html`` rendered with ``context`` (what every page gets:
        :func:`~modelatlas.render.templates.page_context`) and ``page`` (group, offerings, usage,
        details, snapshots)."""
        root = context["root"]
        frame = self.frames.get(root)
        if frame is None:
            canonical_url = mark("canonical_url") if context["canonical_url"] else None
            frame = self.frames[root] = Frame(self.env, "canonical.html", {
                **context, "canonical_url": canonical_url, "title": Markup(mark("title")),
                "main": Markup(mark("main")),
            })
        values = {
            "title": _e(_title(page["group"])).encode(),
            "canonical_url": _e(context["canonical_url"] or "").encode(),
            "main": main_html(_e(root), lambda form: self.usage_body(form, root), page),
        }
        return frame.fill(values)


def _title(group: Group) -> str:
    count = len(group.providers)
    return f"{group.name} at {count} provider{'s' if count != 1 else ''}"


def _heading(group: Group, root: str, details: str) -> str:
    family = (f' <span class="muted">snapshot of</span> <code>{_e(group.family)}</code>'
              if group.family != group.slug else "")
    return (
        f'<nav class="crumbs" aria-label="Breadcrumb"><a href="{root}index.html">Catalog</a> › '
        f"Canonical model</nav>\n<h1>{_e(_title(group))}</h1>\n"
        f'<p class="model-id"><code>{_e(group.slug)}</code>{family}</p>\n'
        f'<p class="actions">\n  <a class="button" href="{root}{_e(details)}">JSON</a>\n'
        f'  <a class="button" href="{root}compare.html?canonical={_e(url_quote(group.slug))}">Compare the '
        "cheapest</a>\n</p>\n"
    )


def _usage(usage: Any, root: str, usage_body: Callable[[Any], Markup]) -> tuple[bytes, ...]:
    if not usage:
        return ()
    return form_tag(usage, root).encode(), usage_body(usage).encode()


def _offering_table(rows: list[dict[str, Any]], table_id: str, caption: str, root: str, details: str) -> str:
    return (
        f'<div class="table-wrap">\n<table class="offerings" id="{_e(table_id)}" '
        f'data-json="{root}{_e(details)}">\n<caption>{_e(caption)}</caption>\n{OFFERING_HEADINGS}<tbody>\n'
        f"{offering_rows(rows, root)}</tbody>\n</table>\n</div>\n"
    )


def _offerings(offerings: Offerings, root: str, details: str) -> str:
    shown, hidden = offerings.shown, offerings.hidden
    caption = f"{len(shown)} offering{'s' if len(shown) != 1 else ''}, best first"
    parts = [
        '<section aria-labelledby="h-offerings">\n<h2 id="h-offerings">Where to run it</h2>\n'
        f'<p class="muted" id="ranking-rule">{RANKING_RULE}</p>\n',
        _offering_table(shown, "offerings", caption, root, details),
        "\n",
    ]
    if hidden:
        table = _offering_table(hidden, "hidden-offerings-table", HIDDEN_CAPTION, root, details)
        parts.append(
            '<details class="hidden-offerings" id="hidden-offerings">\n'
            f"<summary>{len(hidden)} retired or unverified offering{'s' if len(hidden) != 1 else ''}, "
            f"not ranked</summary>\n{table}\n</details>\n"
        )
    parts.append("</section>\n")
    return "".join(parts)


def _tiers(offerings: Offerings, root: str) -> str:
    if not offerings.tiers:
        return ""
    return (
        '<section aria-labelledby="h-tiers">\n<h2 id="h-tiers">Prices by region and tier</h2>\n'
        '<p class="muted">Batch, flex and priority tiers, other regions and long-context prices of the '
        "offerings above; USD per 1M tokens. “default” is the id's own region (for a regional id such as "
        "<code>eu.…</code>, that region).</p>\n"
        '<div class="table-wrap">\n<table class="offerings tiers" id="tiers">\n'
        f"<caption>Region, tier and long-context prices, one row each</caption>\n{TIER_HEADINGS}<tbody>\n"
        f"{tier_price_rows(offerings.tiers, root)}</tbody>\n</table>\n</div>\n</section>\n"
    )


def _snapshots(group: Group, snapshots: list[tuple[str, str]], root: str) -> str:
    if len(snapshots) <= 1:
        return ""
    items = "".join(
        f"<li><code>{_e(slug)}</code> (this page)</li>\n" if slug == group.slug
        else f'<li><a href="{root}{_e(href)}"><code>{_e(slug)}</code></a></li>\n'
        for slug, href in snapshots
    )
    return (
        '<section aria-labelledby="h-snapshots">\n'
        f'<h2 id="h-snapshots">Snapshots of {_e(group.family)}</h2>\n<ul>\n{items}</ul>\n</section>\n'
    )


def main_html(root: str, usage_body: Callable[[Any], Markup], page: dict[str, Any]) -> bytes:
    """The page's ``<main>`` content, encoded part by part (``root``: the way back to the site root,
    escaped; ``usage_body``: a usage form's body for this page)."""
    group, offerings, details = page["group"], page["offerings"], page["details"]
    return b"".join((
        _heading(group, root, details).encode(),
        *_usage(page["usage"], root, usage_body),
        _offerings(offerings, root, details).encode(),
        _tiers(offerings, root).encode(),
        _snapshots(group, page["snapshots"], root).encode(),
    ))
