"""Which of the township's villages a name typed elsewhere means — one resolver for every
import (and the county merge): 永安 → 永安村, 东华 → 东华社区, 永安村委会 → 永安村,
东华社区居民委员会 → 东华社区. A short form that fits two villages is refused naming both; a
name that fits none is not one of ours (refused, or created only when the clerk confirms it).
Also: whether a table's title names another township."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from db import codes
from desktop.imports.values import clean_text

# the endings a village's or community's name is written with, longest first
KIND_SUFFIXES = sorted(
    [
        ("村民委员会", codes.VILLAGE),
        ("村委会", codes.VILLAGE),
        ("村委", codes.VILLAGE),
        ("行政村", codes.VILLAGE),
        ("村", codes.VILLAGE),
        ("社区居民委员会", codes.COMMUNITY),
        ("社区居委会", codes.COMMUNITY),
        ("居民委员会", codes.COMMUNITY),
        ("居委会", codes.COMMUNITY),
        ("社区", codes.COMMUNITY),
        ("委员会", None),
    ],
    key=lambda item: -len(item[0]),
)
KIND_WORDS = {codes.VILLAGE: "村", codes.COMMUNITY: "社区"}


def core_name(name: str) -> tuple[str, str | None]:
    """(the name without its ending, the kind the ending says or None): 永安村委会 → 永安, 村."""
    text = re.sub(r"\s+", "", clean_text(name)).replace("（", "(").replace("）", ")")
    text = text.replace("(社区)", "")
    for suffix, kind in KIND_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)], kind
    return text, None


class VillageNames:
    """The township's villages (objects with .name and .kind), looked up as typed."""

    def __init__(self, villages: Iterable, township: str = ""):
        self.villages = list(villages)
        self.by_name = {v.name: v for v in self.villages}
        self.by_core: dict[str, list] = defaultdict(list)
        for v in self.villages:
            self.by_core[core_name(v.name)[0]].append(v)
        self.township = township

    def resolve(self, typed: str):
        """The village `typed` means, or None if none of ours; ValueError if it could be two."""
        text = re.sub(r"\s+", "", clean_text(typed))
        if not text:
            return None
        if text in self.by_name:
            return self.by_name[text]
        if self.township and text.startswith(self.township) and len(text) > len(self.township):
            text = text[len(self.township) :]  # 妥甸镇永安村
            if text in self.by_name:
                return self.by_name[text]
        core, kind = core_name(text)
        matches = [v for v in self.by_core.get(core, []) if kind is None or v.kind == kind]
        if len(matches) > 1:
            names = "、".join(v.name for v in matches)
            raise ValueError(f"“{clean_text(typed)}”可能是{names}，请写全称")
        return matches[0] if matches else None

    def unknown_message(self, typed: str) -> str:
        """Why `typed` is refused, with the near miss (东华村 when we have 东华社区)."""
        core, _ = core_name(typed)
        near = [v.name for v in self.by_core.get(core, [])]
        hint = f"（本乡镇有{'、'.join(near)}，是否写错？）" if near else ""
        return (
            f"“{clean_text(typed)}”不是本乡镇已有的村(社区){hint}；如确需新建，请在导入预览中"
            f"确认新建，或在命令行加 --new-villages {clean_text(typed)}"
        )


TOWNSHIP = r"[\u4e00-\u9fff]{1,8}?(?:镇|乡(?![村镇])|街道)"
UNIT_LINE = re.compile(
    r"(?:填报|报送|填表)?单位[^：:]*[：:]\s*(?:[\u4e00-\u9fff]+?[县市区])?(" + TOWNSHIP + ")"
)
TITLE_LINE = re.compile(
    r"^(?:\d{4}\s*年度?)?(?:[\u4e00-\u9fff]+?[州县市区](?!场))?(" + TOWNSHIP + r")(?!镇)"
)
NOT_A_TOWNSHIP = ("乡镇", "城镇", "村镇", "各乡", "全乡", "全镇")


def townships_named(rows: list[list]) -> list[str]:
    """The townships a table's title or 填报单位 line names (rows above its header)."""
    found = []
    for row in rows:
        for value in row:
            text = re.sub(r"\s+", "", clean_text(value))
            if not text:
                continue
            for pattern in (UNIT_LINE, TITLE_LINE):
                match = pattern.search(text)
                if match and not any(w in match.group(1) for w in NOT_A_TOWNSHIP):
                    found.append(match.group(1))
    return found


def other_township(rows: list[list], ours: str) -> str | None:
    """Another township the title rows name (and not ours), or None."""
    named = townships_named(rows)
    if not named or any(ours in name or name in ours for name in named):
        return None
    return named[0]


def resolve_village(plan, names: VillageNames, typed: str) -> tuple[str, str]:
    """(the village's stored name, '') for one of ours or a new one the clerk confirmed;
    (the name as typed, why it is refused) otherwise. Notes unknown and new names on `plan`."""
    try:
        found = names.resolve(typed)
    except ValueError as exc:
        return typed, str(exc)
    if found is not None:
        return found.name, ""
    if typed in plan.confirmed_villages:
        if typed not in plan.new_villages:
            plan.new_villages.append(typed)
        return typed, ""
    if typed not in plan.unknown_villages:
        plan.unknown_villages.append(typed)
    return typed, names.unknown_message(typed)


def refuse_other_township(plan, title_rows, ours, villages_outside, foreign_ids=(0, 0)) -> None:
    """Refuse the whole file (UserError) when most of its villages are not ours and its
    title or 填报单位 names another township, or most ID numbers are from another county.
    `villages_outside` and `foreign_ids` are (how many, of how many rows)."""
    from db.errors import UserError

    outside, total = villages_outside
    if total < 2 or outside * 2 <= total:
        return
    where = f"“{plan.source.name}”中{total}行有{outside}行的村(社区)不是{ours.name}已有的"
    other = other_township(title_rows, ours.name)
    if other:
        raise UserError(
            f"{where}，表头写的填报单位是{other}：这是{other}的表，不能导入到{ours.name}，"
            "整个文件未导入。如确是本乡镇的表，请先改正表头的单位名称。"
        )
    foreign, people = foreign_ids
    if plan.unknown_villages and people >= 2 and foreign * 2 > people:
        raise UserError(
            f"{where}，{people}人中有{foreign}人的身份证号不是本县（{ours.division_code[:6]}）"
            "的：这像是另一个乡镇的花名册，整个文件未导入。请核对文件；如确是本乡镇的，"
            "请确认新建这些村(社区)后再导入。"
        )
