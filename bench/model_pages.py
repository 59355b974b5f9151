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
    digest = hashlib.sha256()
    started = time.process_time()
    for path, content in pages:
        digest.update(path.encode("utf-8"))
        digest.update(content_bytes(content))
    print(f"{len(pages)} model pages in {time.process_time() - started:.3f} s of CPU; "
          f"sha256 {digest.hexdigest()}")


if __name__ == "__main__":
    main()
