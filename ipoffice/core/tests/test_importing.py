import dataclasses
import hashlib
import json
from datetime import date

from ipoffice.core.importing import record_hash
from ipoffice.patents.importers.base import ParsedCitation, ParsedEvent, ParsedParty, ParsedPatent


def _asdict_digest(record) -> str:
    """The digest as it was first defined: the JSON of ``dataclasses.asdict`` without the record's position."""
    data = dataclasses.asdict(record)
    data.pop("record")
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


def _record(where: str) -> ParsedPatent:
    return ParsedPatent(
        office="CN", application_number="2020101234567", title="一种锂电池", patent_type="invention",
        application_date=date(2020, 1, 2), titles={"zh": "一种锂电池", "en": "Lithium battery"},
        ipc=["H01M 10/0525"], parties=[ParsedParty("深圳市比亚迪锂电池有限公司", "applicant", "广东省深圳市坪山区"),
                                       ParsedParty("王传福", "inventor")],
        citations=[ParsedCitation("CN", "108123456A", "A")], events=[ParsedEvent(date(2021, 3, 4), "C06")],
        priorities=[{"country": "CN", "number": "201910000001", "date": "2019-01-01"}], record=where)


def test_the_digest_is_that_of_the_records_fields_whatever_its_position():
    record = _record("row 2")
    assert record_hash(record) == _asdict_digest(record) == record_hash(_record("row 900"))
    assert record.record == "row 2"  # (the record itself is not changed)


def test_an_attribute_beside_the_fields_is_not_hashed():
    record, plain = _record("row 2"), _record("row 2")
    record.parties[0].entity_hint = 42
    record.cache = "x"
    assert record_hash(record) == record_hash(plain) == _asdict_digest(plain)


def test_a_changed_field_changes_the_digest():
    record = _record("row 2")
    record.parties[1].name = "王传富"
    assert record_hash(record) != record_hash(_record("row 2"))
