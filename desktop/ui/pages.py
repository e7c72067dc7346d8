"""The pages of the main window: the key figures, the lists and the 审核 findings."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.errors import UserError
from desktop import APP_NAME
from desktop.ui.table_model import RowTableModel


def fit_columns(table: QTableView) -> None:
    """Columns as wide as their contents, judged on the first rows only (a full pass over
    30,000 rows would take seconds)."""
    table.horizontalHeader().setResizeContentsPrecision(200)
    table.resizeColumnsToContents()


class ListPage(QWidget):
    """A searchable list: search box (names, ID numbers, pinyin initials), drop-down filters
    (village, kind, post, rating …), the count of rows shown, and a table; Enter or a
    double-click opens."""

    open_record = Signal(int)

    def __init__(
        self,
        title: str,
        columns: list[tuple[str, str]],
        hint: str,
        village_filter: bool = True,
        new_label: str = "",
        filters: tuple[tuple[str, str, list[str] | None], ...] = (),
    ):
        """`filters`: (row key, “全部…” label, the order of its values or None)."""
        super().__init__()
        self.model = RowTableModel(columns, self)
        layout = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setObjectName("pageTitle")
        layout.addWidget(heading)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(hint)
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.model.set_query)
        self.search.textChanged.connect(self.update_count)
        bar.addWidget(self.search, 3)
        self.filters: dict[str, tuple[QComboBox, str, list[str] | None]] = {}
        specs = ((("village", "全部村(社区)", None),) if village_filter else ()) + tuple(filters)
        for key, everything, order in specs:
            box = QComboBox()
            box.currentTextChanged.connect(lambda text, key=key: self.filter_on(key, text))
            bar.addWidget(box, 1)
            self.filters[key] = (box, everything, order)
        self.village = self.filters["village"][0] if village_filter else QComboBox()
        self.new_button = QPushButton(new_label)
        self.new_button.setVisible(bool(new_label))
        bar.addWidget(self.new_button)
        self.bar = bar
        layout.addLayout(bar)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(
            lambda index: self.open_record.emit(self.model.row_at(index)["id"])
        )
        layout.addWidget(self.table, 1)
        self.count = QLabel()
        layout.addWidget(self.count)
        self.delete_button: QPushButton | None = None  # given by the window
        self.search.setToolTip("Ctrl+F")
        self.new_button.setToolTip("Ctrl+N")
        # Ctrl+F and Ctrl+N work wherever the focus is in the window (the navigation list
        # too) while the page is shown; Delete only inside the list, so that it never deletes
        # a record while the clerk means something else.
        for keys, action, context in (
            (QKeySequence.Find, self.search.setFocus, Qt.WindowShortcut),
            (QKeySequence.New, self.new_button.click, Qt.WindowShortcut),
            (QKeySequence.Delete, self.delete_selected, Qt.WidgetWithChildrenShortcut),
        ):
            shortcut = QShortcut(keys, self, activated=action)
            shortcut.setContext(context)

    def delete_selected(self) -> None:
        if self.delete_button is not None and not self.search.hasFocus():
            self.delete_button.click()

    def select_id(self, record_id: int) -> bool:
        """Show and select the row of a record (clearing filters that hide it)."""
        self.search.clear()
        for box, _everything, _order in self.filters.values():
            box.setCurrentIndex(0)
        for position, index in enumerate(self.model.visible):
            if self.model.rows[index]["id"] == record_id:
                self.table.selectRow(position)
                self.table.scrollTo(self.model.index(position, 0))
                return True
        return False

    def add_button(self, text: str) -> QPushButton:
        button = QPushButton(text)
        self.bar.addWidget(button)
        return button

    def selected_row(self) -> dict | None:
        index = self.table.currentIndex()
        return self.model.row_at(index) if index.isValid() else None

    def keyPressEvent(self, event):  # noqa: N802 (Qt's name)
        if event.key() in (Qt.Key_Return, Qt.Key_Enter) and self.table.currentIndex().isValid():
            self.open_record.emit(self.model.row_at(self.table.currentIndex())["id"])
        else:
            super().keyPressEvent(event)

    def set_rows(self, rows: list[dict], villages: list[str]) -> None:
        self.model.set_rows(rows)
        for key, (box, everything, order) in self.filters.items():
            values = villages if key == "village" else filter_values(rows, key, order)
            current = box.currentText()
            box.blockSignals(True)
            box.clear()
            box.addItems([everything, *values])
            if current in values:
                box.setCurrentText(current)
            box.blockSignals(False)
            self.filter_on(key, box.currentText())
        fit_columns(self.table)
        self.update_count()

    def filter_on(self, key: str, text: str) -> None:
        self.model.set_exact(key, "" if text.startswith("全部") else text)
        self.update_count()

    def update_count(self) -> None:
        shown, total = self.model.rowCount(), len(self.model.rows)
        self.count.setText(
            f"共 {total} 条" if shown == total else f"显示 {shown} 条 / 共 {total} 条"
        )


def filter_values(rows: list[dict], key: str, order: list[str] | None) -> list[str]:
    """The values a filter offers: those present in the rows (each item of a list value),
    in the code table's order when given."""
    present: dict[str, None] = {}
    for row in rows:
        value = row.get(key)
        for item in value if isinstance(value, list | tuple) else (value,):
            if item not in ("", None):
                present[str(item)] = None
    if order is None:
        return list(present)
    rank = {name: i for i, name in enumerate(order)}
    return sorted(present, key=lambda name: rank.get(name, len(rank)))


class OverviewPage(QWidget):
    """概览: the 表7 figures, the 审核 summary and charts a county leader would look at."""

    def __init__(self):
        super().__init__()
        layout = QVBoxLayout(self)
        heading = QLabel("概览")
        heading.setObjectName("pageTitle")
        layout.addWidget(heading)
        self.summary = QLabel()
        layout.addWidget(self.summary)
        body = QHBoxLayout()
        self.model = RowTableModel([("label", "指标"), ("value", "数值")], self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        body.addWidget(self.table, 0)  # as wide as its labels (fit_table), charts take the rest
        self.charts = ChartPanel()
        body.addWidget(self.charts, 1)
        layout.addLayout(body, 1)

    def show_figures(self, figures) -> None:
        self.model.set_rows([{"label": label, "value": value} for label, value in figures])
        self.fit_table()

    def fit_table(self) -> None:
        """The figures table as wide as its longest label, at any font size."""
        header = self.table.horizontalHeader()
        width = sum(
            max(self.table.sizeHintForColumn(i), header.sectionSizeHint(i))
            for i in range(header.count())
        )
        scroll = self.table.verticalScrollBar().sizeHint().width()
        self.table.setMinimumWidth(width + scroll + 2 * self.table.frameWidth() + 4)

    def changeEvent(self, event):  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() == QEvent.FontChange:  # after the table has the new font too
            QTimer.singleShot(0, self.fit_table)
            QTimer.singleShot(0, self.charts.redraw)

    def show_summary(self, errors: int, warnings: int, year: int) -> None:
        self.summary.setText(
            f"{year} 年度审核：强制性问题 {errors} 条，提示性问题 {warnings} 条"
            + ("（修正强制性问题后才能导出）" if errors else "")
        )


class ChartPanel(QWidget):
    """Four small charts: income bands, 两委 age and education, coverage."""

    def __init__(self):
        super().__init__()
        from PySide6.QtWidgets import QGridLayout

        self.grid = QGridLayout(self)
        self.views = {}
        self.values: dict[str, list] = {}

    def show_year(self, data) -> None:
        from desktop import overview

        charts = {
            "经营性收入分档（万元，村数）": overview.income_bands(data),
            "“两委”成员年龄（岁，人数）": overview.age_structure(data),
            "“两委”成员学历（人数）": overview.education_structure(data),
            "覆盖（%）：第一书记/一肩挑/已填集体经济": [
                (what, round(have * 100 / total) if total else 0)
                for what, have, total in overview.coverage(data)
            ],
        }
        self.values = charts
        self.redraw()

    def redraw(self) -> None:
        """Draw the charts (again, after a font size change)."""
        for position, (title, items) in enumerate(self.values.items()):
            view = self.views.get(title)
            if view is None:
                view = self.views[title] = bar_chart_view()
                self.grid.addWidget(view, position // 2, position % 2)
            fill_bar_chart(view, title, items, percent=title.startswith("覆盖"))


def bar_chart_view():
    from PySide6.QtCharts import QChart, QChartView
    from PySide6.QtGui import QPainter

    chart = QChart()
    chart.legend().hide()
    chart.setAnimationOptions(QChart.NoAnimation)
    view = QChartView(chart)
    view.setRenderHint(QPainter.Antialiasing)
    view.setMinimumSize(330, 200)  # room for “50-100” under a bar at the largest font
    return view


def fill_bar_chart(view, title: str, items: list[tuple[str, int]], percent: bool) -> None:
    from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QValueAxis
    from PySide6.QtCore import QMargins
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication

    chart = view.chart()
    chart.setMargins(QMargins(2, 2, 2, 2))
    chart.removeAllSeries()
    for axis in chart.axes():
        chart.removeAxis(axis)
        axis.deleteLater()  # a removed axis that lives on keeps painting its labels
    empty = not percent and not any(value for _, value in items)
    chart.setTitle(f"{title}（暂无数据）" if empty else title)
    bars = QBarSet(title)
    for _, value in items:
        bars.append(value)
    series = QBarSeries()
    series.append(bars)
    series.setLabelsVisible(True)
    chart.addSeries(series)
    categories = QBarCategoryAxis()
    categories.append([label for label, _ in items])
    # labels and title follow the chosen font size (older eyes)
    base = max(10, QApplication.font().pointSize())
    small = QFont(categories.labelsFont())
    small.setPixelSize(base)
    categories.setLabelsFont(small)
    categories.setTruncateLabels(False)  # “50-100” whole, even in a narrow chart
    title_font = QFont(chart.titleFont())
    title_font.setPixelSize(base + 2)
    chart.setTitleFont(title_font)
    chart.addAxis(categories, Qt.AlignBottom)
    series.attachAxis(categories)
    values = QValueAxis()
    top, step = whole_number_scale(100 if percent else max([v for _, v in items] + [0]))
    values.setRange(0, top)
    values.setTickCount(top // step + 1)  # every label a whole number (no “1 0 0 0 0 0”)
    values.setLabelFormat("%d")
    values.setLabelsFont(small)
    chart.addAxis(values, Qt.AlignLeft)
    series.attachAxis(values)


def whole_number_scale(largest: int) -> tuple[int, int]:
    """The top of a count axis and its tick step, both whole numbers, at most 5 steps:
    0 → (5, 1) for an empty chart, 7 → (8, 2), 100 → (100, 20)."""
    largest = max(int(largest), 0)
    if largest == 0:
        return 5, 1
    magnitude = 1
    while True:
        for step in (magnitude, 2 * magnitude, 5 * magnitude):  # 1, 2, 5, 10, 20, 50 …
            if largest <= 5 * step:
                return -(-largest // step) * step, step
        magnitude *= 10


class FindingsPage(QWidget):
    """审核: every finding, filterable by severity and area; a 说明 for 提示性 ones."""

    explained = Signal()
    jump = Signal(object)  # a Finding: open its record at the field to fix

    def __init__(self):
        super().__init__()
        self.year = None
        self.findings = []
        layout = QVBoxLayout(self)
        heading = QLabel("审核")
        heading.setObjectName("pageTitle")
        layout.addWidget(heading)
        bar = QHBoxLayout()
        self.severity = QComboBox()
        self.severity.addItems(["全部", "强制性", "提示性"])
        self.severity.currentTextChanged.connect(self.apply_filter)
        bar.addWidget(QLabel("类别："))
        bar.addWidget(self.severity)
        self.area = QComboBox()
        self.area.currentTextChanged.connect(self.apply_filter)
        bar.addWidget(QLabel("审核项："))
        bar.addWidget(self.area)
        bar.addStretch(1)
        bar.addWidget(QLabel("双击一条问题可打开对应记录"))
        self.note_button = QPushButton("填写说明…")
        self.note_button.clicked.connect(self.write_note)
        bar.addWidget(self.note_button)
        layout.addLayout(bar)
        self.model = RowTableModel(
            [
                ("severity", "类别"),
                ("area", "审核项"),
                ("title", "规则"),  # its Chinese name: the id (E01 …) stays in the row only
                ("label", "记录"),
                ("message", "问题"),
                ("note", "说明"),
            ],
            self,
        )
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(
            lambda index: self.jump.emit(self.findings[self.model.row_at(index)["id"]])
        )
        layout.addWidget(self.table, 1)
        self.count = QLabel()
        layout.addWidget(self.count)

    def set_findings(self, year: int, findings) -> None:
        self.year, self.findings = year, findings
        rows = [
            {
                "id": n,
                "severity": f.severity_label,
                "rule": f.rule_id,
                "title": f.title,
                "area": f.area,
                "label": f.label,
                "message": f.message,
                "note": f.note,
            }
            for n, f in enumerate(findings)
        ]
        areas = sorted({f.area for f in findings})
        self.area.blockSignals(True)
        self.area.clear()
        self.area.addItems(["全部", *areas])
        self.area.blockSignals(False)
        self.model.set_rows(rows)
        fit_columns(self.table)
        self.apply_filter()

    def apply_filter(self) -> None:
        severity, area = self.severity.currentText(), self.area.currentText()
        self.model.set_exact("severity", "" if severity == "全部" else severity)
        self.model.set_exact("area", "" if area in ("全部", "") else area)
        self.count.setText(f"显示 {self.model.rowCount()} 条 / 共 {len(self.findings)} 条")

    def write_note(self) -> None:
        from desktop.checks import explain

        index = self.table.currentIndex()
        if not index.isValid():
            QMessageBox.information(self, APP_NAME, "请先选中一条提示性审核问题。")
            return
        finding = self.findings[self.model.row_at(index)["id"]]
        if finding.severity_label != "提示性":
            QMessageBox.information(self, APP_NAME, "强制性审核问题必须修正，不能只填写说明。")
            return
        text, ok = QInputDialog.getMultiLineText(
            self, "填写说明", f"{finding.label}：{finding.message}\n\n说明：", finding.note
        )
        if not ok:
            return
        try:
            explain(self.year, finding, text)
        except UserError as exc:
            QMessageBox.warning(self, APP_NAME, exc.message)
            return
        self.model.update_row(index, note=text.strip())
        self.explained.emit()


class HelpPage(QWidget):
    """帮助: the clerk's guide (resources/help/guide.md), read when first shown."""

    def __init__(self):
        super().__init__()
        from PySide6.QtWidgets import QTextBrowser

        layout = QVBoxLayout(self)
        heading = QLabel("帮助")
        heading.setObjectName("pageTitle")
        layout.addWidget(heading)
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(False)
        layout.addWidget(self.text)

    def load(self) -> None:
        from resources import resource_path

        guide = resource_path("help", "guide.md").read_text(encoding="utf-8")
        self.text.setMarkdown(guide)
