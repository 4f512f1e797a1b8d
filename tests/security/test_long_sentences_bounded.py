"""A source sentence tens of thousands of words long costs the support rules no more than a short one would, word for word.

Whom a sentence relays was read by one regular expression that, on a long run of words
with no reporting verb after it, backtracked without end (4,000 words took a minute,
20,000 would take hours): a hostile source could hang `check`, the workflow and the
pre-commit hook. Reporting verbs are now found first and the words before each read
backwards once; the rules that read names and relationships look only near each word.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

WORDS = 20_000
SECONDS = 60  # the machine is shared; the unbounded version takes hours


def test_a_sentence_of_twenty_thousand_words_checks_in_bounded_time(tmp_path: Path):
    root = tmp_path / "p"
    (root / "seeds").mkdir(parents=True)
    long_sentence = "Officials " * WORDS + "of Viktor Sheiman’s son Sergei, " + "the Son of Viktor Sheiman " * 2000 + "met in Minsk"
    text = f"{long_sentence}.\n\nViktor Sheiman met officials in Minsk on 2 May 2023, the ministry said.\n"
    (root / "seeds" / "s.txt").write_text(text, "utf-8")
    digest = hashlib.sha256(text.encode()).hexdigest()
    (root / "seeds" / "sources.yaml").write_text(
        f"sources:\n  - {{id: s, file: s.txt, sha256: {digest}, title: T, publisher: The Gazette, language: en, reliability: F}}\n", "utf-8"
    )
    (root / "actors.yaml").write_text(
        "actors:\n  - {id: sheiman, kind: person, name: Viktor Sheiman}\n  - {id: sergei, kind: person, name: Sergei Sheiman}\n"
        "facts:\n  - id: met\n    actors: [sergei, sheiman]\n    kind: relationship\n    relationship: son of\n    link: family\n"
        "    text: Sergei Sheiman is the son of Viktor Sheiman.\n    citations:\n      - source: s\n        quote: Viktor Sheiman’s son Sergei\n"
        "      - source: s\n        quote: Viktor Sheiman met officials in Minsk on 2 May 2023\n        attribution: the ministry\n",
        "utf-8",
    )
    command = [sys.executable, "-c", "from dossiers.cli.app import run; run()", "check", "--root", str(root), "--format", "json"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=SECONDS)  # raises TimeoutExpired when unbounded
    codes = {p["code"] for p in json.loads(result.stdout)}
    assert result.returncode == 0 and codes == {"citation-padding"}, codes  # the second quote supports nothing of a son: rightly padding
