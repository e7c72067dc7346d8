"""导入与汇总: import with a row-by-row preview before anything is written, and the county
merge of several townships' workbooks."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QProcess, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import APP_NAME
from desktop.imports.plan import ACTION_LABELS, REFUSE
from desktop.ui.pages import fit_columns
from desktop.ui.table_model import RowTableModel


class ImportPage(QWidget):
    imported = Signal()

    def __init__(self, jobs, data_dir: Path):
        super().__init__()
        self.jobs, self.data_dir = jobs, data_dir
        self.files: list[Path] = []
        self.year: int | None = None
        self.corrections: dict[tuple[str, str, int], list] = {}  # rows fixed in the preview
        self.new_villages: set[str] = set()  # villages the clerk confirmed as new
        self.unknown_villages: list[str] = []  # those the last preview refused
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
        self.fix_button = QPushButton("修正所选行…")
        self.fix_button.setEnabled(False)
        self.fix_button.clicked.connect(self.fix_row)
        self.villages_button = QPushButton("确认新建村(社区)…")
        self.villages_button.setEnabled(False)
        self.villages_button.clicked.connect(self.confirm_villages)
        self.sheet: str | None = None  # the sheet the clerk picked; None: the visible ones
        self.sheet_label = QLabel("工作表")
        self.sheet_choice = QComboBox()
        self.sheet_choice.currentIndexChanged.connect(self.pick_sheet)
        self.sheet_label.hide()
        self.sheet_choice.hide()
        bar.addWidget(self.choose_button)
        bar.addWidget(self.sheet_label)
        bar.addWidget(self.sheet_choice)
        bar.addWidget(self.fix_button)
        bar.addWidget(self.villages_button)
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
        self.table.setSelectionBehavior(QTableView.SelectRows)
        self.table.setSelectionMode(QTableView.SingleSelection)
        self.table.doubleClicked.connect(self.fix_row)
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

    def preview(
        self,
        files: list[Path],
        corrections: dict | None = None,
        new_villages=None,
        sheet: str | None = None,
    ) -> None:
        from desktop.imports.run import run_import

        if new_villages is None and files != self.files:
            self.new_villages = set()  # a confirmation holds for the files it was given for
        elif new_villages is not None:
            self.new_villages = set(new_villages)
        self.files, self.corrections = files, dict(corrections or {})
        fixes, villages = dict(self.corrections), set(self.new_villages)
        self.sheet = sheet
        self.show_sheets()
        self.import_button.setEnabled(False)
        self.fix_button.setEnabled(False)
        self.villages_button.setEnabled(False)
        self.summary.setText("正在预览……")
        self.jobs.start(
            lambda progress: run_import(
                files,
                self.data_dir,
                year=self.year,
                dry_run=True,
                progress=progress,
                corrections=fixes,
                new_villages=villages,
                sheet=sheet,
            ),
            self.show_preview,
            self.summary.setText,
        )

    def show_sheets(self) -> None:
        """With one file of several sheets, the choice of sheet: the visible ones are read
        unless the clerk picks another (a hidden one is marked 隐藏)."""
        from desktop.imports.files import sheet_list

        sheets = sheet_list(self.files[0]) if len(self.files) == 1 else []
        self.sheet_choice.blockSignals(True)
        self.sheet_choice.clear()
        self.sheet_choice.addItem("可见的工作表", None)
        for name, hidden in sheets:
            self.sheet_choice.addItem(f"{name}（隐藏）" if hidden else name, name)
        self.sheet_choice.setCurrentIndex(max(self.sheet_choice.findData(self.sheet), 0))
        self.sheet_choice.blockSignals(False)
        shown = len(sheets) > 1 or any(hidden for _, hidden in sheets)
        self.sheet_label.setVisible(shown)
        self.sheet_choice.setVisible(shown)

    def pick_sheet(self, index: int) -> None:
        if self.files and index >= 0:
            self.preview(self.files, {}, sheet=self.sheet_choice.itemData(index))

    def show_preview(self, result) -> None:
        rows = []
        for plan in result.plans:
            for o in plan.outcomes:
                key = (str(plan.source), o.sheet, o.row)
                fixed = "（已修正）" if key in self.corrections else ""
                rows.append(
                    {
                        "id": len(rows),
                        "action": ACTION_LABELS[o.action] + fixed,
                        "where": f"{o.sheet} 第{o.row}行" if o.row else o.sheet,
                        "label": o.label,
                        "detail": o.detail,
                        "refused": o.action == REFUSE and bool(o.row) and bool(plan.header),
                        "key": key,
                        "cells": o.cells,
                        "header": plan.header,
                        "coded": plan.coded,
                    }
                )
        self.model.set_rows(rows)
        fit_columns(self.table)
        lines = [plan.summary() for plan in result.plans]
        lines += [f"说明：{n}" for plan in result.plans for n in plan.notices]
        refused = sum(len(p.refused) for p in result.plans)
        if refused:
            lines.append(
                f"有 {refused} 行不能导入：双击该行（或选中后点“修正所选行”）就地修正，"
                "或勾选“只导入正确的行”。"
            )
        self.unknown_villages = [n for plan in result.plans for n in plan.unknown_villages]
        if self.unknown_villages:
            lines.append(
                "表中有本乡镇没有的村(社区)："
                + "、".join(self.unknown_villages)
                + "。如确需新建，点“确认新建村(社区)…”；如是写法不同，请修正所在行。"
            )
        self.summary.setText("\n".join(lines))
        self.import_button.setEnabled(True)
        self.fix_button.setEnabled(bool(refused))
        self.villages_button.setEnabled(bool(self.unknown_villages))

    def confirm_villages(self) -> None:
        """The clerk confirms, seeing the list, that these villages are to be created."""
        names = list(self.unknown_villages)
        if not names:
            return
        answer = QMessageBox.question(
            self,
            APP_NAME,
            f"将新建以下 {len(names)} 个村(社区)：\n\n"
            + "\n".join(names)
            + "\n\n新建后请到“村(社区)”页补填区划代码和类别。确认新建吗？",
        )
        if answer == QMessageBox.Yes:
            self.preview(self.files, self.corrections, self.new_villages | set(names), self.sheet)

    def fix_row(self, *_args) -> None:
        """Correct a refused row here: the preview runs again with the corrected values
        (the source file is not changed; the import uses the corrections)."""
        index = self.table.currentIndex()
        row = self.model.row_at(index) if index.isValid() else None
        if row is None or not row["refused"]:
            QMessageBox.information(self, APP_NAME, "请先选中一条“拒绝”的行。")
            return
        dialog = RowFixDialog(
            row["where"], row["detail"], row["header"], row["cells"], row["coded"], self
        )
        if dialog.exec():
            self.preview(
                self.files,
                {**self.corrections, row["key"]: dialog.cells()},
                self.new_villages,
                self.sheet,
            )

    def apply(self) -> None:
        from desktop.imports.run import run_import

        files, valid_only = self.files, self.valid_only.isChecked()
        fixes, villages = dict(self.corrections), set(self.new_villages)
        sheet = self.sheet
        self.import_button.setEnabled(False)
        self.fix_button.setEnabled(False)
        self.summary.setText("正在导入……")
        self.jobs.start(
            lambda progress: run_import(
                files,
                self.data_dir,
                year=self.year,
                valid_only=valid_only,
                progress=progress,
                corrections=fixes,
                new_villages=villages,
                sheet=sheet,
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


class CellChoice(QComboBox):
    """A coded cell to correct: the accepted values to pick from, or the text typed."""

    def __init__(self, table: str, text: str):
        super().__init__()
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.NoInsert)
        self.addItem("")
        self.addItems(cell_choices(table))
        self.completer().setFilterMode(Qt.MatchContains)
        self.completer().setCompletionMode(QCompleter.PopupCompletion)
        self.setCurrentText(text)

    def text(self) -> str:
        return self.currentText()

    def setText(self, text: str) -> None:  # noqa: N802 (as QLineEdit's)
        self.setCurrentText(text)


def cell_choices(table: str) -> list[str]:
    """The names offered for a coded column (a post's community names too)."""
    from resources import code_table

    names = []
    for entry in code_table(table).entries:
        names.append(entry.name)
        if entry.extra.get("community_name"):
            names.append(entry.extra["community_name"])
    return names


def cell_hint(table: str) -> str:
    from desktop.code_words import rules
    from resources import code_table

    names = cell_choices(table)
    if table == "post":
        combined = "、".join(rules("post").get("combined", {}))
        return (
            f"可从列表选择；一人几个职务用“、”分开（如 党总支书记、村委会主任），也认：{combined}"
        )
    if len(names) > 15:
        return f"可从列表选择{code_table(table).title}，也可简写（如 彝 → 彝族）"
    return "可填：" + "、".join(names)


class RowFixDialog(QDialog):
    """One refused row of the source, a field per column, with why it was refused; a
    coded column offers its accepted values."""

    def __init__(
        self,
        where: str,
        reason: str,
        header: list,
        cells: list,
        coded: dict | None = None,
        parent=None,
    ):
        super().__init__(parent)
        self.setWindowTitle(f"修正 {where}")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        problem = QLabel(f"未能导入的原因：{reason}")
        problem.setWordWrap(True)
        problem.setStyleSheet("color: #c0392b;")
        layout.addWidget(problem)
        form = QFormLayout()
        self.edits: list[QLineEdit | CellChoice] = []
        coded = coded or {}
        width = max(len(header), len(cells))
        for column in range(width):
            label = str(header[column]) if column < len(header) and header[column] else ""
            value = cells[column] if column < len(cells) else None
            text = "" if value is None else _cell_text(value)
            if column in coded:
                edit = CellChoice(coded[column], text)
            else:
                edit = QLineEdit(text)
            self.edits.append(edit)
            if label and column in coded:
                holder = QWidget()
                column_box = QVBoxLayout(holder)
                column_box.setContentsMargins(0, 0, 0, 0)
                column_box.addWidget(edit)
                hint = QLabel(cell_hint(coded[column]))
                hint.setWordWrap(True)
                hint.setStyleSheet("color: #555;")
                column_box.addWidget(hint)
                form.addRow(label, holder)
            elif label:
                form.addRow(label, edit)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        holder = QWidget()
        holder.setLayout(form)
        scroll.setWidget(holder)
        layout.addWidget(scroll, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("按修正后的内容重新预览")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def cells(self) -> list:
        return [edit.text().strip() or None for edit in self.edits]


def _cell_text(value) -> str:
    """A cell as the clerk would type it: dates as 1975.03.12, whole numbers without .0."""
    import datetime as dt

    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%Y.%m.%d}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def program_command() -> list[str]:
    """How to run this program's command line: the frozen binary, or Python on the source."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "desktop"]


class MergePage(QWidget):
    """县级汇总, run as a separate process (it opens each township's data on its own); then
    the 汇总情况 (each file received and what became of it) and the 汇总问题 are shown."""

    FILE_COLUMNS = [
        ("file", "文件名"),
        ("township", "乡镇"),
        ("year", "年度"),
        ("exported_at", "导出时间"),
        ("checksum", "数据校验"),
        ("status", "处理结果"),
        ("note", "说明"),
    ]
    ISSUE_COLUMNS = [("kind", "类别"), ("township", "乡镇"), ("message", "问题")]

    def __init__(self):
        super().__init__()
        from desktop.ui.export_page import default_folder

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
        self.target = QLineEdit(str(default_folder()))
        form.addRow("汇总表保存到", self.target)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.merge_button = QPushButton("开始汇总")
        self.merge_button.clicked.connect(self.merge)
        self.open_button = QPushButton("打开所在文件夹")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_folder)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # it cannot say how far: it moves while the merge runs
        self.busy.hide()
        buttons.addWidget(self.merge_button)
        buttons.addWidget(self.open_button)
        self.busy.setFixedWidth(240)
        buttons.addWidget(self.busy)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.result = QLabel()
        self.result.setWordWrap(True)
        layout.addWidget(self.result)
        self.files_model = RowTableModel(self.FILE_COLUMNS, self)
        self.issues_model = RowTableModel(self.ISSUE_COLUMNS, self)
        self.tabs = QTabWidget()
        for model, title in ((self.files_model, "汇总情况"), (self.issues_model, "汇总问题")):
            view = QTableView()
            view.setModel(model)
            view.verticalHeader().hide()
            view.horizontalHeader().setStretchLastSection(True)
            self.tabs.addTab(view, title)
        layout.addWidget(self.tabs, 1)
        self.process = QProcess(self)
        self.process.finished.connect(self.finished)

    @property
    def running(self) -> bool:
        return self.process.state() != QProcess.NotRunning

    def choose(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "选择各乡镇报表所在的文件夹")
        if chosen:
            self.source.setText(chosen)

    def merge(self) -> None:
        if not self.source.text().strip():
            QMessageBox.information(self, APP_NAME, "请先选择各乡镇报表所在的文件夹。")
            return
        command = program_command() + ["merge", self.source.text(), "-o", self.target.text()]
        if self.expected.text().strip():
            command += ["--expect", self.expected.text().strip()]
        command.append("--json")
        self.merge_button.setEnabled(False)
        self.open_button.setEnabled(False)
        self.busy.show()
        self.result.setText("正在汇总……")
        self.process.start(command[0], command[1:])

    def finished(self, code: int, _status) -> None:
        import json

        out = bytes(self.process.readAllStandardOutput()).decode("utf-8", "replace").strip()
        err = bytes(self.process.readAllStandardError()).decode("utf-8", "replace").strip()
        self.merge_button.setEnabled(True)
        self.busy.hide()
        self.output = None
        if code != 0 or not out:
            self.result.setText(err or "汇总没有完成。")
            self.files_model.set_rows([])
            self.issues_model.set_rows([])
            return
        summary = json.loads(out.splitlines()[-1])
        self.output = Path(summary["path"])
        files, issues = summary["files"], summary["issues"]
        self.result.setText(  # the command line's own counts: at 州 level too
            f"已生成：{self.output}\n{summary['year']} 年度：汇总乡镇 {summary['merged']} 个，"
            f"收到文件 {summary['received']} 个，发现问题 {len(issues)} 条。"
        )
        self.files_model.set_rows(files)
        self.issues_model.set_rows(issues)
        self.tabs.setTabText(1, f"汇总问题（{len(issues)}）")
        for index in range(self.tabs.count()):
            fit_columns(self.tabs.widget(index))
        self.open_button.setEnabled(True)

    def open_folder(self) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        if self.output:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.output.parent)))
