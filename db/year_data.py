"""Everything the checks need about one statistical year, loaded in a few queries."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from peewee import fn

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
    RecycleBin,
    StatYear,
    Township,
    Training,
    TrainingAttendance,
    Village,
    VillageYear,
)


@dataclass
class PreviousYear:
    """What the year-over-year rules need of the year before: loaded in a few queries."""

    stat_year: StatYear
    villages: dict[int, Village]  # the villages reporting in it
    org_years: dict[int, OrgYear]
    economy: dict[int, CollectiveEconomy]

    @property
    def year(self) -> int:
        return self.stat_year.year

    @property
    def cutoff(self):
        return self.stat_year.cutoff_date


@dataclass
class YearData:
    township: Township
    stat_year: StatYear
    villages: list[Village]  # those reporting in the year (with a VillageYear)
    village_years: dict[int, VillageYear]
    organizations: list[Organization]  # those reporting in the year (with an OrgYear)
    org_years: dict[int, OrgYear]
    all_organizations: dict[int, Organization]
    cadres: list[Cadre]
    appointments: list[Appointment]
    enrollments: list[Enrollment]
    economy: dict[int, CollectiveEconomy]
    projects: list[Project]
    project_years: dict[int, ProjectYear]
    project_villages: dict[int, list[ProjectVillage]]
    trainings: list[Training]
    attendee_counts: dict[int, int]
    notes: dict[tuple[str, str], str] = field(default_factory=dict)
    previous: PreviousYear | None = None  # the latest earlier statistical year, if any
    deleted_appointments: list[dict] = field(default_factory=list)  # rows in the 回收站

    @property
    def year(self) -> int:
        return self.stat_year.year

    @property
    def cutoff(self):
        return self.stat_year.cutoff_date


def load_previous_year(year: int) -> PreviousYear | None:
    """The latest statistical year before `year`, or None in a first year."""
    stat_year = StatYear.select().where(StatYear.year < year).order_by(StatYear.year.desc()).first()
    if stat_year is None:
        return None
    before = stat_year.year
    return PreviousYear(
        stat_year=stat_year,
        villages={
            v.id: v for v in Village.select().join(VillageYear).where(VillageYear.year == before)
        },
        org_years={r.organization_id: r for r in OrgYear.select().where(OrgYear.year == before)},
        economy={
            r.village_id: r
            for r in CollectiveEconomy.select().where(CollectiveEconomy.year == before)
        },
    )


def deleted_appointments() -> list[dict]:
    """The posts (as stored rows) that sit in the 回收站, deleted alone or with their cadre;
    a row carries `_cadre_name` when the cadre was deleted with it."""
    found = []
    query = RecycleBin.select(RecycleBin.payload).where(
        RecycleBin.restored_at.is_null() & RecycleBin.table_name.in_(("appointment", "cadre"))
    )
    for (payload,) in query.tuples():
        rows = json.loads(payload)["rows"]
        names = {r["values"]["id"]: r["values"]["name"] for r in rows if r["table"] == "cadre"}
        for row in rows:
            if row["table"] == "appointment":
                values = dict(row["values"])
                if values["cadre_id"] in names:
                    values["_cadre_name"] = names[values["cadre_id"]]
                found.append(values)
    return found


def load_year_data(stat_year: StatYear) -> YearData:
    year = stat_year.year
    village_years = {r.village_id: r for r in VillageYear.select().where(VillageYear.year == year)}
    villages = [
        v
        for v in Village.select().order_by(Village.sort_order, Village.id)
        if v.id in village_years
    ]
    org_years = {r.organization_id: r for r in OrgYear.select().where(OrgYear.year == year)}
    all_orgs = {o.id: o for o in Organization.select().order_by(Organization.sort_order)}
    project_years = {r.project_id: r for r in ProjectYear.select().where(ProjectYear.year == year)}
    project_villages: dict[int, list[ProjectVillage]] = {}
    for link in ProjectVillage.select():
        project_villages.setdefault(link.project_id, []).append(link)
    trainings = list(Training.select().where(Training.year == year))
    counts = dict(
        TrainingAttendance.select(TrainingAttendance.training, fn.COUNT(TrainingAttendance.id))
        .group_by(TrainingAttendance.training)
        .tuples()
    )
    notes = {
        (n.rule_id, n.record_key): n.note
        for n in FindingNote.select().where(FindingNote.year == year)
    }
    return YearData(
        township=Township.get(Township.id == 1),
        stat_year=stat_year,
        villages=villages,
        village_years=village_years,
        organizations=[o for o in all_orgs.values() if o.id in org_years],
        org_years=org_years,
        all_organizations=all_orgs,
        cadres=list(Cadre.select().order_by(Cadre.id)),
        appointments=list(Appointment.select().order_by(Appointment.id)),
        enrollments=list(Enrollment.select()),
        economy={
            r.village_id: r
            for r in CollectiveEconomy.select().where(CollectiveEconomy.year == year)
        },
        projects=[p for p in Project.select().order_by(Project.id) if p.id in project_years],
        project_years=project_years,
        project_villages=project_villages,
        trainings=trainings,
        attendee_counts=counts,
        notes=notes,
        previous=load_previous_year(year),
        deleted_appointments=deleted_appointments(),
    )


def save_finding_note(year: int, rule_id: str, record_key: str, note: str) -> None:
    """Record (or clear, with an empty note) the clerk's 说明 for a finding."""
    existing = FindingNote.get_or_none(
        (FindingNote.year == year)
        & (FindingNote.rule_id == rule_id)
        & (FindingNote.record_key == record_key)
    )
    note = note.strip()
    if existing and not note:
        existing.delete_instance()
    elif existing:
        existing.note = note
        existing.save()
    elif note:
        FindingNote.create(year=year, rule_id=rule_id, record_key=record_key, note=note)
