"""Year-over-year rules: this year against the year before (the latest earlier one).

A first year, with no earlier statistical year, raises none of them. The thresholds are data
(`resources/checks/year_over_year.json`) so that a county can change them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from db import codes
from db.models import CollectiveEconomy
from db.money import wan_sum
from db.year_facts import held_at, member_total
from desktop.checks.registry import ERROR, WARNING, Hit, rule
from desktop.checks.rules.common import org_hit, village_hit
from resources import code_table, load_json


@dataclass(frozen=True)
class Threshold:
    label: str
    unit: str
    percent: Decimal
    absolute: Decimal
    min_change: Decimal

    def exceeded(self, before, now) -> bool:
        """Whether the change from `before` to `now` needs a 说明: at least `min_change`,
        and more than `percent` of last year's figure or at least `absolute`."""
        change = abs(Decimal(now) - Decimal(before))
        if change < self.min_change:
            return False
        return change >= self.absolute or change * 100 > self.percent * abs(Decimal(before))

    def describe(self, year: int, before, now) -> str:
        change = Decimal(now) - Decimal(before)
        sign = "增加" if change > 0 else "减少"
        share = f"（{abs(change) * 100 / Decimal(before):.0f}%）" if before else ""
        return (
            f"{self.label}{now}{self.unit}，{year}年为{before}{self.unit}，"
            f"{sign}{abs(change)}{self.unit}{share}，变化较大，请核实并填写说明"
        )


@cache
def thresholds() -> dict[str, Threshold]:
    table = load_json("checks", "year_over_year.json")
    return {
        key: Threshold(
            value["label"],
            value["unit"],
            Decimal(str(value["percent"])),
            Decimal(str(value["absolute"])),
            Decimal(str(value["min_change"])),
        )
        for key, value in table.items()
        if isinstance(value, dict)
    }


def _removed_by(org, when: dt.date) -> bool:
    return org.dissolved is not None and org.dissolved <= when


@rule("Y01", ERROR, "年度对比", "上年有、本年无的党组织")
def organization_vanished(data):
    before = data.previous
    if before is None:
        return
    for org_id in before.org_years:
        org = data.all_organizations.get(org_id)
        if org is None or org_id in data.org_years or _removed_by(org, data.cutoff):
            continue
        yield org_hit(
            org,
            "dissolved",
            f"{before.year}年度有年度情况，本年度没有，也没有撤销日期：已撤销的请填写撤销日期，"
            "仍存在的请补录本年度情况",
        )


@rule("Y02", ERROR, "年度对比", "上年有、本年无的村(社区)")
def village_vanished(data):
    before = data.previous
    if before is None:
        return
    reporting = {v.id for v in data.villages}
    for village_id, village in before.villages.items():
        if village_id not in reporting:
            yield village_hit(
                village,
                "",
                f"{before.year}年度报送了本村(社区)，本年度没有年度情况，村(社区)也没有撤销记录："
                "请补录本年度的村民小组数、户数和人口",
            )


@rule("Y03", WARNING, "年度对比", "党组织党员数与上年相比变化较大")
def org_members_changed(data):
    before = data.previous
    if before is None:
        return
    limit = thresholds()["org_members"]
    for org in data.organizations:
        old = before.org_years.get(org.id)
        if old is None:
            continue
        now = data.org_years[org.id].members_total
        if limit.exceeded(old.members_total, now):
            yield org_hit(org, "members_full", limit.describe(before.year, old.members_total, now))


def _economy_changes(data, key: str, fields: tuple[str, ...]):
    before = data.previous
    if before is None:
        return
    limit = thresholds()[key]
    for village in data.villages:
        row, old = data.economy.get(village.id), before.economy.get(village.id)
        if row is None or old is None:
            continue
        now, then = wan_sum(row, fields), wan_sum(old, fields)
        if limit.exceeded(then, now):
            yield village_hit(
                village,
                fields[0],
                limit.describe(before.year, then, now),
                "collective_economy",
                row.id,
            )


@rule("Y04", WARNING, "年度对比", "村集体经济总收入与上年相比变化较大")
def total_income_changed(data):
    yield from _economy_changes(data, "village_total_income", CollectiveEconomy.INCOME_FIELDS)


@rule("Y05", WARNING, "年度对比", "村集体经营性收入与上年相比变化较大")
def operating_income_changed(data):
    yield from _economy_changes(
        data, "village_operating_income", CollectiveEconomy.OPERATING_FIELDS
    )


@rule("Y06", WARNING, "年度对比", "党组织工作经费与上年相比变化较大")
def funds_changed(data):
    before = data.previous
    if before is None:
        return
    limit = thresholds()["org_funds"]
    for org in data.organizations:
        old = before.org_years.get(org.id)
        if old is None:
            continue
        now, then = wan_sum(data.org_years[org.id], ("funds",)), wan_sum(old, ("funds",))
        if not limit.exceeded(then, now):
            continue
        message = limit.describe(before.year, then, now)
        if not now:
            message = f"本年度工作经费为0（{before.year}年为{then}万元），尚未填写的请补录，确无经费的请填写说明"
        yield org_hit(org, "funds", message)


def _township_hit(data, message: str) -> Hit:
    return Hit("township", 1, data.township.name, "", message)


@rule("Y07", WARNING, "年度对比", "乡镇党员总数与上年相比变化较大")
def township_members_changed(data):
    before = data.previous
    if before is None:
        return
    limit = thresholds()["township_members"]
    now = member_total(data.org_years.values())  # 表7's 党员总数, this year and last
    then = member_total(before.org_years.values())
    if limit.exceeded(then, now):
        yield _township_hit(data, limit.describe(before.year, then, now))


@rule("Y08", WARNING, "年度对比", "乡镇基层党组织总数与上年相比变化较大")
def township_organizations_changed(data):
    before = data.previous
    if before is None:
        return
    limit = thresholds()["township_organizations"]
    now, then = len(data.org_years), len(before.org_years)
    if limit.exceeded(then, now):
        yield _township_hit(data, limit.describe(before.year, then, now))


@rule("Y09", WARNING, "年度对比", "上年底在任、本年无职务且无离任日期的干部")
def post_vanished(data):
    """A post held at last year's cut-off that was deleted rather than ended (离任), of a
    cadre who now holds no post: the deleted post sits in the 回收站."""
    before = data.previous
    if before is None or not data.deleted_appointments:
        return
    holding = {a.cadre_id for a in data.appointments if held_at(a, data.cutoff)}
    cadres = {c.id: c for c in data.cadres}
    villages = {v.id: v.name for v in data.villages}
    reported = set()
    for row in data.deleted_appointments:
        cadre_id = row["cadre_id"]
        if cadre_id in holding or cadre_id in reported or not _held_on(row, before.cutoff):
            continue
        cadre = cadres.get(cadre_id)
        if cadre is None and "_cadre_name" not in row:
            continue
        reported.add(cadre_id)
        name = cadre.name if cadre else row["_cadre_name"]
        place = villages.get(cadre.village_id if cadre else row.get("village_id"), "")
        post = code_table("post").name_of(row["post"])
        what = "该干部已被删除（在回收站中）" if cadre is None else "该职务已被删除（在回收站中）"
        yield Hit(
            "cadre",
            cadre_id,
            f"{name}（{place}）" if place else name,
            "",
            f"{before.year}年底任{post}，本年度没有任何职务，也没有离任日期，{what}："
            "已离任的请恢复后填写离任日期",
        )


def _held_on(row: dict, when: dt.date) -> bool:
    start = row.get("start_date")
    end = row.get("end_date")
    return (start is None or dt.date.fromisoformat(str(start)) <= when) and (
        end is None or dt.date.fromisoformat(str(end)) > when
    )


@rule("Y10", WARNING, "年度对比", "分类定级在先进与后进之间跳变")
def rating_jump(data):
    before = data.previous
    if before is None:
        return
    names = {codes.ADVANCED: "先进", codes.BACKWARD: "后进"}
    for org in data.organizations:
        old = before.org_years.get(org.id)
        now = data.org_years[org.id].rating
        if old is None or {old.rating, now} != {codes.ADVANCED, codes.BACKWARD}:
            continue
        yield org_hit(
            org,
            "rating",
            f"分类定级由{before.year}年的“{names[old.rating]}”变为“{names[now]}”，"
            "跨档变化请核实并填写说明",
        )
