"""``modelatlas validate``: data/ and built folders against the schema and the rules it cannot say.

The interfaces the stages after this one use are :func:`check_data` and :func:`check_data_beside`
(with which ``build`` validates data/, in forked processes, before rendering anything, skipping the
records an earlier build checked: :class:`KeptChecks`, and parsing only the records whose text
changed: :class:`KeptDocuments`); this package
reads built folders through :mod:`modelatlas.build_folder` and never imports ``render``.
"""

from modelatlas.validate.beside import check_data_beside
from modelatlas.validate.checked_records import KeptChecks
from modelatlas.validate.checks import check_data
from modelatlas.validate.kept_documents import KeptDocuments

__all__ = ["KeptChecks", "KeptDocuments", "check_data", "check_data_beside"]
