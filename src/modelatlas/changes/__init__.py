"""``modelatlas diff`` and ``history``: snapshots, field-level diffs, reports and the change log."""
