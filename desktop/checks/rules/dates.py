"""Dates that cannot be: after the cut-off (see db.dates) or before 1900, wherever stored.

Forms and imports refuse such dates as they are typed; this rule catches those that came
in another way (a database of an earlier version, a restored workbook) so that none goes
into a report. The end of a 驻村 term and of a 学历提升 course may be planned (later)."""

from db import codes
from db.dates import date_bound
from desktop.checks.registry import ERROR, Hit, rule
from desktop.checks.rules.common import cadre_hit, org_hit, village_names
from resources import code_table


@rule("D01", ERROR, "日期", "日期晚于统计截止日期或早于1900年")
def dates_that_can_be(data):
    bound = date_bound()
    villages = village_names(data)
    cadres = {c.id: c for c in data.cadres}

    def problem(value, planned=False):
        return value is not None and bound.problem(value, planned)

    for cadre in data.cadres:
        for field, label in (("birth_date", "出生日期"), ("party_joined", "入党时间")):
            value = getattr(cadre, field)
            if problem(value):
                yield cadre_hit(cadre, field, f"{label}{value:%Y.%m.%d}{problem(value)}", villages)
    posts = code_table("post")
    for a in data.appointments:
        name = posts.name_of(a.post)
        resident = a.post in codes.RESIDENT_POSTS
        for field, label, planned in (
            ("start_date", "任职日期", False),
            ("end_date", "离任日期", resident),
        ):
            value = getattr(a, field)
            if problem(value, planned):
                message = f"{name}的{label}{value:%Y.%m.%d}{problem(value, planned)}"
                yield cadre_hit(cadres[a.cadre_id], field, message, villages)
    for e in data.enrollments:
        for field, label, planned in (
            ("start_date", "入学日期", False),
            ("end_date", "结束日期", True),
        ):
            value = getattr(e, field)
            if problem(value, planned):
                message = f"学历提升的{label}{value:%Y.%m.%d}{problem(value, planned)}"
                yield cadre_hit(cadres[e.cadre_id], f"enrollment_{field[:-5]}", message, villages)
    for org in data.all_organizations.values():
        for field, label in (("founded", "成立日期"), ("dissolved", "撤销日期")):
            value = getattr(org, field)
            if problem(value):
                yield org_hit(org, field, f"{label}{value:%Y.%m.%d}{problem(value)}")
    for t in data.trainings:
        for field, label in (("start_date", "开始日期"), ("end_date", "结束日期")):
            value = getattr(t, field)
            if problem(value):
                message = f"{label}{value:%Y.%m.%d}{problem(value)}"
                yield Hit("training", t.id, t.title, field, message)
