"""Lookups and writes the register imports need (party organizations, villages …), on
plain values; the planning happens in desktop.imports."""

from __future__ import annotations

from db import codes
from db.models import (
    Appointment,
    Cadre,
    Organization,
    OrgYear,
    Project,
    ProjectVillage,
    Training,
    Village,
    VillageYear,
    database,
)


def organizations() -> list[Organization]:
    return list(Organization.select().order_by(Organization.id))


def org_years(year: int) -> dict[int, OrgYear]:
    query = OrgYear.select().where(OrgYear.year == year)
    return {row.organization_id: row for row in query}


def village_years(year: int) -> dict[int, VillageYear]:
    query = VillageYear.select().where(VillageYear.year == year)
    return {row.village_id: row for row in query}


def villages() -> list[Village]:
    return list(Village.select().order_by(Village.sort_order, Village.id))


def cadres_by_name() -> dict[str, list[Cadre]]:
    found: dict[str, list[Cadre]] = {}
    for person in Cadre.select():
        found.setdefault(person.name, []).append(person)
    return found


def open_secretary_terms() -> list[Appointment]:
    """Every secretary post not yet left (村党组织书记, 党组织书记)."""
    query = Appointment.select().where(
        Appointment.post.in_(list(codes.SECRETARY_POSTS)) & Appointment.end_date.is_null()
    )
    return list(query)


def defer_links() -> None:
    """Links to rows the import adds in bulk are checked when its transaction ends."""
    database.execute_sql("PRAGMA defer_foreign_keys = ON")


def update(model, record_id: int, values: dict) -> None:
    """Set fields of one stored record (logged); links to rows the import adds in bulk
    are checked when the import's transaction ends."""
    defer_links()
    record = model.get_by_id(record_id)
    for name, value in values.items():
        setattr(record, name, value)
    record.save()


def terms() -> set[tuple]:
    """(cadre, post, village, start) of every post with a known start, left or not."""
    query = Appointment.select(
        Appointment.cadre, Appointment.post, Appointment.village, Appointment.start_date
    ).where(Appointment.start_date.is_null(False))
    return set(query.tuples())


def trainings(year: int) -> list[Training]:
    return list(Training.select().where(Training.year == year))


def projects() -> list[Project]:
    return list(Project.select().order_by(Project.id))


def project_village_ids(project_id: int) -> set[int]:
    query = ProjectVillage.select(ProjectVillage.village).where(
        ProjectVillage.project == project_id
    )
    return {row[0] for row in query.tuples()}
