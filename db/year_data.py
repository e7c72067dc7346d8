"""Everything the checks need about one statistical year, loaded in a few queries."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from peewee import AutoField, CharField, DateField, ForeignKeyField, IntegerField, TextField, fn

from db.models import (
    Appointment,
    BaseModel,
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
    held: list[Appointment] | None = None  # db.year_facts.held_posts, once computed
    previous: PreviousYear | None = None  # the latest earlier statistical year, if any
    deleted_appointments: list[dict] = field(default_factory=list)  # rows in the 回收站

    @property
    def year(self) -> int:
        return self.stat_year.year

    @property
    def cutoff(self):
        return self.stat_year.cutoff_date


# Field types (exactly these, not subclasses such as MoneyField) whose column SQLite already
# returns as the Python value (int, str or NULL).
_AS_STORED = (AutoField, IntegerField, CharField, TextField, ForeignKeyField)


def _rows(model: type[BaseModel], where=None, order=None) -> list:
    """The model's rows, as peewee would give them, without its per-field overhead: the
    year's data of a large township is tens of thousands of values and loading it is most of
    the time any figure takes. (tests/test_year_facts.py compares with peewee's own.)"""
    fields = model._meta.sorted_fields
    names = [f.name for f in fields]
    converted = [(n, f) for n, f in enumerate(fields) if type(f) not in _AS_STORED]
    # dates as stored by peewee (ISO) parse in C; anything else goes through the field
    fast = [
        (n, f.name, dt.date.fromisoformat if type(f) is DateField else f.python_value)
        for n, f in converted
    ]
    slow = [(n, f.name, f.python_value) for n, f in converted]
    query = model.select(*fields)
    if where is not None:
        query = query.where(where)
    if order is not None:
        query = query.order_by(*order)
    new = model.__new__
    found = []
    append = found.append
    for row in model._meta.database.execute(query).fetchall():
        data = dict(zip(names, row))
        try:
            for n, name, convert in fast:
                value = row[n]
                if value is not None:
                    data[name] = convert(value)
        except (TypeError, ValueError):
            for n, name, convert in slow:
                data[name] = convert(row[n])
        obj = new(model)
        obj.__data__ = data
        obj._dirty = set()
        obj.__rel__ = {}
        append(obj)
    return found


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
    village_years = {r.village_id: r for r in _rows(VillageYear, VillageYear.year == year)}
    villages = [
        v for v in _rows(Village, order=(Village.sort_order, Village.id)) if v.id in village_years
    ]
    org_years = {r.organization_id: r for r in _rows(OrgYear, OrgYear.year == year)}
    all_orgs = {o.id: o for o in _rows(Organization, order=(Organization.sort_order,))}
    project_years = {r.project_id: r for r in _rows(ProjectYear, ProjectYear.year == year)}
    project_villages: dict[int, list[ProjectVillage]] = {}
    for link in _rows(ProjectVillage):
        project_villages.setdefault(link.project_id, []).append(link)
    trainings = _rows(Training, Training.year == year)
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
        cadres=_rows(Cadre, order=(Cadre.id,)),
        appointments=_rows(Appointment, order=(Appointment.id,)),
        enrollments=_rows(Enrollment),
        economy={r.village_id: r for r in _rows(CollectiveEconomy, CollectiveEconomy.year == year)},
        projects=[p for p in _rows(Project, order=(Project.id,)) if p.id in project_years],
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
