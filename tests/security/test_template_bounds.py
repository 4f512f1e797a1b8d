"""Work bounded in a template: a pull request's templates/ that would fill memory, compute forever or crash.

A template can multiply text, raise to a power, widen with a filter or loop in a loop. Each
of these must stop with a user error naming the template and its line, quickly, not exhaust
the machine; an arithmetic error is the template's error, not an internal one.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from dossiers.errors import UserError
from dossiers.output import templates
from dossiers.output.templates import Templates
from dossiers.registry.layout import Layout

REFUSED = {
    "text times a billion": '{{ "a" * 1000000000 }}',
    "a billion times text": "{{ 1000000000 * 'a' }}",
    "list times millions": "{{ [1] * 5000000 }}",
    "power": "{{ 10 ** 100000000 }}",
    "center filter": '{{ "a" | center(1000000000) }}',
    "indent filter": '{{ "a b" | indent(1000000000) }}',
    "replace method, growing": '{% set s = "a" * 1000000 %}{{ s.replace("a", "aaaaaaaaaa") }}',
    "replace filter, growing": '{% set s = "a" * 1000000 %}{{ s | replace("a", "aaaaaaaaaa") }}',
    "join of a large list": '{{ (["aaaa"] * 2000000) | join("-") }}',
}
FAILED = {
    "division by zero": "{{ 1 / 0 }}",
    "number plus list": "{{ 1 + [] }}",
}


def _render(tmp_path: Path, source: str) -> str:
    (tmp_path / "templates").mkdir(exist_ok=True)
    (tmp_path / "templates" / "x.md.j2").write_text("\n" + source, encoding="utf-8")
    engine = Templates(Layout(tmp_path))
    return engine.render(engine.markdown, "x.md.j2")


@pytest.mark.parametrize("source", REFUSED.values(), ids=REFUSED.keys())
def test_a_template_cannot_make_a_value_too_large(tmp_path, source):
    started = time.monotonic()
    with pytest.raises(UserError, match=r"template x\.md\.j2:2: refused by the sandbox"):
        _render(tmp_path, source)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("source", FAILED.values(), ids=FAILED.keys())
def test_a_template_that_fails_is_a_user_error_at_its_line(tmp_path, source):
    with pytest.raises(UserError, match=r"template x\.md\.j2:2: failed"):
        _render(tmp_path, source)


def test_a_template_that_loops_too_long_is_stopped(tmp_path, monkeypatch):
    monkeypatch.setattr(templates, "MAX_SECONDS", 1)
    started = time.monotonic()
    with pytest.raises(UserError, match=r"template x\.md\.j2:2: failed: the templates ran for more than their time"):
        _render(tmp_path, "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}")
    assert time.monotonic() - started < 5


def test_the_time_is_for_all_renders_of_a_command_and_any_thread(tmp_path, monkeypatch):
    """Slow renders one after another (a dossier each) share one allowance; a render in a thread (serve) is bounded too."""
    import threading

    monkeypatch.setattr(templates, "MAX_SECONDS", 2)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "x.md.j2").write_text("{% for i in range(100000) %}{% for j in range(20) %}{% endfor %}{% endfor %}", encoding="utf-8")
    engine = Templates(Layout(tmp_path))
    failed: list[Exception] = []

    def renders():
        try:
            for _ in range(1000):
                engine.render(engine.markdown, "x.md.j2")
        except UserError as error:
            failed.append(error)

    started = time.monotonic()
    thread = threading.Thread(target=renders)
    thread.start()
    thread.join(20)
    assert failed and "ran for more than their time" in str(failed[0])
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("source", [
    '{% set a = "x" * 3000000 %}{% set b = a ~ a %}{{ b | length }}',
    '{% set a = "x" * 3000000 %}{% set b = a + a %}{{ b | length }}',
    '{% set ns = namespace(s="x" * 1000) %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s | length }}',
    '{% set a = ["x"] * 3000000 %}{{ (a + a) | length }}',
], ids=["tilde", "plus", "doubling in a namespace", "list plus list"])
def test_joining_cannot_make_a_value_too_large(tmp_path, source):
    with pytest.raises(UserError, match=r"refused by the sandbox: (~|\+) made a value"):
        _render(tmp_path, source)


def test_ordinary_arithmetic_and_filters_still_work(tmp_path):
    assert _render(tmp_path, '{{ 3 * 4 }} {{ "ab" * 3 }} {{ 2 ** 10 }} {{ 12345678 | string }} [{{ "x" | center(5) }}]') == "\n12 ababab 1024 12345678 [  x  ]"
