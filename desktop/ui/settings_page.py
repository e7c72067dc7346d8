"""设置: font size for older eyes (the whole window scales), 制表机关, default preparer,
and where the data lives."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
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
from db.settings import get_setting, set_settings
from desktop import APP_NAME

FONT_SIZES = {"标准": 10, "大": 12, "特大": 14}
FONT_SETTING = "font_size"


def apply_font_size(label: str) -> None:
    """Scale every widget's text: the application font is what all of them inherit."""
    app = QApplication.instance()
    font = app.font()
    size = FONT_SIZES.get(label, FONT_SIZES["标准"])
    if font.pointSize() != size:
        font.setPointSize(size)
        app.setFont(font)


class SettingsPage(QWidget):
    moved = Signal(Path)  # the data now lives in this database file

    def __init__(self, db_path):
        super().__init__()
        layout = QVBoxLayout(self)
        heading = QLabel("设置")
        heading.setObjectName("pageTitle")
        layout.addWidget(heading)
        form = QFormLayout()
        self.font_size = QComboBox()
        self.font_size.addItems(list(FONT_SIZES))
        self.font_size.currentTextChanged.connect(self.change_font)
        form.addRow("字体大小", self.font_size)
        self.authority = QLineEdit()
        form.addRow("制表机关", self.authority)
        self.preparer = QLineEdit()
        form.addRow("默认填表人", self.preparer)
        self.db_path = db_path
        folder_row = QHBoxLayout()
        self.folder = QLabel(str(db_path.parent))
        self.folder.setTextInteractionFlags(Qt.TextSelectableByMouse)
        folder_row.addWidget(self.folder, 1)
        self.move_button = QPushButton("移到其他文件夹…")
        self.move_button.clicked.connect(self.choose_folder)
        folder_row.addWidget(self.move_button)
        form.addRow("数据文件夹", folder_row)
        self.backup_folder = QLabel()
        self.backup_folder.setTextInteractionFlags(Qt.TextSelectableByMouse)
        form.addRow("备份文件夹", self.backup_folder)
        layout.addLayout(form)
        self.save_button = QPushButton("保存设置")
        self.save_button.clicked.connect(self.save)
        layout.addWidget(self.save_button)
        self.saved = QLabel()
        layout.addWidget(self.saved)
        layout.addStretch(1)

    def load(self) -> None:
        from db.connection import township

        self.font_size.blockSignals(True)
        self.font_size.setCurrentText(get_setting(FONT_SETTING, "标准"))
        self.font_size.blockSignals(False)
        self.authority.setText(township().authority)
        self.preparer.setText(get_setting("report_preparer"))
        from db.backup import backup_folder

        self.backup_folder.setText(f"{backup_folder(self.db_path)}（在“备份与恢复”中更改）")

    def change_font(self, label: str) -> None:
        set_settings(**{FONT_SETTING: label})
        apply_font_size(label)

    def save(self) -> None:
        from db.records import update_township

        update_township(authority=self.authority.text().strip())
        set_settings(report_preparer=self.preparer.text().strip())
        self.saved.setText("已保存。")

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, "选择新的数据文件夹（如 D 盘上的文件夹）", str(Path.home())
        )
        if chosen:
            self.move_to(Path(chosen))

    def move_to(self, target: Path) -> None:
        """Copy the data there (verified), point the program at it, keep the old file aside."""
        from db.relocate import move_data_folder

        question = (
            f"把数据（含备份）移到 {target}？\n移动后程序会关闭，再次打开时使用新的文件夹；"
            "原文件夹中的数据库会改名保留。"
        )
        if QMessageBox.question(self, APP_NAME, question) != QMessageBox.Yes:
            return
        try:
            new_path = move_data_folder(self.db_path, target)
        except UserError as exc:
            QMessageBox.warning(self, APP_NAME, exc.message)
            return
        QMessageBox.information(
            self, APP_NAME, f"数据已移到 {new_path.parent}。程序将关闭，请重新打开。"
        )
        self.moved.emit(new_path)
