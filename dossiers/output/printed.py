"""What a PDF prints, read back from its pages' text: where each claim is printed, and a digest of everything else.

The build records, for each page, the claims found in its text (a mark: fact id, start
and end in the page's normalised text, and where in the claim's normalised text that
part begins: a claim may run on to the next page) and the sha256 of the page's text
with those marks taken out. `dossiers verify` reads the pages again and checks that
each mark holds its claim's text and that the rest is unchanged: a claim printed but
missing from the evidence, or a page overlaid, swapped or removed, fails there.

Text is compared normalised (NFKC, letters and digits only), as PDFium extracts it:
line breaks, hyphens and the order of punctuation do not matter.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from importlib import metadata

_NOT_WORD = re.compile(r"[\W_]+")
KEY_CHARS = 8  # normalised characters that index a claim's start
SPLIT_SLACK = 40  # how far back from a claim's common prefix with a page its break onto the next page is sought


def _version() -> str:
    try:
        return metadata.version("pypdfium2")
    except metadata.PackageNotFoundError:
        return "absent"


PAGE_READER = f"pypdfium2 {_version()}"


def normalised(text: str) -> str:
    """Letters and digits only, NFKC: what page text is compared as."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text))


def page_texts(data: bytes) -> list[str]:
    """The text of each page as PDFium extracts it (the PDF is trusted: the build's own, or read in a limited child)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        texts = []
        for page in document:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return texts
    finally:
        document.close()


def printed_texts(evidence: dict) -> dict[str, str]:
    """What the build looks for on the pages: each claim's text under its fact id, and each quote under FACT#N (its citation's index).

    A quote is printed in a dossier's notes and its source appendix; the pack prints no
    note for a claim about an organisation, so a quote, unlike a claim, may be printed nowhere.
    """
    texts = {claim["fact"]: claim["text"] for claim in evidence["claims"]}
    for claim in evidence["claims"]:
        texts.update({f"{claim['fact']}#{index}": citation["quote"] for index, citation in enumerate(claim["citations"])})
    return texts


def rest_digest(page: str, marks: list[list]) -> str:
    """sha256 of a normalised page's text without the spans of its marks (sorted, apart)."""
    digest, at = hashlib.sha256(), 0
    for _, start, end, _ in marks:
        digest.update(page[at:start].encode("utf-8"))
        at = end
    digest.update(page[at:].encode("utf-8"))
    return digest.hexdigest()


def page_records(texts: list[str], claims: dict[str, str]) -> list[dict]:
    """For each page: {"marks": [[id, start, end, offset], ...], "rest": sha256}; `claims` maps ids to the texts printed (`printed_texts`).

    Each page's text is scanned once: where the next KEY_CHARS characters begin a claim,
    the longest claim printed there whole is marked; failing that, a claim whose start
    ends the page and whose rest begins the next is marked on both.
    """
    wanted = {fact: normalised(text) for fact, text in claims.items()}
    wanted = {fact: text for fact, text in wanted.items() if text}
    key = min([KEY_CHARS, *map(len, wanted.values())])
    index: dict[str, list[str]] = defaultdict(list)
    for fact, text in wanted.items():
        index[text[:key]].append(fact)
    pages = [normalised(text) for text in texts]
    marks: list[list[list]] = [[] for _ in pages]
    for number, page in enumerate(pages):
        at = marks[number][0][2] if marks[number] else 0  # after the end of a claim begun on the page before
        while at < len(page):
            facts = index.get(page[at : at + key])
            if facts:
                whole = [fact for fact in facts if page.startswith(wanted[fact], at)]
                if whole:
                    fact = max(whole, key=lambda f: len(wanted[f]))
                    marks[number].append([fact, at, at + len(wanted[fact]), 0])
                    at += len(wanted[fact])
                    continue
                following = pages[number + 1] if number + 1 < len(pages) and not marks[number + 1] else None
                split = _split(page, at, facts, wanted, following)
                if split is not None:
                    fact, cut = split
                    marks[number].append([fact, at, at + cut, 0])
                    marks[number + 1].insert(0, [fact, 0, len(wanted[fact]) - cut, cut])
                    at += cut
                    continue
            at += 1
    return [{"marks": page_marks, "rest": rest_digest(page, page_marks)} for page, page_marks in zip(pages, marks)]


def _split(page: str, at: int, facts: list[str], wanted: dict[str, str], following: str | None) -> tuple[str, int] | None:
    """A claim begun at `at` whose rest begins the next page: (fact, characters on this page)."""
    if following is None:
        return None
    for fact in facts:
        text = wanted[fact]
        shown = page[at : at + len(text)]
        common = next((n for n, (a, b) in enumerate(zip(shown, text)) if a != b), len(shown))
        for cut in range(common, max(KEY_CHARS, common - SPLIT_SLACK) - 1, -1):
            if 0 < cut < len(text) and following.startswith(text[cut:]):
                return fact, cut
    return None
