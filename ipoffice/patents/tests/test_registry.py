"""Patent numbers, IPC and legal-event tables, the import service's file-level errors, patent pages."""

import datetime

import pytest

from ipoffice.core.errors import DataError
from ipoffice.entities.services import match_entity
from ipoffice.patents.classification import load_ipc, load_legal_event_codes
from ipoffice.patents.importing import import_file
from ipoffice.patents.models import Classification, IPCEntry, LegalEvent, Party, Patent
from ipoffice.patents.numbers import (
    cn_check_digit,
    normalise_ipc,
    parse_cn_application_number,
    patent_type,
)
from ipoffice.regions.models import Region


@pytest.mark.parametrize(("number", "digits", "kind"), [
    ("201010565838.7", "201010565838", "invention"),
    ("CN 201320123456.X".replace("X", cn_check_digit("201320123456")), "201320123456", "utility"),
    ("ZL201930123456" + cn_check_digit("201930123456"), "201930123456", "design"),
    ("98123456." + cn_check_digit("98123456"), "98123456", "invention"),
    ("0220" + "1234" + cn_check_digit("02201234"), "02201234", "utility"),
])
def test_cn_application_numbers(number, digits, kind):
    assert parse_cn_application_number(number) == (digits, kind)


@pytest.mark.parametrize(("number", "reason"), [
    ("201010565838.0", "check character is 0, should be 7"),
    ("20101056583", "not a CN application number"),
    ("201040565838." + cn_check_digit("201040565838"), "not a patent type digit"),
    ("199910565838." + cn_check_digit("199910565838"), "year 1999 does not fit"),
])
def test_bad_cn_application_numbers(number, reason):
    with pytest.raises(DataError, match=reason):
        parse_cn_application_number(number)


def test_check_digit_weights_and_x():
    # weights 2..9 repeating: 2*2 + 0*3 + ... ; a remainder of 10 is written X
    digits = next(d for d in (f"2015{n:08d}" for n in range(1000)) if cn_check_digit(d) == "X")
    assert sum(int(c) * (2 + i % 8) for i, c in enumerate(digits)) % 11 == 10


@pytest.mark.parametrize(("raw", "normalised"), [
    ("H04L 9/32", "H04L9/32"), ("H04L0009320000", "H04L9/32"), ("A01B  1/00 (2006.01)", "A01B1/00"),
    ("G06F", "G06F"), ("h01m 10/0525", "H01M10/0525"), ("B62D0006000000", "B62D6/00"),
])
def test_normalise_ipc(raw, normalised):
    assert normalise_ipc(raw) == normalised


def test_patent_types():
    assert [patent_type("US", k) for k in ("B2", "S1", "P2", "E1")] == ["invention", "design", "plant", "reissue"]
    assert [patent_type("CN", k) for k in ("A", "B", "U", "S")] == ["invention", "invention", "utility", "design"]


@pytest.mark.django_db
def test_ipc_table_loads_idempotently(shared_data, tmp_path):
    # the session set-up has loaded the real table already: a second load changes nothing
    counts = load_ipc(shared_data / "classification" / "ipc_2026_01_zh.csv.gz")
    assert counts["created"] == counts["updated"] == 0 and counts["unchanged"] > 77000
    assert counts["blank rows skipped"] == 9
    h04l = IPCEntry.objects.get(symbol="H04L")
    assert h04l.level == "subclass" and h04l.parent == "H04" and "数字信息的传输" in h04l.title_zh
    bad = tmp_path / "ipc.csv"
    bad.write_text("symbol,level,title_zh,parent\nX99Z,chapter,错误,\n", encoding="utf-8")
    with pytest.raises(DataError, match="record 2, field 'level': unknown level 'chapter'"):
        load_ipc(bad)
    assert not IPCEntry.objects.filter(symbol="X99Z").exists()


@pytest.mark.django_db
def test_legal_event_codes(shared_data):
    counts = load_legal_event_codes(shared_data / "legal_status" / "epo_inpadoc_legal_event_codes_CN.csv")
    assert counts["unchanged"] == 110
    from ipoffice.patents.models import LegalEventCode

    assert "ASSIGNMENT" in LegalEventCode.objects.get(office="CN", code="ASS").description


@pytest.mark.django_db
def test_unknown_format_and_missing_file_fail_clearly(tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("hello", encoding="utf-8")
    manifest = import_file(junk)
    assert manifest.status == "failed" and "format not recognised" in manifest.error
    missing = import_file(tmp_path / "absent.xml")
    assert missing.status == "failed" and "absent.xml" in missing.error
    assert Patent.objects.count() == 0


@pytest.fixture
def patent(db):
    shenzhen = Region.objects.get(code="440305")
    applicant = match_entity("深圳市大疆创新科技有限公司", "广东省深圳市南山区高新南四道18号").entity
    patent = Patent.objects.create(
        office="CN", application_number="2015100001234", application_date=datetime.date(2015, 1, 5),
        publication_number="CN104000000A", grant_number="CN104000000B", kind="B", patent_type="invention",
        title="一种无人机的云台控制方法", titles={"zh": "一种无人机的云台控制方法", "en": "Gimbal control for a UAV"},
        abstract="本发明公开了一种云台控制方法。", ipc_main="B64C39/02", legal_status="granted", region=shenzhen,
        content_hash="x")
    Party.objects.create(patent=patent, role="applicant", sequence=0, name="深圳市大疆创新科技有限公司",
                         address="广东省深圳市南山区高新南四道18号", entity=applicant, region=shenzhen,
                         region_confidence=0.95)
    Party.objects.create(patent=patent, role="inventor", sequence=0, name="汪滔")
    Classification.objects.create(patent=patent, scheme="ipc", symbol="B64C39/02", subclass="B64C", is_main=True)
    LegalEvent.objects.create(patent=patent, date=datetime.date(2015, 6, 1), code="C06", description="公开")
    LegalEvent.objects.create(patent=patent, date=datetime.date(2018, 3, 2), code="ASS", description="转让")
    return patent


def test_patent_page_links_entity_region_and_classes(client, patent):
    page = client.get(patent.get_absolute_url()).content.decode()
    assert "一种无人机的云台控制方法" in page and "Gimbal control for a UAV" in page
    assert patent.parties.get(role="applicant").entity.get_absolute_url() in page
    assert "/regions/440305/" in page
    assert "/patents/ipc/B64C39/02/" in page
    assert "SUCCESSION OR ASSIGNMENT OF PATENT RIGHT" in page, "legal events show the code's meaning"
    assert page.index("2015-06-01") < page.index("2018-03-02"), "the timeline is in date order"


def test_entity_and_region_pages_show_their_patents(client, patent):
    entity = patent.parties.get(role="applicant").entity
    entity_page = client.get(entity.get_absolute_url()).content.decode()
    assert "CN104000000B" in entity_page
    assert "CN104000000B" in client.get("/regions/440300/").content.decode(), "the city counts its districts'"
    assert "CN104000000B" not in client.get("/regions/440100/").content.decode()


def test_ipc_browser(client, patent):
    page = client.get("/patents/ipc/B64C/").content.decode()
    assert "B64C39/00" in page or "B64C" in page
    assert "CN104000000B" in page
    assert client.get("/patents/ipc/NOPE/").status_code == 404


def test_patent_api(client, patent):
    listing = client.get("/api/patents/?region=4403&type=invention&ipc=B64C").json()
    assert listing["count"] == 1
    hit = listing["results"][0]
    assert hit["applicants"] == ["深圳市大疆创新科技有限公司"] and hit["region"] == "440305"
    assert client.get("/api/patents/?region=4401").json()["count"] == 0
    applicant = patent.parties.get(role="applicant").entity_id
    assert client.get(f"/api/patents/?applicant={applicant}").json()["count"] == 1
    detail = client.get(f"/api/patents/{patent.pk}/").json()
    assert [e["code"] for e in detail["legal_events"]] == ["C06", "ASS"]
    assert detail["classifications"][0]["symbol"] == "B64C39/02"
    assert client.get("/api/patents/?filed_after=not-a-date").status_code == 400
    assert client.post("/api/patents/", {}).status_code in (401, 403, 405)


@pytest.mark.django_db
def test_like_copies_only_where_prefixes_are_asked():
    """PostgreSQL: migration 0013 drops Django's ``_like`` B-trees of the columns only looked up by equality (one
    index less each for an import to keep up) and keeps those of ``ipc_main`` and ``symbol``; back and forth, the
    indexes are those Django's own operations would give."""
    import importlib

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's _like indexes")
    tables = "'patents_patent', 'patents_citation', 'patents_legalevent', 'patents_classification', " \
             "'patents_historicalpatent'"
    query = f"SELECT indexname FROM pg_indexes WHERE tablename IN ({tables}) ORDER BY 1"
    with connection.cursor() as cursor:
        cursor.execute(query)
        now = [row[0] for row in cursor.fetchall()]
        assert [name for name in now if name.endswith("_like")] == [
            "patents_classification_symbol_a42d49ec_like", "patents_historicalpatent_ipc_main_1abc3f3c_like",
            "patents_patent_ipc_main_2fa47006_like"]
        assert {"patent_publication_number", "patent_legal_status", "citation_cited_number", "legalevent_code"} \
            <= set(now)
        migration = importlib.import_module("ipoffice.patents.migrations.0013_plain_indexes_without_like")
        apps = MigrationExecutor(connection).loader.project_state(("patents", "0013_plain_indexes_without_like")).apps
        with connection.schema_editor(atomic=False) as editor:
            migration.backward(apps, editor)
        cursor.execute(query)
        before = {row[0] for row in cursor.fetchall()}
        assert {"patents_patent_publication_number_9ac6b731", "patents_patent_publication_number_9ac6b731_like",
                "patents_legalevent_code_af04cbda_like", "patents_historicalpatent_family_id_1324b49a"} <= before
        assert not before & {"patent_publication_number", "legalevent_code"}
        with connection.schema_editor(atomic=False) as editor:
            migration.forward(apps, editor)
        cursor.execute(query)
        assert [row[0] for row in cursor.fetchall()] == now
