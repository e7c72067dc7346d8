"""The window, driven like a clerk would with qtbot: set-up, lists, the cadre form, 审核, 导出."""

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QLabel, QMessageBox
from stdnum.cn import ric

from db.connection import DB_FILENAME
from db.models import Cadre
from desktop.search import initials
from desktop.ui.cadre_dialog import CadreDialog
from desktop.ui.main_window import NAV, MainWindow
from desktop.ui.organization_dialog import OrganizationDialog


@pytest.fixture(autouse=True)
def no_modal_boxes(monkeypatch):
    """A message box nobody answers would hang the suite: record them instead."""
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: shown.append(a[2]))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))

    def unexpected(*a):
        raise AssertionError(f"unexpected question: {a[2]}")

    monkeypatch.setattr(QMessageBox, "question", unexpected)
    return shown


@pytest.fixture
def window(qtbot, sample, data_dir):
    sample("township")
    win = MainWindow(data_dir)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: not win.checks_pending)  # the 审核 rules run on a reader thread
    return win


def test_first_start_sets_up_a_township(qtbot, data_dir, monkeypatch):
    win = MainWindow(data_dir)
    qtbot.addWidget(win)
    win.show()
    setup = win.setup
    assert win.outer.currentWidget() is setup
    setup.prefecture.setCurrentText("楚雄彝族自治州")
    setup.county.setCurrentText("双柏县")
    assert setup.code.text() == "532322" and setup.authority.text() == "中共双柏县委组织部"
    setup.code.setText("532301100000")
    assert "应以双柏县的代码532322开头" in setup.code_error.text()
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warnings.append(a[2]))
    setup.township.setText("妥甸镇")
    qtbot.mouseClick(setup.create_button, Qt.LeftButton)
    assert warnings and not (data_dir / DB_FILENAME).exists()
    setup.code.setText("532322100000")
    assert setup.code_error.text() == ""
    qtbot.mouseClick(setup.create_button, Qt.LeftButton)
    assert (data_dir / DB_FILENAME).exists()
    assert win.outer.currentWidget() is win.main_page and "妥甸镇" in win.windowTitle()


def test_a_database_without_a_township_is_a_first_start(qtbot, data_dir):
    from db.connection import close_db, init_db

    init_db(data_dir / DB_FILENAME, create=True)  # tables, no township: an old crash left it
    close_db()
    win = MainWindow(data_dir)
    qtbot.addWidget(win)
    win.show()
    assert win.outer.currentWidget() is win.setup
    qtbot.mouseClick(win.setup.demo_button, Qt.LeftButton)
    assert win.outer.currentWidget() is win.main_page and win.year_box.currentText() == "2025"


def test_the_sample_township_from_the_first_page(qtbot, data_dir):
    win = MainWindow(data_dir)
    qtbot.addWidget(win)
    win.show()
    qtbot.mouseClick(win.setup.demo_button, Qt.LeftButton)
    assert win.year_box.currentText() == "2025"
    assert win.overview.model.rows[0] == {"label": "行政村(社区)数", "value": 15}
    assert "审核中" in win.overview.summary.text()  # the rules run after the first paint
    qtbot.waitUntil(lambda: not win.checks_pending, timeout=10_000)
    assert "强制性问题 0 条" in win.overview.summary.text()
    assert win.nav.item(NAV.index("审核")).text() == f"审核（{len(win.findings.findings)}）"


def test_the_cadre_list_filters_by_pinyin_initials_and_village(window, qtbot):
    page = window.cadres
    window.nav.setCurrentRow(NAV.index("干部"))
    total = page.model.rowCount()
    assert total == Cadre.select().count() and f"共 {total} 条" in page.count.text()
    person = Cadre.select().where(Cadre.village.is_null(False)).first()
    qtbot.keyClicks(page.search, initials(person.name)[0])
    shown = [page.model.rows[i]["name"] for i in page.model.visible]
    assert person.name in shown and len(shown) < total
    assert f"显示 {len(shown)} 条 / 共 {total} 条" == page.count.text()
    page.search.clear()
    page.village.setCurrentText(person.village.name)
    assert all(page.model.rows[i]["village"] == person.village.name for i in page.model.visible)
    page.search.setText(person.id_number[-6:])
    assert [page.model.rows[i]["id"] for i in page.model.visible] == [person.id]


def test_lists_filter_by_post_kind_and_rating(window):
    from db.models import Appointment, Organization, OrgYear

    window.nav.setCurrentRow(NAV.index("干部"))
    posts = window.cadres.filters["post_list"][0]
    assert posts.itemText(0) == "全部职务" and posts.itemText(1) == "村党组织书记"
    posts.setCurrentText("村党组织书记")
    shown = {window.cadres.model.rows[i]["id"] for i in window.cadres.model.visible}
    sitting = {
        a.cadre_id
        for a in Appointment.select().where(
            (Appointment.post == "11") & Appointment.end_date.is_null()
        )
    }
    assert shown == sitting and "显示 15 条" in window.cadres.count.text()  # 社区's too
    posts.setCurrentText("社区党组织书记")  # a 社区's secretary has its own title as well
    community = {window.cadres.model.rows[i]["id"] for i in window.cadres.model.visible}
    assert community and community < sitting
    posts.setCurrentIndex(0)
    assert len(window.cadres.model.visible) == len(window.cadres.model.rows)

    window.nav.setCurrentRow(NAV.index("党组织"))
    rating = window.organizations.filters["rating"][0]
    assert [rating.itemText(i) for i in range(rating.count())] == [
        "全部分类定级",
        "先进",
        "一般",
        "后进",
    ]
    rating.setCurrentText("后进")
    shown = {window.organizations.model.rows[i]["id"] for i in window.organizations.model.visible}
    backward = {
        o.id
        for o in Organization.select()
        .join(OrgYear)
        .where((OrgYear.year == 2025) & (OrgYear.rating == "3"))
    }
    assert shown == backward and shown


def test_a_cadre_with_a_bad_id_is_not_saved_until_fixed(window, qtbot):
    before = Cadre.select().count()
    villages = [(v.id, v.name) for v in window.data.villages]
    dialog = CadreDialog(None, villages, window)
    qtbot.addWidget(dialog)
    dialog.name.setText("王小明")
    body = "53232219900101003"
    good = body + ric.calc_check_digit(body + "0")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    qtbot.keyClicks(dialog.id_number, bad)
    assert dialog.errors["id_number"].isVisible() or not dialog.errors["id_number"].isHidden()
    assert "校验位" in dialog.errors["id_number"].text()
    assert "border" in dialog.id_number.styleSheet()
    dialog.ethnicity.setCurrentText("彝族")
    dialog.political.setCurrentText("群众")
    dialog.save()
    assert dialog.result() == 0 and Cadre.select().count() == before
    dialog.id_number.setText(good)
    assert dialog.errors["id_number"].text() == ""
    assert "1990.01.01，男" in dialog.derived.text()
    dialog.save()
    assert dialog.saved is not None and Cadre.select().count() == before + 1
    saved = Cadre.get(Cadre.id_number == good)
    assert (saved.ethnicity, saved.political_status, saved.gender) == ("07", "13", "1")


def test_esc_asks_before_discarding_changes(window, qtbot, monkeypatch):
    person = Cadre.select().first()
    dialog = CadreDialog(person.id, [(v.id, v.name) for v in window.data.villages], window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.phone.setText("13911112222")
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.No)
    dialog.reject()
    assert dialog.isVisible()
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.Yes)
    dialog.reject()
    assert not dialog.isVisible() and Cadre.get_by_id(person.id).phone == person.phone


def test_a_warning_gets_its_explanation_from_the_findings_page(window, monkeypatch):
    page = window.findings
    window.nav.setCurrentRow(NAV.index("审核"))
    page.severity.setCurrentText("提示性")
    row = next(
        i
        for i in range(page.model.rowCount())
        if page.model.rows[page.model.visible[i]]["rule"] == "C13"
    )
    page.table.setCurrentIndex(page.model.index(row, 0))
    monkeypatch.setattr(
        QInputDialog, "getMultiLineText", lambda *a: ("本人身体健康，群众推选", True)
    )
    page.write_note()
    notes = [r["note"] for r in window.findings.model.rows if r["rule"] == "C13"]
    assert notes == ["本人身体健康，群众推选"]


def test_export_refused_while_blocking_findings_remain(
    window, qtbot, tmp_path, no_modal_boxes, monkeypatch
):
    person = Cadre.select().first()
    person.ethnicity = "99"
    person.save()
    page = window.export_page
    window.nav.setCurrentRow(NAV.index("导出"))
    page.folder.setText(str(tmp_path))
    qtbot.mouseClick(page.export_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: page.export_button.isEnabled(), timeout=20_000)
    assert "强制性审核问题" in page.result.text() and "C19" in page.result.text()
    assert not list(tmp_path.glob("*.xlsx")) and no_modal_boxes
    qtbot.waitUntil(lambda: not window.checks_pending)  # the window checked afresh
    assert page.blocking.isVisible() and "C19" in page.blocking.item(0).text()
    opened = []
    monkeypatch.setattr(CadreDialog, "exec", lambda self: opened.append(self) or 0)
    page.blocking.itemActivated.emit(page.blocking.item(0))  # double-click or Enter
    assert opened[0].cadre_id == person.id and "ethnicity" in opened[0].touched


def test_export_from_the_window_and_find_the_file(window, qtbot, tmp_path):
    page = window.export_page
    window.nav.setCurrentRow(NAV.index("导出"))
    page.folder.setText(str(tmp_path))
    page.preparer.setText("李四")
    seen = []
    window.jobs.progress.connect(lambda text, percent: seen.append((text, percent)))
    qtbot.mouseClick(page.export_button, Qt.LeftButton)
    assert window.statusBar().isVisible()  # the progress bar is shown while it runs
    qtbot.waitUntil(lambda: page.export_button.isEnabled(), timeout=20_000)
    assert not window.statusBar().isVisible()
    assert any(t.startswith("正在生成“表1") for t, _ in seen)
    assert [p for _, p in seen] == sorted(p for _, p in seen)  # it only moves forward
    files = list(tmp_path.glob("*党建统计报表*.xlsx"))
    assert len(files) == 1 and str(files[0]) in page.result.text()
    assert page.open_button.isEnabled()
    window.export_page.load(2025)
    assert page.preparer.text() == "李四"  # remembered


def test_a_damaged_database_is_reported_in_the_window(qtbot, data_dir):
    (data_dir / DB_FILENAME).write_bytes(b"not a database at all" * 100)
    win = MainWindow(data_dir)
    qtbot.addWidget(win)
    assert win.outer.currentWidget() is win.problem_page
    assert "已损坏" in win.problem.text()


def test_switching_year_updates_every_page(window):
    window.year_box.setCurrentText("2024")
    assert "2024 年度审核" in window.overview.summary.text()
    assert window.data.year == 2024


def test_the_income_grid_saves_a_cell_and_recomputes_total_and_band(window):
    from db.models import CollectiveEconomy

    bands = "经营性收入分档（万元，村数）"
    top_band_before = dict(window.overview.charts.values[bands])["100+"]
    page = window.economy
    window.nav.setCurrentRow(NAV.index("集体经济"))
    model = page.model
    row = 1
    cell_row = model.view_row(row)  # the 合计 row is shown first, as on 表5
    village_id = model.rows[row]["id"]
    column = [key for key, _ in model.columns].index("operating_income")
    old_total = model.rows[row]["total"]
    old_operating = model.rows[row]["operating_income"]
    was_top = model.rows[row]["band"] == "100万元及以上"
    assert model.setData(model.index(cell_row, column), "123.456789")
    saved = CollectiveEconomy.get(
        (CollectiveEconomy.village == village_id) & (CollectiveEconomy.year == 2025)
    )
    assert str(saved.operating_income) == "1234567.89"
    assert (
        model.rows[row]["total"] == old_total - old_operating + model.rows[row]["operating_income"]
    )
    assert model.data(model.index(cell_row, column)) == "123.46"
    # the 合计 row on screen is the sum of the amounts shown, like 表5's
    shown = [model.data(model.index(model.view_row(r), column)) for r in range(len(model.rows))]
    assert model.data(model.index(0, 0)) == "合计"
    assert model.data(model.index(0, column)) == str(sum(Decimal(v or "0") for v in shown))
    assert not model.flags(model.index(0, column)) & Qt.ItemIsEditable
    assert not model.setData(model.index(0, column), "5")
    assert model.rows[row]["band"] == "100万元及以上"
    # the overview's income-band chart follows the edit
    assert dict(window.overview.charts.values[bands])["100+"] == top_band_before + (not was_top)
    assert not model.setData(model.index(cell_row, column), "一百")
    assert "不是数字" in page.message.text() and "经营收入" in page.message.text()
    assert not model.setData(model.index(cell_row, column), "-5")
    assert "不能为负数" in page.message.text()
    for absurd in ("NaN", "Infinity", "1e300"):
        assert not model.setData(model.index(cell_row, column), absurd)
        assert "经营收入" in page.message.text()
    assert str(CollectiveEconomy.get_by_id(saved.id).operating_income) == "1234567.89"
    total_col = [key for key, _ in model.columns].index("total")
    assert not model.flags(model.index(cell_row, total_col)) & Qt.ItemIsEditable


def test_every_navigation_entry_opens_its_own_page(window):
    from PySide6.QtWidgets import QLabel

    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        page = window.pages.currentWidget()
        title = next(w for w in page.findChildren(QLabel) if w.objectName() == "pageTitle").text()
        assert window.nav.item(row).text().startswith(title[:2]), (row, title)


def test_delete_then_restore_from_the_recycle_bin(window, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.Yes)
    page = window.cadres
    window.nav.setCurrentRow(NAV.index("干部"))
    page.table.setCurrentIndex(page.model.index(0, 0))
    person = page.selected_row()
    total = Cadre.select().count()
    window.delete_selected(page)
    assert Cadre.select().count() == total - 1
    assert len(window.cadres.model.rows) == total - 1
    bin_page = window.recycle
    window.nav.setCurrentRow(NAV.index("回收站"))
    assert bin_page.model.rows[0]["label"] == f"干部 {person['name']}"
    bin_page.table.setCurrentIndex(bin_page.model.index(0, 0))
    bin_page.restore()
    assert Cadre.get_by_id(person["id"]).name == person["name"]
    assert bin_page.model.rows == []
    window.nav.setCurrentRow(NAV.index("干部"))
    assert len(window.cadres.model.rows) == total


def test_carry_a_year_forward_from_the_window(window, qtbot, monkeypatch, no_modal_boxes):
    questions = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a: questions.append(a[2]) or QMessageBox.Yes
    )
    progress = []
    window.jobs.progress.connect(lambda text, percent: progress.append(text))
    window.start_new_year()
    assert "将从 2025 年度结转出 2026 年度" in questions[0] and "不会改动" in questions[0]
    assert not window.new_year_button.isEnabled()  # running in the background
    qtbot.waitUntil(window.new_year_button.isEnabled, timeout=20_000)
    assert not no_modal_boxes
    assert window.year_box.currentText() == "2026" and window.data.year == 2026
    assert "正在结转到 2026 年度……" in progress
    assert dict((r["label"], r["value"]) for r in window.overview.model.rows)["党员总数"] > 0


def test_a_year_opened_by_mistake_is_removed_from_the_window(window, qtbot, monkeypatch):
    from db.years import years

    questions = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a: questions.append(a[2]) or QMessageBox.Yes
    )
    window.start_new_year()
    qtbot.waitUntil(window.new_year_button.isEnabled, timeout=20_000)
    assert window.year_box.currentText() == "2026"
    window.remove_newest_year()
    assert "将删除 2026 年度" in questions[-1] and "自动备份" in questions[-1]
    assert years()[-1] == 2025 and window.year_box.currentText() == "2025"


def test_backup_now_and_restore_from_the_window(window, monkeypatch):
    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.Yes)
    page = window.backups
    window.nav.setCurrentRow(NAV.index("备份与恢复"))
    page.backup_now()
    manual = next(i for i, r in enumerate(page.model.rows) if "manual" in r["name"])
    assert "妥甸镇" in page.model.rows[manual]["what"]
    person = Cadre.select().first()
    person.phone = "13000000000"
    person.save()
    view_row = page.model.visible.index(manual)
    page.table.setCurrentIndex(page.model.index(view_row, 0))
    page.restore()
    assert Cadre.get_by_id(person.id).phone != "13000000000"
    assert any("before-restore" in r["name"] for r in page.model.rows)


def test_a_damaged_database_can_be_replaced_by_the_newest_good_backup(
    qtbot, sample, data_dir, monkeypatch
):
    from db.backup import safety_backup
    from db.connection import close_db

    path = sample("small")
    count = Cadre.select().count()
    safety_backup("manual")
    close_db()
    damaged = bytearray(path.read_bytes())
    for offset in range(4096 * 2, len(damaged) - 4096, 4096 * 3):
        damaged[offset : offset + 64] = bytes(64)
    path.write_bytes(bytes(damaged))
    win = MainWindow(data_dir)
    qtbot.addWidget(win)
    win.show()
    assert win.outer.currentWidget() is win.problem_page and win.rescue_button.isVisible()
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.Yes)
    qtbot.mouseClick(win.rescue_button, Qt.LeftButton)
    assert win.outer.currentWidget() is win.main_page and Cadre.select().count() == count
    assert list(data_dir.glob("township-damaged-*.sqlite3"))  # the damaged file kept aside


def test_the_backup_folder_can_move_to_a_usb_stick(window, tmp_path):
    window.nav.setCurrentRow(NAV.index("备份与恢复"))
    stick = tmp_path / "U盘"
    window.backups.set_folder(stick)
    assert list(stick.glob("township-*-manual.sqlite3"))
    assert str(stick) in window.backups.folder.text()


def test_import_preview_then_confirm_in_the_background(window, qtbot, tmp_path):
    from desktop.sample_data import sample_roster

    page = window.import_page
    window.nav.setCurrentRow(NAV.index("导入"))
    roster = sample_roster(
        tmp_path / "名册.xlsx", rows=30, villages=[v.name for v in window.data.villages]
    )
    before = Cadre.select().count()
    page.preview([roster])
    qtbot.waitUntil(lambda: page.import_button.isEnabled(), timeout=20_000)
    assert "新增 30 条" in page.summary.text() and page.model.rowCount() == 30
    assert Cadre.select().count() == before  # a preview writes nothing
    page.apply()
    qtbot.waitUntil(lambda: "导入完成" in page.summary.text(), timeout=20_000)
    assert Cadre.select().count() == before + 30
    assert window.jobs.running == 0


def test_closing_is_refused_while_work_runs(window, no_modal_boxes):
    window.jobs.running = 1
    assert not window.close()
    assert "请等它完成" in no_modal_boxes[-1]
    window.jobs.running = 0


def test_the_county_merge_page_runs_the_merge(window, qtbot, tmp_path, no_modal_boxes):
    from desktop.reports.export import export_report

    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    export_report(inbox)
    page = window.merge_page
    window.nav.setCurrentRow(NAV.index("县级汇总"))
    page.source.setText(str(inbox))
    page.target.setText(str(tmp_path / "县"))
    page.expected.setText("妥甸镇,鄂嘉镇")
    page.merge()
    assert page.running and not window.close()  # closing waits for the merge
    qtbot.waitUntil(lambda: page.merge_button.isEnabled(), timeout=60_000)
    assert page.output is not None and page.output.exists()
    assert "汇总乡镇 1 个，收到文件 1 个" in page.result.text() and page.open_button.isEnabled()
    statuses = {r["township"]: r["status"] for r in page.files_model.rows}
    assert statuses["妥甸镇"] == "已汇总" and "鄂嘉镇" in statuses  # the missing one is listed
    assert any("鄂嘉镇" in r["message"] for r in page.issues_model.rows)


def test_a_finding_opens_its_record_at_the_field(window, monkeypatch):
    from desktop.checks import run_checks

    opened = []
    monkeypatch.setattr(CadreDialog, "exec", lambda self: opened.append(self) or 0)
    finding = next(f for f in run_checks(2025) if f.rule_id == "C15")  # a cadre without phone
    window.open_finding(finding)
    dialog = opened[0]
    assert dialog.cadre_id == finding.record_id
    assert "phone" in dialog.touched
    org_forms = []
    monkeypatch.setattr(OrganizationDialog, "exec", lambda self: org_forms.append(self) or 0)
    org_finding = next(f for f in run_checks(2025) if f.rule_id == "O03")
    window.open_finding(org_finding)
    assert window.pages.currentWidget() is window.organizations
    selected = window.organizations.selected_row()
    assert selected["id"] == org_finding.record_id
    assert org_forms[0].org_id == org_finding.record_id  # and its form is open
    economy_finding = next(f for f in run_checks(2025) if f.rule_id == "E05")
    window.open_finding(economy_finding)
    assert window.pages.currentWidget() is window.economy
    row = window.economy.table.currentIndex().row()
    assert window.economy.model.rows[row - 1]["village"] == economy_finding.label  # 合计 first


def test_the_cadre_form_shows_posts_over_time_and_the_change_history(window):
    from db.models import Appointment

    person = Cadre.select().join(Appointment).where(Appointment.end_date.is_null(False)).first()
    person.phone = "13611112222"
    person.save()
    dialog = CadreDialog(person.id, [(v.id, v.name) for v in window.data.villages], window)
    posts = dialog.posts.rows
    assert any(p["end"] != "至今" for p in posts)  # a post left at the 换届 is still there
    assert dialog.history.rows[0]["field"] == "联系电话"
    assert dialog.history.rows[0]["new"] == "13611112222"


def test_rating_an_organization_for_the_year(window, monkeypatch):
    from db.models import Organization, OrgYear
    from desktop.ui.organization_dialog import OrganizationDialog

    org = (
        Organization.select()
        .where(Organization.kind == "3")
        .order_by(Organization.id.desc())
        .first()
    )
    villages = [(v.id, v.name) for v in window.data.villages]
    dialog = OrganizationDialog(org.id, 2025, villages, window)
    full = dialog.counts["members_full"].value()
    dialog.counts["members_female"].setValue(full + 50)
    assert "不能超过党员总数" in dialog.errors["members_female"].text()
    assert "border" in dialog.counts["members_female"].styleSheet()
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: None)
    dialog.save()
    assert (
        OrgYear.get((OrgYear.organization == org) & (OrgYear.year == 2025)).members_female <= full
    )
    dialog.counts["members_female"].setValue(1)
    dialog.rating.setCurrentIndex(dialog.rating.findData("3"))
    dialog.weak.setChecked(True)
    assert "整顿措施" in dialog.errors["rectification"].text()
    dialog.rectification.setText("选派第一书记，整顿三个月")
    dialog.save()
    row = OrgYear.get((OrgYear.organization == org) & (OrgYear.year == 2025))
    assert (row.rating, row.weak_lax, row.members_female) == ("3", True, 1)
    assert row.rectification == "选派第一书记，整顿三个月"


def test_a_new_organization_needs_its_village(window, monkeypatch):
    from db.models import Organization
    from desktop.ui.organization_dialog import OrganizationDialog

    villages = [(v.id, v.name) for v in window.data.villages]
    dialog = OrganizationDialog(None, 2025, villages, window)
    dialog.name.setText("新建村产业党支部")
    assert "请选择所在村(社区)" in dialog.errors["village"].text()
    dialog.village.setCurrentIndex(1)
    dialog.counts["members_full"].setValue(5)
    dialog.save()
    created = Organization.get(Organization.name == "新建村产业党支部")
    assert created.village_id == villages[0][0] and created.years[0].members_full == 5


def test_settings_scale_the_font_and_keep_the_authority(window, qapp):
    from db.connection import township

    window.nav.setCurrentRow(NAV.index("设置"))
    page = window.settings
    assert page.folder.text() == str(window.db_path.parent)
    assert page.backup_folder.text().startswith(str(window.db_path.parent / "backups"))
    page.font_size.setCurrentText("特大")
    assert qapp.font().pointSize() == 14
    page.authority.setText("中共双柏县委组织部（县委组织部组织科）")
    page.preparer.setText("王五")
    page.save()
    assert township().authority == "中共双柏县委组织部（县委组织部组织科）"
    window.reload()
    assert qapp.font().pointSize() == 14  # remembered
    page.font_size.setCurrentText("标准")
    assert qapp.font().pointSize() == 10


def test_the_overview_charts_show_the_year(window):
    from db.statistics import band_counts

    charts = window.overview.charts
    title = "经营性收入分档（万元，村数）"
    bands = [count for _, count in charts.values[title]]
    assert bands == list(band_counts(2025).values())
    ages = dict(charts.values["“两委”成员年龄（岁，人数）"])
    education = dict(charts.values["“两委”成员学历（人数）"])
    assert sum(ages.values()) == sum(education.values()) > 15 * 3
    coverage = dict(charts.values["覆盖（%）：第一书记/一肩挑/已填集体经济"])
    assert coverage["集体经济"] == 100
    view = charts.views[title]
    bars = view.chart().series()[0].barSets()[0]
    assert [bars.at(i) for i in range(bars.count())] == list(band_counts(2025).values())


def test_a_new_village_reports_in_the_year_and_bad_codes_are_named(window, monkeypatch):
    from stdnum.cn import uscc

    from db.models import Village, VillageYear
    from desktop.ui.village_dialog import VillageDialog

    dialog = VillageDialog(None, 2025, "532322100000", window)
    dialog.name.setText(Village.select().first().name)
    assert "已经有叫" in dialog.errors["name"].text()
    dialog.name.setText("新建村")
    dialog.code.setText("532301100299")
    assert "以本乡镇的“532322100”开头" in dialog.errors["code"].text()
    dialog.code.setText("532322100299")
    dialog.credit.setText("N2532322MF12345670")
    assert "校验位" in dialog.errors["credit_code"].text()
    body = "N2532322MF1234567"
    dialog.credit.setText(body + uscc.calc_check_digit(body))
    dialog.counts["group_count"].setValue(6)
    assert dialog.validate()
    dialog.save()
    created = Village.get(Village.name == "新建村")
    row = VillageYear.get((VillageYear.village == created) & (VillageYear.year == 2025))
    assert row.group_count == 6 and created.code == "532322100299"
    window.refresh_year()
    window.nav.setCurrentRow(NAV.index("村(社区)"))
    assert "新建村" in [r["name"] for r in window.villages.model.rows]


def test_a_shared_project_is_entered_in_wan_yuan_with_its_villages(window):
    from decimal import Decimal

    from db.models import Project, ProjectVillage, ProjectYear
    from desktop.ui.project_dialog import ProjectDialog

    window.nav.setCurrentRow(NAV.index("扶持项目"))
    before = len(window.projects.model.rows)
    villages = [(v.id, v.name) for v in window.data.villages]
    dialog = ProjectDialog(None, 2025, villages, window)
    dialog.name.setText("抱团光伏电站")
    for i in (0, 1):
        dialog.village_list.item(i).setCheckState(Qt.Checked)
    dialog.shares.setText("60,30")
    dialog.amounts["fund_provincial"].setText("50")
    dialog.amounts["fund_self"].setText("1.2345")
    dialog.amounts["income"].setText("三万")
    assert not dialog.validate()
    assert "不是数字" in dialog.errors["income"].text()
    assert "合计为90%" in dialog.errors["villages"].text()
    dialog.save()
    assert not Project.select().where(Project.name == "抱团光伏电站").exists()
    dialog.amounts["income"].setText("3")
    dialog.shares.setText("60,40")
    dialog.save()
    created = Project.get(Project.name == "抱团光伏电站")
    assert created.fund_provincial == Decimal("500000.00") and created.fund_self == Decimal(
        "12345.00"
    )
    shares = {
        link.village_id: link.share
        for link in ProjectVillage.select().where(ProjectVillage.project == created)
    }
    assert shares == {villages[0][0]: Decimal(60), villages[1][0]: Decimal(40)}
    assert ProjectYear.get(ProjectYear.project == created).income == Decimal("30000.00")
    window.refresh_year()
    window.nav.setCurrentRow(NAV.index("扶持项目"))
    assert len(window.projects.model.rows) == before + 1


def test_a_refused_roster_row_is_fixed_in_the_preview(window, qtbot, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    from desktop.sample_data import sample_roster
    from desktop.ui.import_page import RowFixDialog

    roster = sample_roster(
        tmp_path / "名册.xlsx", rows=10, villages=[v.name for v in window.data.villages]
    )
    wb = load_workbook(roster)
    ws = wb.active
    header_row, id_col = next(
        (c.row, c.column) for row in ws.iter_rows() for c in row if c.value == "身份证号"
    )
    good = ws.cell(header_row + 3, id_col).value
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    ws.cell(header_row + 3, id_col).value = bad
    wb.save(roster)
    page = window.import_page
    window.nav.setCurrentRow(NAV.index("导入"))
    before = Cadre.select().count()
    page.preview([roster])
    qtbot.waitUntil(page.import_button.isEnabled, timeout=20_000)
    assert "拒绝 1 条" in page.summary.text() and page.fix_button.isEnabled()
    refused = next(i for i, r in enumerate(page.model.rows) if r["refused"])
    page.table.selectRow(refused)

    def clerk(dialog):
        assert "校验位" in dialog.findChild(QLabel).text()  # why it was refused
        edit = next(e for e in dialog.edits if e.text() == bad)
        edit.setText(good)
        return 1

    monkeypatch.setattr(RowFixDialog, "exec", clerk)
    page.fix_row()
    qtbot.waitUntil(page.import_button.isEnabled, timeout=20_000)
    assert "拒绝 0 条" in page.summary.text() and "新增 10 条" in page.summary.text()
    assert page.model.rows[refused]["action"] == "新增（已修正）"
    page.apply()
    qtbot.waitUntil(lambda: "导入完成" in page.summary.text(), timeout=20_000)
    assert Cadre.select().count() == before + 10
    assert Cadre.get_or_none(Cadre.id_number == good) is not None
    kept = load_workbook(roster).active.cell(header_row + 3, id_col).value
    assert kept == bad  # the clerk's file is not changed behind their back


def test_enter_moves_to_the_next_field_and_esc_asks_in_every_form(window, qtbot, monkeypatch):
    from db.models import Village
    from desktop.ui.village_dialog import VillageDialog

    village = window.data.villages[0]
    dialog = VillageDialog(village.id, 2025, "532322100000", window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.name.setFocus()
    qtbot.keyClick(dialog.name, Qt.Key_Return)
    assert dialog.isVisible() and dialog.focusWidget() is not dialog.name  # moved on, not saved
    dialog.name.setText("改了名字的村")
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a: asked.append(a[2]) or QMessageBox.No)
    qtbot.keyClick(dialog, Qt.Key_Escape)
    assert asked == ["有修改尚未保存，确定放弃吗？"] and dialog.isVisible()
    assert Village.get_by_id(village.id).name == village.name


def test_an_organization_shows_its_years_and_its_change_history(window, qtbot, monkeypatch):
    from db.models import OrgYear
    from desktop.forms import organization_form
    from desktop.ui.history_dialog import HistoryDialog

    row = OrgYear.select().where(OrgYear.year == 2025).first()
    form = organization_form.load(row.organization_id, 2025)
    form.rating = new = "3" if row.rating != "3" else "1"
    organization_form.save(form, row.organization_id, 2025)
    dialog = OrganizationDialog(row.organization_id, 2025, [], window)
    qtbot.addWidget(dialog)
    shown = []
    monkeypatch.setattr(HistoryDialog, "exec", lambda self: shown.append(self) or 0)
    dialog.history_button.click()
    years = shown[0].models["历年情况"].rows
    assert [r["year"] for r in years] == [2025, 2024, 2023]  # the sample's three years
    assert years[0]["rating"] in ("后进", "先进")
    change = shown[0].models["修改记录"].rows[0]
    name = {"3": "后进", "1": "先进"}[new]  # the name, not the code
    assert (change["subject"], change["field"], change["new"]) == ("2025年度情况", "分类定级", name)


def test_a_finding_is_resolved_from_the_findings_page(window, qtbot, monkeypatch):
    """审核 → double-click → the form opens at the field → fix → save → the finding is gone."""
    page = window.findings
    window.nav.setCurrentRow(NAV.index("审核"))
    before = [r for r in page.model.rows if r["rule"] == "C15"]
    assert before
    row = next(
        i
        for i in range(page.model.rowCount())
        if page.model.row_at(page.model.index(i, 0))["rule"] == "C15"
    )

    def clerk(dialog):
        assert dialog.focusWidget() in (dialog.phone, None) and "phone" in dialog.touched
        dialog.phone.setText("13987654321")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(CadreDialog, "exec", clerk)
    page.table.doubleClicked.emit(page.model.index(row, 0))
    qtbot.waitUntil(lambda: not window.checks_pending)
    after = [r for r in page.model.rows if r["rule"] == "C15"]
    assert len(after) == len(before) - 1
    assert window.nav.item(NAV.index("审核")).text() == f"审核（{page.model.rowCount()}）"


def test_every_form_fits_a_1366x768_screen_at_the_largest_font(window, qtbot):
    from db.models import Appointment, OrgYear, Project, Training
    from desktop.ui.post_dialogs import AppointmentDialog, EnrollmentDialog
    from desktop.ui.project_dialog import ProjectDialog
    from desktop.ui.settings_page import apply_font_size
    from desktop.ui.training_dialog import TrainingDialog
    from desktop.ui.village_dialog import VillageDialog

    villages = [(v.id, v.name) for v in window.data.villages]
    post = Appointment.select().first()
    apply_font_size("特大")
    try:
        forms = [
            CadreDialog(post.cadre_id, villages, window),
            OrganizationDialog(OrgYear.select().first().organization_id, 2025, villages, window),
            ProjectDialog(Project.select().first().id, 2025, villages, window),
            VillageDialog(villages[0][0], 2025, "532322100000", window),
            TrainingDialog(Training.select().first().id, 2025, window),
            AppointmentDialog(post.cadre_id, post.id, villages, window),
            EnrollmentDialog(post.cadre_id, None, window),
        ]
        for form in forms:
            qtbot.addWidget(form)
            size = form.minimumSizeHint().expandedTo(form.minimumSize())
            # 768 less a taskbar and the title bar
            assert size.height() <= 690 and size.width() <= 1366, type(form).__name__
    finally:
        apply_font_size("标准")


def test_checks_that_fail_say_so_and_do_not_hang(window, qtbot, monkeypatch, no_modal_boxes):
    import desktop.checks

    def broken(*_args, **_kwargs):
        raise RuntimeError("规则出错")

    monkeypatch.setattr(desktop.checks, "run_checks", broken)
    window.refresh_findings()
    qtbot.waitUntil(lambda: not window.checks_pending)
    assert window.nav.item(NAV.index("审核")).text() == "审核（未完成）"
    assert "审核没有完成" in no_modal_boxes[-1] and "数据未改动" in no_modal_boxes[-1]
    log = window.db_path.parent / "logs" / "township-desk.log"
    assert str(log) in no_modal_boxes[-1]
    assert "RuntimeError: 规则出错" in log.read_text(encoding="utf-8")  # the traceback kept


def test_the_change_history_is_exported_for_the_county(window, qtbot, tmp_path):
    from openpyxl import load_workbook

    person = Cadre.select().first()
    person.phone = "13700001111"
    person.save()
    page = window.export_page
    window.nav.setCurrentRow(NAV.index("导出"))
    page.folder.setText(str(tmp_path))
    qtbot.mouseClick(page.history_button, Qt.LeftButton)
    qtbot.waitUntil(page.history_button.isEnabled, timeout=20_000)
    files = list(tmp_path.glob("双柏县_妥甸镇_修改记录_*.xlsx"))
    assert len(files) == 1 and str(files[0]) in page.result.text()
    rows = [[c.value for c in row] for row in load_workbook(files[0]).active.iter_rows()]
    assert rows[0][:4] == ["时间", "表", "记录", "操作"]
    assert any(r[4] == "联系电话" and r[6] == "13700001111" for r in rows[1:])  # in Chinese


def test_lists_answer_the_keyboard(window, qtbot, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.Yes)
    opened = []
    monkeypatch.setattr(CadreDialog, "exec", lambda self: opened.append(self.cadre_id) or 0)
    window.activateWindow()
    window.nav.setCurrentRow(NAV.index("干部"))
    page = window.cadres
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key_F, Qt.ControlModifier)
    assert page.search.hasFocus()
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key_N, Qt.ControlModifier)
    assert opened == [None]  # a new cadre's form
    window.nav.setFocus()  # just chose the page in the navigation: Ctrl+N works there too
    qtbot.keyClick(window.nav, Qt.Key_N, Qt.ControlModifier)
    assert opened == [None, None]
    org_forms = []
    monkeypatch.setattr(OrganizationDialog, "exec", lambda self: org_forms.append(self) or 0)
    window.nav.setCurrentRow(NAV.index("党组织"))  # only the page shown answers
    qtbot.keyClick(window.nav, Qt.Key_N, Qt.ControlModifier)
    assert opened == [None, None] and len(org_forms) == 1
    window.nav.setCurrentRow(NAV.index("干部"))
    page.table.setFocus()
    page.table.selectRow(0)
    chosen = page.selected_row()
    qtbot.keyClick(page.table, Qt.Key_Delete)
    assert Cadre.get_or_none(Cadre.id == chosen["id"]) is None
    remaining = Cadre.select().count()
    page.search.setFocus()
    page.search.setText("abc")
    page.search.setCursorPosition(0)
    qtbot.keyClick(page.search, Qt.Key_Delete)  # in the search box Delete edits the text
    assert page.search.text() == "bc" and Cadre.select().count() == remaining


def test_the_help_page_explains_the_program_in_chinese(window):
    window.nav.setCurrentRow(NAV.index("帮助"))
    text = window.help.text.toPlainText()
    assert text.startswith("使用说明")
    for words in ("第一次使用", "强制性", "开始新年度", "回收站", "找不到数据文件夹"):
        assert words in text
    assert "报送。数据" in text  # Chinese lines join without a stray space
    # the buttons it names are the buttons the program has
    for button in ("用示例数据体验", "从以前导出的报表恢复…", "开始新年度…", "导出修改记录…"):
        assert f"“{button}”" in text


def test_qt_own_buttons_and_file_dialogs_speak_chinese(window):
    """Confirmations say 是/否 and 确定/取消, not Yes/No/OK (Qt's translations are loaded)."""
    from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLabel

    box = QMessageBox(QMessageBox.Question, "乡镇党建数据填报", "删除吗？")
    box.setStandardButtons(QMessageBox.Yes | QMessageBox.No)
    assert "是" in box.button(QMessageBox.Yes).text()
    assert "否" in box.button(QMessageBox.No).text()
    buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
    assert "确定" in buttons.button(QDialogButtonBox.Ok).text()
    assert "取消" in buttons.button(QDialogButtonBox.Cancel).text()
    dialog = QFileDialog(window, "选择文件")
    dialog.setOption(QFileDialog.DontUseNativeDialog)
    labels = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "文件名" in labels and "File name" not in labels


def test_lists_widen_their_columns_when_the_font_grows(window, qapp):
    """After switching to 特大 no list clips its names or ID numbers (no restart needed)."""
    from PySide6.QtGui import QFontMetrics

    window.nav.setCurrentRow(NAV.index("干部"))
    table = window.cadres.table
    model = table.model()
    id_column = next(
        c for c in range(model.columnCount()) if model.headerData(c, Qt.Horizontal) == "身份证号"
    )
    number = model.data(model.index(0, id_column))
    window.settings.font_size.setCurrentText("特大")
    try:
        needed = QFontMetrics(qapp.font()).horizontalAdvance(number)
        assert table.columnWidth(id_column) >= needed
    finally:
        window.settings.font_size.setCurrentText("标准")


def test_a_new_post_starts_at_the_cadres_own_village(window, qtbot):
    """The clerk adds a 村委会委员 post to a cadre of 某村: the form already shows 某村."""
    from desktop.ui.post_dialogs import AppointmentDialog

    villages = [(v.id, v.name) for v in window.data.villages]
    cadre = Cadre.select().where(Cadre.village.is_null(False)).first()
    dialog = CadreDialog(cadre.id, villages, window)
    qtbot.addWidget(dialog)
    post = AppointmentDialog(cadre.id, None, dialog.village_choices, dialog)
    qtbot.addWidget(post)
    post.post.setCurrentText("村委会委员")
    assert post.form.isRowVisible(post.village.parentWidget())
    assert post.village.currentData() == cadre.village_id
    assert post.village.currentText() == cadre.village.name


def test_the_organization_form_names_what_a_branch_is_built_on(window, qtbot):
    """The row of 村民小组/网格/小区 reads 建立方式 (not a bare 建立在 that looks like 上级党组织)."""
    from db.models import OrgYear

    villages = [(v.id, v.name) for v in window.data.villages]
    dialog = OrganizationDialog(OrgYear.select().first().organization_id, 2025, villages, window)
    qtbot.addWidget(dialog)
    holder = dialog.fields["unit"].parentWidget()
    form = holder.parentWidget().layout()
    label = form.labelForField(holder).text()
    assert label == "建立方式"
    entries = [dialog.unit.itemText(i) for i in range(dialog.unit.count())]
    assert "村民小组" in entries and "网格" in entries
    assert "村民小组" in dialog.unit.toolTip()
    labels = {
        form.labelForField(w.parentWidget()).text()
        for w in dialog.fields.values()
        if form.labelForField(w.parentWidget()) is not None
    }
    assert "建立在" not in labels


def test_the_findings_list_names_rules_in_chinese_not_by_their_ids(window):
    """审核: the clerk reads 审核项 and the rule's name; ids such as C01 stay out of sight."""
    import re

    from desktop.checks.registry import RULES

    window.nav.setCurrentRow(NAV.index("审核"))
    model = window.findings.model
    assert model.rowCount() > 0
    headers = [model.headerData(c, Qt.Horizontal) for c in range(model.columnCount())]
    assert "规则" in headers and "审核项" in headers
    shown = [
        model.data(model.index(r, c)) for r in range(model.rowCount()) for c in range(len(headers))
    ]
    assert not [text for text in shown if re.fullmatch(r"[A-Z]\d{2}", text)]
    rule_column = headers.index("规则")
    first = model.row_at(model.index(0, 0))
    assert model.data(model.index(0, rule_column)) == RULES[first["rule"]].title


def test_an_empty_chart_says_so_and_counts_in_whole_numbers(qtbot, blank, data_dir):
    """A new township has no villages yet: the charts say 暂无数据, and the count axis reads
    0 1 2 3 4 5 (not 0 0 0 0 0 1, the 0–1 range printed as integers)."""
    from PySide6.QtCharts import QValueAxis

    win = MainWindow(data_dir)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: not win.checks_pending)
    charts = win.overview.charts
    qtbot.waitUntil(lambda: len(charts.views) == 4)
    counts = [t for t in charts.views if not t.startswith("覆盖")]
    for title in counts:
        chart = charts.views[title].chart()
        assert "暂无数据" in chart.title(), title
        (axis,) = [a for a in chart.axes() if isinstance(a, QValueAxis)]
        step = (axis.max() - axis.min()) / (axis.tickCount() - 1)
        assert (axis.min(), axis.max(), step) == (0, 5, 1), title


def test_a_chart_with_figures_has_whole_number_ticks_and_no_empty_note(window):
    from PySide6.QtCharts import QValueAxis

    charts = window.overview.charts
    for title, view in charts.views.items():
        chart = view.chart()
        assert "暂无数据" not in chart.title()
        (axis,) = [a for a in chart.axes() if isinstance(a, QValueAxis)]
        step = (axis.max() - axis.min()) / (axis.tickCount() - 1)
        assert step == int(step) >= 1 and axis.max() >= max(v for _, v in charts.values[title])


def test_a_redrawn_chart_drops_its_old_axes(window):
    """After an edit the chart is drawn again: the old axis labels do not stay painted."""
    import shiboken6
    from PySide6.QtCore import QCoreApplication, QEvent

    charts = window.overview.charts
    old = [a for view in charts.views.values() for a in view.chart().axes()]
    charts.redraw()
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete.value)
    assert old and not any(shiboken6.isValid(axis) for axis in old)
    assert all(len(view.chart().axes()) == 2 for view in charts.views.values())


def test_fields_stay_in_place_as_their_errors_come_and_go(window, qtbot):
    """Typing a wrong ID number: its message shows beside the field, and neither that field
    nor the ones below it move or change size, as the message appears or goes."""
    villages = [(v.id, v.name) for v in window.data.villages]
    dialog = CadreDialog(None, villages, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)

    def places():
        return {
            key: (w.mapTo(dialog, w.rect().topLeft()), w.size())
            for key, w in dialog.fields.items()
            if w.isVisible()
        }

    before = places()
    body = "53232219900101003"
    good = body + ric.calc_check_digit(body + "0")
    qtbot.keyClicks(dialog.id_number, good[:-1] + ("0" if good[-1] != "0" else "1"))
    qtbot.wait(1)  # the layout settles (no sleep: one event-loop turn)
    error = dialog.errors["id_number"]
    assert error.text() and error.isVisible()
    assert places() == before
    dialog.id_number.setText(good)
    qtbot.wait(1)
    assert not error.text() and places() == before
    dialog.id_number.clear()  # back as it opened: it closes without asking
