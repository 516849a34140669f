"""Geography (地域分布) on four levels: country, then within China province, city and district of the patent's
region (the first applicant's division code)."""

from collections import defaultdict
from functools import lru_cache

from django.utils.translation import gettext as _

from ..counting import Rules
from ..dataset import Dataset
from . import Analysis, Column, analysis
from .common import bar_chart, unit_label
from .prepared import prepared

LEVELS = ["country", "province", "city", "district"]
CHART_TOP = 20


@lru_cache(maxsize=8192)
def _codes(country: str, code: str) -> tuple[tuple[str, str], ...]:
    """(level, code) of a patent on each level ("" when unknown); the Chinese levels only for a Chinese patent."""
    country = country or ("CN" if code else "")
    if country != "CN":
        return (("country", country),)
    return (("country", "CN"), ("province", code[:2] + "0000" if code else ""),
            ("city", code[:4] + "00" if code[2:4] not in ("", "00") else ""),
            ("district", code if code[4:6] not in ("", "00") else ""))


@analysis("geography")
def geography(dataset: Dataset, rules: Rules) -> Analysis:
    ids = {level: defaultdict(list) for level in LEVELS}
    for record in prepared(dataset, rules).records:
        for level, code in _codes(record.country, record.region):
            ids[level][code].append(record.id)
    titles = {"country": _("country"), "province": _("province"), "city": _("city"), "district": _("district")}
    rows, drill = [], {}
    for level in LEVELS:
        total = sum(len(v) for v in ids[level].values())
        for code, members in sorted(ids[level].items(), key=lambda item: (item[0] == "", -len(item[1]), item[0])):
            key = f"{level}:{code}"
            name = (dataset.regions.get(code, code) if level != "country" else code) or _("unknown")
            rows.append({"level": titles[level], "code": code, "name": name, "count": len(members),
                         "share": round(100 * len(members) / total, 1), "drill": key})
            drill[key] = members
    shown = "city" if any(ids["city"].keys() - {""}) else "country"
    values = [{"name": r["name"], "count": r["count"],
               "province": dataset.regions.get(r["code"][:2] + "0000", "") if shown == "city" else ""}
              for r in rows if r["level"] == titles[shown] and r["code"]][:CHART_TOP]
    return Analysis(
        key="geography", title=_("Geography"),
        method=_("%(unit)s by the patent's region (the first applicant's): country, then for China province, city "
                 "and district; each patent counts once per level, \"unknown\" where the level is not resolved; "
                 "shares are of the level's total (China only below country level).")
        % {"unit": unit_label(rules).capitalize()},
        columns=[Column("level", _("level")), Column("code", _("code")), Column("name", _("name")),
                 Column("count", _("patents"), "int"), Column("share", _("share (%)"), "percent")],
        rows=rows, chart=bar_chart(_("Patents by %(level)s") % {"level": titles[shown]}, values, "name", "count",
                                   unit_label(rules), "province" if shown == "city" else ""),
        drill=drill,
        notes=[_("The chart shows the top %(n)s by %(level)s.") % {"n": CHART_TOP, "level": titles[shown]}])
