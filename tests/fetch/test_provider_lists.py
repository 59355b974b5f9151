"""The providers' recorded lists (data/lists/): the file format, what a later list makes gone, and
that every committed list holds exactly the ids of the real recorded response it names."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from modelatlas.errors import InputError
from modelatlas.fetch.lifecycle_tables import LifecycleRow, apply_table
from modelatlas.fetch.provider_lists import (
    ProviderList,
    list_path,
    live_list,
    load_list,
    next_list,
    restore_list_aliases,
    write_list,
)
from modelatlas.fetch.providers import registry
from modelatlas.ids import provider_ids
from tests.fetch.records import rec
from tests.paths import FIXTURES, REPO

RECORDED = FIXTURES / "providers" / "recorded"
SHARED = REPO / ".." / "shared" / "reference" / "provider-responses"
# Each committed list and the recorded body it was seeded from (SOURCES.md beside each body).
SEEDED_FROM = {
    "anthropic": SHARED / "anthropic.json",
    "azure": RECORDED / "azure.json",
    "bedrock": RECORDED / "bedrock-foundation-models.json",
    "cohere": RECORDED / "cohere.json",
    "gemini": RECORDED / "gemini.json",
    "mistral": SHARED / "mistral.json",
    "openai": SHARED / "openai.json",
    "openrouter": RECORDED / "openrouter.json",
    "perplexity": SHARED / "perplexity.json",
    "vertex": RECORDED / "vertex-google.json",
}


def plain(provider: str, day: str, *ids: str, **kwargs: object) -> ProviderList:
    return ProviderList(provider, date.fromisoformat(day), "test", ids, **kwargs)  # type: ignore[arg-type]


def test_a_list_round_trips_through_its_file(tmp_path: Path) -> None:
    original = plain("bedrock", "2026-02-10", "b.x-v1:0", "a.y", complete=True, covers=r"(?!us\.).*")
    assert write_list(tmp_path, original) is True
    assert write_list(tmp_path, original) is False  # unchanged file untouched
    loaded = load_list(tmp_path, "bedrock")
    assert loaded == original and loaded.ids == ("a.y", "b.x-v1:0")
    assert loaded.answers_for("a.y") and not loaded.answers_for("us.a.y")
    assert load_list(tmp_path, "openai") is None


def doc(**fields: object) -> str:
    return json.dumps({"schema_version": "1", "source": "x", "complete": True, **fields})


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "cannot read"),
        (doc(provider="groq", date="2026-02-10"), "'ids' is a required property"),
        (doc(provider="groq", date="Feb", ids=[]), "invalid at /date"),
        (doc(provider="openai", date="2026-02-10", ids=[]), "holds the list of 'openai'"),
    ],
)
def test_a_broken_list_file_is_one_clear_error(tmp_path: Path, content: str, message: str) -> None:
    list_path(tmp_path, "groq").parent.mkdir()
    list_path(tmp_path, "groq").write_text(content)
    with pytest.raises(InputError, match=message):
        load_list(tmp_path, "groq")


def test_an_id_a_later_list_lacks_is_gone_as_of_its_date() -> None:
    first = plain("openai", "2026-02-10", "gpt-4o", "gpt-4-32k", "o1-preview")
    second = next_list(first, plain("openai", "2026-05-01", "gpt-4o", "o1-preview"))
    third = next_list(second, plain("openai", "2026-06-01", "gpt-4o", "gpt-4-32k"))
    assert dict(second.gone) == {"gpt-4-32k": second.gone["gpt-4-32k"]}
    went = second.gone["gpt-4-32k"]
    assert (went.last_seen, went.missing_since) == ("2026-02-10", "2026-05-01")
    # gpt-4-32k came back, o1-preview went
    assert sorted(third.gone) == ["o1-preview"] and third.gone["o1-preview"].last_seen == "2026-05-01"


def test_a_partial_list_makes_nothing_gone_and_answers_for_nothing() -> None:
    first = plain("vertex", "2026-02-10", "gemini-2.5-pro", "claude-opus-4-1@20250805")
    partial = plain("vertex", "2026-03-01", "gemini-2.5-pro", complete=False)
    assert next_list(first, partial).gone == {}
    assert not partial.answers_for("claude-opus-4-1@20250805")


def test_a_list_filtered_by_output_answers_only_for_those_outputs() -> None:
    text_only = plain("openrouter", "2026-05-15", "a/b", outputs=("text",))
    assert text_only.answers_for("x/y", ["text"]) and text_only.answers_for("x/y", [])
    assert not text_only.answers_for("x/image-model", ["image"])


def test_a_live_list_with_a_refused_part_is_partial() -> None:
    records = [{"modelatlas": {"upstream_id": "gemini-2.5-pro"}}]
    refused = {"publisher mistralai": "403"}
    fetched = live_list("vertex", "https://x/models", records, refused, date(2026, 11, 27))
    assert fetched.ids == ("gemini-2.5-pro",) and not fetched.complete
    assert "publisher mistralai" in fetched.note


def test_a_list_keeps_the_other_names_its_response_gives_each_listed_id(tmp_path: Path) -> None:
    records = [
        {"modelatlas": {"upstream_id": "mistral-tiny-2407",
                        "aliases": ["open-mistral-nemo-2407", "mistral-tiny-latest"]}},
        {"modelatlas": {"upstream_id": "codestral-2508"}},
    ]
    fetched = live_list("mistral", "https://x/models", records, {}, date(2026, 2, 10))
    assert dict(fetched.aliases) == {"mistral-tiny-2407": ("mistral-tiny-latest", "open-mistral-nemo-2407")}
    write_list(tmp_path, fetched)
    assert load_list(tmp_path, "mistral") == fetched
    later = next_list(fetched, plain("mistral", "2026-03-01", "codestral-2508"))
    assert later.aliases == {}  # the later list's own, for its own ids


def test_only_fixed_snapshots_take_the_recorded_lists_names_and_a_row_naming_one_dates_them() -> None:
    recorded = plain("mistral", "2026-02-10", "mistral-tiny-2407", "mistral-tiny-latest", aliases={
        "mistral-tiny-2407": ("open-mistral-nemo-2407", "mistral-tiny-latest"),
        "mistral-tiny-latest": ("open-mistral-nemo-2407", "mistral-tiny-2407"),
    })
    dated, moving = rec("mistral", "mistral-tiny-2407"), rec("mistral", "mistral-tiny-latest")
    restore_list_aliases([dated, moving], recorded)
    # a pointer's old target is no alias of a dated id, and a pointer keeps no old group
    assert dated["modelatlas"]["aliases"] == ["open-mistral-nemo-2407"]
    assert "aliases" not in moving["modelatlas"]
    row = LifecycleRow("open-mistral-nemo-2407", "2026-05-22", "2026-07-31", "https://docs.example", "q")
    apply_table("mistral", [dated, moving], [row])
    assert dated["modelatlas"]["lifecycle"]["retirement_date"] == "2026-07-31"
    assert "lifecycle" not in moving["modelatlas"]


@pytest.mark.parametrize("provider", sorted(SEEDED_FROM))
def test_each_committed_list_is_the_recorded_response_it_names(provider: str) -> None:
    body = SEEDED_FROM[provider]
    if not body.is_file():
        if os.environ.get("MODELATLAS_REQUIRE_SHARED"):
            pytest.fail(f"{body} is missing")
        pytest.skip("../shared/reference is not beside the repository")
    committed = load_list(REPO / "data", provider)
    assert committed is not None
    normalized = registry.declared(provider).normalize([json.loads(body.read_text())])
    assert committed.ids == tuple(sorted({r["modelatlas"]["upstream_id"] for r in normalized.records}))
    # and the other names the response gives each model, as a live fetch keeps them
    kept = live_list(provider, "https://x", normalized.records, {}, committed.day)
    assert committed.aliases == kept.aliases
    assert committed.source.startswith("GET ") and "recorded" in committed.source


def test_every_committed_list_is_a_registered_provider_and_seeded_from_a_recording() -> None:
    names = sorted(p.stem for p in (REPO / "data" / "lists").glob("*.json"))
    assert set(names) <= set(provider_ids())
    assert names == sorted(SEEDED_FROM)
