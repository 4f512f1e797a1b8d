"""`dossiers screen` of the project's registry against a generated dataset of 1,000,000 FtM entities.

    python benchmarks/screen_scale.py [--entities N] [--gzip]

The dataset has the shape of OpenSanctions' default export: JSON lines of people and
companies with names, aliases, countries and topics. Names are drawn from syllables,
and one entity in a hundred takes a first name or surname the registry also has
("Viktor", "Alexander", "Sheiman", ...), so that blocking lets real work through.
Target (issue 18): under 3 minutes and under 1 GB on the 2-core machine.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SYLLABLES = ["ka", "ro", "mi", "su", "te", "na", "lo", "vi", "de", "sa", "ri", "mo", "ze", "pa", "tu", "ba", "ne", "li", "go", "da", "ra", "me", "si", "to", "ha", "yo", "ku"]
SHARED = ["Viktor", "Alexander", "Sheiman", "Khrenin", "Emmerson", "Valery", "Frederick", "Oppah", "Robert", "Vladimir"]


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def generate(path: Path, count: int, gzipped: bool) -> None:
    rng = random.Random(18)
    with (gzip.open(path, "wt", encoding="utf-8") if gzipped else open(path, "w", encoding="utf-8")) as out:
        for number in range(count):
            person = rng.random() < 0.7
            first = rng.choice(SHARED) if rng.random() < 0.01 else word(rng)
            last = rng.choice(SHARED) if rng.random() < 0.005 else word(rng)
            name = f"{first} {last}" if person else f"{word(rng)} {rng.choice(['LLC', 'Holding', 'Trading', 'Group'])}"
            entity = {
                "id": f"gen-{number}", "schema": "Person" if person else "Company",
                "properties": {"name": [name], "alias": [name.upper()], "country": [rng.choice(["ru", "by", "zw", "cn", "ir"])], "topics": ["sanction"]},
                "datasets": ["generated"],
            }
            out.write(json.dumps(entity) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--gzip", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("entities.jsonl.gz" if options.gzip else "entities.jsonl")
        started = time.perf_counter()
        generate(path, options.entities, options.gzip)
        print(f"generated {options.entities:,} entities ({path.stat().st_size / 2**20:.0f} MB) in {time.perf_counter() - started:.0f} s")
        dossiers = str(Path(sys.executable).parent / "dossiers")
        started = time.perf_counter()
        done = subprocess.run(["/usr/bin/time", "-v", dossiers, "screen", str(path), "--root", str(PROJECT), "--format", "json"], capture_output=True, text=True)
        took = time.perf_counter() - started
        if done.returncode:
            raise SystemExit(done.stderr[-2000:])
        peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1)) / 1024
        found = len(json.loads(done.stdout))
        print(f"screen of {options.entities:,} entities{' (gzipped)' if options.gzip else ''}: {took:.0f} s, peak {peak:.0f} MiB, {found} candidates at the threshold")


if __name__ == "__main__":
    main()
