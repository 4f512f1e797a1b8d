"""The data model: unknown keys refused, kinds that know what they are, a fact's date chosen once."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from dossiers.registry.model import Actor, ActorKind, Fact, Reliability, Source


def test_only_people_are_people():
    assert ActorKind.person.is_person
    assert not any(kind.is_person for kind in ActorKind if kind is not ActorKind.person)
    assert ActorKind.public_body.label == "Public body" and ActorKind.person.label == "Person"


def test_unknown_keys_are_errors_not_dropped_data():
    with pytest.raises(ValidationError) as error:
        Actor.model_validate({"id": "x", "kind": "person", "name": "X", "nmae": "typo"})
    assert error.value.errors()[0]["type"] == "extra_forbidden"


def fact(**fields) -> Fact:
    return Fact.model_validate({"id": "f", "actors": ["x"], "kind": "event", "text": "Something.", **fields})


def test_a_fact_is_dated_by_its_date_then_start_listing_and_end():
    assert fact(date=2023, startDate="2001").when == "2023"
    assert fact(startDate="2001", endDate="2005").when == "2001"
    assert fact(listingDate="2022-06", endDate="2005").when == "2022-06"
    assert fact(endDate="2005").when == "2005"
    assert fact().when is None
    assert fact(startDate="2001", endDate="2005").period == "from 2001 to 2005"


@pytest.mark.parametrize("bad", ["../x", "X", "a b", "a" * 81])
def test_ids_are_file_name_safe(bad: str):
    with pytest.raises(ValidationError):
        Actor.model_validate({"id": bad, "kind": "person", "name": "X"})


@pytest.mark.parametrize(("given", "known"), [("unknown", None), ("Unknown", None), ("UNKNOWN", None), ("NewsDay", "NewsDay")])
def test_a_publisher_is_known_unless_sources_yaml_says_unknown_in_any_case(given: str, known: str | None):
    """One answer for the notes, the voice of a claim, the FtM export and the relays (four hand-written tests before)."""
    source = Source(id="s", file="s.txt", title="T", publisher=given, language="en", reliability="F")
    assert source.known_publisher == known


def test_a_note_says_publisher_unknown_for_a_source_that_names_none():
    from dossiers.views.join import SourceView

    source = Source(id="s", file="s.txt", title="T", publisher="Unknown", language="en", reliability="F")
    assert SourceView(source, "S1", "cannot be judged", "undated").publisher == "publisher unknown"


def test_a_grade_has_one_meaning_in_the_notes_the_method_and_add_source():
    """The meanings were a table in the model and a sentence written out again in views/wording.py."""
    from dossiers.views import wording

    assert [meaning for _, meaning in wording.GRADES] == [grade.meaning for grade in Reliability]
    for grade in (Reliability.A, Reliability.E, Reliability.F):
        assert grade.meaning in wording.RELIABILITY
    assert Reliability("B").meaning == "usually reliable"


def test_every_partial_date_of_a_fact_is_one_the_date_rules_see():
    """DATE_FIELDS was written out twice (the future-date check and date-unquoted); now it is every PartialDate field."""
    from dossiers.registry.model import DATE_FIELDS

    partial = {name for name, info in Fact.model_fields.items() if "_check_partial_date" in str(info.annotation)}
    assert set(DATE_FIELDS) == partial
    assert list(fact(date="2023", listingDate="2022-03").filled_dates()) == [("date", "2023"), ("listingDate", "2022-03")]


@pytest.mark.parametrize(
    ("judgement", "valid"),
    [
        ({"source": "eu-belarus-list", "id": "eu-journal-7dd6073301262d6f"}, True),
        ({"dataset": "opensanctions", "id": "NK-abc"}, True),
        ({"source": "eu-belarus-list", "dataset": "opensanctions", "id": "NK-abc"}, False),
        ({"id": "NK-abc"}, False),
    ],
)
def test_a_judgement_names_a_list_or_a_dataset_exactly_one_in_the_model_and_the_schema(judgement: dict, valid: bool):
    import jsonschema

    from dossiers.registry.model import json_schema

    actor = {"id": "khrenin", "kind": "person", "name": "Viktor Khrenin", "sameAs": [judgement]}
    schema_errors = list(jsonschema.Draft202012Validator(json_schema("actors")).iter_errors({"actors": [actor]}))
    assert (not schema_errors) == valid
    if valid:
        Actor.model_validate(actor)
    else:
        with pytest.raises(ValidationError, match="exactly one of the two"):
            Actor.model_validate(actor)
