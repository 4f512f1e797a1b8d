"""Views → GitHub-flavoured Markdown: dossiers, the briefing pack, and the pull-request report."""

from __future__ import annotations

from ..views.briefing import Briefing
from ..views.dossier import Dossier
from .templates import Templates


def dossier_markdown(templates: Templates, view: Dossier) -> str:
    return templates.render(templates.markdown, "dossier.md.j2", d=view.renumber(), chapters=False)


def pack_markdown(templates: Templates, view: Briefing, network_caption: str) -> str:
    for person in view.people:
        person.renumber()
    return templates.render(templates.markdown, "pack.md.j2", b=view, chapters=True, network_caption=network_caption)


def diff_markdown(templates: Templates, report) -> str:
    """The pull-request report: changes grouped per actor, sources apart."""
    return templates.render(templates.markdown, "diff.md.j2", r=report)
