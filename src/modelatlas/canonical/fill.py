"""Fill what can honestly be filled from the same model at another provider, and say so.

Run by :func:`modelatlas.canonical.enrich` once every record is linked. For a record that lacks a
value, the value comes from a *donor*: another record of the same canonical snapshot
(``canonical_slug``: the same weights), else of another snapshot of the same model
(``modelatlas.family``), whose own value a source gave (never one filled here); the record's
provenance names it as ``derived:<donor id>``:

* **modalities** (``architecture.input_modalities``, ``output_modalities``, and then
  ``architecture.modality`` from them, ``derived``) and **capabilities**
  (``modelatlas.capabilities.*``, each flag on its own): what the model takes and does does not
  change with the host;
* **owned_by**: the maker is the model's;
* **name**: the donor's display name (the reference list's without its ``Vendor: `` prefix) plus
  the provider's decoration of the id, the geography of an inference profile (``(US)``) or a
  variant tag (``(free)``); a name that only repeats the donor's own id is not donated.

Donors are ranked: the maker's own provider first (Mistral for Mistral's models, not for the GLM it
also serves), then the reference list, then any other, each by id, so the result is a pure function
of the data; a moving alias (``codestral-latest``) comes after every fixed id, since its name says
``(latest)``. Context windows and output limits are never
filled: they differ by provider (a host may serve a shorter window than the model's).

A provider's **inference profiles** (Bedrock's ``us.``/``eu.``/``global.`` ids: the same model
served across a geography's regions) are filled the same way from the foundation-model id they
prefix, linked or not: its name plus the geography, its modalities, capabilities and maker. A
profile never names another profile (the name would carry two geographies). The other way, a
foundation model a source left blank takes what a source gave one of its profiles (by id), except a
profile name that states the profile's geography.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from modelatlas.canonical.names import is_moving
from modelatlas.canonical.vocabulary import model_name, reference_provider
from modelatlas.fetch.providers import registry
from modelatlas.fetch.providers.rules import VendorSegment
from modelatlas.record import Record, get_path, repeats_its_id

MODALITIES = ("architecture.input_modalities", "architecture.output_modalities")


def _given(record: Record, path: str) -> bool:
    """Whether the record's own sources (not a fill from another record, ``derived:<id>``) gave
    its value at ``path``; a value derived from its own sources (``derived``) counts."""
    source = record["modelatlas"].get("provenance", {}).get(path)
    return isinstance(source, str) and not source.startswith("derived:")


def _set(record: Record, path: str, value: Any, donor: Record) -> None:
    """Set a value and its provenance; every object on the way is copied first (records loaded for a
    build share equal objects between them, so none is changed in place)."""
    node = record
    *parents, leaf = path.split(".")
    for part in parents:
        node[part] = dict(node.get(part, {}))
        node = node[part]
    node[leaf] = value
    extension = record["modelatlas"]
    extension["provenance"] = {**extension.get("provenance", {}), path: f"derived:{donor['id']}"}


def _rank(record: Record) -> tuple[bool, int, str]:
    extension = record["modelatlas"]
    declared = registry.declared(extension["provider"])
    reference = reference_provider()
    maker = str(record.get("canonical_slug", "")).partition("/")[0]
    if maker in (declared.vendor, declared.house_vendor):
        order = 0
    else:
        order = 1 if reference is not None and declared.id == reference.id else 2
    return is_moving(extension["upstream_id"]), order, record["id"]


def _donor(record: Record, group: list[Record], path: str) -> Record | None:
    return next(
        (other for other in group if other is not record and _given(other, path) and get_path(other, path)),
        None,
    )


def _decoration(record: Record) -> str:
    """The provider's decoration of the id, for a derived name: an inference profile's geography
    (``us.``), a variant tag (``:free``), a labelled decoration (Azure's ``FW-``: ``(Fireworks)``)."""
    extension = record["modelatlas"]
    declared = registry.declared(extension["provider"])
    upstream = extension["upstream_id"]
    if declared.model_ids.vendor_segment is VendorSegment.DOTTED:
        geo = declared.model_ids.geo_prefix(upstream)
        if geo:
            return f" ({geo.upper()})"
    tag = declared.name_reading.variant_tag
    if tag is not None and not tag.part_of_name and tag.separator in upstream:
        return f" ({upstream.rpartition(tag.separator)[2]})"
    for rewrite in declared.name_reading.decorations:
        if rewrite.label is not None and rewrite.apply(upstream) != upstream:
            return f" ({rewrite.label})"
    return ""


def _display_name(donor: Record) -> str:
    name = str(donor["name"])
    reference = reference_provider()
    of_reference = reference is not None and donor["modelatlas"]["provider"] == reference.id
    if reference is not None and reference.reference is not None and of_reference:
        name = model_name(reference, name, donor["modelatlas"]["upstream_id"])
        tag = reference.name_reading.variant_tag
        if tag is not None and tag.separator in donor["modelatlas"]["upstream_id"]:
            name = name.rsplit(" (", 1)[0]  # "(free)": the donor's own decoration
    return name


def _fill_name(record: Record, group: list[Record]) -> None:
    """A record without a name takes its donor's, and so does a host's record whose name only
    repeats its id (the maker's own provider keeps its: OpenAI calls its model ``o3``); a donor's
    name that repeats the donor's own id (``ministral-3:14b``) names nothing at another provider."""
    named = isinstance(record.get("name"), str) and bool(record["name"].strip())
    if named and (not repeats_its_id(record) or _rank(record)[1] == 0):
        return
    donor = _donor(record, [other for other in group if not repeats_its_id(other)], "name")
    if donor is not None:
        _set(record, "name", _display_name(donor) + _decoration(record), donor)


def _fill_modality(record: Record) -> None:
    """``architecture.modality`` (``text+image->text``) from modality lists a fill completed."""
    architecture = record.get("architecture", {})
    inputs, outputs = architecture.get("input_modalities"), architecture.get("output_modalities")
    if "modality" in architecture or not inputs or not outputs:
        return
    record["architecture"] = {**architecture, "modality": "+".join(inputs) + "->" + "+".join(outputs)}
    extension = record["modelatlas"]
    extension["provenance"] = {**extension["provenance"], "architecture.modality": "derived"}


def _fill_record(record: Record, group: list[Record]) -> None:
    for path in (*MODALITIES, "owned_by"):
        if get_path(record, path) is None:
            donor = _donor(record, group, path)
            if donor is not None:
                value = get_path(donor, path)
                _set(record, path, list(value) if isinstance(value, list) else value, donor)
    _fill_modality(record)
    capabilities = record["modelatlas"].get("capabilities", {})
    for other in group:
        offered = other["modelatlas"].get("capabilities", {})
        if other is record or offered.keys() <= capabilities.keys():  # most often: nothing to take
            continue
        for flag, value in offered.items():
            if flag in capabilities or not isinstance(value, bool):
                continue
            path = f"modelatlas.capabilities.{flag}"
            if _given(other, path):
                _set(record, path, value, other)
                capabilities = record["modelatlas"]["capabilities"]
    _fill_name(record, group)


def _profile_groups(models: Iterable[Record]) -> dict[str, list[Record]]:
    """Each foundation-model id with the inference profiles that prefix it (``provider/base id``
    -> the base record first, then its profiles), for providers with geographic profiles."""
    groups: dict[str, list[Record]] = {}
    for record in models:
        extension = record["modelatlas"]
        ids = registry.declared(extension["provider"]).model_ids
        if not ids.geo_prefixes or extension.get("lifecycle", {}).get("status") == "removed":
            continue
        geo = ids.geo_prefix(extension["upstream_id"])
        base = extension["upstream_id"][len(geo) + 1 :] if geo else extension["upstream_id"]
        groups.setdefault(f"{extension['provider']}/{base}", []).append(record)
    for key, group in groups.items():
        group.sort(key=lambda r: (r["id"] != key, r["id"]))
    return {key: group for key, group in groups.items() if len(group) > 1 and group[0]["id"] == key}


def fill(models: Iterable[Record], links: dict[str, tuple[str, str]]) -> None:
    """Fill each linked record (``links``: record id -> (family, canonical slug)) from the other
    records of its snapshot, then from those of its model's other snapshots."""
    snapshots: dict[str, list[Record]] = {}
    families: dict[str, list[Record]] = {}
    for record in models:
        if record["id"] in links:
            family, slug = links[record["id"]]
            snapshots.setdefault(slug, []).append(record)
            families.setdefault(family, []).append(record)
    ranks = {record["id"]: _rank(record) for group in snapshots.values() for record in group}
    for group in (*snapshots.values(), *families.values()):
        group.sort(key=lambda record: ranks[record["id"]])  # each record is in two groups: ranked once
    for record in models:
        removed = record["modelatlas"].get("lifecycle", {}).get("status") == "removed"
        if record["id"] in links and not removed:  # a removed record stays as it was last listed
            family, slug = links[record["id"]]
            _fill_record(record, snapshots[slug])
            _fill_record(record, families[family])
    for base, *profiles in _profile_groups(models).values():
        for record in profiles:
            _fill_record(record, [base])
        _fill_record(base, [profile for profile in profiles if not _names_geography(profile)])


def _names_geography(profile: Record) -> bool:
    """Whether a profile's own name states its geography (``US Anthropic Claude ...``): no name
    for the foundation model, which is served everywhere."""
    name = profile.get("name")
    if not isinstance(name, str):
        return False
    ids = registry.declared(profile["modelatlas"]["provider"]).model_ids
    geo = ids.geo_prefix(profile["modelatlas"]["upstream_id"]).upper()
    words = name.upper().replace("(", " ").replace(")", " ").split()
    return geo in words
