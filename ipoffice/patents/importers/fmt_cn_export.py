"""The usual Chinese patent export: one row per application, up to 60 columns, as CSV (UTF-8) or XLSX.

CNIPA's search system and the commercial databases export 申请号, 申请日, 公开(公告)号, 授权公告号, 专利类型,
专利名称, 摘要, 主权项, 申请人, 申请人地址, 发明人, 主分类号, 分类号, 代理机构, 代理人, 优先权, PCT 数据, 法律状态,
法律事件, 引证专利, 同族专利 … under slightly different headings; the file is recognised by its header row (the
first rows may hold a title) and the columns are found by name, accepting the usual variants (申请(专利)号,
公开号, 发明名称, 申请(专利权)人, 发明(设计)人, full-width brackets …). Lists are separated by ``;`` (or ``；``,
``|``), dates written 2020-01-05, 2020.01.05 or 20200105.

The application number is checked with its check character: a wrong one rejects the row (field 申请号) and the
other rows are imported. A CSV must be UTF-8 (a BOM is fine); a GBK file (Excel's "CSV" on Chinese Windows)
is refused as a whole with that reason. Rows are streamed (csv reader, openpyxl read-only).
"""

import csv
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from ipoffice.core.errors import DataError
from ipoffice.core.text import has_han

from .base import (
    HEAD_BYTES,
    ParsedCitation,
    ParsedParty,
    ParsedPatent,
    Parser,
    RecordError,
    normalised_ipc,
    register,
)
from .fmt_cn_common import (
    GENERATED_WORDS,
    application_number,
    first_problem,
    kind_of,
    parse_date,
    parse_events,
    priority_number,
    publication_number,
    status_from_events,
    status_from_text,
)

# Canonical column → the headings it goes by (compared without spaces, brackets in ASCII, lower case).
COLUMNS = {
    "申请号": ["申请号", "申请(专利)号", "申请专利号", "专利申请号", "申请号码", "application number", "an"],
    "申请日": ["申请日", "申请日期", "application date", "ad"],
    "公开(公告)号": ["公开(公告)号", "公开公告号", "公开号", "公布号", "公告号", "公开(公布)号",
                   "publication number", "pn"],
    "公开(公告)日": ["公开(公告)日", "公开公告日", "公开日", "公布日", "公告日", "公开(公布)日", "公开日期",
                   "publication date", "pd"],
    "授权公告号": ["授权公告号", "授权号", "授权公布号", "grant number"],
    "授权公告日": ["授权公告日", "授权日", "授权日期", "grant date"],
    "专利类型": ["专利类型", "类型", "申请类型", "patent type"],
    "专利名称": ["专利名称", "发明名称", "名称", "标题", "发明创造名称", "title"],
    "摘要": ["摘要", "摘要文本", "abstract"],
    "主权项": ["主权项", "首项权利要求", "独立权利要求", "第一权利要求", "first claim"],
    "权利要求数": ["权利要求数", "权利要求数量", "权项数", "claims"],
    "申请人": ["申请人", "申请(专利权)人", "专利权人", "申请人名称", "原始申请人", "申请人(原始)", "applicant"],
    "申请人地址": ["申请人地址", "地址", "申请(专利权)人地址", "applicant address"],
    "国省代码": ["国省代码", "申请人国省代码", "国家/省市", "国别省市代码"],
    "发明人": ["发明人", "发明(设计)人", "设计人", "发明人姓名", "inventor"],
    "主分类号": ["主分类号", "ipc主分类号", "主ipc", "ipc主分类", "main ipc"],
    "分类号": ["分类号", "ipc分类号", "ipc", "国际专利分类号"],
    "洛迦诺分类号": ["洛迦诺分类号", "洛迦诺分类", "外观设计分类号", "外观设计洛迦诺分类号", "locarno"],
    "代理机构": ["代理机构", "专利代理机构", "代理机构名称", "agency"],
    "代理人": ["代理人", "专利代理师", "代理人姓名", "agent"],
    "优先权": ["优先权", "优先权号", "优先权信息", "priority"],
    "优先权日": ["优先权日", "最早优先权日", "priority date"],
    "PCT申请数据": ["pct申请数据", "国际申请", "pct国际申请号", "国际申请数据"],
    "PCT公布数据": ["pct公布数据", "国际公布", "pct国际公布号", "国际公布数据"],
    "PCT进入国家阶段日": ["pct进入国家阶段日", "进入国家阶段日", "进入国家阶段日期"],
    "简单法律状态": ["简单法律状态", "有效性", "当前状态"],
    "法律状态": ["法律状态", "当前法律状态", "法律状态(最新)"],
    "法律事件": ["法律事件", "法律状态事件", "法律状态信息", "法律状态历史"],
    "引证专利": ["引证专利", "引用专利", "引证文献", "引证文献(专利)", "cited patents"],
    "同族ID": ["同族id", "简单同族id", "docdb同族id", "family id"],
    "同族专利": ["同族专利", "同族", "简单同族", "简单同族专利", "family"],
    "数据来源": ["数据来源", "来源", "source"],
}
_REQUIRED = "申请号"
_SPLIT = re.compile(r"[;；|\n]")
_IPC = re.compile(r"^[A-H]\d{2}[A-Z]")
_LOCARNO = re.compile(r"^\d{2}-\d{2}$")
_AGENCY_CODE = re.compile(r"\s*[（(]?\d{5}[)）]?$")
_COUNT = re.compile(r"\d+(\.0)?")
_COUNTRY = re.compile(r"[A-Z]{2}")
_SPACES = re.compile(r"\s+")
_CITED = re.compile(r"([A-Z]{2})(\S+?)([A-Z]\d?)?")  # office, number, kind code


def _key(heading) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(heading or ""))).lower()


_LOOKUP = {_key(variant): canonical for canonical, variants in COLUMNS.items()
           for variant in [canonical, *variants]}


def header_columns(row) -> dict[str, int] | None:
    """Canonical column → position, when ``row`` is a header of this export (申请号 and two more known columns)."""
    found: dict[str, int] = {}
    for position, heading in enumerate(row or ()):
        canonical = _LOOKUP.get(_key(heading))
        if canonical and canonical not in found:
            found[canonical] = position
    return found if _REQUIRED in found and len(found) >= 3 else None


def _split(value) -> list[str]:
    """The items of a list cell (``;``, ``；``, ``|`` or new lines between them), without spaces around them."""
    text = value if isinstance(value, str) else str(value or "")
    return [item for item in map(str.strip, _SPLIT.split(text)) if item]


def _head_text(head: bytes) -> str | None:
    cut = head[: head.rfind(b"\n") + 1] if len(head) >= HEAD_BYTES and b"\n" in head else head
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return cut.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _delimiter(lines: list[str]) -> str | None:
    """The delimiter with which one of the first lines reads as this export's header row (None: no header)."""
    for line in lines[:20]:
        for delimiter in (",", "\t", ";"):
            if delimiter in line and header_columns(next(csv.reader([line], delimiter=delimiter), [])):
                return delimiter
    return None


@register
class CNExportParser(Parser):
    format = "cn-export"
    description = "Chinese patent export (60 columns: 申请号, 公开(公告)号, 申请人, 法律事件 …) as CSV or XLSX"

    @classmethod
    def detect(cls, head: bytes, name: str) -> bool:
        if name.lower().endswith((".xlsx", ".xlsm")):
            return head.startswith(b"PK\x03\x04") and _xlsx_head_has_header(head) is not False
        text = _head_text(head)
        if text is None:
            return False
        return _delimiter(text.lstrip("\ufeff").splitlines()) is not None

    def parse(self, path: Path) -> Iterator[ParsedPatent | RecordError]:
        path = Path(path)
        rows = self._xlsx_rows(path) if path.name.lower().endswith((".xlsx", ".xlsm")) else self._csv_rows(path)
        columns = None
        for number, row in enumerate(rows, 1):
            if columns is None:
                columns = header_columns(row)
                if columns is None and number >= 20:
                    raise ValueError(f"no header row with {_REQUIRED} in the first 20 rows: not a CN patent export")
                continue
            if not any(str(v).strip() for v in row if v is not None):
                continue
            where = f"row {number}"
            values = {name: row[i] if i < len(row) else None for name, i in columns.items()}
            try:
                yield self.record(values, where)
            except _FieldError as error:
                yield RecordError(where, error.reason, error.field)
            except (ValueError, TypeError) as error:
                yield RecordError(where, str(error))
        if columns is None:
            raise ValueError(f"no header row with {_REQUIRED}: not a CN patent export")

    @staticmethod
    def _csv_rows(path: Path) -> Iterator[list]:
        with path.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
        cut = head[: head.rfind(b"\n") + 1] if len(head) >= HEAD_BYTES and b"\n" in head else head
        try:
            cut.decode("utf-8")
        except UnicodeDecodeError as error:
            looks = "GBK/GB18030, as Excel writes 'CSV' on Chinese Windows" if _gbk(cut) else "not UTF-8"
            raise ValueError(f"the file is not UTF-8 (byte {error.start}: it looks {looks}); save it as "
                             f"'CSV UTF-8' and import it again; nothing imported") from error
        with path.open(encoding="utf-8-sig", newline="") as fh:
            delimiter = _delimiter(fh.read(HEAD_BYTES).splitlines()) or ","
            fh.seek(0)  # the codec skips the BOM again
            yield from csv.reader(fh, delimiter=delimiter)

    @staticmethod
    def _xlsx_rows(path: Path) -> Iterator[tuple]:
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as error:
            raise ValueError(f"not a readable XLSX workbook ({error}); nothing imported") from error
        try:
            sheet = book.worksheets[0]
            yield from sheet.iter_rows(values_only=True)
        except (zipfile.BadZipFile, KeyError, EOFError) as error:
            raise ValueError(f"the workbook is damaged ({error}); nothing imported") from error
        finally:
            book.close()

    def record(self, v: dict, where: str) -> ParsedPatent:
        raw = str(v.get("申请号") or "").strip()
        if not raw:
            raise _FieldError("申请号", "no application number")
        try:
            app_number, patent_type = application_number(raw)
        except DataError as error:
            raise _FieldError("申请号", first_problem(error)) from error
        dates = {}
        for column in ("申请日", "公开(公告)日", "授权公告日", "优先权日", "PCT进入国家阶段日"):
            try:
                dates[column] = parse_date(v.get(column))
            except ValueError as error:
                raise _FieldError(column, str(error)) from error
        pub_number = publication_number(str(v.get("公开(公告)号") or ""))
        grant_number = publication_number(str(v.get("授权公告号") or ""))
        kind = kind_of(grant_number) or kind_of(pub_number)
        title = _text(v.get("专利名称"))
        classes = _split(v.get("主分类号")) + _split(v.get("分类号"))
        ipc = list(dict.fromkeys(normalised_ipc(c) for c in classes if _IPC.match(c.strip().upper())))
        locarno = list(dict.fromkeys(c for c in _split(v.get("洛迦诺分类号")) + classes if _LOCARNO.match(c)))
        try:
            events = parse_events(_text(v.get("法律事件")))
        except ValueError as error:
            raise _FieldError("法律事件", str(error)) from error
        try:
            priorities = self._priorities(v.get("优先权"))
            pct = self._pct(v, dates["PCT进入国家阶段日"])
        except ValueError as error:
            raise _FieldError("优先权", str(error)) from error
        status = status_from_text(_text(v.get("法律状态"))) or status_from_events(events) \
            or status_from_text(_text(v.get("简单法律状态")))
        claims = _text(v.get("权利要求数"))
        source = _text(v.get("数据来源")).lower()
        return ParsedPatent(
            office="CN", application_number=app_number, title=title, patent_type=patent_type, kind=kind,
            application_date=dates["申请日"], publication_number=pub_number, publication_date=dates["公开(公告)日"],
            grant_number=grant_number, grant_date=dates["授权公告日"],
            priority_date=dates["优先权日"] or min((parse_date(p["date"]) for p in priorities if p["date"]),
                                                default=None),
            titles={"zh": title} if title else {}, abstract=_text(v.get("摘要")), first_claim=_text(v.get("主权项")),
            claims_count=int(float(claims)) if _COUNT.fullmatch(claims) else None, ipc=ipc,
            locarno=locarno, parties=self._parties(v), priorities=priorities, pct=pct,
            family_id=_text(v.get("同族ID")), citations=self._citations(v.get("引证专利")), events=events,
            legal_status=status, is_generated=any(word in source for word in GENERATED_WORDS), record=where)

    @staticmethod
    def _parties(v: dict) -> list[ParsedParty]:
        code = _text(v.get("国省代码")).upper()
        country = code if _COUNTRY.fullmatch(code) else "CN" if code.isdigit() or has_han(code) else ""
        applicants = _split(v.get("申请人"))
        parties = [ParsedParty(name, "applicant", _text(v.get("申请人地址")) if i == 0 else "", country)
                   for i, name in enumerate(applicants)]
        parties += [ParsedParty(name, "inventor") for name in _split(v.get("发明人"))]
        parties += [ParsedParty(_AGENCY_CODE.sub("", name), "agency") for name in _split(v.get("代理机构"))]
        parties += [ParsedParty(name, "agent") for name in _split(v.get("代理人"))]
        return parties

    @staticmethod
    def _priorities(value) -> list[dict]:
        result = []
        for item in _split(value):
            match = re.fullmatch(r"([A-Z]{2})\s*(\S+?)\s+(\S+)", item.strip())
            if not match:
                raise ValueError(f"'{item}' is not a priority claim (country, number, date)")
            day = parse_date(match[3])
            result.append({"country": match[1], "number": priority_number(match[1], match[2]),
                           "date": day.isoformat() if day else ""})
        return result

    @staticmethod
    def _pct(v: dict, entry) -> dict:
        pct = {}
        filed = _text(v.get("PCT申请数据")).split()
        if filed:
            day = parse_date(filed[-1]) if len(filed) > 1 else None
            pct.update(application_number=filed[0], filing_date=day.isoformat() if day else "")
        published = _text(v.get("PCT公布数据")).split()
        if published:
            day = parse_date(published[-1]) if len(published) > 1 else None
            pct.update(publication_number=published[0], publication_date=day.isoformat() if day else "",
                       publication_language=published[1].lower() if len(published) > 2 else "")
        if entry:
            pct["national_phase_date"] = entry.isoformat()
        return pct

    @staticmethod
    def _citations(value) -> list[ParsedCitation]:
        citations = []
        for item in _split(value):
            match = _CITED.fullmatch(_SPACES.sub("", item.upper()))
            if not match:
                citations.append(ParsedCitation(non_patent=item))
                continue
            office, number, kind = match[1], match[2], match[3] or ""
            citations.append(ParsedCitation(office, f"{number}{kind}" if office == "CN" else number, kind))
        return citations


class _FieldError(Exception):
    def __init__(self, field: str, reason: str):
        super().__init__(reason)
        self.field, self.reason = field, reason


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


_SHEET_PARTS = (b"xl/sharedStrings.xml", b"xl/worksheets/sheet1.xml")


def _xlsx_head_has_header(head: bytes) -> bool | None:
    """Whether the workbook's first bytes show a heading of this export (None: cannot tell from them).

    Reads the zip's local entries in ``head``: the first sheet and the shared strings, inflated as far as
    they go, with character references (as openpyxl writes them) resolved.
    """
    position, texts = 0, {}
    while head.startswith(b"PK\x03\x04", position) and position + 30 <= len(head):
        method = int.from_bytes(head[position + 8:position + 10], "little")
        size = int.from_bytes(head[position + 18:position + 22], "little")
        name_length = int.from_bytes(head[position + 26:position + 28], "little")
        extra_length = int.from_bytes(head[position + 28:position + 30], "little")
        name = head[position + 30:position + 30 + name_length]
        start = position + 30 + name_length + extra_length
        if name in _SHEET_PARTS:
            data = head[start:start + size] if size else head[start:]
            try:
                raw = zlib.decompressobj(-15).decompress(data) if method == 8 else data
            except zlib.error:
                raw = b""
            text = raw.decode("utf-8", errors="ignore")
            texts[name] = re.sub(r"&#(x?)([0-9a-fA-F]+);", lambda m: chr(int(m[2], 16 if m[1] else 10)), text)
        if not size:  # sizes in a data descriptor after the data: the next entry cannot be found
            break
        position = start + size
    if any(any(variant in text for variant in COLUMNS[_REQUIRED][:5]) for text in texts.values()):
        return True
    sheet = texts.get(_SHEET_PARTS[1])
    if sheet is None or ('t="s"' in sheet and _SHEET_PARTS[0] not in texts):
        return None
    return False


def _gbk(data: bytes) -> bool:
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return True
