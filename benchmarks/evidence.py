"""The site and the preview at scale, on the 1,000-actor benchmark registry (benchmarks/generate.py):

    python benchmarks/evidence.py

- `dossiers build --format html --no-pack`: the site (700 dossier pages, 300 source pages, the index);
- `dossiers serve`: from saving an edit to the page being served anew.

The evidence of a 2,234-page pack, signing it and verifying it: benchmarks/signing.py.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from benchmarks.generate import generate  # noqa: E402

DOSSIERS = str(Path(sys.executable).parent / "dossiers")


def timed(*command: str, cwd: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(done.stdout[-2000:] + done.stderr[-2000:])
    return time.perf_counter() - started


def site(root: Path) -> None:
    print(f"site of the 1,000-actor registry (build --format html --no-pack): {timed(DOSSIERS, 'build', '--format', 'html', '--no-pack', '--out', str(root / 'site'), cwd=root):.1f} s")


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
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "project"
        root.mkdir()
        subprocess.run(["cp", "-r", str(PROJECT / "actors.yaml"), str(PROJECT / "seeds"), str(root)], check=True)
        serve(root)


if __name__ == "__main__":
    main()
