"""`dossiers screen --record` of the project's registry against the real EU list and a generated dataset of 1,000,000 FtM entities; `--since` between two versions of it.

    python benchmarks/screen_scale.py [--entities N] [--gzip]

The dataset has the shape of OpenSanctions' default export: JSON lines of people and
companies with names, aliases, countries and topics. Names are drawn from syllables,
and one entity in a hundred takes a first name or surname the registry also has
("Viktor", "Alexander", "Sheiman", ...), so that blocking lets real work through.
The newer version drops every thousandth entity and renames every thousandth other one.
Target (issue 27): under 60 s and under 1 GiB on the 2-core machine.
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
EU_BELARUS = PROJECT / "tests" / "fixtures" / "screening" / "eu-belarus.ftm.json"
SYLLABLES = ["ka", "ro", "mi", "su", "te", "na", "lo", "vi", "de", "sa", "ri", "mo", "ze", "pa", "tu", "ba", "ne", "li", "go", "da", "ra", "me", "si", "to", "ha", "yo", "ku"]
SHARED = ["Viktor", "Alexander", "Sheiman", "Khrenin", "Emmerson", "Valery", "Frederick", "Oppah", "Robert", "Vladimir"]


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def generate(path: Path, count: int, gzipped: bool, newer: bool = False) -> None:
    rng = random.Random(18)
    with (gzip.open(path, "wt", encoding="utf-8") if gzipped else open(path, "w", encoding="utf-8")) as out:
        for number in range(count):
            if newer and number % 1000 == 500:
                continue
            person = rng.random() < 0.7
            first = rng.choice(SHARED) if rng.random() < 0.01 else word(rng)
            last = rng.choice(SHARED) if rng.random() < 0.005 else word(rng)
            name = f"{first} {last}" if person else f"{word(rng)} {rng.choice(['LLC', 'Holding', 'Trading', 'Group'])}"
            if newer and number % 1000 == 999:
                name = f"Viktor {name}"
            entity = {
                "id": f"gen-{number}", "schema": "Person" if person else "Company",
                "properties": {"name": [name], "alias": [name.upper()], "country": [rng.choice(["ru", "by", "zw", "cn", "ir"])], "topics": ["sanction"]},
                "datasets": ["generated"],
            }
            out.write(json.dumps(entity) + "\n")


def dossiers(root: Path, *args: str, codes: tuple[int, ...] = (0,)) -> tuple[float, float, str]:
    """Run `dossiers ARGS --root ROOT` under /usr/bin/time: (seconds, peak MiB of its largest process, stdout)."""
    started = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-v", sys.executable, "-m", "dossiers", *args, "--root", str(root)], capture_output=True, text=True, cwd=PROJECT)
    took = time.perf_counter() - started
    if done.returncode not in codes:
        raise SystemExit(done.stderr[-2000:])
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1)) / 1024
    return took, peak, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--gzip", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "project"  # the project's registry, where --record may write
        root.mkdir()
        (root / "actors.yaml").write_bytes((PROJECT / "actors.yaml").read_bytes())
        took, peak, out = dossiers(root, "screen", str(EU_BELARUS), "--record")
        print(f"screen --record of the project's registry against the EU Belarus list (816 entities): {took:.1f} s, peak {peak:.0f} MiB")
        path = Path(folder) / ("entities.jsonl.gz" if options.gzip else "entities.jsonl")
        newer = Path(folder) / ("newer.jsonl.gz" if options.gzip else "newer.jsonl")
        started = time.perf_counter()
        generate(path, options.entities, options.gzip)
        generate(newer, options.entities, options.gzip, newer=True)
        print(f"generated 2 x {options.entities:,} entities ({path.stat().st_size / 2**20:.0f} MB each) in {time.perf_counter() - started:.0f} s")
        took, peak, out = dossiers(root, "screen", str(path), "--record", "--format", "json")
        print(f"screen --record of {options.entities:,} entities{' (gzipped)' if options.gzip else ''}: {took:.0f} s, peak {peak:.0f} MiB, {len(json.loads(out))} candidates at the threshold")
        took, peak, out = dossiers(root, "screen", str(newer), "--since", str(path), "--format", "json", codes=(0, 1))
        print(f"screen --since between two versions of {options.entities:,} entities: {took:.0f} s, peak {peak:.0f} MiB, {len(json.loads(out))} changes")


if __name__ == "__main__":
    main()
