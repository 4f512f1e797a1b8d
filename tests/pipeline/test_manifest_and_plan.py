"""The write stage and the plan, without rendering: atomic files, a manifest that matches, keys that follow the views."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from conftest import PROJECT
from dossiers import check
from dossiers.about import TOOL
from dossiers.pipeline.manifest import Manifest, sha256, write_outputs
from dossiers.pipeline.outdir import replace
from dossiers.pipeline.plan import outdated, plan, renderers_key
from dossiers.registry.layout import piece_name
from dossiers.views import briefing as briefing_view
from dossiers.views.briefing import Briefing, briefing
from dossiers.views.dossier import dossier, numbered, reading_order
from dossiers.views.join import join


def test_replace_swaps_the_whole_folder_and_leaves_no_staging(tmp_path: Path):
    out = tmp_path / "out"
    replace(out, {"dossiers/a.md": b"old", "dossiers/b.md": b"B"}, set(), keep_others=True)
    (out / "notes.txt").write_bytes(b"the user's own file")
    (out / ".x.md.abcd.tmp").write_bytes(b"left by an old build")
    replace(out, {"dossiers/a.md": b"new"}, {"dossiers/b.md"}, keep_others=True)
    assert (out / "dossiers" / "a.md").read_bytes() == b"new"
    assert (out / "dossiers" / "b.md").read_bytes() == b"B"
    assert sorted(p.name for p in out.iterdir()) == ["dossiers", "notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    replace(out, {"dossiers/a.md": b"fresh"}, set(), keep_others=False)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == ["dossiers", "dossiers/a.md"]


def test_manifest_records_what_was_written_and_detects_a_changed_file(tmp_path: Path):
    written = write_outputs(tmp_path, Manifest(), {"dossiers/a.md": (b"A", "key-a")}, {}, [], {"actors.yaml": "0" * 64})
    assert written == [tmp_path / "dossiers" / "a.md"]
    recorded = json.loads((tmp_path / "manifest.json").read_text("utf-8"))
    assert recorded["outputs"] == {"dossiers/a.md": {"sha256": sha256(b"A"), "key": "key-a"}}
    assert recorded["tool"] == TOOL, "the name and version outputs record, from dossiers.about"
    manifest = Manifest.read(tmp_path)
    assert manifest.current(tmp_path, "dossiers/a.md", "key-a")
    assert not manifest.current(tmp_path, "dossiers/a.md", "key-b")
    (tmp_path / "dossiers" / "a.md").write_bytes(b"edited")
    assert not manifest.current(tmp_path, "dossiers/a.md", "key-a")


def test_a_broken_manifest_is_an_empty_one(tmp_path: Path):
    (tmp_path / "manifest.json").write_text("{not json", "utf-8")
    assert Manifest.read(tmp_path).outputs == {}


def test_keys_follow_exactly_what_each_output_shows():
    joined = join(check(PROJECT), "2023-11-02")
    views = [dossier(joined, "khrenin"), dossier(joined, "shava")]
    first = plan(views, None, ["md", "pdf"], renderers_key({"templates/x": "1"}))
    assert [o.name for o in first] == ["dossiers/khrenin.md", "dossiers/khrenin.pdf", "dossiers/shava.md", "dossiers/shava.pdf"]
    assert len({o.key for o in first}) == 4, "a key per format"
    again = plan([dossier(joined, "khrenin"), dossier(joined, "shava")], None, ["md", "pdf"], renderers_key({"templates/x": "1"}))
    assert [o.key for o in again] == [o.key for o in first]
    retemplated = plan(views, None, ["md", "pdf"], renderers_key({"templates/x": "2"}))
    assert not {o.key for o in retemplated} & {o.key for o in first}
    stale, current = outdated(first, Manifest(), Path("/nonexistent"))
    assert (stale, current) == (first, [])


def test_a_key_is_the_fingerprint_of_the_view_itself():
    """No list says which fields count: any field of the view, however new, is in the key."""
    joined = join(check(PROJECT), "2023-11-02")
    view = dossier(joined, "sheiman")
    before = plan([view], None, ["md"], "shared")[0].key
    assert plan([dossier(joined, "sheiman")], None, ["md"], "shared")[0].key == before
    assert plan([dataclasses.replace(view, draft_mark="x")], None, ["md"], "shared")[0].key != before
    assert plan([numbered(view, reversed(reading_order(view)))], None, ["md"], "shared")[0].key != before, "the numbers are in it"


def test_a_piece_of_the_pack_is_keyed_on_what_it_shows(monkeypatch):
    """A field a piece shows, added to the briefing, changes that piece's key and no other's: no stale piece."""
    monkeypatch.setattr(briefing_view, "CHAPTERS_PER_PIECE", 2)
    joined = join(check(PROJECT), "2023-11-02")
    pack = briefing(joined)

    def keys(view):
        return {o.name: o.key for o in plan([], view, ["pdf"], "shared") if o.fmt == "piece"}

    before = keys(pack)
    assert len(before) > 3, before
    changed = keys(dataclasses.replace(pack, waivers="Every field that prints is compared with its quotes; one was waived."))
    assert [name for name in before if changed[name] != before[name]] == [piece_name("back")]
    extended = keys(Extended(**{f.name: getattr(pack, f.name) for f in dataclasses.fields(pack)}, ribbon="new"))
    assert all(extended[name] != before[name] for name in before), "a new field of the view is in every key that shows it"
    first = pack.people[0]
    renamed = keys(dataclasses.replace(pack, people=(dataclasses.replace(first, kind="Person, renamed"), *pack.people[1:])))
    assert [name for name in before if renamed[name] != before[name]] == [piece_name("people-1")]


@dataclasses.dataclass(frozen=True)
class Extended(Briefing):
    ribbon: str = ""  # a field added to what every piece shows (as the running header shows the title)
