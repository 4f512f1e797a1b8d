"""Check stage: every rule the registry must keep, as a list of problems.

Besides the problems, the check keeps what it verified: each source's decoded text and
the passage every citation anchors to, which the join stage builds on.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem, UserError
from ..registry import dates
from ..registry.ftm import SCREENED_AGAINST
from ..registry.layout import REGISTRY_FILE, SEEDS_DIR, SOURCES_FILE
from ..registry.load import Project, load_project
from ..registry.model import FactKind
from ..registry.screening import ScreeningRecord, screening_records
from ..registry.settings import load_settings
from ..safe_text import BIDI_CONTROLS, CONTROLS
from ..sources.files import Unreadable
from ..sources.formats import FTM
from ..sources.ftm import EntityList
from ..sources.read import SourceReader
from .independence import SharedText, reporting_lines, shared_passages
from .listings import Listing, NameIndex, authority_key, list_authorities, listings
from .quotes import Passage, QuoteError, SourceText, locate_quote
from .reading import paragraphs
from .rules import Around, Cited, SupportWarning, support_warnings

MAX_FACTS = 20_000  # facts in a registry: the check, the site and the pack of more would not fit in a minute and 2 GiB
MAX_ACTORS = 5_000  # actors in a registry
MAX_FACTS_ABOUT = 1_000  # facts about one actor: a dossier (or a pack's chapter) of more would not render in 2 GiB
SOURCE_CONTROLS_SHOWN = 10  # control characters warned about per source; a binary file would have thousands
KIND_FIELDS = {
    "authority": FactKind.sanction,
    "program": FactKind.sanction,
    "listingDate": FactKind.sanction,
    "reason": FactKind.sanction,
    "relationship": FactKind.relationship,
    "link": FactKind.relationship,
    "denies": FactKind.denial,
}


@dataclass
class Checked:
    """The outcome of the check stage."""

    project: Project
    problems: list[Problem] = field(default_factory=list)
    texts: dict[str, SourceText] = field(default_factory=dict)  # source id → text (a list has none)
    formats: dict[str, str] = field(default_factory=dict)  # source id → 'html', 'pdf', 'text' or 'ftm'
    # source id → a list's entities (format 'ftm')
    lists: dict[str, EntityList] = field(default_factory=dict, repr=False)
    # source id → the bytes checked, which a PDF embeds
    files: dict[str, bytes] = field(default_factory=dict, repr=False)
    anchors: dict[tuple[str, int], Passage] = field(default_factory=dict)  # (fact id, citation index) → passage
    # (fact id, citation index) → why it does not anchor
    misses: dict[tuple[str, int], str] = field(default_factory=dict)
    waived: list[tuple[str, Passage]] = field(default_factory=list)  # (source id, passage) of each waiver
    shared: list[SharedText] = field(default_factory=list)  # passages two sources share word for word
    # source id → its line of reporting (the first source of its group)
    lines: dict[str, str] = field(default_factory=dict)
    # fact id → signs its quotes may not carry it (see rules.RULES)
    support: dict[str, list[SupportWarning]] = field(default_factory=dict)
    # (fact id, warning index) → its line and column
    support_at: dict[tuple[str, int], tuple[int, int]] = field(default_factory=dict, repr=False)

    # (path, record), oldest first
    screenings: list[tuple[str, ScreeningRecord]] = field(default_factory=list, repr=False)

    found_paragraphs: dict[str, list[tuple[int, int]]] = field(default_factory=dict, repr=False)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def unsupported(self) -> dict[str, list[Problem]]:
        """Fact id → its open support warnings (neither fixed nor waived), as problems at their fields: such a fact does
        not print."""
        found: dict[str, list[Problem]] = {}
        for fact_id, warnings in self.support.items():
            for index, warning in enumerate(warnings):
                if warning.open:
                    line, col = self.support_at[(fact_id, index)]
                    found.setdefault(fact_id, []).append(
                        Problem(REGISTRY_FILE, line, col, "warning", warning.code, f"{fact_id}: {warning.message}")
                    )
        return found

    def listings(self, actor_id: str) -> tuple[Listing, ...]:
        """The actor's listings: the Sanction records of the registered lists for each entity its sameAs confirms."""
        actor = next((a for a in self.project.registry.actors if a.id == actor_id), None)
        return listings(actor, self.lists) if actor else ()

    @property
    def waivers(self) -> int:
        """How many support warnings the analysts have waived, each with a reason."""
        return sum(w.waived is not None for warnings in self.support.values() for w in warnings)

    def paragraphs(self, source_id: str) -> list[tuple[int, int]]:
        """[start, end) of each paragraph of a source's text, found once for the check, the notes and the site."""
        if source_id not in self.found_paragraphs:
            self.found_paragraphs[source_id] = paragraphs(self.texts[source_id].text)
        return self.found_paragraphs[source_id]


class _Checker:
    def __init__(self, project: Project, today: dt.date):
        self.out = Checked(project)
        self.registry = project.registry
        self.regdoc = project.documents[REGISTRY_FILE]
        self.srcdoc = project.documents[SOURCES_FILE]
        self.today = today
        self.actor_by_id = {a.id: a for a in self.registry.actors}
        self.source_by_id = {s.id: s for s in project.sources.sources}

    def error(self, doc, path, code, message, severity="error", key=False):
        self.out.problems.append(doc.problem(path, code, message, severity, key))

    def run(self) -> Checked:
        if not self.within_limits():
            return self.out
        self.duplicate_ids(self.regdoc, "actors", [a.id for a in self.registry.actors])
        self.duplicate_ids(self.regdoc, "facts", [f.id for f in self.registry.facts])
        self.duplicate_ids(self.srcdoc, "sources", [s.id for s in self.project_sources])
        self.sources()
        self.independence()
        self.facts()
        self.judgements()
        self.screening_records()
        self.warnings()
        self.out.problems.sort(key=lambda p: (p.file != REGISTRY_FILE, p.file, p.line, p.col, p.code))
        return self.out

    def screening_records(self) -> None:
        """The project's `screenings/*.json` (`screen --record`), for the dossiers to say when each person was last
        screened; a file there that is not a record is a warning, and is left out."""
        self.out.screenings, bad = screening_records(self.out.project.root)
        for name, why in bad:
            self.out.problems.append(
                Problem(
                    name,
                    1,
                    1,
                    "warning",
                    "screening-unreadable",
                    f"{why}: remove it, or write it again with dossiers screen --record",
                )
            )

    def within_limits(self) -> bool:
        """Whether the registry is no larger than the tool is made for (MAX_FACTS, MAX_ACTORS, MAX_FACTS_ABOUT); if not,
        errors say so and nothing else is checked."""
        for section, items, limit in (
            ("facts", self.registry.facts, MAX_FACTS),
            ("actors", self.registry.actors, MAX_ACTORS),
        ):
            if len(items) > limit:
                message = (
                    f"the registry has {len(items):,} {section}; the limit is {limit:,}: split it into registries of "
                    "one subject each"
                )
                self.error(self.regdoc, (section,), "registry-too-large", message, key=True)
        if self.out.problems:
            return False
        about = Counter(actor for f in self.registry.facts for actor in set(f.actors))
        for index, actor in enumerate(self.registry.actors):
            if about[actor.id] > MAX_FACTS_ABOUT:
                message = (
                    f"{about[actor.id]:,} facts are about '{actor.id}'; the limit is {MAX_FACTS_ABOUT:,}, "
                    "as a dossier of more would not render: keep the facts that matter, or merge those that say "
                    "the same"
                )
                self.error(self.regdoc, ("actors", index, "id"), "actor-too-many-facts", message)
        return not self.out.problems

    @property
    def project_sources(self):
        return self.out.project.sources.sources

    def controls(self):
        """Control and bidi characters, in the YAML files (keys and values) and in the sources: warned at each place."""
        for doc in (self.regdoc, self.srcdoc):  # escapes such as "\e" put them in values the text does not show
            for path, value, is_key in _strings(doc.data):
                found = CONTROLS.search(value)
                if found:
                    code, message = _control_warning(found.group(), "this key" if is_key else "this text")
                    self.error(doc, path, code, message, "warning", key=is_key)
        for index, source in enumerate(self.project_sources):
            text = self.out.texts[source.id].text if source.id in self.out.texts else ""
            for count, found in enumerate(CONTROLS.finditer(text)):
                if count == SOURCE_CONTROLS_SHOWN:
                    break
                line = text.count("\n", 0, found.start()) + 1
                col = found.start() - text.rfind("\n", 0, found.start())
                code, message = _control_warning(found.group(), "the source")
                if self.out.formats.get(source.id, "text") == "text":
                    self.out.problems.append(Problem(f"{SEEDS_DIR}/{source.file}", line, col, "warning", code, message))
                else:  # an HTML or PDF file has no lines to point at: its extracted text has, as `dossiers text` shows
                    self.error(
                        self.srcdoc,
                        ("sources", index, "file"),
                        code,
                        f"line {line}, column {col} of its extracted text (dossiers text {source.id}): {message}",
                        "warning",
                    )

    def completeness(self, index, source, extracted):
        """A page whose text kept is much shorter than what it shows is a warning, with the figures; text from JSON-LD
        is said (info)."""
        shortfall = extracted.incomplete
        if shortfall:
            self.error(
                self.srcdoc,
                ("sources", index, "file"),
                "source-text-incomplete",
                f"{SEEDS_DIR}/{source.file}: {shortfall}: a passage left out cannot be quoted (dossiers text "
                f"{source.id} shows what was kept); "
                "save the article's own page again, or store the missing passage as a text source",
                "warning",
            )
        if extracted.origin:
            kept, visible, _ = extracted.words or (0, 0, 0)
            self.error(
                self.srcdoc,
                ("sources", index, "file"),
                "source-text-article-body",
                f"{SEEDS_DIR}/{source.file}: its text is the page's {extracted.origin} ({kept:,} words): the "
                "body the page shows kept fewer than half of them "
                f"(the page shows {visible:,} words in all)",
                "info",
            )

    def capture(self, index, source, page):
        """What an entry says of its capture (when, whether signed, by whom) is what the web archive says: the dossier
        prints it."""
        if page is None:
            for key in ("signed", "signer"):
                if getattr(source, key) is not None:
                    self.error(
                        self.srcdoc,
                        ("sources", index, key),
                        "source-capture-mismatch",
                        f"'{key}' belongs to a source that is a web archive (WARC, WACZ), and "
                        f"{SEEDS_DIR}/{source.file} is not one: remove it",
                    )
            return
        for key in ("url", "retrieved", "signed", "signer"):
            recorded, actual = getattr(source, key), getattr(page, key)
            if recorded != actual:
                say = f"{key}: {actual!r}" if actual is not None else f"no '{key}'"
                self.error(
                    self.srcdoc,
                    ("sources", index, key if recorded is not None else "file"),
                    "source-capture-mismatch",
                    f"{SEEDS_DIR}/{source.file} is a web archive whose page {page.url} says otherwise: record {say}",
                )

    def duplicate_ids(self, doc, section, ids):
        first = {}
        for index, id_ in enumerate(ids):
            if id_ in first:
                line = doc.mark((section, first[id_], "id"))[0]
                self.error(
                    doc,
                    (section, index, "id"),
                    "duplicate-id",
                    f"id '{id_}' is already used on line {line}: ids must be unique",
                )
            else:
                first[id_] = index

    def sources(self):
        reader = SourceReader(self.out.project.layout)
        for index, source in enumerate(self.project_sources):
            here = ("sources", index)
            try:
                document = reader.read(source)
                digest = document.sha256
                if not source.sha256:
                    self.error(
                        self.srcdoc,
                        here + ("file",),
                        "source-sha256-missing",
                        f"record the sha256 of {SEEDS_DIR}/{source.file}: sha256: {digest}",
                    )
                elif digest != source.sha256:
                    self.error(
                        self.srcdoc,
                        here + ("sha256",),
                        "source-changed",
                        f"{SEEDS_DIR}/{source.file} has changed since it was recorded (its sha256 is now {digest}): "
                        "restore the original bytes; a new version of a document is a new source",
                    )
                if document.listed is None:
                    self.out.texts[source.id] = SourceText.of(document.extracted)
                else:
                    self.out.lists[source.id] = document.listed
                self.out.formats[source.id] = document.extracted.format
                self.out.files[source.id] = document.raw
                self.capture(index, source, document.capture)
                self.completeness(index, source, document.extracted)
            except Unreadable as problem:
                self.error(self.srcdoc, here + (problem.field,), problem.code, problem.message)
            for name in ("dataset", "version"):
                if getattr(source, name) and self.out.formats.get(source.id, FTM) != FTM:
                    message = (
                        f"'{name}' belongs to lists (FollowTheMoney files), and {SEEDS_DIR}/{source.file} is "
                        f"{self.out.formats[source.id]}: remove it"
                    )
                    self.error(self.srcdoc, here + (name,), "field-not-for-format", message, key=True)
            if source.published:
                self.not_in_future(self.srcdoc, here + ("published",), source.published)

    def independence(self):
        """The same file twice is an error; sources that share long passages are one line of reporting (info)."""
        seen: dict[tuple[str, str | None], str] = {}
        for index, source in enumerate(self.project_sources):
            for key, value in (("file", source.file), ("sha256", source.sha256)):
                if (key, value) in seen:
                    self.error(
                        self.srcdoc,
                        ("sources", index, key),
                        "source-duplicate",
                        f"source '{seen[(key, value)]}' already records this {key}: one document is one source, "
                        f"so cite '{seen[(key, value)]}'",
                    )
                    break
                seen[(key, value)] = source.id
        texts = {s.id: self.out.texts[s.id] for s in self.project_sources if s.id in self.out.texts}
        self.out.shared = shared_passages(texts)
        self.out.lines = reporting_lines(list(texts), self.out.shared)
        where = {s.id: index for index, s in enumerate(self.project_sources)}
        for passage in self.out.shared:
            excerpt = " ".join(passage.text.split())
            excerpt = excerpt if len(excerpt) <= 160 else excerpt[:157] + "..."
            self.error(
                self.srcdoc,
                ("sources", where[passage.second], "id"),
                "sources-share-text",
                f"'{passage.second}' shares {passage.words} consecutive words with '{passage.first}' (\"{excerpt}\"): "
                "they are one line of reporting, and their agreement counts once as corroboration",
                "info",
            )

    def not_in_future(self, doc, path, value):
        if dates.floor(value) > self.today:
            self.error(doc, path, "date-in-future", f"{value} is in the future: check the year")

    def facts(self):
        actor_ids = {a.id for a in self.registry.actors}
        fact_ids = {f.id for f in self.registry.facts}
        source_ids = {s.id for s in self.project_sources}
        for index, fact in enumerate(self.registry.facts):
            here = ("facts", index)
            for position, actor in enumerate(fact.actors):
                if actor not in actor_ids:
                    self.error(
                        self.regdoc,
                        here + ("actors", position),
                        "unknown-actor",
                        f"no actor has the id '{actor}': add it under 'actors' or fix the id",
                    )
            for position, target in enumerate(fact.denies):
                if target not in fact_ids:
                    self.error(
                        self.regdoc,
                        here + ("denies", position),
                        "unknown-fact",
                        f"no fact has the id '{target}': name the fact this denial answers",
                    )
            for name, kind in KIND_FIELDS.items():
                if getattr(fact, name) and fact.kind != kind:
                    message = (
                        f"'{name}' belongs to {kind.value} facts, and this one is a {fact.kind.value}: remove it or "
                        "change the kind"
                    )
                    self.error(self.regdoc, here + (name,), "field-not-for-kind", message, key=True)
            if fact.kind == FactKind.relationship:
                if len(set(fact.actors)) < 2:
                    self.error(
                        self.regdoc,
                        here + ("actors",),
                        "relationship-needs-two",
                        "a relationship links two or more actors: list both",
                    )
                for name in ("relationship", "link"):
                    if not getattr(fact, name):
                        self.error(
                            self.regdoc,
                            here + ("kind",),
                            "relationship-incomplete",
                            f"a relationship needs '{name}': say how the first actor relates to the others",
                        )
            if fact.kind == FactKind.denial and not fact.denies:
                self.error(
                    self.regdoc,
                    here + ("kind",),
                    "denial-without-target",
                    "a denial must say what it denies: add 'denies: [fact-id]'",
                )
            for name, value in fact.filled_dates():
                self.not_in_future(self.regdoc, here + (name,), value)
            if fact.startDate and fact.endDate and dates.floor(fact.startDate) > dates.floor(fact.endDate):
                self.error(
                    self.regdoc,
                    here + ("endDate",),
                    "date-order",
                    f"endDate {fact.endDate} is before startDate {fact.startDate}: swap or fix them",
                )
            if not fact.citations:
                self.error(
                    self.regdoc,
                    here + ("id",),
                    "fact-without-citation",
                    "every fact needs at least one citation: add a quote from a source under 'citations'",
                )
            for position, citation in enumerate(fact.citations):
                passage, miss = self.anchor(here + ("citations", position), citation, source_ids)
                if passage:
                    self.out.anchors[(fact.id, position)] = passage
                else:
                    self.out.misses[(fact.id, position)] = miss
        self.denial_cycles()
        for index, waiver in enumerate(self.registry.waivers):
            passage, _ = self.anchor(("waivers", index), waiver, source_ids)
            if passage:
                self.out.waived.append((waiver.source, passage))
        self.support()

    def support(self) -> None:
        """Every support rule (rules.RULES) on each fact whose quotes all anchor, each warning at the field it judges;
        a waived one is shown as a note with the analyst's reason."""
        out = self.out
        around = Around(self.actor_by_id, out.texts, self.source_by_id, out.paragraphs, out.lines, out.shared)
        facts = self.registry.facts
        around.note_citations(facts, out.anchors)
        for index, fact in enumerate(facts):
            passages = [out.anchors.get((fact.id, position)) for position in range(len(fact.citations))]
            anchored = [passage for passage in passages if passage]
            if not passages or len(anchored) < len(passages) or fact.id in out.support:
                continue
            found = support_warnings(Cited(fact, anchored, around))
            out.support[fact.id] = found
            for number, warning in enumerate(found):
                path = ("facts", index) + warning.field
                severity, message = warning.severity, warning.message
                if warning.waived is not None:
                    severity, message = "info", f"waived ({warning.waived}): {message}"
                problem = self.regdoc.problem(
                    path, warning.code, message, severity, key=warning.field[:1] == ("waive",)
                )
                out.problems.append(problem)
                out.support_at[(fact.id, number)] = (problem.line, problem.col)

    def denial_cycles(self):
        """A denial that denies itself, or takes part in a ring of denials, is an error: it denies nothing."""
        denies = {f.id: f.denies for f in self.registry.facts}
        for index, fact in enumerate(self.registry.facts):
            seen, todo = set(), list(fact.denies)
            while todo:
                target = todo.pop()
                if target == fact.id:
                    ring = "itself" if fact.id in fact.denies else "a fact that, through denials, denies it"
                    self.error(
                        self.regdoc,
                        ("facts", index, "denies"),
                        "denial-cycle",
                        f"'{fact.id}' denies {ring}: a "
                        "denial answers a claim, so point 'denies' at the fact it answers",
                    )
                    break
                if target not in seen:
                    seen.add(target)
                    todo.extend(denies.get(target, []))

    def anchor(self, path, cited, source_ids) -> tuple[Passage | None, str]:
        """The passage a citation or waiver quotes, or None and why not (reported as a problem too)."""
        if cited.source not in source_ids:
            message = f"no source has the id '{cited.source}': add it to {SOURCES_FILE} or fix the id"
            self.error(self.regdoc, path + ("source",), "unknown-source", message)
            return None, f"unknown-source: {message}"
        if cited.source in self.out.lists:
            message = (
                f"source '{cited.source}' is a list (FollowTheMoney entities), which has no text to quote: "
                "name its entity in the actor's sameAs, and its records are the actor's listings"
            )
            self.error(self.regdoc, path + ("source",), "quote-in-list", message)
            return None, f"quote-in-list: {message}"
        if cited.source not in self.out.texts:
            return None, f"source '{cited.source}' is missing or unreadable"
        try:
            return locate_quote(self.out.texts[cited.source], cited.quote, cited.prefix, cited.suffix), ""
        except QuoteError as miss:
            self.error(self.regdoc, path + ("quote",), miss.code, miss.message)
            return None, f"{miss.code}: {miss.message}"

    def judgements(self):
        """Each sameAs and notSame that names a registered list: the list is one, it has the entity, the entity's schema
        fits the actor's kind; then the disagreements between the lists and the registry (see `disagreements`)."""
        source_ids = {s.id for s in self.project_sources}
        for index, actor in enumerate(self.registry.actors):
            confirmed = {(j.source, j.id) for j in actor.sameAs if j.source}
            for key in ("sameAs", "notSame"):
                for position, judgement in enumerate(getattr(actor, key)):
                    if judgement.source is None:
                        continue
                    here = ("actors", index, key, position)
                    if key == "notSame" and (judgement.source, judgement.id) in confirmed:
                        self.error(
                            self.regdoc,
                            here + ("id",),
                            "judgement-contradicts",
                            f"'{judgement.id}' of "
                            f"'{judgement.source}' is both sameAs and notSame '{actor.id}': keep one",
                        )
                    self.judged(here, actor, key, judgement, source_ids)
        self.disagreements()

    def judged(self, here, actor, key, judgement, source_ids):
        if judgement.source not in source_ids:
            message = (
                f"no source has the id '{judgement.source}': register the list with `dossiers add-source` or fix the id"
            )
            self.error(self.regdoc, here + ("source",), "unknown-source", message)
            return
        listed = self.out.lists.get(judgement.source)
        if listed is None:
            if judgement.source in self.out.formats:
                message = (
                    f"source '{judgement.source}' is {self.out.formats[judgement.source]}, not a list: a "
                    "judgement's source is a "
                    "FollowTheMoney entities file; for an outside dataset write 'dataset:' instead"
                )
                self.error(self.regdoc, here + ("source",), "judgement-not-a-list", message)
            return  # an unreadable list is reported at its entry
        entity = listed.entities.get(judgement.id)
        if entity is None:
            if key == "sameAs":
                what = (
                    "the entity confirmed as '{actor}' is not in it: delisted, merged into another entity, or a "
                    "mistyped id; "
                    "find it in the list and correct the judgement, or record the delisting"
                )
            else:
                what = (
                    "the entity rejected for '{actor}' is not in it: a mistyped id, or it left the list; correct or "
                    "remove the judgement"
                )
            self.error(
                self.regdoc,
                here + ("id",),
                "judgement-entity-absent",
                f"list '{judgement.source}' has no entity '{judgement.id}': " + what.format(actor=actor.id),
                "warning",
            )
            return
        fits = SCREENED_AGAINST.get(actor.kind, set())
        if entity.schema not in fits:
            allowed = ", ".join(sorted(fits)) or "none: states are not screened"
            message = (
                f"'{judgement.id}' is a {entity.schema} in '{judgement.source}', and '{actor.id}' is a "
                f"{actor.kind.value}, which only a {allowed} can be"
            )
            self.error(self.regdoc, here + ("id",), "judgement-schema-mismatch", message)

    def disagreements(self):
        """Warnings where a registered list and the registry disagree: a name the list holds and no judgement answers
        (screening-unresolved), and a sanction an article reports for an authority whose list has no record of the
        actor (sanction-not-listed)."""
        if not self.out.lists:
            return
        indexes = {source_id: NameIndex(listed) for source_id, listed in self.out.lists.items()}
        for index, actor in enumerate(self.registry.actors):
            judged = {(j.source, j.id) for j in (*actor.sameAs, *actor.notSame) if j.source}
            for source_id, names in indexes.items():
                for entity, mine, theirs in names.matches(actor):
                    if (source_id, entity.id) not in judged:
                        message = (
                            f"'{actor.id}' may be '{entity.id}' of list '{source_id}' (the {entity.schema} "
                            f'named "{theirs[:120]}" holds '
                            f'every word of "{mine}"), and no judgement says whether it is: add it to sameAs '
                            "or notSame, with a note of what was compared"
                        )
                        self.error(self.regdoc, ("actors", index, "id"), "screening-unresolved", message, "warning")
        authorities = {source_id: list_authorities(listed) for source_id, listed in self.out.lists.items()}
        for index, fact in enumerate(self.registry.facts):
            if fact.kind != FactKind.sanction:
                continue
            for position, authority in enumerate(fact.authority):
                lists = [source_id for source_id, keys in authorities.items() if authority_key(authority) in keys]
                for actor_id in dict.fromkeys(fact.actors):
                    actor = self.actor_by_id.get(actor_id)
                    if actor is None:
                        continue
                    for source_id in lists:
                        if any(listing.source == source_id for listing in listings(actor, self.out.lists)):
                            continue
                        confirmed = [j.id for j in actor.sameAs if j.source == source_id]
                        why = (
                            f"the entity '{actor_id}' is confirmed as ({', '.join(confirmed)}) has no record in it"
                            if confirmed
                            else f"no entity of it is confirmed as '{actor_id}' (sameAs)"
                        )
                        message = (
                            f"'{fact.id}' reports a sanction by {authority} on '{actor_id}', and list "
                            f"'{source_id}', of that authority, "
                            f"disagrees: {why}; confirm the entity, or say in the fact that the list does not "
                            "hold it"
                        )
                        self.error(
                            self.regdoc,
                            ("facts", index, "authority", position),
                            "sanction-not-listed",
                            message,
                            "warning",
                        )

    def warnings(self):
        self.controls()
        cited = {c.source for f in self.registry.facts for c in f.citations}
        cited |= {j.source for a in self.registry.actors for j in (*a.sameAs, *a.notSame) if j.source}
        for index, source in enumerate(self.project_sources):
            if source.id not in cited:
                self.error(
                    self.srcdoc,
                    ("sources", index, "id"),
                    "source-uncited",
                    f"no fact cites source '{source.id}': cite it or remove it",
                    "warning",
                )
        about = Counter(actor for f in self.registry.facts for actor in set(f.actors))
        for index, actor in enumerate(self.registry.actors):
            if actor.kind.is_person and not about[actor.id]:
                self.error(
                    self.regdoc,
                    ("actors", index, "id"),
                    "actor-without-facts",
                    f"no fact is about '{actor.id}': their dossier would be empty",
                    "warning",
                )


def _strings(data, path=()):
    """Every string in loaded YAML data, keys too: (path, text, whether it is a key)."""
    if isinstance(data, str):
        yield path, data, False
    elif isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str):
                yield path + (key,), key, True
            yield from _strings(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, path + (index,))


def _control_warning(char: str, where: str) -> tuple[str, str]:
    """The code and message of a control character found in `where`."""
    shown = f"⟨U+{ord(char):04X}⟩"
    if BIDI_CONTROLS.fullmatch(char):
        return (
            "bidi-control",
            f"{where} holds an invisible character that reorders text (Unicode bidi control {shown}): outputs show it "
            f"as {shown}; remove it unless the source has it",
        )
    return "control-character", (
        f"{where} holds a control character ({shown}), the stuff of terminal escapes: outputs show it as {shown}; "
        "remove it unless the source has it"
    )


def check_project(project: Project, today: dt.date | None = None) -> Checked:
    """Run every rule on a loaded project."""
    return _Checker(project, today or dt.date.today()).run()


def require_clean(checked: Checked) -> Checked:
    """The checked project, if it has no errors; else a UserError that lists them."""
    if checked.errors:
        raise UserError(
            "the registry does not pass the check: fix these, or run `dossiers check` for every problem", checked.errors
        )
    return checked


def require_printable(checked: Checked, draft: bool = False) -> Checked:
    """The checked project, if it has no errors and (unless `draft`) no fact with an open support warning; else a
    UserError that names each such fact, its codes, and the field of each warning."""
    require_clean(checked)
    unsupported = checked.unsupported
    if unsupported and not draft:
        listed = "; ".join(
            f"{fact_id} ({', '.join(dict.fromkeys(p.code for p in problems))})"
            for fact_id, problems in unsupported.items()
        )
        raise UserError(
            f"{len(unsupported)} fact{'s' * (len(unsupported) != 1)} with an open support warning, and nothing "
            f"unsupported prints: {listed}. "
            "Fix each, or waive it on the fact with your reason (waive: {code: reason}); --draft renders anyway, every "
            "page marked as a draft",
            [p for problems in unsupported.values() for p in problems],
        )
    return checked


def check(root: Path) -> Checked:
    """Load the project under `root` and run every rule; raises UserError when it does not load."""
    return check_project(load_project(root))


def settings_problems(root: Path) -> list[Problem]:
    """What is wrong with dossiers.toml, which every command reads: nothing if it is absent or right."""
    try:
        load_settings(root)
    except UserError as error:
        return error.problems
    return []


def problems_of(root: Path) -> tuple[list[Problem], bool]:
    """Every problem of the project, dossiers.toml's first, and whether the registry loaded (if not, its problems are
    the load's)."""
    settings = settings_problems(root)
    try:
        return settings + check(root).problems, True
    except UserError as error:
        return settings + error.problems, False
