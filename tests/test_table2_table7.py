"""表2 and 表7 as a county reviewer reads them, by header from the written workbook: every
organization's 上级党组织, a 党委/党总支's 党员数 as the sum of its branches, and 表7's
经营性收入 counts on 表5's bands."""

import shutil

import openpyxl
import pytest

from db.models import Organization, OrgYear
from db.statistics import band_counts, key_figures
from desktop.reports.export import export_report


def year_rows(year):
    return {r.organization_id: r for r in OrgYear.select().where(OrgYear.year == year)}


def sheet_rows(ws, first_header):
    """The rows under the header row whose first cells include `first_header`, as dicts."""
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    head = next(i for i, r in enumerate(rows) if first_header in r)
    names = [str(n) if n is not None else "" for n in rows[head]]
    body = []
    for r in rows[head + 1 :]:
        if not any(v not in (None, "") for v in r):
            break
        body.append(dict(zip(names, r)))
    return body


@pytest.fixture(scope="module")
def workbook(sample_templates, tmp_path_factory):
    """The `township` sample exported once, with the figures the sheets should show."""
    from db.connection import DB_FILENAME, close_db, init_db

    folder = tmp_path_factory.mktemp("yoy-export")
    db_path = folder / DB_FILENAME
    shutil.copyfile(sample_templates("township"), db_path)
    init_db(db_path)
    names = {o.id: o.name for o in Organization.select()}
    facts = {
        "figures": dict(key_figures(2025)),
        "bands": band_counts(2025),
        "members": {names[o]: r.members_total for o, r in year_rows(2025).items()},
    }
    path = export_report(folder).path
    close_db()
    return openpyxl.load_workbook(path), facts


def test_table2_prints_every_parent_and_a_committees_members_as_its_branches_sum(workbook):
    book, facts = workbook
    rows = sheet_rows(book["表2"], "党组织名称")
    committee = next(r for r in rows if r["类型"] == "党委")
    general = [r for r in rows if r["类型"] == "党总支"]
    assert general
    for row in general:
        assert row["上级党组织"] == committee["党组织名称"]
        branches = [r for r in rows if r["上级党组织"] == row["党组织名称"]]
        assert branches and row["党员数"] == sum(r["党员数"] for r in branches)
        assert f"党员数为所属{len(branches)}个党组织合计" in row["备注"]
    # the township's 党委 adds up everything under it: the township's 党员总数
    assert committee["党员数"] == facts["figures"]["党员总数"]
    assert "合计" in committee["备注"]
    # a branch prints its own members; every organization but the 党委 has its parent
    for row in rows:
        if row["类型"].endswith("党支部"):
            assert row["党员数"] == facts["members"][row["党组织名称"]]
    assert all(r["上级党组织"] for r in rows if r is not committee)


def test_table7_counts_the_villages_under_5_wan_as_table5_does(workbook):
    book, facts = workbook
    rows = sheet_rows(book["表7"], "指标")
    printed = {r["指标"]: r["数值"] for r in rows}
    assert "经营性收入5万元以下村数" not in printed  # the old, ambiguous label
    under = printed["经营性收入5万元以下村数（不含无经营性收入的村）"]
    none = printed["无经营性收入村数"]
    # 表5's band block, read from the same workbook
    cells = [[c.value for c in row] for row in book["表5"].iter_rows()]
    at = next(i for i, r in enumerate(cells) if "收入分档（按经营性收入）" in r)
    band = dict(zip(cells[at], cells[at + 1]))
    assert under == band["5万元以下"] == facts["bands"]["5万元以下"]
    assert none == band["无经营性收入"] == facts["bands"]["无经营性收入"]
    assert under + none <= printed["行政村(社区)数"]
    notes = [str(v) for r in book["表7"].iter_rows() for v in (c.value for c in r) if v]
    assert any("互不包含" in text for text in notes)
