"""This year beside last year: the year-over-year 审核 rules (Y01–Y10) on seeded townships of
three and more years, and the 说明 that explains a change."""

import json

import openpyxl

from db import codes
from db.models import CollectiveEconomy, FindingNote, Organization, OrgYear
from desktop.checks import RULES, WARNING, explain, run_checks
from desktop.checks.rules import year_over_year
from desktop.reports.export import export_report
from resources import resource_path

YEAR_RULES = {rule_id for rule_id in RULES if rule_id.startswith("Y")}


def year_rows(year):
    return {r.organization_id: r for r in OrgYear.select().where(OrgYear.year == year)}


def accounts(year):
    return {
        r.village_id: r for r in CollectiveEconomy.select().where(CollectiveEconomy.year == year)
    }


def a_branch():
    """A group branch of the second village (the first carries the planted findings)."""
    first = Organization.select().order_by(Organization.id).first().village_id
    return (
        Organization.select()
        .where(
            (Organization.kind == codes.BRANCH)
            & (Organization.unit == codes.UNIT_GROUP)
            & (Organization.village != first)
        )
        .order_by(Organization.id)
        .first()
    )


def test_the_rules_are_stable_ids_with_a_documented_threshold_table():
    assert {f"Y{n:02d}" for n in range(1, 11)} == YEAR_RULES
    assert RULES["Y01"].severity == RULES["Y02"].severity == "error"
    assert all(RULES[f"Y{n:02d}"].severity == WARNING for n in range(3, 11))
    table = json.loads(resource_path("checks", "year_over_year.json").read_text("utf-8"))
    assert {v["rule"] for v in table.values() if isinstance(v, dict)} == {
        "Y03",
        "Y04",
        "Y05",
        "Y06",
        "Y07",
        "Y08",
    }
    documented = resource_path("..", "docs", "checking-rules.md").read_text("utf-8")
    assert all(f"| {rule_id} |" in documented for rule_id in YEAR_RULES)


def test_the_first_year_raises_none_of_them_and_the_next_one_compares_with_it(sample):
    sample("township")  # 2023, 2024, 2025
    org = a_branch()
    first = year_rows(2023)[org.id]
    first.members_full += 20  # a change between 2023 and 2024 …
    first.save()
    assert run_checks(2023, only=YEAR_RULES) == []  # … the first year has nothing to compare
    found = run_checks(2024, only=YEAR_RULES)
    assert ("Y03", f"organization:{org.id}") in {(f.rule_id, f.record_key) for f in found}
    assert "2023年为" in next(f.message for f in found if f.rule_id == "Y03")


def test_an_unchanged_year_raises_none_of_them(sample):
    sample("township")
    before, now = year_rows(2024), year_rows(2025)
    for org_id, row in now.items():
        last = before[org_id]
        for name in ("members_full", "members_probationary", "rating", "funds"):
            setattr(row, name, getattr(last, name))
        row.save()
    last_accounts = accounts(2024)
    for village_id, row in accounts(2025).items():
        for name in CollectiveEconomy.INCOME_FIELDS:
            setattr(row, name, getattr(last_accounts[village_id], name))
        row.save()
    assert run_checks(2025, only=YEAR_RULES) == []


def test_a_threshold_is_data_a_county_can_change(sample, monkeypatch):
    sample("township")
    org = a_branch()
    row = year_rows(2025)[org.id]
    last = year_rows(2024)[org.id].members_total
    row.members_full += 4 - (row.members_total - last)  # four members more than last year
    row.save()
    assert not [
        f for f in run_checks(2025, only={"Y03"}) if f.record_key == f"organization:{org.id}"
    ]
    strict = dict(year_over_year.thresholds())
    strict["org_members"] = year_over_year.Threshold("党员数", "名", 5, 10, 1)
    monkeypatch.setattr(year_over_year, "thresholds", lambda: strict)
    hit = [f for f in run_checks(2025, only={"Y03"}) if f.record_key == f"organization:{org.id}"]
    assert hit and "增加4名" in hit[0].message


def test_a_dissolved_organization_may_be_absent(sample):
    import datetime as dt

    sample("township")
    org = a_branch()
    OrgYear.delete().where((OrgYear.organization == org) & (OrgYear.year == 2025)).execute()
    assert [f.record_key for f in run_checks(2025, only={"Y01"})] == [f"organization:{org.id}"]
    org.dissolved = dt.date(2025, 3, 1)
    org.save()
    assert run_checks(2025, only={"Y01"}) == []


def test_a_cadre_deleted_with_their_posts_is_reported_from_the_recycle_bin(sample):
    from db.models import Appointment
    from db.recycle import move_to_bin, restore
    from db.year_facts import held_at

    sample("township")
    post = next(
        a
        for a in Appointment.select().where(Appointment.post == codes.VILLAGE_DEPUTY_DIRECTOR)
        if held_at(a, dt_cutoff(2024))
    )
    cadre = post.cadre
    entry = move_to_bin(cadre)
    found = run_checks(2025, only={"Y09"})
    assert [f.record_key for f in found] == [f"cadre:{cadre.id}"]
    assert cadre.name in found[0].label and "回收站" in found[0].message
    restore(entry.id)
    assert run_checks(2025, only={"Y09"}) == []


def dt_cutoff(year):
    import datetime as dt

    return dt.date(year, 12, 31)


def test_an_explained_change_is_exported_with_its_note(sample, data_dir):
    sample("township")
    planted = [f for f in run_checks(2025) if f.rule_id in YEAR_RULES]
    assert planted and all(f.severity == WARNING and not f.note for f in planted)
    funds = next(f for f in planted if f.rule_id == "Y06")
    explain(2025, funds, "县委组织部下拨党建专项经费2万元")
    assert FindingNote.get(FindingNote.rule_id == "Y06").record_key == funds.record_key
    path = export_report(data_dir).path
    ws = openpyxl.load_workbook(path)["审核情况"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    head = next(i for i, r in enumerate(rows) if "规则" in r and "说明" in r)
    names = rows[head]
    found = [dict(zip(names, r)) for r in rows[head + 1 :] if r[names.index("规则")]]
    y06 = [r for r in found if r["规则"] == "Y06"]
    assert len(y06) == 1 and y06[0]["说明"] == "县委组织部下拨党建专项经费2万元"
    assert all(not r["说明"] for r in found if r["规则"] in YEAR_RULES - {"Y06"})


def test_a_new_year_opened_by_carrying_forward_asks_only_for_the_funds_not_yet_entered(sample):
    from db.years import carry_forward

    sample("small")  # 2024, 2025
    carry_forward(2025, 2026)
    found = run_checks(2026, only=YEAR_RULES)
    funded = {o for o, r in year_rows(2025).items() if r.funds >= 5000}
    assert funded and {f.record_key for f in found} == {f"organization:{o}" for o in funded}
    assert all(f.rule_id == "Y06" and "尚未填写" in f.message for f in found)


def test_the_clerk_explains_a_change_on_the_command_line(tmp_path):
    import os
    import subprocess
    import sys

    def township_desk(*args):
        command = [sys.executable, "-m", "desktop", *args, "--data-dir", str(tmp_path)]
        done = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ))
        assert "Traceback" not in done.stderr, done.stderr
        return done

    township_desk("demo", "--scale", "small")
    lines = township_desk("check").stdout.splitlines()
    rating = next(line for line in lines if " Y10 " in line)
    record = rating.rsplit("[", 1)[1].rstrip("]")
    said = township_desk("explain", "--rule", "Y10", "--record", record, "换届后班子调整，整改到位")
    assert said.returncode == 0 and "已保存说明" in said.stdout
    again = next(line for line in township_desk("check").stdout.splitlines() if " Y10 " in line)
    assert again.endswith(f"（说明：换届后班子调整，整改到位）  [{record}]")
