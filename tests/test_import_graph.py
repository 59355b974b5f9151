"""The import graph of ``src/modelatlas``, read with ``ast``: no cycle among modules or among the
packages, and every import pointing down the layers (the ground floor imports nothing above it).

An edge is an import executed when its module loads: imports inside functions and under
``if TYPE_CHECKING:`` are left out of the cycle checks. Importing ``a.b.c`` also runs the
``__init__`` of ``a.b`` and ``a``, so those count as imported too, except the importer's own
packages (which Python has already started). The layer check reads every import, those inside
functions included: a lazy import that reaches up is still an upward dependency.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.paths import REPO

SRC = REPO / "src"
PACKAGE = "modelatlas"

# Bottom to top; a module may import its own layer and the layers below. The ground floor is the
# package root's own modules; every other unit is a subpackage (or the root module named).
GROUND = "ground floor"
LAYERS: tuple[tuple[str, frozenset[str]], ...] = (
    (GROUND, frozenset()),
    ("fetch", frozenset({"modelatlas.fetch"})),
    ("canonical", frozenset({"modelatlas.canonical"})),
    ("changes", frozenset({"modelatlas.changes"})),
    ("validate", frozenset({"modelatlas.validate"})),  # checks data/ (its change log too) and builds
    ("cost", frozenset({"modelatlas.cost"})),  # prices usages; the site renders costs with it
    ("render", frozenset({"modelatlas.render"})),
    ("serve, publish", frozenset({"modelatlas.serve", "modelatlas.publish"})),
    ("commands", frozenset({"modelatlas.cli", "modelatlas.registry_docs", "modelatlas.__main__"})),
)


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    line: int
    module_level: bool


def module_names(root: Path) -> dict[str, Path]:
    """``{dotted module name: file}`` of every module under ``root/<PACKAGE>``."""
    names = {}
    for path in sorted((root / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(body: Iterable[ast.stmt], in_function: bool) -> Iterator[tuple[ast.stmt, bool]]:
    """Every import statement with whether it runs when the module loads."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, not in_function
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            yield from _import_nodes(node.orelse, in_function)  # the body only runs for type checkers
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield from _import_nodes(node.body, True)
        else:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.stmt):
                    yield from _import_nodes([child], in_function)
                elif isinstance(child, ast.excepthandler):
                    yield from _import_nodes(child.body, in_function)


def _targets(node: ast.Import | ast.ImportFrom, importer: str, is_package: bool) -> list[str]:
    """The dotted names a statement imports (a ``from`` name that is a submodule counts as one)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = importer.split(".") if is_package else importer.split(".")[:-1]
        base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
    return [f"{base}.{alias.name}" for alias in node.names] + [base]


def _own_modules(name: str, modules: Mapping[str, Path]) -> str | None:
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def imports(modules: Mapping[str, Path]) -> list[Import]:
    """Every import of one of ``modules`` by another, with the packages it initialises."""
    found = []
    for importer, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        is_package = path.name == "__init__.py"
        for node, module_level in _import_nodes(tree.body, in_function=False):
            assert isinstance(node, ast.Import | ast.ImportFrom)
            targets = {_own_modules(name, modules) for name in _targets(node, importer, is_package)}
            for target in sorted(t for t in targets if t and t != importer):
                package = target
                while package:  # the module and the packages Python initialises on the way
                    if package in modules and not importer.startswith(package + "."):
                        found.append(Import(importer, package, node.lineno, module_level))
                    package = package.rpartition(".")[0]
    return found


def graph(edges: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    result: dict[str, set[str]] = {}
    for importer, imported in edges:
        if importer != imported:
            result.setdefault(importer, set()).add(imported)
            result.setdefault(imported, set())
    return result


def find_cycle(edges: Mapping[str, set[str]]) -> list[str] | None:
    """One cycle as ``[a, b, ..., a]`` (depth first, in sorted order), or None."""
    state: dict[str, int] = {}  # 1 on the current path, 2 finished
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)) is not None:
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(edges):
        if start not in state and (cycle := visit(start)) is not None:
            return cycle
    return None


def unit(module: str) -> str:
    """The package a module belongs to (``modelatlas.fetch``), or the root module itself."""
    return ".".join(module.split(".")[:2])


def layer(module: str) -> int:
    for index, (_name, units) in enumerate(LAYERS):
        if unit(module) in units:
            return index
    return 0  # the package root and its own modules


MODULES = module_names(SRC)
IMPORTS = imports(MODULES)


def test_no_cycle_among_modules() -> None:
    cycle = find_cycle(graph((i.importer, i.imported) for i in IMPORTS if i.module_level))
    assert cycle is None, "import cycle: " + " -> ".join(cycle or ())


def test_no_cycle_among_packages() -> None:
    edges = graph((unit(i.importer), unit(i.imported)) for i in IMPORTS if i.module_level)
    cycle = find_cycle(edges)
    assert cycle is None, "packages import each other: " + " -> ".join(cycle or ())


def test_imports_point_down_the_layers() -> None:
    upward = [
        f"{i.importer} (line {i.line}, {LAYERS[layer(i.importer)][0]}) imports {i.imported} "
        f"({LAYERS[layer(i.imported)][0]})"
        for i in IMPORTS
        if layer(i.imported) > layer(i.importer)
    ]
    assert not upward, "imports reaching up a layer:\n" + "\n".join(upward)


def test_every_package_has_a_layer() -> None:
    packages = {unit(name) for name, path in MODULES.items() if path.name == "__init__.py"} - {PACKAGE}
    placed = set().union(*(units for _name, units in LAYERS))
    assert packages <= placed, f"add {sorted(packages - placed)} to LAYERS"


def _write(root: Path, files: dict[str, str]) -> dict[str, Path]:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return module_names(root)


def test_the_check_names_a_cycle_and_ignores_lazy_and_typing_imports(tmp_path: Path) -> None:
    modules = _write(
        tmp_path,
        {
            f"{PACKAGE}/__init__.py": "",
            f"{PACKAGE}/a.py": f"from {PACKAGE} import b\n",
            f"{PACKAGE}/b.py": f"import {PACKAGE}.sub.c\n",
            f"{PACKAGE}/sub/__init__.py": "",
            f"{PACKAGE}/sub/c.py": "from ..a import x\n",  # relative: modelatlas.a
            f"{PACKAGE}/d.py": (
                "from typing import TYPE_CHECKING\n"
                f"if TYPE_CHECKING:\n    from {PACKAGE} import e\n"
                f"def f():\n    from {PACKAGE} import e\n"
            ),
            f"{PACKAGE}/e.py": f"from {PACKAGE} import d\n",
        },
    )
    found = imports(modules)
    cycle = find_cycle(graph((i.importer, i.imported) for i in found if i.module_level))
    assert cycle == [f"{PACKAGE}.a", f"{PACKAGE}.b", f"{PACKAGE}.sub.c", f"{PACKAGE}.a"]
    assert Import(f"{PACKAGE}.b", f"{PACKAGE}.sub", 1, True) in found  # the package's __init__ runs
    lazy = [i for i in found if i.importer == f"{PACKAGE}.d"]
    assert lazy == [Import(f"{PACKAGE}.d", f"{PACKAGE}.e", 5, False)]  # TYPE_CHECKING left out


@pytest.mark.parametrize("module", ["modelatlas.ids", "modelatlas.schema", "modelatlas.record"])
def test_the_ground_floor_is_placed_at_the_bottom(module: str) -> None:
    assert module in MODULES and layer(module) == 0
