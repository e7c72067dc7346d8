"""恢复: our own workbook restored into an existing database of the same township matches
records by what they are (ID number, village code or name …), never by internal id."""

import datetime as dt
import threading

import openpyxl
import pytest

from db.connection import DB_FILENAME, close_db, init_db
from db.errors import UserError
from db.models import Appointment, Cadre, FindingNote, Organization, Village
from db.scratch import rows_in_place
from db.township import create_township
from db.years import create_year
from desktop.checks import explain, run_checks
from desktop.cli import main
from desktop.imports.files import read_sheets
from desktop.imports.plan import ADD, KEEP, UNCHANGED, UPDATE, ImportPlan
from desktop.imports.restore import read_payload
from desktop.imports.run import run_import
from desktop.reports.export import export_report
from tests.test_gui import no_modal_boxes  # noqa: F401  (no message box waits unanswered)
from tests.test_import import file_digest, make_id

TYPED = (  # three cadres the clerk typed after re-installing, before restoring the workbook
    ("新录甲", make_id("53232219900101001")),
    ("新录乙", make_id("53232219910202002")),
    ("新录丙", make_id("53232219920303003")),
)


def people() -> dict[str, tuple]:
    """Every cadre by ID number: name, birth and posts in words (no internal ids)."""
    result = {}
    for cadre in Cadre.select():
        posts = sorted(
            (
                a.post,
                a.village.name if a.village else "",
                a.organization.name if a.organization else "",
                str(a.start_date),
                str(a.end_date),
            )
            for a in Appointment.select().where(Appointment.cadre == cadre)
        )
        result[cadre.id_number] = (cadre.name, str(cadre.birth_date), cadre.phone, posts)
    return result


@pytest.fixture
def exported(sample, data_dir, tmp_path):
    """The small sample's workbook and its people, by ID number."""
    sample("small")
    path = export_report(tmp_path / "out").path
    facts = people()
    close_db()
    return path, facts


def reinstall(folder, typed=TYPED, villages=()):
    """A new empty database of the same township (妥甸镇), with villages and cadres typed
    by hand (the cadres in the first village)."""
    create_township(
        folder / DB_FILENAME,
        prefecture="楚雄彝族自治州",
        county="双柏县",
        name="妥甸镇",
        division_code="532322100000",
    )
    create_year(2025)
    places = [Village.create(name=name, kind="1", code=code) for name, code in villages]
    place = places[0] if places else None
    for name, number in typed:
        Cadre.create(
            name=name,
            gender="1" if int(number[16]) % 2 else "2",
            ethnicity="01",
            id_number=number,
            birth_date=dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
            political_status="01",
            village=place,
        )
    close_db()


def outcome(plan, label: str, action: str):
    found = [o for o in plan.outcomes if o.label == label and o.action == action]
    return found[0].count if found else 0


def test_a_reinstalled_pc_keeps_the_cadres_typed_since_and_gets_the_workbooks_back(
    exported, tmp_path
):
    path, before = exported
    folder = tmp_path / "重装后"
    village = next(iter(before.values()))[3][0][1]  # a village of the workbook, typed again
    reinstall(folder, villages=[(village, "")])

    preview = run_import([path], folder, dry_run=True).plans[0]
    assert outcome(preview, "干部", ADD) == len(before)
    assert outcome(preview, "干部", KEEP) == 3
    assert outcome(preview, "干部", UPDATE) == 0
    kept = next(o for o in preview.outcomes if o.label == "干部" and o.action == KEEP)
    assert all(name in kept.detail for name, _ in TYPED)
    assert outcome(preview, "村(社区)", UPDATE) == 1  # the one typed again: code and all
    assert outcome(preview, "任职", ADD) == sum(len(p[3]) for p in before.values())
    assert "保留 3 条" in preview.summary()
    close_db()

    run_import([path], folder)
    after = people()
    for name, number in TYPED:
        assert after[number][0] == name
    assert {n: p for n, p in after.items() if n not in dict(TYPED).values()} == before
    assert Village.select().where(Village.name == village).count() == 1
    close_db()

    again = run_import([path], folder, dry_run=True).plans[0]
    assert again.counts()[ADD] == again.counts()[UPDATE] == 0
    assert outcome(again, "干部", UNCHANGED) == len(before)
    assert outcome(again, "干部", KEEP) == 3


def test_a_second_database_of_the_township_merges_by_identity_without_mixture(exported, tmp_path):
    path, original = exported
    second = tmp_path / "第二台电脑"
    reinstall(second, typed=TYPED[:2])  # its ids are shifted by two cadres
    run_import([path], second)
    moved = Cadre.get(Cadre.id_number == next(iter(original)))
    moved.phone = "13800001111"
    moved.save()
    branch = Organization.get(Organization.parent.is_null(False))  # moved under a new 党总支
    branch.parent = Organization.create(
        name="新设党总支", kind="2", field=branch.field, village=branch.village
    )
    branch.save()
    village = Village.get(Village.code != "")  # 村改社区: a new name, the same 区划代码
    village.name, village.kind = village.name.replace("村", "社区"), "2"
    village.save()
    workbook = export_report(tmp_path / "第二台导出").path
    theirs = people()
    close_db()

    first = tmp_path / "第一台电脑"
    reinstall(first, typed=TYPED[2:])  # a third cadre only the first computer knows
    init_db(first / DB_FILENAME)
    Organization.create(name="先建的党支部", kind="3", field="11")  # its ids differ too
    close_db()
    run_import([path], first)
    preview = run_import([workbook], first, dry_run=True).plans[0]
    assert outcome(preview, "干部", ADD) == 2
    assert outcome(preview, "干部", UPDATE) == 1
    updated = next(o for o in preview.outcomes if o.label == "干部" and o.action == UPDATE)
    assert moved.name in updated.detail
    assert outcome(preview, "干部", KEEP) == outcome(preview, "党组织", KEEP) == 1
    assert outcome(preview, "干部", UNCHANGED) == len(original) - 1
    assert outcome(preview, "党组织", ADD) == outcome(preview, "党组织", UPDATE) == 1
    assert outcome(preview, "村(社区)", UPDATE) == 1 and not outcome(preview, "村(社区)", ADD)
    close_db()
    run_import([workbook], first)
    merged = people()
    assert set(merged) == set(theirs) | {TYPED[2][1]}
    assert {n: merged[n] for n in theirs} == theirs  # every person whole, nobody mixed
    assert merged[moved.id_number][2] == "13800001111"
    parent = Organization.get(Organization.name == branch.name).parent
    assert parent.name == "新设党总支" and parent.id != branch.parent.id


def test_a_note_on_a_finding_stays_with_its_record(sample, data_dir, tmp_path):
    sample("small")
    finding = next(f for f in run_checks() if f.table == "cadre" and f.severity == "warning")
    explain(2025, finding, "已核实，本人确无手机")
    cadre = Cadre.get_by_id(finding.record_id)
    path = export_report(tmp_path / "out").path
    close_db()
    folder = tmp_path / "重装后"
    reinstall(folder)  # the typed cadres take the workbook's first ids
    run_import([path], folder)
    moved = Cadre.get(Cadre.id_number == cadre.id_number)
    assert moved.id != cadre.id
    noted = [f for f in run_checks() if f.note == "已核实，本人确无手机"]
    assert [(f.rule_id, f.record_id) for f in noted] == [(finding.rule_id, moved.id)]
    assert FindingNote.select().count() == 1


@pytest.mark.parametrize("clash", ["id_number", "village"])
def test_a_conflicting_identity_is_refused_naming_both_and_changes_nothing(
    exported, tmp_path, clash
):
    path, before = exported
    folder = tmp_path / "重装后"
    number, (name, *_) = next(iter(before.items()))
    if clash == "id_number":  # the workbook's person's number, typed for someone else
        reinstall(folder, typed=[("冒名者", number)])
        both = ("冒名者", name, number)
    else:  # one village has the workbook's name, another its code
        village = next(iter(before.values()))[3][0][1]
        code = workbook_village_code(path, village)
        reinstall(folder, typed=[], villages=[(village, ""), ("新建村", code)])
        both = (village, "新建村", code)
    digest = file_digest(folder / DB_FILENAME)
    with pytest.raises(UserError, match="身份冲突") as refused:
        run_import([path], folder)
    for word in both:
        assert word in refused.value.message
    assert file_digest(folder / DB_FILENAME) == digest


def workbook_village_code(path, name: str) -> str:
    _, rows = read_payload(ImportPlan(path, "检查"), read_sheets(path)["_data"])
    return next(v["code"] for v in rows["village"] if v["name"] == name)


def rename_in_table3(path):
    """The clerk opens the sent workbook and retypes the first name in 表3 by hand."""
    book = openpyxl.load_workbook(path)
    ws = book["表3"]
    row = next(r for r in range(1, 20) if ws.cell(r, 1).value == 1)
    person, village = ws.cell(row, 3).value, ws.cell(row, 2).value
    ws.cell(row, 3).value = "王改名"
    book.save(path)
    return row, person, village


def test_a_cell_of_table3_edited_by_hand_is_reported_at_import(exported, data_dir, capsys):
    path, before = exported
    row, person, village = rename_in_table3(path)

    assert main(["import", str(path), "--data-dir", str(data_dir), "--dry-run"]) == 0
    printed = capsys.readouterr().out
    assert "导出后有 1 处可见单元格被改动" in printed
    assert f"表3 C{row}（{person}（{village}），姓名）：导出时为“{person}”，现为“王改名”" in printed

    assert main(["import", str(path), "--data-dir", str(data_dir)]) == 0  # reported, not refused
    init_db(data_dir / DB_FILENAME)
    assert people() == before  # restored from `_data`, not from the edited cell
    assert not Cadre.select().where(Cadre.name == "王改名").exists()


def test_reading_the_workbooks_rows_leaves_the_database_in_use_alone(exported, data_dir):
    """The edited-cell check rebuilds the sheets from `_data` while the window's own
    connection, on another thread, still reads the clerk's database."""
    path, before = exported
    number, (name, *_) = next(iter(before.items()))
    _, rows = read_payload(ImportPlan(path, "检查"), read_sheets(path)["_data"])
    for row in rows["cadre"]:
        row["name"] = "报表里的名字" if row["id_number"] == number else row["name"]
    init_db(data_dir / DB_FILENAME)
    seen = []
    with rows_in_place(rows):
        here = Cadre.get(Cadre.id_number == number).name
        other = threading.Thread(
            target=lambda: seen.append(Cadre.get(Cadre.id_number == number).name)
        )
        other.start()
        other.join()
    assert here == "报表里的名字" and seen == [name]
    assert Cadre.get(Cadre.id_number == number).name == name
    assert people() == before


def test_the_import_page_shows_what_is_kept_and_the_edited_cells(qtbot, exported, tmp_path):
    from desktop.ui.main_window import NAV, MainWindow

    path, before = exported
    rename_in_table3(path)
    folder = tmp_path / "重装后"
    reinstall(folder)
    window = MainWindow(folder)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.checks_pending)
    page = window.import_page
    window.nav.setCurrentRow(NAV.index("导入"))
    page.preview([path])
    qtbot.waitUntil(lambda: page.import_button.isEnabled(), timeout=20_000)
    kept = [r for r in page.model.rows if r["action"] == "保留" and r["label"] == "干部"]
    assert len(kept) == 1 and all(name in kept[0]["detail"] for name, _ in TYPED)
    assert "保留 3 条" in page.summary.text() and "现为“王改名”" in page.summary.text()
    page.apply()
    qtbot.waitUntil(lambda: "导入完成" in page.summary.text(), timeout=20_000)
    assert Cadre.select().count() == len(before) + 3
    assert window.jobs.running == 0


def test_an_edited_workbook_restored_on_a_new_computer_is_reported_and_restored_whole(
    exported, tmp_path
):
    path, before = exported
    row, person, _ = rename_in_table3(path)
    folder = tmp_path / "新电脑"
    result = run_import([path], folder)
    assert any(f"表3 C{row}" in n and "现为“王改名”" in n for n in result.plans[0].notices)
    assert result.plans[0].creates_database and people() == before
