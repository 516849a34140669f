"""Linking names as records give them to entities: a labelled set with precision and recall, and the
decisions the matcher records."""

import pytest
from django.utils import translation

from ipoffice.core.errors import DataError
from ipoffice.entities.models import Entity, EntityAlias, MatchDecision
from ipoffice.entities.services import add_alias, match_entity
from ipoffice.regions.models import Region

pytestmark = pytest.mark.django_db

ENGLISH, FORMER, ABBREVIATION = EntityAlias.Kind.ENGLISH, EntityAlias.Kind.FORMER, EntityAlias.Kind.ABBREVIATION
HUAWEI_CODE, TENCENT_CODE = "914403001922038216", "91440300708461136T"

# key: (name, credit code, district, address, [(alias, kind)])
SEEDS = {
    "huawei": ("华为技术有限公司", HUAWEI_CODE, "440307", "广东省深圳市龙岗区坂田街道华为基地",
               [("Huawei Technologies Co., Ltd.", ENGLISH)]),
    "huawei_device": ("华为终端有限公司", None, "441900", "广东省东莞市松山湖园区新城路2号",
                      [("Huawei Device Co., Ltd.", ENGLISH)]),
    "tencent": ("深圳市腾讯计算机系统有限公司", TENCENT_CODE, "440305", "广东省深圳市南山区粤海街道科技中一路",
                [("Shenzhen Tencent Computer Systems Company Limited", ENGLISH)]),
    "dji": ("深圳市大疆创新科技有限公司", None, "440305", "广东省深圳市南山区西丽街道仙元路55号",
            [("SZ DJI Technology Co., Ltd.", ENGLISH)]),
    "sysu": ("中山大学", None, "440105", "广东省广州市海珠区新港西路135号", [("Sun Yat-sen University", ENGLISH)]),
    "scut": ("华南理工大学", None, "440106", "广东省广州市天河区五山路381号",
             [("South China University of Technology", ENGLISH)]),
    "cmb": ("招商银行股份有限公司", None, "440304", "广东省深圳市福田区深南大道7088号",
            [("China Merchants Bank Co., Ltd.", ENGLISH)]),
    "midea": ("美的集团股份有限公司", None, "440606", "广东省佛山市顺德区北滘镇美的大道6号",
              [("Midea Group Co., Ltd.", ENGLISH)]),
    "midea_ac": ("广东美的制冷设备有限公司", None, "440606", "广东省佛山市顺德区北滘镇林港路", []),
    "gree": ("珠海格力电器股份有限公司", None, "440402", "广东省珠海市香洲区前山金鸡西路",
             [("Gree Electric Appliances, Inc. of Zhuhai", ENGLISH), ("格力电器", ABBREVIATION)]),
    "cvte": ("广州视源电子科技股份有限公司", None, "440112", "广东省广州市黄埔区云埔四路6号", []),
    "zte": ("中兴通讯股份有限公司", None, "440305", "广东省深圳市南山区科技南路55号", [("ZTE Corporation", ENGLISH)]),
    "tcl": ("TCL科技集团股份有限公司", None, "441302", "广东省惠州市惠城区惠风三路17号",
            [("TCL集团股份有限公司", FORMER)]),
    "byd": ("比亚迪股份有限公司", None, "440310", "广东省深圳市坪山区比亚迪路3009号",
            [("BYD Company Limited", ENGLISH)]),
    "oppo": ("OPPO广东移动通信有限公司", None, "441900", "广东省东莞市长安镇乌沙海滨路18号", []),
    "vivo": ("维沃移动通信有限公司", None, "441900", "广东省东莞市长安镇乌沙步步高大道1号", []),
    "sanhuan": ("广州三环专利商标代理有限公司", None, "440104", "广东省广州市越秀区先烈中路80号", []),
    "giec": ("中国科学院广州能源研究所", None, "440106", "广东省广州市天河区能源路2号", []),
    "broad_ocean": ("中山大洋电机股份有限公司", None, "442000", "广东省中山市西区沙朗第三工业区", []),
}

SZ, GZ = "广东省深圳市南山区粤海街道", "广东省广州市天河区天河路"
# (name as a record gives it, address, credit code, expected): a seed key, ("branch", seed key), or None
# for a different company that must not be merged into any seed.
LABELLED = [
    ("華為技術有限公司", "", "", "huawei"),  # traditional
    ("华为技术有限责任公司", "", "", "huawei"),  # 有限责任公司 = 有限公司
    (" 华为 技术 有限公司 ", "", "", "huawei"),
    ("HUAWEI TECHNOLOGIES CO., LTD.", "", "", "huawei"),  # English name, suffix variants
    ("Huawei Technologies Co Ltd", "", "", "huawei"),
    ("Huawei Technologies Company Limited", "", "", "huawei"),
    ("华为", "", HUAWEI_CODE, "huawei"),  # credit code
    ("Zhuhai Gree Electric Appliances Co., Ltd.", "", "", "gree"),  # an English form not registered: missed
    ("華為終端有限公司", "", "", "huawei_device"),
    ("HUAWEI DEVICE CO LTD", "", "", "huawei_device"),
    ("深圳市騰訊計算機系統有限公司", "", "", "tencent"),
    ("SHENZHEN TENCENT COMPUTER SYSTEMS CO., LTD.", "", "", "tencent"),
    ("腾讯公司", SZ, TENCENT_CODE.lower(), "tencent"),
    ("大疆创新科技（深圳）有限公司", SZ, "", "dji"),  # same core name in the same city
    ("深圳大疆创新科技有限公司", "深圳市南山区西丽街道", "", "dji"),
    ("大疆创新科技（深圳）有限公司", "", "", "dji"),  # without an address the core name is not enough: missed
    ("SZ DJI TECHNOLOGY CO LTD", "", "", "dji"),
    ("中山大学", "", "", "sysu"),
    ("SUN YAT-SEN UNIVERSITY", "", "", "sysu"),
    ("華南理工大學", "", "", "scut"),
    ("South China University of Technology", "", "", "scut"),
    ("招商銀行股份有限公司", "", "", "cmb"),
    ("CHINA MERCHANTS BANK CO LTD", "", "", "cmb"),
    ("美的集团股份有限公司", "", "", "midea"),
    ("Midea Group Company Limited", "", "", "midea"),
    ("珠海格力電器股份有限公司", "", "", "gree"),
    ("GREE ELECTRIC APPLIANCES INC OF ZHUHAI", "", "", "gree"),
    ("格力电器", "", "", "gree"),  # abbreviation
    ("广州视源电子科技有限公司", "广东省广州市黄埔区云埔四路6号", "", "cvte"),
    ("中興通訊股份有限公司", "", "", "zte"),
    ("ZTE CORP.", "", "", "zte"),
    ("ＴＣＬ科技集团股份有限公司", "", "", "tcl"),  # full width
    ("TCL集团股份有限公司", "", "", "tcl"),  # former name
    ("BYD CO LTD", "", "", "byd"),
    ("ＯＰＰＯ广东移动通信有限公司", "", "", "oppo"),
    ("维沃移动通信有限责任公司", "", "", "vivo"),
    ("廣州三環專利商標代理有限公司", "", "", "sanhuan"),
    ("中國科學院廣州能源研究所", "", "", "giec"),
    ("中山大洋电机股份有限公司", "", "", "broad_ocean"),
    ("广东美的制冷设备有限公司", "", "", "midea_ac"),
    # branches are linked to their parent
    ("华为技术有限公司东莞分公司", "广东省东莞市松山湖园区", "", ("branch", "huawei")),
    ("華為技術有限公司上海分公司", "上海市浦东新区张江路", "", ("branch", "huawei")),
    ("招商银行股份有限公司广州分行", GZ, "", ("branch", "cmb")),
    ("招商银行股份有限公司深圳分行", SZ, "", ("branch", "cmb")),
    ("OPPO广东移动通信有限公司深圳分公司", SZ, "", ("branch", "oppo")),
    ("中兴通讯股份有限公司广州分公司", GZ, "", ("branch", "zte")),
    ("广州三环专利商标代理有限公司深圳分公司", SZ, "", ("branch", "sanhuan")),
    ("华为技术有限公司东莞分公司", "广东省东莞市松山湖园区", "", ("branch", "huawei")),  # seen before
    # different companies: never merged into a seed
    ("华为软件技术有限公司", "江苏省南京市雨花台区软件大道101号", "", None),
    ("华为机器有限公司", "广东省东莞市松山湖园区", "", None),
    ("腾讯科技（深圳）有限公司", SZ, "", None),
    ("深圳市腾讯网域计算机网络有限公司", SZ, "", None),
    ("格力电器（合肥）有限公司", "安徽省合肥市蜀山区", "", None),  # same core name, another city
    ("珠海格力新材料有限公司", "广东省珠海市香洲区", "", None),
    ("美的集团（上海）有限公司", "上海市闵行区", "", None),
    ("广东美的暖通设备有限公司", "广东省佛山市顺德区北滘镇", "", None),
    ("比亚迪汽车工业有限公司", "广东省深圳市坪山区", "", None),
    ("深圳市中兴微电子技术有限公司", SZ, "", None),
    ("TCL王牌电器（惠州）有限公司", "广东省惠州市惠城区", "", None),
    ("中山大学孙逸仙纪念医院", "广东省广州市越秀区沿江西路107号", "", None),
    ("广州大学", "广东省广州市番禺区", "", None),
    ("华南师范大学", "广东省广州市天河区", "", None),
    ("维沃软件技术有限公司", "广东省东莞市长安镇", "", None),
    ("Huawei Cloud Computing Technologies Co., Ltd.", "", "", None),
]


@pytest.fixture
def seeds():
    entities = {}
    for key, (name, code, district, address, aliases) in SEEDS.items():
        # the district, or its city where the district is newer than cpca and the NBS list is absent
        region = Region.objects.filter(code__in=[district, district[:4] + "00"]).order_by("-code").first()
        entity = Entity.objects.create(name=name, credit_code=code, address=address, region=region)
        for alias, kind in aliases:
            add_alias(entity, alias, kind, source="test seed")
        entities[key] = entity
    return entities


def _decision(result):
    return MatchDecision.objects.filter(entity=result.entity).first()


def test_labelled_set_precision_and_recall(seeds):
    assert len(LABELLED) >= 40
    by_pk = {e.pk: key for key, e in seeds.items()}
    true_positive = false_positive = false_negative = 0
    wrong = []
    for name, address, code, expected in LABELLED:
        result = match_entity(name, address, code, source="labelled set")
        entity = result.entity
        if isinstance(expected, tuple):  # a branch: right when it hangs from the expected parent
            found = ("branch", by_pk.get(entity.parent_id)) if entity.parent_id else by_pk.get(entity.pk)
        else:
            found = by_pk.get(entity.pk)
        if found == expected:
            true_positive += expected is not None  # a different company left apart is a true negative
            continue
        wrong.append((name, expected, found, result.method, result.reason))
        if found is not None:
            false_positive += 1  # linked to the wrong entity (or merged what must stay apart)
        if expected is not None:
            false_negative += 1  # not linked where it should have been
    precision = true_positive / (true_positive + false_positive)
    recall = true_positive / (true_positive + false_negative)
    print(f"\nentity matcher on {len(LABELLED)} labelled names: precision {precision:.3f}, recall {recall:.3f}")
    for item in wrong:
        print("  wrong:", item)
    assert precision >= 0.95
    assert recall >= 0.95
    assert MatchDecision.objects.filter(source="labelled set").count() >= len(LABELLED)


def test_distinct_companies_are_not_merged(seeds):
    for name in ("华为终端有限公司", "華為終端有限公司", "HUAWEI DEVICE CO., LTD."):
        assert match_entity(name).entity == seeds["huawei_device"]
    for name in ("华为技术有限公司", "HUAWEI TECHNOLOGIES CO LTD"):
        assert match_entity(name).entity == seeds["huawei"]
    other = match_entity("华为数字能源技术有限公司", "广东省深圳市福田区")
    assert other.created and other.entity not in seeds.values()


# --- decisions ---------------------------------------------------------------------------------------------


def test_each_method_is_recorded_with_its_reason(seeds):
    cases = [
        (("华为", "", HUAWEI_CODE), "credit_code", 1.0, f"credit code {HUAWEI_CODE}", seeds["huawei"]),
        (("华为技术有限公司", "", ""), "name", 1.0, "same name", seeds["huawei"]),
        (("華為技術有限責任公司", "", ""), "name", 1.0, "same normalised name '华为技术有限公司'", seeds["huawei"]),
        (("HUAWEI TECHNOLOGIES CO LTD", "", ""), "alias", 0.95,
         "English name 'Huawei Technologies Co., Ltd.'", seeds["huawei"]),
        (("TCL集团股份有限公司", "", ""), "alias", 0.95, "former name 'TCL集团股份有限公司'", seeds["tcl"]),
        (("大疆创新科技（深圳）有限公司", SZ, ""), "core_name", 0.8,
         "core name '大疆创新科技' of 深圳市大疆创新科技有限公司 in the same city", seeds["dji"]),
    ]
    for (name, address, code), method, score, reason, entity in cases:
        result = match_entity(name, address, code, source="case")
        assert (result.entity, result.created, result.method, result.score) == (entity, False, method, score)
        decision = _decision(result)
        assert (decision.method, decision.score, decision.entity) == (method, score, entity)
        assert decision.reason == reason
        assert (decision.input_name, decision.input_address, decision.input_credit_code, decision.source) == (
            name, address, code, "case")



def test_alias_reason_does_not_depend_on_the_active_language(seeds):
    with translation.override("zh-hans"):
        in_chinese = match_entity("TCL集团股份有限公司").reason
    with translation.override("en"):
        in_english = match_entity("TCL集团股份有限公司").reason
    assert in_chinese == in_english == "former name 'TCL集团股份有限公司'"


def test_new_entity_is_created_with_region_kind_and_reason():
    result = match_entity("华南农业大学", "广东省广州市天河区五山路483号", source="patent CN1")
    entity = result.entity
    assert result.created and result.method == "created" and result.score == 1.0
    assert (entity.name, entity.kind, entity.region.code) == ("华南农业大学", "university", "440106")
    assert entity.address == "广东省广州市天河区五山路483号"
    assert result.reason == "no entity with this name or credit code; created in 天河区"
    assert _decision(result).reason == result.reason
    english = match_entity("Guangdong Oppein Home Group Inc.").entity
    assert (english.name_en, english.kind, english.region) == ("Guangdong Oppein Home Group Inc.", "enterprise", None)
    with_code = match_entity("某某科技有限公司", credit_code=HUAWEI_CODE[:17] + "6").entity
    assert with_code.credit_code == HUAWEI_CODE


def test_branch_decision_and_parent(seeds):
    result = match_entity("华为技术有限公司东莞分公司", "广东省东莞市松山湖园区新城大道", source="trademark")
    branch = result.entity
    assert result.created and result.method == "branch" and result.score == 0.9
    assert result.reason == f"branch '东莞分公司' of 华为技术有限公司 (#{seeds['huawei'].pk})"
    assert (branch.parent, branch.region.code) == (seeds["huawei"], "441900")
    parent_decision = MatchDecision.objects.get(entity=seeds["huawei"])
    assert (parent_decision.input_name, parent_decision.method, parent_decision.source) == (
        "华为技术有限公司", "name", "trademark")
    # Met again, the branch is found by its own name.
    again = match_entity("華為技術有限公司東莞分公司")
    assert (again.entity, again.created, again.method) == (branch, False, "name")


def test_unknown_parent_of_a_branch_is_made_without_the_branch_address():
    result = match_entity("平安银行股份有限公司广州分行", "广东省广州市天河区珠江新城")
    branch, parent = result.entity, result.entity.parent
    assert parent.name == "平安银行股份有限公司" and parent.parent is None
    assert (parent.address, parent.region) == ("", None)  # the bank is not in 天河区: its branch is
    assert (branch.address, branch.region.code) == ("广东省广州市天河区珠江新城", "440106")


def test_create_false_returns_none_and_writes_nothing(seeds):
    entities, decisions = Entity.objects.count(), MatchDecision.objects.count()
    assert match_entity("广州某某新材料科技有限公司", "广东省广州市", create=False) is None
    assert match_entity("华为技术有限公司南京分公司", "江苏省南京市", create=False) is None  # parent known
    assert match_entity("某某银行股份有限公司广州分行", create=False) is None
    assert (Entity.objects.count(), MatchDecision.objects.count()) == (entities, decisions)
    found = match_entity("華為技術有限公司", create=False)
    assert (found.entity, found.created) == (seeds["huawei"], False)


@pytest.mark.parametrize("code, why", [
    (HUAWEI_CODE[:17] + "7", "check character is '7' but should be '6'"),
    ("91440300192203821", "must have 18 characters, not 17"),
    ("914403001922O38216", "character(s) O are not used in credit codes"),
])
def test_invalid_credit_code_is_ignored_with_the_reason(seeds, code, why):
    # A known name: matched by name, not by the bad code, and the decision says the code was ignored.
    known = match_entity("华为技术有限公司", credit_code=code)
    assert (known.entity, known.method) == (seeds["huawei"], "name")
    assert f"credit code {code} ignored ({why}" in known.reason
    decision = _decision(known)
    assert decision.input_credit_code == code and "ignored" in decision.reason
    # A new name: created without the bad code.
    new = match_entity("广州某某新材料科技有限公司", "广东省广州市黄埔区", credit_code=code)
    assert new.created and new.entity.credit_code is None
    assert new.reason.startswith("no entity with this name or credit code; created in 黄埔区; credit code")
    assert why in new.reason


def test_a_valid_code_wins_over_the_name(seeds):
    result = match_entity("深圳市腾讯计算机系统有限公司", credit_code=HUAWEI_CODE)
    assert (result.entity, result.method) == (seeds["huawei"], "credit_code")


def test_empty_name_is_rejected():
    with pytest.raises(DataError) as caught:
        match_entity("  ")
    assert caught.value.problems[0].field == "name" and "empty entity name" in str(caught.value)
    assert not MatchDecision.objects.exists()


def test_same_name_in_two_cities_prefers_the_address():
    guangzhou = Entity.objects.create(name="张伟", kind="individual", region=Region.objects.get(code="440106"))
    shenzhen = Entity.objects.create(name="张伟", kind="individual", region=Region.objects.get(code="440305"))
    near = match_entity("张伟", "广东省深圳市南山区粤海街道")
    assert (near.entity, near.score, near.reason) == (shenzhen, 1.0, "same name")
    assert match_entity("张伟", "广东省广州市天河区石牌街道").entity == guangzhou
    unsure = match_entity("张伟")
    assert unsure.entity in (guangzhou, shenzhen)
    assert unsure.score == 0.9 and unsure.reason == "same name; 2 candidates, first taken"


def test_add_alias_is_idempotent_and_refuses_the_own_name(seeds):
    huawei = seeds["huawei"]
    first = add_alias(huawei, "HUAWEI TECHNOLOGIES CO., LTD.", ENGLISH)
    assert first.name == "Huawei Technologies Co., Ltd."  # the alias of the same key is kept once
    assert huawei.aliases.count() == 1
    with pytest.raises(DataError, match="already the entity's name"):
        add_alias(huawei, "華為技術有限公司")


def test_batch_matching_gives_the_sequential_answers(seeds):
    """match_entities (the importers' batch form) decides as match_entity called name by name, including
    names repeated in the batch, entities the batch itself creates, aliases, core names and branches."""
    from django.db import transaction

    from ipoffice.entities.services import MatchRequest, match_entities
    from ipoffice.regions.services import resolve_address

    names = [(name, address) for name, address, code, _expected in LABELLED if not code]
    names += [("深圳市星河动力科技有限公司", SZ), ("深圳星河动力科技有限公司", SZ), ("深圳市星河动力科技有限公司", "")]
    names += names[:5]
    requests = [MatchRequest(name, address, resolve_address(address).region if address else None)
                for name, address in names]

    def answers(results):
        return [(r.entity.name, r.entity.parent.name if r.entity.parent else None, r.method, r.score, r.reason)
                for r in results]

    def decisions():
        return sorted(MatchDecision.objects.filter(source="batch").values_list(
            "input_name", "input_address", "entity__name", "method", "score", "reason"))

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            sequential = answers([match_entity(r.name, r.address, source="batch", region=r.region, resolve=False)
                                  for r in requests])
            sequential_decisions = decisions()
            entity_count = Entity.objects.count()
            raise Rollback
    except Rollback:
        pass
    batch = answers(match_entities(requests, source="batch"))
    assert batch == sequential
    assert decisions() == sequential_decisions
    assert Entity.objects.count() == entity_count
    assert Entity.history.filter(name="深圳市星河动力科技有限公司").count() == 1
