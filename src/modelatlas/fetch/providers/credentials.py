"""The credentials the registry declares, and the one :class:`~modelatlas.config.Scrubber` of their values.

A provider declares every setting it reads (``env_vars``, ``credentials``) and which of them are not
secrets (``public_settings``: a region, a host, an endpoint URL); every other one is a credential.
Their values, read through :class:`~modelatlas.config.Settings`, are scrubbed from everything the tool
prints (stdout, stderr, status reasons) and writes (data files, the catalogs' last good copies,
build files). Nothing is decided by a variable's name: ``AWS_BEARER_TOKEN_BEDROCK`` is a secret
because Bedrock declares it, and a setting nobody declares is not scrubbed.
"""

from __future__ import annotations

import re
from pathlib import Path

from modelatlas.config import CREDENTIALS_VAR, Scrubber, Settings, load_settings, read_credentials
from modelatlas.errors import InputError
from modelatlas.fetch.providers import registry

# The tool's own credential (``publish``/``notify`` talk to GitHub with it): a secret like the providers'.
TOOL_CREDENTIALS = ("GITHUB_TOKEN",)
_BUNDLE_WORDS = re.compile(r"[\s:=,;\"'{}\[\]]+")  # what separates the names and values of a bundle


def credential_settings() -> tuple[str, ...]:
    """Every setting declared as a credential, by any provider or by the tool itself (sorted)."""
    names = {name for provider in registry.PROVIDERS for name in provider.secret_settings}
    return tuple(sorted(names | set(TOOL_CREDENTIALS)))


def scrubber(settings: Settings) -> Scrubber:
    """The scrubber of the values ``settings`` gives the declared credentials, and of every value the
    credentials bundle (``$MODELATLAS_CREDENTIALS``) holds: a value kept in the secret store is a secret."""
    names = set(credential_settings()) | settings.bundled
    return Scrubber(value for name in sorted(names) if (value := settings.get(name)))


def process_scrubber() -> Scrubber:
    """The scrubber of this process's settings (environment over ``$MODELATLAS_CONFIG``), for stages
    that take no ``--config`` and for everything the process prints. It never fails: an unreadable
    config file leaves the environment's values, and settings that cannot be read at all (a typed
    variable that is not a number, a malformed credentials bundle) leave what the environment and
    the bundle hold, so the error saying so can still be printed."""
    try:
        return scrubber(load_settings())
    except InputError:
        pass
    try:
        return scrubber(load_settings(config_file=False))
    except InputError:
        return _environment_scrubber()


def _environment_scrubber() -> Scrubber:
    """The declared credentials' values in the environment, and the bundle's values; every word of a
    bundle that does not parse but the credentials' names (any other could be the secret)."""
    names = credential_settings()
    values = [value for name in names if (value := Settings.environment_value(name))]
    bundle = Settings.environment_value(CREDENTIALS_VAR)
    if bundle:
        try:
            values.extend(value.strip() for value in read_credentials(bundle).values())
        except InputError:
            values.extend(word for word in _BUNDLE_WORDS.split(bundle) if word not in names)
    return Scrubber(values)


def credential_files(folder: Path, scrubber: Scrubber) -> tuple[str, ...]:
    """The files under ``folder`` (relative posix paths, sorted) holding a credential's value."""
    if not scrubber or not folder.is_dir():
        return ()
    files = sorted(path for path in folder.rglob("*") if path.is_file())
    return tuple(path.relative_to(folder).as_posix() for path in files if scrubber.leaks(path.read_bytes()))
