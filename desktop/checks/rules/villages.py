"""Rules on villages (村(社区)): coverage by party organizations and secretaries."""

from db.year_facts import organizations_per_village, village_secretaries
from desktop.checks.registry import ERROR, WARNING, rule
from desktop.checks.rules.common import village_hit


@rule("V01", ERROR, "村(社区)", "村(社区)未建立党组织")
def has_organization(data):
    covered = organizations_per_village(data)
    for village in data.villages:
        if village.id not in covered:
            yield village_hit(village, "", "本年度没有党组织，每个村(社区)都应建立党组织")


@rule("V02", WARNING, "村(社区)", "村党组织书记空缺")
def has_secretary(data):
    held = village_secretaries(data)
    for village in data.villages:
        if village.id not in held:
            yield village_hit(village, "", f"截至{data.cutoff:%Y.%m.%d}没有在任的村党组织书记")


@rule("V03", WARNING, "村(社区)", "村(社区)区划代码")
def village_code(data):
    prefix = data.township.division_code[:9]
    for village in data.villages:
        code = village.code
        if code and not (len(code) == 12 and code.isdigit() and code.startswith(prefix)):
            yield village_hit(
                village, "code", f"区划代码“{code}”应为12位数字，并以本乡镇的“{prefix}”开头"
            )


@rule("V04", ERROR, "村(社区)", "村(社区)年度数据为负数")
def village_year_numbers(data):
    labels = {"group_count": "村民小组数", "households": "户数", "population": "人口"}
    for village in data.villages:
        row = data.village_years[village.id]
        for field, label in labels.items():
            if getattr(row, field) < 0:
                yield village_hit(village, field, f"{label}不能为负数", "village_year", row.id)
