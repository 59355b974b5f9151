"""What will this request cost, here? Price a usage at one model of the catalog, in USD.

    >>> from modelatlas.cost import Usage, cost
    >>> usage = Usage(input_tokens=12_000, cache_read_tokens=5_000, output_tokens=800)
    >>> result = cost("bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0", usage, region="eu")
    >>> result.total, result.model  # doctest: +SKIP
    (Decimal('0.03795'), 'bedrock/eu.anthropic.claude-sonnet-4-5-20250929-v1:0')

Input tokens INCLUDE the cached ones: ``cache_read_tokens`` and ``cache_write_tokens`` are parts of
``input_tokens`` (see :class:`Usage`). The rules (docs/cost.md, docs/pricing.md):

* an unknown model is an error (:class:`UnknownModelError`), never $0;
* a component with a count whose price is absent is an error (:class:`UnpricedError`, kind
  ``unknown_price``); a price of ``"0"`` is free; a component listed in ``modelatlas.not_billed``
  is an error unless its count is 0 (kind ``not_billed``);
* ``region`` and ``tier`` pick a ``modelatlas.pricing_variants`` entry; when none matches (and, for
  a region, no ``<provider>/<region>.<id>`` profile record exists) the error (kind ``no_variant``)
  lists what the record has;
* past a long-context threshold (``modelatlas.context_tiers``) every token of the request is priced
  at the tier, and a price the tier does not state is unknown;
* ``cache_ttl="1h"`` prices ``cache_write_tokens`` at ``input_cache_write_1h`` instead of the
  default lifetime's ``input_cache_write``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from modelatlas.cost.catalog import Prices
from modelatlas.cost.errors import CostError, UnknownModelError, Unpriced, UnpricedError, UsageError
from modelatlas.cost.result import Cost, CostLine
from modelatlas.cost.sources import bundled, load
from modelatlas.cost.usage import Usage

__all__ = [
    "Cost",
    "CostError",
    "CostLine",
    "Prices",
    "UnknownModelError",
    "Unpriced",
    "UnpricedError",
    "Usage",
    "UsageError",
    "cost",
    "default_prices",
    "load",
    "usage_from_response",
]

_default: Prices | None = None


def default_prices() -> Prices:
    """The bundled snapshot's prices (read lazily, one provider at a time, and kept)."""
    global _default
    if _default is None:
        _default = bundled()
    return _default


def cost(
    model_id: str,
    usage: Usage | Mapping[str, Any],
    *,
    region: str | None = None,
    tier: str | None = None,
    cache_ttl: str | None = None,
) -> Cost:
    """What ``usage`` costs at ``model_id`` (``<provider>/<model id>``), from the bundled snapshot.

    ``usage`` is a :class:`Usage` (or a mapping of its fields). ``usage.input_tokens`` includes the
    cached tokens (``cache_read_tokens``, ``cache_write_tokens``
    are parts of it). ``region`` (``eu``, ``us-gov-west-1``, ...) and ``tier`` (``batch``, ``flex``,
    ``priority``, ``fast``) select a pricing variant; for Amazon Bedrock a region with no variant
    prices the ``<region>.<id>`` cross-region profile record when there is one. ``cache_ttl`` is
    ``"5m"`` (the default lifetime's price) or ``"1h"``. Use :func:`load` for another source.
    """
    return default_prices().cost(model_id, usage, region=region, tier=tier, cache_ttl=cache_ttl)


def usage_from_response(provider: str, body: object) -> Usage:
    """The :class:`Usage` a provider's response body reports (see :mod:`modelatlas.cost.responses`)."""
    from modelatlas.cost.responses import usage_from_response as read

    return read(provider, body)
