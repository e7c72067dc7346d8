"""Search keys for the lists: names, ID numbers and pinyin initials (`zs` finds 张三),
with every reading of a name, surnames with a second reading first of all."""

from __future__ import annotations

from functools import lru_cache
from itertools import product

# Surnames whose reading as a surname differs from the common one (REPORTS.md), plus a few
# more that pypinyin's heteronym list misses.
SURNAME_INITIALS = {
    "单": "sdc",
    "曾": "zc",
    "解": "xj",
    "仇": "qc",
    "区": "oq",
    "朴": "p",
    "查": "zc",
    "乐": "yl",
    "尉": "yw",
    "盖": "g",
    "缪": "m",
    "万": "wm",
    "覃": "qt",
    "种": "cz",
    "翟": "zd",
    "召": "sz",
    "员": "y",
    "华": "h",
    "黑": "h",
    "繁": "pf",
    "蔺": "l",
}
MAX_READINGS = 64


@lru_cache(maxsize=200_000)
def initials(name: str) -> tuple[str, ...]:
    """Every string of pinyin initials the name can be read as (at most 64)."""
    from pypinyin import Style, pinyin  # imported lazily: 130 ms

    name = name.strip()
    if not name:
        return ()
    if all("\u4e00" <= ch <= "\u9fff" for ch in name):
        found = pinyin(name, style=Style.FIRST_LETTER, heteronym=True)
        letters = [sorted(set(options)) for options in found]
    else:  # mixed with latin letters or digits: those stand for themselves
        letters = [
            sorted(set(pinyin(ch, style=Style.FIRST_LETTER, heteronym=True)[0]))
            if "\u4e00" <= ch <= "\u9fff"
            else [ch.lower()]
            for ch in name
            if not ch.isspace()
        ]
    if name[0] in SURNAME_INITIALS:
        letters[0] = sorted(set(letters[0]) | set(SURNAME_INITIALS[name[0]]))
    readings = []
    for combo in product(*letters):
        readings.append("".join(combo).lower())
        if len(readings) >= MAX_READINGS:
            break
    return tuple(readings)


def search_key(name: str, *other: str) -> str:
    """One lowercase string a typed query is looked for in; the name's initials are marked
    with ^ so that letters match from the start of a name (`zs` finds 张三, not 李子山)."""
    return " ".join([name, *other, *("^" + i for i in initials(name))]).lower()


def text_key(*fields: str) -> str:
    """A search key without pinyin initials (places and organizations are found by name)."""
    return " ".join(fields).lower()


def matches(query: str, key: str) -> bool:
    """Every word of the query occurs in the key (`zs 麻旺` finds 张三 of 麻旺村); a word of
    latin letters is taken as the start of a name's initials."""
    for word in query.lower().split():
        if word.isascii() and word.isalpha():
            if "^" + word not in key and word not in key.split("^")[0]:
                return False
        elif word not in key:
            return False
    return True
