"""The recycle bin (回收站): deletion that can be undone.

Deleting a record takes with it everything it owns (ON DELETE CASCADE: a cadre's posts,
a village's yearly figures …) and clears the links that merely point at it (SET NULL).
All of that is kept in one bin entry, so a restore puts back exactly what was there.
"""

from __future__ import annotations

import json

import peewee

from db import changelog
from db.errors import UserError
from db.models import RecycleBin, database, now

TABLE_LABELS = {
    "township": "乡镇",
    "stat_year": "统计年度",
    "finding_note": "审核说明",
    "village": "村(社区)",
    "organization": "党组织",
    "cadre": "干部",
    "appointment": "任职",
    "enrollment": "学历提升",
    "training": "培训",
    "project": "扶持项目",
    "collective_economy": "集体经济",
    "org_year": "党组织年度情况",
    "village_year": "村(社区)年度情况",
    "project_year": "项目年度情况",
    "project_village": "项目实施村",
    "training_attendance": "参训人员",
}


def _row(model, pk) -> dict:
    table = model._meta.table_name
    cursor = database.execute_sql(f'SELECT * FROM "{table}" WHERE "id" = ?', (pk,))
    names = [c[0] for c in cursor.description]
    values = cursor.fetchone()
    return dict(zip(names, values))


def _collect(model, pk, rows: list, links: list) -> None:
    rows.append({"table": model._meta.table_name, "values": _row(model, pk)})
    for fk, child in model._meta.backrefs.items():
        ids = [c[0] for c in child.select(child._meta.primary_key).where(fk == pk).tuples()]
        if not ids:
            continue
        if (fk.on_delete or "").upper() == "CASCADE":
            for child_pk in ids:
                _collect(child, child_pk, rows, links)
        else:
            links.extend(
                {"table": child._meta.table_name, "id": i, "column": fk.column_name, "value": pk}
                for i in ids
            )


def describe(record: peewee.Model) -> str:
    table = record._meta.table_name
    name = getattr(record, "name", None) or getattr(record, "title", None) or f"#{record._pk}"
    return f"{TABLE_LABELS.get(table, table)} {name}"


def move_to_bin(record: peewee.Model, label: str | None = None) -> RecycleBin:
    """Delete `record` and what it owns, keeping all of it in the recycle bin."""
    model = type(record)
    with database.atomic():
        rows: list = []
        links: list = []
        _collect(model, record._pk, rows, links)
        # self-references (an organization's own sub-organizations) are links, not rows
        links = [
            link
            for link in links
            if not any(
                r["table"] == link["table"] and r["values"]["id"] == link["id"] for r in rows
            )
        ]
        entry = RecycleBin.create(
            table_name=model._meta.table_name,
            record_id=str(record._pk),
            label=label or describe(record),
            payload=json.dumps({"rows": rows, "links": links}, ensure_ascii=False),
        )
        model.delete().where(model._meta.primary_key == record._pk).execute()
        changelog.log(model._meta.table_name, record._pk, "delete", note=entry.label)
    return entry


def bin_entries(include_restored: bool = False) -> list[RecycleBin]:
    query = RecycleBin.select().order_by(RecycleBin.id.desc())
    if not include_restored:
        query = query.where(RecycleBin.restored_at.is_null())
    return list(query)


def restore(entry_id: int) -> RecycleBin:
    """Put a deleted record back, with its ids, what it owned and the links to it."""
    entry = RecycleBin.get_or_none(RecycleBin.id == entry_id)
    if entry is None or entry.restored_at is not None:
        raise UserError("回收站中没有这条记录，或它已经恢复。")
    payload = json.loads(entry.payload)
    with database.atomic():
        for row in payload["rows"]:
            values = row["values"]
            columns = ", ".join(f'"{c}"' for c in values)
            marks = ", ".join("?" for _ in values)
            try:
                database.execute_sql(
                    f'INSERT INTO "{row["table"]}" ({columns}) VALUES ({marks})',
                    tuple(values.values()),
                )
            except peewee.IntegrityError as exc:
                raise UserError(
                    f"无法恢复“{entry.label}”：它所属的记录已不存在或已有相同的记录，"
                    "请先恢复或删除相关记录。"
                ) from exc
        for link in payload["links"]:
            database.execute_sql(
                f'UPDATE "{link["table"]}" SET "{link["column"]}" = ? '
                f'WHERE "id" = ? AND "{link["column"]}" IS NULL',
                (link["value"], link["id"]),
            )
        entry.restored_at = now()
        entry.save()
        changelog.log(entry.table_name, entry.record_id, "restore", note=entry.label)
    return entry
