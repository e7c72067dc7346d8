"""Rules on the township itself."""

from desktop.checks.registry import ERROR, Hit, rule


@rule("T01", ERROR, "乡镇", "乡镇区划代码")
def division_code(data):
    code = data.township.division_code
    if not (len(code) == 12 and code.isdigit()):
        yield Hit(
            "township",
            1,
            data.township.name,
            "division_code",
            f"乡镇区划代码应为12位数字，现为“{code}”",
        )
