"""The facts of one statistical year, from its loaded data (`db.year_data.YearData`).

Every figure the program shows, prints or checks takes its facts from these plain functions:
表7 (`db.statistics`), the report sheets, the lists, the overview, the 审核 rules and, through
the base quantities, the county merge. A fact is defined here once and nowhere else.

A post counts as held at the year's cut-off date (统计截止日期) when it started on or before
it (an unknown start counts as before) and ended, if at all, after it. Village facts count
the villages reporting in the year (those with a VillageYear) — 村 and 社区 alike.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

from db import codes
from db.models import Appointment, Cadre, CollectiveEconomy, Organization, Project
from db.money import ZERO, wan, wan_sum
from db.year_data import YearData
from resources import code_table

# The village 两委: the party branch committee and the villagers' committee.
COMMITTEE_POSTS = frozenset(
    {
        codes.VILLAGE_SECRETARY,
        codes.VILLAGE_DEPUTY_SECRETARY,
        codes.VILLAGE_PARTY_COMMITTEE_MEMBER,
        codes.VILLAGE_DIRECTOR,
        codes.VILLAGE_DEPUTY_DIRECTOR,
        codes.VILLAGE_COMMITTEE_MEMBER,
    }
)
ONE_SHOULDER_POSTS = frozenset({codes.VILLAGE_SECRETARY, codes.VILLAGE_DIRECTOR})
# 表1's rows for organizations outside the villages, by org_field's "row".
FIELD_ROWS = ("机关", "企事业单位", "非公企业", "社会组织", "其他")

# 收入分档 on 经营性收入 in 万元: lower bound included, upper excluded.
BANDS: tuple[tuple[str, Decimal | None, Decimal | None], ...] = (
    ("无经营性收入", None, Decimal("0.01")),
    ("5万元以下", Decimal("0.01"), Decimal(5)),
    ("5–10万元", Decimal(5), Decimal(10)),
    ("10–50万元", Decimal(10), Decimal(50)),
    ("50–100万元", Decimal(50), Decimal(100)),
    ("100万元及以上", Decimal(100), None),
)


# --- one record -----------------------------------------------------------------------------


def held_at(appointment: Appointment, when: dt.date) -> bool:
    """Whether the post was held on `when` (the end date is the day it was left); a post
    whose start is unknown counts as held since before `when`."""
    start = appointment.start_date
    return (start is None or start <= when) and (
        appointment.end_date is None or appointment.end_date > when
    )


def age_on(birth: dt.date, when: dt.date) -> int:
    return when.year - birth.year - ((when.month, when.day) < (birth.month, birth.day))


def highest_education(cadre: Cadre) -> str:
    """The better of 全日制 and 在职 education (codes are ordered: smaller is higher)."""
    given = [e for e in (cadre.education_fulltime, cadre.education_inservice) if e]
    return min(given) if given else ""


def is_one_shoulder(posts) -> bool:
    """Whether the post codes one person holds in one village make 一肩挑."""
    return set(posts) >= ONE_SHOULDER_POSTS


def income_band(operating_wan: Decimal) -> str:
    """The 收入分档 of a village with `operating_wan` 万元 of 经营性收入 (as printed)."""
    for label, low, high in BANDS:
        if (low is None or operating_wan >= low) and (high is None or operating_wan < high):
            return label
    raise AssertionError(operating_wan)


def total_income_wan(row: CollectiveEconomy) -> Decimal:
    return wan_sum(row, CollectiveEconomy.INCOME_FIELDS)


def operating_income_wan(row: CollectiveEconomy) -> Decimal:
    return wan_sum(row, CollectiveEconomy.OPERATING_FIELDS)


def project_investment_wan(project: Project) -> Decimal:
    return wan_sum(project, Project.FUND_FIELDS)


# --- posts held at the cut-off ----------------------------------------------------------------


def held_posts(data: YearData, *posts: str) -> list[Appointment]:
    """The appointments held at the cut-off date (of `posts` only, if any are named)."""
    held = data.held
    if held is None:  # computed once per loaded year: most facts start from it
        held = data.held = [a for a in data.appointments if held_at(a, data.cutoff)]
    return [a for a in held if a.post in posts] if posts else list(held)


def holders(data: YearData, *posts: str) -> list[Cadre]:
    """The distinct cadres holding any of `posts` (any post, if none named) at the cut-off."""
    ids = {a.cadre_id for a in held_posts(data, *posts)}
    return [c for c in data.cadres if c.id in ids]


def village_holders(data: YearData, post: str) -> dict[int, list[int]]:
    """Reporting village id → the cadre ids holding `post` there at the cut-off date, in the
    order of their appointments."""
    found: dict[int, list[int]] = {}
    for a in held_posts(data, post):
        if a.village_id in data.village_years:
            found.setdefault(a.village_id, []).append(a.cadre_id)
    return found


def village_secretaries(data: YearData) -> dict[int, list[int]]:
    """Reporting village id → its party secretaries (cadre ids) at the cut-off date."""
    return village_holders(data, codes.VILLAGE_SECRETARY)


def organization_secretaries(data: YearData) -> dict[int, int]:
    """Organization id → the cadre id of its secretary at the cut-off (the first appointed,
    if the data names several)."""
    found: dict[int, int] = {}
    for a in held_posts(data, *codes.SECRETARY_POSTS):
        if a.organization_id:
            found.setdefault(a.organization_id, a.cadre_id)
    return found


def committee_posts(data: YearData) -> dict[tuple[int, int], list[Appointment]]:
    """(reporting village id, cadre id) → the 两委 posts that person holds there at the
    cut-off date: the village 两委 membership."""
    held: dict[tuple[int, int], list[Appointment]] = {}
    for a in held_posts(data, *COMMITTEE_POSTS):
        if a.village_id in data.village_years:
            held.setdefault((a.village_id, a.cadre_id), []).append(a)
    return held


def committee_members(data: YearData) -> list[Cadre]:
    """The village 两委 members in post at the cut-off date (each person once)."""
    ids = {cadre_id for _, cadre_id in committee_posts(data)}
    return [c for c in data.cadres if c.id in ids]


def one_shoulder_villages(data: YearData) -> set[int]:
    """Reporting villages whose party secretary is also the 村委会主任 (一肩挑)."""
    return {
        village_id
        for (village_id, _), posts in committee_posts(data).items()
        if is_one_shoulder(a.post for a in posts)
    }


def first_secretary_villages(data: YearData) -> set[int]:
    """Reporting villages — 村 and 社区 — with a 驻村第一书记 at the cut-off date."""
    return set(village_holders(data, codes.FIRST_SECRETARY))


# --- organizations and members ------------------------------------------------------------


def organizations_per_village(data: YearData) -> Counter:
    """Village id → how many organizations reporting in the year belong to it."""
    return Counter(o.village_id for o in data.organizations if o.village_id)


def organization_groups(data: YearData) -> dict[object, list[Organization]]:
    """表1's rows: reporting village id → its village organizations, then a FIELD_ROWS label
    → the organizations of that field (every reporting organization in exactly one)."""
    village_fields = code_table("org_field").where("village")
    field_row = {e.code: e.extra.get("row") for e in code_table("org_field").entries}
    groups: dict[object, list[Organization]] = {v.id: [] for v in data.villages}
    groups.update({label: [] for label in FIELD_ROWS})
    for org in data.organizations:
        if org.field in village_fields and org.village_id in groups:
            groups[org.village_id].append(org)
        else:
            label = field_row.get(org.field)
            groups[label if label in FIELD_ROWS else "其他"].append(org)
    return groups


def member_total(org_years) -> int:
    """党员 of the given organization-years: 正式 + 预备 (this year's or last year's)."""
    return sum(y.members_total for y in org_years)


def organization_counts(data: YearData, orgs: list[Organization]) -> dict[str, int]:
    """The organization and member counts of `orgs` in the year (表1's columns)."""
    years = [data.org_years[o.id] for o in orgs]
    branches = [o for o in orgs if o.kind == codes.BRANCH]
    return {
        "orgs": len(orgs),
        "committees": sum(o.kind == codes.COMMITTEE for o in orgs),
        "general_branches": sum(o.kind == codes.GENERAL_BRANCH for o in orgs),
        "branches": len(branches),
        "group_branches": sum(o.unit == codes.UNIT_GROUP for o in branches),
        "grid_branches": sum(o.unit == codes.UNIT_GRID for o in branches),
        "temporary_branches": sum(bool(o.temporary) for o in branches),
        "members": member_total(years),
        "members_full": sum(y.members_full for y in years),
        "members_probationary": sum(y.members_probationary for y in years),
        "members_female": sum(y.members_female for y in years),
        "members_minority": sum(y.members_minority for y in years),
        "members_35_under": sum(y.members_35_under for y in years),
        "members_college": sum(y.members_college for y in years),
        "rated": sum(y.rating != "" for y in years),
        "advanced": sum(y.rating == codes.ADVANCED for y in years),
        "average": sum(y.rating == codes.AVERAGE for y in years),
        "backward": sum(y.rating == codes.BACKWARD for y in years),
        "weak_lax": sum(bool(y.weak_lax) for y in years),
        "demonstration": sum(y.creation == codes.DEMONSTRATION for y in years),
        "standard": sum(y.creation == codes.STANDARD for y in years),
    }


# --- education, collective economy and projects ----------------------------------------------


def enrolled_cadres(data: YearData) -> set[int]:
    """Cadres in a 学历提升 course at the cut-off date."""
    when = data.cutoff
    return {
        e.cadre_id
        for e in data.enrollments
        if e.status == codes.ENROLLED
        and e.start_date is not None
        and e.start_date <= when
        and (e.end_date is None or e.end_date > when)
    }


def economy_rows(data: YearData) -> list[CollectiveEconomy]:
    """The collective-economy accounts of the reporting villages, in village order (表5)."""
    return [data.economy[v.id] for v in data.villages if v.id in data.economy]


def band_counts(data: YearData) -> dict[str, int]:
    counts = {label: 0 for label, _, _ in BANDS}
    for row in economy_rows(data):
        counts[income_band(operating_income_wan(row))] += 1
    return counts


# --- the base quantities of 表1–表7 -------------------------------------------------------


def base_counts(data: YearData) -> dict[str, int | Decimal]:
    """The additive quantities every 表7 figure is computed from: a county's are the sums of
    its townships' (db.statistics.figures_from turns either into the figures)."""
    counts = organization_counts(data, data.organizations)
    secretaries = holders(data, codes.VILLAGE_SECRETARY)
    college = codes.college_codes()
    economy = economy_rows(data)
    operating = [operating_income_wan(r) for r in economy]
    return {
        "villages": len(data.villages),
        "villages_with_organization": len(
            set(organizations_per_village(data)) & set(data.village_years)
        ),
        "groups": sum(data.village_years[v.id].group_count for v in data.villages),
        "group_branches": counts["group_branches"],
        "organizations": counts["orgs"],
        "committees": counts["committees"],
        "general_branches": counts["general_branches"],
        "branches": counts["branches"],
        "members": counts["members"],
        "members_minority": counts["members_minority"],
        "members_female": counts["members_female"],
        "rated": counts["rated"],
        "advanced": counts["advanced"],
        "average": counts["average"],
        "backward": counts["backward"],
        "weak_lax": counts["weak_lax"],
        "demonstration": counts["demonstration"],
        "standard": counts["standard"],
        "secretaries": len(secretaries),
        "secretaries_minority": sum(c.ethnicity != codes.HAN for c in secretaries),
        "secretary_age_sum": sum(age_on(c.birth_date, data.cutoff) for c in secretaries),
        "secretaries_college": sum(highest_education(c) in college for c in secretaries),
        "one_shoulder": len(one_shoulder_villages(data)),
        "villages_first_secretary": len(first_secretary_villages(data)),
        "first_secretaries": len(holders(data, codes.FIRST_SECRETARY)),
        "work_team": len(holders(data, codes.TEAM_LEADER, codes.TEAM_MEMBER)),
        "enrolled": len(enrolled_cadres(data)),
        "training_sessions": sum(t.sessions for t in data.trainings),
        "training_attendances": sum(t.attendances for t in data.trainings),
        "collective_income": sum((total_income_wan(r) for r in economy), ZERO),
        "operating_10_or_more": sum(o >= 10 for o in operating),
        # 表5's bands: 5万元以下 has some 经营性收入, the villages with none are counted apart
        "operating_under_5": sum(income_band(o) == "5万元以下" for o in operating),
        "operating_none": sum(income_band(o) == "无经营性收入" for o in operating),
        "projects": len(data.projects),
        "project_investment": sum((project_investment_wan(p) for p in data.projects), ZERO),
        "project_income": sum((wan(data.project_years[p.id].income) for p in data.projects), ZERO),
    }
