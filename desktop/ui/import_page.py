"""导入与汇总: import with a row-by-row preview before anything is written, and the county
merge of several townships' workbooks."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QProcess, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.imports.plan import ACTION_LABELS
from desktop.ui.pages import fit_columns
from desktop.ui.table_model import RowTableModel


class ImportPage(QWidget):
    imported = Signal()

    def __init__(self, jobs, data_dir: Path):
        super().__init__()
        self.jobs, self.data_dir = jobs, data_dir
        self.files: list[Path] = []
        self.year: int | None = None
        layout = QVBoxLayout(self)
        heading = QLabel("导入")
        heading.setObjectName("pageTitle")
        layout.addWidget(heading)
        layout.addWidget(
            QLabel(
                "可导入：本程序导出的报表（原样恢复）、干部花名册、集体经济收入表（.xlsx）。"
                "先预览每一行将新增、更新还是拒绝，确认后才写入。"
            )
        )
        bar = QHBoxLayout()
        self.choose_button = QPushButton("选择文件…")
        self.choose_button.clicked.connect(self.choose)
        self.valid_only = QCheckBox("只导入正确的行（不能导入的行另存为“待修正”文件）")
        self.import_button = QPushButton("确认导入")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.apply)
        bar.addWidget(self.choose_button)
        bar.addWidget(self.valid_only)
        bar.addStretch(1)
        bar.addWidget(self.import_button)
        layout.addLayout(bar)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.model = RowTableModel(
            [("action", "结果"), ("where", "位置"), ("label", "记录"), ("detail", "说明")], self
        )
        from PySide6.QtWidgets import QTableView

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)

    def load(self, year: int) -> None:
        self.year = year

    def choose(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self, "选择要导入的文件", str(Path.home()), "Excel 工作簿 (*.xlsx)"
        )
        if names:
            self.preview([Path(n) for n in names])

    def preview(self, files: list[Path]) -> None:
        from desktop.imports.run import run_import

        self.files = files
        self.import_button.setEnabled(False)
        self.summary.setText("正在预览……")
        self.jobs.start(
            lambda progress: run_import(
                files, self.data_dir, year=self.year, dry_run=True, progress=progress
            ),
            self.show_preview,
            self.summary.setText,
        )

    def show_preview(self, result) -> None:
        rows = []
        for plan in result.plans:
            for n, o in enumerate(plan.outcomes):
                rows.append(
                    {
                        "id": n,
                        "action": ACTION_LABELS[o.action],
                        "where": f"{o.sheet} 第{o.row}行" if o.row else o.sheet,
                        "label": o.label,
                        "detail": o.detail,
                    }
                )
        self.model.set_rows(rows)
        fit_columns(self.table)
        lines = [plan.summary() for plan in result.plans]
        lines += [f"说明：{n}" for plan in result.plans for n in plan.notices]
        refused = sum(len(p.refused) for p in result.plans)
        if refused:
            lines.append(f"有 {refused} 行不能导入：修正后重新选择文件，或勾选“只导入正确的行”。")
        self.summary.setText("\n".join(lines))
        self.import_button.setEnabled(True)

    def apply(self) -> None:
        from desktop.imports.run import run_import

        files, valid_only = self.files, self.valid_only.isChecked()
        self.import_button.setEnabled(False)
        self.summary.setText("正在导入……")
        self.jobs.start(
            lambda progress: run_import(
                files, self.data_dir, year=self.year, valid_only=valid_only, progress=progress
            ),
            self.done,
            self.summary.setText,
        )

    def done(self, result) -> None:
        lines = ["导入完成。" + (f"导入前的数据已备份：{result.backup}" if result.backup else "")]
        lines += [f"未导入的行已另存为：{p}" for p in result.corrections]
        self.summary.setText("\n".join(lines))
        self.model.set_rows([])
        self.imported.emit()


def program_command() -> list[str]:
    """How to run this program's command line: the frozen binary, or Python on the source."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "desktop"]


class MergePage(QWidget):
    """县级汇总, run as a separate process (it opens each township's data on its own)."""

    def __init__(self):
        super().__init__()
        self.files: list[str] = []
        self.output: Path | None = None
        layout = QVBoxLayout(self)
        heading = QLabel("县级汇总")
        heading.setObjectName("pageTitle")
        layout.addWidget(heading)
        form = QFormLayout()
        self.source = QLineEdit()
        self.source.setPlaceholderText("各乡镇报表所在的文件夹")
        choose = QPushButton("选择文件夹…")
        choose.clicked.connect(self.choose)
        row = QHBoxLayout()
        row.addWidget(self.source, 1)
        row.addWidget(choose)
        form.addRow("乡镇报表", row)
        self.expected = QLineEdit()
        self.expected.setPlaceholderText("应报乡镇，用逗号分隔（可不填）")
        form.addRow("应报乡镇", self.expected)
        self.target = QLineEdit(str(Path.home()))
        form.addRow("汇总表保存到", self.target)
        layout.addLayout(form)
        self.merge_button = QPushButton("开始汇总")
        self.merge_button.clicked.connect(self.merge)
        layout.addWidget(self.merge_button)
        self.result = QLabel()
        self.result.setWordWrap(True)
        layout.addWidget(self.result, 1)
        self.process = QProcess(self)
        self.process.finished.connect(self.finished)

    def choose(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "选择各乡镇报表所在的文件夹")
        if chosen:
            self.source.setText(chosen)

    def merge(self) -> None:
        command = program_command() + ["merge", self.source.text(), "-o", self.target.text()]
        if self.expected.text().strip():
            command += ["--expect", self.expected.text().strip()]
        self.merge_button.setEnabled(False)
        self.result.setText("正在汇总……")
        self.process.start(command[0], command[1:])

    def finished(self, code: int, _status) -> None:
        out = bytes(self.process.readAllStandardOutput()).decode("utf-8", "replace").strip()
        err = bytes(self.process.readAllStandardError()).decode("utf-8", "replace").strip()
        self.merge_button.setEnabled(True)
        self.output = Path(out) if code == 0 and out else None
        self.result.setText((f"已生成：{out}\n" if self.output else "") + err)
