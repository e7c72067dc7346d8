"""What a record's history window shows: its figures year by year and every recorded
change of it and of the rows it owns, with field names as the forms call them."""

from __future__ import annotations

from db import records
from db.changelog import changes_of
from db.models import CollectiveEconomy, OrgYear, Project, ProjectYear, VillageYear
from db.money import wan
from db.recycle import TABLE_LABELS
from desktop.forms import appointment_form, cadre_form, enrollment_form
from desktop.forms.organization_form import MEMBER_LABELS
from resources import code_table

FIELD_LABELS = {
    "village": {
        "name": "名称",
        "kind": "类别",
        "code": "区划代码",
        "relocation_site": "易地搬迁安置点",
        "border": "边境村",
        "collective_org_name": "集体经济组织",
        "credit_code": "统一社会信用代码",
        "sort_order": "排列顺序",
    },
    "village_year": {"group_count": "村民小组数", "households": "户数", "population": "人口"},
    "organization": {
        "name": "党组织名称",
        "kind": "类型",
        "field": "所属领域",
        "unit": "建立方式",
        "joint": "联合",
        "temporary": "临时",
        "village": "所在村(社区)",
        "founded": "成立时间",
        "parent": "上级党组织",
        "dissolved": "撤销时间",
    },
    "org_year": {
        **MEMBER_LABELS,
        "rating": "分类定级",
        "weak_lax": "软弱涣散",
        "weak_lax_rectified": "已整顿",
        "rectification": "整顿措施",
        "creation": "创建情况",
        "funds": "工作经费",
    },
    "project": {
        "name": "项目名称",
        "type": "项目类型",
        "start_year": "立项年度",
        "partner": "合作主体",
        **Project.FUND_LABELS,
    },
    "project_year": {
        "status": "建设状态",
        "income": "当年收益",
        "dividend_collective": "村集体分红",
        "dividend_households": "农户分红",
        "households_driven": "带动农户数",
    },
    "project_village": {"village": "实施村(社区)", "share": "分成比例"},
    "training": {
        "program": "培训类别",
        "title": "培训名称",
        "start_date": "开始日期",
        "end_date": "结束日期",
        "sessions": "期数",
        "attendances": "人次",
        "organizer": "主办单位",
    },
    "training_attendance": {"cadre": "参训干部"},
    "collective_economy": CollectiveEconomy.LABELS,
    "cadre": cadre_form.LABELS,
    "appointment": {
        **appointment_form.LABELS,
        "start_date": "任职日期",
        "end_date": "离任日期",
        "cadre": "干部",
    },
    "enrollment": {
        **enrollment_form.LABELS,
        "start_date": "入学日期",
        "end_date": "毕业(结束)日期",
        "cadre": "干部",
    },
    "township": {
        "name": "乡镇名称",
        "county": "县(市、区)",
        "prefecture": "州(市)",
        "division_code": "区划代码",
        "authority": "制表机关",
        "contact_person": "联系人",
        "phone": "联系电话",
    },
    "finding_note": {"note": "说明"},
}
ACTIONS = {
    "create": "新增",
    "update": "修改",
    "delete": "删除",
    "restore": "恢复",
    "carry_forward": "结转",
    "remove_year": "删除年度",
    "demo": "示例数据",
}
CODED = {  # fields stored as codes: the history shows their names
    ("village", "kind"): "village_kind",
    ("organization", "kind"): "org_kind",
    ("organization", "field"): "org_field",
    ("organization", "unit"): "org_unit",
    ("org_year", "rating"): "rating",
    ("org_year", "creation"): "creation",
    ("project", "type"): "project_type",
    ("project_year", "status"): "project_status",
    ("training", "program"): "training_program",
    ("cadre", "gender"): "gender",
    ("cadre", "ethnicity"): "ethnicity",
    ("cadre", "political_status"): "political_status",
    ("cadre", "education_fulltime"): "education",
    ("cadre", "education_inservice"): "education",
    ("appointment", "post"): "post",
    ("enrollment", "level"): "education",
    ("enrollment", "status"): "enrollment_status",
}
CHANGE_COLUMNS = [
    ("time", "时间"),
    ("subject", "内容"),
    ("action", "操作"),
    ("field", "字段"),
    ("old", "原值"),
    ("new", "新值"),
]


def field_label(table: str, field: str) -> str:
    """A stored field as the forms call it (the identifier if there is no name)."""
    return FIELD_LABELS.get(table, {}).get(field, field)


def value_text(table: str, field: str, value: str | None) -> str:
    """A logged value as the clerk reads it: code-table names instead of codes."""
    coded = CODED.get((table, field))
    if value and coded and value in code_table(coded):
        return code_table(coded).name_of(value)
    return value or ""


def change_rows(owned: dict[str, list], subjects: dict | None = None) -> list[dict]:
    """Every change of the records `owned` ({table: [ids]}), newest first. `subjects`
    {(table, id): text} says what a row is (“2025年度情况”)."""
    subjects = subjects or {}
    return [
        {
            "id": c.id,
            "time": f"{c.time:%Y-%m-%d %H:%M}",
            "subject": subjects.get(
                (c.table_name, c.record_id), TABLE_LABELS.get(c.table_name, "")
            ),
            "action": ACTIONS.get(c.action, c.action),
            "field": field_label(c.table_name, c.field_name),
            "old": value_text(c.table_name, c.field_name, c.old_value),
            "new": value_text(c.table_name, c.field_name, c.new_value),
        }
        for c in reversed(changes_of(owned))
    ]


def _yearly(model, owner: str, owner_id: int, table: str):
    rows = records.years_of(model, owner, owner_id)
    return rows, {(table, str(r.id)): f"{r.year}年度情况" for r in rows}


def village_history(village_id: int) -> list[tuple[str, list, list[dict]]]:
    """(tab title, columns, rows) for the village's history window."""
    years, subjects = _yearly(VillageYear, "village", village_id, "village_year")
    yearly = [
        {
            "id": r.id,
            "year": r.year,
            "groups": r.group_count,
            "households": r.households,
            "population": r.population,
        }
        for r in years
    ]
    owned = {"village": [village_id], "village_year": [r.id for r in years]}
    return [
        (
            "历年情况",
            [
                ("year", "年度"),
                ("groups", "村民小组数"),
                ("households", "户数"),
                ("population", "人口"),
            ],
            yearly,
        ),
        ("修改记录", CHANGE_COLUMNS, change_rows(owned, subjects)),
    ]


def organization_history(org_id: int) -> list[tuple[str, list, list[dict]]]:
    years, subjects = _yearly(OrgYear, "organization", org_id, "org_year")
    ratings, creations = code_table("rating"), code_table("creation")
    yearly = [
        {
            "id": r.id,
            "year": r.year,
            "members": r.members_full + r.members_probationary,
            "full": r.members_full,
            "probationary": r.members_probationary,
            "rating": ratings.name_of(r.rating) if r.rating else "",
            "weak_lax": "是" if r.weak_lax else "",
            "creation": creations.name_of(r.creation) if r.creation else "",
        }
        for r in years
    ]
    owned = {"organization": [org_id], "org_year": [r.id for r in years]}
    return [
        (
            "历年情况",
            [
                ("year", "年度"),
                ("members", "党员数"),
                ("full", "正式党员"),
                ("probationary", "预备党员"),
                ("rating", "分类定级"),
                ("weak_lax", "软弱涣散"),
                ("creation", "创建情况"),
            ],
            yearly,
        ),
        ("修改记录", CHANGE_COLUMNS, change_rows(owned, subjects)),
    ]


def project_history(project_id: int) -> list[tuple[str, list, list[dict]]]:
    years, subjects = _yearly(ProjectYear, "project", project_id, "project_year")
    states = code_table("project_status")
    yearly = [
        {
            "id": r.id,
            "year": r.year,
            "status": states.name_of(r.status),
            "income": wan(r.income),
            "households": r.households_driven,
        }
        for r in years
    ]
    owned = {
        "project": [project_id],
        "project_year": [r.id for r in years],
        "project_village": records.project_village_ids(project_id),
    }
    return [
        (
            "历年情况",
            [
                ("year", "年度"),
                ("status", "建设状态"),
                ("income", "当年收益(万元)"),
                ("households", "带动农户数"),
            ],
            yearly,
        ),
        ("修改记录", CHANGE_COLUMNS, change_rows(owned, subjects)),
    ]


def training_history(training_id: int) -> list[tuple[str, list, list[dict]]]:
    owned = {
        "training": [training_id],
        "training_attendance": records.attendance_ids(training_id),
    }
    return [("修改记录", CHANGE_COLUMNS, change_rows(owned))]
