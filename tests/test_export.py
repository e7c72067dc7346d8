"""导出: the county's workbook, read back with two independent readers."""

import datetime as dt
import json
import shutil
from decimal import Decimal

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from db import codes
from db.connection import DB_FILENAME, close_db, init_db
from db.dump import checksum
from db.migrations import LATEST
from db.models import Cadre, CollectiveEconomy, Organization, Village
from db.statistics import band_counts, key_figures
from desktop.reports.data_sheet import read_data_sheet
from desktop.reports.export import BlockingFindings, build_workbook, export_report
from desktop.reports.spec import workbook_specs
from resources import resource_path
from tests import workbook_cells as cells

SHEETS = ["封面", "表1", "表2", "表3", "表4", "表5", "表6", "表7", "审核情况", "_data"]


@pytest.fixture(scope="module")
def exported(sample_templates, tmp_path_factory):
    """The `township` sample exported once: (path, key figures, band counts)."""
    folder = tmp_path_factory.mktemp("export")
    db_path = folder / DB_FILENAME
    shutil.copyfile(sample_templates("township"), db_path)
    init_db(db_path)
    result = export_report(folder, preparer="李四", reviewer="王五", phone="0878-3123456")
    facts = (result, key_figures(2025), band_counts(2025))
    close_db()
    return facts


@pytest.fixture(scope="module")
def books(exported):
    path = exported[0].path
    return openpyxl.load_workbook(path), CalamineWorkbook.from_path(str(path))


def table(book_pair, sheet):
    """The sheet's cells by both readers: (openpyxl worksheet, calamine rows)."""
    ours, theirs = book_pair
    return ours[sheet], theirs.get_sheet_by_name(sheet).to_python()


def header_end(rows):
    """Index (0-based) of the 合计 row: the row right under the column codes (甲 1 2 …)."""
    first = next(i for i, row in enumerate(rows) if row[0] == "甲") + 1
    assert "合计" in [str(v) for v in rows[first][:2]]
    return first


def body_rows(rows, first):
    """The rows under the 合计 row, up to the first blank row."""
    last = first + 1
    while last < len(rows) and any(v not in ("", None) for v in rows[last]):
        last += 1
    return rows[first + 1 : last]


def test_file_is_named_for_the_county_and_has_every_sheet(exported, books):
    result = exported[0]
    assert result.path.name == f"双柏县_妥甸镇_2025年_党建统计报表_{dt.date.today():%Y%m%d}.xlsx"
    assert books[0].sheetnames == SHEETS
    assert books[1].sheet_names == SHEETS
    assert books[0]["_data"].sheet_state == "hidden"
    assert books[0]["_data"].protection.sheet


@pytest.mark.parametrize("sheet", ["表1", "表5", "表6"])
def test_every_total_row_is_the_sum_of_the_printed_rows(books, sheet):
    ws, rows = table(books, sheet)
    spec = next(s for s in workbook_specs() if s.sheet == sheet)
    first = header_end(rows)
    body = body_rows(rows, first)
    assert body, "rows follow the total"
    for index, column in enumerate(spec.columns):
        if column.total != "sum":
            continue
        printed = [Decimal(str(r[index])).quantize(Decimal("0.01")) for r in body]
        total = Decimal(str(rows[first][index])).quantize(Decimal("0.01"))
        assert total == sum(printed), f"{sheet} column {column.header}"
        cell = ws.cell(first + 1, index + 1)
        assert cell.number_format == ("0.00" if column.type == "money" else "0")


def money(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def test_table5_rows_add_up_and_the_band_block_matches(books, exported):
    ws, rows = table(books, "表5")
    parts = ("经营收入", "发包及\n上交收入", "投资收益", "补助收入", "其他收入")
    for row in [cells.total_row(ws)] + cells.body_rows(ws):
        income = [money(row[f"总收入/{part}"]) for part in parts]
        assert money(row["总收入/合计"]) == sum(income)
        assert money(row["经营性收入"]) == sum(income[:3])
    label_row = next(i for i, r in enumerate(rows) if r[1] == "村数")
    labels, counts = rows[label_row][1:8], rows[label_row + 1][1:8]
    bands = exported[2]
    assert int(counts[0]) == sum(bands.values())
    assert {label: int(n) for label, n in zip(labels[1:], counts[1:])} == bands


def test_table7_holds_every_key_figure_exactly(books, exported):
    ws, rows = table(books, "表7")
    start = next(i for i, r in enumerate(rows) if r[0] == "指标") + 1
    printed = rows[start : start + len(exported[1])]
    for (label, value), row in zip(exported[1], printed):
        assert row[0] == label
        assert Decimal(str(row[1])) == Decimal(value), label


def test_table1_and_table7_agree(books, exported):
    total = cells.total_row(books[0]["表1"])
    figures = dict(exported[1])
    assert total["党组织数/合计"] == figures["基层党组织总数"]
    assert total["党员数/合计"] == figures["党员总数"]
    assert total["党组织数/其中/村民小组\n党支部"] == figures["村民小组党支部数"]


def test_id_numbers_and_phones_are_text_in_both_readers(books):
    for sheet, id_col, phone_col in (("表3", 8, 16), ("表4", 6, 14)):
        ws, rows = table(books, sheet)
        ids = [ws.cell(r, id_col) for r in range(5, ws.max_row) if ws.cell(r, id_col).value]
        assert len(ids) > 10
        for cell in ids:
            assert cell.data_type == "s" and cell.number_format == "@"
            assert len(cell.value) == 18
        for row in rows[4:]:
            if row[id_col - 1]:
                assert isinstance(row[id_col - 1], str) and len(row[id_col - 1]) == 18
                assert isinstance(row[phone_col - 1], str)


def test_months_and_dates_print_as_text(books):
    ws, rows = table(books, "表3")
    body = [r for r in rows if isinstance(r[0], float)]
    assert len(body) > 50
    assert all(isinstance(r[5], str) and len(r[5]) == 7 and r[5][4] == "." for r in body)
    assert all(isinstance(r[13], str) and len(r[13]) == 10 for r in body)


def test_table1_header_is_a_merged_three_level_tree(books):
    ws = books[0]["表1"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A3:A5", "B3:H3", "B4:B5", "F4:H4", "I3:O3", "L4:O4", "P3:R3", "S3:S5"} <= merged
    title = next(c for c in ws[1] if c.value)
    assert title.value == "基层党组织基本情况统计表"
    assert title.font.name == "黑体" and title.font.bold
    assert [ws.cell(6, c).value for c in range(1, 5)] == ["甲", "1", "2", "3"]
    assert ws["A7"].value == "合计"
    assert ws["B8"].font.name == "宋体"
    corner = [c.value for c in ws[1] if c.value][-1]
    assert "乡党统1表" in corner and "中共双柏县委组织部" in corner


@pytest.mark.parametrize("sheet", SHEETS[1:-1])
def test_print_settings(books, sheet):
    ws = books[0][sheet]
    setup = ws.page_setup
    assert setup.paperSize == 9  # A4
    assert setup.orientation == ("portrait" if sheet == "表7" else "landscape")
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert setup.fitToWidth == 1 and setup.fitToHeight == 0
    assert ws.print_title_rows and ws.print_title_rows.startswith("$3:$")
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    assert ws.freeze_panes
    assert "填报单位（盖章）：妥甸镇" in str(ws["A2"].value)
    signature = [c.value for row in ws.iter_rows(min_row=ws.max_row - 1) for c in row if c.value]
    assert any("填表人：李四" in str(v) and "审核人：王五" in str(v) for v in signature)


def test_data_sheet_carries_the_whole_database_with_a_valid_checksum(books, exported):
    _, rows = table(books, "_data")
    meta, lines = read_data_sheet(rows)
    assert meta["township_code"] == "532322100000"
    assert meta["report_year"] == "2025"
    assert meta["schema_version"] == str(LATEST)
    assert int(meta["row_count"]) == len(lines)
    assert checksum(lines) == meta["sha256"] == exported[0].checksum
    tables = {json.loads(line)[0] for line in lines}
    assert {"cadre", "org_year", "collective_economy", "project_village"} <= tables
    years = {json.loads(line)[1]["year"] for line in lines if json.loads(line)[0] == "org_year"}
    assert years == {2023, 2024, 2025}  # every year, not only the report's


def test_the_cover_names_township_year_and_people(books):
    ws = books[0]["封面"]
    values = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(3, 14)}
    assert values["乡镇(街道)"] == "妥甸镇" and values["统计年度"] == "2025年"
    assert values["填表人"] == "李四" and values["联系电话"] == "0878-3123456"


def test_findings_sheet_lists_the_warnings_and_their_notes(sample, data_dir):
    sample("small")
    from desktop.checks import explain, run_checks

    finding = next(f for f in run_checks() if f.rule_id == "C13")
    explain(2025, finding, "群众推选，身体健康")
    path = export_report(data_dir).path
    ws = openpyxl.load_workbook(path)["审核情况"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    assert any(r[1] == "C13" and r[2] == "提示性" and r[7] == "群众推选，身体健康" for r in rows)


def test_text_typed_like_a_formula_stays_text(sample, data_dir):
    sample("small")
    org = Organization.select().first()
    org.notes = '=HYPERLINK("http://x","点我")'
    org.save()
    village = Village.select().first()
    village.name = "+大村"
    village.save()
    cadre = Cadre.select().first()
    cadre.notes = "@SUM(A1:A9)"
    cadre.save()
    path = export_report(data_dir).path
    book = openpyxl.load_workbook(path)
    cells = [c for ws in book for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    risky = [c for c in cells if c.value.startswith(("=", "+", "@"))]
    assert {c.value[:3] for c in risky} >= {"=HY", "+大村"[:3]}
    assert all(c.data_type == "s" for c in risky)
    assert all(c.quotePrefix for c in risky if c.value.startswith("="))
    calamine = CalamineWorkbook.from_path(str(path))
    texts = [
        v
        for name in ("表2", "表1")
        for row in calamine.get_sheet_by_name(name).to_python()
        for v in row
    ]
    assert any(isinstance(v, str) and v.startswith("=HYPERLINK") for v in texts)


def test_totals_are_sums_of_printed_values_even_when_rounding_bites(sample, data_dir):
    sample("township")
    CollectiveEconomy.update(other_income=Decimal("50.00")).where(
        CollectiveEconomy.year == 2025
    ).execute()  # 0.005 万元 each: printed 0.01, exact sum of 15 is 0.075
    path = export_report(data_dir).path
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("表5").to_python()
    first = header_end(rows)
    assert Decimal(str(rows[first][6])).quantize(Decimal("0.01")) == Decimal("0.15")
    figures = dict(key_figures(2025))
    assert (
        Decimal(str(rows[first][1])).quantize(Decimal("0.01"))
        == figures["村级集体经济总收入(万元)"]
    )


def test_blocking_findings_stop_the_export_and_write_nothing(sample, data_dir):
    sample("small")
    cadre = Cadre.select().first()
    cadre.ethnicity = "99"
    cadre.save()
    out = data_dir / "out"
    out.mkdir()
    with pytest.raises(BlockingFindings) as refused:
        export_report(out)
    assert "C19" in refused.value.message and "修正后才能导出" in refused.value.message
    assert list(out.iterdir()) == []


def test_a_failed_write_leaves_the_old_file_and_no_partial_one(sample, data_dir, monkeypatch):
    sample("small")
    target = data_dir / "报表.xlsx"
    target.write_bytes(b"the earlier report")

    def disk_full(self, filename):
        with open(filename, "wb") as f:
            f.write(b"PK half a workbook")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", disk_full)
    from db.errors import UserError

    with pytest.raises(UserError, match="磁盘空间不足"):
        export_report(target)
    assert target.read_bytes() == b"the earlier report"
    assert sorted(p.name for p in data_dir.iterdir()) == [DB_FILENAME, "报表.xlsx"] or all(
        not p.name.startswith(".导出中") for p in data_dir.iterdir()
    )


def test_a_file_open_in_another_program_gets_a_clear_message(sample, data_dir, monkeypatch):
    sample("small")
    import os

    def locked(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    from db.errors import UserError

    with pytest.raises(UserError, match="正在 WPS 或 Excel 中打开"):
        export_report(data_dir / "报表.xlsx")
    assert not [p for p in data_dir.iterdir() if p.suffix == ".xlsx"]


def test_a_spec_file_alone_adds_a_column_and_renames_a_title(sample, data_dir, tmp_path):
    sample("small")
    folder = tmp_path / "reports"
    shutil.copytree(resource_path("reports"), folder)
    spec_file = folder / "t2_organization_roster.json"
    spec = json.loads(spec_file.read_text(encoding="utf-8"))
    spec["title"] = "基层党组织名册（县委组织部格式）"
    spec["columns"].insert(
        3, {"header": ["书记", "姓名"], "source": "secretary", "type": "text", "width": 8}
    )
    spec_file.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    wb, *_ = build_workbook(specs=workbook_specs(folder))
    ws = wb["表2"]
    assert [c.value for c in ws[1] if c.value][0] == "基层党组织名册（县委组织部格式）"
    assert ws.cell(3, 4).value == "书记" and ws.cell(4, 4).value == "姓名"
    assert ws.cell(5, 4).value == ws.cell(5, 8).value  # the new column shows the secretary


def test_export_through_the_command_line_remembers_the_preparer(sample, data_dir):
    sample("small")
    close_db()
    from desktop.cli import main

    out = data_dir / "out"
    out.mkdir()
    assert (
        main(
            [
                "export",
                "--data-dir",
                str(data_dir),
                "-o",
                str(out),
                "--preparer",
                "李四",
                "--reviewer",
                "王五",
                "--phone",
                "13812345678",
            ]
        )
        == 0
    )
    first = next(out.iterdir())
    first.unlink()
    assert main(["export", "--data-dir", str(data_dir), "-o", str(out)]) == 0
    cover = openpyxl.load_workbook(next(out.iterdir()))["封面"]
    values = {cover.cell(r, 1).value: cover.cell(r, 2).value for r in range(3, 14)}
    assert values["填表人"] == "李四" and values["审核人"] == "王五"


def test_export_of_a_year_that_does_not_exist_is_refused(sample, data_dir, capsys):
    sample("small")
    close_db()
    from desktop.cli import main

    assert main(["export", "--data-dir", str(data_dir), "--year", "2019"]) == 1
    assert "统计年度 2019 不存在" in capsys.readouterr().err


def test_unused_codes_do_not_matter(sample, data_dir):
    """An organization with no secretary still exports (a warning, not an error)."""
    sample("small")
    Organization.update(kind=codes.BRANCH).where(Organization.id == 1).execute()
    assert export_report(data_dir).path.exists()
