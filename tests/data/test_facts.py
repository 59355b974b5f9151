"""Hand-checked facts against the committed snapshot.

Each fact in tests/fixtures/facts/facts.yaml is a price, a limit or a date that someone read on the
provider's own page (or on a source quoting it) and wrote down with its URL. The snapshot in
data/providers/ must agree with at least 98% of them. Prices compare as exact decimals.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import yaml

from modelatlas.record import get_path
from modelatlas.schema import load_schema
from tests.paths import FIXTURES, REPO

FACTS_FILE = FIXTURES / "facts" / "facts.yaml"
SNAPSHOT_DIR = REPO / "data" / "providers"
REQUIRED_AGREEMENT = Decimal("0.98")

# (host, path prefix) of the five catalogs the snapshot is merged from: a fact may never cite them.
# OpenRouter's own model pages are the provider page for openrouter/ ids, so only its model list
# (the catalog) is barred there, and openrouter.ai is barred for every other provider.
CATALOG_SOURCES = (
    ("models.dev", "/"),
    ("github.com", "/anomalyco/models.dev"),
    ("github.com", "/sst/models.dev"),
    ("raw.githubusercontent.com", "/anomalyco/models.dev"),
    ("docs.litellm.ai", "/"),
    ("litellm.vercel.app", "/"),
    ("github.com", "/BerriAI/litellm"),
    ("raw.githubusercontent.com", "/BerriAI/litellm"),
    ("openrouter.ai", "/api/"),
    ("rubyllm.com", "/"),
    ("github.com", "/crmne/ruby_llm"),
    ("raw.githubusercontent.com", "/crmne/ruby_llm"),
    ("portkey.ai", "/"),
    ("configs.portkey.ai", "/"),
    ("github.com", "/Portkey-AI/models"),
    ("raw.githubusercontent.com", "/Portkey-AI/models"),
)
DECIMAL_STRING = re.compile(r"^(0|[1-9][0-9]*)(\.[0-9]*[1-9])?$")
DATE_STRING = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
FACT_KEYS = {"id", "field", "value", "url", "quote", "source_kind", "note", "captured"}


class Kind(Enum):
    PRICE = "price"
    LIMIT = "limit"
    DATE = "date"


class SourceKind(Enum):
    PAGE = "page"
    ISSUE = "issue"


@dataclass(frozen=True)
class Fact:
    id: str
    field: str
    value: Any
    url: str
    quote: str
    source_kind: SourceKind

    @property
    def kind(self) -> Kind:
        return field_kind(self.field)

    @property
    def provider(self) -> str:
        return self.id.split("/", 1)[0]


def field_kind(field: str) -> Kind:
    """The kind of value a field path holds; ValueError for a path facts may not use."""
    if field.startswith(("pricing.", "modelatlas.extra_pricing.")):
        return Kind.PRICE
    if field in {"context_length", "max_output_tokens", "max_input_tokens"}:
        return Kind.LIMIT
    if field.startswith("modelatlas.lifecycle.") and field.endswith("_date"):
        return Kind.DATE
    raise ValueError(f"{field} is not a price, limit or date field")


@cache
def load_facts() -> tuple[Fact, ...]:
    raw = yaml.safe_load(FACTS_FILE.read_text(encoding="utf-8"))
    return tuple(
        Fact(
            id=item["id"],
            field=item["field"],
            value=item["value"],
            url=item["url"],
            quote=item["quote"],
            source_kind=SourceKind(item.get("source_kind", "page")),
        )
        for item in raw["facts"]
    )


@cache
def load_snapshot() -> Mapping[str, Mapping[str, Any]]:
    records: dict[str, Mapping[str, Any]] = {}
    for path in sorted(SNAPSHOT_DIR.glob("*.json")):
        for record in json.loads(path.read_text(encoding="utf-8"))["models"]:
            records[record["id"]] = record
    return records


def schema_has_path(dotted: str) -> bool:
    """True if the model schema declares the dotted field path (following local $refs)."""
    schema = load_schema("model")
    node: Mapping[str, Any] = schema
    for key in dotted.split("."):
        while "$ref" in node:
            node = get_path(schema, node["$ref"].removeprefix("#/").replace("/", "."))
        properties = node.get("properties", {})
        if key not in properties:
            return False
        node = properties[key]
    return True


def agrees(fact: Fact, ours: Any) -> bool:
    if ours is None:
        return False
    if fact.kind is Kind.PRICE:
        return Decimal(str(ours)) == Decimal(fact.value)
    return bool(ours == fact.value)


def describe(fact: Fact, ours: Any) -> str:
    found = "absent" if ours is None else repr(ours)
    return f"{fact.id} {fact.field}: snapshot {found}, evidence {fact.value!r} ({fact.url})"


def cites_catalog(url: str) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    return any(host == h and parts.path.startswith(p) for h, p in CATALOG_SOURCES)


def well_formed_problems(raw: Mapping[str, Any], fact: Fact) -> list[str]:
    """Everything wrong with one fact entry, as sentences; empty when it is fine."""
    problems = [f"unknown key {key!r}" for key in sorted(set(raw) - FACT_KEYS)]
    if not re.fullmatch(r"[a-z0-9-]+/\S+", fact.id):
        problems.append("id is not <provider>/<upstream id>")
    if not schema_has_path(fact.field):
        problems.append(f"{fact.field} is not a field of the model schema")
    try:
        kind = fact.kind
    except ValueError as error:
        return [*problems, str(error)]
    if kind is Kind.PRICE and not (isinstance(fact.value, str) and DECIMAL_STRING.match(fact.value)):
        problems.append('a price is an exact decimal string in USD per unit, like "0.0000025"')
    if kind is Kind.LIMIT and not (type(fact.value) is int and fact.value > 0):
        problems.append("a limit is a positive integer number of tokens")
    if kind is Kind.DATE and not (isinstance(fact.value, str) and DATE_STRING.match(fact.value)):
        problems.append("a date is a YYYY-MM-DD string")
    if urlsplit(fact.url).scheme != "https":
        problems.append("the evidence URL is not https")
    if cites_catalog(fact.url):
        problems.append("the evidence URL is one of the merged catalogs")
    if urlsplit(fact.url).hostname == "openrouter.ai" and fact.provider != "openrouter":
        problems.append("openrouter.ai is evidence only for openrouter/ ids")
    if not fact.quote.strip():
        problems.append("the quote from the page is empty")
    return problems


def test_facts_file_is_well_formed() -> None:
    raw_facts = yaml.safe_load(FACTS_FILE.read_text(encoding="utf-8"))["facts"]
    problems = [
        f"fact {n} ({fact.id} {fact.field}): {problem}"
        for n, (raw, fact) in enumerate(zip(raw_facts, load_facts(), strict=True), start=1)
        for problem in well_formed_problems(raw, fact)
    ]
    assert problems == []


def test_each_fact_is_stated_once() -> None:
    keys = [(fact.id, fact.field) for fact in load_facts()]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    assert duplicates == []


def test_there_are_enough_facts_across_providers_and_kinds() -> None:
    facts = load_facts()
    assert len(facts) >= 60
    assert len({fact.provider for fact in facts}) >= 10
    assert {fact.kind for fact in facts} == set(Kind)


def test_catalog_urls_are_refused() -> None:
    assert cites_catalog("https://models.dev/api.json")
    assert cites_catalog("https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json")
    assert cites_catalog("https://openrouter.ai/api/v1/models")
    assert cites_catalog("https://configs.portkey.ai/pricing/openai.json")
    assert not cites_catalog("https://openrouter.ai/openai/o3-pro")
    assert not cites_catalog("https://docs.anthropic.com/en/docs/about-claude/pricing")


def test_prices_agree_only_when_exactly_equal() -> None:
    fact = Fact("openai/x", "pricing.prompt", "0.0000025", "https://example.com", "q", SourceKind.PAGE)
    assert agrees(fact, "0.0000025")
    assert agrees(fact, "0.00000250")
    assert not agrees(fact, "0.00000250001")
    assert not agrees(fact, None)


def test_snapshot_agrees_with_the_facts() -> None:
    snapshot = load_snapshot()
    facts = load_facts()
    disagreements = []
    for fact in facts:
        record = snapshot.get(fact.id)
        ours = None if record is None else get_path(record, fact.field)
        if not agrees(fact, ours):
            missing = " (no such model in the snapshot)" if record is None else ""
            disagreements.append(describe(fact, ours) + missing)
    agreement = Decimal(len(facts) - len(disagreements)) / Decimal(len(facts))
    report = "\n".join(disagreements)
    assert agreement >= REQUIRED_AGREEMENT, (
        f"the snapshot agrees with {len(facts) - len(disagreements)} of {len(facts)} facts "
        f"({agreement:.1%}, needs {REQUIRED_AGREEMENT:.0%}); disagreements:\n{report}"
    )


def test_the_snapshot_agrees_with_the_facts_no_curated_entry_states() -> None:
    """A curated entry agrees with its fact by construction; the merge's own mechanisms must agree
    with the rest (their reliability scores leave each fact's own model out)."""
    snapshot = load_snapshot()
    independent = [
        fact for fact in load_facts()
        if (record := snapshot.get(fact.id)) is None
        or record["modelatlas"]["provenance"].get(fact.field) != "curated"
    ]
    disagreements = [fact for fact in independent if not agrees(fact, _value(snapshot, fact))]
    agreement = Decimal(len(independent) - len(disagreements)) / Decimal(len(independent))
    assert len(independent) >= 150
    assert agreement >= REQUIRED_AGREEMENT, "\n".join(describe(f, _value(snapshot, f)) for f in disagreements)


def _value(snapshot: Mapping[str, Mapping[str, Any]], fact: Fact) -> Any:
    record = snapshot.get(fact.id)
    return None if record is None else get_path(record, fact.field)
