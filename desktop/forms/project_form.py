"""The support-project form: funding by source, the villages sharing it, the year's yield."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal

from db import records
from db.errors import UserError
from db.models import Project
from desktop.forms.economy_grid import parse_wan
from desktop.forms.fields import check_code
from desktop.validators import check_form_texts

FUND_LABELS = Project.FUND_LABELS
YEAR_LABELS = {
    "income": "当年收益",
    "dividend_collective": "村集体分红",
    "dividend_households": "农户分红",
}


@dataclass
class ProjectInput:
    name: str = ""
    type: str = "1"
    start_year: int = 2025
    partner: str = ""
    amounts: dict[str, str] = dataclass_field(default_factory=dict)  # 万元 as typed
    villages: dict[int, str] = dataclass_field(default_factory=dict)  # village → share typed
    status: str = "2"
    households_driven: int = 0
    errors: dict[str, str] = dataclass_field(default_factory=dict, compare=False)


def load(project_id: int, year: int) -> ProjectInput:
    p = records.project(project_id)
    row = records.project_year(project_id, year)
    amounts = {f: f"{getattr(p, f) / 10000:f}".rstrip("0").rstrip(".") for f in FUND_LABELS}
    if row is not None:
        amounts.update(
            {f: f"{getattr(row, f) / 10000:f}".rstrip("0").rstrip(".") for f in YEAR_LABELS}
        )
    return ProjectInput(
        name=p.name,
        type=p.type,
        start_year=p.start_year,
        partner=p.partner,
        amounts=amounts,
        villages={
            link.village_id: "" if link.share is None else f"{Decimal(link.share):f}"
            for link in p.villages
        },
        status=row.status if row else "2",
        households_driven=row.households_driven if row else 0,
    )


def check(form: ProjectInput, year: int) -> tuple[dict, dict, dict]:
    errors: dict[str, str] = {}
    check_form_texts(form, errors, "project")
    if not form.name.strip():
        errors["name"] = "请填写项目名称"
    check_code(form.type, "project_type", "type", errors, "请选择项目类型")
    check_code(form.status, "project_status", "status", errors, "请选择建设状态")
    if form.start_year > year:
        errors["start_year"] = f"立项年度不能晚于统计年度{year}"
    money: dict[str, Decimal] = {}
    for field, label in {**FUND_LABELS, **YEAR_LABELS}.items():
        try:
            money[field] = parse_wan(form.amounts.get(field, ""), label)
        except UserError as exc:
            errors[field] = exc.message
    if not form.villages:
        errors["villages"] = "请至少选择一个实施村(社区)"
    shares: dict[int, Decimal | None] = {}
    for village, typed in form.villages.items():
        try:
            shares[village] = Decimal(typed) if typed.strip() else None
        except ArithmeticError:
            errors["villages"] = f"分成比例“{typed}”不是数字"
    given = [s for s in shares.values() if s is not None]
    if given and sum(given) != 100:
        errors["villages"] = f"各村分成比例合计为{sum(given)}%，应为100%"
    form.errors = errors
    project = {
        "name": form.name.strip(),
        "type": form.type,
        "start_year": form.start_year,
        "partner": form.partner.strip(),
        **{f: money.get(f) for f in FUND_LABELS},
    }
    yearly = {
        "status": form.status,
        "households_driven": form.households_driven,
        **{f: money.get(f) for f in YEAR_LABELS},
    }
    return project, yearly, shares


def save(form: ProjectInput, project_id: int | None, year: int):
    project, yearly, shares = check(form, year)
    if form.errors:
        raise UserError(next(iter(form.errors.values())))
    with records.transaction():
        return records.save_project(project_id, year, project, yearly, shares)
