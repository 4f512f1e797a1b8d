"""Measure dossiers on a synthetic registry and print a table of the figures and targets.

    python benchmarks/bench.py [--actors 1000 --sources 300 --facts 10000] [--sample 40] [--growth]

Every figure is one run of the `dossiers` command in a fresh process: wall time, and the
peak resident memory of the largest process it ran (itself or a PDF worker). `make bench`
runs this with the defaults (about 12 minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

DOSSIERS = [sys.executable, "-c", "from dossiers.cli.app import run; run()"]
PROJECT = Path(__file__).resolve().parent.parent
WEASYPRINT_ALONE = """
import sys, weasyprint
from pathlib import Path
base = sys.argv[1]
for path in sorted(Path(sys.argv[2]).glob("*.html")):
    weasyprint.HTML(string=path.read_text("utf-8"), base_url=base).write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=b"dossiers")
"""


def measure(command: list[str], cwd: Path) -> tuple[float, float, str]:
    """Run a command; (seconds, peak MiB of its largest process, stdout). Stops the benchmark if it fails."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(process.pid, 0)  # its rusage covers the workers it waited for
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode:
            sys.exit(f"failed: {' '.join(command)}\n{err.read()[-2000:]}")
        return seconds, usage.ru_maxrss / 1024, out.read()


def run_dossiers(root: Path, *args: str) -> tuple[float, float, str]:
    return measure(DOSSIERS + list(args) + ["--root", str(root)], root)


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str]] = []

    def add(self, what: str, seconds: float, peak: float | None, target: str = "", held: bool | None = None) -> None:
        verdict = "" if held is None else ("yes" if held else "NO")
        self.rows.append((what, f"{seconds:.2f} s" if seconds else "", f"{peak:.0f} MiB" if peak else "", f"{target} {verdict}".strip()))
        print(f"  {what}: {self.rows[-1][1]} {self.rows[-1][2]} {self.rows[-1][3]}", file=sys.stderr, flush=True)

    def print(self, header: str) -> None:
        print(header)
        print()
        print("| Measure | Time | Peak memory | Target, held |")
        print("| --- | ---: | ---: | --- |")
        for row in self.rows:
            print("| " + " | ".join(row) + " |")


def bench(actors: int, sources: int, facts: int, sample: int, growth: bool) -> None:
    table = Table()
    project_jobs(table)
    work = Path(tempfile.mkdtemp(prefix="dossiers-bench-"))
    try:
        root = work / "registry"
        generate(root, actors, sources, facts)
        ids = _people(root)[:sample]
        limit = 2048

        seconds, peak, _ = run_dossiers(root, "check")
        table.add("check", seconds, peak, "< 2 s, < 2 GiB", seconds < 2 and peak < limit)
        seconds, peak, _ = run_dossiers(root, "export", "--format", "json")
        table.add("export --format json", seconds, peak, "< 2 s", seconds < 2 and peak < limit)
        seconds, peak, _ = run_dossiers(root, "build", "--format", "md", "--no-pack", "--out", str(work / "md"))
        table.add(f"Markdown for all {len(_people(root))} dossiers", seconds, peak, "< 10 s", seconds < 10 and peak < limit)

        one, peak1, _ = run_dossiers(root, "build", *ids, "--format", "pdf", "--jobs", "1", "--out", str(work / "pdf1"))
        table.add(f"PDF of {len(ids)} dossiers, --jobs 1", one, peak1)
        two, peak2, _ = run_dossiers(root, "build", *ids, "--format", "pdf", "--jobs", "2", "--out", str(work / "pdf2"))
        table.add(f"PDF of {len(ids)} dossiers, --jobs 2: {one / two:.2f}x faster", two, peak2, ">= 1.6x", one / two >= 1.6 and peak2 < limit)
        alone = _weasyprint_alone(root, ids, work)
        overhead = one / alone - 1
        table.add(f"WeasyPrint alone on the same {len(ids)} HTML files: tool adds {overhead:.0%}", alone, None, "<= 15%", overhead <= 0.15)

        full, peak, _ = run_dossiers(root, "build", "--no-pack")
        table.add("Full build, every dossier in md and pdf", full, peak, "< 2 GiB", peak < limit)
        again, peak, out = run_dossiers(root, "build", "--no-pack")
        table.add(f"Rebuild, nothing changed ({_written(out)} files written): {again / full:.1%} of full", again, peak, "< 5%", again / full < 0.05)
        _change_one_fact(root)
        changed, peak, out = run_dossiers(root, "build", "--no-pack")
        table.add(f"Rebuild after one fact changed ({_written(out)} files written)", changed, peak, "2 files", _written(out) == 2)

        seconds, peak, _ = run_dossiers(root, "pack", "--format", "md,pdf")
        table.add(f"Briefing pack, md and pdf ({_pdf_pages(root / 'build' / 'briefing-pack.pdf')} pages)", seconds, peak, "< 2 GiB", peak < limit)
        whole = full + seconds
        _change_one_fact(root, "reworded again")
        changed, peak, out = run_dossiers(root, "build")
        share = changed / whole
        table.add(f"Rebuild with the pack after one fact changed ({_written(out)} files written): {share:.0%} of full", changed, peak, "< 10%", share < 0.10)
        if growth:
            for share in (4, 2):
                small = work / f"registry-{share}"
                generate(small, actors // share, max(1, sources // share), facts // share)
                seconds, peak, _ = run_dossiers(small, "pack", "--format", "md,pdf")
                table.add(f"Briefing pack at {actors // share} actors, {facts // share} facts", seconds, peak)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    cores = os.cpu_count()
    table.print(f"dossiers benchmark: {actors} actors, {sources} sources, {facts} facts; {cores} cores; Python {sys.version.split()[0]}")


def _people(root: Path) -> list[str]:
    """The ids of the people in a generated registry, in order."""
    ids, current = [], None
    for line in (root / "actors.yaml").read_text("utf-8").splitlines():
        if line.startswith("facts:"):
            break
        if line.startswith('  - id: "'):
            current = line.split('"')[1]
        elif line == '    kind: "person"' and current:
            ids.append(current)
    return ids


def _weasyprint_alone(root: Path, ids: list[str], work: Path) -> float:
    """Seconds for WeasyPrint to render the HTML of these dossiers, in one process, without the tool."""
    import dossiers
    from dossiers.output.html import dossier_html
    from dossiers.output.templates import Templates
    from dossiers.registry.layout import dossier_name
    from dossiers.registry.load import build_date
    from dossiers.views.dossier import dossier, linked
    from dossiers.views.join import join

    checked = dossiers.check(root)
    joined = join(checked, build_date(checked.project))
    templates = Templates(checked.project.layout)
    folder = work / "html"
    folder.mkdir(exist_ok=True)
    for actor_id in ids:
        (folder / f"{actor_id}.html").write_text(dossier_html(templates, linked(dossier(joined, actor_id), dossier_name(actor_id, "pdf"), "pdf"), "pdf"), "utf-8")
    base = templates.dirs[0].as_uri() + "/"
    seconds, _, _ = measure([sys.executable, "-c", WEASYPRINT_ALONE, base, str(folder)], root)
    return seconds


def _change_one_fact(root: Path, how: str = "reworded") -> None:
    """Reword one event about one person: only that person's dossier (and the pack) shows it."""
    registry = root / "actors.yaml"
    text = registry.read_text("utf-8")
    registry.write_text(text.replace('text: "Synthetic event 3', f'text: "Synthetic event 3, {how},', 1), "utf-8")


def project_jobs(table: Table) -> None:
    """--jobs 2 against --jobs 1 on the project's own registry, every dossier and the pack in PDF."""
    with tempfile.TemporaryDirectory(prefix="dossiers-jobs-") as work:
        one, _, _ = run_dossiers(PROJECT, "build", "--format", "pdf", "--jobs", "1", "--out", f"{work}/one")
        two, peak, _ = run_dossiers(PROJECT, "build", "--format", "pdf", "--jobs", "2", "--out", f"{work}/two")
    table.add(f"Project's registry, PDFs and pack, --jobs 2: {two / one:.2f} of --jobs 1", two, peak, "< 0.7", two / one < 0.7)


def _written(out: str) -> int:
    return int(out.split("Wrote ")[1].split()[0])


def _pdf_pages(path: Path) -> str:
    from pypdf import PdfReader

    try:
        return str(len(PdfReader(path).pages))
    except Exception:  # a reader limit on a very large file; the count is only for the label
        return "?"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=1000)
    parser.add_argument("--sources", type=int, default=300)
    parser.add_argument("--facts", type=int, default=10000)
    parser.add_argument("--sample", type=int, default=40, help="dossiers in the --jobs and WeasyPrint comparisons")
    parser.add_argument("--growth", action="store_true", help="also build the pack at a quarter and half the size")
    args = parser.parse_args()
    bench(args.actors, args.sources, args.facts, args.sample, args.growth)
