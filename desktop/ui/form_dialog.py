"""What every form dialog shares: a field with its error line beneath, red borders on the
fields at fault, Save/Cancel in Chinese with Ctrl+S."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

ERROR_STYLE = "border: 2px solid #c0392b;"


class FormDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.errors: dict[str, QLabel] = {}
        self.fields: dict[str, QWidget] = {}

    def add_field(self, form: QFormLayout, key: str, label: str, widget: QWidget) -> None:
        """A row of the form: the widget and, beneath it, its (hidden) error message."""
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(widget)
        error = QLabel()
        error.setStyleSheet("color: #c0392b;")
        error.hide()
        column.addWidget(error)
        form.addRow(label, holder)
        self.errors[key], self.fields[key] = error, widget

    def add_buttons(self, layout) -> QDialogButtonBox:
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Save).setText("保存（Ctrl+S）")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        QShortcut(QKeySequence.Save, self, activated=self.save)
        return buttons

    def show_errors(self, messages: dict[str, str], hide: set[str] = frozenset()) -> None:
        """Each field's message under it and a red border, except those in `hide`."""
        for key, label in self.errors.items():
            message = "" if key in hide else messages.get(key, "")
            label.setText(message)
            label.setVisible(bool(message))
            self.fields[key].setStyleSheet(ERROR_STYLE if message else "")

    def save(self) -> None:  # each form saves its own way
        raise NotImplementedError
