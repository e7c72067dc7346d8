"""The command line, run as the clerk runs it: a real process, Chinese messages, exit codes."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from db.statistics import KEY_FIGURES
from desktop import __version__

BIN = Path(sys.executable).parent


def run(*args, data_dir=None, env=None, entry=("-m", "desktop")):
    command = [sys.executable, *entry, *args]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    full_env = {**os.environ, **(env or {})}
    result = subprocess.run(command, capture_output=True, text=True, env=full_env, timeout=120)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_demo_then_check_and_stats_in_a_new_folder(tmp_path):
    folder = tmp_path / "新文件夹"
    made = run("demo", "--scale", "small", data_dir=folder)
    assert made.returncode == 0
    assert "已生成示例乡镇" in made.stdout
    check = run("check", data_dir=folder)
    assert check.returncode == 0
    assert "强制性 0 条" in check.stdout
    assert "[提示性] C13" in check.stdout
    stats = run("stats", data_dir=folder)
    assert stats.returncode == 0
    lines = [line.split("\t") for line in stats.stdout.splitlines()]
    assert [label for label, _ in lines] == [label for label, _ in KEY_FIGURES]
    assert dict(lines)["行政村(社区)数"] == "3"


def test_the_console_script_is_the_same_program(tmp_path):
    script = shutil.which("township-desk", path=str(BIN))
    assert script, "the township-desk console script is installed"
    run("demo", "--scale", "small", data_dir=tmp_path)
    via_module = run("stats", "--year", "2024", data_dir=tmp_path)
    result = subprocess.run(
        [script, "stats", "--year", "2024", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0
    assert result.stdout == via_module.stdout


def test_the_data_folder_can_come_from_the_environment(tmp_path):
    env = {"TOWNSHIP_DESK_DATA_DIR": str(tmp_path)}
    assert run("demo", "--scale", "small", env=env).returncode == 0
    assert (tmp_path / "township.sqlite3").exists()
    assert run("stats", env=env).returncode == 0


def test_init_creates_an_empty_township_and_refuses_to_overwrite(tmp_path):
    args = [
        "init",
        "--prefecture",
        "楚雄彝族自治州",
        "--county",
        "双柏县",
        "--township",
        "妥甸镇",
        "--code",
        "532322100000",
    ]
    made = run(*args, data_dir=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "中共双柏县委组织部" in made.stdout
    again = run(*args, data_dir=tmp_path)
    assert again.returncode == 1
    assert "不会覆盖" in again.stderr
    stats = run("stats", data_dir=tmp_path)
    assert "党员总数\t0" in stats.stdout


def test_init_checks_the_division_code_against_the_county(tmp_path):
    result = run(
        "init",
        "--prefecture",
        "楚雄彝族自治州",
        "--county",
        "双柏县",
        "--township",
        "妥甸镇",
        "--code",
        "532301100000",
        data_dir=tmp_path,
    )
    assert result.returncode == 1
    assert "应以双柏县的代码532322开头" in result.stderr
    assert not (tmp_path / "township.sqlite3").exists()


def test_blocking_findings_make_check_exit_1(tmp_path):
    run("demo", "--scale", "small", data_dir=tmp_path)
    import sqlite3

    db = sqlite3.connect(tmp_path / "township.sqlite3")
    db.execute("UPDATE cadre SET ethnicity = '99' WHERE id = 1")
    db.commit()
    db.close()
    result = run("check", data_dir=tmp_path)
    assert result.returncode == 1
    assert "[强制性] C19" in result.stdout
    assert "修正后才能导出" in result.stderr


def test_explain_then_check_shows_the_note(tmp_path):
    run("demo", "--scale", "small", data_dir=tmp_path)
    record = (
        next(line for line in run("check", data_dir=tmp_path).stdout.splitlines() if "C13" in line)
        .rsplit("[", 1)[1]
        .rstrip("]")
    )
    saved = run("explain", "--rule", "c13", "--record", record, "本人身体健康", data_dir=tmp_path)
    assert saved.returncode == 0 and "已保存说明" in saved.stdout
    assert "说明：本人身体健康" in run("check", data_dir=tmp_path).stdout
    wrong = run("explain", "--rule", "C13", "--record", "cadre:99999", "x", data_dir=tmp_path)
    assert wrong.returncode == 1 and "没有规则 C13" in wrong.stderr


def test_new_year_carries_forward(tmp_path):
    run("demo", "--scale", "small", data_dir=tmp_path)
    result = run("new-year", data_dir=tmp_path)
    assert result.returncode == 0 and "已开始 2026 年度" in result.stdout
    assert run("stats", "--year", "2026", data_dir=tmp_path).returncode == 0
    again = run("new-year", "--from", "2025", data_dir=tmp_path)
    assert again.returncode == 1 and "已经存在" in again.stderr


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["check"], 1, "还没有乡镇数据库"),
        (["stats", "--year", "1999"], 1, "统计年度 1999 不存在"),
        (["stats", "--year", "abc"], 2, "不是整数"),
        (["frobnicate"], 2, "无效的选项"),
        (["demo", "--scale", "giant"], 2, "无效的选项"),
        (["init", "--county", "双柏县"], 2, "缺少必需的参数"),
    ],
)
def test_mistakes_get_one_clear_chinese_line(tmp_path, args, code, message):
    if args[0] == "stats":
        run("demo", "--scale", "small", data_dir=tmp_path)
    result = run(*args, data_dir=tmp_path / ("" if args[0] == "stats" else "empty"))
    assert result.returncode == code
    assert message in result.stderr


def test_a_damaged_database_is_named_and_left_alone(tmp_path):
    path = tmp_path / "township.sqlite3"
    path.write_bytes(b"\x00garbage" * 512)
    result = run("check", data_dir=tmp_path)
    assert result.returncode == 1
    assert "已损坏或不是本程序的数据库" in result.stderr
    assert path.read_bytes() == b"\x00garbage" * 512


def test_a_database_locked_by_another_program_gets_a_clear_message(tmp_path):
    run("demo", "--scale", "small", data_dir=tmp_path)
    import sqlite3

    holder = sqlite3.connect(tmp_path / "township.sqlite3", isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = run("stats", data_dir=tmp_path, env={})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 1
    assert "正被其他程序使用" in result.stderr


def test_version():
    result = run("--version")
    assert result.returncode == 0 and __version__ in result.stdout


def test_the_command_line_never_loads_qt(tmp_path):
    run("demo", "--scale", "small", data_dir=tmp_path)
    code = (
        "import sys; from desktop.cli import main; "
        f"main(['check', '--data-dir', r'{tmp_path}']); main(['stats', '--data-dir', r'{tmp_path}']); "
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_import_preview_then_restore_on_a_new_computer(tmp_path):
    old, new = tmp_path / "旧电脑", tmp_path / "新电脑"
    run("demo", "--scale", "small", data_dir=old)
    exported = run("export", "-o", str(tmp_path), data_dir=old).stdout.strip()
    preview = run("import", exported, "--dry-run", data_dir=new)
    assert preview.returncode == 0 and "以上为预览，未写入任何数据" in preview.stdout
    assert not (new / "township.sqlite3").exists()
    restored = run("import", exported, data_dir=new)
    assert restored.returncode == 0 and "导入完成" in restored.stdout
    assert run("stats", data_dir=new).stdout == run("stats", data_dir=old).stdout


def test_import_of_a_bad_file_is_one_line_and_exit_1(tmp_path):
    run("demo", "--scale", "small", data_dir=tmp_path)
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a zip at all")
    result = run("import", str(bad), data_dir=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "已损坏" in result.stderr
