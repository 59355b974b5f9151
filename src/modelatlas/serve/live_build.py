"""The build being served, picked up again after every rebuild without a restart.

Each request that needs the model index compares a cheap signature (stat of the manifest,
``v1/models.json`` and ``v1/index.json``) with the loaded one. On a difference one thread reloads
while the others wait for it, and the new index replaces the old in a single assignment, so every
request sees one whole build. A build caught half-written (unreadable) keeps the old index until
the files change again.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from modelatlas.errors import InputError
from modelatlas.serve.model_index import ModelIndex, Signature, build_signature


class LiveBuild:
    def __init__(self, build_dir: Path) -> None:
        self.root = build_dir.resolve()
        self._index = ModelIndex.load(self.root)
        self._failed: Signature | None = None
        self._lock = threading.Lock()

    def index(self) -> ModelIndex:
        """The index of the newest complete build in the folder."""
        signature = build_signature(self.root)
        if signature in (self._index.signature, self._failed):
            return self._index
        with self._lock:
            if signature not in (self._index.signature, self._failed):
                try:
                    self._index = ModelIndex.load(self.root)
                except InputError as exc:
                    self._failed = signature
                    print(f"modelatlas serve: keeping the previous build: {exc}", file=sys.stderr)
        return self._index
