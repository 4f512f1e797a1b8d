"""Text from the registry made safe to show: control characters made visible, Markdown escaped."""

from __future__ import annotations

import re

# Characters that reorder or hide text (Trojan Source) or drive a terminal: shown, never obeyed.
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible_controls(text: str, pattern: re.Pattern = BIDI_CONTROLS) -> str:
    """Replace each control character with a visible ⟨U+XXXX⟩, so it is shown and not obeyed."""
    return pattern.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", text)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~$!:])")
_LEADING = re.compile(r"^([-+=]|\d+(?=[.)]))")
_WWW = re.compile(r"(?i)\b(www)\.")


def markdown_escape(value: object) -> str:
    """Plain text made safe to drop into Markdown: shown as written, never read as markup.

    The punctuation that CommonMark, GitHub's extensions (tables, strikethrough, math,
    autolinks) or raw HTML act on is backslash-escaped (a backslash before ASCII
    punctuation yields the character itself), as is a leading list or heading marker;
    `&` becomes an entity and line breaks become spaces.
    """
    text = " ".join(str(value).split()).replace("&", "&amp;")
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    text = _WWW.sub(r"\1\\.", text)
    return _LEADING.sub(lambda m: m.group(1) + "\\" if m.group(1)[0].isdigit() else "\\" + m.group(1), text)
