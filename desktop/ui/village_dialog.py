"""The village form."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
)

from desktop.forms import history, village_form
from desktop.ui.form_dialog import FormDialog, code_combo, combo_code, select_code


class VillageDialog(FormDialog):
    def __init__(self, village_id: int | None, year: int, township_code: str, parent=None):
        super().__init__(parent)
        self.village_id, self.year, self.township_code = village_id, year, township_code
        self.setWindowTitle(f"村(社区) — {year} 年度")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit()
        self.add_field(form, "name", "名称", self.name)
        self.kind = code_combo("village_kind", blank=False)
        self.add_field(form, "kind", "类别", self.kind)
        self.code = QLineEdit()
        self.code.setPlaceholderText(f"12位，以{township_code[:9]}开头")
        self.add_field(form, "code", "区划代码", self.code)
        self.relocation = QCheckBox("易地搬迁安置点")
        self.border = QCheckBox("边境村")
        form.addRow("", self.relocation)
        form.addRow("", self.border)
        self.org = QLineEdit()
        self.add_field(form, "collective_org_name", "集体经济组织", self.org)
        self.credit = QLineEdit()
        self.add_field(form, "credit_code", "统一社会信用代码", self.credit)
        self.counts: dict[str, QSpinBox] = {}
        for key, label in (
            ("group_count", "村民小组数"),
            ("households", "户数"),
            ("population", "人口"),
        ):
            box = QSpinBox()
            box.setRange(0, 999999)
            self.counts[key] = box
            self.add_field(form, key, f"{year}年{label}", box)
        layout.addLayout(form)
        buttons = self.add_buttons(layout)
        if village_id:
            self.history_button = self.add_history_button(
                buttons, "村(社区)", lambda: history.village_history(village_id)
            )
        if village_id:
            data = village_form.load(village_id, year)
            self.name.setText(data.name)
            select_code(self.kind, data.kind)
            self.code.setText(data.code)
            self.relocation.setChecked(data.relocation_site)
            self.border.setChecked(data.border)
            self.org.setText(data.collective_org_name)
            self.credit.setText(data.credit_code)
            for key, box in self.counts.items():
                box.setValue(getattr(data, key))
        self.original = self.form_input()
        for widget in (self.name, self.code, self.credit):
            widget.textChanged.connect(self.validate)

    def form_input(self) -> village_form.VillageInput:
        return village_form.VillageInput(
            name=self.name.text(),
            kind=combo_code(self.kind),
            code=self.code.text(),
            relocation_site=self.relocation.isChecked(),
            border=self.border.isChecked(),
            collective_org_name=self.org.text(),
            credit_code=self.credit.text(),
            **{key: box.value() for key, box in self.counts.items()},
        )

    def validate(self, *_args, show_all: bool = False) -> bool:
        data = self.form_input()
        village_form.check(data, self.village_id, self.township_code)
        typing = {"code"} if 0 < len(self.code.text().strip()) < 12 else set()
        self.show_errors(data.errors, hide=set() if show_all else typing)
        return not data.errors

    def store(self):
        return village_form.save(self.form_input(), self.village_id, self.year, self.township_code)
