"""Time trademark clearance over millions of marks: the ClearanceIndex (candidates + compare + rank top 50) beside a
brute-force rapidfuzz scan of every mark, in the same run.

Run: python benchmarks/bench_clearance.py [--marks 2100000] [--queries 200] [--brute 20] [--limit 500]
     [--cache var/clearance.npz]

The marks come from ``ipoffice.trademarks.similarity.synthetic`` (plausible Chinese, pinyin, English, composite,
letter+digit and digit marks, a fixed seed). Three queries in four are variants of a mark in the index (one
character changed, characters swapped, a descriptive word added, a letter dropped, a plural, a case change …),
so each has a source mark that a clearance search should return; the rest are new random marks. A miss is
usually a source tied with dozens of equally similar generated marks (PAPE: PAPER ×299 against PEPE, PAP236 …).
Prints build time and memory, latency percentiles, and how often the source mark is in the top 50 for both
methods. The brute
force scan (``rapidfuzz.process.extract``, WRatio, all marks) is slow, so it runs on the first ``--brute``
queries only. No asserts: the figures are for reading.
"""

import argparse
import gc
import os
import random
import resource
import statistics
import time
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from ipoffice.trademarks.similarity import ClearanceIndex, compare, mark_keys, rank, warm_up
from ipoffice.trademarks.similarity.synthetic import BRAND_CHARS, SUFFIX_EN, SUFFIX_ZH, MarkGenerator


def rss_mb() -> float:
    """Resident memory now, in MB (Linux /proc)."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def variant(text: str, rnd: random.Random) -> tuple[str, str]:
    """A plausible later application close to ``text``, and what was changed."""
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if han and len(text) == len(han):
        choice = rnd.randrange(4)
        chars = list(text)
        if choice == 0 and len(chars) >= 2:
            i, j = rnd.sample(range(len(chars)), 2)
            chars[i], chars[j] = chars[j], chars[i]
            return "".join(chars), "汉字 order swapped"
        if choice == 1 and len(chars) >= 3:
            chars[rnd.randrange(1, len(chars))] = rnd.choice(BRAND_CHARS)
            return "".join(chars), "one 汉字 replaced"
        if choice == 2:
            return text + rnd.choice(SUFFIX_ZH), "descriptive word added"
        return "新" + text, "weak adjective added"
    if text.replace(" ", "").isalpha() and text.isascii():
        choice = rnd.randrange(4)
        if choice == 0 and len(text) >= 5:
            k = rnd.randrange(1, len(text))
            return text[:k] + text[k + 1:], "letter dropped"
        if choice == 1:
            return text + "S", "plural S"
        if choice == 2:
            return text + " " + rnd.choice(SUFFIX_EN), "descriptive word added"
        words = text.split()
        return (" ".join(reversed(words)), "word order swapped") if len(words) > 1 else (text.lower(), "case")
    return text.lower(), "case"


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--marks", type=int, default=2_100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--brute", type=int, default=20, help="queries also run as a brute-force rapidfuzz scan")
    parser.add_argument("--limit", type=int, default=500, help="index candidates compared per query")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--cache", type=Path, default=None, help="save the index here, or load it if present")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    started = time.perf_counter()
    texts = list(MarkGenerator(args.seed).marks(args.marks))
    generated = time.perf_counter() - started
    base_rss = rss_mb()
    print(f"{len(texts):,} generated marks in {generated:.1f} s ({len(set(texts)):,} distinct); RSS {base_rss:.0f} MB")

    started = time.perf_counter()
    index = None
    if args.cache and args.cache.exists():
        try:
            index = ClearanceIndex.load(args.cache)
            how = f"loaded from {args.cache}"
        except ValueError as error:
            print(error)
    if index is None:
        index = ClearanceIndex.build(enumerate(texts), workers=args.workers)
        how = "built"
        if args.cache:
            args.cache.parent.mkdir(parents=True, exist_ok=True)
            index.save(args.cache)
    build = time.perf_counter() - started
    gc.collect()
    print(f"index {how} in {build:.1f} s: {len(index.term_hashes):,} terms, {len(index.postings):,} postings, "
          f"arrays {index.nbytes / 1e6:.0f} MB; RSS {rss_mb():.0f} MB (+{rss_mb() - base_rss:.0f} MB), "
          f"peak {peak_mb():.0f} MB")

    rnd = random.Random(args.seed + 1)
    fresh = MarkGenerator(args.seed + 1000)
    queries: list[tuple[str, int | None, str]] = []
    for _ in range(args.queries):
        if rnd.random() < 0.75:
            source = rnd.randrange(len(texts))
            queries.append((*variant(texts[source], rnd), source))
        else:
            queries.append((fresh.mark(), "new mark", None))

    warm_up()  # load the tables before timing, as a server does at start-up
    total, cand_times, rank_times, index_hits, with_source, misses, judged = [], [], [], 0, 0, [], 0
    slowest: list[tuple[float, float, str, int]] = []
    for query, kind, source in queries:
        t0 = time.perf_counter()
        keys = mark_keys(query)
        candidates = index.candidates(keys, limit=args.limit)
        t1 = time.perf_counter()
        ranked = rank(keys, [(c, texts[c]) for c in candidates], limit=50)
        t2 = time.perf_counter()
        cand_times.append(t1 - t0)
        rank_times.append(t2 - t1)
        total.append(t2 - t0)
        slowest.append((t2 - t0, t1 - t0, query, len(candidates)))
        if source is not None:
            with_source += 1
            hit = any(texts[r.id] == texts[source] for r in ranked)
            judged += compare(keys, mark_keys(texts[source])).similar
            index_hits += hit
            if not hit:
                misses.append(f"{query} ← {texts[source]} ({kind})")

    def ms(values, q):
        return percentile(values, q) * 1000

    print(f"\nClearanceIndex, {len(queries)} queries, {args.limit} candidates compared, top 50 ranked:")
    print(f"  total     p50 {ms(total, .5):6.1f} ms  p95 {ms(total, .95):6.1f} ms  p99 {ms(total, .99):6.1f} ms  "
          f"max {max(total) * 1000:6.1f} ms  mean {statistics.mean(total) * 1000:6.1f} ms")
    print(f"  candidates p50 {ms(cand_times, .5):6.1f} ms  p95 {ms(cand_times, .95):6.1f} ms;  compare+rank p50 "
          f"{ms(rank_times, .5):6.1f} ms  p95 {ms(rank_times, .95):6.1f} ms")
    print(f"  source mark in the top 50: {index_hits}/{with_source} = {index_hits / max(1, with_source):.1%}")
    for miss in misses[:12]:
        print(f"    missed: {miss}")
    print(f"  source mark judged similar by the rules (score ≥ 0.7): {judged}/{with_source}")
    for seconds, candidate_seconds, query, count in sorted(slowest, reverse=True)[:3]:
        print(f"    slow: {query!r} {seconds * 1000:.0f} ms ({candidate_seconds * 1000:.0f} ms candidates, "
              f"{count} compared)")

    brute = queries[: args.brute]
    if brute:
        choices = [utils.default_process(t) for t in texts]
        brute_times, brute_hits, brute_sources, index_hits_same = [], 0, 0, 0
        for query, _, source in brute:
            t0 = time.perf_counter()
            found = process.extract(utils.default_process(query), choices, scorer=fuzz.WRatio, limit=50,
                                    processor=None)
            brute_times.append(time.perf_counter() - t0)
            if source is not None:
                brute_sources += 1
                brute_hits += any(texts[i] == texts[source] for _, _, i in found)
                keys = mark_keys(query)
                ranked = rank(keys, [(c, texts[c]) for c in index.candidates(keys, limit=args.limit)], limit=50)
                index_hits_same += any(texts[r.id] == texts[source] for r in ranked)
        print(f"\nbrute force rapidfuzz.process.extract (WRatio, {len(texts):,} strings), {len(brute)} queries:")
        print(f"  total     p50 {ms(brute_times, .5):6.1f} ms  p95 {ms(brute_times, .95):6.1f} ms  "
              f"max {max(brute_times) * 1000:6.1f} ms")
        print(f"  source mark in the top 50: {brute_hits}/{brute_sources} (the index on the same queries: "
              f"{index_hits_same}/{brute_sources})")
    print(f"\npeak RSS {peak_mb():.0f} MB; {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
