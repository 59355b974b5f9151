"""The site's templates compiled once per process, and by a build in a process beside its loading
(render/templates.py): what is kept is used only for the source it was compiled from."""

from __future__ import annotations

import marshal

import pytest
from jinja2 import DictLoader, Environment

from modelatlas.render import templates
from modelatlas.render.templates import CompiledTemplates, compiled_templates, environment, use_compiled


def test_templates_compiled_elsewhere_are_used_without_compiling(monkeypatch: pytest.MonkeyPatch) -> None:
    made = compiled_templates()
    names = [name for name in environment(CompiledTemplates()).list_templates() if name.endswith(".html")]
    assert len(marshal.loads(made)) == len(names) > 10  # every page template and partial
    monkeypatch.setattr(templates, "COMPILED", CompiledTemplates())
    use_compiled(made)
    env = environment()

    def no_compiling(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("compiled again")

    monkeypatch.setattr(env, "compile", no_compiling)
    for name in names:
        assert env.get_template(name) is not None


def test_nothing_made_means_compiled_as_needed_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(templates, "COMPILED", CompiledTemplates())
    use_compiled(None)
    assert templates.COMPILED.code == {}
    environment().get_template("base.html")
    assert len(templates.COMPILED.code) == 1  # compiled here, kept for this process's other environments
    other = environment()
    monkeypatch.setattr(other, "compile", lambda *_args, **_kwargs: pytest.fail("compiled twice"))
    assert other.get_template("base.html") is not None


def test_kept_code_is_used_only_for_the_source_it_was_compiled_from() -> None:
    kept = CompiledTemplates()
    first = Environment(loader=DictLoader({"page.html": "one {{ x }}"}), bytecode_cache=kept)
    assert first.get_template("page.html").render(x=1) == "one 1"
    assert len(kept.code) == 1
    edited = Environment(loader=DictLoader({"page.html": "two {{ x }}"}), bytecode_cache=kept)
    assert edited.get_template("page.html").render(x=2) == "two 2"  # same name, new source: compiled
    again = Environment(loader=DictLoader({"page.html": "one {{ x }}"}), bytecode_cache=kept)
    assert again.get_template("page.html").render(x=3) == "one 3"
