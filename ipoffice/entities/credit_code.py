"""The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters with a check character."""

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1, 3, 9, 27, 19, 26, ...
AUTHORITIES = set("123456789ABCDEFGNY")  # 登记管理部门代码


def check_character(first17: str) -> str:
    """The 18th character computed from the first 17 (GB 32100 §5, modulus 31)."""
    total = sum(ALPHABET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """Why a code is not a valid unified social credit code, or None when it is."""
    code = (code or "").strip().upper()
    if len(code) != 18:
        return f"must have 18 characters, not {len(code)}"
    bad = sorted({ch for ch in code if ch not in ALPHABET})
    if bad:
        return f"character(s) {''.join(bad)} are not used in credit codes (no I, O, S, V, Z)"
    if code[0] not in AUTHORITIES:
        return f"'{code[0]}' is not a registration authority code"
    if not code[2:8].isdigit():
        return f"characters 3–8 must be the GB/T 2260 region code, not '{code[2:8]}'"
    expected = check_character(code[:17])
    if code[17] != expected:
        return f"check character is '{code[17]}' but should be '{expected}'"
    return None


def is_valid_credit_code(code: str) -> bool:
    return credit_code_problem(code) is None


def region_of_credit_code(code: str) -> str:
    """The six-digit division code embedded at characters 3–8 (the registering authority's region)."""
    return code[2:8]
