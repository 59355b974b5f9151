"""The package works when installed: a wheel built from a copy of the sources, installed into a fresh
venv, runs ``modelatlas build`` and ``validate`` from another working directory, and prices a request
offline from the snapshot it ships (``modelatlas.cost``).

The venv sees the packages of the environment running the tests only for the dependencies (no
download; through a ``.pth`` file, so jsonschema-rs is there as ``pip install`` would bring it:
without it the slower pure-Python checks ran and the test took a minute); modelatlas itself must be
imported from the wheel, which is asserted. Building the wheel uses pip's build isolation
(it fetches the build backend declared in pyproject.toml, as ``pip install .`` does).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from decimal import Decimal
from pathlib import Path

from tests.paths import REPO

SOURCES = ("pyproject.toml", "README.md", "src", "schema", "site_templates", "data/providers")


def run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, f"{args[:3]} failed:\n{result.stdout}\n{result.stderr}"
    return result


def copy_sources(dest: Path) -> None:
    dest.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for name in SOURCES:
        source = REPO / name
        if source.is_dir():
            # links stay links: src/modelatlas/_data -> ../../data/providers, copied too
            shutil.copytree(source, dest / name, symlinks=True, ignore=ignore)
        else:
            shutil.copy2(source, dest / name)


def test_a_wheel_installed_in_a_fresh_venv_builds_from_any_folder(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MODELATLAS_SCHEMA_DIR")}
    sources = tmp_path / "sources"
    copy_sources(sources)
    dist = tmp_path / "dist"
    pip = [sys.executable, "-m", "pip"]
    run([*pip, "wheel", "--no-deps", "-q", "-w", str(dist), str(sources)], tmp_path, env)
    (wheel,) = dist.glob("modelatlas-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "modelatlas/_schema/model.schema.json" in names
    assert "modelatlas/_templates/base.html" in names and "modelatlas/_templates/static/site.css" in names
    assert "modelatlas/_data/openai.json" in names and "modelatlas/_templates/static/cost.js" in names

    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path, env)
    python = venv / "bin" / "python"
    _see_dependencies(python, tmp_path, env)
    pip_install = [*pip, "--python", str(python), "install", "-q"]
    run([*pip_install, "--no-deps", "--no-index", "--force-reinstall", str(wheel)], tmp_path, env)
    shutil.rmtree(sources)  # nothing may be read from the source copy any more

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copytree(REPO / "data", elsewhere / "data")
    where = run([str(python), "-c", "import modelatlas; print(modelatlas.__file__)"], elsewhere, env)
    assert Path(where.stdout.strip()).resolve().is_relative_to(venv.resolve()), where.stdout
    modelatlas = str(venv / "bin" / "modelatlas")
    run([modelatlas, "build", "--out", "site", "--base-url", "https://example.org/atlas/"], elsewhere, env)
    assert (elsewhere / "site" / "schema" / "model.schema.json").is_file()
    assert '<link rel="canonical"' in (elsewhere / "site" / "index.html").read_text(encoding="utf-8")
    assert (elsewhere / "site" / "static" / "site.css").is_file()
    run([modelatlas, "validate", "--dir", "site"], elsewhere, env)

    shutil.rmtree(elsewhere / "data")  # cost() reads the snapshot inside the installed package
    record, expected = _a_priced_record()
    script = (
        "from modelatlas.bundled import data_folder; from modelatlas.cost import Usage, cost; "
        "print(data_folder()); "
        f"print(cost({record!r}, Usage(input_tokens=1000, output_tokens=10)).total_string)"
    )
    folder, total = run([str(python), "-c", script], elsewhere, env).stdout.split()
    assert Path(folder).resolve().is_relative_to(venv.resolve()) and Decimal(total) == expected
    priced = run(
        [modelatlas, "cost", record, "--input-tokens", "1000", "--output-tokens", "10"], elsewhere, env
    )
    assert priced.stdout.splitlines()[-1] == f"total: {total} USD"


def _see_dependencies(python: Path, cwd: Path, env: dict[str, str]) -> None:
    """Let the venv import this environment's packages (its dependencies), after its own."""
    lookup = "import sysconfig; print(sysconfig.get_path('purelib'))"
    site = Path(run([str(python), "-c", lookup], cwd, env).stdout.strip())
    ours = sorted({sysconfig.get_path("purelib"), sysconfig.get_path("platlib")})
    (site / "test-dependencies.pth").write_text("\n".join(ours) + "\n", encoding="utf-8")


def _a_priced_record() -> tuple[str, Decimal]:
    """A committed record with prompt and completion prices (and no request fee), and the cost of 1000
    input and 10 output tokens there, computed from the committed file."""
    models = json.loads((REPO / "data" / "providers" / "openai.json").read_text(encoding="utf-8"))["models"]
    record = next(
        m
        for m in models
        if {"prompt", "completion"} <= set(m.get("pricing", {})) and "request" not in m["pricing"]
    )
    return record["id"], 1000 * Decimal(record["pricing"]["prompt"]) + 10 * Decimal(
        record["pricing"]["completion"]
    )
