"""``modelatlas fetch``: refresh data/providers/*.json from the public catalogs.

Catalog-only for now: every provider's model list comes from models.dev, LiteLLM and OpenRouter
(URLs overridable with MODELATLAS_MODELS_DEV_URL, MODELATLAS_LITELLM_URL, MODELATLAS_OPENROUTER_URL,
each an http(s) URL or a local file). Live provider APIs plug in through ``api_records``.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import click

from modelatlas.errors import EXIT_FAILURE, EXIT_PARTIAL, InputError
from modelatlas.ids import PROVIDER_IDS
from modelatlas.refresh import refresh_and_write
from modelatlas.sources import load_catalogs


def parse_now(value: str | None) -> datetime:
    """``--now`` / ``$MODELATLAS_NOW`` (ISO 8601, e.g. 2026-11-27T00:00:00Z), else the current UTC time."""
    if not value:
        return datetime.now(UTC).replace(microsecond=0)
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise InputError(f"--now {value!r} is not an ISO 8601 time; use e.g. 2026-11-27T00:00:00Z") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@click.command("fetch")
@click.option(
    "--provider",
    "providers",
    multiple=True,
    type=click.Choice(PROVIDER_IDS),
    help="Refresh only this provider (repeatable; default: all 16).",
)
@click.option(
    "--data",
    "data_dir",
    default="data",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The data folder to update.",
)
@click.option(
    "--now", "now_text", default=None, help="Refresh time (ISO 8601; default $MODELATLAS_NOW, else now)."
)
def command(providers: tuple[str, ...], data_dir: Path, now_text: str | None) -> None:
    """Refresh data/providers/*.json from the public model catalogs."""
    now = parse_now(now_text or os.environ.get("MODELATLAS_NOW"))
    selected = [p for p in PROVIDER_IDS if p in providers] if providers else list(PROVIDER_IDS)
    catalogs = load_catalogs()
    for source, skipped in sorted(catalogs.skipped.items()):
        if skipped:
            detail = ", ".join(f"{reason}: {n}" for reason, n in sorted(skipped.items()))
            click.echo(f"{source}: skipped {sum(skipped.values())} ({detail})", err=True)
    outcomes = refresh_and_write(data_dir, selected, catalogs=catalogs.records, now=now)
    failed = 0
    for outcome in outcomes:
        if outcome.error or outcome.doc is None:
            failed += 1
            click.echo(f"{outcome.provider}: FAILED: {outcome.error}", err=True)
            continue
        status = outcome.doc["status"]
        state = "updated" if outcome.changed else "unchanged"
        click.echo(f"{outcome.provider}: {status['count']} models ({state}; {status['reason']})", err=True)
    if failed:
        raise click.exceptions.Exit(EXIT_FAILURE if failed == len(outcomes) else EXIT_PARTIAL)
