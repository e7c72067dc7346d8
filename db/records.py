"""Lookups and writes that imports need, on plain values (the planning happens elsewhere)."""

from __future__ import annotations

import datetime as dt

from peewee import JOIN, fn

from db import codes
from db.bulk import bulk_insert
from db.models import (
    Appointment,
    Cadre,
    ChangeLog,
    CollectiveEconomy,
    Enrollment,
    Organization,
    OrgYear,
    Project,
    ProjectVillage,
    ProjectYear,
    Training,
    TrainingAttendance,
    Village,
    VillageYear,
    database,
    now,
)
from db.years import resolve_year


def assign(record, values: dict):
    """Set the fields of `record` from `values` and save it (the change log records each)."""
    for name, value in values.items():
        setattr(record, name, value)
    record.save()
    return record


def transaction():
    return database.atomic()


def village_names() -> dict[int, str]:
    """Every village's name by id, those no longer reporting too (old records name them)."""
    return {v.id: v.name for v in Village.select(Village.id, Village.name)}


def villages_by_name() -> dict[str, Village]:
    return {v.name: v for v in Village.select()}


def cadres_by_id_number() -> dict[str, Cadre]:
    return {c.id_number: c for c in Cadre.select()}


def cadre(cadre_id: int) -> Cadre:
    return Cadre.get_by_id(cadre_id)


def village(village_id: int) -> Village:
    return Village.get_by_id(village_id)


def village_by_name(name: str) -> Village | None:
    return Village.get_or_none(Village.name == name)


def village_year(village_id: int, year: int) -> VillageYear | None:
    return VillageYear.get_or_none((VillageYear.village == village_id) & (VillageYear.year == year))


def save_village(village_id: int | None, year: int, values: dict, yearly: dict) -> Village:
    """A village and its figures for `year` (so that it reports in that year)."""
    place = (
        Village.get_by_id(village_id)
        if village_id
        else Village(sort_order=(Village.select().count() or 0) + 1)
    )
    assign(place, values)
    row = village_year(place.id, year) or VillageYear(village=place, year=year)
    assign(row, yearly)
    return place


def project(project_id: int) -> Project:
    return Project.get_by_id(project_id)


def project_year(project_id: int, year: int) -> ProjectYear | None:
    return ProjectYear.get_or_none((ProjectYear.project == project_id) & (ProjectYear.year == year))


def save_project(project_id, year: int, values: dict, yearly: dict, shares: dict) -> Project:
    """A project, its record for `year`, and the villages sharing it (replaced as given)."""
    item = Project.get_by_id(project_id) if project_id else Project()
    assign(item, values)
    row = project_year(item.id, year) or ProjectYear(project=item, year=year)
    assign(row, yearly)
    current = {
        link.village_id: link
        for link in ProjectVillage.select().where(ProjectVillage.project == item)
    }
    for village_id, link in current.items():
        if village_id not in shares:
            link.delete_instance()
    for village_id, share in shares.items():
        link = current.get(village_id) or ProjectVillage(project=item, village=village_id)
        link.share = share
        link.save()
    return item


def update_township(**values) -> None:
    from db.connection import township

    with database.atomic():
        place = township()
        for name, value in values.items():
            if value:
                setattr(place, name, value)
        place.save()


def organization(org_id: int) -> Organization:
    return Organization.get_by_id(org_id)


def organization_choices() -> list[tuple[int, str]]:
    """(id, name) of every organization, village by village."""
    query = (
        Organization.select(Organization.id, Organization.name)
        .join(Village, on=(Organization.village == Village.id), join_type=JOIN.LEFT_OUTER)
        .order_by(Village.sort_order, Organization.name)
    )
    return list(query.tuples())


def org_year(org_id: int, year: int) -> OrgYear | None:
    return OrgYear.get_or_none((OrgYear.organization == org_id) & (OrgYear.year == year))


def save_organization(org_id: int | None, year: int, org_values: dict, year_values: dict):
    """An organization and its record for `year` (created if it has none yet)."""
    org = Organization.get_by_id(org_id) if org_id else Organization()
    assign(org, org_values)
    row = org_year(org.id, year) or OrgYear(organization=org, year=year)
    assign(row, year_values)
    return org


def appointments_of(cadre_id: int) -> list[Appointment]:
    """A cadre's posts, the latest first."""
    query = Appointment.select().where(Appointment.cadre == cadre_id)
    return list(query.order_by(Appointment.start_date.desc()))


def appointment(appointment_id: int) -> Appointment:
    return Appointment.get_by_id(appointment_id)


def save_appointment(appointment_id: int | None, values: dict) -> Appointment:
    return assign(
        Appointment.get_by_id(appointment_id) if appointment_id else Appointment(), values
    )


def seat_terms(posts, organization_id: int | None, village_id: int | None) -> list[Appointment]:
    """Every term in `posts` at one seat: the organization if given, else the village."""
    query = Appointment.select().where(Appointment.post.in_(list(posts)))
    if organization_id:
        query = query.where(Appointment.organization == organization_id)
    else:
        query = query.where(
            (Appointment.village == village_id) & Appointment.organization.is_null()
        )
    return list(query.order_by(Appointment.start_date))


def main_organization(village_id: int) -> int | None:
    """The village's own party organization (the one whose parent, if any, is not in the
    village: none, or the township's 党委), if exactly one."""
    above = Organization.alias()
    query = (
        Organization.select(Organization.id)
        .join(above, JOIN.LEFT_OUTER, on=(Organization.parent == above.id))
        .where(
            (Organization.village == village_id)
            & (
                Organization.parent.is_null()
                | above.village.is_null()
                | (above.village != village_id)
            )
        )
    )
    found = [row[0] for row in query.limit(2).tuples()]
    return found[0] if len(found) == 1 else None


def enrollment(enrollment_id: int) -> Enrollment:
    return Enrollment.get_by_id(enrollment_id)


def enrollments_of(cadre_id: int) -> list[Enrollment]:
    query = Enrollment.select().where(Enrollment.cadre == cadre_id)
    return list(query.order_by(Enrollment.start_date.desc()))


def save_enrollment(enrollment_id: int | None, values: dict) -> Enrollment:
    return assign(Enrollment.get_by_id(enrollment_id) if enrollment_id else Enrollment(), values)


def training(training_id: int) -> Training:
    return Training.get_by_id(training_id)


def attendee_ids(training_id: int) -> set[int]:
    query = TrainingAttendance.select(TrainingAttendance.cadre)
    return {row[0] for row in query.where(TrainingAttendance.training == training_id).tuples()}


def save_training(training_id: int | None, values: dict, attendees: set[int]) -> Training:
    """A training and the cadres registered as attending it (replaced as given)."""
    item = assign(Training.get_by_id(training_id) if training_id else Training(), values)
    current = {
        link.cadre_id: link
        for link in TrainingAttendance.select().where(TrainingAttendance.training == item)
    }
    for cadre_id, link in current.items():
        if cadre_id not in attendees:
            link.delete_instance()
    for cadre_id in sorted(attendees - set(current)):
        TrainingAttendance.create(training=item, cadre=cadre_id)
    return item


def cadre_choices() -> list[tuple[int, str, str]]:
    """(id, name, village) of every cadre, village by village, for pick lists."""
    query = (
        Cadre.select(Cadre.id, Cadre.name, fn.COALESCE(Village.name, ""))
        .join(Village, on=(Cadre.village == Village.id), join_type=JOIN.LEFT_OUTER)
        .order_by(Village.sort_order.is_null(), Village.sort_order, Cadre.name)
    )
    return list(query.tuples())


def years_of(model, owner: str, owner_id: int) -> list:
    """A record's yearly rows (VillageYear, OrgYear, ProjectYear), the latest first."""
    query = model.select().where(getattr(model, owner) == owner_id)
    return list(query.order_by(model.year.desc()))


def project_village_ids(project_id: int) -> list[int]:
    query = ProjectVillage.select(ProjectVillage.id).where(ProjectVillage.project == project_id)
    return [row[0] for row in query.tuples()]


def attendance_ids(training_id: int) -> list[int]:
    query = TrainingAttendance.select(TrainingAttendance.id)
    return [row[0] for row in query.where(TrainingAttendance.training == training_id).tuples()]


def cadre_by_id_number(number: str) -> Cadre | None:
    return Cadre.get_or_none(Cadre.id_number == number)


def open_posts() -> set[tuple[int, str, int | None]]:
    """(cadre, post, village) of every post not yet left."""
    query = Appointment.select(Appointment.cadre, Appointment.post, Appointment.village)
    return set(query.where(Appointment.end_date.is_null()).tuples())


def economy_rows(year: int) -> dict[int, CollectiveEconomy]:
    query = CollectiveEconomy.select().where(CollectiveEconomy.year == year)
    return {row.village_id: row for row in query}


def save_cadre(existing: Cadre | None, values: dict) -> Cadre:
    return assign(existing or Cadre(), values)


VILLAGE_PARTY_POSTS = (
    codes.VILLAGE_SECRETARY,
    codes.VILLAGE_DEPUTY_SECRETARY,
    codes.VILLAGE_PARTY_COMMITTEE_MEMBER,
)


def save_economy(row: CollectiveEconomy, values: dict) -> CollectiveEconomy:
    return assign(row, values)


def set_economy_field(village_id: int, year: int, field: str, amount) -> CollectiveEconomy:
    """One amount of a village's accounts for `year`, creating the record if needed."""
    row = CollectiveEconomy.get_or_none(
        (CollectiveEconomy.village == village_id) & (CollectiveEconomy.year == year)
    ) or CollectiveEconomy(village=village_id, year=year)
    return assign(row, {field: amount})


def year_start(year: int | None) -> dt.date:
    return dt.date(resolve_year(year).year, 1, 1)


class BulkWriter:
    """New rows collected during an import and inserted in bulk at `flush()`,
    each creation logged; ids are given out at once so later rows can refer to them.
    Call inside a transaction."""

    def __init__(self) -> None:
        self.rows: dict[type, list[dict]] = {}
        self.next_ids: dict[type, int] = {}
        self.villages: dict[str, int] = {v.name: v.id for v in Village.select()}
        self.village_years: set[tuple[int, int]] = set(
            VillageYear.select(VillageYear.village, VillageYear.year).tuples()
        )
        self.main_orgs: dict[int, int | None] = {}
        # (cadre, post, village) → id of each open post written by this import, so that two
        # registers naming the same post (表2's 书记, 表3's 村党组织书记) record it once
        self.posts_made: dict[tuple, int] = {}

    def add(self, model, **values) -> int:
        if model not in self.next_ids:
            self.next_ids[model] = model.select(fn.MAX(model.id)).scalar() or 0
        self.next_ids[model] += 1
        row = {**model._meta.get_default_dict(), **values, "id": self.next_ids[model]}
        self.rows.setdefault(model, []).append(row)
        return row["id"]

    def village(self, name: str, year: int) -> int:
        """The id of the village called `name`, created if missing; it reports in `year`."""
        if name not in self.villages:
            kind = codes.COMMUNITY if name.endswith("社区") else codes.VILLAGE
            self.villages[name] = self.add(
                Village, name=name, kind=kind, sort_order=len(self.villages) + 1
            )
        village_id = self.villages[name]
        if (village_id, year) not in self.village_years:
            self.village_years.add((village_id, year))
            self.add(VillageYear, village=village_id, year=year)
        return village_id

    def main_organization(self, village_id: int) -> int | None:
        if village_id not in self.main_orgs:
            self.main_orgs[village_id] = main_organization(village_id)
        return self.main_orgs[village_id]

    def appointment(
        self,
        cadre_id: int,
        post: str,
        village_id: int | None,
        start: dt.date | None,
        sending_unit: str = "",
        sending_unit_post: str = "",
        end: dt.date | None = None,
    ) -> int:
        if end is None and (cadre_id, post, village_id) in self.posts_made:
            made = self.posts_made[(cadre_id, post, village_id)]
            values = {"start_date": start, "sending_unit": sending_unit}
            values = {
                k: v for k, v in {**values, "sending_unit_post": sending_unit_post}.items() if v
            }
            pending = [r for r in self.rows.get(Appointment, []) if r["id"] == made]
            if pending:
                pending[0].update(values)
            elif values:
                assign(Appointment.get_by_id(made), values)
            return made
        organization = None
        if village_id is not None and post in VILLAGE_PARTY_POSTS:
            organization = self.main_organization(village_id)
        made = self.add(
            Appointment,
            cadre=cadre_id,
            post=post,
            village=village_id,
            organization=organization,
            start_date=start,
            sending_unit=sending_unit,
            sending_unit_post=sending_unit_post,
            end_date=end,
        )
        if end is None:
            self.posts_made[(cadre_id, post, village_id)] = made
        return made

    def flush(self) -> None:
        database.execute_sql("PRAGMA defer_foreign_keys = ON")
        stamp = now()
        log = []
        for model, rows in self.rows.items():
            bulk_insert(model, rows)
            log.extend(
                {
                    "time": stamp,
                    "table_name": model._meta.table_name,
                    "record_id": str(r["id"]),
                    "action": "create",
                    "field_name": "",
                    "note": "导入",
                }
                for r in rows
            )
        bulk_insert(ChangeLog, log)
        self.rows.clear()
