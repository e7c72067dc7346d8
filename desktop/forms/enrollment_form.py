"""A cadre's 学历提升 enrolment: the level aimed at, school, dates and status."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field

from db import codes, records
from desktop.forms.fields import check_code, parse_date_field, refuse
from desktop.validators import check_form_texts
from resources import code_table

LABELS = {
    "level": "提升学历",
    "school": "就读学校",
    "major": "专业",
    "start": "入学日期",
    "end": "毕业(结束)日期",
    "status": "状态",
}


@dataclass
class EnrollmentInput:
    level: str = ""
    school: str = ""
    major: str = ""
    start: str = ""
    end: str = ""
    status: str = codes.ENROLLED
    errors: dict[str, str] = dataclass_field(default_factory=dict, compare=False)


def load(enrollment_id: int) -> EnrollmentInput:
    e = records.enrollment(enrollment_id)
    return EnrollmentInput(
        level=e.level,
        school=e.school,
        major=e.major,
        start=f"{e.start_date:%Y.%m.%d}",
        end=f"{e.end_date:%Y.%m.%d}" if e.end_date else "",
        status=e.status,
    )


def check(form: EnrollmentInput, cadre_id: int, today) -> dict:
    errors: dict[str, str] = {}
    check_form_texts(form, errors, "enrollment")
    check_code(form.level, "education", "level", errors, "请选择提升到的学历")
    if not form.school.strip():
        errors["school"] = "请填写就读学校"
    start = parse_date_field(form.start, "start", LABELS, errors, required=True)
    end = parse_date_field(form.end, "end", LABELS, errors, required=False, planned=True)
    if start and end and end <= start:
        errors["end"] = f"应晚于入学日期{start:%Y.%m.%d}"
    check_code(form.status, "enrollment_status", "status", errors, "请选择状态")
    known = "status" not in errors
    if known and form.status == codes.ENROLLED and end and end <= today:
        errors["status"] = f"已于{end:%Y.%m.%d}结束学业，状态应为已毕业或已退学"
    elif known and form.status != codes.ENROLLED and not end:
        errors["end"] = f"{code_table('enrollment_status').name_of(form.status)}请填写结束日期"
    form.errors = errors
    return {
        "cadre": cadre_id,
        "level": form.level,
        "school": form.school.strip(),
        "major": form.major.strip(),
        "start_date": start,
        "end_date": end,
        "status": form.status,
    }


def save(form: EnrollmentInput, cadre_id: int, enrollment_id: int | None, today):
    values = check(form, cadre_id, today)
    if form.errors:
        refuse(form.errors, LABELS)
    with records.transaction():
        return records.save_enrollment(enrollment_id, values)


def enrollment_rows(cadre_id: int) -> list[dict]:
    """The cadre's enrolments as the form's table shows them."""
    levels, states = code_table("education"), code_table("enrollment_status")
    return [
        {
            "id": e.id,
            "level": levels.name_of(e.level),
            "school": " ".join(filter(None, (e.school, e.major))),
            "start": f"{e.start_date:%Y.%m.%d}",
            "end": f"{e.end_date:%Y.%m.%d}" if e.end_date else "",
            "status": states.name_of(e.status),
        }
        for e in records.enrollments_of(cadre_id)
    ]
