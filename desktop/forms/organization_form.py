"""The party-organization form: the organization and its record for one statistical year."""

from __future__ import annotations

from dataclasses import dataclass, fields
from dataclasses import field as dataclass_field

from db import records
from db.dates import date_bound
from desktop.forms.fields import check_code
from desktop.imports.values import parse_date
from desktop.validators import check_form_texts
from resources import code_table

MEMBER_LABELS = {
    "members_full": "正式党员",
    "members_probationary": "预备党员",
    "members_female": "女党员",
    "members_minority": "少数民族党员",
    "members_35_under": "35岁及以下党员",
    "members_college": "大专及以上党员",
}
PARTS = ("members_female", "members_minority", "members_35_under", "members_college")


@dataclass
class OrgInput:
    name: str = ""
    kind: str = "3"
    field: str = "11"
    unit: str = ""
    joint: bool = False
    temporary: bool = False
    village: int | None = None
    founded: str = ""
    members_full: int = 0
    members_probationary: int = 0
    members_female: int = 0
    members_minority: int = 0
    members_35_under: int = 0
    members_college: int = 0
    rating: str = ""
    weak_lax: bool = False
    rectification: str = ""
    creation: str = ""
    errors: dict[str, str] = dataclass_field(default_factory=dict, compare=False)


ORG_FIELDS = ("name", "kind", "field", "unit", "joint", "temporary", "village")
YEAR_FIELDS = (*MEMBER_LABELS, "rating", "weak_lax", "rectification", "creation")


def load(org_id: int, year: int) -> OrgInput:
    org = records.organization(org_id)
    row = records.org_year(org_id, year)
    data = {f.name: getattr(org, f.name) for f in fields(OrgInput) if f.name in ORG_FIELDS}
    data["village"] = org.village_id
    data["founded"] = f"{org.founded:%Y.%m.%d}" if org.founded else ""
    if row is not None:
        data.update({name: getattr(row, name) for name in YEAR_FIELDS})
    return OrgInput(**data)


def check(form: OrgInput) -> tuple[dict, dict]:
    """(organization values, yearly values); `form.errors` names each wrong field."""
    errors: dict[str, str] = {}
    check_form_texts(form, errors, "organization")
    if not form.name.strip():
        errors["name"] = "请填写党组织名称"
    check_code(form.kind, "org_kind", "kind", errors, "请选择类型")
    check_code(form.field, "org_field", "field", errors, "请选择所属领域")
    check_code(form.unit, "org_unit", "unit", errors)
    check_code(form.rating, "rating", "rating", errors)
    check_code(form.creation, "creation", "creation", errors)
    if form.field in code_table("org_field").where("village") and form.village is None:
        errors["village"] = "农村、城市社区的党组织请选择所在村(社区)"
    founded = None
    if form.founded.strip():
        try:
            founded = parse_date(form.founded, bound=date_bound())
        except ValueError as exc:
            errors["founded"] = str(exc)
    total = form.members_full + form.members_probationary
    for name in MEMBER_LABELS:
        if getattr(form, name) < 0:
            errors[name] = f"{MEMBER_LABELS[name]}数不能为负数"
    for name in PARTS:
        if getattr(form, name) > total:
            errors[name] = f"{MEMBER_LABELS[name]}数不能超过党员总数（{total}）"
    if form.weak_lax and not form.rectification.strip():
        errors["rectification"] = "列为软弱涣散的，请填写整顿措施"
    form.errors = errors
    org_values = {name: getattr(form, name) for name in ORG_FIELDS}
    org_values["name"] = form.name.strip()
    org_values["founded"] = founded
    year_values = {name: getattr(form, name) for name in YEAR_FIELDS}
    return org_values, year_values


def save(form: OrgInput, org_id: int | None, year: int):
    from db.errors import UserError

    org_values, year_values = check(form)
    if form.errors:
        first = next(iter(form.errors))
        raise UserError(form.errors[first])
    with records.transaction():
        return records.save_organization(org_id, year, org_values, year_values)
