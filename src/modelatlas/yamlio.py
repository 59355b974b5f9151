"""Reading YAML (data/ tables, curated files, the config file) with libyaml's C parser when PyYAML
was built with it: the same safe constructor as ``yaml.safe_load``, several times faster on the
deprecation tables every build reads. Errors are ``yaml.YAMLError`` either way."""

from __future__ import annotations

from typing import Any

import yaml

_LOADER: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """``yaml.safe_load(text)``: plain data only (no tags that build objects)."""
    return yaml.load(text, Loader=_LOADER)
