"""``modelatlas fetch``: refresh data/providers/*.json from provider APIs and the public catalogs.

Providers with credentials are fetched live (:mod:`modelatlas.fetch.run`); the others get their model
list from the public catalogs (:data:`modelatlas.fetch.catalogs.CATALOG_MODULES`: models.dev,
LiteLLM, OpenRouter, ruby_llm, Portkey), each read from the URL or local path in its environment
variable (MODELATLAS_MODELS_DEV_URL, MODELATLAS_LITELLM_URL, MODELATLAS_OPENROUTER_URL,
MODELATLAS_RUBY_LLM_URL; MODELATLAS_PORTKEY_URL is a base URL or a folder holding pricing/ and general/).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import click

from modelatlas.cli.options import data_option
from modelatlas.config import load_settings
from modelatlas.errors import EXIT_OK, InputError
from modelatlas.fetch.catalog_cache import load_catalogs_with_fallback
from modelatlas.fetch.catalogs import CATALOG_MODULES
from modelatlas.fetch.providers.credentials import scrubber
from modelatlas.fetch.run import FetchReport, run_fetch
from modelatlas.ids import provider_ids


def parse_now(value: str | None) -> datetime:
    """``--now`` / ``$MODELATLAS_NOW`` (ISO 8601, e.g. 2026-11-27T00:00:00Z), else the current UTC time."""
    if not value:
        return datetime.now(UTC).replace(microsecond=0)
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise InputError(f"--now {value!r} is not an ISO 8601 time; use e.g. 2026-11-27T00:00:00Z") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class _ProviderChoice(click.Choice):
    """One of the registry's provider ids, read when the option is parsed (not at import)."""

    def __init__(self) -> None:
        super().__init__(())

    @property  # type: ignore[override]
    def choices(self) -> tuple[str, ...]:
        return provider_ids()

    @choices.setter
    def choices(self, _value: object) -> None:
        pass


CATALOGS_EPILOG = "Public catalogs, each read from its variable if set (an http(s) URL or a local path): " + (
    ", ".join(f"{m.SOURCE_ID} ${m.ENV_VAR}" for m in CATALOG_MODULES)
)


@click.command("fetch", epilog=CATALOGS_EPILOG)
@click.option(
    "--provider",
    "providers",
    multiple=True,
    type=_ProviderChoice(),
    help="Refresh only this provider (repeatable; default: all).",
)
@data_option("The data folder to update.")
@click.option(
    "--now", "now_text", default=None, help="Refresh time (ISO 8601; default $MODELATLAS_NOW, else now)."
)
@click.option(
    "--allow-shrink",
    is_flag=True,
    help="Write a provider even if its list lost more than the shrink limit (default 30%) or is empty.",
)
@click.option(
    "--config",
    "config_path",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="YAML file with env/http/fetch settings (default $MODELATLAS_CONFIG; env vars win).",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Fetch and merge everything, report what would change, write nothing (no data file, no cache).",
)
def command(
    providers: tuple[str, ...],
    data_dir: Path,
    now_text: str | None,
    allow_shrink: bool,
    config_path: Path | None,
    dry_run: bool,
) -> None:
    """Refresh data/providers/*.json from each provider's list API (where credentials are set)
    and the public model catalogs. Exit 0 all fresh, 3 some failed or held back, 1 none usable.

    \b
    Prints one line per catalog that could not be read fresh, one line per provider, and a total.
    A catalog that cannot be reached is replaced by its last good copy (kept in
    $MODELATLAS_CACHE_DIR, else ~/.cache/modelatlas); without one, only the providers whose data
    came from it are held back.
    """
    settings = load_settings(config_path=config_path)
    secrets = scrubber(settings)
    now = parse_now(now_text or settings.get("MODELATLAS_NOW"))
    selected = [p for p in provider_ids() if p in providers] if providers else list(provider_ids())
    report = run_fetch(
        data_dir,
        selected,
        settings,
        now=now,
        load_catalogs=lambda: load_catalogs_with_fallback(now, keep_copies=not dry_run, scrubber=secrets),
        allow_shrink=allow_shrink,
        dry_run=dry_run,
    )
    click.echo(total_line(report, dry_run), err=True)
    if report.exit_code != EXIT_OK:

        raise click.exceptions.Exit(report.exit_code)


def total_line(report: FetchReport, dry_run: bool) -> str:
    states = Counter(result.state for result in report.results)
    counts = ", ".join(f"{n} {state}" for state, n in sorted(states.items()))
    changed = sum(result.changed for result in report.results)
    verb = "would change (dry run, nothing written)" if dry_run else "changed"
    return f"fetch: {len(report.results)} providers: {counts}; {changed} files {verb}"
