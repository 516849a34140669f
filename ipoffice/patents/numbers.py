"""Patent numbers and classification symbols: CN application-number check digits, IPC normalisation,
patent types by office and kind code."""

import re

from ipoffice.core.errors import DataError

_CN_TYPES = {"1": "invention", "2": "utility", "3": "design", "8": "invention", "9": "utility"}
_NUMBER_PUNCTUATION = re.compile(r"[\s.]")
_OFFICE_PREFIX = re.compile(r"^(CN|ZL)")
_CN_APPLICATION = re.compile(r"\d{12}[\dX]|\d{8}[\dX]")


def cn_check_digit(digits: str) -> str:
    """The check character of a CN application number (weights 2, 3, …, 9 repeating; mod 11; 10 → X)."""
    total = sum(int(d) * (2 + i % 8) for i, d in enumerate(digits))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def parse_cn_application_number(text: str) -> tuple[str, str]:
    """(number without the check character, patent type) of a CN application number.

    Accepts the 12-digit form since October 2003 (``CN202010123456.7``: year, type, serial, check) and the
    8-digit form before (``CN98123456.X``: year, type, serial, check), with or without ``CN``, ``ZL``, the dot
    and spaces. Type 1/8 is an invention, 2/9 a utility model (8 and 9: PCT national phase), 3 a design.
    """
    cleaned = _OFFICE_PREFIX.sub("", _NUMBER_PUNCTUATION.sub("", (text or "").upper()))
    if not _CN_APPLICATION.fullmatch(cleaned):
        raise DataError.single(f"'{text}' is not a CN application number (12 or 8 digits and a check character)",
                               field="application_number")
    digits, check = cleaned[:-1], cleaned[-1]
    expected = cn_check_digit(digits)
    if check != expected:
        raise DataError.single(f"'{text}': check character is {check}, should be {expected}",
                               field="application_number")
    year = int(digits[:4]) if len(digits) == 12 else 1900 + int(digits[:2]) + (100 if int(digits[:2]) < 85 else 0)
    if not (2003 <= year <= 2100 if len(digits) == 12 else 1985 <= year <= 2003):
        raise DataError.single(f"'{text}': year {year} does not fit the {len(digits)}-digit form",
                               field="application_number")
    type_digit = digits[4] if len(digits) == 12 else digits[2]
    if type_digit not in _CN_TYPES:
        raise DataError.single(f"'{text}': '{type_digit}' is not a patent type digit", field="application_number")
    return digits, _CN_TYPES[type_digit]


def format_cn_application_number(digits: str) -> str:
    """202010123456 → 202010123456.7 (with its check character)."""
    return f"{digits}.{cn_check_digit(digits)}"


_IPC = re.compile(r"^([A-H])\s*(\d{2})\s*([A-Z])\s*(\d{1,4})?\s*(?:/\s*(\d{1,6}))?")


def normalise_ipc(symbol: str) -> str:
    """An IPC/CPC symbol in one spelling: 'H04L 9/32', 'H04L0009320000', 'H04L  9/32 (2006.01)' → 'H04L9/32'.

    A subclass alone stays 'H04L'; an unreadable symbol is returned stripped, upper-cased.
    """
    text = (symbol or "").strip().upper()
    packed = re.fullmatch(r"([A-H]\d{2}[A-Z])(\d{4})(\d{6})", text.replace(" ", ""))
    if packed:  # the 14-character fixed form of the bulk files
        group, sub = int(packed[2]), packed[3].rstrip("0") or "00"
        return f"{packed[1]}{group}/{sub.zfill(2)}"
    match = _IPC.match(text)
    if not match:
        return text
    section, klass, subclass, group, sub = match.groups()
    head = f"{section}{klass}{subclass}"
    if group is None:
        return head
    return f"{head}{int(group)}/{sub or '00'}"


def ipc_subclass(symbol: str) -> str:
    return normalise_ipc(symbol)[:4]


# Kind codes → patent type, per office (WIPO ST.16 and the offices' own tables).
_KIND_TYPES = {
    "US": {"A": "invention", "B1": "invention", "B2": "invention", "A1": "invention", "A2": "invention",
           "A9": "invention", "S": "design", "S1": "design", "P": "plant", "P2": "plant", "P3": "plant",
           "E": "reissue", "E1": "reissue", "H": "other", "H1": "other"},
    "EP": {"A1": "invention", "A2": "invention", "A3": "invention", "A4": "invention", "B1": "invention",
           "B2": "invention", "B3": "invention"},
    "WO": {"A1": "invention", "A2": "invention", "A3": "invention"},
    "CN": {"A": "invention", "B": "invention", "C": "invention", "U": "utility", "Y": "utility", "S": "design",
           "D": "design"},
}


def patent_type(office: str, kind: str) -> str:
    """The patent type of a document from its office and kind code (unknown combinations: 'other')."""
    table = _KIND_TYPES.get(office.upper(), {})
    kind = (kind or "").upper()
    found = table.get(kind) or table.get(kind[:1])
    if found:
        return found
    # Other offices: the common ST.16 letters (A/B/C publications and grants, U/Y utility models, S designs).
    return {"A": "invention", "B": "invention", "C": "invention", "U": "utility", "Y": "utility",
            "S": "design"}.get(kind[:1], "other")
