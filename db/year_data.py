"""Everything the checks need about one statistical year, loaded in a few queries."""

from __future__ import annotations

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
    StatYear,
    Township,
    Training,
    TrainingAttendance,
    Village,
    VillageYear,
)


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

    @property
    def year(self) -> int:
        return self.stat_year.year

    @property
    def cutoff(self):
        return self.stat_year.cutoff_date


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
