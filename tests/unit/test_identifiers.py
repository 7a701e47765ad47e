"""Check characters of application numbers and credit codes, on the real examples of domain.md."""

import pytest

from orchestration.identifiers import (
    appno_check_char,
    appno_is_valid,
    hightech_cert_is_valid,
    make_uscc,
    org_code_check_char,
    uscc_check_char,
    uscc_is_valid,
)

# domain.md §2.2: verified real numbers (12-digit era and 8-digit era)
REAL_APPLICATION_NUMBERS = [
    "200310100002.X", "201410200877.5", "200510113767.6", "00814037.5", "01800565.9", "202010159323.0",
    "88201465.X", "CN202121635235.X", "ZL202010159323.0",
]


@pytest.mark.parametrize("number", REAL_APPLICATION_NUMBERS)
def test_real_application_numbers_pass_their_check(number):
    assert appno_is_valid(number)


def test_often_quoted_example_is_invalid_and_its_check_char_is_6():
    # domain.md: 202310123456.7 is not valid, the correct check character is 6
    assert not appno_is_valid("202310123456.7")
    assert appno_check_char("202310123456") == "6"


def test_check_char_worked_by_hand():
    # 2*2+0*3+1*4+5*5+1*6+0*7+0*8+1*9+2*2+3*3+4*4+5*5 = 102; 102 mod 11 = 3
    assert appno_check_char("201510012345") == "3"


def test_check_char_ten_is_x():
    assert appno_check_char("200310100002") == "X"


def test_reserved_type_digit_is_invalid():
    body = "202140000001"  # type digit 4 is reserved
    assert not appno_is_valid(body + appno_check_char(body))


def test_uscc_worked_example():
    # domain.md §3.2: 914403001922038216, sum 831, 31 - 831 mod 31 = 6
    assert uscc_check_char("91440300192203821") == "6"
    assert uscc_is_valid("914403001922038216")
    assert org_code_check_char("19220382") == "1"


def test_uscc_with_wrong_check_fails():
    assert not uscc_is_valid("914403001922038217")


def test_fujian_pilot_code_fails_the_check():
    # legal codes that do not satisfy the check (domain.md §3.2): validation must flag, not reject
    assert not uscc_is_valid("91350100M0001TGQXM")


def test_make_uscc_builds_valid_puyang_codes():
    code = make_uscc("410922", "MA3X0002")
    assert code[2:8] == "410922" and uscc_is_valid(code)


@pytest.mark.parametrize("cert,ok", [("GR202241000123", True), ("GR202231005683", True), ("GR20224100012", False), ("GX202241000123", False)])
def test_hightech_certificate_format(cert, ok):
    assert hightech_cert_is_valid(cert) is ok
