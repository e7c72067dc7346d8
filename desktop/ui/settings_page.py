"""设置: font size for older eyes (the whole window scales), 制表机关, default preparer."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.settings import get_setting, set_settings

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
        form.addRow("数据文件夹", QLabel(str(db_path.parent)))
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

    def change_font(self, label: str) -> None:
        set_settings(**{FONT_SETTING: label})
        apply_font_size(label)

    def save(self) -> None:
        from db.records import update_township

        update_township(authority=self.authority.text().strip())
        set_settings(report_preparer=self.preparer.text().strip())
        self.saved.setText("已保存。")
