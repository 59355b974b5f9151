"""The site's templates compiled once per version of the code, and kept in the cache folder.

Every build needs all of them compiled (:func:`~modelatlas.render.templates.compiled_templates`):
a tenth of a second of CPU, the same every time the code is the same. As Python keeps a module's
bytecode, the command line keeps them in ``templates/<code fingerprint>.bin`` of the cache folder
(:func:`~modelatlas.config.cache_folder`), written by the build that compiled them; a later build
of the same code (the fingerprint covers every module, template and template library file:
:func:`~modelatlas.render.input_keys.code_fingerprint`) reads them instead. Only a regular file
owned by the user running the build and writable by no one else is read (it holds code), and
Jinja still checks each template against its source. Anything else (no file, another user's, a
corrupt one, a folder that cannot be written) only costs compiling them again, in a forked process
while the catalog loads (or in the build's, if that one is not done when the catalog is loaded). A
build that keeps a new file removes the other versions' files.
"""

from __future__ import annotations

import marshal
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from modelatlas.cpus import made_beside
from modelatlas.render.input_keys import code_fingerprint
from modelatlas.render.templates import compiled_templates

_KEPT_NAME = re.compile(r"[0-9a-f]{32}\.bin")  # one code version's file (a 16-byte fingerprint)


@contextmanager
def compiled_meanwhile(folder: Path | None) -> Iterator[Callable[[], bytes | None]]:
    """The compiled templates (as :func:`~modelatlas.render.templates.use_compiled` takes them): the
    block gets a function that returns those kept in ``folder`` for this code, else those a process
    forked on entry has compiled (or, if it has not yet, this one), kept for the next build. With
    ``folder`` None nothing is kept, and the function returns None if that process is not done yet
    (then each template is compiled when it is first needed)."""
    name = f"{code_fingerprint().hex()}.bin"
    kept = _read(folder / name) if folder is not None else None
    if kept is not None:
        yield lambda: kept
        return
    with made_beside(compiled_templates) as made:
        def compiled() -> bytes | None:
            data = made()
            if folder is None:
                return data
            if data is None:  # not made yet (a small catalog loads in no time): made here, to keep
                data = compiled_templates()
            _keep(folder, name, data)
            return data

        yield compiled


def _read(path: Path) -> bytes | None:
    """The file's bytes if it is a regular file of this user that no one else may write, and holds
    compiled templates; else None."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        owner = os.getuid() if hasattr(os, "getuid") else info.st_uid
        others_may_write = info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != owner or others_may_write:
            return None
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    finally:
        os.close(fd)
    try:
        code = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None
    if not isinstance(code, dict) or not all(type(k) is str and type(v) is bytes for k, v in code.items()):
        return None
    return data


def _keep(folder: Path, name: str, data: bytes) -> None:
    """Write ``data`` as ``folder/name`` in one step, and remove the other versions' files; a folder
    that cannot be written keeps nothing (the next build compiles them again). Always a new file:
    not :func:`~modelatlas.datastore.write_atomic`, which leaves a file with the same bytes as it is
    (a file refused for its mode or for being a link would stay refused)."""
    with suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")  # mode 0600
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temporary, folder / name)
        except OSError:
            Path(temporary).unlink(missing_ok=True)
            raise
        for other in folder.iterdir():
            if other.name != name and _KEPT_NAME.fullmatch(other.name):
                other.unlink(missing_ok=True)
