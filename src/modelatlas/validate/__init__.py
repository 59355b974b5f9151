"""``modelatlas validate``: data/ and built folders against the schema and the rules it cannot say.

The interfaces the stages after this one use are :func:`check_data` and :func:`check_data_beside`
(with which ``build`` validates data/, in forked processes, before rendering anything, skipping the
records an earlier build checked: :class:`KeptChecks`); this package
reads built folders through :mod:`modelatlas.build_folder` and never imports ``render``.
"""

from modelatlas.validate.beside import check_data_beside
from modelatlas.validate.checked_records import KeptChecks
from modelatlas.validate.checks import check_data

__all__ = ["KeptChecks", "check_data", "check_data_beside"]
