"""Checks of single values: resident ID numbers, credit codes, phone numbers.

Check digits come from python-stdnum, minding its two traps for our users (REPORTS.md):
an ID number is valid by its length, date and check digit alone (its area code may have been
created after the birth date, or be unknown to the library), and a credit code may begin
with N (village collective economic organizations).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError

FULL_WIDTH = str.maketrans("０１２３４５６７８９ｘＸ　．－／", "0123456789xX .-/")

# Characters nobody types on purpose that break a workbook or the order of what is shown:
# C0/C1 controls (not tab and line breaks), zero-width marks, bidi overrides and isolates,
# and the `_x0007_` escapes xlsx writers use for controls.
HIDDEN_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u2069\ufeff\ufff9-\ufffb]|_x00(?:0[0-8bBcCeEfF]|1[0-9a-fA-F])_"
)


def remove_hidden_characters(text: str) -> str:
    """`text` without invisible control and bidi characters (so no export can break)."""
    return HIDDEN_CHARACTERS.sub("", text)


def hidden_characters(text: str) -> list[str]:
    """The invisible characters in `text`, named as U+XXXX, for a message."""
    found = []
    for match in HIDDEN_CHARACTERS.finditer(text):
        char = match.group()
        name = f"U+{ord(char):04X}" if len(char) == 1 else char
        if name not in found:
            found.append(name)
    return found


# The longest text each kind of field takes, in characters: one table for imports and forms.
TEXT_LIMITS = {
    "name": 50,  # a person's name, also with a minority name's middle dot
    "village": 50,  # 村(社区) name
    "organization": 100,  # 党组织 name
    "collective_org_name": 100,
    "project": 100,
    "title": 100,  # a training's title
    "organizer": 100,
    "school": 100,
    "major": 100,
    "sending_unit": 100,
    "sending_unit_post": 50,
    "unit": 100,
    "partner": 100,
    "phone": 30,
    "contact_person": 50,
    "notes": 500,
    "rectification": 500,
}
DEFAULT_TEXT_LIMIT = 200


def text_problem(field: str, text: str) -> str | None:
    """Why `text` cannot be stored in `field` (too long), or None."""
    limit = TEXT_LIMITS.get(field, DEFAULT_TEXT_LIMIT)
    if len(text) > limit:
        return f"不能超过{limit}个字（现为{len(text)}个字）"
    return None


def normalize_id_number(text: str) -> str:
    """Strip spaces, turn full-width digits half-width and a lowercase x upper."""
    return re.sub(r"\s+", "", (text or "").translate(FULL_WIDTH)).upper()


@dataclass(frozen=True)
class IdNumberInfo:
    number: str
    birth_date: dt.date
    gender: str  # "1" male, "2" female (GB/T 2261.1)
    area_known: bool


@lru_cache(maxsize=100_000)
def check_id_number(text: str) -> IdNumberInfo:
    """Parse an 18-digit resident ID number; raises ValueError with a Chinese reason."""
    number = normalize_id_number(text)
    if not number:
        raise ValueError("身份证号不能为空")
    if len(number) != 18:
        raise ValueError(f"身份证号应为18位，现为{len(number)}位")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValueError("身份证号前17位应为数字，最后一位为数字或X")
    try:
        birth = ric.get_birth_date(number)
    except ValidationError:
        raise ValueError("身份证号中的出生日期不存在") from None
    if not dt.date(1900, 1, 1) <= birth <= dt.date.today():
        raise ValueError("身份证号中的出生日期不合理")
    if ric.calc_check_digit(number) != number[17]:
        raise ValueError("身份证号校验位错误，请逐位核对")
    gender = "1" if int(number[16]) % 2 else "2"
    return IdNumberInfo(number, birth, gender, area_known(number[:6]))


@cache
def area_known(area: str) -> bool:
    """Whether a 6-digit area code is in stdnum's register of divisions (at any time)."""
    from stdnum import numdb

    parts = numdb.get("cn/loc").info(area)
    return any("county" in props for _, props in parts)


def id_number_problem(text: str) -> str | None:
    try:
        check_id_number(text)
    except ValueError as exc:
        return str(exc)
    return None


CREDIT_CODE_ALPHABET = set("0123456789ABCDEFGHJKLMNPQRTUWXY")


def credit_code_problem(text: str) -> str | None:
    """Why a unified social credit code (GB 32100) is invalid, or None if it is valid."""
    code = normalize_id_number(text)
    if len(code) != 18:
        return f"统一社会信用代码应为18位，现为{len(code)}位"
    if not set(code) <= CREDIT_CODE_ALPHABET:
        return "统一社会信用代码含有不允许的字符（不使用I、O、Z、S、V）"
    if not code[2:8].isdigit():
        return "统一社会信用代码第3–8位应为行政区划代码"
    if uscc.calc_check_digit(code[:17]) != code[17]:
        return "统一社会信用代码校验位错误，请核对"
    return None


MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def phone_problem(text: str) -> str | None:
    """Why a phone number is not an 11-digit mobile or a landline with area code."""
    phone = re.sub(r"[\s()（）]", "", (text or "").translate(FULL_WIDTH))
    if MOBILE.match(phone) or LANDLINE.match(phone):
        return None
    return "联系电话应为11位手机号或带区号的固定电话（如 0878-3123456）"
