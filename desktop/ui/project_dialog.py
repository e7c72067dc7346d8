"""The support-project form: funds in 万元 by source, the villages sharing it with their
shares, and the year's status and yield."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
)

from desktop.forms import history, project_form
from desktop.ui.form_dialog import FormDialog, code_combo, combo_code, select_code


class ProjectDialog(FormDialog):
    def __init__(
        self, project_id: int | None, year: int, villages: list[tuple[int, str]], parent=None
    ):
        super().__init__(parent)
        self.project_id, self.year = project_id, year
        self.setWindowTitle(f"扶持项目 — {year} 年度")
        self.setMinimumWidth(900)
        layout = QVBoxLayout(self)
        basics = QFormLayout()
        self.name = QLineEdit()
        self.add_field(basics, "name", "项目名称", self.name)
        self.type = code_combo("project_type", blank=False)
        self.add_field(basics, "type", "项目类型", self.type)
        self.start_year = QSpinBox()
        self.start_year.setRange(2000, 2100)
        self.start_year.setValue(year)
        self.add_field(basics, "start_year", "立项年度", self.start_year)
        self.partner = QLineEdit()
        self.add_field(basics, "partner", "合作主体", self.partner)
        self.village_list = QListWidget()
        self.village_list.setMinimumHeight(120)
        for village_id, name in villages:
            item = QListWidgetItem(name)
            item.setData(Qt.UserRole, village_id)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable | Qt.ItemIsEditable)
            item.setCheckState(Qt.Unchecked)
            self.village_list.addItem(item)
        self.add_field(basics, "villages", "实施村(社区)（勾选）", self.village_list)
        self.shares = QLineEdit()
        self.shares.setPlaceholderText("多个村抱团时填分成比例，如 60,40（按勾选顺序，合计100）")
        basics.addRow("分成比例(%)", self.shares)
        columns = QHBoxLayout()  # side by side: the form fits a 768-high screen at any font
        left = QGroupBox("基本情况")
        left.setLayout(basics)
        columns.addWidget(left, 1)
        right = QVBoxLayout()
        columns.addLayout(right, 1)
        layout.addLayout(columns)
        funds = QGroupBox("资金来源（万元）")
        funds_form = QFormLayout(funds)
        self.amounts: dict[str, QLineEdit] = {}
        for key, label in project_form.FUND_LABELS.items():
            self.amounts[key] = QLineEdit()
            self.add_field(funds_form, key, label, self.amounts[key])
        right.addWidget(funds)
        yearly = QGroupBox(f"{year} 年度")
        year_form = QFormLayout(yearly)
        self.status = code_combo("project_status", blank=False)
        self.add_field(year_form, "status", "建设状态", self.status)
        for key, label in project_form.YEAR_LABELS.items():
            self.amounts[key] = QLineEdit()
            self.add_field(year_form, key, f"{label}（万元）", self.amounts[key])
        self.households = QSpinBox()
        self.households.setRange(0, 100000)
        self.add_field(year_form, "households_driven", "带动农户数", self.households)
        right.addWidget(yearly)
        buttons = self.add_buttons(layout)
        if project_id:
            self.history_button = self.add_history_button(
                buttons, "扶持项目", lambda: history.project_history(project_id)
            )
        if project_id:
            self.fill(project_form.load(project_id, year))
        self.original = self.form_input()
        for edit in self.amounts.values():
            edit.textChanged.connect(self.validate)

    def fill(self, data: project_form.ProjectInput) -> None:
        self.name.setText(data.name)
        select_code(self.type, data.type)
        self.start_year.setValue(data.start_year)
        self.partner.setText(data.partner)
        for key, text in data.amounts.items():
            self.amounts[key].setText(text)
        shares = []
        for i in range(self.village_list.count()):
            item = self.village_list.item(i)
            if item.data(Qt.UserRole) in data.villages:
                item.setCheckState(Qt.Checked)
                shares.append(data.villages[item.data(Qt.UserRole)])
        self.shares.setText(",".join(s for s in shares if s))
        select_code(self.status, data.status)
        self.households.setValue(data.households_driven)

    def chosen_villages(self) -> dict[int, str]:
        checked = [
            self.village_list.item(i).data(Qt.UserRole)
            for i in range(self.village_list.count())
            if self.village_list.item(i).checkState() == Qt.Checked
        ]
        typed = [s.strip() for s in self.shares.text().replace("，", ",").split(",") if s.strip()]
        return {v: (typed[n] if n < len(typed) else "") for n, v in enumerate(checked)}

    def form_input(self) -> project_form.ProjectInput:
        return project_form.ProjectInput(
            name=self.name.text(),
            type=combo_code(self.type),
            start_year=self.start_year.value(),
            partner=self.partner.text(),
            amounts={key: edit.text() for key, edit in self.amounts.items()},
            villages=self.chosen_villages(),
            status=combo_code(self.status),
            households_driven=self.households.value(),
        )

    def validate(self, *_args, show_all: bool = False) -> bool:
        data = self.form_input()
        project_form.check(data, self.year)
        fresh = {"name", "villages"} if not self.name.text() else set()
        # an empty new form: no red yet
        self.show_errors(data.errors, hide=set() if show_all else fresh)
        return not data.errors

    def store(self):
        return project_form.save(self.form_input(), self.project_id, self.year)
