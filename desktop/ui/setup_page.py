"""First start: which prefecture, county and township (with its division code), or the
sample township, or an earlier workbook restored."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.errors import UserError
from desktop import APP_NAME
from desktop.divisions import counties, prefectures, township_code_problem


class SetupPage(QWidget):
    done = Signal()

    def __init__(self, db_path: Path):
        super().__init__()
        self.db_path = db_path
        layout = QVBoxLayout(self)
        title = QLabel(f"欢迎使用{APP_NAME}")
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        moved = sorted(db_path.parent.glob("township-moved-*.sqlite3"))
        if moved:  # the data was moved away and the program no longer knows where
            warning = QLabel(
                f"注意：这个文件夹中的数据库已移到其他文件夹（留底文件 {moved[-1].name}）。"
                "如果数据在U盘或其他磁盘上，请先找到那个文件夹；不要在这里重新建立乡镇。"
            )
            warning.setWordWrap(True)
            warning.setStyleSheet("color: #c0392b; font-weight: bold;")
            layout.addWidget(warning)
            self.moved_warning = warning
        layout.addWidget(QLabel("第一次使用，请填写本乡镇的基本信息："))
        form = QFormLayout()
        self.prefecture = QComboBox()
        self.prefecture.setEditable(True)
        for code, name in prefectures():
            self.prefecture.addItem(name, code)
        self.county = QComboBox()
        self.county.setEditable(True)
        self.prefecture.currentTextChanged.connect(self.fill_counties)
        self.county.currentTextChanged.connect(self.county_chosen)
        self.township = QLineEdit()
        self.township.setPlaceholderText("如 妥甸镇")
        self.code = QLineEdit()
        self.code.setPlaceholderText("12位行政区划代码")
        self.code.textChanged.connect(self.check_code)
        self.code_error = QLabel()
        self.code_error.setStyleSheet("color: #c0392b;")
        self.authority = QLineEdit()
        form.addRow("州(市)", self.prefecture)
        form.addRow("县(市、区)", self.county)
        form.addRow("乡镇(街道)", self.township)
        form.addRow("乡镇区划代码", self.code)
        form.addRow("", self.code_error)
        form.addRow("制表机关", self.authority)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.create_button = QPushButton("建立本乡镇数据库")
        self.create_button.clicked.connect(self.create)
        self.demo_button = QPushButton("用示例数据体验")
        self.demo_button.clicked.connect(self.demo)
        self.restore_button = QPushButton("从以前导出的报表恢复…")
        self.restore_button.clicked.connect(self.restore)
        for button in (self.create_button, self.demo_button, self.restore_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.prefecture.setCurrentText("楚雄彝族自治州")
        self.fill_counties(self.prefecture.currentText())

    def fill_counties(self, prefecture: str) -> None:
        self.county.clear()
        for code, name in counties(prefecture):
            self.county.addItem(name, code)

    def county_chosen(self, county: str) -> None:
        index = self.county.findText(county)
        code = self.county.itemData(index) if index >= 0 else ""
        if code and not self.code.text().startswith(code):
            self.code.setText(code)
        if county:
            self.authority.setText(f"中共{county}委组织部")

    def check_code(self) -> bool:
        problem = township_code_problem(
            self.code.text().strip(), self.prefecture.currentText(), self.county.currentText()
        )
        shown = problem if len(self.code.text().strip()) >= 12 else ""
        self.code_error.setText(shown)
        self.code.setStyleSheet("border: 2px solid #c0392b;" if shown else "")
        return problem is None

    def create(self) -> None:
        from db.township import create_township

        if not self.township.text().strip():
            QMessageBox.warning(self, APP_NAME, "请填写乡镇(街道)名称。")
            return
        if not self.check_code():
            problem = township_code_problem(
                self.code.text().strip(), self.prefecture.currentText(), self.county.currentText()
            )
            QMessageBox.warning(self, APP_NAME, problem)
            return
        try:
            create_township(
                self.db_path,
                prefecture=self.prefecture.currentText(),
                county=self.county.currentText(),
                name=self.township.text(),
                division_code=self.code.text().strip(),
                authority=self.authority.text(),
                year=dt.date.today().year - 1,
            )
        except UserError as exc:
            QMessageBox.warning(self, APP_NAME, exc.message)
            return
        self.done.emit()

    def demo(self) -> None:
        from desktop.sample_data import generate_sample

        try:
            generate_sample(self.db_path, scale="township")
        except UserError as exc:
            QMessageBox.warning(self, APP_NAME, exc.message)
            return
        self.done.emit()

    def restore(self) -> None:
        from desktop.imports.run import run_import

        name, _ = QFileDialog.getOpenFileName(
            self, "选择以前导出的报表", str(Path.home()), "Excel 工作簿 (*.xlsx)"
        )
        if not name:
            return
        try:
            run_import([Path(name)], self.db_path.parent)
        except UserError as exc:
            QMessageBox.warning(self, APP_NAME, exc.message)
            return
        self.done.emit()
