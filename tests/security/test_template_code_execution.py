"""Code run from a template: a view's methods (pydantic's parse_raw loads a pickle) reached from templates/ of a pull request.

Templates get data: a field of a view, and only the calls Jinja's language, macros and the
read-only methods of text and collections need. Each payload below would run `touch CANARY`
or call a model's method if the sandbox let it; each must stop the build with the template
and line named, and leave no canary.
"""

from __future__ import annotations

import functools
import os
import subprocess
from pathlib import Path

import pytest
from jinja2.sandbox import SecurityError

from conftest import PROJECT, replace, run
from dossiers.output.templates import Templates
from dossiers.pipeline.serve import Site
from dossiers.registry.layout import Layout

PICKLE = "\"cos\\nsystem\\n(S'touch CANARY'\\ntR.\", proto=\"pickle\", allow_pickle=True"  # a pickle that runs `touch`
REFUSED = "refused by the sandbox"

PAYLOADS = {
    "parse_raw": "{{ d.actor.parse_raw(PICKLE) }}",
    "parse_file": '{{ d.actor.parse_file("PROJECT/evil.pkl", proto="pickle", allow_pickle=True) }}',
    "model_validate_json": '{{ d.actor.model_validate_json("{}") }}',
    "model_validate": '{{ d.actor.model_validate({"id": "x"}) }}',
    "model_construct": '{{ d.actor.model_construct(id="x") }}',
    "construct": '{{ d.actor.construct(id="x") }}',
    "class then parse_raw": "{{ d.actor.__class__.parse_raw(PICKLE) }}",
    "copy": '{{ d.actor.copy(update={"name": "x"}) }}',
    "model_copy": '{{ d.actor.model_copy(update={"name": "x"}) }}',
    "json": "{{ d.actor.json() }}",
    "model_dump_json": "{{ d.actor.model_dump_json() }}",
    "model_dump": "{{ d.actor.model_dump() }}",
    "schema_json": "{{ d.actor.schema_json() }}",
    "model_fields": "{{ d.actor.model_fields.id.default_factory }}",
    "attr filter": '{{ (d.actor | attr("parse_raw"))(PICKLE) }}',
    "map attr filter": '{{ (d.actor.alias | map("attr", "parse_raw") | first)(PICKLE) }}',
    "map attribute": '{{ (d.actor.alias | map(attribute="parse_raw") | first)(PICKLE) }}',
    "subscript": '{{ d.actor["parse_raw"](PICKLE) }}',
    "namespace": "{% set ns = namespace(model=d.actor) %}{{ ns.model.parse_raw(PICKLE) }}",
    "namespace of the method": "{% set ns = namespace(load=d.actor.parse_raw) %}{{ ns.load(PICKLE) }}",
    "cycler item": "{{ cycler(d.actor).next().parse_raw(PICKLE) }}",
    "cycler internals": '{{ cycler.__init__.__globals__.os.system("touch CANARY") }}',
    "cycler method internals": '{{ cycler(1).next.__globals__.os.system("touch CANARY") }}',
    "joiner internals": '{{ joiner().__call__.__globals__.os.system("touch CANARY") }}',
    "loop helper": "{% for x in [d.actor] %}{{ loop.cycle(x).parse_raw(PICKLE) }}{% endfor %}",
    "macro argument": "{% macro load(x) %}{{ x.parse_raw(PICKLE) }}{% endmacro %}{{ load(d.actor) }}",
    "list of models": "{{ d.actor.alias[0].parse_raw(PICKLE) }}",
    "list of views": "{{ d.sources[0].source.parse_raw(PICKLE) }}",
    "init globals": '{{ d.actor.__init__.__globals__.os.system("touch CANARY") }}',
    "global function globals": '{{ lipsum.__globals__.os.system("touch CANARY") }}',
    "model method globals": '{{ d.actor.model_dump.__func__.__globals__.os.system("touch CANARY") }}',
    "template reference": "{{ self._TemplateReference__context.environment }}",
    "str.format": '{{ "{0.actor.parse_raw}".format(d) }}',
    "str.format dunder": '{{ "{0.__init__.__globals__}".format(d) }}',
    "str.format_map": '{{ "{a.actor.__class__}".format_map({"a": d}) }}',
    "str.format built": '{{ ("{0." ~ "__class__}").format(d) }}',
    "a classmethod": "{{ dict.fromkeys([\"x\"]) }}",
    "a model's method": "{{ d.actor.model_copy() }}",
    "dataclass replace": '{{ d.__replace__(kind="x") }}',  # Python 3.13 gives dataclasses __replace__
}


def with_payload(project: Path, name: str, payload: str, canary: Path) -> Path:
    """The packaged template `name` copied into the project's templates/, `payload` its first line."""
    (project / "templates").mkdir(exist_ok=True)
    template = project / "templates" / name
    payload = payload.replace("PICKLE", PICKLE).replace("CANARY", str(canary)).replace("PROJECT", str(project))
    template.write_text(payload + "\n" + (PROJECT / "templates" / name).read_text("utf-8"), "utf-8")
    return template


@pytest.fixture
def canary(project: Path, tmp_path: Path) -> Path:
    """Where a payload that ran would leave its mark; the pickle parse_file would load is a file of the project."""
    mark = tmp_path / "ran"
    (project / "evil.pkl").write_bytes(f"cos\nsystem\n(S'touch {mark}'\ntR.".encode())
    return mark


@pytest.mark.parametrize("attack", PAYLOADS)
def test_a_template_cannot_call_a_views_methods_in_build(project: Path, canary: Path, attack: str):
    with_payload(project, "dossier.md.j2", PAYLOADS[attack], canary)
    result = run("build", "lukashenko", "--root", str(project), "--format", "md", "--no-pack", "--fresh")
    assert result.exit_code == 1, result.output
    assert f"template dossier.md.j2:1: {REFUSED}" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert not canary.exists()
    assert not (project / "build" / "dossiers" / "lukashenko.md").exists()


def commit(project: Path, message: str) -> None:
    git = ["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@t"]
    if not (project / ".git").exists():
        subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", message], check=True)


@pytest.mark.parametrize("attack", ["parse_raw", "parse_file", "namespace", "list of models"])
def test_a_template_committed_in_a_pull_request_cannot_run_code_in_diff(project: Path, canary: Path, attack: str):
    commit(project, "base")
    with_payload(project, "dossier.md.j2", PAYLOADS[attack], canary)
    replace(project / "actors.yaml", "name: Alexander Lukashenko", "name: Alexander G. Lukashenko")  # his dossier is compared
    commit(project, "the pull request")
    result = run("diff", "HEAD~1", "HEAD", "--root", str(project), "--dossiers")
    assert result.exit_code == 1, result.output
    assert f"template dossier.md.j2:1: {REFUSED}" in result.stderr and "Traceback" not in result.stderr
    assert not canary.exists()
    shielded = run("diff", "HEAD~1", "HEAD", "--root", str(project), "--dossiers", "--packaged-templates")
    assert shielded.exit_code == 0 and "Alexander G. Lukashenko" in shielded.stdout, shielded.output
    assert not canary.exists()


@pytest.mark.parametrize(("name", "payload"), [
    ("dossier.html.j2", "{{ d.actor.parse_raw(PICKLE) }}"),
    ("source.html.j2", "{{ p.source.source.parse_raw(PICKLE) }}"),
    ("site-index.html.j2", "{{ i.sources[0][0].source.parse_file(\"PROJECT/evil.pkl\", proto=\"pickle\", allow_pickle=True) }}"),
])
def test_a_template_cannot_run_code_in_serve(project: Path, canary: Path, name: str, payload: str):
    with_payload(project, name, payload, canary)
    site = Site(project)
    site.rebuild()  # what `dossiers serve` does at start and on every save: a failing template is shown on every page
    assert f"template {name}:1: {REFUSED}" in site.page("index.html").decode("utf-8")
    assert not canary.exists()


def test_a_template_cannot_run_code_in_the_pack(project: Path, canary: Path):
    with_payload(project, "pack.md.j2", "{{ b.people[0].actor.parse_raw(PICKLE) }}", canary)
    result = run("pack", "--root", str(project), "--format", "md")
    assert result.exit_code == 1 and f"template pack.md.j2:1: {REFUSED}" in result.stderr, result.output
    assert not canary.exists()


def test_jinjas_own_language_still_works(project: Path):
    """Macros with caller(), blocks with super() and self, loop helpers, cycler, joiner, namespace, range and the
    methods of text and mappings: what a project's template may use besides the view's fields."""
    templates = project / "templates"
    templates.mkdir()
    (templates / "dossier.md.j2").write_text(
        '{% extends "base.md.j2" %}\n'
        "{% block title %}{{ super() }} then {{ d.actor.name | upper }} ({{ d.actor.kind.value }}, {{ d.actor.kind.label }}){% endblock %}\n"
        "{% block body %}\n"
        "{{ self.title() }}\n"
        '{% macro boxed() %}[{{ caller() }}]{% endmacro %}{% call boxed() %}{{ d.actor.id.replace("-", " ").title() }}{% endcall %}\n'
        '{% set comma = joiner(", ") %}{% set colour = cycler("odd", "even") %}{% set ns = namespace(count=0) %}\n'
        "{% for name, lang, language in d.aliases %}{{ comma() }}{{ loop.index0 + 1 }}:{{ loop.cycle('a', 'b') }}:{{ colour.next() }}"
        "{% if loop.changed(lang[:2]) %}+{% endif %}{% set ns.count = ns.count + 1 %}{% endfor %}\n"
        '{{ ns.count }} {{ range(3) | list }} {{ {"x": 1}.items() | list }} {{ {"x": 1}.get("y", 2) }} {{ "a,b".split(",") | join("|") }}\n'
        '{{ "%s has %d sources" | format(d.actor.name, d.sources | length) }}; {{ d.sources[0].source.reliability.value }}; {{ d.passages | length }}\n'
        "{% for x in [[1, [2]]] recursive %}{% if x is iterable %}{{ loop(x) }}{% else %}{{ x }}{% endif %}{% endfor %}\n"
        "{% for s in d.sections if s.claims %}{{ s.title }}: {% for c in s.claims %}{{ d.worded[c.fact.id].text | length > 0 }} {% endfor %}{% endfor %}\n"
        "{% endblock %}\n",
        "utf-8",
    )
    (templates / "base.md.j2").write_text("{% block title %}Base{% endblock %}\n{% block body %}{% endblock %}", "utf-8")
    result = run("build", "lukashenko", "--root", str(project), "--format", "md", "--no-pack")
    assert result.exit_code == 0, result.output
    text = (project / "build" / "dossiers" / "lukashenko.md").read_text("utf-8")
    assert text.startswith(
        "Base then ALEXANDER LUKASHENKO (person, Person)Base then ALEXANDER LUKASHENKO (person, Person)\n"
        "[Lukashenko]1:a:odd+, 2:b:even+, 3:a:odd+, 4:b:even+4 [0, 1, 2] [('x', 1)] 2 a|b\n"
        "Alexander Lukashenko has 3 sources; F; 0\n12Sanctions: True"
    ), text


def test_a_callable_in_the_data_is_not_called(project: Path, canary: Path):
    """The second wall: a callable that reaches a template some other way than as an attribute is refused when called."""
    templates = Templates(Layout(project))
    command = functools.partial(os.system, f"touch {canary}")
    for env in (templates.markdown, templates.html):
        with pytest.raises(SecurityError, match="partial is not something a template may call"):
            env.from_string("{{ view.run() }}").render(view={"run": command})
    assert not canary.exists()
