"""Where a PDF prints each claim (dossiers.output.printed): found on its page, across a page break, and checked by verify."""

from __future__ import annotations

from dossiers.output.printed import PAGE_READER, normalised, page_records, rest_digest
from dossiers.reports.verify import Verification, _check_pages

CLAIMS = {
    "visit": "Visited Zimbabwe and was in Harare on October 30.",
    "visit-short": "Visited Zimbabwe",
    "ally": "Is a close ally of Alexander Lukashenko.",
}
PAGES = [
    "Timeline\n2023 Visited Zimbabwe and\nwas in Harare on October 30 (according to NewsDay 1).\nIs a close ally of\n• •\nDossier\nPage 1 of 2",
    "Alexander Lukashenko.2\nNotes\nViktor Sheiman Dossier\nPage 2 of 2",
]


def evidence(pages=PAGES, claims=CLAIMS) -> dict:
    return {
        "claims": [{"fact": fact, "text": text, "citations": []} for fact, text in claims.items()],
        "pages": page_records(pages, claims),
        "page_reader": PAGE_READER,
    }


def test_the_longest_claim_at_a_place_is_marked_and_a_claim_broken_by_the_page_is_marked_on_both():
    records = evidence()["pages"]
    first, second = records
    assert [mark[0] for mark in first["marks"]] == ["visit", "ally"] and [mark[0] for mark in second["marks"]] == ["ally"]
    (_, start, end, offset), = second["marks"]
    ally = normalised(CLAIMS["ally"])
    assert (start, end, offset) == (0, len("AlexanderLukashenko"), len(ally) - len("AlexanderLukashenko"))
    assert first["rest"] == rest_digest(normalised(PAGES[0]), first["marks"])


def test_verify_accepts_the_pages_as_built_and_names_a_changed_page_and_an_unprinted_claim():
    result = Verification()
    _check_pages(evidence(), PAGES, result)
    assert result.failures == ["claim visit-short is in the evidence but printed on no page"], "its words are printed only within a longer claim"
    result = Verification()
    _check_pages(evidence(claims={k: v for k, v in CLAIMS.items() if k != "visit-short"}), [PAGES[0], PAGES[1].replace("Notes", "Notes FORGED")], result)
    assert result.failures == ["page 2 prints text the evidence does not account for: the page was changed after the build (overlaid, replaced, or taken from another PDF), or a claim it prints was taken out of the evidence"]
