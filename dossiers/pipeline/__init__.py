"""Stage 6, pipeline: a build planned, made current, rendered over worker processes, and written atomically."""
