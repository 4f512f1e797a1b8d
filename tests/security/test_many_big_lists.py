"""Attack: a pull request adds four FollowTheMoney lists of 31 MB each, just under the sources' text limit together.

Every list is held as entities (dicts and tuples) for the whole check: about 23 bytes a
character of its JSON, where prose takes about 10. Four lists of 450,000 tiny entities
(127 MB, under the 128 Mi characters the sources may hold) took `check` 53 s and 2.9 GB.
A list's character now counts three times toward MAX_SOURCES_TEXT, so such a project is
`sources-too-large` at the list that passes it (the measure in the test is scaled down).
"""

from __future__ import annotations

import json

from conftest import position, run
from dossiers.sources import read
from dossiers.sources.ftm import read_list


def test_lists_count_three_times_their_text_toward_the_sources_limit(project, monkeypatch):
    listed = read_list((project / "seeds" / "eu-belarus.ftm.json").read_bytes(), "eu-belarus").size
    monkeypatch.setattr(read, "MAX_SOURCES_TEXT", 2 * listed)  # the list's text fits twice over, unweighted; its entities do not
    found = json.loads(run("check", "--root", str(project), "--format", "json").stdout)
    [problem] = [p for p in found if p["code"] == "sources-too-large"]
    assert problem["line"] == position(project / "seeds" / "sources.yaml", "file: eu-belarus.ftm.json")[0]
    assert "seeds/eu-belarus.ftm.json takes the text of the sources" in problem["message"]
