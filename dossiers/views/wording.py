"""The sentences every output prints the same way, written once as data for every template."""

from __future__ import annotations

from ..registry.model import Reliability

NO_SANCTIONS = "Sanctions: none reported in these sources; this is not a check of official lists"  # ordinary weight: no clearance
SANCTIONS_REPORTED = "Sanctions reported"  # followed by the authorities
NO_AUTHORITY = "no authority named"  # in place of the authority of a sanction the source reports without one ("Western sanctions")
ABSENCE = "A sanction missing from this document means only that no cited source reports one, not that the person is not sanctioned."
PACK_ABSENCE = "Every claim in this pack cites the exact words of a source, checked against the source file. A sanction missing from it means only that no cited source reports one."
MATRIX_LEAD = "Sanctions reported by the cited sources, person by authority. An empty cell means no cited source reports a sanction, not that there is none."
PUBLISHER_UNKNOWN = "publisher unknown"  # in place of the publisher of a source that names none
CURATED = "curated"  # beside another name that no cited source gives
CURATED_MEANING = "Curated: a name the analyst gives (a full name, a native script, a transliteration) that no cited source uses."
NO_RESPONSE = "No response from those accused is reported in the cited sources."
NOT_EVIDENCE = "that is not evidence that they are not sanctioned."

METHOD = (
    "Every claim is the analyst's summary of one or more sources; each note gives the source's exact words, "
    "checked by dossiers check against the source file, whose sha256 is recorded."
)
STATUSES = [
    ("Reported", "a source states it as fact."),
    ("Alleged", "a source relays it as a claim or accusation."),
    ("Denied", "the party concerned denies it."),
    ("Disputed", "sources disagree."),
]
RELIABILITY = (
    f"Reliability is the Admiralty grade of the source, from A ({Reliability.A.meaning}) to E ({Reliability.E.meaning}); "
    f"F means it {Reliability.F.meaning}. A date marked as derived was worked out from a vague date in the source, as its note says."
)
MATCHING = (
    "Quotes are verified by matching their words against the source text; only white space, typographic quotes, "
    "dashes and spaces around hyphens may differ. A quote that occurs more than once must say which occurrence it means."
)
GRADES = [(grade.value, grade.meaning) for grade in Reliability]


def draft_banner(unsupported: int) -> str:
    """What every page of a draft says: that it is one, and how many of its claims the quotes may not carry."""
    claims = f"{unsupported} claim{'s' * (unsupported != 1)}"
    return (
        f"DRAFT, not for circulation: {claims} in it {'has' if unsupported == 1 else 'have'} an open support warning "
        "(dossiers check lists them) and would not print in a build without --draft."
    )


def unsanctioned(others: int, any_sanctioned: bool) -> str:
    """The summary's sentence on the people no cited source reports sanctioned: the other N, or everyone."""
    whom = f"the other {others} people" if any_sanctioned else "anyone in this pack"
    return f"No cited source reports sanctions on {whom}; {NOT_EVIDENCE}"


def counted(number: int, noun: str) -> str:
    """'1 change', '3 changes'."""
    return f"{number} {noun}{'s' * (number != 1)}"


def cited_in(notes: int) -> str:
    """Before the numbers of the notes that cite a passage, in the source appendix."""
    return f"Cited in note{'s' * (notes > 1)}"


def diff_summary(counts: dict[tuple[str, str], int], unverified: int) -> str:
    """The head line of a diff report: (what, change) → how many, and whether every new or changed quote verifies."""
    def of(what: str, *changes: str) -> str:
        return ", ".join(f"{counts.get((what, change), 0)} {change}" for change in changes)

    parts = [f"Actors: {of('actor', 'added', 'removed', 'changed')}", f"Facts: {of('fact', 'added', 'removed', 'changed')}",
             f"Sources: {of('source', 'added', 'removed', 'changed')}"]
    if counts.get(("waiver", "added")) or counts.get(("waiver", "removed")):
        parts.append(f"Waivers: {of('waiver', 'added', 'removed')}")
    if unverified:
        parts.append(f"❌ {unverified} new or changed quote{'s' * (unverified != 1)} do{'es' * (unverified == 1)} not verify")
    else:
        parts.append("✅ every new or changed quote verifies")
    return " · ".join(parts)


def draft_mark(unsupported: int) -> str:
    """The draft's running header: short, for the page margin."""
    return f"DRAFT · {unsupported} unsupported claim{'s' * (unsupported != 1)}"


def waivers_note(waived: int, claims: int) -> str:
    """The note on method's count of the warnings analysts judged and waived."""
    if not waived:
        return "Every field that prints is compared with its quotes; no support warning was waived."
    return (
        f"Every field that prints is compared with its quotes; {waived} support warning{'s' * (waived != 1)} on {claims} "
        f"claim{'s' * (claims != 1)} {'was' if waived == 1 else 'were'} judged by the analyst and waived, each with its reason in the registry."
    )
APPENDIX = (
    "Each passage a note cites, in its paragraph of the source's text, the quoted words marked. "
    "The source files themselves are attached to this PDF, with the claims and the offsets of their quotes: "
    "dossiers verify checks them."
)
