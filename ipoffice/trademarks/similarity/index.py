"""An inverted index over the search keys of millions of marks, giving clearance candidates fast.

Each mark yields terms (:func:`index_terms`): 汉字 unigrams, bigrams and skip-bigrams, sorted characters,
the mark without repetitions or descriptive words, four-corner bigrams (shape), folded pinyin syllables, syllable
bigrams and whole readings; letter trigrams, the joined letters and their one-letter deletions, lemmas, Double
Metaphone keys; digits (also from Chinese numerals); translation concepts. Terms are hashed to 64 bits with a
vectorised FNV-1a, so the index is four numpy arrays: sorted term hashes, their offsets, the postings (row
numbers) and the mark ids. A query sums IDF weights over the postings of its terms and keeps the best ``limit``:
the rarest terms, up to :data:`POSTINGS_BUDGET` postings, are merged in full (``np.unique`` + ``np.bincount``)
and choose the candidates; commoner terms only add their weight to those (a binary search in their sorted
postings), so the cost follows the postings touched, not the index size.
"""

import gc
import math
import multiprocessing
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from hashlib import blake2b
from itertools import islice, product
from pathlib import Path

import numpy as np

from . import lexicon
from .glyph import four_corner
from .keys import MarkKeys, build_keys, mark_keys
from .phonetic import char_readings, fold_syllable

TERM_WIDTH = 20
"""Terms are hashed over this many UCS-4 code units; a longer term is first replaced by a digest."""

WHOLE = 1.6
"""Weight multiplier of whole-mark terms (sorted characters, core, joined letters, whole readings …) over n-grams."""

_WHOLE_PREFIXES = ("hs:", "hd:", "hc:", "lj:", "ls:", "lc:", "ld:", "pa:", "d:", "dm:", "lx:", "t:")

MAX_DF_SHARE = 0.08
"""Terms found in more than this share of the marks are too common to pick candidates and are skipped."""

POSTINGS_BUDGET = 150_000
"""Postings merged in full per query (rarest terms first); commoner terms only re-score those candidates."""

TERMS_VERSION = 2
"""Bumped whenever :func:`index_terms` or the hashing changes, so that a saved index of older terms is refused."""

LENGTH_NORM = 0.3
"""Scores are divided by (terms of the mark) ** this, so that long marks do not win on term count alone."""


@lru_cache(maxsize=65536)
def _char_terms(ch: str) -> tuple[str, tuple[str, ...]]:
    """(four-corner code, folded readings) of a character, for the index."""
    return four_corner(ch), tuple(dict.fromkeys(fold_syllable(r) for r in char_readings(ch))) or (ch,)


def _han_terms(k: MarkKeys, out: list[str]) -> None:
    han = k.han
    n = len(han)
    out.extend(["h1:" + ch for ch in han])
    if n > 1:
        out.extend(["h2:" + han[i:i + 2] for i in range(n - 1)])
        out.extend(["h3:" + han[i] + han[i + 2] for i in range(n - 2)])
        out.append("hs:" + "".join(sorted(han)))
    out.append("hd:" + lexicon.dedupe_han(han))
    if k.han_core != han:
        out.append("hc:" + k.han_core)
    info = [_char_terms(ch) for ch in han]
    if n == 1:
        out.append("f1:" + info[0][0])
    out.extend(["f2:" + info[i][0] + info[i + 1][0] for i in range(n - 1) if info[i][0] and info[i + 1][0]])
    _syllable_terms([readings for _, readings in info], out)


def _syllable_terms(per_char: list[tuple[str, ...]], out: list[str]) -> None:
    """Every reading of each character, bigrams and whole readings of the commonest readings (plus one more
    combination for polyphones)."""
    for options in per_char:
        out.extend(["p1:" + s for s in options])
    first = [options[0] for options in per_char]
    out.extend(["p2:" + first[i] + " " + first[i + 1] for i in range(len(first) - 1)])
    out.append("pa:" + " ".join(first))
    if any(len(options) > 1 for options in per_char):
        second = next(islice(product(*per_char), 1, 2), None)
        if second:
            out.append("pa:" + " ".join(second))


def index_terms(k: MarkKeys) -> list[str]:
    """The distinct index terms of a mark."""
    out: list[str] = []
    if k.han:
        _han_terms(k, out)
    if k.latin_words:
        letters = k.latin
        out.append("lj:" + letters)
        padded = f"^{letters}$"
        out.extend("l3:" + padded[i:i + 3] for i in range(len(padded) - 2))
        out.extend("lw:" + stem for stem in k.lemmas)
        if len(k.lemmas) > 1:
            out.append("ls:" + " ".join(sorted(k.lemmas)))
        out.append("lc:" + "".join([lexicon.lemma(w) for w in k.latin_core]))
        deduped = lexicon.dedupe_words(k.latin_words)
        if deduped != k.latin_words:
            out.append("ld:" + " ".join(deduped))
        out.extend("dm:" + key for key in k.metaphone)
        if 4 <= len(letters) <= 12:
            out.extend("lx:" + letters[:i] + letters[i + 1:] for i in range(len(letters)))
            out.append("lx:" + letters)
        if k.latin_pinyin:
            _syllable_terms([(fold_syllable(s),) for s in k.latin_pinyin], out)
    if k.digits:
        out.append("d:" + k.digits)
        out.append("pa:" + " ".join(k.digit_pinyin))
    if k.numeral_digits:
        out.append("d:" + k.numeral_digits)
    if k.han_meaning or k.latin_meaning:
        out.extend(["t:" + concept for concept in sorted(k.translations)])
    return list(dict.fromkeys(out))


def _fit(term: str) -> str:
    return "~" + blake2b(term.encode(), digest_size=9).hexdigest()


def hash_terms(terms: list[str]) -> np.ndarray:
    """64-bit FNV-1a over the UCS-4 code units of each term (padded to :data:`TERM_WIDTH`), then a splitmix
    finaliser; vectorised, stable across processes and runs."""
    if not terms:
        return np.zeros(0, dtype=np.uint64)
    units = np.array([t if len(t) <= TERM_WIDTH else _fit(t) for t in terms], dtype=f"<U{TERM_WIDTH}")
    units = units.view(np.uint32)
    units = units.reshape(len(terms), TERM_WIDTH)
    h = np.full(len(terms), 0xCBF29CE484222325, dtype=np.uint64)
    prime = np.uint64(0x100000001B3)
    with np.errstate(over="ignore"):
        for col in range(TERM_WIDTH):
            h ^= units[:, col]
            h *= prime
        h ^= h >> np.uint64(30)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(27)
        h *= np.uint64(0x94D049BB133111EB)
        h ^= h >> np.uint64(31)
    return h


def _weights_of(terms: list[str]) -> np.ndarray:
    return np.array([WHOLE if t.startswith(_WHOLE_PREFIXES) else 1.0 for t in terms], dtype=np.float32)


def _chunk_terms(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(term hashes, terms per mark) of a chunk of mark texts."""
    terms: list[str] = []
    counts = np.empty(len(texts), dtype=np.int32)
    with paused_gc():
        for n, text in enumerate(texts):
            mark_terms = index_terms(build_keys(text, for_index=True))
            counts[n] = len(mark_terms)
            terms.extend(mark_terms)
    return hash_terms(terms), counts


@contextmanager
def paused_gc():
    """Pause the cyclic garbage collector over a hot loop that makes many short-lived, acyclic objects (keys
    and terms); with large caches alive, its full passes otherwise double the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _batched(rows: Iterable[tuple[int, str]], size: int) -> Iterator[list[tuple[int, str]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


class ClearanceIndex:
    """Candidates for clearance among many marks. ``build`` from ``(mark id, text)`` rows, ``candidates`` for a
    query's :class:`MarkKeys`, ``save``/``load`` to cache it as one ``.npz`` file."""

    def __init__(self, ids: np.ndarray, term_hashes: np.ndarray, offsets: np.ndarray, postings: np.ndarray,
                 lengths: np.ndarray):
        self.ids = ids
        self.term_hashes = term_hashes
        self.offsets = offsets
        self.postings = postings
        self.lengths = lengths
        self._norm = np.power(np.maximum(lengths, 1).astype(np.float32), -LENGTH_NORM)

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def build(cls, rows: Iterable[tuple[int, str]], *, workers: int | None = None,
              chunk: int = 20000) -> "ClearanceIndex":
        """Index the marks. ``workers`` processes compute the terms (default: the CPUs, at most 4, when the
        rows are many; the tables are loaded before forking so the workers share them)."""
        ids: list[int] = []
        hashes: list[np.ndarray] = []
        counts: list[np.ndarray] = []

        def texts_of(batch):
            ids.extend(mark_id for mark_id, _ in batch)
            return [text for _, text in batch]

        batches = _batched(rows, chunk)
        if workers is None:
            workers = min(4, os.cpu_count() or 1)
        first = next(batches, [])
        if workers > 1 and len(first) == chunk and "fork" in multiprocessing.get_all_start_methods():
            _warm_up()
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                texts = (texts_of(batch) for batch in _chain(first, batches))
                for h, c in pool.imap(_chunk_terms, texts):
                    hashes.append(h)
                    counts.append(c)
        else:
            for batch in _chain(first, batches):
                h, c = _chunk_terms(texts_of(batch))
                hashes.append(h)
                counts.append(c)
        return cls._assemble(np.array(ids, dtype=np.int64), hashes, counts)

    @classmethod
    def _assemble(cls, ids: np.ndarray, hashes: list[np.ndarray], counts: list[np.ndarray]) -> "ClearanceIndex":
        all_hashes = np.concatenate(hashes) if hashes else np.zeros(0, dtype=np.uint64)
        lengths = np.concatenate(counts) if counts else np.zeros(0, dtype=np.int32)
        del hashes
        rows = np.repeat(np.arange(len(lengths), dtype=np.int32), lengths)
        order = np.argsort(all_hashes, kind="stable")
        sorted_hashes = all_hashes[order]
        del all_hashes
        postings = rows[order]
        del rows, order
        starts = np.flatnonzero(np.r_[True, sorted_hashes[1:] != sorted_hashes[:-1]]) if len(sorted_hashes) else \
            np.zeros(0, dtype=np.int64)
        term_hashes = sorted_hashes[starts]
        offsets = np.append(starts, len(sorted_hashes)).astype(np.int64)
        return cls(ids, term_hashes, offsets, postings, lengths.astype(np.uint16))

    def candidates(self, query: MarkKeys | str, limit: int = 500) -> list[int]:
        """Ids of the marks most likely similar to the query, best first (at most ``limit``)."""
        return [int(self.ids[row]) for row in self._top_rows(query, limit)[0]]

    def scored(self, query: MarkKeys | str, limit: int = 500) -> list[tuple[int, float]]:
        """(id, candidate score) pairs, best first."""
        rows, scores = self._top_rows(query, limit)
        return [(int(self.ids[r]), float(s)) for r, s in zip(rows, scores, strict=True)]

    def _top_rows(self, query: MarkKeys | str, limit: int) -> tuple[np.ndarray, np.ndarray]:
        keys = mark_keys(query) if isinstance(query, str) else query
        terms = index_terms(keys)
        if not terms or not len(self.term_hashes):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        hashes = hash_terms(terms)
        multipliers = _weights_of(terms)
        slots = np.searchsorted(self.term_hashes, hashes)
        slots = np.minimum(slots, len(self.term_hashes) - 1)
        found = self.term_hashes[slots] == hashes
        n = len(self.ids)
        max_df = max(50, int(MAX_DF_SHARE * n))
        terms_found = []
        for slot, multiplier in zip(slots[found], multipliers[found], strict=True):
            start, end = int(self.offsets[slot]), int(self.offsets[slot + 1])
            if end - start <= max_df:
                terms_found.append((end - start, start, end, float(multiplier) * math.log(1 + n / (end - start))))
        if not terms_found:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        terms_found.sort()
        # MaxScore-like: the rarest terms, up to a budget of postings, choose the candidates; the commoner terms
        # only add their weight to candidates already chosen (a binary search in their sorted postings).
        parts, weights, touched, k = [], [], 0, 0
        while k < len(terms_found) and (k == 0 or touched + terms_found[k][0] <= POSTINGS_BUDGET):
            df, start, end, weight = terms_found[k]
            parts.append(self.postings[start:end])
            weights.append(np.full(df, weight, dtype=np.float32))
            touched += df
            k += 1
        rows, inverse = np.unique(np.concatenate(parts), return_inverse=True)
        scores = np.bincount(inverse, weights=np.concatenate(weights)).astype(np.float32)
        for _, start, end, weight in terms_found[k:]:
            posting = self.postings[start:end]
            at = np.minimum(np.searchsorted(posting, rows), len(posting) - 1)
            scores += weight * (posting[at] == rows)
        scores *= self._norm[rows]
        if len(rows) > limit:
            top = np.argpartition(-scores, limit - 1)[:limit]
            rows, scores = rows[top], scores[top]
        order = np.argsort(-scores, kind="stable")
        return rows[order], scores[order]

    def save(self, path: str | Path) -> None:
        """Write the index as one uncompressed ``.npz`` file."""
        np.savez(path, ids=self.ids, term_hashes=self.term_hashes, offsets=self.offsets, postings=self.postings,
                 lengths=self.lengths, version=np.array([TERMS_VERSION]))

    @classmethod
    def load(cls, path: str | Path) -> "ClearanceIndex":
        """Read an index written by :meth:`save`; one made with other term definitions is refused, since its
        hashes no longer match the queries' (rebuild it)."""
        with np.load(path) as data:
            version = int(data["version"][0]) if "version" in data else 0
            if version != TERMS_VERSION:
                raise ValueError(f"{path}: index terms version {version}, this code makes {TERMS_VERSION}; rebuild")
            return cls(data["ids"], data["term_hashes"], data["offsets"], data["postings"], data["lengths"])

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.ids, self.term_hashes, self.offsets, self.postings, self.lengths,
                                      self._norm))


def _chain(first, rest):
    if first:
        yield first
    yield from rest


def _warm_up() -> None:
    """Load the tables once in the parent so forked workers share them."""
    from .rank import warm_up

    warm_up()
    index_terms(build_keys("超鹰 CAOYIN 153 apple", for_index=True))
