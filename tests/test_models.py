"""The data model on a real SQLite file: every model stores and reads back what it was given."""

import datetime as dt
from decimal import Decimal

import peewee
import pytest

from db import codes
from db.connection import init_db
from db.models import (
    Appointment,
    Cadre,
    CollectiveEconomy,
    Enrollment,
    FindingNote,
    Organization,
    OrgYear,
    Project,
    ProjectVillage,
    ProjectYear,
    Setting,
    StatYear,
    Township,
    Training,
    TrainingAttendance,
    Village,
    VillageYear,
    database,
)


def make_cadre(**overrides):
    values = dict(
        name="张三",
        gender=codes.MALE,
        ethnicity="07",
        id_number="532301197503120013",
        birth_date=dt.date(1975, 3, 12),
        political_status=codes.PARTY_MEMBER,
        party_joined=dt.date(2001, 7, 1),
    )
    values.update(overrides)
    return Cadre.create(**values)


def test_every_model_round_trips_through_the_file(blank):
    village = Village.create(
        name="大麦地村",
        kind=codes.VILLAGE,
        code="532322100201",
        credit_code="N2532322MF1234567X",
        relocation_site=True,
    )
    VillageYear.create(village=village, year=2025, group_count=9, households=412, population=1630)
    org = Organization.create(
        name="中共大麦地村总支部委员会",
        kind=codes.GENERAL_BRANCH,
        field=codes.FIELD_RURAL,
        village=village,
        founded=dt.date(1956, 3, 1),
    )
    branch = Organization.create(
        name="大麦地村第1村民小组党支部",
        kind=codes.BRANCH,
        field=codes.FIELD_RURAL,
        unit=codes.UNIT_GROUP,
        parent=org,
        village=village,
    )
    OrgYear.create(
        organization=branch,
        year=2025,
        members_full=12,
        members_probationary=1,
        members_female=3,
        rating=codes.ADVANCED,
        creation=codes.STANDARD,
        funds=Decimal("12345.67"),
    )
    cadre = make_cadre(village=village, phone="13812345678")
    Appointment.create(
        cadre=cadre,
        post=codes.VILLAGE_SECRETARY,
        village=village,
        organization=org,
        start_date=dt.date(2021, 1, 18),
    )
    Enrollment.create(
        cadre=cadre, level="30", start_date=dt.date(2024, 9, 1), status=codes.ENROLLED
    )
    training = Training.create(
        year=2025,
        program="2",
        title="冬春训",
        start_date=dt.date(2025, 1, 5),
        end_date=dt.date(2025, 1, 7),
        sessions=2,
        attendances=300,
    )
    TrainingAttendance.create(training=training, cadre=cadre)
    CollectiveEconomy.create(
        village=village,
        year=2025,
        operating_income=Decimal("123456.78"),
        subsidy_income=Decimal("150000"),
    )
    project = Project.create(
        name="光伏电站项目", type="5", start_year=2023, fund_provincial=Decimal("500000")
    )
    ProjectVillage.create(project=project, village=village, share=Decimal("60"))
    ProjectYear.create(project=project, year=2025, status=codes.OPERATING, income=Decimal("30000"))
    FindingNote.create(
        year=2025, rule_id="C13", record_key="cadre:1", note="本人身体健康，群众推选"
    )
    Setting.create(key="preparer", value="李四")

    path = blank
    init_db(path)  # reopen: everything comes back from the file
    assert Township.get().name == "妥甸镇"
    assert StatYear.get().cutoff_date == dt.date(2025, 12, 31)
    assert Village.get().credit_code == "N2532322MF1234567X"
    assert Village.get().relocation_site is True
    assert VillageYear.get().households == 412
    assert Organization.get(Organization.name.contains("第1")).parent.name.startswith("中共")
    row = OrgYear.get()
    assert row.members_total == 13
    assert row.funds == Decimal("12345.67")
    person = Cadre.get()
    assert person.id_number == "532301197503120013"
    assert person.appointments[0].organization.kind == codes.GENERAL_BRANCH
    assert person.enrollments[0].status == codes.ENROLLED
    assert Training.get().attendees[0].cadre.name == "张三"
    economy = CollectiveEconomy.get()
    assert economy.operating_income == Decimal("123456.78")
    assert isinstance(economy.operating_income, Decimal)
    assert Project.get().villages[0].share == Decimal("60")
    assert ProjectYear.get().income == Decimal("30000.00")
    assert FindingNote.get().note.startswith("本人")
    assert Setting.get_by_id("preparer").value == "李四"


def test_money_is_exact_to_the_fen(blank):
    village = Village.create(name="甲村", kind=codes.VILLAGE)
    amounts = [Decimal("0.1"), Decimal("0.2"), Decimal("99999999.99")]
    CollectiveEconomy.create(
        village=village,
        year=2025,
        operating_income=amounts[0],
        contract_income=amounts[1],
        other_income=amounts[2],
    )
    row = CollectiveEconomy.get()
    assert row.operating_income + row.contract_income == Decimal("0.30")
    assert row.other_income == Decimal("99999999.99")
    raw = database.execute_sql("SELECT operating_income FROM collective_economy").fetchone()[0]
    assert raw == 10 and isinstance(raw, int)  # stored as whole fen, never a float


def test_one_id_number_is_one_person(blank):
    make_cadre()
    with pytest.raises(peewee.IntegrityError):
        make_cadre(name="张叁")


def test_a_database_belongs_to_exactly_one_township(blank):
    with pytest.raises(peewee.IntegrityError):
        Township.create(
            id=2,
            name="别的镇",
            county="双柏县",
            prefecture="楚雄彝族自治州",
            division_code="532322101000",
            authority="x",
        )


def test_foreign_keys_are_enforced(blank):
    with pytest.raises(peewee.IntegrityError):
        VillageYear.create(village=999, year=2025)


def test_power_cut_safe_pragmas(blank):
    assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert database.execute_sql("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1


def test_yearly_records_are_unique_per_year(blank):
    village = Village.create(name="甲村", kind=codes.VILLAGE)
    VillageYear.create(village=village, year=2025)
    with pytest.raises(peewee.IntegrityError):
        VillageYear.create(village=village, year=2025)
