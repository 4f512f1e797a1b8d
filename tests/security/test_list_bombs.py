"""A list file (FollowTheMoney entities) is read as any source is, bounded: a gzip bomb stops at the source size
limit unpacked, and JSON nested deeper than Python's stack is a malformed list, never a RecursionError. The first
entity is a real record of the EU Belarus list (tests/fixtures/screening/eu-belarus.ftm.json)."""

from __future__ import annotations

import gzip
import json
import resource
import zlib
from pathlib import Path

import pytest

from conftest import add_seed, run
from dossiers.sources.files import MAX_SOURCE_BYTES, Unreadable
from dossiers.sources.formats import FTM, sniff
from dossiers.sources.ftm import read_list

EU_LIST = Path(__file__).resolve().parent.parent / "fixtures" / "screening" / "eu-belarus.ftm.json"
FIRST = EU_LIST.read_text("utf-8").splitlines()[0]
DEEP = "[" * 200_000 + "]" * 200_000


def bomb(unpacked: int) -> bytes:
    """A real entity, then `unpacked` bytes of blank lines: a few hundred kilobytes packed."""
    packer = zlib.compressobj(9, wbits=31)
    parts = [packer.compress((FIRST + "\n").encode())]
    block = b"\n" * 2**20
    parts += [packer.compress(block) for _ in range(unpacked // len(block))]
    return b"".join(parts) + packer.flush()


def test_a_gzip_bomb_list_stops_at_the_size_limit_unpacked():
    raw = bomb(4 * MAX_SOURCE_BYTES)
    assert len(raw) < MAX_SOURCE_BYTES // 32 and sniff(raw, "bomb.json.gz") == FTM
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(Unreadable, match="unpacks to more than 32 MiB") as raised:
        read_list(raw, "bomb.json.gz")
    assert raised.value.code == "source-too-large"
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before  # KiB
    assert grown < 3 * MAX_SOURCE_BYTES // 1024  # what was unpacked up to the limit, not the 128 MiB it would be


def test_a_gzip_bomb_list_in_seeds_is_an_error_of_check(project: Path):
    add_seed(project, "bomb.gz", bomb(2 * MAX_SOURCE_BYTES))
    done = run("check", "--root", str(project), "--format", "json")
    found = [p for p in json.loads(done.stdout) if p["code"] == "source-too-large"]
    assert done.exit_code == 1 and len(found) == 1 and found[0]["file"].endswith("seeds/sources.yaml"), done.stdout


def test_a_cut_gzip_list_is_malformed_not_a_crash():
    raw = gzip.compress(((FIRST + "\n") * 50).encode())
    with pytest.raises(Unreadable, match="cut short") as raised:
        read_list(raw[: len(raw) // 2], "cut.json.gz")
    assert raised.value.code == "source-ftm-malformed"


@pytest.mark.parametrize("form", ["json lines", "json array"])
def test_a_deep_entity_in_a_list_is_malformed_not_a_recursion_error(form: str):
    deep = FIRST[:-1] + ', "extra": ' + DEEP + "}"
    raw = (FIRST + "\n" + deep + "\n") if form == "json lines" else ("[" + FIRST + ",\n" + deep + "]")
    assert sniff(raw.encode(), "deep.json") == FTM
    with pytest.raises(Unreadable, match="line 2: JSON nested too deep") as raised:
        read_list(raw.encode(), "deep.json")
    assert raised.value.code == "source-ftm-malformed"


def test_deep_json_first_is_not_a_list_and_not_a_crash():
    assert sniff(DEEP.encode(), "deep.json") != FTM
