"""集体经济: one editable grid per year, like 表5 clerks know; total, 经营性收入 and band
recomputed as soon as a cell is typed."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.errors import UserError
from desktop.forms import economy_grid
from desktop.ui.pages import fit_columns

TOTAL_ROWS = 1  # the 合计 row above the villages


class EconomyModel(QAbstractTableModel):
    refused = Signal(str)
    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[dict] = []
        self.year = 0
        self.columns = economy_grid.COLUMNS
        self.reload = None  # set by the page: recomputes the rows from the database
        self.total: dict = economy_grid.total_row([])

    def set_rows(self, year: int, rows: list[dict]) -> None:
        self.beginResetModel()
        self.year, self.rows = year, rows
        self.total = economy_grid.total_row(rows)
        self.endResetModel()

    @staticmethod
    def view_row(row: int) -> int:
        """The view's row of village `row`: the 合计 row comes first, as on 表5."""
        return row + TOTAL_ROWS

    def rowCount(self, parent=None) -> int:  # noqa: N802 (Qt's name)
        if parent is not None and parent.isValid() or not self.rows:
            return 0
        return len(self.rows) + TOTAL_ROWS

    def columnCount(self, parent=None) -> int:  # noqa: N802
        return len(self.columns)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return self.columns[section][1]
        return None

    def flags(self, index: QModelIndex):
        base = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        if index.row() >= TOTAL_ROWS and self.columns[index.column()][0] in economy_grid.LABELS:
            return base | Qt.ItemIsEditable
        return base

    def data(self, index: QModelIndex, role=Qt.DisplayRole):
        is_total = index.row() < TOTAL_ROWS
        row = self.total if is_total else self.rows[index.row() - TOTAL_ROWS]
        key = self.columns[index.column()][0]
        if is_total and role == Qt.FontRole:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        value = row.get(key)
        if role == Qt.DisplayRole:
            if isinstance(value, Decimal):
                return f"{value:.2f}"
            return "" if value is None else str(value)
        if role == Qt.EditRole:
            return "" if value is None else f"{value:.2f}"
        if role == Qt.TextAlignmentRole and key not in ("village", "band"):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.BackgroundRole and (
            is_total or key not in economy_grid.LABELS and key != "village"
        ):
            from PySide6.QtGui import QColor

            return QColor("#f2f2f2")
        return None

    def setData(self, index: QModelIndex, value, role=Qt.EditRole) -> bool:  # noqa: N802
        if role != Qt.EditRole or index.row() < TOTAL_ROWS:
            return False
        number = index.row() - TOTAL_ROWS
        row = self.rows[number]
        field = self.columns[index.column()][0]
        try:
            economy_grid.set_amount(row["id"], row["village"], self.year, field, str(value))
        except UserError as exc:
            self.refused.emit(exc.message)
            return False
        self.rows[number] = next(r for r in self.reload() if r["id"] == row["id"])
        self.total = economy_grid.total_row(self.rows)
        last = len(self.columns) - 1
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), last))
        self.dataChanged.emit(self.index(0, 0), self.index(TOTAL_ROWS - 1, last))
        self.changed.emit()
        return True


class EconomyPage(QWidget):
    def __init__(self):
        super().__init__()
        layout = QVBoxLayout(self)
        heading = QLabel("集体经济")
        heading.setObjectName("pageTitle")
        layout.addWidget(heading)
        layout.addWidget(
            QLabel(
                "单位：万元。直接在格子里输入（可到小数点后六位，即精确到分），"
                "回车或 Tab 保存；灰色列自动计算。"
            )
        )
        self.model = EconomyModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.AllEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        layout.addWidget(self.table, 1)
        self.message = QLabel()
        self.message.setStyleSheet("color: #c0392b;")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.model.refused.connect(self.message.setText)
        self.model.changed.connect(lambda: self.message.setText(""))
        self.model.changed.connect(lambda: fit_columns(self.table))  # 18.00 never "18…"

    def select_village(self, name: str) -> None:
        for row, values in enumerate(self.model.rows):
            if values["village"] == name:
                self.table.selectRow(self.model.view_row(row))
                return

    def show_year(self, year: int, rows: list[dict], reload) -> None:
        self.model.reload = reload
        self.model.set_rows(year, rows)
        fit_columns(self.table)
        missing = [r["village"] for r in rows if r["missing"]]
        self.message.setText(f"尚未填写：{'、'.join(missing)}" if missing else "")
