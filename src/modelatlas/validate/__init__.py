"""``modelatlas validate``: data/ and built folders against the schema and the rules it cannot say.

The interface the stages after this one use is :func:`check_data` (``build`` validates data/ with it
before rendering anything); this package reads built folders through :mod:`modelatlas.build_folder`
and never imports ``render``.
"""

from modelatlas.validate.checks import check_data

__all__ = ["check_data"]
