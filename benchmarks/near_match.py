"""Near-match search on a 25 MB single-line source: the cost of one failing quote, and of `dossiers check`.

    python benchmarks/near_match.py

The source is the seeds' own words in a random order, 25 MB on one line; the quotes
are nearly 4,000 characters from its middle with one word changed, and 4,000 characters of
words it lacks. Target (issue 13): under 1 s per failing quote.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from dossiers.verify.quotes import QuoteError, SourceText, locate_quote  # noqa: E402


def long_text() -> str:
    words = " ".join(p.read_text("utf-8") for p in sorted((PROJECT / "seeds").glob("*.txt"))).split()
    rng = random.Random(7)
    chosen, size = [], 0
    while size < 25 * 2**20:
        chosen.append(rng.choice(words))
        size += len(chosen[-1].encode()) + 1
    return " ".join(chosen)


def main() -> None:
    text = long_text()
    start = time.perf_counter()
    source = SourceText(text)
    print(f"normalise {len(text.encode()) / 2**20:.1f} MB: {time.perf_counter() - start:.2f} s")
    at = text.index(" ", len(text) // 2) + 1
    quote = text[at : text.index(" ", at + 3950)].split()  # the longest a quote may be is 4,000 characters
    quote[300] = "Ouagadougou"
    for label, words in (("near match", " ".join(quote)), ("no word of it in the source", "Quixotic zebras juggle xylophones " * 115)):
        start = time.perf_counter()
        try:
            locate_quote(source, words)
        except QuoteError as miss:
            took = time.perf_counter() - start
            print(f"{label}, {len(words)} characters: {took:.2f} s ({miss.code}, {miss.passages[0].similarity}% alike){'  target < 1 s: ' + ('yes' if took < 1 else 'NO')}")
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        shutil.copy(PROJECT / "actors.yaml", root)
        shutil.copytree(PROJECT / "seeds", root / "seeds")
        (root / "seeds" / "long.txt").write_text(text, "utf-8")
        digest = hashlib.sha256((root / "seeds" / "long.txt").read_bytes()).hexdigest()
        sources = root / "seeds" / "sources.yaml"
        sources.write_text(
            sources.read_text("utf-8")
            + f"\n  - id: long\n    file: long.txt\n    sha256: {digest}\n    title: Long\n    publisher: unknown\n    language: en\n    reliability: F\n",
            "utf-8",
        )
        registry = root / "actors.yaml"
        registry.write_text(
            registry.read_text("utf-8").replace("      - source: sheiman-harare-visit\n", f"      - source: long\n        quote: {' '.join(quote)!r}\n      - source: sheiman-harare-visit\n", 1),
            "utf-8",
        )
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", "from dossiers.cli.app import run; run()", "check", "--root", str(root), "--brief"], capture_output=True, text=True)
        codes = sorted({line.split()[2] for line in done.stdout.splitlines() if ": error " in line or ": warning " in line})
        print(f"dossiers check with the 25 MB source and one failing quote: {time.perf_counter() - start:.2f} s (exit {done.returncode}; {', '.join(codes)})")


if __name__ == "__main__":
    main()
