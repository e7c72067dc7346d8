"""Statistical years: choosing one, and carrying a year forward without retyping."""

import datetime as dt

import pytest

from db import codes
from db.errors import UserError
from db.models import Organization, OrgYear, ProjectYear, VillageYear
from db.statistics import key_figures
from db.years import carry_forward, create_year, resolve_year, years


def test_latest_year_is_the_default_and_an_unknown_year_is_named(sample):
    sample("small")
    assert resolve_year().year == 2025
    with pytest.raises(UserError, match="统计年度 2031 不存在（已有年度：2024、2025）"):
        resolve_year(2031)


def test_carry_forward_opens_the_next_year_with_everything_and_leaves_the_old_one(sample):
    sample("township")
    before = key_figures(2025)
    old_rows = list(OrgYear.select().where(OrgYear.year == 2025).dicts())
    counts = carry_forward(2025)
    assert years()[-1] == 2026
    assert resolve_year(2026).cutoff_date == dt.date(2026, 12, 31)
    assert key_figures(2025) == before
    assert list(OrgYear.select().where(OrgYear.year == 2025).dicts()) == old_rows
    assert counts["villages"] == VillageYear.select().where(VillageYear.year == 2025).count()
    assert counts["organizations"] == len(old_rows)
    new = {r.organization_id: r for r in OrgYear.select().where(OrgYear.year == 2026)}
    for row in old_rows:
        copied = new[row["organization"]]
        assert copied.members_full == row["members_full"]
        assert copied.creation == row["creation"]
        assert copied.rating == ""  # rated anew every year
        assert copied.weak_lax is False
    figures = dict(key_figures(2026))
    assert figures["党员总数"] == dict(before)["党员总数"]
    assert figures["村党组织书记数"] == dict(before)["村党组织书记数"]  # posts run by date
    assert figures["开展分类定级的党组织数"] == 0
    assert ProjectYear.select().where(ProjectYear.year == 2026).count() == counts["projects"]


def test_a_dissolved_organization_is_not_carried(sample):
    sample("small")
    org = Organization.select().first()
    org.dissolved = dt.date(2025, 6, 30)
    org.save()
    carry_forward(2025)
    assert (
        not OrgYear.select().where((OrgYear.organization == org) & (OrgYear.year == 2026)).exists()
    )


def test_a_stopped_project_is_not_carried(sample):
    sample("small")
    row = ProjectYear.select().where(ProjectYear.year == 2025).first()
    row.status = codes.STOPPED
    row.save()
    carry_forward(2025)
    assert ProjectYear.select().where(ProjectYear.year == 2026).count() == 0


def test_carrying_into_an_existing_year_is_refused_and_changes_nothing(sample):
    sample("small")
    with pytest.raises(UserError, match="已经存在"):
        carry_forward(2024)
    assert OrgYear.select().where(OrgYear.year == 2025).count() > 0
    assert years() == [2024, 2025]


def test_create_year_refuses_nonsense(blank):
    with pytest.raises(UserError, match="不是有效的年份"):
        create_year(20250)
