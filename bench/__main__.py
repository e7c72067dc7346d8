"""`python -m bench [NAME ...]`: time the program's heavy paths against same-run baselines.

The machine is shared and noisy, so every figure is a ratio to a baseline measured in the
same run, on the same data: the medians of a few repeats of each.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def median_seconds(action: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def report(name: str, ours: float, baseline: float, baseline_name: str, target: str) -> None:
    print(
        f"{name}: {ours:.2f} s; baseline ({baseline_name}) {baseline:.2f} s; "
        f"ratio {ours / baseline:.2f}× (target {target})"
    )


def large_sample(folder: Path, scale: str = "large") -> Path:
    from db.connection import DB_FILENAME
    from desktop.sample_data import generate_sample

    path = folder / scale / DB_FILENAME
    start = time.perf_counter()
    generate_sample(path, scale=scale)
    print(f"sample '{scale}' generated in {time.perf_counter() - start:.2f} s")
    return path


def bench_export(folder: Path) -> None:
    """Export of the `large` sample vs openpyxl write-only dumping the same cells unstyled."""
    from openpyxl import Workbook

    from db.connection import init_db
    from desktop.reports.export import build_workbook

    init_db(large_sample(folder))
    out = folder / "report.xlsx"

    def ours():
        wb, *_ = build_workbook()
        wb.save(out)

    values = {
        ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in build_workbook()[0]
    }

    def baseline():
        wb = Workbook(write_only=True)
        for title, rows in values.items():
            ws = wb.create_sheet(title)
            for row in rows:
                ws.append(row)
        wb.save(folder / "baseline.xlsx")

    ours_s = median_seconds(ours)
    base_s = median_seconds(baseline)
    report(
        "export (large)",
        ours_s,
        base_s,
        "openpyxl write-only, same cells, no styles",
        "≤ 3×, and well under 5 s",
    )


def bench_checks(folder: Path) -> None:
    """审核 of the `large` sample vs loading the year's data alone."""
    from db.connection import init_db
    from db.year_data import load_year_data
    from db.years import resolve_year
    from desktop.checks import run_checks

    init_db(large_sample(folder))
    ours_s = median_seconds(run_checks)
    base_s = median_seconds(lambda: load_year_data(resolve_year()))
    report("checks (large)", ours_s, base_s, "loading the year's data", "≤ 3×")


def roster_file(folder: Path, rows: int = 3000) -> Path:
    from desktop.sample_data import sample_roster

    return sample_roster(folder / "roster.xlsx", rows)


def bench_import(folder: Path) -> None:
    """Import of a 3,000-row roster into a new township vs openpyxl read-only reading it."""
    import shutil

    from openpyxl import load_workbook

    from db.connection import DB_FILENAME, close_db
    from db.township import create_township
    from db.years import create_year
    from desktop.imports.run import run_import
    from desktop.sample_data import ROSTER_VILLAGES

    path = roster_file(folder)
    empty = folder / "empty" / DB_FILENAME
    create_township(
        empty,
        prefecture="楚雄彝族自治州",
        county="双柏县",
        name="妥甸镇",
        division_code="532322100000",
    )
    create_year(2025)
    close_db()

    def ours():
        target = folder / "run"
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir()
        shutil.copyfile(empty, target / DB_FILENAME)
        run_import([path], target, new_villages=ROSTER_VILLAGES)
        close_db()

    def baseline():
        wb = load_workbook(path, read_only=True)
        for _ in wb.active.iter_rows(values_only=True):
            pass
        wb.close()

    report(
        "import 3,000-row roster",
        median_seconds(ours),
        median_seconds(baseline),
        "openpyxl read-only reading the same file",
        "≤ 2×",
    )


def township_workbooks(folder: Path, count: int, scale: str) -> Path:
    """`count` sample townships of one county, each exported to one inbox folder."""
    from db.connection import DB_FILENAME, close_db, init_db
    from desktop.reports.export import export_report
    from desktop.sample_data import generate_sample

    inbox = folder / "inbox"
    inbox.mkdir()
    start = time.perf_counter()
    for n in range(count):
        db = folder / f"t{n}" / DB_FILENAME
        generate_sample(
            db, scale=scale, seed=n + 1, township=f"样本{n + 1}镇", code=f"532322{100 + n:03d}000"
        )
        close_db()
        init_db(db)
        export_report(inbox / f"样本{n + 1}镇.xlsx")
        close_db()
    print(f"{count} '{scale}' township workbooks made in {time.perf_counter() - start:.1f} s")
    return inbox


def _read_only_baseline(inbox: Path) -> Callable[[], None]:
    from openpyxl import load_workbook

    def read_all():
        for path in sorted(inbox.glob("*.xlsx")):
            wb = load_workbook(path, read_only=True)
            for ws in wb.worksheets:
                ws.reset_dimensions()
                for _ in ws.iter_rows(values_only=True):
                    pass
            wb.close()

    return read_all


def _merge(folder: Path, count: int, scale: str, title: str, target: str) -> None:
    from desktop.merge.county import merge_workbooks

    inbox = township_workbooks(folder, count, scale)
    ours = median_seconds(lambda: merge_workbooks([inbox], folder / "county.xlsx"), repeat=1)
    base = median_seconds(_read_only_baseline(inbox), repeat=1)
    report(title, ours, base, "openpyxl read-only reading the same files", target)


def bench_merge(folder: Path) -> None:
    """Merging 20 `large` township workbooks vs openpyxl read-only reading the same files."""
    _merge(folder, 20, "large", "merge 20 large townships", "as low as possible")


def bench_prefecture(folder: Path) -> None:
    """A prefecture: 100 `township`-scale workbooks merged (target: under a minute)."""
    _merge(folder, 100, "township", "merge 100 townships (prefecture)", "under 60 s")


# Both arms stop right after the first paint (os._exit): the time measured is the cold
# start to a painted, usable window, not the tear-down of the process.
STARTUP = """
import os
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
if sys.argv[1] == "bare":
    window = QMainWindow()
else:
    from pathlib import Path
    from desktop.ui.main_window import MainWindow
    window = MainWindow(Path(sys.argv[1]))
window.show()
app.processEvents()
os._exit(0)
"""


def bench_startup(folder: Path) -> None:
    """Cold start to a usable main window on the `large` sample vs a bare QMainWindow."""
    import os
    import subprocess

    db = large_sample(folder)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}

    def start(arg: str):
        return lambda: subprocess.run([sys.executable, "-c", STARTUP, arg], env=env, check=True)

    start(str(db.parent))()  # the day's backup is taken on the first start, not timed
    report(
        "start-up (large)",
        median_seconds(start(str(db.parent)), repeat=5),
        median_seconds(start("bare"), repeat=5),
        "bare QMainWindow start",
        "≤ 4×, under 1.5 s",
    )


def bench_filter(folder: Path) -> None:
    """Filtering the cadre list of the `huge` sample, per keystroke, vs listing it unfiltered."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from db.connection import init_db
    from db.year_data import load_year_data
    from db.years import resolve_year
    from desktop.lists import cadre_rows
    from desktop.ui.table_model import RowTableModel

    app = QApplication.instance() or QApplication([])  # noqa: F841
    init_db(large_sample(folder, "huge"))
    rows = cadre_rows(load_year_data(resolve_year()))
    model = RowTableModel([("name", "姓名")])
    model.set_rows(rows)
    keystrokes = ["z", "zs", "zsm", "李", "5323", "53232", "138", "1385"]

    def typing():
        for text in keystrokes:
            model.set_query(text)
        model.set_query("")

    per_key = median_seconds(typing) / (len(keystrokes) + 1)
    base = median_seconds(lambda: model.set_query(""))
    print(
        f"filter {len(rows)} cadres: {per_key * 1000:.1f} ms per keystroke; baseline "
        f"(showing all rows) {base * 1000:.1f} ms; ratio {per_key / base:.2f}× (target < 50 ms)"
    )


def bench_form(folder: Path) -> None:
    """Opening the cadre form (with posts and history) on the `large` sample vs a bare dialog."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QDialog

    from db.connection import init_db
    from desktop.ui.cadre_dialog import CadreDialog

    app = QApplication.instance() or QApplication([])
    init_db(large_sample(folder))
    villages = [(n, f"村{n}") for n in range(1, 41)]

    def ours():
        dialog = CadreDialog(100, villages)
        dialog.show()
        app.processEvents()
        dialog.close()

    def bare():
        dialog = QDialog()
        dialog.show()
        app.processEvents()
        dialog.close()

    ours()  # first use loads the code tables
    form, base = median_seconds(ours, 7), median_seconds(bare, 7)
    print(
        f"open the cadre form: {form * 1000:.1f} ms; baseline (a bare QDialog) "
        f"{base * 1000:.1f} ms; ratio {form / base:.0f}× (target under 100 ms)"
    )


def bench_restore(folder: Path) -> None:
    """Our `large` workbook restored by identity into an existing database of the township
    (re-installed: three cadres typed, ids all shifted) vs restored into an empty folder."""
    import datetime as dt
    import shutil

    from stdnum.cn import ric

    from db.connection import DB_FILENAME, close_db
    from db.models import Cadre
    from db.township import create_township
    from db.years import create_year
    from desktop.imports.run import run_import
    from desktop.reports.export import export_report

    large_sample(folder)
    from db.connection import init_db

    init_db(folder / "large" / DB_FILENAME)
    workbook = export_report(folder / "out").path
    close_db()
    existing = folder / "existing" / DB_FILENAME
    create_township(
        existing,
        prefecture="楚雄彝族自治州",
        county="双柏县",
        name="妥甸镇",
        division_code="532322100000",
    )
    create_year(2025)
    for n in range(3):
        body = f"5323221990010{n}00"[:17]
        Cadre.create(
            name=f"新录{n}",
            gender="1",
            ethnicity="01",
            id_number=body + ric.calc_check_digit(body + "0"),
            birth_date=dt.date(1990, 1, 1),
            political_status="01",
        )
    close_db()

    def restore(into: Path | None):
        target = folder / "run"
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir()
        if into is not None:
            shutil.copyfile(into, target / DB_FILENAME)
        run_import([workbook], target)
        close_db()

    ours = median_seconds(lambda: restore(existing))
    baseline = median_seconds(lambda: restore(None))
    report(
        "restore large into an existing database",
        ours,
        baseline,
        "into an empty folder",
        "a few seconds",
    )


BENCHES = {
    "export": bench_export,
    "checks": bench_checks,
    "import": bench_import,
    "restore": bench_restore,
    "merge": bench_merge,
    "prefecture": bench_prefecture,
    "startup": bench_startup,
    "filter": bench_filter,
    "form": bench_form,
}


def main(names: list[str]) -> int:
    for name in names or list(BENCHES):
        with tempfile.TemporaryDirectory() as folder:
            BENCHES[name](Path(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
