"""Attacks on all-or-nothing output: kill -9 during the write phase, and two builds of one folder at once.

Run as a script for the figures of the closing note:
    python tests/security/test_interrupted_builds.py --kills 20 --pairs 10
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

STAGING = ".build.dossiers-staging"
# A build whose write phase is slowed (20 ms a file, or $DELAY s) so that a kill or a second build can land inside it.
SLOW_BUILD = """
import os, sys, time
from dossiers.pipeline import outdir
real = outdir._write
def slow(path, data):
    time.sleep(float(os.environ.get("DELAY", "0.02")))
    real(path, data)
outdir._write = slow
from dossiers.cli.app import run
run(sys.argv[1:])
"""


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def dossiers(project: Path, *args: str, slow: bool = False, **options) -> subprocess.Popen:
    code = SLOW_BUILD if slow else "import sys; from dossiers.cli.app import run; run(sys.argv[1:])"
    return subprocess.Popen([sys.executable, "-c", code, "build", "--root", str(project), "--format", "md", "--draft", *args], **options)  # edits add numbers no quote gives


def edit(project: Path, number: int) -> None:
    """Change one fact's wording, so that its dossiers and the pack change."""
    registry = project / "actors.yaml"
    text = registry.read_text("utf-8")
    start = text.index("text: Zimbabwe's foreign affairs minister")
    end = text.index("\n", start)
    registry.write_text(text[:start] + f"text: Zimbabwe's foreign affairs minister (edit {number})." + text[end:], "utf-8")


def reference(project: Path, tmp: Path, number: int) -> dict[str, str]:
    """The complete set a build of edit `number` makes, built in a folder of its own."""
    copy = tmp / f"reference-{number}"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("build", ".build.*"))
    edit(copy, number)
    assert dossiers(copy, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).wait(120) == 0
    return snapshot(copy / "build")


def kill_during_write(project: Path, tmp: Path, number: int, rng: random.Random) -> str:
    """Kill a build with SIGKILL at a random moment of its write phase; 'old' or 'new' if whole, else what is wrong."""
    out = project / "build"
    old = snapshot(out)
    new = reference(project, tmp, number)
    edit(project, number)
    process = dossiers(project, slow=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while not (project / STAGING).exists() and process.poll() is None:
        time.sleep(0.001)
    time.sleep(rng.uniform(0, 0.1))  # the write phase of an edit (3 files) lasts about 80 ms
    process.send_signal(signal.SIGKILL)
    process.wait(30)
    found = snapshot(out)
    state = "old" if found == old else "new" if found == new else f"mixed: {sorted(set(found.items()) ^ set(new.items()))[:4]}"
    assert dossiers(project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).wait(120) == 0
    if snapshot(out) != new or any(p.name.startswith(".build.") for p in project.iterdir()):
        state += " (and the next build did not clear up)"
    return state


def concurrent_pair(project: Path, tmp: Path, number: int) -> str:
    """Two builds of one folder started at once; 'whole' when the result is one complete set with a matching manifest."""
    new = reference(project, tmp, number)
    edit(project, number)
    pair = [dossiers(project, slow=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    said = [p.communicate(timeout=120)[1] for p in pair]
    codes = [p.returncode for p in pair]
    found = snapshot(project / "build")
    recorded = json.loads((project / "build" / "manifest.json").read_text("utf-8"))["outputs"]
    matches = {k: v for k, v in found.items() if k != "manifest.json"} == {k: v["sha256"] for k, v in recorded.items()}
    waited = sum("Waiting for another build" in text for text in said)
    return "whole" if codes == [0, 0] and found == new and matches else f"broken: exit {codes}, set {'new' if found == new else 'other'}, manifest {matches}, waited {waited}"


def test_kill_9_during_the_write_phase_leaves_the_old_set_or_the_new(project: Path, tmp_path: Path):
    assert dossiers(project).wait(120) == 0
    rng = random.Random(13)
    states = [kill_during_write(project, tmp_path, number, rng) for number in range(2)]  # the script runs 20
    assert all(state in ("old", "new") for state in states), states


def test_two_builds_of_one_folder_are_serialised(project: Path, tmp_path: Path):
    assert dossiers(project).wait(120) == 0
    assert concurrent_pair(project, tmp_path, 1) == "whole"


def test_the_second_build_says_it_waits(project: Path):
    assert dossiers(project).wait(120) == 0
    edit(project, 2)
    first = dossiers(project, slow=True, stderr=subprocess.DEVNULL, env=dict(os.environ, DELAY="1.5"))
    while not (project / STAGING).exists() and first.poll() is None:
        time.sleep(0.001)
    second = dossiers(project, stderr=subprocess.PIPE, text=True)
    _, said = second.communicate(timeout=120)
    assert first.wait(120) == 0 and second.returncode == 0
    assert f"Waiting for another build of {project / 'build'} to finish" in said


def test_pdf_workers_die_with_a_killed_build(project: Path):
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; from dossiers.cli.app import run; run(sys.argv[1:])", "build", "--root", str(project), "--jobs", "2"],
        stderr=subprocess.PIPE, text=True,
    )
    for line in process.stderr:
        if line.startswith("PDF: 1/"):
            break
    children = [int(pid) for pid in Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()]
    assert children, "the build runs PDF workers"
    process.send_signal(signal.SIGKILL)
    process.wait(30)
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() and "zombie" not in _state(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in children if Path(f"/proc/{pid}").exists() and "zombie" not in _state(pid)]


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().split("State:")[1].split("\n")[0].lower()
    except (OSError, IndexError):
        return "zombie"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--pairs", type=int, default=10)
    options = parser.parse_args()
    import tempfile

    here = Path(__file__).resolve().parents[2]
    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(scratch)
        project = tmp / "project"
        project.mkdir()
        shutil.copy(here / "actors.yaml", project)
        shutil.copytree(here / "seeds", project / "seeds")
        assert dossiers(project, stderr=subprocess.DEVNULL).wait(120) == 0
        rng = random.Random(os.getpid())
        kills = [kill_during_write(project, tmp, n, rng) for n in range(options.kills)]
        pairs = [concurrent_pair(project, tmp, 1000 + n) for n in range(options.pairs)]
        print(f"kill -9 during the write phase, {len(kills)} times: {kills.count('old')} old set, {kills.count('new')} new set, "
              f"{len(kills) - kills.count('old') - kills.count('new')} other: {[k for k in kills if k not in ('old', 'new')]}")
        print(f"pairs of concurrent builds, {len(pairs)}: {pairs.count('whole')} whole, others: {[p for p in pairs if p != 'whole']}")
