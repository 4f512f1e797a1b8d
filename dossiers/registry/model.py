"""The data model: sources, actors, facts and their citations.

Field names follow FollowTheMoney where it has one (authority, program,
listingDate, startDate, endDate, relationship, alias, country), so that an
FtM export is a mapping rather than a translation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import Enum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from . import dates

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
ID_MAX_LENGTH = 80


def _check_id(value: str) -> str:
    if len(value) > ID_MAX_LENGTH or not ID_PATTERN.fullmatch(value):
        raise PydanticCustomError(
            "invalid_id",
            "'{value}' is not a valid id: ids become file names, so use lowercase "
            "ASCII letters and digits joined by single hyphens (like 'viktor-sheiman'), "
            "at most {limit} characters",
            {"value": value[:100], "limit": ID_MAX_LENGTH},
        )
    return value


def _date_to_text(value: object) -> object:
    """YAML reads `date: 2023` as a number; a partial date is text."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _check_partial_date(value: str) -> str:
    if not dates.is_valid(value):
        raise PydanticCustomError(
            "invalid_date",
            "'{value}' is not a date: write a partial ISO date, YYYY, YYYY-MM or "
            "YYYY-MM-DD (like 2023, 2023-05 or 2023-05-17), with a real month and day",
            {"value": value[:100]},
        )
    return value


Id = Annotated[
    str,
    AfterValidator(_check_id),
    WithJsonSchema({"type": "string", "pattern": f"^{ID_PATTERN.pattern}$", "maxLength": ID_MAX_LENGTH}),
]
PartialDate = Annotated[
    str,
    BeforeValidator(_date_to_text),
    AfterValidator(_check_partial_date),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": f"^{dates.PATTERN.pattern}$"},
                {"type": "integer", "minimum": 1000, "maximum": 9999},
            ],
            "description": "Partial ISO date: YYYY, YYYY-MM or YYYY-MM-DD.",
        }
    ),
]
MAX_TEXT = 4000  # characters in a text field; a 10 MB string is an error, not a 4,000-page PDF
MAX_LABEL = 300  # characters in a name, title or label

Text = Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]
Label = Annotated[str, Field(min_length=1, max_length=MAX_LABEL)]


class Strict(BaseModel):
    """Base of every model: unknown keys are errors, so a typo never drops data."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Reliability(str, Enum):
    """Admiralty (NATO) source reliability grade."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"

    @property
    def meaning(self) -> str:
        """What the grade says of a source, as every output and add-source put it: 'A' → 'completely reliable'."""
        return _RELIABILITY_MEANING[self]


_RELIABILITY_MEANING = {
    Reliability.A: "completely reliable",
    Reliability.B: "usually reliable",
    Reliability.C: "fairly reliable",
    Reliability.D: "not usually reliable",
    Reliability.E: "unreliable",
    Reliability.F: "cannot be judged",
}

UNKNOWN_PUBLISHER = "unknown"  # what sources.yaml says of a source whose publisher is not known


class Source(Strict):
    """A source document under seeds/, byte-for-byte as received."""

    id: Id
    file: Label = Field(description="Path of the document, relative to seeds/.")
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] | None = Field(
        default=None, description="sha256 of the file, lowercase hex; left empty, dossiers check prints the file's."
    )
    title: Label
    publisher: Label = Field(description=f"Who published it, or '{UNKNOWN_PUBLISHER}'.")
    published: PartialDate | None = Field(
        default=None, description="Publication date as the document gives it; empty if it does not."
    )
    modified: PartialDate | None = Field(
        default=None,
        description="When the document says it was last updated (dateModified, article:modified_time); "
        "empty if it does not.",
    )
    url: Annotated[str, Field(max_length=2000, pattern=r"^https?://[^\s]+$")] | None = Field(
        default=None,
        description="Where the document was published; of a web archive (WARC, WACZ), the page of it "
        "that is the source.",
    )
    retrieved: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?Z$")] | None = Field(
        default=None,
        description="When the page was captured, in UTC: a web archive's WARC-Date, which dossiers check compares.",
    )
    signed: Literal["no", "verified", "not verified"] | None = Field(
        default=None,
        description="Whether a web archive (WACZ) is signed and its signature verified, as dossiers check finds it.",
    )
    signer: Label | None = Field(default=None, description="Who signed the web archive: a domain, or an anonymous key.")
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}$")] = Field(
        description="ISO 639 code of the document's language."
    )
    reliability: Reliability
    notes: Text | None = Field(default=None, description="How the source was identified, and caveats.")
    dataset: Label | None = Field(
        default=None,
        description="For a list (a FollowTheMoney entities file): the dataset it is, like 'eu_fsf', as "
        "its entities or the analyst name it.",
    )
    version: Label | None = Field(
        default=None,
        description="For a list: its version or export date, as its entities or the analyst give it; "
        "empty if neither does.",
    )

    @property
    def known_publisher(self) -> str | None:
        """Who published it; None if sources.yaml says 'unknown' (in any case)."""
        return None if self.publisher.lower() == UNKNOWN_PUBLISHER else self.publisher


class SourceFile(Strict):
    """The source metadata file, seeds/sources.yaml."""

    sources: list[Source]


class ActorKind(str, Enum):
    """What an actor is; dossiers are built for people."""

    person = "person"
    organization = "organization"
    company = "company"
    public_body = "public-body"
    political_party = "political-party"
    armed_force = "armed-force"
    state = "state"

    @property
    def is_person(self) -> bool:
        return self is ActorKind.person

    @property
    def label(self) -> str:
        """'public-body' → 'Public body'."""
        return self.value.replace("-", " ").capitalize()


class Name(Strict):
    """Another name of an actor: a spelling, a transliteration, a native script."""

    name: Label
    lang: Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z]{4})?(-[a-z0-9]+)?$")] | None = Field(
        default=None, description="BCP 47 tag, like 'be', 'ru' or 'ru-Latn' for a transliteration."
    )
    note: Text | None = None
    curated: bool = Field(
        default=False,
        description="The analyst's label, which no cited source gives (a patronymic, a native script, a "
        "full name): outputs mark it.",
    )


class Judgement(Strict):
    """An analyst's verdict on a screening candidate: the entity that the actor is, or is not, in a registered list
    (`source`) or in an outside dataset (`dataset`): exactly one of the two."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, json_schema_extra={"oneOf": [{"required": ["source"]}, {"required": ["dataset"]}]}
    )

    source: Id | None = Field(
        default=None,
        description="The registered list (a source of format ftm) the entity is in; `dossiers check` finds it there.",
    )
    dataset: Label | None = Field(
        default=None,
        description="An outside dataset the entity belongs to, like 'opensanctions', when no list of it is registered.",
    )
    id: Label = Field(description="The entity's id in that list or dataset, like 'NK-…' or 'Q…'.")
    note: Text | None = Field(default=None, description="Why: what was compared, who decided, when.")

    @model_validator(mode="after")
    def _one_place(self) -> Judgement:
        if (self.source is None) == (self.dataset is None):
            raise PydanticCustomError(
                "judgement_place",
                "a judgement names where the entity is: 'source' (a registered list) or 'dataset' (an outside one), "
                "exactly one of the two",
                {},
            )
        return self


class Actor(Strict):
    """A person or body. Identity labels only: every claim about it is a Fact."""

    id: Id
    kind: ActorKind
    name: Label
    alias: list[Name] = Field(default_factory=list, description="Other names, with their language.")
    country: list[Annotated[str, Field(pattern=r"^[a-z]{2}$")]] = Field(
        default_factory=list, description="ISO 3166-1 alpha-2 codes, lowercase."
    )
    sameAs: list[Judgement] = Field(
        default_factory=list, description="Screening candidates confirmed to be this actor."
    )
    notSame: list[Judgement] = Field(
        default_factory=list, description="Screening candidates rejected: never proposed again."
    )


class FactKind(str, Enum):
    position = "position"
    sanction = "sanction"
    relationship = "relationship"
    event = "event"
    allegation = "allegation"
    denial = "denial"
    statement = "statement"
    stance = "stance"  # a stand taken on an issue, like backing an invasion
    biographical = "biographical"


class LinkKind(str, Enum):
    """Kinds of relationship, each drawn in its own style in the network diagram."""

    family = "family"
    ownership = "ownership"
    ally = "ally"
    associate = "associate"
    meeting = "meeting"
    succession = "succession"


class Status(str, Enum):
    reported = "reported"  # a source states it as fact
    alleged = "alleged"  # a source relays it as a claim or accusation
    denied = "denied"  # the party concerned denies it
    disputed = "disputed"  # sources disagree


class Citation(Strict):
    """A verbatim quote from a source (W3C TextQuoteSelector)."""

    source: Id
    quote: Text
    attribution: Label | None = Field(
        default=None, description="Whom the source relays in this passage (BelTA, NewsDay, ...), if anyone."
    )
    ownVoice: bool = Field(
        default=False,
        description="The source's own words, though their sentence relays someone (an age the reporter added, say): no "
        "attribution is due.",
    )
    prefix: Text | None = Field(
        default=None,
        description="The text immediately before the quote, white space included, when it occurs more than once.",
    )
    suffix: Text | None = Field(
        default=None,
        description="The text immediately after the quote, white space included, when it occurs more than once.",
    )
    translation: Text | None = Field(
        default=None,
        description="The analyst's translation of a quote in another "
        "language; notes print both, the translation marked as the analyst's.",
    )


def _check_reason(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError(
            "blank_reason", "a waiver needs a reason: say why the warning does not apply to this fact", {}
        )
    return value


def _check_code(value: str) -> str:
    if len(value) > ID_MAX_LENGTH or not ID_PATTERN.fullmatch(value):
        raise PydanticCustomError(
            "invalid_code",
            "'{value}' is not a warning code: waive a code `dossiers check` gives, like 'claim-number-unquoted', with "
            "your reason",
            {"value": value[:100]},
        )
    return value


Reason = Annotated[str, Field(min_length=1, max_length=MAX_TEXT), AfterValidator(_check_reason)]
WarningCode = Annotated[
    str,
    AfterValidator(_check_code),
    WithJsonSchema({"type": "string", "pattern": f"^{ID_PATTERN.pattern}$", "maxLength": ID_MAX_LENGTH}),
]


class Fact(Strict):
    """One claim about one or more actors, with the quotes that support it."""

    id: Id
    actors: list[Id] = Field(
        min_length=1, description="The actors it is about; for a relationship, the first is the subject."
    )
    kind: FactKind
    text: Text = Field(description="The claim, in the analyst's own words.")
    date: PartialDate | None = None
    startDate: PartialDate | None = None
    endDate: PartialDate | None = None
    dateNote: Text | None = Field(default=None, description="How the date was derived when the source is vague.")
    status: Status = Status.reported
    denies: list[Id] = Field(default_factory=list, description="For a denial: the facts it denies.")
    relationship: Label | None = Field(
        default=None, description="For a relationship: the first actor's relation to the others, like 'son of'."
    )
    link: LinkKind | None = Field(
        default=None, description="For a relationship: its kind, for the network diagram and exports."
    )
    authority: list[Label] = Field(default_factory=list, description="For a sanction: who imposed it (EU, US, ...).")
    program: Label | None = None
    listingDate: PartialDate | None = None
    reason: Text | None = None
    citations: list[Citation] = Field(default_factory=list)
    waive: dict[WarningCode, Reason] = Field(
        default_factory=dict,
        description="Support warnings the analyst has judged, by code, each with the reason: `waive: "
        '{claim-number-unquoted: "the source gives the figure in words"}`.',
    )

    @property
    def when(self) -> str | None:
        """The date a fact is sorted and exported by: its date, else its start, listing or end."""
        return self.date or self.startDate or self.listingDate or self.endDate

    @property
    def period(self) -> str:
        """The fact's date as a reader sees it: '17 May 2023', 'from 1994', 'from 2004 to 2008'."""
        return dates.period_label(self.date, self.startDate, self.endDate, self.listingDate)

    def filled_dates(self) -> Iterator[tuple[str, str]]:
        """Each date field the fact fills in (DATE_FIELDS), with its value: ('date', '2023-05-17')."""
        for name in DATE_FIELDS:
            value = getattr(self, name)
            if value:
                yield name, value


# every partial date of a Fact, for the rules that check them all
DATE_FIELDS = ("date", "startDate", "endDate", "listingDate")


class Waiver(Strict):
    """A source sentence left uncited on purpose, for `dossiers coverage`."""

    source: Id
    quote: Text = Field(description="Words of the sentence (or sentences) waived.")
    prefix: Text | None = None
    suffix: Text | None = None
    reason: Text = Field(description="Why no fact cites it.")


class Registry(Strict):
    """actors.yaml: the actors, the facts about them, and the sentences waived from coverage."""

    actors: list[Actor] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    waivers: list[Waiver] = Field(default_factory=list)


def json_schema(name: str) -> dict:
    """JSON Schema of actors.yaml ('actors') or seeds/sources.yaml ('sources')."""
    model = {"actors": Registry, "sources": SourceFile}[name]
    schema = model.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema"} | schema | {"title": f"dossiers: {name} file"}
