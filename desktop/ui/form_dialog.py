"""What every form dialog shares: a field with its error message beside it, red borders on the
fields at fault, Save/Cancel in Chinese with Ctrl+S."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from db import codes
from db.errors import UserError
from desktop import APP_NAME, code_words
from resources import code_table

ERROR_STYLE = "border: 2px solid #c0392b;"


class CodeCombo(QComboBox):
    """A drop-down of a code table that accepts typing: a name, a synonym or a short name
    (大专 → 大学专科, 彝 → 彝族, from resources/codes/synonyms.json). What was typed is
    resolved when the field is left (the entry then shows); a word that maps to nothing
    stays as typed so the form shows its error. Enter moves on like in any field, and the
    completion pops up a list rather than writing into the text (no 党员党员)."""

    def __init__(self, table: str, blank: bool = True):
        super().__init__()
        self.table = table
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.NoInsert)
        if blank:
            self.addItem("", "")
        for entry in code_table(table).entries:
            self.addItem(entry.name, entry.code)
        completer = self.completer()
        completer.setFilterMode(Qt.MatchContains)
        completer.setCompletionMode(QCompleter.PopupCompletion)
        completer.popup().installEventFilter(self)
        self.lineEdit().editingFinished.connect(self.resolve)

    def code(self) -> str:
        """The code of the text shown: '' when blank, the text itself when it maps to no
        code (the form's check names it), never blank for text the clerk typed."""
        text = self.currentText().strip()
        if not text:
            return ""
        index = self.findText(text)
        if index >= 0 and self.itemData(index):
            return self.itemData(index)
        found = (
            code_words.parse_post(text)
            if self.table == "post"
            else code_words.code_for(text, self.table)
        )
        return found if found else text

    def resolve(self) -> None:
        """Show the entry the typed word stands for (大专 → 大学专科)."""
        code = self.code()
        index = self.findData(code) if code else -1
        community_name = code_words.post_name(code, codes.COMMUNITY) if self.table == "post" else ""
        if code and self.currentText().strip() == community_name:
            return  # 居委会主任 typed for a 社区 stays as typed (its code is 村委会主任's)
        if index >= 0 and self.currentText() != self.itemText(index):
            self.setCurrentIndex(index)
            self.setEditText(self.itemText(index))

    def keyPressEvent(self, event):  # noqa: N802 (Qt's name)
        if event.key() in (Qt.Key_Return, Qt.Key_Enter):
            self.resolve()
            event.ignore()  # the form moves on, as from any field
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched, event):  # noqa: N802 (Qt's name)
        """Enter or Tab while the completion list is open: take the entry picked in it (if
        one is), close it and move on to the next field."""
        popup = self.completer().popup()
        moving_on = (Qt.Key_Return, Qt.Key_Enter, Qt.Key_Tab)
        if watched is popup and event.type() == QEvent.KeyPress and event.key() in moving_on:
            picked = popup.currentIndex()
            popup.hide()
            if picked.isValid():
                self.setEditText(picked.data())
            self.resolve()
            self.focusNextChild()
            return True
        return super().eventFilter(watched, event)


def code_combo(table: str, blank: bool = True) -> QComboBox:
    """A drop-down of a code table that accepts typing (彝 finds 彝族)."""
    return CodeCombo(table, blank)


def select_code(box: QComboBox, code) -> None:
    """Show the entry whose code is `code` (the first, blank one if there is none)."""
    box.setCurrentIndex(max(0, box.findData(code)))


def combo_code(box: QComboBox) -> str:
    if isinstance(box, CodeCombo):
        return box.code()
    index = box.findText(box.currentText())
    return box.itemData(index) if index >= 0 else ""


def choice_combo(choices: list[tuple[int, str]]) -> QComboBox:
    """A drop-down of records (id, name), the first entry blank."""
    box = QComboBox()
    box.addItem("", None)
    for record_id, name in choices:
        box.addItem(name, record_id)
    return box


def keep_height_with_red_border(widget: QWidget) -> None:
    """The field as tall as it is with its red border, so the border does not move it."""
    widget.setStyleSheet(ERROR_STYLE)
    red = widget.sizeHint().height()
    widget.setStyleSheet("")
    widget.setMinimumHeight(max(red, widget.sizeHint().height()))


class ErrorLine(QLabel):
    """A field's error message beside it, in a share of the row kept for it even while
    empty: the field keeps its place and size as messages come and go (a message longer
    than its space ends in “…”, whole in its tooltip and the field's)."""

    def __init__(self):
        super().__init__()
        self.message = ""
        self.setStyleSheet("color: #c0392b;")
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)  # hints do not follow text

    def text(self) -> str:  # the whole message, not what fits
        return self.message

    def setText(self, message: str) -> None:  # noqa: N802 (Qt's name)
        self.message = message
        self.setToolTip(message)
        self.fit()

    def fit(self) -> None:
        shown = self.fontMetrics().elidedText(self.message, Qt.ElideRight, self.width())
        super().setText(shown)

    def resizeEvent(self, event):  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self.fit()

    def sizeHint(self):  # noqa: N802 (Qt's name)
        return self.minimumSizeHint()

    def minimumSizeHint(self):  # noqa: N802 (Qt's name)
        """The same with a message as without: one line, room for a short message."""
        metrics = self.fontMetrics()
        return QSize(metrics.horizontalAdvance("身份证号校验位错误，请逐位核对"), metrics.height())


class FormDialog(QDialog):
    """Enter moves to the next field (as Tab does), Ctrl+S saves, Esc asks before
    discarding changes. A form sets `self.original = self.form_input()` once filled."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.errors: dict[str, QLabel] = {}
        self.fields: dict[str, QWidget] = {}
        self.original = None
        self.saved = None

    def keyPressEvent(self, event):  # noqa: N802 (Qt's name)
        enter = event.key() in (Qt.Key_Return, Qt.Key_Enter)
        if enter and not isinstance(self.focusWidget(), QAbstractButton):
            self.focusNextChild()
            return
        super().keyPressEvent(event)

    def reject(self) -> None:
        if (
            self.original is not None
            and self.form_input() != self.original
            and QMessageBox.question(self, APP_NAME, "有修改尚未保存，确定放弃吗？")
            != QMessageBox.Yes
        ):
            return
        super().reject()

    def form_input(self):  # each form reads its own fields
        raise NotImplementedError

    def add_field(self, form: QFormLayout, key: str, label: str, widget: QWidget) -> None:
        """A row of the form: the widget and, beneath it, its (hidden) error message."""
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(widget, 3)
        error = ErrorLine()
        row.addWidget(error, 2)
        form.addRow(label, holder)
        self.errors[key], self.fields[key] = error, widget
        keep_height_with_red_border(widget)
        if isinstance(widget, CodeCombo):  # a word that maps to nothing is named on leaving
            widget.lineEdit().editingFinished.connect(lambda: self.validate())

    def add_buttons(self, layout) -> QDialogButtonBox:
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Save).setText("保存（Ctrl+S）")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        QShortcut(QKeySequence.Save, self, activated=self.save)
        return buttons

    def add_history_button(self, buttons: QDialogButtonBox, title: str, tabs) -> QPushButton:
        """“历年情况与修改记录…” beside Save: `tabs()` gives (title, columns, rows) each."""
        button = buttons.addButton("历年情况与修改记录…", QDialogButtonBox.ActionRole)

        def show() -> None:
            from desktop.ui.history_dialog import HistoryDialog

            HistoryDialog(title, tabs(), self).exec()

        button.clicked.connect(show)
        return button

    def show_errors(self, messages: dict[str, str], hide: set[str] = frozenset()) -> None:
        """Each field's message under it and a red border, except those in `hide`."""
        for key, label in self.errors.items():
            message = "" if key in hide else messages.get(key, "")
            label.setText(message)  # its line is always there: the form does not move
            self.fields[key].setStyleSheet(ERROR_STYLE if message else "")

    def focus_field(self, key: str) -> None:
        """Put the cursor where a 审核 finding points, if the form has that field."""
        widget = self.fields.get(key)
        if widget is not None:
            widget.setFocus()

    def blank_fields(self) -> set[str]:
        """Fields still empty: their “请填写…” waits until the clerk tries to save."""
        blank = set()
        for key, widget in self.fields.items():
            if isinstance(widget, QLineEdit):
                text = widget.text()
            elif isinstance(widget, QComboBox):
                text = widget.currentText()
            else:
                continue
            if not text.strip():
                blank.add(key)
        return blank

    def validate(self, *_args, show_all: bool = False) -> bool:  # each form checks its own
        raise NotImplementedError

    def store(self):  # each form stores its own way, all or nothing; returns the record
        raise NotImplementedError

    def save(self) -> None:
        """Show every field's message; store only a form without any, then close."""
        if not self.validate(show_all=True):
            return
        try:
            self.saved = self.store()
        except UserError as exc:
            QMessageBox.warning(self, APP_NAME, exc.message)
            return
        self.accept()
