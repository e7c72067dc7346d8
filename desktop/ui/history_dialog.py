"""A record's history window: its figures year by year and every recorded change."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTableView, QTabWidget, QVBoxLayout

from desktop.ui.pages import fit_columns
from desktop.ui.table_model import RowTableModel


class HistoryDialog(QDialog):
    def __init__(self, title: str, tabs: list[tuple[str, list, list[dict]]], parent=None):
        super().__init__(parent)
        self.setWindowTitle(f"{title} — 历年情况与修改记录")
        self.resize(820, 480)
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.models: dict[str, RowTableModel] = {}
        for name, columns, rows in tabs:
            model = RowTableModel(columns, self)
            model.set_rows(rows)
            view = QTableView()
            view.setModel(model)
            view.verticalHeader().hide()
            view.horizontalHeader().setStretchLastSection(True)
            fit_columns(view)
            self.tabs.addTab(view, f"{name}（{len(rows)}）")
            self.models[name] = model
        layout.addWidget(self.tabs, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.button(QDialogButtonBox.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
