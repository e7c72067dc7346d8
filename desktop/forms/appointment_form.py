"""A cadre's post (任职): check what was typed, take over from a predecessor, end a post.

Posts are kept as date ranges so that history survives 换届: ending a post sets the day it
was left; a new 书记 whose term starts while someone else still holds the seat ends that
predecessor's term on the same day (when the clerk agrees), so the seat never has two.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field

from db import codes, records
from db.models import Appointment
from db.statistics import age_on
from desktop.checks.rules.common import overlaps
from desktop.forms.fields import check_code, parse_date_field, refuse
from desktop.validators import check_form_texts
from resources import code_table

LABELS = {
    "post": "职务",
    "village": "所在村(社区)",
    "organization": "党组织",
    "start": "任职日期",
    "end": "离任日期",
    "sending_unit": "派出单位",
    "sending_unit_post": "派出单位职务",
}


def post_group(post: str) -> str:
    """village, resident, organization or other (the post code table's groups)."""
    entry = next((e for e in code_table("post").entries if e.code == post), None)
    return entry.extra.get("group", "") if entry else ""


@dataclass
class AppointmentInput:
    post: str = ""
    village: int | None = None
    organization: int | None = None
    start: str = ""
    end: str = ""
    sending_unit: str = ""
    sending_unit_post: str = ""
    end_predecessors: bool = True  # a new 书记 ends the term of the one before
    errors: dict[str, str] = dataclass_field(default_factory=dict, compare=False)
    predecessors: list[Appointment] = dataclass_field(default_factory=list, compare=False)


def load(appointment_id: int) -> AppointmentInput:
    a = records.appointment(appointment_id)
    return AppointmentInput(
        post=a.post,
        village=a.village_id,
        organization=a.organization_id,
        start=f"{a.start_date:%Y.%m.%d}" if a.start_date else "",
        end=f"{a.end_date:%Y.%m.%d}" if a.end_date else "",
        sending_unit=a.sending_unit,
        sending_unit_post=a.sending_unit_post,
    )


def check(form: AppointmentInput, cadre_id: int, appointment_id: int | None = None) -> dict:
    """The values to store; `form.errors` names each bad field, `form.predecessors` lists
    the terms this one would end."""
    errors: dict[str, str] = {}
    check_form_texts(form, errors, "appointment")
    cadre = records.cadre(cadre_id)
    group = post_group(form.post)
    post_name = code_table("post").name_of(form.post) if group else ""
    if not group:
        check_code(form.post, "post", "post", errors, "请选择职务")
    village, organization = form.village, form.organization
    if group in ("village", "resident") and village is None:
        errors["village"] = f"{post_name}请选择所在村(社区)"
    if group == "organization":
        if organization is None:
            errors["organization"] = f"{post_name}请选择党组织"
        else:
            village = records.organization(organization).village_id
    elif group == "village" and form.post in records.VILLAGE_PARTY_POSTS and village:
        organization = records.main_organization(village)
    else:
        organization = None
    # a blank start is stored as unknown (never invented); 审核 C20 asks for it
    start = parse_date_field(form.start, "start", LABELS, errors, required=False)
    # the end of a 驻村 term may be planned (派驻期满); any other end is a day already past
    planned = group == "resident"
    end = parse_date_field(form.end, "end", LABELS, errors, required=False, planned=planned)
    if start and end and end <= start:
        errors["end"] = f"离任日期应晚于任职日期{start:%Y.%m.%d}"
    if start and age_on(cadre.birth_date, start) < 18:
        errors["start"] = f"{cadre.name}此时（{start:%Y.%m.%d}）未满18周岁"
    if form.post in codes.party_posts():
        if cadre.political_status not in codes.party_status_codes():
            errors["post"] = (
                f"{cadre.name}的政治面貌不是党员，不能担任{post_name}"
                "（如已入党，请先改政治面貌并保存）"
            )
        elif start and cadre.party_joined and cadre.party_joined > start:
            errors["start"] = f"任党内职务应在入党（{cadre.party_joined:%Y.%m.%d}）之后"
    unit = form.sending_unit.strip()
    if group == "resident" and not unit:
        errors["sending_unit"] = f"{post_name}请填写派出单位"
    form.predecessors = []
    if not errors:
        term = Appointment(post=form.post, start_date=start, end_date=end)
        for other in records.seat_terms([form.post], organization, village):
            if other.id == appointment_id or not overlaps(term, other):
                continue
            if other.cadre_id == cadre_id:
                errors["start"] = f"与本人{_since(other)}的同一任职时间重叠"
            elif form.post in codes.SECRETARY_POSTS:
                if start is None:
                    errors["start"] = (
                        f"{other.cadre.name}仍在任{post_name}，请填写任职日期，"
                        "以便结束其任期（或先为其办理离任）"
                    )
                elif other.start_date is not None and other.start_date >= start:
                    errors["start"] = (
                        f"{other.cadre.name}自{other.start_date:%Y.%m.%d}起任{post_name}，"
                        "与这一任职时间重叠"
                    )
                else:
                    form.predecessors.append(other)
        if form.predecessors and not form.end_predecessors:
            names = "、".join(p.cadre.name for p in form.predecessors)
            errors["start"] = f"{names}仍在任{post_name}，请填写其离任日期或勾选同时离任"
    form.errors = errors
    return {
        "cadre": cadre_id,
        "post": form.post,
        "village": village,
        "organization": organization,
        "start_date": start,
        "end_date": end,
        "sending_unit": unit if group == "resident" else "",
        "sending_unit_post": form.sending_unit_post.strip() if group == "resident" else "",
    }


def _since(term: Appointment) -> str:
    return f"{term.start_date:%Y.%m.%d}起" if term.start_date else "任职日期未知"


def save(form: AppointmentInput, cadre_id: int, appointment_id: int | None = None):
    """Store the post, ending the predecessors' terms on its first day; all or nothing."""
    values = check(form, cadre_id, appointment_id)
    if form.errors:
        refuse(form.errors, LABELS)
    with records.transaction():
        for other in form.predecessors:
            records.save_appointment(other.id, {"end_date": values["start_date"]})
        return records.save_appointment(appointment_id, values)


def end_post(appointment_id: int, text: str) -> Appointment:
    """The cadre left the post on the day typed (1975.03 etc. accepted)."""
    post = records.appointment(appointment_id)
    errors: dict[str, str] = {}
    planned = post_group(post.post) == "resident"
    end = parse_date_field(text, "end", LABELS, errors, required=True, planned=planned)
    if end and post.start_date and end <= post.start_date:
        errors["end"] = f"离任日期应晚于任职日期{post.start_date:%Y.%m.%d}"
    if errors:
        refuse(errors, LABELS)
    with records.transaction():
        return records.save_appointment(appointment_id, {"end_date": end})
