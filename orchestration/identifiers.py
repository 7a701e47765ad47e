"""Identifier formats and check characters used across China's IP and registration data.

Pure functions, used by the sample generator and the unit tests. Ingestion validates the same rules
vectorised in SQL (see ``orchestration/sources/sql.py``); tests keep the two in step.
"""

from __future__ import annotations

import re

APPNO_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
PATENT_TYPE_DIGITS = {"1": "invention", "8": "invention", "2": "utility_model", "9": "utility_model", "3": "design"}

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_PATTERN = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")

ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
HIGHTECH_CERT_PATTERN = re.compile(r"^GR(20\d{2})(\d{2})(\d{6})$")


def appno_check_char(body: str) -> str:
    """Check character of a CN application number body (12 digits, or 8 for 1985-2003 numbers)."""
    if not body.isdigit() or len(body) not in (8, 12):
        raise ValueError(f"application number body must be 8 or 12 digits: {body!r}")
    total = sum(int(d) * w for d, w in zip(body, APPNO_WEIGHTS))
    r = total % 11
    return "X" if r == 10 else str(r)


def normalize_appno(raw: str) -> str:
    """Strip CN/ZL prefixes, spaces and the dot; upper-case. Returns body + check char (no dot)."""
    s = raw.strip().upper().replace(" ", "").replace("．", ".")
    for prefix in ("CN", "ZL"):
        if s.startswith(prefix):
            s = s[len(prefix):]
    return s.replace(".", "")


def format_appno(body: str) -> str:
    """Canonical form used in the warehouse: body + '.' + check char, e.g. 202121635235.X."""
    return f"{body}.{appno_check_char(body)}"


def appno_is_valid(raw: str) -> bool:
    s = normalize_appno(raw)
    if len(s) == 13 and s[:12].isdigit():
        return s[12] == appno_check_char(s[:12]) and s[4] in PATENT_TYPE_DIGITS
    if len(s) == 9 and s[:8].isdigit():
        return s[8] == appno_check_char(s[:8])
    return False


def uscc_check_char(first17: str) -> str:
    """GB 32100-2015 check character of a unified social credit code."""
    if len(first17) != 17:
        raise ValueError(f"need the first 17 characters: {first17!r}")
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    value = (31 - total % 31) % 31
    return USCC_CHARSET[value]


def uscc_is_valid(code: str) -> bool:
    code = code.strip().upper()
    return bool(USCC_PATTERN.match(code)) and code[17] == uscc_check_char(code[:17])


def org_code_check_char(body8: str) -> str:
    """GB 11714-1997 organisation code check character (position 17 of a USCC)."""
    def value(c: str) -> int:
        return int(c) if c.isdigit() else ord(c) - ord("A") + 10

    total = sum(value(c) * w for c, w in zip(body8, ORG_CODE_WEIGHTS))
    r = 11 - total % 11
    return "X" if r == 10 else "0" if r == 11 else str(r)


def make_uscc(region_code: str, org_body8: str, dept: str = "9", kind: str = "1") -> str:
    """Build a valid USCC from a 6-digit region code and an 8-character organisation code body."""
    org = org_body8 + org_code_check_char(org_body8)
    first17 = dept + kind + region_code + org
    return first17 + uscc_check_char(first17)


def hightech_cert_is_valid(cert: str) -> bool:
    return bool(HIGHTECH_CERT_PATTERN.match(cert.strip().upper()))
