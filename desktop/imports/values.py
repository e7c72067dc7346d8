"""Values as people really type them in spreadsheets, turned into what the database stores.

Each parser takes a cell value (str, int, float, date or datetime, as xlsx readers give them)
and returns the stored value, or raises ValueError with a Chinese reason.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation

from db.dates import DateBound
from desktop.validators import FULL_WIDTH, check_id_number, remove_hidden_characters

EXCEL_EPOCH = dt.date(1899, 12, 30)
MAX_MONEY = Decimal(10) ** 12  # 1万亿元: no village's amount comes near it
ERROR_VALUES = frozenset(
    ("#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!")
    + ("#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!")
)
SAVE_AS_VALUES = (
    "文件中没有保存公式的计算结果：请在 WPS 或 Excel 中打开该文件，"
    "把这些单元格复制后“选择性粘贴—数值”，保存后再导入"
)


class CellFault(str):
    """A cell whose value the file does not hold: an error value (#DIV/0!, #N/A …) or a
    formula saved without its result. It reads as its text (so the 待修正 file and the
    preview's correction show what was there); `problem` says why it cannot be imported."""

    problem: str

    def __new__(cls, text: str, problem: str):
        cell = super().__new__(cls, text)
        cell.problem = problem
        return cell


def error_cell(text: str) -> CellFault:
    return CellFault(text, f"单元格是错误值“{text}”，请在 WPS 或 Excel 中改正后再导入")


def formula_cell(formula: str) -> CellFault:
    shown = f"={formula}" if formula else "（公式）"
    return CellFault(shown, f"单元格是公式（{shown}），{SAVE_AS_VALUES}")


def cell_problem(value) -> str | None:
    """Why a cell's value cannot be taken as it is, whatever the field: an error value, a
    formula without its result, or a number that is not finite."""
    if isinstance(value, CellFault):
        return value.problem
    if isinstance(value, str) and value.strip() in ERROR_VALUES:
        return error_cell(value.strip()).problem
    if isinstance(value, float) and not math.isfinite(value):
        return f"“{value}”不是有效的数字"
    return None


def clean_text(value) -> str:
    """A cell as text: full-width digits and spaces made plain, whitespace trimmed,
    invisible control and bidi characters removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = remove_hidden_characters(str(value).translate(FULL_WIDTH))
    return re.sub(r"\s+", " ", text).strip()


def is_blank(value) -> bool:
    return clean_text(value) == ""


def parse_date(
    value, *, month_only_ok: bool = True, bound: DateBound | None = None, planned: bool = False
) -> dt.date:
    """1975.03, 1975.3, 1975-03-12, 1975/3/12, 1975年3月(12日), 197503, 19750312, an Excel
    date serial, a date or datetime. A month alone means its first day. The year must have
    four digits (75.3 or 1.1 is refused, never given a guessed century) and lie from 1900 on;
    with `bound`, nothing later than it can be (`planned`: a planned end, see db.dates)."""
    found = _parse_date(value, month_only_ok)
    problem = (bound or _NO_BOUND).problem(found, planned)
    if problem:
        shown = f"{found:%Y.%m.%d}" if isinstance(value, dt.date) else clean_text(value)
        raise ValueError(f"“{shown}”{problem}")
    return found


_NO_BOUND = DateBound(dt.date.max, "")
FOUR_DIGITS = "年份请写四位，如 1975.03 或 1975.03.12"


def _parse_date(value, month_only_ok: bool) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"“{value}”不是日期")
        number = int(value)
        if isinstance(value, float) and not value.is_integer():
            if 1900 <= number <= 2100:
                # 1975.03 typed into a number cell (Excel keeps 1975.1 for 1975.10)
                return _parse_date(f"{value:.2f}", month_only_ok)
            raise ValueError(f"“{clean_text(value)}”不是日期（{FOUR_DIGITS}）")
        if 19000101 <= number <= 21001231:
            return _parse_date(str(number), month_only_ok)
        if 190001 <= number <= 210012:
            return _parse_date(str(number), month_only_ok)
        if 1900 <= number <= 2100:
            raise ValueError(f"“{number}”只有年份，请写到月，如 {number}.03")
        if 1000 <= number <= 80000:  # an Excel date serial (1000 is 1902.09.26)
            return EXCEL_EPOCH + dt.timedelta(days=number)
        raise ValueError(f"“{clean_text(value)}”不是日期（{FOUR_DIGITS}）")
    text = clean_text(value).replace("年", ".").replace("月", ".").replace("日", "")
    text = text.replace("-", ".").replace("/", ".").strip(".")
    match = re.fullmatch(r"(\d{4})(\d{2})(\d{2})?", text)
    if match:
        parts = [p for p in match.groups() if p]
    else:
        parts = text.split(".")
    if not 2 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"“{clean_text(value)}”不是日期（可写作 1975.03 或 1975.03.12）")
    if len(parts[0]) != 4:
        raise ValueError(f"“{clean_text(value)}”无法判断是哪一年（{FOUR_DIGITS}）")
    if len(parts) == 2 and not month_only_ok:
        raise ValueError(f"“{clean_text(value)}”缺少日")
    year, month = int(parts[0]), int(parts[1])
    day = int(parts[2]) if len(parts) == 3 else 1
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"“{clean_text(value)}”不是存在的日期") from None


def parse_code(value, table: str) -> str:
    """A code table entry given by its name, a synonym (resources/codes/synonyms.json), a
    short name (彝 → 彝族) or its code; the one table forms use too (desktop.code_words)."""
    from desktop.code_words import parse_code as from_words

    return from_words(value, table)


def parse_id_number(value) -> str:
    """A resident ID number; one Excel stored as a number has lost digits and is refused."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        shown = f"{value:.5E}".replace("E+", "E+")
        raise ValueError(
            f"身份证号被 Excel 存成了数字（{shown}），后几位已经丢失：请把这一列设为“文本”格式，"
            "再重新输入完整的18位号码"
        )
    return check_id_number(clean_text(value)).number


def parse_money(value, unit: Decimal) -> Decimal | None:
    """An amount in the sheet's unit (元 = 1, 万元 = 10000) as exact yuan; None for a blank
    cell (nothing said: an update keeps what is stored), 0 for 0, - or —."""
    if is_blank(value):
        return None
    if clean_text(value) in ("-", "—", "－", "--", "——"):
        return Decimal("0.00")
    if isinstance(value, bool):
        raise ValueError(f"“{clean_text(value)}”不是金额")
    text = clean_text(value).replace(",", "").replace("，", "")
    try:
        amount = Decimal(str(value)) if isinstance(value, (int, float)) else Decimal(text)
    except InvalidOperation:
        raise ValueError(f"“{clean_text(value)}”不是金额") from None
    if not amount.is_finite():
        raise ValueError(f"“{clean_text(value)}”不是金额")
    yuan = amount * unit
    if abs(yuan) >= MAX_MONEY:
        raise ValueError(f"“{clean_text(value)}”过大（超过1万亿元），请核对金额和计量单位")
    return yuan.quantize(Decimal("0.01"))


def parse_phone(value) -> str:
    return re.sub(r"[\s()（）]", "", clean_text(value))
