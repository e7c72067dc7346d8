"""The cadre form: errors shown at the field as they are typed, birth date and sex taken
from the ID number, Tab/Enter moving on, Ctrl+S saving, Esc asking before discarding."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db import records
from db.errors import UserError
from db.recycle import move_to_bin
from desktop import APP_NAME
from desktop.forms import appointment_form, cadre_form, enrollment_form
from desktop.forms.history import CHANGE_COLUMNS
from desktop.ui.form_dialog import FormDialog, choice_combo, code_combo, combo_code, select_code
from desktop.ui.post_dialogs import AppointmentDialog, EnrollmentDialog
from desktop.ui.table_model import RowTableModel
from desktop.validators import check_id_number
from resources import code_table


class CadreDialog(FormDialog):
    def __init__(self, cadre_id: int | None, villages: list[tuple[int, str]], parent=None):
        super().__init__(parent)
        self.cadre_id = cadre_id
        self.village_choices = villages
        self.changed = False
        self.setWindowTitle("干部信息" if cadre_id else "新增干部")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit()
        self.add_field(form, "name", "姓名", self.name)
        self.id_number = QLineEdit()
        self.id_number.setPlaceholderText("18位，末位可为X")
        self.add_field(form, "id_number", "身份证号", self.id_number)
        self.derived = QLabel("出生日期和性别由身份证号自动得出")
        form.addRow("出生日期/性别", self.derived)
        self.ethnicity = code_combo("ethnicity")
        self.add_field(form, "ethnicity", "民族", self.ethnicity)
        self.fulltime = code_combo("education")
        self.add_field(form, "education_fulltime", "全日制学历", self.fulltime)
        self.inservice = code_combo("education")
        self.add_field(form, "education_inservice", "在职学历", self.inservice)
        self.political = code_combo("political_status")
        self.add_field(form, "political_status", "政治面貌", self.political)
        self.joined = QLineEdit()
        self.joined.setPlaceholderText("如 2001.07.01")
        self.add_field(form, "party_joined", "入党时间", self.joined)
        self.phone = QLineEdit()
        self.add_field(form, "phone", "联系电话", self.phone)
        self.village = choice_combo(villages)
        self.add_field(form, "village", "所在村(社区)", self.village)
        self.notes = QLineEdit()
        self.add_field(form, "notes", "备注", self.notes)
        layout.addLayout(form)
        self.tabs = QTabWidget()
        self.tabs.setMinimumHeight(200)
        self.posts = RowTableModel(
            [
                ("post", "职务"),
                ("place", "村(社区)/党组织"),
                ("start", "任职"),
                ("end", "离任"),
                ("unit", "派出单位"),
            ],
            self,
        )
        self.enrollments = RowTableModel(
            [
                ("level", "提升学历"),
                ("school", "学校及专业"),
                ("start", "入学"),
                ("end", "毕业(结束)"),
                ("status", "状态"),
            ],
            self,
        )
        self.history = RowTableModel(CHANGE_COLUMNS, self)
        self.post_view = self.record_tab(
            self.posts,
            "任职经历",
            [
                ("新增任职…", self.add_post),
                ("修改…", self.edit_post),
                ("离任…", self.end_post),
                ("删除", self.delete_post),
            ],
        )
        self.enrollment_view = self.record_tab(
            self.enrollments,
            "学历提升",
            [
                ("新增…", self.add_enrollment),
                ("修改…", self.edit_enrollment),
                ("删除", self.delete_enrollment),
            ],
        )
        self.record_tab(self.history, "修改记录", [])
        layout.addWidget(self.tabs)
        self.note = QLabel("保存干部信息后，即可在这里添加任职经历和学历提升。")
        self.note.setStyleSheet("color: #555;")
        layout.addWidget(self.note)
        self.buttons = self.add_buttons(layout)
        if cadre_id:
            self.fill(cadre_form.load(cadre_id))
        self.show_records()
        self.original = self.form_input()
        for widget in (self.name, self.id_number, self.joined, self.phone, self.notes):
            widget.textChanged.connect(self.validate)
        for box in (self.ethnicity, self.fulltime, self.inservice, self.political):
            box.currentTextChanged.connect(self.validate)
        self.touched: set[str] = set()
        for key, widget in self.fields.items():
            widget.installEventFilter(self)
            widget.setProperty("fieldKey", key)
        self.setMinimumWidth(760)
        self.validate()  # birth date and sex shown at once; errors wait for a touch

    FIELD_WIDGETS = {"birth_date": "id_number", "gender": "id_number"}
    POST_FIELDS = {"post", "start_date", "end_date", "sending_unit", "village_post"}
    ENROLLMENT_FIELDS = {"status", "enrollment_start", "enrollment_end"}

    def record_tab(self, model: RowTableModel, title: str, actions) -> QTableView:
        """A tab with the cadre's records and the buttons that change them."""
        page = QWidget()
        column = QVBoxLayout(page)
        view = QTableView()
        view.setModel(model)
        view.setSelectionBehavior(QTableView.SelectRows)
        view.setSelectionMode(QTableView.SingleSelection)
        view.verticalHeader().hide()
        view.horizontalHeader().setStretchLastSection(True)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        column.addWidget(view)
        if actions:
            row = QHBoxLayout()
            for label, slot in actions:
                button = QPushButton(label)
                button.clicked.connect(slot)
                row.addWidget(button)
            row.addStretch(1)
            column.addLayout(row)
            view.doubleClicked.connect(actions[1][1])
        self.tabs.addTab(page, title)
        return view

    def show_records(self) -> None:
        """The tabs follow the stored cadre (a new one gets them once saved)."""
        known = self.cadre_id is not None
        self.tabs.setEnabled(known)
        self.note.setVisible(not known)
        if known:
            self.posts.set_rows(cadre_form.post_history(self.cadre_id))
            self.enrollments.set_rows(enrollment_form.enrollment_rows(self.cadre_id))
            self.history.set_rows(cadre_form.change_history(self.cadre_id))

    def chosen(self, view: QTableView, what: str) -> dict | None:
        index = view.currentIndex()
        if not index.isValid():
            QMessageBox.information(self, APP_NAME, f"请先选中一条{what}。")
            return None
        return view.model().row_at(index)

    def add_post(self) -> None:
        self.open_post(None)

    def edit_post(self, *_args) -> None:
        row = self.chosen(self.post_view, "任职")
        if row:
            self.open_post(row["id"])

    def open_post(self, appointment_id: int | None) -> None:
        dialog = AppointmentDialog(self.cadre_id, appointment_id, self.village_choices, self)
        if dialog.exec():
            self.record_changed()

    def end_post(self) -> None:
        row = self.chosen(self.post_view, "任职")
        if not row:
            return
        if row["end"] != "至今":
            QMessageBox.information(self, APP_NAME, f"这一任职已于{row['end']}离任。")
            return
        text, ok = QInputDialog.getText(
            self,
            APP_NAME,
            f"{row['post']}（{row['place']}）的离任日期：",
            text=f"{dt.date.today():%Y.%m.%d}",
        )
        if not ok:
            return
        try:
            appointment_form.end_post(row["id"], text)
        except UserError as exc:
            QMessageBox.warning(self, APP_NAME, exc.message)
            return
        self.record_changed()

    def delete_post(self) -> None:
        row = self.chosen(self.post_view, "任职")
        since = f"{row['start']}起" if row and row["start"] else "任职日期未知"
        if row and self.confirm_delete(f"删除任职“{row['post']}（{since}）”？"):
            move_to_bin(records.appointment(row["id"]))
            self.record_changed()

    def add_enrollment(self) -> None:
        self.open_enrollment(None)

    def edit_enrollment(self, *_args) -> None:
        row = self.chosen(self.enrollment_view, "学历提升")
        if row:
            self.open_enrollment(row["id"])

    def open_enrollment(self, enrollment_id: int | None) -> None:
        if EnrollmentDialog(self.cadre_id, enrollment_id, self).exec():
            self.record_changed()

    def delete_enrollment(self) -> None:
        row = self.chosen(self.enrollment_view, "学历提升")
        if row and self.confirm_delete(f"删除学历提升“{row['level']} {row['school']}”？"):
            move_to_bin(records.enrollment(row["id"]))
            self.record_changed()

    def confirm_delete(self, question: str) -> bool:
        answer = QMessageBox.question(self, APP_NAME, f"{question}删除后可在回收站恢复。")
        return answer == QMessageBox.Yes

    def record_changed(self) -> None:
        self.changed = True
        self.show_records()

    def focus_field(self, field: str) -> None:
        """Put the cursor where a 审核 finding points (birth date and sex come from the ID;
        a post's or an enrolment's fields are in their tabs)."""
        if field in self.POST_FIELDS or field in self.ENROLLMENT_FIELDS:
            tab = self.post_view if field in self.POST_FIELDS else self.enrollment_view
            self.tabs.setCurrentWidget(tab.parentWidget())
            return
        key = self.FIELD_WIDGETS.get(field, field)
        widget = self.fields.get(key)
        if widget is not None:
            widget.setFocus()
            self.touched.add(key)
            self.validate()

    def eventFilter(self, watched, event):  # noqa: N802 (Qt's name)
        if event.type() == QEvent.FocusOut and watched.property("fieldKey"):
            self.touched.add(watched.property("fieldKey"))
            self.validate()
        return super().eventFilter(watched, event)

    def fill(self, data: cadre_form.CadreInput) -> None:
        self.name.setText(data.name)
        self.id_number.setText(data.id_number)
        for box, code in (
            (self.ethnicity, data.ethnicity),
            (self.fulltime, data.education_fulltime),
            (self.inservice, data.education_inservice),
            (self.political, data.political_status),
        ):
            select_code(box, code)
        self.joined.setText(data.party_joined)
        self.phone.setText(data.phone)
        select_code(self.village, data.village)
        self.notes.setText(data.notes)

    def form_input(self) -> cadre_form.CadreInput:
        return cadre_form.CadreInput(
            name=self.name.text(),
            id_number=self.id_number.text(),
            ethnicity=combo_code(self.ethnicity),
            education_fulltime=combo_code(self.fulltime),
            education_inservice=combo_code(self.inservice),
            political_status=combo_code(self.political),
            party_joined=self.joined.text(),
            phone=self.phone.text(),
            village=self.village.currentData(),
            notes=self.notes.text(),
        )

    def validate(self, *_args, show_all: bool = False) -> bool:
        data = self.form_input()
        cadre_form.check(data, self.cadre_id)
        try:
            info = check_id_number(data.id_number)
            sex = code_table("gender").name_of(info.gender)
            self.derived.setText(f"{info.birth_date:%Y.%m.%d}，{sex}")
        except ValueError:
            self.derived.setText("出生日期和性别由身份证号自动得出")
        # an error shows once the clerk has been in the field (or typed a whole ID number)
        shown = set(self.errors) if show_all else set(self.touched)
        if len(self.id_number.text().strip()) >= 18:
            shown.add("id_number")
        self.show_errors(data.errors, hide=set(self.errors) - shown)
        return not data.errors

    def save(self) -> None:
        if not self.validate(show_all=True):
            return
        try:
            self.saved = cadre_form.save(self.form_input(), self.cadre_id)
        except UserError as exc:
            QMessageBox.warning(self, APP_NAME, exc.message)
            return
        self.changed = True
        if self.cadre_id is None:  # a new cadre: stay open for the posts and enrolments
            self.cadre_id = self.saved.id
            self.original = self.form_input()
            self.setWindowTitle(f"干部信息 — {self.saved.name}")
            self.buttons.button(QDialogButtonBox.Cancel).setText("关闭")
            self.show_records()
            self.tabs.setCurrentIndex(0)
            self.note.setText("已保存。请在上方“任职经历”中添加其职务。")
            self.note.setVisible(True)
            return
        self.accept()
