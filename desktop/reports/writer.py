"""One writer that turns a sheet spec plus rows into a print-ready worksheet.

Layout (REPORTS.md): row 1 title with 表号/制表机关 at the top right; row 2 填报单位, 统计截止日期,
计量单位; the merged header tree; column codes and the 合计 row on statistical tables; the
rows; 表内关系 notes; the signature line. A4 landscape, one page wide, header rows repeated,
page numbers, panes frozen under the header.
"""

from __future__ import annotations

import datetime as dt
import math
from copy import copy
from dataclasses import dataclass
from decimal import Decimal

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from db.statistics import BANDS
from desktop.reports.spec import Column, SheetSpec

BODY_FONT = "宋体"
TITLE_FONT = "黑体"
FORMULA_STARTS = ("=", "+", "-", "@")

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TITLE = Font(name=TITLE_FONT, size=18, bold=True)
SMALL = Font(name=BODY_FONT, size=9)
BODY = Font(name=BODY_FONT, size=10)
BOLD = Font(name=BODY_FONT, size=10, bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")
CENTER_ONE_LINE = Alignment(horizontal="center", vertical="center")
TOP_RIGHT = Alignment(horizontal="right", vertical="center", wrap_text=True)
NUMBER_FORMATS = {"int": "0", "money": "0.00"}
LINE_HEIGHT = 14.0


@dataclass(frozen=True)
class SheetHeading:
    """What every sheet says about who reports: the row-1 and row-2 texts."""

    township: str
    authority: str  # 制表机关
    cutoff: dt.date
    preparer: str = ""
    reviewer: str = ""
    phone: str = ""
    reported: dt.date | None = None  # 报出日期


def text_width(text: str) -> float:
    """Width in Excel character units at 10 pt: a CJK character takes about 1.8."""
    return sum(1.8 if ord(ch) > 0x2E7F else 1.0 for ch in text)


def lines_needed(text: str, width: float) -> int:
    usable = max(1.0, width - 1.0)
    return max(
        1, sum(max(1, math.ceil(text_width(part) / usable)) for part in str(text).split("\n"))
    )


def display_value(column: Column, value):
    """The cell value as the report prints it."""
    if value is None or value == "":
        return None
    if column.type in ("date", "month"):
        if isinstance(value, dt.date):
            return f"{value:%Y.%m.%d}" if column.type == "date" else f"{value:%Y.%m}"
        return str(value)
    if column.type in ("text", "code", "id"):
        return str(value)
    return value


def put_text(cell, text: str) -> None:
    """A string cell that can never become a formula, whatever the user typed."""
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True


class TableWriter:
    """Writes one spec'd table into a worksheet."""

    def __init__(self, ws: Worksheet, spec: SheetSpec, heading: SheetHeading):
        self.ws = ws
        self.spec = spec
        self.heading = heading
        self.width = len(spec.columns)
        self.row = 1
        self.styles: dict[tuple, object] = {}

    # -- the parts, top to bottom --------------------------------------------------------
    def write(self, rows: list[dict]) -> None:
        ws, spec = self.ws, self.spec
        for index, column in enumerate(spec.columns, 1):
            ws.column_dimensions[get_column_letter(index)].width = column.width
        self.title_rows()
        header_top = self.row
        self.header_rows()
        if spec.kind in ("statistical", "ledger"):
            self.code_row()
        header_bottom = self.row - 1
        first_data = self.row
        if spec.has_totals:
            self.data_row(self.totals(rows), bold=True)
        body_top = self.row
        for row in rows:
            self.data_row(row, bold=bool(row.get("_bold")))
        if spec.even_rows:
            self.even_heights(body_top, self.row)
        if spec.bands:
            self.band_block(rows)
        self.notes()
        self.signature()
        self.page_setup(header_top, header_bottom, first_data)

    def merge(self, row: int, first: int, last: int, bottom: int | None = None) -> None:
        bottom = bottom or row
        if last > first or bottom > row:
            self.ws.merge_cells(start_row=row, start_column=first, end_row=bottom, end_column=last)

    def columns_from_left(self, width: float) -> int:
        """How many columns, counted from the left, make up at least `width` units."""
        total, count = 0.0, 0
        for column in self.spec.columns:
            if total >= width:
                break
            total += column.width
            count += 1
        return count

    def columns_from_right(self, width: float) -> int:
        total, count = 0.0, 0
        for column in reversed(self.spec.columns):
            if total >= width:
                break
            total += column.width
            count += 1
        return count

    def title_rows(self) -> None:
        """Row 1: the title, centred, with 表号 and 制表机关 at the top right; row 2: who,
        when and in what unit."""
        ws, spec, h = self.ws, self.spec, self.heading
        total_width = sum(c.width for c in spec.columns)
        authority = f"制表机关：{h.authority}"
        corner = min(self.columns_from_right(text_width(authority) + 2), self.width - 1)
        corner = max(1, min(corner, self.width // 2)) if self.width > 1 else 0
        corner_width = sum(c.width for c in spec.columns[self.width - corner :])
        if text_width(authority) + 2 > corner_width:
            authority = f"制表机关：\n{h.authority}"
        block_text = f"表    号：{spec.table_no}\n{authority}"
        spacer = min(self.columns_from_left(corner_width), self.width - corner - 1)
        if self.width - corner - spacer < 1:
            spacer = 0
        title_span = sum(c.width for c in spec.columns[spacer : self.width - corner])
        moved = ""
        if title_span < text_width(spec.title) * 1.8 + 4:  # 18 pt: the title would wrap
            # one very wide column: the title takes the whole row, 表号 goes down to row 2
            spacer, corner, moved = 0, 0, block_text
        cell = ws.cell(1, spacer + 1, spec.title)
        cell.font, cell.alignment = TITLE, CENTER
        self.merge(1, spacer + 1, self.width - corner)
        if corner:
            block = ws.cell(1, self.width - corner + 1, block_text)
            block.font, block.alignment = SMALL, TOP_RIGHT
            self.merge(1, self.width - corner + 1, self.width)
        lines = lines_needed(block_text, corner_width) if corner else 1
        ws.row_dimensions[1].height = max(34.0, 12.0 * lines + 10)

        who = f"填报单位（盖章）：{h.township}"
        when = f"统计截止日期：{h.cutoff:%Y年%m月%d日}"
        unit = f"{moved}\n计量单位：{spec.unit}" if moved else f"计量单位：{spec.unit}"
        left = self.columns_from_left(max(text_width(who) + 2, total_width / 3))
        right = self.columns_from_right(max(text_width(part) for part in unit.split("\n")) + 2)
        if left + right >= self.width:  # a narrow table: who and when share the left cell
            left, right = max(1, self.width - 1), min(1, self.width - 1)
            who, when = f"{who}\n{when}", None
        spans = [(1, left, who, LEFT)]
        if when:
            spans.append((left + 1, self.width - right, when, CENTER))
        if right:
            spans.append((self.width - right + 1, self.width, unit, TOP_RIGHT))
        height = 1
        for first, last, text, align in spans:
            cell = ws.cell(2, first, text)
            cell.font, cell.alignment = BODY, align
            self.merge(2, first, last)
            span_width = sum(c.width for c in spec.columns[first - 1 : last])
            height = max(height, lines_needed(text, span_width))
        ws.row_dimensions[2].height = LINE_HEIGHT * height + 6
        self.row = 3

    def header_rows(self) -> None:
        ws, spec = self.ws, self.spec
        top, depth = self.row, spec.depth
        columns = spec.columns
        heights = [1] * depth
        for level in range(depth):
            index = 0
            while index < len(columns):
                header = columns[index].header
                if len(header) <= level:
                    index += 1
                    continue
                end = index
                while (
                    end + 1 < len(columns)
                    and len(columns[end + 1].header) > level
                    and columns[end + 1].header[: level + 1] == header[: level + 1]
                ):
                    end += 1
                leaf = len(header) == level + 1
                bottom = top + depth - 1 if leaf else top + level
                self.merge(top + level, index + 1, end + 1, bottom)
                cell = ws.cell(top + level, index + 1, header[level])
                span_width = sum(c.width for c in columns[index : end + 1])
                rows_spanned = bottom - (top + level) + 1
                needed = lines_needed(header[level], span_width)
                heights[level] = max(heights[level], math.ceil(needed / rows_spanned))
                index = end + 1
        for level in range(depth):
            for col in range(1, self.width + 1):
                cell = ws.cell(top + level, col)
                cell.font, cell.alignment, cell.border, cell.fill = (
                    BOLD,
                    CENTER,
                    BORDER,
                    HEADER_FILL,
                )
            ws.row_dimensions[top + level].height = LINE_HEIGHT * heights[level] + 6
        self.row = top + depth

    def code_row(self) -> None:
        for col, code in enumerate(self.spec.column_codes(), 1):
            cell = self.ws.cell(self.row, col, code)
            cell.font, cell.alignment, cell.border = BODY, CENTER, BORDER
        self.row += 1

    def totals(self, rows: list[dict]) -> dict:
        """The 合计 row: sums of the printed values, in the first descriptive column '合计'.
        Where rows are marked `_part` (a county's township subtotals), only those add up."""
        rows = [r for r in rows if r.get("_part")] or rows
        total: dict = {}
        label_done = False
        for column in self.spec.columns:
            if column.total == "sum":
                total[column.source] = sum(
                    (r.get(column.source) or 0 for r in rows),
                    Decimal("0.00") if column.type == "money" else 0,
                )
            elif not label_done and column.is_text:
                total[column.source] = "合计"
                label_done = True
        return total

    def data_row(self, row: dict, bold: bool = False) -> None:
        ws = self.ws
        lines = 1
        for col, column in enumerate(self.spec.columns, 1):
            value = display_value(column, row.get(column.source))
            cell = ws.cell(self.row, col)
            if isinstance(value, str):
                if column.type == "text":
                    alignment, number_format = LEFT, "General"
                    lines = max(lines, lines_needed(value, column.width))
                else:  # ID numbers, phones, dates: one line, never wrapped
                    alignment = CENTER_ONE_LINE
                    number_format = "@" if column.type == "id" else "General"
                self.style(cell, BOLD if bold else BODY, alignment, number_format)
                put_text(cell, value)  # after the style: it may add a quote prefix
                continue
            if column.type == "number" and isinstance(value, Decimal):
                places = -value.as_tuple().exponent
                number_format = "0." + "0" * places if places > 0 else "0"
            else:
                number_format = NUMBER_FORMATS.get(column.type, "General")
            alignment = CENTER_ONE_LINE if column.source == "serial" else RIGHT
            self.style(cell, BOLD if bold else BODY, alignment, number_format)
            cell.value = value
        if lines > 1:
            ws.row_dimensions[self.row].height = LINE_HEIGHT * lines + 4
        self.row += 1

    def even_heights(self, first: int, stop: int) -> None:
        """A roster's rows all as high as its tallest, so the list reads evenly."""
        dims = self.ws.row_dimensions
        heights = [dims[r].height for r in range(first, stop) if dims[r].height]
        if heights:
            tallest = max(heights)
            for r in range(first, stop):
                dims[r].height = tallest

    def style(self, cell, font: Font, alignment: Alignment, number_format: str) -> None:
        """Give a body cell its style; openpyxl hashes every style object it is handed, so
        each combination is built once and copied after that."""
        key = (id(font), id(alignment), number_format)
        cached = self.styles.get(key)
        if cached is None:
            cell.font, cell.alignment, cell.border = font, alignment, BORDER
            cell.number_format = number_format
            self.styles[key] = copy(cell._style)
        else:
            cell._style = copy(cached)

    def band_block(self, rows: list[dict]) -> None:
        """表5's band block: 村数 = 无经营性收入 + 5万元以下 + … (banded on 经营性收入)."""
        ws = self.ws
        self.row += 1
        rows = [r for r in rows if not r.get("_subtotal")]  # villages only, not 小计 rows
        labels = ["村数"] + [label for label, _, _ in BANDS]
        counts = [sum(1 for r in rows if r.get("band") == label) for label, _, _ in BANDS]
        values = [len(rows)] + counts
        start = self.row
        cell = ws.cell(start, 1, "收入分档（按经营性收入）")
        cell.font, cell.alignment, cell.border = BOLD, CENTER, BORDER
        self.merge(start, 1, 1, start + 1)
        ws.cell(start + 1, 1).border = BORDER
        for offset, (label, value) in enumerate(zip(labels, values)):
            head = ws.cell(start, 2 + offset, label)
            head.font, head.alignment, head.border, head.fill = BOLD, CENTER, BORDER, HEADER_FILL
            body = ws.cell(start + 1, 2 + offset, value)
            body.font, body.alignment, body.border = BODY, RIGHT, BORDER
            body.number_format = "0"
        ws.row_dimensions[start].height = LINE_HEIGHT * 2 + 6
        self.row = start + 2

    def notes(self) -> None:
        relations = self.spec.relation_texts()
        if not relations:
            return
        self.row += 1
        text = "表内关系：" + "；".join(relations) + "。"
        cell = self.ws.cell(self.row, 1, text)
        cell.font, cell.alignment = SMALL, LEFT
        self.merge(self.row, 1, self.width)
        total_width = sum(c.width for c in self.spec.columns)
        self.ws.row_dimensions[self.row].height = LINE_HEIGHT * lines_needed(text, total_width) + 4
        self.row += 1

    def signature(self) -> None:
        h = self.heading
        reported = f"{h.reported:%Y年%m月%d日}" if h.reported else ""
        parts = [
            "单位负责人：",
            f"填表人：{h.preparer}",
            f"审核人：{h.reviewer}",
            f"联系电话：{h.phone}",
            f"报出日期：{reported}",
        ]
        self.row += 1
        total_width = sum(c.width for c in self.spec.columns)
        if total_width >= 100:
            text = "        ".join(parts)
        else:  # a narrow table: two items a line, never split inside one
            text = "\n".join("    ".join(parts[i : i + 2]) for i in range(0, len(parts), 2))
        cell = self.ws.cell(self.row, 1, text)
        cell.font, cell.alignment = BODY, LEFT
        self.merge(self.row, 1, self.width)
        self.ws.row_dimensions[self.row].height = LINE_HEIGHT * lines_needed(text, total_width) + 6

    def page_setup(self, header_top: int, header_bottom: int, first_data: int) -> None:
        page_setup(
            self.ws,
            header_top,
            header_bottom,
            first_data,
            freeze_column=2 if self.spec.kind == "statistical" else 1,
        )
        if self.spec.portrait:
            self.ws.page_setup.orientation = self.ws.ORIENTATION_PORTRAIT


def page_setup(
    ws: Worksheet, header_top: int, header_bottom: int, first_data: int, freeze_column: int = 1
) -> None:
    """A4 landscape, one page wide, header rows on every page, page numbers, frozen panes."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = 0.6
    ws.page_margins.bottom = 0.7
    ws.page_margins.footer = 0.3
    ws.print_title_rows = f"{header_top}:{header_bottom}"
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.oddFooter.center.font = BODY_FONT
    ws.freeze_panes = ws.cell(first_data, freeze_column)
