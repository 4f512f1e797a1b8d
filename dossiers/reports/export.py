"""Exports of a checked registry: JSON with verified offsets, FollowTheMoney entities, and CSV.

Ids are derived from the registry's own ids, so two exports of the same registry are
identical. Every entity that a source supports carries it as `proof`; facts with no
FtM schema of their own (events, statements, allegations, denials) become
Documentation linking the source to the actors they are about.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UserError
from ..registry.ftm import SCHEMA
from ..registry.layout import SEEDS_DIR
from ..registry.model import Actor, Fact, FactKind, LinkKind
from ..safe_text import json_text, visible_controls
from ..verify.check import Checked, check, require_clean

NAMESPACE = "dossiers"
MISSING = (
    "dossiers export --format ftm needs followthemoney: pip install 'dossiers[ftm]' (or 'dossiers[screen]', which "
    "includes it)"
)

if TYPE_CHECKING:
    from followthemoney.proxy import EntityProxy


def _model():
    """FollowTheMoney's model: an optional dependency (its normality needs PyICU, which has no wheel on PyPI)."""
    try:
        from followthemoney import model
    except ImportError:
        raise UserError(MISSING) from None
    return model


def _entity(schema: str, *key: str | None) -> EntityProxy:
    entity = _model().make_entity(schema)
    entity.make_id(NAMESPACE, schema, *key)
    return entity


def actor_entity(actor: Actor) -> EntityProxy:
    """An actor as an FtM entity of its kind's schema (`registry.ftm`): its names, curated ones said so, its
    countries."""
    entity = _entity(SCHEMA[actor.kind], actor.id)
    entity.add("name", actor.name)
    entity.add("alias", [alias.name for alias in actor.alias])
    curated = [alias.name for alias in actor.alias if alias.curated]
    if curated:
        entity.add("notes", f"Curated names, given by no cited source: {'; '.join(curated)}")
    entity.add("country", actor.country)
    return entity


def _dates(entity: EntityProxy, fact: Fact) -> None:
    for prop, value in (("date", fact.date), ("startDate", fact.startDate), ("endDate", fact.endDate)):
        if value and prop in entity.schema.properties:
            entity.add(prop, value)


def ftm_entities(checked: Checked) -> Iterator[EntityProxy]:
    """Every source, actor and fact of the registry as FollowTheMoney entities."""
    project = checked.project
    articles = {}
    for source in project.sources.sources:
        article = _entity("Document" if source.id in checked.lists else "Article", source.id)  # a list is no article
        article.add("title", source.title)
        article.add("fileName", f"{SEEDS_DIR}/{source.file}")
        article.add("language", source.language)
        article.add("publishedAt", source.published)
        article.add("sourceUrl", source.url)
        if source.known_publisher:
            article.add("publisher", source.known_publisher)
        article.add("notes", source.notes)
        article.add("summary", f"sha256 {source.sha256}; reliability {source.reliability.value}")
        articles[source.id] = article
        yield article
    # named, not "Western"
    sanctioned = {a for f in project.registry.facts if f.kind == FactKind.sanction and f.authority for a in f.actors}
    actors = {}
    for actor in project.registry.actors:
        entity = actor_entity(actor)
        if actor.id in sanctioned:
            entity.add("topics", "sanction")
        actors[actor.id] = entity
        yield entity
    for fact in project.registry.facts:
        proof = [articles[source] for source in dict.fromkeys(c.source for c in fact.citations)]
        for entity in _fact_entities(fact, actors, proof):
            _dates(entity, fact)
            entity.add("proof", [p.id for p in proof])
            entity.add("sourceUrl", [p.first("sourceUrl") for p in proof if p.first("sourceUrl")])
            entity.add("publisher", [p.first("publisher") for p in proof if p.first("publisher")])
            entity.add("summary", fact.text)
            if fact.status.value != "reported":
                entity.add("description", f"Status: {fact.status.value}")
            yield entity


def _fact_entities(fact: Fact, actors: dict[str, EntityProxy], proof: list[EntityProxy]) -> Iterator[EntityProxy]:
    subject = actors[fact.actors[0]]
    others = [actors[a] for a in fact.actors[1:]]
    if fact.kind == FactKind.sanction:
        for actor_id in fact.actors:
            for authority in fact.authority:
                sanction = _entity("Sanction", fact.id, actor_id, authority)
                sanction.add("entity", actors[actor_id].id)
                sanction.add("authority", authority)
                sanction.add("program", fact.program)
                sanction.add("reason", fact.reason)
                sanction.add("listingDate", fact.listingDate)
                yield sanction
    elif fact.kind == FactKind.position and subject.schema.is_a("Person"):
        position = _entity("Position", fact.id)
        position.add("name", fact.text.rstrip("."))
        position.add("organization", [o.id for o in others])
        position.add("country", subject.get("country"))
        occupancy = _entity("Occupancy", fact.id, subject.id)
        occupancy.add("holder", subject.id)
        occupancy.add("post", position.id)
        yield position
        yield occupancy
    elif fact.kind == FactKind.relationship:
        yield from _relationship(fact, subject, others)
    else:
        for document in proof:
            for actor_id in dict.fromkeys(fact.actors):
                link = _entity("Documentation", fact.id, document.id, actor_id)
                link.add("document", document.id)
                link.add("entity", actors[actor_id].id)
                link.add("role", fact.kind.value)
                yield link


def _relationship(fact: Fact, subject: EntityProxy, others: list[EntityProxy]) -> Iterator[EntityProxy]:
    """One FtM interval per pair, by kind of link; a meeting is an Event with everyone involved."""
    if fact.link == LinkKind.meeting:
        event = _entity("Event", fact.id)
        event.add(
            "name",
            f"{subject.first('name')} {fact.relationship} {', '.join(o.first('name') or '' for o in others)}"[:300],
        )
        event.add("involved", [subject.id] + [o.id for o in others])
        yield event
        return
    for other in others:
        pair = (fact.id, subject.id, other.id)
        people = subject.schema.is_a("Person") and other.schema.is_a("Person")
        if fact.link == LinkKind.family and people:
            entity = _entity("Family", *pair)
            entity.add("person", other.id)
            entity.add("relative", subject.id)
            entity.add("relationship", fact.relationship)
        elif fact.link == LinkKind.ownership:
            entity = _entity("Ownership", *pair)
            entity.add("asset", subject.id)
            entity.add("owner", other.id)
            entity.add("role", fact.relationship)
        elif fact.link == LinkKind.succession:
            entity = _entity("Succession", *pair)
            entity.add("predecessor", subject.id)
            entity.add("successor", other.id)
            entity.add("role", fact.relationship)
        elif people:
            entity = _entity("Associate", *pair)
            entity.add("person", subject.id)
            entity.add("associate", other.id)
            entity.add("relationship", fact.relationship)
        else:
            entity = _entity("UnknownLink", *pair)
            entity.add("subject", subject.id)
            entity.add("object", other.id)
            entity.add("role", fact.relationship)
        yield entity


def ftm_lines(checked: Checked) -> Iterator[str]:
    """The export as JSON lines, one entity each, in a stable order. An actor confirmed as entities of other
    datasets lists them as `referents` ("dataset:id"), as nomenklatura and OpenSanctions record merged entities."""
    referents = {
        _entity(SCHEMA[a.kind], a.id).id: sorted(f"{j.dataset or j.source}:{j.id}" for j in a.sameAs)
        for a in checked.project.registry.actors
        if a.sameAs
    }
    for entity in ftm_entities(checked):
        data = entity.to_dict()
        if entity.id in referents:
            data["referents"] = referents[entity.id]
        yield json_text(data, sort_keys=True)


CSV_COLUMNS = [
    "fact",
    "actors",
    "kind",
    "date",
    "status",
    "text",
    "source",
    "quote",
    "cited",
    "attribution",
    "start",
    "end",
]


# What a spreadsheet may read as the start of a formula or a DDE call (OWASP, CSV Injection), with the full-width
# forms that spreadsheets in East Asian locales may take for them.
FORMULA_START = ("=", "+", "-", "@", "|", "\uff1d", "\uff0b", "\uff0d", "\uff20", "\uff5c")
SPACE_START = ("\t", "\n")  # OWASP: nor may a cell begin with these (a CR is already shown as ⟨U+000D⟩)


def spreadsheet_cell(value: object) -> object:
    """A cell a spreadsheet shows and never runs: control characters visible, and quoted by a leading ' if it begins
    with a formula character, also after white space (' =1+2', '\\u3000=1+2'), or with a tab or a line break."""
    if not isinstance(value, str):
        return value
    value = visible_controls(value)
    return "'" + value if value.startswith(SPACE_START) or value.lstrip().startswith(FORMULA_START) else value


def csv_text(checked: Checked, excel: bool = False) -> str:
    """One row per fact and citation, for spreadsheets: no cell can run as a formula, control characters shown as
    ⟨U+XXXX⟩. `excel`: a UTF-8 byte order mark and CR LF line ends, as Excel expects."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n" if excel else "\n")
    writer.writerow(CSV_COLUMNS)
    for fact in checked.project.registry.facts:
        for index, citation in enumerate(fact.citations):
            passage = checked.anchors[(fact.id, index)]
            row = [fact.id, ";".join(fact.actors), fact.kind.value, fact.when or "", fact.status.value, fact.text]
            cited = citation.quote if citation.quote != passage.text else ""
            row += [citation.source, passage.text, cited, citation.attribution or "", passage.start, passage.end]
            writer.writerow([spreadsheet_cell(cell) for cell in row])
    return ("\ufeff" if excel else "") + out.getvalue()


def _citation(citation, passage) -> dict:
    """A citation as exported: `quote` is the source's own text at [start, end), a W3C `exact`; `cited` the analyst's
    spelling where it differs; `page`, in a PDF, the page it begins on."""
    data = citation.model_dump(mode="json", exclude_none=True) | {
        "quote": passage.text,
        "start": passage.start,
        "end": passage.end,
    }
    if passage.page:
        data["page"] = passage.page
    if citation.quote != passage.text:
        data["cited"] = citation.quote
    return data


def export_data(checked: Checked) -> dict:
    """The joined registry as plain data: sources, actors, and facts with anchored citations."""
    project = checked.project
    facts = []
    for fact in project.registry.facts:
        data = fact.model_dump(mode="json", exclude_defaults=True, exclude={"citations"})
        data["status"] = fact.status.value
        data["citations"] = [
            _citation(citation, checked.anchors[(fact.id, index)]) for index, citation in enumerate(fact.citations)
        ]
        facts.append(data)
    return {
        "sources": [source.model_dump(mode="json") for source in project.sources.sources],
        "actors": [actor.model_dump(mode="json") for actor in project.registry.actors],
        "facts": facts,
    }


def export(root: Path, fmt: str, excel: bool = False) -> str:
    """The registry under `root`, which must pass the check, as json, ftm (JSON lines) or csv (`excel`: for Excel)."""
    checked = require_clean(check(root))
    if fmt == "ftm":
        return "".join(line + "\n" for line in ftm_lines(checked))
    if fmt == "csv":
        return csv_text(checked, excel)
    return json_text(export_data(checked), indent=2) + "\n"
