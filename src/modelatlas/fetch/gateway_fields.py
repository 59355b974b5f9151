"""The gateway's ``owned_by`` and ``created``, filled where a source or the id itself says so.

``owned_by`` is always a vendor of the one vocabulary (:mod:`modelatlas.fetch.vendors`: ``meta``,
``Meta`` and ``meta-llama`` are all ``meta-llama``); a value changed to it is ``derived``. It is,
first that applies:

1. a value a source gives (the provider's list, OpenRouter's vendor prefix), unless it is an
   account label (``system``) or names the provider itself where the provider hosts other
   makers' models (a catalog that writes the host's name as the owner): such a value is a host;
2. the vendor the id names, as the provider declares its ids (``ModelIds.vendor_segment``):
   ``vendor.model`` after any geo prefix (``us.anthropic.claude-…``), or the first segment of
   ``vendor/model`` ids (``meta-llama/…``, ``openai/gpt-oss-…``); a segment naming the provider
   itself only says who hosts the model, so the family table comes first;
3. the provider itself when it serves only its own models (its declared ``vendor``);
4. the model family's maker from :data:`FAMILY_VENDORS` (id prefix -> vendor), for hosts that
   serve many makers under bare ids.

Otherwise it stays absent. ``created`` is a source's creation time, else midnight UTC of the
model's full ``release_date`` (provenance ``derived``); a month-only date gives none.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from modelatlas.fetch.providers import registry
from modelatlas.fetch.providers.rules import VendorSegment
from modelatlas.fetch.vendors import is_vendor, vendor_slug
from modelatlas.record import Record

# Id prefix (after any vendor segment) -> the family's maker, as each maker names itself on
# OpenRouter. Longest prefixes first where they overlap (gpt-oss before gpt).
FAMILY_VENDORS: tuple[tuple[str, str], ...] = (
    ("gpt-oss", "openai"),
    ("gpt-", "openai"),
    ("o1", "openai"),
    ("o3", "openai"),
    ("o4", "openai"),
    ("chatgpt", "openai"),
    ("dall-e", "openai"),
    ("sora", "openai"),
    ("whisper", "openai"),
    ("tts-", "openai"),
    ("text-embedding-3", "openai"),
    ("text-embedding-ada", "openai"),
    ("text-embedding-0", "google"),  # Vertex AI's text-embedding-004/005
    ("text-multilingual-embedding", "google"),
    ("textembedding-gecko", "google"),
    ("chirp", "google"),
    ("lyria", "google"),
    ("medlm", "google"),
    ("claude", "anthropic"),
    ("gemini", "google"),
    ("gemma", "google"),
    ("imagen", "google"),
    ("veo", "google"),
    ("llama", "meta"),
    ("meta-llama", "meta"),
    ("mistral", "mistralai"),
    ("mixtral", "mistralai"),
    ("ministral", "mistralai"),
    ("magistral", "mistralai"),
    ("devstral", "mistralai"),
    ("codestral", "mistralai"),
    ("pixtral", "mistralai"),
    ("voxtral", "mistralai"),
    ("command", "cohere"),
    ("embed-", "cohere"),
    ("rerank-", "cohere"),
    ("cohere", "cohere"),
    ("phi-", "microsoft"),
    ("mai-", "microsoft"),
    ("grok", "x-ai"),
    ("deepseek", "deepseek"),
    ("qwen", "qwen"),
    ("qwq", "qwen"),
    ("kimi", "moonshotai"),
    ("glm", "z-ai"),
    ("minimax", "minimax"),
    ("nemotron", "nvidia"),
    ("jamba", "ai21"),
    ("sonar", "perplexity"),
    ("nova-", "amazon"),
    ("titan", "amazon"),
)


def vendor_in_id(provider: str, upstream_id: str) -> str | None:
    """The vendor segment an id starts with, if the provider's ids carry one (a dotted segment
    followed by a digit is a version, ``rerank-v4.0-fast``, not a vendor)."""
    ids = registry.declared(provider).model_ids
    if ids.vendor_segment is VendorSegment.DOTTED:
        geo = ids.geo_prefix(upstream_id)
        head, dot, rest = upstream_id[len(geo) + 1 if geo else 0 :].partition(".")
        return head if dot and head and rest[:1].isalpha() else None
    if ids.vendor_segment is VendorSegment.SLASH and "/" in upstream_id:
        head = upstream_id.lstrip("~").partition("/")[0]
        return head or None
    return None


def family_vendor(upstream_id: str) -> str | None:
    bare = upstream_id.rpartition("/")[2].casefold()
    for prefix, vendor in FAMILY_VENDORS:
        if bare.startswith(prefix):
            return vendor
    return None


def owner(provider: str, upstream_id: str) -> str | None:
    """The maker the id shows, in the vendor vocabulary. A segment naming the provider itself
    (``perplexity/kimi-k3``, ``groq/compound``) says who hosts the model, not who made it: the
    family table is asked first, the segment is the fallback."""
    vendor = vendor_in_id(provider, upstream_id)
    if vendor == provider:
        found = family_vendor(upstream_id) or vendor
    else:
        found = vendor or registry.declared(provider).vendor or family_vendor(upstream_id)
    return vendor_slug(found) if found else None


def _given_owner(provider: str, value: object) -> str | None:
    """A source's ``owned_by`` in the vocabulary, or None when it names no maker."""
    if not isinstance(value, str) or not is_vendor(value):
        return None
    slug = vendor_slug(value)
    hosts_others = registry.declared(provider).vendor is None
    return None if hosts_others and slug == provider else slug


def fill_owned_by(provider: str, record: Record) -> None:
    given = record.get("owned_by")
    value = _given_owner(provider, given) or owner(provider, record["modelatlas"]["upstream_id"])
    if value is None and isinstance(given, str) and is_vendor(given):
        value = vendor_slug(given)  # the host is the best that is known
    if value == given:
        return
    provenance = record["modelatlas"]["provenance"]
    if value is None:
        record.pop("owned_by", None)
        provenance.pop("owned_by", None)
        return
    record["owned_by"] = value
    provenance["owned_by"] = "derived"


def fill_created(record: Record) -> None:
    if "created" in record:
        return
    release = record["modelatlas"].get("lifecycle", {}).get("release_date")
    if not isinstance(release, str) or len(release) != 10:
        return
    try:
        day = datetime.fromisoformat(release).replace(tzinfo=UTC)
    except ValueError:  # not a real day: no created derived from it
        return
    record["created"] = int(day.timestamp())
    record["modelatlas"]["provenance"]["created"] = "derived"


def request_time_sources(provider: str, sources: dict[str, Sequence[Record]]) -> frozenset[tuple[str, str]]:
    """``(source, "created")`` for each source whose list gives every model one and the same
    ``created`` (the time of the request, as some lists give): not a creation date."""
    ignored: set[tuple[str, str]] = set()
    for source, records in sources.items():
        values = [r.get("created") for r in records if "created" in r]
        if len(values) >= 2 and len(set(values)) == 1:
            ignored.add((source, "created"))
    return frozenset(ignored)
