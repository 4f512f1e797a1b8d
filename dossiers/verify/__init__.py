"""Stage 2, verify: quotes anchored in their sources, and every rule of the check."""
