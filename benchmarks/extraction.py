"""How complete and how clean the text of an HTML page is, measured on trafilatura's own evaluation set.

    python benchmarks/extraction.py PATH/TO/trafilatura [--limit N]

PATH is a checkout of the public repository adbar/trafilatura: its tests/evaldata.json
gives, for each of about 990 real pages of tests/eval/ and tests/cache/, passages that the
article's text must hold ("with") and passages of menus, footers and comments that it must
not ("without"). As trafilatura's own tests/evaluate.py does, a "with" passage found is a
true positive, one missed a false negative, a "without" passage found a false positive:
precision and recall are counted over passages (the set has no full expected text to
count words against). Three extractions are compared: trafilatura's default, its
favor_recall, and what dossiers keeps (their union in the page's order, with credit lines,
or the JSON-LD articleBody when the visible body is a stub). For dossiers, it also prints
how many words it kept against the words the page shows, and how many pages the
`source-text-incomplete` warning would flag.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

import trafilatura  # noqa: E402

from dossiers.sources import extract as extraction  # noqa: E402

OPTIONS = dict(output_format="txt", include_comments=False, include_tables=True, include_images=False, include_links=False,
               include_formatting=False, deduplicate=False, with_metadata=False)


def squeezed(text: str) -> str:
    return " ".join(text.split())


def score(text: str, case: dict, counts: dict) -> None:
    text = squeezed(text)
    for passage in case.get("with", []):
        counts["tp" if squeezed(passage) in text else "fn"] += 1
    for passage in case.get("without", []):
        counts["fp" if squeezed(passage) in text else "tn"] += 1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("trafilatura", type=Path, help="a checkout of github.com/adbar/trafilatura")
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages of the set (0: all)")
    arguments = parser.parse_args()
    tests = arguments.trafilatura / "tests"
    cases = json.loads((tests / "evaldata.json").read_text("utf-8"))
    runs = {
        "trafilatura default": lambda raw: trafilatura.extract(raw, **OPTIONS) or "",
        "trafilatura favor_recall": lambda raw: trafilatura.extract(raw, favor_recall=True, **OPTIONS) or "",
        "dossiers": None,
    }
    counts = {name: dict(tp=0, fn=0, fp=0, tn=0) for name in runs}
    seconds = dict.fromkeys(runs, 0.0)
    shares, flagged, from_body, pages = [], 0, 0, 0
    on_flagged = dict(tp=0, fn=0, fp=0, tn=0)  # the passages of the pages flagged incomplete: is their recall lower?
    for case in list(cases.values())[: arguments.limit or None]:
        path = next((folder / case["file"] for folder in (tests / "eval", tests / "cache") if (folder / case["file"]).is_file()), None)
        if path is None:
            continue
        raw = path.read_bytes()
        pages += 1
        for name, run in runs.items():
            started = time.perf_counter()
            if run is None:
                kind, value = extraction._html_text(raw)
                text = value[0] if kind == "text" else ""
                if kind == "text":
                    found = extraction.Extracted("html", *value[:1], (), value[1], value[2])
                    kept, visible, _ = found.words
                    shares.append(kept / visible if visible else 1.0)
                    flagged += bool(found.incomplete)
                    from_body += bool(found.origin)
                    if found.incomplete:
                        score(text, case, on_flagged)
            else:
                text = run(raw)
            seconds[name] += time.perf_counter() - started
            score(text, case, counts[name])
    print(f"{pages} pages of adbar/trafilatura tests/evaldata.json")
    print(f"{'extraction':28} {'precision':>9} {'recall':>7} {'F1':>6} {'s/page':>7}")
    for name, c in counts.items():
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        print(f"{name:28} {precision:9.3f} {recall:7.3f} {f1:6.3f} {seconds[name] / max(pages, 1):7.3f}")
    if shares:
        quartiles = statistics.quantiles(shares, n=20)
        print(f"dossiers: words kept / words shown: median {statistics.median(shares):.2f}, 5th percentile {quartiles[0]:.2f}, 95th {quartiles[-1]:.2f}")
        print(f"dossiers: {from_body} pages read from their JSON-LD articleBody; {flagged} flagged source-text-incomplete")
        for share in (0.05, 0.10, 0.15, 0.25):
            print(f"dossiers: pages that keep less than {share:.0%} of the words they show: {sum(1 for kept in shares if kept < share)}")
        if on_flagged["tp"] + on_flagged["fn"]:
            print(f"dossiers: recall on the pages flagged {on_flagged['tp'] / (on_flagged['tp'] + on_flagged['fn']):.3f}")


if __name__ == "__main__":
    main()
