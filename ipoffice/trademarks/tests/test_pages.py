"""Pages and API of the register: search, a mark, the clearance report (HTML and PDF), the 区分表 pages,
statistics, watch alerts, the entity page's section."""

from io import BytesIO

import pytest
from django.core.cache import cache
from pypdf import PdfReader
from rest_framework.test import APIClient

from ipoffice.core.testing.browser import require_chinese_font
from ipoffice.trademarks.importing import import_file
from ipoffice.trademarks.models import Trademark

from .test_clearance import register, row  # noqa: F401  (fixture and helper)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_throttle():
    cache.clear()
    yield
    cache.clear()


def test_search_and_detail_pages(client, register):  # noqa: F811
    page = client.get("/trademarks/", {"q": "美乐", "class": "25"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "80000001" in html and "80000003" not in html  # class 20
    assert client.get("/trademarks/", {"owner": "健达"}).content.decode().count("80000002") >= 1
    assert "80000004" in client.get("/trademarks/", {"q": "meilekang"}).content.decode()
    assert client.get("/trademarks/", {"class": "99"}).status_code == 200  # a message, not an error

    mark = Trademark.objects.get(application_number="80000001")
    detail = client.get(mark.get_absolute_url())
    assert detail.status_code == 200
    html = detail.content.decode()
    for text in ("美乐康", "2019-10-06", "2020-01-07", "2030-01-06", "250045", "广州美乐康服饰有限公司"):
        assert text in html, text
    reason = client.get(mark.get_absolute_url(), {"q": "美乐健", "classes": "25"}).content.decode()
    assert 'id="similarity-reason"' in reason and "TM-R3" in reason
    assert client.get("/trademarks/CN/00000000/").status_code == 404


def test_clearance_report_html(client, register):  # noqa: F811
    page = client.get("/trademarks/clear/", {"q": "美乐康", "classes": "25"})
    html = page.content.decode()
    assert page.status_code == 200 and 'id="clearance-hits"' in html and "仅供参考" in html
    assert html.index("80000001") < html.index("80000003")
    assert "/trademarks/CN/80000001/?q=" in html
    assert "not a Nice class" in client.get("/trademarks/clear/", {"q": "美乐", "classes": "50"}).content.decode()


def test_clearance_report_pdf(client, register):  # noqa: F811
    require_chinese_font()
    pdf = client.get("/trademarks/clear/", {"q": "美乐康", "classes": "25", "format": "pdf"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf.content)).pages)
    assert "美乐康" in text and "80000001" in text


def test_statistics_and_watch_pages(client, register, django_user_model):  # noqa: F811
    assert client.get("/trademarks/statistics/", {"year": "2020"}).status_code == 200
    assert client.get("/trademarks/watches/").status_code == 302  # log in first
    from ipoffice.accounts.roles import OFFICER, assign_role

    officer = django_user_model.objects.create_user("tm-officer", password="x-Officer-pw-1")
    assign_role(officer, OFFICER)
    client.force_login(officer)
    assert client.get("/trademarks/watches/").status_code == 200


def test_entity_page_shows_its_marks(client, register):  # noqa: F811
    mark = Trademark.objects.get(application_number="80000001")
    entity = mark.parties.get(role="owner").entity
    html = client.get(entity.get_absolute_url()).content.decode()
    assert "美乐康" in html and mark.get_absolute_url() in html


def test_classification_pages_without_a_table(client):
    assert client.get("/trademarks/classification/").status_code == 200
    assert client.get("/trademarks/classification/NCL99-2099/").status_code == 404
    assert client.get("/trademarks/goods/", {"q": "服装"}).status_code == 200


def test_api_list_filters_detail_and_clearance(register):  # noqa: F811
    api = APIClient()
    listing = api.get("/api/trademarks/", {"nice_class": 25, "q": "美乐"}).json()
    numbers = {m["application_number"] for m in listing["results"]}
    assert {"80000001", "80000002"} <= numbers and "80000003" not in numbers
    assert api.get("/api/trademarks/", {"region": "440300", "q": "美乐"}).json()["count"] == 1
    mark = Trademark.objects.get(application_number="80000001")
    detail = api.get(f"/api/trademarks/{mark.pk}/").json()
    assert detail["goods"][0]["item_code"] == "250045" and detail["clocks"]["term_end"] == "2030-01-06"
    assert detail["parties"][0]["role"] == "owner"
    cleared = api.get("/api/trademarks/clear/", {"q": "美乐康", "classes": "25", "limit": 5})
    assert cleared.status_code == 200
    data = cleared.json()
    assert data["hits"][0]["number"] == "80000001" and "仅供参考" in data["notice"]
    assert api.get("/api/trademarks/clear/", {"q": ""}).status_code == 400
    assert api.get("/api/trademarks/clear/", {"q": "美乐", "classes": "0"}).status_code == 400
    assert api.get("/api/trademarks/", {"nice_class": 77}).status_code == 400


def test_foreign_marks_in_pages(client, trademark_data):
    import_file(trademark_data / "uspto_tsdr_ST66_sn76044902_PYTHON.xml")
    mark = Trademark.objects.get(application_number="76044902")
    html = client.get(mark.get_absolute_url()).content.decode()
    assert "PYTHON SOFTWARE FOUNDATION" in html and "C15A" in html
