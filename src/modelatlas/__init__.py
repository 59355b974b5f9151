"""modelatlas: an open catalog of LLM models published as a static GET /v1/models API."""

__version__ = "0.1.0"
