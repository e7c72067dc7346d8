"""Training lists (培训台账): one programme a row — 名称/班次, 培训项目, 起止日期, 期数, 人次,
the attendees by name or ID number. Checked by the training form's own rules; matched to a
stored training of the year by its name and start date."""

from __future__ import annotations

import re

from db import register_imports
from db.dates import date_bound
from db.models import Training, TrainingAttendance
from desktop import code_words
from desktop.forms import training_form
from desktop.forms.training_form import TrainingInput
from desktop.imports.headers import Header, data_rows, read_cells
from desktop.imports.organizations import parse_count
from desktop.imports.plan import ADD, REFUSE, UNCHANGED, UPDATE, ImportPlan, RowOutcome
from desktop.imports.roster import DATE_TOKEN
from desktop.imports.values import clean_text, is_blank, parse_date, parse_id_number

ALIASES = {
    "title": ("名称/班次", "培训名称", "培训班名称", "班次", "培训班次", "名称", "培训班"),
    "program": ("培训项目", "培训类别", "项目类别", "培训类型"),
    "period": ("起止日期", "培训起止日期", "起止时间", "培训时间", "培训日期"),
    "start": ("开始日期", "开始时间", "起始日期", "培训开始日期", "起止日期开始", "培训时间开始"),
    "end": ("结束日期", "结束时间", "截止日期", "培训结束日期", "起止日期结束", "培训时间结束"),
    "sessions": ("期数", "培训期数", "期数(期)"),
    "attendances": ("人次", "培训人次", "参训人次", "人次(人次)"),
    "organizer": ("主办单位", "举办单位", "组织单位", "承办单位"),
    "attendees": ("参训人员", "参训学员", "学员名单", "参训人员名单", "参训干部"),
}
LABELS = {
    "title": "名称/班次",
    "program": "培训项目",
    "period": "起止日期",
    "start": "开始日期",
    "end": "结束日期",
    "sessions": "期数",
    "attendances": "人次",
    "organizer": "主办单位",
    "attendees": "参训人员",
}
KIND = "培训台账"
SEPARATORS = re.compile(r"[、,，;；/\s]+")


def kinds(planner) -> list[tuple]:
    return [(KIND, ALIASES, ("title", when), planner) for when in ("period", "start")]


def _dates(cell: dict, bound) -> tuple:
    start = end = None
    if not is_blank(cell.get("period")):
        value = cell["period"]
        if isinstance(value, str):
            text = clean_text(value)
            tokens = DATE_TOKEN.findall(text)
            rest = DATE_TOKEN.sub("", text).strip(" —–-~～至到")
            if not tokens or len(tokens) > 2 or rest:
                raise ValueError(f"起止日期：“{text}”请写作“2025.03.01—2025.03.05”")
            start = parse_date(tokens[0].replace(" ", ""), bound=bound)
            end = parse_date(tokens[-1].replace(" ", ""), bound=bound)
        else:
            start = end = parse_date(value, bound=bound)
    for field in ("start", "end"):
        if not is_blank(cell.get(field)):
            try:
                found = parse_date(cell[field], bound=bound)
            except ValueError as exc:
                raise ValueError(f"{LABELS[field]}：{exc}") from None
            if field == "start":
                start = found
            else:
                end = found
    return start, end


class _People:
    def __init__(self):
        from db import records

        self.by_id = records.cadres_by_id_number()
        self.by_name = register_imports.cadres_by_name()

    def find(self, text: str, problems: list) -> set[int]:
        found: set[int] = set()
        unknown, twice = [], []
        for token in SEPARATORS.split(clean_text(text)):
            if not token:
                continue
            if re.fullmatch(r"\d{17}[\dXx]", token):
                try:
                    person = self.by_id.get(parse_id_number(token))
                except ValueError as exc:
                    problems.append(f"参训人员{token}：{exc}")
                    continue
                people = [person] if person else []
            else:
                people = self.by_name.get(token, [])
            if not people:
                unknown.append(token)
            elif len(people) > 1:
                twice.append(token)
            else:
                found.add(people[0].id)
        if unknown:
            problems.append(
                f"参训人员“{'、'.join(unknown)}”不在干部名册中（请先导入或录入，或从本行删去）"
            )
        if twice:
            problems.append(f"参训人员“{'、'.join(twice)}”有同名干部，请改写身份证号")
        return found


def plan_trainings(plan: ImportPlan, sheet: str, rows: list[list], header: Header, year: int):
    from db import records

    bound = date_bound()
    stored = {(t.title, t.start_date): t for t in register_imports.trainings(year)}
    people = _People()
    plan.header = header.labels
    seen: dict[tuple, int] = {}
    for number, row in data_rows(rows, header, "title", plan, sheet):
        cell, problems = read_cells(row, header, LABELS, plan, sheet, number)
        title = clean_text(cell.get("title"))
        try:
            start, end = _dates(cell, bound)
        except ValueError as exc:
            problems.append(str(exc))
            start = end = None
        existing = stored.get((title, start))
        form = TrainingInput()
        if existing is not None:
            form = training_form.load(existing.id)
        form.title = title
        if start:
            form.start = f"{start:%Y.%m.%d}"
        if end:
            form.end = f"{end:%Y.%m.%d}"
        elif start and existing is None:
            form.end = form.start  # a one-day training written with its day alone
        if not is_blank(cell.get("program")):
            try:
                form.program = code_words.parse_code(cell["program"], "training_program")
            except ValueError as exc:
                problems.append(f"培训项目：{exc}")
        for field in ("sessions", "attendances"):
            if field in cell:
                try:
                    count = parse_count(cell[field])
                except ValueError as exc:
                    problems.append(f"{LABELS[field]}：{exc}")
                    continue
                if count is not None:
                    setattr(form, field, count)
        if not is_blank(cell.get("organizer")):
            form.organizer = clean_text(cell["organizer"])
        attendees = None
        if not is_blank(cell.get("attendees")):
            attendees = people.find(cell["attendees"], problems)
            form.attendees = attendees
            if is_blank(cell.get("attendances")) and existing is None:
                form.attendances = len(attendees)
        values = training_form.check(form, year)
        problems += [f"{training_form.LABELS[k]}：{v}" for k, v in form.errors.items()]
        key = (title, start)
        if title and key in seen:
            problems.append(f"与第{seen[key]}行是同一个培训（名称和开始日期相同）")
        seen.setdefault(key, number)
        label = f"{title}（{start:%Y.%m.%d}）" if title and start else title or "（无名称）"
        if problems:
            plan.outcomes.append(
                RowOutcome(sheet, number, REFUSE, label, "；".join(problems), cells=list(row))
            )
            continue
        current = records.attendee_ids(existing.id) if existing else set()
        chosen = set(form.attendees)
        if existing is None:
            action, detail = ADD, f"新增培训（{year}年度，参训人员{len(chosen)}人）"
        else:
            changed = [
                training_form.LABELS.get(f, f)
                for f, field in (
                    ("program", "program"),
                    ("end", "end_date"),
                    ("sessions", "sessions"),
                    ("attendances", "attendances"),
                    ("organizer", "organizer"),
                )
                if values[field] != getattr(existing, field)
            ]
            if chosen != current:
                changed.append("参训人员")
            action = UPDATE if changed else UNCHANGED
            detail = "更新：" + "、".join(changed) if changed else ""

        def apply(writer, existing=existing, values=values, chosen=chosen):
            if existing is not None:
                records.save_training(existing.id, values, chosen)
                return
            training_id = writer.add(Training, **values)
            for cadre_id in sorted(chosen):
                writer.add(TrainingAttendance, training=training_id, cadre=cadre_id)

        plan.add_row(sheet, number, action, label, detail, list(row), apply)
