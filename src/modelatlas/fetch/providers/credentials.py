"""The credentials the registry declares, and the one :class:`~modelatlas.config.Scrubber` of their values.

A provider declares every setting it reads (``env_vars``, ``credentials``) and which of them are not
secrets (``public_settings``: a region, a host, an endpoint URL); every other one is a credential.
Their values, read through :class:`~modelatlas.config.Settings`, are scrubbed from everything the tool
prints (stdout, stderr, status reasons) and writes (data files, the catalogs' last good copies,
build files). Nothing is decided by a variable's name: ``AWS_BEARER_TOKEN_BEDROCK`` is a secret
because Bedrock declares it, and a setting nobody declares is not scrubbed.
"""

from __future__ import annotations

from pathlib import Path

from modelatlas.config import Scrubber, Settings, load_settings
from modelatlas.errors import InputError
from modelatlas.fetch.providers import registry

# The tool's own credential (``publish``/``notify`` talk to GitHub with it): a secret like the providers'.
TOOL_CREDENTIALS = ("GITHUB_TOKEN",)


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
    that take no ``--config``; an unreadable config file leaves the environment's values."""
    try:
        return scrubber(load_settings())
    except InputError:
        return scrubber(load_settings(config_file=False))


def credential_files(folder: Path, scrubber: Scrubber) -> tuple[str, ...]:
    """The files under ``folder`` (relative posix paths, sorted) holding a credential's value."""
    if not scrubber or not folder.is_dir():
        return ()
    files = sorted(path for path in folder.rglob("*") if path.is_file())
    return tuple(path.relative_to(folder).as_posix() for path in files if scrubber.leaks(path.read_bytes()))
