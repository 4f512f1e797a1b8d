"""Untrusted text made visible and inert, for every way out: terminal, Markdown, HTML, GitHub.

Text from the registry or a source is data. Control characters (C0 but tab and newline,
DEL, C1, so every escape sequence) and the bidi controls that reorder text (Trojan
Source) are shown as a visible ⟨U+XXXX⟩, never obeyed.
"""

from __future__ import annotations

import json
import re

BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
BIDI_CONTROLS = re.compile(f"[{BIDI}]")
CONTROLS = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI}]")
LINE_CONTROLS = re.compile(f"[\x00-\x08\x0a-\x1f\x7f-\x9f{BIDI}]")  # newline too: one-line fields


def visible_controls(text: str, pattern: re.Pattern = CONTROLS) -> str:
    """Replace each control character with a visible ⟨U+XXXX⟩, so it is shown and not obeyed."""
    return pattern.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", text)


def terminal(text: object) -> str:
    """Text for a terminal: control characters shown; newlines kept."""
    return visible_controls(str(text), CONTROLS)


def one_line(text: object) -> str:
    """Text printed on one line: control characters and newlines shown, so it cannot begin a line of its own."""
    return visible_controls(str(text), LINE_CONTROLS)


_JSON_UNSAFE = re.compile(f"[\x7f-\x9f{BIDI}]")  # json.dumps escapes C0 itself


def json_text(data: object, **options) -> str:
    """JSON with every control character as a \\u escape: the data exact, nothing for a terminal to obey."""
    text = json.dumps(data, ensure_ascii=False, **options)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def github_escape(value: str, prop: bool = False) -> str:
    """A value for a GitHub workflow command: `%`, CR and LF encoded (and `:` `,` in a property)."""
    value = visible_controls(value, CONTROLS).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if prop else value


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~$!:])")
_LEADING = re.compile(r"^([-+=]|\d+(?=[.)]))")
_WWW = re.compile(r"(?i)\b(www)\.")
# What GitHub turns into a mention, an issue link or an e-mail link even when escaped: broken by a zero-width space.
_GITHUB_REFERENCE = re.compile(r"(?i)(@)(?=\w)|(#)(?=\d)|(\bGH-)(?=\d)")


def markdown_escape(value: object) -> str:
    """Plain text made safe to drop into Markdown: shown as written, never read as markup.

    The punctuation that CommonMark, GitHub's extensions (tables, strikethrough, math,
    autolinks) or raw HTML act on is backslash-escaped (a backslash before ASCII
    punctuation yields the character itself), as is a leading list or heading marker;
    `&` becomes an entity and line breaks become spaces. GitHub would still make a
    mention of `@user`, links of `#123`, `GH-123` and bare e-mail addresses (and notify
    people, in a pull-request comment), so a zero-width space follows `@`, `#` and `GH-`.
    """
    text = " ".join(str(value).split()).replace("&", "&amp;")
    text = _GITHUB_REFERENCE.sub(lambda m: m.group() + "\u200b", text)
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    text = _WWW.sub(r"\1\\.", text).replace("\u200b", "&#8203;")
    return _LEADING.sub(lambda m: m.group(1) + "\\" if m.group(1)[0].isdigit() else "\\" + m.group(1), text)
