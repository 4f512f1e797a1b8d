"""Safe YAML: parser events built into plain data, with the line and column of every node on demand.

The YAML is read as a stream of parser events and built into plain dicts, lists and
scalars here, so that nothing in it can construct an object: tags, anchors and aliases
are refused, which also rules out alias-expansion bombs.
"""

from __future__ import annotations

import difflib
import functools
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from ruamel.yaml import YAML
from ruamel.yaml import events as ev
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from ..errors import Problem, UserError, fail
from .layout import real_path

MAX_DEPTH = 32
MAX_FILE_BYTES = 16 * 1024 * 1024  # the registry's 20,000 facts fit in 12 MiB; 16 MiB load in about 25 s

Path_ = tuple[str | int, ...]

_WORDS = {"": None, "~": None, "null": None, "Null": None, "NULL": None} | {
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
}
_NUMBER_START = set("0123456789+-.")
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")


@dataclass
class Document:
    """A YAML file's data, and on demand the parser's mark (line, column) of every value and key.

    Positions are only needed to report a problem, so they are recorded by a second
    parse the first time one is asked for: a file without problems is parsed once.
    """

    file: str
    text: str
    data: object = None
    indexed: bool = False
    values: dict[Path_, object] = field(default_factory=dict)
    keys: dict[Path_, object] = field(default_factory=dict)

    def mark(self, path: Path_, key: bool = False) -> tuple[int, int]:
        """1-based (line, col) of the node at `path`, or of its nearest existing ancestor."""
        if not self.indexed:
            positions = _parse(self.text, self.file, YAML(typ="safe"), record=True)
            self.values, self.keys, self.indexed = positions.values, positions.keys, True
        path = tuple(path)
        if key and path in self.keys:
            return _position(self.keys[path])
        while path and path not in self.values:
            path = path[:-1]
        return _position(self.values[path]) if path in self.values else (1, 1)

    def problem(self, path: Path_, code: str, message: str, severity: str = "error", key: bool = False) -> Problem:
        line, col = self.mark(path, key)
        return Problem(self.file, *self._text_start(line, col), severity, code, message)

    @functools.cached_property
    def lines(self) -> list[str]:
        """The file's lines, split once for every problem that points into it."""
        return self.text.splitlines()

    def _text_start(self, line: int, col: int) -> tuple[int, int]:
        """For a block scalar (`>-`, `|`), where its text begins on the next line, not the indicator."""
        lines = self.lines
        if (
            1 <= line < len(lines)
            and lines[line - 1][col - 1 : col] in (">", "|")
            and not lines[line - 1][col:].strip(" +-0123456789")
        ):
            following = lines[line]
            return line + 1, len(following) - len(following.lstrip()) + 1
        return line, col


def _position(mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def _scalar(event: ev.ScalarEvent) -> object:
    """YAML 1.2 core schema for plain scalars; quoted scalars stay text. Dates stay text."""
    value = event.value
    if event.style:  # quoted or block: text (plain style is None, or '' from libyaml)
        return value
    if value in _WORDS:
        return _WORDS[value]
    if value[0] in _NUMBER_START:
        if _INT.fullmatch(value):
            return int(value)
        if _FLOAT.fullmatch(value):
            return float(value)
    return value


class _Builder:
    """Builds plain data from parser events; with `record`, notes where each node starts."""

    def __init__(self, doc: Document, events: typing.Iterator[ev.Event], record: bool = False):
        self.doc = doc
        self.events = events
        self.record = record

    def fail(self, event: ev.Event, code: str, message: str) -> typing.NoReturn:
        line, col = _position(event.start_mark)
        raise fail(self.doc.file, code, message, line, col)

    def node(self, event: ev.Event, path: Path_) -> object:
        if type(event) is ev.AliasEvent or getattr(event, "anchor", None):
            self.fail(
                event, "yaml-alias", "anchors and aliases (&name, *name) are not allowed: write the value out in full"
            )
        tag = getattr(event, "tag", None)
        if tag:
            self.fail(event, "yaml-tag", f"YAML tags like '{tag}' are not allowed: remove the tag and write plain text")
        if len(path) > MAX_DEPTH:
            self.fail(
                event, "yaml-too-deep", f"nesting is deeper than {MAX_DEPTH} levels: the registry never needs that much"
            )
        if self.record:
            self.doc.values[path] = event.start_mark
        kind = type(event)
        if isinstance(event, ev.ScalarEvent):
            return _scalar(event)
        if kind is ev.SequenceStartEvent:
            items = []
            for item in self.events:
                if type(item) is ev.SequenceEndEvent:
                    return items
                items.append(self.node(item, path + (len(items),)))
        if kind is ev.MappingStartEvent:
            mapping: dict[str, object] = {}
            seen = {}  # key → mark, to name the line of a duplicate
            for key_event in self.events:
                if type(key_event) is ev.MappingEndEvent:
                    return mapping
                if type(key_event) is not ev.ScalarEvent or key_event.tag or key_event.anchor:
                    self.fail(key_event, "yaml-key", "a mapping key must be plain text")
                key = key_event.value
                if key in seen:
                    line, _ = _position(seen[key])
                    self.fail(
                        key_event, "duplicate-key", f"key '{key}' is already set on line {line}: keep one of the two"
                    )
                seen[key] = key_event.start_mark
                if self.record:
                    self.doc.keys[path + (key,)] = key_event.start_mark
                mapping[key] = self.node(next(self.events), path + (key,))
        self.fail(event, "yaml-syntax", "unexpected YAML structure")


_SYNTAX_HINTS = {
    "expected <block end>": "this line is not indented like the lines around it: line it up with its siblings",
    "mapping values are not allowed": "a ': ' inside an unquoted value: put the whole value in quotes",
    "found character '\\t'": "a tab: YAML is indented with spaces only",
    "could not find expected ':'": "a key without ':' or an unclosed quote: add the ':' or close the quote",
    "found unexpected end of stream": "an unclosed quote or bracket: close it",
}


def _syntax_message(error: MarkedYAMLError, text: str = "") -> str:
    what = " ".join(filter(None, [error.context, error.problem]))
    mark = error.problem_mark or error.context_mark
    lines = text.splitlines()
    hint = _quoting_hint(lines, mark.line) if mark and mark.line < len(lines) else None
    hint = hint or next(
        (hint for key, hint in _SYNTAX_HINTS.items() if key in what), "check the indentation and quoting here"
    )
    return f"YAML syntax error ({what}): {hint}"


_KEY_LINE = re.compile(r"^(\s*)(?:- )?([\w$-]+):(?: |$)")


def _quoting_hint(lines: list[str], index: int) -> str | None:
    """The real cause of the commonest mistakes, which the parser reports as indentation or as ': ' in a value."""
    line = lines[index]
    found = _KEY_LINE.match(line)
    if not found:
        return None
    value = line[found.end() :].strip()
    if value.startswith("'") and value.count("'") > 2:
        return (
            "an apostrophe inside a single-quoted value ends it early: write the apostrophe twice ('Zimbabwe''s'), "
            "or use double quotes, or a block scalar (quote: >-, the text on the next lines)"
        )
    if value[:1] in ("'", '"') and not value.endswith(value[0]):
        return (
            "text after the closing quotation mark: quote the whole value, or, for a quote that holds quotation "
            "marks, "
            "use a block scalar (quote: >-, the text on the next lines)"
        )
    indent = len(line) - len(line.lstrip())
    previous = next(
        (lines[i] for i in range(index - 1, -1, -1) if lines[i].strip() and not lines[i].lstrip().startswith("#")), ""
    )
    sibling = _KEY_LINE.match(previous)
    if sibling:
        column = previous.index(sibling.group(2))
        if indent > column and not previous.rstrip().endswith(":") and not previous.rstrip().endswith((">-", "|", ">")):
            return (
                f"this key is indented {indent} spaces where the key above it has {column}: line it up with "
                f"'{sibling.group(2)}'"
            )
    return None


def parse_yaml(text: str, file: str) -> Document:
    """Parse YAML text into a Document; raises UserError with file, line and column.

    libyaml (through ruamel.yaml.clib) parses; when it finds a syntax error, the pure
    Python parser reads the file again, for its clearer message.
    """
    try:
        return _parse(text, file, YAML(typ="safe"))
    except UserError as error:
        if error.problems[0].code not in ("yaml-syntax", "yaml-character"):
            raise
    return _parse(text, file, YAML(typ="safe", pure=True))


def _parse(text: str, file: str, yaml: YAML, record: bool = False) -> Document:
    doc = Document(file, text, indexed=record)
    try:
        events = iter(yaml.parse(text))
        documents = 0
        for event in events:
            if isinstance(event, ev.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    _Builder(doc, events).fail(
                        event, "yaml-syntax", "the file holds more than one YAML document: remove the '---' separator"
                    )
                event = next(events)
                if isinstance(event, ev.DocumentEndEvent):
                    continue  # an empty document
                doc.data = _Builder(doc, events, record).node(event, ())
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, col = _position(mark) if mark else (1, 1)
        raise fail(file, "yaml-syntax", _syntax_message(error, text), line, col) from None
    except ReaderError as error:
        before = text[: error.position]
        line, col = before.count("\n") + 1, len(before) - before.rfind("\n")
        code = ord(error.character) if isinstance(error.character, str) else error.character
        raise fail(
            file, "yaml-character", f"character U+{code:04X} is not allowed in YAML: remove it", line, col
        ) from None
    except YAMLError as error:
        raise fail(file, "yaml-syntax", f"YAML cannot be read: {error}") from None
    return doc


def read_yaml(root: Path, file: str) -> Document:
    """Read and parse one YAML file of the project, which must be a regular file inside it once links are followed."""
    path = root / file
    resolved = real_path(path)
    if not resolved.is_relative_to(real_path(root)):
        raise fail(
            file,
            "file-outside-project",
            f"{file} leads outside the project (to {resolved}): keep the file itself in the project, not a link",
        )
    if path.exists() and not resolved.is_file():
        raise fail(file, "file-not-regular", f"{file} is not a regular file: replace it with the YAML file")
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise fail(
            file, "file-missing", f"{file} does not exist: is --root the folder that holds actors.yaml and seeds/?"
        ) from None
    except OSError as error:
        raise fail(file, "file-unreadable", f"{file} cannot be read: {error.strerror}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise fail(file, "file-too-large", f"{file} is larger than {MAX_FILE_BYTES // 2**20} MiB: split it or trim it")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise fail(
            file, "not-utf8", f"byte 0x{raw[error.start]:02x} is not UTF-8: save the file as UTF-8", line, col
        ) from None
    return parse_yaml(text.removeprefix("\ufeff"), file)


# -- validation errors mapped back to YAML positions -------------------------------------


def _model_at(model: type[BaseModel], loc: Path_) -> type[BaseModel] | None:
    """The pydantic model that describes the mapping at `loc`, if any."""
    at: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = at.model_fields.get(part) if at else None
        if info is None:
            return None
        candidates = [info.annotation]
        at = None
        while candidates:
            kind = candidates.pop()
            if isinstance(kind, type) and issubclass(kind, BaseModel):
                at = kind
                break
            if typing.get_origin(kind) in (list, typing.Union, types.UnionType, typing.Annotated):
                candidates.extend(typing.get_args(kind))
        if at is None:
            return None
    return at


def _guess_key(model: type[BaseModel], loc: Path_) -> str | None:
    """The allowed key that an unknown key at `loc` most likely misspells."""
    parent = _model_at(model, loc[:-1])
    guess = difflib.get_close_matches(str(loc[-1]), list(parent.model_fields), n=1) if parent else []
    return guess[0] if guess else None


def _explain(doc: Document, model: type[BaseModel], error: ErrorDetails) -> Problem:
    loc = tuple(error["loc"])
    kind = error["type"]
    where = ".".join(str(part) for part in loc)
    if kind == "extra_forbidden":
        guess = _guess_key(model, loc)
        parent = _model_at(model, loc[:-1])
        allowed = ", ".join(parent.model_fields) if parent else ""
        hint = f"did you mean '{guess}'?" if guess else f"the keys allowed here are: {allowed}"
        return doc.problem(loc, "unknown-key", f"unknown key '{loc[-1]}': {hint}", key=True)
    if kind == "missing":
        return doc.problem(loc[:-1], "missing-key", f"'{loc[-1]}' is required here ({where}): add it")
    if kind in ("invalid_id", "invalid_date"):
        return doc.problem(loc, kind.replace("_", "-"), error["msg"])
    if kind == "string_too_long":
        limit = error.get("ctx", {})["max_length"]
        return doc.problem(
            loc, "too-long", f"{where} is {len(error['input']):,} characters long; the limit is {limit:,}: shorten it"
        )
    shown = repr(error.get("input"))[:80]
    return doc.problem(loc, "invalid-value", f"{where} = {shown}: {error['msg']}")


def validate(doc: Document, model: type[BaseModel]) -> BaseModel:
    """Validate a Document against a model; errors come back at their YAML positions.

    A required key reported missing next to an unknown key that misspells it is one
    mistake, and is reported once, as the misspelling.
    """
    try:
        return model.model_validate({} if doc.data is None else doc.data)
    except ValidationError as error:
        errors = error.errors()
        misspelt = {
            tuple(e["loc"][:-1]) + (_guess_key(model, tuple(e["loc"])),)
            for e in errors
            if e["type"] == "extra_forbidden"
        }
        kept = [e for e in errors if not (e["type"] == "missing" and tuple(e["loc"]) in misspelt)]
        raise UserError(problems=sorted({_explain(doc, model, e) for e in kept})) from None
