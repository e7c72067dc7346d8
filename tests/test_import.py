"""导入: our own workbook restored exactly, rosters and tables as other programs write them."""

import datetime as dt
import hashlib
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from stdnum.cn import ric

from db import codes
from db.connection import DB_FILENAME, close_db
from db.dump import dump_rows
from db.errors import UserError
from db.models import Appointment, Cadre, CollectiveEconomy, Village
from db.statistics import key_figures
from db.years import years
from desktop.imports.files import read_sheets
from desktop.imports.run import run_import
from desktop.imports.values import parse_code, parse_date
from desktop.reports.export import export_report


def make_id(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


def file_digest(path: Path) -> str:
    close_db()
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def exported_township(sample, data_dir, tmp_path):
    """The `township` sample's workbook, and what its database held."""
    sample("township")
    path = export_report(tmp_path / "out").path
    facts = {year: key_figures(year) for year in years()}, dump_rows()
    close_db()
    return path, facts


# --- our own workbook ----------------------------------------------------------------------


def test_a_new_computer_gets_every_record_of_every_year_back(exported_township, tmp_path):
    path, (figures, rows) = exported_township
    new_folder = tmp_path / "新电脑"
    result = run_import([path], new_folder)
    assert result.applied and result.plans[0].creates_database
    assert {year: key_figures(year) for year in years()} == figures
    assert dump_rows() == rows


def test_importing_the_same_workbook_twice_changes_nothing(exported_township, tmp_path):
    path, (_, rows) = exported_township
    folder = tmp_path / "again"
    run_import([path], folder)
    preview = run_import([path], folder, dry_run=True)
    counts = preview.plans[0].counts()
    assert counts["add"] == counts["update"] == 0 and counts["unchanged"] == sum(
        len(r) for r in rows.values()
    )
    run_import([path], folder)
    assert dump_rows() == rows


def test_a_workbook_of_another_township_is_refused(exported_township, tmp_path):
    path, _ = exported_township
    from desktop.sample_data import generate_sample

    other = tmp_path / "other"
    generate_sample(other / DB_FILENAME, scale="small", township="大庄镇", code="532322101000")
    before = file_digest(other / DB_FILENAME)
    with pytest.raises(UserError, match="不能导入到本乡镇"):
        run_import([path], other)
    assert file_digest(other / DB_FILENAME) == before


def test_a_workbook_whose_data_sheet_was_edited_is_not_restored(exported_township, tmp_path):
    path, _ = exported_township
    book = openpyxl.load_workbook(path)
    ws = book["_data"]
    cell = ws.cell(ws.max_row, 2)
    cell.value = cell.value.replace('"', "'", 1)
    tampered = tmp_path / "改过.xlsx"
    book.save(tampered)
    with pytest.raises(UserError, match="校验失败"):
        run_import([tampered], tmp_path / "fresh")
    assert not (tmp_path / "fresh" / DB_FILENAME).exists()


# --- rosters -------------------------------------------------------------------------------

ZHANG = make_id("53232219750312001")
LI = make_id("53232219800101002")
WANG = make_id("53230119580704003")  # 楚雄市 number of a person born before 1983


def write_roster(path: Path, rows: list[list], header=None, title=True):
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("花名册")
    text = book.add_format({"num_format": "@"})
    top = 0
    if title:
        ws.merge_range(0, 0, 0, 9, "妥甸镇村(社区)“两委”成员花名册")
        ws.write(1, 0, "填报单位：妥甸镇")
        top = 2
    header = header or [
        "序号",
        "姓名",
        "公民身份号码",
        "民族",
        "出生日期",
        "文化程度",
        "政治面貌",
        "所在村",
        "职务",
        "手机号码",
        "籍贯",
    ]
    ws.write_row(top, 0, header)
    for n, row in enumerate(rows, top + 1):
        for c, value in enumerate(row):
            if isinstance(value, str):
                ws.write_string(n, c, value, text)
            elif value is not None:
                ws.write(n, c, value)
    book.close()
    return path


def test_a_roster_typed_in_any_form_is_understood(sample, data_dir, tmp_path):
    sample("small")
    village = Village.select().first().name
    rows = [
        [
            1,
            "张三",
            ZHANG.replace("5", "５"),
            "彝",
            "1975.03",
            "大专",
            "党员",
            village,
            "副书记、副主任",
            "138 1234 5678",
            "双柏",
        ],
        [None],
        [
            2,
            "李四",
            LI[:-1] + LI[-1].lower(),
            "汉族",
            dt.datetime(1980, 1, 1),
            "高中",
            "群众",
            "新建村",
            "委员",
            "13812345679",
            "",
        ],
        [
            3,
            "王五",
            WANG,
            "回族",
            "1958年7月",
            "本科",
            "中共党员",
            village,
            "网格员",
            "0878-3123456",
        ],
        ["", "合计", "", "", "", "", "", "", "", ""],
    ]
    path = write_roster(tmp_path / "名册.xlsx", rows)
    before = Cadre.select().count()
    with pytest.raises(UserError, match="“新建村”不是本乡镇已有的村"):
        run_import([path], data_dir)  # never created silently
    result = run_import([path], data_dir, new_villages={"新建村"})  # the clerk confirmed it
    plan = result.plans[0]
    assert plan.kind == "干部花名册" and plan.new_villages == ["新建村"]
    assert plan.counts() == {"add": 3, "ignore": 1}  # the 合计 line is shown, not imported
    assert [(o.row, o.detail) for o in plan.ignored] == [(8, "合计行")]
    assert Cadre.select().count() == before + 3
    zhang = Cadre.get(Cadre.id_number == ZHANG)
    assert (zhang.ethnicity, zhang.education_fulltime, zhang.political_status) == ("07", "30", "01")
    assert zhang.birth_date == dt.date(1975, 3, 12) and zhang.gender == codes.MALE
    assert zhang.phone == "13812345678"
    posts = {a.post for a in zhang.appointments}
    assert posts == {codes.VILLAGE_DEPUTY_SECRETARY, codes.VILLAGE_DEPUTY_DIRECTOR}
    deputy = next(a for a in zhang.appointments if a.post == codes.VILLAGE_DEPUTY_SECRETARY)
    assert deputy.organization is not None  # linked to the village's own organization
    li = Cadre.get(Cadre.id_number == LI)
    assert li.village.name == "新建村" and li.id_number.endswith(LI[-1].upper())
    assert Cadre.get(Cadre.id_number == WANG).ethnicity == "03"


def test_a_two_level_header_in_another_order_with_extra_columns(sample, data_dir, tmp_path):
    sample("small")
    village = Village.select().first().name
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["干部基本信息表"])
    ws.append(["备用", "基本情况", None, None, "任职情况", None, "学历", None, "其他"])
    ws.append(
        [None, "姓名", "身份证号码", "性别", "现任职务", "任职时间", "全日制", "在职", "政治面貌"]
    )
    ws.merge_cells("B2:D2")
    ws.merge_cells("E2:F2")
    ws.append(
        [
            "x",
            "赵六",
            make_id("53232219900615003"),
            "男",
            "村民小组长",
            "2021.03",
            "初中",
            None,
            "群众",
        ]
    )
    ws.append(
        [
            "y",
            "钱七",
            make_id("53232219851111006"),
            "女",
            "后备干部",
            44197,
            "中专",
            "大专",
            "共青团员",
        ]
    )
    for row in ws.iter_rows(min_row=4):
        row[2].data_type = "s"
    path = tmp_path / "两级表头.xlsx"
    book.save(path)
    with pytest.raises(UserError, match="缺少民族"):
        run_import([path], data_dir)  # new people need an ethnicity: all or nothing
    ws.cell(3, 10, "民族")
    ws.cell(3, 11, "所在村")
    for row in (4, 5):
        ws.cell(row, 10, "彝族")
        ws.cell(row, 11, village)
    book.save(path)
    run_import([path], data_dir)
    zhao = Cadre.get(Cadre.name == "赵六")
    assert zhao.appointments[0].post == codes.GROUP_LEADER
    assert zhao.appointments[0].start_date == dt.date(2021, 3, 1)
    qian = Cadre.get(Cadre.name == "钱七")
    assert qian.gender == codes.FEMALE and qian.education_inservice == "30"
    assert qian.political_status == "03"
    assert qian.appointments[0].start_date == dt.date(2021, 1, 1)  # an Excel date serial


def test_a_mangled_id_stops_the_import_or_goes_to_the_corrections_file(sample, data_dir, tmp_path):
    sample("small")
    village = Village.select().first().name
    rows = [
        [1, "张三", ZHANG, "彝族", "1975.03", "大专", "党员", village, "网格员", "13812345678"],
        [
            2,
            "李四",
            float(LI[:-1] + "0"),
            "汉族",
            "1980.01",
            "高中",
            "群众",
            village,
            "网格员",
            "13812345679",
        ],
    ]
    path = write_roster(tmp_path / "名册.xlsx", rows)
    before = file_digest(data_dir / DB_FILENAME)
    with pytest.raises(UserError) as refused:
        run_import([path], data_dir)
    assert "第5行" in refused.value.message and "存成了数字" in refused.value.message
    assert "设为“文本”格式" in refused.value.message
    assert file_digest(data_dir / DB_FILENAME) == before
    result = run_import([path], data_dir, valid_only=True)
    assert Cadre.get_or_none(Cadre.id_number == ZHANG) is not None
    corrections = result.corrections[0]
    assert corrections.name == "名册_待修正.xlsx"
    sheet = openpyxl.load_workbook(corrections).active
    assert sheet.cell(1, sheet.max_column).value == "未导入原因"
    assert sheet.cell(2, 2).value == "李四"
    assert "存成了数字" in sheet.cell(2, sheet.max_column).value


def test_a_person_already_in_the_database_is_updated_never_duplicated(sample, data_dir, tmp_path):
    sample("small")
    cadre = Cadre.select().where(Cadre.phone != "").first()
    village = cadre.village.name if cadre.village else Village.select().first().name
    rows = [
        [
            1,
            cadre.name,
            cadre.id_number,
            "汉族",
            f"{cadre.birth_date:%Y.%m}",
            "本科",
            "党员",
            village,
            "",
            "13900001111",
        ]
    ]
    path = write_roster(tmp_path / "名册.xlsx", rows)
    count = Cadre.select().count()
    plan = run_import([path], data_dir, dry_run=True).plans[0]
    assert plan.outcomes[0].action == "update" and "联系电话" in plan.outcomes[0].detail
    run_import([path], data_dir)
    assert Cadre.select().count() == count
    assert Cadre.get_by_id(cadre.id).phone == "13900001111"


@pytest.mark.parametrize(
    "row, reason",
    [
        (
            ["张三", ZHANG, "彝族", "1976.03", "大专", "党员"],
            "出生年月1976.03与身份证号中的1975.03不一致",
        ),
        (
            ["张三", ZHANG[:-1] + ("0" if ZHANG[-1] != "0" else "1"), "彝族", "", "大专", "党员"],
            "校验位",
        ),
        (["张三", ZHANG, "火星族", "", "大专", "党员"], "不是有效的民族"),
        (["张三", ZHANG, "彝族", "1975.13", "大专", "党员"], "不是存在的日期"),
        (["", ZHANG, "彝族", "", "大专", "党员"], "姓名不能为空"),
    ],
)
def test_bad_rows_get_a_message_naming_field_and_row(sample, data_dir, tmp_path, row, reason):
    sample("small")
    header = ["姓名", "身份证号", "民族", "出生年月", "学历", "政治面貌"]
    path = write_roster(tmp_path / "名册.xlsx", [row], header=header, title=False)
    plan = run_import([path], data_dir, dry_run=True).plans[0]
    refused = plan.refused[0]
    assert refused.row == 2 and reason in refused.detail


# --- collective economy tables -------------------------------------------------------------


def write_economy(path: Path, unit_line: str, header: list[str], rows: list[list]):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "集体经济"
    ws.append(["2025年村级集体经济收入情况统计表"])
    ws.append([unit_line])
    ws.append(header)
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def test_an_economy_table_in_wan_yuan_with_a_total_row(sample, data_dir, tmp_path):
    sample("small")
    names = [v.name for v in Village.select().order_by(Village.id)]
    header = [
        "村(社区)",
        "总收入",
        "经营收入",
        "发包及上交收入",
        "投资收益",
        "补助收入",
        "其他收入",
        "总支出",
        "资产总额",
        "负债总额",
    ]
    rows = [["合计", 99, 0, 0, 0, 0, 0, 0, 0, 0]] + [
        [name, 20.5, 10.25, 0.25, 0, 10, 0, 8.5, 300, 20] for name in names
    ]
    path = write_economy(tmp_path / "表5.xlsx", "填报单位：妥甸镇    计量单位：万元", header, rows)
    result = run_import([path], data_dir)
    assert result.plans[0].kind == "集体经济收入表"
    row = CollectiveEconomy.get(
        (CollectiveEconomy.village == Village.get(Village.name == names[0]))
        & (CollectiveEconomy.year == 2025)
    )
    assert row.operating_income == Decimal("102500.00")
    assert row.contract_income == Decimal("2500.00") and row.assets == Decimal("3000000.00")
    assert dict(key_figures(2025))["村级集体经济总收入(万元)"] == Decimal("20.50") * len(names)


def test_an_economy_table_in_yuan_said_in_the_headers(sample, data_dir, tmp_path):
    sample("small")
    name = Village.select().first().name
    header = ["村名", "经营收入（元）", "补助收入（元）", "其他收入（元）", "总收入（元）"]
    good = write_economy(
        tmp_path / "元.xlsx", "", header, [[name, 123456.78, 150000, 0, 273456.78]]
    )
    kept = CollectiveEconomy.get(
        (CollectiveEconomy.village == Village.get(Village.name == name))
        & (CollectiveEconomy.year == 2024)
    )
    kept.contract_income = kept.investment_income = 0
    kept.save()
    run_import([good], data_dir, year=2024)
    row = CollectiveEconomy.get(
        (CollectiveEconomy.village == Village.get(Village.name == name))
        & (CollectiveEconomy.year == 2024)
    )
    assert row.operating_income == Decimal("123456.78") and row.subsidy_income == Decimal(150000)
    bad = write_economy(tmp_path / "错.xlsx", "", header, [[name, 100, 100, 0, 300]])
    plan = run_import([bad], data_dir, dry_run=True).plans[0]
    assert "不等于各项收入之和" in plan.refused[0].detail


def test_a_roster_saved_by_libreoffice_from_ods(sample, data_dir, tmp_path):
    soffice = shutil.which("soffice")
    if not soffice:
        pytest.skip("LibreOffice is not installed (make test installs it on Debian)")
    sample("small")
    village = Village.select().first().name
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["姓名", "身份证号", "民族", "出生年月", "学历", "政治面貌", "所在村", "现任职务"])
    ws.append(
        ["孙八", make_id("53232219880808006"), "傈僳", "1988.08", "中专", "团员", village, "网格员"]
    )
    ws["B2"].data_type = "s"
    source = tmp_path / "来源.xlsx"
    book.save(source)
    profile = f"-env:UserInstallation=file://{tmp_path}/lo"
    for target, outdir in (("ods", tmp_path / "ods"), ("xlsx", tmp_path / "back")):
        src = source if target == "ods" else tmp_path / "ods" / "来源.ods"
        subprocess.run(
            [
                soffice,
                profile,
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(outdir),
                str(src),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    run_import([tmp_path / "back" / "来源.xlsx"], data_dir)
    sun = Cadre.get(Cadre.name == "孙八")
    assert sun.ethnicity == "20" and Appointment.get(Appointment.cadre == sun).post == "62"


# --- files that are not workbooks ----------------------------------------------------------


def bad_files(folder: Path) -> dict[str, tuple[Path, str]]:
    folder.mkdir(exist_ok=True)
    files = {}
    old = folder / "旧版.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000)
    files["xls"] = (old, "旧版 Excel")
    locked = folder / "加密.xlsx"
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000)
    files["encrypted"] = (locked, "密码")
    noise = folder / "乱码.xlsx"
    noise.write_bytes(bytes(range(256)) * 40)
    files["random"] = (noise, "已损坏")
    empty = folder / "空.xlsx"
    empty.write_bytes(b"")
    files["empty"] = (empty, "空的")
    doc = folder / "文档.xlsx"
    with zipfile.ZipFile(doc, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    files["not a workbook"] = (doc, "不是 Excel 工作簿")
    bomb = folder / "炸弹.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", "0" * 60_000_000)
    files["zip bomb"] = (bomb, "异常庞大")
    future = folder / "新版压缩.xlsx"
    with zipfile.ZipFile(future, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    data = bytearray(future.read_bytes())
    central = data.rfind(b"PK\x01\x02")
    data[central + 6 : central + 8] = (99).to_bytes(2, "little")  # needs zip version 9.9
    future.write_bytes(bytes(data))
    files["future zip"] = (future, "已损坏")
    text = folder / "名单.csv"
    text.write_text("姓名,身份证号\n", encoding="utf-8")
    files["csv"] = (text, "只能导入")
    files["missing"] = (folder / "没有这个文件.xlsx", "找不到")
    return files


@pytest.mark.parametrize(
    "kind",
    [
        "xls",
        "encrypted",
        "random",
        "empty",
        "not a workbook",
        "zip bomb",
        "csv",
        "missing",
        "future zip",
    ],
)
def test_bad_files_are_refused_with_one_line_and_change_nothing(sample, data_dir, tmp_path, kind):
    sample("small")
    path, reason = bad_files(tmp_path / "bad")[kind]
    before = file_digest(data_dir / DB_FILENAME)
    with pytest.raises(UserError) as refused:
        run_import([path], data_dir)
    assert reason in refused.value.message and path.name in refused.value.message
    assert "\n" not in refused.value.message
    assert file_digest(data_dir / DB_FILENAME) == before


def test_a_workbook_with_no_recognisable_header(sample, data_dir, tmp_path):
    sample("small")
    book = openpyxl.Workbook()
    book.active.append(["品名", "数量"])
    book.active.append(["大米", 3])
    path = tmp_path / "别的表.xlsx"
    book.save(path)
    with pytest.raises(UserError, match="没有找到可识别的表头"):
        run_import([path], data_dir)


def test_wps_style_wrong_dimension_is_read_in_full(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    for n in range(1, 30):
        ws.append([f"第{n}行", n])
    path = tmp_path / "wps.xlsx"
    book.save(path)
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet].replace(b'<dimension ref="A1:B29"/>', b'<dimension ref="A1:A1"/>')
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    rows = read_sheets(path)["Sheet"]
    assert len(rows) == 29 and rows[-1][0] == "第29行"


# --- values ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, date",
    [
        ("1975.03", dt.date(1975, 3, 1)),
        ("1975.3", dt.date(1975, 3, 1)),
        ("1975-03-12", dt.date(1975, 3, 12)),
        ("1975/3/12", dt.date(1975, 3, 12)),
        ("1975年3月", dt.date(1975, 3, 1)),
        ("1975年3月12日", dt.date(1975, 3, 12)),
        ("197503", dt.date(1975, 3, 1)),
        ("19750312", dt.date(1975, 3, 12)),
        (27465, dt.date(1975, 3, 12)),
        (27465.0, dt.date(1975, 3, 12)),
        (1975.03, dt.date(1975, 3, 1)),
        ("１９７５．０３", dt.date(1975, 3, 1)),
        (dt.datetime(1975, 3, 12, 0, 0), dt.date(1975, 3, 12)),
    ],
)
def test_dates_as_people_type_them(typed, date):
    assert parse_date(typed) == date


@pytest.mark.parametrize(
    "table, typed, code",
    [
        ("ethnicity", "彝", "07"),
        ("ethnicity", "彝族", "07"),
        ("ethnicity", "07", "07"),
        ("education", "大专", "30"),
        ("education", "大学专科", "30"),
        ("education", "本科", "20"),
        ("education", "中专", "40"),
        ("political_status", "党员", "01"),
        ("political_status", "预备党员", "02"),
        ("political_status", "团员", "03"),
        ("gender", "女", "2"),
    ],
)
def test_codes_as_people_type_them(table, typed, code):
    assert parse_code(typed, table) == code


def test_a_resident_staff_roster_like_table4_twice(sample, data_dir, tmp_path):
    sample("small")
    village = Village.select().where(Village.kind == codes.VILLAGE).first().name
    header = [
        "序号",
        "姓名",
        "性别",
        "民族",
        "出生年月",
        "身份证号",
        "学历",
        "政治面貌",
        "派出单位",
        "派出单位职务",
        "驻村身份",
        "驻村村(社区)",
        "驻村起止时间",
        "联系电话",
    ]
    number = make_id("53010219900303007")  # a 五华区 (Kunming) number
    rows = [
        [
            1,
            "周九",
            "男",
            "汉族",
            "1990.03",
            number,
            "大学本科",
            "中共党员",
            "省农业科学院",
            "助理研究员",
            "第一书记",
            village,
            "2024.05.01—至今",
            "13700001234",
        ]
    ]
    path = write_roster(tmp_path / "表4.xlsx", rows, header=header)
    run_import([path], data_dir)
    zhou = Cadre.get(Cadre.id_number == number)
    post = Appointment.get(Appointment.cadre == zhou)
    assert post.post == codes.FIRST_SECRETARY and post.sending_unit == "省农业科学院"
    assert post.sending_unit_post == "助理研究员" and post.village.name == village
    assert zhou.village is None  # sent from outside: not a villager
    again = run_import([path], data_dir, dry_run=True).plans[0]
    assert again.counts() == {"unchanged": 1}
