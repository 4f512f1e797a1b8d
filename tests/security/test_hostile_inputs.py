"""Hostile input: a registry from someone the maintainers may not trust, rendered in CI.

Each case gets a clear error at the right place, or a safe rendering in which the text
appears as text. The CLI runs in-process with exceptions propagating, so a traceback
fails the test.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from html import unescape
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from pypdf import PdfReader

from conftest import position, replace, run
from dossiers.pipeline.build import build


def errors(root: Path) -> list[dict]:
    result = run("check", "--root", str(root), "--format", "json")
    found = json.loads(result.stdout)
    assert result.exit_code == (1 if any(p["severity"] == "error" for p in found) else 0)
    return [p for p in found if p["severity"] == "error"]


def write_registry(root: Path, text: str) -> Path:
    path = root / "actors.yaml"
    path.write_text(text, "utf-8")
    return path


@pytest.mark.parametrize(
    ("yaml_text", "code"),
    [
        ("actors: !!python/object/new:os.system [echo hi]\n", "yaml-tag"),
        ("actors:\n  - !!python/object:builtins.dict {}\n", "yaml-tag"),
        ("actors: !!binary aGVsbG8=\n", "yaml-tag"),
        ("? !custom key\n: value\n", "yaml-key"),
        ("a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nactors: [*c, *c]\n", "yaml-alias"),
        ("actors: " + "[" * 10000 + "]" * 10000 + "\n", "yaml-too-deep"),
        ("actors:\n  - id: x\u0007y\n", "yaml-character"),
    ],
)
def test_constructs_that_could_run_code_or_explode_are_refused(project: Path, yaml_text: str, code: str):
    write_registry(project, yaml_text)
    started = time.monotonic()
    found = errors(project)
    assert [p["code"] for p in found] == [code]
    assert time.monotonic() - started < 10


def test_a_ten_megabyte_string_is_an_error_not_a_document(project: Path):
    registry = project / "actors.yaml"
    replace(registry, "    name: Frederick Shava", '    name: "' + "x" * 10_000_000 + '"')
    [error] = errors(project)
    assert error["code"] == "too-long" and "10,000,000 characters" in error["message"]
    assert (error["line"], error["col"]) == (position(registry, '    name: "xxx')[0], 11)


def test_not_utf8_and_byte_order_mark(project: Path):
    registry = project / "actors.yaml"
    good = registry.read_bytes()
    registry.write_bytes(good.replace(b"Frederick Shava", b"Fr\xe9d\xe9rick Shava"))
    [error] = errors(project)
    assert error["code"] == "not-utf8"
    line = good[: good.index(b"    name: Frederick Shava")].count(b"\n") + 1
    assert (error["line"], error["col"]) == (line, len("    name: Fr") + 1)
    registry.write_bytes(b"\xef\xbb\xbf" + good)
    assert errors(project) == []


def test_source_file_that_is_not_utf8(project: Path):
    seed = project / "seeds" / "004_e117c70d6816a0ff.txt"
    seed.write_bytes(seed.read_bytes() + b"\xff")
    replace(project / "seeds" / "sources.yaml", "56f4ebc3bb331deb7d1a5ee917746af270889a2f51a0c285567dae7a5aa274f2", hashlib.sha256(seed.read_bytes()).hexdigest())
    assert "source-not-utf8" in [p["code"] for p in errors(project)]


@pytest.mark.parametrize("path", ["../actors.yaml", "/etc/passwd", "sub/../../actors.yaml", "..\\actors.yaml", "link-out.txt"])
def test_source_paths_cannot_leave_seeds(project: Path, tmp_path: Path, path: str):
    outside = tmp_path / "outside.txt"
    outside.write_text("secret", "utf-8")
    (project / "seeds" / "link-out.txt").symlink_to(outside)
    sources = project / "seeds" / "sources.yaml"
    replace(sources, "file: 000_ebd73d712e692767.txt", f"file: '{path}'")
    codes = [p for p in errors(project) if p["file"].endswith("sources.yaml")]
    assert [p["code"] for p in codes] == ["source-outside-seeds"]
    assert codes[0]["line"] == position(sources, path)[0]


@pytest.mark.parametrize("bad_id", ["../evil", "a/b", "a.b", "Sheiman", "sh\u0435iman", "a" * 81, "-x", "x--y", ""])
def test_ids_that_could_be_paths_or_look_alikes_are_refused(project: Path, bad_id: str):
    registry = project / "actors.yaml"
    replace(registry, "  - id: shava\n", f"  - id: {json.dumps(bad_id)}\n")
    found = errors(project)
    assert found[0]["code"] in ("invalid-id", "invalid-value")
    assert found[0]["line"] == position(registry, f"  - id: {json.dumps(bad_id)}")[0]


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ("date: 2023-05-17", "date: 0000-05-17", "invalid-date"),
        ("date: 2023-05-17", "date: 2023-02-29", "invalid-date"),
        ("date: 2023-05-17", "date: 9999-12-31", "date-in-future"),
        ("date: 2023-05-17", "date: 2023-5-17", "invalid-date"),
        ("    name: Frederick Shava", "    name: ''", "invalid-value"),
        ("    name: Frederick Shava", "    name: 12", "invalid-value"),
        ("    name: Frederick Shava", "    name: [a, b]", "invalid-value"),
        ("kind: statement", "kind: rumour", "invalid-value"),
    ],
)
def test_fields_at_the_edges_of_their_types(project: Path, old: str, new: str, code: str):
    registry = project / "actors.yaml"
    text = registry.read_text("utf-8")
    registry.write_text(text.replace(old, new, 1), "utf-8")
    found = errors(project)
    assert found and found[0]["code"] == code
    assert found[0]["line"] == position(registry, new.strip())[0]


def test_source_url_must_be_a_web_address(project: Path):
    sources = project / "seeds" / "sources.yaml"
    replace(sources, "    title: \"[Lukashenko arrives in Zimbabwe for talks]\"\n    publisher: unknown\n    published:\n    url:", "    title: \"[Lukashenko arrives in Zimbabwe for talks]\"\n    publisher: unknown\n    published:\n    url: javascript:alert(1)")
    [error] = errors(project)
    assert error["code"] == "invalid-value" and error["line"] == position(sources, "javascript:alert(1)")[0]


HOSTILE = [
    "<script>alert(1)</script>",
    "<style>body{display:none}</style><link rel=stylesheet href='{url}/x.css'>",
    "<img src='{url}/img.png'><img src='{canary}'>",
    "<span style=\"background:url({url}/bg.png)\">x</span>",
    "@import url({url}/import.css);",
    "![pic]({canary}) [click](javascript:alert(1)) [web]({url}/link) <{url}/auto>",
    "{{ 7*7 }} {% include '/etc/passwd' %} {# comment #}",
    "| table | cell | # heading *em* `code` $math$ ~~strike~~ www.example.com",
]


def test_markup_in_every_text_field_is_shown_as_text(project: Path, tmp_path: Path, loopback_server):
    url, requests = loopback_server
    canary = tmp_path / "canary.txt"
    canary.write_text("CANARY-SECRET", "utf-8")
    values = [h.replace("{url}", url).replace("{canary}", canary.as_uri()) for h in HOSTILE]
    registry = project / "actors.yaml"
    replace(registry, "    name: Frederick Shava\n", f"    name: {json.dumps(values[0])}\n    alias:\n      - {{name: {json.dumps(values[1])}, lang: en}}\n")
    replace(registry, "    text: Zimbabwe's foreign affairs minister.", f"    text: {json.dumps(' '.join(values))}")
    replace(registry, "        quote: Zimbabwe foreign affairs minister Frederick Shava\n        attribution: NewsDay", f"        quote: Zimbabwe foreign affairs minister Frederick Shava\n        attribution: {json.dumps(values[6])}")
    replace(project / "seeds" / "sources.yaml", 'title: "[Belarusian general Viktor Sheiman\'s visit to Harare]"', f"title: {json.dumps(values[2])}")
    result = run("build", "shava", "--root", str(project), "--format", "md,pdf,html", "--draft")  # no quote names the hostile name
    assert result.exit_code == 0, result.output
    built = project / "build" / "dossiers"
    pdf = "".join(page.extract_text() for page in PdfReader(built / "shava.pdf").pages)
    flat = "".join(pdf.split())
    for value in values:
        assert "".join(value.split()) in flat, value
    html = (built / "shava.html").read_text("utf-8")
    assert "<script>" not in html and "<img" not in html and "<link rel=stylesheet href='http" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "{{ 7*7 }}" in html
    markdown = (built / "shava.md").read_text("utf-8")
    rendered = MarkdownIt("gfm-like", {"html": True}).enable("table").render(markdown)  # raw HTML on: escaping must hold
    assert "<script>" not in rendered and "<img" not in rendered and "<style>" not in rendered
    assert 'href="javascript' not in rendered and f'href="{url}' not in rendered
    visible = unescape(re.sub(r"<[^>]+>", "", rendered)).replace("\u200b", "")  # zero-width spaces break GitHub mentions
    for value in values:
        assert " ".join(value.split()) in " ".join(visible.split()), value
    for path in built.iterdir():
        assert b"CANARY-SECRET" not in path.read_bytes()
    assert requests == []


def test_bidi_controls_are_shown_never_obeyed(project: Path):
    registry = project / "actors.yaml"
    replace(registry, "    name: Frederick Shava", "    name: \"Frederick \u202eavahS\"")
    found = json.loads(run("check", "--root", str(project), "--format", "json").stdout)
    assert [(p["code"], p["severity"]) for p in found if "control" in p["code"]] == [("bidi-control", "warning")]
    assert not [p for p in found if p["severity"] == "error"]
    assert run("build", "shava", "--root", str(project), "--format", "md,pdf", "--draft").exit_code == 0
    markdown = (project / "build" / "dossiers" / "shava.md").read_text("utf-8")
    assert "\u202e" not in markdown and "Frederick ⟨U+202E⟩avahS" in markdown
    pdf = PdfReader(project / "build" / "dossiers" / "shava.pdf")
    assert "\u202e" not in pdf.pages[0].extract_text() and "U+202E" in pdf.pages[0].extract_text()
    assert "\u202e" not in run("check", "--root", str(project)).stdout


def snapshot(root: Path) -> dict[str, tuple[str, float]]:
    return {str(p.relative_to(root)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime) for p in sorted(root.rglob("*")) if p.is_file()}


def test_read_only_commands_write_nothing(project: Path):
    before = snapshot(project)
    for args in (["check"], ["check", "--format", "json"], ["export"], ["coverage"], ["cite", "sheiman-harare-visit", "close ally"], ["schema"]):
        result = run(*args, "--root", str(project)) if args[0] != "schema" else run(*args)
        assert result.exit_code == 0, (args, result.output)
        assert result.stdout.strip(), args
    assert snapshot(project) == before


def test_failure_while_writing_leaves_the_previous_set_and_the_next_build_clears_up(project: Path, monkeypatch):
    from dossiers.pipeline import outdir

    assert run("build", "--root", str(project), "--format", "md").exit_code == 0
    out = project / "build"
    old = snapshot(out)
    replace(project / "actors.yaml", "text: Zimbabwe's foreign affairs minister.", "text: Zimbabwe's minister of foreign affairs.")
    real_write, calls = outdir._write, []

    def failing_write(path, data):
        calls.append(path)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real_write(path, data)

    monkeypatch.setattr(outdir, "_write", failing_write)
    with pytest.raises(KeyboardInterrupt):
        build(project, formats=["md"])
    monkeypatch.setattr(outdir, "_write", real_write)
    assert snapshot(out) == old, "the previous set, untouched"
    assert (project / ".build.dossiers-staging").is_dir(), "what the interrupted build left"
    build(project, formats=["md"])
    new = snapshot(out)
    assert sorted(new) == sorted(old)
    assert [name for name in new if new[name][0] != old[name][0]] == ["briefing-pack.md", "dossiers/shava.md", "manifest.json"]
    assert not (project / ".build.dossiers-staging").exists()


def test_interrupted_build_process_leaves_the_previous_output(project: Path):
    people = ["sheiman", "shava", "khrenin"]
    assert run("build", *people, "--root", str(project), "--format", "md", "--jobs", "1").exit_code == 0
    out = project / "build"
    old = snapshot(out)
    command = [sys.executable, "-c", "from dossiers.cli.app import run; run()", "build", *people, "--root", str(project), "--jobs", "1"]
    environment = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")  # a new date: every output is rebuilt
    process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=environment)
    for line in process.stderr:
        if line.startswith("PDF: 2/"):
            process.send_signal(signal.SIGINT)
            break
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "Traceback" not in err
    assert snapshot(out) == old
