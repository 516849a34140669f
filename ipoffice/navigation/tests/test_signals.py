"""Signals for review on planted patterns among quiet controls: near-duplicate texts, bursts, shared addresses;
storing them again keeps the officer's review; only officers see and review them."""

import io
import json
import random
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from ipoffice.accounts.roles import ANALYST, OFFICER, assign_role
from ipoffice.navigation.filings import add_months
from ipoffice.navigation.models import Signal
from ipoffice.navigation.neardup import jaccard, near_duplicates
from ipoffice.navigation.signals import address_key, detect_signals, robust_z
from ipoffice.patents.models import Party, Patent
from ipoffice.regions.models import Region

pytestmark = pytest.mark.django_db

WORDS = ("电池 电极 隔膜 外壳 端盖 极耳 电解液 正极 负极 集流体 散热片 风扇 支架 底座 螺栓 弹簧 卡扣 导轨 "
         "滑块 电机 齿轮 传感器 控制器 芯片 天线 显示屏 按键 充电桩 插头 线缆 逆变器 "
         "变压器 无人机 机臂 螺旋桨 云台 相机 电调 起落架 "
         "连接 固定 设置 安装 转动 滑动 检测 控制 输出 输入 提高 降低 延长 减少 稳定 可靠 快速 高效 安全 环保").split()


def distinct_text(rng: random.Random) -> str:
    """Five sentences of random technical words: two of them share almost no 3-gram."""
    return "。".join("".join(rng.sample(WORDS, 12)) for _ in range(5)) + "。"


def reordered(text: str) -> str:
    sentences = [s for s in text.split("。") if s]
    return "。".join(sentences[::-1]) + "。"


def changed(text: str) -> str:
    chars = list(text)
    for at, new in ((5, "甲"), (60, "乙"), (120, "丙")):
        chars[at] = new
    return "".join(chars)


class Registry:
    def __init__(self):
        self.rng = random.Random(11)
        self.n = 0
        self.sz, self.gz = Region.objects.get(code="440305"), Region.objects.get(code="440106")

    def patent(self, day, applicants=("某公司",), *, text=None, agency="", address="", family="", kind="invention",
               region=None):
        self.n += 1
        text = text or distinct_text(self.rng)
        title, _dot, rest = text.partition("。")
        patent = Patent.objects.create(office="CN", application_number=f"2024{self.n:08d}", patent_type=kind,
                                       application_date=day, title=title, abstract=rest, family_id=family,
                                       region=region or self.sz)
        for seq, name in enumerate(applicants, 1):
            Party.objects.create(patent=patent, role="applicant", sequence=seq, name=name,
                                 address=address if seq == 1 else "", region=region or self.sz)
        if agency:
            Party.objects.create(patent=patent, role="agency", sequence=1, name=agency)
        return patent


@pytest.fixture
def planted():
    r = Registry()
    day = date(2024, 6, 10)
    sources = [r.patent(day, (f"源头公司{i}",)) for i in range(3)]
    copies = [
        r.patent(date(2024, 6, 20), ("复制公司甲",), text=f"{sources[0].title}。{sources[0].abstract}"),
        r.patent(date(2024, 7, 1), ("复制公司乙",), text=changed(f"{sources[1].title}。{sources[1].abstract}")),
        r.patent(date(2024, 8, 1), ("复制公司丙",), text=reordered(f"{sources[2].title}。{sources[2].abstract}")),
    ]
    twin_text = distinct_text(r.rng)  # 一案双申: lawful, one family
    r.patent(day, ("双申公司",), text=twin_text, family="F1")
    r.patent(day, ("双申公司",), text=twin_text, family="F1", kind="utility")
    design = distinct_text(r.rng)  # designs: the text is a formula, not compared
    r.patent(day, ("外观公司甲",), text=design, kind="design")
    r.patent(day, ("外观公司乙",), text=design, kind="design")
    for i in range(40):  # distinct texts, the quiet control
        r.patent(date(2024, 1 + i % 12, 5), (f"普通公司{i}",))
    # Bursts: 1–2 a month for a year, then 15 in 2024-06 (applicant and agency); a steady 12 a month; a small burst.
    for m in range(12):
        month = add_months(date(2023, 6, 1), m)
        for k in range(1 + m % 2):
            r.patent(month.replace(day=3 + k), ("激增科技有限公司",), agency="激增代理事务所")
        for k in range(12):
            r.patent(month.replace(day=2 + k), ("平稳制造有限公司",), agency="平稳代理事务所")
    for k in range(15):
        r.patent(date(2024, 6, 1 + k), ("激增科技有限公司",), agency="激增代理事务所")
    for k in range(12):
        r.patent(date(2024, 6, 1 + k), ("平稳制造有限公司",), agency="平稳代理事务所")
    for k in range(4):
        r.patent(date(2024, 6, 2 + k), ("小微公司",))
    # One address (three spellings), four applicants, 12 filings; controls: one applicant with 12 filings in a year
    # at its own address, three applicants with 4 filings at another.
    spellings = ["广东省深圳市南山区科技路1号A栋101室", "深圳市南山区科技路1号 A栋101室",
                 "深圳市南山区科技路１号Ａ栋101室"]
    for k in range(12):
        r.patent(date(2024, 3, 1 + k), (f"同址公司{k % 4}",), address=spellings[k % 3])
        r.patent(date(2024, 1 + k, 5), ("独门公司",), address="深圳市福田区深南大道100号")
    for k in range(4):
        r.patent(date(2024, 4, 1 + k), (f"小址公司{k % 3}",), address="广州市天河区天河路2号", region=r.gz)
    return {"sources": sources, "copies": copies}


def detect(**kw):
    return detect_signals(since=date(2024, 1, 1), until=date(2024, 12, 31), **kw)


def test_near_duplicates_find_every_planted_pair_and_no_distinct_one(planted):
    counts = detect(kinds=["near_duplicate"])
    assert counts["near_duplicate"]["found"] == 3
    clusters = {frozenset(s.patents.values_list("pk", flat=True)) for s in Signal.objects.filter(kind="near_duplicate")}
    assert clusters == {frozenset({s.pk, c.pk}) for s, c in zip(planted["sources"], planted["copies"], strict=True)}
    exact = Signal.objects.get(kind="near_duplicate", patents=planted["copies"][0])
    pair = exact.evidence["pairs"][0]
    assert pair["similarity"] == 1.0 and exact.evidence["distinct_applicants"] == 2
    assert exact.evidence["threshold"] == 0.8 and exact.evidence["span_days"] == 10
    edited = Signal.objects.get(kind="near_duplicate", patents=planted["copies"][1]).evidence["pairs"][0]
    assert 0.8 <= edited["similarity"] < 1 and {d["b"] for d in edited["differences"]} & {"甲", "乙", "丙"} == set()
    assert any("乙" in d["b"] for d in edited["differences"])


def test_minhash_candidates_agree_with_exact_jaccard():
    rng = random.Random(3)
    texts = [distinct_text(rng) for _ in range(300)]
    texts += [texts[0], changed(texts[1]), reordered(texts[2])]
    result = near_duplicates(texts, threshold=0.8)
    assert {(frozenset(c)) for c in result.clusters()} == {frozenset({0, 300}), frozenset({1, 301}),
                                                           frozenset({2, 302})}
    for i, j, similarity in result.pairs:
        assert similarity == pytest.approx(jaccard(texts[i], texts[j]), abs=1e-4)
    assert max(jaccard(texts[i], texts[i + 1]) for i in range(3, 299)) < 0.3


def test_bursts_flag_the_planted_month_only(planted):
    counts = detect(kinds=["applicant_burst", "agency_burst"])
    assert counts["applicant_burst"]["found"] == 1 and counts["agency_burst"]["found"] == 1
    signal = Signal.objects.get(kind="applicant_burst")
    assert (signal.subject, signal.period, signal.patents.count()) == ("激增科技有限公司", "2024-06", 15)
    ev = signal.evidence
    assert ev["filings"] == 15 and ev["median"] == 1.5 and ev["mad"] == 1.0 and ev["min_count"] == 10
    assert len(ev["series"]) == 13 and ev["series"][-1] == {"month": "2024-06", "filings": 15}
    assert signal.score == pytest.approx(0.6745 * 13.5, abs=0.01) and signal.region.code == "440305"
    assert Signal.objects.get(kind="agency_burst").subject == "激增代理事务所"


def test_robust_z():
    assert robust_z(12, [2] * 12) == (2, 1.0, pytest.approx(6.745))
    assert robust_z(10, [4, 6, 8, 10, 12]) == (8, 2, pytest.approx(0.6745))


def test_shared_address_across_spellings(planted):
    assert address_key("广东省深圳市南山区科技路1号A栋101室") == address_key("深圳市南山区科技路１号 Ａ栋101室")
    counts = detect(kinds=["shared_address"])
    assert counts["shared_address"]["found"] == 1
    signal = Signal.objects.get(kind="shared_address")
    assert signal.period == "2024" and signal.patents.count() == 12 and signal.evidence["filings"] == 12
    assert sorted(a["filings"] for a in signal.evidence["applicants"]) == [3, 3, 3, 3]


def test_detecting_again_keeps_the_review(planted):
    first = detect()
    assert sum(c["created"] for c in first.values()) == 6
    officer = get_user_model().objects.create_user("o1")
    signal = Signal.objects.get(kind="shared_address")
    from ipoffice.navigation.signals import review_signal

    review_signal(signal, user=officer, status="dismissed", note="a business incubator: many firms, one address")
    again = detect()
    assert all(c["created"] == 0 and c["updated"] == 0 and c["unchanged"] == c["found"] for c in again.values())
    signal.refresh_from_db()
    assert (signal.status, signal.reviewed_by) == ("dismissed", officer)
    Patent.objects.filter(pk__in=signal.patents.values("pk")[:1]).delete()  # the evidence changes
    assert detect(kinds=["shared_address"])["shared_address"]["updated"] == 1
    signal.refresh_from_db()
    assert signal.status == "dismissed" and signal.evidence["filings"] == 11
    assert signal.history.filter(status="dismissed", history_user=officer).exists()


def test_pages_and_api_are_for_officers(client, planted):
    detect()
    signal = Signal.objects.get(kind="near_duplicate", patents=planted["copies"][1])
    burst = Signal.objects.get(kind="applicant_burst")
    for url in ("/navigation/signals/", f"/navigation/signals/{signal.pk}/", "/api/navigation/signals/"):
        assert client.get(url).status_code in (401, 403)
    analyst, officer = (get_user_model().objects.create_user(n) for n in ("a1", "o1"))
    assign_role(analyst, ANALYST)
    assign_role(officer, OFFICER)
    client.force_login(analyst)
    assert client.get("/navigation/signals/").status_code == 403
    assert client.get("/api/navigation/signals/").status_code == 403
    client.force_login(officer)
    listing = client.get("/navigation/signals/", {"kind": "near_duplicate", "status": "open"})
    assert listing.status_code == 200 and len(listing.context["page"]) == 3
    detail = client.get(f"/navigation/signals/{signal.pk}/").content.decode()
    assert "<mark>" in detail and "供核查使用" in detail  # the notice: evidence for review, not a finding
    assert "<svg" in client.get(f"/navigation/signals/{burst.pk}/").content.decode()
    response = client.post(f"/navigation/signals/{signal.pk}/", {"status": "referred", "note": ""})
    assert response.status_code == 200 and Signal.objects.get(pk=signal.pk).status == "open"
    response = client.post(f"/navigation/signals/{signal.pk}/", {"status": "referred", "note": "same text, two firms"})
    assert response.status_code == 302 and Signal.objects.get(pk=signal.pk).status == "referred"

    api = client.get("/api/navigation/signals/", {"kind": "applicant_burst", "region": "4403"}).json()
    assert api["count"] == 1 and api["results"][0]["subject"] == "激增科技有限公司"
    assert client.get("/api/navigation/signals/", {"region": "深圳"}).status_code == 400
    assert "evidence" in client.get(f"/api/navigation/signals/{burst.pk}/").json()
    bad = client.post(f"/api/navigation/signals/{burst.pk}/review/", {"status": "guilty"})
    assert bad.status_code == 400
    assert client.post(f"/api/navigation/signals/{burst.pk}/review/", {"status": "referred"}).status_code == 400
    done = client.post(f"/api/navigation/signals/{burst.pk}/review/", {"status": "dismissed", "note": "trade fair"})
    assert done.status_code == 200 and done.json()["status"] == "dismissed"


def test_cli_detects_and_lists(planted):
    out = io.StringIO()
    call_command("navigation", "signals", "--since", "2024-01-01", "--until", "2024-12-31", "--kinds",
                 "near_duplicate,applicant_burst", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["counts"]["near_duplicate"]["found"] == 3 and set(data["counts"]) == {"near_duplicate",
                                                                                    "applicant_burst"}
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="unknown signal kind"):
        call_command("navigation", "signals", "--kinds", "gossip")
    with pytest.raises(CommandError, match="not a date"):
        call_command("navigation", "signals", "--since", "yesterday")
