"""A list file as a source, on the real EU Belarus list (tests/fixtures/screening/eu-belarus.ftm.json: the EU's
Belarus regime, Council Regulation (EC) No 765/2006, as published in the Official Journal, converted to
FollowTheMoney entities): told by its content, read whole, fragments of one entity merged."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from dossiers.sources.files import Unreadable
from dossiers.sources.formats import FTM, TEXT, sniff
from dossiers.sources.ftm import read_list

EU_LIST = Path(__file__).resolve().parent.parent / "fixtures" / "screening" / "eu-belarus.ftm.json"
RAW = EU_LIST.read_bytes()
LINES = RAW.decode("utf-8").splitlines()


def as_array(lines: list[str]) -> bytes:
    return ("[\n" + ",\n".join(lines) + "\n]\n").encode("utf-8")


@pytest.mark.parametrize("form", ["json lines", "json array", "gzipped lines", "gzipped array"])
def test_the_eu_belarus_list_is_told_a_list_by_its_content_in_every_form(form: str):
    raw = as_array(LINES) if "array" in form else RAW
    raw = gzip.compress(raw, mtime=0) if "gzipped" in form else raw
    assert sniff(raw, "whatever.txt") == FTM  # the name says text: the bytes decide
    listed = read_list(raw, "eu-belarus")
    assert len(listed.entities) == 808  # 816 lines, four bank records (entity and sanction) given twice
    khrenin = listed.entities["eu-journal-7dd6073301262d6f"]
    assert khrenin.schema == "Person" and "Viktor Gennadievich KHRENIN" in khrenin.names
    assert khrenin.line == (LINES.index(next(line for line in LINES if '"eu-journal-7dd6073301262d6f"' in line)) + 1 + ("array" in form))


def test_json_that_is_not_a_list_stays_text_and_a_gzip_of_it_is_refused():
    assert sniff(b'{"title": "a note", "body": "not an entity"}\n', "note.json") == TEXT
    assert sniff(b"[1, 2, 3]", "numbers.json") == TEXT
    with pytest.raises(Unreadable, match=r"gzip archive that is neither a \.warc\.gz nor a FollowTheMoney list"):
        sniff(gzip.compress(b"plain words"), "words.gz")


def test_fragments_of_one_entity_are_merged_into_one_with_one_sanction_record():
    """Belagroprombank and Belinvestbank appear twice in the EU file, entity and record alike: one of each is read."""
    listed = read_list(RAW, "eu-belarus")
    assert sum(line.startswith('{"id": "eu-journal-1c41383885ea8bfc", ') for line in LINES) == 2
    records = listed.sanctions_of("eu-journal-1c41383885ea8bfc")
    assert [r.id for r in records] == ["eu-journal-1c41383885ea8bfc-sanction"]
    assert records[0].values("provisions") == ("Financial restrictions",)


def test_fragments_add_their_values_and_keep_the_first_line():
    first = json.loads(LINES[0])
    extra = {"id": first["id"], "schema": "Person", "properties": {"alias": ["A second spelling"], "name": first["properties"]["name"]}}
    listed = read_list((LINES[0] + "\n" + json.dumps(extra) + "\n").encode(), "two-fragments")
    merged = listed.entities[first["id"]]
    assert merged.line == 1 and merged.values("alias")[-1] == "A second spelling"
    assert merged.values("name") == tuple(first["properties"]["name"])  # the same value twice is kept once


def test_a_line_that_is_not_an_entity_is_named_by_its_line():
    broken = "\n".join([*LINES[:3], '{"id": "x", "schema": "Person"}', *LINES[3:5]]).encode()
    with pytest.raises(Unreadable, match="line 4: not a FollowTheMoney entity") as raised:
        read_list(broken, "eu-belarus")
    assert raised.value.code == "source-ftm-malformed"
    with pytest.raises(Unreadable, match=r"line 3, column \d+: not JSON"):
        read_list(as_array([*LINES[:1], LINES[1][:-5], *LINES[2:3]]), "eu-belarus")


def test_a_schema_that_changes_between_fragments_is_an_error():
    first = json.loads(LINES[0])
    other = dict(first, schema="LegalEntity")
    with pytest.raises(Unreadable, match="is a LegalEntity here and a Person on line 1"):
        read_list((LINES[0] + "\n" + json.dumps(other)).encode(), "eu-belarus")


def test_datasets_and_the_newest_change_are_the_version():
    lines = [json.loads(line) for line in LINES[:4]]
    for number, entity in enumerate(lines):
        entity.update(datasets=["eu_journal_sanctions"], first_seen="2021-06-21T00:00:00", last_change=f"2025-0{number + 1}-10T12:00:00")
    listed = read_list("\n".join(json.dumps(e) for e in lines).encode(), "stamped")
    assert listed.datasets == ("eu_journal_sanctions",) and listed.version == "2025-04-10"
    assert read_list(RAW, "eu-belarus").version is None  # the EU file carries no date of its own
