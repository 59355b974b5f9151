"""Settings: provider credentials, HTTP limits and every other variable modelatlas reads.

:class:`Settings` is the only reader of the process environment: :func:`load_settings` for a
command's whole settings, :meth:`Settings.environment_value` for the few variables read where no
loaded settings are at hand (the schema and cache folders, a catalog's location, ``CI``).

Where a value comes from, first that has it: the real environment; the credentials bundle
``$MODELATLAS_CREDENTIALS`` (a YAML or JSON mapping of variable names to values, e.g. one CI
secret holding every provider key); the ``env`` section of the YAML file. The YAML file
(``--config PATH`` or ``$MODELATLAS_CONFIG``) may hold::

    env:                 # credentials, base URLs, the cache folder; the real environment wins
      OPENAI_API_KEY: sk-...
      MODELATLAS_OPENAI_BASE_URL: http://127.0.0.1:9001/v1
    http:
      connect_timeout: 5     # seconds
      read_timeout: 30
      retries: 3             # extra attempts after the first, on 429/5xx/connection errors
      backoff: 0.5           # first retry delay; doubles each retry (capped at backoff_max)
      backoff_max: 8
      retry_after_cap: 30    # a longer Retry-After is shortened to this
      deadline: 120          # per provider, all pages and retries included (wall clock, every byte)
      catalog_deadline: 180  # per public catalog, every file and retry included
      max_response_mb: 32
    fetch:
      shrink_limit: 0.3      # hold a provider back if it lost more than this share of its models
      workers: 16

The same HTTP and fetch settings come from ``MODELATLAS_HTTP_<KEY>`` / ``MODELATLAS_FETCH_<KEY>``
env vars (e.g. ``MODELATLAS_HTTP_BACKOFF=0.01``). Read from the process environment only (through
:meth:`Settings.environment_value`), never from the file or the bundle: the catalogs' locations
(``MODELATLAS_<CATALOG>_URL``), ``MODELATLAS_SOURCE_DATES``, ``MODELATLAS_SCHEMA_DIR``, ``CI``.

Secret values are never printed or written:
which settings are secrets is declared by the provider registry (and every value of the credentials
bundle is one), and :func:`modelatlas.fetch.providers.credentials.scrubber` builds the one
:class:`Scrubber` of their values; the bundle's text is never kept, shown or quoted in an error.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from modelatlas import regular_files, yamlio
from modelatlas.errors import InputError

CREDENTIALS_VAR = "MODELATLAS_CREDENTIALS"
CONFIG_VAR = "MODELATLAS_CONFIG"
_VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
CACHE_ENV = "MODELATLAS_CACHE_DIR"
# Credentials that travel in URLs: ?key=..., &api_key=..., access_token=..., X-Amz-Signature=...
_URL_SECRET = re.compile(
    r"(?i)([?&;](?:key|api[_-]?key|access[_-]?token|token|x-amz-signature|x-amz-credential|sig)=)[^&#\s\"']+"
)
_BEARER = re.compile(r"(?i)\b(bearer\s+)[A-Za-z0-9._~+/=-]{8,}")
REDACTED = "***"


@dataclass(frozen=True)
class HttpSettings:
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    retries: int = 3
    backoff: float = 0.5
    backoff_max: float = 8.0
    retry_after_cap: float = 30.0
    deadline: float = 120.0
    max_response_mb: float = 32.0
    catalog_deadline: float = 180.0

    @property
    def max_response_bytes(self) -> int:
        return int(self.max_response_mb * 1024 * 1024)


@dataclass(frozen=True)
class FetchSettings:
    shrink_limit: float = 0.3
    workers: int = 16


class Scrubber:
    """Removes secret values (and, from messages, credential-looking URL parameters) from text.

    The values are the credentials the provider registry declares; which settings hold secrets is
    never guessed from a variable's name.
    """

    MIN_LENGTH = 6  # shorter values (e.g. "1") would shred ordinary text and are not credentials

    def __init__(self, secrets: Iterable[str]) -> None:
        # Longest first so a secret containing another is removed whole.
        self._secrets = sorted({s for s in secrets if len(s) >= self.MIN_LENGTH}, key=len, reverse=True)
        # The forms a value takes in bytes written to disk: as is, and HTML-escaped (``&`` ...).
        forms = {form for s in self._secrets for form in (s, html.escape(s))}
        self._forms = sorted((form.encode("utf-8") for form in forms), key=len, reverse=True)

    def __bool__(self) -> bool:
        return bool(self._secrets)

    def text(self, value: str) -> str:
        """A message with every secret value and credential-looking URL parameter replaced."""
        value = self.values_in(value)
        value = _URL_SECRET.sub(lambda m: m.group(1) + REDACTED, value)
        return _BEARER.sub(lambda m: m.group(1) + REDACTED, value)

    def values_in(self, value: str) -> str:
        """``value`` with every secret value replaced (nothing else changed: for data)."""
        for secret in self._secrets:
            if secret in value:
                value = value.replace(secret, REDACTED)
        return value

    def value(self, value: Any) -> Any:
        """A JSON-like value with every secret value in every string (keys included) replaced."""
        if not self._secrets:
            return value
        if isinstance(value, str):
            return self.values_in(value)
        if isinstance(value, dict):
            return {self.value(k): self.value(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.value(v) for v in value]
        return value

    def bytes(self, data: bytes) -> bytes:
        """``data`` with every secret value (as is or HTML-escaped) replaced."""
        for form in self._forms:
            if form in data:
                data = data.replace(form, REDACTED.encode())
        return data

    def leaks(self, data: bytes) -> bool:
        """Whether any secret occurs in ``data`` (a final check before bytes reach disk)."""
        return any(form in data for form in self._forms)


@dataclass(frozen=True)
class Settings:
    """Every setting's value by variable name (environment over bundle over file), HTTP and fetch limits.

    ``bundled``: the names the credentials bundle holds (each one's value is a secret).
    """

    values: Mapping[str, str] = field(default_factory=dict)
    http: HttpSettings = field(default_factory=HttpSettings)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    bundled: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", MappingProxyType(dict(self.values)))

    def get(self, name: str) -> str | None:
        """A setting's value, or None when unset or blank."""
        value = self.values.get(name)
        if value is None:
            return None
        value = value.strip()
        return value or None

    def first(self, *names: str) -> str | None:
        for name in names:
            value = self.get(name)
            if value is not None:
                return value
        return None

    @staticmethod
    def environment_value(name: str) -> str | None:
        """One variable of the process environment, stripped (None when unset or blank), for the
        settings read where no loaded :class:`Settings` is at hand (folders, ``CI``)."""
        value = os.environ.get(name)
        return value.strip() or None if value is not None else None


def cache_folder(settings: Settings | None = None) -> Path:
    """Where modelatlas keeps copies it may reuse (never inside data/): ``$MODELATLAS_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/modelatlas``, else ``~/.cache/modelatlas`` (from ``settings``, else the environment)."""
    read = settings.get if settings is not None else Settings.environment_value
    override = read(CACHE_ENV)
    if override:
        return Path(override)
    xdg = read("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "modelatlas"


_HTTP_FIELDS: dict[str, type] = {
    "connect_timeout": float,
    "read_timeout": float,
    "retries": int,
    "backoff": float,
    "backoff_max": float,
    "retry_after_cap": float,
    "deadline": float,
    "max_response_mb": float,
    "catalog_deadline": float,
}
_FETCH_FIELDS: dict[str, type] = {"shrink_limit": float, "workers": int}


def _read_config_file(path: Path) -> dict[str, Any]:
    try:
        document = yamlio.safe_load(regular_files.read_text(path))
    except FileNotFoundError:
        raise InputError(f"config file {path} not found; pass an existing --config file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read config file {path}: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise InputError(f"config file {path} is not valid YAML{where}; fix its syntax") from None
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise InputError(f"config file {path}: expected a mapping with env/http/fetch sections")
    unknown = sorted(set(document) - {"env", "http", "fetch"})
    if unknown:
        raise InputError(f"config file {path}: unknown section(s) {', '.join(unknown)}; use env, http, fetch")
    return document


def _section(document: dict[str, Any], name: str, path: Path | None) -> dict[str, Any]:
    section = document.get(name) or {}
    if not isinstance(section, dict):
        raise InputError(f"config file {path}: section {name!r} must be a mapping")
    return section


def _typed(
    fields: dict[str, type], prefix: str, file_values: dict[str, Any], environ: Mapping[str, str], where: str
) -> dict[str, Any]:
    unknown = sorted(set(file_values) - set(fields))
    if unknown:
        raise InputError(f"{where}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(fields)}")
    result: dict[str, Any] = {}
    for name, kind in fields.items():
        env_name = f"{prefix}{name.upper()}"
        raw = environ.get(env_name)
        source = env_name if raw is not None else f"{where} {name}"
        if raw is None:
            raw = file_values.get(name)
        if raw is None:
            continue
        try:
            value = kind(raw)
        except (TypeError, ValueError):
            raise InputError(f"{source}: expected a number, got {raw!r}") from None
        if value < 0 or (kind is float and value != value):
            raise InputError(f"{source}: must not be negative (got {raw!r})")
        result[name] = value
    return result


def _setting_value(where: str, name: str, value: Any) -> str | None:
    """A variable's value from YAML (None when left empty): a string or a number, never a list, a
    mapping or a boolean, which would otherwise reach a provider as their Python spelling."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise InputError(f"{where}: the value of {name} must be a string or a number; fix it")
    return str(value)


def read_credentials(text: str | None) -> dict[str, str]:
    """The credentials bundle: ``{variable name: value}`` from YAML or JSON text (None or blank: none).

    Errors name the variable at most, never a value or the text (the secret may be malformed in a
    way that puts a key where a name should be)."""
    if text is None or not text.strip():
        return {}
    hint = f"{CREDENTIALS_VAR} must be a YAML or JSON mapping of variable names to values"
    try:
        document = yamlio.safe_load(text)
    except yaml.YAMLError:
        raise InputError(f"{hint}; it does not parse (its content is not shown)") from None
    if not isinstance(document, dict):
        raise InputError(f"{hint}; it is not a mapping (its content is not shown)")
    bundle: dict[str, str] = {}
    for position, (name, value) in enumerate(document.items(), start=1):
        if not isinstance(name, str) or not _VARIABLE_NAME.fullmatch(name):
            raise InputError(f"{hint}; entry {position} is not named like a variable (not shown)")
        cleaned = _setting_value(CREDENTIALS_VAR, name, value)
        if cleaned is not None:
            bundle[name] = cleaned
    return bundle


def load_settings(
    environ: Mapping[str, str] | None = None, config_path: Path | None = None, *, config_file: bool = True
) -> Settings:
    """Settings from ``environ`` (default: the process environment) over the credentials bundle over
    the optional YAML file (``config_file=False``: ``$MODELATLAS_CONFIG`` ignored)."""
    environ = dict(os.environ if environ is None else environ)
    bundle = read_credentials(environ.pop(CREDENTIALS_VAR, None))
    if config_path is None and config_file and environ.get(CONFIG_VAR):
        config_path = Path(environ[CONFIG_VAR])
    document = _read_config_file(config_path) if config_path is not None else {}
    file_env = _section(document, "env", config_path)
    values = {
        str(name): value
        for name, raw in file_env.items()
        if (value := _setting_value(f"config file {config_path} env", str(name), raw)) is not None
    }
    values.update(bundle)
    values.update(environ)
    http = _typed(
        _HTTP_FIELDS,
        "MODELATLAS_HTTP_",
        _section(document, "http", config_path),
        environ,
        f"config {config_path} http",
    )
    fetch = _typed(
        _FETCH_FIELDS,
        "MODELATLAS_FETCH_",
        _section(document, "fetch", config_path),
        environ,
        f"config {config_path} fetch",
    )
    if "workers" in fetch and fetch["workers"] < 1:
        raise InputError("fetch workers must be at least 1")
    return Settings(
        values=values, http=HttpSettings(**http), fetch=FetchSettings(**fetch), bundled=frozenset(bundle)
    )
