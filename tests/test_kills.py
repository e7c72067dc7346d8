"""Proof under faults, operation by operation: kill -9 at random moments, two programs racing
for one data folder, and a full disk at every write.

Every operation (import into an empty folder and into a township, restore, new-year, backup,
export, init, demo) runs as the clerk's PC runs it, in its own process, on the small sample.
After each fault: the database passes `PRAGMA integrity_check`, holds exactly what it held
before or exactly what an uninterrupted run leaves (nothing in between), and the same
command run again succeeds. Both outcomes must really occur across the runs."""

from __future__ import annotations

import contextlib
import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from db.connection import DB_FILENAME, close_db
from db.dump import DUMP_TABLES
from desktop.cli import main
from desktop.instance_lock import LOCK_NAME
from desktop.sample_data import ROSTER_VILLAGES, generate_sample, sample_roster

pytestmark = pytest.mark.slow
MAX_RUNS = 240  # runs go on until 100 kills and both outcomes of every operation
NEW = ["--new-villages", ",".join(ROSTER_VILLAGES)]  # the roster's villages, confirmed
VOLATILE = {"created_at", "updated_at"}  # stamped with the moment of the run


def integrity(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()


def contents(path: Path) -> dict | None:
    """Every data row of the database at `path` (None if there is none)."""
    if not path.exists():
        return None
    connection = sqlite3.connect(path)
    try:
        result = {}
        for table in DUMP_TABLES:
            cursor = connection.execute(f'SELECT * FROM "{table}" ORDER BY 1')
            keep = [i for i, c in enumerate(cursor.description) if c[0] not in VOLATILE]
            result[table] = [tuple(row[i] for i in keep) for row in cursor.fetchall()]
        return result
    finally:
        connection.close()


def program(args, folder: Path, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "desktop", *args, "--data-dir", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def started(proc: subprocess.Popen, folder: Path) -> float:
    """The moment `proc` holds the data folder (its work begins), or ends."""
    marker = f"pid={proc.pid}\n"
    lock = folder / LOCK_NAME
    while proc.poll() is None:
        try:
            if marker in lock.read_text(encoding="utf-8"):
                break
        except OSError:
            pass
        time.sleep(0.002)
    return time.perf_counter()


@dataclass
class Operation:
    name: str
    args: list[str]
    prepare: object  # (folder) -> None: the data folder before the operation
    before: dict | None = None
    after: dict | None = None
    work: float = 0.0  # seconds from taking the lock to the end, uninterrupted
    once: bool = False  # done once, a repeat is refused (the year, the township exists)

    def outcome(self, folder: Path) -> bool:
        """Check what a fault left; True if the operation's change is there."""
        db = folder / DB_FILENAME
        if db.exists():
            assert integrity(db) == "ok"
        now = contents(db)
        if self.name == "backup":
            assert now == self.before
            made = [p for p in (folder / "out").glob("*") if not p.name.startswith(".")]
            for path in made:  # a backup under its real name is always complete
                assert integrity(path) == "ok" and contents(path) == self.before
            return bool(made)
        if self.name == "export":
            from desktop.imports.files import read_sheets
            from desktop.imports.plan import ImportPlan
            from desktop.imports.restore import read_payload

            assert now == self.before
            made = [p for p in (folder / "out").glob("*") if not p.name.startswith(".")]
            for path in made:  # a workbook under its real name is always complete
                read_payload(ImportPlan(path, "检查"), read_sheets(path)["_data"])
            return bool(made)
        assert now in (self.before, self.after), "neither before nor after"
        return now == self.after and self.after != self.before

    def repeat(self, folder: Path, committed: bool) -> None:
        """The same command again, as the clerk would after the crash: it succeeds."""
        close_db()
        with contextlib.chdir(folder):
            code = main([*self.args, "--data-dir", str(folder)])
        close_db()
        if self.once and committed:
            assert code == 1  # done already: refused, nothing changed
        else:
            assert code == 0
        if self.name not in ("backup", "export"):
            assert contents(folder / DB_FILENAME) == self.after
        else:
            assert [p for p in (folder / "out").glob("*") if not p.name.startswith(".")]


@pytest.fixture(scope="module")
def material(tmp_path_factory):
    base = tmp_path_factory.mktemp("kill-material")
    generate_sample(base / "small" / DB_FILENAME, scale="small")
    close_db()
    work = base / "work"
    shutil.copytree(base / "small", work)
    assert main(["export", "-o", str(base / "exported"), "--data-dir", str(work)]) == 0
    assert main(["new-year", "--data-dir", str(work)]) == 0  # a backup unlike the database
    assert main(["backup", "-o", str(base / "other.bak"), "--data-dir", str(work)]) == 0
    close_db()
    sample_roster(base / "roster.xlsx", 600)
    sample_roster(base / "roster-2.xlsx", 3000, seed=9)
    return base


def operations(material: Path) -> list[Operation]:
    def sample(folder: Path) -> None:
        folder.mkdir(parents=True)
        shutil.copyfile(material / "small" / DB_FILENAME, folder / DB_FILENAME)

    workbook = next((material / "exported").glob("*.xlsx"))
    return [
        Operation("import-empty", ["import", str(workbook)], lambda f: f.mkdir(parents=True)),
        Operation("import", ["import", str(material / "roster.xlsx"), *NEW], sample),
        Operation("restore", ["restore", "--yes", str(material / "other.bak")], sample),
        Operation("new-year", ["new-year", "--from", "2025"], sample, once=True),
        Operation("backup", ["backup", "-o", "out/"], sample),
        Operation("export", ["export", "-o", "out"], sample),
        Operation("init", INIT, lambda f: f.mkdir(parents=True), once=True),
        Operation("demo", ["demo", "--scale", "small"], lambda f: f.mkdir(parents=True), once=True),
    ]


INIT = ["init", "--prefecture", "楚雄彝族自治州", "--county", "双柏县", "--township", "妥甸镇"]
INIT += ["--code", "532322100000", "--year", "2025"]


def uninterrupted(op: Operation, folder: Path) -> None:
    op.prepare(folder)
    op.before = contents(folder / DB_FILENAME)
    proc = program(op.args, folder, cwd=folder)
    begin = started(proc, folder)
    _out, err = proc.communicate(timeout=120)
    op.work = time.perf_counter() - begin
    assert proc.returncode == 0, err
    op.after = contents(folder / DB_FILENAME)


def kill_at(op: Operation, folder: Path, moment: float) -> threading.Thread:
    """Run `op` in `folder` and kill it `moment` seconds after it took the folder, in the
    background (the previous run is checked meanwhile); `.killed` says if it was running."""

    def go() -> None:
        op.prepare(folder)
        proc = program(op.args, folder, cwd=folder)
        begin = started(proc, folder)
        delay = moment - (time.perf_counter() - begin)
        if delay > 0:
            time.sleep(delay)
        worker.killed = proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        proc.communicate()

    worker = threading.Thread(target=go)
    worker.start()
    return worker


def test_kill_9_at_random_moments_leaves_nothing_or_everything(material, tmp_path):
    rnd = random.Random(13)
    ops = operations(material)
    for op in ops:
        uninterrupted(op, tmp_path / op.name / "clean")
    tally: dict[tuple[str, bool, bool], int] = {}

    def kills() -> int:
        return sum(c for (_name, killed, _done), c in tally.items() if killed)

    def both(op) -> bool:  # a kill undid it, and it was also seen committed
        return (op.name, True, False) in tally and any(
            (op.name, k, True) in tally for k in (True, False)
        )

    def schedule(number: int):
        op = ops[number % len(ops)]  # round robin: the kills spread over every operation
        folder = tmp_path / op.name / f"run{number}"
        return op, folder, kill_at(op, folder, rnd.uniform(0, 1.3) * op.work)

    number = 0
    pending = schedule(number)
    while pending:
        op, folder, worker = pending
        worker.join()
        number += 1
        done = kills() + worker.killed >= 100 and all(both(o) for o in ops)
        pending = schedule(number) if number < MAX_RUNS and not done else None
        committed = op.outcome(folder)
        key = (op.name, worker.killed, committed)
        tally[key] = tally.get(key, 0) + 1
        op.repeat(folder, committed)
    print("kill -9 (operation, killed, committed):", sorted(tally.items()))
    assert kills() >= 100
    for op in ops:  # each operation was caught both before and after its commit
        assert both(op), (op.name, tally)


def limited(size: int):
    def apply():
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return apply


FILE_LIMITS = (6_000, 90_000)  # RLIMIT_FSIZE: no file may grow past this
FREE_SPACE = (100_000, 300_000, 450_000, 600_000, 700_000, 850_000, 20_000_000)  # on a tmpfs


@contextlib.contextmanager
def small_disk(mount: Path, free: int | None):
    """A tmpfs at `mount` with `free` bytes left once the caller's folder is in it (set by
    `shrink`), or no tmpfs at all (None)."""
    if free is None:
        yield lambda grow=False: None
        return
    mount.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount)], check=True)

    def shrink(grow: bool = False) -> None:
        stat = os.statvfs(mount)
        used = (stat.f_blocks - stat.f_bfree) * stat.f_frsize
        size = "64m" if grow else str(used + free)
        subprocess.run(["mount", "-o", f"remount,size={size}", str(mount)], check=True)

    try:
        yield shrink
    finally:
        subprocess.run(["mount", "-o", "remount,size=64m", str(mount)], check=True)
        subprocess.run(["umount", str(mount)], check=True)


def tmpfs_works(where: Path) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    made = subprocess.run(["mount", "-t", "tmpfs", "tmpfs", str(where)], capture_output=True)
    if made.returncode == 0:
        subprocess.run(["umount", str(where)], check=True)
    return made.returncode == 0


def test_a_full_disk_at_every_write_leaves_nothing_or_everything(material, tmp_path):
    """Each limit stops a different write: per file (RLIMIT_FSIZE) the lock, the daily
    backup, the first growth of the WAL; on a small tmpfs the space left runs out at the
    safety backup, the WAL, the new database, the workbook or the 待修正 file. Every run
    ends with everything (exit 0) or with nothing and one Chinese message (exit 1)."""
    make_bad_roster(material)
    ops = operations(material)

    def with_bad_roster(folder: Path) -> None:
        ops[1].prepare(folder)
        shutil.copyfile(material / "bad-roster.xlsx", folder / "bad-roster.xlsx")

    # refused rows go to a 待修正 file beside the source, written before any data
    ops.append(
        Operation(
            "import-valid-only",
            ["import", "bad-roster.xlsx", "--valid-only", *NEW],
            with_bad_roster,
        )
    )
    faults = [("file limit", size, None) for size in FILE_LIMITS]
    if tmpfs_works(tmp_path / "probe"):
        faults += [("free space", None, free) for free in FREE_SPACE]
    else:
        faults.append(("file limit", 2_000_000, None))
    for op in ops:
        uninterrupted(op, tmp_path / op.name / "clean")
        codes = set()
        for number, (kind, size, free) in enumerate(faults):
            mount = tmp_path / op.name / f"disk{number}"
            with small_disk(mount, free) as shrink:
                folder = mount / "data"
                op.prepare(folder)
                shrink()
                proc = program(
                    op.args, folder, cwd=folder, preexec_fn=limited(size) if size else None
                )
                out, err = proc.communicate(timeout=120)
                assert proc.returncode in (0, 1) and "Traceback" not in err, (op.name, err)
                codes.add(proc.returncode)
                committed = op.outcome(folder)
                print(
                    f"{kind} {size or free} {op.name}: exit {proc.returncode}, "
                    f"{'everything' if committed else 'nothing'} {err.strip()[-90:]!r}"
                )
                if proc.returncode == 1:
                    assert any("\u4e00" <= ch <= "\u9fff" for ch in err)
                    assert not committed, (op.name, size, free, err)
                else:
                    assert committed, (op.name, size, free)
                    if op.name == "export" and "没有成功" in err:  # complete, and said so
                        assert "报表已完整导出到" in err and out.strip()
                if op.name == "import-valid-only":
                    corrections = list(folder.glob("bad-roster_待修正*"))
                    assert bool(corrections) == committed, (size, free, err)
                for leftover in folder.glob(".*building*"):
                    leftover.unlink()  # what a full disk left half-built, removed next time
                shrink(grow=True)
                op.repeat(folder, committed)  # with room again: the command succeeds
        assert codes == {0, 1}, (op.name, codes)


def make_bad_roster(material: Path) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(material / "roster.xlsx")
    wb.active.cell(5, 3).value = "123"  # one wrong ID number
    wb.save(material / "bad-roster.xlsx")


def holds(folder: Path, what: str) -> str:
    try:
        return what if what in (folder / LOCK_NAME).read_text(encoding="utf-8") else ""
    except OSError:
        return ""


def wait_until_held(folder: Path, what: str, proc: subprocess.Popen) -> None:
    while not holds(folder, what):
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.005)


def backups_holding(folder: Path, cadres: int) -> list[Path]:
    found = []
    for path in (folder / "backups").glob("township-*.sqlite3"):
        connection = sqlite3.connect(path)
        try:
            if connection.execute("SELECT count(*) FROM cadre").fetchone()[0] == cadres:
                found.append(path)
        finally:
            connection.close()
    return found


def count(db: Path, sql: str) -> int:
    connection = sqlite3.connect(db)
    try:
        return connection.execute(sql).fetchone()[0]
    finally:
        connection.close()


def test_import_against_restore_loses_nothing(material, tmp_path, monkeypatch):
    ops = operations(material)
    big = str(material / "roster-2.xlsx")
    restore = ["restore", "--yes", str(material / "other.bak")]
    base = count(material / "small" / DB_FILENAME, "SELECT count(*) FROM cadre")
    restored = count(material / "other.bak", "SELECT count(*) FROM cadre")

    # the restore comes while the import runs: it waits, then restores; the imported
    # cadres are in the backup the restore kept
    monkeypatch.setenv("TOWNSHIP_DESK_LOCK_WAIT", "60")
    folder = tmp_path / "import-first"
    ops[1].prepare(folder)
    importing = program(["import", big, *NEW], folder)
    wait_until_held(folder, "命令 import", importing)
    restoring = program(restore, folder)
    assert importing.wait(timeout=120) == 0 and "导入完成" in importing.stdout.read()
    assert restoring.wait(timeout=120) == 0, restoring.stderr.read()
    assert "恢复前的数据库已另存为备份" in restoring.stdout.read()
    assert count(folder / DB_FILENAME, "SELECT count(*) FROM cadre") == restored
    assert backups_holding(folder, base + 3000)  # the 3000 imported cadres are kept

    # the other way round: the import waits for the restore and goes into what it restored
    folder = tmp_path / "restore-first"
    ops[1].prepare(folder)
    restoring = program(restore, folder)
    wait_until_held(folder, "命令 restore", restoring)
    importing = program(["import", big, *NEW], folder)
    assert restoring.wait(timeout=120) == 0 and importing.wait(timeout=120) == 0
    assert count(folder / DB_FILENAME, "SELECT count(*) FROM cadre") == restored + 3000
    assert integrity(folder / DB_FILENAME) == "ok"

    # not waiting long: the second is refused, names the first and changes nothing
    monkeypatch.setenv("TOWNSHIP_DESK_LOCK_WAIT", "0.2")
    folder = tmp_path / "refused"
    ops[1].prepare(folder)
    importing = program(["import", big, *NEW], folder)
    wait_until_held(folder, "命令 import", importing)
    restoring = program(restore, folder)
    assert restoring.wait(timeout=60) == 1
    assert "正被命令 import roster-2.xlsx（进程" in restoring.stderr.read()
    assert importing.wait(timeout=120) == 0
    assert count(folder / DB_FILENAME, "SELECT count(*) FROM cadre") == base + 3000


def test_import_against_import_keeps_both(material, tmp_path, monkeypatch):
    monkeypatch.setenv("TOWNSHIP_DESK_LOCK_WAIT", "60")
    folder = tmp_path / "both"
    operations(material)[1].prepare(folder)
    base = count(folder / DB_FILENAME, "SELECT count(*) FROM cadre")
    first = program(["import", str(material / "roster-2.xlsx"), *NEW], folder)
    wait_until_held(folder, "命令 import", first)
    second = program(["import", str(material / "roster.xlsx"), *NEW], folder)
    assert first.wait(timeout=120) == 0 and second.wait(timeout=120) == 0
    assert count(folder / DB_FILENAME, "SELECT count(*) FROM cadre") == base + 3000 + 600
    assert integrity(folder / DB_FILENAME) == "ok"


def test_the_window_against_the_command_line(material, tmp_path, monkeypatch):
    folder = tmp_path / "window"
    operations(material)[1].prepare(folder)
    before = contents(folder / DB_FILENAME)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    window = subprocess.Popen(
        [sys.executable, "-m", "desktop", "--data-dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_held(folder, "what=窗口", window)
        refused = program(["import", str(material / "roster.xlsx"), *NEW], folder)
        _out, err = refused.communicate(timeout=60)
        assert refused.returncode == 1 and f"正被窗口（进程 {window.pid}" in err
        reader = program(["stats"], folder)
        assert reader.wait(timeout=60) == 0  # reading beside the window is fine
        assert contents(folder / DB_FILENAME) == before
    finally:
        window.send_signal(signal.SIGKILL)
        window.wait()
    done = program(["import", str(material / "roster.xlsx"), *NEW], folder)
    assert done.wait(timeout=120) == 0  # the killed window's lock died with it
