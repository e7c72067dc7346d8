"""回收站 and 备份与恢复: undoing a wrong click, and going back to a day that was right."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.errors import UserError
from desktop import APP_NAME
from desktop.ui.table_model import RowTableModel


def _table(model) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.verticalHeader().hide()
    table.setSelectionBehavior(QAbstractItemView.SelectRows)
    table.setSelectionMode(QAbstractItemView.SingleSelection)
    table.setEditTriggers(QAbstractItemView.NoEditTriggers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class RecycleBinPage(QWidget):
    """Deleted records, each restorable with everything deleted along with it."""

    restored = Signal()

    def __init__(self):
        super().__init__()
        layout = QVBoxLayout(self)
        heading = QLabel("回收站")
        heading.setObjectName("pageTitle")
        layout.addWidget(heading)
        layout.addWidget(
            QLabel("删除的记录都在这里，连同随它一起删除的任职、年度数据等，可以原样恢复。")
        )
        self.model = RowTableModel([("deleted_at", "删除时间"), ("label", "记录")], self)
        self.table = _table(self.model)
        layout.addWidget(self.table, 1)
        bar = QHBoxLayout()
        self.restore_button = QPushButton("恢复所选记录")
        self.restore_button.clicked.connect(self.restore)
        bar.addWidget(self.restore_button)
        bar.addStretch(1)
        layout.addLayout(bar)

    def load(self) -> None:
        from db.recycle import bin_entries

        self.model.set_rows(
            [
                {"id": e.id, "deleted_at": f"{e.deleted_at:%Y-%m-%d %H:%M}", "label": e.label}
                for e in bin_entries()
            ]
        )

    def restore(self) -> None:
        from db.recycle import restore

        index = self.table.currentIndex()
        if not index.isValid():
            QMessageBox.information(self, APP_NAME, "请先选中要恢复的记录。")
            return
        try:
            restore(self.model.row_at(index)["id"])
        except UserError as exc:
            QMessageBox.warning(self, APP_NAME, exc.message)
            return
        self.load()
        self.restored.emit()


class BackupPage(QWidget):
    """备份与恢复: every backup with its date, size and what it holds; back up now;
    restore after a confirmation (the database as it was is kept as a backup too)."""

    restored = Signal()

    def __init__(self, db_path: Path):
        super().__init__()
        self.db_path = db_path
        layout = QVBoxLayout(self)
        heading = QLabel("备份与恢复")
        heading.setObjectName("pageTitle")
        layout.addWidget(heading)
        self.folder = QLabel()
        layout.addWidget(self.folder)
        self.model = RowTableModel(
            [("taken_at", "备份时间"), ("size", "大小"), ("what", "内容"), ("name", "文件")], self
        )
        self.table = _table(self.model)
        layout.addWidget(self.table, 1)
        bar = QHBoxLayout()
        self.backup_button = QPushButton("立即备份")
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button = QPushButton("用所选备份恢复…")
        self.restore_button.clicked.connect(self.restore)
        self.folder_button = QPushButton("更改备份文件夹…")
        self.folder_button.clicked.connect(self.choose_folder)
        bar.addWidget(self.backup_button)
        bar.addWidget(self.restore_button)
        bar.addWidget(self.folder_button)
        bar.addStretch(1)
        layout.addLayout(bar)

    def load(self) -> None:
        from db.backup import backup_folder, list_backups

        folder = backup_folder(self.db_path)
        self.folder.setText(
            f"备份文件夹：{folder}（每天第一次打开时自动备份，导入、结转、恢复前和导出后也会备份）"
        )
        rows = []
        for info in list_backups(folder):
            what = (
                f"{info.township}，年度 {'、'.join(map(str, info.years))}，"
                f"党组织 {info.counts.get('organization', 0)} 个，干部 {info.counts.get('cadre', 0)} 人"
                if info.ok
                else f"已损坏：{info.problem}"
            )
            rows.append(
                {
                    "id": len(rows),
                    "path": info.path,
                    "ok": info.ok,
                    "taken_at": f"{info.taken_at:%Y-%m-%d %H:%M:%S}",
                    "size": f"{info.size / 1024:.0f} KB",
                    "what": what,
                    "name": info.path.name,
                }
            )
        self.model.set_rows(rows)

    def choose_folder(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        from db.backup import backup_folder

        chosen = QFileDialog.getExistingDirectory(
            self, "选择备份文件夹（可以是U盘）", str(backup_folder(self.db_path))
        )
        if chosen:
            self.set_folder(Path(chosen))

    def set_folder(self, folder: Path) -> None:
        """Back up into `folder` from now on, starting with a backup there right away."""
        from db.backup import BACKUP_DIR_SETTING, safety_backup
        from db.settings import set_settings

        set_settings(**{BACKUP_DIR_SETTING: str(folder)})
        try:
            safety_backup("manual")
        except UserError as exc:
            QMessageBox.warning(self, APP_NAME, exc.message)
        self.load()

    def backup_now(self) -> None:
        from db.backup import safety_backup

        try:
            made = safety_backup("manual")
        except UserError as exc:
            QMessageBox.warning(self, APP_NAME, exc.message)
            return
        self.load()
        QMessageBox.information(self, APP_NAME, f"已备份：{made}")

    def restore(self) -> None:
        from db.backup import restore_backup

        index = self.table.currentIndex()
        if not index.isValid():
            QMessageBox.information(self, APP_NAME, "请先选中一份备份。")
            return
        row = self.model.row_at(index)
        if not row["ok"]:
            QMessageBox.warning(self, APP_NAME, "这份备份已损坏，不能用于恢复。")
            return
        answer = QMessageBox.question(
            self,
            APP_NAME,
            f"将用 {row['taken_at']} 的备份（{row['what']}）替换当前数据。\n"
            "当前数据会先另存为一份备份。确定恢复吗？",
        )
        if answer != QMessageBox.Yes:
            return
        try:
            restore_backup(row["path"], self.db_path)
        except UserError as exc:
            QMessageBox.warning(self, APP_NAME, exc.message)
            return
        self.load()
        self.restored.emit()
