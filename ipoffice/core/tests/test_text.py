import unicodedata

import pytest

from ipoffice.core.text import fold, to_halfwidth


@pytest.mark.parametrize("text", [
    "本发明公开了一种电池，包括正极；负极：隔膜（PE）！是否？",
    "全角　空格，ＡＢＣ１２３，ｌｉｔｈｉｕｍ",
    "Ａ\u0301，", "，\u0301", "①②，㎡（ｍ²）", "ﾃﾞｰﾀ，ｶﾞ", "plain ascii", "", "﹐﹔小写形式",
])
def test_halfwidth_is_nfkc_whatever_the_text(text):
    assert to_halfwidth(text) == unicodedata.normalize("NFKC", text)


def test_fold_makes_width_script_and_case_comparable():
    assert fold("  廣州　ＡＢＣ（有限）公司 ") == "广州 abc(有限)公司"
