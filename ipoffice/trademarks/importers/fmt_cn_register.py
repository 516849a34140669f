"""Chinese register extracts (商标注册簿 / 商标查询 exports) as CSV or XLSX, one mark (one class) per row.

Columns are found by their Chinese headers, with the usual variants (注册号 or 申请号, 申请人 or 申请人名称 …):
注册号, 申请日, 国际分类 (类别), 类似群, 商品/服务, 商标名称, 商标类型 (普通/集体/证明, 地理标志), 商标形式
(文字/图形/组合/立体/颜色/声音), 申请人名称, 申请人地址, 申请人英文名称, 共有申请人, 代理机构, 初审公告期号,
初审公告日, 注册公告期号, 注册公告日, 专用权期限 (``2020-01-07至2030-01-06``), 商标状态, 国际注册号, 国际注册日,
后期指定日期, 马德里指定国家, 优先权日, 是否地理标志, 是否驰名商标, 商标流程 (``2020-01-07 申请收文；…``), 数据来源.

Goods are separated by '；' (a '，' joins synonyms of one item, as in the 区分表); each may start with its similar
group and item code (``2501 250045 服装``) or its item code alone (``250045 服装``). A row whose 数据来源 says
"generated" (生成) is a generated demo record.
"""

import csv
import io
import re
from pathlib import Path

from .base import ParsedEvent, ParsedGoods, ParsedMark, ParsedParty, Parser, RecordError, parse_date, register

COLUMNS = {
    "number": ("注册号", "申请号", "注册号/申请号", "申请/注册号", "商标注册号"),
    "filing_date": ("申请日", "申请日期"),
    "classes": ("国际分类", "类别", "类号", "尼斯分类", "国际分类号"),
    "groups": ("类似群", "类似群组", "类似群号"),
    "goods": ("商品/服务", "商品服务", "商品/服务项目", "商品服务项目", "指定商品", "商品/服务列表"),
    "mark": ("商标名称", "商标", "商标文字"),
    "kind": ("商标类型",),
    "form": ("商标形式", "商标构成"),
    "owner": ("申请人名称", "申请人", "注册人", "申请人名称(中文)", "申请人名称（中文）"),
    "owner_address": ("申请人地址", "申请人地址(中文)", "申请人地址（中文）", "注册人地址"),
    "owner_en": ("申请人英文名称", "申请人名称(英文)", "申请人名称（英文）"),
    "co_owners": ("共有申请人", "共同申请人"),
    "agent": ("代理机构", "代理机构名称", "代理人名称"),
    "prelim_issue": ("初审公告期号",),
    "prelim_date": ("初审公告日", "初审公告日期"),
    "reg_issue": ("注册公告期号",),
    "reg_date": ("注册公告日", "注册公告日期", "注册日期"),
    "term": ("专用权期限", "专用期限", "商标专用权期限"),
    "status": ("商标状态", "当前状态", "法律状态"),
    "ir_number": ("国际注册号",),
    "ir_date": ("国际注册日", "国际注册日期"),
    "designation_date": ("后期指定日期", "后期指定日"),
    "madrid": ("马德里指定国家", "指定国家"),
    "priority": ("优先权日", "优先权日期"),
    "gi": ("是否地理标志", "地理标志"),
    "well_known": ("是否驰名商标", "驰名商标"),
    "events": ("商标流程", "流程"),
    "source": ("数据来源", "来源"),
    "image": ("商标图样", "图样"),
}
REQUIRED = ("number", "mark", "classes", "owner")
STATUS_WORDS = (("无效", "invalidated"), ("撤销", "cancelled"), ("注销", "cancelled"), ("驳回复审", "pending"),
                ("驳回", "refused"), ("撤回", "withdrawn"), ("放弃", "withdrawn"), ("异议", "opposed"),
                ("期满", "expired"), ("失效", "expired"), ("销亡", "expired"), ("初审", "published"),
                ("初步审定", "published"), ("注册申请", "pending"), ("等待", "pending"), ("审查中", "pending"),
                ("受理", "pending"), ("注册", "registered"), ("续展", "registered"), ("申请", "pending"),
                ("审查", "pending"))
FORMS = (("声音", "sound"), ("颜色", "colour"), ("立体", "3d"), ("三维", "3d"), ("组合", "combined"),
         ("文字图形", "combined"), ("图形", "figurative"), ("文字", "word"))
_ITEM = re.compile(r"^\s*(?:(\d{4})\s+)?(C?\d{6})\s*[:：\s]?\s*(.*)$")
_GOODS_SPLIT = re.compile(r"[；;|\n]+")
_DATE = r"\d{4}\s*[-./年]\s*\d{1,2}\s*[-./月]\s*\d{1,2}\s*日?"
_TERM = re.compile(rf"({_DATE})\s*(?:至|到|-|—|~|～)\s*({_DATE})")
_YES = {"是", "yes", "y", "true", "1", "√"}


def cn_status(text: str) -> str:
    for word, status in STATUS_WORDS:
        if word in (text or ""):
            return status
    return ""


def _date(value: str):
    value = (value or "").strip()
    return parse_date(re.sub(r"\s+", "", value)) if value else None


def header_map(header: list[str]) -> dict[str, int]:
    cleaned = [re.sub(r"\s+", "", str(h or "")).replace("\ufeff", "") for h in header]
    found = {}
    for key, names in COLUMNS.items():
        for name in names:
            if name in cleaned:
                found[key] = cleaned.index(name)
                break
    return found


def parse_row(row: list[str], columns: dict[str, int], record: str) -> ParsedMark:
    def cell(key: str) -> str:
        index = columns.get(key)
        value = row[index] if index is not None and index < len(row) else ""
        return "" if value is None else str(value).strip()

    number = re.sub(r"\s+", "", cell("number"))
    if not number:
        raise ValueError("no 注册号")
    classes = [int(n) for n in re.findall(r"\d+", cell("classes"))]
    if not classes or any(not 1 <= n <= 45 for n in classes):
        raise ValueError(f"国际分类 '{cell('classes')}' is not a Nice class 1-45")
    kind_text, form_text, status_text = cell("kind"), cell("form"), cell("status")
    mark = ParsedMark(
        office="CN", application_number=number, registration_number=number if cell("reg_date") else "",
        mark_text=" ".join(cell("mark").split()),
        mark_type=next((t for w, t in FORMS if w in form_text), "word" if not form_text else "other"),
        mark_kind="certification" if "证明" in kind_text else "collective" if "集体" in kind_text else "individual",
        is_geographical_indication="地理标志" in kind_text or cell("gi").lower() in _YES,
        is_well_known=cell("well_known").lower() in _YES,
        filing_date=_date(cell("filing_date")), priority_date=_date(cell("priority")),
        preliminary_publication_date=_date(cell("prelim_date")), preliminary_publication_issue=cell("prelim_issue"),
        registration_date=_date(cell("reg_date")), registration_issue=cell("reg_issue"),
        status=cn_status(status_text), status_text=status_text[:300],
        international_registration_number=cell("ir_number"), international_registration_date=_date(cell("ir_date")),
        designation_date=_date(cell("designation_date")),
        is_generated="generated" in cell("source").lower() or "生成" in cell("source"),
        record=record,
    )
    term = cell("term")
    if term:
        match = _TERM.search(term)
        if not match:
            raise ValueError(f"专用权期限 '{term}' is not 'start至end'")
        mark.term_start, mark.term_end = _date(match.group(1)), _date(match.group(2))
    countries = [c.upper() for c in re.findall(r"[A-Za-z]{2}", cell("madrid"))]
    if countries or mark.international_registration_number:
        mark.madrid_role = "origin"
        mark.designated_countries = countries
    groups = re.findall(r"\d{4}", cell("groups"))
    goods = [g.strip() for g in _GOODS_SPLIT.split(cell("goods")) if g.strip()]
    for item in goods:
        match = _ITEM.match(item)
        group, code, name = (match.group(1) or "", match.group(2), match.group(3).strip()) if match else \
            ("", "", item)
        class_number = int(code.lstrip("C")[:2]) if code else classes[0]
        mark.goods.append(ParsedGoods(class_number=class_number, name=name, item_code=code, group_code=group))
    if not goods:
        mark.goods = [ParsedGoods(class_number=n) for n in classes]
    mark.extra["groups"] = groups
    owner = cell("owner")
    mark.parties.append(ParsedParty(name=owner, address=cell("owner_address"), name_en=cell("owner_en"), country=""))
    for co_owner in filter(None, (c.strip() for c in re.split(r"[；;]", cell("co_owners")))):
        mark.parties.append(ParsedParty(name=co_owner))
    if cell("agent"):
        mark.parties.append(ParsedParty(name=cell("agent"), role="agent"))
    for step in filter(None, (s.strip() for s in re.split(r"[；;\n]", cell("events")))):
        match = re.match(rf"({_DATE})\s*(.*)$", step)
        if not match:
            raise ValueError(f"商标流程 step '{step}' does not start with a date")
        mark.events.append(ParsedEvent(date=_date(match.group(1)), description=match.group(2)[:500]))
    if cell("image"):
        mark.extra["image"] = cell("image")
    return mark


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnicodeDecodeError("utf-8", raw, 0, 1, "neither UTF-8 nor GB18030")


def _rows_csv(path: Path):
    reader = csv.reader(io.StringIO(_decode(Path(path).read_bytes()), newline=""))
    yield from reader


def _rows_xlsx(path: Path):
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield ["" if v is None else (v.date().isoformat() if hasattr(v, "date") and callable(v.date) else str(v))
                   for v in row]
    finally:
        book.close()


def _looks_like_register(text: str) -> bool:
    first = text.splitlines()[0] if text else ""
    return ("注册号" in first or "申请号" in first) and "商标" in first


class _RegisterParser(Parser):
    def _rows(self, path: Path):
        raise NotImplementedError

    def parse(self, path: Path):
        rows = self._rows(path)
        header = next(rows, None)
        columns = header_map(header or [])
        missing = [COLUMNS[key][0] for key in REQUIRED if key not in columns]
        if missing:
            raise ValueError(f"missing column(s) {', '.join(missing)}")
        for number, row in enumerate(rows, start=2):
            if not any(str(v).strip() for v in row):
                continue
            try:
                yield parse_row(row, columns, f"row {number}")
            except ValueError as error:
                yield RecordError(f"row {number}", str(error))


@register
class CNRegisterCSVParser(_RegisterParser):
    format = "cn-register-csv"
    description = "Chinese register extract, CSV (UTF-8 or GB18030)"

    @classmethod
    def detect(cls, head: bytes, name: str) -> bool:
        if head[:2] == b"PK":
            return False
        first = head.split(b"\n", 1)[0]
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return _looks_like_register(first.decode(encoding))
            except UnicodeDecodeError:
                continue
        return False

    def _rows(self, path: Path):
        return _rows_csv(path)


@register
class CNRegisterXLSXParser(_RegisterParser):
    format = "cn-register-xlsx"
    description = "Chinese register extract, XLSX (first sheet)"

    @classmethod
    def detect(cls, head: bytes, name: str) -> bool:
        return head[:2] == b"PK" and name.lower().endswith((".xlsx", ".xlsm"))

    def _rows(self, path: Path):
        return _rows_xlsx(path)
