"""Search keys for the lists: names, ID numbers and pinyin initials (`zs` finds 张三),
with every reading of a name, surnames with a second reading first of all."""

from __future__ import annotations

from functools import lru_cache

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


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


@lru_cache(maxsize=200_000)
def initials(name: str) -> tuple[str, ...]:
    """Every string of pinyin initials the name can be read as (at most 64): the surname
    in each of its readings, the given name as it is commonly read (`zs` finds 张三 but
    not 张俊, whose 俊 has rare readings in the dictionary)."""
    from pypinyin import Style, lazy_pinyin, pinyin  # imported lazily: 130 ms

    name = "".join(name.split())
    if not name:
        return ()
    surname, given = name[0], name[1:]
    if _is_han(surname):
        first = set(pinyin(surname, style=Style.FIRST_LETTER, heteronym=True)[0])
        first |= set(SURNAME_INITIALS.get(surname, ""))
    else:
        first = {surname.lower()}
    # the given name read as a phrase; latin letters and digits stand for themselves
    rest = "".join(
        letter[0] if letter else ""
        for letter in lazy_pinyin(given, style=Style.FIRST_LETTER, errors=lambda t: list(t))
    )
    readings = [(letter + rest).lower() for letter in sorted(first)]
    return tuple(readings[:MAX_READINGS])


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
