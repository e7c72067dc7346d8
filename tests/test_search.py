"""Finding a cadre by pinyin initials as a clerk types them."""

from desktop.search import initials, matches, search_key


def test_zs_finds_zhang_san_but_not_other_zhangs():
    assert matches("zs", search_key("张三"))
    assert not matches("zs", search_key("张俊"))  # 俊's rare readings are not used
    assert not matches("zs", search_key("查俊"))
    assert matches("zj", search_key("查俊"))  # 查 read Zhā as a surname


def test_every_reading_of_a_surname_is_found():
    assert {"stf", "dtf"} <= set(initials("单田芳"))
    assert "zgf" in initials("曾国藩")
    assert "xf" in initials("解放")


def test_a_given_name_is_read_as_a_phrase_and_letters_stand_for_themselves():
    assert initials("李子山") == ("lzs",)
    assert initials("张 三") == ("zs",)
    assert initials("王a2")[0] == "wa2"
