"""Live list-models fetchers, one module per provider (see registry.py and base.py)."""
