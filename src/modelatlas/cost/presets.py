"""Named usages for estimating a request without counting tokens first: a chat turn, a RAG request
with 100k tokens of context, a long document, ... The site's cost estimator offers the ones that
apply to a model, and a canonical page ranks its offerings by the first that applies (docs/cost.md).

A preset applies to a record when the record prices every part of the usage the preset counts
(somewhere: its standard price, a variant or a long-context tier), the input fits the record's
context window when that is known, and, for a preset run at a service tier (batch), the record has
that tier. A preset for one kind of model (embedding) applies to the records of that ``mode``, or
whose prices mark its tell-tale component not billed (an embedding model's output tokens).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from modelatlas.cost.components import Billing
from modelatlas.cost.usage import FIELD_NAMES, Usage


@dataclass(frozen=True, slots=True)
class Preset:
    id: str
    label: str
    usage: Usage
    tier: str | None = None  # the service tier the preset is run at (None: standard)
    mode: str | None = None  # only for records of this modelatlas.mode, or ...
    not_billed: str | None = None  # ... whose prices mark this usage field not billed
    one_request: bool = True  # the input must fit the context window (not so for many requests)
    # The usage fields the preset counts (the keys of counts()), read once: a build asks every
    # record's form and ranking whether each preset applies, ten thousand times and more.
    counted: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "counted", tuple(self.usage.as_dict()))

    def counts(self) -> dict[str, int | str]:
        """The preset's non-zero counts (durations as decimal strings), as URLs and pages write them."""
        return self.usage.as_dict()


PRESETS: tuple[Preset, ...] = (
    Preset("chat", "Chat turn", Usage(input_tokens=2_000, output_tokens=500)),
    Preset(
        "agent",
        "Agent step, cached prompt",
        Usage(input_tokens=30_000, cache_read_tokens=25_000, output_tokens=1_000),
    ),
    Preset("rag", "RAG with 100k context", Usage(input_tokens=100_000, output_tokens=1_000)),
    Preset("long-document", "Long document, 250k", Usage(input_tokens=250_000, output_tokens=2_000)),
    Preset(
        "batch-classification",
        "Batch classification",
        Usage(input_tokens=1_000, output_tokens=10),
        tier="batch",
    ),
    Preset(
        "embedding",
        "Embedding 1M tokens",
        Usage(input_tokens=1_000_000),
        mode="embedding",
        not_billed="output_tokens",
        one_request=False,
    ),
    Preset("image", "One generated image", Usage(input_tokens=100, output_images=1)),
    Preset("audio-in", "1 minute of audio in", Usage(input_seconds=60)),
    Preset("audio-out", "1 minute of audio out", Usage(output_seconds=60)),
    Preset("speech", "1,000 characters of speech", Usage(input_characters=1_000)),
    Preset("rerank", "One rerank query", Usage(queries=1)),
)
BY_ID = {preset.id: preset for preset in PRESETS}
assert all(set(preset.counts()) <= set(FIELD_NAMES) for preset in PRESETS)


def applies(
    preset: Preset,
    fields: Mapping[str, Billing],
    context_length: int | None,
    tiers: Iterable[str | None],
    mode: str | None = None,
) -> bool:
    """Whether ``preset`` fits a record with these usage fields (``components.usage_fields``),
    context window (None: unknown), service tiers (its variants' ``tier`` values) and mode."""
    told = preset.not_billed is not None and fields.get(preset.not_billed) is Billing.NOT_BILLED
    if preset.mode is not None and mode != preset.mode and not told:
        return False
    if preset.tier is not None and preset.tier not in tiers:
        return False
    if preset.one_request and context_length is not None and preset.usage.input_tokens > context_length:
        return False
    return all(fields.get(name) is Billing.PRICED for name in preset.counted)
