"""Post titles as counties write them, for villages and communities, and one table of words
for every coded field (resources/codes/synonyms.json), listed in docs/code-words.md."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from stdnum.cn import ric

from db import codes
from db.connection import close_db, init_db
from db.models import Appointment, Cadre, Village
from db.statistics import key_figures
from desktop import code_words
from desktop.code_words import parse_posts, post_name
from desktop.imports.values import parse_code
from resources import code_table

ROOT = Path(__file__).resolve().parent.parent


def make_id(birth: str, serial: int, female: bool = False) -> str:
    """A valid 18-digit number of 双柏县 for someone born on `birth` (YYYYMMDD)."""
    order = f"{serial % 50 * 2 + (0 if female else 1):03d}"[-3:]
    body = "532322" + birth + order
    return body + ric.calc_check_digit(body + "0")


def cli(*args, data_dir: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "desktop", *args, "--data-dir", str(data_dir)]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=180)
    assert "Traceback" not in result.stderr, result.stderr
    return result


# --- the titles one by one ----------------------------------------------------------------


@pytest.mark.parametrize(
    "title, posts",
    [
        ("党委书记", ["11"]),
        ("党总支书记", ["11"]),
        ("党支部书记", ["11"]),
        ("社区党委书记", ["11"]),
        ("党总支副书记", ["12"]),
        ("党支部副书记", ["12"]),
        ("党委委员", ["13"]),
        ("党总支委员", ["13"]),
        ("党支部委员", ["13"]),
        ("村委会主任", ["21"]),
        ("居委会主任", ["21"]),
        ("社区居委会主任", ["21"]),
        ("居委会副主任", ["22"]),
        ("居委会委员", ["23"]),
        ("村务监督委员会主任", ["31"]),
        ("居务监督委员会主任", ["31"]),
        ("村务监督委员会委员", ["32"]),
        ("居务监督委员会委员", ["32"]),
        ("驻村第一书记", ["41"]),
        ("驻村工作队长", ["42"]),
        ("驻村工作队员", ["43"]),
        ("后备干部", ["61"]),
        ("网格员", ["62"]),
        ("网格长", ["64"]),
        ("村民小组长", ["63"]),
        ("居民小组长", ["63"]),
        ("党总支书记、村委会主任", ["11", "21"]),
        ("党总支书记、村委会主任（一肩挑）", ["11", "21"]),
        ("书记兼主任", ["11", "21"]),
        ("书记、主任", ["11", "21"]),
        ("一肩挑", ["11", "21"]),
        ("书记主任一肩挑", ["11", "21"]),
        ("社区党总支书记 居委会主任", ["11", "21"]),
        ("副书记兼主任", ["12", "21"]),
        ("村委会委员（兼妇联主席）", ["23", "65"]),
        ("党支部委员；村委会委员", ["13", "23"]),
    ],
)
def test_titles_as_county_rosters_write_them(title, posts):
    assert parse_posts(title) == posts


@pytest.mark.parametrize("title", ["村长助理", "书记（代）", "书计"])
def test_a_title_that_means_nothing_is_refused_by_name(title):
    with pytest.raises(ValueError, match="无法识别"):
        parse_posts(title)


def test_a_community_post_is_named_for_the_community():
    assert post_name(codes.VILLAGE_DIRECTOR, codes.COMMUNITY) == "居委会主任"
    assert post_name(codes.VILLAGE_DIRECTOR, codes.VILLAGE) == "村委会主任"
    assert post_name(codes.VILLAGE_DIRECTOR) == "村委会主任"
    assert post_name(codes.SUPERVISION_MEMBER, codes.COMMUNITY) == "居务监督委员会委员"
    assert post_name(codes.VILLAGE_SECRETARY, codes.COMMUNITY) == "社区党组织书记"
    assert post_name(codes.GRID_WORKER, codes.COMMUNITY) == "网格员"  # no other name


def test_a_county_adds_its_own_word_in_the_resource_without_code(monkeypatch):
    tables = {**code_words._synonyms()}
    tables["post"] = {**tables["post"], "words": {**tables["post"]["words"], "23": ["两委委员"]}}
    tables["education"] = {**tables["education"], "words": {"30": ["电大"]}}
    for cached in (code_words.words, code_words._post_patterns):
        cached.cache_clear()
    monkeypatch.setattr(code_words, "_synonyms", lambda: tables)
    try:
        assert parse_posts("两委委员") == ["23"]
        assert parse_code("电大", "education") == "30"
    finally:
        monkeypatch.undo()
        for cached in (code_words.words, code_words._post_patterns):
            cached.cache_clear()
    with pytest.raises(ValueError):
        parse_posts("两委委员")


def test_every_word_names_a_real_code_and_no_word_two_codes():
    for table, rules in code_words._synonyms().items():
        known = code_table(table)
        seen: dict[str, str] = {}
        for code, listed in rules.get("words", {}).items():
            assert code in known, (table, code)
            for word in listed:
                assert seen.setdefault(word, code) == code, (table, word)
                name_code = known.code_of(word)
                assert name_code in (None, code), (table, word)
        for combined in rules.get("combined", {}).values():
            assert all(code in known for code in combined)


def test_the_doc_lists_every_title_and_is_not_stale():
    doc = (ROOT / "docs" / "code-words.md").read_text(encoding="utf-8")
    assert doc == code_words.words_markdown(), (
        "docs/code-words.md is stale: python -m desktop.code_words > docs/code-words.md"
    )
    for word in ("居务监督委员会委员", "党总支副书记", "一肩挑", "大专", "彝族"):
        assert word in doc


# --- a county's roster of real titles, through the command line --------------------------

VILLAGES = ("麻旺村", "法脿村", "大箐村", "城南社区")
PARTY = {"党员", "中共党员", "预备党员"}
# village, name, born, female, ethnicity, fulltime, inservice, political, joined, title, unit
PEOPLE = [
    ("麻旺村", "李正华", "19720305", False, "彝", "高中", "大专", "中共党员", "1998.07",
     "党总支书记、村委会主任（一肩挑）", ""),
    ("麻旺村", "普玉芬", "19800611", True, "彝族", "中专", "", "党员", "2005.06",
     "党总支副书记、村委会副主任", ""),
    ("麻旺村", "杨光明", "19851120", False, "汉族", "大专", "", "中共党员", "2010.07",
     "党总支委员、村委会委员", ""),
    ("麻旺村", "鲁春梅", "19900208", True, "彝", "高中", "", "群众", "",
     "村委会委员（兼妇联主席）", ""),
    ("麻旺村", "罗永福", "19680916", False, "汉", "初中", "", "中共党员", "1995.10",
     "村务监督委员会主任", ""),
    ("麻旺村", "苏学兵", "19790423", False, "彝族", "初中", "", "群众", "",
     "村务监督委员会委员", ""),
    ("麻旺村", "张晓东", "19880714", False, "汉族", "本科", "", "中共党员", "2009.05",
     "驻村第一书记", "双柏县农业农村局"),
    ("麻旺村", "王丽", "19920302", True, "汉族", "本科", "", "共青团员", "",
     "驻村工作队员", "双柏县人民医院"),
    ("法脿村", "施文才", "19751108", False, "彝", "大专", "", "中共党员", "2001.07",
     "书记兼主任", ""),
    ("法脿村", "李秀英", "19830517", True, "彝", "高中", "", "中共党员", "2008.07",
     "副书记", ""),
    ("法脿村", "毕建国", "19770829", False, "汉族", "初中", "", "中共党员", "2003.06",
     "党支部委员", ""),
    ("法脿村", "起润芝", "19940113", True, "彝", "大专", "", "共青团员", "",
     "委员", ""),
    ("法脿村", "何正发", "19650402", False, "汉族", "小学", "", "中共党员", "1990.03",
     "监委会主任", ""),
    ("法脿村", "李文娟", "19960918", True, "彝族", "大学本科", "", "预备党员", "2025.03",
     "后备干部", ""),
    ("法脿村", "杨勇", "19870625", False, "汉族", "高中", "", "群众", "",
     "网格长", ""),
    ("法脿村", "普家顺", "19710130", False, "彝", "小学", "", "群众", "",
     "村民小组长", ""),
    ("大箐村", "陈志强", "19780312", False, "汉族", "中专", "本科", "中共党员", "2002.07",
     "党支部书记", ""),
    ("大箐村", "鲁文华", "19820704", False, "彝", "高中", "", "群众", "",
     "村委会主任", ""),
    ("大箐村", "张桂兰", "19860227", True, "汉族", "高中", "", "中共党员", "2011.06",
     "党支部副书记", ""),
    ("大箐村", "罗应昌", "19740815", False, "彝", "初中", "", "群众", "",
     "村委会副主任", ""),
    ("大箐村", "字学明", "19891009", False, "彝族", "中专", "", "中共党员", "2014.07",
     "党支部委员", ""),
    ("大箐村", "李小红", "19950521", True, "傈僳", "大专", "", "共青团员", "",
     "网格员", ""),
    ("大箐村", "赵云飞", "19840308", False, "汉族", "研究生", "", "中共党员", "2006.11",
     "驻村工作队长", "楚雄州林业和草原局"),
    ("城南社区", "刘建平", "19730617", False, "汉族", "本科", "", "中共党员", "1999.07",
     "社区党委书记", ""),
    ("城南社区", "杨海燕", "19810924", True, "白族", "大专", "", "群众", "",
     "社区居委会主任", ""),
    ("城南社区", "周德华", "19790102", False, "汉族", "大专", "", "中共党员", "2004.06",
     "党委副书记、居委会副主任", ""),
    ("城南社区", "马丽萍", "19870830", True, "回族", "本科", "", "中共党员", "2012.05",
     "党委委员、居委会委员", ""),
    ("城南社区", "钱学军", "19760411", False, "汉族", "高中", "", "群众", "",
     "居委会委员", ""),
    ("城南社区", "孙德明", "19670722", False, "汉族", "高中", "", "中共党员", "1994.07",
     "居务监督委员会主任", ""),
    ("城南社区", "黄秀兰", "19750319", True, "汉族", "初中", "", "群众", "",
     "居务监督委员会委员", ""),
]  # fmt: skip
EXPECTED = {
    "李正华": {"11", "21"},
    "普玉芬": {"12", "22"},
    "杨光明": {"13", "23"},
    "鲁春梅": {"23", "65"},
    "罗永福": {"31"},
    "苏学兵": {"32"},
    "张晓东": {"41"},
    "王丽": {"43"},
    "施文才": {"11", "21"},
    "李秀英": {"12"},
    "毕建国": {"13"},
    "起润芝": {"23"},
    "何正发": {"31"},
    "李文娟": {"61"},
    "杨勇": {"64"},
    "普家顺": {"63"},
    "陈志强": {"11"},
    "鲁文华": {"21"},
    "张桂兰": {"12"},
    "罗应昌": {"22"},
    "字学明": {"13"},
    "李小红": {"62"},
    "赵云飞": {"42"},
    "刘建平": {"11"},
    "杨海燕": {"21"},
    "周德华": {"12", "22"},
    "马丽萍": {"13", "23"},
    "钱学军": {"23"},
    "孙德明": {"31"},
    "黄秀兰": {"32"},
}
TAKEN_OFFICE = "2025.01.06"


def write_county_roster(path: Path) -> Path:
    """The roster as a county office makes it: a merged title, the unit line, a two-row
    header (学历 over 全日制/在职, the other labels merged down), IDs as text."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "两委成员"
    ws.append(["双柏县妥甸镇村(社区)“两委”班子成员花名册"])
    ws.merge_cells("A1:P1")
    ws.append(["填报单位：中共妥甸镇委员会（盖章）", None, None, None, None, None, None,
               None, None, None, None, None, "填报时间：2025年3月"])  # fmt: skip
    top = ["序号", "村(社区)", "姓名", "性别", "民族", "出生年月", "公民身份号码", "学历",
           None, "政治面貌", "入党时间", "现任职务", "任现职时间", "派出单位", "联系电话",
           "备注"]  # fmt: skip
    ws.append(top)
    ws.append([None] * 7 + ["全日制", "在职"] + [None] * 7)
    for column, label in enumerate(top, 1):
        letter = openpyxl.utils.get_column_letter(column)
        if label == "学历":
            ws.merge_cells(f"{letter}3:{openpyxl.utils.get_column_letter(column + 1)}3")
        elif label:
            ws.merge_cells(f"{letter}3:{letter}4")
    for n, person in enumerate(PEOPLE, 1):
        village, name, born, female, nation, full, inservice, political, joined, title, unit = (
            person
        )
        ws.append(
            [n, village, name, "女" if female else "男", nation, f"{born[:4]}.{born[4:6]}",
             make_id(born, n, female), full, inservice or None, political, joined or None,
             title, TAKEN_OFFICE, unit or None, f"1388783{n:04d}", None]
        )  # fmt: skip
    for row in ws.iter_rows(min_row=5):
        for cell in row:
            cell.number_format = "@"
    book.save(path)
    return path


def imported(name):
    """The cadre of that name the roster brought in (the sample may have a namesake)."""
    return Cadre.select().where(Cadre.name == name).order_by(Cadre.id.desc()).first()


def test_a_county_roster_of_real_titles_imports_every_post(sample, data_dir, tmp_path):
    """30 rows of 两委 members for three 行政村 and a 社区 after a 换届: no row refused, each
    title stored as its post, 一肩挑 counted in 表7, 居委会主任 printed for the 社区."""
    sample("township")
    chosen = [Village.get(Village.name == name).id for name in VILLAGES]
    assert Village.get_by_id(chosen[-1]).kind == codes.COMMUNITY
    # the old 两委 and work teams of these villages left office the day before
    Appointment.update(end_date=dt.date(2025, 1, 5)).where(
        Appointment.village.in_(chosen) & Appointment.end_date.is_null()
    ).execute()
    before = dict(key_figures(2025))["一肩挑村(社区)数"]
    close_db()
    roster = write_county_roster(tmp_path / "妥甸镇两委成员花名册.xlsx")

    result = cli("import", str(roster), data_dir=data_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "拒绝 0 条" in result.stdout and "新增 30 条" in result.stdout, result.stdout

    init_db(data_dir / "township.sqlite3")
    for name, posts in EXPECTED.items():
        cadre = imported(name)
        held = [a for a in cadre.appointments if a.end_date is None]
        assert {a.post for a in held} == posts, name
        village = next(p for p in PEOPLE if p[1] == name)[0]
        assert {a.village.name for a in held} == {village}, name
    director = imported("杨海燕")
    assert director.education_fulltime == "30"  # 大专 → 大学专科
    assert imported("李小红").ethnicity == "20"  # 傈僳 → 傈僳族
    after = dict(key_figures(2025))["一肩挑村(社区)数"]
    assert after == before + 2  # 麻旺村 and 法脿村
    close_db()

    stats = dict(line.split("\t") for line in cli("stats", data_dir=data_dir).stdout.splitlines())
    assert int(stats["一肩挑村(社区)数"]) == after
    exported = cli("export", "-o", str(tmp_path / "报表"), data_dir=data_dir)
    assert exported.returncode == 0, exported.stdout + exported.stderr
    sheet = openpyxl.load_workbook(exported.stdout.strip().splitlines()[-1])["表3"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(r for r in rows if "现任职务" in r)
    name_at, posts_at, shoulder_at = (
        header.index("姓名"),
        header.index("现任职务"),
        header.index("是否\n一肩挑"),
    )
    printed = {r[name_at]: r for r in rows if r[name_at] in EXPECTED}
    assert printed["杨海燕"][posts_at] == "居委会主任"
    assert printed["周德华"][posts_at] == "社区党组织副书记、居委会副主任"
    assert printed["刘建平"][posts_at] == "社区党组织书记"
    assert printed["鲁文华"][posts_at] == "村委会主任"
    assert printed["李正华"][posts_at] == "村党组织书记、村委会主任"
    assert printed["李正华"][shoulder_at] == "是" and printed["施文才"][shoulder_at] == "是"
    assert printed["陈志强"][shoulder_at] == "否"
