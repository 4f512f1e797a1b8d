"""Evidence, signing and verify of a 2,234-page pack, on the 1,000-actor benchmark registry (benchmarks/generate.py):

    python benchmarks/signing.py

The pack's evidence is the real one (every claim the pack prints, its quotes, 300
sources). Its pages are drawn here, not rendered (874 s with WeasyPrint): each claim's
words and its quotes, in Helvetica, repeated in order as the pack repeats them (summary,
timeline, chapters, notes, appendix) until there are 2,234 pages of about 55 lines.
`dossiers verify` reads every page's text as it would a rendered pack's.

Measured, each one run:
- attaching the evidence, which reads every page's text to record where each claim is printed (at build time);
- signing the pack (PAdES B-B), in this process: what `build --sign` adds to a build;
- `dossiers verify` of the unsigned and of the signed pack, wall time and peak memory of its largest process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
import time
from io import BytesIO
from pathlib import Path

import pikepdf

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "tests"))

from benchmarks.generate import generate  # noqa: E402
from dossiers.about import TOOL  # noqa: E402
from dossiers.output.pdf import attach_evidence  # noqa: E402
from dossiers.registry.load import build_date, load_project  # noqa: E402
from dossiers.verify.check import check_project  # noqa: E402
from dossiers.views.briefing import PackOptions, briefing  # noqa: E402
from dossiers.views.evidence import evidence  # noqa: E402
from dossiers.views.join import join  # noqa: E402

DOSSIERS = [sys.executable, "-c", "from dossiers.cli.app import run; run()"]
PAGES = 2234
LINES = 55
BUILD_SECONDS = 874  # `dossiers build` of this registry's pack and dossiers, README's figure


def drawn_pack(found: dict) -> bytes:
    """A PDF of PAGES pages printing each claim and its quotes, in order, over and over."""
    lines: list[str] = []
    while len(lines) < PAGES * LINES:
        for claim in found["claims"]:
            lines += textwrap.wrap(claim["text"], 95)
            for citation in claim["citations"]:
                lines += textwrap.wrap(f"\u201c{' '.join(citation['quote'].split())}\u201d", 95)
    document = pikepdf.new()
    font = document.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica, Encoding=pikepdf.Name.WinAnsiEncoding))
    for number in range(PAGES):
        text = lines[number * LINES : (number + 1) * LINES]
        body = "".join(f"({line.encode('cp1252', 'replace').decode('latin-1').replace(chr(92), '/').replace('(', '[').replace(')', ']')}) Tj T* " for line in text)
        stream = f"BT /F1 9 Tf 11 TL 40 800 Td {body}ET\nBT /F1 8 Tf 280 30 Td (Page {number + 1} of {PAGES}) Tj ET".encode("latin-1")
        page = pikepdf.Page(pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, 595, 842], Contents=document.make_stream(stream), Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))))
        document.pages.append(page)
    out = BytesIO()
    document.save(out, compress_streams=True)
    return out.getvalue()


def measured(command: list[str], cwd: Path) -> tuple[float, float, str]:
    """(seconds, peak MiB of its largest process, output) of a command, which may fail."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = process.stdout.read()
    _, _, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - started, usage.ru_maxrss / 1024, output


def main() -> None:
    from dossiers.output.signing import load_key, sign_pdf
    from pki import PASSPHRASE, make_pki

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "bench"
        generate(root, actors=1000, sources=300, facts=10000)
        checked = check_project(load_project(root))
        joined = join(checked, build_date(checked.project))
        found = evidence(joined, briefing(joined, PackOptions()), TOOL)
        pages = drawn_pack(found)
        files = {s["id"]: (root / "seeds" / s["file"]).read_bytes() for s in found["sources"]}
        started = time.perf_counter()
        data, unprinted = attach_evidence(pages, found, files, TOOL)
        attaching = time.perf_counter() - started
        assert not unprinted, f"{len(unprinted)} claims not found on the drawn pages"
        print(f"attaching the pack's evidence ({len(found['claims']):,} claims, {len(found['sources'])} sources) to a {PAGES:,}-page PDF, "
              f"reading every page's text: {attaching:.1f} s; the PDF is {len(data) / 2**20:.0f} MiB")
        pki = make_pki(Path(folder) / "pki")
        key = load_key(pki.signer.read_bytes(), PASSPHRASE.encode(), "benchmark key")
        started = time.perf_counter()
        signed = sign_pdf(data, key)
        signing = time.perf_counter() - started
        print(f"signing it (PAdES B-B): {signing:.2f} s, {100 * signing / BUILD_SECONDS:.2f}% of the {BUILD_SECONDS} s build of that pack (target: under 10%)")
        for name, pdf in (("unsigned", data), ("signed", signed)):
            path = Path(folder) / f"{name}.pdf"
            path.write_bytes(pdf)
            seconds, peak, output = measured([*DOSSIERS, "verify", "--trust", str(pki.ca), str(path)] if name == "signed" else [*DOSSIERS, "verify", str(path)], root)
            if "FAILED" in output or "error" in output:
                sys.exit(output[-3000:])
            print(f"verify of the {name} pack: {seconds:.1f} s, {peak:.0f} MiB at most (target: under 15 s)  [{output.splitlines()[0].split(': ', 1)[1][:150]}]")


if __name__ == "__main__":
    main()
