"""A usage form's HTML: its opening tag, made per page since it names the page's own JSON file
(:func:`form_tag`; ``_usage.html`` writes it on Compare), then its body: the heading, the presets,
the usage fields, region and service tier, and the note on the default preset. The body is the same
for every page with an equal form and folder depth, so
:func:`~modelatlas.render.templates.usage_body` keeps it per form; written by Python functions
rather than a template (about 600 distinct forms of some 400 template fragments each were a tenth
of a snapshot build). Every value is escaped as the templates' autoescape does.
"""

from __future__ import annotations

from functools import cache

from markupsafe import Markup

from modelatlas.render.table_cells import escaped as _e
from modelatlas.render.usage_form import UsageForm

HEADINGS = {"model": "Cost of a request", "canonical": "Cost of one usage at every offering"}
COMPARE_HEADING = "Cost of one usage in every column"


def _presets(form: UsageForm) -> str:
    buttons = []
    for p in form.preset_views:
        flags = (' data-default="1"' if p["default"] else "") + ("" if p["shown"] else " hidden")
        buttons.append(
            f'<button type="button" class="preset" data-preset="{_e(p["id"])}" data-usage="{_e(p["usage"])}" '
            f'data-tier="{_e(p["tier"])}" data-mode="{_e(p["mode"])}" '
            f'data-not-billed="{_e(p["not_billed"])}" '
            f'data-one-request="{1 if p["one_request"] else 0}" title="{_e(p["summary"])}" '
            f'aria-pressed="false"{flags}>{_e(p["label"])}</button>\n'
        )
    return f'<fieldset class="presets"><legend>Presets</legend>\n{"".join(buttons)}</fieldset>\n'


def _fields(form: UsageForm) -> str:
    parts = []
    for f in form.fields:
        hidden = "" if f["shown"] else " hidden"
        muted = ' <span class="muted">(not billed)</span>' if f["not_billed"] else ""
        parts.append(
            f'<label class="field{" part" if f["part"] else ""}"{hidden}><span>{_e(f["label"])}{muted}</span>'
            f'<input name="{_e(f["name"])}" inputmode="{"decimal" if f["seconds"] else "numeric"}" '
            'autocomplete="off" spellcheck="false" maxlength="16"></label>\n'
        )
        if f["name"] == "cache_write_tokens":
            hour = '<option value="1h">1 hour</option>' if form.ttl_hour or form.scope == "compare" else ""
            parts.append(
                f'<label class="field part"{hidden} data-with="cache_write_tokens">'
                '<span>Cache lifetime</span><select name="cache_ttl">'
                f'<option value="">5 minutes (default)</option>{hour}</select></label>\n'
            )
    return "".join(parts)


def _profile(root: str, path: str) -> str:
    return f' data-profile="{_e(root)}{_e(path)}"' if path else ""


def _choices(form: UsageForm, root: str) -> str:
    own = _e("this id's own" if form.scope == "model" else "each id's own")
    regions = "".join(
        f'<option value="{_e(value)}"{_profile(root, path)}>{_e(label)}</option>'
        for value, label, path in form.regions
    )
    tiers = "".join(f'<option value="{_e(tier)}">{_e(tier)}</option>' for tier in form.tiers)
    rank = (
        '<label class="field check"><input type="checkbox" name="rank" value="all"> '
        "<span>Rank free tiers, batch-only and subscription ids too</span></label>\n"
        if form.scope == "canonical"
        else ""
    )
    return (
        f'<label class="field"{"" if form.regions else " hidden"}><span>Region</span><select name="region">'
        f'<option value="">{own}</option>{regions}</select></label>\n'
        f'<label class="field"{"" if form.tiers else " hidden"}><span>Service tier</span><select name="tier">'
        f'<option value="">standard, on demand</option>{tiers}</select></label>\n{rank}'
    )


def _default_note(form: UsageForm) -> str:
    if form.scope == "compare":
        return ""
    if form.default:
        return (
            '<p class="muted usage-default" id="usage-default">Costs below are for the preset '
            f"<strong>{_e(form.default.label)}</strong> ({_e(form.default_summary)}) until you change the "
            "usage.</p>\n"
        )
    return '<p class="muted usage-default" id="usage-default">No preset applies: give a usage to price.</p>\n'


def form_tag(form: UsageForm, root: str) -> str:
    """The form's opening tag, made per page: it names the page's own JSON file (``root``: the way
    back to the site root, already escaped)."""
    record = f' data-record="{root}{_e(form.record)}"' if form.record else ""
    return (
        f'<form class="usage js-only" id="usage" data-scope="{_e(form.scope)}" aria-labelledby="h-usage" '
        f'novalidate data-words="{_escaped_words(form.words)}"{record}>\n'
    )


@cache
def _escaped_words(words: str) -> str:
    """The words attribute, escaped once: every form has the same (2 KB of JSON, quotes escaped)."""
    return _e(words)


def usage_body(form: UsageForm, root: str) -> Markup:
    """All of ``form``'s HTML after its ``<form>`` tag (``root``: the way back to the site root)."""
    heading = HEADINGS.get(form.scope, COMPARE_HEADING)
    return Markup(
        f'<h3 id="h-usage">{_e(heading)}</h3>\n{_presets(form)}<div class="usage-fields">\n{_fields(form)}'
        f'{_choices(form, root)}</div>\n<p class="usage-problem" id="usage-problem" role="alert" hidden>'
        f"</p>\n</form>\n{_default_note(form)}"
    )
