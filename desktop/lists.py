"""The rows of the program's lists (村(社区), 党组织, 干部, 扶持项目, 培训), from one year's data, each with
a search key. Plain Python: the Qt models only show them."""

from __future__ import annotations

from db.money import wan
from db.year_data import YearData
from db.year_facts import (
    age_on,
    held_posts,
    organizations_per_village,
    project_investment_wan,
    village_secretaries,
)
from desktop.code_words import post_name
from desktop.search import search_key, text_key
from resources import code_table


def _name(table: str, code: str) -> str:
    return code_table(table).name_of(code)


def village_rows(data: YearData) -> list[dict]:
    names = {c.id: c.name for c in data.cadres}
    # the last appointed, if the data names several
    secretaries = {v: names[ids[-1]] for v, ids in village_secretaries(data).items()}
    orgs = organizations_per_village(data)
    rows = []
    for v in data.villages:
        year = data.village_years[v.id]
        rows.append(
            {
                "id": v.id,
                "name": v.name,
                "kind": _name("village_kind", v.kind),
                "code": v.code,
                "groups": year.group_count,
                "households": year.households,
                "population": year.population,
                "organizations": orgs.get(v.id, 0),
                "secretary": secretaries.get(v.id, ""),
                "key": text_key(v.name, v.code),
            }
        )
    return rows


def organization_rows(data: YearData) -> list[dict]:
    villages = {v.id: v.name for v in data.villages}
    rows = []
    for o in data.organizations:
        year = data.org_years[o.id]
        kind = (
            ("联合" if o.joint else "")
            + ("临时" if o.temporary else "")
            + _name("org_kind", o.kind)
        )
        village = villages.get(o.village_id, "")
        rows.append(
            {
                "id": o.id,
                "name": o.name,
                "kind": kind,
                "field": _name("org_field", o.field),
                "village": village,
                "members": year.members_total,
                "rating": _name("rating", year.rating),
                "weak_lax": "是" if year.weak_lax else "",
                "key": text_key(o.name, village, kind),
            }
        )
    return rows


def cadre_rows(data: YearData) -> list[dict]:
    villages = {v.id: v.name for v in data.villages}
    kinds = {v.id: v.kind for v in data.villages}
    posts: dict[int, list[str]] = {}
    kinds_held: dict[int, list[str]] = {}  # for the 职务 filter: 村党组织书记 finds every one
    post_village: dict[int, str] = {}
    for a in held_posts(data):
        name = post_name(a.post, kinds.get(a.village_id))
        posts.setdefault(a.cadre_id, []).append(name)
        kinds_held.setdefault(a.cadre_id, []).extend(dict.fromkeys([_name("post", a.post), name]))
        if a.village_id in villages:
            post_village.setdefault(a.cadre_id, villages[a.village_id])
    rows = []
    for c in data.cadres:
        village = villages.get(c.village_id) or post_village.get(c.id, "")
        held = "、".join(posts.get(c.id, []))
        rows.append(
            {
                "id": c.id,
                "name": c.name,
                "gender": _name("gender", c.gender),
                "ethnicity": _name("ethnicity", c.ethnicity),
                "age": age_on(c.birth_date, data.cutoff),
                "id_number": c.id_number,
                "village": village,
                "posts": held or "（无现任职务）",
                "post_list": kinds_held.get(c.id, ["（无现任职务）"]),
                "phone": c.phone,
                "key": search_key(c.name, c.id_number, village, held, c.phone),
            }
        )
    return rows


def project_rows(data: YearData) -> list[dict]:
    names = {v.id: v.name for v in data.villages}
    rows = []
    for p in data.projects:
        year = data.project_years[p.id]
        villages = "、".join(
            names.get(link.village_id, "?") for link in data.project_villages.get(p.id, [])
        )
        rows.append(
            {
                "id": p.id,
                "name": p.name,
                "villages": villages,
                "type": _name("project_type", p.type),
                "start_year": p.start_year,
                "investment": project_investment_wan(p),
                "status": _name("project_status", year.status),
                "income": wan(year.income),
                "village": "",
                "key": text_key(p.name, villages, p.partner),
            }
        )
    return rows


def training_rows(data: YearData) -> list[dict]:
    return [
        {
            "id": t.id,
            "title": t.title,
            "program": _name("training_program", t.program),
            "dates": f"{t.start_date:%Y.%m.%d}–{t.end_date:%m.%d}",
            "sessions": t.sessions,
            "attendances": t.attendances,
            "attendees": data.attendee_counts.get(t.id, 0),
            "organizer": t.organizer,
            "village": "",
            "key": text_key(t.title, t.organizer, _name("training_program", t.program)),
        }
        for t in sorted(data.trainings, key=lambda t: t.start_date)
    ]
