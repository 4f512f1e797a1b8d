"""nomenklatura's name benchmark, screened as `dossiers screen` screens: precision, recall and F1 beside logic-v2's frozen run.

    python benchmarks/name_bench.py [--threshold 0.7]

Each pair's first name is the registry's (an actor of the case's kind), the second a
candidate of the case's schema, screened through the same blocking and scoring as
`dossiers screen` (`Screener.read`): a pair is predicted a match when blocking lets it
through and it scores at least the threshold. The column "without blocking" scores every
pair, to show what blocking costs. Vessels are left out: the registry has no vessels.
"""

from __future__ import annotations

import argparse
import csv
import sys
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from dossiers.registry.model import Actor  # noqa: E402
from dossiers.reports.screen import Screener, query_entity  # noqa: E402

KINDS = {"Person": "person", "Company": "company", "Organization": "organization", "LegalEntity": "organization"}


def pair_score(actor: Actor, schema: str, names: list[str]) -> float:
    """How well an entity of `schema` with these names matches the actor, scored as dossiers screen scores, without blocking."""
    screener = _pair_screener()
    candidate = screener.model.make_entity(schema)
    candidate.id = f"candidate-{actor.id}"
    candidate.add("name", names)
    return screener.algorithm.compare(query_entity(screener.model, actor), candidate, screener.config).score


@lru_cache(maxsize=1)
def _pair_screener() -> Screener:
    return Screener([])


def measures(rows: list[tuple[bool, bool]]) -> tuple[float, float, float]:
    """Precision, recall and F1 of (truth, predicted) pairs."""
    tp = sum(t and p for t, p in rows)
    fp = sum(p and not t for t, p in rows)
    fn = sum(t and not p for t, p in rows)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threshold", type=float, default=0.7)
    threshold = parser.parse_args().threshold
    with open(HERE / "name_bench" / "logicv2-frozen.csv", encoding="utf-8") as file:
        frozen = list(csv.DictReader(file))
    ours, unblocked, theirs, lost = {}, {}, {}, []
    for number, case in enumerate(frozen):
        if case["schema"] not in KINDS:
            continue
        actor = Actor(id=f"case-{number}", kind=KINDS[case["schema"]], name=case["name1"])
        truth = case["is_match"] == "true"
        candidate = {"id": f"candidate-{number}", "schema": case["schema"], "properties": {"name": [case["name2"]]}}
        found = Screener([actor]).read([candidate], 0.0, 1).found[actor.id]
        screened = bool(found) and found[0].score >= threshold
        if truth and not found:
            lost.append(f"{case['name1']} ~ {case['name2']}")
        for group in ("Person" if case["schema"] == "Person" else "organisations", "all"):
            ours.setdefault(group, []).append((truth, screened))
            unblocked.setdefault(group, []).append((truth, pair_score(actor, case["schema"], [case["name2"]]) >= threshold))
            theirs.setdefault(group, []).append((truth, case["predicted_match"] == "true"))
    print(f"nomenklatura name benchmark, threshold {threshold}")
    print("| Cases | dossiers screen (blocking, then logic-v2): precision / recall / F1 | without blocking | logic-v2 frozen run |")
    print("| --- | --- | --- | --- |")
    for group in ("Person", "organisations", "all"):
        cells = [" / ".join(f"{m:.3f}" for m in measures(rows[group])) for rows in (ours, unblocked, theirs)]
        print(f"| {group} ({len(ours[group])}) | {' | '.join(cells)} |")
    print(f"True pairs blocking never lets through to scoring ({len(lost)}): {'; '.join(lost)}")


if __name__ == "__main__":
    main()
