"""The small forms opened from the cadre form: a post (任职) and a 学历提升 enrolment."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLineEdit, QVBoxLayout

from db import records
from desktop.forms import appointment_form, enrollment_form
from desktop.ui.form_dialog import FormDialog, choice_combo, code_combo, combo_code, select_code


class AppointmentDialog(FormDialog):
    """A post: the seat fields follow the post (村 for village posts, 党组织 for branch
    posts, 派出单位 for resident ones); a new post starts at the cadre's own village; a new
    书记 offers to end the predecessor's term."""

    def __init__(self, cadre_id: int, appointment_id: int | None, villages, parent=None):
        super().__init__(parent)
        self.cadre_id, self.appointment_id = cadre_id, appointment_id
        cadre = records.cadre(cadre_id)
        self.setWindowTitle(f"{cadre.name} — {'修改任职' if appointment_id else '新增任职'}")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        self.form = form = QFormLayout()
        self.post = code_combo("post")
        self.add_field(form, "post", "职务", self.post)
        self.village = choice_combo(villages)
        self.add_field(form, "village", "所在村(社区)", self.village)
        self.organization = choice_combo(records.organization_choices())
        self.add_field(form, "organization", "党组织", self.organization)
        self.start = QLineEdit()
        self.start.setPlaceholderText("如 2021.03.15 或 2021.03；不详的留空")
        self.add_field(form, "start", "任职日期", self.start)
        self.end = QLineEdit()
        self.end.setPlaceholderText("仍在任的留空")
        self.add_field(form, "end", "离任日期", self.end)
        self.unit = QLineEdit()
        self.add_field(form, "sending_unit", "派出单位", self.unit)
        self.unit_post = QLineEdit()
        self.add_field(form, "sending_unit_post", "派出单位职务", self.unit_post)
        self.end_predecessors = QCheckBox()
        self.end_predecessors.setChecked(True)
        form.addRow("", self.end_predecessors)
        layout.addLayout(form)
        self.add_buttons(layout)
        if appointment_id:
            data = appointment_form.load(appointment_id)
            select_code(self.post, data.post)
            select_code(self.village, data.village)
            select_code(self.organization, data.organization)
            self.start.setText(data.start)
            self.end.setText(data.end)
            self.unit.setText(data.sending_unit)
            self.unit_post.setText(data.sending_unit_post)
        else:
            select_code(self.village, cadre.village_id)  # most posts are in one's own village
        self.original = self.form_input()
        for widget in (self.start, self.end, self.unit, self.unit_post):
            widget.textChanged.connect(self.validate)
        for box in (self.post, self.village, self.organization):
            box.currentTextChanged.connect(self.validate)
        self.end_predecessors.toggled.connect(self.validate)
        self.validate()

    def form_input(self) -> appointment_form.AppointmentInput:
        return appointment_form.AppointmentInput(
            post=combo_code(self.post),
            village=self.village.currentData(),
            organization=self.organization.currentData(),
            start=self.start.text(),
            end=self.end.text(),
            sending_unit=self.unit.text(),
            sending_unit_post=self.unit_post.text(),
            end_predecessors=self.end_predecessors.isChecked(),
        )

    def validate(self, *_args, show_all: bool = False) -> bool:
        data = self.form_input()
        appointment_form.check(data, self.cadre_id, self.appointment_id)
        group = appointment_form.post_group(data.post)
        form = self.form
        form.setRowVisible(self.fields["village"].parentWidget(), group != "organization")
        form.setRowVisible(self.fields["organization"].parentWidget(), group == "organization")
        for key in ("sending_unit", "sending_unit_post"):
            form.setRowVisible(self.fields[key].parentWidget(), group == "resident")
        if data.predecessors:
            names = "、".join(p.cadre.name for p in data.predecessors)
            self.end_predecessors.setText(f"同时将前任{names}的离任日期设为 {data.start}")
        else:
            self.end_predecessors.setText("")
        form.setRowVisible(self.end_predecessors, bool(data.predecessors))
        self.show_errors(data.errors, hide=set() if show_all else self.blank_fields())
        return not data.errors

    def store(self):
        return appointment_form.save(self.form_input(), self.cadre_id, self.appointment_id)


class EnrollmentDialog(FormDialog):
    def __init__(self, cadre_id: int, enrollment_id: int | None, parent=None):
        super().__init__(parent)
        self.cadre_id, self.enrollment_id = cadre_id, enrollment_id
        name = records.cadre(cadre_id).name
        self.setWindowTitle(f"{name} — 学历提升")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.level = code_combo("education")
        self.add_field(form, "level", "提升学历", self.level)
        self.school = QLineEdit()
        self.add_field(form, "school", "就读学校", self.school)
        self.major = QLineEdit()
        self.add_field(form, "major", "专业", self.major)
        self.start = QLineEdit()
        self.start.setPlaceholderText("如 2023.09")
        self.add_field(form, "start", "入学日期", self.start)
        self.end = QLineEdit()
        self.end.setPlaceholderText("在读的可留空")
        self.add_field(form, "end", "毕业(结束)日期", self.end)
        self.status = code_combo("enrollment_status", blank=False)
        self.add_field(form, "status", "状态", self.status)
        layout.addLayout(form)
        self.add_buttons(layout)
        if enrollment_id:
            data = enrollment_form.load(enrollment_id)
            select_code(self.level, data.level)
            self.school.setText(data.school)
            self.major.setText(data.major)
            self.start.setText(data.start)
            self.end.setText(data.end)
            select_code(self.status, data.status)
        self.original = self.form_input()
        for widget in (self.school, self.start, self.end):
            widget.textChanged.connect(self.validate)
        self.status.currentTextChanged.connect(self.validate)

    def form_input(self) -> enrollment_form.EnrollmentInput:
        return enrollment_form.EnrollmentInput(
            level=combo_code(self.level),
            school=self.school.text(),
            major=self.major.text(),
            start=self.start.text(),
            end=self.end.text(),
            status=combo_code(self.status),
        )

    def validate(self, *_args, show_all: bool = False) -> bool:
        data = self.form_input()
        enrollment_form.check(data, self.cadre_id, dt.date.today())
        self.show_errors(data.errors, hide=set() if show_all else self.blank_fields())
        return not data.errors

    def store(self):
        return enrollment_form.save(
            self.form_input(), self.cadre_id, self.enrollment_id, dt.date.today()
        )
