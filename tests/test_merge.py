"""汇总: a county merges its townships' workbooks; every figure is the sum of theirs."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from db.connection import DB_FILENAME, close_db, init_db
from db.models import Cadre, CollectiveEconomy, Organization
from db.statistics import BASE_NAMES, base_counts, figures_from, sum_base_counts
from desktop.files import save_atomically
from desktop.merge.county import merge_workbooks
from desktop.reports.export import build_workbook
from desktop.sample_data import generate_sample

TOWNSHIPS = (
    ("妥甸镇", "532322100000", 1),
    ("大庄镇", "532322101000", 2),
    ("法脿镇", "532322102000", 3),
)


def export(folder: Path, db: Path, *, year=None, when=None, name=None) -> Path:
    init_db(db)
    wb, year, _, _ = build_workbook(year, exported_at=when or dt.datetime(2026, 1, 10, 9, 0))
    from db.connection import township

    place = township().name
    path = folder / (name or f"双柏县_{place}_{year}年_党建统计报表.xlsx")
    save_atomically(wb, path)
    close_db()
    return path


@pytest.fixture
def county(tmp_path):
    """Three seeded townships of 双柏县, each with its database and exported workbook."""
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    dbs, files, bases = {}, {}, {}
    for name, code, seed in TOWNSHIPS:
        db = tmp_path / name / DB_FILENAME
        generate_sample(db, scale="small", seed=seed, township=name, code=code)
        bases[name] = base_counts(2025)
        close_db()
        dbs[name] = db
        files[name] = export(inbox, db)
    return inbox, dbs, files, bases


def sheet(path, name):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


def total_row(rows):
    first = next(i for i, row in enumerate(rows) if row[0] == "甲") + 1
    return rows[first]


def test_county_totals_are_the_sums_of_the_townships(county, tmp_path):
    inbox, _, files, bases = county
    result = merge_workbooks([inbox], tmp_path / "县")
    assert {f.township for f in result.merged} == {n for n, _, _ in TOWNSHIPS}
    assert result.issues == []
    for name in ("表1", "表5"):
        county_total = total_row(sheet(result.path, name))[2:]
        townships = [total_row(sheet(files[n], name))[1:] for n, _, _ in TOWNSHIPS]
        for index, value in enumerate(county_total):
            if isinstance(value, float):
                expected = sum(Decimal(str(t[index])) for t in townships)
                assert Decimal(str(value)).quantize(Decimal("0.01")) == expected.quantize(
                    Decimal("0.01")
                ), (name, index)
    rows = sheet(result.path, "表7")
    start = next(i for i, r in enumerate(rows) if r[0] == "指标") + 1
    expected = dict(figures_from(sum_base_counts(list(bases.values()))))
    county_figures = {r[0]: Decimal(str(r[1])) for r in rows[start : start + len(expected)]}
    for label, value in expected.items():
        assert county_figures[label] == Decimal(value), label
    assert county_figures["党员总数"] == sum(b["members"] for b in bases.values())


def test_county_sheets_have_a_township_column_and_subtotals(county, tmp_path):
    inbox, *_ = county
    result = merge_workbooks([inbox], tmp_path / "县")
    book = openpyxl.load_workbook(result.path)
    assert book.sheetnames[-3:] == ["汇总情况", "汇总问题", "_data"]
    assert book["_data"].sheet_state == "hidden"
    ws = book["表1"]
    assert ws["A3"].value == "乡镇"
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    subtotals = [r for r in rows if r[1] == "小计"]
    assert [r[0] for r in subtotals] == ["妥甸镇", "大庄镇", "法脿镇"]
    roster = [[c.value for c in row] for row in book["表3"].iter_rows(min_row=4)]
    assert {r[0] for r in roster if isinstance(r[1], int)} == {"妥甸镇", "大庄镇", "法脿镇"}
    serials = [r[1] for r in roster if isinstance(r[1], int)]
    assert serials == list(range(1, len(serials) + 1))


def test_a_cell_changed_by_hand_after_export_is_reported_and_the_data_still_counts(
    county, tmp_path
):
    inbox, _, files, _ = county
    path = files["大庄镇"]
    book = openpyxl.load_workbook(path)
    ws = book["表5"]
    first = next(r for r in range(1, 20) if ws.cell(r, 1).value == "甲") + 2
    before = ws.cell(first, 3).value
    ws.cell(first, 3).value = 999.99
    book.save(path)
    result = merge_workbooks([inbox], tmp_path / "县")
    altered = [i for i in result.issues if i["kind"] == "导出后改动"]
    assert altered and altered[0]["township"] == "大庄镇"
    village = ws.cell(first, 1).value
    assert f"表5 C{first}（{village}，总收入·经营收入）" in altered[0]["message"]
    assert f"导出时为“{format(float(before), '.12g')}”" in altered[0]["message"]
    assert "现为“999.99”" in altered[0]["message"]
    files_rows = sheet(result.path, "汇总情况")
    row = next(r for r in files_rows if r[2] == "大庄镇")
    assert "已改动" in row and "已汇总" in row
    county_rows = sheet(result.path, "表5")
    assert 999.99 not in [v for r in county_rows for v in r]  # merged from _data


def test_one_id_number_in_two_townships_is_listed(county, tmp_path):
    inbox, dbs, files, _ = county
    init_db(dbs["妥甸镇"])
    shared = Cadre.select().first()
    number, name = shared.id_number, shared.name
    close_db()
    init_db(dbs["大庄镇"])
    twin = Cadre.select().order_by(Cadre.id.desc()).first()
    twin.id_number, twin.birth_date, twin.gender = number, shared.birth_date, shared.gender
    twin.save()
    close_db()
    export(inbox, dbs["大庄镇"], when=dt.datetime(2026, 1, 11, 9, 0), name="大庄镇重报.xlsx")
    result = merge_workbooks([inbox], tmp_path / "县")
    duplicates = [i for i in result.issues if i["kind"] == "身份证号重复"]
    assert len(duplicates) == 1
    assert number in duplicates[0]["message"] and name in duplicates[0]["message"]
    assert (
        duplicates[0]["township"] == "妥甸镇、大庄镇"
        or duplicates[0]["township"] == "大庄镇、妥甸镇"
    )


def test_a_resend_replaces_the_earlier_export_and_says_so(county, tmp_path):
    inbox, dbs, files, bases = county
    init_db(dbs["法脿镇"])
    row = CollectiveEconomy.select().where(CollectiveEconomy.year == 2025).first()
    row.other_income += Decimal("10000")
    row.save()
    close_db()
    newer = export(
        inbox, dbs["法脿镇"], when=dt.datetime(2026, 1, 12, 8, 30), name="法脿镇更正.xlsx"
    )
    result = merge_workbooks([inbox], tmp_path / "县")
    resend = [i for i in result.issues if i["kind"] == "重复报送"]
    assert len(resend) == 1 and "法脿镇更正.xlsx" in resend[0]["message"]
    used = next(f for f in result.merged if f.township == "法脿镇")
    assert used.path == newer
    assert used.base["collective_income"] == bases["法脿镇"]["collective_income"] + Decimal("1.00")


def test_a_wrong_year_file_is_left_out(county, tmp_path):
    inbox, dbs, _, _ = county
    export(inbox, dbs["妥甸镇"], year=2024, name="妥甸镇2024.xlsx")
    result = merge_workbooks([inbox], tmp_path / "县")
    assert result.year == 2025
    left_out = [i for i in result.issues if i["kind"] == "未采用"]
    assert len(left_out) == 1 and "统计年度为 2024，与汇总年度 2025 不符" in left_out[0]["message"]
    assert len(result.merged) == 3


def test_a_damaged_or_foreign_file_is_reported_not_fatal(county, tmp_path):
    inbox, *_ = county
    (inbox / "坏文件.xlsx").write_bytes(b"garbage" * 100)
    other = openpyxl.Workbook()
    other.active.append(["姓名", "身份证号"])
    other.save(inbox / "别的表.xlsx")
    result = merge_workbooks(
        [inbox], tmp_path / "县", expected=["妥甸镇", "大庄镇", "法脿镇", "鄂嘉镇"]
    )
    kinds = [i["kind"] for i in result.issues]
    assert kinds.count("未采用") == 2 and kinds.count("缺报") == 1
    rows = sheet(result.path, "汇总情况")
    assert any("鄂嘉镇" in r and "缺报" in r for r in rows)
    assert len(result.merged) == 3


def test_base_counts_cover_every_key_figure():
    assert set(BASE_NAMES) >= {"members", "secretaries", "collective_income"}


def test_merge_from_the_command_line(county, tmp_path, capsys):
    inbox, *_ = county
    from desktop.cli import main

    assert main(["merge", str(inbox), "-o", str(tmp_path / "县"), "--expect", "妥甸镇,鄂嘉镇"]) == 0
    out = capsys.readouterr()
    assert out.out.strip().endswith(".xlsx") and "汇总_" in out.out
    assert "[缺报] 未收到鄂嘉镇的报表" in out.err


def test_a_branch_moved_under_a_newer_general_branch_still_merges(tmp_path):
    """A 党总支 set up this year takes in an older 党支部: the parent's id comes after the
    child's in `_data`, and the township is merged all the same."""
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    db = tmp_path / "妥甸镇" / DB_FILENAME
    generate_sample(db, scale="small")
    branch = Organization.get(Organization.parent.is_null(False))
    branch.parent = Organization.create(
        name="新设党总支", kind="2", field=branch.field, village=branch.village
    )
    branch.save()
    close_db()
    export(inbox, db)
    result = merge_workbooks([inbox], tmp_path / "县")
    assert [f.problem for f in result.files] == [""]
    rows = sheet(result.path, "表2")
    assert [r[5] for r in rows if r[2] == branch.name] == ["新设党总支"]
