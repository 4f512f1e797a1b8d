"""The site and the evidence at scale, on the 1,000-actor benchmark registry (benchmarks/generate.py):

    python benchmarks/evidence.py

- `dossiers build --format html --no-pack`: the site (700 dossier pages, 300 source pages, the index);
- `dossiers verify` of a 2,234-page PDF carrying the whole pack's evidence: 10,000 claims' quotes
  and 300 sources. The pages are blank: verify reads the attachments, never the pages, so
  a real pack of that length (874 s to render) would verify in the same time;
- `dossiers serve`: from saving an edit to the page being served anew.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from io import BytesIO
from pathlib import Path

import pikepdf

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from benchmarks.generate import generate  # noqa: E402
from dossiers.about import TOOL  # noqa: E402
from dossiers.output.pdf import attach_evidence  # noqa: E402
from dossiers.registry.load import build_date, load_project  # noqa: E402
from dossiers.verify.check import check_project  # noqa: E402
from dossiers.views.briefing import PackOptions, briefing  # noqa: E402
from dossiers.views.evidence import evidence  # noqa: E402
from dossiers.views.join import join  # noqa: E402

DOSSIERS = str(Path(sys.executable).parent / "dossiers")
PAGES = 2234


def timed(*command: str, cwd: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(done.stdout[-2000:] + done.stderr[-2000:])
    return time.perf_counter() - started


def site(root: Path) -> None:
    print(f"site of the 1,000-actor registry (build --format html --no-pack): {timed(DOSSIERS, 'build', '--format', 'html', '--no-pack', '--out', str(root / 'site'), cwd=root):.1f} s")


def verify(root: Path) -> None:
    checked = check_project(load_project(root))
    joined = join(checked, build_date(checked.project))
    found = evidence(joined, briefing(joined, PackOptions()), TOOL)
    document = pikepdf.new()
    for _ in range(PAGES):
        document.add_blank_page()
    blank = BytesIO()
    document.save(blank)
    files = {s["id"]: (root / "seeds" / s["file"]).read_bytes() for s in found["sources"]}
    started = time.perf_counter()
    data = attach_evidence(blank.getvalue(), found, files, TOOL)
    print(f"attaching the pack's evidence ({len(found['claims']):,} claims, {len(found['sources'])} sources) to a {PAGES:,}-page PDF: {time.perf_counter() - started:.1f} s")
    pack = root / "pack.pdf"
    pack.write_bytes(data)
    print(f"verify of that {PAGES:,}-page PDF: {timed(DOSSIERS, 'verify', str(pack), cwd=root):.1f} s")


def serve(root: Path) -> None:
    from dossiers.pipeline.serve import serve as run

    ready, stop, found = threading.Event(), threading.Event(), {}
    threading.Thread(target=run, args=(root, 0), kwargs={"ready": lambda url: (found.update(url=url), ready.set()), "stop": stop}, daemon=True).start()
    ready.wait(600)

    def version() -> bytes:
        return urllib.request.urlopen(found["url"] + "__dossiers/version").read()

    registry = root / "actors.yaml"
    times = []
    for attempt in range(3):
        before = version()
        text = registry.read_text("utf-8")
        old = re.search(r"^    text: [^>|\n].*$", text, re.MULTILINE).group()
        started = time.perf_counter()
        registry.write_text(text.replace(old, old.rstrip(".") + f" (edit {attempt}).", 1), "utf-8")
        while version() == before:
            time.sleep(0.01)
        times.append(time.perf_counter() - started)
    stop.set()
    print(f"serve, from saving an edit to the new page being served: {min(times):.2f} s (best of 3; {', '.join(f'{t:.2f}' for t in times)})")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "bench"
        generate(root, actors=1000, sources=300, facts=10000)
        site(root)
        verify(root)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "project"
        root.mkdir()
        subprocess.run(["cp", "-r", str(PROJECT / "actors.yaml"), str(PROJECT / "seeds"), str(root)], check=True)
        serve(root)


if __name__ == "__main__":
    main()
