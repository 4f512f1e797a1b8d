"""The measure of issue 24: analysts' mistakes, made one at a time in a copy of the project's actors.yaml, each caught by `check`.

Each mutation is a string edit of the registry (that is the measurement: the real
registry, one realistic mistake) and the code `check` must raise at the mutated fact. The
kinds are the issue's: who, status, polarity, dates, quantities, sanctions, direction,
attribution, padding, corroboration. `python -m pytest tests/verify/test_mutations.py -q`
gives the table: every case that passes is a mistake caught; the rewordings at the end are correct facts, on which nothing may warn.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import PROJECT, run

ZDF_ORIGINAL = "A delegation of the Zimbabwe Defense Forces is in Belarus on a visit amid reports of possible high level military hardware supply agreements"
ZDF_COPY = "A delegation of the Zimbabwe Defense Forces travelled to Belarus this week on a visit amid reports of possible high level military hardware supply agreements"
CONFERENCE_ORIGINAL = (
    "A conference, according to the Belarusian publication Belta dedicated to the advancement of military contacts between Belarus and Zimbabwe "
    "took place in the Central House of Officers of Belarus’ Armed Forces."
)
# revenko-head-of-military-cooperation's citation; revenko-aide-to-khrenin quotes the same words, so its text is part of it
REVENKO_HEAD_CITATION = (
    "Defence Minister.\n    citations:\n      - source: zimmail-2023-11-02\n        quote: >-\n"
    "          Head of the International Military Cooperation Department, Aide for\n"
    "          International Military Cooperation to the Belarusian Defense Minister Valery\n          Revenko\n"
)
CONFERENCE_COPY = "A conference dedicated to the advancement of military contacts between Belarus and Zimbabwe took place in the Central House of Officers of Belarus' Armed Forces, BelTA noted."


def _fact(fact_id: str, actors: str, kind: str, text: str, citations: list[tuple[str, str, str | None]]) -> str:
    """A fact appended to the registry, for the mutations that add one."""
    lines = [f"\n  - id: {fact_id}", f"    actors: [{actors}]", f"    kind: {kind}", f"    text: {json.dumps(text)}", "    citations:"]
    for source, quote, attribution in citations:
        lines += [f"      - source: {source}", f"        quote: {json.dumps(quote, ensure_ascii=False)}"]
        if attribution:
            lines.append(f"        attribution: {attribution}")
    return "\n".join(lines) + "\n"


def _after(fact_id: str, key: str) -> str:
    """The `id:` and next line of a fact, to insert a field after."""
    return f"  - id: {fact_id}\n    {key}"


# (kind of mistake, fact it mutates, old text, new text, the code check must raise); old and new may be tuples of
# several edits, and old None appends new (a fact) to the registry.
MUTATIONS = [
    # -- who ------------------------------------------------------------------------------------
    ("who", "military-contacts-conference-minsk-2023", "Valery Revenko chaired a conference", "Viktor Khrenin chaired a conference", "claim-name-unquoted"),
    ("who", "khrenin-met-muchinguri-kashiri-at-milex-2023", "Belarusian Defence Minister Viktor Khrenin met", "Belarusian Defence Minister Valery Revenko met", "claim-name-unquoted"),
    ("who", "vines-on-belarus-military-exports", "text: Alex Vines said that Belarus historically", "text: Frederick Shava said that Belarus historically", "statement-speaker"),
    ("who", "zimbabwe-foreign-ministry-on-lukashenko-visit", "      Zimbabwe's Foreign Ministry said the talks aimed", "      Alex Vines said the talks aimed", "statement-speaker"),
    ("who", "lukashenko-welcomed-by-mnangagwa", "On landing in Harare, Lukashenko was welcomed by President Mnangagwa", "On landing in Harare, Mnangagwa was welcomed by President Lukashenko", "claim-roles-swapped"),
    ("who", "sheiman-sanctioned-by-eu-and-us", "  - id: sheiman-sanctioned-by-eu-and-us\n    actors: [sheiman]", "  - id: sheiman-sanctioned-by-eu-and-us\n    actors: [sergei-sheiman]", "claim-actor-unquoted"),
    ("who", "zim-goldfields-co-owned-by-sergei-sheiman-and-zingman", "actors: [zim-goldfields, sergei-sheiman, zingman]", "actors: [zim-goldfields, sheiman, zingman]", "claim-actor-confused"),
    ("who", "sheiman-close-ally-of-lukashenko", "text: Viktor Sheiman is a close ally of Alexander Lukashenko.", "text: Sergei Sheiman is a close ally of Alexander Lukashenko.", "claim-name-unquoted"),
    ("who", "khrenin-defence-minister", "  - id: khrenin-defence-minister\n    actors: [khrenin]", "  - id: khrenin-defence-minister\n    actors: [revenko]", "claim-actor-unquoted"),
    ("who", "shava-on-embassies-and-deals", "      Frederick Shava said, as NewsDay cited him", "      Emmerson Mnangagwa said, as NewsDay cited him", "statement-speaker"),
    # -- status ---------------------------------------------------------------------------------
    ("status", "lukashenko-mnangagwa-accused-of-corruption", "    kind: allegation\n    status: denied\n    text: >-\n      Rivals", "    kind: allegation\n    status: reported\n    text: >-\n      Rivals", "status-hedged"),
    ("status", "mnangagwa-accused-of-corruption-and-rights-violations", _after("mnangagwa-accused-of-corruption-and-rights-violations", "actors: [mnangagwa]\n    kind: allegation\n    status: alleged"),
     _after("mnangagwa-accused-of-corruption-and-rights-violations", "actors: [mnangagwa]\n    kind: allegation\n    status: reported"), "status-hedged"),
    ("status", "sheiman-2018-visit-personal-mining-deals", "    kind: allegation\n    status: alleged\n    text: >-\n      NewsDay recalled that during a 2018", "    kind: allegation\n    text: >-\n      NewsDay recalled that during a 2018", "status-hedged"),
    ("status", "mnangagwa-2023-election", "adds that he recently claimed\n      victory in", "adds that he recently won", "status-hedged"),
    ("status", "zimbabwe-neutral-on-invasion-of-ukraine", "text: Zimbabwe has claimed neutrality on Russia's invasion", "text: Zimbabwe has stayed neutral on Russia's invasion", "status-hedged"),
    ("status", "putin-president-of-russia", _after("putin-president-of-russia", "actors: [putin]"), _after("putin-president-of-russia", "status: alleged\n    actors: [putin]"), "status-unsupported"),
    ("status", "lukashenko-mnangagwa-accused-of-corruption", ("    kind: allegation\n    status: denied\n    text: >-\n      Rivals", "    denies: [lukashenko-mnangagwa-accused-of-corruption, mnangagwa-accused-of-corruption-and-rights-violations]\n"),
     ("    kind: allegation\n    status: alleged\n    text: >-\n      Rivals", "    denies: [mnangagwa-accused-of-corruption-and-rights-violations]\n"), "status-denial-unmarked"),
    ("status", "sheiman-family-offshore-company", "    kind: allegation\n    status: alleged\n    text: >-\n      NewsDay wrote that, according to leaked", "    kind: allegation\n    text: >-\n      NewsDay wrote that, according to leaked", "status-hedged"),
    # -- polarity -------------------------------------------------------------------------------
    ("polarity", "lukashenko-backs-invasion-of-ukraine", "text: Has backed Moscow's invasion of Ukraine.", "text: Has not backed Moscow's invasion of Ukraine.", "claim-negation-mismatch"),
    ("polarity", "belarus-backs-invasion-of-ukraine", "text: Belarus has backed Russia's invasion of Ukraine.", "text: Belarus has never backed Russia's invasion of Ukraine.", "claim-negation-mismatch"),
    ("polarity", "zim-goldfields-co-owned-by-sergei-sheiman-and-zingman", "Alexander Zingman, with no stake for the Belarusian government.\n    citations", "Alexander Zingman, with a stake for the Belarusian government.\n    citations", "claim-negation-mismatch"),
    ("polarity", "zimbabwe-neutral-on-invasion-of-ukraine", "invasion of Ukraine and refused to condemn Moscow.\n", "invasion of Ukraine and did not refuse to condemn Moscow.\n", "claim-negation-mismatch"),
    ("polarity", "zimbabwe-neutral-on-invasion-of-ukraine", "invasion of Ukraine and refused to condemn Moscow.\n", "invasion of Ukraine and condemned Moscow.\n", "claim-negation-mismatch"),
    ("polarity", "vines-on-diversification-and-sanctions", "\"both countries are seeking to diversify", "\"both countries are not seeking to diversify", "claim-negation-mismatch"),
    ("polarity", "mugabe-predecessor-of-mnangagwa", "Robert Mugabe was Mnangagwa's predecessor; Mnangagwa has faced similar", "Robert Mugabe was Mnangagwa's predecessor; Mnangagwa has not faced similar", "claim-negation-mismatch"),
    # -- dates ----------------------------------------------------------------------------------
    ("dates", "khrenin-met-muchinguri-kashiri-at-milex-2023", "    date: 2023-05-17\n", "    date: 2023-05-18\n", "date-unquoted"),
    ("dates", "khrenin-met-muchinguri-kashiri-at-milex-2023", "    date: 2023-05-17\n", "    date: 2022-05-17\n", "date-unquoted"),
    ("dates", "mnangagwa-visited-minsk-2019", "    date: 2019\n", "    date: 2018\n", "date-unquoted"),
    ("dates", "lukashenko-visit-to-zimbabwe-2023", "diversify their diplomatic ties.\n    date: 2023\n", "diversify their diplomatic ties.\n    date: 2023-10-30\n", "date-unquoted"),
    ("dates", "sheiman-visit-to-zimbabwe-2023", "    date: 2023-10-30\n", "    date: 2023-10-31\n", "date-unquoted"),
    ("dates", "shava-on-embassies-and-deals", "Lukashenko) in January especially\n      in agriculture\"", "Lukashenko) in June especially\n      in agriculture\"", "date-unquoted"),
    ("dates", "lukashenko-president-of-belarus", "    startDate: 1994\n", "    startDate: 1996\n", "date-unquoted"),
    ("dates", "lukashenko-mnangagwa-signed-deals-january-2023", "    date: 2023-01\n", "    date: 2023-02\n", "date-unquoted"),
    ("dates", "mnangagwa-president-of-zimbabwe", "    text: President of Zimbabwe, in power since 2017.\n    startDate: 2017\n", "    text: President of Zimbabwe, in power since 2017.\n    startDate: 2018\n", "date-unquoted"),
    ("dates", "sheiman-met-mnangagwa", "      presidential palace in Harare.\n    date: 2023\n", "      presidential palace in Harare.\n    date: 2022\n", "date-unquoted"),
    # -- quantities -----------------------------------------------------------------------------
    ("quantities", "lukashenko-crackdown-on-protesters-2020", "demonstrators, arresting more than 35,000 people", "demonstrators, arresting more than 53,000 people", "claim-number-unquoted"),
    ("quantities", "lukashenko-crackdown-on-protesters-2020", "      and brutally beating thousands.\n", "      and brutally beating tens of thousands.\n", "claim-number-unquoted"),
    ("quantities", "lukashenko-welcomed-by-mnangagwa", "supporters; around 5,000 people", "supporters; around 50,000 people", "claim-number-unquoted"),
    ("quantities", "lukashenko-welcomed-by-mnangagwa", "President Mnangagwa and thousands\n", "President Mnangagwa and hundreds\n", "claim-number-unquoted"),
    ("quantities", "mugabe-forced-to-resign-2017", "Zimbabwe's leader for the\n      previous 37 years", "Zimbabwe's leader for the\n      previous thirty years", "claim-number-unquoted"),
    ("quantities", "lukashenko-aged-68", "text: Aged 68 at the time", "text: Aged 58 at the time", "claim-number-unquoted"),
    ("quantities", "khrenin-met-muchinguri-kashiri-at-milex-2023", "history of the two countries' military relations", "history of the three countries' military relations", "claim-number-unquoted"),
    ("quantities", "mnangagwa-aged-80", "text: Aged 80 at the time", "text: Aged 18 at the time", "claim-number-unquoted"),
    # -- sanctions ------------------------------------------------------------------------------
    ("sanctions", "sheiman-sanctioned-by-eu-and-us", "    authority: [EU, US]\n", "    authority: [UK, US]\n", "sanction-authority-unquoted"),
    ("sanctions", "sheiman-sanctioned-by-eu-and-us", "    authority: [EU, US]\n", "    authority: [EU, US, UN]\n", "sanction-authority-unquoted"),
    ("sanctions", "sheiman-sanctioned-by-eu-and-us", "    authority: [EU, US]\n", "    authority: [EU, Western]\n", "sanction-authority-vague"),
    ("sanctions", "sheiman-sanctioned-by-eu-and-us", "      Alleged human rights abuses and suspect business deals; his role", "      Alleged corruption and money laundering; his role", "sanction-reason-unquoted"),
    ("sanctions", "sheiman-sanctioned-by-eu-and-us", "    authority: [EU, US]\n", "    authority: [EU, US]\n    program: Belarus human rights regime\n", "sanction-reason-unquoted"),
    ("sanctions", "sheiman-sanctioned-by-eu-and-us", "    authority: [EU, US]\n", "    authority: [EU, US]\n    listingDate: 2005\n", "date-unquoted"),
    # -- direction ------------------------------------------------------------------------------
    ("direction", "sergei-sheiman-son-of-viktor-sheiman", "    actors: [sergei-sheiman, sheiman]\n", "    actors: [sheiman, sergei-sheiman]\n", "relationship-direction"),
    ("direction", "sergei-sheiman-son-of-viktor-sheiman", "    relationship: son of\n", "    relationship: father of\n", "relationship-direction"),
    ("direction", "mugabe-predecessor-of-mnangagwa", "    actors: [mugabe, mnangagwa]\n    kind: relationship\n    relationship: predecessor of", "    actors: [mnangagwa, mugabe]\n    kind: relationship\n    relationship: predecessor of", "relationship-direction"),
    ("direction", "mugabe-predecessor-of-mnangagwa", "    relationship: predecessor of\n", "    relationship: successor of\n", "relationship-direction"),
    ("direction", "zim-goldfields-co-owned-by-sergei-sheiman-and-zingman", "actors: [zim-goldfields, sergei-sheiman, zingman]", "actors: [sergei-sheiman, zim-goldfields, zingman]", "relationship-direction"),
    ("direction", "lukashenko-welcomed-by-mnangagwa", "    actors: [lukashenko, mnangagwa]\n    kind: relationship\n    relationship: welcomed by", "    actors: [mnangagwa, lukashenko]\n    kind: relationship\n    relationship: welcomed by", "relationship-direction"),
    # -- attribution ----------------------------------------------------------------------------
    ("attribution", "khrenin-met-muchinguri-kashiri-at-milex-2023", "          relations.\n        attribution: BelTA, from the press service of the Defense Ministry\n", "          relations.\n", "relay-unattributed"),
    ("attribution", "khrenin-met-muchinguri-kashiri-at-milex-2023", "          Belarus and Zimbabwe, the press service noted.\n        attribution: BelTA, from the press service of the Defense Ministry\n",
     "          Belarus and Zimbabwe, the press service noted.\n", "relay-unattributed"),
    ("attribution", "lukashenko-crackdown-on-protesters-2020", "          Press.\n        attribution: The Associated Press\n", "          Press.\n        ownVoice: true\n", "own-voice-relayed"),
    ("attribution", "khrenin-defence-minister", "        quote: Belarusian Defense Minister Viktor Khrenin\n        attribution: BelTA, from the press service of the Defense Ministry\n",
     "        quote: Belarusian Defense Minister Viktor Khrenin\n        attribution: The Associated Press\n", "attribution-unquoted"),
    ("attribution", "lukashenko-mnangagwa-signed-deals-january-2023", "          Alexander Lukashenko) in January especially in agriculture.\n        attribution: Frederick Shava, as cited by NewsDay\n",
     "          Alexander Lukashenko) in January especially in agriculture.\n", "relay-unattributed"),
    ("attribution", "vines-on-belarus-military-exports", "        quote: “Belarus historically mostly looks to export its military expertise and kit.”\n        attribution: Alex Vines of Chatham House\n",
     "        quote: “Belarus historically mostly looks to export its military expertise and kit.”\n", "relay-unattributed"),
    ("attribution", "zingman-businessman", "        quote: a Belarusian businessman named Alexander Zingman\n        attribution: OCCRP\n", "        quote: a Belarusian businessman named Alexander Zingman\n        attribution: NewsDay\n", "attribution-unquoted"),
    ("attribution", "revenko-head-of-military-cooperation", REVENKO_HEAD_CITATION + "        attribution: BelTA\n", REVENKO_HEAD_CITATION + "        attribution: Reuters\n", "attribution-unquoted"),
    # -- padding --------------------------------------------------------------------------------
    ("padding", "lukashenko-close-ally-of-putin", "        quote: Lukashenko is a close ally of Russian President Vladimir Putin\n",
     "        quote: Lukashenko is a close ally of Russian President Vladimir Putin\n      - source: lukashenko-harare-visit\n        quote: Lukashenko, 68, landed in the capital, Harare\n        ownVoice: true\n", "citation-padding"),
    ("padding", "mnangagwa-president-of-zimbabwe", "        quote: Mnangagwa came to power in 2017\n",
     "        quote: Mnangagwa came to power in 2017\n      - source: zimmail-2023-11-02\n        quote: Mnangagwa has faced similar controversies to his predecessor Robert Mugabe.\n", "citation-padding"),
    ("padding", "zanu-pf-ruling-party", "        quote: thousands of ruling ZANU-PF party supporters\n        attribution: the Belarusian president's office\n",
     "        quote: thousands of ruling ZANU-PF party supporters\n        attribution: the Belarusian president's office\n      - source: lukashenko-harare-visit\n        quote: Around 5,000 people chanting slogans and songs\n", "citation-padding"),
    ("padding", "khrenin-defence-minister", "        quote: Belarusian Defense Minister Viktor Khrenin\n        attribution: BelTA, from the press service of the Defense Ministry\n",
     "        quote: Belarusian Defense Minister Viktor Khrenin\n        attribution: BelTA, from the press service of the Defense Ministry\n      - source: zimmail-2023-11-02\n        quote: Lukashenko has been in power since 1994.\n", "citation-padding"),
    ("padding", "sheiman-close-ally-of-lukashenko", "        quote: Sheiman is a close ally of Belarusian leader Lukashenko\n",
     "        quote: Sheiman is a close ally of Belarusian leader Lukashenko\n      - source: zimmail-2023-11-02\n        quote: Lukashenko has been in power since 1994.\n", "citation-padding"),
    # -- corroboration (a note printed at the fact, not a warning) -------------------------------
    ("corroboration", "zdf-delegation-in-belarus", None, _fact("zdf-delegation-in-belarus", "zimbabwe-defence-forces", "event", "A delegation of the Zimbabwe Defence Forces visited Belarus amid reports of possible high level military hardware supply agreements.",
     [("zimmail-2023-11-02", ZDF_ORIGINAL, None), ("sheiman-harare-visit", ZDF_COPY, None)]), "corroboration-one-line"),
    ("corroboration", "conference-on-military-contacts", None, _fact("conference-on-military-contacts", "belarus-armed-forces", "event", "A conference on military contacts between Belarus and Zimbabwe took place in the Central House of Officers of Belarus' Armed Forces.",
     [("zimmail-2023-11-02", CONFERENCE_ORIGINAL, "the Belarusian publication Belta"), ("sheiman-harare-visit", CONFERENCE_COPY, "BelTA")]), "corroboration-one-line"),
    ("corroboration", "belarus-close-ally-of-russia", "        quote: Zimbabwe and Belarus are close allies of Russia.\n\n  - id: zimbabwe-close",
     "        quote: Zimbabwe and Belarus are close allies of Russia.\n      - source: zimmail-2023-11-02\n        quote: \"" + ZDF_ORIGINAL + "\"\n      - source: sheiman-harare-visit\n        quote: \"" + ZDF_COPY + "\"\n\n  - id: zimbabwe-close",
     "corroboration-one-line"),
]

# Mistakes the rules do not catch yet, kept so the measure stays honest: each fails the test the day a rule catches it.
MISSED = [
    ("status", "zim-goldfields-co-owned-by-sergei-sheiman-and-zingman", "    link: ownership\n    status: alleged\n", "    link: ownership\n", "status-hedged",
     "a relayed revelation ('OCCRP revealed') carries no hedge word, and many reported facts are relayed"),
    ("attribution", "zingman-businessman", "        quote: a Belarusian businessman named Alexander Zingman\n        attribution: OCCRP\n",
     "        quote: a Belarusian businessman named Alexander Zingman\n        ownVoice: true\n", "own-voice-relayed",
     "'ownVoice' is refused only where the sentence says 'according to': the reporter's own words inside 'X revealed that ...' are what it is for"),
    ("who", "lukashenko-welcomed-by-mnangagwa", "On landing in Harare, Lukashenko was welcomed by President Mnangagwa",
     "On landing in Harare, Mnangagwa was warmly welcomed on the airport tarmac by President Lukashenko", "claim-roles-swapped",
     "the two names are more than ROLE_WORDS words apart"),
    ("quantities", "lukashenko-crackdown-on-protesters-2020", "demonstrators, arresting more than 35,000 people", "demonstrators, arresting fewer than 35,000 people", "claim-number-unquoted",
     "qualifiers of a number (more than, fewer than, nearly) are not compared"),
    ("sanctions", "sheiman-sanctioned-by-eu-and-us", "      rights issues and the disappearance of Lukashenko's critics during his tenure",
     "      rights issues and the disappearance of Lukashenko during his tenure", "sanction-reason-unquoted", "a reason that drops words of the quote still uses only its words"),
    ("padding", "mnangagwa-president-of-zimbabwe", "        quote: Mnangagwa came to power in 2017\n",
     "        quote: Mnangagwa came to power in 2017\n      - source: lukashenko-harare-visit\n        quote: Lukashenko is a close ally of Russian President Vladimir Putin\n", "citation-padding",
     "the padding shares a word of the claim ('President')"),
]


# Correct rewordings of real facts, which no support rule may warn on: a rule that warns on correct facts is worse than none.
REWORDINGS = [
    ("lukashenko-backs-invasion-of-ukraine", "text: Has backed Moscow's invasion of Ukraine.", "text: Lukashenko has backed Russia's invasion of Ukraine."),
    ("lukashenko-crackdown-on-protesters-2020", "demonstrators, arresting more than 35,000 people", "demonstrators and arrested more than 35,000 people"),
    ("mugabe-forced-to-resign-2017", "Zimbabwe's leader for the\n      previous 37 years", "who had led Zimbabwe for the\n      previous 37 years"),
    ("belarus-close-ally-of-russia", "text: Belarus is a close ally of Russia.", "text: Belarus is one of Russia's close allies."),
    ("mnangagwa-visited-minsk-2019", "text: Mnangagwa visited Minsk in 2019, after which Belarus opened an embassy in Harare.", "text: In 2019 Mnangagwa visited Minsk; Belarus then opened an embassy in Harare."),
    ("zimbabwe-neutral-on-invasion-of-ukraine", "text: Zimbabwe has claimed neutrality on Russia's invasion of Ukraine and refused to condemn Moscow.",
     "text: Zimbabwe has claimed neutrality on the invasion and has not condemned Moscow."),
    ("lukashenko-welcomed-by-mnangagwa", "On landing in Harare, Lukashenko was welcomed by President Mnangagwa", "President Mnangagwa welcomed Lukashenko on landing in Harare"),
    ("sheiman-close-ally-of-lukashenko", "text: Viktor Sheiman is a close ally of Alexander Lukashenko.", "text: Sheiman is a close ally of the Belarusian leader, Lukashenko."),
    ("khrenin-met-muchinguri-kashiri-at-milex-2023", "expo in Minsk on 17 May 2023", "expo in Minsk on May 17, 2023"),
    ("lukashenko-aged-68", "text: Aged 68 at the time", "text: Sixty-eight years old at the time"),
    ("sergei-sheiman-son-of-viktor-sheiman", "text: Sergei Sheiman is Viktor Sheiman's son.", "text: Viktor Sheiman's son is Sergei Sheiman."),
    ("lukashenko-mnangagwa-deny-corruption", "      Lukashenko and Mnangagwa have denied the accusations, by rivals and the West, of\n", "      Both leaders deny the accusations, by rivals and the West, of\n"),
    ("lukashenko-welcomed-by-mnangagwa", "supporters; around 5,000 people chanting", "supporters; some five thousand people chanting"),
]


def _fact_lines(registry: str, fact_id: str) -> tuple[int, int]:
    """The first and last line (1-based) of a fact in the registry's text."""
    lines = registry.splitlines()
    start = next(i for i, line in enumerate(lines, 1) if line == f"  - id: {fact_id}")
    end = next((i - 1 for i, line in enumerate(lines[start:], start + 1) if line.startswith("  - id: ") or (not line.startswith(" ") and line)), len(lines))
    return start, end


def _codes_at(root: Path, fact_id: str) -> set[str]:
    """The codes `check` raises (error, warning or note) on the lines of one fact."""
    registry = (root / "actors.yaml").read_text("utf-8")
    start, end = _fact_lines(registry, fact_id)
    problems = json.loads(run("check", "--root", str(root), "--format", "json").stdout)
    return {p["code"] for p in problems if p["file"].endswith("actors.yaml") and start <= p["line"] <= end}


class NotCaught(Exception):
    """The mistake was made and check did not raise the code: the only way a known miss may fail."""


CASES = [pytest.param(*m, id=f"{m[0]}-{i}-{m[4]}") for i, m in enumerate(MUTATIONS)] + [
    pytest.param(*m[:5], id=f"{m[0]}-missed-{i}-{m[4]}", marks=pytest.mark.xfail(reason=m[5], strict=True, raises=NotCaught)) for i, m in enumerate(MISSED)
]


@pytest.mark.parametrize(("kind", "fact_id", "old", "new", "code"), CASES)
def test_check_catches_the_mistake(tmp_path: Path, kind: str, fact_id: str, old: str | None, new: str, code: str):
    root = tmp_path / "project"
    root.mkdir()
    shutil.copytree(PROJECT / "seeds", root / "seeds")
    registry = (PROJECT / "actors.yaml").read_text("utf-8")
    if old is None:
        assert fact_id not in registry
        mutated = registry + new
    else:
        mutated = registry
        for before, after in zip(*((old, new) if isinstance(old, tuple) else ((old,), (new,)))):
            assert registry.count(before) == 1, f"the mutation's text must occur once in actors.yaml: {before!r}"
            mutated = mutated.replace(before, after)
    (root / "actors.yaml").write_text(mutated, "utf-8")
    if old is not None:
        assert code not in _codes_at(PROJECT, fact_id), f"{code} fires on {fact_id} before the mistake is made"
    found = _codes_at(root, fact_id)
    if code not in found:
        raise NotCaught(f"{kind}: {code} not raised on {fact_id} (raised: {sorted(found)})")


@pytest.mark.parametrize(("fact_id", "old", "new"), REWORDINGS, ids=[f"{r[0]}-{i}" for i, r in enumerate(REWORDINGS)])
def test_a_correct_rewording_raises_nothing_new(tmp_path: Path, fact_id: str, old: str, new: str):
    root = tmp_path / "project"
    root.mkdir()
    shutil.copytree(PROJECT / "seeds", root / "seeds")
    registry = (PROJECT / "actors.yaml").read_text("utf-8")
    assert registry.count(old) == 1, f"the rewording's text must occur once in actors.yaml: {old!r}"
    (root / "actors.yaml").write_text(registry.replace(old, new), "utf-8")
    assert _codes_at(root, fact_id) <= _codes_at(PROJECT, fact_id)
