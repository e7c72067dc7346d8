"""导入, rows and cells as county offices make their workbooks: a title, a two-row merged
header, the column-code row, merged cells, a real footer, blanks, error values, formulas
saved without results, hidden sheets. Nothing is skipped unseen; no cell is changed."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from stdnum.cn import ric

from db import codes
from db.connection import DB_FILENAME, close_db
from db.errors import UserError
from db.models import Cadre, CollectiveEconomy, Village
from desktop.cli import main
from desktop.imports.headers import Header, skip_reason
from desktop.imports.run import run_import

COLUMNS = ["序号", "姓名", "性别", "民族", "公民身份号码", "出生年月"]
COLUMNS += ["学历", None, "政治面貌", "村(社区)", "职务", "联系电话", "备注"]


def person_id(birth: str, serial: int) -> str:
    """An ID number of 双柏县 for a birth date (YYYYMMDD); odd serials are men."""
    body = f"532322{birth}{serial:03d}"
    return body + ric.calc_check_digit(body + "0")


def county_roster(path: Path, people: list[list], *, hidden_sheet: bool = True) -> Path:
    """A 两委 roster as a township office makes it with openpyxl: merged title, unit line,
    a two-row header merged vertically and over 学历, the column-code row, the people, a
    blank line and the footer; optionally an older hidden sheet with more columns."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "花名册"
    ws["A1"] = "妥甸镇村(社区)“两委”成员花名册"
    ws.merge_cells("A1:M1")
    ws["A2"] = "填报单位：中共妥甸镇委员会（盖章）"
    ws.merge_cells("A2:F2")
    for col, label in enumerate(COLUMNS, 1):
        ws.cell(3, col, label)
        if label and label != "学历":
            ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
    ws.merge_cells("G3:H3")
    ws["G4"], ws["H4"] = "全日制", "在职"
    ws.append(["甲", "乙", *range(1, 12)])
    for row in people:
        ws.append(row)
        ws.cell(ws.max_row, 5).number_format = "@"
    footer = ws.max_row + 2  # after a blank line
    ws.cell(footer, 1, "填表人：王丽　　审核人：李强　　填报日期：2025年1月10日")
    ws.merge_cells(start_row=footer, start_column=1, end_row=footer, end_column=13)
    ws.cell(footer + 1, 1, "单位负责人：赵刚")
    ws.cell(footer + 1, 6, "联系电话：0878-3123456")
    if hidden_sheet:
        old = book.create_sheet("旧表")
        old.sheet_state = "hidden"
        old.append(  # more columns than the visible sheet: still not read unless picked
            ["姓名", "身份证号", "性别", "民族", "出生年月", "全日制学历", "在职学历", "政治面貌"]
            + ["入党时间", "所在村", "职务", "任现职时间", "联系电话", "派出单位", "备注"]
        )
        old.append(
            ["旧人", person_id("19600101", 11), "男", "汉族", "1960.01", "初中", None, "群众"]
        )
    book.save(path)
    return path


def villages() -> list[str]:
    return [v.name for v in Village.select().where(Village.kind == codes.VILLAGE)]


def cli(capsys, *args) -> tuple[int, str]:
    code = main(["import", *map(str, args)])
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return code, out.out + out.err


def test_a_county_roster_imports_every_person_and_shows_every_line_it_leaves_out(
    sample, data_dir, tmp_path, capsys
):
    sample("small")
    one, two = villages()[:2]
    zhang, zhang_he = person_id("19750312", 11), person_id("19800101", 22)
    li, wang, quan = person_id("19820505", 33), person_id("19700707", 45), person_id("19900909", 56)
    people = [
        [1, "张三", 1, "01", zhang, "1975.03", "大专", None, "党员", one, "网格员", None, None],
        [2, "张合计", 2, "07", zhang_he, "1980.01", "高中", None, "群众", None, "网格员"],
        [3, "李小计", 1, "汉族", li, "1982.05", "中专", None, "群众", None, "村委会委员"],
        [4, "王累计", 1, "彝族", wang, "1970.07", "初中", None, "党员", two, None],
        [5, "全乡红", 2, "白族", quan, "1990.09", "本科", None, "团员", two, "后备干部"],
    ]
    path = county_roster(tmp_path / "两委花名册.xlsx", people)
    book = openpyxl.load_workbook(path)
    book["花名册"].merge_cells("J6:J8")  # 村(社区) written once for three people
    book["花名册"].merge_cells("K8:K9")  # 职务 written once for two
    book.save(path)
    before = Cadre.select().count()
    code, out = cli(capsys, path, "--dry-run", "--data-dir", data_dir)
    assert code == 0
    assert "新增 5 条" in out and "拒绝 0 条" in out and "已忽略 3 行" in out
    assert "[已忽略] 花名册 第5行 甲 乙 1 2" in out and "：列代码行" in out
    assert "[已忽略] 花名册 第12行 填表人：王丽" in out and "第13行 单位负责人：赵刚" in out
    assert "旧表（隐藏，未读取）" in out  # the hidden sheet is listed, not imported
    assert Cadre.select().count() == before  # a preview writes nothing
    code, out = cli(capsys, path, "--data-dir", data_dir)
    assert code == 0 and "已忽略 3 行" in out and "表尾" in out
    assert Cadre.select().count() == before + 5
    assert not (tmp_path / "两委花名册_待修正.xlsx").exists()  # ignored lines are no corrections
    first = Cadre.get(Cadre.id_number == zhang)
    assert (first.name, first.gender, first.ethnicity) == ("张三", codes.MALE, "01")
    for number, village in ((zhang_he, one), (li, one), (wang, two)):
        assert Cadre.get(Cadre.id_number == number).village.name == village  # merged 村(社区)
    for number in (li, wang):  # the merged 职务 belongs to both
        held = [a.post for a in Cadre.get(Cadre.id_number == number).appointments]
        assert held == [codes.VILLAGE_COMMITTEE_MEMBER]
    assert Cadre.get(Cadre.id_number == quan).name == "全乡红"
    assert not Cadre.select().where(Cadre.name.contains("填表人")).exists()
    assert not Cadre.select().where(Cadre.name == "旧人").exists()


@pytest.mark.parametrize(
    "row, reason",
    [
        (["甲", "乙", "1", "2", "3", "4"], "列代码行"),
        (["(1)", "(2)", "(3)", "(4)", "", ""], "列代码行"),
        ([1, "张三", 1, "01", "532322…", "1975.03"], None),  # 序号 1, 性别 1, 民族 01: a person
        ([1, "1", 1, "01", "", ""], None),  # not increasing: not the code row, refused as data
        (["", "合计", "", "", "", ""], "合计行"),
        (["", "合 计", 12, "", "", ""], "合计行"),
        (["合计", "", 12, "", "", ""], "合计行"),
        (["合计", "6人", "", "", "", ""], "合计行"),  # a count where the name goes
        (["合计", "张三", "1", "01", "", ""], None),  # a name: refused as data, not dropped
        (["", "全镇合计", "", "", "", ""], "合计行"),
        (["", "妥甸镇小计", "", "", "", ""], "合计行"),
        (["", "张合计", "1", "01", "", ""], None),
        (["", "李小计", "1", "01", "", ""], None),
        (["", "王累计", "1", "01", "", ""], None),
        (["", "全乡红", "1", "01", "", ""], None),
        (["合计人数：5", "张三", "", "", "", ""], None),  # the name column decides
        (["填表人：王丽   审核人：李强", "", "", "", "", ""], "表尾"),
        (["填表人:", "王丽", "审核人:", "李强", "", ""], "表尾"),
        (["", "填报日期：2025年1月10日", "", "", "", ""], "表尾"),
        (["单位负责人：赵刚", "", "", "", "", "联系电话：0878-3123456"], "表尾"),
        (["报出日期：2025.01.10", "", "", "", "", ""], "表尾"),
        (["注：本表由各村（社区）填报", "", "", "", "", ""], "表尾"),
        (["", "审核人员", "1", "01", "", ""], None),  # a word, not the footer's 审核人：
        (["序号", "姓名", "性别", "民族", "", ""], "表头行"),  # repeated on the next page
    ],
)
def test_lines_that_are_no_record_are_told_by_whole_cells(row, reason):
    header = Header(row=0, columns={"name": 1, "id_number": 4}, labels=COLUMNS[:6])
    assert skip_reason(row, header, 1) == reason


# --- cells ------------------------------------------------------------------------------------


def county_economy(path: Path, rows: list[list], unit: str = "万元") -> Path:
    """表5 as a township makes it: title, unit line, 其中 over the kinds of income, the code
    row, the villages, a 全镇合计 row of SUM formulas (openpyxl saves no results) and the
    footer."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "表5"
    ws["A1"] = "2025年村级集体经济收入情况统计表"
    ws.merge_cells("A1:K1")
    ws["A2"] = f"填报单位：妥甸镇    计量单位：{unit}"
    top = ["村(社区)", "总收入", "其中", None, None, None, None, "总支出", "资产总额"]
    top += ["负债总额", "备注"]
    ws.append(top)
    ws.append([None, None, "经营收入", "发包及上交收入", "投资收益", "补助收入", "其他收入"])
    for col in (1, 2, 8, 9, 10, 11):
        ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
    ws.merge_cells("C3:G3")
    ws.append(["甲", *range(1, 11)])
    for row in rows:
        ws.append(row)
    last = ws.max_row
    ws.append(["全镇合计"] + [f"=SUM({c}6:{c}{last})" for c in "BCDEFGHIJ"])
    ws.append(["填表人：王丽　　审核人：李强　　报出日期：2025年1月10日"])
    book.save(path)
    return path


def stored(name: str, year: int = 2025) -> CollectiveEconomy:
    village = Village.get(Village.name == name)
    return CollectiveEconomy.get(
        (CollectiveEconomy.village == village) & (CollectiveEconomy.year == year)
    )


def test_error_values_and_formulas_without_results_are_refused_naming_row_and_field(
    sample, data_dir, tmp_path, capsys
):
    sample("small")
    one, two, three = villages()[:3]
    rows = [
        [one, 20, 10, 0, 0, 10, 0, 8, 300, 20],
        [two, 20, 10, 0, 0, 10, "#DIV/0!", 8, 300, 20],  # openpyxl stores it as an error cell
        [three, "=SUM(C8:G8)", 10, 0, 0, 10, 0, 8, 300, 20],  # saved without its result
    ]
    path = county_economy(tmp_path / "表5.xlsx", rows)
    kept = {name: stored(name).operating_income for name in (two, three)}
    code, out = cli(capsys, path, "--data-dir", data_dir)
    assert code == 1 and "整个导入已取消" in out
    assert f"表5 第7行 {two}：其他收入：单元格是错误值“#DIV/0!”" in out
    assert f"表5 第8行 {three}：总收入：单元格是公式（=SUM(C8:G8)）" in out
    assert "WPS" in out and "数值" in out  # the hint: save the results as values
    assert "第9行" not in out  # the 全镇合计 line of formulas is no record: not refused
    code, out = cli(capsys, path, "--valid-only", "--data-dir", data_dir)
    assert code == 0 and stored(one).operating_income == Decimal("100000.00")
    assert {name: stored(name).operating_income for name in (two, three)} == kept  # not 0
    sheet = openpyxl.load_workbook(tmp_path / "表5_待修正.xlsx").active
    refused = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(refused) == {two, three}  # not the total line nor the footer
    assert refused[two][6] == "#DIV/0!" and refused[three][1] == "=SUM(C8:G8)"  # as they were
    assert "单元格是公式" in refused[three][-1] and refused[three][-2] == 8


def test_an_excel_error_with_its_cached_value_is_refused_too(sample, data_dir, tmp_path):
    """Excel keeps `<c t="e"><f>…</f><v>#N/A</v></c>`; python-calamine reads it as empty."""
    import zipfile

    sample("small")
    one = villages()[0]
    path = county_economy(tmp_path / "表5.xlsx", [[one, 20, 10, 0, 0, 10, 0, 8, 300, 20]])
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    xml = parts[sheet].decode()
    start = xml.index('<c r="F6"')
    end = xml.index("</c>", start) + 4
    parts[sheet] = (
        xml[:start] + '<c r="F6" t="e"><f>VLOOKUP(A6,X:Y,2,0)</f><v>#N/A</v></c>' + xml[end:]
    ).encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    refused = run_import([path], data_dir, dry_run=True).plans[0].refused
    assert [(o.row, o.detail) for o in refused] == [
        (6, "补助收入：单元格是错误值“#N/A”，请在 WPS 或 Excel 中改正后再导入")
    ]


def test_blank_money_cells_keep_what_is_stored_and_zero_clears(sample, data_dir, tmp_path):
    sample("small")
    one, two = villages()[:2]
    before = {name: stored(name) for name in (one, two)}
    rows = [
        [one, None, 12.5, None, None, None, None, None, None, None],  # only 经营收入 typed
        [two, None, 12.5, None, None, 0, None, None, 0, "-"],  # 0 and - clear
    ]
    plan = run_import([county_economy(tmp_path / "表5.xlsx", rows)], data_dir).plans[0]
    assert [o.detail for o in plan.outcomes if o.action == "update"][0] == "更新：经营收入"
    first, second = stored(one), stored(two)
    assert first.operating_income == second.operating_income == Decimal("125000.00")
    for field in ("subsidy_income", "assets", "liabilities", "expenses", "other_income"):
        assert getattr(first, field) == getattr(before[one], field)  # blank: kept
    assert second.subsidy_income == second.assets == second.liabilities == Decimal(0)
    assert second.expenses == before[two].expenses


def test_an_economy_row_without_a_village_name_is_refused(sample, data_dir, tmp_path):
    sample("small")
    count = Village.select().count()
    rows = [[None, 20, 10, 0, 0, 10, 0, 8, 300, 20]]
    path = county_economy(tmp_path / "表5.xlsx", rows)
    with pytest.raises(UserError, match="第6行.*村\\(社区\\)名称不能为空"):
        run_import([path], data_dir)
    assert Village.select().count() == count and not Village.select().where(Village.name == "")


@pytest.mark.parametrize(
    "typed, message",
    [
        ("NaN", "不是金额"),
        ("Infinity", "不是金额"),
        ("-inf", "不是金额"),
        ("1e300", "过大"),
        (1e300, "过大"),
        (1e8, "过大"),  # 1亿万元 is 1万亿元
        ("12,5万", "不是金额"),
        (True, "不是金额"),
    ],
)
def test_absurd_amounts_are_refused_with_a_message(
    sample, data_dir, tmp_path, capsys, typed, message
):
    sample("small")
    one = villages()[0]
    rows = [[one, None, typed, None, None, None, None, None, None, None]]
    path = county_economy(tmp_path / "表5.xlsx", rows)
    before = (data_dir / DB_FILENAME).read_bytes()
    code, out = cli(capsys, path, "--data-dir", data_dir)
    assert code == 1 and f"第6行 {one}：经营收入：" in out and message in out
    close_db()
    assert (data_dir / DB_FILENAME).read_bytes() == before


def test_control_and_bidi_characters_never_reach_the_database(sample, data_dir, tmp_path):
    from desktop.reports.export import export_report

    sample("small")
    one = villages()[0]
    number = person_id("19750312", 11)
    path = tmp_path / "名册.xlsx"
    book = xlsxwriter.Workbook(str(path))  # it writes char 7 as the _x0007_ escape
    ws = book.add_worksheet("花名册")
    ws.write_row(0, 0, ["姓名", "身份证号", "民族", "政治面貌", "所在村", "职务", "备注"])
    ws.write_row(1, 0, ["张\x07三", number, "彝族", "群众", one, "网格员", "\u202e注备 _x0008_"])
    book.close()
    plan = run_import([path], data_dir).plans[0]
    cadre = Cadre.get(Cadre.id_number == number)
    assert cadre.name == "张三" and cadre.notes == "注备"
    assert "花名册 第2行 姓名：已去除不可见的控制字符（U+0007）" in plan.notices
    assert any("备注" in n and "U+202E" in n for n in plan.notices)
    assert export_report(tmp_path / "out").path.exists()  # the export does not break


@pytest.mark.parametrize(
    "column, typed, message",
    [
        ("姓名", "张" * 51, "姓名：不能超过50个字（现为51个字）"),
        ("备注", "很长的备注" * 101, "备注：不能超过500个字（现为505个字）"),
        ("派出单位", "省" * 101, "派出单位：不能超过100个字"),
    ],
)
def test_text_over_its_limit_is_refused_with_the_field(
    sample, data_dir, tmp_path, column, typed, message
):
    sample("small")
    header = ["姓名", "身份证号", "民族", "政治面貌", column]
    values = {"姓名": "张三", column: typed}
    book = openpyxl.Workbook()
    book.active.append(header)
    book.active.append([values["姓名"], person_id("19750312", 11), "彝族", "群众", values[column]])
    book.save(tmp_path / "名册.xlsx")
    refused = run_import([tmp_path / "名册.xlsx"], data_dir, dry_run=True).plans[0].refused
    assert len(refused) == 1 and message in refused[0].detail


def test_a_hidden_sheet_is_imported_only_when_the_clerk_picks_it(
    sample, data_dir, tmp_path, capsys
):
    sample("small")
    one = villages()[0]
    people = [[1, "张三", 1, "01", person_id("19750312", 11), "1975.03", "大专", None, "党员", one]]
    path = county_roster(tmp_path / "名册.xlsx", people)
    code, out = cli(capsys, path, "--dry-run", "--data-dir", data_dir)
    assert "花名册（已读取）、旧表（隐藏，未读取）" in out and "旧人" not in out
    code, out = cli(capsys, path, "--dry-run", "--sheet", "旧表", "--data-dir", data_dir)
    assert code == 0 and "旧人" in out and "张三" not in out
    assert "花名册（未读取）、旧表（隐藏，已读取）" in out
    code, out = cli(capsys, path, "--sheet", "没有", "--data-dir", data_dir)
    assert code == 1 and "没有名为“没有”的工作表（有：花名册、旧表）" in out
    book = openpyxl.load_workbook(path)
    del book["花名册"]
    book.create_sheet("说明").append(["本表说明"])
    book.save(path)
    code, out = cli(capsys, path, "--data-dir", data_dir)
    assert code == 1 and "只有隐藏的工作表（旧表）有可识别的表头" in out and "--sheet" in out


def test_blank_roster_cells_keep_what_is_stored(sample, data_dir, tmp_path):
    sample("small")
    cadre = Cadre.select().where((Cadre.phone != "") & (Cadre.education_fulltime != "")).first()
    kept = {f: getattr(cadre, f) for f in ("ethnicity", "education_fulltime", "phone", "notes")}
    book = openpyxl.Workbook()
    book.active.append(["姓名", "身份证号", "民族", "学历", "联系电话", "备注", "政治面貌"])
    book.active.append([cadre.name, cadre.id_number, None, "", None, None, None])
    book.save(tmp_path / "名册.xlsx")
    plan = run_import([tmp_path / "名册.xlsx"], data_dir).plans[0]
    assert plan.counts() == {"unchanged": 1}
    fresh = Cadre.get_by_id(cadre.id)
    assert {f: getattr(fresh, f) for f in kept} == kept


def test_a_merged_start_date_is_every_members_date(sample, data_dir, tmp_path):
    """A merged 任现职时间 for a whole 两委 elected on one day is every member's date."""
    sample("small")
    one = villages()[0]
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["姓名", "身份证号", "民族", "政治面貌", "所在村", "职务", "任现职时间"])
    ws.append(["甲某", person_id("19750312", 11), "彝族", "群众", one, "网格员", "2021.03"])
    ws.append(["乙某", person_id("19760312", 22), "彝族", "群众", None, "网格员", None])
    ws.merge_cells("E2:E3")
    ws.merge_cells("G2:G3")
    book.save(tmp_path / "名册.xlsx")
    run_import([tmp_path / "名册.xlsx"], data_dir)
    for number in (person_id("19750312", 11), person_id("19760312", 22)):
        post = Cadre.get(Cadre.id_number == number).appointments[0]
        assert post.start_date == dt.date(2021, 3, 1) and post.village.name == one


# --- the import page -------------------------------------------------------------------------


@pytest.fixture
def import_page(qtbot, sample, data_dir):
    from desktop.ui.import_page import ImportPage
    from desktop.ui.worker import Jobs

    sample("small")
    close_db()  # the page's jobs open the database on their own thread
    page = ImportPage(Jobs(), data_dir)
    qtbot.addWidget(page)
    page.load(2025)
    page.show()
    yield page
    page.jobs.wait()


def test_the_preview_lists_ignored_lines_and_offers_the_hidden_sheet(import_page, qtbot, tmp_path):
    from db.connection import init_db

    page = import_page
    init_db(page.data_dir / DB_FILENAME)
    one = villages()[0]
    close_db()
    people = [[1, "张三", 1, "01", person_id("19750312", 11), "1975.03", "大专", None, "党员", one]]
    path = county_roster(tmp_path / "名册.xlsx", people)
    page.preview([path])
    qtbot.waitUntil(page.import_button.isEnabled, timeout=20_000)
    rows = [(r["action"], r["where"], r["detail"]) for r in page.model.rows]
    assert ("已忽略", "花名册 第5行", "列代码行") in rows
    assert ("已忽略", "花名册 第8行", "表尾") in rows and ("已忽略", "花名册 第9行", "表尾") in rows
    assert "新增 1 条" in page.summary.text() and "已忽略 3 行" in page.summary.text()
    assert "旧表（隐藏，未读取）" in page.summary.text()
    ignored = next(i for i, r in enumerate(page.model.rows) if r["action"] == "已忽略")
    assert not page.model.rows[ignored]["refused"]  # nothing to correct: it is no record
    assert page.sheet_choice.isVisible()
    choices = [page.sheet_choice.itemText(i) for i in range(page.sheet_choice.count())]
    assert choices == ["可见的工作表", "花名册", "旧表（隐藏）"]
    page.sheet_choice.setCurrentIndex(2)  # the clerk picks the hidden sheet
    qtbot.waitUntil(page.import_button.isEnabled, timeout=20_000)
    assert [r["label"] for r in page.model.rows][0].startswith("旧人")
    assert "旧表（隐藏，已读取）" in page.summary.text()
    page.apply()
    qtbot.waitUntil(lambda: "导入完成" in page.summary.text(), timeout=20_000)
    init_db(page.data_dir / DB_FILENAME)
    assert Cadre.select().where(Cadre.name == "旧人").exists()
    assert not Cadre.select().where(Cadre.name == "张三").exists()


def test_forms_take_the_same_limits_and_drop_invisible_characters(sample):
    from desktop.forms import cadre_form, village_form
    from desktop.validators import TEXT_LIMITS

    sample("small")
    form = cadre_form.CadreInput(
        name="张" * 51,
        id_number=person_id("19750312", 11),
        ethnicity="01",
        political_status="13",
        notes="备\u202e注" + "很" * TEXT_LIMITS["notes"],
    )
    cadre_form.check(form)
    assert form.errors["name"] == "不能超过50个字（现为51个字）"
    assert form.errors["notes"] == "不能超过500个字（现为502个字）"
    form.name, form.notes = "张\x07三", "备\u202e注"
    values = cadre_form.check(form)
    assert not form.errors and (values["name"], values["notes"]) == ("张三", "备注")
    place = village_form.VillageInput(name="新" * 51 + "村")
    village_form.check(place, None, "532322100000")
    assert place.errors["name"] == "不能超过50个字（现为52个字）"


def test_an_error_cell_is_corrected_in_the_preview(import_page, qtbot, tmp_path, monkeypatch):
    from db.connection import init_db
    from desktop.ui.import_page import RowFixDialog

    page = import_page
    init_db(page.data_dir / DB_FILENAME)
    one = villages()[0]
    close_db()
    rows = [[one, 20, 10, 0, 0, 10, "#DIV/0!", 8, 300, 20]]
    page.preview([county_economy(tmp_path / "表5.xlsx", rows)])
    qtbot.waitUntil(page.import_button.isEnabled, timeout=20_000)
    assert "拒绝 1 条" in page.summary.text() and "已忽略 3 行" in page.summary.text()
    refused = next(i for i, r in enumerate(page.model.rows) if r["refused"])
    assert "其他收入：单元格是错误值“#DIV/0!”" in page.model.rows[refused]["detail"]
    page.table.selectRow(refused)

    def clerk(dialog):
        edit = next(e for e in dialog.edits if e.text() == "#DIV/0!")  # shown as it was
        edit.setText("0")
        return 1

    monkeypatch.setattr(RowFixDialog, "exec", clerk)
    page.fix_row()
    qtbot.waitUntil(page.import_button.isEnabled, timeout=20_000)
    assert "拒绝 0 条" in page.summary.text() and "更新 1 条" in page.summary.text()
    assert page.model.rows[refused]["action"] == "更新（已修正）"


@pytest.mark.parametrize("typed", ["NaN", "Infinity", "-inf", "1e300", "100000000"])
def test_the_economy_grid_refuses_absurd_amounts_with_a_message(sample, typed):
    from desktop.forms.economy_grid import set_amount

    sample("small")
    village = Village.get(Village.name == villages()[0])
    before = stored(village.name).operating_income
    with pytest.raises(UserError, match=f"{village.name}的经营收入：“{typed}”"):
        set_amount(village.id, village.name, 2025, "operating_income", typed)
    assert stored(village.name).operating_income == before


def test_an_export_with_a_control_character_in_the_preparer_still_works(sample, tmp_path):
    from desktop.reports.export import export_report

    sample("small")
    path = export_report(tmp_path / "out", preparer="王\x07丽", reviewer="\u202e李强").path
    cover = openpyxl.load_workbook(path)["封面"]
    texts = [c.value for row in cover.iter_rows() for c in row if isinstance(c.value, str)]
    assert any("王丽" in t for t in texts) and not any("\x07" in t for t in texts)
