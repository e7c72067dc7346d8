"""Sheet specs: each sheet's title, 表号, header tree and columns, read from resources/reports.

A county that wants another column or title changes a spec file, not code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from resources import resource_path

TEXT_TYPES = ("text", "code", "id", "date", "month")  # code: short text, centred
NUMBER_TYPES = ("int", "money", "number")


@dataclass(frozen=True)
class Column:
    header: tuple[str, ...]  # the path from the top header level down to this column's label
    source: str  # the key of the row dict that holds this column's value
    type: str  # text, code, id, date, month, int, money, number
    width: float
    total: str | None = None  # "sum": the 合计 row adds this column up

    @property
    def is_text(self) -> bool:
        return self.type in TEXT_TYPES


@dataclass(frozen=True)
class SheetSpec:
    sheet: str
    title: str
    table_no: str
    unit: str
    kind: str  # statistical (column codes, 合计 first), ledger (合计 first), roster, indicators
    rows: str  # the row provider in desktop.reports.sheets
    columns: tuple[Column, ...]
    relations: tuple[str, ...] = ()
    bands: bool = False
    portrait: bool = False  # A4 landscape unless the table is narrow
    table_nos: tuple[tuple[str, str], ...] = ()  # the 表号 of a merged level's workbook
    even_rows: bool = False  # every body row as high as the tallest (rosters of people)

    def table_no_at(self, level: str) -> str:
        """The 表号 at a level (county, prefecture, province); the township's otherwise."""
        return dict(self.table_nos).get(level, self.table_no)

    @property
    def depth(self) -> int:
        return max(len(c.header) for c in self.columns)

    @property
    def has_totals(self) -> bool:
        return self.kind in ("statistical", "ledger")

    def column_codes(self) -> list[str]:
        """甲 乙 丙 … for the leading descriptive columns, then 1 2 3 … (statistical tables)."""
        text_codes = iter("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥")
        number = 0
        codes = []
        for column in self.columns:
            leading = not codes or not codes[-1].isdigit()
            if leading and (column.is_text or column.source == "serial"):
                codes.append(next(text_codes))
            else:
                number += 1
                codes.append(str(number))
        return codes

    def relation_texts(self) -> list[str]:
        """The printed 表内关系 with column codes in place of `{source}` names."""
        codes = dict(zip((c.source for c in self.columns), self.column_codes()))
        return [text.format(**codes) for text in self.relations]


def parse_spec(data: dict) -> SheetSpec:
    columns = tuple(
        Column(tuple(c["header"]), c["source"], c["type"], c["width"], c.get("total"))
        for c in data["columns"]
    )
    return SheetSpec(
        sheet=data["sheet"],
        title=data["title"],
        table_no=data["table_no"],
        unit=data["unit"],
        kind=data["kind"],
        rows=data["rows"],
        columns=columns,
        relations=tuple(data.get("relations", ())),
        bands=bool(data.get("bands")),
        portrait=data.get("orientation") == "portrait",
        table_nos=tuple(data.get("table_nos", {}).items()),
        even_rows=bool(data.get("even_rows")),
    )


@cache
def workbook_specs(folder: Path | None = None) -> tuple[SheetSpec, ...]:
    """The sheets of the report workbook in order (after the cover, before `_data`), from
    `resources/reports` or another folder laid out the same way."""
    folder = folder or resource_path("reports")

    def read(name: str) -> dict:
        return json.loads((folder / name).read_text(encoding="utf-8"))

    return tuple(parse_spec(read(name)) for name in read("workbook.json")["sheets"])
