"""Stage 7, cli: parse, make one call, present."""
