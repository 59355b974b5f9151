"""How ``modelatlas cost`` shows a cost or a ranking: a breakdown table, or JSON."""

from __future__ import annotations

from modelatlas.cost.ranking import Include, Ranking
from modelatlas.cost.result import Cost, line_amount_string, plain
from modelatlas.cost.sheet import variant_label
from modelatlas.jsonio import dumps_pretty


def _table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def cell(row: list[str], i: int) -> str:
        return row[i].rjust(widths[i]) if i in right else row[i].ljust(widths[i])

    return ["  ".join(cell(row, i) for i in range(len(header))).rstrip() for row in [header, *rows]]


def cost_text(cost: Cost) -> str:
    """The breakdown: one row per component, then the total (``*`` marks a disputed price)."""
    title = f"model: {cost.model}"
    if cost.requested != cost.model:
        title += f" (asked for {cost.requested})"
    notes = [variant_label(cost.region, cost.tier)]
    if cost.context_tier is not None:
        notes.append(f"long-context prices (input above {cost.context_tier} tokens)")
    rows = [
        [
            line.component + ("*" if line.disputed else ""),
            plain(line.quantity) if not isinstance(line.quantity, int) else str(line.quantity),
            line.unit,
            plain(line.unit_price),
            line.price_unit,
            line_amount_string(line.amount),
            line.source or "",
        ]
        for line in cost.lines
    ]
    header = ["component", "quantity", "unit", "USD per", "price unit", "amount (USD)", "source"]
    out = [title]
    if any(notes):
        out.append("pricing: " + "; ".join(note for note in notes if note))
    out += _table(header, rows, {1, 3, 5})
    out.append(f"total: {cost.total_string} {cost.currency}")
    if cost.disputed:
        out.append("* sources disagree on this price (modelatlas.disputed)")
    return "\n".join(out) + "\n"


def ranking_text(ranking: Ranking) -> str:
    """Offers from cheapest to dearest; region and tier columns appear only when some offer has one."""
    regions = any(offer.region for offer in ranking.offers)
    tiers = any(offer.tier for offer in ranking.offers)
    header = ["#", "total (USD)", "model"] + (["region"] if regions else []) + (["tier"] if tiers else [])
    rows = []
    for rank, offer in enumerate(ranking.offers, 1):
        row = [str(rank), offer.total_string + ("*" if offer.disputed else ""), offer.model]
        row += ([offer.region or ""] if regions else []) + ([offer.tier or ""] if tiers else [])
        rows.append(row)
    out = [f"{ranking.slug}: {len(ranking.offers)} priced offers for this usage"]
    out += _table(header, rows, {0, 1}) if rows else []
    for item in ranking.unpriced:
        where = variant_label(item.region, item.tier)
        out.append(f"not priced: {item.model}{f' ({where})' if where else ''}: {item.reason}")
    if ranking.excluded:
        kinds = sorted({why.value for why in ranking.excluded.values()})
        out.append(
            f"left out: {len(ranking.excluded)} offerings or variants ({', '.join(kinds)}); "
            f"add them with --include {' --include '.join(kinds)}"
        )
    if any(offer.disputed for offer in ranking.offers):
        out.append("* sources disagree on a price used (modelatlas.disputed)")
    return "\n".join(out) + "\n"


def as_json(value: Cost | Ranking) -> str:
    return dumps_pretty(value.as_json())


INCLUDE_CHOICES = [kind.value for kind in Include]
