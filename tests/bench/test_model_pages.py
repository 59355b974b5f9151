"""bench/model_pages.py renders exactly the model pages a build writes (the digest it prints is the
build's pages'), so a change it says keeps every page does. Data: tests/fixtures/site."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.model_pages import pages_digest
from modelatlas.render.build import assemble
from tests.paths import FIXTURES, REPO


def test_the_digest_printed_is_the_built_model_pages(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assemble(FIXTURES / "site", out)
    pages = sorted((out / "model").rglob("*.html"))
    built = {path.relative_to(out).as_posix(): path.read_bytes() for path in pages}
    assert len(built) >= 5
    done = subprocess.run([sys.executable, str(REPO / "bench" / "model_pages.py"), str(FIXTURES / "site")],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith(f"{len(built)} model pages in ")
    assert done.stdout.rstrip().endswith(f"sha256 {pages_digest(built)}")
    assert pages_digest({**built, "model/x.html": b""}) != pages_digest(built)
