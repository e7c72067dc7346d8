"""The 表7 key figures against values worked out by hand on a small township built here."""

import datetime as dt
from decimal import Decimal as D

import pytest

from db import codes
from db.models import (
    Appointment,
    Cadre,
    CollectiveEconomy,
    Enrollment,
    Organization,
    OrgYear,
    Project,
    ProjectYear,
    Training,
    Village,
    VillageYear,
)
from db.statistics import KEY_FIGURES, band_counts, income_band, key_figures
from db.years import create_year
from tests.test_validators import make_id

d = dt.date
_serial = iter(range(100, 999))


BORN = d(1980, 1, 1)


def person(name, ethnicity="01", born=BORN, fulltime="60", inservice="", gender="1"):
    number = make_id(f"532322{born:%Y%m%d}{next(_serial):03d}")
    return Cadre.create(
        name=name,
        gender=gender,
        ethnicity=ethnicity,
        id_number=number,
        birth_date=born,
        political_status=codes.PARTY_MEMBER,
        party_joined=d(2005, 7, 1),
        education_fulltime=fulltime,
        education_inservice=inservice,
    )


def post(cadre, code, village, start, end=None, org=None, unit=""):
    Appointment.create(
        cadre=cadre,
        post=code,
        village=village,
        organization=org,
        start_date=start,
        end_date=end,
        sending_unit=unit,
    )


def org(name, kind, village=None, unit="", field=codes.FIELD_RURAL, year=2025, **members):
    o = Organization.create(name=name, kind=kind, village=village, unit=unit, field=field)
    OrgYear.create(organization=o, year=year, **members)
    return o


@pytest.fixture
def hand_made(blank):
    """A township whose every figure is worked out by hand in the comments below."""
    create_year(2024)
    a = Village.create(name="甲村", kind=codes.VILLAGE)
    b = Village.create(name="乙村", kind=codes.VILLAGE)
    c = Village.create(name="丙社区", kind=codes.COMMUNITY)
    gone = Village.create(name="旧村", kind=codes.VILLAGE)  # reported in 2024 only
    for village, groups in ((a, 8), (b, 5), (c, 2)):
        VillageYear.create(village=village, year=2025, group_count=groups)
    VillageYear.create(village=gone, year=2024, group_count=7)

    a_main = org(
        "甲村总支", codes.GENERAL_BRANCH, a, rating=codes.ADVANCED, creation=codes.DEMONSTRATION
    )
    org(
        "甲村一组支部",
        codes.BRANCH,
        a,
        codes.UNIT_GROUP,
        members_full=10,
        members_probationary=2,
        members_female=3,
        members_minority=6,
        rating=codes.AVERAGE,
        creation=codes.STANDARD,
    )
    org(
        "甲村二组支部",
        codes.BRANCH,
        a,
        codes.UNIT_GROUP,
        members_full=8,
        members_female=2,
        members_minority=4,
        rating=codes.BACKWARD,
        weak_lax=True,
    )
    org(
        "乙村支部",
        codes.BRANCH,
        b,
        members_full=20,
        members_probationary=1,
        members_female=5,
        rating=codes.ADVANCED,
    )
    org("丙社区党委", codes.COMMITTEE, c, field=codes.FIELD_COMMUNITY)
    org(
        "丙社区网格支部",
        codes.BRANCH,
        c,
        codes.UNIT_GRID,
        field=codes.FIELD_COMMUNITY,
        members_full=5,
        members_female=4,
        members_minority=1,
        rating=codes.AVERAGE,
    )
    org(
        "镇机关支部",
        codes.BRANCH,
        None,
        field="21",
        members_full=15,
        members_female=6,
        members_minority=3,
        rating=codes.ADVANCED,
        creation=codes.STANDARD,
    )
    org("旧村支部", codes.BRANCH, gone, year=2024, members_full=30, rating=codes.ADVANCED)

    jia = person("甲", "07", d(1975, 6, 1), fulltime="40", inservice="30")  # 50, 大专 (在职)
    yi = person("乙", "01", d(1980, 12, 31))  # 45 on the cut-off day itself
    bing = person("丙", "01", d(1970, 3, 3))
    ding = person("丁", "07", d(1960, 3, 3))
    wu = person("戊", "06", d(1990, 1, 1), fulltime="20")  # 35, 本科
    post(jia, codes.VILLAGE_SECRETARY, a, d(2021, 1, 10), org=a_main)
    post(jia, codes.VILLAGE_DIRECTOR, a, d(2021, 1, 10))  # 一肩挑
    post(yi, codes.VILLAGE_SECRETARY, b, d(2021, 1, 10))
    post(bing, codes.VILLAGE_DIRECTOR, b, d(2021, 1, 10))
    post(ding, codes.VILLAGE_SECRETARY, c, d(2016, 1, 5), end=d(2021, 1, 10))  # former
    post(wu, codes.VILLAGE_SECRETARY, c, d(2021, 1, 10))
    post(wu, codes.VILLAGE_DIRECTOR, c, d(2021, 1, 10), end=d(2024, 5, 1))  # no longer both
    post(
        person("己", born=d(1988, 2, 2)),
        codes.FIRST_SECRETARY,
        a,
        d(2023, 5, 1),
        unit="县农业农村局",
    )
    post(
        person("庚", born=d(1985, 2, 2)),
        codes.FIRST_SECRETARY,
        b,
        d(2022, 1, 1),
        end=d(2025, 6, 30),
        unit="县财政局",
    )
    post(person("辛", born=d(1986, 2, 2)), codes.TEAM_LEADER, a, d(2023, 5, 1), unit="县农业农村局")
    post(person("壬", born=d(1995, 2, 2)), codes.TEAM_MEMBER, a, d(2023, 5, 1), unit="县水务局")
    post(person("癸", born=d(1996, 2, 2)), codes.TEAM_MEMBER, b, d(2026, 1, 5), unit="县水务局")
    Enrollment.create(cadre=yi, level="30", start_date=d(2024, 9, 1), status=codes.ENROLLED)
    Enrollment.create(
        cadre=bing,
        level="30",
        start_date=d(2022, 9, 1),
        end_date=d(2025, 1, 10),
        status=codes.GRADUATED,
    )
    Enrollment.create(cadre=ding, level="30", start_date=d(2026, 3, 1), status=codes.ENROLLED)

    for year, sessions, people in ((2025, 2, 150), (2025, 1, 80), (2024, 5, 500)):
        Training.create(
            year=year,
            program="2",
            title="冬春训",
            start_date=d(year, 1, 5),
            end_date=d(year, 1, 6),
            sessions=sessions,
            attendances=people,
        )

    CollectiveEconomy.create(
        village=a,
        year=2025,
        operating_income=D("123456.78"),
        contract_income=D("20000"),
        subsidy_income=D("150000"),
        other_income=D("5000"),
    )
    CollectiveEconomy.create(
        village=b,
        year=2025,
        operating_income=D("30000"),
        investment_income=D("14999.99"),
        subsidy_income=D("100000"),
    )
    CollectiveEconomy.create(village=c, year=2025, subsidy_income=D("200000"))
    CollectiveEconomy.create(village=gone, year=2024, operating_income=D("900000"))

    p1 = Project.create(
        name="光伏",
        type="5",
        start_year=2023,
        fund_central=D("1000000"),
        fund_provincial=D("500000"),
        fund_self=D("12345"),
    )
    p2 = Project.create(name="厂房", type="3", start_year=2025, fund_social=D("300000"))
    p3 = Project.create(name="旧项目", type="1", start_year=2020, fund_county=D("99999"))
    ProjectYear.create(project=p1, year=2025, status=codes.OPERATING, income=D("65432"))
    ProjectYear.create(project=p2, year=2025, status="2")
    ProjectYear.create(project=p3, year=2024, status=codes.OPERATING, income=D("5000"))
    return blank


EXPECTED = {
    "行政村(社区)数": 3,
    "已建立党组织的村(社区)数": 3,
    "村民小组数": 15,  # 8 + 5 + 2
    "村民小组党支部数": 2,
    "基层党组织总数": 7,
    "党委数": 1,
    "党总支数": 1,
    "党支部数": 5,
    "党员总数": 61,  # 12 + 8 + 21 + 5 + 15
    "少数民族党员占比(%)": D("22.95"),  # 14 / 61
    "女党员占比(%)": D("32.79"),  # 20 / 61
    "开展分类定级的党组织数": 6,  # all but 丙社区党委
    "先进党组织数": 3,
    "一般党组织数": 2,
    "后进党组织数": 1,
    "软弱涣散党组织数": 1,
    "示范创建党组织数": 1,
    "达标创建党组织数": 2,
    "村党组织书记数": 3,  # 甲 乙 戊 (丁 left in 2021)
    "少数民族村党组织书记占比(%)": D("66.67"),  # 甲 彝族, 戊 苗族
    "村党组织书记平均年龄": D("43.3"),  # (50 + 45 + 35) / 3
    "大专及以上学历村党组织书记占比(%)": D("66.67"),  # 甲 (在职大专), 戊 (本科)
    "一肩挑村(社区)数": 1,  # 甲村 only: 戊 stopped being 主任 in 2024
    "选派驻村第一书记的村(社区)数": 1,  # 庚 left 乙村 in June
    "驻村第一书记人数": 1,
    "驻村工作队员人数": 2,  # 辛 壬; 癸 starts in 2026
    "学历提升在读人数": 1,  # 乙
    "培训期数": 3,
    "培训人次": 230,
    "村级集体经济总收入(万元)": D("64.35"),  # 29.85 + 14.50 + 20.00
    "村均集体经济总收入(万元)": D("21.45"),
    "经营性收入10万元及以上村数": 1,  # 甲村 14.35
    "经营性收入5万元以下村数（不含无经营性收入的村）": 1,  # 乙村 4.50
    "无经营性收入村数": 1,  # 丙社区 0
    "扶持项目数": 2,
    "扶持项目总投资(万元)": D("181.23"),  # 100 + 50 + 1.23 + 30
    "扶持项目当年收益(万元)": D("6.54"),
}


def test_every_key_figure_is_listed_with_the_reports_label():
    assert [label for label, _ in KEY_FIGURES] == list(EXPECTED)


@pytest.mark.parametrize("label", list(EXPECTED))
def test_key_figure_matches_the_hand_count(hand_made, label):
    assert dict(key_figures(2025))[label] == EXPECTED[label]


def test_income_bands_include_the_lower_bound_and_exclude_the_upper():
    assert income_band(D("0.00")) == "无经营性收入"
    assert income_band(D("0.01")) == "5万元以下"
    assert income_band(D("4.99")) == "5万元以下"
    assert income_band(D("5.00")) == "5–10万元"
    assert income_band(D("10.00")) == "10–50万元"
    assert income_band(D("50.00")) == "50–100万元"
    assert income_band(D("100.00")) == "100万元及以上"


def test_band_counts_add_up_to_the_villages(hand_made):
    counts = band_counts(2025)
    assert counts["10–50万元"] == 1 and counts["5万元以下"] == 1
    assert counts["无经营性收入"] == 1
    assert sum(counts.values()) == 3


def test_figures_on_the_seeded_sample_agree_with_a_plain_recount(sample):
    sample("township")
    figures = dict(key_figures(2025))
    rows = list(OrgYear.select().where(OrgYear.year == 2025))
    assert figures["党员总数"] == sum(r.members_full + r.members_probationary for r in rows)
    assert figures["基层党组织总数"] == len(rows)
    assert figures["村党组织书记数"] == figures["行政村(社区)数"]
    assert (
        figures["无经营性收入村数"]
        + figures["经营性收入5万元以下村数（不含无经营性收入的村）"]
        + figures["经营性收入10万元及以上村数"]
        <= figures["行政村(社区)数"]
    )
    bands = band_counts(2025)
    assert sum(bands.values()) == figures["行政村(社区)数"]
    # one definition: 表7's counts are 表5's bands of the same name
    assert figures["无经营性收入村数"] == bands["无经营性收入"]
    assert figures["经营性收入5万元以下村数（不含无经营性收入的村）"] == bands["5万元以下"]
