"""Faithful input (issue 12, points 3, 4, 7): villages never created silently, an unknown
任现职时间 stays unknown, and only dates that can be are accepted — by the CLI, the forms
and the 审核 rules alike."""

import datetime as dt
from decimal import Decimal

import openpyxl
import pytest

from db import codes
from db.connection import DB_FILENAME, close_db, init_db
from db.dates import date_bound
from db.errors import UserError
from db.models import Appointment, Cadre, CollectiveEconomy, Village, VillageYear
from db.statistics import key_figures
from desktop.checks.engine import run_checks
from desktop.forms import appointment_form, cadre_form
from desktop.forms.appointment_form import AppointmentInput
from desktop.forms.cadre_form import CadreInput
from desktop.imports.values import parse_date
from desktop.imports.villages import VillageNames
from desktop.reports.export import export_report
from tests.test_cli import run
from tests.test_import import LI, ZHANG, file_digest, make_id, write_economy, write_roster

ZHAO = make_id("53232219700101004")


def roster_row(serial, name, id_number, village, posts, start=None):
    row = [serial, name, id_number, "彝族", "", "高中", "党员", village, posts, "13812345678", ""]
    return row if start is None else [*row, start]


def write_roster_with_start(path, rows):
    header = [
        "序号",
        "姓名",
        "公民身份号码",
        "民族",
        "出生年月",
        "文化程度",
        "政治面貌",
        "所在村",
        "职务",
        "手机号码",
        "籍贯",
        "任现职时间",
    ]
    return write_roster(path, rows, header=header)


def cli_import(data_dir, *args):
    close_db()
    result = run("import", *map(str, args), data_dir=data_dir)
    init_db(data_dir / DB_FILENAME)
    return result


# --- point 4: an unknown 任现职时间 stays unknown -------------------------------------------


def test_a_roster_without_post_start_stores_it_unknown_and_checking_asks_for_it(
    sample, data_dir, tmp_path
):
    sample("small")
    village = Village.select().order_by(Village.sort_order).first().name
    rows = [
        roster_row(1, "张三", ZHANG, village, "副主任", ""),
        roster_row(2, "李四", LI, village, "委员", "2021.03"),
    ]
    path = write_roster_with_start(tmp_path / "名册.xlsx", rows)
    preview = cli_import(data_dir, path, "--dry-run")
    assert preview.returncode == 0, preview.stderr
    assert "任现职时间未填，记为空白" in preview.stdout and "按2025" not in preview.stdout
    assert cli_import(data_dir, path).returncode == 0
    zhang = Cadre.get(Cadre.id_number == ZHANG).appointments[0]
    assert zhang.start_date is None  # never 2025.01.01
    li = Cadre.get(Cadre.id_number == LI).appointments[0]
    assert li.start_date == dt.date(2021, 3, 1)
    close_db()
    check = run("check", data_dir=data_dir)
    assert "[提示性] C20" in check.stdout and "张三" in check.stdout
    assert "副主任的任现职时间未填，请补填" in check.stdout
    assert not any("C20" in line and "李四" in line for line in check.stdout.splitlines())
    init_db(data_dir / DB_FILENAME)
    book = openpyxl.load_workbook(export_report(tmp_path / "out").path)
    ws = book["表3"]
    header = next(r for r in ws.iter_rows(values_only=True) if "任现职时间" in r)
    start_col, id_col = header.index("任现职时间"), header.index("身份证号")
    printed = {r[id_col]: r[start_col] for r in ws.iter_rows(values_only=True)}
    assert printed[ZHANG] in (None, "")  # printed blank, not an invented 1 January
    assert printed[LI] not in (None, "")


def test_a_post_of_unknown_start_is_held_at_the_cutoff_and_counted(sample):
    sample("small")
    secretary = (
        Appointment.select()
        .where((Appointment.post == codes.VILLAGE_SECRETARY) & Appointment.end_date.is_null())
        .first()
    )
    before = dict(key_figures(2025))
    Appointment.update(start_date=None).where(Appointment.id == secretary.id).execute()
    assert dict(key_figures(2025)) == before  # held since unknown = held
    findings = [f for f in run_checks(2025) if f.rule_id in ("C10", "C11", "C12", "C20")]
    assert [f.rule_id for f in findings] == ["C20"]


# --- point 7: dates that can be ------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, words",
    [
        ("75.3", "无法判断是哪一年"),
        ("1.1", "无法判断是哪一年"),
        ("75.03.12", "无法判断是哪一年"),
        (75.3, "年份请写四位"),
        (75, "年份请写四位"),
        (1975, "只有年份"),
        ("1899.12", "早于1900年"),
        ("2099.01", "晚于统计截止日期2025.12.31"),
        ("9999.12.31", "晚于统计截止日期2025.12.31"),
    ],
)
def test_a_date_that_cannot_be_is_refused_never_guessed(blank, typed, words):
    with pytest.raises(ValueError, match=words):
        parse_date(typed, bound=date_bound(today=dt.date(2025, 6, 1)))


def test_the_bound_is_the_cutoff_or_today_whichever_is_later(blank):
    assert date_bound(today=dt.date(2025, 6, 1)).latest == dt.date(2025, 12, 31)
    later = date_bound(today=dt.date(2026, 3, 2))  # the 2025 report is made in spring 2026
    assert (later.latest, later.reason) == (dt.date(2026, 3, 2), "今天")
    assert later.problem(dt.date(2026, 2, 1)) == ""  # a 离任 of last month can be recorded
    assert later.problem(dt.date(2027, 7, 1), planned=True) == ""  # 派驻期满, planned
    assert "不像是计划日期" in later.problem(dt.date(2099, 1, 1), planned=True)


def test_a_roster_with_impossible_dates_is_refused_row_by_row_via_the_cli(
    sample, data_dir, tmp_path
):
    sample("small")
    village = Village.select().order_by(Village.sort_order).first().name
    rows = [
        roster_row(1, "张三", ZHANG, village, "委员", "2099.01"),
        roster_row(2, "李四", LI, village, "委员", "75.3"),
        roster_row(3, "赵五", ZHAO, village, "委员", "1.1"),
    ]
    rows[0][4] = "1975.03"
    rows[1][4] = "1980.01"
    rows[2][4] = "1970.01"
    path = write_roster_with_start(tmp_path / "名册.xlsx", rows)
    before = Cadre.select().count()
    result = cli_import(data_dir, path)
    assert result.returncode == 1 and "有 3 行不能导入" in result.stderr
    for row, words in ((4, "“2099.01”晚于"), (5, "“75.3”无法判断是哪一年"), (6, "“1.1”无法判断")):
        line = next(x for x in result.stderr.splitlines() if f"第{row}行" in x)
        assert "任现职时间" in line and words in line
    assert Cadre.select().count() == before


def test_joining_the_party_before_18_is_refused_at_import(sample, data_dir, tmp_path):
    sample("small")
    village = Village.select().order_by(Village.sort_order).first().name
    header = ["姓名", "身份证号", "民族", "政治面貌", "入党时间", "所在村", "职务"]
    rows = [["张三", ZHANG, "彝族", "党员", "1992.07", village, "委员"]]  # born 1975.03.12
    path = write_roster(tmp_path / "名册.xlsx", rows, header=header, title=False)
    result = cli_import(data_dir, path)
    assert result.returncode == 1
    assert "第2行" in result.stderr and "入党时间：1992.07.01入党时未满18周岁" in result.stderr
    assert Cadre.get_or_none(Cadre.id_number == ZHANG) is None


def test_the_forms_refuse_future_and_two_digit_dates(blank):
    form = CadreInput(
        name="张三", id_number=ZHANG, ethnicity="07", political_status="01", party_joined="2099.01"
    )
    cadre_form.check(form)
    assert "晚于" in form.errors["party_joined"]
    form.party_joined = "93.7"
    cadre_form.check(form)
    assert "无法判断是哪一年" in form.errors["party_joined"]
    form.party_joined = "1993.03.11"  # the day before the 18th birthday
    cadre_form.check(form)
    assert "年满18周岁" in form.errors["party_joined"]
    form.party_joined = "1993.03.12"
    cadre_form.check(form)
    assert "party_joined" not in form.errors
    cadre = cadre_form.save(form)
    village = Village.create(name="永安村", kind=codes.VILLAGE)
    post = AppointmentInput(
        post=codes.VILLAGE_COMMITTEE_MEMBER, village=village.id, start="2099.03"
    )
    appointment_form.check(post, cadre.id)
    assert "晚于" in post.errors["start"]
    post.start, post.end = "2021.03", "2099.01"
    appointment_form.check(post, cadre.id)
    assert "晚于" in post.errors["end"]  # a 村委会 post ends on a day already past
    resident = AppointmentInput(
        post=codes.FIRST_SECRETARY,
        village=village.id,
        start="2024.07",
        end="2026.07",
        sending_unit="县农业农村局",
    )
    saved = appointment_form.save(resident, cadre.id)  # 派驻期满 may be planned
    assert saved.end_date == dt.date(2026, 7, 1)
    with pytest.raises(UserError, match="晚于"):
        appointment_form.end_post(saved.id, "2099.01")


def test_a_future_date_already_stored_blocks_the_report(blank):
    cadre = Cadre.create(
        name="张三",
        gender="1",
        ethnicity="07",
        id_number=ZHANG,
        birth_date=dt.date(1975, 3, 12),
        political_status="01",
        party_joined=dt.date(2099, 1, 1),
    )
    found = [f for f in run_checks(2025) if f.rule_id == "D01"]
    assert [f.record_key for f in found] == [f"cadre:{cadre.id}"]
    assert found[0].severity_label == "强制性" and "入党时间2099.01.01晚于" in found[0].message


def test_the_cadre_dialog_shows_the_date_error_at_the_field_and_does_not_save(blank, qtbot):
    from desktop.ui.cadre_dialog import CadreDialog

    dialog = CadreDialog(None, [], None)
    qtbot.addWidget(dialog)
    dialog.name.setText("张三")
    dialog.id_number.setText(ZHANG)
    dialog.ethnicity.setCurrentText("彝族")
    dialog.political.setCurrentText("中共党员")
    qtbot.keyClicks(dialog.joined, "2099.01")
    dialog.save()
    assert "晚于" in dialog.errors["party_joined"].text()
    assert "border" in dialog.joined.styleSheet() and Cadre.select().count() == 0
    dialog.joined.setText("75.3")
    dialog.save()
    assert "无法判断是哪一年" in dialog.errors["party_joined"].text()
    assert Cadre.select().count() == 0
    dialog.joined.setText("1998.07")
    dialog.save()
    assert dialog.errors["party_joined"].text() == ""
    assert Cadre.get(Cadre.id_number == ZHANG).party_joined == dt.date(1998, 7, 1)


# --- point 3: no village is created silently ---------------------------------------------


@pytest.fixture
def four_villages(blank):
    """妥甸镇 with 永安村, 东华社区, 新华村 and 新华社区 (the last two share a short form)."""
    for order, (name, kind) in enumerate(
        [
            ("永安村", codes.VILLAGE),
            ("东华社区", codes.COMMUNITY),
            ("新华村", codes.VILLAGE),
            ("新华社区", codes.COMMUNITY),
        ],
        1,
    ):
        village = Village.create(name=name, kind=kind, code=f"5323221002{order:02d}")
        VillageYear.create(village=village, year=2025)
    return blank


def people(count):
    return [make_id(f"532322197{n}0101{n:03d}") for n in range(1, count + 1)]


def test_short_and_long_forms_find_the_townships_own_village(four_villages):
    known = VillageNames(Village.select(), "妥甸镇")
    for typed, meant in [
        ("永安", "永安村"),
        ("永安村", "永安村"),
        ("永安村委会", "永安村"),
        ("永安村民委员会", "永安村"),
        ("妥甸镇永安村", "永安村"),
        ("东华", "东华社区"),
        ("东华社区居委会", "东华社区"),
        ("东华社区居民委员会", "东华社区"),
        ("新华村委会", "新华村"),
        ("新华社区居委会", "新华社区"),
    ]:
        assert known.resolve(typed).name == meant, typed
    with pytest.raises(ValueError, match="可能是新华村、新华社区"):
        known.resolve("新华")
    assert known.resolve("东华村") is None  # a 社区 is not a 村
    assert "本乡镇有东华社区" in known.unknown_message("东华村")
    assert known.resolve("大麦地") is None


def test_a_roster_with_short_names_goes_to_existing_villages_via_the_cli(
    four_villages, data_dir, tmp_path
):
    a, b, c = people(3)
    rows = [
        roster_row(1, "张一", a, "永安", "委员", "2021.03"),
        roster_row(2, "张二", b, "东华", "委员", "2021.03"),
        roster_row(3, "张三", c, "永安村委会", "副主任", "2021.03"),
    ]
    path = write_roster_with_start(tmp_path / "名册.xlsx", rows)
    result = cli_import(data_dir, path)
    assert result.returncode == 0, result.stderr
    assert Village.select().count() == 4  # nothing created
    placed = {c.name: c.village.name for c in Cadre.select()}
    assert placed == {"张一": "永安村", "张二": "东华社区", "张三": "永安村"}
    post = Cadre.get(Cadre.name == "张二").appointments[0]
    assert post.village.name == "东华社区"


def test_an_unknown_or_ambiguous_village_is_refused_until_the_clerk_confirms(
    four_villages, data_dir, tmp_path
):
    a, b, c = people(3)
    rows = [
        roster_row(1, "张一", a, "永安", "委员", "2021.03"),
        roster_row(2, "张二", b, "新华", "委员", "2021.03"),
        roster_row(3, "张三", c, "大麦地村", "委员", "2021.03"),
    ]
    path = write_roster_with_start(tmp_path / "名册.xlsx", rows)
    refused = cli_import(data_dir, path)
    assert refused.returncode == 1 and "有 2 行不能导入" in refused.stderr
    lines = refused.stderr.splitlines()
    assert any("第5行" in x and "可能是新华村、新华社区" in x for x in lines)
    assert any("第6行" in x and "“大麦地村”不是本乡镇已有的村(社区)" in x for x in lines)
    assert Cadre.select().count() == 0 and Village.select().count() == 4
    preview = cli_import(data_dir, path, "--dry-run", "--new-villages", "大麦地村")
    assert "将新建村(社区)：大麦地村" in preview.stdout
    rows[1][7] = "新华村"
    path = write_roster_with_start(tmp_path / "名册.xlsx", rows)
    done = cli_import(data_dir, path, "--new-villages", "大麦地村")
    assert done.returncode == 0, done.stderr
    new = Village.get(Village.name == "大麦地村")
    assert new.code == "" and Cadre.get(Cadre.name == "张三").village_id == new.id
    assert Village.select().count() == 5


def test_an_economy_row_without_a_village_or_with_an_unknown_one_is_refused(
    four_villages, data_dir, tmp_path
):
    header = ["村(社区)", "经营收入", "补助收入", "总收入"]
    rows = [["永安", 10, 5, 15], [None, 3, 0, 3], ["大麦地", 2, 0, 2], ["东华社区居委会", 1, 0, 1]]
    path = write_economy(tmp_path / "表5.xlsx", "填报单位：妥甸镇 计量单位：万元", header, rows)
    refused = cli_import(data_dir, path)
    assert refused.returncode == 1 and "有 2 行不能导入" in refused.stderr
    assert "第5行" in refused.stderr and "村(社区)不能为空" in refused.stderr
    assert "“大麦地”不是本乡镇已有的村(社区)" in refused.stderr
    assert Village.select().count() == 4 and not Village.get_or_none(Village.name == "")
    rows = [rows[0], rows[3]]
    path = write_economy(tmp_path / "表5.xlsx", "填报单位：妥甸镇 计量单位：万元", header, rows)
    assert cli_import(data_dir, path).returncode == 0
    incomes = {e.village.name: e.operating_income for e in CollectiveEconomy.select().join(Village)}
    assert incomes == {"永安村": Decimal("100000.00"), "东华社区": Decimal("10000.00")}


def test_a_roster_of_another_township_is_refused_naming_it(four_villages, data_dir, tmp_path):
    ids = people(3)
    rows = [
        roster_row(n, f"李{n}", number, village, "委员", "2021.03")
        for n, (number, village) in enumerate(zip(ids, ["大庄村", "永安", "河口村"]), 1)
    ]
    path = tmp_path / "大庄镇名册.xlsx"
    write_roster_with_start(path, rows)
    book = openpyxl.load_workbook(path)
    book.active["A1"] = "大庄镇村(社区)“两委”成员花名册"
    book.active["A2"] = "填报单位：大庄镇"
    book.save(path)
    before = file_digest(data_dir / DB_FILENAME)
    result = cli_import(data_dir, path, "--new-villages", "大庄村,河口村")
    assert result.returncode == 1
    assert "大庄镇" in result.stderr and "不能导入到妥甸镇" in result.stderr
    assert file_digest(data_dir / DB_FILENAME) == before


def test_a_roster_of_people_from_another_county_in_unknown_villages_is_refused(
    four_villages, data_dir, tmp_path
):
    ids = [make_id(f"53230119750101{n:03d}") for n in range(1, 4)]  # 楚雄市, not 双柏县
    rows = [
        roster_row(n, f"李{n}", number, f"河{n}村", "委员", "2021.03")
        for n, number in enumerate(ids, 1)
    ]
    path = write_roster_with_start(tmp_path / "名册.xlsx", rows)
    result = cli_import(data_dir, path)
    assert result.returncode == 1 and "身份证号不是本县（532322）" in result.stderr
    assert Cadre.select().count() == 0


def test_the_import_preview_asks_before_creating_villages(
    sample, data_dir, tmp_path, qtbot, monkeypatch
):
    from PySide6.QtWidgets import QMessageBox

    from desktop.ui.main_window import NAV, MainWindow

    sample("small")
    village = Village.select().order_by(Village.sort_order).first()
    short = village.name.removesuffix("村").removesuffix("社区")
    count = Village.select().count()
    window = MainWindow(data_dir)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.checks_pending)
    a, b = people(2)
    rows = [
        roster_row(1, "张一", a, short, "委员", "2021.03"),
        roster_row(2, "张二", b, "大麦地村", "委员", "2021.03"),
    ]
    path = write_roster_with_start(tmp_path / "名册.xlsx", rows)
    page = window.import_page
    window.nav.setCurrentRow(NAV.index("导入"))
    page.preview([path])
    qtbot.waitUntil(page.import_button.isEnabled, timeout=20_000)
    assert "拒绝 1 条" in page.summary.text() and "大麦地村" in page.summary.text()
    assert page.villages_button.isEnabled()
    asked = []

    def clerk(_parent, _title, text, *args):
        asked.append(text)
        return QMessageBox.Yes

    monkeypatch.setattr(QMessageBox, "question", clerk)
    page.villages_button.click()
    assert "大麦地村" in asked[0] and "区划代码" in asked[0]
    qtbot.waitUntil(page.import_button.isEnabled, timeout=20_000)
    assert "拒绝 0 条" in page.summary.text() and "将新建村(社区)：大麦地村" in page.summary.text()
    page.apply()
    qtbot.waitUntil(lambda: "导入完成" in page.summary.text(), timeout=20_000)
    assert Village.select().count() == count + 1
    assert Cadre.get(Cadre.name == "张一").village_id == village.id
    ids = people(4)[2:]
    rows = [roster_row(n, f"李{n}", i, f"河{n}村", "委员", "2021.03") for n, i in enumerate(ids)]
    other = write_roster_with_start(tmp_path / "大庄镇.xlsx", rows)
    book = openpyxl.load_workbook(other)
    book.active["A1"] = "大庄镇村(社区)“两委”成员花名册"
    book.active["A2"] = "填报单位：大庄镇"
    book.save(other)
    page.preview([other])
    qtbot.waitUntil(lambda: "不能导入到" in page.summary.text(), timeout=20_000)
    assert "这是大庄镇的表" in page.summary.text() and not page.import_button.isEnabled()


def test_a_post_of_unknown_start_shows_blank_and_keeps_unknown_when_edited(sample, qtbot):
    from desktop.ui.cadre_dialog import CadreDialog
    from desktop.ui.post_dialogs import AppointmentDialog

    sample("small")
    post = (
        Appointment.select()
        .where((Appointment.post == codes.VILLAGE_SECRETARY) & Appointment.end_date.is_null())
        .first()
    )
    Appointment.update(start_date=None).where(Appointment.id == post.id).execute()
    villages = [(v.id, v.name) for v in Village.select()]
    dialog = CadreDialog(post.cadre_id, villages, None)
    qtbot.addWidget(dialog)
    row = next(r for r in dialog.posts.rows if r["id"] == post.id)
    assert row["start"] == "" and row["end"] == "至今"
    editor = AppointmentDialog(post.cadre_id, post.id, villages, dialog)
    qtbot.addWidget(editor)
    assert editor.start.text() == ""
    assert editor.validate(show_all=True)  # blank = unknown, not an error
    editor.store()
    assert Appointment.get_by_id(post.id).start_date is None  # nothing invented on save
    appointment_form.end_post(post.id, "2025.06")
    assert Appointment.get_by_id(post.id).end_date == dt.date(2025, 6, 1)


def test_a_new_secretary_without_a_start_cannot_silently_replace_the_sitting_one(sample):
    sample("small")
    sitting = (
        Appointment.select()
        .where(
            (Appointment.post == codes.VILLAGE_SECRETARY)
            & Appointment.end_date.is_null()
            & Appointment.organization.is_null(False)
        )
        .first()
    )
    member = cadre_form.save(
        CadreInput(
            name="李秀英",
            id_number=LI,
            ethnicity="07",
            political_status="01",
            party_joined="2008.07",
        )
    )
    form = AppointmentInput(post=codes.VILLAGE_SECRETARY, village=sitting.village_id, start="")
    with pytest.raises(UserError, match="请填写任职日期"):
        appointment_form.save(form, member.id)
    assert Appointment.get_by_id(sitting.id).end_date is None


def test_an_economy_table_of_another_township_or_with_one_village_twice(
    four_villages, data_dir, tmp_path
):
    header = ["村(社区)", "经营收入", "总收入"]
    other = write_economy(
        tmp_path / "大庄.xlsx",
        "填报单位：大庄镇 计量单位：万元",
        header,
        [["大庄村", 1, 1], ["河口村", 2, 2]],
    )
    result = cli_import(data_dir, other, "--dry-run")
    assert result.returncode == 1 and "这是大庄镇的表，不能导入到妥甸镇" in result.stderr
    twice = write_economy(
        tmp_path / "两次.xlsx", "计量单位：万元", header, [["永安", 1, 1], ["永安村委会", 2, 2]]
    )
    plan = cli_import(data_dir, twice, "--dry-run")
    assert "与第4行是同一个村(社区)" in plan.stdout
