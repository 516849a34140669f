"""Name normalisation: display form, matching key, core name, branches and the guessed kind."""

import pytest

from ipoffice.entities.names import clean_name, core_name, guess_kind, name_key, split_branch

# --- clean_name -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw, clean", [
    ("ＨＵＡＷＥＩ　ＴＥＣＨＮＯＬＯＧＩＥＳ　ＣＯ．，ＬＴＤ．", "HUAWEI TECHNOLOGIES CO.,LTD."),
    ("華為技術有限公司", "华为技术有限公司"),
    ("深圳市騰訊計算機系統有限公司", "深圳市腾讯计算机系统有限公司"),
    ("大疆创新科技（深圳）有限公司", "大疆创新科技(深圳)有限公司"),
    ("大疆创新科技【深圳】有限公司", "大疆创新科技(深圳)有限公司"),
    ("大疆创新科技〔深圳〕有限公司", "大疆创新科技(深圳)有限公司"),
    ("大疆创新科技 （ 深圳 ） 有限公司", "大疆创新科技(深圳)有限公司"),
    ("  华为 技术  有限公司 ", "华为技术有限公司"),
    ("ＴＣＬ科技集团股份有限公司", "TCL科技集团股份有限公司"),
    ("Huawei  Technologies   Co., Ltd.", "Huawei Technologies Co., Ltd."),
    ("中山大学,", "中山大学"),
    ("", ""),
    (None, ""),
])
def test_clean_name(raw, clean):
    assert clean_name(raw) == clean


def test_clean_name_is_idempotent():
    for raw in ("ＨＵＡＷＥＩ　ＣＯ．，ＬＴＤ．", "華為技術（深圳）有限公司", " 中山 大学 "):
        assert clean_name(clean_name(raw)) == clean_name(raw)


# --- name_key ----------------------------------------------------------------------------------------------

SAME_KEY = [
    ["华为技术有限公司", "華為技術有限公司", "华为技术有限责任公司", "華為技術有限責任公司", " 华为 技术 有限公司 ",
     "华为技术有限公司."],
    ["大疆创新科技（深圳）有限公司", "大疆创新科技(深圳)有限公司", "大疆創新科技（深圳）有限公司",
     "大疆创新科技【深圳】有限公司"],
    ["TCL科技集团股份有限公司", "ＴＣＬ科技集团股份有限公司", "tcl科技集团股份有限公司"],
    ["Huawei Technologies Co., Ltd.", "HUAWEI TECHNOLOGIES CO., LTD.", "Huawei Technologies Co Ltd",
     "HUAWEI TECHNOLOGIES CO LTD", "Huawei Technologies Company Limited", "Huawei Technologies Co.,Ltd",
     "Huawei Technologies Limited", "Huawei Technologies Ltd.",
     "ＨＵＡＷＥＩ　ＴＥＣＨＮＯＬＯＧＩＥＳ　ＣＯ．，ＬＴＤ．"],
    ["Sony Corporation", "SONY CORP.", "Sony Corp"],
    ["Apple Inc.", "APPLE INC", "Apple Incorporated"],
    ["Robert Bosch GmbH", "ROBERT BOSCH GMBH", "Robert Bosch Gesellschaft mit beschrankter Haftung"],
    ["Sun Yat-sen University", "SUN YAT-SEN UNIVERSITY", "Sun Yat sen University"],
    ["Procter & Gamble Company", "Procter and Gamble Co."],
]


@pytest.mark.parametrize("names", SAME_KEY, ids=[group[0] for group in SAME_KEY])
def test_variants_share_a_key(names):
    keys = {name_key(n) for n in names}
    assert len(keys) == 1, keys


def test_key_values():
    assert name_key("华为技术有限责任公司") == "华为技术有限公司"
    assert name_key("Huawei Technologies Co., Ltd.") == "huawei technologies ltd"
    assert name_key("Sony Corporation") == "sony corp"


@pytest.mark.parametrize("first, second", [
    ("华为技术有限公司", "华为终端有限公司"),
    ("华为技术有限公司", "华为技术股份有限公司"),  # a different legal form
    ("美的集团股份有限公司", "广东美的制冷设备有限公司"),
    ("大疆创新科技(深圳)有限公司", "深圳市大疆创新科技有限公司"),  # the same core, but not the same name
    ("中山大学", "中山大学附属第一医院"),
    ("Huawei Technologies Co., Ltd.", "Huawei Device Co., Ltd."),
    ("Huawei Technologies Co., Ltd.", "Huawei Technologies Corporation"),
])
def test_different_names_have_different_keys(first, second):
    assert name_key(first) != name_key(second)


# --- core_name ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, core", [
    ("深圳市大疆创新科技有限公司", "大疆创新科技"),  # the docstring's example
    ("大疆创新科技（深圳）有限公司", "大疆创新科技"),
    ("深圳大疆创新科技有限公司", "大疆创新科技"),
    ("珠海格力电器股份有限公司", "格力电器"),
    ("广东美的制冷设备有限公司", "美的制冷设备"),
    ("广州视源电子科技股份有限公司", "视源电子科技"),
    ("中国平安保险（集团）股份有限公司", "平安保险"),
    ("中山大洋电机股份有限公司", "大洋电机"),  # 中山 the city is stripped from a company ...
    ("中山大学", "中山大学"),  # ... but not from the university
    ("华南理工大学", "华南理工大学"),
    ("广东省科学院", "广东省科学院"),
    ("中国科学院广州能源研究所", "中国科学院广州能源研究所"),
    ("广州市天河区人民政府", "广州市天河区人民政府"),
    ("广州三环专利商标代理有限公司", "三环专利商标代理"),
    ("华为技术有限公司", "华为技术"),
    ("華為技術有限責任公司", "华为技术"),
    ("张三", "张三"),
    ("Huawei Technologies Co., Ltd.", "huawei technologies"),
    ("HUAWEI TECHNOLOGIES CORPORATION", "huawei technologies"),
    ("Robert Bosch GmbH", "robert bosch"),
])
def test_core_name(name, core):
    assert core_name(name) == core


def test_core_name_keeps_a_name_that_is_only_a_place():
    assert core_name("广东有限公司") == "广东"


# --- split_branch -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, parent, branch", [
    ("华为技术有限公司东莞分公司", "华为技术有限公司", "东莞分公司"),
    ("華為技術有限公司東莞分公司", "华为技术有限公司", "东莞分公司"),
    ("招商银行股份有限公司广州分行", "招商银行股份有限公司", "广州分行"),
    ("平安银行股份有限公司深圳分行", "平安银行股份有限公司", "深圳分行"),
    ("中国银行股份有限公司广东省分行营业部", "中国银行股份有限公司", "广东省分行营业部"),
    ("大疆创新科技（深圳）有限公司上海分公司", "大疆创新科技(深圳)有限公司", "上海分公司"),
    ("北京集佳知识产权代理有限公司广州分公司", "北京集佳知识产权代理有限公司", "广州分公司"),
    ("中国科学院广州分院", "中国科学院", "广州分院"),
    ("广州医药有限公司深圳办事处", "广州医药有限公司", "深圳办事处"),
])
def test_split_branch(name, parent, branch):
    assert split_branch(name) == (parent, branch)


@pytest.mark.parametrize("name", ["华为技术有限公司", "招商银行股份有限公司", "中山大学", "广州分公司",
                                  "中山大学附属第一医院", "深圳市腾讯计算机系统有限公司",
                                  "Huawei Technologies Co., Ltd.", "张三", ""])
def test_not_a_branch(name):
    assert split_branch(name) is None


# --- guess_kind ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, kind", [
    ("华为技术有限公司", "enterprise"),
    ("招商银行股份有限公司广州分行", "enterprise"),
    ("TCL科技集团股份有限公司", "enterprise"),
    ("深圳市南山区农业合作社", "enterprise"),
    ("中山大学达安基因股份有限公司", "enterprise"),  # a company, although its name holds 大学
    ("华南理工大学科技园有限公司", "enterprise"),
    ("中山大学", "university"),
    ("華南理工大學", "university"),
    ("广东工业大学华立学院", "university"),
    ("广东轻工职业技术学院", "university"),
    ("中国科学院广州能源研究所", "institute"),
    ("广东省科学院", "institute"),
    ("鹏城实验室", "institute"),
    ("广州三环专利商标代理有限公司", "agency"),
    ("北京集佳知识产权代理有限公司广州分公司", "agency"),
    ("广东广信君达律师事务所", "agency"),
    ("广州市天河区人民政府", "public_body"),
    ("广东省知识产权局", "public_body"),
    ("广东省知识产权保护中心", "public_body"),
    ("张三", "individual"),
    ("欧阳娜娜", "individual"),
    ("Huawei Technologies Co., Ltd.", "enterprise"),
    ("Sony Corporation", "enterprise"),
    ("Robert Bosch GmbH", "enterprise"),
    ("Tsinghua University", "university"),
    ("Chinese Academy of Sciences", "institute"),
    ("John Smith", "individual"),
])
def test_guess_kind(name, kind):
    assert guess_kind(name) == kind
