"""Party-organization rosters typed elsewhere (表2-like or a county's own): one organization
a row, matched by name and village (updated, never duplicated). 上级党组织 is found by name
in the file (in any row order: a branch may come before its 党总支) or in the database;
the year's figures go to the chosen year; 书记 is linked to an existing cadre only where
that can be done faithfully, else said in a notice."""

from __future__ import annotations

from db import codes, records, register_imports
from db.connection import township
from db.dates import date_bound
from db.models import Appointment, Organization, OrgYear
from desktop import code_words
from desktop.imports.headers import Header, data_rows, read_cells
from desktop.imports.plan import ADD, REFUSE, UNCHANGED, UPDATE, ImportPlan, RowOutcome
from desktop.imports.values import clean_text, is_blank, parse_date, parse_id_number
from desktop.imports.villages import VillageNames, refuse_other_township, resolve_village
from resources import code_table

MEMBERS = {
    "members_full": ("正式党员", "正式", "党员数正式党员", "党员数正式", "正式党员数"),
    "members_probationary": ("预备党员", "预备", "党员数预备党员", "党员数预备", "预备党员数"),
    "members_female": ("女", "女党员", "其中女", "党员数女", "女党员数"),
    "members_minority": ("少数民族", "少数民族党员", "其中少数民族", "党员数少数民族"),
    "members_35_under": ("35岁及以下", "35岁以下", "其中35岁及以下", "党员数35岁及以下"),
    "members_college": ("大专及以上", "大专及以上学历", "其中大专及以上", "党员数大专及以上"),
}
ALIASES = {
    "name": ("党组织名称", "党组织全称", "组织名称", "党组织"),
    "kind": ("类型", "党组织类型", "组织类型", "党组织类别", "组织类别"),
    "field": ("所属领域", "领域"),
    "parent": ("上级党组织", "上级党组织名称", "隶属党组织", "上级组织"),
    "village": ("所在村(社区)", "村(社区)", "所在村", "所在村(社区)名称"),
    "secretary": ("书记", "党组织书记", "书记姓名"),
    "secretary_id": ("书记身份证号", "书记身份证号码"),
    "members_total": ("党员数", "党员总数", "党员数合计", "合计党员数", "党员人数"),
    **MEMBERS,
    "rating": ("分类定级", "定级", "分类定级情况", "定级结果"),
    "weak_lax": ("软弱涣散", "是否软弱涣散", "是否软弱涣散党组织", "软弱涣散党组织"),
    "rectification": ("整顿措施", "整顿情况"),
    "creation": ("创建情况", "创建", "示范创建", "创建等次"),
    "founded": ("成立时间", "成立日期", "建立时间", "组建时间"),
    "notes": ("备注",),
}
REQUIRED = ("name",)
LABELS = {
    "name": "党组织名称",
    "kind": "类型",
    "field": "所属领域",
    "parent": "上级党组织",
    "village": "所在村(社区)",
    "secretary": "书记",
    "secretary_id": "书记身份证号",
    "members_total": "党员数",
    "members_full": "正式党员",
    "members_probationary": "预备党员",
    "members_female": "女党员",
    "members_minority": "少数民族党员",
    "members_35_under": "35岁及以下党员",
    "members_college": "大专及以上党员",
    "rating": "分类定级",
    "weak_lax": "软弱涣散",
    "rectification": "整顿措施",
    "creation": "创建情况",
    "founded": "成立时间",
    "notes": "备注",
    "joint": "类型（联合）",
    "temporary": "类型（临时）",
}
PARTS = ("members_female", "members_minority", "members_35_under", "members_college")
YES = {"是", "√", "✓", "☑", "Y", "y", "yes", "1", "软弱涣散", "是软弱涣散"}
NO = {"否", "×", "✗", "无", "N", "n", "no", "0", "不是", "-", "—", "／", "/"}
KIND_ENDINGS = (("党总支部", "2"), ("党总支", "2"), ("总支", "2"), ("党支部", "3"))
KIND_ENDINGS += (("支部", "3"), ("党委", "1"), ("委员会", "1"))


def parse_count(value) -> int | None:
    """A head count: a whole number ≥ 0; None for a blank cell (nothing said), 0 for - or —."""
    if is_blank(value):
        return None
    text = clean_text(value)
    if text in ("-", "—", "－", "--", "——"):
        return 0
    if isinstance(value, bool):
        raise ValueError(f"“{text}”不是人数")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        number = value
    elif text.isdigit():
        number = int(text)
    else:
        raise ValueError(f"“{text}”不是整数")
    if number < 0:
        raise ValueError("不能为负数")
    if number > 1_000_000:
        raise ValueError(f"“{text}”过大，请核对")
    return number


def parse_yes_no(value) -> bool | None:
    if is_blank(value):
        return None
    text = clean_text(value).replace(" ", "")
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(f"“{text}”请填“是”或“否”")


def parse_kind(value, name: str) -> tuple[str, bool, bool]:
    """(org_kind code, joint, temporary) from 类型 (联合党支部, 临时党支部 …), or from the
    name's ending when 类型 is blank (永安村党总支 → 党总支)."""
    text = clean_text(value).replace(" ", "")
    joint = temporary = False
    if text:
        for word in ("联合", "临时"):
            if word in text and len(text) > len(word):
                joint = joint or word == "联合"
                temporary = temporary or word == "临时"
                text = text.replace(word, "")
        return code_words.parse_code(text, "org_kind"), joint, temporary
    for ending, code in KIND_ENDINGS:
        if name.endswith(ending):
            return code, "联合" in name, "临时" in name
    raise ValueError("类型未填，党组织名称中也看不出是党委、党总支还是党支部")


def _member_values(cell: dict, stored: OrgYear | None, problems: list, notes: list) -> dict:
    counts = {}
    for field in ("members_total", *MEMBERS):
        if field in cell:
            try:
                number = parse_count(cell[field])
            except ValueError as exc:
                problems.append(f"{LABELS[field]}：{exc}")
                continue
            if number is not None:
                counts[field] = number
    total = counts.pop("members_total", None)
    full, probationary = counts.get("members_full"), counts.get("members_probationary")
    if total is not None and full is not None and probationary is not None:
        if full + probationary != total:
            problems.append(f"党员数{total}不等于正式党员{full}与预备党员{probationary}之和")
    elif total is not None and full is None:
        kept = (
            probationary if probationary is not None else getattr(stored, "members_probationary", 0)
        )
        if total < kept:
            problems.append(f"党员数{total}少于预备党员{kept}")
        else:
            counts["members_full"] = total - kept
            if stored is None or stored.members_total != total:
                notes.append(
                    f"党员数只有合计{total}人：记为正式党员{total - kept}人、预备党员{kept}人"
                )
    elif total is not None and probationary is None:
        if full > total:
            problems.append(f"正式党员{full}多于党员数{total}")
        else:
            counts["members_probationary"] = total - full
    whole = counts.get("members_full", getattr(stored, "members_full", 0)) + counts.get(
        "members_probationary", getattr(stored, "members_probationary", 0)
    )
    for field in PARTS:
        if counts.get(field, 0) > whole:
            problems.append(f"{LABELS[field]}{counts[field]}人多于党员总数{whole}人")
    return counts


def _parse_codes(cell: dict, problems: list) -> dict:
    values = {}
    for field, table in (("rating", "rating"), ("creation", "creation")):
        if field in cell and not is_blank(cell[field]):
            text = clean_text(cell[field])
            if text in ("无", "-", "—", "未定级", "未创建", "否"):
                values[field] = ""
                continue
            try:
                values[field] = code_words.parse_code(text, table)
            except ValueError as exc:
                problems.append(f"{LABELS[field]}：{exc}")
    if "weak_lax" in cell:
        try:
            weak = parse_yes_no(cell["weak_lax"])
        except ValueError as exc:
            problems.append(f"软弱涣散：{exc}")
        else:
            if weak is not None:
                values["weak_lax"] = weak
    if not is_blank(cell.get("rectification")):
        values["rectification"] = clean_text(cell["rectification"])
    return values


class _Row:
    """One organization of the file, as planned."""

    def __init__(self, number, name, village, label):
        self.number, self.name, self.village, self.label = number, name, village, label
        self.problems: list[str] = []
        self.parent_name = ""
        self.parent: _Row | Organization | None = None
        self.existing: Organization | None = None
        self.org_values: dict = {}
        self.year_values: dict = {}
        self.notes: list[str] = []
        self.outcome: RowOutcome | None = None
        self.new_id: int | None = None


def plan_organizations(
    plan: ImportPlan, sheet: str, rows: list[list], header: Header, year: int
) -> None:
    villages = records.villages_by_name()
    ours = township()
    known = VillageNames(villages.values(), ours.name)
    stored = register_imports.organizations()
    stored_years = register_imports.org_years(year)
    by_name: dict[str, list[Organization]] = {}
    for org in stored:
        by_name.setdefault(org.name, []).append(org)
    bound = date_bound()
    village_fields = set(code_table("org_field").where("village"))
    plan.header = header.labels
    planned: list[_Row] = []
    seen: dict[tuple[str, str], int] = {}
    rows_with_village = outside = 0
    for number, row in data_rows(rows, header, "name", plan, sheet):
        cell, problems = read_cells(row, header, LABELS, plan, sheet, number)
        name = clean_text(cell.get("name")).replace(" ", "")
        village_name = clean_text(cell.get("village"))
        if village_name:
            village_name, problem = resolve_village(plan, known, village_name)
            if problem:
                problems.append(f"所在村(社区)：{problem}")
            rows_with_village += 1
            outside += village_name not in villages
        item = _Row(number, name, village_name, name or "（无名称）")
        item.problems = problems
        item.cells = list(row)
        planned.append(item)
        if not name:
            problems.append("党组织名称不能为空")
        key = (name, village_name)
        if name and key in seen:
            problems.append(f"与第{seen[key]}行是同一个党组织")
        seen.setdefault(key, number)
        village = villages.get(village_name)
        item.existing = _match(by_name.get(name, []), village.id if village else None)
        old_year = stored_years.get(item.existing.id) if item.existing else None
        values: dict = {"name": name}
        if item.existing is None or not is_blank(cell.get("kind")):  # blank keeps what is stored
            try:
                values["kind"], values["joint"], values["temporary"] = parse_kind(
                    cell.get("kind"), name
                )
            except ValueError as exc:
                problems.append(f"类型：{exc}")
        field_text = clean_text(cell.get("field"))
        if field_text:
            try:
                values["field"] = code_words.parse_code(field_text, "org_field")
            except ValueError as exc:
                problems.append(f"所属领域：{exc}")
        elif item.existing is None:
            if village is not None or village_name:
                kind = village.kind if village else None
                values["field"] = (
                    codes.FIELD_COMMUNITY if kind == codes.COMMUNITY else codes.FIELD_RURAL
                )
                item.notes.append(
                    f"所属领域未填，按所在村(社区)记为{code_table('org_field').name_of(values['field'])}"
                )
            else:
                problems.append("所属领域不能为空（不在村(社区)的党组织须写明领域）")
        if values.get("field") in village_fields and not village_name:
            problems.append("农村、城市社区的党组织请填写所在村(社区)")
        if village_name:
            values["village"] = village.id if village else village_name
        if not is_blank(cell.get("founded")):
            try:
                values["founded"] = parse_date(cell["founded"], bound=bound)
            except ValueError as exc:
                problems.append(f"成立时间：{exc}")
        if not is_blank(cell.get("notes")):
            values["notes"] = clean_text(cell["notes"])
        item.org_values = values
        item.year_values = {
            **_member_values(cell, old_year, problems, item.notes),
            **_parse_codes(cell, problems),
        }
        item.parent_name = clean_text(cell.get("parent")).replace(" ", "")
        item.secretary = (clean_text(cell.get("secretary")), clean_text(cell.get("secretary_id")))
    _resolve_parents(planned, by_name, ours.name)
    secretaries = _Secretaries(plan, sheet)
    for item in planned:
        _outcome(plan, sheet, item, stored_years, year, secretaries)
    refuse_other_township(plan, rows[: header.row], ours, (outside, rows_with_village))


def _match(candidates: list[Organization], village_id: int | None) -> Organization | None:
    """The stored organization a row means: same name and village; or the one of that
    name when either side has no village."""
    same = [o for o in candidates if o.village_id == village_id]
    if same:
        return same[0]
    loose = [o for o in candidates if o.village_id is None or village_id is None]
    return loose[0] if len(loose) == 1 and len(candidates) == 1 else None


def _resolve_parents(planned: list[_Row], by_name: dict, township_name: str) -> None:
    in_file: dict[str, list[_Row]] = {}
    for item in planned:
        if item.name:
            in_file.setdefault(item.name, []).append(item)
    for item in planned:
        name = item.parent_name
        if not name or name in ("无", "-", "—"):
            continue
        if name == item.name:
            item.problems.append("上级党组织不能是它自己")
            continue
        rows = in_file.get(name, [])
        if len(rows) > 1:
            rows = [r for r in rows if r.village == item.village] or rows
        if len(rows) == 1:
            item.parent = rows[0]
            continue
        if len(rows) > 1:
            lines = "、".join(f"第{r.number}行" for r in rows)
            item.problems.append(f"上级党组织“{name}”在表中有几行（{lines}），无法确定是哪一个")
            continue
        stored = by_name.get(name, [])
        if len(stored) == 1:
            item.parent = stored[0]
        elif len(stored) > 1:
            item.problems.append(f"上级党组织“{name}”有几个同名的党组织，无法确定是哪一个")
        else:
            item.problems.append(
                f"上级党组织“{name}”不在本表中，也不是已有的党组织；"
                f"请先录入或在本表中列出该党组织（乡镇党委可录入为“{township_name}”的党委）"
            )
    for item in planned:  # a loop of parents within the file is no tree
        seen, step = {id(item)}, item.parent
        while isinstance(step, _Row):
            if id(step) in seen:
                item.problems.append("上级党组织互相隶属（形成循环），请核对上级党组织")
                break
            seen.add(id(step))
            step = step.parent
    changed = True
    while changed:  # a branch whose parent cannot be imported cannot be either
        changed = False
        for item in planned:
            parent = item.parent
            if isinstance(parent, _Row) and parent.problems and not item.problems:
                item.problems.append(f"上级党组织“{parent.name}”（第{parent.number}行）不能导入")
                changed = True


class _Secretaries:
    """Who a 书记 cell names, and whether the post can be recorded faithfully."""

    def __init__(self, plan: ImportPlan, sheet: str):
        self.plan, self.sheet = plan, sheet
        self.by_id = records.cadres_by_id_number()
        self.by_name = register_imports.cadres_by_name()
        self.terms = register_imports.open_secretary_terms()

    def notice(self, item: _Row, text: str) -> None:
        self.plan.notices.append(f"{self.sheet} 第{item.number}行 {item.name}：{text}")

    def plan_post(self, item: _Row, village_id: int | None):
        """A function (writer, org_id) recording the secretary's post, or None (with a
        notice when the cell names someone whose post cannot be recorded faithfully)."""
        name, number = item.secretary
        if not name and not number:
            return None
        person = None
        if number:
            try:
                person = self.by_id.get(parse_id_number(number))
            except ValueError as exc:
                self.notice(item, f"书记身份证号{exc}，未登记书记任职")
                return None
        else:
            people = self.by_name.get(name.replace(" ", ""), [])
            if people and (village_id or item.village):
                # by name only a cadre of the organization's own village: another village's
                # 张三 is not taken for this one
                people = [p for p in people if village_id and p.village_id == village_id]
                if not people:
                    self.notice(
                        item,
                        f"书记“{name}”不是{item.village}的干部，未登记书记任职"
                        "（请在表中加书记身份证号，或先在干部页登记）",
                    )
                    return None
            if len(people) > 1:
                self.notice(
                    item,
                    f"书记“{name}”有{len(people)}位同名干部，未登记书记任职（请在表中加书记身份证号，或在干部页登记）",
                )
                return None
            person = people[0] if people else None
        if person is None:
            self.notice(
                item,
                f"书记“{name or number}”不在干部名册中，未登记书记任职（请先导入或录入该干部）",
            )
            return None
        if name and person.name != name:
            self.notice(
                item, f"书记“{name}”与身份证号对应的干部“{person.name}”不一致，未登记书记任职"
            )
            return None
        org_id = item.existing.id if item.existing else None
        main = village_id is not None and (
            item.parent is None
            or (isinstance(item.parent, _Row) and item.parent.village != item.village)
            or (isinstance(item.parent, Organization) and item.parent.village_id != village_id)
        )
        post = codes.VILLAGE_SECRETARY if main else codes.ORG_SECRETARY
        linked = None
        for term in self.terms:
            if org_id is not None and term.organization_id == org_id:
                if term.cadre_id == person.id:
                    return None  # already recorded
                holder = records.cadre(term.cadre_id).name
                self.notice(
                    item,
                    f"表中书记为{person.name}，本库中现任书记为{holder}，未更改（如已换届，请在干部页登记离任和新任职）",
                )
                return None
            if (
                main
                and term.post == codes.VILLAGE_SECRETARY
                and term.village_id == village_id
                and term.organization_id is None
            ):
                if term.cadre_id != person.id:
                    holder = records.cadre(term.cadre_id).name
                    self.notice(
                        item, f"表中书记为{person.name}，本库中该村现任党组织书记为{holder}，未更改"
                    )
                    return None
                linked = term.id
        if linked is not None:
            item.notes.append(f"书记{person.name}的任职关联到本党组织")
            return lambda writer, org: register_imports.update(
                Appointment, linked, {"organization": org}
            )
        item.notes.append(f"登记书记{person.name}的任职（任现职时间未填，审核将提示补填）")
        cadre_id = person.id

        def record(writer, org, post=post, cadre_id=cadre_id, village_id=village_id):
            key = (cadre_id, post, village_id)
            if key not in writer.posts_made:
                writer.posts_made[key] = writer.add(
                    Appointment, cadre=cadre_id, post=post, village=village_id, organization=org
                )

        return record


def _outcome(plan, sheet, item: _Row, stored_years, year, secretaries: _Secretaries) -> None:
    if item.problems:
        item.outcome = RowOutcome(
            sheet, item.number, REFUSE, item.label, "；".join(item.problems), cells=item.cells
        )
        plan.outcomes.append(item.outcome)
        return
    existing = item.existing
    values = dict(item.org_values)
    new_village = values.get("village") if isinstance(values.get("village"), str) else None
    village_id = values.get("village") if not new_village else None
    parent = item.parent
    if isinstance(parent, Organization):
        values["parent"] = parent.id
    old_year = stored_years.get(existing.id) if existing else None
    if existing is None:
        changed_org = ["新增党组织"]
    else:
        changed_org = [
            LABELS[f] for f, v in values.items() if f != "name" and _stored(existing, f) != v
        ]
        if isinstance(parent, _Row) and (
            parent.existing is None or parent.existing.id != existing.parent_id
        ):
            changed_org.append("上级党组织")
    changed_year = [
        LABELS[f]
        for f, v in item.year_values.items()
        if old_year is None or getattr(old_year, f) != v
    ]
    if old_year is None and existing is not None:
        changed_year = [f"{year}年度党员等情况"]
    post = secretaries.plan_post(item, village_id)
    if existing is None:
        action, detail = ADD, f"新增党组织（{year}年度）"
    elif changed_org or changed_year or post:
        action, detail = UPDATE, "更新：" + "、".join(dict.fromkeys(changed_org + changed_year))
        if post and not (changed_org or changed_year):
            detail = "更新：书记任职"
    else:
        action, detail = UNCHANGED, ""
    if item.notes:
        detail = "；".join([detail, *item.notes]) if detail else "；".join(item.notes)
    yearly = dict(item.year_values)

    def apply(writer, item=item, values=values, yearly=yearly, post=post, new_village=new_village):
        org_id = _ensure(writer, item, values, yearly, year, new_village)
        if post is not None:
            post(writer, org_id)

    item.outcome = plan.add_row(sheet, item.number, action, item.label, detail, item.cells, apply)
    item.write = (values, yearly, new_village)


def _stored(org: Organization, field: str):
    return getattr(org, f"{field}_id") if field in ("village", "parent") else getattr(org, field)


def _ensure(writer, item: _Row, values, yearly, year, new_village) -> int:
    """The id of the row's organization, written now if it is not yet (a parent listed
    after its branches is written when the first branch needs it)."""
    if item.new_id is not None:
        return item.new_id
    values = dict(values)
    if new_village:
        values["village"] = writer.village(new_village, year)
    elif values.get("village"):
        writer.village(records.village(values["village"]).name, year)
    parent = item.parent
    if isinstance(parent, _Row):
        p_values, p_yearly, p_village = parent.write
        values["parent"] = _ensure(writer, parent, p_values, p_yearly, year, p_village)
    if item.existing is None:
        item.new_id = writer.add(Organization, **values)
        writer.add(OrgYear, organization=item.new_id, year=year, **yearly)
        return item.new_id
    item.new_id = item.existing.id
    changes = {f: v for f, v in values.items() if _stored(item.existing, f) != v}
    if changes:
        register_imports.update(Organization, item.existing.id, changes)
    old = records.org_year(item.existing.id, year)
    if old is None:
        writer.add(OrgYear, organization=item.existing.id, year=year, **yearly)
    elif yearly:
        register_imports.update(OrgYear, old.id, yearly)
    return item.new_id
