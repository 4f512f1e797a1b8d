"""What a change to the registry claims: a semantic diff of two git revisions.

Each side is taken from git (or the working tree), loaded and checked like any registry,
and compared by id: actors, facts and sources added, removed or changed, field by field.
"""

from __future__ import annotations

import difflib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from ..errors import UserError
from ..output.markdown import diff_markdown, dossier_markdown
from ..output.session import Session, open_session
from ..output.templates import Templates
from ..registry.layout import REGISTRY_FILE, dossier_name
from ..registry.model import FactKind, Waiver
from ..verify.check import Checked
from ..views import wording
from ..views.dossier import dossier, linked
from .git import WORKING_TREE, default_base, materialise, require_repository, short

FLAGGED_KINDS = {FactKind.sanction, FactKind.allegation, FactKind.denial}
_Item = TypeVar("_Item")


@dataclass(frozen=True)
class FieldChange:
    """A field's old and new value; for a list, the items removed (old) and added (new)."""

    field: str
    old: object
    new: object
    items: bool = False

    @property
    def shown(self) -> tuple[str, str]:
        """Old and new as short text."""
        if self.items:
            if not (isinstance(self.old, list) and isinstance(self.new, list)):
                raise TypeError(f"{self.field}: a change of items holds the lists of items removed and added")
            return "; ".join(_item(i) for i in self.old) or "-", "; ".join(_item(i) for i in self.new) or "-"
        return _value(self.old), _value(self.new)


def _value(value: object) -> str:
    """A field's whole value in a few words: a list (the same items in another order, say) item by item."""
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return ", ".join(_item(i) for i in value) or "-"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items()) or "-"
    return str(value)


def _item(value: object) -> str:
    """A list item in a few words: a citation as its quote and source, a name with its language."""
    if isinstance(value, dict):
        if "quote" in value:
            return f"“{value['quote']}” ({value.get('source')})"
        if "name" in value:
            return f"{value['name']} ({value['lang']})" if value.get("lang") else str(value["name"])
        return ", ".join(f"{k}: {v}" for k, v in value.items() if v is not None)
    return str(value)


@dataclass(frozen=True)
class CitationCheck:
    source: str
    quote: str
    verified: bool
    problem: str | None = None


@dataclass(frozen=True)
class Change:
    """One actor, fact or source that was added, removed or changed."""

    what: str  # actor, fact, source
    id: str
    change: str  # added, removed, changed
    label: str  # a name or the fact's text
    actors: list[str]  # the actor ids it concerns
    fields: list[FieldChange] = field(default_factory=list)
    citations: list[CitationCheck] = field(default_factory=list)
    flagged: bool = False  # a sanction, or an allegation or denial whose status moved
    # where the head's quotes may not carry the claim ('code (file:line:col, field): message')
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DiffReport:
    base: str
    head: str
    changes: list[Change]
    names: dict[str, str]  # actor id → name, from both sides
    dossiers: dict[str, str] = field(default_factory=dict)  # actor id → unified diff of the Markdown dossier
    dossiers_note: str = ""  # why dossiers were not compared, if they were asked for and could not be

    @property
    def unverified(self) -> int:
        return sum(not c.verified for change in self.changes for c in change.citations)

    def _count(self, what: str, change: str) -> int:
        return sum(c.what == what and c.change == change for c in self.changes)

    @property
    def summary(self) -> str:
        """The counts of the report's head line, and whether every new quote verifies."""
        counts = {(c.what, c.change): self._count(c.what, c.change) for c in self.changes}
        return wording.diff_summary(counts, self.unverified)

    @property
    def by_actor(self) -> dict[str, list[Change]]:
        """The changes that concern each actor, in the order the actors first appear."""
        groups: dict[str, list[Change]] = {}
        for change in self.changes:
            for actor in change.actors:
                groups.setdefault(actor, []).append(change)
        return groups

    @property
    def actor_groups(self) -> tuple[ActorChanges, ...]:
        """The changes that concern each actor, as the report heads them."""
        return tuple(
            ActorChanges(
                actor_id, self.names.get(actor_id, actor_id), wording.counted(len(changes), "change"), tuple(changes)
            )
            for actor_id, changes in self.by_actor.items()
        )

    @property
    def source_changes(self) -> list[Change]:
        return [c for c in self.changes if c.what == "source"]

    @property
    def source_changes_label(self) -> str:
        return wording.counted(len(self.source_changes), "change")


@dataclass(frozen=True)
class ActorChanges:
    actor_id: str
    name: str
    label: str  # '3 changes'
    changes: tuple[Change, ...]


def _side(root: Path, revision: str | None, into: Path, templates: bool) -> tuple[str, Session]:
    """A side opened, errors allowed: the working tree, or what a revision's check needs; with its own templates if
    they are to render (else the packaged ones)."""
    label = revision or WORKING_TREE
    where = root if revision is None else materialise(root, revision, into, templates)
    try:
        return label, open_session(where, project_templates=templates, printable=False)
    except UserError as error:
        raise UserError(f"the registry at {label} does not load", error.problems) from None


# -- comparison -------------------------------------------------------------------------


def _fields(old: dict, new: dict) -> list[FieldChange]:
    changed = []
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if (
            isinstance(before, list)
            and isinstance(after, list)
            and sorted(map(repr, before)) == sorted(map(repr, after))
        ):
            # the same items in another order: for actors, who is the subject
            changed.append(FieldChange(key, before, after))
        elif isinstance(before, list) and isinstance(after, list):
            changed.append(
                FieldChange(
                    key, [i for i in before if i not in after], [i for i in after if i not in before], items=True
                )
            )
        else:
            changed.append(FieldChange(key, before, after))
    return changed


def _citation_checks(checked: Checked, fact, old_citations: list) -> list[CitationCheck]:
    """Every citation of `fact` at the head that is new or changed, and whether the check anchored it."""
    out = []
    for index, citation in enumerate(fact.citations):
        if citation in old_citations:
            continue
        miss = checked.misses.get((fact.id, index))
        out.append(CitationCheck(citation.source, citation.quote, miss is None, miss))
    return out


def _waiver_changes(base: Checked, head: Checked) -> list[Change]:
    """Waivers added or removed: a waiver excuses source sentences from coverage, so each is flagged for review."""

    def keyed(checked: Checked) -> dict[tuple, Waiver]:
        return {(w.source, w.quote, w.prefix, w.suffix): w for w in checked.project.registry.waivers}

    old, new = keyed(base), keyed(head)
    changes = []
    for key in list(old) + [k for k in new if k not in old]:
        if (key in old) != (key in new):
            waiver = new.get(key) or old[key]
            change = "added" if key in new else "removed"
            fields = [FieldChange("reason", None, waiver.reason)] if change == "added" else []
            changes.append(Change("waiver", waiver.source, change, waiver.quote, [], fields, flagged=True))
    return changes


def _support_lines(checked: Checked, fact_id: str) -> list[str]:
    """Each support warning of a fact as the report lists it under the fact: code, where (file:line:col, field),
    message;
    a waived one with the analyst's reason."""
    lines = []
    for index, warning in enumerate(checked.support.get(fact_id, [])):
        line, col = checked.support_at[(fact_id, index)]
        where = f"{REGISTRY_FILE}:{line}:{col}, {_field(warning.field)}"
        if warning.waived is not None:
            lines.append(f"{warning.code} ({where}) waived: {warning.waived}")
        else:
            lines.append(f"{warning.code} ({where}): {warning.message}")
    return lines


def _field(path: tuple) -> str:
    """('citations', 0, 'attribution') → 'citations[0].attribution'."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}" if out else str(part)
    return out


def _sides(old: dict[str, _Item], new: dict[str, _Item]) -> Iterator[tuple[str, _Item | None, _Item | None, _Item]]:
    """Each id on either side, the old ones first: its old and new item (None on the side without it), and the one there
    is (the new first)."""
    for key in list(old) + [k for k in new if k not in old]:
        yield key, old.get(key), new.get(key), new[key] if key in new else old[key]


def compare(base: Checked, head: Checked, base_label: str, head_label: str) -> DiffReport:
    """The semantic difference between two checked registries."""
    changes: list[Change] = []
    old_actors = {a.id: a for a in base.project.registry.actors}
    new_actors = {a.id: a for a in head.project.registry.actors}
    for actor_id, old, new, actor in _sides(old_actors, new_actors):
        if old is None or new is None:
            changes.append(Change("actor", actor_id, "added" if old is None else "removed", actor.name, [actor_id]))
        elif old != new:
            changes.append(
                Change(
                    "actor",
                    actor_id,
                    "changed",
                    new.name,
                    [actor_id],
                    _fields(old.model_dump(mode="json"), new.model_dump(mode="json")),
                )
            )
    old_facts = {f.id: f for f in base.project.registry.facts}
    new_facts = {f.id: f for f in head.project.registry.facts}
    for fact_id, old, new, fact in _sides(old_facts, new_facts):
        if old == new:
            continue
        change = "added" if old is None else "removed" if new is None else "changed"
        fields = (
            _fields(old.model_dump(mode="json"), new.model_dump(mode="json"))
            if old is not None and new is not None
            else []
        )
        status_moved = any(f.field in ("status", "kind", "denies") for f in fields)
        waiving = (old.waive if old else {}) != (new.waive if new else {})
        flagged = (
            waiving
            or fact.kind == FactKind.sanction
            or (old is not None and old.kind == FactKind.sanction)
            or (fact.kind in FLAGGED_KINDS and (change != "changed" or status_moved))
        )
        checks = _citation_checks(head, new, list(old.citations) if old else []) if new else []
        warnings = _support_lines(head, fact_id) if new else []
        actors = list(dict.fromkeys((old.actors if old else []) + (new.actors if new else [])))
        changes.append(Change("fact", fact_id, change, fact.text, actors, fields, checks, flagged, warnings))
    old_sources = {s.id: s for s in base.project.sources.sources}
    new_sources = {s.id: s for s in head.project.sources.sources}
    for source_id, old, new, source in _sides(old_sources, new_sources):
        if old is None or new is None:
            changes.append(Change("source", source_id, "added" if old is None else "removed", source.title, []))
        elif old != new:
            changes.append(
                Change(
                    "source",
                    source_id,
                    "changed",
                    new.title,
                    [],
                    _fields(old.model_dump(mode="json"), new.model_dump(mode="json")),
                )
            )
        elif (
            base.texts.get(source_id)
            and head.texts.get(source_id)
            and base.texts[source_id].text != head.texts[source_id].text
        ):
            changes.append(
                Change(
                    "source",
                    source_id,
                    "changed",
                    new.title,
                    [],
                    [FieldChange("bytes of the file", "as recorded", "changed")],
                )
            )
    changes += _waiver_changes(base, head)
    changes.sort(key=lambda c: (not c.flagged, ["fact", "waiver", "actor", "source"].index(c.what)))
    names = {a.id: a.name for a in list(old_actors.values()) + list(new_actors.values())}
    return DiffReport(base_label, head_label, changes, names)


def affected_dossiers(report: DiffReport, base: Session, head: Session) -> list[str]:
    """The actors with a dossier, on either side, that a change can alter: a fact or actor changed, or a source (an
    article or a list) that one of their facts cites or one of their judgements names."""
    with_dossiers = {a.id for side in (base, head) for a in side.views.with_dossiers}
    changed_sources = {change.id for change in report.changes if change.what == "source"}
    source_users = {
        actor
        for side in (base.checked, head.checked)
        for fact in side.project.registry.facts
        if any(c.source in changed_sources for c in fact.citations)
        for actor in fact.actors
    } | {
        actor.id
        for side in (base.checked, head.checked)
        for actor in side.project.registry.actors
        if any(j.source in changed_sources for j in [*actor.sameAs, *actor.notSame])
    }
    touched = {actor for change in report.changes for actor in change.actors} | source_users
    return sorted(touched & with_dossiers)


def dossier_diffs(report: DiffReport, base: Session, head: Session) -> dict[str, str]:
    """A unified diff of each affected Markdown dossier, base against head (sessions whose checks found no error)."""
    diffs = {}
    shown = [{a.id for a in side.views.with_dossiers} for side in (base, head)]
    for actor_id in affected_dossiers(report, base, head):
        texts = []
        for side, has_dossier in zip((base, head), shown, strict=True):
            view = (
                linked(dossier(side.views, actor_id), dossier_name(actor_id, "md"), "md")
                if actor_id in has_dossier
                else None
            )
            texts.append(dossier_markdown(side.templates, view) if view else "")
        lines = difflib.unified_diff(
            texts[0].splitlines(keepends=True),
            texts[1].splitlines(keepends=True),
            f"{report.base}/dossiers/{actor_id}.md",
            f"{report.head}/dossiers/{actor_id}.md",
        )
        text = "".join(lines)
        if text:
            diffs[actor_id] = text
    return diffs


def diff_registry(
    root: Path, base: str | None = None, head: str | None = None, dossiers: bool = False, project_templates: bool = True
) -> DiffReport:
    """Compare the registry at `base` (default: merge-base with the default branch) and `head` (default: working tree).

    `project_templates=False` renders the dossiers with the packaged templates only.
    """
    require_repository(root)
    with tempfile.TemporaryDirectory(prefix="dossiers-diff-") as scratch:
        base = base or default_base(root)
        templates = dossiers and project_templates
        base_label, base_side = _side(root, base, Path(scratch) / "base", templates)
        head_label, head_side = _side(root, head, Path(scratch) / "head", templates)
        report = compare(base_side.checked, head_side.checked, short(root, base_label), short(root, head_label))
        if dossiers:
            broken = [
                label for label, side in ((base_label, base_side), (head_label, head_side)) if side.joined is None
            ]
            if broken:
                report = replace(
                    report,
                    dossiers_note=f"Dossiers not compared: the registry at {' and '.join(broken)} "
                    "does not pass the check.",
                )
            else:
                report = replace(report, dossiers=dossier_diffs(report, base_side, head_side))
    return report


# -- reports ----------------------------------------------------------------------------

GITHUB_LIMIT = 1024 * 1024  # bytes GitHub takes in a comment or a step summary


def fit_github(markdown: str, limit: int = GITHUB_LIMIT) -> str:
    """The Markdown report, cut at a whole section with a note if it is over GitHub's limit."""
    if len(markdown.encode("utf-8")) <= limit:
        return markdown
    note = (
        "\n\n> **Truncated:** this report is over GitHub's 1 MiB limit. Run `dossiers diff --format text` for all of "
        "it.\n"
    )
    room = limit - len(note.encode("utf-8")) - 16
    cut = markdown.encode("utf-8")[:room].decode("utf-8", "ignore")
    section = cut.rfind("\n<details>")
    return (cut[:section] if section > 0 else cut) + note


def diff_markdown_report(root: Path, report: DiffReport, project_templates: bool = True) -> str:
    """The report as Markdown for a pull request, through the project's templates (or the packaged ones), cut to
    GitHub's limit."""
    from ..registry.layout import Layout

    return fit_github(diff_markdown(Templates(Layout(root), project_templates), report))
