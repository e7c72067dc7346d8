"""The change history: every insert, update, deletion and restore, field by field."""

from __future__ import annotations

from peewee import Model

from db.models import ChangeLog, now


def _text(field, value) -> str | None:
    if value is None:
        return None
    if isinstance(value, Model):
        value = value._pk
    value = field.db_value(value)
    return None if value is None else str(value)


def record_key(instance: Model) -> str:
    return f"{instance._meta.table_name}:{instance._pk}"


def log(table: str, record_id, action: str, field="", old=None, new=None, note="") -> None:
    ChangeLog.create(
        time=now(),
        table_name=table,
        record_id=str(record_id),
        action=action,
        field_name=field,
        old_value=old,
        new_value=new,
        note=note,
    )


def record_save(instance: Model, save, *, force_insert: bool, only) -> int:
    """Run `save` and log what it changed. Called inside a transaction by AuditedModel."""
    model = type(instance)
    meta = model._meta
    inserting = force_insert or instance._pk is None
    old = None
    if not inserting:
        old = model.select().where(meta.primary_key == instance._pk).dicts().get_or_none()
        inserting = old is None and force_insert
    result = save(force_insert=force_insert, only=only)
    if inserting or old is None:
        log(meta.table_name, instance._pk, "create")
        return result
    for name, field in meta.fields.items():
        if field.primary_key:
            continue
        before = _text(field, old.get(field.column_name if field.column_name in old else name))
        after = _text(field, instance.__data__.get(name))
        if before != after:
            log(meta.table_name, instance._pk, "update", name, before, after)
    return result


def history(table: str, record_id) -> list[ChangeLog]:
    """The changes of one record, oldest first."""
    return list(
        ChangeLog.select()
        .where((ChangeLog.table_name == table) & (ChangeLog.record_id == str(record_id)))
        .order_by(ChangeLog.id)
    )


def changes(table: str | None = None, record_id=None) -> list[ChangeLog]:
    """The change log, oldest first, optionally of one table or one record."""
    query = ChangeLog.select().order_by(ChangeLog.id)
    if table:
        query = query.where(ChangeLog.table_name == table)
    if record_id is not None:
        query = query.where(ChangeLog.record_id == str(record_id))
    return list(query)


def changes_of(records: dict[str, list]) -> list[ChangeLog]:
    """The changes of several records ({table: [ids]}), oldest first."""
    condition = None
    for table, ids in records.items():
        if not ids:
            continue
        part = (ChangeLog.table_name == table) & ChangeLog.record_id.in_([str(i) for i in ids])
        condition = part if condition is None else condition | part
    if condition is None:
        return []
    return list(ChangeLog.select().where(condition).order_by(ChangeLog.id))
