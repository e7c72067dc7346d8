"""The key figures of 表7 (REPORTS.md), one function each, computed from the data.

The GUI, the workbook and the command line all call these; nothing is typed by hand.
Posts count as held at the year's cut-off date (统计截止日期) when they started on or before
it and ended (if at all) after it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from peewee import fn

from db import codes
from db.models import (
    Appointment,
    Cadre,
    CollectiveEconomy,
    Enrollment,
    Organization,
    OrgYear,
    Project,
    ProjectYear,
    StatYear,
    Training,
    VillageYear,
)
from db.money import ZERO, percent, wan, wan_sum

# 收入分档 on 经营性收入 in 万元: lower bound included, upper excluded.
BANDS: tuple[tuple[str, Decimal | None, Decimal | None], ...] = (
    ("无经营性收入", None, Decimal("0.01")),
    ("5万元以下", Decimal("0.01"), Decimal(5)),
    ("5–10万元", Decimal(5), Decimal(10)),
    ("10–50万元", Decimal(10), Decimal(50)),
    ("50–100万元", Decimal(50), Decimal(100)),
    ("100万元及以上", Decimal(100), None),
)


def income_band(operating_wan: Decimal) -> str:
    """The 收入分档 of a village with `operating_wan` 万元 of 经营性收入 (as printed)."""
    for label, low, high in BANDS:
        if (low is None or operating_wan >= low) and (high is None or operating_wan < high):
            return label
    raise AssertionError(operating_wan)


def cutoff(year: int) -> dt.date:
    return StatYear.get(StatYear.year == year).cutoff_date


def held_at(when: dt.date):
    """The condition on Appointment for a post held on `when` (an unknown start: held)."""
    return (Appointment.start_date.is_null() | (Appointment.start_date <= when)) & (
        Appointment.end_date.is_null() | (Appointment.end_date > when)
    )


def age_on(birth: dt.date, when: dt.date) -> int:
    return when.year - birth.year - ((when.month, when.day) < (birth.month, birth.day))


# --- organizations and members ------------------------------------------------------------


def _orgs(year: int):
    return Organization.select().join(OrgYear).where(OrgYear.year == year)


def _org_years(year: int):
    return OrgYear.select().where(OrgYear.year == year)


def _member_sum(year: int, *columns) -> int:
    total = fn.COALESCE(fn.SUM(sum(columns[1:], columns[0])), 0)
    return _org_years(year).select(total).scalar()


def village_count(year: int) -> int:
    return VillageYear.select().where(VillageYear.year == year).count()


def villages_with_organization(year: int) -> int:
    return (
        VillageYear.select()
        .where(
            (VillageYear.year == year)
            & VillageYear.village.in_(_orgs(year).select(Organization.village))
        )
        .count()
    )


def group_count(year: int) -> int:
    query = VillageYear.select(fn.COALESCE(fn.SUM(VillageYear.group_count), 0))
    return query.where(VillageYear.year == year).scalar()


def group_branch_count(year: int) -> int:
    return (
        _orgs(year)
        .where((Organization.kind == codes.BRANCH) & (Organization.unit == codes.UNIT_GROUP))
        .count()
    )


def organization_count(year: int) -> int:
    return _orgs(year).count()


def committee_count(year: int) -> int:
    return _orgs(year).where(Organization.kind == codes.COMMITTEE).count()


def general_branch_count(year: int) -> int:
    return _orgs(year).where(Organization.kind == codes.GENERAL_BRANCH).count()


def branch_count(year: int) -> int:
    return _orgs(year).where(Organization.kind == codes.BRANCH).count()


def member_count(year: int) -> int:
    return _member_sum(year, OrgYear.members_full, OrgYear.members_probationary)


def minority_member_count(year: int) -> int:
    return _member_sum(year, OrgYear.members_minority)


def female_member_count(year: int) -> int:
    return _member_sum(year, OrgYear.members_female)


def rated_count(year: int) -> int:
    return _org_years(year).where(OrgYear.rating != "").count()


def advanced_count(year: int) -> int:
    return _org_years(year).where(OrgYear.rating == codes.ADVANCED).count()


def average_count(year: int) -> int:
    return _org_years(year).where(OrgYear.rating == codes.AVERAGE).count()


def backward_count(year: int) -> int:
    return _org_years(year).where(OrgYear.rating == codes.BACKWARD).count()


def weak_lax_count(year: int) -> int:
    return _org_years(year).where(OrgYear.weak_lax == True).count()  # noqa: E712


def demonstration_count(year: int) -> int:
    return _org_years(year).where(OrgYear.creation == codes.DEMONSTRATION).count()


def standard_count(year: int) -> int:
    return _org_years(year).where(OrgYear.creation == codes.STANDARD).count()


# --- cadres -------------------------------------------------------------------------------


def holders(year: int, *posts: str) -> list[Cadre]:
    """The distinct cadres holding any of `posts` at the year's cut-off date."""
    held = Appointment.select(Appointment.cadre).where(
        Appointment.post.in_(posts) & held_at(cutoff(year))
    )
    return list(Cadre.select().where(Cadre.id.in_(held)).order_by(Cadre.id))


def village_secretaries(year: int) -> list[Cadre]:
    return holders(year, codes.VILLAGE_SECRETARY)


def village_secretary_count(year: int) -> int:
    return len(village_secretaries(year))


def minority_secretary_count(year: int) -> int:
    return sum(1 for c in village_secretaries(year) if c.ethnicity != codes.HAN)


def secretary_age_sum(year: int) -> int:
    when = cutoff(year)
    return sum(age_on(c.birth_date, when) for c in village_secretaries(year))


def highest_education(cadre: Cadre) -> str:
    """The better of 全日制 and 在职 education (codes are ordered: smaller is higher)."""
    given = [e for e in (cadre.education_fulltime, cadre.education_inservice) if e]
    return min(given) if given else ""


def college_secretary_count(year: int) -> int:
    college = codes.college_codes()
    return sum(1 for c in village_secretaries(year) if highest_education(c) in college)


def _villages_holding(year: int, post: str) -> dict[int, set[int]]:
    """village id → the cadres holding `post` there at the cut-off date."""
    found: dict[int, set[int]] = {}
    query = Appointment.select(Appointment.village, Appointment.cadre).where(
        (Appointment.post == post) & held_at(cutoff(year)) & Appointment.village.is_null(False)
    )
    for village_id, cadre_id in query.tuples():
        found.setdefault(village_id, set()).add(cadre_id)
    return found


def one_shoulder_villages(year: int) -> int:
    """Villages whose party secretary is also the 村委会主任 (一肩挑)."""
    secretaries = _villages_holding(year, codes.VILLAGE_SECRETARY)
    directors = _villages_holding(year, codes.VILLAGE_DIRECTOR)
    return sum(1 for v, people in secretaries.items() if people & directors.get(v, set()))


def villages_with_first_secretary(year: int) -> int:
    return len(_villages_holding(year, codes.FIRST_SECRETARY))


def first_secretary_count(year: int) -> int:
    return len(holders(year, codes.FIRST_SECRETARY))


def work_team_count(year: int) -> int:
    return len(holders(year, codes.TEAM_LEADER, codes.TEAM_MEMBER))


def enrolled_count(year: int) -> int:
    when = cutoff(year)
    return (
        Enrollment.select(fn.COUNT(fn.DISTINCT(Enrollment.cadre)))
        .where(
            (Enrollment.status == codes.ENROLLED)
            & (Enrollment.start_date <= when)
            & (Enrollment.end_date.is_null() | (Enrollment.end_date > when))
        )
        .scalar()
    )


def training_sessions(year: int) -> int:
    query = Training.select(fn.COALESCE(fn.SUM(Training.sessions), 0))
    return query.where(Training.year == year).scalar()


def training_attendances(year: int) -> int:
    query = Training.select(fn.COALESCE(fn.SUM(Training.attendances), 0))
    return query.where(Training.year == year).scalar()


# --- collective economy and projects ------------------------------------------------------


def economy_rows(year: int) -> list[CollectiveEconomy]:
    return list(CollectiveEconomy.select().where(CollectiveEconomy.year == year))


def total_income_wan(row: CollectiveEconomy) -> Decimal:
    return wan_sum(row, CollectiveEconomy.INCOME_FIELDS)


def operating_income_wan(row: CollectiveEconomy) -> Decimal:
    return wan_sum(row, CollectiveEconomy.OPERATING_FIELDS)


def collective_income(year: int) -> Decimal:
    return sum((total_income_wan(r) for r in economy_rows(year)), ZERO)


def villages_operating_10_or_more(year: int) -> int:
    return sum(1 for r in economy_rows(year) if operating_income_wan(r) >= 10)


def villages_operating_under_5(year: int) -> int:
    """Villages with some 经营性收入 but less than 5万元: 表5's band 5万元以下, those with
    none counted apart (`villages_without_operating_income`)."""
    return band_counts(year)["5万元以下"]


def villages_without_operating_income(year: int) -> int:
    return band_counts(year)["无经营性收入"]


def band_counts(year: int) -> dict[str, int]:
    counts = {label: 0 for label, _, _ in BANDS}
    for row in economy_rows(year):
        counts[income_band(operating_income_wan(row))] += 1
    return counts


def projects_of(year: int) -> list[Project]:
    """Projects reported in `year` (those with a yearly record)."""
    return list(Project.select().join(ProjectYear).where(ProjectYear.year == year))


def project_investment_wan(project: Project) -> Decimal:
    return wan_sum(project, Project.FUND_FIELDS)


def project_count(year: int) -> int:
    return len(projects_of(year))


def project_investment(year: int) -> Decimal:
    return sum((project_investment_wan(p) for p in projects_of(year)), ZERO)


def project_income(year: int) -> Decimal:
    rows = ProjectYear.select().where(ProjectYear.year == year)
    return sum((wan(r.income) for r in rows), ZERO)


# Additive quantities: a county's are the sums of its townships'. Every key figure is
# computed from them, so a township and a county merge use the same formulas.
BASE_COUNTS: dict[str, Callable[[int], int | Decimal]] = {
    "villages": village_count,
    "villages_with_organization": villages_with_organization,
    "groups": group_count,
    "group_branches": group_branch_count,
    "organizations": organization_count,
    "committees": committee_count,
    "general_branches": general_branch_count,
    "branches": branch_count,
    "members": member_count,
    "members_minority": minority_member_count,
    "members_female": female_member_count,
    "rated": rated_count,
    "advanced": advanced_count,
    "average": average_count,
    "backward": backward_count,
    "weak_lax": weak_lax_count,
    "demonstration": demonstration_count,
    "standard": standard_count,
    "secretaries": village_secretary_count,
    "secretaries_minority": minority_secretary_count,
    "secretary_age_sum": secretary_age_sum,
    "secretaries_college": college_secretary_count,
    "one_shoulder": one_shoulder_villages,
    "villages_first_secretary": villages_with_first_secretary,
    "first_secretaries": first_secretary_count,
    "work_team": work_team_count,
    "enrolled": enrolled_count,
    "training_sessions": training_sessions,
    "training_attendances": training_attendances,
    "collective_income": collective_income,
    "operating_10_or_more": villages_operating_10_or_more,
    "operating_under_5": villages_operating_under_5,
    "operating_none": villages_without_operating_income,
    "projects": project_count,
    "project_investment": project_investment,
    "project_income": project_income,
}


def base_counts(year: int) -> dict[str, int | Decimal]:
    return {name: count(year) for name, count in BASE_COUNTS.items()}


def _mean_age(b) -> Decimal:
    if not b["secretaries"]:
        return Decimal("0.0")
    mean = Decimal(b["secretary_age_sum"]) / b["secretaries"]
    return mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _per_village(b) -> Decimal:
    return wan(b["collective_income"] * 10000 / b["villages"]) if b["villages"] else ZERO


def _count(name: str) -> Callable[[dict], int | Decimal]:
    return lambda b: b[name]


KEY_FIGURES: tuple[tuple[str, Callable[[dict], int | Decimal]], ...] = (
    ("行政村(社区)数", _count("villages")),
    ("已建立党组织的村(社区)数", _count("villages_with_organization")),
    ("村民小组数", _count("groups")),
    ("村民小组党支部数", _count("group_branches")),
    ("基层党组织总数", _count("organizations")),
    ("党委数", _count("committees")),
    ("党总支数", _count("general_branches")),
    ("党支部数", _count("branches")),
    ("党员总数", _count("members")),
    ("少数民族党员占比(%)", lambda b: percent(b["members_minority"], b["members"])),
    ("女党员占比(%)", lambda b: percent(b["members_female"], b["members"])),
    ("开展分类定级的党组织数", _count("rated")),
    ("先进党组织数", _count("advanced")),
    ("一般党组织数", _count("average")),
    ("后进党组织数", _count("backward")),
    ("软弱涣散党组织数", _count("weak_lax")),
    ("示范创建党组织数", _count("demonstration")),
    ("达标创建党组织数", _count("standard")),
    ("村党组织书记数", _count("secretaries")),
    ("少数民族村党组织书记占比(%)", lambda b: percent(b["secretaries_minority"], b["secretaries"])),
    ("村党组织书记平均年龄", _mean_age),
    (
        "大专及以上学历村党组织书记占比(%)",
        lambda b: percent(b["secretaries_college"], b["secretaries"]),
    ),
    ("一肩挑村(社区)数", _count("one_shoulder")),
    ("选派驻村第一书记的村(社区)数", _count("villages_first_secretary")),
    ("驻村第一书记人数", _count("first_secretaries")),
    ("驻村工作队员人数", _count("work_team")),
    ("学历提升在读人数", _count("enrolled")),
    ("培训期数", _count("training_sessions")),
    ("培训人次", _count("training_attendances")),
    ("村级集体经济总收入(万元)", _count("collective_income")),
    ("村均集体经济总收入(万元)", _per_village),
    ("经营性收入10万元及以上村数", _count("operating_10_or_more")),
    ("经营性收入5万元以下村数（不含无经营性收入的村）", _count("operating_under_5")),
    ("无经营性收入村数", _count("operating_none")),
    ("扶持项目数", _count("projects")),
    ("扶持项目总投资(万元)", _count("project_investment")),
    ("扶持项目当年收益(万元)", _count("project_income")),
)


def figures_from(base: dict[str, int | Decimal]) -> list[tuple[str, int | Decimal]]:
    """The 表7 figures from base counts: a township's, or the sums of a county's townships."""
    return [(label, figure(base)) for label, figure in KEY_FIGURES]


def sum_base_counts(many: list[dict[str, int | Decimal]]) -> dict[str, int | Decimal]:
    return {name: sum(b[name] for b in many) for name in BASE_COUNTS}


def key_figures(year: int) -> list[tuple[str, int | Decimal]]:
    """Every 表7 figure for `year`, in the report's order, labels exactly as printed."""
    return figures_from(base_counts(year))
