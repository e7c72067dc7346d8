"""Faithful input (issue 12, points 3, 4, 7): villages never created silently, an unknown
任现职时间 stays unknown, and only dates that can be are accepted — by the CLI, the forms
and the 审核 rules alike."""

import datetime as dt

import openpyxl
import pytest

from db import codes
from db.connection import DB_FILENAME, close_db, init_db
from db.models import Appointment, Cadre, Village
from db.statistics import key_figures
from desktop.checks.engine import run_checks
from desktop.reports.export import export_report
from tests.test_cli import run
from tests.test_import import LI, ZHANG, make_id, write_roster

ZHAO = make_id("53232219700101004")


def roster_row(serial, name, id_number, village, posts, start=None):
    row = [serial, name, id_number, "彝族", "", "高中", "党员", village, posts, "13812345678", ""]
    return row if start is None else [*row, start]


def write_roster_with_start(path, rows):
    header = [
        "序号",
        "姓名",
        "公民身份号码",
        "民族",
        "出生年月",
        "文化程度",
        "政治面貌",
        "所在村",
        "职务",
        "手机号码",
        "籍贯",
        "任现职时间",
    ]
    return write_roster(path, rows, header=header)


def cli_import(data_dir, *args):
    close_db()
    result = run("import", *map(str, args), data_dir=data_dir)
    init_db(data_dir / DB_FILENAME)
    return result


# --- point 4: an unknown 任现职时间 stays unknown -------------------------------------------


def test_a_roster_without_post_start_stores_it_unknown_and_checking_asks_for_it(
    sample, data_dir, tmp_path
):
    sample("small")
    village = Village.select().order_by(Village.sort_order).first().name
    rows = [
        roster_row(1, "张三", ZHANG, village, "副主任", ""),
        roster_row(2, "李四", LI, village, "委员", "2021.03"),
    ]
    path = write_roster_with_start(tmp_path / "名册.xlsx", rows)
    preview = cli_import(data_dir, path, "--dry-run")
    assert preview.returncode == 0, preview.stderr
    assert "任现职时间未填，记为空白" in preview.stdout and "按2025" not in preview.stdout
    assert cli_import(data_dir, path).returncode == 0
    zhang = Cadre.get(Cadre.id_number == ZHANG).appointments[0]
    assert zhang.start_date is None  # never 2025.01.01
    li = Cadre.get(Cadre.id_number == LI).appointments[0]
    assert li.start_date == dt.date(2021, 3, 1)
    close_db()
    check = run("check", data_dir=data_dir)
    assert "[提示性] C20" in check.stdout and "张三" in check.stdout
    assert "副主任的任现职时间未填，请补填" in check.stdout
    assert not any("C20" in line and "李四" in line for line in check.stdout.splitlines())
    init_db(data_dir / DB_FILENAME)
    book = openpyxl.load_workbook(export_report(tmp_path / "out").path)
    ws = book["表3"]
    header = next(r for r in ws.iter_rows(values_only=True) if "任现职时间" in r)
    start_col, id_col = header.index("任现职时间"), header.index("身份证号")
    printed = {r[id_col]: r[start_col] for r in ws.iter_rows(values_only=True)}
    assert printed[ZHANG] in (None, "")  # printed blank, not an invented 1 January
    assert printed[LI] not in (None, "")


def test_a_post_of_unknown_start_is_held_at_the_cutoff_and_counted(sample):
    sample("small")
    secretary = (
        Appointment.select()
        .where(
            (Appointment.post == codes.VILLAGE_SECRETARY) & Appointment.end_date.is_null()
        )
        .first()
    )
    before = dict(key_figures(2025))
    Appointment.update(start_date=None).where(Appointment.id == secretary.id).execute()
    assert dict(key_figures(2025)) == before  # held since unknown = held
    findings = [f for f in run_checks(2025) if f.rule_id in ("C10", "C11", "C12", "C20")]
    assert [f.rule_id for f in findings] == ["C20"]
