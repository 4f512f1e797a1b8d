"""The evidence a PDF carries is one model: what the build writes is what verify reads, and nothing else is."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from conftest import PROJECT
from dossiers import check
from dossiers.about import TOOL
from dossiers.views.dossier import dossier
from dossiers.views.evidence import Evidence, evidence
from dossiers.views.join import join


@pytest.fixture(scope="module")
def written() -> dict:
    joined = join(check(PROJECT), "2023-11-02")
    paged = evidence(joined, dossier(joined, "sheiman"), TOOL).model_dump() | {"page_reader": "pdfium", "pages": [{"marks": [["f", 0, 3, 0]], "rest": "0" * 64}]}
    return json.loads(Evidence.model_validate(paged, strict=False).to_json())


def test_what_the_build_writes_is_read_back_as_it_was(written: dict):
    assert written["evidence"] == 2 and written["tool"] == TOOL and written["claims"] and written["sources"]
    assert json.loads(Evidence.model_validate_json(json.dumps(written)).to_json()) == written


@pytest.mark.parametrize(
    "change",
    [
        lambda e: e["claims"][0]["citations"][0].update(start=True),  # a bool is no offset
        lambda e: e["claims"][0]["citations"][0].update(end=-1),
        lambda e: e["claims"][0].update(extra="x"),  # a key the build never writes
        lambda e: e.update(evidence="2"),
        lambda e: e["pages"][0]["marks"][0].append(9),  # a mark is [id, start, end, offset]
        lambda e: e["sources"][0].pop("sha256"),
    ],
)
def test_anything_else_is_not_the_evidence(written: dict, change):
    altered = json.loads(json.dumps(written))
    change(altered)
    with pytest.raises(ValidationError):
        Evidence.model_validate_json(json.dumps(altered))
