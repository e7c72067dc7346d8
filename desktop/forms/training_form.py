"""The training (培训) form: a programme of the year, its 期数 and 人次 for 表7, and the
cadres registered as attending."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field

from db import records
from desktop.forms.fields import check_code, parse_date_field, refuse
from desktop.validators import check_form_texts

LABELS = {
    "program": "培训类别",
    "title": "培训名称",
    "start": "开始日期",
    "end": "结束日期",
    "sessions": "期数",
    "attendances": "人次",
    "organizer": "主办单位",
}


@dataclass
class TrainingInput:
    program: str = ""
    title: str = ""
    start: str = ""
    end: str = ""
    sessions: int = 1
    attendances: int = 0
    organizer: str = ""
    attendees: set[int] = dataclass_field(default_factory=set)
    errors: dict[str, str] = dataclass_field(default_factory=dict, compare=False)


def load(training_id: int) -> TrainingInput:
    t = records.training(training_id)
    return TrainingInput(
        program=t.program,
        title=t.title,
        start=f"{t.start_date:%Y.%m.%d}",
        end=f"{t.end_date:%Y.%m.%d}",
        sessions=t.sessions,
        attendances=t.attendances,
        organizer=t.organizer,
        attendees=records.attendee_ids(training_id),
    )


def check(form: TrainingInput, year: int) -> dict:
    errors: dict[str, str] = {}
    check_form_texts(form, errors, "training")
    check_code(form.program, "training_program", "program", errors, "请选择培训类别")
    if not form.title.strip():
        errors["title"] = "请填写培训名称"
    start = parse_date_field(form.start, "start", LABELS, errors, required=True)
    end = parse_date_field(form.end, "end", LABELS, errors, required=True)
    if start and start.year != year:
        errors["start"] = f"开始日期应在{year}年度内"
    if start and end and end < start:
        errors["end"] = f"不能早于开始日期{start:%Y.%m.%d}"
    if form.sessions < 1:
        errors["sessions"] = "期数至少为1"
    if form.attendances < len(form.attendees):
        errors["attendances"] = f"人次不能少于登记的参训人员{len(form.attendees)}人"
    form.errors = errors
    return {
        "year": year,
        "program": form.program,
        "title": form.title.strip(),
        "start_date": start,
        "end_date": end,
        "sessions": form.sessions,
        "attendances": form.attendances,
        "organizer": form.organizer.strip(),
    }


def save(form: TrainingInput, training_id: int | None, year: int):
    values = check(form, year)
    if form.errors:
        refuse(form.errors, LABELS)
    with records.transaction():
        return records.save_training(training_id, values, set(form.attendees))
