"""Stage 4, output: views rendered to Markdown, HTML and PDF through sandboxed templates."""
