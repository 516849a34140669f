"""Generated demo entities: realistic Guangdong names, places and credit codes, marked ``is_generated``.

Names follow the real patterns of the province's applicants (城市 + 字号 + 行业 + 组织形式), districts are the
real ones of each city, weighted roughly by where Guangdong's IP activity is, and credit codes carry a valid
GB 32100 check character. Deterministic for a given seed.
"""

import random

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from ipoffice.core.text import pinyin
from ipoffice.regions.models import Region

from .credit_code import ALPHABET, check_character
from .models import Entity, EntityAlias

# Share of entities per city (GB/T 2260 code), roughly following the province's patent applicants.
CITY_WEIGHTS = {"440300": 34, "440100": 22, "441900": 10, "440600": 10, "442000": 4, "440400": 3,
                "441300": 3, "440700": 2.5, "441200": 1.5, "440500": 1.5, "445100": 1, "445200": 1,
                "441500": 0.5, "440800": 1, "440900": 0.8, "441700": 0.5, "440200": 0.8, "441600": 0.5,
                "441400": 0.6, "441800": 0.8, "445300": 0.5}
TRADE_NAMES = list("华中海创新兴达盛泰丰源联信恒科智宏安博康美德润讯鼎汇立嘉力威捷锐鑫昊宇浩天晶光电芯")
INDUSTRY_WORDS = [("科技", "M"), ("电子科技", "C"), ("智能科技", "I"), ("信息技术", "I"), ("生物医药", "C"),
                  ("新材料", "C"), ("电器", "C"), ("精密机械", "C"), ("照明电器", "C"), ("家具", "C"),
                  ("陶瓷", "C"), ("通信技术", "I"), ("软件", "I"), ("新能源科技", "C"), ("食品", "C"),
                  ("玩具", "C"), ("纺织服装", "C"), ("化工", "C"), ("汽车零部件", "C"), ("光电科技", "C")]
LEGAL_FORMS = ["有限公司", "有限公司", "有限公司", "股份有限公司", "有限责任公司"]
ROADS = ["科技路", "工业大道", "创业路", "高新北路", "人民路", "中山路", "建设路", "环城路", "科苑路", "东风路"]
SURNAMES = list("陈李黄张梁刘林吴王何罗郑谢杨邓许冯曾蔡彭")
GIVEN = list("伟明华强志军建国晓丽敏静婷杰涛斌浩俊峰燕文")


def make_credit_code(rng: random.Random, district_code: str) -> str:
    """A well-formed unified social credit code (企业法人 '91') registered in the given district."""
    body = "91" + district_code + "".join(rng.choice(ALPHABET[:10] + "ABCDEFGH") for _ in range(9))
    return body + check_character(body)


def _weighted_districts(rng: random.Random) -> list[Region]:
    cities = {r.code: r for r in Region.objects.filter(code__in=CITY_WEIGHTS)}
    districts = {}
    for region in Region.objects.filter(level=Region.Level.DISTRICT, code__startswith="44"):
        districts.setdefault(region.code[:4] + "00", []).append(region)
    pool = []
    for code, weight in CITY_WEIGHTS.items():
        if code in cities:
            pool.extend(rng.choices(districts.get(code) or [cities[code]], k=int(weight * 10)))
    return pool


def _city_of(region: Region) -> str:
    return region.parent.short_name if region.level == Region.Level.DISTRICT and region.parent else region.short_name


def _enterprise(rng: random.Random, city: str) -> tuple[str, str, str]:
    """(name, industry section, English name or '') in the usual 行政区划 + 字号 + 行业 + 组织形式 pattern."""
    trade = "".join(rng.sample(TRADE_NAMES, 2))
    words, industry = rng.choice(INDUSTRY_WORDS)
    prefix = rng.choice([f"{city}市", city, "广东"])
    english = f"{pinyin(trade).capitalize()} Technology Co., Ltd." if rng.random() < 0.3 else ""
    return f"{prefix}{trade}{words}{rng.choice(LEGAL_FORMS)}", industry, english


def generate_entities(count: int = 800, seed: int = 2016) -> int:
    """Create ``count`` generated entities (enterprises, universities, institutes, agencies, individuals)."""
    rng = random.Random(seed)
    pool = _weighted_districts(rng)
    if not pool:
        raise RuntimeError("no Guangdong divisions loaded: run `ipoffice setup` first")
    entities, seen = [], set(Entity.objects.values_list("name_key", flat=True))
    while len(entities) < count:
        region = rng.choice(pool)
        roll = rng.random()
        english, city = "", _city_of(region)
        if roll < 0.80:
            kind = Entity.Kind.ENTERPRISE
            name, industry, english = _enterprise(rng, city)
        elif roll < 0.85:
            kind, industry = Entity.Kind.UNIVERSITY, "P"
            name = f"{city}{rng.choice(['理工', '科技', '职业技术', '信息工程', '轻工职业技术'])}学院"
        elif roll < 0.89:
            kind, industry = Entity.Kind.INSTITUTE, "M"
            name = f"广东省{rng.choice(['智能制造', '新材料', '生物工程', '海洋', '电子信息'])}研究院{city}分院" \
                if rng.random() < 0.3 else f"{city}市{rng.choice(['工业技术', '先进制造', '质量计量'])}研究院"
        elif roll < 0.92:
            kind, industry = Entity.Kind.AGENCY, "L"
            name = f"{city}市{''.join(rng.sample(TRADE_NAMES, 2))}专利代理事务所(普通合伙)"
        else:
            kind, industry = Entity.Kind.INDIVIDUAL, ""
            name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2])))
        entity = Entity(name=name, kind=kind, industry=industry, region=region, is_generated=True,
                        address=f"广东省{city}市{region.name if region.level == Region.Level.DISTRICT else ''}"
                                f"{rng.choice(ROADS)}{rng.randint(1, 999)}号")
        entity.fill_derived_fields()
        if entity.name_key in seen:
            continue
        seen.add(entity.name_key)
        if kind == Entity.Kind.ENTERPRISE:
            entity.credit_code = make_credit_code(rng, region.code)
            entity.size_class = rng.choices(["large", "medium", "small", "micro"], [5, 15, 45, 35])[0]
            entity.is_high_tech = rng.random() < 0.35
            entity.is_gbt29490_certified = rng.random() < 0.08
            entity.is_provincial_ip_advantage = rng.random() < 0.05
            entity.is_provincial_ip_demo = rng.random() < 0.02
            entity.is_national_ip_advantage = rng.random() < 0.01
            entity.name_en = english
        entities.append(entity)
    with transaction.atomic():
        bulk_create_with_history(entities, Entity, batch_size=500)
        english = Entity.objects.filter(is_generated=True).exclude(name_en="")
        aliases = [EntityAlias(entity=e, name=e.name_en, kind=EntityAlias.Kind.ENGLISH, source="generated")
                   for e in english if not e.aliases.exists()]
        for alias in aliases:
            alias.save()
    return len(entities)
