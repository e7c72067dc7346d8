"""The one-folder program a clerk installs, built with PyInstaller and run on its own."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from db.connection import DB_FILENAME, close_db, init_db
from desktop.imports.files import read_sheets
from desktop.reports.data_sheet import read_data_sheet
from desktop.reports.export import export_report
from desktop.sample_data import generate_sample

ROOT = Path(__file__).resolve().parent.parent
PYINSTALLER = Path(sys.executable).parent / "pyinstaller"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not PYINSTALLER.exists(), reason="PyInstaller is not installed (make test installs it)"
    ),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("package")
    subprocess.run(
        [
            str(PYINSTALLER),
            "--noconfirm",
            "--log-level",
            "ERROR",
            "--distpath",
            str(out / "dist"),
            "--workpath",
            str(out / "build"),
            str(ROOT / "build_spec" / "township_desk.spec"),
        ],
        check=True,
        cwd=ROOT,
        capture_output=True,
        timeout=900,
    )
    return out / "dist" / "township-desk"


def alone(binary: Path, *args, env=None, cwd=None, program="township-desk-cli"):
    """Run the built program (the command line, unless `program` says the window's) with
    no virtual environment and no project on any path."""
    clean = {
        "PATH": "/usr/bin:/bin",
        "HOME": os.environ.get("HOME", "/root"),
        "LANG": "C.UTF-8",
        **(env or {}),
    }
    return subprocess.run(
        [str(binary / program), *args],
        capture_output=True,
        text=True,
        env=clean,
        cwd=cwd or binary.parent,
        timeout=300,
    )


def test_the_built_program_is_small_and_runs_alone(built, tmp_path):
    files = [f for f in built.rglob("*") if f.is_file() and not f.is_symlink()]
    size = sum(f.stat().st_size for f in files) / 1024 / 1024
    assert size < 200, f"{size:.0f} MB"
    assert not list(built.rglob("*WebEngine*")) and not list(built.rglob("libQt6Pdf*"))
    version = alone(built, "--version")
    assert version.returncode == 0 and "0.1.0" in version.stdout
    data = tmp_path / "data"
    assert (
        alone(built, "demo", "--scale", "small", "--seed", "4", "--data-dir", str(data)).returncode
        == 0
    )
    check = alone(built, "check", "--data-dir", str(data))
    assert check.returncode == 0 and "强制性 0 条" in check.stdout
    exported = alone(built, "export", "--data-dir", str(data), "-o", str(tmp_path / "frozen"))
    assert exported.returncode == 0, exported.stderr
    frozen = Path(exported.stdout.strip())

    source_db = tmp_path / "source" / DB_FILENAME
    generate_sample(source_db, scale="small", seed=4)
    close_db()
    init_db(source_db)
    from_source = export_report(tmp_path / "from-source").path
    close_db()
    digests = [read_data_sheet(read_sheets(p)["_data"])[0]["sha256"] for p in (frozen, from_source)]
    assert digests[0] == digests[1]


def test_the_built_window_opens(built, tmp_path):
    data = tmp_path / "data"
    assert alone(built, "demo", "--scale", "small", "--data-dir", str(data)).returncode == 0
    shown = alone(
        built,
        "--data-dir",
        str(data),
        env={"QT_QPA_PLATFORM": "offscreen", "TOWNSHIP_DESK_SELF_TEST": "1"},
        program="township-desk",
    )
    assert shown.returncode == 0, shown.stderr
    assert "妥甸镇" in shown.stdout and "乡镇党建数据填报" in shown.stdout


def test_the_window_has_no_console_and_the_command_line_has_one(built):
    """Two programs in one folder: the clerk's double-click opens no console window on
    Windows; the command line keeps one. Read from what PyInstaller recorded for each."""
    import ast

    from PyInstaller.building.api import EXE

    fields = [guts[0] for guts in EXE._GUTS]
    console = {}
    for toc in (built.parent.parent / "build" / "township_desk").glob("EXE-*.toc"):
        recorded = dict(zip(fields, ast.literal_eval(toc.read_text(encoding="utf-8"))))
        console[Path(recorded["name"]).name] = recorded["console"]
    assert console == {"township-desk": False, "township-desk-cli": True}
    assert (built / "township-desk").is_file() and (built / "township-desk-cli").is_file()


def test_resources_are_found_frozen(built):
    assert (built / "_internal" / "resources" / "codes" / "ethnicity.json").exists()
    assert (built / "_internal" / "resources" / "reports" / "workbook.json").exists()
    assert (built / "_internal" / "resources" / "help" / "guide.md").exists()
    assert shutil.which("township-desk", path="/usr/bin:/bin") is None  # nothing leaks in
