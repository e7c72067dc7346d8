"""The training (培训) form, with a pick list of the cadres who attended."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
)

from db import records
from desktop.forms import history, training_form
from desktop.search import matches, search_key
from desktop.ui.form_dialog import FormDialog, code_combo, combo_code, select_code


class TrainingDialog(FormDialog):
    def __init__(self, training_id: int | None, year: int, parent=None):
        super().__init__(parent)
        self.training_id, self.year = training_id, year
        self.setWindowTitle(f"培训 — {year} 年度")
        self.setMinimumSize(780, 520)
        layout = QVBoxLayout(self)
        columns = QHBoxLayout()
        form = QFormLayout()
        self.program = code_combo("training_program")
        self.add_field(form, "program", "培训类别", self.program)
        self.title = QLineEdit()
        self.add_field(form, "title", "培训名称", self.title)
        self.start = QLineEdit()
        self.start.setPlaceholderText(f"如 {year}.03.12")
        self.add_field(form, "start", "开始日期", self.start)
        self.end = QLineEdit()
        self.add_field(form, "end", "结束日期", self.end)
        self.sessions = QSpinBox()
        self.sessions.setRange(0, 999)
        self.sessions.setValue(1)
        self.add_field(form, "sessions", "期数", self.sessions)
        self.attendances = QSpinBox()
        self.attendances.setRange(0, 999999)
        self.add_field(form, "attendances", "人次", self.attendances)
        self.organizer = QLineEdit()
        self.add_field(form, "organizer", "主办单位", self.organizer)
        columns.addLayout(form, 3)
        picker = QVBoxLayout()
        picker.addWidget(QLabel("参训干部（勾选；可按姓名、拼音首字母、村搜索）"))
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索干部")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.filter_people)
        picker.addWidget(self.search)
        self.people = QListWidget()
        self.keys: list[str] = []
        for cadre_id, name, village in records.cadre_choices():
            item = QListWidgetItem(f"{name}　{village or '（驻村或乡镇）'}")
            item.setData(Qt.UserRole, cadre_id)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Unchecked)
            self.people.addItem(item)
            self.keys.append(search_key(name, village))
        picker.addWidget(self.people, 1)
        self.picked = QLabel()
        picker.addWidget(self.picked)
        columns.addLayout(picker, 2)
        layout.addLayout(columns)
        buttons = self.add_buttons(layout)
        if training_id:
            self.history_button = self.add_history_button(
                buttons, "培训", lambda: history.training_history(training_id)
            )
        if training_id:
            data = training_form.load(training_id)
            select_code(self.program, data.program)
            self.title.setText(data.title)
            self.start.setText(data.start)
            self.end.setText(data.end)
            self.sessions.setValue(data.sessions)
            self.attendances.setValue(data.attendances)
            self.organizer.setText(data.organizer)
            for row in range(self.people.count()):
                item = self.people.item(row)
                if item.data(Qt.UserRole) in data.attendees:
                    item.setCheckState(Qt.Checked)
        self.original = self.form_input()
        for widget in (self.title, self.start, self.end):
            widget.textChanged.connect(self.validate)
        for box in (self.sessions, self.attendances):
            box.valueChanged.connect(self.validate)
        self.people.itemChanged.connect(self.attendee_changed)
        self.validate()

    def chosen(self) -> set[int]:
        return {
            self.people.item(row).data(Qt.UserRole)
            for row in range(self.people.count())
            if self.people.item(row).checkState() == Qt.Checked
        }

    def attendee_changed(self, _item=None) -> None:
        """Ticking more people than 人次 raises 人次 with them (one attendance each)."""
        count = len(self.chosen())
        if self.attendances.value() < count:
            self.attendances.setValue(count)
        self.validate()

    def filter_people(self, text: str) -> None:
        for row, key in enumerate(self.keys):
            self.people.item(row).setHidden(bool(text) and not matches(text, key))

    def form_input(self) -> training_form.TrainingInput:
        return training_form.TrainingInput(
            program=combo_code(self.program),
            title=self.title.text(),
            start=self.start.text(),
            end=self.end.text(),
            sessions=self.sessions.value(),
            attendances=self.attendances.value(),
            organizer=self.organizer.text(),
            attendees=self.chosen(),
        )

    def validate(self, *_args, show_all: bool = False) -> bool:
        data = self.form_input()
        training_form.check(data, self.year)
        self.picked.setText(f"已登记 {len(data.attendees)} 人")
        self.show_errors(data.errors, hide=set() if show_all else self.blank_fields())
        return not data.errors

    def store(self):
        return training_form.save(self.form_input(), self.training_id, self.year)
