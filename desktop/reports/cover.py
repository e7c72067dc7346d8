"""The 封面 (cover) sheet: who reports what, when, and how the workbook is to be read."""

from __future__ import annotations

import datetime as dt

from openpyxl.worksheet.worksheet import Worksheet

from desktop import APP_NAME, __version__
from desktop.reports.writer import (
    BODY,
    BORDER,
    CENTER,
    LEFT,
    TITLE,
    SheetHeading,
    lines_needed,
    page_setup,
    put_text,
)

INSTRUCTIONS = (
    "1. 本报表由“{app}”根据乡镇数据库自动生成，所有合计和主要指标均由明细数据计算，请勿手工修改。",
    "2. 表1—表6 为统计表和名册，表7 为主要指标，“审核情况”列出全部审核结果及填报单位的说明。",
    "3. 金额单位为万元，保留两位小数；合计等于各行打印数之和。身份证号、电话均为文本。",
    "4. 工作簿内含隐藏的数据页，县级汇总时据此合并；导出后手工改动的内容将在汇总时被发现。",
)


MERGED_INSTRUCTIONS = (
    "1. 本报表由“{app}”根据所辖单位报表的数据页自动汇总生成，所有合计和主要指标均由明细数据计算，请勿手工修改。",
    "2. 表1—表6 各单位先列小计、再列明细，表7 为主要指标；“汇总情况”逐一列出收到的文件及其所含乡镇，“汇总问题”列出汇总发现的全部问题。",
    "3. 金额单位为万元，保留两位小数；合计等于各单位小计之和。身份证号、电话均为文本。",
    "4. 工作簿内含隐藏的数据页（各乡镇数据原样保留），上级汇总时据此合并；汇总后手工改动的内容将被发现。",
)
VALUE_WIDTH = 60


def write_cover(
    ws: Worksheet,
    heading: SheetHeading,
    county: str,
    year: int,
    exported_at: dt.datetime,
    *,
    places: list[tuple[str, str]] | None = None,
    summary: list[tuple[str, str]] | None = None,
    title_text: str | None = None,
) -> None:
    """The cover. A merged workbook names its own level in `places` (e.g. 州(市) 楚雄彝族自治州)
    and lists on the sheet itself, in `summary`, the units merged, missing, refused, altered."""
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = VALUE_WIDTH
    title = ws.cell(1, 1, title_text or f"{heading.township}{year}年度党建统计报表")
    title.font, title.alignment = TITLE, CENTER
    ws.merge_cells("A1:B1")
    ws.row_dimensions[1].height = 48
    places = places or [("县(市、区)", county), ("乡镇(街道)", heading.township)]
    items = [
        *places,
        ("统计年度", f"{year}年"),
        ("统计截止日期", f"{heading.cutoff:%Y年%m月%d日}"),
        ("制表机关", heading.authority),
        ("填表人", heading.preparer),
        ("审核人", heading.reviewer),
        ("联系电话", heading.phone),
        ("导出时间", f"{exported_at:%Y-%m-%d %H:%M}"),
        ("程序版本", f"{APP_NAME} {__version__}"),
        *(summary or []),
    ]
    row = 3
    for label, value in items:
        left = ws.cell(row, 1, label)
        left.font, left.alignment, left.border = BODY, CENTER, BORDER
        right = ws.cell(row, 2)
        put_text(right, value or "")
        right.font, right.alignment, right.border = BODY, LEFT, BORDER
        lines = lines_needed(value or "", VALUE_WIDTH)
        ws.row_dimensions[row].height = 22 if lines == 1 else 15 * lines + 6
        row += 1
    row += 1
    head = ws.cell(row, 1, "填报说明")
    head.font = BODY
    row += 1
    for text in MERGED_INSTRUCTIONS if summary is not None else INSTRUCTIONS:
        cell = ws.cell(row, 1, text.format(app=APP_NAME))
        cell.font, cell.alignment = BODY, LEFT
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        ws.row_dimensions[row].height = 15 * lines_needed(cell.value, 82) + 4
        row += 1
    page_setup(ws, 1, 1, 2)
    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
    ws.print_title_rows = None
    ws.freeze_panes = None
