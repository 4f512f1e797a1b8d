"""Stage 1, registry: where files live, the data model, partial dates, safe YAML, and loading."""
