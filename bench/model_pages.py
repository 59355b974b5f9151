"""A data folder's model pages rendered in one process, as the build renders them: the CPU seconds
they took and the SHA-256 of all their bytes (a change must leave it as it was). For a count of
instructions, which the host's load does not move:

    valgrind --tool=callgrind --callgrind-out-file=/dev/null python bench/model_pages.py data
    valgrind --tool=callgrind --callgrind-out-file=/dev/null python bench/model_pages.py data --load-only

The build process's total ("Collected") of the first, less that of the second, is the pages'.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import time
from pathlib import Path

from modelatlas.render import html
from modelatlas.render.build import load_catalog
from modelatlas.render.lazy import Lazy
from modelatlas.render.output import content_bytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, help="a data folder (e.g. data)")
    parser.add_argument("--load-only", action="store_true", help="load the catalog and stop")
    args = parser.parse_args()
    catalog = load_catalog(args.data)
    gc.freeze()  # as the output stage does: collections skip the catalog
    if args.load_only:
        return
    pages = [(path, content) for path, content in html.render(catalog)
             if path.startswith("model/") and isinstance(content, Lazy)]
    started = time.process_time()
    rendered = {path: content_bytes(content) for path, content in pages}  # in the build's order
    seconds = time.process_time() - started
    print(f"{len(pages)} model pages in {seconds:.3f} s of CPU; sha256 {pages_digest(rendered)}")


def pages_digest(pages: dict[str, bytes]) -> str:
    """The SHA-256 of pages by path: each path and its bytes, in path order."""
    digest = hashlib.sha256()
    for path in sorted(pages):
        digest.update(f"{path}\0{len(pages[path])}\0".encode())
        digest.update(pages[path])
    return digest.hexdigest()


if __name__ == "__main__":
    main()
