"""What a record is, whatever its internal id: the identities by which our own workbook is
restored into an existing database, and by which the county merge compares townships.

A cadre is his ID number, a village its code or its name, an organization its name in its
village (and under its parent), a project its name and 立项年度, a year's figures their
record and year, and so on. `match_rows` pairs the workbook's rows with ours by these
identities, gives the workbook's rows our ids (new ones for records we lack, foreign keys
remapped) and says what is added, updated, unchanged and kept; rows that would turn one
record into another are conflicts, named in words.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from db.models import DATA_MODELS, ForeignKeyField

TABLES = {model._meta.table_name: model for model in DATA_MODELS}
PRIMARY_KEYS = {name: model._meta.primary_key.column_name for name, model in TABLES.items()}
FOREIGN_KEYS: dict[str, dict[str, str]] = {
    name: {
        f.column_name: f.rel_model._meta.table_name
        for f in model._meta.sorted_fields
        if isinstance(f, ForeignKeyField)
    }
    for name, model in TABLES.items()
}
UNKNOWN = object()  # a reference to a record the workbook does not hold

Ref = Callable[[str], object]  # a foreign-key column → the referenced record's id (ours)


def cadre_identity(id_number) -> str:
    """A person: the ID number, as typed whatever the case of its check letter."""
    return str(id_number or "").strip().upper()


def _key(*columns: str, refs: tuple[str, ...] = ()):
    def key(row: dict, ref: Ref) -> tuple:
        return tuple(ref(c) for c in refs) + tuple(row.get(c) for c in columns)

    return key


# table → (identity, tie-break among records of equal identity); villages and cadres have
# their own matching below (two identities, or an identity that must agree with the name)
IDENTITIES: dict[str, tuple[Callable, Callable | None]] = {
    "township": (lambda row, ref: (), None),  # the one township of the database
    "stat_year": (_key("year"), None),
    "village_year": (_key("year", refs=("village_id",)), None),
    "organization": (_key("name", refs=("village_id",)), _key(refs=("parent_id",))),
    "org_year": (_key("year", refs=("organization_id",)), None),
    "appointment": (
        _key("post", "start_date", refs=("cadre_id", "village_id", "organization_id")),
        _key("end_date"),
    ),
    "enrollment": (_key("level", "start_date", refs=("cadre_id",)), _key("school", "major")),
    "training": (_key("year", "title", "start_date"), _key("end_date", "program")),
    "training_attendance": (_key(refs=("training_id", "cadre_id")), None),
    "collective_economy": (_key("year", refs=("village_id",)), None),
    "project": (_key("name", "start_year"), _key("type")),
    "project_village": (_key(refs=("project_id", "village_id")), None),
    "project_year": (_key("year", refs=("project_id",)), None),
}


def describe(table: str, row: dict) -> str:
    """A record in words, for the preview and for conflicts ('' for a table of details)."""
    if table == "cadre":
        return f"{row.get('name', '')}（{row.get('id_number', '')}）"
    if table == "village":
        code = row.get("code") or ""
        return f"{row.get('name', '')}（{code}）" if code else str(row.get("name", ""))
    if table in ("organization", "project"):
        return str(row.get("name", ""))
    if table == "training":
        return str(row.get("title", ""))
    if table == "stat_year":
        return f"{row.get('year')}年"
    return ""


def _same(a, b) -> bool:
    return json.dumps(a, default=str) == json.dumps(b, default=str)


@dataclass
class TableMatch:
    """One table of a restore: the workbook's rows with our ids, and what becomes of ours."""

    ids: dict = field(default_factory=dict)  # the workbook's id → ours (existing or new)
    added: list[dict] = field(default_factory=list)  # rows to insert (our new ids)
    updated: list[tuple[dict, dict]] = field(default_factory=list)  # (row to write, ours)
    unchanged: list[dict] = field(default_factory=list)  # ours, as the workbook has them
    kept: list[dict] = field(default_factory=list)  # ours, which the workbook lacks


@dataclass
class Match:
    tables: dict[str, TableMatch] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)  # in words, naming both records
    orphan_notes: int = 0  # 审核说明 whose record the workbook does not hold (left out)

    def counts(self) -> dict[str, dict[str, int]]:
        return {
            table: {
                "add": len(m.added),
                "update": len(m.updated),
                "unchanged": len(m.unchanged),
                "keep": len(m.kept),
            }
            for table, m in self.tables.items()
        }


class _Matcher:
    def __init__(self, workbook: dict[str, list[dict]], ours: dict[str, list[dict]]):
        self.workbook, self.ours = workbook, ours
        self.result = Match()

    # --- references -----------------------------------------------------------------------

    def mapped(self, table: str, value):
        if value is None:
            return None
        return self.result.tables[table].ids.get(value, UNKNOWN)

    def workbook_ref(self, table: str, row: dict) -> Ref:
        fks = FOREIGN_KEYS[table]
        return lambda column: self.mapped(fks[column], row.get(column))

    @staticmethod
    def our_ref(row: dict) -> Ref:
        return lambda column: row.get(column)

    # --- pairing --------------------------------------------------------------------------

    def run(self) -> Match:
        for table in TABLES:
            self.result.tables[table] = TableMatch()
            rows = self.workbook.get(table, [])
            if table == "organization":
                rows = self.parents_first(rows)
            pairs = (
                self.villages(rows)
                if table == "village"
                else self.cadres(rows)
                if table == "cadre"
                else self.notes(rows)
                if table == "finding_note"
                else self.by_identity(table, rows)
            )
            self.settle(table, pairs)
        return self.result

    def by_identity(self, table: str, rows: list[dict]) -> list[tuple[dict, dict | None]]:
        """Pair rows whose identity (then tie-break) agrees; equal identities pair in order."""
        identity, tie = IDENTITIES[table]
        buckets: dict[tuple, list[dict]] = {}
        for mine in self.ours.get(table, []):
            buckets.setdefault(identity(mine, self.our_ref(mine)), []).append(mine)
        pairs = []
        pk = PRIMARY_KEYS[table]
        ids = self.result.tables[table].ids
        for row in rows:
            ref = self.workbook_ref(table, row)
            candidates = buckets.get(identity(row, ref), [])
            chosen = None
            if candidates:
                if tie is not None and len(candidates) > 1:
                    wanted = tie(row, ref)
                    chosen = next(
                        (c for c in candidates if tie(c, self.our_ref(c)) == wanted), None
                    )
                chosen = chosen or candidates[0]
                candidates.remove(chosen)
                ids[row[pk]] = chosen[pk]  # known at once: a child organization's parent
            pairs.append((row, chosen))
        return pairs

    def villages(self, rows: list[dict]) -> list[tuple[dict, dict | None]]:
        """A village is its code or its name; both must point to the same village of ours."""
        by_code: dict[str, list[dict]] = {}
        by_name: dict[str, dict] = {}
        for mine in self.ours.get("village", []):
            if mine.get("code"):
                by_code.setdefault(mine["code"], []).append(mine)
            by_name[mine["name"]] = mine
        taken: dict[int, dict] = {}
        pairs = []
        for row in rows:
            named = by_name.get(row.get("name"))
            coded = by_code.get(row.get("code") or "", [])
            chosen = None
            if named is not None and (not coded or named in coded):
                chosen = named
            elif named is not None:
                self.conflict(
                    "村(社区)",
                    f"报表中的“{describe('village', row)}”：区划代码与本库的"
                    f"“{describe('village', coded[0])}”相同，名称却是本库的"
                    f"“{describe('village', named)}”",
                )
                pairs.append((row, None))
                continue
            elif coded:
                chosen = next((c for c in coded if c["id"] not in taken), coded[0])
            if chosen is not None and chosen["id"] in taken:
                self.conflict(
                    "村(社区)",
                    f"报表中的“{describe('village', taken[chosen['id']])}”和"
                    f"“{describe('village', row)}”都对应本库的“{describe('village', chosen)}”",
                )
                pairs.append((row, None))
                continue
            if chosen is not None:
                taken[chosen["id"]] = row
                self.result.tables["village"].ids[row["id"]] = chosen["id"]
            pairs.append((row, chosen))
        return pairs

    def cadres(self, rows: list[dict]) -> list[tuple[dict, dict | None]]:
        """A cadre is his ID number; the same number under another name is another person."""
        ours = {cadre_identity(c["id_number"]): c for c in self.ours.get("cadre", [])}
        pairs = []
        for row in rows:
            mine = ours.get(cadre_identity(row.get("id_number")))
            if mine is not None and mine.get("name") != row.get("name"):
                self.conflict(
                    "干部",
                    f"身份证号 {mine['id_number']} 在本库中是{person(mine)}，"
                    f"在报表中却是{person(row)}",
                )
                pairs.append((row, None))
                continue
            if mine is not None:
                self.result.tables["cadre"].ids[row["id"]] = mine["id"]
            pairs.append((row, mine))
        return pairs

    def notes(self, rows: list[dict]) -> list[tuple[dict, dict | None]]:
        """A 说明 belongs to its rule and record: the record key is remapped to our id."""
        kept = []
        for row in rows:
            key = self.record_key(row.get("record_key") or "")
            if key is None:
                self.result.orphan_notes += 1
                continue
            kept.append({**row, "record_key": key})
        ours = {
            (n["year"], n["rule_id"], n["record_key"]): n for n in self.ours.get("finding_note", [])
        }
        ids = self.result.tables["finding_note"].ids
        pairs = []
        for row in kept:
            mine = ours.pop((row["year"], row["rule_id"], row["record_key"]), None)
            if mine is not None:
                ids[row["id"]] = mine["id"]
            pairs.append((row, mine))
        return pairs

    def record_key(self, key: str) -> str | None:
        table, _, number = key.partition(":")
        if table not in TABLES or not number.lstrip("-").isdigit():
            return None
        if table == "township":
            return key
        if table not in self.result.tables:
            return None
        ours = self.result.tables[table].ids.get(int(number))
        return None if ours is None else f"{table}:{ours}"

    @staticmethod
    def parents_first(rows: list[dict]) -> list[dict]:
        """Organizations with each parent before its children (so a child's tie-break can
        use its parent's id); a loop of parents, which cannot be, ends the walk up."""
        by_id = {r["id"]: r for r in rows}
        ordered, seen = [], set()
        for row in rows:
            chain = []
            while row is not None and row["id"] not in seen:
                seen.add(row["id"])
                chain.append(row)
                row = by_id.get(row.get("parent_id"))
            ordered.extend(reversed(chain))
        return ordered

    def conflict(self, label: str, text: str) -> None:
        self.result.conflicts.append(f"{label}：{text}")

    # --- ids and foreign keys ---------------------------------------------------------------

    def settle(self, table: str, pairs: list[tuple[dict, dict | None]]) -> None:
        """New ids for added rows, foreign keys remapped, and added/updated/unchanged/kept."""
        match = self.result.tables[table]
        pk = PRIMARY_KEYS[table]
        ours = self.ours.get(table, [])
        natural = pk != "id" or table == "township"
        next_id = max((r[pk] for r in ours), default=0) + 1 if not natural else None
        for row, mine in pairs:
            if mine is None and row[pk] not in match.ids:
                if natural:
                    match.ids[row[pk]] = row[pk]
                else:
                    match.ids[row[pk]] = next_id
                    next_id += 1
        fks = FOREIGN_KEYS[table]
        matched = set()
        for row, mine in pairs:
            new = dict(row)
            new[pk] = match.ids[row[pk]]
            for column, parent in fks.items():
                value = self.mapped(parent, row.get(column))
                if value is UNKNOWN:
                    self.conflict(
                        TABLE_WORDS.get(table, table),
                        f"报表数据页中的一条记录引用了不存在的{TABLE_WORDS.get(parent, parent)}",
                    )
                    value = None
                new[column] = value
            if mine is None:
                match.added.append(new)
                continue
            matched.add(mine[pk])
            if all(new[c] == mine.get(c) or _same(new[c], mine.get(c)) for c in new):
                match.unchanged.append(mine)
            else:
                match.updated.append((new, mine))
        match.kept = [r for r in ours if r[pk] not in matched]


TABLE_WORDS = {
    "village": "村(社区)",
    "organization": "党组织",
    "cadre": "干部",
    "training": "培训",
    "project": "扶持项目",
}


def person(row: dict) -> str:
    born = str(row.get("birth_date") or "")[:10]
    return f"“{row.get('name', '')}”（{born} 出生）" if born else f"“{row.get('name', '')}”"


def match_rows(workbook: dict[str, list[dict]], ours: dict[str, list[dict]]) -> Match:
    """Pair the workbook's rows with ours by identity, never by internal id."""
    return _Matcher(workbook, ours).run()
