"""导入 every register (issue 17, point 1): party organizations, villages and the 驻村
roster, from files made the way county offices make them — a title, a two-row merged
header, the column-code row, aliases for the column names, a footer, branches listed before
their 党总支 — through the CLI and the import page."""

import datetime as dt
from pathlib import Path

import openpyxl

from db import codes, records
from db.models import Appointment, Cadre, Organization, OrgYear, Village, VillageYear
from db.years import create_year
from desktop.imports.run import plan_file, run_import
from tests.test_import_cells import cli, person_id

# --- a. party organizations -------------------------------------------------------------------

ORG_TOP = ["序号", "党组织名称", "党组织类型", "领域", "上级党组织", "所在村", "书记"]
ORG_TOP += ["党员数", None, None, None, None, None, None, "分类定级", "是否软弱涣散"]
ORG_TOP += ["创建情况", "成立时间", "备注"]
ORG_SUB = [None] * 7 + ["合计", "正式党员", "预备党员", "女", "少数民族", "35岁及以下"]
ORG_SUB += ["大专及以上"] + [None] * 5


def county_orgs(path: Path, rows: list[list], title="妥甸镇基层党组织名册") -> Path:
    """A county's own organization roster: title, unit line, 党员数 merged over its seven
    columns, every other label merged over two rows, the code row, the rows, a footer."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "党组织"
    ws["A1"] = title
    ws.merge_cells("A1:T1")
    ws["A2"] = "填报单位：中共妥甸镇委员会（盖章）"
    ws.append(ORG_TOP)
    ws.append(ORG_SUB)
    for col, label in enumerate(ORG_TOP, 1):
        if label and label != "党员数":
            ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
    ws.merge_cells("H3:N3")
    ws.append(["甲", "乙", *range(1, 19)])
    for row in rows:
        ws.append(row)
    ws.append([])
    ws.append(["填表人：王丽　　审核人：李强　　填报日期：2026年1月10日"])
    book.save(path)
    return path


def add_village(name: str, kind=codes.VILLAGE, year=2025) -> Village:
    return records.save_village(None, year, {"name": name, "kind": kind}, {})


def add_cadre(name: str, id_number: str, village: Village | None = None) -> Cadre:
    return Cadre.create(
        name=name,
        gender=codes.MALE,
        ethnicity="07",
        id_number=id_number,
        birth_date=dt.date(1975, 3, 12),
        political_status="01",
        village=village,
    )


def org(name: str) -> Organization:
    return Organization.get(Organization.name == name)


def org_year(name: str, year=2025) -> OrgYear:
    return OrgYear.get((OrgYear.organization == org(name)) & (OrgYear.year == year))


def test_a_county_organization_roster_imports_branches_listed_before_their_parents(
    blank, data_dir, tmp_path, capsys
):
    yongan, dongfeng = add_village("永安村"), add_village("东风社区", codes.COMMUNITY)
    Organization.create(name="中共妥甸镇委员会", kind="1", field="21")
    zhang = add_cadre("张三", person_id("19750312", 11), yongan)
    add_cadre("李四", person_id("19800101", 22), yongan)  # 永安村's 李四, not 东风社区's
    rows = [  # the branches first, their 党总支 after them
        [1, "永安村第一党支部", "党支部", "农村", "永安村党总支", "永安", None]
        + [12, 11, 1, 3, 5, 2, 4, "先进", "否", "达标", "2005.07", None],
        [2, "永安村第二党支部", "支部", None, "永安村党总支", "永安村委会", "王五"]
        + [9, 9, 0, 2, 9, 1, 0, "一般", None, None, None, None],
        [3, "永安村党总支", "总支", "农村", "中共妥甸镇委员会", "永安村", "张三"]
        + [21, 20, 1, 5, 14, 3, 4, "先进", "否", "示范", "1998.03", None],
        [4, "东风社区党支部", None, None, "中共妥甸镇委员会", "东风", "李四"]
        + [30, 28, 2, 12, 3, 8, 15, "后进", "是", None, "2010.10.01", "整顿中"],
    ]
    path = county_orgs(tmp_path / "党组织名册.xlsx", rows)
    code, out = cli(capsys, path, "--dry-run", "--data-dir", data_dir)
    assert code == 0, out
    assert "（党组织名册）" in out and "新增 4 条" in out and "拒绝 0 条" in out
    assert "已忽略 2 行" in out  # the code row and the footer, each shown
    assert "书记“王五”不在干部名册中，未登记书记任职" in out  # said, never invented
    assert "书记“李四”不是东风社区的干部，未登记书记任职" in out  # another village's 李四
    assert not Organization.select().where(Organization.name.contains("永安")).exists()
    code, out = cli(capsys, path, "--data-dir", data_dir)
    assert code == 0, out
    general = org("永安村党总支")
    assert (general.kind, general.field, general.village_id) == ("2", "11", yongan.id)
    assert general.parent.name == "中共妥甸镇委员会"
    assert general.founded == dt.date(1998, 3, 1)
    for branch in ("永安村第一党支部", "永安村第二党支部"):
        assert org(branch).parent_id == general.id  # found though listed after them
        assert org(branch).village_id == yongan.id
    community = org("东风社区党支部")
    assert (community.kind, community.field) == ("3", codes.FIELD_COMMUNITY)  # from the name
    assert community.village_id == dongfeng.id
    first = org_year("永安村第一党支部")
    assert (first.members_full, first.members_probationary, first.members_female) == (11, 1, 3)
    assert (first.members_minority, first.members_35_under, first.members_college) == (5, 2, 4)
    assert (first.rating, first.weak_lax, first.creation) == ("1", False, "2")
    assert org_year("东风社区党支部").weak_lax is True
    post = Appointment.get(Appointment.cadre == zhang)
    assert (post.post, post.organization_id, post.village_id) == (
        codes.VILLAGE_SECRETARY,
        general.id,
        yongan.id,
    )
    assert post.start_date is None  # not known: left blank, never invented
    assert not Appointment.select().where(Appointment.organization == community).exists()

    # the same file again: every organization is matched, nothing is duplicated
    code, out = cli(capsys, path, "--data-dir", data_dir)
    assert code == 0 and "无变化 4 条" in out and "新增 0 条" in out
    assert Organization.select().count() == 5
    assert Appointment.select().count() == 1

    # next year's figures go to the chosen year; a blank cell keeps what is stored
    rows[0][7:14] = [13, 12, 1, None, None, None, None]
    rows[1][2] = None  # 类型 left blank: the stored kind and 联合 flag stay
    Organization.update(joint=True).where(Organization.name == "永安村第二党支部").execute()
    path = county_orgs(tmp_path / "党组织名册2026.xlsx", rows)
    create_year(2026)
    code, out = cli(capsys, path, "--year", "2026", "--data-dir", data_dir)
    assert code == 0, out
    assert Organization.select().count() == 5
    assert org_year("永安村第一党支部", 2026).members_full == 12
    assert org_year("永安村第一党支部", 2025).members_full == 11  # last year untouched
    assert (org("永安村第二党支部").kind, org("永安村第二党支部").joint) == ("3", True)


def test_an_organization_roster_refuses_what_it_cannot_place_and_writes_nothing(
    blank, data_dir, tmp_path, capsys
):
    add_village("永安村")
    rows = [
        [1, "永安村党总支", "党总支", "农村", "中共某某镇委员会", "永安村", None]
        + [21, 20, 1, 5, 14, 3, 4, None, None, None, None, None],
        [2, "永安村第一党支部", "党支部", "农村", "永安村党总支", "永安村", None]
        + [12, 10, 1, 3, 5, 2, 4, None, None, None, None, None],
        [3, "永安村第二党支部", "党支部", "农村", "永安村党总支", "永安村", None]
        + [9, 9, 0, 10, 9, 1, 0, "优秀", None, None, None, None],
        [4, "新村党支部", "党支部", "农村", None, "新村", None]
        + [9, 9, 0, 1, 1, 1, 0, None, None, None, None, None],
        [5, "永安村第三党支部", "党支部", "农村", "永安村党总支", "永安村", None]
        + [9, 9, 0, 1, 1, 1, 0, None, None, None, None, None],
    ]
    path = county_orgs(tmp_path / "党组织名册.xlsx", rows)
    code, out = cli(capsys, path, "--data-dir", data_dir)
    assert code != 0 and "整个导入已取消" in out
    assert "第6行 永安村党总支：上级党组织“中共某某镇委员会”不在本表中" in out
    assert "第7行 永安村第一党支部：党员数12不等于正式党员10与预备党员1之和" in out
    assert (
        "第8行" in out and "女党员10人多于党员总数9人" in out and "“优秀”不是有效的分类定级" in out
    )
    assert "第9行 新村党支部：所在村(社区)：“新村”不是本乡镇已有的村(社区)" in out
    assert Organization.select().count() == 0
    # --valid-only: nothing can come in here (every branch's 党总支 is refused)
    code, out = cli(capsys, path, "--valid-only", "--data-dir", data_dir)
    assert "第10行 永安村第三党支部：上级党组织“永安村党总支”（第6行）不能导入" in out
    assert Organization.select().count() == 0
    assert (tmp_path / "党组织名册_待修正.xlsx").exists()


def test_our_own_table2_is_read_as_an_organization_roster_not_a_cadre_roster(
    blank, data_dir, tmp_path
):
    add_village("永安村")
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "表2"
    ws.append(["基层党组织名册"])
    ws.append(["填报单位（盖章）：妥甸镇", None, "统计截止日期：2025.12.31"])
    ws.append(
        ["序号", "党组织名称", "类型", "所属领域", "上级党组织", "所在村(社区)", "书记"]
        + ["党员数", "分类\n定级", "是否软弱\n涣散", "创建\n情况", "成立时间", "备注"]
    )
    ws.append([1, "永安村党总支", "党总支", "农村", None, "永安村", "张三", 21, "先进", "否"])
    ws.append([2, "永安村第一党支部", "联合党支部", "农村", "永安村党总支", "永安村", None, 12])
    book.save(tmp_path / "表2.xlsx")
    plan = plan_file(tmp_path / "表2.xlsx", 2025, "532322100000")
    assert plan.kind == "党组织名册"
    assert [o.action for o in plan.outcomes] == ["add", "add"]
    assert "党员数只有合计21人：记为正式党员21人、预备党员0人" in plan.outcomes[0].detail
    run_import([tmp_path / "表2.xlsx"], data_dir, year=2025)
    assert org("永安村第一党支部").joint is True
    assert org_year("永安村党总支").members_full == 21


# --- b. the village list ----------------------------------------------------------------------


def county_villages(path: Path, rows: list[list]) -> Path:
    """A village list as the township's 民政 office keeps it: title, 基本情况 merged over
    the counts, a 合计 row first, the villages, a footer."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "村(社区)"
    ws["A1"] = "妥甸镇村(社区)基本情况表"
    ws.merge_cells("A1:G1")
    ws.append(["序号", "村(社区)名称", "类别", "行政区划代码", "基本情况", None, None, "备注"])
    ws.append([None, None, None, None, "村(居)民小组数", "总户数", "人口数", None])
    for col in (1, 2, 3, 4, 8):
        ws.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
    ws.merge_cells("E2:G2")
    ws.append([None, "合计", None, None, 21, 3100, 11800])
    for row in rows:
        ws.append(row)
    ws.append(["制表人：王丽　　报送日期：2026年1月5日"])
    book.save(path)
    return path


def test_a_village_list_creates_the_townships_villages_and_keeps_what_a_blank_cell_hides(
    blank, data_dir, tmp_path, capsys
):
    rows = [
        [1, "永安村", "行政村", "532322100201", 9, 1200, 4500, None],
        [2, "东风社区", "社区", "532322100001", 5, 1500, 5200, None],
        [3, "大麦地", "行政村", "532322100202", 7, 400, 2100, "边远"],
    ]
    path = county_villages(tmp_path / "村名单.xlsx", rows)
    code, out = cli(capsys, path, "--dry-run", "--data-dir", data_dir)
    assert code == 0, out
    assert "（村(社区)名单）" in out and "新增 3 条" in out and "已忽略 2 行" in out
    assert Village.select().count() == 0
    code, out = cli(capsys, path, "--data-dir", data_dir)
    assert code == 0, out
    assert [v.name for v in Village.select().order_by(Village.sort_order)] == [
        "永安村",
        "东风社区",
        "大麦地",
    ]
    damaidi = Village.get(Village.name == "大麦地")
    assert (damaidi.kind, damaidi.code, damaidi.notes) == (codes.VILLAGE, "532322100202", "边远")
    assert Village.get(Village.name == "东风社区").kind == codes.COMMUNITY
    count = VillageYear.get(VillageYear.village == damaidi, VillageYear.year == 2025)
    assert (count.group_count, count.households, count.population) == (7, 400, 2100)

    # next list: matched by code (大麦地 is now 大麦地村) or short name; blanks keep values
    rows = [
        [1, "永安", None, None, 9, None, 4520, None],
        [2, "大麦地村", None, "532322100202", None, 410, None, None],
        [3, "新华社区", "社区", "532322100002", 3, 300, 1000, None],
    ]
    path = county_villages(tmp_path / "村名单2.xlsx", rows)
    code, out = cli(capsys, path, "--data-dir", data_dir)
    assert code == 0, out
    assert "新增 1 条" in out and "更新 2 条" in out
    assert Village.select().count() == 4
    renamed = Village.get_by_id(damaidi.id)
    assert (renamed.name, renamed.kind, renamed.notes) == ("大麦地村", codes.VILLAGE, "边远")
    count = VillageYear.get(VillageYear.village == damaidi, VillageYear.year == 2025)
    assert (count.group_count, count.households, count.population) == (7, 410, 2100)
    yongan = Village.get(Village.name == "永安村")
    assert yongan.code == "532322100201"  # a blank code cell keeps the stored one
    assert VillageYear.get(VillageYear.village == yongan).population == 4520


def test_a_village_list_refuses_codes_of_elsewhere_and_names_it_cannot_tell(
    blank, data_dir, tmp_path, capsys
):
    rows = [
        [1, "永安村", "行政村", "53232210020", 9, 1200, 4500, None],
        [2, "东风社区", "社区", "532322200001", 5, 1500, 5200, None],
        [3, "大麦地", None, None, 7, 400, 2100, None],
        [4, "永安村", "行政村", None, 9, 1200, 300, None],
    ]
    path = county_villages(tmp_path / "村名单.xlsx", rows)
    code, out = cli(capsys, path, "--data-dir", data_dir)
    assert code != 0 and "整个导入已取消" in out
    assert "第5行 永安村：区划代码：“53232210020”不是12位数字的区划代码" in out
    assert "第6行 东风社区：区划代码：“532322200001”不属于妥甸镇" in out
    assert "第7行 大麦地：类别未填" in out
    assert "第8行 永安村：人口300少于户数1200；与第5行是同一个村(社区)" in out
    assert Village.select().count() == 0


# --- c. the 驻村 roster -------------------------------------------------------------------------

RESIDENT_COLUMNS = ["序号", "姓名", "性别", "民族", "出生年月", "身份证号", "学历", "政治面貌"]
RESIDENT_COLUMNS += ["派出单位", "派出单位职务", "驻村身份", "驻村村(社区)", "驻村起止时间"]
RESIDENT_COLUMNS += ["联系电话", "备注"]


def county_residents(path: Path, rows: list[list], split_period=False) -> Path:
    """表4 as the county sends it; with `split_period` the term is 驻村时间 merged over
    开始 and 结束 (two columns)."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "表4"
    ws["A1"] = "妥甸镇驻村第一书记和工作队员花名册"
    ws.merge_cells("A1:O1")
    columns = list(RESIDENT_COLUMNS)
    if split_period:
        at = columns.index("驻村起止时间")
        columns[at : at + 1] = ["驻村时间", None]
        ws.append(columns)
        ws.append([None] * at + ["开始", "结束"])
        for col, label in enumerate(columns, 1):
            if label and label != "驻村时间":
                ws.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
        ws.merge_cells(start_row=2, start_column=at + 1, end_row=2, end_column=at + 2)
    else:
        ws.append(columns)
    for row in rows:
        ws.append(row)
        ws.cell(ws.max_row, 6).number_format = "@"
    ws.append(["填表人：王丽　　审核人：李强"])
    book.save(path)
    return path


def test_a_resident_roster_records_each_term_with_its_unit_and_dates(
    blank, data_dir, tmp_path, capsys
):
    yongan, dongfeng = add_village("永安村"), add_village("东风社区", codes.COMMUNITY)
    li, wang, zhao = person_id("19850101", 11), person_id("19900202", 22), person_id("19880808", 31)
    rows = [
        [1, "李明", "男", "汉族", "1985.01", li, "大学本科", "中共党员", "县财政局"]
        + ["四级主任科员", "第一书记", "永安村", "2021.05—2023.05", "13800000001", None],
        [2, "王芳", "女", "彝族", "1990.02", wang, "大专", "中共党员", "县农业农村局"]
        + ["科员", "队员", "永安", "2023.06-2026.05", "13800000002", None],
        [3, "赵强", "男", "汉族", "1988.08", zhao, "大学本科", "中共党员", "县林草局"]
        + [None, "工作队长", "东风社区", "2024年3月至今", None, None],
    ]
    path = county_residents(tmp_path / "驻村花名册.xlsx", rows)
    code, out = cli(capsys, path, "--data-dir", data_dir)
    assert code == 0, out
    assert "（干部花名册）" in out and "新增 3 条" in out
    first = Appointment.get(Appointment.cadre == Cadre.get(Cadre.id_number == li))
    assert (first.post, first.village_id) == (codes.FIRST_SECRETARY, yongan.id)
    assert (first.start_date, first.end_date) == (dt.date(2021, 5, 1), dt.date(2023, 5, 1))
    assert (first.sending_unit, first.sending_unit_post) == ("县财政局", "四级主任科员")
    member = Appointment.get(Appointment.cadre == Cadre.get(Cadre.id_number == wang))
    assert member.post == codes.TEAM_MEMBER and member.end_date == dt.date(2026, 5, 1)  # planned
    leader = Appointment.get(Appointment.cadre == Cadre.get(Cadre.id_number == zhao))
    assert (leader.post, leader.village_id) == (codes.TEAM_LEADER, dongfeng.id)
    assert (leader.start_date, leader.end_date) == (dt.date(2024, 3, 1), None)
    # the same roster again: a finished term is not recorded twice
    code, out = cli(capsys, path, "--data-dir", data_dir)
    assert code == 0 and "无变化 3 条" in out
    assert Appointment.select().count() == 3


def test_a_resident_roster_with_the_term_in_two_columns_and_wrong_terms_refused(
    blank, data_dir, tmp_path, capsys
):
    add_village("永安村")
    li, wang = person_id("19850101", 11), person_id("19900202", 22)
    rows = [
        [1, "李明", "男", "汉族", "1985.01", li, "大学本科", "中共党员", "县财政局", "科员"]
        + ["第一书记", "永安村", "2021.05", "2023.05", "13800000001", None],
        [2, "王芳", "女", "彝族", "1990.02", wang, "大专", "中共党员", "县农业农村局", "科员"]
        + ["驻村干部", "永安村", "2023.06", "2021.05", None, None],
    ]
    path = county_residents(tmp_path / "驻村花名册.xlsx", rows, split_period=True)
    code, out = cli(capsys, path, "--data-dir", data_dir)
    assert code != 0 and "整个导入已取消" in out
    assert "第5行 王芳" in out and "驻村身份：“驻村干部”不是驻村身份" in out
    assert Appointment.select().count() == 0
    rows[1][10] = "队员"
    path = county_residents(tmp_path / "驻村花名册.xlsx", rows, split_period=True)
    code, out = cli(capsys, path, "--data-dir", data_dir)
    assert code != 0 and "驻村结束时间早于开始时间" in out
    code, out = cli(capsys, path, "--valid-only", "--data-dir", data_dir)
    assert code == 0, out
    term = Appointment.get()
    assert (term.post, term.start_date, term.end_date) == (
        codes.FIRST_SECRETARY,
        dt.date(2021, 5, 1),
        dt.date(2023, 5, 1),
    )


# --- through the import page ------------------------------------------------------------------


def test_an_organization_roster_is_previewed_fixed_and_imported_on_the_import_page(
    qtbot, sample, data_dir, tmp_path, monkeypatch
):
    from PySide6.QtWidgets import QMessageBox

    from desktop.ui.import_page import RowFixDialog
    from desktop.ui.main_window import NAV, MainWindow

    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: shown.append(a[2]))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))
    sample("small")
    window = MainWindow(data_dir)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.checks_pending)
    village = window.data.villages[0].name
    rows = [
        [1, "试点第一党支部", "党支部", "农村", "试点党总只", village, None]  # a typo
        + [8, 8, 0, 2, 3, 1, 1, "一般", "否", None, "2019.06", None],
        [2, "试点第二党支部", "党支部", "农村", "试点党总支", village, None]
        + [6, 5, 1, 2, 3, 1, 1, "先进", "否", None, "2019.06", None],
        [3, "试点党总支", "党总支", "农村", None, village, None]
        + [14, 13, 1, 4, 6, 2, 2, "先进", "否", "达标", "2019.05", None],
    ]
    path = county_orgs(tmp_path / "党组织名册.xlsx", rows)
    before = Organization.select().count()
    page = window.import_page
    window.nav.setCurrentRow(NAV.index("导入"))
    page.preview([path])
    qtbot.waitUntil(page.import_button.isEnabled, timeout=20_000)
    assert "党组织名册" in page.summary.text() and "拒绝 1 条" in page.summary.text()
    refused = next(i for i, r in enumerate(page.model.rows) if r["refused"])
    page.table.selectRow(refused)

    def clerk(dialog):
        edit = next(e for e in dialog.edits if e.text() == "试点党总只")
        edit.setText("试点党总支")
        return 1

    monkeypatch.setattr(RowFixDialog, "exec", clerk)
    page.fix_row()
    qtbot.waitUntil(page.import_button.isEnabled, timeout=20_000)
    assert "拒绝 0 条" in page.summary.text() and "新增 3 条" in page.summary.text()
    page.apply()
    qtbot.waitUntil(lambda: "导入完成" in page.summary.text(), timeout=20_000)
    assert Organization.select().count() == before + 3
    parent = org("试点党总支")
    assert {org("试点第一党支部").parent_id, org("试点第二党支部").parent_id} == {parent.id}
    assert org_year("试点党总支").creation == "2"


# --- d. trainings -----------------------------------------------------------------------------


def county_trainings(path: Path, rows: list[list]) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "培训"
    ws["A1"] = "妥甸镇2025年党员干部培训情况登记表"
    ws.append(["序号", "名称/班次", "培训项目", "起止日期", "期数", "人次", "主办单位", "参训人员"])
    for row in rows:
        ws.append(row)
    ws.append([None, "合计", None, None, 3, 45])
    ws.append(["填表人：王丽"])
    book.save(path)
    return path


def test_a_training_list_registers_attendees_by_name_or_id_number(
    blank, data_dir, tmp_path, capsys
):
    yongan = add_village("永安村")
    zhang_id, li_id = person_id("19750312", 11), person_id("19800101", 22)
    zhang, li = add_cadre("张三", zhang_id, yongan), add_cadre("李四", li_id, yongan)
    add_cadre("李四", person_id("19820101", 33))  # a second 李四: only his ID number tells
    rows = [
        [1, "村干部轮训第一期", "村干部轮训", "2025.03.01—2025.03.05", 1, 30, "县委组织部"]
        + [f"张三、{li_id}"],
        [2, "冬春训", "冬春训", "2025.01.10-2025.01.12", 2, 15, "镇党委", None],
    ]
    path = county_trainings(tmp_path / "培训.xlsx", rows)
    code, out = cli(capsys, path, "--data-dir", data_dir)
    assert code == 0, out
    assert "（培训台账）" in out and "新增 2 条" in out and "已忽略 2 行" in out
    from db.models import Training

    first = Training.get(Training.title == "村干部轮训第一期")
    assert (first.year, first.program, first.sessions, first.attendances) == (2025, "5", 1, 30)
    assert (first.start_date, first.end_date) == (dt.date(2025, 3, 1), dt.date(2025, 3, 5))
    assert records.attendee_ids(first.id) == {zhang.id, li.id}
    code, out = cli(capsys, path, "--data-dir", data_dir)
    assert code == 0 and "无变化 2 条" in out and Training.select().count() == 2

    rows = [
        [1, "村干部轮训第二期", "轮训", "2025.04.01—2025.04.03", 1, 1, None, "李四、王五"],
        [2, "党员培训", "其他", "2024.12.01—2024.12.02", 1, 10, None, None],
    ]
    path = county_trainings(tmp_path / "培训2.xlsx", rows)
    code, out = cli(capsys, path, "--data-dir", data_dir)
    assert code != 0
    assert "培训项目：“轮训”不是有效的培训类别" in out
    assert "参训人员“王五”不在干部名册中" in out and "参训人员“李四”有同名干部" in out
    assert "开始日期：开始日期应在2025年度内" in out
    assert Training.select().count() == 2


# --- e. support projects ------------------------------------------------------------------------

PROJECT_TOP = ["序号", "项目名称", "实施村(社区)", "项目类型", "立项年度", "总投资"]
PROJECT_TOP += [None] * 6 + ["合作主体", "建设状态", "当年收益", "分红", None, "带动\n农户数"]
PROJECT_SUB = [None] * 5 + ["合计", "中央", "省级", "州(市)级", "县级", "乡镇及\n村自筹"]
PROJECT_SUB += ["社会资本", None, None, None, "村集体", "农户", None]


def county_projects(path: Path, rows: list[list]) -> Path:
    """表6 as a township types it: 总投资 and 分红 merged over their parts, 万元."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "表6"
    ws["A1"] = "扶持壮大村级集体经济项目台账"
    ws["A2"] = "填报单位：妥甸镇　　　　计量单位：万元"
    ws.append(PROJECT_TOP)
    ws.append(PROJECT_SUB)
    for col, label in enumerate(PROJECT_TOP, 1):
        if label and label not in ("总投资", "分红"):
            ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
    ws.merge_cells("F3:L3")
    ws.merge_cells("P3:Q3")
    for row in rows:
        ws.append(row)
    ws.append([None, "合计", None, None, None, 150])
    ws.append(["填表人：王丽　　审核人：李强"])
    book.save(path)
    return path


def test_a_project_ledger_imports_funds_in_wan_and_several_villages(
    blank, data_dir, tmp_path, capsys
):
    from decimal import Decimal

    from db.models import Project, ProjectVillage, ProjectYear

    yongan, dongfeng = add_village("永安村"), add_village("东风社区", codes.COMMUNITY)
    rows = [
        [1, "烤烟烘烤工场", "永安村、东风", "农产品加工", 2023, 100, 50, 30, 0, 10, 5.5, 4.5]
        + ["某某合作社", "已建成运营", 8.2, 5, 3.2, 120],
        [2, "光伏电站", "永安", "光伏发电", "2024年", 50, 0, 50, None, None, None, None]
        + [None, "在建", None, None, None, None],
    ]
    path = county_projects(tmp_path / "表6.xlsx", rows)
    code, out = cli(capsys, path, "--data-dir", data_dir)
    assert code == 0, out
    assert "（扶持项目台账）" in out and "新增 2 条" in out and "已忽略 2 行" in out
    kiln = Project.get(Project.name == "烤烟烘烤工场")
    assert (kiln.type, kiln.start_year, kiln.partner) == ("2", 2023, "某某合作社")
    assert kiln.fund_central == Decimal("500000.00") and kiln.fund_self == Decimal("55000.00")
    shared = {
        link.village_id for link in ProjectVillage.select().where(ProjectVillage.project == kiln)
    }
    assert shared == {yongan.id, dongfeng.id}
    this_year = ProjectYear.get(ProjectYear.project == kiln, ProjectYear.year == 2025)
    assert (this_year.status, this_year.income, this_year.households_driven) == (
        codes.OPERATING,
        Decimal("82000.00"),
        120,
    )
    assert this_year.dividend_households == Decimal("32000.00")
    code, out = cli(capsys, path, "--data-dir", data_dir)
    assert code == 0 and "无变化 2 条" in out and Project.select().count() == 2

    rows = [
        [1, "茶叶加工", "永安村", "农产品加工", 2025, 80, None, None, None, None, None, None]
        + [None, "在建", None, None, None, None],
        [2, "民宿", "永安村、新村", "乡村旅游", 2025, 20, 20, None, None, None, None, None]
        + [None, "在建", None, None, None, None],
        [3, "养牛场", "永安村", "养殖", 2025, 30, 20, None, None, None, None, None]
        + [None, "在建", None, None, None, None],
    ]
    path = county_projects(tmp_path / "表6-2.xlsx", rows)
    code, out = cli(capsys, path, "--data-dir", data_dir)
    assert code != 0 and "整个导入已取消" in out
    assert "第5行 茶叶加工：总投资只有合计" in out
    assert "第6行 民宿：实施村(社区)：“新村”不是本乡镇已有的村(社区)" in out
    assert "第7行 养牛场：项目类型：“养殖”不是有效的项目类型" in out
    assert "总投资30万元不等于各项资金之和20万元" in out
    assert Project.select().count() == 2


# --- f. a hand-filled county workbook, sheet by sheet ------------------------------------------


def sheet_with(book, title: str, caption: str, header: list, rows: list, sub=None, unit=""):
    ws = book.create_sheet(title)
    ws.append([caption])
    ws.append([f"填报单位（盖章）：妥甸镇　　统计截止日期：2025.12.31　　{unit}"])
    ws.append(header)
    if sub:
        ws.append(sub)
    for row in rows:
        ws.append(row)
    ws.append(["单位负责人：赵刚　　填表人：王丽　　审核人：李强　　报出日期：2026.01.10"])
    return ws


def hand_filled_workbook(path: Path, zhang: str, li: str) -> Path:
    """Last year's county workbook typed by hand: 封面, 表1 … 表7, and a village list the
    township added at the end; no `_data`."""
    book = openpyxl.Workbook()
    book.active.title = "封面"
    book["封面"].append(["妥甸镇2025年度党建统计报表"])
    sheet_with(
        book, "表1", "基层党组织基本情况统计表", ["村(社区)及领域", "党组织数"], [["合计", 3]]
    )
    sheet_with(
        book,
        "表2",
        "基层党组织名册",
        ["序号", "党组织名称", "类型", "所属领域", "上级党组织", "所在村(社区)", "书记"]
        + ["党员数", "分类\n定级", "是否软弱\n涣散", "创建\n情况", "成立时间", "备注"],
        [
            [1, "永安村第一党支部", "党支部", "农村", "永安村党总支", "永安村", None, 12]
            + ["一般", "否", None, "2001.07.01"],
            [2, "永安村党总支", "党总支", "农村", "中共妥甸镇委员会", "永安村", "张三", 30]
            + ["先进", "否"],
            [3, "东风社区党支部", "党支部", "城市社区", None, "东风社区", None, 18, "先进"],
            [4, "中共妥甸镇委员会", "党委", "机关", None, None, None, 3],
        ],
    )
    sheet_with(
        book,
        "表3",
        "村(社区)“两委”班子成员花名册",
        ["序号", "村(社区)", "姓名", "性别", "民族", "出生年月", "年龄", "身份证号"]
        + ["全日制学历", "在职学历", "政治面貌", "入党时间", "现任职务", "任现职时间"]
        + ["是否\n一肩挑", "联系电话", "备注"],
        [
            [1, "永安村", "张三", "男", "彝族", "1975.03", 50, zhang, "高中", None]
            + ["中共党员", "1998.07.01", "村党组织书记、村委会主任", "2021.03.15", "是"],
        ],
    )
    sheet_with(
        book,
        "表4",
        "驻村第一书记和工作队员花名册",
        RESIDENT_COLUMNS,
        [
            [1, "李明", "男", "汉族", "1985.01", li, "大学本科", "中共党员", "县财政局"]
            + ["科员", "第一书记", "东风社区", "2023.06.01—2025.05.31", "13800000001"],
        ],
    )
    sheet_with(
        book,
        "表5",
        "村级集体经济收入情况统计表",
        ["村(社区)", "总收入", None, None, None, None, None, "经营性收入", "总支出"]
        + ["本年收益", "资产总额", "负债总额", "收入分档", "备注"],
        [
            ["合计", 18, 10, 2, 1, 4, 1, 13, 5],
            ["永安村", 12, 8, 1, 1, 2, 0, 10, 3, 9, 100, 10, "10–50万元"],
            ["东风社区", 6, 2, 1, 0, 2, 1, 3, 2, 4, 50, 5, "5万元以下"],
            [],  # our 表5's band block and its relations line, copied by hand
            ["收入分档（按经营性收入）", "村数", "无经营性收入", "5万元以下", "5–10万元"],
            ["收入分档（按经营性收入）", 2, 0, 1, 0],
            ["表内关系：总收入合计 = 经营收入 + 发包及上交收入 + 投资收益 + 补助收入 + 其他收入。"],
        ],
        sub=[None, "合计", "经营收入", "发包及\n上交收入", "投资收益", "补助收入", "其他收入"],
        unit="计量单位：万元",
    )
    sheet_with(
        book,
        "表6",
        "扶持壮大村级集体经济项目台账",
        PROJECT_TOP,
        [
            [1, "烤烟烘烤工场", "永安村、东风社区", "农产品加工", 2023, 100, 50, 30, 0, 10]
            + [5.5, 4.5, "某某合作社", "已建成运营", 8.2, 5, 3.2, 120],
        ],
        sub=PROJECT_SUB,
        unit="计量单位：万元",
    )
    sheet_with(book, "表7", "主要指标", ["指标", "数值"], [["行政村(社区)数", 2]])
    sheet_with(
        book,
        "村(社区)名单",
        "妥甸镇村(社区)名单",
        ["序号", "名称", "类别", "区划代码", "村民小组数", "户数", "人口"],
        [
            [1, "永安村", "行政村", "532322100201", 9, 1200, 4500],
            [2, "东风社区", "社区", "532322100001", 5, 1500, 5200],
        ],
    )
    book.save(path)
    return path


def test_a_hand_filled_county_workbook_imports_sheet_by_sheet_in_one_go(
    blank, data_dir, tmp_path, capsys
):
    from decimal import Decimal

    from db.models import CollectiveEconomy, Project

    zhang, li = person_id("19750312", 11), person_id("19850101", 21)
    path = hand_filled_workbook(tmp_path / "妥甸镇2025年报表（手填）.xlsx", zhang, li)
    code, out = cli(capsys, path, "--dry-run", "--data-dir", data_dir)
    assert code == 0, out
    lines = [line for line in out.splitlines() if line.startswith("妥甸镇2025年报表")]
    assert [line.split("（")[2].split("）")[0] for line in lines] == [
        "村(社区)名单：村(社区)名单",  # villages first: the other sheets lie in them
        "表2：党组织名册",
        "表3：干部花名册",
        "表4：干部花名册",
        "表5：集体经济收入表",
        "表6：扶持项目台账",
    ]
    assert all("拒绝 0 条" in line for line in lines), out
    assert "未导入的工作表：封面、表1、表7" in out
    assert "书记“张三”在本工作簿的花名册中，其任职按花名册登记" in out
    assert Village.select().count() == 0
    code, out = cli(capsys, path, "--data-dir", data_dir)
    assert code == 0, out
    assert [v.name for v in Village.select()] == ["永安村", "东风社区"]
    general = org("永安村党总支")
    assert org("永安村第一党支部").parent_id == general.id
    assert org_year("永安村党总支").members_full == 30
    secretary = Cadre.get(Cadre.id_number == zhang)
    posts = {a.post: a for a in Appointment.select().where(Appointment.cadre == secretary)}
    assert set(posts) == {codes.VILLAGE_SECRETARY, codes.VILLAGE_DIRECTOR}
    assert general.parent.name == "中共妥甸镇委员会"  # listed after it
    assert posts[codes.VILLAGE_SECRETARY].organization_id == general.id  # 表3 found 表2's
    assert posts[codes.VILLAGE_SECRETARY].start_date == dt.date(2021, 3, 15)
    first = Appointment.get(Appointment.cadre == Cadre.get(Cadre.id_number == li))
    assert (first.post, first.end_date) == (codes.FIRST_SECRETARY, dt.date(2025, 5, 31))
    yongan = Village.get(Village.name == "永安村")
    economy = CollectiveEconomy.get(CollectiveEconomy.village == yongan)
    assert economy.operating_income == Decimal("80000.00")
    assert Project.get().fund_central == Decimal("500000.00")
    # the same workbook again changes nothing
    code, out = cli(capsys, path, "--data-dir", data_dir)
    lines = [line for line in out.splitlines() if line.startswith("妥甸镇2025年报表")]
    assert code == 0 and len(lines) == 6
    assert all("新增 0 条，更新 0 条" in line for line in lines), out


def test_one_person_on_two_sheets_of_a_workbook_is_added_once_or_refused(
    blank, data_dir, tmp_path, capsys
):
    add_village("永安村")
    zhang = person_id("19750312", 11)
    book = openpyxl.Workbook()
    book.remove(book.active)
    person = ["张三", zhang, "彝族", "中共党员", "永安村"]
    sheet_with(
        book,
        "表3",
        "两委花名册",
        ["姓名", "身份证号", "民族", "政治面貌", "村(社区)", "现任职务"],
        [[*person, "村委会委员"]],
    )
    sheet_with(
        book,
        "表4",
        "驻村花名册",
        ["姓名", "身份证号", "民族", "政治面貌", "驻村村(社区)", "驻村身份"],
        [[*person, "队员"]],
    )
    path = tmp_path / "两张表.xlsx"
    book.save(path)
    code, out = cli(capsys, path, "--data-dir", data_dir)
    assert code != 0 and "整个导入已取消" in out
    assert "表4 第4行 张三（" in out and "与表3 第4行是同一条记录，只能新增一次" in out
    assert Cadre.select().count() == 0


def test_a_hand_filled_workbook_on_the_import_page_is_previewed_sheet_by_sheet(
    qtbot, blank, data_dir, tmp_path, monkeypatch
):
    from PySide6.QtWidgets import QMessageBox

    from desktop.ui.main_window import NAV, MainWindow

    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: None)
    window = MainWindow(data_dir)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.checks_pending)
    zhang, li = person_id("19750312", 11), person_id("19850101", 21)
    path = hand_filled_workbook(tmp_path / "手填报表.xlsx", zhang, li)
    page = window.import_page
    window.nav.setCurrentRow(NAV.index("导入"))
    page.preview([path])
    qtbot.waitUntil(page.import_button.isEnabled, timeout=20_000)
    summary = page.summary.text()
    order = ["村(社区)名单：", "表2：党组织名册", "表3：干部花名册", "表4：干部花名册"]
    order += ["表5：集体经济收入表", "表6：扶持项目台账"]
    at = [summary.index(part) for part in order]
    assert at == sorted(at), summary  # one summary per sheet, villages first
    sheets = [row["where"].split(" ")[0] for row in page.model.rows]
    assert sheets == sorted(sheets, key=lambda s: [o.split("：")[0] for o in order].index(s))
    page.apply()
    qtbot.waitUntil(lambda: "导入完成" in page.summary.text(), timeout=20_000)
    assert Village.select().count() == 2 and Organization.select().count() == 4
    assert Cadre.select().count() == 2
