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
from collections import Counter, defaultdict
from importlib import metadata

_NOT_WORD = re.compile(r"[\W_]+")
KEY_CHARS = 12  # normalised characters by which a text is indexed


def _version() -> str:
    try:
        return metadata.version("pypdfium2")
    except metadata.PackageNotFoundError:
        return "absent"


PAGE_READER = f"pypdfium2 {_version()}"


def normalised(text: str) -> str:
    """Letters and digits only, NFKC: what page text is compared as."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text))


def page_texts(data: bytes, first: int = 0, step: int = 1) -> list[str]:
    """The text of each `step`-th page from `first`, as PDFium extracts it (the PDF is trusted: the build's own, or read
    in a limited child)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        texts = []
        for number in range(first, len(document), step):
            page = document[number]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return texts
    finally:
        document.close()


def printed_texts(evidence: dict) -> dict[str, str]:
    """What the build looks for on the pages: each claim's text under its fact id, and each quote under FACT#N (its
    citation's index).

    A quote is printed in a dossier's notes and its source appendix; the pack prints no
    note for a claim about an organisation, so a quote, unlike a claim, may be printed nowhere.
    """
    texts = {claim["fact"]: claim["text"] for claim in evidence["claims"]}
    for claim in evidence["claims"]:
        texts.update(
            {f"{claim['fact']}#{index}": citation["quote"] for index, citation in enumerate(claim["citations"])}
        )
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
    """For each page: {"marks": [[id, start, end, offset], ...], "rest": sha256}; `claims` maps ids to the texts printed
    (`printed_texts`).

    Every whole occurrence of a text is found (`_occurrences`); claims are marked first,
    each where no other mark is, then quotes in what is left. A claim printed whole
    nowhere but broken by a page end is marked on both pages (`_broken`).
    """
    wanted = {mark: normalised(text) for mark, text in claims.items()}
    wanted = {mark: text for mark, text in wanted.items() if text}
    pages = [normalised(text) for text in texts]
    found = _occurrences(pages, wanted)
    marks: list[list[list]] = [[] for _ in pages]
    for quotes in (False, True):
        for number, page_found in enumerate(found):
            taken = marks[number]
            for start, end, mark in sorted(page_found, key=lambda f: (f[0], -f[1])):
                if ("#" in mark) == quotes and all(end <= other[1] or start >= other[2] for other in taken):
                    taken.append([mark, start, end, 0])
    whole = {mark[0] for page_marks in marks for mark in page_marks}
    for mark in (m for m in wanted if "#" not in m and m not in whole):
        _broken(pages, marks, mark, wanted[mark])
    for page_marks in marks:
        page_marks.sort(key=lambda m: m[1])
    return [{"marks": page_marks, "rest": rest_digest(page, page_marks)} for page, page_marks in zip(pages, marks)]


def _occurrences(pages: list[str], wanted: dict[str, str]) -> list[list[tuple[int, int, str]]]:
    """Each page's (start, end, id) of every whole occurrence of every wanted text.

    A text is indexed by its rarest run of KEY_CHARS characters among all texts (claims
    often begin alike: "Sanctioned by the European Union"), so that one look-up per
    position of a page finds the few texts that may be printed around it. Texts shorter
    than that are sought whole.
    """
    counts = Counter(
        gram for text in wanted.values() for gram in {text[i : i + KEY_CHARS] for i in range(len(text) - KEY_CHARS + 1)}
    )
    index: dict[str, list[tuple[str, int]]] = defaultdict(list)
    short: dict[str, list[str]] = defaultdict(list)
    for mark, text in wanted.items():
        if len(text) < KEY_CHARS:
            short[text].append(mark)
            continue
        at = min(range(len(text) - KEY_CHARS + 1), key=lambda i: counts[text[i : i + KEY_CHARS]])
        index[text[at : at + KEY_CHARS]].append((mark, at))
    found = []
    for page in pages:
        page_found = []
        for position in range(len(page) - KEY_CHARS + 1):
            for mark, at in index.get(page[position : position + KEY_CHARS], ()):
                start = position - at
                if start >= 0 and page.startswith(wanted[mark], start):
                    page_found.append((start, start + len(wanted[mark]), mark))
        for text, marks in short.items():
            at = page.find(text)
            while at >= 0:
                page_found += [(at, at + len(text), mark) for mark in marks]
                at = page.find(text, at + 1)
        found.append(page_found)
    return found


def _broken(pages: list[str], marks: list[list[list]], mark: str, text: str) -> None:
    """Mark a claim whose start ends a page and whose rest begins the next, if it is printed so: the first such
    place."""
    for number in range(len(pages) - 1):
        following = pages[number + 1]
        # the longest rest that begins the next page
        cut = next((cut for cut in range(1, len(text)) if following.startswith(text[cut:])), None)
        if cut is None:
            continue
        start = pages[number].rfind(text[:cut])
        if (
            start >= 0
            and all(start + cut <= other[1] or start >= other[2] for other in marks[number])
            and all(len(text) - cut <= other[1] for other in marks[number + 1])
        ):
            marks[number].append([mark, start, start + cut, 0])
            marks[number + 1].append([mark, 0, len(text) - cut, cut])
            return
