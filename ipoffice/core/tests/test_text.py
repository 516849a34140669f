import unicodedata

import pytest
from pypinyin import Style, lazy_pinyin

from ipoffice.core.text import fold, has_han, pinyin, pinyin_and_initials, to_halfwidth, to_simplified


@pytest.mark.parametrize("text", [
    "本发明公开了一种电池，包括正极；负极：隔膜（PE）！是否？",
    "全角　空格，ＡＢＣ１２３，ｌｉｔｈｉｕｍ",
    "Ａ\u0301，", "，\u0301", "①②，㎡（ｍ²）", "ﾃﾞｰﾀ，ｶﾞ", "plain ascii", "", "﹐﹔小写形式",
])
def test_halfwidth_is_nfkc_whatever_the_text(text):
    assert to_halfwidth(text) == unicodedata.normalize("NFKC", text)


def test_fold_makes_width_script_and_case_comparable():
    assert fold("  廣州　ＡＢＣ（有限）公司 ") == "广州 abc(有限)公司"


@pytest.mark.parametrize("name", ["深圳市大疆创新科技有限公司", "重庆长安汽车股份有限公司", "TCL科技集团",
                                  "深圳abc公司", "华为技术有限公司(深圳)", "绿地lv", "廣州·天河", "一二三4五", ""])
def test_initials_are_pypinyins_first_letters_and_the_pinyin_is_pinyin(name):
    first_letters = "".join(lazy_pinyin(to_simplified(name), style=Style.FIRST_LETTER, errors="default")).lower()
    assert pinyin_and_initials(name) == (pinyin(name), first_letters)


def test_pinyin_keeps_phrase_readings_and_runs_without_pinyin():
    assert pinyin_and_initials("重庆TCL") == ("chongqingtcl", "cqtcl")


def test_has_han_finds_an_ideograph_anywhere_in_both_blocks():
    assert has_han("Tesla 特斯拉") and has_han("abc㐀") and has_han("一") and has_han("x\u9fff")
    assert not has_han("Tesla, Inc.") and not has_han("ＡＢＣ①，") and not has_han("") and not has_han("\u4dc0")
