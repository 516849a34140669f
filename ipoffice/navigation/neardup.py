"""Near-duplicate texts (内容雷同) among many documents: MinHash over character 3-grams with LSH banding, then the
exact Jaccard similarity of the candidate pairs. Pure numpy, no external service.

Texts are normalised (NFKC, lower case, no whitespace or punctuation), so that spacing and punctuation changes do
not hide a copy. A shingle is three consecutive code points packed into one 63-bit integer (21 bits each), so two
shingles are equal exactly when their integers are: the Jaccard similarity computed on them is exact. Identical
normalised texts are grouped first (one representative each goes through MinHash), which keeps copied batches
from flooding the LSH buckets.
"""

import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np

_NOT_WORD = re.compile(r"[\W_]+")
_U64 = np.uint64


def normalise(text: str) -> str:
    """Letters and digits only, NFKC (full width → ASCII), lower case. Punctuation goes first: what is left is
    mostly Chinese, already NFKC, and the check for that is far cheaper than the normalisation."""
    text = _NOT_WORD.sub("", text or "")
    if not unicodedata.is_normalized("NFKC", text):
        text = _NOT_WORD.sub("", unicodedata.normalize("NFKC", text))
    return text.lower()


def bands_for(threshold: float, perms: int, recall: float = 0.995) -> tuple[int, int]:
    """(bands, rows): the most rows per band (fewest false candidates) that still make a pair of similarity
    ``threshold`` a candidate with probability ``recall``."""
    best = (perms, 1)
    for rows in range(1, perms + 1):
        bands = perms // rows
        if 1 - (1 - threshold ** rows) ** bands >= recall:
            best = (bands, rows)
    return best


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every input bit reaches every output bit (wrapping uint64 arithmetic)."""
    x = (x ^ (x >> _U64(30))) * _U64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> _U64(27))) * _U64(0x94D049BB133111EB)
    return x ^ (x >> _U64(31))


def shingles(texts: list[str], k: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Every k-gram of every (normalised) text, as one array with the start offset of each text's run;
    a text shorter than k is one shingle of itself, an empty text has none."""
    pieces, lengths = [], np.zeros(len(texts), dtype=np.int64)
    for i, text in enumerate(texts):
        cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(_U64)
        if len(cps) < k:
            cps = np.concatenate([cps, np.zeros(k - len(cps), dtype=_U64)]) if len(cps) else cps
        if len(cps):
            packed = cps[: len(cps) - k + 1] << _U64(42)
            for j in range(1, k):
                packed |= cps[j: len(cps) - k + 1 + j] << _U64(42 - 21 * j)
            pieces.append(packed)
            lengths[i] = len(packed)
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return (np.concatenate(pieces) if pieces else np.zeros(0, dtype=_U64)), offsets


def signatures(values: np.ndarray, offsets: np.ndarray, perms: int = 128, seed: int = 1) -> np.ndarray:
    """MinHash signatures (texts × perms, uint32); every text must have at least one shingle. The shingles are
    mixed to 32 random-looking bits once; permutation i is then ``a_i·h + b_i`` (mod 2³², a_i odd: a bijection),
    one vectorised pass over all shingles each, the minimum per text by ``reduceat``."""
    rng = np.random.default_rng(seed)
    a = (rng.integers(0, 2 ** 32, size=perms, dtype=np.uint64) | _U64(1)).astype(np.uint32)
    b = rng.integers(0, 2 ** 32, size=perms, dtype=np.uint64).astype(np.uint32)
    base = (_mix(values) >> _U64(32)).astype(np.uint32)
    starts = offsets[:-1]
    out = np.empty((len(starts), perms), dtype=np.uint32)
    hashed = np.empty_like(base)
    for i in range(perms):
        np.multiply(base, a[i], out=hashed)
        hashed += b[i]
        out[:, i] = np.minimum.reduceat(hashed, starts)
    return out


def _pairs_within_runs(order: np.ndarray, keys: np.ndarray, window: int) -> np.ndarray:
    """Pairs (i < j) of items with equal keys, at most ``window`` places apart in ``order`` (``keys`` sorted):
    every pair of a run up to ``window + 1`` long, and the neighbours of each item in longer runs. Neighbour k
    apart for k = 1, 2, …, keeping only the runs longer than k, so the work follows the output."""
    run = np.concatenate([[0], np.cumsum(keys[1:] != keys[:-1])])
    size = np.bincount(run)[run]
    found = []
    for gap in range(1, window + 1):
        keep = size > gap  # the runs that still have pairs this far apart
        order, run, size = order[keep], run[keep], size[keep]
        if len(order) <= gap:
            break
        same = run[gap:] == run[:-gap]
        left, right = order[:-gap][same], order[gap:][same]
        found.append(np.stack([np.minimum(left, right), np.maximum(left, right)], axis=1))
    return np.concatenate(found) if found else np.zeros((0, 2), dtype=np.int64)


def candidate_pairs(sigs: np.ndarray, bands: int, rows: int, window: int = 64) -> np.ndarray:
    """Pairs (i < j) of texts sharing all ``rows`` values of at least one band, as an (n, 2) array.

    A bucket of more than ``window + 1`` texts (templated texts, a copied batch) is not expanded into every pair:
    its texts are ordered by the next band's key, so that texts agreeing there too sit side by side, and each is
    paired with its ``window`` neighbours (sorted neighbourhood). Clusters stay connected through chains of
    similar neighbours; such a cluster's evidence lists a spanning set of pairs rather than every pair."""
    found = []
    weights = (np.arange(1, rows + 1, dtype=_U64) * _U64(0x9E3779B97F4A7C15)) | _U64(1)
    keys = [_mix((sigs[:, b * rows:(b + 1) * rows].astype(_U64) * weights).sum(axis=1, dtype=_U64))
            for b in range(bands)]
    for band in range(bands):
        order = np.lexsort((keys[(band + 1) % bands], keys[band]))
        found.append(_pairs_within_runs(order, keys[band][order], window))
    pairs = np.concatenate(found) if found else np.zeros((0, 2), dtype=np.int64)
    if not len(pairs):
        return pairs
    codes = np.unique(pairs[:, 0].astype(np.int64) * len(sigs) + pairs[:, 1])
    return np.stack([codes // len(sigs), codes % len(sigs)], axis=1)


def estimated_similarity(sigs: np.ndarray, pairs: np.ndarray, chunk: int = 200_000) -> np.ndarray:
    """The MinHash estimate of each pair's Jaccard similarity: the share of equal signature values."""
    if not len(pairs):
        return np.zeros(0)
    equal = [np.count_nonzero(sigs[pairs[i:i + chunk, 0]] == sigs[pairs[i:i + chunk, 1]], axis=1)
             for i in range(0, len(pairs), chunk)]
    return np.concatenate(equal) / sigs.shape[1]


@dataclass
class Duplicates:
    """Groups of identical (normalised) texts, and pairs of representatives at least ``threshold`` similar."""

    groups: list[list[int]]  # each group's first member is its representative
    pairs: list[tuple[int, int, float]] = field(default_factory=list)  # (representative, representative, Jaccard)

    @property
    def pair_count(self) -> int:
        """Every pair of texts that are near-duplicates (identical texts included)."""
        sizes = {g[0]: len(g) for g in self.groups}
        return (sum(n * (n - 1) // 2 for n in sizes.values())
                + sum(sizes[i] * sizes[j] for i, j, _s in self.pairs))

    def clusters(self) -> list[list[int]]:
        """Connected texts (union-find over identical groups and similar pairs), only those of two or more."""
        parent = {}

        def find(x):
            parent.setdefault(x, x)
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for group in self.groups:
            for member in group[1:]:
                parent[find(member)] = find(group[0])
        for i, j, _s in self.pairs:
            parent[find(j)] = find(i)
        members = {}
        for x in parent:
            members.setdefault(find(x), []).append(x)
        return sorted((sorted(m) for m in members.values() if len(m) > 1), key=lambda m: m[0])


def near_duplicates(texts: list[str], *, threshold: float = 0.8, k: int = 3, perms: int = 128) -> Duplicates:
    """Identical and near-identical texts among ``texts`` (indices into it)."""
    if not 0 < threshold <= 1:
        raise ValueError("the similarity threshold must be above 0 and at most 1")
    by_text = {}
    for i, text in enumerate(texts):
        norm = normalise(text)
        if norm:
            by_text.setdefault(norm, []).append(i)
    groups = list(by_text.values())
    result = Duplicates(groups)
    if len(groups) < 2:
        return result
    reps = list(by_text)
    values, offsets = shingles(reps, k)
    sigs = signatures(values, offsets, perms)
    bands, rows = bands_for(threshold, perms)
    candidates = candidate_pairs(sigs, bands, rows)
    # The estimate's standard error at the threshold t is sqrt(t(1 - t)/perms) (0.035 for 0.8 and 128): a pair
    # estimated four errors below the threshold is not worth an exact check.
    margin = 4 * np.sqrt(threshold * (1 - threshold) / perms)
    candidates = candidates[estimated_similarity(sigs, candidates) >= threshold - margin]
    sets = {}

    def shingle_set(i):
        if i not in sets:
            sets[i] = frozenset(np.unique(values[offsets[i]:offsets[i + 1]]).tolist())
        return sets[i]

    for i, j in candidates.tolist():
        a, b = shingle_set(i), shingle_set(j)
        shared = len(a & b)
        similarity = shared / (len(a) + len(b) - shared)
        if similarity >= threshold:
            result.pairs.append((groups[i][0], groups[j][0], round(similarity, 4)))
    return result


def jaccard(a: str, b: str, k: int = 3) -> float:
    """Exact Jaccard similarity of two texts' shingle sets (for evidence and tests)."""
    values, offsets = shingles([normalise(a), normalise(b)], k)
    x, y = np.unique(values[offsets[0]:offsets[1]]), np.unique(values[offsets[1]:offsets[2]])
    if not x.size and not y.size:
        return 1.0
    shared = np.intersect1d(x, y, assume_unique=True).size
    return shared / (x.size + y.size - shared)
