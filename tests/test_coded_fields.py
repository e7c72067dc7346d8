"""Coded fields in the forms, typed as the clerk types them: the same words as the imports
(大专 → 大学专科), an unknown word refused at its field, Enter moving on, no doubled text."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QMessageBox

from db import codes
from db.models import Appointment, Cadre, Village
from db.statistics import base_counts, key_figures, percent
from desktop.ui.cadre_dialog import CadreDialog
from desktop.ui.village_dialog import VillageDialog

COLLEGE_SHARE = "大专及以上学历村党组织书记占比(%)"


@pytest.fixture(autouse=True)
def no_modal_boxes(monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: shown.append(a[2]))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))
    # a form closed at the end of a test asks before discarding: the answer is yes
    monkeypatch.setattr(QMessageBox, "question", lambda *a: shown.append(a[2]) or QMessageBox.Yes)
    return shown


@pytest.fixture
def township(sample):
    sample("township")
    return [(v.id, v.name) for v in Village.select().order_by(Village.id)]


def secretary_without_college():
    college = codes.college_codes()
    for post in Appointment.select().where(
        (Appointment.post == codes.VILLAGE_SECRETARY) & Appointment.end_date.is_null()
    ):
        cadre = post.cadre
        if cadre.education_fulltime not in college and cadre.education_inservice not in college:
            return cadre
    raise AssertionError("the sample has a secretary without 大专")


def press(qtbot, box: QComboBox, key) -> None:
    """A key as it arrives: to the completion list while it is open, else to the field."""
    popup = box.completer().popup()
    qtbot.keyClick(popup if popup.isVisible() else box.lineEdit(), key)


def open_cadre(qtbot, cadre_id, villages) -> CadreDialog:
    dialog = CadreDialog(cadre_id, villages)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def ime(widget, text: str) -> None:
    """Chinese as a pinyin input method gives it: one committed string."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def type_into(qtbot, box: QComboBox, text: str) -> None:
    box.setFocus()
    box.lineEdit().selectAll()
    qtbot.keyClick(box.lineEdit(), Qt.Key_Delete)
    ime(box.lineEdit(), text)


def test_typing_dazhuan_stores_daxue_zhuanke_and_table7_counts_it(qtbot, township):
    secretary = secretary_without_college()
    before = base_counts(2025)
    dialog = open_cadre(qtbot, secretary.id, township)
    type_into(qtbot, dialog.inservice, "大专")
    assert dialog.focusWidget() is dialog.inservice
    press(qtbot, dialog.inservice, Qt.Key_Return)
    assert dialog.inservice.currentText() == "大学专科"  # the entry it stands for shows
    assert dialog.focusWidget() is dialog.political  # Enter moved on to the next field
    dialog.save()
    assert dialog.result() == 1
    assert Cadre.get_by_id(secretary.id).education_inservice == "30"
    after = dict(key_figures(2025))[COLLEGE_SHARE]
    assert after == percent(before["secretaries_college"] + 1, before["secretaries"])


def test_a_word_that_is_no_code_blocks_saving_with_the_fields_error(qtbot, township):
    secretary = secretary_without_college()
    stored = Cadre.get_by_id(secretary.id).education_inservice
    dialog = open_cadre(qtbot, secretary.id, township)
    type_into(qtbot, dialog.inservice, "大砖")
    dialog.save()
    assert dialog.result() == 0 and dialog.isVisible()
    error = dialog.errors["education_inservice"]
    assert error.isVisible() and "“大砖”不是有效的学历" in error.text()
    assert "大学专科" in error.text()  # it says what may be written
    assert "border" in dialog.inservice.styleSheet()
    assert dialog.inservice.currentText() == "大砖"  # what was typed stays on screen
    assert Cadre.get_by_id(secretary.id).education_inservice == stored
    type_into(qtbot, dialog.inservice, "本科")
    dialog.save()
    assert dialog.result() == 1 and Cadre.get_by_id(secretary.id).education_inservice == "20"


def test_completion_never_doubles_the_text(qtbot, township):
    dialog = open_cadre(qtbot, Cadre.select().first().id, township)
    type_into(qtbot, dialog.political, "党员")
    assert dialog.political.completer().popup().isVisible()  # 中共党员, 中共预备党员 offered
    assert dialog.political.currentText() == "党员"  # not 党员党员
    press(qtbot, dialog.political, Qt.Key_Return)
    assert dialog.political.currentText() == "中共党员"
    assert dialog.focusWidget() is dialog.joined
    type_into(qtbot, dialog.ethnicity, "彝")
    assert dialog.ethnicity.currentText() == "彝"
    press(qtbot, dialog.ethnicity, Qt.Key_Down)  # the clerk picks from the list
    press(qtbot, dialog.ethnicity, Qt.Key_Tab)
    assert dialog.ethnicity.currentText() == "彝族"
    assert dialog.focusWidget() is dialog.fulltime


def test_enter_in_the_village_kind_moves_to_the_code(qtbot, township):
    dialog = VillageDialog(None, 2025, "532322100000")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.name.setFocus()
    ime(dialog.name, "东华社区")
    qtbot.keyClick(dialog.name, Qt.Key_Return)
    assert dialog.focusWidget() is dialog.kind
    type_into(qtbot, dialog.kind, "社区")
    press(qtbot, dialog.kind, Qt.Key_Return)
    assert dialog.focusWidget() is dialog.code  # not still in 类别
    qtbot.keyClicks(dialog.focusWidget(), "532322100009")
    assert dialog.kind.currentText() == "社区" and dialog.code.text() == "532322100009"
    dialog.save()
    made = Village.get(Village.name == "东华社区")
    assert (made.kind, made.code) == (codes.COMMUNITY, "532322100009")


def test_a_blank_or_unknown_village_kind_is_never_saved_blank(qtbot, township):
    dialog = VillageDialog(None, 2025, "532322100000")
    qtbot.addWidget(dialog)
    dialog.name.setText("西山村")
    for typed, message in (("", "请选择类别"), ("乡", "“乡”不是有效的村(社区)类别")):
        dialog.kind.setEditText(typed)
        dialog.save()
        assert dialog.result() == 0 and message in dialog.errors["kind"].text()
        assert Village.get_or_none(Village.name == "西山村") is None


def test_the_preview_offers_the_accepted_values_for_a_refused_coded_field(qtbot):
    from desktop.ui.import_page import RowFixDialog

    header = ["序号", "姓名", "身份证号", "民族", "学历", "政治面貌", "职务"]
    cells = [1, "张三", "x", "彝", "大砖", "党员", "村长助理"]
    coded = {3: "ethnicity", 4: "education", 5: "political_status", 6: "post"}
    dialog = RowFixDialog("花名册 第5行", "学历：“大砖”不是有效的学历", header, cells, coded)
    qtbot.addWidget(dialog)
    education = dialog.edits[4]
    assert isinstance(education, QComboBox)
    offered = [education.itemText(i) for i in range(education.count())]
    assert "大学专科" in offered and "研究生" in offered
    assert education.currentText() == "大砖"  # the cell as it was, to correct
    posts = dialog.edits[6]
    assert "居委会主任" in [posts.itemText(i) for i in range(posts.count())]
    hints = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "大学专科" in hints and "一肩挑" in hints
    education.setCurrentText("大学专科")
    posts.setCurrentText("党总支书记、村委会主任")
    assert dialog.cells()[4] == "大学专科" and dialog.cells()[6] == "党总支书记、村委会主任"
    assert dialog.cells()[1] == "张三"  # plain columns stay line edits


def test_a_refused_roster_cell_names_its_accepted_values_and_its_column(
    township, data_dir, tmp_path
):
    import openpyxl
    from stdnum.cn import ric

    from desktop.imports.run import run_import

    body = "53232219800101003"
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["姓名", "身份证号", "民族", "文化程度", "政治面貌", "所在村", "职务"])
    ws.append(["王大明", body + ric.calc_check_digit(body + "0"), "彝", "大砖", "群众",
               township[0][1], "村委会委员"])  # fmt: skip
    path = tmp_path / "名册.xlsx"
    book.save(path)
    plan = run_import([path], data_dir, dry_run=True).plans[0]
    assert len(plan.refused) == 1
    assert "全日制学历：“大砖”不是有效的学历，可填：研究生、大学本科、大学专科" in (
        plan.refused[0].detail
    )
    assert plan.coded == {2: "ethnicity", 3: "education", 4: "political_status", 6: "post"}


def test_a_community_post_is_typed_as_the_community_calls_it(qtbot, township):
    from desktop.forms.cadre_form import post_history
    from desktop.ui.post_dialogs import AppointmentDialog

    community = Village.get(Village.kind == codes.COMMUNITY)
    cadre = Cadre.select().where(Cadre.village == community).first()
    dialog = AppointmentDialog(cadre.id, None, township)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    type_into(qtbot, dialog.post, "居委会副主任")
    press(qtbot, dialog.post, Qt.Key_Return)
    assert dialog.post.currentText() == "居委会副主任"  # kept as the 社区 writes it
    dialog.village.setCurrentIndex(dialog.village.findData(community.id))
    dialog.start.setText("2025.02.01")
    dialog.save()
    assert dialog.result() == 1
    held = Appointment.get((Appointment.cadre == cadre) & (Appointment.start_date == "2025-02-01"))
    assert held.post == codes.VILLAGE_DEPUTY_DIRECTOR
    assert "居委会副主任" in [row["post"] for row in post_history(cadre.id)]
