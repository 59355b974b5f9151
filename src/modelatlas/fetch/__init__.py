"""``modelatlas fetch``: provider APIs and public catalogs → merged, curated, validated data/providers."""
