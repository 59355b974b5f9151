"""modelatlas notify against a local fake of the GitHub REST API: opens, updates, closes one issue."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from modelatlas.cli import cli
from modelatlas.datastore import new_provider_doc
from modelatlas.publish.notify import nights_stale
from tests.provider_files import write_provider

TOKEN = "ghs_test-token-0123456789"
REPO = "/repos/acme/atlas"


class FakeGitHub:
    """Issues, comments and workflow enabling, kept in memory; every call must carry the token."""

    def __init__(self, server: HTTPServer) -> None:
        self.issues: dict[int, dict[str, Any]] = {
            1: {"number": 1, "title": "unrelated", "body": "", "state": "open", "labels": []},
            2: {"number": 2, "title": "a PR", "body": "", "state": "open", "labels": [], "pull_request": {}},
        }
        self.comments: list[tuple[int, str]] = []
        self.enabled: list[str] = []
        self.calls: list[str] = []
        route = server.expect_request
        route(f"{REPO}/issues", method="GET").respond_with_handler(self.list_issues)
        route(f"{REPO}/issues", method="POST").respond_with_handler(self.create)
        route(re.compile(rf"^{REPO}/issues/\d+$"), method="PATCH").respond_with_handler(self.update)
        route(re.compile(rf"^{REPO}/issues/\d+/comments$"), method="POST").respond_with_handler(self.comment)
        route(re.compile(rf"^{REPO}/actions/workflows/[\w.-]+/enable$"), method="PUT").respond_with_handler(
            self.enable
        )

    def _authorized(self, request: Request) -> Response | None:
        self.calls.append(f"{request.method} {request.path}")
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return Response(json.dumps({"message": "Bad credentials"}), 401, content_type="application/json")
        return None

    @staticmethod
    def _json(body: Any, status: int = 200) -> Response:
        return Response(json.dumps(body), status, content_type="application/json")

    @staticmethod
    def _number(request: Request) -> int:
        return int(request.path.split("/")[5])

    def list_issues(self, request: Request) -> Response:
        denied = self._authorized(request)
        if denied:
            return denied
        label = request.args.get("labels")
        state = request.args.get("state", "open")
        found = [
            {**issue, "labels": [{"name": name} for name in issue["labels"]]}
            for issue in self.issues.values()
            if issue["state"] == state and (not label or label in issue["labels"] or "pull_request" in issue)
        ]
        return self._json(found)

    def create(self, request: Request) -> Response:
        denied = self._authorized(request)
        if denied:
            return denied
        body = request.get_json()
        number = max(self.issues) + 1
        self.issues[number] = {
            "number": number,
            "title": body["title"],
            "body": body["body"],
            "state": "open",
            "labels": body.get("labels", []),
        }
        return self._json(self.issues[number], 201)

    def update(self, request: Request) -> Response:
        denied = self._authorized(request)
        if denied:
            return denied
        issue = self.issues[self._number(request)]
        issue.update({k: v for k, v in request.get_json().items() if k in ("title", "body", "state")})
        return self._json(issue)

    def comment(self, request: Request) -> Response:
        denied = self._authorized(request)
        if denied:
            return denied
        self.comments.append((self._number(request), request.get_json()["body"]))
        return self._json({"id": len(self.comments)}, 201)

    def enable(self, request: Request) -> Response:
        denied = self._authorized(request)
        if denied:
            return denied
        self.enabled.append(request.path.split("/")[-2])
        return Response(status=204)

    def alerts(self) -> list[dict[str, Any]]:
        return [i for i in self.issues.values() if "nightly-alert" in i["labels"]]


def write_status(data: Path, provider: str, **status: Any) -> None:
    base = {"source": "provider_api", "count": 0, "stale": False, "last_refresh": "2026-11-27T03:17:00Z"}
    write_provider(data, new_provider_doc(provider, [], {**base, **status}))


def stale_since(data: Path, provider: str, last_attempt: str) -> None:
    write_status(
        data, provider, stale=True, reason="live refresh failed: HTTP 403", last_attempt=last_attempt
    )


@pytest.fixture()
def github(httpserver: HTTPServer) -> FakeGitHub:
    return FakeGitHub(httpserver)


def notify(httpserver: HTTPServer, data: Path, *extra: str, token: str = TOKEN) -> Any:
    args = ["notify", "--data", str(data), "--repository", "acme/atlas", "--api-url", httpserver.url_for("/")]
    return CliRunner().invoke(cli, [*args, *extra], env={"GITHUB_TOKEN": token}, catch_exceptions=False)


def test_nights_stale_counts_days_since_the_last_good_list() -> None:
    assert nights_stale({"last_refresh": "2026-11-27T03:17:00Z", "last_attempt": "2026-11-30T03:20:00Z"}) == 3
    assert nights_stale({"last_refresh": "2026-11-27T03:17:00Z", "last_attempt": "2026-11-27T09:00:00Z"}) == 1
    assert nights_stale({"last_attempt": "2026-11-30T03:20:00Z"}) == 1  # never refreshed: counts from now


def test_opens_updates_and_closes_one_issue(
    tmp_path: Path, httpserver: HTTPServer, github: FakeGitHub
) -> None:
    data = tmp_path / "data"
    write_status(data, "openai")
    stale_since(data, "vertex", "2026-11-28T03:20:00Z")  # 1 night: below the default of 2

    quiet = notify(httpserver, data)
    assert quiet.exit_code == 0, quiet.output
    assert github.alerts() == [] and "no alert; stale nights below 2: vertex 1" in quiet.output

    stale_since(data, "vertex", "2026-11-29T03:20:00Z")  # 2 nights: open (unless the bar is higher)
    assert notify(httpserver, data, "--nights", "3").exit_code == 0 and github.alerts() == []
    opened = notify(httpserver, data)
    assert opened.exit_code == 0, opened.output
    (issue,) = github.alerts()
    assert issue["title"] == "catalog stale: vertex 2 nights" and issue["state"] == "open"
    assert "| vertex | 2 | 2026-11-27T03:17:00Z | live refresh failed: HTTP 403 |" in issue["body"]
    assert f"opened issue #{issue['number']}" in opened.output

    stale_since(data, "vertex", "2026-11-30T03:20:00Z")  # 3 nights: the same issue, updated
    failed_run = notify(httpserver, data, "--run-result", "failure", "--run-url", "https://ci.example/run/7")
    assert failed_run.exit_code == 0, failed_run.output
    assert [i["number"] for i in github.alerts()] == [issue["number"]]
    assert issue["title"] == "nightly run failed; catalog stale: vertex 3 nights"
    assert "https://ci.example/run/7" in issue["body"]
    assert github.comments == [(issue["number"], f"Now: {issue['title']}")]

    write_status(data, "vertex")  # fresh again, run fine: closed with a comment
    closed = notify(httpserver, data)
    assert closed.exit_code == 0, closed.output
    assert issue["state"] == "closed" and github.comments[-1][1].startswith("Every provider is fresh")
    assert github.issues[1]["state"] == "open" and github.issues[2]["state"] == "open"  # others untouched

    calls = len(github.calls)
    idle = notify(httpserver, data)
    assert idle.exit_code == 0 and "every provider fresh, no alert open" in idle.output
    # nothing open, nothing stale: one lookup only
    assert github.calls[calls:] == [f"GET {REPO}/issues"]


def test_a_failed_run_alone_opens_the_issue_and_keepalive_enables_the_schedule(
    tmp_path: Path, httpserver: HTTPServer, github: FakeGitHub
) -> None:
    data = tmp_path / "data"
    write_status(data, "openai")
    result = notify(httpserver, data, "--run-result", "failure", "--keepalive-workflow", "nightly.yml")
    assert result.exit_code == 0, result.output
    (issue,) = github.alerts()
    assert issue["title"] == "nightly run failed"
    assert github.enabled == ["nightly.yml"]


def test_a_refused_token_is_one_line_and_never_printed(
    tmp_path: Path, httpserver: HTTPServer, github: FakeGitHub
) -> None:
    data = tmp_path / "data"
    write_status(data, "openai")
    result = notify(httpserver, data, "--run-result", "failure", token="ghs_wrong-token-000")
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"modelatlas: error: GitHub API GET {REPO}/issues answered 401: Bad credentials"
    )
    assert "ghs_" not in result.output
    missing = CliRunner().invoke(
        cli, ["notify", "--data", str(data), "--repository", "acme/atlas"], env={"GITHUB_TOKEN": ""}
    )
    assert missing.exit_code == 2 and "no GITHUB_TOKEN set" in missing.output


def test_notify_runs_as_a_real_subprocess(tmp_path: Path, httpserver: HTTPServer, github: FakeGitHub) -> None:
    data = tmp_path / "data"
    stale_since(data, "bedrock", "2026-11-30T03:20:00Z")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "modelatlas",
            "notify",
            "--data",
            str(data),
            "--api-url",
            httpserver.url_for("/"),
        ],
        env={**_env(), "GITHUB_TOKEN": TOKEN, "GITHUB_REPOSITORY": "acme/atlas"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert github.alerts()[0]["title"] == "catalog stale: bedrock 3 nights"
    assert TOKEN not in done.stdout + done.stderr


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
