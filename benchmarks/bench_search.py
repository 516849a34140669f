"""Time patent search: the search backend beside a naive LIKE scan, over N generated patents.

Run:
    python benchmarks/bench_search.py [--sizes 100000 1000000] [--repeat 5] [--like-repeat 3]
        SQLite (the default): one database file per size under --dir (default /tmp/ipoffice-bench-search)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ipoffice_bench python benchmarks/bench_search.py
        PostgreSQL: one database per size, DATABASE_URL's name with the size appended, created when missing

The corpus is built once per database and reused on later runs: synthetic CN patents (and 5 % US ones in
English) whose titles, abstracts and claims are put together from the Chinese IPC titles of the shared data
folder (ipc_2026_01_zh.csv.gz), with applicants, inventors, agencies, Guangdong districts, dates, legal status,
families and IPC symbols; the rows are bulk-inserted, then indexed with the backend (analysis in worker
processes). Then a fixed mix of field, boolean and facet queries runs through ``search_patents`` (the service
the web, API and CLI use) and through a naive ORM evaluation of the same query tree (``LIKE '%word%'`` over
the raw columns, ``COUNT``/``GROUP BY`` for the facets), in the same process. Prints p50/p95 in ms; no asserts.
"""

import argparse
import csv
import gzip
import os
import random
import re
import subprocess
import sys
import time
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path

from benchdb import ROOT, open_database

SOURCE = "bench-search"
IPC_FILE = Path(os.environ.get("IPOFFICE_SHARED_DATA", ROOT.parent / "shared" / "data")) / "classification" / \
    "ipc_2026_01_zh.csv.gz"


# ---------------------------------------------------------------------------------------------------- set-up


# ---------------------------------------------------------------------------------------------------- corpus

TEMPLATES = ["一种{a}", "{a}及其制备方法", "一种{a}的{b}方法", "基于{a}的{b}系统", "{a}装置", "一种用于{a}的{b}",
             "{a}和{b}的控制方法"]
ABSTRACTS = ["本发明公开了一种{t}，包括{x}、{y}和{z}。所述{x}用于{w}，提高了{v}的效率，降低了成本。",
             "本实用新型涉及{t}，其包括{x}以及{y}，所述{y}设置于{z}上。本实用新型结构简单，{w}可靠。",
             "本发明提供{t}，属于{x}技术领域。该方法包括以下步骤：获取{y}；根据{z}确定{w}。能够有效提升{v}。"]
EN_WORDS = ["battery", "lithium", "cathode", "anode", "wireless", "network", "sensor", "vehicle", "signal",
            "display", "semiconductor", "charging", "module", "controller", "antenna", "electrode", "polymer"]
EN_TEMPLATES = ["{A} {b} for {c} devices", "Method of {b} {c} using {d}", "{A} {b} with improved {c}",
                "Systems and methods for {b} {c}"]
GIVEN = list("伟明华强志军建国晓丽敏静婷杰涛斌浩俊峰燕文宇轩子涵欣怡博雪梅玉兰海波红霞鹏飞")
SURNAMES = list("陈李黄张梁刘林吴王何罗郑谢杨邓许冯曾蔡彭朱胡郭周徐孙马")
TRADE = list("华中海创新兴达盛泰丰源联信恒科智宏安博康美德润讯鼎汇立嘉力威捷锐鑫昊宇浩天晶光电芯")
INDUSTRY = ["科技", "电子科技", "智能科技", "信息技术", "生物医药", "新能源", "精密机械", "材料科技", "光电"]
LEGAL = ["有限公司", "有限公司", "股份有限公司", "有限责任公司"]
STATUS = ["granted"] * 40 + ["pending"] * 25 + ["lapsed"] * 25 + ["withdrawn"] * 8 + ["invalidated"] * 2
CITY_WEIGHTS = {"4403": 34, "4401": 22, "4419": 10, "4406": 10, "4420": 4, "4404": 3, "4413": 4, "4407": 2,
                "4418": 1, "4405": 2, "4408": 1, "4409": 1, "4412": 1, "4414": 1, "4415": 1, "4416": 1, "4417": 1,
                "4451": 1, "4452": 1, "4453": 1, "4402": 1}


def _clean(title: str) -> str:
    title = re.sub(r"（[^（）]*）|\([^()]*\)", "", title)
    title = re.split(r"[；;，,：:]", title)[0].strip()
    return title


def load_ipc():
    """subclass → [(symbol, short Chinese title)] of its groups, from the shared IPC table."""
    groups = {}
    with gzip.open(IPC_FILE, "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["level"] in ("main_group", "subgroup"):
                title = _clean(row["title_zh"])
                if 2 <= len(title) <= 16 and not re.search(r"[A-Za-z0-9]", title):
                    groups.setdefault(row["symbol"][:4], []).append((row["symbol"], title))
    return {k: v for k, v in groups.items() if len(v) >= 5}


class Corpus:
    def __init__(self, seed: int):
        from ipoffice.regions.models import Region

        self.rng = rng = random.Random(seed)
        self.ipc = load_ipc()
        subclasses = sorted(self.ipc)
        rng.shuffle(subclasses)
        for popular in ("H01M", "H04L", "G06F", "B64C", "A61K", "G06N", "H04W", "B60L"):
            if popular in self.ipc:
                subclasses.remove(popular)
                subclasses.insert(0, popular)
        self.subclasses = subclasses
        # cumulative weights, computed once: given plain weights, choices() adds them up again on every call
        self.sub_weights = list(accumulate(1 / (i + 1) ** 0.9 for i in range(len(subclasses))))
        districts = list(Region.objects.filter(level=3, code__startswith="44").values_list("pk", "code", "name"))
        self.districts = districts or [(None, "", "")]
        self.district_weights = list(accumulate(CITY_WEIGHTS.get(code[:4], 1) for _pk, code, _n in self.districts))
        cities = dict(Region.objects.filter(level=2, code__startswith="44").values_list("code", "name"))
        self.applicants = []
        names = set()
        while len(names) < 20000:
            pk, code, _name = rng.choices(self.districts, cum_weights=self.district_weights)[0]
            city = cities.get(code[:4] + "00", "广州市")
            name = city + "".join(rng.sample(TRADE, 2)) + rng.choice(INDUSTRY) + rng.choice(LEGAL)
            if name not in names:
                names.add(name)
                self.applicants.append((name, pk))
        self.applicant_weights = list(accumulate(1 / (i + 1) ** 1.1 for i in range(len(self.applicants))))
        people = set()
        while len(people) < 20000:  # of about 35,000 possible
            people.add(rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2)))))
        self.people = sorted(people)
        self.agencies = [f"广州{''.join(rng.sample(TRADE, 2))}知识产权代理有限公司" for _ in range(300)]

    def patent(self, n: int):
        """(patent fields, [(role, name, region)], [(scheme, symbol)]) of the n-th generated patent."""
        rng = self.rng
        sub = rng.choices(self.subclasses, cum_weights=self.sub_weights)[0]
        groups = self.ipc[sub]
        picks = [rng.choice(groups) for _ in range(6)]
        year = rng.choices(range(2010, 2025), [15, 20, 23, 26, 28, 36, 51, 63, 79, 81, 97, 98, 87, 80, 78])[0]
        applied = date(year, 1, 1) + timedelta(days=rng.randrange(365))
        english = rng.random() < 0.05
        ptype = rng.choices(["invention", "utility", "design"], [35, 45, 20])[0]
        kind = {"invention": "A", "utility": "U", "design": "S"}[ptype]
        if english:
            words = rng.sample(EN_WORDS, 4)
            title = rng.choice(EN_TEMPLATES).format(A=words[0].capitalize(), b=words[1], c=words[2], d=words[3])
            abstract = (f"A {words[0]} {words[1]} comprising a {words[2]} and a {words[3]}, wherein the "
                        f"{rng.choice(EN_WORDS)} is connected to the {rng.choice(EN_WORDS)}s.")
            claim = f"1. A {words[1]} comprising: a {words[2]}; and a {words[3]}."
            office, kind, ptype = "US", "B2", "invention"
        else:
            a, b = picks[0][1], picks[1][1]
            title = rng.choice(TEMPLATES).format(a=a, b=b)
            abstract = rng.choice(ABSTRACTS).format(t=title, x=picks[2][1], y=picks[3][1], z=picks[4][1],
                                                    w=picks[5][1], v=a)
            claim = f"1.{title}，其特征在于，包括：{picks[2][1]}；{picks[3][1]}；以及{picks[4][1]}。"
            office = "CN"
        serial = 1000000 + n
        type_digit = {"invention": "1", "utility": "2", "design": "3"}[ptype]
        application_number = f"{year}{type_digit}{serial:07d}"
        status = rng.choice(STATUS)
        granted = status in ("granted", "lapsed", "invalidated")
        applicants = rng.choices(self.applicants, cum_weights=self.applicant_weights, k=rng.choice((1, 1, 1, 2)))
        parties = [("applicant", name, region) for name, region in dict.fromkeys(applicants)]
        parties += [("inventor", name, None) for name in dict.fromkeys(rng.choices(self.people, k=rng.randint(1, 3)))]
        if rng.random() < 0.7:
            parties.append(("agency", rng.choice(self.agencies), None))
        fields = dict(
            office=office, application_number=application_number, application_date=applied,
            publication_number=f"{serial + 100000000}", publication_date=applied + timedelta(days=540),
            grant_number=f"{serial + 100000000}" if granted else "",
            grant_date=applied + timedelta(days=900) if granted else None, kind=kind, patent_type=ptype,
            title=title, abstract=abstract, first_claim=claim, ipc_main=picks[0][0], legal_status=status,
            family_id=f"B{n - rng.randint(1, 50) if n > 50 and rng.random() < 0.1 else n}",
            region_id=parties[0][2], source_format=SOURCE, content_hash=f"{SOURCE}-{n}", is_generated=True)
        classes = [("ipc", picks[0][0])] + [("ipc", s) for s, _t in picks[1:3] if s != picks[0][0]]
        return fields, parties, classes


def build(size: int, seed: int) -> tuple[float, float]:
    """Add generated patents up to ``size`` and index them; returns (insert seconds, index seconds)."""
    from django.db import transaction

    from ipoffice.core.bulk import insert_objects, insert_rows
    from ipoffice.patents.models import Classification, Party, Patent

    have = Patent.objects.filter(source_format=SOURCE).count()
    insert_time = 0.0
    if have < size:
        corpus = Corpus(seed + have)
        start = time.perf_counter()
        chunk = 20000
        for first in range(have, size, chunk):
            rows = [corpus.patent(n) for n in range(first, min(first + chunk, size))]
            with transaction.atomic():  # the importer's light bulk writers (multi-row INSERT, executemany)
                patents = [Patent(**fields) for fields, _p, _c in rows]
                insert_objects(patents)
                insert_rows(Party, ("patent_id", "role", "sequence", "name", "region_id"),
                            [(p.pk, role, i, name, region) for p, (_f, parties, _c) in zip(patents, rows, strict=True)
                             for i, (role, name, region) in enumerate(parties)])
                insert_rows(Classification, ("patent_id", "scheme", "symbol", "subclass", "is_main", "sequence"),
                            [(p.pk, scheme, symbol, symbol[:4], i == 0, i)
                             for p, (_f, _p, classes) in zip(patents, rows, strict=True)
                             for i, (scheme, symbol) in enumerate(classes)])
            print(f"\r  inserted {first + len(rows)}/{size}", end="", flush=True)
        insert_time = time.perf_counter() - start
        print()
    return insert_time, index_missing()


def _missing_ids() -> list[int]:
    from django.db import connection

    table = "patents_search_fts" if connection.vendor == "sqlite" else "patents_search_doc"
    key = "rowid" if connection.vendor == "sqlite" else "patent_id"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT p.id FROM patents_patent p WHERE NOT EXISTS "
                       f"(SELECT 1 FROM {table} s WHERE s.{key} = p.id) ORDER BY p.id")
        return [row[0] for row in cursor.fetchall()]


def index_missing(workers: int = 0) -> float:
    from multiprocessing import Pool

    from django.db import connection, transaction

    from ipoffice.patents.search.backends import document_rows, get_backend, make_document

    ids = _missing_ids()
    if not ids:
        return 0.0
    backend = get_backend()
    start = time.perf_counter()
    workers = workers or os.cpu_count() or 1
    connection.close()  # the workers are forked: they must not share the connection (they never query)
    with Pool(workers) as pool:
        for first in range(0, len(ids), 5000):
            batch = ids[first:first + 5000]
            documents = pool.map(make_document, document_rows(batch), chunksize=250)
            with transaction.atomic():
                backend.write(documents)
            elapsed = time.perf_counter() - start
            print(f"\r  indexed {first + len(batch)}/{len(ids)} ({(first + len(batch)) / elapsed:.0f}/s)",
                  end="", flush=True)
    print()
    if hasattr(backend, "optimize"):
        backend.optimize()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - start


# ---------------------------------------------------------------------------------------------------- baseline


def naive_q(node):
    """The query tree as Django ORM conditions: LIKE '%…%' on the raw columns, no analysis (the baseline)."""
    from django.db.models import Exists, OuterRef, Q

    from ipoffice.patents.models import Classification, Party
    from ipoffice.patents.search import query as q

    if isinstance(node, q.All):
        return Q()
    if isinstance(node, q.Not):
        return ~naive_q(node.child)
    if isinstance(node, q.And | q.Or):
        parts = [naive_q(child) for child in node.children]
        combined = parts[0]
        for part in parts[1:]:
            combined = combined & part if isinstance(node, q.And) else combined | part
        return combined
    if isinstance(node, q.Range):
        column = {"year": "application_date", "ad": "application_date", "pd": "publication_date",
                  "gd": "grant_date", "prd": "priority_date"}[node.field]
        cond = Q()
        if node.low:
            cond &= Q(**{f"{column}__gte": node.low})
        if node.high:
            cond &= Q(**{f"{column}__lte": node.high})
        return cond
    field, value = node.field, node.value
    if field == "text":
        return Q(title__contains=value) | Q(abstract__contains=value) | Q(first_claim__contains=value)
    if field in ("title", "abstract"):
        return Q(**{f"{field}__contains": value})
    if field == "claims":
        return Q(first_claim__contains=value)
    if field in ("applicant", "inventor", "agency", "agent"):
        return Q(Exists(Party.objects.filter(patent=OuterRef("pk"), role=field, name__contains=value)))
    if field in ("ipc", "cpc"):
        return Q(Exists(Classification.objects.filter(patent=OuterRef("pk"), scheme=field,
                                                      symbol__startswith=value)))
    if field in ("city", "district", "province"):
        return Q(region__code__startswith=value[: {"province": 2, "city": 4}.get(field, 6)])
    if field == "number":
        return Q(publication_number=value) | Q(application_number=value) | Q(grant_number=value)
    column = {"type": "patent_type", "status": "legal_status", "office": "office", "kind": "kind",
              "family": "family_id"}[field]
    return Q(**{column: value})


def naive_search(text: str, facets: bool):
    from django.db.models import Count
    from django.db.models.functions import ExtractYear, Substr

    from ipoffice.patents.models import Classification, Party, Patent
    from ipoffice.patents.search.query import parse

    qs = Patent.objects.filter(naive_q(parse(text)))
    total = qs.count()
    list(qs.order_by("-application_date", "-id").values_list("pk", flat=True)[:20])
    if facets and total:
        list(qs.annotate(y=ExtractYear("application_date")).values("y").annotate(n=Count("id")).order_by())
        list(qs.values("patent_type").annotate(n=Count("id")).order_by())
        list(qs.values("legal_status").annotate(n=Count("id")).order_by())
        list(qs.annotate(c=Substr("region__code", 1, 4)).values("c").annotate(n=Count("id")).order_by())
        ids = qs.values("pk")
        list(Classification.objects.filter(patent__in=ids, scheme="ipc").values("subclass")
             .annotate(n=Count("patent", distinct=True)).order_by("-n")[:20])
        list(Party.objects.filter(patent__in=ids, role="applicant").values("name")
             .annotate(n=Count("patent", distinct=True)).order_by("-n")[:20])
    return total


# ---------------------------------------------------------------------------------------------------- timing


def query_mix():
    """(category, query) pairs, with values taken from the corpus."""
    from django.db.models import Count

    from ipoffice.patents.models import Party, Patent

    top = (Party.objects.filter(role="applicant").values("name").annotate(n=Count("id")).order_by("-n", "name")
           .first()["name"])
    core = re.sub(r"^.{2,3}市", "", top)[:4]
    inventor = (Party.objects.filter(role="inventor").values("name").annotate(n=Count("id"))
                .order_by("-n", "name").first()["name"])
    number = Patent.objects.filter(source_format=SOURCE).order_by("pk").values_list("publication_number",
                                                                                    flat=True)[1234]
    return [
        ("field", "title:电池"),
        ("field", f"applicant:{core}"),
        ("field", f"inventor:{inventor}"),
        ("field", f"number:CN{number}"),
        ("field", "ipc:H01M* AND city:4403 AND type:invention AND year:2018..2022"),
        ("field", "abstract:传感器 status:granted"),
        ("boolean", "电池 AND (正极 OR 负极) NOT 钠"),
        ("boolean", "(飞行器 OR 无人机) AND city:4403"),
        ("boolean", '"制备方法" AND year:2018..2022 NOT type:design'),
        ("boolean", "battery OR lithium"),
        ("facet", "电池"),
        ("facet", "装置 AND city:4401"),
        ("facet", "ipc:G06F*"),
    ]


def timed(fn, repeat: int) -> list[float]:
    fn()  # warm the caches
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(p / 100 * len(values) + 0.5) - 1))]


def run_one(size: int, seed: int, repeat: int, like_repeat: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from ipoffice.patents.search.services import search_patents
    from ipoffice.regions.models import Region

    call_command("migrate", verbosity=0)
    if not Region.objects.exists():
        call_command("setup", stdout=open(os.devnull, "w"))
    insert_time, index_time = build(size, seed)
    if connection.vendor == "postgresql":  # as autovacuum leaves a table: statistics and visibility map current
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    from ipoffice.patents.models import Patent
    from ipoffice.patents.search.backends import get_backend

    backend = get_backend()
    total = Patent.objects.count()
    version = connection.cursor().connection.info.server_version if connection.vendor == "postgresql" else None
    engine = f"PostgreSQL {version // 10000}.{version % 100}" if version else \
        f"SQLite {__import__('sqlite3').sqlite_version}"
    print(f"\n{engine}: {total} patents, {backend.count()} indexed"
          + (f"; inserted in {insert_time:.0f} s" if insert_time else "")
          + (f"; indexed in {index_time:.0f} s ({total / index_time:.0f}/s)" if index_time else ""))
    print(f"{'category':<8} {'query':<62} {'hits':>7} {'search p50':>10} {'p95':>7} {'LIKE p50':>9} {'p95':>7}")
    by_category: dict[str, tuple[list, list]] = {}
    for category, text in query_mix():
        facets = category == "facet"
        hits = search_patents(text, facets=facets).total
        ours = timed(lambda text=text, facets=facets: search_patents(text, facets=facets), repeat)
        like = timed(lambda text=text, facets=facets: naive_search(text, facets), like_repeat)
        mine, theirs = by_category.setdefault(category, ([], []))
        mine.extend(ours)
        theirs.extend(like)
        print(f"{category:<8} {text[:62]:<62} {hits:>7} {pct(ours, 50):>10.1f} {pct(ours, 95):>7.1f} "
              f"{pct(like, 50):>9.1f} {pct(like, 95):>7.1f}")
    for category, (mine, theirs) in by_category.items():
        print(f"{category:<8} {'(all queries of the category)':<62} {'':>7} {pct(mine, 50):>10.1f} "
              f"{pct(mine, 95):>7.1f} {pct(theirs, 50):>9.1f} {pct(theirs, 95):>7.1f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100000])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each query through the backend")
    parser.add_argument("--like-repeat", type=int, default=3, help="timed runs of each query as a LIKE scan")
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/ipoffice-bench-search"))
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        open_database("search", args.one, args.dir)
        run_one(args.one, args.seed, args.repeat, args.like_repeat)
        return
    for size in args.sizes:  # one process per size: Django's settings are read once per process
        subprocess.run([sys.executable, __file__, "--one", str(size), "--repeat", str(args.repeat),
                        "--like-repeat", str(args.like_repeat), "--seed", str(args.seed), "--dir", str(args.dir)],
                       check=True)


if __name__ == "__main__":
    main()
