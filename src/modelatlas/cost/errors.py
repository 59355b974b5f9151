"""What can go wrong when pricing a request: one line each, with the exit code the CLI leaves with.

* :class:`UnknownModelError` (exit 2): no record has that id (or alias) in the prices loaded.
* :class:`UsageError` (exit 2): the usage itself is wrong (a negative count, cached tokens above the
  input tokens, an unknown cache lifetime).
* :class:`UnpricedError` (exit 1): the record exists but cannot price this usage; ``kind`` says why
  (a price is unknown, a component is not billed by this model, no such region or tier).
"""

from __future__ import annotations

import enum

from modelatlas.errors import EXIT_FAILURE, EXIT_USAGE, ModelatlasError


class Unpriced(enum.Enum):
    """Why a usage cannot be priced (the ``kind`` of :class:`UnpricedError`, also in the JS module)."""

    UNKNOWN_PRICE = "unknown_price"  # a component with a count whose price no source states
    NOT_BILLED = "not_billed"  # a component with a count that this model does not bill at all
    NO_VARIANT = "no_variant"  # no price for the region / service tier asked for


class CostError(ModelatlasError):
    """Any error of :mod:`modelatlas.cost`."""

    kind = "cost"


class UnknownModelError(CostError):
    kind = "unknown_model"

    def __init__(self, message: str) -> None:
        super().__init__(message, EXIT_USAGE)


class UsageError(CostError):
    kind = "usage"

    def __init__(self, message: str) -> None:
        super().__init__(message, EXIT_USAGE)


class UnpricedError(CostError):
    """``why`` the usage cannot be priced; ``component`` names the usage's part without a price (for
    ``UNKNOWN_PRICE`` and ``NOT_BILLED``) and ``above`` the long-context threshold whose prices lack it."""

    def __init__(
        self, message: str, why: Unpriced, component: str | None = None, above: int | None = None
    ) -> None:
        super().__init__(message, EXIT_FAILURE)
        self.why = why
        self.kind = why.value
        self.component = component
        self.above = above
