"""ID numbers, credit codes and phones as clerks type them, and the library traps."""

import datetime as dt

import pytest
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidComponent

from desktop.validators import (
    check_id_number,
    credit_code_problem,
    id_number_problem,
    normalize_id_number,
    phone_problem,
)


def make_id(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


def test_a_valid_id_number_gives_birth_date_and_sex():
    info = check_id_number(make_id("53230119750312001"))
    assert info.birth_date == dt.date(1975, 3, 12)
    assert info.gender == "1"  # 17th digit odd: male
    assert check_id_number(make_id("53230119800101002")).gender == "2"


def test_chuxiong_city_number_of_a_person_born_before_1983_is_valid():
    number = make_id("53230119580704003")  # 楚雄市 was created in 1983
    with pytest.raises(InvalidComponent):
        ric.validate(number)  # the library trap REPORTS.md warns about
    info = check_id_number(number)
    assert info.area_known
    assert id_number_problem(number) is None


def test_unknown_area_code_is_still_valid_but_flagged():
    info = check_id_number(make_id("99999919800101001"))
    assert not info.area_known


@pytest.mark.parametrize(
    "typed, reason",
    [
        ("", "不能为空"),
        ("53230119750312001", "应为18位"),
        ("5323011975031200A3", "前17位应为数字"),
        ("532301197502300013", "出生日期不存在"),
    ],
)
def test_bad_id_numbers_get_a_chinese_reason(typed, reason):
    assert reason in id_number_problem(typed)


def test_wrong_check_digit_is_refused():
    good = make_id("53230119750312001")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    assert "校验位" in id_number_problem(bad)


def test_id_numbers_typed_with_full_width_digits_spaces_and_lowercase_x():
    body = next(
        f"5323011975031{n:03d}1"
        for n in range(1000)
        if ric.calc_check_digit(f"5323011975031{n:03d}1" + "0") == "X"
    )
    typed = (" " + body + "x ").translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert normalize_id_number(typed) == body + "X"
    assert check_id_number(typed).number == body + "X"


def test_village_collective_credit_code_starting_with_n_is_valid():
    body = "N2532322MF1234567"
    code = body + uscc.calc_check_digit(body)
    assert not uscc.is_valid(code)  # the library refuses it …
    assert credit_code_problem(code) is None  # … we do not


@pytest.mark.parametrize(
    "code, reason",
    [
        ("N2532322MF123456", "应为18位"),
        ("N2532322MF12345I", "应为18位"),
        ("N2532322MF1234O678", "不允许的字符"),
    ],
)
def test_bad_credit_codes(code, reason):
    assert reason in credit_code_problem(code)


def test_credit_code_with_wrong_check_character():
    body = "91532300MA6K12345"
    right = uscc.calc_check_digit(body)
    wrong = next(c for c in "0123456789" if c != right)
    assert credit_code_problem(body + right) is None
    assert "校验位" in credit_code_problem(body + wrong)


@pytest.mark.parametrize("phone", ["13812345678", "0878-3123456", "08783123456", "0871-65123456"])
def test_valid_phones(phone):
    assert phone_problem(phone) is None


@pytest.mark.parametrize("phone", ["1381234567", "23812345678", "3123456", "电话"])
def test_invalid_phones(phone):
    assert "11位手机号" in phone_problem(phone)
