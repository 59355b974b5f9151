"""The usage a provider's response body reports, as a :class:`~modelatlas.cost.usage.Usage`.

Each API counts differently; every reader turns its counts into the one convention of
:class:`Usage` (input tokens include the cached ones):

Which formats a provider's APIs answer in is part of its declaration (``Provider.response_formats``).

* OpenAI Chat Completions (and every OpenAI-compatible API): ``prompt_tokens`` already includes
  ``prompt_tokens_details.cached_tokens`` (and ``audio_tokens``); ``completion_tokens`` includes
  ``reasoning_tokens``, ``audio_tokens`` and ``image_tokens``. OpenRouter adds ``cache_write_tokens``.
* OpenAI Responses: ``input_tokens`` includes ``cached_tokens``; each ``web_search_call`` output item
  is one web search.
* Anthropic Messages (and Claude on Vertex or Bedrock's InvokeModel): ``input_tokens`` EXCLUDES cache
  reads and writes, so they are added; ``cache_creation`` splits writes into 5-minute and 1-hour.
* Gemini and Vertex ``generateContent``: ``promptTokenCount`` includes ``cachedContentTokenCount``;
  ``thoughtsTokenCount`` is billed as output but not in ``candidatesTokenCount``, so it is added;
  ``toolUsePromptTokenCount`` is input. Audio input tokens (not cached) come from
  ``promptTokensDetails``.
* Bedrock Converse: ``inputTokens`` excludes ``cacheReadInputTokens`` and ``cacheWriteInputTokens``;
  ``cacheDetails`` gives the writes' lifetimes.
* Cohere (v1 ``meta`` or v2 ``usage``): the ``billed_units`` (what is billed, not the raw ``tokens``);
  ``search_units`` are rerank queries.
* Mistral: Chat Completions, except that audio is billed by the minute: ``prompt_audio_seconds``
  becomes ``input_seconds`` and its audio tokens (outside ``prompt_tokens``) are not counted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from modelatlas.cost.errors import UsageError
from modelatlas.cost.usage import Usage
from modelatlas.fetch.providers import registry
from modelatlas.fetch.providers.rules import ResponseFormat

Body = Mapping[str, Any]


def _block(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _count(block: Mapping[str, Any], key: str, where: str) -> int:
    value = block.get(key)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise UsageError(f"the response's {where}.{key} is not a count ({value!r})")
    return value


def _modality(details: Any, modality: str, where: str) -> int:
    """The token count of one modality in a Gemini ``*TokensDetails`` list."""
    total = 0
    for item in details if isinstance(details, list) else ():
        if isinstance(item, Mapping) and item.get("modality") == modality:
            total += _count(item, "tokenCount", where)
    return total


def _openai_chat(body: Body) -> Usage:
    usage = _block(body.get("usage"))
    prompt = _block(usage.get("prompt_tokens_details"))
    completion = _block(usage.get("completion_tokens_details"))
    return Usage(
        input_tokens=_count(usage, "prompt_tokens", "usage"),
        output_tokens=_count(usage, "completion_tokens", "usage"),
        cache_read_tokens=_count(prompt, "cached_tokens", "usage.prompt_tokens_details"),
        cache_write_tokens=_count(prompt, "cache_write_tokens", "usage.prompt_tokens_details"),
        input_audio_tokens=_count(prompt, "audio_tokens", "usage.prompt_tokens_details"),
        reasoning_tokens=_count(completion, "reasoning_tokens", "usage.completion_tokens_details"),
        output_audio_tokens=_count(completion, "audio_tokens", "usage.completion_tokens_details"),
        output_image_tokens=_count(completion, "image_tokens", "usage.completion_tokens_details"),
        web_searches=_count(usage, "num_search_queries", "usage"),
    )


def _openai_responses(body: Body) -> Usage:
    usage = _block(body.get("usage"))
    details = _block(usage.get("input_tokens_details"))
    output = _block(usage.get("output_tokens_details"))
    items = body.get("output")
    searches = (
        sum(1 for item in items if isinstance(item, Mapping) and item.get("type") == "web_search_call")
        if isinstance(items, list)
        else 0
    )
    return Usage(
        input_tokens=_count(usage, "input_tokens", "usage"),
        output_tokens=_count(usage, "output_tokens", "usage"),
        cache_read_tokens=_count(details, "cached_tokens", "usage.input_tokens_details"),
        cache_write_tokens=_count(details, "cache_write_tokens", "usage.input_tokens_details"),
        reasoning_tokens=_count(output, "reasoning_tokens", "usage.output_tokens_details"),
        web_searches=searches,
    )


def _anthropic(body: Body) -> Usage:
    usage = _block(body.get("usage"))
    read = _count(usage, "cache_read_input_tokens", "usage")
    written = _count(usage, "cache_creation_input_tokens", "usage")
    split = usage.get("cache_creation")
    one_hour = (
        _count(split, "ephemeral_1h_input_tokens", "usage.cache_creation")
        if isinstance(split, Mapping)
        else 0
    )
    output = _block(usage.get("output_tokens_details"))
    return Usage(
        input_tokens=_count(usage, "input_tokens", "usage") + read + written,
        output_tokens=_count(usage, "output_tokens", "usage"),
        cache_read_tokens=read,
        cache_write_tokens=max(written - one_hour, 0),
        cache_write_1h_tokens=min(one_hour, written),
        reasoning_tokens=_count(output, "thinking_tokens", "usage.output_tokens_details"),
        web_searches=_count(
            _block(usage.get("server_tool_use")), "web_search_requests", "usage.server_tool_use"
        ),
    )


def _google(body: Body) -> Usage:
    meta = _block(body.get("usageMetadata"))
    where = "usageMetadata"
    thoughts = _count(meta, "thoughtsTokenCount", where)
    audio_in = _modality(meta.get("promptTokensDetails"), "AUDIO", where) - _modality(
        meta.get("cacheTokensDetails"), "AUDIO", where
    )
    candidates = meta.get("candidatesTokensDetails")
    return Usage(
        input_tokens=_count(meta, "promptTokenCount", where) + _count(meta, "toolUsePromptTokenCount", where),
        output_tokens=_count(meta, "candidatesTokenCount", where) + thoughts,
        cache_read_tokens=_count(meta, "cachedContentTokenCount", where),
        reasoning_tokens=thoughts,
        input_audio_tokens=max(audio_in, 0),
        output_audio_tokens=_modality(candidates, "AUDIO", where),
        output_image_tokens=_modality(candidates, "IMAGE", where),
    )


def _converse(body: Body) -> Usage:
    usage = _block(body.get("usage"))
    read = _count(usage, "cacheReadInputTokens", "usage")
    written = _count(usage, "cacheWriteInputTokens", "usage")
    one_hour = sum(
        _count(item, "inputTokens", "usage.cacheDetails")
        for item in usage.get("cacheDetails") or ()
        if isinstance(item, Mapping) and item.get("ttl") == "1h"
    )
    return Usage(
        input_tokens=_count(usage, "inputTokens", "usage") + read + written,
        output_tokens=_count(usage, "outputTokens", "usage"),
        cache_read_tokens=read,
        cache_write_tokens=max(written - one_hour, 0),
        cache_write_1h_tokens=min(one_hour, written),
    )


def _cohere(body: Body) -> Usage:
    holder = "usage" if isinstance(body.get("usage"), Mapping) else "meta"
    billed = _block(_block(body.get(holder)).get("billed_units"))
    where = f"{holder}.billed_units"
    images = _count(billed, "image_tokens", where)
    return Usage(
        input_tokens=_count(billed, "input_tokens", where) + images,
        input_image_tokens=images,
        output_tokens=_count(billed, "output_tokens", where),
        queries=_count(billed, "search_units", where),
    )


def _mistral(body: Body) -> Usage:
    usage = _block(body.get("usage"))
    seconds = usage.get("prompt_audio_seconds")
    if seconds is not None and (
        isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0
    ):
        raise UsageError(f"the response's usage.prompt_audio_seconds is not a duration ({seconds!r})")
    return Usage(
        input_tokens=_count(usage, "prompt_tokens", "usage"),
        output_tokens=_count(usage, "completion_tokens", "usage"),
        cache_read_tokens=_count(
            _block(usage.get("prompt_tokens_details")), "cached_tokens", "usage.prompt_tokens_details"
        ),
        input_seconds=seconds or 0,
    )


def _usage_keys(body: Body) -> Mapping[str, Any]:
    return _block(body.get("usage"))


# How to recognise each format's body, and how to read it.
FORMATS: dict[ResponseFormat, tuple[Callable[[Body], bool], Callable[[Body], Usage]]] = {
    ResponseFormat.GOOGLE: (lambda body: isinstance(body.get("usageMetadata"), Mapping), _google),
    ResponseFormat.CONVERSE: (lambda body: "inputTokens" in _usage_keys(body), _converse),
    ResponseFormat.COHERE: (
        lambda body: "billed_units" in _usage_keys(body) or "billed_units" in _block(body.get("meta")),
        _cohere,
    ),
    ResponseFormat.OPENAI_RESPONSES: (
        lambda body: (
            "input_tokens" in _usage_keys(body)
            and (body.get("object") == "response" or "input_tokens_details" in _usage_keys(body))
        ),
        _openai_responses,
    ),
    ResponseFormat.ANTHROPIC: (lambda body: "input_tokens" in _usage_keys(body), _anthropic),
    ResponseFormat.OPENAI_CHAT: (lambda body: "prompt_tokens" in _usage_keys(body), _openai_chat),
    ResponseFormat.MISTRAL: (lambda body: "prompt_tokens" in _usage_keys(body), _mistral),
}


def usage_from_response(provider: str, body: object) -> Usage:
    """The usage ``body`` (a parsed response of ``provider``'s API) reports; :class:`UsageError` if none."""
    declared = registry.by_id()
    if provider not in declared:
        raise UsageError(f"unknown provider {provider!r}; one of {', '.join(sorted(declared))}")
    formats = declared[provider].response_formats
    if not formats:
        raise UsageError(
            f"{provider} responses carry no usage block; give the counts (e.g. characters) instead"
        )
    if not isinstance(body, Mapping):
        raise UsageError(f"a response body of {provider} is a JSON object, not {type(body).__name__}")
    for response_format in formats:
        matches, read = FORMATS[response_format]
        if matches(body):
            return read(body)
    names = " or ".join(f.value for f in formats)
    raise UsageError(
        f"no usage in this {provider} response (expected a {names} body with its usage block; a stream "
        "carries it in its last event)"
    )
