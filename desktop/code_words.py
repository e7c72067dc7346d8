"""Words people write for coded fields, turned into codes — one table for imports and forms.

The words live in `resources/codes/synonyms.json` (a county adds its own there, no code);
the code tables' own names always count too. Posts are written as counties write them:
党总支书记、村委会主任, 书记兼主任, 一肩挑, 社区居委会委员 … and a post is named for the kind of
village that holds it (居委会主任 in a 社区). `python -m desktop.code_words` prints the
generated list in docs/code-words.md.
"""

from __future__ import annotations

import re
from functools import cache

from db.codes import COMMUNITY
from resources import code_table, load_json

BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")"})


@cache
def _synonyms() -> dict:
    return load_json("codes", "synonyms.json")["tables"]


def rules(table: str) -> dict:
    """The synonym rules of one code table (words, and for some: suffix, contains …)."""
    return _synonyms().get(table, {})


@cache
def words(table: str) -> dict[str, str]:
    """Every accepted word of `table` → its code: the names (and a post's community names)
    first, then the synonyms."""
    found: dict[str, str] = {}
    for entry in code_table(table).entries:
        found[entry.name] = entry.code
        if entry.extra.get("community_name"):
            found[entry.extra["community_name"]] = entry.code
    for code, listed in rules(table).get("words", {}).items():
        for word in listed:
            found.setdefault(word, code)
    return found


def _normal(value, keep_spaces: bool = False) -> str:
    from desktop.imports.values import clean_text

    text = clean_text(value).translate(BRACKETS)
    return text if keep_spaces else text.replace(" ", "")


def code_for(value, table: str) -> str | None:
    """The code `value` stands for: a code itself, a name, a synonym, a short name
    (彝 → 彝族) or, where the table allows, the one longest word it contains (大学本科毕业).
    '' for a blank value, None for a word that maps to nothing (or to two codes)."""
    text = _normal(value)
    if not text:
        return ""
    table_codes = code_table(table)
    if text in table_codes:
        return text
    known = words(table)
    if text in known:
        return known[text]
    table_rules = rules(table)
    suffix = table_rules.get("suffix")
    if suffix and text + suffix in known:
        return known[text + suffix]
    if table_rules.get("contains"):
        inside = [w for w in known if w in text]
        if inside:
            longest = max(len(w) for w in inside)
            found = {known[w] for w in inside if len(w) == longest}
            if len(found) == 1:
                return found.pop()
    return None


def accepted(table: str) -> list[str]:
    """The names the clerk may choose from (the code table's own names, in order)."""
    return [entry.name for entry in code_table(table).entries]


def refusal(value, table: str) -> str:
    """The Chinese message for a word that maps to no code, with the names accepted."""
    names = accepted(table)
    hint = f"，可填：{'、'.join(names)}" if len(names) <= 15 else "，请从下拉列表中选择"
    return f"“{_normal(value)}”不是有效的{code_table(table).title}{hint}"


def parse_code(value, table: str) -> str:
    """The code of `value` ('' for blank); ValueError with a Chinese reason otherwise."""
    found = code_for(value, table)
    if found is None:
        raise ValueError(refusal(value, table))
    return found


# --- posts ----------------------------------------------------------------------------------


def post_name(code: str, village_kind: str | None = None) -> str:
    """The post's name as printed for a village of `village_kind`: 居委会主任 in a 社区,
    村委会主任 in a 行政村 (and where the kind is not known)."""
    if not code:
        return ""
    if village_kind == COMMUNITY:
        entry = next((e for e in code_table("post").entries if e.code == code), None)
        if entry is not None and entry.extra.get("community_name"):
            return entry.extra["community_name"]
    return code_table("post").name_of(code)


def post_names() -> list[str]:
    """Every name a post is shown with, in the table's order (the village name, then the
    community name): the choices of the cadre list's post filter."""
    names = []
    for entry in code_table("post").entries:
        names.append(entry.name)
        if entry.extra.get("community_name"):
            names.append(entry.extra["community_name"])
    return names


@cache
def _post_patterns() -> tuple[re.Pattern, re.Pattern, list[tuple[str, list[str]]]]:
    post = rules("post")
    separators = post.get("separators", "、,，;；/\\s")
    split = re.compile(f"[{separators}]+")
    combined = sorted(post.get("combined", {}).items(), key=lambda item: -len(item[0]))
    joiners = sorted(post.get("joiners", []), key=len, reverse=True)
    join = re.compile("|".join(re.escape(j) for j in joiners)) if joiners else re.compile("$^")
    boundary = f"(?:^|(?<=[{separators}()]))"
    marks = [(re.compile(boundary + re.escape(_normal(key))), codes) for key, codes in combined]
    return split, join, marks


def _one_post(part: str) -> str | None:
    """One title → its code: a name or word, else the same without a prefix such as 村."""
    known = words("post")
    if part in known:
        return known[part]
    for prefix in sorted(rules("post").get("prefixes", []), key=len, reverse=True):
        prefix = _normal(prefix)
        if part.startswith(prefix) and part[len(prefix) :] in known:
            return known[part[len(prefix) :]]
    return None


def _posts_of(part: str) -> list[str]:
    code = _one_post(part)
    if code is not None:
        return [code]
    match = re.fullmatch(r"(.*?)\((.*)\)(.*)", part)
    if match:  # 村委会主任(一肩挑), 委员(兼妇联主席)
        found = []
        for piece in match.groups():
            found += _posts_of(piece) if piece else []
        return found
    _split, join, _marks = _post_patterns()
    pieces = [p for p in join.split(part) if p]
    if len(pieces) > 1 or (pieces and pieces[0] != part):
        found = []
        for piece in pieces:
            found += _posts_of(piece)
        return found
    raise ValueError(f"职务“{part}”无法识别")


def parse_posts(text) -> list[str]:
    """Every post a 职务 cell names, in order, each once: “党总支书记、村委会主任（一肩挑）”
    → 11, 21. ValueError naming the title that means nothing."""
    split, _join, marks = _post_patterns()
    rest = _normal(text, keep_spaces=True)
    posts: list[str] = []
    for pattern, codes in marks:
        if pattern.search(rest):
            rest = pattern.sub("、", rest)
            posts += codes
    rest = re.sub(r"\(、*\)", "、", rest)  # what is left of “（一肩挑）”
    for part in split.split(rest):
        if part:
            posts += _posts_of(part)
    return list(dict.fromkeys(posts))


def parse_post(text) -> str | None:
    """One post typed into a form ('' for blank, None if it is not exactly one post)."""
    if not _normal(text):
        return ""
    try:
        found = parse_posts(text)
    except ValueError:
        return None
    return found[0] if len(found) == 1 else None


# --- the generated list in docs/ ------------------------------------------------------------


def words_markdown() -> str:
    """docs/code-words.md: every code, its name(s) and the words accepted for it."""
    from resources import resource_path

    tables = sorted(p.stem for p in resource_path("codes").glob("*.json"))
    tables = ["post", *[t for t in tables if t not in ("post", "synonyms")]]
    lines = [
        "# 代码字段的写法（同义词）",
        "",
        "Generated from `resources/codes/synonyms.json` and the code tables by",
        "`python -m desktop.code_words > docs/code-words.md`; a test fails when it is stale.",
        "Imports and forms accept, for each coded field, the code itself, its name, and the",
        "words listed here. Add a county's own words to the resource, not to the code.",
        "",
    ]
    for key in tables:
        table = code_table(key)
        table_rules = rules(key)
        lines += [f"## {table.title}（`{key}`）", ""]
        if table_rules.get("suffix"):
            lines += [f"名称可省略“{table_rules['suffix']}”字（如 彝 → 彝族）。", ""]
        if table_rules.get("contains"):
            lines += ["写法中包含唯一一个最长的已知写法时也认（如 大学本科毕业 → 大学本科）。", ""]
        community = any(e.extra.get("community_name") for e in table.entries)
        head = "| 代码 | 名称 | 社区名称 | 也认 |" if community else "| 代码 | 名称 | 也认 |"
        lines += [head, "|---|---|---|---|" if community else "|---|---|---|"]
        for entry in table.entries:
            own = {entry.name, entry.extra.get("community_name")}
            extra = [w for w in table_rules.get("words", {}).get(entry.code, []) if w not in own]
            cells = [entry.code, entry.name]
            if community:
                cells.append(entry.extra.get("community_name", ""))
            cells.append("、".join(extra))
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
        if key == "post":
            combined = table_rules.get("combined", {})
            lines += [
                "一格写几个职务时，用 "
                + " ".join(f"`{s}`" for s in "、，,；;/")
                + " 或空格分开，或写作“"
                + "”“".join(f"A{j}B" for j in table_rules.get("joiners", []))
                + "”；括号里的也算（如 村委会委员（兼妇联主席））。",
                "前面可带 " + "、".join(table_rules.get("prefixes", [])) + " 等字样。",
                "",
                "| 合并写法 | 拆成 |",
                "|---|---|",
            ]
            for key_word, codes in combined.items():
                lines.append(f"| {key_word} | {'、'.join(table.name_of(c) for c in codes)} |")
            lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(words_markdown(), end="")
