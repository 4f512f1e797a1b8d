"""Big text sources: what a check holds for them is bounded, and so is their sum.

A 28 MB text source once cost `check` 1.7 GB, and two of 8 MB 803 MiB: a match object, a
string and a tuple of offsets for each word, kept for every source at once while looking
for shared passages. Words are now one 8-byte hash each, read a slice at a time. The sources' text together is
bounded by MAX_SOURCES_TEXT, so that no number of sources takes a check past its budget.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

from conftest import add_seed, position, run
from dossiers.sources import read
from dossiers.sources.ftm import read_list

# The peak of the command's own memory (VmHWM, in KiB): ru_maxrss would count the test process it was forked from.
MEASURED = "import atexit, re, sys; atexit.register(lambda: print('peak', re.search(r'VmHWM:\\s*(\\d+)', open('/proc/self/status').read())[1], file=sys.stderr)); " \
           "from dossiers.cli.app import run; run()"


def article(megabytes: float, seed: int) -> bytes:
    """Paragraphs of words drawn from a vocabulary of 5,000, `megabytes` long; the same seed, the same text."""
    rng = random.Random(seed)
    vocabulary = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9))) for _ in range(5000)]
    paragraphs, size = [], 0
    while size < megabytes * 2**20:
        paragraph = " ".join(rng.choice(vocabulary) for _ in range(60)) + ". " + " ".join(rng.choice(vocabulary) for _ in range(40)) + ".\n\n"
        paragraphs.append(paragraph)
        size += len(paragraph)
    return "".join(paragraphs).encode()


def test_check_holds_a_few_bytes_a_character_of_big_text_sources(project: Path):
    shared = article(0.01, seed=0)  # 10 KB that both carry: one line of reporting
    add_seed(project, "first.txt", article(8, seed=1) + shared)
    add_seed(project, "second.txt", shared + article(8, seed=2))
    done = subprocess.run([sys.executable, "-c", MEASURED, "check", "--root", str(project), "--format", "json"], capture_output=True, text=True, timeout=300)
    peak = int(done.stderr.split("peak")[-1]) * 1024
    assert peak < 400 * 2**20, f"{peak / 2**20:.0f} MiB"  # 803 MiB before, 166 MiB after
    shares = [p for p in json.loads(done.stdout) if p["code"] == "sources-share-text"]
    assert any("'second' shares" in p["message"] and "with 'first'" in p["message"] for p in shares)


def test_sources_whose_text_together_passes_the_limit_are_an_error_at_the_entry_that_passes_it(project: Path, monkeypatch):
    listed = read.LIST_WEIGHT * read_list((project / "seeds" / "eu-belarus.ftm.json").read_bytes(), "eu-belarus").size  # the project's list counts its JSON text, weighted
    monkeypatch.setattr(read, "MAX_SOURCES_TEXT", listed + 60_000)  # in production 128 Mi characters; the project's articles hold about 20,000
    add_seed(project, "first.txt", article(0.03, seed=1))
    add_seed(project, "second.txt", article(0.03, seed=2))
    found = json.loads(run("check", "--root", str(project), "--format", "json").stdout)
    [problem] = [p for p in found if p["code"] == "sources-too-large"]
    assert problem["line"] == position(project / "seeds" / "sources.yaml", "file: second.txt")[0]
    assert "seeds/second.txt takes the text of the sources" in problem["message"]


def test_a_source_of_millions_of_short_lines_keeps_its_offset_maps_small():
    """30 MB of 'a⏎' (15 million line breaks, each a stretch of the offset maps) took `check` to 3.24 GB with lists of
    ints; the maps are arrays of eight bytes a stretch."""
    from dossiers.verify.quotes import normalise

    folded = normalise("a\n" * 1_000_000)
    assert folded.text.startswith("a a a") and len(folded.starts) == 1_999_999
    assert folded.starts.itemsize == 8 and folded.origins.itemsize == 8
    assert folded.index(4) == 4
