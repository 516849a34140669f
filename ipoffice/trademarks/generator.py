"""Generated Chinese marks for demos and benchmarks, in the Chinese register-extract layout (CSV or XLSX).

Every row says it is generated (数据来源 "generated 生成的演示数据"). Marks are Chinese (two or three characters),
pinyin, English coinages and mixtures, some with lucky numbers; goods are real items and similar groups of the
区分表 (all items of the loaded edition, else a small real selection); owners follow the name patterns of
Guangdong's applicants (``ipoffice.entities.demo``), weighted by city; dates follow the office's pipeline
(filing → 初审公告 after 6-10 months → registration three months later → ten-year term), with refusals,
withdrawals, cancellations, invalidations, expiries, GI marks and Madrid registrations in plausible shares.

Deterministic for a seed and an as-of date; about 100,000 rows a second to CSV on one core.
"""

import csv
import io
import random
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path

from ipoffice.entities.demo import CITY_WEIGHTS, GIVEN, INDUSTRY_WORDS, LEGAL_FORMS, ROADS, SURNAMES, TRADE_NAMES

from .clocks import add_months
from .vocabulary import (
    AGENCY_WORDS,
    BRAND_CHARS,
    ENGLISH_ENDINGS,
    ENGLISH_WORDS,
    EVENT_STEPS,
    FALLBACK_ITEMS,
    GI_PRODUCTS,
    LUCKY_NUMBERS,
    MADRID_COUNTRIES,
)

HEADER = ["注册号", "申请日", "国际分类", "类似群", "商品/服务", "商标名称", "商标类型", "商标形式",
          "申请人名称", "申请人地址", "代理机构", "初审公告期号", "初审公告日", "注册公告期号", "注册公告日",
          "专用权期限", "商标状态", "国际注册号", "国际注册日", "马德里指定国家", "是否驰名商标", "商标流程",
          "数据来源"]
GENERATED = "generated 生成的演示数据"
CITY_NAMES = {"440100": "广州", "440200": "韶关", "440300": "深圳", "440400": "珠海", "440500": "汕头",
              "440600": "佛山", "440700": "江门", "440800": "湛江", "440900": "茂名", "441200": "肇庆",
              "441300": "惠州", "441400": "梅州", "441500": "汕尾", "441600": "河源", "441700": "阳江",
              "441800": "清远", "441900": "东莞", "442000": "中山", "445100": "潮州", "445200": "揭阳",
              "445300": "云浮"}
NUMBER_BASE = 90_000_000  # generated 注册号 are 9xxxxxxx, clear of the office's real numbers
ISSUE_EPOCH = date(2000, 1, 7)  # 公告期号 count weekly issues from here (an approximation for generated data)


@dataclass(frozen=True)
class Owner:
    name: str
    address: str
    kind: str = "enterprise"
    entity_id: int | None = None
    region_id: int | None = None


def _pinyin_table() -> dict[str, str]:
    from pypinyin import lazy_pinyin

    return {ch: lazy_pinyin(ch)[0].upper() for ch in BRAND_CHARS}


def vocabulary_items(edition: str | None = None) -> list[tuple[str, str, str]]:
    """(item code, group, name) of the loaded edition (latest without one), else the fallback selection."""
    try:
        from .classification import edition_for
        from .models import GoodsItem

        edition = edition or edition_for(None)
        if edition:
            items = list(GoodsItem.objects.filter(edition=edition).order_by("code").values_list(
                "code", "group_code", "name"))
            if items:
                return items
    except Exception:  # no database (a plain CSV run): the fallback selection
        pass
    return list(FALLBACK_ITEMS)


def standalone_owners(rng: random.Random, count: int) -> list[Owner]:
    """Owners named as Guangdong's applicants are (城市 + 字号 + 行业 + 组织形式), without a database."""
    cities = [code for code, weight in CITY_WEIGHTS.items() for _ in range(max(1, int(weight * 2)))]
    owners, seen = [], set()
    while len(owners) < count:
        city = CITY_NAMES[rng.choice(cities)]
        if rng.random() < 0.9:
            trade = "".join(rng.sample(TRADE_NAMES, 2))
            words, _industry = rng.choice(INDUSTRY_WORDS)
            name = f"{rng.choice([f'{city}市', city, '广东'])}{trade}{words}{rng.choice(LEGAL_FORMS)}"
            kind = "enterprise"
        else:
            name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2))
            kind = "individual"
        if name in seen:
            continue
        seen.add(name)
        owners.append(Owner(name, f"广东省{city}市{rng.choice(ROADS)}{rng.randint(1, 999)}号", kind))
    return owners


class MarkGenerator:
    """Rows of generated marks; see the module docstring. ``owners`` default to :func:`standalone_owners`."""

    def __init__(self, seed: int = 2020, as_of: date = date(2020, 12, 31), owners: list[Owner] | None = None,
                 items: list[tuple[str, str, str]] | None = None, first_year: int = 2008):
        self.rng = random.Random(seed)
        self.seed = seed
        self.as_of = as_of
        self.items_by_class: dict[int, list[tuple[str, str, str]]] = {}
        for code, group, name in items or vocabulary_items():
            self.items_by_class.setdefault(int(code.lstrip("C")[:2]), []).append((code, group, name))
        self.classes = sorted(self.items_by_class)
        weights = [30 if c in (9, 25, 35, 30, 3, 43, 41, 29, 5, 11, 20, 21, 28) else 6 for c in self.classes]
        self.cum_weights = list(accumulate(weights))
        self.groups_by_class = {}
        for number, items in self.items_by_class.items():
            by_group = {}
            for item in items:
                by_group.setdefault(item[1], []).append(item)
            self.groups_by_class[number] = list(by_group.values())
        self._ends: dict[int, int] = {}
        self.owners = owners or standalone_owners(random.Random(seed + 1), 2000)
        self.agencies = [f"{CITY_NAMES[c]}{''.join(random.Random(seed + i).sample(TRADE_NAMES, 2))}"
                         f"{AGENCY_WORDS[i % len(AGENCY_WORDS)]}"
                         for i, c in enumerate(sorted(CITY_NAMES) * 2)]
        self.pinyin = _pinyin_table()
        start = date(first_year, 1, 1).toordinal()
        span = as_of.toordinal() - start
        self._start, self._span = start, span
        self._iso_list = [date.fromordinal(d).isoformat() for d in range(start, as_of.toordinal() + 366 * 25)]

    def mark_text(self) -> tuple[str, str]:
        """(text, form) of one mark."""
        R, chars = self.rng.random, BRAND_CHARS
        n = len(chars)
        zh = chars[int(R() * n)] + chars[int(R() * n)] + (chars[int(R() * n)] if R() >= 0.65 else "")
        r = R()
        if r < 0.45:
            text = zh
        elif r < 0.65:
            text = zh + " " + "".join(self.pinyin[ch] for ch in zh)
        elif r < 0.80:
            text = _pick(R, ENGLISH_WORDS) + _pick(R, ENGLISH_ENDINGS)
        elif r < 0.88:
            text = "".join(self.pinyin[ch] for ch in zh)
        elif r < 0.94:
            text = zh + ("" if R() < 0.5 else " ") + _pick(R, ENGLISH_WORDS)
        else:
            text = zh + _pick(R, LUCKY_NUMBERS)
        return text, "文字" if R() < 0.7 else "组合"

    def _iso(self, ordinal: int) -> str:
        return self._iso_list[ordinal - self._start]

    def rows(self, count: int, start: int = 0) -> Iterator[list[str]]:
        R = self.rng.random
        dates, base, day0, span = self._iso_list, self._start, self._start, self._span
        as_of_ordinal = self.as_of.toordinal()
        epoch = ISSUE_EPOCH.toordinal()
        owners, agencies = self.owners, self.agencies
        n_owners, n_agencies = len(owners), len(agencies)
        for i in range(start, start + count):
            number = str(NUMBER_BASE + i + 1)
            filed = day0 + int(span * R() ** 0.6)  # more filings each year, as the register grew
            owner = owners[int(n_owners * R() ** 1.5)]  # a few owners hold many marks
            if R() < 0.003:
                text, item_code = _pick(R, GI_PRODUCTS)
                number_class = int(item_code[:2])
                form, kind = "文字", "地理标志证明商标" if R() < 0.5 else "地理标志集体商标"
                pool = self.items_by_class.get(number_class) or self.items_by_class[self.classes[0]]
                chosen = [next((it for it in pool if it[0] == item_code), pool[0])]
            else:
                text, form = self.mark_text()
                kind = "普通商标"
                number_class = self.classes[bisect_right(self.cum_weights, R() * self.cum_weights[-1])]
                by_group = self.groups_by_class[number_class]
                if R() < 0.3:
                    pool = self.items_by_class[number_class]
                else:
                    pool = _pick(R, by_group)
                size = len(pool)
                picked = {}
                for _ in range(2 + int(R() * 7)):
                    item = pool[int(R() * size)]
                    picked[item[0]] = item
                chosen = list(picked.values())
            groups = ";".join(sorted({g for _, g, _ in chosen}))
            goods = "；".join(group + " " + code + " " + name for code, group, name in chosen)
            published = filed + 180 + int(R() * 120)
            registered = published + 91 + int(R() * 10)
            fate = R()
            prelim_date = reg_date = term = prelim_issue = reg_issue = ""
            filed_text = dates[filed - base]
            steps = (filed_text + " " + EVENT_STEPS[0] + "；" + dates[filed + 20 + int(R() * 40) - base] + " "
                     + EVENT_STEPS[1])
            if fate < 0.12:
                status = "驳回" if published <= as_of_ordinal else "等待实质审查"
            elif fate < 0.14:
                status = "撤回"
            elif published > as_of_ordinal:
                status = "等待实质审查"
            else:
                prelim_date = dates[published - base]
                prelim_issue = str((published - epoch) // 7 + 700)
                steps += "；" + prelim_date + " " + EVENT_STEPS[2]
                if registered > as_of_ordinal:
                    status = "异议中" if fate < 0.16 else "初审公告"
                else:
                    reg_date = dates[registered - base]
                    reg_issue = str((registered - epoch) // 7 + 700)
                    end = self._term_end(registered)
                    steps += "；" + reg_date + " " + EVENT_STEPS[3]
                    if end < as_of_ordinal and R() < 0.6:  # renewed for ten more years
                        end = self._term_end(end + 1)
                    term = reg_date + "至" + dates[end - base]
                    if end < as_of_ordinal:
                        status = "注册商标期满未续展"
                    elif fate < 0.19:
                        status = "撤销"
                    elif fate < 0.20:
                        status = "无效"
                    else:
                        status = "注册商标"
            madrid = ir_number = ir_date = ""
            if reg_date and owner.kind == "enterprise" and R() < 0.015:
                ir_number = str(1_200_000 + i % 400_000)
                ir_date = dates[min(registered + 30 + int(R() * 370), as_of_ordinal) - base]
                madrid = ";".join(sorted({_pick(R, MADRID_COUNTRIES) for _ in range(1 + int(R() * 6))}))
            well_known = "是" if reg_date and R() < 0.001 else ""
            agent = agencies[int(n_agencies * R())] if R() < 0.85 else ""
            yield [number, filed_text, str(number_class), groups, goods, text, kind, form, owner.name, owner.address,
                   agent, prelim_issue, prelim_date, reg_issue, reg_date, term, status, ir_number, ir_date, madrid,
                   well_known, steps, GENERATED]

    def chunk(self, start: int, count: int) -> list[list[str]]:
        """Rows ``start`` … ``start + count - 1``, the same whichever way the work is split: each block of
        :data:`CHUNK` rows has its own seed."""
        rows, position, end = [], start, start + count
        while position < end:
            block = position - position % CHUNK
            stop = min(end, block + CHUNK)
            self.rng.seed(f"{self.seed}-{block}")
            for offset, row in enumerate(self.rows(stop - block, block)):
                if block + offset >= position:
                    rows.append(row)
            position = stop
        return rows

    def _term_end(self, start: int) -> int:
        """Ten years from ``start`` (an ordinal) less a day."""
        end = self._ends.get(start)
        if end is None:
            end = self._ends[start] = (add_months(date.fromordinal(start), 120) - timedelta(days=1)).toordinal()
        return end


def _pick(R, seq):
    return seq[int(R() * len(seq))]


CHUNK = 50_000
_worker_generator: "MarkGenerator | None" = None


def _csv_text(rows) -> str:
    """CSV lines of the rows; only a row with a comma, quote or line break inside a field goes through csv."""
    lines, width = [], len(HEADER) - 1
    for row in rows:
        line = ",".join(row)
        if line.count(",") != width or '"' in line or "\n" in line or "\r" in line:
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="").writerow(row)
            line = buffer.getvalue()
        lines.append(line)
    return "\n".join(lines) + "\n" if lines else ""


def _chunk_text(task: tuple[int, int]) -> str:
    start, count = task
    return _csv_text(_worker_generator.chunk(start, count))


def write_csv(path: Path, count: int, *, seed: int = 2020, as_of: date = date(2020, 12, 31),
              generator: "MarkGenerator | None" = None, workers: int | None = None) -> int:
    """Write ``count`` generated marks to a CSV file (UTF-8), in chunks of 50,000 made on ``workers`` processes
    (default: every core). The file is the same whatever the number of workers."""
    import multiprocessing
    import os

    global _worker_generator
    generator = generator or MarkGenerator(seed=seed, as_of=as_of)
    tasks = [(start, min(CHUNK, count - start)) for start in range(0, count, CHUNK)]
    workers = min(workers or os.cpu_count() or 1, len(tasks) or 1)
    with Path(path).open("w", newline="", encoding="utf-8") as fh:
        fh.write(",".join(HEADER) + "\n")
        _worker_generator = generator
        try:
            if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
                with multiprocessing.get_context("fork").Pool(workers) as pool:
                    for text in pool.imap(_chunk_text, tasks):
                        fh.write(text)
            else:
                for task in tasks:
                    fh.write(_chunk_text(task))
        finally:
            _worker_generator = None
    return count


def write_xlsx(path: Path, count: int, *, seed: int = 2020, as_of: date = date(2020, 12, 31)) -> int:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("商标")
    sheet.append(HEADER)
    for row in MarkGenerator(seed=seed, as_of=as_of).chunk(0, count):
        sheet.append(row)
    book.save(path)
    return count
