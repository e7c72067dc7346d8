"""Finding a table's header row (anywhere in the first 15 rows, one or two merged levels)
and mapping its columns to our fields by name and common aliases, in any order."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from desktop.imports.values import cell_problem, clean_text
from desktop.validators import TEXT_LIMITS, hidden_characters, text_problem

SEARCH_ROWS = 15
UNIT_PATTERN = re.compile(r"[(（]\s*(万元|元)\s*[)）]")


@lru_cache(maxsize=2048)
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


TOTAL_LABEL = re.compile(
    r"(全镇|全乡|全街道|全村|本镇|本乡|[\u4e00-\u9fff]{1,8}(镇|乡|街道|办事处))?"
    r"(合计|总计|小计|累计|共计)|全镇|全乡|全街道"
)
FOOTER_START = re.compile(
    r"(填表人|填报人|制表人|审核人|审批人|复核人|单位负责人|统计负责人|负责人|分管领导|联系人|"
    r"联系电话|填报日期|填表日期|制表日期|报出日期|报送日期|统计日期|报送时间|填报时间)"
    r"([:：]|$)|(注|说明|备注|填表说明|表内关系)[:：]|注\d|收入分档"  # 表5's band block
)
COLUMN_CODE = re.compile(r"[甲乙丙丁戊己庚辛壬癸]|[A-Z]|[(（]?\d{1,3}[)）]?")
HEADER_ROW, COLUMN_CODE_ROW, TOTAL_ROW, FOOTER_ROW = "表头行", "列代码行", "合计行", "表尾"


def _plain(value) -> str:
    return clean_text(value).replace(" ", "")


def skip_reason(row: list, header: Header, key_col: int) -> str | None:
    """Why a row under the header is not a record, judged by whole cells in the columns
    where each kind of line puts its words: a repeated header (the key column's own label),
    the column-code row (甲 乙 1 2 3 … in every filled cell, the key column too), a total
    (合计, 小计, 全镇合计 … as the whole key cell, or as the first cell of a row whose key is
    empty or a count such as 6人) and the footer (填表人：, 审核人：, 填报日期： … opening the row's first filled
    cell). None for a row to import or refuse (and for a blank row)."""
    first = next((text for text in map(_plain, row) if text), "")
    if not first:
        return None
    key = _plain(row[key_col]) if key_col < len(row) else ""
    if FOOTER_START.match(first):
        return FOOTER_ROW
    if key and key_col < len(header.labels) and normalize(key) == normalize(header.labels[key_col]):
        return HEADER_ROW
    if key and COLUMN_CODE.fullmatch(key):
        filled = [text for text in map(_plain, row) if text]
        if len(filled) >= min(3, len(header.columns)) and all(
            COLUMN_CODE.fullmatch(c) for c in filled
        ):
            numbers = [int(re.sub(r"\D", "", c)) for c in filled if re.search(r"\d", c)]
            if all(b > a for a, b in zip(numbers, numbers[1:], strict=False)):
                return COLUMN_CODE_ROW
    if TOTAL_LABEL.fullmatch(key) or (
        TOTAL_LABEL.fullmatch(first) and (not key or re.search(r"\d", key))
    ):  # 合计 | 6人 | …: a count where the name goes is no name
        return TOTAL_ROW
    return None


def data_rows(rows: list[list], header: Header, key_field: str, plan=None, sheet: str = ""):
    """(excel row number, row) for each data row under the header. Blank rows are passed
    over; a header, column-code, total or footer line is not a record: with `plan` it is
    listed there as 已忽略 with its reason, so no row is left out unseen."""
    from desktop.imports.plan import IGNORE, RowOutcome

    key_col = header.columns[key_field]
    for index in range(header.row + 1, len(rows)):
        row = rows[index]
        reason = skip_reason(row, header, key_col)
        if reason is None:
            if any(v is not None and v != "" and clean_text(v) for v in row):
                yield index + 1, row
            continue
        if plan is not None:
            text = " ".join(clean_text(v) for v in dict.fromkeys(row) if clean_text(v))
            label = text if len(text) <= 40 else text[:39] + "…"
            plan.outcomes.append(RowOutcome(sheet, index + 1, IGNORE, label, reason, list(row)))


def read_cells(
    row: list, header: Header, labels: dict, plan=None, sheet: str = "", number: int = 0
) -> tuple[dict, list[str]]:
    """A data row's cells by field, and the problems no field may have: an error value, a
    formula without its result, a number that is not finite, text over its length limit.
    A field with such a cell is left out of the dict (nothing to parse). Invisible control
    characters are removed from the text (clean_text) and, with `plan`, said in its notices."""
    cells: dict = {}
    problems: list[str] = []
    for name, col in header.columns.items():
        value = row[col] if col < len(row) else None
        label = labels.get(name) or (header.labels[col] if col < len(header.labels) else name)
        problem = cell_problem(value)
        if problem is None and name in TEXT_LIMITS:
            problem = text_problem(name, clean_text(value))
        if problem is not None:
            problems.append(f"{label}：{problem}")
            continue
        if (
            plan is not None
            and isinstance(value, str)
            and (not value.isprintable() or "_x" in value)
        ):
            hidden = hidden_characters(value)
            if hidden:
                plan.notices.append(
                    f"{sheet} 第{number}行 {label}：已去除不可见的控制字符（{'、'.join(hidden)}）"
                )
        cells[name] = value
    return cells, problems
