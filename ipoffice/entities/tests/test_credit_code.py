"""The unified social credit code (GB 32100-2015): check character, alphabet, authority, model validation."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from ipoffice.entities.credit_code import (
    ALPHABET,
    WEIGHTS,
    check_character,
    credit_code_problem,
    is_valid_credit_code,
    region_of_credit_code,
)
from ipoffice.entities.models import Entity

# Real codes as published on the national enterprise credit information system.
HUAWEI = "914403001922038216"  # 華為技術有限公司
REAL_CODES = [HUAWEI, "9144030071526726XG", "91440300708461136T"]


def _with_check(first17: str) -> str:
    return first17 + check_character(first17)


def test_weights_and_alphabet_of_the_standard():
    assert WEIGHTS == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    assert len(ALPHABET) == 31 and not set("IOSVZ") & set(ALPHABET)


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_valid(code):
    assert credit_code_problem(code) is None
    assert is_valid_credit_code(code)
    assert check_character(code[:17]) == code[17]
    assert region_of_credit_code(code) == "440300"  # registered in 深圳


@pytest.mark.parametrize("code", [" 914403001922038216 ", "9144030071526726xg", "91440300708461136t"])
def test_spaces_and_lower_case_are_tolerated(code):
    assert credit_code_problem(code) is None


@pytest.mark.parametrize("code", REAL_CODES)
def test_every_other_check_character_is_rejected(code):
    for wrong in ALPHABET.replace(code[17], ""):
        problem = credit_code_problem(code[:17] + wrong)
        assert problem == f"check character is '{wrong}' but should be '{code[17]}'"


@pytest.mark.parametrize("position", [2, 5, 9, 16])
def test_a_changed_character_breaks_the_check(position):
    digits = "0123456789"
    replacement = digits[(digits.index(HUAWEI[position]) + 1) % 10]
    changed = HUAWEI[:position] + replacement + HUAWEI[position + 1:]
    assert "check character" in credit_code_problem(changed)


def test_two_swapped_characters_break_the_check():
    swapped = HUAWEI[:9] + HUAWEI[10] + HUAWEI[9] + HUAWEI[11:]
    assert swapped != HUAWEI
    assert "check character" in credit_code_problem(swapped)


@pytest.mark.parametrize("code, length", [
    (HUAWEI[:17], 17), (HUAWEI + "6", 19), ("", 0), (None, 0), ("   ", 0), ("440300192203821", 15),
])
def test_wrong_length(code, length):
    assert credit_code_problem(code) == f"must have 18 characters, not {length}"


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_forbidden_letters(letter):
    code = HUAWEI[:10] + letter + HUAWEI[11:]
    assert credit_code_problem(code) == (f"character(s) {letter} are not used in credit codes "
                                         "(no I, O, S, V, Z)")
    assert not is_valid_credit_code(code)


def test_several_forbidden_characters_are_all_named():
    assert credit_code_problem("9144030019220382-O").startswith("character(s) -O are not used")


@pytest.mark.parametrize("authority", ["0", "H", "K", "X"])
def test_bad_registration_authority(authority):
    code = _with_check(authority + HUAWEI[1:17])  # a right check character: only the authority is wrong
    assert credit_code_problem(code) == f"'{authority}' is not a registration authority code"


@pytest.mark.parametrize("authority", list("123456789ANY"))
def test_known_registration_authorities(authority):
    assert credit_code_problem(_with_check(authority + HUAWEI[1:17])) is None


def test_region_part_must_be_digits():
    code = _with_check("91" + "44AB00" + HUAWEI[8:17])
    assert credit_code_problem(code) == "characters 3–8 must be the GB/T 2260 region code, not '44AB00'"


# --- the model ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_full_clean_rejects_an_invalid_code():
    entity = Entity(name="华为技术有限公司", credit_code=HUAWEI[:17] + "7")
    with pytest.raises(ValidationError) as caught:
        entity.full_clean()
    error = caught.value
    assert list(error.message_dict) == ["credit_code"]
    assert [e.code for e in error.error_dict["credit_code"]] == ["credit_code"]
    with translation.override("en"):
        assert error.message_dict["credit_code"] == [f"Invalid unified social credit code {HUAWEI[:17]}7: "
                                                     "check character is '7' but should be '6'"]
    with translation.override("zh-hans"):
        message = error.message_dict["credit_code"][0]
        assert "统一社会信用代码" in message and "check character is '7' but should be '6'" in message


@pytest.mark.django_db
@pytest.mark.parametrize("code, why", [("9144030019220382", "18 characters"), ("914403001922O38216", "no I, O"),
                                       ("H14403001922038216", "registration authority")])
def test_full_clean_says_why(code, why):
    with pytest.raises(ValidationError) as caught:
        Entity(name="某公司", credit_code=code).full_clean()
    assert why in caught.value.message_dict["credit_code"][0]


@pytest.mark.django_db
def test_full_clean_accepts_valid_codes_and_save_normalises():
    Entity(name="深圳市腾讯计算机系统有限公司", credit_code="91440300708461136t").full_clean()
    entity = Entity(name="深圳市腾讯计算机系统有限公司", credit_code=" 91440300708461136t ")
    entity.save()
    entity.refresh_from_db()
    assert entity.credit_code == "91440300708461136T"
    # No code is stored as NULL, so any number of entities may lack one despite the unique constraint.
    first, second = Entity.objects.create(name="张三", credit_code=""), Entity.objects.create(name="李四")
    assert first.credit_code is None and second.credit_code is None
