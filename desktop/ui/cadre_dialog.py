"""The cadre form: errors shown at the field as they are typed, birth date and sex taken
from the ID number, Tab/Enter moving on, Ctrl+S saving, Esc asking before discarding."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
)

from db.errors import UserError
from desktop import APP_NAME
from desktop.forms import cadre_form
from desktop.ui.form_dialog import FormDialog
from desktop.ui.table_model import RowTableModel
from desktop.validators import check_id_number
from resources import code_table


def code_combo(table: str, blank: bool = True) -> QComboBox:
    """A drop-down of a code table that accepts typing (彝 finds 彝族)."""
    box = QComboBox()
    box.setEditable(True)
    box.setInsertPolicy(QComboBox.NoInsert)
    if blank:
        box.addItem("", "")
    for entry in code_table(table).entries:
        box.addItem(entry.name, entry.code)
    box.completer().setFilterMode(Qt.MatchContains)
    return box


def select_code(box: QComboBox, code) -> None:
    """Show the entry whose code is `code` (the first, blank one if there is none)."""
    box.setCurrentIndex(max(0, box.findData(code)))


def combo_code(box: QComboBox) -> str:
    index = box.findText(box.currentText())
    return box.itemData(index) if index >= 0 else ""


class CadreDialog(FormDialog):
    def __init__(self, cadre_id: int | None, villages: list[tuple[int, str]], parent=None):
        super().__init__(parent)
        self.cadre_id = cadre_id
        self.saved = None
        self.setWindowTitle("干部信息" if cadre_id else "新增干部")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit()
        self.add_field(form, "name", "姓名", self.name)
        self.id_number = QLineEdit()
        self.id_number.setPlaceholderText("18位，末位可为X")
        self.add_field(form, "id_number", "身份证号", self.id_number)
        self.derived = QLabel("出生日期和性别由身份证号自动得出")
        form.addRow("出生日期/性别", self.derived)
        self.ethnicity = code_combo("ethnicity")
        self.add_field(form, "ethnicity", "民族", self.ethnicity)
        self.fulltime = code_combo("education")
        self.add_field(form, "education_fulltime", "全日制学历", self.fulltime)
        self.inservice = code_combo("education")
        self.add_field(form, "education_inservice", "在职学历", self.inservice)
        self.political = code_combo("political_status")
        self.add_field(form, "political_status", "政治面貌", self.political)
        self.joined = QLineEdit()
        self.joined.setPlaceholderText("如 2001.07.01")
        self.add_field(form, "party_joined", "入党时间", self.joined)
        self.phone = QLineEdit()
        self.add_field(form, "phone", "联系电话", self.phone)
        self.village = QComboBox()
        self.village.addItem("", None)
        for village_id, name in villages:
            self.village.addItem(name, village_id)
        self.add_field(form, "village", "所在村(社区)", self.village)
        self.notes = QLineEdit()
        self.add_field(form, "notes", "备注", self.notes)
        layout.addLayout(form)
        self.tabs = QTabWidget()
        self.tabs.setMinimumHeight(160)
        self.posts = RowTableModel(
            [
                ("post", "职务"),
                ("place", "村(社区)/党组织"),
                ("start", "任职"),
                ("end", "离任"),
                ("unit", "派出单位"),
            ],
            self,
        )
        self.history = RowTableModel(
            [
                ("time", "时间"),
                ("action", "操作"),
                ("field", "字段"),
                ("old", "原值"),
                ("new", "新值"),
            ],
            self,
        )
        for model, title in ((self.posts, "任职经历"), (self.history, "修改记录")):
            view = QTableView()
            view.setModel(model)
            view.verticalHeader().hide()
            view.horizontalHeader().setStretchLastSection(True)
            view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
            self.tabs.addTab(view, title)
        if cadre_id:
            self.posts.set_rows(cadre_form.post_history(cadre_id))
            self.history.set_rows(cadre_form.change_history(cadre_id))
            layout.addWidget(self.tabs)
        self.buttons = self.add_buttons(layout)
        if cadre_id:
            self.fill(cadre_form.load(cadre_id))
        self.original = self.form_input()
        for widget in (self.name, self.id_number, self.joined, self.phone, self.notes):
            widget.textChanged.connect(self.validate)
        for box in (self.ethnicity, self.fulltime, self.inservice, self.political):
            box.currentTextChanged.connect(self.validate)
        self.touched: set[str] = set()
        for key, widget in self.fields.items():
            widget.installEventFilter(self)
            widget.setProperty("fieldKey", key)
        self.setMinimumWidth(640)
        self.validate()  # birth date and sex shown at once; errors wait for a touch

    FIELD_WIDGETS = {"birth_date": "id_number", "gender": "id_number"}

    def focus_field(self, field: str) -> None:
        """Put the cursor where a 审核 finding points (birth date and sex come from the ID)."""
        key = self.FIELD_WIDGETS.get(field, field)
        widget = self.fields.get(key)
        if widget is not None:
            widget.setFocus()
            self.touched.add(key)
            self.validate()

    def eventFilter(self, watched, event):  # noqa: N802 (Qt's name)
        if event.type() == QEvent.FocusOut and watched.property("fieldKey"):
            self.touched.add(watched.property("fieldKey"))
            self.validate()
        return super().eventFilter(watched, event)

    def fill(self, data: cadre_form.CadreInput) -> None:
        self.name.setText(data.name)
        self.id_number.setText(data.id_number)
        for box, code in (
            (self.ethnicity, data.ethnicity),
            (self.fulltime, data.education_fulltime),
            (self.inservice, data.education_inservice),
            (self.political, data.political_status),
        ):
            select_code(box, code)
        self.joined.setText(data.party_joined)
        self.phone.setText(data.phone)
        select_code(self.village, data.village)
        self.notes.setText(data.notes)

    def form_input(self) -> cadre_form.CadreInput:
        return cadre_form.CadreInput(
            name=self.name.text(),
            id_number=self.id_number.text(),
            ethnicity=combo_code(self.ethnicity),
            education_fulltime=combo_code(self.fulltime),
            education_inservice=combo_code(self.inservice),
            political_status=combo_code(self.political),
            party_joined=self.joined.text(),
            phone=self.phone.text(),
            village=self.village.currentData(),
            notes=self.notes.text(),
        )

    def validate(self, *_args, show_all: bool = False) -> bool:
        data = self.form_input()
        cadre_form.check(data, self.cadre_id)
        try:
            info = check_id_number(data.id_number)
            sex = code_table("gender").name_of(info.gender)
            self.derived.setText(f"{info.birth_date:%Y.%m.%d}，{sex}")
        except ValueError:
            self.derived.setText("出生日期和性别由身份证号自动得出")
        # an error shows once the clerk has been in the field (or typed a whole ID number)
        shown = set(self.errors) if show_all else set(self.touched)
        if len(self.id_number.text().strip()) >= 18:
            shown.add("id_number")
        self.show_errors(data.errors, hide=set(self.errors) - shown)
        return not data.errors

    def save(self) -> None:
        if not self.validate(show_all=True):
            return
        try:
            self.saved = cadre_form.save(self.form_input(), self.cadre_id)
        except UserError as exc:
            QMessageBox.warning(self, APP_NAME, exc.message)
            return
        self.accept()

    def reject(self) -> None:
        if (
            self.form_input() != self.original
            and QMessageBox.question(self, APP_NAME, "有修改尚未保存，确定放弃吗？")
            != QMessageBox.Yes
        ):
            return
        super().reject()
