"""The documented bounds every id and value keeps, checked at the door and by validate."""

from __future__ import annotations

from decimal import Decimal

import pytest

from modelatlas import bounds
from modelatlas.bounds import MAX_TOKENS, MAX_UNIX, SeenValues, id_problem, record_problems, value_problems
from modelatlas.jsonio import loads
from modelatlas.prices import price_string, to_decimal
from modelatlas.record import date

HUGE_DIGITS = "9" * 999_999


@pytest.mark.parametrize(
    ("upstream_id", "reason"),
    [
        ("gpt 4o mini", "id contains whitespace"),
        ("a\u00a0b", "id contains whitespace"),  # a no-break space
        ("a\u2003b", "id contains whitespace"),
        ("a\tb", "id contains control characters"),
        ("a\u200bb", "id contains control characters"),  # a zero-width space is a format character
        ("x" * 501, "id is longer than 500 characters"),
        (7, "id is not a string"),
        ("  ", "id is empty or whitespace"),
    ],
)
def test_ids_outside_the_bounds_are_refused_everywhere(upstream_id: object, reason: str) -> None:
    assert id_problem(upstream_id) == reason
    assert id_problem(upstream_id, at_the_door=False) == reason


def test_path_like_ids_are_refused_at_the_door_and_tolerated_in_stored_data() -> None:
    for upstream_id in ("../../x", "/etc/passwd", "a\\b", "."):
        assert id_problem(upstream_id) is not None
        assert id_problem(upstream_id, at_the_door=False) is None
    for upstream_id in ("gpt-4o", "anthropic.claude-3-haiku-20240307-v1:0", "llama3.1:8b", "m/gemini@001"):
        assert id_problem(upstream_id) is None


@pytest.mark.parametrize(
    "value",
    ["1e999999999", "1E+999999999", Decimal("1e999999999"), "1e999998", HUGE_DIGITS, "1e-999999999", 10**400],
)
def test_absurd_prices_never_reach_decimal_arithmetic(value: object) -> None:
    assert to_decimal(value) is None
    assert price_string(value, per=1_000_000) is None  # no decimal.Overflow, no million-digit string


def test_a_raw_json_number_of_any_size_parses_and_is_bounded() -> None:
    body = loads('{"a": 1e999999999, "b": ' + "1" + "0" * 5000 + ', "c": 0.000002}')
    assert isinstance(body["b"], Decimal)  # 5,001 digits: Python's int() would refuse the whole body
    assert to_decimal(body["a"]) is None and to_decimal(body["b"]) is None
    assert price_string(body["c"]) == "0.000002"


@pytest.mark.parametrize(
    ("path", "value", "why"),
    [
        ("created", 1_700_000_000_000, "is not unix seconds before 2100 (milliseconds?)"),
        ("created", 10**29, "is not unix seconds before 2100 (milliseconds?)"),
        ("context_length", 10**400, "is not a token count of at most 100M"),
        ("top_provider.max_completion_tokens", MAX_TOKENS + 1, "is not a token count of at most 100M"),
        ("pricing.prompt", "1e999998", "is not a plain decimal string of at most 40 characters"),
        ("pricing.prompt", "1" + "0" * 999_998, "is not a plain decimal string of at most 40 characters"),
        ("pricing.prompt", "0.0011", "is above the ceiling of $0.001 per unit"),  # $1,100 per 1M tokens
        ("pricing.request", "1000.5", "is above the ceiling of $1000 per unit"),
        ("modelatlas.extra_pricing.output_audio_token", "0.5", "is above the ceiling of $0.001 per unit"),
        ("modelatlas.lifecycle.retirement_date", "2100-01-01", "is not a date between 1970 and 2099"),
        ("default_parameters", {"temperature": Decimal("1e999999999")}, "is not a plain number"),
    ],
)
def test_values_outside_the_bounds(path: str, value: object, why: str) -> None:
    assert [found for _, found in value_problems(path, value)] == [why]


def test_values_inside_the_bounds() -> None:
    record = {
        "id": "openai/gpt-4o",
        "created": MAX_UNIX,
        "context_length": MAX_TOKENS,
        "pricing": {"prompt": "0.001", "request": "1000", "image": "0.000000000000000000000001"},
        "default_parameters": {"temperature": Decimal("0.7"), "stop": ["x"]},
        "modelatlas": {
            "upstream_id": "gpt-4o",
            "provenance": {"pricing.prompt": "litellm"},
            "lifecycle": {"release_date": "1970-01", "retirement_date": "2099-12-31"},
            "conflicts": {"pricing.prompt": {"litellm": "0.001", "models.dev": "0.0009"}},
            "pricing_variants": [{"tier": "batch", "pricing": {"prompt": "0.0005"}, "source": "litellm"}],
        },
    }
    assert list(record_problems(record)) == []
    record["modelatlas"]["conflicts"]["pricing.prompt"]["openrouter"] = "1e999998"
    record["modelatlas"]["pricing_variants"][0]["pricing"]["prompt"] = "0.5"
    assert [path for path, _ in record_problems(record)] == [
        "pricing.prompt",
        "modelatlas.pricing_variants.0.pricing.prompt",
    ]


def test_dates_that_do_not_exist_or_are_out_of_range_are_unknown() -> None:
    assert date("2025-02-28T00:00:00Z") == "2025-02-28"
    assert date("2025-02-31") is None
    assert date("9999-01-01") is None and date("1969-12-31") is None


def test_an_object_records_share_is_walked_once_and_its_problems_reported_for_each_record(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The parser makes equal flat objects of a document one object; a document's check walks each
    # (at each path it is met at) once, and every record holding it still has its problems.
    prices = {"prompt": "abc", "completion": "0.000001"}
    lifecycle = {"status": "active", "release_date": "1900-01-01"}
    records = [
        {"id": f"p/{name}", "pricing": prices, "context_length": 10**9,
         "modelatlas": {"provider": "p", "upstream_id": name, "lifecycle": lifecycle,
                        "pricing_variants": [{"pricing": prices, "source": "litellm"}]}}
        for name in ("a", "b", "c")
    ]
    alone = [list(record_problems(record)) for record in records]
    walked: list[tuple[int, tuple[str, ...]]] = []
    walk = bounds._walk_object

    def counted(parts: tuple[str, ...], value: dict[str, object], *rest: object) -> None:
        walked.append((id(value), parts))
        walk(parts, value, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(bounds, "_walk_object", counted)
    seen = SeenValues()
    assert [list(record_problems(record, seen)) for record in records] == alone
    assert ("pricing.prompt", "is not a plain decimal string of at most 40 characters") in alone[2]
    assert {path for path, _ in alone[2]} == {
        "pricing.prompt", "context_length", "modelatlas.lifecycle.release_date",
        "modelatlas.pricing_variants.0.pricing.prompt",
    }
    assert walked.count((id(prices), ("pricing",))) == 1
    assert walked.count((id(lifecycle), ("modelatlas", "lifecycle"))) == 1
    assert walked.count((id(prices), ("modelatlas", "pricing_variants", "0", "pricing"))) == 1


def test_a_dotted_key_is_walked_as_the_path_it_spells_with_or_without_shared_objects() -> None:
    # (no schema-valid record has one; the walk still treats "pricing.prompt" as that price)
    record = {"id": "p/m", "pricing.prompt": "abc", "name": "plain text",
              "modelatlas": {"provider": "p", "upstream_id": "m"}}
    expected = [("pricing.prompt", "is not a plain decimal string of at most 40 characters")]
    assert list(record_problems(record)) == expected == list(record_problems(record, SeenValues()))
