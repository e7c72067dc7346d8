"""Every change is recorded; deletion goes to the recycle bin and comes back exactly."""

import datetime as dt

import pytest

from db import codes
from db.changelog import history
from db.errors import UserError
from db.models import (
    Appointment,
    Cadre,
    ChangeLog,
    Organization,
    OrgYear,
    TrainingAttendance,
    Village,
    VillageYear,
)
from db.recycle import bin_entries, move_to_bin, restore


def test_an_edit_records_table_record_field_old_and_new_value(sample):
    sample("small")
    cadre = Cadre.select().first()
    old_phone = cadre.phone
    cadre.phone = "13900000000"
    cadre.birth_date = dt.date(1980, 1, 2)
    cadre.save()
    changes = [c for c in history("cadre", cadre.id) if c.action == "update"]
    assert {(c.field_name, c.old_value, c.new_value) for c in changes} >= {
        ("phone", old_phone, "13900000000"),
    }
    assert any(c.field_name == "birth_date" and c.new_value == "1980-01-02" for c in changes)
    assert all(c.time is not None for c in changes)


def test_saving_without_a_change_records_nothing(sample):
    sample("small")
    cadre = Cadre.select().first()
    before = ChangeLog.select().count()
    cadre.save()
    assert ChangeLog.select().count() == before


def test_a_new_record_is_logged_as_created(blank):
    village = Village.create(name="新村", kind=codes.VILLAGE)
    assert [c.action for c in history("village", village.id)] == ["create"]


def snapshot(cadre_id):
    cadre = Cadre.get_by_id(cadre_id)
    return (
        cadre.__data__.copy(),
        sorted(a.__data__["id"] for a in cadre.appointments),
        sorted(t.training_id for t in cadre.trainings),
    )


def test_deleting_a_cadre_moves_them_and_their_posts_to_the_bin_and_restore_brings_all_back(sample):
    sample("township")
    cadre = (
        Cadre.select()
        .join(TrainingAttendance)
        .switch(Cadre)
        .join(Appointment)
        .group_by(Cadre)
        .first()
    )
    before = snapshot(cadre.id)
    assert before[1] and before[2]
    entry = move_to_bin(cadre)
    assert Cadre.get_or_none(Cadre.id == cadre.id) is None
    assert Appointment.select().where(Appointment.cadre == cadre.id).count() == 0
    assert [e.id for e in bin_entries()] == [entry.id]
    assert entry.label == f"干部 {cadre.name}"

    restore(entry.id)
    assert snapshot(cadre.id) == before
    assert bin_entries() == []
    assert [c.action for c in history("cadre", cadre.id)][-2:] == ["delete", "restore"]


def test_deleting_a_village_clears_links_and_restore_puts_them_back(sample):
    sample("small")
    village = Village.select().first()
    orgs = [o.id for o in village.organizations]
    years = VillageYear.select().where(VillageYear.village == village).count()
    entry = move_to_bin(village)
    assert Organization.select().where(Organization.id.in_(orgs)).count() == len(orgs)
    assert all(o.village_id is None for o in Organization.select().where(Organization.id.in_(orgs)))
    assert VillageYear.select().where(VillageYear.village == village.id).count() == 0

    restore(entry.id)
    assert {o.id for o in Village.get_by_id(village.id).organizations} == set(orgs)
    assert VillageYear.select().where(VillageYear.village == village.id).count() == years


def test_deleting_a_committee_keeps_its_branches_and_restore_relinks_them(sample):
    sample("township")
    parent = Organization.select().where(Organization.kind == codes.GENERAL_BRANCH).first()
    children = {o.id for o in parent.children}
    yearly = OrgYear.select().where(OrgYear.organization == parent).count()
    entry = move_to_bin(parent)
    assert Organization.select().where(Organization.id.in_(children)).count() == len(children)
    restore(entry.id)
    assert {o.id for o in Organization.get_by_id(parent.id).children} == children
    assert OrgYear.select().where(OrgYear.organization == parent.id).count() == yearly


def test_restoring_what_belonged_to_a_deleted_record_is_refused_with_a_clear_message(sample):
    sample("small")
    appointment = Appointment.select().first()
    inner = move_to_bin(appointment)
    move_to_bin(Cadre.get_by_id(appointment.cadre_id))
    with pytest.raises(UserError, match="无法恢复"):
        restore(inner.id)
    assert Appointment.get_or_none(Appointment.id == appointment.id) is None


def test_restoring_twice_is_refused(sample):
    sample("small")
    entry = move_to_bin(Cadre.select().first())
    restore(entry.id)
    with pytest.raises(UserError, match="已经恢复"):
        restore(entry.id)
