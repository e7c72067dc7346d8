"""Cadre rosters typed elsewhere (表3/表4-like): one person a row, matched by ID number."""

from __future__ import annotations

import datetime as dt
import re
from functools import partial

from db import codes, records, register_imports
from db.connection import township
from db.dates import date_bound
from db.models import Cadre
from db.statistics import age_on
from desktop import code_words
from desktop.imports.headers import Header, data_rows, read_cells
from desktop.imports.plan import ADD, REFUSE, UNCHANGED, UPDATE, ImportPlan, RowOutcome
from desktop.imports.values import (
    clean_text,
    is_blank,
    parse_code,
    parse_date,
    parse_id_number,
    parse_phone,
)
from desktop.imports.villages import VillageNames, refuse_other_township, resolve_village
from desktop.validators import check_id_number
from resources import code_table

ALIASES = {
    "name": ("姓名",),
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "公民身份证号码", "身份证", "证件号码"),
    "gender": ("性别",),
    "ethnicity": ("民族",),
    "birth": ("出生年月", "出生日期", "出生年月日", "出生时间"),
    "education_fulltime": ("全日制学历", "全日制教育", "学历", "文化程度", "最高学历"),
    "education_inservice": ("在职学历", "在职教育"),
    "political_status": ("政治面貌",),
    "party_joined": ("入党时间", "入党日期", "入党年月"),
    "village": ("村(社区)", "所在村", "所在村(社区)", "村委会", "村名", "驻村村(社区)", "驻村村"),
    "posts": ("现任职务", "职务", "担任职务", "现任职务名称"),
    "post_start": ("任现职时间", "任职时间", "任现职务时间", "任职日期")
    + ("驻村开始时间", "派驻开始时间", "进驻时间", "驻村起始时间"),
    "resident_period": ("驻村起止时间", "派驻起止时间", "驻村时间", "起止时间"),
    "resident_end": ("驻村结束时间", "派驻结束时间", "驻村期满时间", "派驻期满时间", "期满时间"),
    "phone": ("联系电话", "手机号码", "手机号", "电话", "手机", "联系方式"),
    "sending_unit": ("派出单位",),
    "sending_unit_post": ("派出单位职务", "原单位职务"),
    "resident_role": ("驻村身份",),
    "notes": ("备注",),
}
_SPANS = ("驻村时间", "驻村起止时间", "起止时间", "派驻时间", "派驻起止时间")
ALIASES["post_start"] += tuple(
    span + leaf for span in _SPANS for leaf in ("开始", "开始时间", "起", "起始时间")
)
ALIASES["resident_end"] += tuple(
    span + leaf for span in _SPANS for leaf in ("结束", "结束时间", "止", "期满时间")
)
REQUIRED = ("name", "id_number")
LABELS = {
    "gender": "性别",
    "ethnicity": "民族",
    "birth": "出生年月",
    "education_fulltime": "全日制学历",
    "education_inservice": "在职学历",
    "political_status": "政治面貌",
    "party_joined": "入党时间",
    "post_start": "任现职时间",
    "posts": "现任职务",
    "village": "村(社区)",
    "phone": "联系电话",
}
CELL_LABELS = {
    **LABELS,
    "name": "姓名",
    "id_number": "身份证号",
    "notes": "备注",
    "sending_unit": "派出单位",
    "sending_unit_post": "派出单位职务",
    "resident_role": "驻村身份",
    "resident_period": "驻村起止时间",
    "resident_end": "驻村结束时间",
}
CODED = {  # the code table of each coded column, so a correction can offer its values
    "gender": "gender",
    "ethnicity": "ethnicity",
    "education_fulltime": "education",
    "education_inservice": "education",
    "political_status": "political_status",
    "posts": "post",
}
ROLE_POSTS = {
    "第一书记": codes.FIRST_SECRETARY,
    "队长": codes.TEAM_LEADER,
    "队员": codes.TEAM_MEMBER,
}
PLACE_POSTS = {
    e.code for e in code_table("post").entries if e.extra.get("group") in ("village", "resident")
}


def parse_posts(text: str) -> list[str]:
    """The posts a 职务 cell names, as counties write them (desktop.code_words)."""
    return code_words.parse_posts(text)


def resident_post(role: str) -> str:
    """The 驻村 post a 驻村身份 cell names: 第一书记, 队长, 队员 or a post's full name."""
    text = role.replace(" ", "")
    if text in ROLE_POSTS:
        return ROLE_POSTS[text]
    for word, post in (("第一书记", codes.FIRST_SECRETARY), ("队长", codes.TEAM_LEADER)):
        if text.endswith(word):
            return post
    if text.endswith("队员") or text in ("工作队", "驻村工作队"):
        return codes.TEAM_MEMBER
    raise ValueError(f"“{role}”不是驻村身份，可填：第一书记、队长、队员")


DATE_TOKEN = re.compile(
    r"\d{4}(?:\s*[.\-/年]\s*\d{1,2}(?!\d)(?:\s*[.\-/月]\s*\d{1,2}(?!\d))?)?\s*[日月]?"
)
STILL = ("至今", "今", "现在")


def resident_period(period, end_cell, bound) -> tuple:
    """(start, end) of a 驻村 term: “2021.05—2023.05”, “2021.05-2023.05”, “2021年5月至2023年5月”,
    “2021.05—至今”, or the end in its own column. The end may be planned (派驻期满)."""
    start = end = None
    if not is_blank(period):
        if isinstance(period, (dt.date, int, float)) and not isinstance(period, bool):
            start = parse_date(period, bound=bound)
        else:
            text = clean_text(period)
            tokens = DATE_TOKEN.findall(text)
            rest = DATE_TOKEN.sub("", text).strip(" —–-~～至到")
            if not tokens or len(tokens) > 2 or (rest and rest not in STILL):
                raise ValueError(f"“{text}”请写作“2021.05—2023.05”")
            start = parse_date(tokens[0].replace(" ", ""), bound=bound)
            if len(tokens) == 2:
                end = parse_date(tokens[1].replace(" ", ""), bound=bound, planned=True)
    if not is_blank(end_cell) and clean_text(end_cell) not in STILL:
        found = parse_date(end_cell, bound=bound, planned=True)
        if end is not None and found != end:
            raise ValueError("驻村结束时间与驻村起止时间不一致")
        end = found
    return start, end


DATE_FIELDS = ("birth", "party_joined", "post_start")
PARSERS = {
    "gender": lambda v: parse_code(v, "gender"),
    "ethnicity": lambda v: parse_code(v, "ethnicity"),
    "education_fulltime": lambda v: parse_code(v, "education"),
    "education_inservice": lambda v: parse_code(v, "education"),
    "political_status": lambda v: parse_code(v, "political_status"),
    "birth": parse_date,
    "party_joined": parse_date,
    "post_start": parse_date,
    "phone": parse_phone,
    "posts": parse_posts,
}


def plan_roster(plan: ImportPlan, sheet: str, rows: list[list], header: Header, year: int) -> None:
    cadres = records.cadres_by_id_number()
    villages = records.villages_by_name()
    ours = township()
    known = VillageNames(villages.values(), ours.name)
    county = ours.division_code[:6]
    rows_with_village = outside = other_ids = people = 0
    open_posts = records.open_posts()
    every_term = register_imports.terms()
    seen: dict[str, int] = {}
    bound = date_bound()  # nothing after the cut-off (or today), nothing before 1900
    parsers = {**PARSERS, **{f: partial(parse_date, bound=bound) for f in DATE_FIELDS}}
    plan.header = header.labels
    plan.coded = {header.columns[f]: table for f, table in CODED.items() if f in header.columns}
    for number, row in data_rows(rows, header, "name", plan, sheet):
        cell, problems = read_cells(row, header, CELL_LABELS, plan, sheet, number)
        name = clean_text(cell.get("name"))
        label = name or "（无姓名）"
        people += 1
        values: dict = {}
        try:
            id_number = parse_id_number(cell.get("id_number"))
            info = check_id_number(id_number)
            label = f"{name}（{id_number}）"
        except ValueError as exc:
            problems.append(f"身份证号：{exc}")
            id_number, info = "", None
        if not name:
            problems.append("姓名不能为空")
        for field, parse in parsers.items():
            raw = cell.get(field)
            if field in cell and not is_blank(raw):
                try:
                    values[field] = parse(raw)
                except ValueError as exc:
                    problems.append(f"{LABELS.get(field, field)}：{exc}")
        if info is not None:
            birth = values.pop("birth", None)
            if birth and (birth.year, birth.month) != (info.birth_date.year, info.birth_date.month):
                problems.append(f"出生年月{birth:%Y.%m}与身份证号中的{info.birth_date:%Y.%m}不一致")
            if values.get("gender") and values["gender"] != info.gender:
                problems.append("性别与身份证号不一致")
            values["gender"], values["birth_date"] = info.gender, info.birth_date
            for field, what in (("party_joined", "入党"), ("post_start", "任现职")):
                when = values.get(field)
                if when and age_on(info.birth_date, when) < 18:
                    problems.append(
                        f"{LABELS[field]}：{when:%Y.%m.%d}{what}时未满18周岁"
                        f"（出生于{info.birth_date:%Y.%m.%d}）"
                    )
        if id_number in seen:
            problems.append(f"与第{seen[id_number]}行的身份证号相同，一人只能出现一次")
        elif id_number:
            seen[id_number] = number
        posts = values.pop("posts", [])
        role = clean_text(cell.get("resident_role"))
        if role:
            try:
                role_post = resident_post(role)
            except ValueError as exc:
                problems.append(f"驻村身份：{exc}")
            else:
                if role_post not in posts:
                    posts = [*posts, role_post] if posts else [role_post]
        end = None
        if not is_blank(cell.get("resident_period")) or not is_blank(cell.get("resident_end")):
            try:
                start_from, end = resident_period(
                    cell.get("resident_period"), cell.get("resident_end"), bound
                )
            except ValueError as exc:
                problems.append(f"驻村起止时间：{exc}")
            else:
                if start_from is not None:
                    if values.get("post_start") not in (None, start_from):
                        problems.append("驻村起止时间与驻村开始时间不一致")
                    values["post_start"] = start_from
                if end is not None and values.get("post_start") and end < values["post_start"]:
                    problems.append("驻村结束时间早于开始时间")
                if not any(p in codes.RESIDENT_POSTS for p in posts):
                    problems.append("填了驻村起止时间，请填写驻村身份（第一书记、队长或队员）")
        village_name = clean_text(cell.get("village"))
        if any(p in PLACE_POSTS for p in posts) and not village_name:
            problems.append("担任村级或驻村职务，请填写村(社区)")
        if village_name:
            village_name, problem = resolve_village(plan, known, village_name)
            if problem:
                problems.append(f"村(社区)：{problem}")
            rows_with_village += 1
            outside += village_name not in villages
        if info is not None and info.number[:6] != county:
            other_ids += 1
        existing = cadres.get(id_number)
        if existing is None and id_number:
            for field, text in (("ethnicity", "民族"), ("political_status", "政治面貌")):
                if not values.get(field):
                    problems.append(f"新人员缺少{text}")
        if problems:
            plan.outcomes.append(
                RowOutcome(sheet, number, REFUSE, label, "；".join(problems), cells=list(row))
            )
            continue
        start = values.pop("post_start", None)
        person = {"name": name, **values}
        if "phone" in person and not person["phone"]:
            person.pop("phone")
        for text_field in ("notes",):
            if not is_blank(cell.get(text_field)):
                person[text_field] = clean_text(cell.get(text_field))
        person["id_number"] = id_number
        unit = clean_text(cell.get("sending_unit"))
        unit_post = clean_text(cell.get("sending_unit_post"))
        village_id = villages[village_name].id if village_name in villages else None
        held = {
            p
            for p in posts
            if existing
            and (
                (existing.id, p, village_id) in open_posts
                or (start and (existing.id, p, village_id, start) in every_term)
            )
        }
        new_posts = [p for p in posts if p not in held]
        changed = [f for f, v in person.items() if existing is None or getattr(existing, f) != v]
        if existing is None:
            action, detail = ADD, "新增人员"
        elif changed or new_posts:
            action = UPDATE
            detail = "更新：" + "、".join(
                [LABELS.get(f, f) for f in changed] + (["新增任职"] if new_posts else [])
            )
        else:
            action, detail = UNCHANGED, ""
        if new_posts:
            names = "、".join(code_table("post").name_of(p) for p in new_posts)
            detail += f"；任职：{names}" + (
                "" if start else "（任现职时间未填，记为空白，审核将提示补填）"
            )

        def apply(
            writer,
            existing=existing,
            person=person,
            new_posts=new_posts,
            village_name=village_name,
            start=start,
            unit=unit,
            unit_post=unit_post,
            end=end,
        ):
            village_id = writer.village(village_name, year) if village_name else None
            resident = any(p in codes.RESIDENT_POSTS for p in new_posts)
            if existing is None:
                cadre_id = writer.add(Cadre, **person, village=None if resident else village_id)
            else:
                changes = {f: v for f, v in person.items() if getattr(existing, f) != v}
                if changes:
                    records.save_cadre(existing, changes)
                cadre_id = existing.id
            for post in new_posts:
                if end is not None and post in codes.RESIDENT_POSTS:
                    writer.appointment(cadre_id, post, village_id, start, unit, unit_post, end)
                else:
                    writer.appointment(cadre_id, post, village_id, start, unit, unit_post)

        plan.add_row(sheet, number, action, label, detail, list(row), apply)
    refuse_other_township(
        plan, rows[: header.row], ours, (outside, rows_with_village), (other_ids, people)
    )
