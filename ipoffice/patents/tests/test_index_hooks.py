"""The search index follows edits made through the ORM (admin, edit pages, scripts), and the importer, which
indexes each batch itself, does not index twice. Runs on the active backend (SQLite, or PostgreSQL)."""

import csv
import io
from datetime import date
from operator import attrgetter

import pytest

from ipoffice.patents import generator
from ipoffice.patents.importing import import_file, import_paths
from ipoffice.patents.models import Classification, Party, Patent
from ipoffice.patents.search import backends
from ipoffice.patents.search.services import search_patents
from ipoffice.regions.models import Region


def ids(query: str) -> set[int]:
    return {h.id for h in search_patents(query, facets=False, page_size=100).hits}


@pytest.fixture
def patent(db):
    patent = Patent.objects.create(office="CN", application_number="2021100000011", title="一种锂电池隔膜",
                                   patent_type="invention", kind="A", application_date=date(2021, 3, 1),
                                   content_hash="hook-test")
    Party.objects.create(patent=patent, role="applicant", sequence=0, name="深圳市星河动力电池有限公司")
    Classification.objects.create(patent=patent, scheme="ipc", symbol="H01M50/40", subclass="H01M", is_main=True)
    return patent


def test_a_patent_created_through_the_orm_is_found(patent):
    assert ids("隔膜") == {patent.pk}
    assert ids("applicant:星河动力") == {patent.pk}


def test_a_changed_title_is_indexed(patent):
    patent.title = "一种无人机旋翼"
    patent.save()
    assert ids("旋翼") == {patent.pk}
    assert ids("隔膜") == set()


def test_parties_added_renamed_and_removed(patent):
    inventor = Party.objects.create(patent=patent, role="inventor", sequence=0, name="欧阳明远")
    assert ids("inventor:欧阳明远") == {patent.pk}
    applicant = patent.parties.get(role="applicant")
    applicant.name = "广州市云帆科技有限公司"
    applicant.save()
    assert ids("applicant:云帆") == {patent.pk}
    assert ids("applicant:星河动力") == set()
    inventor.delete()
    assert ids("inventor:欧阳明远") == set()


def test_changed_filters_are_indexed(patent, monkeypatch):
    """Status, type, filing year and division are also in the index (beside words): a change is re-indexed."""
    monkeypatch.setattr(backends, "FILTERS_IN_INDEX_FROM", 0)  # the filters beside any word from the index
    assert ids("隔膜 AND status:granted") == set()
    patent.legal_status, patent.patent_type, patent.application_date = "granted", "utility", date(2019, 5, 1)
    patent.region = Region.objects.get(code="440305")
    patent.save()
    assert ids("隔膜 AND status:granted AND type:utility AND year:2019 AND city:4403 AND district:440305") == {
        patent.pk}
    assert ids("隔膜 AND (year:2020..2022 OR city:4401)") == set()
    patent.region = None
    patent.save()
    assert ids("隔膜 AND city:4403") == set()


def test_a_changed_classification_is_searched_at_once(patent):
    Classification.objects.filter(patent=patent).update(symbol="B64C27/08", subclass="B64C")
    assert ids("ipc:B64C*") == {patent.pk}
    assert ids("ipc:H01M*") == set()


def test_a_deleted_patent_leaves_the_index(patent):
    count = backends.get_backend().count()
    patent.delete()
    assert backends.get_backend().count() == count - 1
    assert ids("隔膜") == set()


@pytest.fixture
def index_writes(monkeypatch) -> list[list]:
    """The batches of documents written to the active backend's index, as the test goes on."""
    batches = []
    backend_class = type(backends.get_backend())
    original = backend_class.write

    def spy(self, documents):
        batches.append(list(documents))
        return original(self, documents)

    monkeypatch.setattr(backend_class, "write", spy)
    return batches


def test_the_importer_indexes_each_batch_once(db, tmp_path, index_writes):
    reference = generator.load_reference(use_db=False)
    path = generator.generate(tmp_path / "a", 12, 5, formats=["csv"], reference=reference).paths["csv"][0]
    assert import_file(path).created == 12
    assert [len(batch) for batch in index_writes] == [12]
    # the batch is indexed from memory: the same documents as read back from the tables
    by_id, written = attrgetter("id"), index_writes[0]
    assert sorted(written, key=by_id) == sorted(backends.build_documents([d.id for d in written]), key=by_id)
    # a later version of one record: the patent is saved (and its parties rewritten) once, indexed once
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    title = rows[0].index("专利名称")
    rows[1][title] = "一种测试用的钛合金紧固件"
    changed = tmp_path / "b.csv"
    with changed.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    index_writes.clear()
    manifest = import_file(changed)
    assert (manifest.updated, manifest.unchanged) == (1, 11)
    assert [len(batch) for batch in index_writes] == [1]
    assert len(ids("钛合金紧固件")) == 1


def test_every_real_file_is_indexed_as_its_tables_read(db, shared_data, index_writes):
    """The importer indexes each batch from memory; what it writes is what the tables give back, whatever the
    format (names, titles in several languages, numbers), and a patent published twice is indexed as it ends."""
    manifests = import_paths(sorted((shared_data / "patents").iterdir()))
    assert all(m.status == "done" for m in manifests) and sum(m.created for m in manifests) > 50
    written = {d.id: d for batch in index_writes for d in batch}  # the last write of each patent
    assert written == {d.id: d for d in backends.build_documents(list(written))}
