"""``modelatlas notify``: one GitHub issue that says when the nightly needs a human.

Nights stale come from the committed data alone: a stale provider's status block keeps
``last_refresh`` (its last good list) while each failed night moves ``last_attempt``, so
``date(last_attempt) - date(last_refresh)`` is how many nights it has been stale (at least 1).
publish commits the status blocks every night, so the count survives from run to run without a
counter of its own.

When the run failed, or any provider has been stale for ``threshold`` nights or more, the one
open issue labelled :data:`LABEL` is opened or updated (title and body; a comment when the title
changes, so watchers hear each new night). Once the run succeeded and no provider is stale,
the issue gets a closing comment and is closed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

from modelatlas.datastore import load_all
from modelatlas.publish.github_api import GitHubApi, Repository

LABEL = "nightly-alert"
MARKER = "<!-- modelatlas:nightly-alert -->"
DEFAULT_THRESHOLD = 2


class Action(Enum):
    NONE = "nothing to do"
    OPENED = "opened"
    UPDATED = "updated"
    CLOSED = "closed"


@dataclass(frozen=True)
class StaleProvider:
    provider: str
    nights: int
    last_refresh: str | None
    reason: str


@dataclass
class Health:
    run_failed: bool = False
    run_url: str | None = None
    stale: list[StaleProvider] = field(default_factory=list)

    def alerting(self, threshold: int) -> list[StaleProvider]:
        return [s for s in self.stale if s.nights >= threshold]

    @property
    def all_fresh(self) -> bool:
        return not self.run_failed and not self.stale


@dataclass(frozen=True)
class Outcome:
    action: Action
    number: int | None = None
    title: str = ""


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def nights_stale(status: dict[str, Any]) -> int:
    """Nights a stale provider has gone without a good list (1 on its first failed night)."""
    good, tried = _day(status.get("last_refresh")), _day(status.get("last_attempt"))
    if good is None or tried is None:
        return 1
    return max(1, (tried - good).days)


def read_health(data_dir: Path, run_failed: bool = False, run_url: str | None = None) -> Health:
    health = Health(run_failed, run_url)
    for provider, doc in load_all(data_dir).items():
        status = doc.get("status", {})
        if status.get("stale"):
            health.stale.append(
                StaleProvider(
                    provider, nights_stale(status), status.get("last_refresh"), str(status.get("reason", ""))
                )
            )
    return health


def issue_title(health: Health, threshold: int) -> str:
    parts = ["nightly run failed"] if health.run_failed else []
    alerting = health.alerting(threshold) or health.stale
    if alerting:
        listed = ", ".join(f"{s.provider} {s.nights} night{'s' if s.nights > 1 else ''}" for s in alerting)
        parts.append(f"catalog stale: {listed}")
    return "; ".join(parts) or "catalog: all providers fresh"


def issue_body(health: Health, threshold: int) -> str:
    lines = [MARKER, ""]
    if health.run_failed:
        lines += [f"The last nightly run failed: {health.run_url or 'see the Actions tab'}.", ""]
    if health.stale:
        lines += [
            f"Providers stale (an alert from {threshold} nights on); each keeps its last good list:",
            "",
            "| provider | nights stale | last good refresh | reason |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {s.provider} | {s.nights} | {s.last_refresh or 'never'} | {_cell(s.reason)} |"
            for s in health.stale
        ]
        lines.append("")
    lines.append("This issue closes itself once a nightly run succeeds with every provider fresh.")
    lines.append("What to check: docs/operations.md, section 'When the nightly alerts'.")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())[:300]


def find_alert(api: GitHubApi, repo: Repository) -> dict[str, Any] | None:
    """The open alert issue (labelled and marked; pull requests are not issues here)."""
    issues = api.call(
        "GET", f"{repo.path}/issues", params={"state": "open", "labels": LABEL, "per_page": 100}
    )
    for issue in issues or []:
        if "pull_request" not in issue and MARKER in (issue.get("body") or ""):
            return dict(issue)
    return None


def notify(api: GitHubApi, repo: Repository, health: Health, threshold: int = DEFAULT_THRESHOLD) -> Outcome:
    issue = find_alert(api, repo)
    if health.all_fresh:
        if issue is None:
            return Outcome(Action.NONE)
        number = int(issue["number"])
        api.call(
            "POST",
            f"{repo.path}/issues/{number}/comments",
            body={"body": "Every provider is fresh again; closing."},
        )
        api.call(
            "PATCH", f"{repo.path}/issues/{number}", body={"state": "closed", "state_reason": "completed"}
        )
        return Outcome(Action.CLOSED, number, issue.get("title", ""))
    wanted = health.run_failed or bool(health.alerting(threshold))
    if issue is None and not wanted:
        return Outcome(Action.NONE)
    title, body = issue_title(health, threshold), issue_body(health, threshold)
    if issue is None:
        created = api.call(
            "POST", f"{repo.path}/issues", body={"title": title, "body": body, "labels": [LABEL]}
        )
        return Outcome(Action.OPENED, int(created["number"]), title)
    number = int(issue["number"])
    if issue.get("title") != title or issue.get("body") != body:
        api.call("PATCH", f"{repo.path}/issues/{number}", body={"title": title, "body": body})
    if issue.get("title") != title:
        api.call("POST", f"{repo.path}/issues/{number}/comments", body={"body": f"Now: {title}"})
    return Outcome(Action.UPDATED, number, title)


def keep_schedule_enabled(api: GitHubApi, repo: Repository, workflow: str) -> None:
    """Re-enable the scheduled workflow (a no-op when enabled; no commit needed), so GitHub's
    60-day inactivity rule never switches the schedule off."""
    api.call("PUT", f"{repo.path}/actions/workflows/{workflow}/enable")
