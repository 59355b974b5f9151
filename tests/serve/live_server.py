"""A fixture build and ``modelatlas serve`` over it as a real subprocess on a free local port."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from modelatlas.render import RENDERER_MODULES
from modelatlas.render.build import assemble
from tests.paths import FIXTURES, REPO

DATA = FIXTURES / "data_small"
API_RENDERERS = [name for name in RENDERER_MODULES if name != "modelatlas.render.html"]
_SERVING = re.compile(r"at (http://[0-9.]+:[0-9]+)/")


def build_api(out: Path, page_size: int = 5) -> Path:
    """Every file of the fixture catalog but the HTML site's pages in ``out``."""
    assemble(DATA, out, page_size=page_size, renderer_names=API_RENDERERS)
    return out


@contextmanager
def serve_subprocess(build_dir: Path) -> Iterator[str]:
    """``modelatlas serve --port 0`` over ``build_dir``; yields its base URL (no trailing slash)."""
    paths = os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": paths}
    command = [sys.executable, "-m", "modelatlas", "serve", "--dir", str(build_dir), "--port", "0", "--quiet"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        found = _SERVING.search(line)
        assert found, f"serve did not start: {line!r} {process.stderr.read() if process.stderr else ''}"
        yield found.group(1)
    finally:
        process.terminate()
        process.wait(timeout=10)
