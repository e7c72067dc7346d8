"""Up the hierarchy: two counties merge their townships, the 州 merges the two counties, and
every figure equals merging the six townships at once; a township that arrives twice — also
across levels — is found; a malformed `_data` refuses its file alone."""

import datetime as dt
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from db.connection import DB_FILENAME, close_db, init_db
from db.dump import checksum
from desktop.files import save_atomically
from desktop.merge.county import merge_workbooks
from desktop.reports.export import build_workbook
from desktop.sample_data import generate_sample

COUNTIES = {
    "双柏县": (
        ("妥甸镇", "532322100000", 1),
        ("大庄镇", "532322101000", 2),
        ("法脿镇", "532322102000", 3),
    ),
    "牟定县": (
        ("共和镇", "532323100000", 4),
        ("江坡镇", "532323101000", 5),
        ("凤屯镇", "532323102000", 6),
    ),
}
FIGURE_SHEETS = ("表1", "表2", "表3", "表4", "表5", "表6", "表7", "审核情况")


def export(db: Path, path: Path) -> Path:
    init_db(db)
    wb, *_ = build_workbook(None, exported_at=dt.datetime(2026, 1, 10, 9, 0))
    save_atomically(wb, path)
    close_db()
    return path


@pytest.fixture(scope="module")
def prefecture(tmp_path_factory):
    """Six seeded townships in two counties of 楚雄州, each exported to its county's inbox."""
    root = tmp_path_factory.mktemp("州")
    inboxes, files = {}, {}
    for county, townships in COUNTIES.items():
        inbox = root / county
        inbox.mkdir()
        inboxes[county] = inbox
        for name, code, seed in townships:
            db = root / "db" / name / DB_FILENAME
            generate_sample(db, scale="small", seed=seed, township=name, code=code, county=county)
            close_db()
            files[name] = export(db, inbox / f"{county}_{name}_2025年_党建统计报表.xlsx")
    (root / "县级").mkdir()
    counties = {
        county: merge_workbooks([inbox], root / "县级" / f"{county}.xlsx").path
        for county, inbox in inboxes.items()
    }
    return root, inboxes, files, counties


def rows_of(path: Path, name: str) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


def by_header(rows: list[list], header: str) -> list:
    """A column's values below the header row that holds `header`."""
    top = next(i for i, r in enumerate(rows) if header in r)
    column = rows[top].index(header)
    return [r[column] for r in rows[top + 1 :]]


def test_the_prefecture_merged_from_its_counties_equals_merging_the_townships(prefecture, tmp_path):
    root, inboxes, files, counties = prefecture
    result = merge_workbooks(list(counties.values()), tmp_path / "州.xlsx")
    assert result.level == "prefecture" and result.unit == "楚雄彝族自治州"
    assert len(result.merged) == 6 and result.issues == []
    direct = merge_workbooks(list(inboxes.values()), tmp_path / "直接.xlsx")
    assert direct.level == "prefecture"
    for name in FIGURE_SHEETS:  # every cell, so every figure, read the same way
        assert rows_of(result.path, name) == rows_of(direct.path, name), name
    # and they are the townships' own: each 合计, found by its column code, is their sum
    towns = [files[n] for townships in COUNTIES.values() for n, *_ in townships]
    for name in ("表1", "表5", "表6"):
        ours = totals_by_code(rows_of(result.path, name))
        theirs = [totals_by_code(rows_of(path, name)) for path in towns]
        assert ours.keys() == theirs[0].keys()
        for code, value in ours.items():
            assert round(value, 2) == round(sum(t[code] for t in theirs), 2), (name, code)
    ours = figures(result.path)
    theirs = [figures(path) for path in towns]
    for label in ("党员总数", "行政村(社区)数", "村级集体经济总收入(万元)", "扶持项目数"):
        assert ours[label] == pytest.approx(sum(t[label] for t in theirs)), label


def totals_by_code(rows: list[list]) -> dict[str, float]:
    """The 合计 row's figures keyed by the column codes (1, 2, 3 …) under the header."""
    top = next(i for i, r in enumerate(rows) if r[0] == "甲")
    codes, total = rows[top], rows[top + 1]
    return {c: v for c, v in zip(codes, total) if c.isdigit() and isinstance(v, float)}


def figures(path: Path) -> dict:
    rows = rows_of(path, "表7")
    return dict(zip(by_header(rows, "指标"), by_header(rows, "数值")))


def test_prefecture_sheets_have_county_and_township_columns_and_subtotals(prefecture, tmp_path):
    *_, counties = prefecture
    result = merge_workbooks(list(counties.values()), tmp_path / "州.xlsx")
    book = openpyxl.load_workbook(result.path)
    ws = book["表1"]
    assert (ws["A3"].value, ws["B3"].value) == ("县(市、区)", "乡镇")
    assert any("表    号：州党统1表" in str(c.value) for c in ws[1])
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    subtotals = [(r[0], r[1]) for r in rows if r[2] == "小计"]
    assert subtotals == [
        ("双柏县", None),
        ("双柏县", "妥甸镇"),
        ("双柏县", "大庄镇"),
        ("双柏县", "法脿镇"),
        ("牟定县", None),
        ("牟定县", "共和镇"),
        ("牟定县", "江坡镇"),
        ("牟定县", "凤屯镇"),
    ]
    cover = [[c.value for c in row] for row in book["封面"].iter_rows()]
    assert ["州(市)", "楚雄彝族自治州"] in cover
    assert not any(r[0] in ("乡镇(街道)", "县(市、区)") for r in cover)
    files = rows_of(result.path, "汇总情况")
    names = by_header(files, "单位")
    assert names[:4] == ["双柏县", "妥甸镇", "大庄镇", "法脿镇"] or names[:4] == [
        "双柏县",
        "大庄镇",
        "妥甸镇",
        "法脿镇",
    ]
    assert "牟定县" in names and "凤屯镇" in names


def test_a_township_in_a_county_workbook_and_sent_alone_counts_once(prefecture, tmp_path):
    root, inboxes, files, counties = prefecture
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    for path in [*counties.values(), files["共和镇"]]:
        shutil.copy(path, inbox)
    result = merge_workbooks([inbox], tmp_path / "州.xlsx")
    assert len(result.merged) == 6
    twice = [i for i in result.issues if i["kind"] == "重复报送"]
    assert len(twice) == 1 and "内容相同" in twice[0]["message"]
    assert "牟定县" in twice[0]["message"] and "共和镇" in twice[0]["message"]
    again = merge_workbooks(list(counties.values()), tmp_path / "州2.xlsx")
    assert rows_of(result.path, "表5") == rows_of(again.path, "表5")


def test_one_township_in_two_county_workbooks_is_reported(prefecture, tmp_path):
    root, inboxes, files, counties = prefecture
    other = tmp_path / "错收"
    other.mkdir()
    for path in inboxes["牟定县"].glob("*.xlsx"):
        shutil.copy(path, other)
    shutil.copy(files["妥甸镇"], other)  # 牟定县 merged 双柏县's 妥甸镇 by mistake
    wrong = merge_workbooks([other], tmp_path / "牟定县.xlsx").path
    result = merge_workbooks([counties["双柏县"], wrong], tmp_path / "州.xlsx")
    assert len(result.merged) == 6
    twice = [i for i in result.issues if i["kind"] == "重复报送"]
    assert len(twice) == 1 and "妥甸镇" in twice[0]["message"]


def rewrite_data_line(path: Path, target: Path, damage) -> Path:
    """A copy whose `_data` has one line damaged and its checksum recomputed to match."""
    book = openpyxl.load_workbook(path)
    ws = book["_data"]
    start = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "rows") + 1
    ws.cell(start + 3, 2).value = damage(ws.cell(start + 3, 2).value)
    lines = [ws.cell(r, 2).value for r in range(start, ws.max_row + 1) if ws.cell(r, 2).value]
    sha = next(r for r in range(1, start) if ws.cell(r, 1).value == "sha256")
    ws.cell(sha, 2).value = checksum(lines)
    book.save(target)
    return target


def test_a_malformed_data_line_refuses_that_file_naming_it_and_the_others_merge(
    prefecture, tmp_path
):
    root, inboxes, files, counties = prefecture
    inbox = tmp_path / "收件箱"
    shutil.copytree(inboxes["双柏县"], inbox)
    bad = inbox / "双柏县_大庄镇_2025年_党建统计报表.xlsx"
    rewrite_data_line(bad, bad, lambda line: line[:-5] + "{{{")
    result = merge_workbooks([inbox], tmp_path / "县.xlsx", expected=["妥甸镇", "大庄镇", "法脿镇"])
    assert sorted(f.township for f in result.merged) == ["妥甸镇", "法脿镇"]
    refused = [i for i in result.issues if i["kind"] == "未采用"]
    assert len(refused) == 1
    assert bad.name in refused[0]["message"] and "第 4 条记录无法读取" in refused[0]["message"]
    assert not [i for i in result.issues if i["kind"] == "缺报"]  # received, not missing
    row = next(r for r in rows_of(result.path, "汇总情况") if bad.name in r)
    assert "已收到，未采用" in row


def test_a_county_workbook_with_a_damaged_data_page_is_refused_alone(prefecture, tmp_path):
    *_, counties = prefecture
    damaged = tmp_path / "双柏县损坏.xlsx"
    book = openpyxl.load_workbook(counties["双柏县"])
    ws = book["_data"]
    for row in ws.iter_rows():
        if row[0].value == "lines":
            row[1].value = row[1].value.replace('"', "'", 3)
            break
    book.save(damaged)
    result = merge_workbooks([damaged, counties["牟定县"]], tmp_path / "州.xlsx")
    assert {f.county for f in result.merged} == {"牟定县"} and len(result.merged) == 3
    refused = [i for i in result.issues if i["kind"] == "未采用"]
    assert len(refused) == 1 and damaged.name in refused[0]["message"]
    assert "校验失败" in refused[0]["message"]
    assert json.loads  # the others merged: 牟定县's three townships


def test_demo_makes_a_township_of_another_prefecture_and_the_province_merges_it(
    prefecture, tmp_path, capsys
):
    from desktop.cli import main

    *_, counties = prefecture
    folder = tmp_path / "祥城镇"
    args = ["demo", "--scale", "small", "--data-dir", str(folder), "--township", "祥城镇"]
    assert main([*args, "--prefecture", "大理白族自治州", "--county", "祥云县"]) != 0
    assert "请用 --code 给出祥云县一个乡镇的12位区划代码" in capsys.readouterr().err
    assert (
        main(
            [
                *args,
                "--prefecture",
                "大理白族自治州",
                "--county",
                "双柏县",
                "--code",
                "532322100000",
            ]
        )
        != 0
    )
    assert "大理白族自治州没有名为“双柏县”的县(市、区)" in capsys.readouterr().err
    code = ["--prefecture", "大理白族自治州", "--county", "祥云县", "--code", "532923100000"]
    assert main([*args, *code]) == 0
    township = export(folder / DB_FILENAME, tmp_path / "祥云县_祥城镇.xlsx")
    state = merge_workbooks(list(counties.values()), tmp_path / "州.xlsx").path
    result = merge_workbooks([state, township], tmp_path / "省.xlsx")
    assert (result.level, result.unit) == ("province", "云南省")
    assert len(result.merged) == 7
    ws = openpyxl.load_workbook(result.path)["表1"]
    assert [ws.cell(3, c).value for c in (1, 2, 3)] == ["州(市)", "县(市、区)", "乡镇"]
    places = {(r[0], r[1]) for r in ws.iter_rows(min_row=6, values_only=True) if r[1]}
    assert ("大理白族自治州", "祥云县") in places and ("楚雄彝族自治州", "牟定县") in places


def test_a_county_workbook_edited_by_hand_is_reported_and_merged_from_its_data(
    prefecture, tmp_path
):
    *_, counties = prefecture
    edited = tmp_path / "双柏县改过.xlsx"
    book = openpyxl.load_workbook(counties["双柏县"])
    ws = book["表5"]
    first = next(r for r in range(1, 20) if ws.cell(r, 1).value == "甲") + 1
    ws.cell(first, 4).value = 9999.99  # the 合计 of 总收入, typed over
    book.save(edited)
    result = merge_workbooks([edited, counties["牟定县"]], tmp_path / "州.xlsx")
    assert len(result.merged) == 6
    altered = [i for i in result.issues if i["kind"] == "导出后改动"]
    assert (
        len(altered) == 1
        and "表5" in altered[0]["message"]
        and edited.name in altered[0]["message"]
    )
    clean = merge_workbooks(list(counties.values()), tmp_path / "州2.xlsx")
    assert rows_of(result.path, "表5") == rows_of(clean.path, "表5")  # from `_data`, not the edit
    row = next(r for r in rows_of(result.path, "汇总情况") if r[1] == edited.name)
    assert "已改动" in row
    assert any(t == "导出后改动：双柏县" for t in cell_texts(result.path, "表7"))


def cell_texts(path: Path, sheet: str) -> list[str]:
    return [str(v) for row in rows_of(path, sheet) for v in row if v not in ("", None)]


def test_a_township_the_county_refused_is_named_on_the_prefecture_sheets(prefecture, tmp_path):
    root, inboxes, files, counties = prefecture
    inbox = tmp_path / "双柏县"
    shutil.copytree(inboxes["双柏县"], inbox)
    init_db(root / "db" / "法脿镇" / DB_FILENAME)
    wb, *_ = build_workbook(2024, exported_at=dt.datetime(2026, 1, 10, 9, 0))
    save_atomically(wb, inbox / "双柏县_法脿镇_2025年_党建统计报表.xlsx")  # last year's, resent
    close_db()
    county = merge_workbooks([inbox], tmp_path / "双柏县.xlsx", year=2025).path
    result = merge_workbooks([county, counties["牟定县"]], tmp_path / "州.xlsx")
    assert len(result.merged) == 5
    for sheet in ("表7", "封面"):
        texts = cell_texts(result.path, sheet)
        assert any("双柏县法脿镇（统计年度为 2024，与汇总年度 2025 不符）" in t for t in texts), (
            sheet
        )
    refused = [i for i in result.issues if i["kind"] == "未采用"]
    assert [i["township"] for i in refused] == ["双柏县法脿镇"]


def test_the_merge_page_counts_townships_and_files_at_prefecture_level(prefecture, tmp_path, qtbot):
    """Two county workbooks of six townships: the 县级汇总 page says 6 townships, 2 files
    (not the rows of 汇总情况, which list each county's townships too)."""
    from desktop.ui.import_page import MergePage

    _root, _inboxes, _files, counties = prefecture
    folder = tmp_path / "州收件"
    folder.mkdir()
    for path in counties.values():
        (folder / path.name).write_bytes(path.read_bytes())
    page = MergePage()
    qtbot.addWidget(page)
    page.source.setText(str(folder))
    page.target.setText(str(tmp_path / "州汇总"))
    page.merge()
    qtbot.waitUntil(lambda: page.merge_button.isEnabled(), timeout=120_000)
    assert "汇总乡镇 6 个，收到文件 2 个" in page.result.text()
