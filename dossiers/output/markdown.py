"""Views → GitHub-flavoured Markdown: dossiers, the briefing pack, and the pull-request report."""

from __future__ import annotations

from dataclasses import replace

from ..views.briefing import Briefing
from ..views.dossier import Dossier
from .templates import Templates


def dossier_markdown(templates: Templates, view: Dossier) -> str:
    context = dict(chapters=False)
    (view,) = templates.in_reading_order(
        templates.markdown, "dossier.md.j2", (view,), lambda people: dict(d=people[0], **context)
    )
    return templates.render(templates.markdown, "dossier.md.j2", d=view, **context)


def pack_markdown(templates: Templates, view: Briefing, network_caption: str) -> str:
    context = dict(chapters=True, network_caption=network_caption)
    people = templates.in_reading_order(
        templates.markdown, "pack.md.j2", view.people, lambda people: dict(b=replace(view, people=people), **context)
    )
    return templates.render(templates.markdown, "pack.md.j2", b=replace(view, people=people), **context)


def diff_markdown(templates: Templates, report) -> str:
    """The pull-request report: changes grouped per actor, sources apart."""
    return templates.render(templates.markdown, "diff.md.j2", r=report)
