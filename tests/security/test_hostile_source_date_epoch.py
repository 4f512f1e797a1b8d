"""Attack: SOURCE_DATE_EPOCH that is no count of seconds, or names a date past 9999, or a digit that is not ASCII.

The environment is as untrusted as the files (a CI job's settings come with the pull
request). `str.isdigit` takes '²' for a digit, `fromtimestamp` fails past the platform's
range and `date` past year 9999: each was a traceback in `screen --record` and in `build`.
Each is now a clear error naming the variable, and nothing is written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import PROJECT, run

EU_BELARUS = PROJECT / "tests" / "fixtures" / "screening" / "eu-belarus.ftm.json"


def first_entities(folder: Path) -> Path:
    """The real EU Belarus list cut to its first 20 entities: the screening is quick, the date is what is attacked."""
    path = folder / "eu-belarus-head.ftm.json"
    path.write_text("".join(EU_BELARUS.read_text("utf-8").splitlines(keepends=True)[:20]), "utf-8")
    return path
HOSTILE = ["²", "99999999999999999999", "253402300800", "-1", "1e9", "0x10", "1700000000.5"]


@pytest.mark.parametrize("epoch", HOSTILE)
def test_screen_record_with_a_hostile_source_date_epoch_is_a_clear_error(tmp_path: Path, monkeypatch, epoch: str):
    (tmp_path / "actors.yaml").write_bytes((PROJECT / "actors.yaml").read_bytes())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    done = run("screen", str(first_entities(tmp_path)), "--root", str(tmp_path), "--record")
    assert done.exit_code != 0
    assert "SOURCE_DATE_EPOCH" in done.output and "Traceback" not in done.output
    assert not any((tmp_path / "screenings").glob("*.json"))


@pytest.mark.parametrize("epoch", HOSTILE[:3])
def test_build_with_a_hostile_source_date_epoch_is_a_clear_error(tmp_path: Path, monkeypatch, epoch: str):
    project = tmp_path / "project"
    assert run("new", str(project)).exit_code == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    done = run("build", "--root", str(project), "--format", "md")
    assert done.exit_code != 0
    assert "SOURCE_DATE_EPOCH" in done.output and "Traceback" not in done.output


def test_the_last_day_of_9999_and_the_first_of_1970_are_dates(tmp_path: Path, monkeypatch):
    from dossiers.registry.dates import epoch_date

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "253402300799")
    assert epoch_date() == "9999-12-31"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", " 0 ")
    assert epoch_date() == "1970-01-01"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "")
    assert epoch_date() is None
