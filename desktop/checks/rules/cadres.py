"""Rules on cadres: ID numbers, dates in order, posts and who may hold them."""

from collections import defaultdict

from db import codes
from db.year_facts import age_on, held_at, holders
from desktop.checks.registry import ERROR, WARNING, rule
from desktop.checks.rules.common import cadre_hit, village_names
from desktop.validators import check_id_number, phone_problem
from resources import code_table


def _valid_ids(data):
    """(cadre, parsed ID) for every cadre whose ID number is valid."""
    for cadre in data.cadres:
        try:
            yield cadre, check_id_number(cadre.id_number)
        except ValueError:
            continue


def _in_post(data):
    """Cadres holding any post at the cut-off date."""
    return holders(data)


@rule("C01", ERROR, "干部", "身份证号无效")
def id_number_valid(data):
    villages = village_names(data)
    for cadre in data.cadres:
        try:
            check_id_number(cadre.id_number)
        except ValueError as exc:
            yield cadre_hit(cadre, "id_number", f"{exc}（{cadre.id_number}）", villages)


@rule("C02", WARNING, "干部", "身份证号地区码未收录")
def id_area_known(data):
    villages = village_names(data)
    for cadre, info in _valid_ids(data):
        if not info.area_known:
            yield cadre_hit(
                cadre,
                "id_number",
                f"前6位“{info.number[:6]}”不在行政区划代码库中，请核对（不影响上报）",
                villages,
            )


@rule("C03", ERROR, "干部", "出生日期与身份证号不一致")
def birth_matches_id(data):
    villages = village_names(data)
    for cadre, info in _valid_ids(data):
        if cadre.birth_date != info.birth_date:
            yield cadre_hit(
                cadre,
                "birth_date",
                f"出生日期{cadre.birth_date:%Y.%m.%d}与身份证号中的{info.birth_date:%Y.%m.%d}不一致",
                villages,
            )


@rule("C04", ERROR, "干部", "性别与身份证号不一致")
def gender_matches_id(data):
    villages = village_names(data)
    gender = code_table("gender")
    for cadre, info in _valid_ids(data):
        if cadre.gender != info.gender:
            yield cadre_hit(
                cadre,
                "gender",
                f"性别为{gender.name_of(cadre.gender)}，身份证号显示为{gender.name_of(info.gender)}",
                villages,
            )


@rule("C05", WARNING, "干部", "疑似重复录入")
def same_person_twice(data):
    villages = village_names(data)
    groups = defaultdict(list)
    for cadre in data.cadres:
        groups[(cadre.name, cadre.birth_date)].append(cadre)
    for people in groups.values():
        if len(people) > 1:
            for cadre in people[1:]:
                yield cadre_hit(
                    cadre,
                    "id_number",
                    f"与另一条记录同名同出生日期但身份证号不同（{people[0].id_number}），"
                    "一人只应录入一次",
                    villages,
                )


@rule("C06", ERROR, "干部", "入党时间不合理")
def joined_after_18(data):
    villages = village_names(data)
    for cadre in data.cadres:
        if cadre.party_joined and age_on(cadre.birth_date, cadre.party_joined) < 18:
            yield cadre_hit(
                cadre,
                "party_joined",
                f"入党时间{cadre.party_joined:%Y.%m.%d}时未满18周岁（出生于{cadre.birth_date:%Y.%m.%d}）",
                villages,
            )


@rule("C07", ERROR, "干部", "非党员填有入党时间")
def joined_only_if_member(data):
    villages = village_names(data)
    party = codes.party_status_codes()
    for cadre in data.cadres:
        if cadre.party_joined and cadre.political_status not in party:
            status = code_table("political_status").name_of(cadre.political_status)
            yield cadre_hit(
                cadre, "political_status", f"政治面貌为{status}，却填有入党时间", villages
            )


@rule("C08", WARNING, "干部", "党员缺少入党时间")
def member_has_joined(data):
    villages = village_names(data)
    party = codes.party_status_codes()
    for cadre in data.cadres:
        if cadre.political_status in party and not cadre.party_joined:
            yield cadre_hit(cadre, "party_joined", "政治面貌为党员，请填写入党时间", villages)


@rule("C09", ERROR, "干部", "党内职务由非党员担任")
def party_posts_need_members(data):
    villages = village_names(data)
    party = codes.party_status_codes()
    party_posts = codes.party_posts()
    cadres = {c.id: c for c in data.cadres}
    post_names = code_table("post")
    for a in data.appointments:
        cadre = cadres[a.cadre_id]
        if (
            a.post in party_posts
            and held_at(a, data.cutoff)
            and cadre.political_status not in party
        ):
            yield cadre_hit(
                cadre,
                "political_status",
                f"担任{post_names.name_of(a.post)}，政治面貌却不是中共党员或预备党员",
                villages,
            )


@rule("C10", ERROR, "干部", "入党时间晚于任党内职务时间")
def joined_before_party_post(data):
    villages = village_names(data)
    party_posts = codes.party_posts()
    cadres = {c.id: c for c in data.cadres}
    post_names = code_table("post")
    for a in data.appointments:
        cadre = cadres[a.cadre_id]
        if (
            a.post in party_posts
            and a.start_date
            and cadre.party_joined
            and cadre.party_joined > a.start_date
        ):
            yield cadre_hit(
                cadre,
                "party_joined",
                f"入党时间{cadre.party_joined:%Y.%m.%d}晚于任{post_names.name_of(a.post)}的时间"
                f"{a.start_date:%Y.%m.%d}",
                villages,
            )


@rule("C11", ERROR, "干部", "任职结束日期早于开始日期")
def appointment_dates(data):
    villages = village_names(data)
    cadres = {c.id: c for c in data.cadres}
    for a in data.appointments:
        if a.end_date and a.start_date and a.end_date <= a.start_date:
            yield cadre_hit(
                cadres[a.cadre_id],
                "end_date",
                f"{code_table('post').name_of(a.post)}的离任日期{a.end_date:%Y.%m.%d}"
                f"不晚于任职日期{a.start_date:%Y.%m.%d}",
                villages,
            )


@rule("C12", ERROR, "干部", "任职时未满18周岁")
def adult_when_appointed(data):
    villages = village_names(data)
    cadres = {c.id: c for c in data.cadres}
    for a in data.appointments:
        cadre = cadres[a.cadre_id]
        if a.start_date and age_on(cadre.birth_date, a.start_date) < 18:
            yield cadre_hit(
                cadre,
                "start_date",
                f"任{code_table('post').name_of(a.post)}时（{a.start_date:%Y.%m.%d}）未满18周岁",
                villages,
            )


@rule("C13", WARNING, "干部", "在任干部年龄超出18–75岁")
def age_range(data):
    villages = village_names(data)
    for cadre in _in_post(data):
        age = age_on(cadre.birth_date, data.cutoff)
        if not 18 <= age <= 75:
            yield cadre_hit(cadre, "birth_date", f"截至统计截止日期年龄为{age}岁，请核实", villages)


@rule("C14", WARNING, "干部", "联系电话格式不对")
def phone_format(data):
    villages = village_names(data)
    for cadre in data.cadres:
        problem = cadre.phone and phone_problem(cadre.phone)
        if problem:
            yield cadre_hit(cadre, "phone", f"“{cadre.phone}”：{problem}", villages)


@rule("C15", WARNING, "干部", "在任干部缺少联系电话")
def phone_present(data):
    villages = village_names(data)
    for cadre in _in_post(data):
        if not cadre.phone.strip():
            yield cadre_hit(cadre, "phone", "在任干部请填写联系电话", villages)


@rule("C16", ERROR, "干部", "驻村干部缺少派出单位")
def resident_has_sending_unit(data):
    villages = village_names(data)
    cadres = {c.id: c for c in data.cadres}
    for a in data.appointments:
        if a.post in codes.RESIDENT_POSTS and not a.sending_unit.strip():
            yield cadre_hit(
                cadres[a.cadre_id],
                "sending_unit",
                f"任{code_table('post').name_of(a.post)}，请填写派出单位",
                villages,
            )


@rule("C17", ERROR, "干部", "村级职务未填所在村(社区)")
def village_post_has_village(data):
    villages = village_names(data)
    cadres = {c.id: c for c in data.cadres}
    posts = code_table("post")
    post_group = {e.code: e.extra.get("group") for e in posts.entries}
    for a in data.appointments:
        if post_group.get(a.post) in ("village", "resident") and a.village_id is None:
            yield cadre_hit(
                cadres[a.cadre_id],
                "village_post",
                f"任{posts.name_of(a.post)}，请选择所在村(社区)",
                villages,
            )


@rule("C18", ERROR, "干部", "学历提升日期不合理")
def enrollment_dates(data):
    villages = village_names(data)
    cadres = {c.id: c for c in data.cadres}
    for e in data.enrollments:
        if e.end_date and e.end_date <= e.start_date:
            yield cadre_hit(
                cadres[e.cadre_id], "enrollment_end", "学历提升的结束日期不晚于入学日期", villages
            )
        elif e.status == codes.ENROLLED and e.end_date and e.end_date <= data.cutoff:
            yield cadre_hit(
                cadres[e.cadre_id],
                "status",
                f"已于{e.end_date:%Y.%m.%d}结束学业，状态却仍为在读",
                villages,
            )


@rule("C19", ERROR, "干部", "代码不在代码表中")
def known_codes(data):
    villages = village_names(data)
    fields = {
        "gender": "gender",
        "ethnicity": "ethnicity",
        "political_status": "political_status",
        "education_fulltime": "education",
        "education_inservice": "education",
    }
    for cadre in data.cadres:
        for field, table in fields.items():
            value = getattr(cadre, field)
            if value and value not in code_table(table):
                yield cadre_hit(
                    cadre, field, f"{code_table(table).title}代码“{value}”不存在", villages
                )
    cadres = {c.id: c for c in data.cadres}
    for a in data.appointments:
        if a.post not in code_table("post"):
            yield cadre_hit(cadres[a.cadre_id], "post", f"职务代码“{a.post}”不存在", villages)


@rule("C20", WARNING, "干部", "任现职时间未填")
def post_start_known(data):
    """An imported roster without 任现职时间 leaves the start unknown (never invented)."""
    villages = village_names(data)
    cadres = {c.id: c for c in data.cadres}
    posts = code_table("post")
    for a in data.appointments:
        if a.start_date is None and held_at(a, data.cutoff):
            yield cadre_hit(
                cadres[a.cadre_id],
                "start_date",
                f"任{posts.name_of(a.post)}的任现职时间未填，请补填（表3中该项暂为空白）",
                villages,
            )
