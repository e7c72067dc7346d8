"""A read-only table of plain row dicts, filtered and sorted in Python: fast enough to
filter 30,000 cadres on every keystroke (Qt's proxy models call Python once per row)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from desktop.search import matches

ROW_ID_ROLE = Qt.UserRole + 1


class RowTableModel(QAbstractTableModel):
    def __init__(self, columns: list[tuple[str, str]], parent=None):
        super().__init__(parent)
        self.columns = columns  # (key, header)
        self.rows: list[dict] = []
        self.visible: list[int] = []
        self.query = ""
        self.extra: dict[str, str] = {}  # key → exact value (drop-down filters)

    # -- data ----------------------------------------------------------------------------
    def set_rows(self, rows: list[dict]) -> None:
        self.rows = rows
        self.refilter()

    def set_query(self, query: str) -> None:
        self.query = query.strip()
        self.refilter()

    def set_exact(self, key: str, value: str) -> None:
        if value:
            self.extra[key] = value
        else:
            self.extra.pop(key, None)
        self.refilter()

    def refilter(self) -> None:
        self.beginResetModel()
        query, extra = self.query, self.extra
        self.visible = [
            i
            for i, row in enumerate(self.rows)
            if (not query or matches(query, row.get("key", "")))
            and all(_has(row.get(k), v) for k, v in extra.items())
        ]
        self.endResetModel()

    def row_at(self, index: QModelIndex) -> dict:
        return self.rows[self.visible[index.row()]]

    def update_row(self, index: QModelIndex, **values) -> None:
        """Change the shown values of one row at once (the data is already stored)."""
        self.row_at(index).update(values)
        row = index.row()
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    # -- Qt ------------------------------------------------------------------------------
    def rowCount(self, parent=None) -> int:  # noqa: N802 (Qt's name)
        return 0 if parent is not None and parent.isValid() else len(self.visible)

    def columnCount(self, parent=None) -> int:  # noqa: N802
        return 0 if parent is not None and parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[self.visible[index.row()]]
        key = self.columns[index.column()][0]
        if role == Qt.DisplayRole:
            value = row.get(key, "")
            return "" if value is None else str(value)
        if role == Qt.TextAlignmentRole and isinstance(row.get(key), (int, float, Decimal)):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == ROW_ID_ROLE:
            return row.get("id")
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return self.columns[section][1]
        return None

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        key = self.columns[column][0]
        self.beginResetModel()
        self.visible.sort(
            key=lambda i: (
                self.rows[i].get(key) is None,
                self.rows[i].get(key) or 0
                if isinstance(self.rows[i].get(key), (int, float))
                else str(self.rows[i].get(key) or ""),
            ),
            reverse=order == Qt.DescendingOrder,
        )
        self.endResetModel()


def _has(value, wanted: str) -> bool:
    """A row's value matches a filter: equal, or (for a list such as a cadre's posts)
    one of its items."""
    if isinstance(value, list | tuple):
        return wanted in value
    return str(value) == wanted if value is not None else wanted == ""
