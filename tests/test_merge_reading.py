"""The county workbook as a reviewer reads it, page by page: what is missing, refused,
altered or sent twice is said on 表7 and 封面 themselves; the level's 表号 and cover; 表6
小计; whole-width titles; money in 万元; roster rows of even height."""

import datetime as dt
import re
import shutil

import openpyxl
import pytest

from db.connection import DB_FILENAME, close_db, init_db
from desktop.files import save_atomically
from desktop.merge.county import merge_workbooks
from desktop.reports.export import build_workbook
from desktop.sample_data import generate_sample

TOWNSHIPS = (
    ("妥甸镇", "532322100000", 1),
    ("大庄镇", "532322101000", 2),
    ("法脿镇", "532322102000", 3),
)
EXPECTED = ["妥甸镇", "大庄镇", "法脿镇", "鄂嘉镇"]


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """双柏县's inbox on a bad day: 妥甸镇 sent twice (the same file), 大庄镇 edited by hand
    after export, 法脿镇 sent last year's report, 鄂嘉镇 sent nothing."""
    root = tmp_path_factory.mktemp("县")
    inbox = root / "收件箱"
    inbox.mkdir()
    for name, code, seed in TOWNSHIPS:
        db = root / name / DB_FILENAME
        generate_sample(db, scale="small", seed=seed, township=name, code=code)
        close_db()
        init_db(db)
        year = 2024 if name == "法脿镇" else None
        wb, *_ = build_workbook(year, exported_at=dt.datetime(2026, 1, 10, 9, 0))
        save_atomically(wb, inbox / f"双柏县_{name}_党建统计报表.xlsx")
        close_db()
    shutil.copy(inbox / "双柏县_妥甸镇_党建统计报表.xlsx", inbox / "妥甸镇（再发一次）.xlsx")
    edited = inbox / "双柏县_大庄镇_党建统计报表.xlsx"
    book = openpyxl.load_workbook(edited)
    ws = book["表5"]
    first = next(r for r in range(1, 20) if ws.cell(r, 1).value == "甲") + 2
    ws.cell(first, 3).value = 999.99
    book.save(edited)
    result = merge_workbooks([inbox], root / "汇总", expected=EXPECTED, year=2025)
    return result, openpyxl.load_workbook(result.path)


def texts(ws) -> list[str]:
    return [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]


def test_table_7_names_the_missing_refused_altered_and_twice_sent_townships(county):
    _, book = county
    lines = texts(book["表7"])
    assert "缺报：鄂嘉镇" in lines
    refused = next(t for t in lines if t.startswith("已收到，未采用："))
    assert "法脿镇" in refused and "统计年度为 2024，与汇总年度 2025 不符" in refused
    assert "导出后改动：大庄镇" in lines
    twice = next(t for t in lines if t.startswith("重复报送："))
    assert "妥甸镇" in twice and "内容相同" in twice
    assert not any("未收到法脿镇" in t for t in lines)


def test_the_cover_says_county_and_names_the_same_units(county):
    _, book = county
    rows = [[c.value for c in row] for row in book["封面"].iter_rows(max_col=2)]
    pairs = {r[0]: r[1] for r in rows if r[0]}
    assert pairs["县(市、区)"] == "双柏县"
    assert "乡镇(街道)" not in pairs
    assert pairs["缺报"] == "鄂嘉镇"
    assert "统计年度为 2024" in pairs["已收到，未采用"]
    assert pairs["导出后改动"] == "大庄镇"
    assert pairs["已汇总"] == "2 个乡镇：妥甸镇、大庄镇"
    assert rows[0][0] == "双柏县2025年度党建统计报表（汇总）"


def test_a_refused_file_is_received_not_missing_and_a_twin_is_identical(county):
    result, book = county
    kinds = {(i["kind"], i["township"]) for i in result.issues}
    assert ("缺报", "法脿镇") not in kinds and ("缺报", "鄂嘉镇") in kinds
    rows = [[c.value for c in row] for row in book["汇总情况"].iter_rows()]
    refused = next(r for r in rows if r[1] == "双柏县_法脿镇_党建统计报表.xlsx")
    assert "已收到，未采用" in refused and "统计年度为 2024" in refused[-1]
    twin = next(r for r in rows if r[1] == "妥甸镇（再发一次）.xlsx")
    assert "重复，只计一次" in twin and "内容相同" in twin[-1]
    messages = " ".join(i["message"] for i in result.issues)
    assert "较新" not in messages and "替代" not in messages


def test_sheets_carry_the_county_table_numbers(county):
    _, book = county
    for sheet, number in (
        ("表1", "县党统1表"),
        ("表5", "县农经5表"),
        ("表7", "县党统7表"),
        ("汇总情况", "县汇总表"),
        ("汇总问题", "县汇总表"),
    ):
        assert any(f"表    号：{number}" in t for t in texts(book[sheet])), sheet
    assert not any("乡党统" in t or "乡农经" in t for ws in book.worksheets[:-1] for t in texts(ws))


def test_table_6_has_a_subtotal_per_township_that_add_up_to_the_total(county):
    _, book = county
    ws = book["表6"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[2][:3] == ["乡镇", "序号", "项目名称"]
    subtotals = [r for r in rows if r[2] == "小计"]
    assert [r[0] for r in subtotals] == ["妥甸镇", "大庄镇"]
    total = next(r for r in rows if r[0] == "合计")
    column = rows[2].index("当年收益")
    assert round(sum(r[column] for r in subtotals), 2) == round(total[column], 2)
    serials = [r[1] for r in rows if isinstance(r[1], int)]
    assert serials == list(range(1, len(serials) + 1))


def test_the_issues_title_spans_the_whole_table(county):
    _, book = county
    ws = book["汇总问题"]
    assert ws["A1"].value == "汇总发现的问题"
    assert f"A1:{openpyxl.utils.get_column_letter(ws.max_column)}1" in {
        str(r) for r in ws.merged_cells.ranges
    }


def test_findings_give_money_in_wan_yuan_like_the_sheets(county):
    _, book = county
    messages = texts(book["审核情况"])
    assert any("万元超过资产总额" in t for t in messages)
    assert not any(re.search(r"\d元", t) for t in messages)


@pytest.mark.parametrize("sheet", ["表3", "表4"])
def test_roster_rows_are_of_even_height(county, sheet):
    _, book = county
    ws = book[sheet]
    data = [r for r in range(1, ws.max_row + 1) if isinstance(ws.cell(r, 2).value, int)]
    assert len(data) > 5
    heights = {ws.row_dimensions[r].height for r in data}
    assert len(heights) == 1, heights
