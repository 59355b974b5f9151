"""``modelatlas publish`` and ``notify``: the nightly, from fetch to a landed commit, and its alert."""
