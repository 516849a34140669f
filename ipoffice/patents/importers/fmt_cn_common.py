"""What the CN parsers share (no parser of its own): dates, numbers, legal status and legal events as the
CNIPA data and the Chinese exports write them."""

import re
from datetime import date

from ipoffice.core.errors import DataError

from ..numbers import cn_check_digit, parse_cn_application_number
from .base import ParsedEvent

GENERATED_WORDS = ("generated", "生成", "模拟", "虚构")

_DATE = re.compile(r"(\d{4})\s*[-./年]?\s*(\d{1,2})\s*[-./月]?\s*(\d{1,2})\s*日?")
_DIGITS_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")


def parse_date(value) -> date | None:
    """A date written 2020-01-05, 2020.01.05, 2020/1/5, 20200105 or 2020年1月5日 (or a date/datetime)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) and hasattr(value, "year") and hasattr(value, "month"):  # text: no lookups
        return date(value.year, value.month, value.day)
    text = str(value).strip()
    if not text:
        return None
    match = _DATE.fullmatch(text) or _DIGITS_DATE.fullmatch(text)
    if not match:
        raise ValueError(f"'{text}' is not a date (YYYY-MM-DD, YYYY.MM.DD or YYYYMMDD)")
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as error:
        raise ValueError(f"'{text}' is not a valid date ({error})") from error


def application_number(text: str) -> tuple[str, str]:
    """(registry form: digits and check character without the dot, patent type) of a CN application number.

    Raises :class:`DataError` with the reason when the number is malformed or its check character is wrong.
    """
    digits, kind = parse_cn_application_number(text)
    return digits + cn_check_digit(digits), kind  # (the parse has checked the given one against it)


_PUBLICATION = re.compile(r"^(?:CN)?\s*(\d{6,10})\s*([A-Z]\d?)$")
_SPACES = re.compile(r"\s+")
_KIND_CODE = re.compile(r"([A-Z]\d?)$")
_EVENT_SEPARATOR = re.compile(r"[;；\n]")


def publication_number(text: str) -> str:
    """'CN 111234567 A' → '111234567A' (the office's writing without the office prefix and spaces)."""
    cleaned = _SPACES.sub("", (text or "").upper())
    match = _PUBLICATION.match(cleaned)
    return f"{match[1]}{match[2]}" if match else cleaned.removeprefix("CN")


def kind_of(number: str) -> str:
    match = _KIND_CODE.search(number or "")
    return match[1] if match else ""


def priority_number(country: str, number: str) -> str:
    """A CN priority number in the registry form (no dot, no prefix); others as written, without spaces."""
    number = re.sub(r"\s+", "", number or "")
    if country.upper() == "CN":
        return re.sub(r"^(CN|ZL)", "", number.upper()).replace(".", "")
    return number


# 法律状态 words → registry status; the first match wins (部分无效 keeps the patent in force).
_STATUS_WORDS = [("部分无效", "granted"), ("全部无效", "invalidated"), ("无效", "invalidated"),
                 ("视为撤回", "withdrawn"), ("撤回", "withdrawn"), ("驳回", "withdrawn"), ("未缴年费", "lapsed"),
                 ("届满", "lapsed"), ("放弃", "lapsed"), ("终止", "lapsed"), ("失效", "lapsed"), ("授权", "granted"),
                 ("有效", "granted"), ("转移", "granted"), ("质押", "granted"), ("许可", "granted"),
                 ("实质审查", "pending"), ("公开", "pending"), ("公布", "pending"), ("审中", "pending"),
                 ("在审", "pending")]
_STATUSES = {"pending", "granted", "lapsed", "withdrawn", "invalidated"}
# Legal-event codes (old and new CNIPA codes, EPO INPADOC table) that change the status.
_EVENT_STATUS = {
    **dict.fromkeys(("C06", "PB01", "BB1A", "C10", "SE01", "EXSB", "CI01"), "pending"),
    **dict.fromkeys(("C14", "GR01", "FG4A", "FG1K", "GR03", "GRSP", "CGPU"), "granted"),
    **dict.fromkeys(("C17", "C19", "C20", "C25", "CF01", "CX01", "CE01", "AR01", "AV01", "AD01", "EXPY", "MM4A",
                     "MM1K", "MK4A", "MK1K", "MA1K", "RGAV"), "lapsed"),
    **dict.fromkeys(("C01", "C02", "C03", "C04", "C05", "C12", "WD01", "WW01", "RJ01"), "withdrawn"),
    **dict.fromkeys(("IW01", "RW01", "C28"), "invalidated"),
}
_RESTORED = {"RA01", "RR01", "C49", "C52", "REIN", "PD01"}


def status_from_text(text: str) -> str:
    text = (text or "").strip()
    if text.lower() in _STATUSES:
        return text.lower()
    for word, status in _STATUS_WORDS:
        if word in text:
            return status
    return ""


def status_from_events(events: list[ParsedEvent]) -> str:
    status = ""
    granted = False
    for event in sorted(events, key=lambda e: e.date):
        code = event.code.upper()
        if code in _RESTORED:
            status = "granted" if granted else "pending"
        elif code in _EVENT_STATUS:
            status = _EVENT_STATUS[code]
            granted = granted or status == "granted"
    return status


_EVENT = re.compile(r"(\d{4}[-./]?\d{1,2}[-./]?\d{1,2})\s+([A-Z][A-Z0-9]{1,5})\s*(.*)")


def parse_events(text: str) -> list[ParsedEvent]:
    """'2019-03-12 PB01 公开; 2019-04-05 SE01 实质审查的生效' → events (raises ValueError on a bad item)."""
    events = []
    for item in _EVENT_SEPARATOR.split(text or ""):
        item = item.strip()
        if not item:
            continue
        match = _EVENT.fullmatch(item)
        if not match:
            raise ValueError(f"'{item}' is not a legal event (date, code, description)")
        events.append(ParsedEvent(parse_date(match[1]), match[2], match[3].strip()))
    return events


def first_problem(error: DataError) -> str:
    return error.problems[0].reason if error.problems else str(error)
