"""The code examples of README.md and docs/*.md, found and run (see tests/test_docs_examples.py).

Every fenced block in ```python, ```sh (or ```bash), ```console or ```js (or ```javascript) is an
example that runs, wherever it sits (indented blocks in lists too), unless the line just before its
opening fence is ``<!-- not-run: <reason> -->``. Blocks in other languages (json, yaml, text, none)
are shown, not run. docs/architecture.md ("Examples in the docs are tests") says the same for
whoever writes docs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

RUNNERS = {"python": "python", "sh": "sh", "bash": "sh", "console": "console", "js": "js", "javascript": "js"}
_FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<language>[A-Za-z0-9_+-]*)[ \t]*$")
_NOT_RUN = re.compile(r"^\s*<!--\s*not-run:\s*(?P<reason>\S.*?)\s*-->\s*$")


@dataclass(frozen=True)
class Example:
    path: Path
    line: int  # of the opening fence, 1-based
    language: str  # a key of RUNNERS
    code: str
    not_run: str | None  # the reason, when marked

    @property
    def name(self) -> str:
        return f"{self.path.name}:{self.line}:{self.language}"


def examples(path: Path) -> list[Example]:
    """Every runnable-language block of one Markdown file, marked or not."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found: list[Example] = []
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        indent, language = opening["indent"], opening["language"].lower()
        end = next((i for i in range(index + 1, len(lines)) if lines[i].strip() == "```"), len(lines))
        if language in RUNNERS:
            body = [line.removeprefix(indent) for line in lines[index + 1 : end]]
            marker = _NOT_RUN.match(lines[index - 1]) if index else None
            reason = marker["reason"] if marker else None
            found.append(Example(path, index + 1, RUNNERS[language], "\n".join(body) + "\n", reason))
        index = end + 1
    return found


def console_commands(code: str) -> str:
    """The commands of a ```console block: its ``$ `` lines (the others are output)."""
    return "".join(line[2:] + "\n" for line in code.splitlines() if line.startswith("$ "))
