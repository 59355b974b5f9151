"""A small client for the few GitHub REST endpoints the nightly uses (issues, workflow enable).

The token comes from the ``GITHUB_TOKEN`` setting and is only ever put in the ``Authorization``
header: error messages name the method, path, status and GitHub's own message, never a header.
The API URL is ``GITHUB_API_URL`` (set by Actions; GitHub Enterprise too), overridable for tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests

from modelatlas.config import Settings
from modelatlas.errors import InputError, ModelatlasError

DEFAULT_API_URL = "https://api.github.com"
API_VERSION = "2022-11-28"
TIMEOUT = (10.0, 30.0)


@dataclass(frozen=True)
class Repository:
    owner: str
    name: str

    @classmethod
    def parse(cls, text: str) -> Repository:
        owner, _, name = text.partition("/")
        if not owner or not name or "/" in name:
            raise InputError(
                f"repository {text!r} is not owner/name; pass --repository or set GITHUB_REPOSITORY"
            )
        return cls(owner, name)

    @property
    def path(self) -> str:
        return f"/repos/{self.owner}/{self.name}"


class GitHubApi:
    def __init__(self, api_url: str, token: str) -> None:
        if not token:
            raise InputError("no GITHUB_TOKEN set; the workflow passes ${{ github.token }} (issues: write)")
        self.api_url = api_url.rstrip("/")
        self._session = requests.Session()
        self._session.headers.update(
            {
                "Authorization": f"Bearer {token}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": API_VERSION,
                "User-Agent": "modelatlas-notify",
            }
        )

    @classmethod
    def from_settings(cls, settings: Settings, api_url: str | None = None) -> GitHubApi:
        """The client for ``api_url`` (else ``GITHUB_API_URL``, else github.com) with ``GITHUB_TOKEN``."""
        url = api_url or settings.get("GITHUB_API_URL") or DEFAULT_API_URL
        return cls(url, settings.get("GITHUB_TOKEN") or "")

    def __enter__(self) -> GitHubApi:
        return self

    def __exit__(self, *exc: object) -> None:
        self._session.close()

    def call(self, method: str, path: str, *, params: dict[str, Any] | None = None, body: Any = None) -> Any:
        """The decoded JSON answer (None for 204); ModelatlasError with one line otherwise."""
        try:
            response = self._session.request(
                method, self.api_url + path, params=params, json=body, timeout=TIMEOUT, allow_redirects=False
            )
        except requests.RequestException as exc:
            raise ModelatlasError(f"GitHub API {method} {path} failed ({type(exc).__name__})") from None
        with response:
            if not response.ok:
                raise ModelatlasError(
                    f"GitHub API {method} {path} answered {response.status_code}: {_message(response)}"
                )
            if not response.content:  # 204 No Content (e.g. enabling a workflow)
                return None
            try:
                return response.json()
            except ValueError:
                raise ModelatlasError(f"GitHub API {method} {path}: the answer is not JSON") from None


def _message(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.reason or "no message"
    message = body.get("message") if isinstance(body, dict) else None
    return " ".join(str(message).split())[:200] if message else response.reason or "no message"
