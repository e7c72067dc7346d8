"""Every figure defined once: on seeded random townships the overview, 表1, 表3, 表4, 表5 and
表7 print the same facts, and a county's 表7 is the same formulas over the summed bases."""

from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
import pytest

from db import codes
from db.connection import DB_FILENAME, close_db, init_db
from db.models import (
    Appointment,
    Cadre,
    CollectiveEconomy,
    Enrollment,
    Organization,
    OrgYear,
    Village,
    VillageYear,
)
from db.money import percent
from db.statistics import figures_from, key_figures_of, sum_base_counts
from db.year_data import load_year_data
from db.year_facts import BANDS, base_counts
from db.years import resolve_year
from desktop import overview
from desktop.code_words import post_name
from desktop.merge.county import merge_workbooks
from desktop.reports.export import build_workbook
from desktop.sample_data import generate_sample
from tests.workbook_cells import body_rows, indicator_values, total_row

# seeded random townships: several small ones and one of township scale (kept fast)
SAMPLES = [("small", 1), ("small", 2), ("small", 3), ("small", 7), ("township", 4)]

# 表1's 合计 cell (by header) → the 表7 figure that must print the same number
TABLE1_FIGURES = {
    "党组织数/合计": "基层党组织总数",
    "党组织数/党委": "党委数",
    "党组织数/党总支": "党总支数",
    "党组织数/党支部": "党支部数",
    "党组织数/其中/村民小组\n党支部": "村民小组党支部数",
    "党员数/合计": "党员总数",
    "分类定级/先进": "先进党组织数",
    "分类定级/一般": "一般党组织数",
    "分类定级/后进": "后进党组织数",
    "软弱\n涣散": "软弱涣散党组织数",
    "创建/示范": "示范创建党组织数",
    "创建/达标": "达标创建党组织数",
}


def band_block(ws) -> dict[str, int]:
    """表5's 收入分档 block: label → villages (村数 included)."""
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "村数")
    labels = [ws.cell(row, c).value for c in range(2, 3 + len(BANDS))]
    return {label: ws.cell(row + 1, 2 + n).value for n, label in enumerate(labels)}


@pytest.mark.parametrize("scale, seed", SAMPLES)
def test_the_overview_and_every_table_print_the_same_facts(sample, scale, seed):
    sample(scale, seed)
    data = load_year_data(resolve_year(None))
    wb, *_ = build_workbook()
    figures = indicator_values(wb["表7"])
    assert figures == dict(key_figures_of(data))
    villages = figures["行政村(社区)数"]

    table1 = total_row(wb["表1"])
    for header, label in TABLE1_FIGURES.items():
        assert table1[header] == figures[label], (header, label)
    members = table1["党员数/合计"]
    assert percent(table1["党员数/其中/女"], members) == figures["女党员占比(%)"]
    assert percent(table1["党员数/其中/少数民族"], members) == figures["少数民族党员占比(%)"]
    village_names = {v.name for v in data.villages}
    table1_villages = [r for r in body_rows(wb["表1"]) if r["村(社区)及领域"] in village_names]
    assert len(table1_villages) == villages

    table5 = body_rows(wb["表5"])
    assert total_row(wb["表5"])["总收入/合计"] == figures["村级集体经济总收入(万元)"]
    operating = [r["经营性收入"] for r in table5]
    assert sum(o >= 10 for o in operating) == figures["经营性收入10万元及以上村数"]
    under_5 = figures["经营性收入5万元以下村数（不含无经营性收入的村）"]
    assert sum(0 < o < 5 for o in operating) == under_5  # 表5's band, the none apart
    assert sum(o == 0 for o in operating) == figures["无经营性收入村数"]
    bands = band_block(wb["表5"])
    assert bands["村数"] == len(table5)
    assert Counter(r["收入分档"] for r in table5) == Counter(
        {label: n for label, n in bands.items() if label != "村数" and n}
    )
    assert [n for _, n in overview.income_bands(data)] == [bands[label] for label, _, _ in BANDS]

    coverage = {what: (have, total) for what, have, total in overview.coverage(data)}
    assert coverage["第一书记"] == (figures["选派驻村第一书记的村(社区)数"], villages)
    assert coverage["一肩挑"] == (figures["一肩挑村(社区)数"], villages)
    assert coverage["集体经济"] == (len(table5), villages)

    table3 = body_rows(wb["表3"])
    assert (
        len({r["村(社区)"] for r in table3 if r["是否\n一肩挑"] == "是"})
        == figures["一肩挑村(社区)数"]
    )
    secretary = {
        post_name(codes.VILLAGE_SECRETARY, kind) for kind in (codes.VILLAGE, codes.COMMUNITY)
    }
    ages = {r["身份证号"]: r["年龄"] for r in table3 if secretary & set(r["现任职务"].split("、"))}
    assert len(ages) == figures["村党组织书记数"]
    mean = Decimal(sum(ages.values())) / len(ages)
    assert mean.quantize(Decimal("0.1"), ROUND_HALF_UP) == figures["村党组织书记平均年龄"]
    committee = {r["身份证号"] for r in table3}
    assert len(committee) == sum(n for _, n in overview.age_structure(data))

    table4 = [r for r in body_rows(wb["表4"]) if r["驻村身份"] == "第一书记"]
    assert len({r["身份证号"] for r in table4}) == figures["驻村第一书记人数"]
    assert len({r["驻村村(社区)"] for r in table4}) == figures["选派驻村第一书记的村(社区)数"]


def test_a_community_with_a_first_secretary_counts_in_the_overview_as_in_table7(sample):
    """They used to disagree: the overview counted only 行政村, 表7 村 and 社区."""
    sample("small", 1)
    year = resolve_year(None)
    before = dict(key_figures_of(load_year_data(year)))["选派驻村第一书记的村(社区)数"]
    community = Village.create(name="新城社区", kind=codes.COMMUNITY, sort_order=99)
    VillageYear.create(village=community, year=year.year, group_count=0)
    org = Organization.create(
        name="中共新城社区支部委员会",
        kind=codes.BRANCH,
        village=community,
        field=codes.FIELD_COMMUNITY,
    )
    OrgYear.create(organization=org, year=year.year, members_full=5)
    someone = Cadre.select().order_by(Cadre.id).first()
    Appointment.create(cadre=someone, post=codes.FIRST_SECRETARY, village=community)
    data = load_year_data(year)
    figures = dict(key_figures_of(data))
    coverage = {what: (have, total) for what, have, total in overview.coverage(data)}
    assert coverage["第一书记"] == (
        figures["选派驻村第一书记的村(社区)数"],
        figures["行政村(社区)数"],
    )
    assert figures["选派驻村第一书记的村(社区)数"] == before + 1


def test_the_county_is_the_same_formulas_over_the_summed_bases(tmp_path):
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    bases, township_figures, township_table1 = [], [], []
    for name, code, seed in (("妥甸镇", "532322100000", 5), ("大庄镇", "532322101000", 6)):
        db = tmp_path / name / DB_FILENAME
        generate_sample(db, scale="small", seed=seed, township=name, code=code)
        close_db()
        init_db(db)
        bases.append(base_counts(load_year_data(resolve_year(None))))
        wb, year, _, _ = build_workbook()
        township_figures.append(indicator_values(wb["表7"]))
        township_table1.append(total_row(wb["表1"]))
        wb.save(inbox / f"{name}.xlsx")
        close_db()
    result = merge_workbooks([inbox], tmp_path / "县.xlsx")
    assert result.issues == []
    county = openpyxl.load_workbook(result.path)
    printed = {k: Decimal(str(v)) for k, v in indicator_values(county["表7"]).items()}
    expected = dict(figures_from(sum_base_counts(bases)))
    assert printed == {k: Decimal(str(v)) for k, v in expected.items()}
    counts = [label for label, value in expected.items() if isinstance(value, int)]
    for label in counts:  # the counts are the townships' sums; ratios are recomputed
        assert printed[label] == sum(f[label] for f in township_figures), label
    table1 = total_row(county["表1"])
    for header in TABLE1_FIGURES:
        assert table1[header] == sum(t[header] for t in township_table1), header


def _peewee_rows(model, where=True):
    return [row.__data__ for row in model.select().where(where).order_by(model.id)]


def test_the_year_is_loaded_exactly_as_peewee_loads_it(sample):
    sample("small", 2)
    data = load_year_data(resolve_year(None))
    by_id = lambda rows: sorted((r.__data__ for r in rows), key=lambda d: d["id"])  # noqa: E731
    assert by_id(data.cadres) == _peewee_rows(Cadre)
    assert by_id(data.appointments) == _peewee_rows(Appointment)
    assert by_id(data.enrollments) == _peewee_rows(Enrollment)
    year = data.year
    economy = _peewee_rows(CollectiveEconomy, CollectiveEconomy.year == year)
    assert by_id(data.economy.values()) == economy
    assert all(isinstance(r["operating_income"], Decimal) for r in economy)
    assert by_id(data.org_years.values()) == _peewee_rows(OrgYear, OrgYear.year == year)
    assert by_id(data.all_organizations.values()) == _peewee_rows(Organization)
    a = data.appointments[0]
    assert a.cadre.name == Cadre.get_by_id(a.cadre_id).name  # relations still resolve
    a.notes = "改过"
    assert a.is_dirty()  # and the rows save like any other


def test_the_county_sums_every_base_quantity_and_nothing_else(sample):
    from db.statistics import BASE_NAMES, KEY_FIGURES

    sample("small", 1)
    base = base_counts(load_year_data(resolve_year(None)))
    assert tuple(base) == BASE_NAMES
    assert [label for label, _ in figures_from(base)] == [label for label, _ in KEY_FIGURES]
