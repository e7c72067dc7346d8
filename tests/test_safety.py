"""Nothing is ever lost: backups, restore, damaged files, a second start, the history."""

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from db.backup import (
    describe_backup,
    integrity_problem,
    list_backups,
    restore_backup,
    rotate,
    safety_backup,
)
from db.connection import DB_FILENAME, close_db, init_db
from db.dump import dump_rows
from db.errors import UserError
from db.models import Cadre
from desktop.cli import main
from desktop.instance_lock import InstanceLock


def test_backup_change_restore_gives_back_exactly_what_was_backed_up(sample, data_dir):
    path = sample("small")
    before = dump_rows()
    backup = safety_backup("manual")
    assert integrity_problem(backup) is None
    cadre = Cadre.select().first()
    cadre.phone = "13999999999"
    cadre.save()
    Cadre.get_by_id(2).delete_instance(recursive=True)
    kept = restore_backup(backup, path)
    assert dump_rows() == before
    assert kept is not None and "before-restore" in kept.name
    close_db()
    init_db(kept)
    assert Cadre.get_by_id(1).phone == "13999999999"  # the state before the restore, kept


def test_a_backup_says_what_it_holds(sample):
    sample("small")
    info = describe_backup(safety_backup("manual"))
    assert info.ok and info.township == "妥甸镇" and info.years == [2024, 2025]
    assert info.counts["village"] == 3 and info.counts["cadre"] == Cadre.select().count()
    assert "妥甸镇" in info.line() and "KB" in info.line()


def test_rotation_keeps_days_weeks_and_months(tmp_path):
    start = dt.datetime(2026, 11, 23, 9, 0)
    for days in range(400):
        when = start - dt.timedelta(days=days)
        (tmp_path / f"township-{when:%Y%m%d-%H%M%S}-daily.sqlite3").write_bytes(b"x")
    rotate(tmp_path)
    kept = sorted(p.name[9:17] for p in tmp_path.iterdir())
    assert len(kept) <= 10 + 7 + 4 + 12
    assert "20261123" in kept and "20261114" in kept  # the newest ten days
    months = {name[:6] for name in kept}
    assert len(months) == 12 + 1 or len(months) == 12  # a year of months
    assert min(kept) >= "20251101"


def test_the_day_s_automatic_backup_is_taken_once(sample, data_dir):
    sample("small")
    close_db()
    for _ in range(3):
        assert main(["stats", "--data-dir", str(data_dir)]) == 0
    daily = [b for b in list_backups(data_dir / "backups") if b.reason == "daily"]
    assert len(daily) == 1 and daily[0].ok


def test_a_damaged_database_is_never_overwritten_and_the_newest_good_backup_offered(
    sample, data_dir
):
    path = sample("small")
    good = safety_backup("manual")
    close_db()
    data = bytearray(path.read_bytes())
    for offset in range(4096 * 2, len(data) - 4096, 4096 * 3):
        data[offset : offset + 64] = os.urandom(64)  # a power cut tore these pages' headers
    path.write_bytes(bytes(data))
    damaged = path.read_bytes()
    with pytest.raises(UserError) as refused:
        init_db(path)
    assert "已损坏" in refused.value.message and str(good) in refused.value.message
    assert path.read_bytes() == damaged
    assert main(["restore", "--data-dir", str(data_dir), "--yes", str(good)]) == 0
    init_db(path)
    assert Cadre.select().count() > 0


def test_restore_without_a_terminal_asks_for_yes_and_changes_nothing(sample, data_dir):
    sample("small")
    backup = safety_backup("manual")
    close_db()
    before = (data_dir / DB_FILENAME).read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "restore", "--data-dir", str(data_dir), str(backup)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and "请加 --yes" in result.stderr
    assert (data_dir / DB_FILENAME).read_bytes() == before


def test_restore_asks_at_a_terminal(sample, data_dir, monkeypatch, capsys):
    sample("small")
    backup = safety_backup("manual")
    close_db()
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    answers = iter(["不", "是"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    assert main(["restore", "--data-dir", str(data_dir), str(backup)]) == 1
    assert "已取消" in capsys.readouterr().out
    assert main(["restore", "--data-dir", str(data_dir), str(backup)]) == 0
    assert "已恢复" in capsys.readouterr().out


def test_a_broken_backup_is_refused(sample, data_dir, tmp_path):
    sample("small")
    fake = tmp_path / "township-20260101-000000-manual.sqlite3"
    fake.write_bytes(b"not sqlite" * 100)
    with pytest.raises(UserError, match="不能用于恢复"):
        restore_backup(fake, data_dir / DB_FILENAME)
    assert Cadre.select().count() > 0


def test_one_program_per_data_folder_and_a_crash_leaves_no_stuck_lock(tmp_path):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from desktop.instance_lock import InstanceLock; "
            f"lock = InstanceLock(r'{tmp_path}'); lock.acquire(); print('held', flush=True); "
            "time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(UserError, match="已经打开"):
        InstanceLock(tmp_path).acquire()
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    lock = InstanceLock(tmp_path)
    lock.acquire()  # the dead process's lock died with it
    lock.release()


def test_the_change_history_is_visible_and_exportable(sample, data_dir, capsys):
    sample("small")
    cadre = Cadre.select().first()
    cadre.phone = "13700000000"
    cadre.save()
    close_db()
    assert (
        main(
            ["history", "--data-dir", str(data_dir), "--table", "cadre", "--record", str(cadre.id)]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "修改" in out and "联系电话" in out and "13700000000" in out
    target = data_dir / "记录.xlsx"
    assert main(["history", "--data-dir", str(data_dir), "-o", str(target)]) == 0
    rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("时间", "表", "记录", "操作")
    assert any(r[4] == "联系电话" and r[6] == "13700000000" for r in rows)


def test_a_read_only_data_folder_gets_one_clear_message(sample, data_dir, tmp_path):
    sample("small")
    close_db()
    mount = tmp_path / "只读"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True
    )
    if made.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        (mount / DB_FILENAME).write_bytes((data_dir / DB_FILENAME).read_bytes())
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        before = (mount / DB_FILENAME).read_bytes()
        result = subprocess.run(
            [sys.executable, "-m", "desktop", "stats", "--data-dir", str(mount)],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert "只读" in result.stderr or "不可写" in result.stderr
        assert (mount / DB_FILENAME).read_bytes() == before
    finally:
        subprocess.run(["umount", str(mount)])


def test_backups_list_from_the_command_line(sample, data_dir, capsys):
    sample("small")
    close_db()
    assert main(["backup", "--data-dir", str(data_dir)]) == 0
    made = Path(capsys.readouterr().out.strip())
    assert made.exists() and integrity_problem(made) is None
    assert main(["backups", "--data-dir", str(data_dir)]) == 0
    assert "妥甸镇" in capsys.readouterr().out
    copy = sqlite3.connect(made)
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    copy.close()


def test_the_windows_lock_path(tmp_path, monkeypatch):
    """On Windows the lock is msvcrt's; its branch is exercised here with a stand-in."""
    import types

    held = set()

    def locking(fd, mode, nbytes):
        name = os.readlink(f"/proc/self/fd/{fd}")
        if name in held:
            raise OSError(13, "locked")
        held.add(name)

    fake = types.SimpleNamespace(locking=locking, LK_NBLCK=2)
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    monkeypatch.setattr(sys, "platform", "win32")
    first = InstanceLock(tmp_path)
    first.acquire()
    with pytest.raises(UserError, match="已经打开"):
        InstanceLock(tmp_path).acquire()
    first.release()


def test_the_backup_folder_can_be_moved_from_the_command_line(sample, data_dir, tmp_path, capsys):
    sample("small")
    close_db()
    stick = tmp_path / "U盘"
    assert main(["backups", "--data-dir", str(data_dir), "--folder", str(stick)]) == 0
    assert str(stick) in capsys.readouterr().out
    assert main(["backup", "--data-dir", str(data_dir)]) == 0
    assert Path(capsys.readouterr().out.strip()).parent == stick
