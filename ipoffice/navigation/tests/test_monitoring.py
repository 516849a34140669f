"""Monitoring and early warning: coverage of each kind of watch list, alerts raised once and only once at the
window's edges, expiring core patents by type (incl. the 2021-06-01 design rule), mail digests, feeds, and owner
scoping in the pages and the API. The corpus is a handful of hand-made patents."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from ipoffice.accounts.roles import ENTERPRISE, OFFICER, assign_role
from ipoffice.entities.models import Entity
from ipoffice.entities.services import merge_entities
from ipoffice.patents.models import Citation, Classification, LegalEvent, Party, Patent
from ipoffice.patents.search import index_patents

from ..models import Alert, WatchList
from ..monitoring import (
    check_and_notify,
    check_watch_list,
    expiry_date,
    parse_ipc_prefixes,
    send_alert_mail,
    watched_patent_ids,
)

SINCE, UNTIL = date(2024, 3, 31), date(2024, 6, 30)  # the window is (SINCE, UNTIL]
SITE = "https://ip.example.cn"


def make_patent(number, *, title, ptype="invention", filed=date(2022, 1, 10), published=date(2023, 7, 1),
                status="pending", ipc="G06F17/00", applicant=None, claims=None, cited=0, events=()):
    patent = Patent.objects.create(
        office="CN", application_number=f"CN2022{number:08d}", application_date=filed,
        publication_number=f"CN{number}A", publication_date=published, patent_type=ptype, title=title,
        legal_status=status, ipc_main=ipc, claims_count=claims)
    Classification.objects.create(patent=patent, scheme="ipc", symbol=ipc, subclass=ipc[:4], is_main=True)
    if applicant:
        Party.objects.create(patent=patent, role="applicant", sequence=0, name=applicant.name, entity=applicant)
    for day, code in events:
        LegalEvent.objects.create(patent=patent, date=day, code=code, description=f"事件 {code}")
    if cited:
        citing = Patent.objects.create(office="CN", application_number=f"CN2023{number:08d}", title="引用",
                                       patent_type="invention", publication_date=date(2023, 1, 1))
        Citation.objects.bulk_create(Citation(patent=citing, sequence=i, cited_number=patent.publication_number)
                                     for i in range(cited))
    return patent


@pytest.fixture
def corpus(db):
    a, b, e = (Entity.objects.create(name=name) for name in ("甲电池科技有限公司", "乙汽车有限公司", "丙老牌公司"))
    p = {
        "new": make_patent(1001, title="一种锂电池电极", published=date(2024, 4, 15), ipc="H01M10/0525",
                           applicant=a),
        "edge_pub": make_patent(1002, title="一种锂电池隔膜", published=UNTIL, ipc="H01M50/40", applicant=a),
        "old_pub": make_patent(1003, title="一种锂电池外壳", published=SINCE, ipc="H01M50/10", applicant=a),
        "events": make_patent(1004, title="一种充电桩", published=date(2020, 1, 1), ipc="B60L53/10",
                              status="granted", applicant=b,
                              events=[(date(2024, 5, 10), "GR01"), (UNTIL, "TR01"), (SINCE, "EE01"),
                                      (date(2024, 7, 1), "PE01"), (date(2024, 5, 11), "C06")]),
        "more_events": make_patent(1005, title="一种车用电机", published=date(2019, 1, 1), ipc="B60L5/00",
                                   status="granted", applicant=b,
                                   events=[(date(2024, 4, 1), "CF01"), (date(2024, 4, 2), "IW01"),
                                           (date(2024, 6, 1), "PE01"), (date(2024, 6, 2), "EE01")]),
        # expiry within 6 months of UNTIL (horizon 2024-12-30); "core" needs a score of 60 or more
        "inv_core": make_patent(2001, title="核心发明", filed=date(2004, 9, 15), published=date(2005, 3, 1),
                                status="granted", applicant=e, claims=20, cited=10),
        "inv_plain": make_patent(2002, title="普通发明", filed=date(2004, 9, 20), published=date(2005, 3, 1),
                                 status="granted", applicant=e),
        "inv_lapsed": make_patent(2003, title="失效发明", filed=date(2004, 9, 25), published=date(2005, 3, 1),
                                  status="lapsed", applicant=e, claims=20, cited=10),
        "util_core": make_patent(2004, title="核心实用新型", ptype="utility", filed=date(2014, 8, 1),
                                 published=date(2015, 1, 1), status="granted", applicant=e, claims=20, cited=10),
        "util_later": make_patent(2005, title="晚到期实用新型", ptype="utility", filed=date(2015, 8, 1),
                                  published=date(2016, 1, 1), status="granted", applicant=e, claims=20, cited=10),
        "design_core": make_patent(2006, title="核心外观设计", ptype="design", filed=date(2014, 9, 1),
                                   published=date(2015, 1, 1), status="granted", applicant=e, claims=20, cited=10),
    }
    index_patents([x.pk for x in p.values()])
    return {"a": a, "b": b, "e": e, "p": p}


@pytest.fixture
def owner(django_user_model):
    user = django_user_model.objects.create_user("watcher", email="watcher@example.cn", password="pw-watch-1")
    assign_role(user, ENTERPRISE)
    return django_user_model.objects.get(pk=user.pk)


@pytest.fixture
def other(django_user_model):
    user = django_user_model.objects.create_user("rival", email="rival@example.cn", password="pw-rival-1")
    assign_role(user, ENTERPRISE)
    return django_user_model.objects.get(pk=user.pk)


def watch(owner, kind, *, entities=(), checked_until=SINCE, **fields):
    watch_list = WatchList.objects.create(owner=owner, name=f"{kind} list", kind=kind, checked_until=checked_until,
                                          **fields)
    watch_list.entities.set(entities)
    return watch_list


def keys(alerts):
    return {(a.patent.title, a.kind, a.date) for a in alerts}


# ---------------------------------------------------------------------------------------------------- coverage


def test_coverage_of_query_competitors_portfolio_and_ipc(corpus, owner):
    p = corpus["p"]
    assert watched_patent_ids(watch(owner, "query", query="title:锂电池")) == {
        p["new"].pk, p["edge_pub"].pk, p["old_pub"].pk}
    assert watched_patent_ids(watch(owner, "competitors", entities=[corpus["b"]])) == {
        p["events"].pk, p["more_events"].pk}
    assert watched_patent_ids(watch(owner, "portfolio", entities=[corpus["a"]])) == {
        p["new"].pk, p["edge_pub"].pk, p["old_pub"].pk}
    assert watched_patent_ids(watch(owner, "ipc", ipc_prefixes="H01M10, B60L53")) == {p["new"].pk, p["events"].pk}
    # a main group without its slash is that group: B60L5 is not B60L53
    assert watched_patent_ids(watch(owner, "ipc", ipc_prefixes="B60L5")) == {p["more_events"].pk}
    assert watched_patent_ids(watch(owner, "ipc", ipc_prefixes="h01m50/")) == {p["edge_pub"].pk, p["old_pub"].pk}


def test_ipc_prefixes_are_read_and_checked():
    assert parse_ipc_prefixes("H01M, b60l 53/；G06F17/00*\nH") == ["H01M", "B60L53/", "G06F17/00", "H"]
    with pytest.raises(ValueError, match="XYZ"):
        parse_ipc_prefixes("H01M, XYZ")


def test_competitors_follow_entity_merges(corpus, owner):
    p, b = corpus["p"], corpus["b"]
    watch_list = watch(owner, "competitors", entities=[b])
    branch = Entity.objects.create(name="乙汽车深圳分公司")
    extra = make_patent(1006, title="一种电控", published=date(2024, 5, 1), applicant=branch)
    merge_entities(branch, b, reason="same company")  # the branch's patents move to the watched entity
    assert extra.pk in watched_patent_ids(watch_list)
    survivor = Entity.objects.create(name="乙集团有限公司")
    merge_entities(b, survivor, reason="renamed")  # the watched entity merged away: the list follows it
    assert list(watch_list.entities.all()) == [survivor]
    assert watched_patent_ids(watch_list) == {p["events"].pk, p["more_events"].pk, extra.pk}


# ---------------------------------------------------------------------------------------------------- alerts


def test_each_kind_of_event_raised_once_within_the_window(corpus, owner):
    watch_list = watch(owner, "competitors", entities=[corpus["b"]])
    alerts = check_watch_list(watch_list, until=UNTIL)
    assert keys(alerts) == {
        ("一种充电桩", "grant", date(2024, 5, 10)),
        ("一种充电桩", "transfer", UNTIL),  # the window's last day is in; SINCE (EE01) and after UNTIL are out
        ("一种车用电机", "lapse", date(2024, 4, 1)),
        ("一种车用电机", "invalidation", date(2024, 4, 2)),
        ("一种车用电机", "pledge", date(2024, 6, 1)),
        ("一种车用电机", "licence", date(2024, 6, 2)),
    }
    assert watch_list.checked_until == UNTIL
    assert check_watch_list(watch_list, until=UNTIL) == []
    watch_list.checked_until = SINCE  # even a re-run of the same window raises nothing new
    assert check_watch_list(watch_list, until=UNTIL) == []
    assert keys(check_watch_list(watch_list, until=date(2024, 7, 31))) == {("一种充电桩", "pledge", date(2024, 7, 1))}
    assert Alert.objects.filter(watch_list=watch_list).count() == 7


def test_publications_in_the_window_and_chosen_kinds_only(corpus, owner):
    watch_list = watch(owner, "portfolio", entities=[corpus["a"]], events=["publication"])
    assert keys(check_watch_list(watch_list, until=UNTIL)) == {
        ("一种锂电池电极", "publication", date(2024, 4, 15)), ("一种锂电池隔膜", "publication", UNTIL)}
    assert check_watch_list(watch_list, until=UNTIL) == []
    only_grants = watch(owner, "competitors", entities=[corpus["b"]], events=["grant"])
    assert keys(check_watch_list(only_grants, until=UNTIL)) == {("一种充电桩", "grant", date(2024, 5, 10))}


def test_first_check_looks_back_a_window_not_the_whole_history(corpus, owner):
    fresh = watch(owner, "competitors", entities=[corpus["b"]], checked_until=None, events=["grant", "pledge"])
    # 30 days back from 2024-06-30: the grant of 2024-05-10 is older; the pledge of 2024-06-01 is in
    alerts = check_watch_list(fresh, until=UNTIL, lookback_days=30)
    assert keys(alerts) == {("一种车用电机", "pledge", date(2024, 6, 1))}
    assert fresh.checked_until == UNTIL


def test_expiry_dates_by_type_and_the_2021_design_rule():
    assert expiry_date("invention", date(2004, 9, 15)) == date(2024, 9, 14)
    assert expiry_date("utility", date(2014, 8, 1)) == date(2024, 7, 31)
    assert expiry_date("design", date(2021, 5, 31)) == date(2031, 5, 30)
    assert expiry_date("design", date(2021, 6, 1)) == date(2036, 5, 31)
    assert expiry_date("invention", date(2004, 2, 29)) == date(2024, 2, 28)
    assert expiry_date("utility", date(2016, 2, 29)) == date(2026, 2, 28)
    assert expiry_date("invention", None) is None and expiry_date("plant", date(2020, 1, 1)) is None


def test_core_patents_about_to_expire(corpus, owner):
    watch_list = watch(owner, "competitors", entities=[corpus["e"]], expiry_months=6)
    alerts = check_watch_list(watch_list, until=UNTIL)
    # not: the low-scoring invention, the lapsed one, the utility model expiring in 2025-07
    assert keys(alerts) == {("核心发明", "expiry", date(2024, 9, 14)), ("核心实用新型", "expiry", date(2024, 7, 31)),
                            ("核心外观设计", "expiry", date(2024, 8, 31))}
    assert check_watch_list(watch_list, until=date(2024, 7, 15)) == []
    assert keys(check_watch_list(watch_list, until=date(2025, 3, 1))) == {
        ("晚到期实用新型", "expiry", date(2025, 7, 31))}


def test_designs_filed_from_2021_06_01_have_15_years(db, owner):
    holder = Entity.objects.create(name="丁设计公司")
    for number, filed in ((3001, date(2021, 5, 31)), (3002, date(2021, 6, 1))):
        make_patent(number, title=f"外观设计 {filed}", ptype="design", filed=filed, published=date(2021, 12, 1),
                    status="granted", applicant=holder, claims=20, cited=10)
    watch_list = watch(owner, "portfolio", entities=[holder], events=["expiry"])
    assert keys(check_watch_list(watch_list, until=date(2031, 3, 1))) == {
        ("外观设计 2021-05-31", "expiry", date(2031, 5, 30))}
    assert keys(check_watch_list(watch_list, until=date(2036, 3, 1))) == {
        ("外观设计 2021-06-01", "expiry", date(2036, 5, 31))}


# ---------------------------------------------------------------------------------------------------- mail


@override_settings(IPOFFICE_SITE_URL=SITE)
def test_mail_digest_once_per_run_and_never_twice(corpus, owner):
    watch_list = watch(owner, "competitors", entities=[corpus["b"]], email=True)
    alerts = check_and_notify(watch_list, until=UNTIL)
    assert len(alerts) == 6 and len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["watcher@example.cn"]
    assert "专利预警" in message.subject and "Patent alerts" in message.subject and watch_list.name in message.subject
    assert "6 条新提醒" in message.body and "6 new alerts" in message.body
    assert "一种充电桩" in message.body and "TR01" in message.body
    assert f"{SITE}{corpus['p']['events'].get_absolute_url()}" in message.body
    assert f"{SITE}{reverse('navigation:watch', args=[watch_list.pk])}" in message.body
    assert not Alert.objects.filter(watch_list=watch_list, emailed_at__isnull=True).exists()
    check_and_notify(watch_list, until=UNTIL)  # nothing new: no mail
    assert send_alert_mail(watch_list, watch_list.alerts.all()) == 0
    assert len(mail.outbox) == 1
    check_and_notify(watch_list, until=date(2024, 7, 31))  # one new alert: a digest of that one only
    assert len(mail.outbox) == 2 and "1 条新提醒" in mail.outbox[1].subject and "PE01" in mail.outbox[1].body


def test_no_mail_without_the_flag_or_an_address(corpus, owner):
    check_and_notify(watch(owner, "competitors", entities=[corpus["b"]]), until=UNTIL)
    owner.email = ""
    owner.save()
    check_and_notify(watch(owner, "portfolio", entities=[corpus["a"]], email=True), until=UNTIL)
    assert mail.outbox == []


# ---------------------------------------------------------------------------------------------------- feeds


def test_rss_and_json_feeds_by_token(client, corpus, owner):
    watch_list = watch(owner, "competitors", entities=[corpus["b"]])
    check_watch_list(watch_list, until=UNTIL)
    rss = client.get(reverse("navigation:watch-rss", args=[watch_list.feed_token]))
    assert rss.status_code == 200 and rss["Content-Type"].startswith("application/rss+xml")
    text = rss.content.decode()
    assert text.count("<item>") == 6 and "一种充电桩" in text and "<category>transfer</category>" in text
    assert corpus["p"]["events"].get_absolute_url() in text
    feed = client.get(reverse("navigation:watch-json", args=[watch_list.feed_token]))
    assert feed.status_code == 200 and feed["Content-Type"].startswith("application/feed+json")
    data = json.loads(feed.content)
    assert data["version"] == "https://jsonfeed.org/version/1.1" and watch_list.name in data["title"]
    assert len(data["items"]) == 6 and len({item["id"] for item in data["items"]}) == 6
    assert {item["_ipoffice"]["kind"] for item in data["items"]} == {
        "grant", "transfer", "lapse", "invalidation", "pledge", "licence"}
    assert all(item["url"].startswith("http") for item in data["items"])
    for name in ("watch-rss", "watch-json"):
        assert client.get(reverse(f"navigation:{name}", args=["not-the-token"])).status_code == 404


# ---------------------------------------------------------------------------------------------------- pages


def test_pages_show_only_the_owners_lists(client, corpus, owner, other):
    mine = watch(owner, "competitors", entities=[corpus["b"]])
    check_watch_list(mine, until=UNTIL)
    theirs = watch(other, "query", query="title:锂电池")
    assert client.get(reverse("navigation:watch-lists")).status_code == 302  # login first
    client.force_login(owner)
    page = client.get(reverse("navigation:watch-lists")).content.decode()
    assert mine.name in page and reverse("navigation:watch", args=[theirs.pk]) not in page
    detail = client.get(reverse("navigation:watch", args=[mine.pk]))
    assert detail.status_code == 200 and "一种充电桩" in detail.content.decode()
    assert mine.feed_token in detail.content.decode()
    filtered = client.get(reverse("navigation:watch", args=[mine.pk]), {"kind": "pledge"}).content.decode()
    assert "一种车用电机" in filtered and "一种充电桩" not in filtered
    for name in ("watch", "watch-edit"):
        assert client.get(reverse(f"navigation:{name}", args=[theirs.pk])).status_code == 404
    for name in ("watch-check", "watch-read", "watch-delete"):
        assert client.post(reverse(f"navigation:{name}", args=[theirs.pk])).status_code == 404
    assert WatchList.objects.filter(pk=theirs.pk).exists()


def test_create_edit_check_and_mark_read_in_the_pages(client, corpus, owner):
    client.force_login(owner)
    assert reverse("navigation:watch-lists") in client.get(reverse("my-account")).content.decode()
    url = reverse("navigation:watch-new")
    assert 'id="id_kind"' in client.get(url).content.decode()
    bad = client.post(url, {"name": "坏查询", "kind": "query", "query": "title:(电池", "expiry_months": 6})
    assert bad.status_code == 200 and "无法解析检索式" in bad.content.decode()
    found = client.post(url, {"name": "对手", "kind": "competitors", "find": "乙汽车", "search": "1",
                              "expiry_months": 6})
    assert found.status_code == 200 and f'value="{corpus["b"].pk}"' in found.content.decode()
    assert not WatchList.objects.exists()
    empty = client.post(url, {"name": "对手", "kind": "competitors", "expiry_months": 6})
    assert "请至少选择一个主体" in empty.content.decode()
    saved = client.post(url, {"name": "对手", "kind": "competitors", "entities": [corpus["b"].pk],
                              "events": ["grant", "transfer"], "expiry_months": 6})
    watch_list = WatchList.objects.get(owner=owner)
    assert saved.status_code == 302 and watch_list.events == ["grant", "transfer"]
    assert list(watch_list.entities.all()) == [corpus["b"]]
    edit = client.post(reverse("navigation:watch-edit", args=[watch_list.pk]),
                       {"name": "对手 2", "kind": "ipc", "ipc_prefixes": "B60L53", "expiry_months": 3})
    assert edit.status_code == 302
    watch_list.refresh_from_db()
    assert (watch_list.name, watch_list.ipc_prefixes, watch_list.events) == ("对手 2", "B60L53", [])
    WatchList.objects.filter(pk=watch_list.pk).update(checked_until=SINCE)
    client.post(reverse("navigation:watch-check", args=[watch_list.pk]))  # up to today
    assert {a.kind for a in watch_list.alerts.all()} == {"grant", "transfer", "pledge"}  # of the charging pile
    first = watch_list.alerts.first()
    client.post(reverse("navigation:watch-read", args=[watch_list.pk]), {"alert": [first.pk]})
    assert list(watch_list.alerts.filter(read=True)) == [first]
    client.post(reverse("navigation:watch-read", args=[watch_list.pk]))
    assert not watch_list.alerts.filter(read=False).exists()


def test_roles_without_watch_lists_are_refused(client, django_user_model):
    user = django_user_model.objects.create_user("officer", password="pw-officer-1")
    assign_role(user, OFFICER)
    client.force_login(user)
    assert client.get(reverse("navigation:watch-lists")).status_code == 403


# ---------------------------------------------------------------------------------------------------- API


def test_api_crud_is_owner_scoped_and_checks_input(client, corpus, owner, other):
    theirs = watch(other, "query", query="title:锂电池")
    base = "/api/navigation/watch-lists/"
    assert client.get(base).status_code in (401, 403)
    client.force_login(owner)
    bad = client.post(base, {"name": "x", "kind": "query", "query": "title:(电池"}, content_type="application/json")
    assert bad.status_code == 400 and "无法解析检索式" in bad.json()["query"][0]
    bad_ipc = client.post(base, {"name": "x", "kind": "ipc", "ipc_prefixes": "Q99"}, content_type="application/json")
    assert bad_ipc.status_code == 400 and "Q99" in bad_ipc.json()["ipc_prefixes"][0]
    bad_event = client.post(base, {"name": "x", "kind": "query", "query": "电池", "events": ["rumour"]},
                            content_type="application/json")
    assert bad_event.status_code == 400 and "events" in bad_event.json()
    created = client.post(base, {"name": "乙", "kind": "competitors", "entities": [corpus["b"].pk]},
                          content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert WatchList.objects.get(pk=pk).owner == owner and created.json()["feed_token"]
    assert [w["id"] for w in client.get(base).json()["results"]] == [pk]
    for method in ("get", "patch", "delete"):
        assert getattr(client, method)(f"{base}{theirs.pk}/", content_type="application/json").status_code == 404
    cleared = client.patch(f"{base}{pk}/", {"entities": []}, content_type="application/json")
    assert cleared.status_code == 400 and "entities" in cleared.json()
    renamed = client.patch(f"{base}{pk}/", {"name": "乙汽车"}, content_type="application/json")
    assert renamed.status_code == 200 and renamed.json()["name"] == "乙汽车"


def test_api_alerts_filter_and_mark_read(client, corpus, owner, other):
    mine = watch(owner, "competitors", entities=[corpus["b"]])
    theirs = watch(other, "competitors", entities=[corpus["b"]])
    check_watch_list(mine, until=UNTIL)
    check_watch_list(theirs, until=UNTIL)
    client.force_login(owner)
    base = "/api/navigation/alerts/"
    listed = client.get(base).json()
    assert listed["count"] == 6 and {a["watch_list"] for a in listed["results"]} == {mine.pk}
    pledges = client.get(base, {"kind": "pledge", "watch_list": mine.pk}).json()["results"]
    assert [(a["kind"], a["patent_number"]) for a in pledges] == [("pledge", "CN1005A")]
    assert client.get(base, {"watch_list": theirs.pk}).status_code == 400
    assert client.get(base, {"kind": "rumour"}).status_code == 400
    alert = theirs.alerts.first()
    assert client.patch(f"{base}{alert.pk}/", {"read": True}, content_type="application/json").status_code == 404
    own = mine.alerts.get(kind="grant")
    patched = client.patch(f"{base}{own.pk}/", {"read": True, "kind": "lapse"}, content_type="application/json")
    assert patched.status_code == 200 and patched.json()["read"] is True and patched.json()["kind"] == "grant"
    marked = client.post(f"{base}mark-read/?kind=licence", {}, content_type="application/json").json()
    assert marked == {"marked": 1}
    assert client.post(f"{base}mark-read/", {"ids": ["x"]}, content_type="application/json").status_code == 400
    assert client.post(f"{base}mark-read/", {"ids": [alert.pk]}, content_type="application/json").json() == {
        "marked": 0}
    assert client.get(base, {"read": "false"}).json()["count"] == 4
    assert not theirs.alerts.filter(read=True).exists()


# ---------------------------------------------------------------------------------------------------- CLI


def test_cli_checks_every_list(corpus, owner):
    watch(owner, "competitors", entities=[corpus["b"]], email=True)
    out = StringIO()
    call_command("navigation", "watch", "--until", UNTIL.isoformat(), "--no-mail", stdout=out)
    assert "competitors list (watcher): 6 new alerts" in out.getvalue() and "TR01" in out.getvalue()
    assert mail.outbox == []
    out = StringIO()
    call_command("navigation", "watch", "--until", UNTIL.isoformat(), stdout=out)
    assert "0 new alerts" in out.getvalue() and len(mail.outbox) == 1  # the earlier alerts, mailed once
    with pytest.raises(CommandError, match="not a date"):
        call_command("navigation", "watch", "--until", "30/06/2024")
