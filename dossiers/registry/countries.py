"""Country names as English readers know them, from CLDR (babel): the one name of a country, in every output and
rule."""

from __future__ import annotations

from functools import cache

from babel import Locale


@cache
def _territories() -> dict[str, str]:
    return dict(Locale("en").territories)


def country_name(code: str) -> str | None:
    """'ru' → 'Russia', 'mm' → 'Myanmar' (CLDR's "Myanmar (Burma)" without its aside); None for a code CLDR lacks."""
    name = _territories().get(code.upper())
    return name.split(" (")[0] if name else None
