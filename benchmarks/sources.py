"""Real sources: add-source of a real 11-page PDF, extraction of a generated 300-page PDF,
and `dossiers check` on a project of 300 HTML and PDF sources, cold and with the text cache.

    python benchmarks/sources.py

The 11-page PDF is tests/fixtures/real-sources/vc-ru-article.pdf (vc.ru, printed by
Chrome). The 300 sources are 150 copies of the real DW page and 150 two-page PDFs, each
made distinct by one sentence, each cited by one fact.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pikepdf

PROJECT = Path(__file__).resolve().parent.parent
REAL = PROJECT / "tests" / "fixtures" / "real-sources"
sys.path.insert(0, str(PROJECT))

from dossiers.sources.extract import extract  # noqa: E402

DOSSIERS = str(Path(sys.executable).parent / "dossiers")
TEXT_CACHE = Path(tempfile.mkdtemp(prefix="dossiers-benchmark-cache-"))  # the user's text cache, emptied for each cold run
os.environ["DOSSIERS_CACHE_DIR"] = str(TEXT_CACHE)


def generated_pdf(pages: int, marker: str = "") -> bytes:
    """A PDF of `pages` pages of text in Helvetica, 40 lines each."""
    document = pikepdf.new()
    font = document.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica))
    for number in range(1, pages + 1):
        lines = [f"Page {number}, line {line}: the delegation discussed defence cooperation and trade. {marker}" for line in range(40)]
        stream = "BT /F1 10 Tf 40 800 Td 12 TL " + " ".join(f"({text}) '" for text in lines) + " ET"
        page = pikepdf.Page(pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, 595, 842], Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
                                               Contents=document.make_stream(stream.encode("latin-1"))))
        document.pages.append(page)
    out = Path(tempfile.mktemp(suffix=".pdf"))
    document.save(out)
    data = out.read_bytes()
    out.unlink()
    return data


def timed(*command: str, cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    took = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(done.stdout + done.stderr)
    return took


def add_source_pdf(work: Path) -> None:
    for run in ("cold", "warm"):
        project = work / f"add-{run}"
        subprocess.run([DOSSIERS, "new", str(project)], check=True, capture_output=True)
        shutil.rmtree(TEXT_CACHE / "text", ignore_errors=True)
        took = timed(DOSSIERS, "add-source", str(REAL / "vc-ru-article.pdf"), cwd=project)
        print(f"add-source of the 11-page PDF ({run}: {'first run, files not yet in the page cache' if run == 'cold' else 'again, into another project'}): {took:.2f} s")


def extract_300_pages() -> None:
    raw = generated_pdf(300)
    start = time.perf_counter()
    extracted = extract(raw, "pdf", "generated.pdf")
    print(f"extraction of a generated 300-page PDF ({len(raw) / 2**20:.1f} MB, {len(extracted.text) / 2**20:.1f} MB of text): {time.perf_counter() - start:.2f} s")


def check_300_sources(work: Path) -> None:
    project = work / "three-hundred"
    subprocess.run([DOSSIERS, "new", str(project)], check=True, capture_output=True)
    page = (REAL / "dw.com.colonial.html").read_text("utf-8")
    entries, facts = [], []
    for number in range(300):
        sentence = f"The delegation number {number} was received in Harare."
        if number % 2:
            name, data = f"page-{number}.html", page.replace("</h1>", f"</h1><p>{sentence}</p>", 1).encode("utf-8")
        else:
            name, data = f"report-{number}.pdf", generated_pdf(2, sentence)
        (project / "seeds" / name).write_bytes(data)
        entries.append(f"  - id: s{number}\n    file: {name}\n    sha256: {hashlib.sha256(data).hexdigest()}\n    title: '[S{number}]'\n    publisher: unknown\n    language: en\n    reliability: F\n")
        facts.append(f"  - id: f{number}\n    actors: [lukashenko]\n    kind: event\n    text: Received a delegation.\n    citations:\n      - source: s{number}\n        quote: The delegation number {number} was received in Harare\n")
    with open(project / "seeds" / "sources.yaml", "a", encoding="utf-8") as out:
        out.write("".join(entries))
    registry = project / "actors.yaml"
    registry.write_text(registry.read_text("utf-8").replace("\nfacts:\n", "\nfacts:\n" + "".join(facts), 1), "utf-8")
    shutil.rmtree(TEXT_CACHE / "text", ignore_errors=True)
    cold = timed(DOSSIERS, "check", "--brief", cwd=project)
    warm = timed(DOSSIERS, "check", "--brief", cwd=project)
    print(f"check of 300 sources (150 HTML, 150 PDF): {cold:.1f} s cold (text extracted), {warm:.1f} s with the text cache")
    as_text = work / "three-hundred-as-text"  # the same project with each source's extracted text as a .txt file
    shutil.copytree(project, as_text)
    listing = (as_text / "seeds" / "sources.yaml").read_text("utf-8")
    for number in range(300):
        name = f"page-{number}.html" if number % 2 else f"report-{number}.pdf"
        raw = (project / "seeds" / name).read_bytes()
        text = extract(raw, "html" if number % 2 else "pdf", name).text.encode("utf-8")
        (as_text / "seeds" / f"{name}.txt").write_bytes(text)
        (as_text / "seeds" / name).unlink()
        listing = listing.replace(f"file: {name}\n    sha256: {hashlib.sha256(raw).hexdigest()}", f"file: {name}.txt\n    sha256: {hashlib.sha256(text).hexdigest()}")
    (as_text / "seeds" / "sources.yaml").write_text(listing, "utf-8")
    print(f"check of the same 300 sources as text files: {timed(DOSSIERS, 'check', '--brief', cwd=as_text):.1f} s")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        add_source_pdf(work)
        extract_300_pages()
        check_300_sources(work)
    shutil.rmtree(TEXT_CACHE)


if __name__ == "__main__":
    main()
