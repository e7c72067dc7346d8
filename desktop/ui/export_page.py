"""导出: the county's workbook, with preparer, reviewer and phone remembered."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import APP_NAME


class ExportPage(QWidget):
    exported = Signal(Path)
    refused = Signal()  # the export did not happen: the window checks afresh
    jump = Signal(object)  # a blocking Finding: open its record

    def __init__(self, jobs):
        super().__init__()
        self.jobs = jobs
        self.year = None
        self.last_path: Path | None = None
        layout = QVBoxLayout(self)
        heading = QLabel("导出报表")
        heading.setObjectName("pageTitle")
        layout.addWidget(heading)
        form = QFormLayout()
        self.preparer = QLineEdit()
        self.reviewer = QLineEdit()
        self.phone = QLineEdit()
        self.folder = QLineEdit(str(default_folder()))
        choose = QPushButton("选择…")
        choose.clicked.connect(self.choose_folder)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(choose)
        form.addRow("填表人", self.preparer)
        form.addRow("审核人", self.reviewer)
        form.addRow("联系电话", self.phone)
        form.addRow("保存到", row)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.export_button = QPushButton("导出报表")
        self.export_button.clicked.connect(self.export)
        self.open_button = QPushButton("打开所在文件夹")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_folder)
        self.history_button = QPushButton("导出修改记录…")
        self.history_button.setToolTip(
            "把本乡镇数据的全部修改记录导出为一个 Excel 文件，供县里核对"
        )
        self.history_button.clicked.connect(self.export_history)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.history_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.result = QLabel()
        self.result.setWordWrap(True)
        layout.addWidget(self.result)
        self.blocking_title = QLabel()
        self.blocking_title.setStyleSheet("color: #c0392b;")
        layout.addWidget(self.blocking_title)
        self.blocking = QListWidget()
        self.blocking.itemActivated.connect(
            lambda item: self.jump.emit(self.blocking_findings[self.blocking.row(item)])
        )
        layout.addWidget(self.blocking, 1)
        self.show_blocking([])

    def load(self, year: int) -> None:
        from db.settings import get_setting

        self.year = year
        self.preparer.setText(get_setting("report_preparer"))
        self.reviewer.setText(get_setting("report_reviewer"))
        self.phone.setText(get_setting("report_phone"))

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "选择保存报表的文件夹", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def export(self) -> None:
        """Write the workbook in the background; the window stays usable."""
        from db.settings import set_settings
        from desktop.reports.export import export_report

        people = {
            "preparer": self.preparer.text().strip(),
            "reviewer": self.reviewer.text().strip(),
            "phone": self.phone.text().strip(),
        }
        folder, year = Path(self.folder.text()), self.year
        self.remember_problem = ""
        try:  # remembering the names is bookkeeping: its failure does not stop the export
            set_settings(**{f"report_{k}": v for k, v in people.items()})
        except Exception as exc:  # noqa: BLE001 (a full disk, a locked file …: said below)
            self.remember_problem = getattr(exc, "message", "") or str(exc)
        self.export_button.setEnabled(False)
        self.result.setText("正在导出……")
        self.jobs.start(
            lambda progress: export_report(folder, year, **people, progress=progress),
            self.done,
            self.failed,
        )

    def show_blocking(self, findings) -> None:
        """The 强制性 problems that stop the export, each opening its record when
        double-clicked (or Enter)."""
        self.blocking_findings = list(findings)
        self.blocking.clear()
        for f in self.blocking_findings:
            self.blocking.addItem(f"[{f.rule_id}] {f.label}：{f.message}")
        self.blocking_title.setText(
            f"有 {len(findings)} 条强制性审核问题，修正后才能导出（双击一条可打开对应记录）："
            if findings
            else ""
        )
        self.blocking_title.setVisible(bool(findings))
        self.blocking.setVisible(bool(findings))

    def failed(self, message: str) -> None:
        self.export_button.setEnabled(True)
        self.result.setText(message)
        self.refused.emit()  # the window checks afresh: the list below shows what blocks
        QMessageBox.warning(self, APP_NAME, message.split("\n")[0])

    def done(self, result) -> None:
        self.export_button.setEnabled(True)
        self.last_path = result.path
        self.open_button.setEnabled(True)
        warnings = (
            f"\n含提示性审核问题 {result.warnings} 条（见“审核情况”）。" if result.warnings else ""
        )
        later = [
            f"导出后的自动备份没有成功（{result.backup_problem}）" if result.backup_problem else "",
            f"记住填表人、审核人和电话没有成功（{self.remember_problem}）"
            if getattr(self, "remember_problem", "")
            else "",
        ]
        later = [text for text in later if text]
        if later:  # the workbook is complete all the same: say so, and where it is
            warnings += f"\n报表已完整导出，可以上报；但{'；'.join(later)}。"
        self.result.setText(f"已导出：{result.path}{warnings}")
        self.exported.emit(result.path)

    def export_history(self) -> None:
        """Every recorded change, as an Excel file in the chosen folder (in the background)."""
        from desktop.history_export import export_history

        folder = Path(self.folder.text())
        self.history_button.setEnabled(False)
        self.jobs.start(
            lambda _progress: export_history(folder), self.history_done, self.history_failed
        )

    def history_done(self, path: Path) -> None:
        self.history_button.setEnabled(True)
        self.last_path = path
        self.open_button.setEnabled(True)
        self.result.setText(f"已导出修改记录：{path}")

    def history_failed(self, message: str) -> None:
        self.history_button.setEnabled(True)
        self.result.setText(message)
        QMessageBox.warning(self, APP_NAME, message)

    def open_folder(self) -> None:
        if self.last_path:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_path.parent)))


def default_folder() -> Path:
    home = Path.home()
    for name in ("Desktop", "桌面", "Documents", "文档"):
        if (home / name).is_dir():
            return home / name
    return home
