"""Each support rule of verify/rules.py on a small inline registry and source text: a case it must catch, and one it must pass."""

from __future__ import annotations

import pytest

from dossiers.registry.model import Actor, Fact, Source
from dossiers.verify.independence import reporting_lines, shared_passages
from dossiers.verify.quotes import SourceText, locate_quote
from dossiers.verify.reading import paragraphs
from dossiers.verify.rules import RULES, Around, Cited, support_warnings

PEOPLE = [
    {"id": "sheiman", "kind": "person", "name": "Viktor Sheiman"},
    {"id": "sergei-sheiman", "kind": "person", "name": "Sergei Sheiman"},
    {"id": "khrenin", "kind": "person", "name": "Viktor Khrenin"},
    {"id": "revenko", "kind": "person", "name": "Valery Revenko"},
    {"id": "mugabe", "kind": "person", "name": "Robert Mugabe"},
    {"id": "mnangagwa", "kind": "person", "name": "Emmerson Mnangagwa"},
    {"id": "lukashenko", "kind": "person", "name": "Alexander Lukashenko"},
    {"id": "acme", "kind": "company", "name": "Acme Gold"},
]


def judge(texts: str | dict[str, str], fact: dict, others: list[dict] = (), publisher: str = "The Daily") -> dict[str, list[tuple[tuple, str]]]:
    """Every rule on `fact` (citing source 's', or the sources of `texts` by id), with `others` facts beside it:
    code → [(field, message)]."""
    texts = {"s": texts} if isinstance(texts, str) else texts
    sources = {sid: Source(id=sid, file=f"{sid}.txt", title="T", publisher=publisher, language="en", reliability="F") for sid in texts}
    normal = {sid: SourceText(text) for sid, text in texts.items()}
    facts = [Fact.model_validate({"kind": "event", "actors": ["sheiman"], **f}) for f in [fact, *others]]
    anchors = {(f.id, i): locate_quote(normal[c.source], c.quote, c.prefix, c.suffix) for f in facts for i, c in enumerate(f.citations)}
    shared = shared_passages(normal)
    around = Around({a["id"]: Actor.model_validate(a) for a in PEOPLE}, normal, sources, lambda sid: paragraphs(normal[sid].text),
                    reporting_lines(list(normal), shared), shared)
    around.note_citations(facts, anchors)
    found: dict[str, list] = {}
    for warning in support_warnings(Cited(facts[0], [anchors[(facts[0].id, i)] for i in range(len(facts[0].citations))], around)):
        found.setdefault(warning.code, []).append((warning.field, warning.message, warning.waived))
    return found


def cite(*quotes: str, source: str = "s", **extra) -> list[dict]:
    return [{"source": source, "quote": q, **extra} for q in quotes]


def test_every_rule_is_in_the_table_with_its_field_and_doc():
    assert len(RULES) >= 20
    for code, entry in RULES.items():
        assert entry.code == code and entry.severity in ("warning", "info") and entry.looks_at and len(entry.doc) > 40, code


# -- quotes --------------------------------------------------------------------------------------------

TEXT = "Viktor Sheiman visited Harare on October 30.\n\nHe met officials there."


def test_quote_too_short():
    assert judge(TEXT, {"id": "f", "text": "Sheiman visited Harare.", "citations": cite("Sheiman visited Harare")})["quote-too-short"][0][0] == ("citations", 0, "quote")
    assert "quote-too-short" not in judge(TEXT, {"id": "f", "text": "Sheiman visited Harare.", "citations": cite("Viktor Sheiman visited Harare")})


def test_quote_across_paragraphs():
    spans = judge(TEXT, {"id": "f", "text": "Sheiman visited Harare.", "citations": cite("on October 30.\n\nHe met officials")})
    assert "quote-spans-paragraphs" in spans
    assert "quote-spans-paragraphs" not in judge(TEXT, {"id": "f", "text": "Sheiman visited Harare.", "citations": cite("Viktor Sheiman visited Harare")})


# -- who ------------------------------------------------------------------------------------------------

FAMILY = "Viktor Sheiman is a general. The EU sanctioned Sheiman in 2004. A firm is co-owned by Sheiman’s son Sergei."


def test_an_actor_no_quote_names_and_a_shared_surname_counts_for_the_one_named_in_full():
    wrong = judge(FAMILY, {"id": "f", "actors": ["sergei-sheiman"], "text": "Sanctioned in 2004.", "citations": cite("The EU sanctioned Sheiman in 2004.")})
    assert wrong["claim-actor-unquoted"][0][0] == ("actors", 0), "'Sheiman' here is Viktor, whom the text named in full before"
    right = judge(FAMILY, {"id": "f", "actors": ["sheiman"], "text": "Sanctioned in 2004.", "citations": cite("The EU sanctioned Sheiman in 2004.")})
    assert "claim-actor-unquoted" not in right
    son = judge(FAMILY, {"id": "f", "actors": ["sergei-sheiman"], "text": "Sergei Sheiman co-owns a firm.", "citations": cite("is co-owned by Sheiman’s son Sergei")})
    assert "claim-actor-unquoted" not in son, "the first name beside the shared surname names Sergei"
    full = judge("A firm is co-owned by Viktor Sheiman’s son Sergei.", {"id": "f", "actors": ["sergei-sheiman", "sheiman"], "text": "Sergei Sheiman is Viktor Sheiman's son.",
                                                                         "citations": cite("Viktor Sheiman’s son Sergei")})
    assert "claim-actor-unquoted" not in full, "beside a full name too"


def test_a_person_the_text_names_and_no_quote_does():
    text = "Valery Revenko chaired the meeting in Minsk."
    wrong = judge(text, {"id": "f", "actors": ["revenko"], "text": "Viktor Khrenin chaired the meeting.", "citations": cite("Valery Revenko chaired the meeting")})
    assert wrong["claim-name-unquoted"][0][0] == ("text",) and "Viktor Khrenin (khrenin)" in wrong["claim-name-unquoted"][0][1]
    assert "claim-name-unquoted" not in judge(text, {"id": "f", "actors": ["revenko"], "text": "Valery Revenko chaired the meeting.", "citations": cite("Valery Revenko chaired the meeting")})


def test_the_text_names_one_person_and_actors_list_another_with_the_same_surname():
    fact = {"id": "f", "actors": ["acme", "sheiman"], "kind": "relationship", "relationship": "co-owned by", "link": "ownership",
            "text": "Acme Gold is co-owned by Sergei Sheiman.", "citations": cite("Acme Gold is co-owned by Sheiman’s son Sergei")}
    text = "Viktor Sheiman is a general. Acme Gold is co-owned by Sheiman’s son Sergei."
    assert judge(text, fact)["claim-actor-confused"][0][0] == ("actors", 1)
    assert "claim-actor-confused" not in judge(text, fact | {"actors": ["acme", "sergei-sheiman"]})


def test_a_statement_whose_speaker_no_quote_has_speaking():
    text = "“Belarus exports arms,” said Alex Vines of Chatham House."
    fact = {"id": "f", "kind": "statement", "actors": ["lukashenko"], "citations": cite("“Belarus exports arms,” said Alex Vines", attribution="Alex Vines")}
    assert judge(text, fact | {"text": "Frederick Shava said that Belarus exports arms."})["statement-speaker"][0][0] == ("text",)
    assert "statement-speaker" not in judge(text, fact | {"text": "Alex Vines said that Belarus exports arms."})


def test_roles_swapped_around_the_same_words():
    text = "Alexander Lukashenko landed in Harare, where he was welcomed by President Emmerson Mnangagwa."
    fact = {"id": "f", "actors": ["lukashenko", "mnangagwa"], "citations": cite(text)}
    assert "claim-roles-swapped" in judge(text, fact | {"text": "Mnangagwa was welcomed by President Lukashenko."})
    assert "claim-roles-swapped" not in judge(text, fact | {"text": "Lukashenko was welcomed by President Mnangagwa."})


# -- status ---------------------------------------------------------------------------------------------


def test_a_hedged_claim_printed_as_reported():
    text = "Sheiman allegedly took bribes from miners."
    fact = {"id": "f", "citations": cite(text)}
    assert judge(text, fact | {"text": "Sheiman took bribes from miners."})["status-hedged"][0][0] == ("status",)
    assert "status-hedged" not in judge(text, fact | {"text": "Sheiman took bribes from miners.", "status": "alleged"})
    assert "status-hedged" not in judge(text, fact | {"text": "Sheiman allegedly took bribes from miners."}), "the text carries the hedge"
    assert "status-hedged" in judge(text, fact | {"kind": "allegation", "text": "Sheiman allegedly took bribes from miners."}), "an allegation printed as reported"


def test_a_hedge_about_something_else_is_not_the_claims():
    text = "Sheiman, a subject of sanctions over alleged abuses, was in Harare on Monday."
    assert "status-hedged" not in judge(text, {"id": "f", "text": "Sheiman was in Harare on a Monday.", "citations": cite(text)})


def test_a_denial_the_quote_reports_and_the_fact_drops():
    text = "Sheiman was accused of corruption by rivals, accusations that Sheiman has denied."
    fact = {"id": "f", "kind": "allegation", "text": "Rivals accused Sheiman of corruption.", "citations": cite(text)}
    assert judge(text, fact | {"status": "alleged"})["status-denial-unmarked"][0][0] == ("status",)
    assert "status-denial-unmarked" not in judge(text, fact | {"status": "denied"})
    denial = {"id": "d", "kind": "denial", "denies": ["f"], "text": "Sheiman denied it.", "citations": cite("accusations that Sheiman has denied")}
    assert "status-denial-unmarked" not in judge(text, fact | {"status": "alleged"}, [denial]), "a denial fact answers it"


def test_a_status_no_quote_supports():
    text = "Viktor Sheiman visited Harare on Monday."
    fact = {"id": "f", "text": "Sheiman visited Harare.", "citations": cite(text)}
    assert judge(text, fact | {"status": "alleged"})["status-unsupported"][0][0] == ("status",)
    assert judge(text, fact | {"status": "denied"})["status-unsupported"]
    assert "status-unsupported" not in judge(text, fact)
    relayed = "Viktor Sheiman visited Harare on Monday, according to NewsDay."
    assert "status-unsupported" not in judge(relayed, fact | {"status": "alleged", "citations": cite(relayed, attribution="NewsDay")})


# -- polarity -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("claim", "quote"), [
    ("Has not backed the invasion.", "Lukashenko has backed the invasion of Ukraine."),
    ("Has backed the invasion.", "Lukashenko has not backed the invasion of Ukraine."),
    ("Lukashenko hasn't backed the invasion.", "Lukashenko has backed the invasion of Ukraine."),
    ("A firm with a stake for the government.", "A firm with no stake for the government of Belarus."),
    ("Zimbabwe condemned Moscow.", "Zimbabwe refused to condemn Moscow over the war."),
    ("Zimbabwe did not refuse to condemn Moscow.", "Zimbabwe refused to condemn Moscow over the war."),
])
def test_a_negation_on_one_side_only_and_two_cancel(claim: str, quote: str):
    assert judge(quote, {"id": "f", "text": claim, "citations": cite(quote)})["claim-negation-mismatch"][0][0] == ("text",)
    assert "claim-negation-mismatch" not in judge(quote, {"id": "f", "text": quote, "citations": cite(quote)}), "the quote's own words, negation and all"


def test_a_negation_said_another_way_is_the_same():
    quote = "Zimbabwe refused to condemn Moscow over the war."
    assert "claim-negation-mismatch" not in judge(quote, {"id": "f", "text": "Zimbabwe has not condemned Moscow.", "citations": cite(quote)})


# -- numbers and dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("claim", "caught"), [
    ("Arrested more than 53,000 people.", True),
    ("Arrested more than 35,000 people.", False),
    ("Arrested more than thirty-five thousand people.", False),
    ("Beat tens of thousands.", True),
    ("Beat thousands.", False),
    ("Some five people watched.", True),
    ("The two leaders watched.", False),
])
def test_numbers_words_and_magnitudes(claim: str, caught: bool):
    text = "The police arrested more than 35,000 people and beat thousands, while both leaders watched."
    found = judge(text, {"id": "f", "text": claim, "citations": cite(text)})
    assert ("claim-number-unquoted" in found) is caught, found.get("claim-number-unquoted")


MILEX = "Khrenin met the minister at MILEX 2023 in Minsk on 17 May, the ministry said."


@pytest.mark.parametrize(("dates", "caught"), [
    ({"date": "2023-05-17"}, None),
    ({"date": "2023-05-18"}, "the day (18 May)"),
    ({"date": "2022-05-17"}, "the year 2022"),
    ({"date": "2023-06"}, "the month (June)"),
    ({"date": "2023-05-17", "dateNote": "MILEX 2023 was held in 2023."}, None),
    ({"date": "2024-05-17", "dateNote": "The report is of 2024."}, None),
    ({"date": "2024-05-18", "dateNote": "The report is of 2024."}, "the day (18 May)"),
])
def test_each_part_of_a_date_is_quoted_or_named_by_the_date_note(dates: dict, caught: str | None):
    found = judge(MILEX, {"id": "f", "actors": ["khrenin"], "text": "Met the minister at MILEX.", "citations": cite(MILEX, attribution="the ministry"), **dates})
    if caught:
        assert found["date-unquoted"][0][0] == ("date",) and caught in found["date-unquoted"][0][1]
    else:
        assert "date-unquoted" not in found


def test_a_month_the_text_names_that_no_quote_gives():
    found = judge(MILEX, {"id": "f", "actors": ["khrenin"], "text": "Met the minister in June.", "citations": cite(MILEX, attribution="the ministry")})
    assert found["date-unquoted"][0][0] == ("text",)
    assert "date-unquoted" not in judge(MILEX, {"id": "f", "actors": ["khrenin"], "text": "Met the minister in May.", "citations": cite(MILEX, attribution="the ministry")})


# -- sanctions ------------------------------------------------------------------------------------------

SANCTIONED = "The European Union and Washington sanctioned Viktor Sheiman over the disappearance of critics."


@pytest.mark.parametrize(("authority", "code"), [
    (["EU", "US"], None), (["UK"], "sanction-authority-unquoted"), (["UN", "EU"], "sanction-authority-unquoted"),
    (["Western (unspecified)"], "sanction-authority-vague"), (["the West"], "sanction-authority-vague"),
])
def test_each_authority_is_named_in_a_quote(authority: list[str], code: str | None):
    found = judge(SANCTIONED, {"id": "f", "kind": "sanction", "text": "Sanctioned over the disappearance of critics.", "authority": authority, "citations": cite(SANCTIONED)})
    codes = {"sanction-authority-unquoted", "sanction-authority-vague"} & set(found)
    assert codes == ({code} if code else set())
    if code:
        assert found[code][0][0][0] == "authority"


def test_the_reason_is_carried_by_a_quote():
    fact = {"id": "f", "kind": "sanction", "text": "Sanctioned.", "authority": ["EU"], "citations": cite(SANCTIONED)}
    assert judge(SANCTIONED, fact | {"reason": "Corruption and money laundering."})["sanction-reason-unquoted"][0][0] == ("reason",)
    assert "sanction-reason-unquoted" not in judge(SANCTIONED, fact | {"reason": "The disappearance of critics."})


# -- direction ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "actors", "relationship", "reversed_"), [
    ("Viktor Sheiman is a general. A firm is co-owned by Sheiman’s son Sergei.", ["sergei-sheiman", "sheiman"], "son of", False),
    ("Viktor Sheiman is a general. A firm is co-owned by Sheiman’s son Sergei.", ["sheiman", "sergei-sheiman"], "son of", True),
    ("Viktor Sheiman is a general. A firm is co-owned by Sheiman’s son Sergei.", ["sheiman", "sergei-sheiman"], "father of", False),
    ("Sergei Sheiman, son of Viktor Sheiman, owns a firm.", ["sheiman", "sergei-sheiman"], "son of", True),
    ("Emmerson Mnangagwa has faced controversies like his predecessor Robert Mugabe.", ["mugabe", "mnangagwa"], "predecessor of", False),
    ("Emmerson Mnangagwa has faced controversies like his predecessor Robert Mugabe.", ["mnangagwa", "mugabe"], "predecessor of", True),
    ("A company, Acme Gold, is co-owned by Viktor Sheiman.", ["acme", "sheiman"], "co-owned by", False),
    ("A company, Acme Gold, is co-owned by Viktor Sheiman.", ["sheiman", "acme"], "co-owned by", True),
    ("Alexander Lukashenko landed, where he was welcomed by President Emmerson Mnangagwa.", ["lukashenko", "mnangagwa"], "welcomed by", False),
    ("Alexander Lukashenko landed, where he was welcomed by President Emmerson Mnangagwa.", ["mnangagwa", "lukashenko"], "welcomed by", True),
    ("Viktor Sheiman met with Alexander Lukashenko in Minsk.", ["lukashenko", "sheiman"], "met with", False),
])
def test_the_direction_of_a_relationship_is_read_from_the_quote(text: str, actors: list[str], relationship: str, reversed_: bool):
    fact = {"id": "f", "kind": "relationship", "actors": actors, "relationship": relationship, "link": "associate", "text": "Related.", "citations": cite(text)}
    found = judge(text, fact)
    assert ("relationship-direction" in found) is reversed_
    if reversed_:
        assert found["relationship-direction"][0][0] == ("relationship",)


# -- attribution ----------------------------------------------------------------------------------------

ACCOUNT = (
    "Khrenin met the minister in Minsk on 17 May, BelTA learned from the press service.\n\n"
    "This was the first meeting of this level. The event was held to strengthen ties, the press service noted.\n\n"
    "Sheiman is a close ally of Lukashenko.\n\n"
    "Prices rose by a third, according to The Associated Press."
)


@pytest.mark.parametrize(("quote", "party"), [
    ("This was the first meeting of this level.", "BelTA"),
    ("The event was held to strengthen ties", "the press service"),
    ("Prices rose by a third", "The Associated Press"),
])
def test_a_relayed_passage_without_attribution(quote: str, party: str):
    found = judge(ACCOUNT, {"id": "f", "actors": ["khrenin"], "text": "Khrenin met the minister; prices rose by a third.", "citations": cite(quote)})
    [(where, message, _)] = found["relay-unattributed"]
    assert where == ("citations", 0, "quote") and f"relays {party} here" in message
    assert "relay-unattributed" not in judge(ACCOUNT, {"id": "f", "actors": ["khrenin"], "text": "Met.", "citations": cite(quote, attribution=party)})


def test_the_reporters_own_voice_is_not_a_relay():
    found = judge(ACCOUNT, {"id": "f", "text": "Sheiman is a close ally of Lukashenko.", "citations": cite("Sheiman is a close ally of Lukashenko.")})
    assert "relay-unattributed" not in found, "a paragraph that does not go on with the account before it"


def test_an_attribution_to_a_party_nowhere_near():
    fact = {"id": "f", "actors": ["khrenin"], "text": "The first meeting of its level.", "citations": cite("This was the first meeting of this level.", attribution="The Associated Press")}
    assert judge(ACCOUNT, fact)["attribution-unquoted"][0][0] == ("citations", 0, "attribution")
    fact["citations"][0]["attribution"] = "BelTA, from the press service"
    assert "attribution-unquoted" not in judge(ACCOUNT, fact)


def test_own_voice_refused_where_the_sentence_says_whom_it_relays():
    fact = {"id": "f", "actors": ["khrenin"], "text": "Prices rose by a third.", "citations": cite("Prices rose by a third", ownVoice=True)}
    assert judge(ACCOUNT, fact)["own-voice-relayed"][0][0] == ("citations", 0, "ownVoice")
    said = "The office said Khrenin, 60, landed in Minsk."
    assert "own-voice-relayed" not in judge(said, {"id": "f", "actors": ["khrenin"], "text": "Aged 60.", "citations": cite("Khrenin, 60, landed", ownVoice=True)})


def test_one_sentence_read_as_relayed_by_one_fact_and_as_the_sources_own_by_another():
    text = "Viktor Sheiman, a general, was in Harare on October 30."
    fact = {"id": "f", "text": "Sheiman was in Harare on October 30.", "citations": cite(text, attribution="NewsDay")}
    other = {"id": "g", "text": "Sheiman is a general.", "citations": cite("Viktor Sheiman, a general")}
    assert judge(text, fact, [other])["attribution-inconsistent"][0][0] == ("citations", 0, "attribution")
    assert "attribution-inconsistent" not in judge(text, fact, [other | {"citations": cite("Viktor Sheiman, a general", attribution="NewsDay")}])


# -- padding and corroboration ----------------------------------------------------------------------------

PADDED = "Lukashenko arrived in Zimbabwe on Monday.\nThe two leaders have faced Western sanctions.\nMugabe was forced out.\nHe resigned in 2017."


def test_a_citation_that_shares_nothing_but_a_name():
    fact = {"id": "f", "actors": ["lukashenko"], "text": "Lukashenko has faced Western sanctions.", "citations": cite("Lukashenko arrived in Zimbabwe on Monday.", "The two leaders have faced Western sanctions.")}
    assert judge(PADDED, fact)["citation-padding"][0][0] == ("citations", 0, "quote")
    fact["citations"] = fact["citations"][1:] + cite("Lukashenko arrived in Zimbabwe on Monday.")
    fact["text"] = "Lukashenko arrived in Zimbabwe; he has faced Western sanctions."
    assert "citation-padding" not in judge(PADDED, fact)


def test_a_sentence_that_tells_who_he_is_is_not_padding():
    fact = {"id": "f", "actors": ["mugabe"], "text": "Mugabe resigned in 2017.", "citations": cite("Mugabe was forced out.", "He resigned in 2017.")}
    assert "citation-padding" not in judge(PADDED, fact)


def test_a_passage_and_its_copy_are_one_line_of_reporting():
    original = "A delegation of the Zimbabwe Defence Forces is in Belarus on a visit amid reports of possible high level military hardware supply agreements."
    copy = "A delegation travelled to Belarus this week on a visit amid reports of possible high level military hardware supply agreements between allies."
    other = "Viktor Sheiman visited Harare on a visit of his own this week."
    texts = {"a": original, "b": copy + "\n\n" + other}
    fact = {"id": "f", "text": "A delegation visited Belarus amid reports of supply agreements.", "citations": cite(original, source="a") + cite(copy, source="b")}
    [(where, message, _)] = judge(texts, fact)["corroboration-one-line"]
    assert where == ("citations", 1, "source") and "'b' repeats 'a'" in message and RULES["corroboration-one-line"].severity == "info"
    fact["citations"] = cite(original, source="a") + cite(other, source="b")
    assert "corroboration-one-line" not in judge(texts, fact)


# -- waivers --------------------------------------------------------------------------------------------


def test_a_waiver_judges_its_code_and_an_unused_one_is_a_warning():
    text = "The police arrested more than thirty thousand people."
    fact = {"id": "f", "text": "Arrested more than 35,000 people.", "citations": cite(text)}
    assert judge(text, fact)["claim-number-unquoted"][0][2] is None
    waived = judge(text, fact | {"waive": {"claim-number-unquoted": "the source rounds the figure"}})
    assert waived["claim-number-unquoted"][0][2] == "the source rounds the figure" and "waiver-unused" not in waived
    unused = judge(text, fact | {"text": "Arrested more than thirty thousand people.", "waive": {"claim-number-unquoted": "the source rounds the figure"}})
    assert unused["waiver-unused"][0][0] == ("waive", "claim-number-unquoted")


def test_a_hedge_on_words_the_quote_leaves_out_is_not_the_claims():
    """The hedged words ('suspect deals') share a word with the text ('the deals signed'), but this citation quotes
    none of them: the fact rests on 'was in Harare on October 30' alone (sheiman-visit-to-zimbabwe-2023)."""
    text = "Sheiman, sanctioned over alleged abuses and suspect deals, was in Harare on October 30. They follow up on the deals signed."
    fact = {"id": "f", "text": "Sheiman was in Harare on October 30, to follow up on the deals signed.",
            "citations": cite("was in Harare on October 30.", "They follow up on the deals signed.")}
    assert "status-hedged" not in judge(text, fact)
    fact["citations"][0]["quote"] = "Sheiman, sanctioned over alleged abuses and suspect deals, was in Harare on October 30."
    assert "status-hedged" in judge(text, fact), "quoted, the hedged words count"
