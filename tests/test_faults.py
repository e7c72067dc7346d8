"""Proof under faults: power cuts, a full disk, hostile files (kill -9 at random moments,
races and a full disk at every write of every operation: tests/test_kills.py).

Each test runs the real program in a subprocess, as the clerk's PC would, and then opens
what is left on disk."""

import json
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
from pathlib import Path

import pytest

from db.connection import DB_FILENAME, close_db
from desktop.sample_data import ROSTER_VILLAGES, generate_sample, sample_roster

pytestmark = pytest.mark.slow


def integrity(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()


def query(path: Path, sql: str):
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def program(*args, folder: Path, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "desktop", *args, "--data-dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    base = tmp_path_factory.mktemp("fault-templates")
    for scale in ("township",):
        generate_sample(base / scale / DB_FILENAME, scale=scale)
        close_db()
    sample_roster(base / "roster.xlsx", 3000)
    return base


def fresh(templates: Path, scale: str, folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shutil.copyfile(templates / scale / DB_FILENAME, folder / DB_FILENAME)
    return folder / DB_FILENAME


def test_a_power_cut_at_any_moment_keeps_every_committed_change(templates, tmp_path):
    db = fresh(templates, "township", tmp_path / "live")
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"""
from db.connection import init_db
from db.models import Cadre, Setting, database
init_db(r'{db}')
for n in range(1, 401):
    with database.atomic():
        cadre = Cadre.get_by_id(1 + n % 50)
        cadre.phone = f"139{{n:08d}}"
        cadre.save()
        Setting.insert(key="counter", value=str(n)).on_conflict_replace().execute()
    print(n, flush=True)
""",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    printed: list[int] = []
    reader = threading.Thread(target=lambda: [printed.append(int(x)) for x in writer.stdout])
    reader.start()
    rnd = random.Random(4)
    snapshots = []
    while writer.poll() is None and len(snapshots) < 25:
        time.sleep(rnd.uniform(0.01, 0.08))
        writer.send_signal(signal.SIGSTOP)  # the instant of the cut
        committed = printed[-1] if printed else 0
        shot = tmp_path / f"cut{len(snapshots)}"
        shot.mkdir()
        for suffix in ("", "-wal", "-shm"):
            source = Path(str(db) + suffix)
            if source.exists():
                shutil.copyfile(source, shot / (DB_FILENAME + suffix))
        writer.send_signal(signal.SIGCONT)
        snapshots.append((shot / DB_FILENAME, committed))
    writer.wait(timeout=120)
    reader.join()
    assert len(snapshots) >= 10
    for path, committed in snapshots:
        assert integrity(path) == "ok"
        found = query(path, "SELECT value FROM setting WHERE key = 'counter'")
        counter = int(found[0][0]) if found else 0
        assert counter >= committed, (path, counter, committed)
        phone = query(path, f"SELECT phone FROM cadre WHERE id = {1 + counter % 50}")[0][0]
        assert counter == 0 or phone == f"139{counter:08d}"  # whole transactions only


def limited(size: int):
    def apply():
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return apply


def test_a_full_disk_during_an_export(templates, tmp_path):
    db = fresh(templates, "township", tmp_path / "full")
    before = query(db, "SELECT count(*) FROM cadre")
    out = tmp_path / "full" / "out"
    out.mkdir()
    proc = program("export", "-o", str(out), folder=db.parent, preexec_fn=limited(60_000))
    assert proc.wait(timeout=120) == 1
    message = proc.stderr.read()
    assert "磁盘空间不足" in message and "Traceback" not in message
    assert [p for p in out.iterdir() if not p.name.startswith(".")] == []
    assert integrity(db) == "ok" and query(db, "SELECT count(*) FROM cadre") == before


def test_a_full_disk_during_an_import(templates, tmp_path):
    db = fresh(templates, "township", tmp_path / "full")
    before = query(db, "SELECT count(*) FROM cadre")
    size = db.stat().st_size
    proc = program(
        "import",
        str(templates / "roster.xlsx"),
        "--new-villages",
        ",".join(ROSTER_VILLAGES),
        folder=db.parent,
        preexec_fn=limited(size + 150_000),
    )
    assert proc.wait(timeout=120) == 1
    message = proc.stderr.read()
    assert ("磁盘已满" in message or "磁盘空间不足" in message) and "Traceback" not in message
    assert integrity(db) == "ok" and query(db, "SELECT count(*) FROM cadre") == before


FUZZ_RUNNER = """
import json, resource, sys, time
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (3 * 1024 ** 3, 3 * 1024 ** 3))
from db.errors import UserError
from desktop.imports.run import run_import
folder = Path(sys.argv[1])
for line in sys.stdin:
    path = Path(line.strip())
    start = time.perf_counter()
    try:
        result = run_import([path], folder)
        outcome, message = "imported", result.plans[0].summary()
    except UserError as exc:
        outcome, message = "refused", exc.message
    print(json.dumps({"file": path.name, "outcome": outcome, "message": message,
                      "seconds": time.perf_counter() - start}, ensure_ascii=False), flush=True)
"""


def fuzz_cases(folder: Path, exported: Path, roster: Path, count: int) -> list[Path]:
    import zipfile

    rnd = random.Random(int(os.environ.get("FUZZ_SEED", "6")))
    folder.mkdir()
    sources = [exported.read_bytes(), roster.read_bytes()]
    cases = []
    for n in range(count):
        data = bytearray(rnd.choice(sources))
        kind = n % 5
        if kind == 0:  # truncated, as by a broken download or a pulled USB stick
            data = data[: rnd.randint(0, len(data) - 1)]
        elif kind == 1:  # bytes flipped
            for _ in range(rnd.randint(1, 40)):
                data[rnd.randrange(len(data))] = rnd.randrange(256)
        elif kind == 2:  # noise
            data = bytearray(rnd.randbytes(rnd.randint(0, 200_000)))
        elif kind == 3:  # a zip with our parts but nonsense inside
            data = bytearray()
        else:  # an encrypted or old-format file
            data = bytearray(
                b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + rnd.randbytes(rnd.randint(0, 5000))
            )
        suffix = rnd.choice([".xlsx"] * 8 + [".xls", ".docx"])
        path = folder / f"case{n:03d}{suffix}"
        if kind == 3:
            with zipfile.ZipFile(path, "w") as z:
                z.writestr("xl/workbook.xml", rnd.randbytes(rnd.randint(0, 3000)))
                z.writestr("xl/worksheets/sheet1.xml", rnd.randbytes(rnd.randint(0, 3000)))
        else:
            path.write_bytes(bytes(data))
        cases.append(path)
    huge = folder / "huge-sheet.xlsx"
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 260_001))
    with zipfile.ZipFile(exported) as source, zipfile.ZipFile(huge, "w", zipfile.ZIP_DEFLATED) as z:
        for item in source.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                z.writestr(
                    item.filename,
                    '<?xml version="1.0"?><worksheet xmlns="http://schemas.'
                    'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                    f"{rows}</sheetData></worksheet>",
                )
            else:
                z.writestr(item, source.read(item.filename))
    bomb = folder / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", "<a>" + "0" * 80_000_000 + "</a>")
    return cases + [huge, bomb]


def test_fuzzed_files_are_refused_in_bounded_time_and_change_nothing(templates, tmp_path):
    data = tmp_path / "data"
    db = fresh(templates, "township", data)
    exported_dir = tmp_path / "exported"
    assert program("export", "-o", str(exported_dir), folder=data).wait() == 0
    exported = next(exported_dir.glob("*.xlsx"))
    before = {t: query(db, f"SELECT * FROM {t} ORDER BY 1") for t in ("cadre", "org_year")}
    cases = fuzz_cases(tmp_path / "fuzz", exported, templates / "roster.xlsx", 300)
    runner = subprocess.run(
        [sys.executable, "-c", FUZZ_RUNNER, str(data)],
        input="\n".join(map(str, cases)),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert runner.returncode == 0, runner.stderr[-2000:]
    results = [json.loads(line) for line in runner.stdout.splitlines()]
    assert len(results) == len(cases)
    for result in results:
        assert result["seconds"] < 15, result
        if result["outcome"] == "refused":
            assert result["file"] in result["message"] or "不能导入" in result["message"]
            assert any("\u4e00" <= ch <= "\u9fff" for ch in result["message"])
    refused = sum(r["outcome"] == "refused" for r in results)
    assert refused >= len(cases) * 0.9
    by_name = {r["file"]: r for r in results}
    assert "超过" in by_name["huge-sheet.xlsx"]["message"]
    assert "异常庞大" in by_name["bomb.xlsx"]["message"]
    assert {t: query(db, f"SELECT * FROM {t} ORDER BY 1") for t in ("cadre", "org_year")} == before
    assert integrity(db) == "ok"
