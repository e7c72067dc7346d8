"""The cadre form: parse and check what was typed, field by field, and save it."""

from __future__ import annotations

from dataclasses import dataclass, field

from db import codes, records
from db.dates import date_bound
from db.models import Cadre
from db.statistics import age_on
from desktop.forms.fields import check_code, refuse
from desktop.imports.values import parse_date
from desktop.validators import check_form_texts, check_id_number, normalize_id_number, phone_problem

LABELS = {
    "name": "姓名",
    "id_number": "身份证号",
    "ethnicity": "民族",
    "political_status": "政治面貌",
    "party_joined": "入党时间",
    "phone": "联系电话",
    "gender": "性别",
    "birth_date": "出生日期",
    "education_fulltime": "全日制学历",
    "education_inservice": "在职学历",
    "village": "所在村(社区)",
    "notes": "备注",
}


@dataclass
class CadreInput:
    """What the form holds, as typed (codes for the drop-downs)."""

    name: str = ""
    id_number: str = ""
    ethnicity: str = ""
    education_fulltime: str = ""
    education_inservice: str = ""
    political_status: str = ""
    party_joined: str = ""
    phone: str = ""
    village: int | None = None
    notes: str = ""
    errors: dict[str, str] = field(default_factory=dict)


def check(form: CadreInput, cadre_id: int | None = None) -> dict:
    """The values to store; `form.errors` gets a Chinese message for each bad field."""
    errors: dict[str, str] = {}
    check_form_texts(form, errors, "cadre")
    values: dict = {}
    name = form.name.strip()
    if not name:
        errors["name"] = "请填写姓名"
    values["name"] = name
    try:
        info = check_id_number(form.id_number)
        values.update(id_number=info.number, birth_date=info.birth_date, gender=info.gender)
        clash = records.cadre_by_id_number(info.number)
        if clash is not None and clash.id != cadre_id:
            errors["id_number"] = f"这个身份证号已经属于{clash.name}，一人只能录入一次"
    except ValueError as exc:
        errors["id_number"] = str(exc)
    check_code(form.ethnicity, "ethnicity", "ethnicity", errors, "请选择民族")
    check_code(form.education_fulltime, "education", "education_fulltime", errors)
    check_code(form.education_inservice, "education", "education_inservice", errors)
    check_code(
        form.political_status, "political_status", "political_status", errors, "请选择政治面貌"
    )
    values.update(
        ethnicity=form.ethnicity,
        political_status=form.political_status,
        education_fulltime=form.education_fulltime,
        education_inservice=form.education_inservice,
        village=form.village,
        notes=form.notes.strip(),
    )
    joined = None
    if form.party_joined.strip():
        try:
            joined = parse_date(form.party_joined, bound=date_bound())
        except ValueError as exc:
            errors["party_joined"] = str(exc)
    if joined and form.political_status not in codes.party_status_codes():
        errors["party_joined"] = "政治面貌不是党员，不应填写入党时间"
    if joined and "birth_date" in values and age_on(values["birth_date"], joined) < 18:
        errors["party_joined"] = "入党时应已年满18周岁"
    values["party_joined"] = joined
    phone = form.phone.strip()
    if phone and phone_problem(phone):
        errors["phone"] = phone_problem(phone)
    values["phone"] = phone
    form.errors = errors
    return values


def save(form: CadreInput, cadre_id: int | None = None) -> Cadre:
    """Store the form; refuses (changing nothing) while any field is wrong."""
    values = check(form, cadre_id)
    if form.errors:
        refuse(form.errors, LABELS)
    with records.transaction():
        return records.save_cadre(records.cadre(cadre_id) if cadre_id else None, values)


def load(cadre_id: int) -> CadreInput:
    c = records.cadre(cadre_id)
    return CadreInput(
        name=c.name,
        id_number=c.id_number,
        ethnicity=c.ethnicity,
        education_fulltime=c.education_fulltime,
        education_inservice=c.education_inservice,
        political_status=c.political_status,
        party_joined=f"{c.party_joined:%Y.%m.%d}" if c.party_joined else "",
        phone=c.phone,
        village=c.village_id,
        notes=c.notes,
    )


__all__ = ["CadreInput", "check", "save", "load", "normalize_id_number"]


def post_history(cadre_id: int) -> list[dict]:
    """The cadre's posts over time, as the form shows them (history survives 换届)."""
    from desktop.code_words import post_name

    rows = []
    for a in records.appointments_of(cadre_id):
        place = (
            a.organization.name if a.organization_id else (a.village.name if a.village_id else "")
        )
        rows.append(
            {
                "id": a.id,
                "post": post_name(a.post, a.village.kind if a.village_id else None),
                "place": place,
                "start": f"{a.start_date:%Y.%m.%d}" if a.start_date else "",
                "end": f"{a.end_date:%Y.%m.%d}" if a.end_date else "至今",
                "unit": a.sending_unit,
            }
        )
    return rows


def change_history(cadre_id: int) -> list[dict]:
    """Every recorded change of the cadre, their posts and enrolments, newest first."""
    from desktop.forms.history import change_rows
    from resources import code_table

    posts = records.appointments_of(cadre_id)
    enrollments = records.enrollments_of(cadre_id)
    subjects = {("cadre", str(cadre_id)): "基本信息"}
    subjects.update(
        {("appointment", str(a.id)): f"任职：{code_table('post').name_of(a.post)}" for a in posts}
    )
    subjects.update({("enrollment", str(e.id)): "学历提升" for e in enrollments})
    owned = {
        "cadre": [cadre_id],
        "appointment": [a.id for a in posts],
        "enrollment": [e.id for e in enrollments],
    }
    return change_rows(owned, subjects)
