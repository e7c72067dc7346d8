"""Statistical years: which exist, which one a command means, and carrying one forward."""

from __future__ import annotations

import datetime as dt

from db import changelog, codes
from db.bulk import bulk_insert
from db.errors import UserError
from db.models import (
    ChangeLog,
    CollectiveEconomy,
    FindingNote,
    OrgYear,
    ProjectYear,
    StatYear,
    Training,
    VillageYear,
    database,
    now,
)


def years() -> list[int]:
    return [row.year for row in StatYear.select().order_by(StatYear.year)]


def resolve_year(year: int | None = None) -> StatYear:
    """The statistical year `year`, or the latest one; a clear refusal if there is none."""
    if year is None:
        latest = StatYear.select().order_by(StatYear.year.desc()).first()
        if latest is None:
            raise UserError("还没有任何统计年度，请先建立年度或生成示例数据。")
        return latest
    found = StatYear.get_or_none(StatYear.year == year)
    if found is None:
        have = "、".join(str(y) for y in years()) or "无"
        raise UserError(f"统计年度 {year} 不存在（已有年度：{have}）。")
    return found


def default_cutoff(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def create_year(year: int, cutoff: dt.date | None = None) -> StatYear:
    if not 1949 <= year <= 2200:
        raise UserError(f"统计年度 {year} 不是有效的年份。")
    if StatYear.get_or_none(StatYear.year == year):
        raise UserError(f"统计年度 {year} 已经存在。")
    return StatYear.create(year=year, cutoff_date=cutoff or default_cutoff(year))


def carry_forward(from_year: int, to_year: int | None = None, progress=None) -> dict[str, int]:
    """Open `to_year` (default: the next year) with everything that carries over.

    Villages and their figures, every organization still in existence with its members and
    creation status (ratings and 软弱涣散 are assessed anew each year), and every project not
    stopped, with its status. Cadres need no copying: their posts run by date. The earlier
    year is not touched. Returns how many rows of each kind were copied.
    `progress(text, percent)`, if given, hears how far it has got.
    """
    from db.backup import safety_backup

    source = resolve_year(from_year)
    to_year = to_year or from_year + 1
    if to_year <= from_year:
        raise UserError(f"只能结转到更晚的年度：{from_year} → {to_year}。")
    if StatYear.get_or_none(StatYear.year == to_year):
        raise UserError(f"统计年度 {to_year} 已经存在。")
    newest, this_year = max(years()), now().year
    if to_year > newest + 1:
        raise UserError(f"只能开始最新年度 {newest} 的下一年（{newest + 1}），不能开始 {to_year}。")
    if to_year > this_year + 1:
        raise UserError(
            f"现在是 {this_year} 年，最多只能开始 {this_year + 1} 年度，不能开始 {to_year} 年度。"
        )
    report = progress or (lambda _text, _percent: None)
    report("正在备份数据……", 10)
    safety_backup("before-carry-forward")
    report(f"正在结转到 {to_year} 年度……", 50)
    with database.atomic():
        target = create_year(to_year)
        village_rows = [
            {
                "village": row.village_id,
                "year": to_year,
                "group_count": row.group_count,
                "households": row.households,
                "population": row.population,
            }
            for row in VillageYear.select().where(VillageYear.year == from_year)
        ]
        org_rows = []
        query = (
            OrgYear.select(OrgYear, OrgYear.organization)
            .join(OrgYear.organization.rel_model)
            .where(OrgYear.year == from_year)
        )
        for row in query:
            dissolved = row.organization.dissolved
            if dissolved is not None and dissolved <= source.cutoff_date:
                continue
            org_rows.append(
                {
                    "organization": row.organization_id,
                    "year": to_year,
                    "members_full": row.members_full,
                    "members_probationary": row.members_probationary,
                    "members_female": row.members_female,
                    "members_minority": row.members_minority,
                    "members_35_under": row.members_35_under,
                    "members_college": row.members_college,
                    "creation": row.creation,
                    "creation_program": row.creation_program,
                    "standardized": row.standardized,
                    "funds": 0,
                }
            )
        project_rows = [
            {
                "project": row.project_id,
                "year": to_year,
                "status": row.status,
                "households_driven": row.households_driven,
            }
            for row in ProjectYear.select().where(
                (ProjectYear.year == from_year) & (ProjectYear.status != codes.STOPPED)
            )
        ]
        for model, rows in (
            (VillageYear, village_rows),
            (OrgYear, org_rows),
            (ProjectYear, project_rows),
        ):
            bulk_insert(model, rows)
        counts = {
            "villages": len(village_rows),
            "organizations": len(org_rows),
            "projects": len(project_rows),
        }
        changelog.log(
            "stat_year",
            target.year,
            "carry_forward",
            note=f"由 {from_year} 年度结转：村(社区) {counts['villages']} 个，"
            f"党组织 {counts['organizations']} 个，扶持项目 {counts['projects']} 个",
        )
    return counts


# what a year's rows hold that carry_forward leaves at its default: filled in means entered
ENTERED_FIELDS = {
    OrgYear: ("rating", "weak_lax", "weak_lax_rectified", "rectification", "funds"),
    ProjectYear: ("income", "dividend_collective", "dividend_households"),
    VillageYear: (),
}
YEAR_RECORDS = (
    (Training, "培训"),
    (CollectiveEconomy, "集体经济"),
    (FindingNote, "审核说明"),
)
CARRIED_LABELS = {
    VillageYear: "村(社区)年度情况",
    OrgYear: "党组织年度情况",
    ProjectYear: "项目年度情况",
}


def entered_in(year: int) -> list[str]:
    """What was entered in `year` since it was opened (in Chinese; empty if nothing): its
    own records (培训, 集体经济, 审核说明), carried rows changed in a form, or filled fields
    the carrying leaves empty."""
    found = []
    for model, label in YEAR_RECORDS:
        count = model.select().where(model.year == year).count()
        if count:
            found.append(f"{label} {count} 条")
    opened = (
        ChangeLog.select(ChangeLog.id)
        .where(
            (ChangeLog.table_name == "stat_year")
            & (ChangeLog.record_id == str(year))
            & (ChangeLog.action == "carry_forward")
        )
        .order_by(ChangeLog.id.desc())
        .scalar()
        or 0
    )
    for model, fields in ENTERED_FIELDS.items():
        ids = [str(r.id) for r in model.select(model.id).where(model.year == year)]
        changed = set()
        for start in range(0, len(ids), 500):
            changed.update(
                r.record_id
                for r in ChangeLog.select(ChangeLog.record_id).where(
                    (ChangeLog.table_name == model._meta.table_name)
                    & (ChangeLog.record_id.in_(ids[start : start + 500]))
                    & (ChangeLog.id > opened)
                )
            )
        filled = 0
        for name in fields:
            column = getattr(model, name)
            default = column.default
            filled += (
                model.select().where((model.year == year) & (column != default)).count()
                if default is not None
                else 0
            )
        if changed or filled:
            found.append(f"{CARRIED_LABELS[model]} {max(len(changed), filled)} 条已填写或修改")
    return found


def removal_refusal(year: int) -> str | None:
    """Why `year` cannot be removed (in Chinese), or None if it can."""
    resolve_year(year)
    have = years()
    if year != have[-1]:
        return f"只能删除最新的统计年度（{have[-1]}），不能删除 {year} 年度；数据未作改动。"
    if len(have) == 1:
        return f"{year} 是唯一的统计年度，不能删除；数据未作改动。"
    entered = entered_in(year)
    if entered:
        return f"{year} 年度已经录入了数据（{'；'.join(entered)}），不能删除；数据未作改动。"
    return None


def remove_year(year: int) -> dict[str, int]:
    """Remove the newest statistical year, opened by mistake, while nothing was entered
    in it; a backup is taken first. Returns how many carried rows were removed."""
    from db.backup import safety_backup

    refusal = removal_refusal(year)
    if refusal:
        raise UserError(refusal)
    safety_backup("before-remove-year")
    with database.atomic():
        counts = {
            "villages": VillageYear.delete().where(VillageYear.year == year).execute(),
            "organizations": OrgYear.delete().where(OrgYear.year == year).execute(),
            "projects": ProjectYear.delete().where(ProjectYear.year == year).execute(),
        }
        StatYear.delete().where(StatYear.year == year).execute()
        changelog.log(
            "stat_year",
            year,
            "remove_year",
            note=f"删除误开的 {year} 年度：村(社区) {counts['villages']} 个，"
            f"党组织 {counts['organizations']} 个，扶持项目 {counts['projects']} 条年度情况",
        )
    return counts
