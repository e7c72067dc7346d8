"""The rows of each report sheet, computed from one year's data (no queries here).

Each provider returns plain dicts keyed by the `source` names of its spec's columns; the
writer formats them and adds the 合计 row from the printed values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from db import codes
from db.money import wan
from db.statistics import key_figures_of
from db.year_data import YearData
from db.year_facts import (
    age_on,
    committee_posts,
    economy_rows,
    held_posts,
    highest_education,
    income_band,
    is_one_shoulder,
    operating_income_wan,
    organization_counts,
    organization_groups,
    organization_secretaries,
    project_investment_wan,
    total_income_wan,
)
from desktop.checks import Finding
from desktop.code_words import post_name
from resources import code_table


@dataclass
class ReportContext:
    data: YearData
    findings: list[Finding]


def _yes(flag: bool) -> str:
    return "是" if flag else "否"


def _name(table: str, code: str) -> str:
    return code_table(table).name_of(code)


def _village_order(data: YearData) -> dict[int, int]:
    return {v.id: n for n, v in enumerate(data.villages)}


def organization_summary(ctx: ReportContext) -> list[dict]:
    data = ctx.data
    names = {v.id: v.name for v in data.villages}
    return [
        {"name": names.get(key, key), **organization_counts(data, orgs)}
        for key, orgs in organization_groups(data).items()
    ]


def _parent_of(org, data: YearData, committee):
    """The parent 表2 prints: the one entered; a village's own organization (the one without
    a parent, see `records.main_organization`) answers to the township's 党委."""
    parent = data.all_organizations.get(org.parent_id)
    if parent is None and org.village_id and committee is not None:
        return committee
    return parent


def _members_of(data: YearData, committee) -> dict[int, tuple[int, int]]:
    """organization id → (党员数 as 表2 prints it, how many sub-organizations it adds up):
    a 党委 or 党总支 with sub-organizations reporting this year has the sum of theirs (and
    its own, if any); one without has its own count."""
    children: dict[int, list[int]] = {}
    for org in data.organizations:
        parent = _parent_of(org, data, committee)
        if parent is not None and parent.id in data.org_years and parent.id != org.id:
            children.setdefault(parent.id, []).append(org.id)
    found: dict[int, tuple[int, int]] = {}

    def total(org_id: int, path: frozenset) -> int:
        if org_id not in found:
            below = [c for c in children.get(org_id, []) if c not in path]
            own = data.org_years[org_id].members_total
            found[org_id] = (own + sum(total(c, path | {c}) for c in below), len(below))
        return found[org_id][0]

    for org in data.organizations:
        total(org.id, frozenset({org.id}))
    return found


def _township_committee(data: YearData):
    """The township's own 党委: the 党委 with no village and no parent, if there is one."""
    found = [
        o
        for o in data.organizations
        if o.kind == codes.COMMITTEE and o.village_id is None and o.parent_id is None
    ]
    return found[0] if len(found) == 1 else None


def organization_roster(ctx: ReportContext) -> list[dict]:
    data = ctx.data
    order = _village_order(data)
    villages = {v.id: v.name for v in data.villages}
    people = {c.id: c.name for c in data.cadres}
    secretaries = {o: people[c] for o, c in organization_secretaries(data).items()}
    orgs = sorted(
        data.organizations,
        key=lambda o: (order.get(o.village_id, len(order)), o.sort_order, o.id),
    )
    committee = _township_committee(data)
    members = _members_of(data, committee)
    rows = []
    for serial, org in enumerate(orgs, 1):
        year = data.org_years[org.id]
        parent = _parent_of(org, data, committee)
        remarks = [org.notes] if org.notes else []
        count, parts = members[org.id]
        if parts:
            own = year.members_total
            remarks.append(
                f"党员数为所属{parts}个党组织合计" + (f"（含本级{own}名）" if own else "")
            )
        elif org.kind in (codes.COMMITTEE, codes.GENERAL_BRANCH):
            remarks.append("党员数为本级统计（无下级党组织）")
        kind = ("联合" if org.joint else "") + ("临时" if org.temporary else "")
        rows.append(
            {
                "serial": serial,
                "name": org.name,
                "kind": kind + _name("org_kind", org.kind),
                "field": _name("org_field", org.field),
                "parent": parent.name if parent else "",
                "village": villages.get(org.village_id, ""),
                "secretary": secretaries.get(org.id, ""),
                "members": count,
                "rating": _name("rating", year.rating),
                "weak_lax": _yes(year.weak_lax),
                "creation": _name("creation", year.creation),
                "founded": org.founded,
                "notes": "；".join(remarks),
            }
        )
    return rows


def _person(cadre, data: YearData) -> dict:
    return {
        "name": cadre.name,
        "gender": _name("gender", cadre.gender),
        "ethnicity": _name("ethnicity", cadre.ethnicity),
        "birth_month": cadre.birth_date,
        "age": age_on(cadre.birth_date, data.cutoff),
        "id_number": cadre.id_number,
        "political_status": _name("political_status", cadre.political_status),
        "phone": cadre.phone,
        "notes": cadre.notes,
    }


def committee_roster(ctx: ReportContext) -> list[dict]:
    """Members of the village 两委 at the cut-off date, by village, secretary first."""
    data = ctx.data
    order = _village_order(data)
    cadres = {c.id: c for c in data.cadres}
    held = committee_posts(data)
    names = {v.id: v.name for v in data.villages}
    kinds = {v.id: v.kind for v in data.villages}
    entries = sorted(
        held.items(),
        key=lambda item: (order[item[0][0]], min(a.post for a in item[1]), item[0][1]),
    )
    rows = []
    for serial, ((village_id, cadre_id), posts) in enumerate(entries, 1):
        cadre = cadres[cadre_id]
        posts.sort(key=lambda a: a.post)
        rows.append(
            {
                "serial": serial,
                "village": names[village_id],
                **_person(cadre, data),
                "education_fulltime": _name("education", cadre.education_fulltime),
                "education_inservice": _name("education", cadre.education_inservice),
                "party_joined": cadre.party_joined,
                "posts": "、".join(post_name(a.post, kinds[village_id]) for a in posts),
                "post_start": _earliest_start(posts),
                "one_shoulder": _yes(is_one_shoulder(a.post for a in posts)),
            }
        )
    return rows


def _earliest_start(posts) -> dt.date | None:
    """When the person took up the posts printed; blank (None) if any start is unknown,
    since the earliest cannot then be told."""
    starts = [a.start_date for a in posts]
    return None if None in starts else min(starts)


def resident_roster(ctx: ReportContext) -> list[dict]:
    """First secretaries and work-team members in post at the cut-off date."""
    data = ctx.data
    order = _village_order(data)
    cadres = {c.id: c for c in data.cadres}
    names = {v.id: v.name for v in data.villages}
    roles = {e.code: e.extra.get("resident_role", "") for e in code_table("post").entries}
    posts = sorted(
        held_posts(data, *codes.RESIDENT_POSTS),
        key=lambda a: (order.get(a.village_id, len(order)), a.post, a.id),
    )
    rows = []
    for serial, a in enumerate(posts, 1):
        cadre = cadres[a.cadre_id]
        end = f"{a.end_date:%Y.%m.%d}" if a.end_date else "至今"
        rows.append(
            {
                "serial": serial,
                **_person(cadre, data),
                "education": _name("education", highest_education(cadre)),
                "sending_unit": a.sending_unit,
                "sending_unit_post": a.sending_unit_post,
                "role": roles.get(a.post, ""),
                "village": names.get(a.village_id, ""),
                "period": f"{a.start_date:%Y.%m.%d}—{end}" if a.start_date else f"—{end}",
            }
        )
    return rows


def economy_summary(ctx: ReportContext) -> list[dict]:
    data = ctx.data
    rows = []
    names = {v.id: v.name for v in data.villages}
    for row in economy_rows(data):  # a village without (E01, 强制性) stops the export
        total = total_income_wan(row)
        operating = operating_income_wan(row)
        rows.append(
            {
                "name": names[row.village_id],
                "total_income": total,
                "operating_income": wan(row.operating_income),
                "contract_income": wan(row.contract_income),
                "investment_income": wan(row.investment_income),
                "subsidy_income": wan(row.subsidy_income),
                "other_income": wan(row.other_income),
                "operating_total": operating,
                "expenses": wan(row.expenses),
                "net_income": total - wan(row.expenses),
                "assets": wan(row.assets),
                "liabilities": wan(row.liabilities),
                "band": income_band(operating),
                "notes": row.notes,
            }
        )
    return rows


def project_ledger(ctx: ReportContext) -> list[dict]:
    data = ctx.data
    names = {v.id: v.name for v in data.villages}
    rows = []
    for serial, project in enumerate(data.projects, 1):
        year = data.project_years[project.id]
        links = sorted(
            data.project_villages.get(project.id, []),
            key=lambda link: (-(link.share or Decimal(0)), link.village_id),
        )
        villages = "、".join(
            names.get(link.village_id, "?")
            + (
                f"({Decimal(link.share).normalize():f}%)"
                if link.share is not None and len(links) > 1
                else ""
            )
            for link in links
        )
        rows.append(
            {
                "serial": serial,
                "name": project.name,
                "villages": villages,
                "type": _name("project_type", project.type),
                "start_year": str(project.start_year),
                "investment": project_investment_wan(project),
                **{field: wan(getattr(project, field)) for field in project.FUND_FIELDS},
                "partner": project.partner,
                "status": _name("project_status", year.status),
                "income": wan(year.income),
                "dividend_collective": wan(year.dividend_collective),
                "dividend_households": wan(year.dividend_households),
                "households_driven": year.households_driven,
                "notes": project.notes,
            }
        )
    return rows


def key_figure_rows(ctx: ReportContext) -> list[dict]:
    return [{"label": label, "value": value} for label, value in key_figures_of(ctx.data)]


def finding_rows(ctx: ReportContext) -> list[dict]:
    return [
        {
            "serial": serial,
            "rule_id": f.rule_id,
            "severity": f.severity_label,
            "area": f.area,
            "title": f.title,
            "label": f.label,
            "message": f.message,
            "note": f.note,
        }
        for serial, f in enumerate(ctx.findings, 1)
    ]


PROVIDERS: dict[str, Callable[[ReportContext], list[dict]]] = {
    "organization_summary": organization_summary,
    "organization_roster": organization_roster,
    "committee_roster": committee_roster,
    "resident_roster": resident_roster,
    "economy_summary": economy_summary,
    "project_ledger": project_ledger,
    "key_figures": key_figure_rows,
    "findings": finding_rows,
}
