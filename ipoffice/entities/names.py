"""Entity name normalisation (名称规范化): the forms under which one applicant appears in IP records.

``clean_name`` gives the display form; ``name_key`` the form two spellings of the same name share
(full/half width, traditional/simplified, bracket styles, 有限责任公司/有限公司, English legal suffixes);
``core_name`` strips region prefixes and legal suffixes for looser matching; ``split_branch`` finds
branch offices (分公司) so they can be linked to their parent.
"""

import re
from functools import lru_cache

from ipoffice.core.text import has_han, to_halfwidth, to_simplified

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff"
_SPACE_IN_HAN = re.compile(rf"(?<=[{_HAN}])\s+(?=[{_HAN}(])|(?<=[{_HAN})])\s+(?=[{_HAN}])")
_BRACKETS = str.maketrans({"【": "(", "】": ")", "〔": "(", "〕": ")", "[": "(", "]": ")", "{": "(", "}": ")"})
_PUNCT = re.compile(r"[\s.,;:'\"·•&/\\-]+")

# Chinese legal-form variants that mean the same thing, longest first.
_CN_SUFFIX_VARIANTS = [("有限责任公司", "有限公司"), ("有限公司", "有限公司")]
_CN_LEGAL_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团公司", "总公司", "公司", "集团",
                      "(普通合伙)", "(有限合伙)", "(特殊普通合伙)")
_EN_SUFFIXES = [
    (r"\bcompany limited\b|\bco ltd\b|\bcoltd\b|\blimited\b|\bltd\b", "ltd"),
    (r"\bcorporation\b|\bcorp\b", "corp"),
    (r"\bincorporated\b|\binc\b", "inc"),
    (r"\bcompany\b|\bco\b", "co"),
    (r"\bgesellschaft mit beschrankter haftung\b|\bgmbh\b", "gmbh"),
]
_EN_LEGAL = re.compile(r"\b(ltd|corp|inc|co|gmbh|llc|plc|sa|ag|bv|kk)\b")
_BRACKETED_PLACE = re.compile(rf"\([{_HAN}]{{2,6}}\)")
_BRANCH = re.compile(
    rf"^(?P<parent>.+(?:公司|集团|厂|研究院|研究所|医院|中心|银行|大学|学院))"
    rf"(?P<branch>[{_HAN}\w()]{{1,20}}?(?:分公司|分厂|分院|分所|分中心|分行|支行|办事处|营业部|分部))$"
)


def clean_name(raw: str) -> str:
    """The display form: half width, simplified characters, ASCII brackets, no stray spaces."""
    text = to_simplified(to_halfwidth(raw or "")).translate(_BRACKETS)
    text = " ".join(text.split())
    text = _SPACE_IN_HAN.sub("", text)
    return text.replace("( ", "(").replace(" )", ")").strip(" ,;")


def _english_key(text: str) -> str:
    text = text.lower().replace("&", " and ")
    text = _PUNCT.sub(" ", text)
    for pattern, replacement in _EN_SUFFIXES:
        text = re.sub(pattern, replacement, text)
    return " ".join(text.split())


def name_key(raw: str) -> str:
    """The matching key: equal for names that differ only in width, script, brackets or suffix spelling."""
    name = clean_name(raw)
    if not has_han(name):
        return _english_key(name)
    for variant, canonical in _CN_SUFFIX_VARIANTS:
        if name.endswith(variant):
            name = name[: -len(variant)] + canonical
            break
    return _PUNCT.sub("", name).lower()


def core_name(raw: str) -> str:
    """The distinctive part (字号 and industry words): no region prefix, bracketed place or legal suffix.

    深圳市大疆创新科技有限公司 → 大疆创新科技; Huawei Technologies Co., Ltd. → huawei technologies.
    """
    name = clean_name(raw)
    if not has_han(name):
        return " ".join(_EN_LEGAL.sub(" ", _english_key(name)).split())
    kind = guess_kind(name)  # of the full name: without its legal suffix, a company looks like a person
    name = _BRACKETED_PLACE.sub("", name)
    for suffix in _CN_LEGAL_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            name = name[: -len(suffix)]
            break
    if kind not in ("enterprise", "agency"):  # 中山大学 is not 大学 of 中山市
        return _PUNCT.sub("", name).lower()
    stripped = _region_prefix().sub("", name)
    return _PUNCT.sub("", stripped if len(stripped) >= 2 else name).lower()


def split_branch(raw: str) -> tuple[str, str] | None:
    """(parent name, branch label) for a branch office, e.g. ...有限公司深圳分公司; None otherwise."""
    match = _BRANCH.match(clean_name(raw))
    if not match:
        return None
    return match["parent"], match["branch"]


_KIND_RULES = [
    ("agency", ("专利代理", "商标代理", "专利商标代理", "知识产权代理", "专利事务所", "商标事务所", "律师事务所")),
    ("university", ("大学", "university")),
    ("institute", ("研究院", "研究所", "科学院", "实验室", "研究中心", "institute", "academy", "laboratory")),
    ("university", ("学院", "学校", "college")),
    ("enterprise", ("公司", "厂", "集团", "商行", "合作社", "ltd", "corp", "inc", "gmbh", "llc", "co")),
    ("public_body", ("局", "委员会", "人民政府", "医院", "中心")),
]


@lru_cache(maxsize=1)
def _region_prefix() -> re.Pattern:
    """Province and city names (with and without 省/市) as cpca lists them, to strip from name starts."""
    import csv
    from pathlib import Path

    import cpca

    names = {"中国"}
    with (Path(cpca.__file__).parent / "resources" / "adcodes.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["adcode"][4:6] == "00" and row["name"] not in ("市辖区", "县"):
                names.add(row["name"])
                short = re.sub("(省|市|特别行政区|自治区|壮族自治区|回族自治区|维吾尔自治区)$", "", row["name"])
                if len(short) >= 2:
                    names.add(short)
    alternatives = "|".join(sorted(names, key=len, reverse=True))
    return re.compile(f"^(?:{alternatives})+")


def guess_kind(raw: str) -> str:
    """The entity kind suggested by the name: university, institute, agency, public body, enterprise or
    individual (a short name of Chinese characters with no organisation word)."""
    name = clean_name(raw)
    key = _english_key(name) if not has_han(name) else name
    for kind, words in _KIND_RULES:
        if has_han(name):
            if any(w in name for w in words if has_han(w)):
                # A company is one whatever its name holds: 中山大学达安基因股份有限公司 is no university.
                return "enterprise" if kind != "agency" and name.endswith("公司") else kind
        elif any(re.search(rf"\b{w}\b", key) for w in words if not has_han(w)):
            return kind
    if has_han(name) and 2 <= len(name) <= 4:
        return "individual"
    return "enterprise" if not has_han(name) and len(key.split()) > 2 else "individual"
