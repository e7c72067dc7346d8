"""Finding a table's header row (anywhere in the first 15 rows, one or two merged levels)
and mapping its columns to our fields by name and common aliases, in any order."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from desktop.imports.values import clean_text

SEARCH_ROWS = 15
UNIT_PATTERN = re.compile(r"[(（]\s*(万元|元)\s*[)）]")


def normalize(label) -> str:
    text = clean_text(label)
    text = text.replace("（", "(").replace("）", ")").replace("：", "").replace(":", "")
    text = UNIT_PATTERN.sub("", text)
    return re.sub(r"[\s*＊]", "", text)


@dataclass
class Header:
    row: int  # index of the last header row (0-based); data starts below it
    columns: dict[str, int]  # field → column index
    units: dict[str, Decimal] = field(default_factory=dict)  # money field → 1 or 10000
    sheet_unit: Decimal | None = None
    labels: list[str] = field(default_factory=list)  # the header as printed, per column


def _unit(text: str) -> Decimal | None:
    if "万元" in text:
        return Decimal(10000)
    if re.search(r"(^|[^万])元", text):
        return Decimal(1)
    return None


def find_header(
    rows: list[list], aliases: dict[str, tuple[str, ...]], required: tuple[str, ...]
) -> Header | None:
    """The best header in the first rows: the one that names the most of our fields and
    all the required ones; None if no row does."""
    lookup = {normalize(a): name for name, names in aliases.items() for a in names}
    best: Header | None = None
    best_score = 0
    limit = min(len(rows), SEARCH_ROWS)
    for top in range(limit):
        for depth in (1, 2):
            last = top + depth - 1
            if last >= limit:
                continue
            columns: dict[str, int] = {}
            units: dict[str, Decimal] = {}
            labels = []
            width = max(len(rows[r]) for r in range(top, last + 1))
            parent = ""
            for col in range(width):
                upper = clean_text(rows[top][col]) if col < len(rows[top]) else ""
                lower = clean_text(rows[last][col]) if col < len(rows[last]) else ""
                if depth == 2 and upper:
                    parent = upper
                leaf = lower if depth == 2 else upper
                candidates = [leaf]
                if depth == 2 and not lower:
                    candidates = [parent] if upper else []
                elif depth == 2:
                    candidates = [leaf, parent + leaf, leaf + parent]
                labels.append(leaf or (parent if depth == 2 else ""))
                for label in candidates:
                    name = lookup.get(normalize(label))
                    if name and name not in columns:
                        columns[name] = col
                        unit = _unit(clean_text(label)) or (_unit(parent) if depth == 2 else None)
                        if unit is not None:
                            units[name] = unit
                        break
            if not all(r in columns for r in required):
                continue
            score = len(columns) * 10 - depth  # prefer the simpler header on a tie
            if score > best_score:
                best_score = score
                best = Header(last, columns, units, labels=labels)
    if best is not None:
        for r in range(0, best.row + 1):
            for value in rows[r]:
                text = clean_text(value)
                if "单位" in text:
                    unit = _unit(text.split("单位", 1)[1])
                    if unit is not None:
                        best.sheet_unit = unit
    return best


TOTAL_WORDS = ("合计", "总计", "小计", "累计", "全镇", "全乡")


def data_rows(rows: list[list], header: Header, key_field: str):
    """(excel row number, row) for each data row under the header: blank rows, the column
    code row (甲 乙 1 2 …) and 合计 rows are skipped."""
    key_col = header.columns[key_field]
    for index in range(header.row + 1, len(rows)):
        row = rows[index]
        cells = [clean_text(v) for v in row]
        if not any(cells):
            continue
        if cells[0] in ("甲", "1") and all(
            c in "甲乙丙丁戊己庚辛0123456789" for c in cells[:3] if c
        ):
            continue
        key = cells[key_col] if key_col < len(cells) else ""
        if any(word in key for word in TOTAL_WORDS) or any(cells[0] == w for w in TOTAL_WORDS):
            continue
        yield index + 1, row
