"""dossiers: sanctions and actor dossiers in which every claim cites its source.

The public API, one call per stage a user wants:

    import dossiers
    project = dossiers.load("path/to/project")      # actors.yaml and seeds/sources.yaml
    checked = dossiers.check("path/to/project")     # every rule; checked.problems
    written = dossiers.build("path/to/project", formats=["md"])
"""

from __future__ import annotations

from .about import __version__

__all__ = ["__version__", "build", "check", "load"]


def load(root):
    """Load a project's registry and source metadata; raises dossiers.errors.UserError."""
    from pathlib import Path

    from .registry.load import load_project

    return load_project(Path(root))


def check(root):
    """Load and check a project; the result's `problems` list every error and warning."""
    from pathlib import Path

    from .verify.check import check as check_root

    return check_root(Path(root))


def build(root, **options):
    """Build a project's dossiers and briefing pack; see dossiers.pipeline.build.build for the options."""
    from pathlib import Path

    from .pipeline.build import build as build_root

    return build_root(Path(root), **options)
