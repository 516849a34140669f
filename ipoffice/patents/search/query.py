"""The patent query language: a small recursive-descent parser from text to a tree of nodes.

Grammar (``NOT`` binds tighter than ``AND``, ``AND`` tighter than ``OR``; words side by side are ANDed)::

    query    := or_expr?
    or_expr  := and_expr ( "OR" and_expr )*
    and_expr := unary ( "AND"? unary )*
    unary    := "NOT" unary | "-" primary | primary
    primary  := "(" or_expr ")" | FIELD ":" value | PHRASE | WORD
    value    := "(" or_expr ")" | PHRASE | RANGE | WORD      # a group takes FIELD as its default field
    RANGE    := "[" v "TO" v "]" | "{" v "TO" v "}" (mixed brackets allowed) | v ".." v | ">"v | ">="v | "<"v | "<="v
                (v may be "*" or left out: an open end; a single date or year is its whole period)

Operators are upper case (``AND`` ``OR`` ``NOT``; ``&&`` ``||`` and a leading ``-`` too). Full-width brackets,
colons and quotes (（）：“”「」) read as their ASCII forms. A word ending in ``*`` is a prefix. ``*`` alone, or
an empty query, matches every patent. See :data:`FIELDS` for the fields and their Chinese names.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

# ---------------------------------------------------------------------------------------------------- nodes


@dataclass(frozen=True)
class Term:
    """A word, phrase or prefix in a text or name field, or a value of a keyword field."""

    field: str
    value: str
    phrase: bool = False
    prefix: bool = False
    pos: int = 0


@dataclass(frozen=True)
class Range:
    """Dates from ``low`` to ``high`` inclusive (either may be open) of a date field; ``year`` is the
    application date."""

    field: str
    low: date | None
    high: date | None
    pos: int = 0


@dataclass(frozen=True)
class And:
    children: tuple


@dataclass(frozen=True)
class Or:
    children: tuple


@dataclass(frozen=True)
class Not:
    child: object


@dataclass(frozen=True)
class All:
    """Every patent (``*`` or an empty query)."""


class QueryError(ValueError):
    """A query that cannot be read: ``position`` (0-based, in the query as given) and ``reason``."""

    def __init__(self, reason: str, position: int, query: str = ""):
        self.reason, self.position, self.query = reason, position, query
        super().__init__(f"{reason} (at position {position + 1})")

    def caret(self) -> str:
        """The query with a caret under the position (Chinese characters take two columns of a terminal)."""
        width = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in self.query[:self.position])
        return f"{self.query}\n{' ' * width}^"

    def as_dict(self) -> dict:
        return {"error": self.reason, "position": self.position, "query": self.query}


# ---------------------------------------------------------------------------------------------------- fields

#: field → (kind, aliases). Kinds: text (full text, analysed), name (party names), number, keyword, date.
FIELDS = {
    "text": ("text", ("all", "全文")),  # title, abstract and claims: the default field
    "title": ("text", ("ti", "标题", "名称")),
    "abstract": ("text", ("ab", "摘要")),
    "claims": ("text", ("cl", "claim", "权利要求")),
    "applicant": ("name", ("pa", "assignee", "申请人", "专利权人")),
    "inventor": ("name", ("in", "发明人")),
    "agency": ("name", ("代理机构",)),
    "agent": ("name", ("代理人",)),
    "number": ("number", ("no", "pn", "an", "号码", "申请号", "公开号", "公告号", "授权号", "专利号")),
    "ipc": ("keyword", ("ipc分类号", "分类号")),
    "cpc": ("keyword", ()),
    "province": ("keyword", ("省",)),
    "city": ("keyword", ("城市", "市")),
    "district": ("keyword", ("区县", "区", "县")),
    "type": ("keyword", ("类型", "专利类型")),
    "status": ("keyword", ("法律状态", "状态")),
    "office": ("keyword", ("country", "国别", "受理局")),
    "kind": ("keyword", ("文献类型",)),
    "family": ("keyword", ("同族",)),
    "year": ("date", ("申请年",)),
    "ad": ("date", ("date", "申请日")),
    "pd": ("date", ("公开日", "公告日")),
    "gd": ("date", ("授权日",)),
    "prd": ("date", ("优先权日",)),
}
_ALIASES = {alias: name for name, (_kind, aliases) in FIELDS.items() for alias in (name, *aliases)}


def field_kind(field: str) -> str:
    return FIELDS[field][0]


TYPES = {
    "invention": ("invention", "发明", "fm"),
    "utility": ("utility", "utility_model", "utility-model", "实用新型", "xx"),
    "design": ("design", "外观设计", "外观", "wg"),
    "plant": ("plant", "植物"),
    "reissue": ("reissue",),
    "other": ("other",),
}
STATUSES = {
    "pending": ("pending", "审中", "在审", "实质审查"),
    "granted": ("granted", "in_force", "in-force", "active", "valid", "有效", "授权"),
    "lapsed": ("lapsed", "失效", "expired", "届满"),
    "withdrawn": ("withdrawn", "rejected", "撤回", "驳回"),
    "invalidated": ("invalidated", "无效", "宣告无效"),
    "": ("unknown", "未知"),
}
_TYPE_WORDS = {w: k for k, ws in TYPES.items() for w in ws}
_STATUS_WORDS = {w: k for k, ws in STATUSES.items() for w in ws}

# ---------------------------------------------------------------------------------------------------- parser

_WIDE = {"“": '"', "”": '"', "„": '"', "「": '"', "」": '"', "『": '"', "』": '"', "\u3000": " "}
_FIELD = re.compile(r"([A-Za-z_\u4e00-\u9fff][A-Za-z0-9_\u4e00-\u9fff]*):")
_STOP = set(' \t\r\n()"')
_DATE = re.compile(r"(\d{4})(?:[-/.]?(\d{1,2})(?:[-/.]?(\d{1,2}))?)?")


def _normalise(text: str) -> str:
    """Full-width ASCII forms and Chinese quotes as ASCII, one character for one (positions stay)."""
    out = []
    for ch in text:
        if "\uff01" <= ch <= "\uff5e":
            ch = chr(ord(ch) - 0xFEE0)
        out.append(_WIDE.get(ch, ch))
    return "".join(out)


class _Parser:
    def __init__(self, text: str):
        self.query = text
        self.text = _normalise(text)
        self.i = 0
        self.default = "text"

    # -- scanning
    def error(self, reason: str, pos: int | None = None):
        raise QueryError(reason, self.i if pos is None else pos, self.query)

    def skip(self):
        while self.i < len(self.text) and self.text[self.i].isspace():
            self.i += 1

    def at_end(self) -> bool:
        self.skip()
        return self.i >= len(self.text)

    def peek_word(self) -> str:
        self.skip()
        j = self.i
        while j < len(self.text) and self.text[j] not in _STOP:
            j += 1
        return self.text[self.i:j]

    def peek_operator(self) -> str | None:
        word = self.peek_word()
        return {"AND": "AND", "&&": "AND", "OR": "OR", "||": "OR", "NOT": "NOT"}.get(word)

    def take_operator(self) -> int:
        pos = self.i
        self.i += len(self.peek_word())
        return pos

    # -- grammar
    def parse(self):
        if self.at_end():
            return All()
        node = self.or_expr()
        if not self.at_end():
            if self.text[self.i] == ")":
                self.error("unexpected ')': no '(' before it")
            self.error(f"unexpected '{self.peek_word() or self.text[self.i]}'")
        return node

    def or_expr(self):
        items = [self.and_expr()]
        while self.peek_operator() == "OR":
            pos = self.take_operator()
            self.need_operand("OR", pos)
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expr(self):
        items = [self.unary()]
        while True:
            op = self.peek_operator()
            if op == "AND":
                pos = self.take_operator()
                self.need_operand("AND", pos)
                items.append(self.unary())
            elif op == "NOT" or (op is None and not self.at_end() and self.text[self.i] != ")"):
                items.append(self.unary())
            else:
                break
        return items[0] if len(items) == 1 else And(tuple(items))

    def need_operand(self, op: str, pos: int):
        if self.at_end():
            self.error(f"{op} needs a term after it, the query ends", pos)
        if self.text[self.i] == ")" or self.peek_operator() in ("AND", "OR"):
            self.error(f"{op} needs a term after it", pos)

    def unary(self):
        if self.peek_operator() == "NOT":
            pos = self.take_operator()
            self.need_operand("NOT", pos)
            return Not(self.unary())
        if self.text[self.i] == "-" and self.i + 1 < len(self.text) and not self.text[self.i + 1].isspace():
            self.i += 1
            return Not(self.primary())
        return self.primary()

    def primary(self):
        self.skip()
        ch, pos = self.text[self.i], self.i
        if ch == "(":
            return self.group(pos)
        if ch == ")":
            self.error("unexpected ')': no '(' before it")
        if ch == '"':
            return self.phrase(self.default)
        match = _FIELD.match(self.text, self.i)
        if match:
            name = match.group(1)
            field = _ALIASES.get(name.lower())
            if field is None:
                known = ", ".join(FIELDS)
                self.error(f"unknown field '{name}' (fields: {known}; quote the words to search for a colon)", pos)
            self.i = match.end()
            return self.value(field, pos)
        return self.word(self.default, pos)

    def group(self, pos: int):
        self.i += 1
        if self.at_end():
            self.error("missing ')' for the '(' here", pos)
        if self.text[self.i] == ")":
            self.error("empty parentheses", pos)
        node = self.or_expr()
        if self.at_end() or self.text[self.i] != ")":
            self.error("missing ')' for the '(' here", pos)
        self.i += 1
        return node

    def value(self, field: str, pos: int):
        kind = field_kind(field)
        if self.i >= len(self.text) or self.text[self.i].isspace() or self.text[self.i] == ")":
            self.error(f"'{field}:' needs a value", pos)
        ch = self.text[self.i]
        if ch == "(":
            if kind == "date":
                self.error(f"'{field}:' takes a date range, not a group", pos)
            outer, self.default = self.default, field
            try:
                return self.group(self.i)
            finally:
                self.default = outer
        if kind == "date":
            return self.range(field, pos)
        if ch in "[{":
            self.error(f"'{field}:' is not a date field: ranges are for {', '.join(_date_fields())}", self.i)
        if ch == '"':
            return self.phrase(field)
        return self.word(field, pos)

    def phrase(self, field: str):
        start = self.i
        end = self.text.find('"', start + 1)
        if end < 0:
            self.error("unterminated phrase: no closing '\"'", start)
        self.i = end + 1
        value = self.text[start + 1:end].strip()
        if not value:
            self.error("empty phrase", start)
        return self.term(field, value, start, phrase=True)

    def word(self, field: str, pos: int):
        start = self.i
        while self.i < len(self.text) and self.text[self.i] not in _STOP:
            self.i += 1
        value = self.text[start:self.i]
        if value == "*" and field == "text":
            return All()
        prefix = value.endswith("*")
        value = value.rstrip("*")
        if not value:
            self.error("a '*' needs letters before it", start)
        if "*" in value:
            self.error("'*' may only end a word (a prefix)", start + value.index("*"))
        return self.term(field, value, start, prefix=prefix)

    def term(self, field: str, value: str, pos: int, *, phrase=False, prefix=False):
        if field == "type":
            value = self.choice(value, _TYPE_WORDS, "type", pos)
        elif field == "status":
            value = self.choice(value, _STATUS_WORDS, "status", pos)
        elif field in ("ipc", "cpc"):
            value = re.sub(r"\s+", "", value).upper()
            if not re.fullmatch(r"[A-HY](\d{2}([A-Z](\d{1,4}(/\d{0,6})?)?)?)?", value):
                self.error(f"'{value}' is not an {field.upper()} symbol or its start (e.g. H01M, H01M10/0525)", pos)
        elif field in ("city", "district", "province") and value.isdigit():
            if len(value) not in (2, 4, 6):
                self.error(f"'{value}': a division code has 2, 4 or 6 digits (GB/T 2260)", pos)
        elif field == "office":
            value = value.upper()
        return Term(field, value, phrase=phrase, prefix=prefix, pos=pos)

    def choice(self, value: str, words: dict, name: str, pos: int) -> str:
        key = words.get(value.lower())
        if key is None:
            options = ", ".join(k or "unknown" for k in dict.fromkeys(words.values()))
            self.error(f"unknown {name} '{value}' (one of {options})", pos)
        return key

    # -- ranges
    def range(self, field: str, pos: int):
        start = self.i
        ch = self.text[self.i]
        if ch in "[{":
            close = min((j for j in (self.text.find("]", start), self.text.find("}", start)) if j >= 0), default=-1)
            if close < 0:
                self.error(f"range opened with '{ch}' is not closed with ']' or '}}'", start)
            inner = self.text[start + 1:close]
            self.i = close + 1
            match = re.fullmatch(r"(.*?)\s*\bTO\b\s*(.*)", inner.strip())
            parts = match.groups() if match else ()
            if len(parts) != 2:
                self.error("a range is written [start TO end] (TO in capitals; * for an open end)", start)
            low = self.bound(field, parts[0], low=True, exclusive=ch == "{", pos=start)
            high = self.bound(field, parts[1], low=False, exclusive=self.text[close] == "}", pos=start)
        else:
            while self.i < len(self.text) and self.text[self.i] not in _STOP:
                self.i += 1
            raw = self.text[start:self.i]
            if raw.startswith((">=", "<=")):
                op, body = raw[:2], raw[2:]
            elif raw.startswith((">", "<")):
                op, body = raw[:1], raw[1:]
            else:
                op, body = "", raw
            if op:
                bound = self.bound(field, body, low=op[0] == ">", exclusive=len(op) == 1, pos=start)
                low, high = (bound, None) if op[0] == ">" else (None, bound)
            elif ".." in body:
                first, _, second = body.partition("..")
                low = self.bound(field, first, low=True, exclusive=False, pos=start)
                high = self.bound(field, second, low=False, exclusive=False, pos=start)
            else:
                low = self.bound(field, body, low=True, exclusive=False, pos=start)
                high = self.bound(field, body, low=False, exclusive=False, pos=start)
                if low is None:
                    self.error(f"'{field}:' needs a date or a range", start)
        if low and high and low > high:
            self.error(f"empty range: {low.isoformat()} is after {high.isoformat()}", start)
        return Range(field, low, high, pos=pos)

    def bound(self, field: str, raw: str, *, low: bool, exclusive: bool, pos: int) -> date | None:
        raw = raw.strip()
        if raw in ("", "*"):
            return None
        match = _DATE.fullmatch(raw)
        if not match or (field == "year" and match.group(2)):
            what = "a year (YYYY)" if field == "year" else "a date (YYYY, YYYY-MM or YYYY-MM-DD)"
            self.error(f"'{raw}' is not {what}", pos)
        year, month, day = int(match.group(1)), match.group(2), match.group(3)
        try:
            first = date(year, int(month or 1), int(day or 1))
            if day:
                last = first
            elif month:
                last = (date(year + (first.month == 12), first.month % 12 + 1, 1) - timedelta(days=1))
            else:
                last = date(year, 12, 31)
        except ValueError:
            self.error(f"'{raw}' is not a real date", pos)
        if low:
            return last + timedelta(days=1) if exclusive else first
        return first - timedelta(days=1) if exclusive else last


def _date_fields():
    return [name for name, (kind, _aliases) in FIELDS.items() if kind == "date"]


def parse(text: str):
    """The tree of a query; raises :class:`QueryError` (with the position and the reason) when it cannot."""
    return _Parser(text or "").parse()


def field_query(field: str, value: str):
    """One ``field:value`` condition (from a facet link or a form field) as a node, the value quoted as needed."""
    if field_kind(field) == "date" or re.fullmatch(r"[^\s()\"]+", value):
        return parse(f"{field}:{value}")
    return parse(f'{field}:"{value}"')


def to_text(node) -> str:
    """A node written back as query text (for display and tests)."""
    if isinstance(node, All):
        return "*"
    if isinstance(node, Term):
        value = f'"{node.value}"' if node.phrase else node.value + ("*" if node.prefix else "")
        return value if node.field == "text" else f"{node.field}:{value}"
    if isinstance(node, Range):
        low = node.low.isoformat() if node.low else "*"
        high = node.high.isoformat() if node.high else "*"
        return f"{node.field}:[{low} TO {high}]"
    if isinstance(node, Not):
        return f"NOT {to_text(node.child)}"
    joiner = " AND " if isinstance(node, And) else " OR "
    return "(" + joiner.join(to_text(c) for c in node.children) + ")"
