"""Posts (任职) and 学历提升 entered from the cadre form: the 换届 a clerk records by hand."""

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox
from stdnum.cn import ric

from db import codes
from db.errors import UserError
from db.models import Appointment, Cadre, Enrollment, RecycleBin
from desktop.checks import blocking, run_checks
from desktop.forms import appointment_form, cadre_form, enrollment_form
from desktop.forms.appointment_form import AppointmentInput
from desktop.forms.cadre_form import CadreInput
from desktop.forms.enrollment_form import EnrollmentInput
from desktop.ui.cadre_dialog import CadreDialog
from desktop.ui.main_window import NAV, MainWindow
from desktop.ui.post_dialogs import AppointmentDialog, EnrollmentDialog
from desktop.ui.training_dialog import TrainingDialog


@pytest.fixture
def township(sample):
    sample("township")


def sitting_secretary() -> Appointment:
    return (
        Appointment.select()
        .where(
            (Appointment.post == codes.VILLAGE_SECRETARY)
            & Appointment.end_date.is_null()
            & Appointment.organization.is_null(False)
        )
        .first()
    )


def party_member_without_posts() -> Cadre:
    """A new party member, born 1985, joined 2008: typed into the cadre form."""
    body = "53232219850315002"
    form = CadreInput(
        name="李秀英",
        id_number=body + ric.calc_check_digit(body + "0"),
        ethnicity="07",
        political_status="01",
        party_joined="2008.07.01",
    )
    return cadre_form.save(form)


def test_a_new_secretary_ends_the_predecessors_term_on_the_same_day(township):
    old = sitting_secretary()
    newcomer = party_member_without_posts()
    start = dt.date(2025, 6, 1)
    assert old.start_date < start
    form = AppointmentInput(
        post=codes.VILLAGE_SECRETARY, village=old.village_id, start=f"{start:%Y.%m.%d}"
    )
    appointment_form.check(form, newcomer.id)
    assert [p.id for p in form.predecessors] == [old.id]
    form.end_predecessors = False
    appointment_form.check(form, newcomer.id)
    assert "仍在任村党组织书记" in form.errors["start"]
    form.end_predecessors = True
    made = appointment_form.save(form, newcomer.id)
    assert Appointment.get_by_id(old.id).end_date == start
    assert made.organization_id == old.organization_id  # the village's own organization
    assert not [f for f in run_checks(2025) if f.rule_id == "O06"]


def test_bad_posts_are_refused_with_the_field_named_and_nothing_stored(township):
    cadre = party_member_without_posts()
    masses = Cadre.get(Cadre.political_status == "13")
    before = Appointment.select().count()
    cases = [
        (cadre.id, AppointmentInput(post="", start="2024.01"), "post", "请选择职务"),
        (cadre.id, AppointmentInput(post=codes.VILLAGE_DIRECTOR, start="2024.01"), "village", ""),
        (
            cadre.id,
            AppointmentInput(post=codes.FIRST_SECRETARY, village=1, start="2024.01"),
            "sending_unit",
            "派出单位",
        ),
        (
            cadre.id,
            AppointmentInput(post=codes.VILLAGE_DIRECTOR, village=1, start="2024.13.01"),
            "start",
            "",
        ),
        (
            cadre.id,
            AppointmentInput(
                post=codes.VILLAGE_DIRECTOR, village=1, start="2024.05", end="2024.01"
            ),
            "end",
            "晚于任职日期",
        ),
        (
            masses.id,
            AppointmentInput(post=codes.VILLAGE_PARTY_COMMITTEE_MEMBER, village=1, start="2024.05"),
            "post",
            "不是党员",
        ),
        (
            cadre.id,
            AppointmentInput(post=codes.VILLAGE_DIRECTOR, village=1, start="1950.01"),
            "start",
            "未满18周岁",
        ),
    ]
    for cadre_id, form, field, words in cases:
        with pytest.raises(UserError) as raised:
            appointment_form.save(form, cadre_id)
        assert words in form.errors[field]
        assert appointment_form.LABELS[field] in raised.value.message
    assert Appointment.select().count() == before


def test_ending_a_post_sets_the_day_it_was_left(township):
    post = sitting_secretary()
    with pytest.raises(UserError, match="晚于任职日期"):
        appointment_form.end_post(post.id, f"{post.start_date:%Y.%m.%d}")
    assert Appointment.get_by_id(post.id).end_date is None
    appointment_form.end_post(post.id, "2025年12月")
    assert Appointment.get_by_id(post.id).end_date == dt.date(2025, 12, 1)


def test_enrollment_status_must_match_its_dates(township):
    cadre = Cadre.select().first()
    today = dt.date(2026, 11, 23)
    form = EnrollmentInput(level="30", school="云南开放大学", start="2023.09", end="2026.07")
    with pytest.raises(UserError, match="状态应为已毕业"):
        enrollment_form.save(form, cadre.id, None, today)
    form.status = codes.GRADUATED
    saved = enrollment_form.save(form, cadre.id, None, today)
    assert (saved.start_date, saved.end_date) == (dt.date(2023, 9, 1), dt.date(2026, 7, 1))
    assert enrollment_form.enrollment_rows(cadre.id)[0]["status"] == "已毕业"


# -- the window ----------------------------------------------------------------------------


@pytest.fixture
def window(qtbot, sample, data_dir, monkeypatch):
    sample("township")
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: None)
    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
    win = MainWindow(data_dir)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: not win.checks_pending)  # the 审核 rules run on a reader thread
    return win


def villages_of(win):
    return [(v.id, v.name) for v in win.data.villages]


def test_a_new_cadre_gets_a_post_from_the_form_and_shows_in_the_list(window, monkeypatch):
    village_id, village_name = villages_of(window)[0]
    seen = {}

    def fill_post(post_dialog):
        post_dialog.post.setCurrentText("村委会委员")
        assert post_dialog.form.isRowVisible(post_dialog.fields["village"].parentWidget())
        assert not post_dialog.form.isRowVisible(post_dialog.fields["sending_unit"].parentWidget())
        post_dialog.start.setText("2024.13")
        post_dialog.save()
        assert post_dialog.result() == 0 and post_dialog.errors["village"].text()
        assert "不是存在的日期" in post_dialog.errors["start"].text()
        post_dialog.village.setCurrentIndex(post_dialog.village.findData(village_id))
        post_dialog.start.setText("2024.01.10")
        post_dialog.save()
        return post_dialog.result()

    def clerk(dialog):
        """New cadre: type, save (the form stays open), add the post, close."""
        seen["before"] = (dialog.tabs.isEnabled(), dialog.note.text())
        body = "53232219850315002"
        dialog.name.setText("李秀英")
        dialog.id_number.setText(body + ric.calc_check_digit(body + "0"))
        dialog.ethnicity.setCurrentText("彝族")
        dialog.political.setCurrentText("中共党员")
        dialog.joined.setText("2008.07.01")
        dialog.save()
        seen["after"] = (dialog.cadre_id is not None, dialog.tabs.isEnabled())
        dialog.add_post()
        seen["posts"] = dialog.posts.rows
        dialog.reject()  # nothing unsaved: closes without asking
        return 0

    monkeypatch.setattr(AppointmentDialog, "exec", fill_post)
    monkeypatch.setattr(CadreDialog, "exec", clerk)
    window.open_cadre(None)
    assert seen["before"][0] is False and "保存干部信息后" in seen["before"][1]
    assert seen["after"] == (True, True)  # saved, and open for the posts
    assert seen["posts"][0]["post"] == "村委会委员"
    assert seen["posts"][0]["place"] == village_name and seen["posts"][0]["end"] == "至今"
    window.nav.setCurrentRow(NAV.index("干部"))  # the list was refreshed after the form
    window.cadres.search.setText("李秀英")
    row = window.cadres.model.row_at(window.cadres.model.index(0, 0))
    assert row["name"] == "李秀英" and "村委会委员" in row["posts"]


def test_ending_and_deleting_a_post_from_the_form(window, qtbot, monkeypatch):
    post = sitting_secretary()
    dialog = CadreDialog(post.cadre_id, villages_of(window), window)
    qtbot.addWidget(dialog)
    index = next(i for i, r in enumerate(dialog.posts.rows) if r["id"] == post.id)
    dialog.post_view.selectRow(index)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("2026.06.30", True))
    dialog.end_post()
    assert Appointment.get_by_id(post.id).end_date == dt.date(2026, 6, 30)
    row = next(r for r in dialog.posts.rows if r["id"] == post.id)
    assert row["end"] == "2026.06.30" and dialog.changed
    change = dialog.history.rows[0]  # the cadre's history includes their posts
    assert (change["subject"], change["field"]) == ("任职：村党组织书记", "离任日期")
    assert "2026-06-30" in change["new"]

    index = next(i for i, r in enumerate(dialog.posts.rows) if r["id"] == post.id)
    dialog.post_view.selectRow(index)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.Yes)
    dialog.delete_post()
    assert Appointment.get_or_none(Appointment.id == post.id) is None
    assert all(r["id"] != post.id for r in dialog.posts.rows)
    assert RecycleBin.select().count() == 1


def test_a_finding_about_a_post_opens_the_posts_tab(window, monkeypatch):
    post = sitting_secretary()
    Appointment.update(end_date=post.start_date).where(Appointment.id == post.id).execute()
    finding = next(f for f in run_checks(2025) if f.rule_id == "C11")
    opened = []
    monkeypatch.setattr(CadreDialog, "exec", lambda self: opened.append(self) or 0)
    window.open_finding(finding)
    assert opened[0].tabs.currentWidget() is opened[0].post_view.parentWidget()


def test_an_enrollment_from_the_form(window, qtbot):
    cadre = Cadre.select().first()
    dialog = EnrollmentDialog(cadre.id, None, window)
    qtbot.addWidget(dialog)
    dialog.level.setCurrentText("大学专科")
    dialog.school.setText("楚雄师范学院")
    dialog.start.setText("2025.09")
    dialog.end.setText("2024.07")
    dialog.save()
    assert dialog.result() == 0 and "晚于入学日期" in dialog.errors["end"].text()
    dialog.end.setText("")
    dialog.save()
    assert Enrollment.get(Enrollment.cadre == cadre.id).school == "楚雄师范学院"


# -- trainings -----------------------------------------------------------------------------


def test_a_training_with_its_attendees_counts_in_table_7(window, monkeypatch):
    from db.models import Training, TrainingAttendance
    from db.statistics import key_figures
    from desktop.search import initials

    def figures():
        return {label: value for label, value in key_figures(2025)}

    before = figures()
    people = list(Cadre.select().where(Cadre.village.is_null(False)).limit(3))

    def clerk(dialog):
        dialog.program.setCurrentText("冬春训")
        dialog.title.setText("2025年冬春训村干部专题班")
        dialog.start.setText("2024.12.01")
        dialog.end.setText("2025.12.03")
        dialog.save()
        assert dialog.result() == 0 and "2025年度内" in dialog.errors["start"].text()
        dialog.start.setText("2025.12.01")
        dialog.search.setText(initials(people[0].name)[0])
        shown = [
            dialog.people.item(r).data(Qt.UserRole)
            for r in range(dialog.people.count())
            if not dialog.people.item(r).isHidden()
        ]
        assert people[0].id in shown and len(shown) < dialog.people.count()
        for row in range(dialog.people.count()):
            item = dialog.people.item(row)
            if item.data(Qt.UserRole) in {p.id for p in people}:
                item.setCheckState(Qt.Checked)
        assert dialog.attendances.value() == 3  # ticking raises 人次 with them
        dialog.attendances.setValue(120)
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(TrainingDialog, "exec", clerk)
    window.nav.setCurrentRow(NAV.index("培训"))
    window.open_training(None)
    made = Training.get(Training.title == "2025年冬春训村干部专题班")
    assert {
        a.cadre_id for a in TrainingAttendance.select().where(TrainingAttendance.training == made)
    } == {p.id for p in people}
    after = figures()
    assert after["培训期数"] == before["培训期数"] + 1
    assert after["培训人次"] == before["培训人次"] + 120
    row = next(r for r in window.trainings.model.rows if r["id"] == made.id)
    assert (row["program"], row["attendees"], row["attendances"]) == ("冬春训", 3, 120)


def test_delete_a_training_a_project_a_village_and_restore_them(window, monkeypatch):
    from db.models import Project, Training, Village

    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.Yes)
    for title, model in (("培训", Training), ("扶持项目", Project), ("村(社区)", Village)):
        page = window.pages.widget(NAV.index(title))
        window.nav.setCurrentRow(NAV.index(title))
        page.table.setCurrentIndex(page.model.index(0, 0))
        chosen = page.selected_row()
        window.delete_selected(page)
        assert model.get_or_none(model.id == chosen["id"]) is None, title
        assert all(r["id"] != chosen["id"] for r in page.model.rows)
    window.nav.setCurrentRow(NAV.index("回收站"))
    assert len(window.recycle.model.rows) == 3
    for _ in range(3):
        window.recycle.table.setCurrentIndex(window.recycle.model.index(0, 0))
        window.recycle.restore()
    assert window.recycle.model.rows == []
    assert not blocking(run_checks(2025))  # everything came back, links included


def test_a_training_finding_opens_the_training_form(window, monkeypatch):
    from db.models import Training

    training = Training.select().where(Training.year == 2025).first()
    Training.update(sessions=0).where(Training.id == training.id).execute()
    finding = next(f for f in run_checks(2025) if f.rule_id == "R01")
    opened = []
    monkeypatch.setattr(TrainingDialog, "exec", lambda self: opened.append(self) or 0)
    window.open_finding(finding)
    assert window.pages.currentWidget() is window.trainings
    assert window.trainings.selected_row()["id"] == training.id
    assert (
        opened[0].training_id == training.id
        and "期数至少为1" in opened[0].errors["sessions"].text()
    )
