"""The key figures of 表7 (REPORTS.md): formulas over the base quantities of one year.

The GUI, the workbook, the command line and the county merge all call these; nothing is
typed by hand. The base quantities, like every other fact of a year, come from
`db.year_facts` (a township's) or are summed from townships' (a county's).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from db.money import ZERO, percent, wan
from db.year_data import YearData, load_year_data
from db.year_facts import (  # noqa: F401  (re-exported: forms and imports use them from here)
    BANDS,
    age_on,
    highest_education,
    income_band,
    operating_income_wan,
    project_investment_wan,
    total_income_wan,
)
from db.year_facts import base_counts as base_counts_of

# The additive quantities (db.year_facts.base_counts): a county's are the sums of its
# townships'. Every key figure is computed from them, so a township and a county merge use
# the same formulas.
BASE_NAMES: tuple[str, ...] = (
    "villages",
    "villages_with_organization",
    "groups",
    "group_branches",
    "organizations",
    "committees",
    "general_branches",
    "branches",
    "members",
    "members_minority",
    "members_female",
    "rated",
    "advanced",
    "average",
    "backward",
    "weak_lax",
    "demonstration",
    "standard",
    "secretaries",
    "secretaries_minority",
    "secretary_age_sum",
    "secretaries_college",
    "one_shoulder",
    "villages_first_secretary",
    "first_secretaries",
    "work_team",
    "enrolled",
    "training_sessions",
    "training_attendances",
    "collective_income",
    "operating_10_or_more",
    "operating_under_5",
    "operating_none",
    "projects",
    "project_investment",
    "project_income",
)


def _year_data(year: int) -> YearData:
    from db.years import resolve_year

    return load_year_data(resolve_year(year))


def base_counts(year: int) -> dict[str, int | Decimal]:
    return base_counts_of(_year_data(year))


def band_counts(year: int) -> dict[str, int]:
    """收入分档 → villages, for `year` (db.year_facts.band_counts over its data)."""
    from db.year_facts import band_counts as band_counts_of

    return band_counts_of(_year_data(year))


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
    return {name: sum(b[name] for b in many) for name in BASE_NAMES}


def key_figures_of(data: YearData) -> list[tuple[str, int | Decimal]]:
    """Every 表7 figure of the loaded year, in the report's order, labels as printed."""
    return figures_from(base_counts_of(data))


def key_figures(year: int) -> list[tuple[str, int | Decimal]]:
    """Every 表7 figure for `year`, in the report's order, labels exactly as printed."""
    return key_figures_of(_year_data(year))
