"""The village form: the village, its collective economic organization, this year's figures."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field

from db import records
from desktop.forms.fields import check_code
from desktop.validators import check_form_texts, credit_code_problem, normalize_id_number

YEAR_FIELDS = ("group_count", "households", "population")


@dataclass
class VillageInput:
    name: str = ""
    kind: str = "1"
    code: str = ""
    relocation_site: bool = False
    border: bool = False
    collective_org_name: str = ""
    credit_code: str = ""
    group_count: int = 0
    households: int = 0
    population: int = 0
    errors: dict[str, str] = dataclass_field(default_factory=dict, compare=False)


def load(village_id: int, year: int) -> VillageInput:
    village = records.village(village_id)
    row = records.village_year(village_id, year)
    return VillageInput(
        name=village.name,
        kind=village.kind,
        code=village.code,
        relocation_site=village.relocation_site,
        border=village.border,
        collective_org_name=village.collective_org_name,
        credit_code=village.credit_code,
        **({f: getattr(row, f) for f in YEAR_FIELDS} if row else {}),
    )


def check(form: VillageInput, village_id: int | None, township_code: str) -> tuple[dict, dict]:
    errors: dict[str, str] = {}
    check_form_texts(form, errors, "village")
    name = form.name.strip()
    if not name:
        errors["name"] = "请填写村(社区)名称"
    else:
        clash = records.village_by_name(name)
        if clash is not None and clash.id != village_id:
            errors["name"] = f"已经有叫“{name}”的村(社区)"
    check_code(form.kind, "village_kind", "kind", errors, "请选择类别（行政村或社区）")
    code = form.code.strip()
    if code and not (len(code) == 12 and code.isdigit() and code.startswith(township_code[:9])):
        errors["code"] = f"区划代码应为12位数字，并以本乡镇的“{township_code[:9]}”开头"
    credit = normalize_id_number(form.credit_code)
    if credit and credit_code_problem(credit):
        errors["credit_code"] = credit_code_problem(credit)
    form.errors = errors
    village = {
        "name": name,
        "kind": form.kind,
        "code": code,
        "relocation_site": form.relocation_site,
        "border": form.border,
        "collective_org_name": form.collective_org_name.strip(),
        "credit_code": credit,
    }
    return village, {f: getattr(form, f) for f in YEAR_FIELDS}


def save(form: VillageInput, village_id: int | None, year: int, township_code: str):
    from db.errors import UserError

    village, yearly = check(form, village_id, township_code)
    if form.errors:
        raise UserError(next(iter(form.errors.values())))
    with records.transaction():
        return records.save_village(village_id, year, village, yearly)
