"""The main window: a navigation list, the statistical year always in view, the pages."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.errors import DamagedDatabase, UserError
from db.settings import get_setting
from desktop import APP_NAME
from desktop.ui.economy_page import EconomyPage
from desktop.ui.export_page import ExportPage
from desktop.ui.failures import install_exception_hook
from desktop.ui.import_page import ImportPage, MergePage
from desktop.ui.maintenance_pages import BackupPage, RecycleBinPage
from desktop.ui.pages import FindingsPage, HelpPage, ListPage, OverviewPage, fit_columns
from desktop.ui.settings_page import FONT_SETTING, FONT_SIZES, SettingsPage, apply_font_size
from desktop.ui.worker import Jobs

STYLE = """
QLabel#pageTitle {{ font-size: {title}pt; font-weight: bold; padding: 4px 0; }}
QLabel#township {{ font-size: {township}pt; font-weight: bold; }}
QListWidget#nav {{ font-size: {nav}pt; }}
QListWidget#nav::item {{ padding: 8px 10px; }}
"""


def window_style(base: int) -> str:
    """The window's few larger texts, scaled with the chosen font size."""
    return STYLE.format(title=base + 5, township=base + 3, nav=base + 1)


NAV = (
    "概览",
    "村(社区)",
    "党组织",
    "干部",
    "集体经济",
    "扶持项目",
    "培训",
    "审核",
    "导出",
    "导入",
    "县级汇总",
    "回收站",
    "备份与恢复",
    "设置",
    "帮助",
)


def post_names() -> list[str]:
    from desktop.code_words import post_names

    return post_names()


def names_of(table: str) -> list[str]:
    """A code table's names in its own order (for the list filters)."""
    from resources import code_table

    return [entry.name for entry in code_table(table).entries]


class MainWindow(QMainWindow):
    checked = Signal(int)  # the 审核 findings of this year are shown

    def __init__(self, data_dir: Path | None = None):
        super().__init__()
        from db.connection import database_path
        from desktop.ui.translations import install_chinese

        install_chinese(QApplication.instance())
        self.db_path = database_path(data_dir)
        self.setWindowTitle(APP_NAME)
        self.resize(1280, 720)
        self.setStyleSheet(window_style(10))
        self.year: int | None = None
        self._data = None
        self.jobs = Jobs(self)
        self.checker = Jobs(self)  # reads only: the 审核 rules after each change
        self.integrity = Jobs(self)  # reads only: the full integrity check after start
        self.error_box = None  # the message of an unexpected failure (desktop/ui/failures.py)
        install_exception_hook(self)
        self.check_generation = 0
        self.checks_pending = False
        self.painted = False
        self.busy_text = QLabel()
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 100)
        self.busy_bar.setFixedWidth(260)
        self.statusBar().addWidget(self.busy_text, 1)
        self.statusBar().addPermanentWidget(self.busy_bar)
        self.jobs.progress.connect(self.show_progress)
        self.jobs.busy_changed.connect(self.show_busy)
        self.show_busy(False)
        self.outer = QStackedWidget()
        self.setCentralWidget(self.outer)
        self.setup = None  # the first-start page, made only when there is no database
        self.problem_page = QWidget()
        problem_layout = QVBoxLayout(self.problem_page)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setAlignment(Qt.AlignCenter)
        self.rescue_button = QPushButton("用最新的完好备份恢复")
        self.rescue_button.clicked.connect(self.restore_newest_backup)
        problem_layout.addStretch(1)
        problem_layout.addWidget(self.problem)
        problem_layout.addWidget(self.rescue_button, 0, Qt.AlignCenter)
        problem_layout.addStretch(1)
        self.outer.addWidget(self.problem_page)
        self.main_page = self.build_main()
        self.outer.addWidget(self.main_page)
        self.reload()

    # -- layout ----------------------------------------------------------------------------
    def build_main(self) -> QWidget:
        main = QWidget()
        column = QVBoxLayout(main)
        top = QHBoxLayout()
        self.heading = QLabel()
        self.heading.setObjectName("township")
        top.addWidget(self.heading, 1)
        top.addWidget(QLabel("统计年度："))
        self.year_box = QComboBox()
        self.year_box.currentTextChanged.connect(self.show_year)
        top.addWidget(self.year_box)
        self.new_year_button = QPushButton("开始新年度…")
        self.new_year_button.clicked.connect(self.start_new_year)
        top.addWidget(self.new_year_button)
        self.remove_year_button = QPushButton("删除误开的年度…")
        self.remove_year_button.setToolTip("删除最新的统计年度（只在其中还没有录入任何数据时）")
        self.remove_year_button.clicked.connect(self.remove_newest_year)
        top.addWidget(self.remove_year_button)
        column.addLayout(top)
        body = QHBoxLayout()
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.addItems(NAV)
        self.nav.setFixedWidth(150)
        body.addWidget(self.nav)
        self.pages = QStackedWidget()
        self.overview = OverviewPage()
        self.villages = ListPage(
            "村(社区)",
            [
                ("name", "名称"),
                ("kind", "类别"),
                ("code", "区划代码"),
                ("groups", "村民小组数"),
                ("households", "户数"),
                ("population", "人口"),
                ("organizations", "党组织数"),
                ("secretary", "村党组织书记"),
            ],
            "搜索名称或区划代码",
            village_filter=False,
            new_label="新增村(社区)",
            filters=(("kind", "全部类别", names_of("village_kind")),),
        )
        self.villages.open_record.connect(self.open_village)
        self.villages.new_button.clicked.connect(lambda: self.open_village(None))
        self.organizations = ListPage(
            "党组织",
            [
                ("name", "党组织名称"),
                ("kind", "类型"),
                ("field", "所属领域"),
                ("village", "所在村(社区)"),
                ("members", "党员数"),
                ("rating", "分类定级"),
                ("weak_lax", "软弱涣散"),
            ],
            "搜索名称、村(社区)",
            new_label="新增党组织",
            filters=(
                ("kind", "全部类型", names_of("org_kind")),
                ("rating", "全部分类定级", names_of("rating")),
            ),
        )
        self.organizations.open_record.connect(self.open_organization)
        self.organizations.new_button.clicked.connect(lambda: self.open_organization(None))
        self.cadres = ListPage(
            "干部",
            [
                ("name", "姓名"),
                ("gender", "性别"),
                ("ethnicity", "民族"),
                ("age", "年龄"),
                ("id_number", "身份证号"),
                ("village", "村(社区)"),
                ("posts", "现任职务"),
                ("phone", "联系电话"),
            ],
            "姓名、身份证号、职务、电话或拼音首字母（如 zs 找张三）",
            new_label="新增干部",
            filters=(("post_list", "全部职务", [*post_names(), "（无现任职务）"]),),
        )
        self.cadres.open_record.connect(self.open_cadre)
        self.cadres.new_button.clicked.connect(lambda: self.open_cadre(None))
        self.projects = ListPage(
            "扶持项目",
            [
                ("name", "项目名称"),
                ("villages", "实施村(社区)"),
                ("type", "项目类型"),
                ("start_year", "立项年度"),
                ("investment", "总投资(万元)"),
                ("status", "建设状态"),
                ("income", "当年收益(万元)"),
            ],
            "搜索项目、村(社区)、合作主体",
            village_filter=False,
            new_label="新增扶持项目",
            filters=(
                ("type", "全部类型", names_of("project_type")),
                ("status", "全部建设状态", names_of("project_status")),
            ),
        )
        self.projects.open_record.connect(self.open_project)
        self.projects.new_button.clicked.connect(lambda: self.open_project(None))
        self.trainings = ListPage(
            "培训",
            [
                ("title", "培训名称"),
                ("program", "培训类别"),
                ("dates", "日期"),
                ("sessions", "期数"),
                ("attendances", "人次"),
                ("attendees", "登记参训干部"),
                ("organizer", "主办单位"),
            ],
            "搜索培训名称、类别、主办单位",
            village_filter=False,
            new_label="新增培训",
            filters=(("program", "全部类别", names_of("training_program")),),
        )
        self.trainings.open_record.connect(self.open_training)
        self.trainings.new_button.clicked.connect(lambda: self.open_training(None))
        self.economy = EconomyPage()
        self.economy.model.changed.connect(self.refresh_findings)
        self.findings = FindingsPage()
        self.findings.explained.connect(self.refresh_year)
        self.findings.jump.connect(self.open_finding)
        self.export_page = ExportPage(self.jobs)
        self.export_page.refused.connect(self.refresh_findings)
        self.export_page.jump.connect(self.open_finding)
        self.import_page = ImportPage(self.jobs, self.db_path.parent)
        self.import_page.imported.connect(self.refresh_year)
        self.merge_page = MergePage()
        self.settings = SettingsPage(self.db_path)
        self.settings.font_size.currentTextChanged.connect(self.scale_fonts)
        self.settings.moved.connect(lambda _path: self.close())
        self.help = HelpPage()
        self.recycle = RecycleBinPage()
        self.recycle.restored.connect(self.refresh_year)
        self.backups = BackupPage(self.db_path)
        self.backups.restored.connect(self.reload)
        for page in (
            self.villages,
            self.organizations,
            self.cadres,
            self.projects,
            self.trainings,
        ):
            page.delete_button = page.add_button("删除所选")
            page.delete_button.setToolTip("Delete 键")
            page.delete_button.clicked.connect(
                lambda _=False, page=page: self.delete_selected(page)
            )
        for page in (
            self.overview,
            self.villages,
            self.organizations,
            self.cadres,
            self.economy,
            self.projects,
            self.trainings,
            self.findings,
            self.export_page,
            self.import_page,
            self.merge_page,
            self.recycle,
            self.backups,
            self.settings,
            self.help,
        ):
            self.pages.addWidget(page)
        self.nav.currentRowChanged.connect(self.fill_page)
        self.nav.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.nav.setCurrentRow(0)
        body.addWidget(self.pages, 1)
        column.addLayout(body, 1)
        return main

    # -- data ------------------------------------------------------------------------------
    def reload(self) -> None:
        from db.connection import init_db, township
        from db.fresh import is_empty_database
        from db.years import years

        if not self.db_path.exists() and not self.db_path.parent.exists():
            self.problem.setText(
                f"找不到数据文件夹 {self.db_path.parent}\n\n"
                "如果数据放在U盘或移动硬盘上，请插好后重新打开程序。"
            )
            self.rescue_button.setVisible(False)
            self.outer.setCurrentWidget(self.problem_page)
            return
        if is_empty_database(self.db_path):  # no township yet (or left by an old crash)
            if self.setup is None:
                from desktop.ui.setup_page import SetupPage

                self.setup = SetupPage(self.db_path)
                self.setup.done.connect(self.reload)
                self.outer.addWidget(self.setup)
            self.outer.setCurrentWidget(self.setup)
            return
        try:
            init_db(self.db_path)
            place = township()
        except UserError as exc:
            from db.backup import newest_good_backup

            self.good_backup = newest_good_backup(self.db_path.parent / "backups")
            self.problem.setText(f"无法打开数据库\n\n{exc.message}")
            self.rescue_button.setVisible(self.good_backup is not None and "已损坏" in exc.message)
            self.outer.setCurrentWidget(self.problem_page)
            return
        if not self.take_daily_backup():
            return
        self.check_integrity()
        self.scale_fonts(get_setting(FONT_SETTING, "标准"))
        self.setWindowTitle(f"{APP_NAME} — {place.county}{place.name}")
        self.heading.setText(f"{place.prefecture} {place.county} {place.name}")
        self.year_box.blockSignals(True)
        self.year_box.clear()
        self.year_box.addItems([str(y) for y in reversed(years())])
        self.year_box.blockSignals(False)
        self.outer.setCurrentWidget(self.main_page)
        self.refresh_year()

    def scale_fonts(self, label: str) -> None:
        apply_font_size(label)
        style = window_style(FONT_SIZES.get(label, 10))
        if style != self.styleSheet():  # restyling every widget costs; only when it changes
            self.setStyleSheet(style)
        for table in self.findChildren(QTableView):  # wider letters need wider columns
            fit_columns(table)

    def closeEvent(self, event):  # noqa: N802 (Qt's name)
        """Closing while work runs would cut it short: wait for it, telling the clerk."""
        if self.jobs.running or self.merge_page.running:
            QMessageBox.information(self, APP_NAME, "正在处理数据，请等它完成后再关闭。")
            event.ignore()
            return
        super().closeEvent(event)

    def show_progress(self, text: str, percent: int) -> None:
        self.busy_text.setText(text)
        self.busy_bar.setValue(percent)

    def show_busy(self, busy: bool) -> None:
        """The status bar shows long work while it runs (and nothing otherwise)."""
        self.statusBar().setVisible(busy)
        if not busy:
            self.show_progress("", 0)

    def restore_newest_backup(self) -> None:
        """The damaged file is kept aside (never overwritten in place) and the newest good
        backup takes its place."""
        from db.backup import restore_backup
        from db.models import now

        backup = self.good_backup
        if (
            backup is None
            or QMessageBox.question(
                self,
                APP_NAME,
                f"用 {backup.taken_at:%Y-%m-%d %H:%M} 的备份（{backup.township}，"
                f"年度 {'、'.join(map(str, backup.years))}）恢复？损坏的文件会另存留底。",
            )
            != QMessageBox.Yes
        ):
            return
        kept = self.db_path.with_name(f"township-damaged-{now():%Y%m%d-%H%M%S}.sqlite3")
        for suffix in ("", "-wal", "-shm"):  # its journal goes with it: nothing is lost
            if Path(f"{self.db_path}{suffix}").exists():
                Path(f"{self.db_path}{suffix}").replace(f"{kept}{suffix}")
        try:
            restore_backup(backup.path, self.db_path)
        except UserError as exc:
            QMessageBox.warning(self, APP_NAME, exc.message)
            return
        self.reload()

    def take_daily_backup(self) -> bool:
        """The day's backup (verified by the full check); False if the database itself
        turned out damaged (then the window shows that instead of the data)."""
        from db.backup import daily_backup

        try:
            daily_backup(self.db_path)
        except DamagedDatabase as exc:
            self.show_damage(exc.message)
            return False
        except UserError as exc:
            QMessageBox.warning(self, APP_NAME, f"今天的自动备份没有成功：{exc.message}")
        return True

    def check_integrity(self) -> None:
        """The full integrity check (an index that disagrees with its table passes the
        quick check at start) on a reader thread: the window is usable meanwhile."""
        from db.backup import backup_folder
        from db.integrity import damage_report, full_check

        path = self.db_path

        def work(_progress):
            problem = full_check(path)
            return damage_report(path, problem, backup_folder(path)) if problem else None

        self.integrity.start(work, self.integrity_checked, lambda _message: None)

    def integrity_checked(self, damage: str | None) -> None:
        if damage:
            self.show_damage(damage)

    def show_damage(self, message: str) -> None:
        """A damaged database: no more work is built on it; the newest good backup is
        named and one click away."""
        from db.backup import backup_folder, newest_good_backup
        from db.connection import close_db

        self.good_backup = newest_good_backup(backup_folder(self.db_path))
        close_db()
        self.problem.setText(f"数据库已损坏，请先恢复再继续工作\n\n{message}")
        self.rescue_button.setVisible(self.good_backup is not None)
        self.outer.setCurrentWidget(self.problem_page)
        QMessageBox.warning(self, APP_NAME, message)

    def current_page_title(self) -> str:
        """What the clerk was looking at (for the message of an unexpected failure)."""
        if self.outer.currentWidget() is self.main_page:
            return NAV[max(self.nav.currentRow(), 0)]
        return "数据库已损坏" if self.outer.currentWidget() is self.problem_page else "开始"

    def refresh_year(self) -> None:
        self.show_year(self.year_box.currentText())

    def show_year(self, text: str) -> None:
        if not text:
            return
        from db.statistics import key_figures_of
        from desktop.forms import economy_grid
        from desktop.lists import (
            cadre_rows,
            organization_rows,
            project_rows,
            training_rows,
            village_rows,
        )

        year = int(text)
        self.year, self._data = year, None
        self.overview.show_figures(key_figures_of(self.data))

        def names() -> list[str]:
            return [v.name for v in self.data.villages]

        # pages are filled when first shown: start-up does only what the first page needs
        self.fillers = {
            self.villages: lambda: self.villages.set_rows(village_rows(self.data), names()),
            self.organizations: lambda: self.organizations.set_rows(
                organization_rows(self.data), names()
            ),
            self.cadres: lambda: self.cadres.set_rows(cadre_rows(self.data), names()),
            self.economy: lambda: self.economy.show_year(
                year, economy_grid.grid_rows(self.data), self.economy_rows
            ),
            self.projects: lambda: self.projects.set_rows(project_rows(self.data), names()),
            self.trainings: lambda: self.trainings.set_rows(training_rows(self.data), names()),
            self.export_page: lambda: self.export_page.load(year),
            self.import_page: lambda: self.import_page.load(year),
            self.recycle: self.recycle.load,
            self.backups: self.backups.load,
            self.settings: self.settings.load,
            self.help: self.help.load,
        }
        self.fill_page(self.pages.currentIndex())
        self.show_checking(year)
        if self.painted:
            self.year_shown()

    def year_shown(self) -> None:
        """What waits until the window is painted: the charts and the 审核 rules."""
        self.overview.charts.show_year(self.data)
        self.check_year(self.data)

    @property
    def data(self):
        """The shown year's data, loaded when first needed (None before any year)."""
        from db.year_data import load_year_data
        from db.years import resolve_year

        if self._data is None and self.year is not None:
            self._data = load_year_data(resolve_year(self.year))
        return self._data

    def fill_page(self, index: int) -> None:
        filler = getattr(self, "fillers", {}).pop(self.pages.widget(index), None)
        if filler is not None:
            filler()

    def economy_rows(self) -> list[dict]:
        from db.year_data import load_year_data
        from db.years import resolve_year
        from desktop.forms import economy_grid

        return economy_grid.grid_rows(
            load_year_data(resolve_year(int(self.year_box.currentText())))
        )

    def refresh_findings(self) -> None:
        """After an edit in the grid: the 审核 page and the overview follow."""
        from db.statistics import key_figures_of

        self._data = None  # the figures and the charts (income bands) follow the edit
        self.overview.show_figures(key_figures_of(self.data))
        self.overview.charts.show_year(self.data)
        self.check_year(None)

    def check_year(self, data) -> None:
        """Run the 审核 rules on the reader thread: the window is usable at once and the
        counts follow a moment later. `data` is the year just loaded (None: load afresh)."""
        from desktop.checks import run_checks

        self.check_generation += 1
        generation, year = self.check_generation, self.data.year
        self.show_checking(year)
        self.checker.start(
            lambda _progress: (
                generation,
                year,
                run_checks(year) if data is None else run_checks(data=data),
            ),
            self.checks_arrived,
            self.checks_failed,
        )

    def checks_failed(self, message: str) -> None:
        self.checks_pending = False
        self.nav.item(NAV.index("审核")).setText("审核（未完成）")
        self.overview.summary.setText(f"审核没有完成：{message}")
        QMessageBox.warning(self, APP_NAME, f"审核没有完成：{message}")

    def show_checking(self, year: int) -> None:
        self.checks_pending = True
        self.nav.item(NAV.index("审核")).setText("审核（…）")
        self.overview.summary.setText(f"{year} 年度审核中……")

    def paintEvent(self, event):  # noqa: N802 (Qt's name)
        super().paintEvent(event)
        if not self.painted:
            self.painted = True
            if self.year is not None:
                QTimer.singleShot(0, self.year_shown)

    def checks_arrived(self, result) -> None:
        generation, year, findings = result
        if generation != self.check_generation:
            return  # a later edit or year switch has asked again
        self.checks_pending = False
        self.show_checks(year, findings)
        self.checked.emit(year)

    def show_checks(self, year: int, findings) -> None:
        from desktop.checks import blocking

        errors = len(blocking(findings))
        self.findings.set_findings(year, findings)
        self.export_page.show_blocking(blocking(findings))
        self.overview.show_summary(errors, len(findings) - errors, year)
        self.nav.item(NAV.index("审核")).setText(
            f"审核（{errors} 强制）" if errors else f"审核（{len(findings)}）"
        )

    def start_new_year(self) -> None:
        from db.years import carry_forward, years

        latest = max(years())
        data = self.data
        message = (
            f"将从 {latest} 年度结转出 {latest + 1} 年度：\n"
            f"· 村(社区) {len(data.villages)} 个及其村民小组、户数、人口\n"
            f"· 党组织及其党员人数、创建情况（分类定级、软弱涣散需重新评定）\n"
            f"· 扶持项目及其建设状态（收益需重新填写）\n"
            f"· 干部按任职时间自动延续\n"
            f"{latest} 年度的数据不会改动。确定开始吗？"
        )
        if QMessageBox.question(self, APP_NAME, message) != QMessageBox.Yes:
            return
        self.new_year_button.setEnabled(False)
        self.jobs.start(
            lambda progress: carry_forward(latest, progress=progress),
            self.year_started,
            self.year_failed,
        )

    def remove_newest_year(self) -> None:
        """A year opened by mistake goes again, while nothing was entered in it."""
        from db.years import removal_refusal, remove_year, years

        have = years()
        newest = have[-1]
        refusal = removal_refusal(newest)
        if refusal:
            QMessageBox.warning(self, APP_NAME, refusal)
            return
        message = (
            f"将删除 {newest} 年度（其中还没有录入任何数据），回到 {have[-2]} 年度。\n"
            "删除前会自动备份。确定删除吗？"
        )
        if QMessageBox.question(self, APP_NAME, message) != QMessageBox.Yes:
            return
        try:
            remove_year(newest)
        except UserError as exc:
            QMessageBox.warning(self, APP_NAME, exc.message)
            return
        self.reload()
        self.year_box.setCurrentText(str(max(years())))

    def year_started(self, _counts) -> None:
        from db.years import years

        self.new_year_button.setEnabled(True)
        self.reload()
        self.year_box.setCurrentText(str(max(years())))

    def year_failed(self, message: str) -> None:
        self.new_year_button.setEnabled(True)
        QMessageBox.warning(self, APP_NAME, message)

    DELETE_WHAT = {
        "村(社区)": (
            "village",
            "name",
            "及其年度情况和集体经济（其党组织、干部保留，但不再属于该村）",
        ),
        "党组织": ("organization", "name", "及其年度情况（下属党组织和干部保留）"),
        "干部": ("cadre", "name", "及其任职记录"),
        "扶持项目": ("project", "name", "及其年度情况"),
        "培训": ("training", "title", "及其参训登记"),
    }

    def delete_selected(self, page: ListPage) -> None:
        """Delete asks once, then moves the record (and what it owns) to the 回收站."""
        from db import records
        from db.recycle import move_to_bin

        title = NAV[self.pages.indexOf(page)]
        table, name_key, owned = self.DELETE_WHAT[title]
        row = page.selected_row()
        if row is None:
            QMessageBox.information(self, APP_NAME, f"请先选中要删除的{title}。")
            return
        question = f"删除{title}“{row[name_key]}”{owned}？删除后可在回收站恢复。"
        if QMessageBox.question(self, APP_NAME, question) != QMessageBox.Yes:
            return
        try:
            move_to_bin(getattr(records, table)(row["id"]))
        except UserError as exc:
            QMessageBox.warning(self, APP_NAME, exc.message)
            return
        self.refresh_year()

    def open_finding(self, finding) -> None:
        """From 审核 to the record: its row selected in its list and its form open at the
        field (the income grid is itself the form of the collective economy)."""
        if finding.table == "cadre":
            self.open_cadre(finding.record_id, focus=finding.field)
            return
        if finding.table == "collective_economy":
            self.nav.setCurrentRow(NAV.index("集体经济"))
            self.economy.select_village(finding.label)
            return
        village_ids = {v.name: v.id for v in self.data.villages}
        targets = {
            "organization": (self.organizations, finding.record_id, self.open_organization),
            "village": (self.villages, finding.record_id, self.open_village),
            "village_year": (self.villages, village_ids.get(finding.label), self.open_village),
            "project": (self.projects, finding.record_id, self.open_project),
            "training": (self.trainings, finding.record_id, self.open_training),
        }
        page, record_id, open_form = targets.get(finding.table, (None, None, None))
        if page is None or record_id is None:
            QMessageBox.information(self, APP_NAME, f"{finding.label}：{finding.message}")
            return
        self.nav.setCurrentRow(self.pages.indexOf(page))
        page.select_id(record_id)
        open_form(record_id, focus=finding.field)

    # the forms are imported when first opened: start-up does not pay for them
    def open_village(self, village_id: int | None, focus: str = "") -> None:
        from db.connection import township
        from desktop.ui.village_dialog import VillageDialog

        code = township().division_code
        self.open_form(VillageDialog(village_id, self.data.year, code, self), focus)

    def open_project(self, project_id: int | None, focus: str = "") -> None:
        from desktop.ui.project_dialog import ProjectDialog

        villages = [(v.id, v.name) for v in self.data.villages]
        self.open_form(ProjectDialog(project_id, self.data.year, villages, self), focus)

    def open_organization(self, org_id: int | None, focus: str = "") -> None:
        from desktop.ui.organization_dialog import OrganizationDialog

        villages = [(v.id, v.name) for v in self.data.villages]
        self.open_form(OrganizationDialog(org_id, self.data.year, villages, self), focus)

    def open_training(self, training_id: int | None, focus: str = "") -> None:
        from desktop.ui.training_dialog import TrainingDialog

        self.open_form(TrainingDialog(training_id, self.data.year, self), focus)

    def open_form(self, dialog, focus: str) -> None:
        dialog.focus_field(focus)
        if dialog.exec():
            self.refresh_year()

    def open_cadre(self, cadre_id: int | None, focus: str = "") -> None:
        from desktop.ui.cadre_dialog import CadreDialog

        villages = [(v.id, v.name) for v in self.data.villages] if self.data else []
        dialog = CadreDialog(cadre_id, villages, self)
        dialog.focus_field(focus)
        dialog.exec()
        if dialog.changed:  # the cadre, a post or an enrolment was saved
            self.refresh_year()
