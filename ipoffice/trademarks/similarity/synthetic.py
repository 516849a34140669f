"""Plausible random word marks for tests and benchmarks: Chinese names from characters common in brands, their
pinyin, invented and dictionary English words, composites, letters with digits, and descriptive additions.
Deterministic for a seed."""

import random
from collections.abc import Iterator

from .lexicon import bilingual
from .phonetic import char_readings

BRAND_CHARS = (
    "华美金龙凤天达康乐佳宝鑫盛泰源德福瑞祥兴旺隆昌恒通信力雅丽诗王帝皇冠星月日光明阳春秋冬夏海洋江河山川林森"
    "松竹梅兰菊花草木水火土石玉珠晶彩虹云雨雪风雷电鹰虎狮豹熊马牛羊鹿鹤燕雀鸿鹏凰麒麟象猫狗兔鱼蝶蜂安平和顺"
    "吉祥如意喜欢笑爱心情思想梦飞腾跃舞歌声音韵味香甜鲜果蔬茶酒米面糖蜜奶乳豆谷粮油盐酱醋家园居宅府苑阁楼台"
    "亭轩馆堂坊庄村城都京沪粤湘楚蜀秦晋鲁豫燕赵吴越闽桂滇黔东南西北中上下左右前后新老大小长高远近深宏伟杰英"
    "豪雄俊秀贤良仁义礼智诚忠孝友朋佑护健壮强盈丰满富贵荣耀辉煌灿烂锦绣红黄蓝绿紫白黑青橙银铜铁钢精工匠艺"
    "创科技智能数码网云联众合力宇宙航舟帆港湾岛峰岭谷泉溪湖潭池波浪潮汐晨曦朝夕时代今古典雅致尚品优选真正好"
    "百千万亿一二三四五六七八九十正元亨利贞乾坤艮兑巽震坎离太极道德圣贤仙佛禅缘福禄寿喜财运宝库藏珍奇异特"
)

SYLLABLES_EN = ("ka", "ro", "li", "ne", "so", "ta", "vi", "mo", "ra", "lu", "ze", "xo", "fi", "go", "da", "pe",
                "sa", "ni", "ko", "ma", "tri", "bel", "mar", "lin", "dor", "ven", "rex", "tor", "nix", "lex",
                "gen", "pro", "max", "nova", "sol", "lum", "ast", "cor", "val", "tec", "zen", "ion", "ara", "eon")

SUFFIX_ZH = ("牌", "科技", "食品", "电子", "集团", "服饰", "药业", "酒业", "茶业", "智能", "商贸")
SUFFIX_EN = ("PRO", "PLUS", "MAX", "TECH", "GROUP", "FOODS", "HOME", "LAB")


class MarkGenerator:
    """``MarkGenerator(seed).marks(n)`` yields ``n`` mark texts."""

    def __init__(self, seed: int = 0):
        self.random = random.Random(seed)
        english, _ = bilingual()
        self.dictionary_words = sorted({" ".join(words) for words in english if len(words) == 1})

    def chinese(self) -> str:
        r = self.random
        n = r.choices((1, 2, 3, 4), weights=(3, 45, 40, 12))[0]
        text = "".join(r.choice(BRAND_CHARS) for _ in range(n))
        if r.random() < 0.12:
            text += r.choice(SUFFIX_ZH)
        return text

    def pinyin_of(self, han: str, spaced: bool) -> str:
        syllables = [(char_readings(ch) or ("x",))[0].replace("v", "u") for ch in han]
        return (" " if spaced else "").join(syllables).upper()

    def english(self) -> str:
        r = self.random
        if r.random() < 0.35:
            words = [r.choice(self.dictionary_words) for _ in range(r.choice((1, 1, 2)))]
        else:
            words = ["".join(r.choice(SYLLABLES_EN) for _ in range(r.choice((2, 2, 3))))
                     for _ in range(r.choice((1, 1, 1, 2)))]
        text = " ".join(words).upper()
        if r.random() < 0.1:
            text += " " + r.choice(SUFFIX_EN)
        return text

    def mark(self) -> str:
        r = self.random
        kind = r.choices(("zh", "pinyin", "en", "zh+pinyin", "zh+en", "letters+digits", "digits"),
                         weights=(45, 8, 25, 8, 8, 4, 2))[0]
        if kind == "zh":
            return self.chinese()
        if kind == "pinyin":
            return self.pinyin_of(self.chinese()[:4], spaced=r.random() < 0.3)
        if kind == "en":
            return self.english()
        if kind == "zh+pinyin":
            han = "".join(r.choice(BRAND_CHARS) for _ in range(r.choice((2, 3))))
            return f"{han} {self.pinyin_of(han, spaced=r.random() < 0.5)}"
        if kind == "zh+en":
            return f"{self.chinese()} {self.english()}"
        if kind == "letters+digits":
            letters = "".join(r.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(r.choice((1, 2, 3))))
            return letters + str(r.randint(1, 999))
        return str(r.randint(10, 99999))

    def marks(self, n: int) -> Iterator[str]:
        for _ in range(n):
            yield self.mark()
