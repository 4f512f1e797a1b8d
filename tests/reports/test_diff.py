"""`dossiers diff` on temporary git repositories with real commits."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from conftest import git, replace, run
from dossiers.reports.diff import fit_github

FORMATS = ("markdown", "text", "json")


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)


def report(repo: Path, fmt: str, *extra: str):
    result = run("diff", "main", "pr", "--root", str(repo), "--format", fmt, *extra)
    assert result.exit_code == (1 if "does not verify" in result.stdout.lower() or '"verified": false' in result.stdout else 0), result.output
    return json.loads(result.stdout) if fmt == "json" else result.stdout


def test_a_source_and_its_facts_added(repo: Path):
    seed = repo / "seeds" / "005_new.txt"
    seed.write_text("Viktor Khrenin visited Harare in December and met Oppah Muchinguri-Kashiri.\n", "utf-8")
    digest = hashlib.sha256(seed.read_bytes()).hexdigest()
    sources = repo / "seeds" / "sources.yaml"
    sources.write_text(sources.read_text("utf-8") + f"\n  - id: new-report\n    file: 005_new.txt\n    sha256: {digest}\n    title: New report\n    publisher: unknown\n    language: en\n    reliability: F\n", "utf-8")
    registry = repo / "actors.yaml"
    registry.write_text(registry.read_text("utf-8") + "\n  - id: khrenin-visits-harare\n    actors: [khrenin]\n    kind: event\n    text: Khrenin visited Harare.\n    citations:\n      - source: new-report\n        quote: Viktor Khrenin visited Harare in December\n", "utf-8")
    commit(repo, "add a source")
    data = report(repo, "json")
    kinds = {(c["what"], c["id"], c["change"]) for c in data["changes"]}
    assert kinds == {("source", "new-report", "added"), ("fact", "khrenin-visits-harare", "added")}
    fact = next(c for c in data["changes"] if c["what"] == "fact")
    assert fact["citations"] == [{"source": "new-report", "quote": "Viktor Khrenin visited Harare in December", "verified": True, "problem": None}]
    markdown = report(repo, "markdown")
    assert "Facts: 1 added" in markdown and "Sources: 1 added" in markdown
    assert "<details><summary><b>Viktor Khrenin</b>" in markdown and "✅ quote verified" in markdown
    assert "added fact khrenin-visits-harare" in report(repo, "text")


def test_a_sanction_changed_comes_first_and_is_marked(repo: Path):
    replace(repo / "actors.yaml", "authority: [EU, US]", "authority: [EU, US, UK]")
    replace(repo / "actors.yaml", "    text: Belarusian army general.", "    text: A Belarusian army general.")
    commit(repo, "UK sanctions")
    data = report(repo, "json")
    first = data["changes"][0]
    assert (first["id"], first["flagged"]) == ("sheiman-sanctioned-by-eu-and-us", True)
    assert first["fields"] == [{"field": "authority", "old": [], "new": ["UK"], "items": True}]
    assert not data["changes"][1]["flagged"]
    markdown = report(repo, "markdown")
    flagged = markdown.index("### ⚠️ Sanctions, allegations, denials and waivers")
    assert flagged < markdown.index("sheiman-sanctioned-by-eu-and-us") < markdown.index("<details>")
    assert "authority: added UK" in markdown
    assert report(repo, "text").splitlines()[1].startswith("! changed fact sheiman-sanctioned-by-eu-and-us")


def test_an_alias_renamed(repo: Path):
    replace(repo / "actors.yaml", "{name: Viktor Sheyman, lang: ru-Latn, curated: true}", "{name: Viktor Sheijman, lang: ru-Latn, curated: true}")
    commit(repo, "alias")
    [change] = report(repo, "json")["changes"]
    assert (change["what"], change["id"], change["change"]) == ("actor", "sheiman", "changed")
    assert change["fields"][0]["old"] == [{"name": "Viktor Sheyman", "lang": "ru-Latn", "note": None, "curated": True}]
    assert "alias: removed Viktor Sheyman (ru-Latn); added Viktor Sheijman (ru-Latn)" in report(repo, "markdown")
    assert "alias: removed Viktor Sheyman (ru-Latn); added Viktor Sheijman (ru-Latn)" in report(repo, "text")


def test_an_actor_deleted_with_its_facts(repo: Path):
    registry = repo / "actors.yaml"
    text = registry.read_text("utf-8")
    start = text.index("  - id: putin\n")
    text = text[:start] + text[text.index("  - id: mugabe\n") :]
    for fact in ("putin-president-of-russia", "lukashenko-close-ally-of-putin"):
        start = text.index(f"  - id: {fact}\n")
        end = text.index("\n  - id: ", start + 1)
        text = text[:start] + text[end + 1 :]
    registry.write_text(text, "utf-8")
    commit(repo, "drop putin")
    data = report(repo, "json")
    assert {(c["what"], c["id"], c["change"]) for c in data["changes"]} == {
        ("actor", "putin", "removed"), ("fact", "putin-president-of-russia", "removed"), ("fact", "lukashenko-close-ally-of-putin", "removed"),
    }
    markdown = report(repo, "markdown", "--dossiers")
    assert "Actors: 0 added, 1 removed" in markdown
    assert "```diff" in markdown and "-- **Alexander Lukashenko** close ally of [Vladimir Putin](putin.md)" in markdown
    assert "removed actor putin" in report(repo, "text")


def test_a_bodys_dossier_is_compared_too(repo: Path):
    """Bodies with facts have dossiers now: a change to one is shown in the diff of its dossier, not only people's."""
    replace(repo / "actors.yaml", "    kind: company\n    name: Zim Goldfields\n", "    kind: company\n    name: Zim Goldfields\n    country: [zw]\n")
    commit(repo, "Zim Goldfields is in Zimbabwe")
    markdown = report(repo, "markdown", "--dossiers")
    assert "+++ pr/dossiers/zim-goldfields.md" in markdown and "+Company · Zimbabwe" in markdown, markdown


def test_a_broken_quote_is_reported_as_not_verifying(repo: Path):
    replace(repo / "actors.yaml", "quote: Lukashenko has been in power since 1994.", "quote: Lukashenko has ruled since 1994.")
    commit(repo, "break a quote")
    data = report(repo, "json")
    [change] = data["changes"]
    [check] = change["citations"]
    assert check["verified"] is False and check["problem"].startswith("quote-")
    markdown = report(repo, "markdown", "--dossiers")
    assert "❌ 1 new or changed quote does not verify" in markdown
    assert "❌ quote does not verify in `zimmail-2023-11-02`" in markdown
    assert "Dossiers not compared" in markdown
    assert "DOES NOT VERIFY" in report(repo, "text")


def test_source_bytes_changed(repo: Path):
    seed = repo / "seeds" / "004_e117c70d6816a0ff.txt"
    seed.write_bytes(seed.read_bytes() + b" ")
    commit(repo, "touch a source")
    [change] = report(repo, "json")["changes"]
    assert (change["what"], change["id"], change["fields"][0]["field"]) == ("source", "lukashenko-harare-visit", "bytes of the file")


def test_no_changes_is_one_line(repo: Path):
    for fmt in ("markdown", "text"):
        assert report(repo, fmt).strip() == "No changes to the registry between main and pr."


def test_default_compares_the_merge_base_with_the_working_tree(repo: Path):
    replace(repo / "actors.yaml", "authority: [EU, US]", "authority: [EU]")
    result = run("diff", "--root", str(repo), "--format", "text")
    assert result.exit_code == 0
    assert "-> working tree" in result.stdout.splitlines()[0] and "removed US" in result.stdout


def test_errors_are_messages(repo: Path, tmp_path: Path):
    bad = run("diff", "nope", "--root", str(repo))
    assert bad.exit_code == 1 and "'nope' is not a revision" in bad.stderr
    outside = tmp_path / "plain"
    outside.mkdir()
    nogit = run("diff", "--root", str(outside))
    assert nogit.exit_code == 1 and "not inside a git repository" in nogit.stderr
    replace(repo / "actors.yaml", "    name: Viktor Khrenin", "    name: Viktor Khrenin\n   kind: person")
    commit(repo, "broken yaml")
    broken = run("diff", "main", "pr", "--root", str(repo))
    assert broken.exit_code == 1
    assert "the registry at pr does not load" in broken.stderr and "yaml-syntax" in broken.stderr


def test_markdown_over_githubs_limit_is_cut_at_a_section_with_a_note():
    sections = "".join(f"<details><summary>{i}</summary>\n\n{'x' * 1000}\n\n</details>\n" for i in range(2000))
    cut = fit_github("## Registry changes\n" + sections)
    assert len(cut.encode("utf-8")) <= 1024 * 1024
    assert cut.rstrip().endswith("for all of it.") and cut.count("<details>") == cut.count("</details>")
