"""Stage 5, reports: coverage, cite, screening, exports, and the pull-request diff."""
