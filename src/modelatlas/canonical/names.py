"""Reading a model out of a provider's model id: the vendor, the model name, and its snapshot date.

Every provider decorates the names it serves: Bedrock adds routing and vendor prefixes and a version
(``us.anthropic.claude-sonnet-4-5-20250929-v1:0``), Vertex a publisher, an ``@`` version and
``-maas`` (``meta/llama-3.3-70b-instruct-maas``), Groq a speed tier (``llama-3.3-70b-versatile``),
OpenRouter a variant tag (``:free``), Ollama a size tag (``gpt-oss:120b``). :func:`parse` removes
exactly the decorations listed here, per provider, and nothing else. :func:`model_key` then makes
spellings of one name equal (``claude-sonnet-4-5`` = ``claude-sonnet-4.5``, ``llama3-3`` =
``llama-3.3``) while keeping every word and number, so ``preview`` vs GA or ``120b`` vs ``20b``
never become one key. :func:`split_date` takes off a full trailing date (``-20241022``,
``-2024-08-06``, ``@20250929``): the snapshot, kept apart from the name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from modelatlas.fetch.providers.registry import first_party_vendors

# Bedrock's cross-region inference profiles: ``<geo>.<vendor>.<model>``.
BEDROCK_GEOS = frozenset({"us", "eu", "apac", "au", "jp", "in", "ca", "global", "us-gov"})
# Vendor spellings used by providers and Hugging Face, mapped to OpenRouter's vendor slugs.
VENDOR_ALIASES: dict[str, str] = {
    "meta": "meta-llama",
    "mistral": "mistralai",
    "zai": "z-ai",
    "zai-org": "z-ai",
    "xai": "x-ai",
    "moonshot": "moonshotai",
    "minimaxai": "minimax",
    "deepseek-ai": "deepseek",
    "cohereforai": "cohere",
    "coherelabs": "cohere",
    "ai21labs": "ai21",
    "liquidai": "liquid",
}
# Vendor names some providers write in front of the model name with a dash (Azure ``cohere-command-a``,
# ``meta-llama-3.1-8b-instruct``; Cerebras ``zai-glm-4.7``). Only names no model name starts with.
VENDOR_NAME_PREFIXES: dict[str, str] = {"zai-": "z-ai", "cohere-": "cohere", "meta-": "meta-llama"}
# Providers whose Llama/Gemma ids leave out ``-instruct``/``-it`` although they serve the
# instruction-tuned weights (their model pages link the Instruct checkpoints).
IMPLIED_SUFFIXES: dict[str, tuple[str, ...]] = {
    "groq": ("-instruct",),
    "cerebras": ("-instruct", "-it"),
    "ollama": ("-instruct", "-it"),
}
# Path prefixes that name the host, not the model's vendor.
HOST_PREFIXES: dict[str, frozenset[str]] = {"perplexity": frozenset({"perplexity"})}

_DATE = re.compile(
    r"^(?P<name>.+?)[-@](?P<y>20\d\d)(?P<sep>-?)(?P<m>0[1-9]|1[0-2])(?P=sep)(?P<d>0[1-9]|[12]\d|3[01])$"
)
_VERSION_SEPARATOR = re.compile(r"(?<=\d)[.-](?=\d)")
_WORD_NUMBER_DASH = re.compile(r"(?<=[a-z])-(?=\d)")
_BEDROCK_VERSION = re.compile(r"-v?\d+:\d+$")
_BEDROCK_REVISION = re.compile(r":\d+$")
_BEDROCK_MAJOR = re.compile(r"-v\d+$")
_VERTEX_REVISION = re.compile(r"@(\d{3}|default)$")
_VERTEX_MONTH = re.compile(r"@(\d{4})(-\d{3})?$")
_MOVING = re.compile(r"(^|[-@:.])latest($|-)")


@dataclass(frozen=True)
class ParsedId:
    """What an id says about its model: the vendor (None when the id does not say), the model names
    it can be read as (most literal first), and extra spellings to try when those find nothing."""

    vendor: str | None
    names: tuple[str, ...]
    implied: tuple[str, ...] = ()
    moving: bool = False
    first_party: bool = False  # the vendor is the provider's own company, not written in the id


def vendor_slug(vendor: str) -> str:
    low = vendor.lower()
    return VENDOR_ALIASES.get(low, low)


def split_date(name: str) -> tuple[str, str | None]:
    """``(name without a trailing full date, the date as YYYYMMDD or None)``."""
    match = _DATE.match(name)
    if match is None:
        return name, None
    return match["name"], f"{match['y']}{match['m']}{match['d']}"


def model_key(name: str) -> str:
    """The comparison form of a model name: lowercase, ``_`` as ``-``, any ``.``/``-`` between two
    digits as ``.``, and no dash between a word and a number (``llama-3`` = ``llama3``)."""
    text = name.lower().replace("_", "-")
    return _WORD_NUMBER_DASH.sub("", _VERSION_SEPARATOR.sub(".", text))


def _vertex_version(name: str) -> str:
    name = _VERTEX_REVISION.sub("", name)
    return _VERTEX_MONTH.sub(r"-\1", name)


def _bedrock(upstream: str) -> tuple[str | None, tuple[str, ...]]:
    """Bedrock: ``[<geo>.]<vendor>.<model>[-v<major>:<minor>]``; the literal name (only ``:<minor>``
    dropped, as in ``amazon/nova-lite-v1``) is tried before the one without the Bedrock version."""
    parts = upstream.split(".", 2)
    if len(parts) == 3 and parts[0] in BEDROCK_GEOS:
        upstream = f"{parts[1]}.{parts[2]}"
    vendor, dot, name = upstream.partition(".")
    if not dot or "." in vendor or not vendor.replace("-", "").isalnum():
        vendor, name = "", upstream
    literal = _BEDROCK_REVISION.sub("", name)
    names = [literal, _BEDROCK_VERSION.sub("", name)]
    if vendor == "anthropic":  # anthropic.claude-opus-4-6-v1: Bedrock's version without a minor
        names.append(_BEDROCK_MAJOR.sub("", literal))
    unique = tuple(dict.fromkeys(_vertex_version(n) if split_date(n)[1] is None else n for n in names))
    return (vendor_slug(vendor) if vendor else None), unique


def _prefixed(upstream: str, provider: str) -> tuple[str | None, str]:
    head, slash, rest = upstream.partition("/")
    if not slash:
        return None, upstream
    if head.lower() in HOST_PREFIXES.get(provider, frozenset()):
        return None, rest
    return vendor_slug(head), rest


def _vendor_in_name(name: str) -> tuple[str | None, str]:
    low = name.lower()
    for prefix, vendor in VENDOR_NAME_PREFIXES.items():
        if low.startswith(prefix):
            return vendor, name[len(prefix) :]
    return None, name


def _provider_names(provider: str, name: str) -> tuple[str, ...]:
    """The provider's own decorations removed from a (prefix-free) model name."""
    if provider == "vertex":
        name = _vertex_version(name).removesuffix("-maas")
    elif provider == "groq":
        name = name.removesuffix("-versatile").removesuffix("-instant")
    elif provider == "ollama":
        base, colon, tag = name.partition(":")
        tag = tag.removesuffix("-cloud").removesuffix("cloud").rstrip("-")
        name = f"{base}-{tag}" if colon and tag else base
    elif provider == "azure" and name.lower().startswith("gpt-35-"):
        name = "gpt-3.5-" + name[7:]
    elif provider == "openrouter":
        name = name.partition(":")[0]
    return (name,)


def parse(provider: str, upstream_id: str) -> ParsedId:
    """Read one provider's model id (see the module docstring for every rule)."""
    low = upstream_id.strip()
    if _MOVING.search(low.lower()) or low.startswith("~"):
        return ParsedId(vendor=None, names=(), moving=True)
    if provider == "bedrock":
        vendor, names = _bedrock(low)
    else:
        vendor, rest = _prefixed(low, provider)
        names = _provider_names(provider, rest)
    if vendor is None:
        named, rest = _vendor_in_name(names[0])
        if named is not None:
            vendor, names = named, (rest, *names[1:])
    own = first_party_vendors().get(provider)  # the provider's own catalog: unprefixed ids are its models
    first_party = vendor is None and "/" not in low and own is not None
    if first_party:
        vendor = own
    implied = IMPLIED_SUFFIXES.get(provider, ())
    return ParsedId(vendor=vendor, names=names, implied=implied, first_party=first_party)
