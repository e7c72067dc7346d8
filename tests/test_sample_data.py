"""The sample generator: seeded, realistic, valid, and at the scales PRODUCT.md names."""

from collections import Counter

import pytest

from db import codes
from db.connection import DB_FILENAME, close_db, init_db
from db.models import Appointment, Cadre, CollectiveEconomy, Organization, ProjectVillage, Village
from db.statistics import band_counts, key_figures
from desktop.sample_data import generate_sample
from desktop.validators import check_id_number


def test_same_seed_same_township_other_seed_other_township(tmp_path):
    figures = []
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        generate_sample(tmp_path / name / DB_FILENAME, scale="small", seed=seed)
        figures.append((key_figures(2025), [c.id_number for c in Cadre.select()]))
        close_db()
    assert figures[0] == figures[1]
    assert figures[0] != figures[2]


def test_township_scale_is_a_realistic_yunnan_township(sample):
    sample("township")
    assert Village.select().count() == 15
    assert 170 <= Organization.select().count() <= 230
    assert 500 <= Cadre.select().count() <= 700
    ethnicities = Counter(c.ethnicity for c in Cadre.select())
    assert ethnicities["07"] > 50 and ethnicities["01"] > 100  # 彝族 and 汉族
    assert len(ethnicities) >= 5
    for cadre in Cadre.select():
        info = check_id_number(cadre.id_number)
        assert (info.birth_date, info.gender) == (cadre.birth_date, cadre.gender)
    bands = band_counts(2025)
    assert all(count > 0 for count in bands.values()), bands
    shared = Counter(link.project_id for link in ProjectVillage.select())
    assert max(shared.values()) >= 2  # 抱团发展: villages pooling one project
    assert (
        Appointment.select().where(Appointment.end_date.is_null(False)).count() > 0
    )  # 换届 history
    figures = dict(key_figures(2025))
    assert 0 < figures["一肩挑村(社区)数"] < figures["行政村(社区)数"]
    assert figures["选派驻村第一书记的村(社区)数"] > 0


def test_sample_township_can_be_named_for_a_county_of_several(tmp_path):
    generate_sample(tmp_path / DB_FILENAME, scale="small", township="大庄镇", code="532322101000")
    from db.connection import township

    assert township().name == "大庄镇"
    assert Village.select().first().code.startswith("532322101")
    assert Organization.select().where(Organization.name.contains("大庄镇")).exists()


@pytest.mark.slow
def test_large_scale_has_ten_years_and_thousands_of_cadres(tmp_path):
    generate_sample(tmp_path / DB_FILENAME, scale="large")
    close_db()
    init_db(tmp_path / DB_FILENAME)
    assert Village.select().count() == 40
    assert Organization.select().count() >= 500
    assert Cadre.select().count() >= 2500
    assert CollectiveEconomy.select().where(CollectiveEconomy.village == 1).count() == 10
    assert Appointment.select().where(Appointment.post == codes.VILLAGE_SECRETARY).count() == 40 * 3


def test_same_seed_gives_the_same_data_checksum(tmp_path, monkeypatch):
    import datetime as dt
    import types

    import db.models
    from db.dump import checksum, dump_rows, row_line

    class LaterDatetime(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return dt.datetime.now(tz) + dt.timedelta(days=3, seconds=7)

    sums = []
    for name in ("a", "b"):
        if name == "b":  # made three days later by the program's clock: nothing may differ
            monkeypatch.setattr(db.models, "dt", types.SimpleNamespace(datetime=LaterDatetime))
            assert db.models.now() - dt.datetime.now() > dt.timedelta(days=2)
        generate_sample(tmp_path / name / DB_FILENAME, scale="small", seed=3)
        sums.append(checksum([row_line(t, r) for t, rows in dump_rows().items() for r in rows]))
        close_db()
    assert sums[0] == sums[1]
