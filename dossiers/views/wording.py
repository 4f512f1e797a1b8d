"""The sentences every output prints the same way, written once as data for every template."""

from __future__ import annotations

from ..registry.model import Reliability

# ordinary weight: no clearance
NO_SANCTIONS = "Sanctions: none reported in these sources; this is not a check of official lists"
SANCTIONS_REPORTED = "Sanctions reported"  # followed by the authorities
LISTED = "Listed"  # before the authorities whose official list records the person now
FORMERLY_LISTED = "Formerly listed"  # before the authorities whose list records a listing that has ended
REPORTED_IN_SOURCES = "Reported in the sources"  # before the authorities the cited articles report, beside a listing
LISTED_HEADING = "Listed: the official lists' records"  # the sanctions section's part from the registered lists
REPORTED_HEADING = "Reported by the sources"  # the part from the articles, beside listings
LISTED_LEAD = (
    "Each record as the list gives it, its reason in the list's own words, cited to the list file and the record's id."
)
# in place of the authority of a sanction the source reports without one ("Western sanctions")
NO_AUTHORITY = "no authority named"
ABSENCE = (
    "A sanction missing from this document means only that no cited source reports one, not that the person is not "
    "sanctioned."
)
BODY_ABSENCE = (
    "A sanction missing from this document means only that no cited source reports one, not that the body is not "
    "sanctioned."
)
PACK_ABSENCE = (
    "Every claim in this pack cites the exact words of a source, checked against the source file. A sanction missing "
    "from it means only that no cited source reports one."
)
MATRIX_LEAD = (
    "Sanctions reported by the cited sources, person by authority. An empty cell means no cited source reports a "
    "sanction, not that there is none."
)
# the matrix's column of listings, before the authorities the sources report
MATRIX_LISTED = "Listed (the registered lists' records)"
# a matrix cell: no record of the person in the registered lists (or no confirmed entity in them)
NOT_LISTED = "no record"
PUBLISHER_UNKNOWN = "publisher unknown"  # in place of the publisher of a source that names none
CURATED = "curated"  # beside another name that no cited source gives
CURATED_MEANING = (
    "Curated: a name the analyst gives (a full name, a native script, a transliteration) that no cited source uses."
)
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
    f"Reliability is the Admiralty grade of the source, from A ({Reliability.A.meaning}) to E "
    f"({Reliability.E.meaning}); "
    f"F means it {Reliability.F.meaning}. A date marked as derived was worked out from a vague date in the source, as "
    "its note says."
)
MATCHING = (
    "Quotes are verified by matching their words against the source text; only white space, typographic quotes, "
    "dashes and spaces around hyphens may differ. A quote that occurs more than once must say which occurrence it "
    "means."
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


def listing_period(listed: str, ended: str, short: bool = False) -> str:
    """'listed since 21 June 2021' ('since 21 June 2021', `short`, for the status line); a listing that has ended:
    'formerly listed, until 3 March 2024 (listed 21 June 2021)' ('until 3 March 2024', `short`)."""
    if ended:
        return (
            f"until {ended}" if short else f"formerly listed, until {ended}" + (f" (listed {listed})" if listed else "")
        )
    if not listed:
        return "date listed not given" if short else "listed, the list gives no date"
    return f"since {listed}" if short else f"listed since {listed}"


def listing_citation(title: str, dataset: str, version: str, record: str, file: str, sha256: str) -> str:
    """The note of a listing: the list's title, dataset and version if any, the record's id, and the file checked."""
    named = ", ".join(
        part for part in (f"dataset {dataset}" if dataset else "", f"version {version}" if version else "") if part
    )
    return f"{title}{f' ({named})' if named else ''}, record {record}; file {file}, sha256 {sha256[:16]}…"


def status_parts(
    listed: list[tuple[str, str]], formerly: list[tuple[str, str]], reported: list[str]
) -> tuple[tuple[str, str], ...]:
    """The status line in parts, (label, what follows it): who lists the person (authority, '(programme, since ...)'),
    who
    listed them once, and who the sources report; or that none are reported, with nothing after it."""
    parts = []
    if listed:
        parts.append((LISTED, "; ".join(f"{who} ({what})" for who, what in listed)))
    if formerly:
        parts.append((FORMERLY_LISTED, "; ".join(f"{who} ({what})" for who, what in formerly)))
    if reported:
        parts.append((REPORTED_IN_SOURCES if parts else SANCTIONS_REPORTED, ", ".join(reported)))
    return tuple(parts) or ((NO_SANCTIONS, ""),)


def status_line(listed: list[tuple[str, str]], formerly: list[tuple[str, str]], reported: list[str]) -> str:
    """'Listed: European Union (EU-BLR, since 21 June 2021). Reported in the sources: EU, US'."""
    return ". ".join(f"{label}: {what}" if what else label for label, what in status_parts(listed, formerly, reported))


SCREENINGS_HEADING = "Screenings on the record"  # the pack's list of the project's screenings/*.json


def screened(
    day: str, path: str, against: str, matcher: str, threshold: float, candidates: int, confirmed: list[str]
) -> str:
    """A dossier's line on its person's last screening: when, against what, with what result."""
    if not candidates:
        result = "no candidate at or above the threshold"
    else:
        result = counted(candidates, "candidate") + " at or above the threshold, "
        result += (
            f"{len(confirmed)} confirmed as the same entity ({', '.join(confirmed)})" if confirmed else "none confirmed"
        )
    return (
        f"Last screened on {day} against {against} with {matcher}, threshold {threshold:g}: {result} (recorded in "
        f"{path})."
    )


def screening_entry(
    day: str, path: str, against: str, matcher: str, threshold: float, actors: int, candidates: int, confirmed: int
) -> str:
    """The pack's line on one screening of the project."""
    return (
        f"{day}: {counted(actors, 'actor')} screened against {against} with {matcher}, threshold {threshold:g}; "
        f"{counted(candidates, 'candidate')} at or above it, {confirmed} confirmed (recorded in {path})."
    )


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

    parts = [
        f"Actors: {of('actor', 'added', 'removed', 'changed')}",
        f"Facts: {of('fact', 'added', 'removed', 'changed')}",
        f"Sources: {of('source', 'added', 'removed', 'changed')}",
    ]
    if counts.get(("waiver", "added")) or counts.get(("waiver", "removed")):
        parts.append(f"Waivers: {of('waiver', 'added', 'removed')}")
    if unverified:
        parts.append(
            f"❌ {unverified} new or changed quote{'s' * (unverified != 1)} do{'es' * (unverified == 1)} not verify"
        )
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
        f"Every field that prints is compared with its quotes; {waived} support warning{'s' * (waived != 1)} on "
        f"{claims} "
        f"claim{'s' * (claims != 1)} {'was' if waived == 1 else 'were'} judged by the analyst and waived, each with "
        "its reason in the registry."
    )


APPENDIX = (
    "Each passage a note cites, in its paragraph of the source's text, the quoted words marked. "
    "The source files themselves are attached to this PDF, with the claims and the offsets of their quotes: "
    "dossiers verify checks them."
)
