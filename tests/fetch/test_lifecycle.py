"""Lifecycle as of the snapshot date: dated status and successors that exist in the catalog."""

from __future__ import annotations

from datetime import date

from modelatlas.fetch.lifecycle import apply_status, dated_status, resolve_successors
from modelatlas.fetch.spellings import match_key

TODAY = date(2026, 11, 27)


def record(provider: str, upstream: str, **lifecycle: str) -> dict:
    provenance = {f"modelatlas.lifecycle.{k}": "litellm" for k in lifecycle}
    extension = {"provider": provider, "upstream_id": upstream, "provenance": provenance}
    if lifecycle:
        extension["lifecycle"] = dict(lifecycle)
    return {"id": f"{provider}/{upstream}", "modelatlas": extension}


def test_dates_give_the_status_as_of_the_snapshot_day() -> None:
    assert dated_status({"retirement_date": "2026-11-27"}, TODAY) == "retired"
    announced = {"retirement_date": "2026-11-28", "deprecation_date": "2026-01-01"}
    assert dated_status(announced, TODAY) == "deprecated"
    assert dated_status({"deprecation_date": "2026-11-28"}, TODAY) is None
    assert dated_status({"retirement_date": "2026-11"}, TODAY) is None  # a month counts once it is over
    assert dated_status({"retirement_date": "2026-10"}, TODAY) == "retired"
    assert dated_status({"retirement_date": "2026-12"}, date(2027, 1, 1)) == "retired"


def test_status_is_derived_but_removed_is_kept() -> None:
    old = record("openai", "gpt-old", retirement_date="2025-01-01", status="active")
    apply_status(old, TODAY)
    assert old["modelatlas"]["lifecycle"]["status"] == "retired"
    assert old["modelatlas"]["provenance"]["modelatlas.lifecycle.status"] == "derived"
    gone = record("openai", "gpt-gone", retirement_date="2025-01-01", status="removed")
    apply_status(gone, TODAY)
    assert gone["modelatlas"]["lifecycle"]["status"] == "removed"
    stated = record("cohere", "c", status="deprecated")
    apply_status(stated, TODAY)
    assert stated["modelatlas"]["lifecycle"]["status"] == "deprecated"


def test_successors_become_catalog_ids_or_disappear() -> None:
    records = [
        record("azure", "FW-GLM-5", successor="azure_ai/FW-GLM-5.2"),  # a LiteLLM routing key
        record("azure", "FW-GLM-5.2"),
        record("azure", "phi-4", successor="microsoft--phi-4"),  # names nothing listed
        record("azure", "a", successor="azure/FW-GLM-5-2"),  # catalog id, other spelling
        record("azure", "self", successor="self"),
    ]
    resolve_successors("azure", records, match_key)
    assert records[0]["modelatlas"]["lifecycle"]["successor"] == "azure/FW-GLM-5.2"
    assert "lifecycle" not in records[2]["modelatlas"]
    assert "modelatlas.lifecycle.successor" not in records[2]["modelatlas"]["provenance"]
    assert records[3]["modelatlas"]["lifecycle"]["successor"] == "azure/FW-GLM-5.2"
    assert "lifecycle" not in records[4]["modelatlas"]
