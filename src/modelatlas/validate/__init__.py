"""``modelatlas validate``: data/ and built folders against the schema and the rules it cannot say."""
