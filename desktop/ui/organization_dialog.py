"""The party-organization form: who it is, and this year's members, rating and creation."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
)

from desktop.forms import history
from desktop.forms import organization_form as org_form
from desktop.ui.form_dialog import FormDialog, choice_combo, code_combo, combo_code, select_code


class OrganizationDialog(FormDialog):
    def __init__(self, org_id: int | None, year: int, villages: list[tuple[int, str]], parent=None):
        super().__init__(parent)
        self.org_id, self.year = org_id, year
        self.setWindowTitle(f"党组织 — {year} 年度")
        self.setMinimumWidth(820)
        layout = QVBoxLayout(self)
        basics = QGroupBox("基本情况")
        form = QFormLayout(basics)
        self.name = QLineEdit()
        self.add_field(form, "name", "党组织名称", self.name)
        self.kind = code_combo("org_kind", blank=False)
        self.add_field(form, "kind", "类型", self.kind)
        flags = QHBoxLayout()
        self.joint = QCheckBox("联合")
        self.temporary = QCheckBox("临时")
        flags.addWidget(self.joint)
        flags.addWidget(self.temporary)
        flags.addStretch(1)
        form.addRow("", flags)
        self.field = code_combo("org_field", blank=False)
        self.add_field(form, "field", "所属领域", self.field)
        self.unit = code_combo("org_unit")
        # what the branch is built on (村民小组, 网格 …), not its parent nor its village
        self.unit.setToolTip("党组织建在哪里：村民小组、网格、小区或产业链(合作社)；都不是的留空")
        self.add_field(form, "unit", "建立方式", self.unit)
        self.village = choice_combo(villages)
        self.add_field(form, "village", "所在村(社区)", self.village)
        self.founded = QLineEdit()
        self.founded.setPlaceholderText("如 1956.03.01")
        self.add_field(form, "founded", "成立时间", self.founded)
        columns = QHBoxLayout()  # side by side: the form fits a 768-high screen at any font
        columns.addWidget(basics, 1)

        yearly = QGroupBox(f"{year} 年度情况")
        form = QFormLayout(yearly)
        self.counts: dict[str, QSpinBox] = {}
        for key, label in org_form.MEMBER_LABELS.items():
            box = QSpinBox()
            box.setRange(0, 99999)
            self.counts[key] = box
            self.add_field(form, key, f"{label}数", box)
        self.total = QLabel()
        form.addRow("党员总数", self.total)
        self.rating = code_combo("rating")
        self.add_field(form, "rating", "分类定级", self.rating)
        self.weak = QCheckBox("列为软弱涣散")
        form.addRow("", self.weak)
        self.rectification = QLineEdit()
        self.add_field(form, "rectification", "整顿措施", self.rectification)
        self.creation = code_combo("creation")
        self.add_field(form, "creation", "创建情况", self.creation)
        columns.addWidget(yearly, 1)
        layout.addLayout(columns)

        buttons = self.add_buttons(layout)
        if org_id:
            self.history_button = self.add_history_button(
                buttons, "党组织", lambda: history.organization_history(org_id)
            )
        if org_id:
            self.fill(org_form.load(org_id, year))
        self.original = self.form_input()
        for box in self.counts.values():
            box.valueChanged.connect(self.validate)
        for widget in (self.name, self.rectification, self.founded):
            widget.textChanged.connect(self.validate)
        self.weak.toggled.connect(self.validate)
        self.field.currentTextChanged.connect(self.validate)
        self.village.currentIndexChanged.connect(self.validate)
        self.validate()

    def fill(self, data: org_form.OrgInput) -> None:
        self.name.setText(data.name)
        for box, code in (
            (self.kind, data.kind),
            (self.field, data.field),
            (self.unit, data.unit),
            (self.rating, data.rating),
            (self.creation, data.creation),
        ):
            select_code(box, code)
        self.joint.setChecked(data.joint)
        self.temporary.setChecked(data.temporary)
        select_code(self.village, data.village)
        self.founded.setText(data.founded)
        for key, box in self.counts.items():
            box.setValue(getattr(data, key))
        self.weak.setChecked(data.weak_lax)
        self.rectification.setText(data.rectification)

    def form_input(self) -> org_form.OrgInput:
        return org_form.OrgInput(
            name=self.name.text(),
            kind=combo_code(self.kind),
            field=combo_code(self.field),
            unit=combo_code(self.unit),
            joint=self.joint.isChecked(),
            temporary=self.temporary.isChecked(),
            village=self.village.currentData(),
            founded=self.founded.text(),
            rating=combo_code(self.rating),
            weak_lax=self.weak.isChecked(),
            rectification=self.rectification.text(),
            creation=combo_code(self.creation),
            **{key: box.value() for key, box in self.counts.items()},
        )

    def validate(self, *_args, show_all: bool = False) -> bool:
        data = self.form_input()
        org_form.check(data)
        self.total.setText(str(data.members_full + data.members_probationary))
        fresh = {"name"} if not self.name.text() and not self.org_id else set()
        # a new form: no red before any typing
        self.show_errors(data.errors, hide=set() if show_all else fresh)
        return not data.errors

    def store(self):
        return org_form.save(self.form_input(), self.org_id, self.year)
