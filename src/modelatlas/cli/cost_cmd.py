"""``modelatlas cost``: what a request costs at one model, or which offering of a model is cheapest."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

import click

from modelatlas import jsonio
from modelatlas.cost import Prices, Usage, default_prices, load, usage_from_response
from modelatlas.cost.errors import Unpriced, UnpricedError
from modelatlas.cost.pricing import CACHE_TTLS
from modelatlas.cost.ranking import Include, Unpriceable, cheapest
from modelatlas.cost.report import INCLUDE_CHOICES, as_json, cost_text, ranking_text
from modelatlas.errors import InputError
from modelatlas.ids import provider_ids

MAX_RESPONSE_BYTES = 64 << 20  # a saved response body (base64 images included) is far smaller

# option, Usage field, help
COUNTS = (
    ("--input-tokens", "input_tokens", "Input tokens, cached ones INCLUDED."),
    ("--output-tokens", "output_tokens", "Output tokens, reasoning ones included."),
    (
        "--cache-read-tokens",
        "cache_read_tokens",
        "Input tokens read from the prompt cache (part of --input-tokens).",
    ),
    (
        "--cache-write-tokens",
        "cache_write_tokens",
        "Input tokens written to the cache (part of --input-tokens).",
    ),
    (
        "--cache-write-1h-tokens",
        "cache_write_1h_tokens",
        "Input tokens written to a 1-hour cache (part of input).",
    ),
    ("--reasoning-tokens", "reasoning_tokens", "Reasoning tokens (part of --output-tokens)."),
    ("--input-audio-tokens", "input_audio_tokens", "Audio input tokens (part of --input-tokens)."),
    ("--output-audio-tokens", "output_audio_tokens", "Audio output tokens (part of --output-tokens)."),
    ("--input-image-tokens", "input_image_tokens", "Image input tokens (part of --input-tokens)."),
    ("--output-image-tokens", "output_image_tokens", "Image output tokens (part of --output-tokens)."),
    ("--input-images", "input_images", "Images sent."),
    ("--output-images", "output_images", "Images generated."),
    ("--input-characters", "input_characters", "Characters of input text (text-to-speech)."),
    ("--output-characters", "output_characters", "Characters of output text."),
    ("--queries", "queries", "Rerank queries (searches of up to 100 documents)."),
    ("--web-searches", "web_searches", "Web searches."),
    ("--requests", "requests", "Requests (default: one, charged when the model has a per-request price)."),
)
# option, Usage field, seconds per unit
DURATIONS = (
    ("--input-seconds", "input_seconds", 1),
    ("--input-minutes", "input_seconds", 60),
    ("--output-seconds", "output_seconds", 1),
    ("--output-minutes", "output_seconds", 60),
)


def _usage_options(function: Any) -> Any:
    """The usage options, in the order of COUNTS then DURATIONS (decorators apply last-first)."""
    for flag, name, per in reversed(DURATIONS):
        unit = "seconds" if per == 1 else "minutes"
        text = f"Duration of {name.split('_')[0]} audio or video in {unit} (decimals allowed)."
        function = click.option(flag, type=str, default=None, metavar="N", help=text)(function)
    for flag, _name, text in reversed(COUNTS):
        option = click.option(flag, type=click.IntRange(min=0), default=None, metavar="N", help=text)
        function = option(function)
    return function


def _option_name(flag: str) -> str:
    return flag.lstrip("-").replace("-", "_")


def _usage(options: dict[str, Any]) -> Usage | None:
    """The usage the options give, or None when they give none."""
    values: dict[str, Any] = {}
    for flag, name, _text in COUNTS:
        if options[_option_name(flag)] is not None:
            values[name] = options[_option_name(flag)]
    for flag, name, per in DURATIONS:
        raw = options[_option_name(flag)]
        if raw is None:
            continue
        try:
            seconds = Decimal(raw) * per
        except ArithmeticError:
            raise InputError(f"{flag} must be a number, not {raw!r}") from None
        if name in values:
            raise InputError(f"give the {name.split('_')[0]} duration once, in seconds or in minutes")
        values[name] = seconds
    return Usage.from_mapping(values) if values else None


def _read_response(path: Path) -> Any:
    """A saved response body: at most :data:`MAX_RESPONSE_BYTES` (``/dev/zero`` or a log passed by
    mistake is refused, not read into memory), parsed as JSON."""
    try:
        with path.open("rb") as handle:
            body = handle.read(MAX_RESPONSE_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read --response {path}: {exc.strerror or exc}") from None
    if len(body) > MAX_RESPONSE_BYTES:
        raise InputError(
            f"--response {path} is over {MAX_RESPONSE_BYTES >> 20} MiB, more than an API response body; "
            "save only the body"
        )
    try:
        return jsonio.parse(body)
    except ValueError as exc:
        raise InputError(
            f"--response {path} is not JSON ({exc}); save the response body as it came"
        ) from None


def _prices(source: str | None, ranking: bool) -> Prices:
    if source is None and not ranking:
        return default_prices()
    prices = load(source or "build")
    if prices.stale:
        click.echo(f"cost: warning: {prices.stale}", err=True)
    return prices


@click.command("cost")
@click.argument("model_id", required=False)
@_usage_options
@click.option(
    "--cache-ttl",
    type=click.Choice(CACHE_TTLS),
    default=None,
    help="Lifetime of the --cache-write-tokens (default: the provider's default, e.g. 5m).",
)
@click.option(
    "--region",
    default=None,
    metavar="R",
    help="A region or zone (eu, us, us-gov-west-1, ...); for Bedrock also its eu./us./... profiles.",
)
@click.option(
    "--tier",
    type=click.Choice(["batch", "flex", "priority", "fast"]),
    default=None,
    help="A service tier other than standard on-demand.",
)
@click.option(
    "--response",
    "response",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="Price the usage a saved API response body reports.",
)
@click.option(
    "--provider",
    type=click.Choice(sorted(provider_ids())),
    default=None,
    help="Whose API --response came from (default: MODEL_ID's provider).",
)
@click.option(
    "--cheapest",
    "slug",
    default=None,
    metavar="CANONICAL_SLUG",
    help="Rank every live offering of one canonical model (vendor/model) instead.",
)
@click.option(
    "--include",
    "include",
    type=click.Choice(INCLUDE_CHOICES),
    multiple=True,
    help="With --cheapest: also rank these offerings (repeatable).",
)
@click.option(
    "--source",
    default=None,
    metavar="FOLDER|URL",
    help="A built folder, data folder or published base URL (default: the bundled snapshot; "
    "'build' with --cheapest, which needs a build's canonical slugs).",
)
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
def command(
    model_id: str | None,
    cache_ttl: str | None,
    region: str | None,
    tier: str | None,
    response: Path | None,
    provider: str | None,
    slug: str | None,
    include: tuple[str, ...],
    source: str | None,
    output: str,
    **counts: Any,
) -> None:
    """Price one request at MODEL_ID (<provider>/<model id>) in USD, or rank offerings with --cheapest.

    \b
    modelatlas cost anthropic/claude-sonnet-4-5 --input-tokens 12000 --cache-read-tokens 5000
    modelatlas cost bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0 --region eu --input-tokens 9000
    modelatlas cost --response reply.json --provider openai
    modelatlas cost --cheapest openai/gpt-oss-120b --input-tokens 10000 --output-tokens 1000

    Input tokens include cached ones. A price no source states is an error, never $0 (exit 1); an
    unknown model or a bad option is exit 2. Nothing is printed on stdout when there is no total.
    """
    _check_combinations(response, provider, slug, include, region, tier)
    usage = _usage(counts)
    if response is not None:
        if usage is not None:
            raise InputError("give the usage either as options or as --response, not both")
        provider = provider or (model_id.partition("/")[0] if model_id else None)
        if provider is None:
            raise InputError("--response needs --provider (whose API answered) or a MODEL_ID")
        body = _read_response(response)
        usage = usage_from_response(provider, body)
        if model_id is None and slug is None:
            model = body.get("model") if isinstance(body, dict) else None
            if not isinstance(model, str) or not model:
                raise InputError(f"--response {response} names no model; give MODEL_ID")
            model_id = f"{provider}/{model}"
    if usage is None:
        raise InputError(
            "no usage given: pass --input-tokens/--output-tokens (and the rest) or --response FILE"
        )
    if slug is not None:
        if model_id is not None:
            raise InputError("give either MODEL_ID or --cheapest CANONICAL_SLUG, not both")
        ranking = cheapest(
            _prices(source, True), slug, usage, include=[Include(k) for k in include], cache_ttl=cache_ttl
        )
        if not ranking.offers:
            _no_offer(slug, ranking.unpriced)
        click.echo(as_json(ranking) if output == "json" else ranking_text(ranking), nl=False)
        return
    if model_id is None:
        raise InputError("give MODEL_ID (<provider>/<model id>), or --cheapest CANONICAL_SLUG")
    result = _prices(source, False).cost(model_id, usage, region=region, tier=tier, cache_ttl=cache_ttl)
    click.echo(as_json(result) if output == "json" else cost_text(result), nl=False)


def _check_combinations(
    response: Path | None,
    provider: str | None,
    slug: str | None,
    include: tuple[str, ...],
    region: str | None,
    tier: str | None,
) -> None:
    """Options that would be silently ignored are an error instead."""
    if provider is not None and response is None:
        raise InputError("--provider goes with --response FILE (whose API answered)")
    if include and slug is None:
        raise InputError("--include goes with --cheapest CANONICAL_SLUG")
    if slug is not None and (region is not None or tier is not None):
        raise InputError("--cheapest ranks every region and tier; leave out --region and --tier")


def _no_offer(slug: str, unpriced: list[Unpriceable]) -> NoReturn:
    if not unpriced:
        raise InputError(f"every offering of {slug} is left out (free, batch, ...); add them with --include")
    reasons = "; ".join(item.reason for item in unpriced[:2])
    raise UnpricedError(f"no offering of {slug} can price this usage: {reasons}", Unpriced.UNKNOWN_PRICE)
