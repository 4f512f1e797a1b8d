"""The words the support rules compare: tokens and their stems, quantities, dates, negations, hedges.

Plain English news prose, read with small hand-made tables: enough to tell "tens of
thousands" from "thousands", 17 May from 18 May, "has backed" from "has not backed".
Everything works on text normalised as quotes are (`quotes.normalise`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..registry import dates


def _words(text: str) -> list[str]:
    """The words of a table written as text, in order."""
    return text.split()


def vocabulary(text: str) -> frozenset[str]:
    """The words of a list written as text, as a set."""
    return frozenset(text.split())


TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|n't")
_NT = re.compile(r"(?<=[a-z])n['’]t\b", re.IGNORECASE)

STOPWORDS = vocabulary(
    "a about above after again against all also am an and any are as at be because been before being below between "
    "both but "
    "by can could did do does doing down during each either few for from further had has have having he her here hers "
    "herself "
    "him himself his how i if in into is it its itself just me more most my myself nor of off on once only or other "
    "our ours "
    "ourselves out over own same she should so some such than that the their theirs them themselves then there these "
    "they "
    "this those through to too under until up very was we were what when where which while who whom why will with "
    "would you "
    "your yours yourself yourselves said says say saying according told since among amid around within without upon "
    "whose "
    "who's it's via per"
)


@lru_cache(maxsize=1 << 12)
def tokens(text: str) -> tuple[str, ...]:
    """Words in order, lowercased, "n't" split off ("hasn't" → "has", "n't"), hyphenated words split."""
    return tuple(TOKEN.findall(_NT.sub(" n't", text.lower().replace("’", "'"))))


_SPELLING = re.compile(r"(?:ens|iz|yz)$")


@lru_cache(maxsize=1 << 12)
def stem(word: str) -> str:
    """A light English stem, enough to meet 'allies' with 'ally' and 'arrested' with 'arresting'."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    word = word.rstrip("'")
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            word = word[: -len(suffix)]
            if len(word) > 2 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]
            break
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    # defense/defence, organize/organise
    return _SPELLING.sub(lambda m: {"ens": "enc", "iz": "is", "yz": "ys"}[m.group()], word)


@lru_cache(maxsize=1 << 12)
def content_stems(text: str) -> frozenset[str]:
    """Stems of the words that carry meaning: no function words, no numbers, none under three letters."""
    return frozenset({stem(w) for w in tokens(text) if w not in STOPWORDS and len(w) > 2 and not w.isdigit()})


# -- quantities ---------------------------------------------------------------------------

_UNITS = {
    w: n
    for n, w in enumerate(
        _words(
            "zero one two three four five six seven eight nine ten eleven twelve "
            "thirteen fourteen fifteen sixteen seventeen eighteen nineteen"
        )
    )
}
_TENS = {
    w: 10 * n for n, w in enumerate(_words("_ _ twenty thirty forty fifty sixty seventy eighty ninety")) if w != "_"
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_MAGNITUDES = {
    "dozens": "dozens",
    "scores": "scores",
    "hundreds": "hundreds",
    "thousands": "thousands",
    "millions": "millions",
    "billions": "billions",
}
PAIRS = frozenset({"both", "bilateral", "pair", "twice"})  # words that count two, on a quote's side
_DIGITS = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w])")
_WORD_OR_NUMBER = re.compile(r"[A-Za-z]+|\d+(?:[.,]\d+)*")
_NUMBER_TOKEN = (
    r"(?:\b(?:tens|"
    + "|".join(sorted([*_UNITS, *_TENS, *_SCALES, *_MAGNITUDES, *PAIRS], key=len, reverse=True))
    + r")\b|\d+(?:[.,]\d+)*)"
)
# 'a hundred', 'tens of thousands'
_RUN_PATTERN = rf"(?:\ba[\s-]+)?{_NUMBER_TOKEN}(?:[\s-]+(?:(?:and|of)[\s-]+)?{_NUMBER_TOKEN})*"
_RUN = re.compile(_RUN_PATTERN)
_RUN_ANY_CASE = re.compile(_RUN_PATTERN, re.IGNORECASE)


@dataclass(frozen=True)
class Quantity:
    """A number as written ('35,000', 'five', 'tens of thousands') and what it means: a value, or a magnitude's name."""

    shown: str
    value: str  # '35000', '5', or '~tens of thousands'


def _value(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


@lru_cache(maxsize=1 << 12)
def quantities(text: str, pairs: bool = False) -> tuple[Quantity, ...]:
    """Every number in `text`: digits (with a scale word after them: '1.5 million'), number words, and magnitudes
    ('thousands', 'tens of thousands', 'dozens'). 'one' counts only before a scale word. With `pairs`, 'both' and
    'bilateral' count two (a quote's 'both leaders' supports a claim's 'the two leaders')."""
    found: list[Quantity] = []
    # matching lowercased text is three times quicker than ignoring case, where offsets stay the same
    lowered = text.lower()
    runs = _RUN.finditer(lowered) if len(lowered) == len(text) else _RUN_ANY_CASE.finditer(text)
    for run in runs:  # only the stretches made of numbers and number words are read word by word
        found += _quantities_in(text, run.start(), run.end(), pairs)
    return tuple(found)


def _quantities_in(text: str, begin: int, finish: int, pairs: bool) -> list[Quantity]:
    found: list[Quantity] = []
    words = [(m.group().lower(), m.start(), m.end()) for m in _WORD_OR_NUMBER.finditer(text, begin, finish)]
    i = 0
    while i < len(words):
        word, start, end = words[i]
        if word[0].isdigit():
            if not _DIGITS.fullmatch(text[start:end]) and not _DIGITS.match(text, start):
                i += 1
                continue
            number = float(word.replace(",", "")) if word.count(".") <= 1 else None
            if number is None:
                i += 1
                continue
            if i + 1 < len(words) and words[i + 1][0] in _SCALES and words[i + 1][0] != "hundred":
                number *= _SCALES[words[i + 1][0]]
                end = words[i + 1][2]
                i += 1
            found.append(Quantity(text[start:end], _value(number)))
            i += 1
            continue
        run, j = _number_words(words, i)
        if run is not None:
            found.append(Quantity(text[start : words[j - 1][2]], _value(run)))
            i = j
            continue
        if (
            word in ("tens", "hundreds")
            and i + 2 < len(words)
            and words[i + 1][0] == "of"
            and words[i + 2][0] in _MAGNITUDES
        ):
            found.append(Quantity(text[start : words[i + 2][2]], f"~{word} of {words[i + 2][0]}"))
            i += 3
            continue
        if word in _MAGNITUDES:
            found.append(Quantity(text[start:end], f"~{_MAGNITUDES[word]}"))
        elif pairs and word in PAIRS:
            found.append(Quantity(text[start:end], "2"))
        i += 1
    return found


def _number_words(words: list[tuple[str, int, int]], i: int) -> tuple[float | None, int]:
    """The value of the run of number words from `i` ('thirty-five thousand', 'a hundred'), and where it ends."""
    total, current, j, seen = 0.0, 0.0, i, False
    while j < len(words):
        word = words[j][0]
        if word in _UNITS and not (word == "one" and not (j + 1 < len(words) and words[j + 1][0] in _SCALES)):
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word in _SCALES and (seen or word != "hundred" or current):
            scale = _SCALES[word]
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = 0
        elif word == "a" and not seen and j + 1 < len(words) and words[j + 1][0] in _SCALES:
            current = 1
            j += 1
            seen = True
            continue
        elif word == "and" and seen and j + 1 < len(words) and (words[j + 1][0] in _UNITS or words[j + 1][0] in _TENS):
            j += 1
            continue
        else:
            break
        seen = True
        j += 1
    if not seen or (total + current) == 0:
        return None, i
    return total + current, j


# -- dates --------------------------------------------------------------------------------

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            (),
            ("January", "Jan"),
            ("February", "Feb"),
            ("March", "Mar"),
            ("April", "Apr"),
            ("May",),
            ("June", "Jun"),
            ("July", "Jul"),
            ("August", "Aug"),
            ("September", "Sept", "Sep"),
            ("October", "Oct"),
            ("November", "Nov"),
            ("December", "Dec"),
        ]
    )
    for name in names
}
MONTH_NAMES = ["", *dates.MONTHS]  # by number: MONTH_NAMES[5] is "May"
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?(?: of)? ({_MONTH})\b\.?")
_MONTH_DAY = re.compile(rf"\b({_MONTH})\.? (\d{{1,2}})(?:st|nd|rd|th)?(?![\d,]\d)\b")
_MONTH_ALONE = re.compile(rf"\b({_MONTH})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})(?:-(\d{2}))?\b")
_NUMERIC = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b")
_YEAR = re.compile(r"(?<![\w.,-])(1\d{3}|2\d{3})(?![\w])")


@dataclass
class DateParts:
    """The years, months and (month, day) pairs a text gives."""

    years: set[int]
    months: set[int]
    days: set[tuple[int, int]]


def date_parts(text: str) -> DateParts:
    """Years, months and days in `text`: '17 May', 'May 17', 'October 30', '2023-05-17', '17/05/2023' (read both
    ways)."""
    parts = DateParts({int(y) for y in _YEAR.findall(text)}, set(), set())
    for match in _ISO.finditer(text):
        parts.years.add(int(match.group(1)))
        if 1 <= int(match.group(2)) <= 12:
            parts.months.add(int(match.group(2)))
            if match.group(3):
                parts.days.add((int(match.group(2)), int(match.group(3))))
    for match in _NUMERIC.finditer(text):
        a, b = int(match.group(1)), int(match.group(2))
        parts.years.add(int(match.group(3)))
        for month, day in ((b, a), (a, b)):
            if 1 <= month <= 12:
                parts.months.add(month)
                parts.days.add((month, day))
    for match in _DAY_MONTH.finditer(text):
        parts.days.add((MONTHS[match.group(2)], int(match.group(1))))
    for match in _MONTH_DAY.finditer(text):
        parts.days.add((MONTHS[match.group(1)], int(match.group(2))))
    parts.months |= {MONTHS[m] for m in _MONTH_ALONE.findall(text)}
    return parts


def month_mentions(text: str) -> list[int]:
    """Months an analyst's text names, capitalised ('May', not 'may')."""
    return [MONTHS[m] for m in _MONTH_ALONE.findall(text) if len(m) > 3 or m == "May"]


# -- negation and hedges ------------------------------------------------------------------------

# 'refused to condemn' is 'did not condemn'
NEGATIONS = vocabulary(
    "not never no n't neither nor cannot refuse refuses refused refusing decline declines declined "
    "declining fail fails failed"
)
_AUXILIARIES = vocabulary(
    "be is are was were been being has have had do does did will would shall should can could may might must yet ever "
    "also "
    "even to a an the any longer always once been really"
)
ALLEGING = vocabulary(
    "alleged allegedly allegation allegations accused accuses accusing accusation accusations claim claims claimed "
    "claiming "
    "reportedly purportedly purported supposedly suspected rumoured rumored unconfirmed unverified"
)
DENYING = vocabulary(
    "deny denies denied denying denial denials reject rejects rejected rejecting dismissed dismisses refuted refutes "
    "rebuffed"
)


def negations_before(words: tuple[str, ...], at: int, reach: int = 4) -> int:
    """How many negations bear on the word at `at`: those just before it, with only auxiliaries between ('has not',
    'did not refuse to'), within `reach` words."""
    count = 0
    for word in reversed(words[max(0, at - reach) : at]):
        if word in NEGATIONS:
            count += 1
        elif word not in _AUXILIARIES:
            break
    return count


def clause_after(text: str, start: int, words: int = 8) -> str:
    """Up to `words` words of `text` from `start`, stopping at a comma, semicolon, colon, dash or bracket."""
    rest = re.split(r"[,;:()\u2014\u2013]| - |[.!?](?:\s|$)", text[start:], maxsplit=1)[0]
    return " ".join(rest.split()[:words])
