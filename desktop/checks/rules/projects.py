"""Rules on support projects (扶持项目)."""

from decimal import Decimal

from db.models import Project
from desktop.checks.registry import ERROR, WARNING, Hit, rule
from desktop.checks.rules.common import wan_pair
from resources import code_table

FUND_LABELS = Project.FUND_LABELS
YEAR_LABELS = {
    "income": "当年收益",
    "dividend_collective": "村集体分红",
    "dividend_households": "农户分红",
}


def _hit(project, field, message):
    return Hit("project", project.id, project.name, field, message)


@rule("P01", ERROR, "扶持项目", "项目未指定实施村")
def has_village(data):
    for project in data.projects:
        if not data.project_villages.get(project.id):
            yield _hit(project, "villages", "请选择至少一个实施村(社区)")


@rule("P02", ERROR, "扶持项目", "项目金额为负数")
def not_negative(data):
    for project in data.projects:
        for field, label in FUND_LABELS.items():
            if getattr(project, field) < 0:
                yield _hit(project, field, f"{label}不能为负数")
        row = data.project_years[project.id]
        for field, label in YEAR_LABELS.items():
            if getattr(row, field) < 0:
                yield _hit(project, field, f"{label}不能为负数")
        if row.households_driven < 0:
            yield _hit(project, "households_driven", "带动农户数不能为负数")


@rule("P03", WARNING, "扶持项目", "分红超过当年收益")
def dividends_within_income(data):
    for project in data.projects:
        row = data.project_years[project.id]
        paid = row.dividend_collective + row.dividend_households
        if paid > row.income:
            paid_wan, income = wan_pair(paid, row.income)
            yield _hit(
                project, "dividend_collective", f"分红合计{paid_wan}万元超过当年收益{income}万元"
            )


@rule("P04", ERROR, "扶持项目", "立项年度晚于统计年度")
def started(data):
    for project in data.projects:
        if project.start_year > data.year:
            yield _hit(
                project, "start_year", f"立项年度{project.start_year}晚于统计年度{data.year}"
            )


@rule("P05", WARNING, "扶持项目", "实施村收益分成合计不为100%")
def shares_add_up(data):
    for project in data.projects:
        shares = [link.share for link in data.project_villages.get(project.id, [])]
        given = [Decimal(s) for s in shares if s is not None]
        if given and sum(given) != 100:
            yield _hit(project, "villages", f"各实施村分成比例合计为{sum(given)}%，应为100%")


@rule("P06", WARNING, "扶持项目", "项目总投资为零")
def has_investment(data):
    for project in data.projects:
        if all(getattr(project, f) == 0 for f in FUND_LABELS):
            yield _hit(project, "fund_central", "各级资金均为0，请填写项目资金来源")


@rule("P07", ERROR, "扶持项目", "代码不在代码表中")
def known_codes(data):
    for project in data.projects:
        if project.type not in code_table("project_type"):
            yield _hit(project, "type", f"项目类型代码“{project.type}”不存在")
        status = data.project_years[project.id].status
        if status not in code_table("project_status"):
            yield _hit(project, "status", f"建设状态代码“{status}”不存在")
