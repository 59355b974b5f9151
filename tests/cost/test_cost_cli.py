"""``modelatlas cost`` through CliRunner and a real subprocess: breakdown tables, JSON, rankings, saved
responses, and one-line errors with the documented exit codes and nothing on stdout."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from modelatlas.cli import cli, cost_cmd
from tests.cost.built import FAMILY, write_build
from tests.paths import FIXTURES, REPO


@pytest.fixture
def built(tmp_path: Path) -> Path:
    return write_build(tmp_path / "build")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["cost", *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_breakdown_table_names_each_component_and_the_total(built: Path) -> None:
    code, out, err = run(
        "anthropic/fixture-sonnet",
        "--input-tokens",
        "12000",
        "--cache-read-tokens",
        "5000",
        "--output-tokens",
        "800",
        "--tier",
        "batch",
        "--source",
        str(built),
    )
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "model: anthropic/fixture-sonnet" and lines[1] == "pricing: tier batch"
    assert lines[3].split() == ["input", "7000", "token", "0.0000015", "token", "0.0105", "curated"]
    assert lines[-1] == "total: 0.01725 USD"


def test_json_output_has_model_total_currency_and_lines(built: Path) -> None:
    code, out, _ = run(
        "azure/fixture-gpt",
        "--input-tokens",
        "10000",
        "--cache-read-tokens",
        "2000",
        "--output-tokens",
        "500",
        "--region",
        "eu",
        "--format",
        "json",
        "--source",
        str(built),
    )
    document = json.loads(out)
    assert code == 0 and (document["model"], document["total"], document["currency"]) == (
        "azure/fixture-gpt",
        "0.03025",
        "USD",
    )
    assert [line["component"] for line in document["lines"]] == ["input", "cache_read", "output"]
    assert document["region"] == "eu"


def test_minutes_are_converted_to_seconds_exactly(built: Path) -> None:
    code, out, _ = run(
        "openai/fixture-transcribe", "--input-minutes", "1.5", "--format", "json", "--source", str(built)
    )
    assert code == 0 and json.loads(out)["total"] == "0.009"
    assert json.loads(out)["lines"][0]["quantity"] == "90"


def test_the_cache_ttl_picks_the_one_hour_price(built: Path) -> None:
    base = [
        "anthropic/fixture-sonnet",
        "--input-tokens",
        "10000",
        "--cache-write-tokens",
        "8000",
        "--output-tokens",
        "100",
        "--format",
        "json",
        "--source",
        str(built),
    ]
    assert json.loads(run(*base)[1])["total"] == "0.0375"
    assert json.loads(run(*base, "--cache-ttl", "1h")[1])["total"] == "0.0555"


def test_a_saved_response_is_priced_at_the_model_it_names(built: Path) -> None:
    response = FIXTURES / "cost" / "responses" / "anthropic-cache-write.json"
    code, out, _ = run(
        "--response", str(response), "--provider", "anthropic", "--format", "json", "--source", str(built)
    )
    document = json.loads(out)
    assert code == 0 and document["model"] == "anthropic/claude-haiku-4-5-20251001"
    # 10 input x 1e-6 + 7351 cache writes x 1.25e-6 + 4 output x 5e-6
    assert document["total"] == "0.00921875"


def test_cheapest_ranks_offerings_and_says_what_it_left_out(built: Path) -> None:
    code, out, _ = run(
        "--cheapest", FAMILY, "--input-tokens", "10000", "--output-tokens", "1000", "--source", str(built)
    )
    lines = out.splitlines()
    assert code == 0 and lines[0] == f"{FAMILY}: 5 priced offers for this usage"
    assert lines[1].split() == ["#", "total", "(USD)", "model", "region", "tier"]
    assert lines[2].split() == ["1", "0.00105", "bedrock/openai.fixture-oss", "flex"]
    assert any(line.startswith("not priced: cerebras/fixture-oss") for line in lines)
    assert lines[-1].startswith("left out: 5 offerings or variants (batch, free, retired, subscription)")
    code, out, _ = run(
        "--cheapest",
        FAMILY,
        "--input-tokens",
        "10000",
        "--include",
        "free",
        "--format",
        "json",
        "--source",
        str(built),
    )
    assert json.loads(out)["offers"][0]["model"] == "openrouter/openai/fixture-oss:free"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["openai/nope", "--input-tokens", "1"], 2, "unknown model 'openai/nope'"),
        (
            ["openai/fixture-plain", "--input-tokens", "10", "--cache-read-tokens", "1"],
            1,
            "unknown, not free",
        ),
        (
            ["openai/fixture-embedding", "--input-tokens", "10", "--output-tokens", "1"],
            1,
            "does not bill output",
        ),
        (["azure/fixture-gpt", "--input-tokens", "1", "--region", "jp"], 1, "it has: standard, region eu"),
        (["azure/fixture-gpt", "--input-tokens", "1", "--region", ""], 1, "no price for region ''; it has"),
        (["openai/fixture-plain"], 2, "no usage given"),
        (
            ["openai/fixture-plain", "--input-tokens", "5", "--cache-read-tokens", "9"],
            2,
            "exceed input_tokens",
        ),
        (["openai/fixture-transcribe", "--input-minutes", "abc"], 2, "--input-minutes must be a number"),
        (["openai/fixture-transcribe", "--input-minutes", "1", "--input-seconds", "1"], 2, "once"),
        (["--cheapest", "openai/none", "--input-tokens", "1"], 2, "no offering of 'openai/none'"),
        (["--input-tokens", "1"], 2, "give MODEL_ID"),
        (["openai/fixture-plain", "--input-tokens", "1", "--provider", "openai"], 2, "goes with --response"),
        (["openai/fixture-plain", "--input-tokens", "1", "--include", "free"], 2, "goes with --cheapest"),
        (
            ["--cheapest", FAMILY, "--input-tokens", "1", "--tier", "batch"],
            2,
            "leave out --region and --tier",
        ),
    ],
)
def test_errors_are_one_line_with_their_exit_code_and_no_total(
    built: Path, args: list[str], code: int, message: str
) -> None:
    exit_code, out, err = run(*args, "--source", str(built))
    assert exit_code == code and out == ""
    assert err.count("\n") == 1 and err.startswith("modelatlas: error: ") and message in err


def test_a_response_file_that_is_not_json_is_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "reply.json"
    bad.write_text("<html>")
    code, out, err = run("--response", str(bad), "--provider", "openai")
    assert (code, out) == (2, "") and "is not JSON" in err


def test_a_response_file_too_deep_or_too_big_is_exit_2_without_reading_it_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    code, out, err = run("--response", str(deep), "--provider", "openai")
    assert (code, out) == (2, "") and "nested too deeply" in err and err.count("\n") == 1
    monkeypatch.setattr(cost_cmd, "MAX_RESPONSE_BYTES", 1 << 20)
    code, out, err = run("--response", "/dev/zero", "--provider", "openai")  # endless: never read whole
    assert (code, out) == (2, "") and "is over 1 MiB" in err and err.count("\n") == 1


def test_cheapest_without_a_build_says_how_to_get_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run("--cheapest", FAMILY, "--input-tokens", "1")
    assert (code, out) == (2, "") and "run 'modelatlas build'" in err


def test_a_real_process_prices_the_bundled_snapshot_from_any_folder(tmp_path: Path) -> None:
    document = json.loads((REPO / "data" / "providers" / "mistral.json").read_text(encoding="utf-8"))
    record = next(
        m
        for m in document["models"]
        if {"prompt", "completion"} <= set(m.get("pricing", {})) and "request" not in m["pricing"]
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "modelatlas",
            "cost",
            record["id"],
            "--input-tokens",
            "1000",
            "--output-tokens",
            "10",
            "--format",
            "json",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    expected = 1000 * Decimal(record["pricing"]["prompt"]) + 10 * Decimal(record["pricing"]["completion"])
    assert Decimal(json.loads(proc.stdout)["total"]) == expected
    proc = subprocess.run(
        [sys.executable, "-m", "modelatlas", "cost", "mistral/no-such", "--input-tokens", "1"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (proc.returncode, proc.stdout) == (2, "") and len(proc.stderr.splitlines()) == 1
    assert "Traceback" not in proc.stderr
