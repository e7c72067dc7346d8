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


BENCHES = {"export": bench_export, "checks": bench_checks}


def main(names: list[str]) -> int:
    for name in names or list(BENCHES):
        with tempfile.TemporaryDirectory() as folder:
            BENCHES[name](Path(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
