"""Join stage: registry ⋈ facts ⋈ sources, with every citation's verified offsets."""

from __future__ import annotations

from .check import Checked


def export_data(checked: Checked) -> dict:
    """The joined registry as plain data: sources, actors, and facts with anchored citations."""
    project = checked.project
    facts = []
    for fact in project.registry.facts:
        data = fact.model_dump(mode="json", exclude_defaults=True, exclude={"citations"})
        data["status"] = fact.status.value
        data["citations"] = [
            citation.model_dump(mode="json", exclude_none=True)
            | {"start": checked.anchors[(fact.id, index)].start, "end": checked.anchors[(fact.id, index)].end}
            for index, citation in enumerate(fact.citations)
        ]
        facts.append(data)
    return {
        "sources": [source.model_dump(mode="json") for source in project.sources.sources],
        "actors": [actor.model_dump(mode="json") for actor in project.registry.actors],
        "facts": facts,
    }
