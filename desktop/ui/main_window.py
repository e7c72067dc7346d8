"""The main window: for now, the township's key figures (表7) and its 审核 summary."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.errors import UserError
from desktop import APP_NAME


class MainWindow(QMainWindow):
    def __init__(self, data_dir: Path | None = None):
        super().__init__()
        from db.connection import database_path

        self.db_path = database_path(data_dir)
        self.setWindowTitle(APP_NAME)
        self.resize(1000, 700)
        central = QWidget()
        layout = QVBoxLayout(central)
        top = QHBoxLayout()
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 16pt; font-weight: bold;")
        top.addWidget(self.heading, 1)
        top.addWidget(QLabel("统计年度："))
        self.year_box = QComboBox()
        self.year_box.currentTextChanged.connect(self.show_year)
        top.addWidget(self.year_box)
        layout.addLayout(top)
        self.summary = QLabel()
        layout.addWidget(self.summary)
        self.figures = QTableWidget(0, 2)
        self.figures.setHorizontalHeaderLabels(["指标", "数值"])
        self.figures.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.figures.verticalHeader().hide()
        self.figures.setEditTriggers(QTableWidget.NoEditTriggers)
        layout.addWidget(self.figures, 1)
        self.demo_button = QPushButton("用示例数据体验")
        self.demo_button.clicked.connect(self.create_demo)
        layout.addWidget(self.demo_button, 0, Qt.AlignLeft)
        self.setCentralWidget(central)
        self.reload()

    def reload(self) -> None:
        from db.connection import init_db, township
        from db.years import years

        self.year_box.blockSignals(True)
        self.year_box.clear()
        if not self.db_path.exists():
            self.heading.setText("尚未建立乡镇数据库")
            self.summary.setText(f"数据文件夹：{self.db_path.parent}")
            self.demo_button.show()
            self.year_box.blockSignals(False)
            return
        try:
            init_db(self.db_path)
            place = township()
            self.take_daily_backup()
        except UserError as exc:
            self.heading.setText("无法打开数据库")
            self.summary.setText(exc.message)
            self.demo_button.hide()
            self.year_box.blockSignals(False)
            return
        self.demo_button.hide()
        self.setWindowTitle(f"{APP_NAME} — {place.county}{place.name}")
        self.heading.setText(f"{place.prefecture}{place.county}{place.name}")
        for year in reversed(years()):
            self.year_box.addItem(str(year))
        self.year_box.blockSignals(False)
        if self.year_box.count():
            self.show_year(self.year_box.currentText())

    def take_daily_backup(self) -> None:
        from db.backup import daily_backup

        try:
            daily_backup(self.db_path)
        except UserError as exc:
            QMessageBox.warning(self, APP_NAME, f"今天的自动备份没有成功：{exc.message}")

    def show_year(self, text: str) -> None:
        if not text:
            return
        from db.statistics import key_figures
        from desktop.checks import blocking, run_checks

        year = int(text)
        rows = key_figures(year)
        self.figures.setRowCount(len(rows))
        for row, (label, value) in enumerate(rows):
            self.figures.setItem(row, 0, QTableWidgetItem(label))
            item = QTableWidgetItem(str(value))
            item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            self.figures.setItem(row, 1, item)
        findings = run_checks(year)
        errors = len(blocking(findings))
        self.summary.setText(
            f"{year} 年度审核：强制性问题 {errors} 条，提示性问题 {len(findings) - errors} 条"
        )

    def create_demo(self) -> None:
        from desktop.sample_data import generate_sample

        try:
            generate_sample(self.db_path, scale="township")
        except UserError as exc:
            QMessageBox.warning(self, APP_NAME, exc.message)
            return
        self.reload()
