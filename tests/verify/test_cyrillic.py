"""Cyrillic sources: quotes match, names in Cyrillic count as mentions, translations print.

The real Russian-language document (vc.ru, in tests/cli/test_add_source.py) names no one
from Belarus, so the two sentences below were written for this test: they are not a
source and claim nothing.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from conftest import run

TEXT = "Александр Лукашенко прибыл в Хараре.\n\nАляксандр Лукашэнка сустрэўся з калегам.\n"


def add_russian_source(project: Path) -> None:
    (project / "seeds" / "ru-test.txt").write_text(TEXT, "utf-8")
    digest = hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
    sources = project / "seeds" / "sources.yaml"
    sources.write_text(
        sources.read_text("utf-8")
        + f"\n  - id: ru-test\n    file: ru-test.txt\n    sha256: {digest}\n    title: '[Test text]'\n    publisher: unknown\n    language: ru\n    reliability: F\n",
        "utf-8",
    )
    registry = project / "actors.yaml"
    registry.write_text(
        registry.read_text("utf-8").replace(
            "\nfacts:\n",
            "\nfacts:\n  - id: lukashenko-in-harare-ru\n    actors: [lukashenko]\n    kind: event\n    text: Arrived in Harare.\n    citations:\n"
            "      - source: ru-test\n        quote: Александр Лукашенко прибыл в Хараре\n        translation: Alexander Lukashenko arrived in Harare\n",
            1,
        ),
        "utf-8",
    )


def test_a_cyrillic_quote_verifies_and_names_its_actor(project: Path):
    add_russian_source(project)
    done = run("check", "--root", str(project), "--format", "json")
    assert done.exit_code == 0, done.stdout
    assert "lukashenko-in-harare-ru" not in done.stdout, "the quote names Lukashenko in Cyrillic: no claim-actor-unquoted"
    near = run("check", "--root", str(project))
    assert "quote-" not in near.stdout


def test_coverage_finds_a_belarusian_name_in_cyrillic(project: Path):
    add_russian_source(project)
    report = run("coverage", "--root", str(project)).stdout
    assert "ru-test (ru-test.txt): 1 of 2 sentences naming an actor are cited or waived" in report
    assert "line 3, uncited, names lukashenko: Аляксандр Лукашэнка сустрэўся з калегам." in report


def test_a_misspelt_cyrillic_quote_gets_a_near_match_hint(project: Path):
    add_russian_source(project)
    registry = project / "actors.yaml"
    registry.write_text(registry.read_text("utf-8").replace("quote: Александр Лукашенко прибыл в Хараре", "quote: Александр Лукашенко прибыл в Хараре вчера"), "utf-8")
    done = run("check", "--root", str(project))
    assert done.exit_code == 1 and "quote-near-match" in done.stdout
    assert "(…Лукашенко прибыл в [-Хараре вчера-]{+Хараре.+})" in done.stdout
    assert 'the closest passage (92.3% alike, line 1) is "Александр Лукашенко прибыл в Хараре."' in done.stdout
