"""Rules on party organizations and their yearly records."""

from collections import Counter

from db import codes
from db.year_facts import organization_secretaries
from desktop.checks.registry import ERROR, WARNING, rule
from desktop.checks.rules.common import org_hit, overlaps, village_hit
from resources import code_table

MEMBER_FIELDS = {
    "members_full": "正式党员数",
    "members_probationary": "预备党员数",
    "members_female": "女党员数",
    "members_minority": "少数民族党员数",
    "members_35_under": "35岁及以下党员数",
    "members_college": "大专及以上党员数",
}
PART_FIELDS = ("members_female", "members_minority", "members_35_under", "members_college")


@rule("O01", ERROR, "党组织", "党员数为负数")
def negative_members(data):
    for org in data.organizations:
        row = data.org_years[org.id]
        for field, label in MEMBER_FIELDS.items():
            if getattr(row, field) < 0:
                yield org_hit(org, field, f"{label}不能为负数")


@rule("O02", ERROR, "党组织", "党员构成超过党员总数")
def parts_within_total(data):
    for org in data.organizations:
        row = data.org_years[org.id]
        for field in PART_FIELDS:
            if getattr(row, field) > row.members_total:
                yield org_hit(
                    org,
                    field,
                    f"{MEMBER_FIELDS[field]}（{getattr(row, field)}）超过党员总数"
                    f"（{row.members_total}）",
                )


@rule("O03", WARNING, "党组织", "党支部正式党员不足3名")
def branch_minimum(data):
    for org in data.organizations:
        row = data.org_years[org.id]
        if org.kind == codes.BRANCH and row.members_full < 3:
            yield org_hit(
                org,
                "members_full",
                f"正式党员{row.members_full}名，党支部应有正式党员3人以上，"
                "不足的可与邻近单位成立联合党支部",
            )


@rule("O04", WARNING, "党组织", "党支部党员超过50名")
def branch_too_large(data):
    for org in data.organizations:
        row = data.org_years[org.id]
        if org.kind == codes.BRANCH and 50 < row.members_total <= 100:
            yield org_hit(
                org, "kind", f"党员{row.members_total}名，超过50名的党支部可考虑成立党总支"
            )


@rule("O05", WARNING, "党组织", "党员超过100名未设党委")
def needs_committee(data):
    for org in data.organizations:
        row = data.org_years[org.id]
        if org.kind != codes.COMMITTEE and row.members_total > 100:
            yield org_hit(org, "kind", f"党员{row.members_total}名，超过100名的可考虑成立党委")


def _seat(appointment):
    if appointment.organization_id:
        return ("organization", appointment.organization_id)
    return ("village", appointment.village_id)


@rule("O06", ERROR, "党组织", "同一党组织同时有多名书记")
def one_secretary(data):
    by_seat = {}
    for a in data.appointments:
        if a.post in codes.SECRETARY_POSTS:
            by_seat.setdefault(_seat(a), []).append(a)
    names = {c.id: c.name for c in data.cadres}
    villages = {v.id: v for v in data.villages}
    for (kind, seat_id), posts in by_seat.items():
        clash = next(
            (
                (a, b)
                for i, a in enumerate(posts)
                for b in posts[i + 1 :]
                if a.cadre_id != b.cadre_id and overlaps(a, b)
            ),
            None,
        )
        if clash is None:
            continue
        message = (
            f"{names[clash[0].cadre_id]}与{names[clash[1].cadre_id]}的书记任职时间重叠，"
            "请填写前任的离任日期"
        )
        if kind == "organization":
            yield org_hit(data.all_organizations[seat_id], "", message)
        elif seat_id in villages:
            yield village_hit(villages[seat_id], "", message)


@rule("O07", WARNING, "党组织", "党组织书记空缺")
def has_secretary(data):
    held = organization_secretaries(data)
    for org in data.organizations:
        if org.id not in held and not org.temporary:
            yield org_hit(org, "", f"截至{data.cutoff:%Y.%m.%d}没有在任的书记")


@rule("O08", WARNING, "党组织", "未开展分类定级")
def rated(data):
    for org in data.organizations:
        if not data.org_years[org.id].rating:
            yield org_hit(org, "rating", "本年度未填写分类定级（先进、一般、后进）")


@rule("O09", WARNING, "党组织", "软弱涣散党组织未定为后进")
def weak_is_backward(data):
    for org in data.organizations:
        row = data.org_years[org.id]
        if row.weak_lax and row.rating and row.rating != codes.BACKWARD:
            yield org_hit(org, "rating", "已列为软弱涣散，分类定级一般应为后进")


@rule("O10", WARNING, "党组织", "软弱涣散党组织未填整顿措施")
def weak_has_rectification(data):
    for org in data.organizations:
        row = data.org_years[org.id]
        if row.weak_lax and not row.rectification.strip():
            yield org_hit(org, "rectification", "已列为软弱涣散，请填写整顿措施")


@rule("O11", ERROR, "党组织", "上级党组织设置错误")
def parent_valid(data):
    for org in data.organizations:
        if org.parent_id is None:
            continue
        parent = data.all_organizations.get(org.parent_id)
        seen = {org.id}
        node = parent
        while node is not None and node.id not in seen:
            seen.add(node.id)
            node = data.all_organizations.get(node.parent_id)
        if node is not None:
            yield org_hit(org, "parent", "上级党组织形成循环（上级的上级是它自己）")
        elif parent.kind == codes.BRANCH:
            yield org_hit(org, "parent", f"上级“{parent.name}”是党支部，党支部不能设下级党组织")


@rule("O12", ERROR, "党组织", "成立或撤销日期与年度不符")
def dates_fit_year(data):
    year_start = data.cutoff.replace(month=1, day=1)
    for org in data.organizations:
        if org.founded and org.founded > data.cutoff:
            yield org_hit(org, "founded", f"成立时间{org.founded:%Y.%m.%d}晚于统计截止日期")
        elif org.dissolved and org.dissolved < year_start:
            yield org_hit(org, "dissolved", f"已于{org.dissolved:%Y.%m.%d}撤销，不应有本年度数据")
        elif org.founded and org.dissolved and org.dissolved <= org.founded:
            yield org_hit(org, "dissolved", "撤销时间早于成立时间")


@rule("O13", ERROR, "党组织", "村(社区)党组织未关联所在村")
def village_org_has_village(data):
    village_fields = code_table("org_field").where("village")
    for org in data.organizations:
        if org.field in village_fields and org.village_id is None:
            yield org_hit(org, "village", "所属领域为农村或城市社区，请选择所在村(社区)")


@rule("O14", WARNING, "党组织", "所属领域与村(社区)类别不一致")
def field_matches_village(data):
    kinds = {v.id: v.kind for v in data.villages}
    expected = {codes.VILLAGE: codes.FIELD_RURAL, codes.COMMUNITY: codes.FIELD_COMMUNITY}
    for org in data.organizations:
        kind = kinds.get(org.village_id)
        if kind and org.field in expected.values() and org.field != expected[kind]:
            yield org_hit(
                org,
                "field",
                f"所在地是{code_table('village_kind').name_of(kind)}，"
                f"所属领域却是{code_table('org_field').name_of(org.field)}",
            )


@rule("O15", WARNING, "党组织", "党组织名称重复")
def unique_names(data):
    counts = Counter(o.name for o in data.organizations)
    for org in data.organizations:
        if counts[org.name] > 1:
            yield org_hit(org, "name", f"有{counts[org.name]}个党组织都叫“{org.name}”")


@rule("O16", ERROR, "党组织", "代码不在代码表中")
def known_codes(data):
    tables = {"kind": "org_kind", "field": "org_field", "unit": "org_unit"}
    yearly = {"rating": "rating", "creation": "creation"}
    for org in data.organizations:
        for field, table in tables.items():
            value = getattr(org, field)
            if value and value not in code_table(table):
                yield org_hit(org, field, f"{code_table(table).title}代码“{value}”不存在")
        row = data.org_years[org.id]
        for field, table in yearly.items():
            value = getattr(row, field)
            if value and value not in code_table(table):
                yield org_hit(org, field, f"{code_table(table).title}代码“{value}”不存在")
