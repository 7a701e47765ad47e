"""One Great Expectations suite per source, on ``raw.<source>`` (every version of every file).

The suites are a safety net behind ingestion, which has already quarantined the rows that break a
contract rule: on good data every suite passes. How strict a rule is depends on who enforced it first:

* ``INGESTION_RULE`` (mostly = 1): ingestion quarantines every row breaking it (missing key, bad
  application number, unknown coded value, date outside 1950-2100, ...). One miss here means the
  pipeline itself is broken, so no tolerance.
* ``DATE_ORDER`` / ``UNCHECKED_RANGE`` (mostly = 0.99): rules ingestion does not check row by row
  (grant before application, a term that ends before it starts, a fee year beyond any patent term).
  Real registers hold a few such oddities (corrections, re-registrations, typing slips) and dbt copes
  with them; 1 % lets those through while a swapped or misread column, which breaks most rows, fails.
* ``FLAGGED_FORMAT`` (mostly = 0.9): credit codes are flagged, never dropped (early pilot codes are
  legal, some exports still carry old registration numbers). The check is there to catch a wrong
  column read as the credit code (names, phone numbers), not single bad codes.
* ``KEY_REPEATS`` (mostly = 0.9): raw tables keep every file version, so a key is at most unique
  within one file, and real exports repeat some keys even there (a patent listed once per
  publication, a firm under two batches); dbt's supersede picks one. The check catches a key column
  that collapsed (read from the wrong column, filled with one value), which repeats most rows.

Allowed values of coded columns are the canonical codes ingestion writes (see
``orchestration/sources/catalog.py`` ENUMS and ``sql.py``); a unit test keeps the two in step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.expectations.row_conditions import Column

INGESTION_RULE = 1.0
DATE_ORDER = 0.99
UNCHECKED_RANGE = 0.99
FLAGGED_FORMAT = 0.9
KEY_REPEATS = 0.9

# DuckDB DATE columns arrive in pandas as datetime64, so the bounds are datetimes.
FIRST_DATE = dt.datetime(1950, 1, 1)
LAST_DATE = dt.datetime(2100, 12, 31)
FIRST_YEAR, LAST_YEAR = 1950, 2100

# Canonical forms written by ingestion.
APPLICATION_NO = r"^\d{12}\.[0-9X]$|^\d{8}\.[0-9X]$"
APPLICATION_NO_LIST = r"^(?:\d{12}|\d{8})\.[0-9X](?:;(?:\d{12}|\d{8})\.[0-9X])*$"  # pledges: 'a;b;c'
CERTIFICATE_NO = r"^GR20\d{2}\d{8}$"  # GR + year + province code + 6-digit serial
TRADEMARK_REG_NO = r"^[A-Z]?\d{1,10}$"
CREDIT_CODE = r"^[0-9A-Z]{18}$"  # shape only; the check digit is ingestion's business (flags)
REGION_CODE = r"^\d{6}$"
INDUSTRY_CODE = r"^\d{2,4}$"  # GB/T 4754 division, group or class, section letter stripped

PATENT_TYPES = {"invention", "utility_model", "design"}
PATENT_STATUS_CLASSES = {"valid", "lapsed", "pending", "not_granted"}
PATENT_LAPSE_REASONS = {"unpaid_fee", "expired", "abandoned", "invalidated"}
TRADEMARK_STATUS_CLASSES = {"registered", "ended", "never_registered"}
OVERSEAS_KINDS = {"pct", "madrid", "foreign_patent", "foreign_trademark"}
SRDI_LEVELS = {"provincial_srdi_sme", "little_giant"}
SRDI_STAGES = {"publicity", "published", "re_reviewed", "revoked"}
IP_ADVANTAGE_LEVELS = {
    "national_demonstration", "national_advantage", "provincial_demonstration", "provincial_advantage",
    "provincial_strong", "municipal_advantage", "municipal_cultivation",
}
YES_NO = {"true", "false"}


# --- building blocks ---------------------------------------------------------------------------

def not_null(column: str) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToNotBeNull(column=column)


def matches(column: str, regex: str, mostly: float = INGESTION_RULE) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToMatchRegex(column=column, regex=regex, mostly=mostly)


def one_of(column: str, values: set[str]) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToBeInSet(column=column, value_set=sorted(values))


def between(column: str, low=None, high=None, mostly: float = INGESTION_RULE, **kwargs) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToBeBetween(column=column, min_value=low, max_value=high, mostly=mostly, **kwargs)


def dates_in_range(*columns: str, mostly: float = INGESTION_RULE) -> list[gxe.Expectation]:
    return [between(c, FIRST_DATE, LAST_DATE, mostly=mostly) for c in columns]


def year_in_range(column: str) -> gxe.Expectation:
    return between(column, FIRST_YEAR, LAST_YEAR)


def not_before(later: str, earlier: str, mostly: float = DATE_ORDER) -> gxe.Expectation:
    """``later`` >= ``earlier`` wherever both are present."""
    return gxe.ExpectColumnPairValuesAToBeGreaterThanB(
        column_A=later, column_B=earlier, or_equal=True, ignore_row_if="either_value_is_missing", mostly=mostly)


def named_by(name_column: str, code_column: str) -> gxe.Expectation:
    """Keys where the credit code may stand in for the name: the name is there when the code is not."""
    return gxe.ExpectColumnValuesToNotBeNull(column=name_column, row_condition=Column(code_column).is_null())


def bookkeeping(key: list[str]) -> list[gxe.Expectation]:
    """Every raw table: where a row came from, and that a file's rows and keys do not repeat."""
    return [
        not_null("_source_file"),
        not_null("_row_number"),
        between("_row_number", 1),
        not_null("_file_as_of"),
        not_null("_loaded_at"),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["_source_file", "_row_number"]),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["_source_file", *key], mostly=KEY_REPEATS),
    ]


# --- one suite per source ----------------------------------------------------------------------

def patents() -> list[gxe.Expectation]:
    return [
        *bookkeeping(["application_no"]),
        not_null("application_no"),
        matches("application_no", APPLICATION_NO),
        one_of("patent_type", PATENT_TYPES),
        one_of("status_class", PATENT_STATUS_CLASSES),
        one_of("lapse_reason", PATENT_LAPSE_REASONS),
        *dates_in_range("application_date", "grant_date", "lapse_date"),
        not_before("grant_date", "application_date"),
        not_before("lapse_date", "application_date"),
        # Patent year n (1-20 for inventions, up to 5 more with a term extension); not checked at ingestion.
        between("fee_paid_through_year", 1, 25, mostly=UNCHECKED_RANGE),
        matches("patentee_uscc", CREDIT_CODE, mostly=FLAGGED_FORMAT),
    ]


def trademarks() -> list[gxe.Expectation]:
    return [
        *bookkeeping(["reg_no", "nice_class"]),
        not_null("reg_no"),
        not_null("nice_class"),
        matches("reg_no", TRADEMARK_REG_NO),
        between("nice_class", 1, 45),
        one_of("status_class", TRADEMARK_STATUS_CLASSES),
        *dates_in_range("application_date", "reg_date", "term_end", "cancel_date"),
        # 专用权期限 is split into two dates without a range check at ingestion.
        *dates_in_range("term_from", "term_to", mostly=UNCHECKED_RANGE),
        not_before("reg_date", "application_date"),
        not_before("term_to", "term_from"),
        matches("registrant_uscc", CREDIT_CODE, mostly=FLAGGED_FORMAT),
    ]


def overseas_filings() -> list[gxe.Expectation]:
    return [
        *bookkeeping(["filing_no"]),
        not_null("filing_no"),
        one_of("kind", OVERSEAS_KINDS),
        *dates_in_range("filing_date"),
        matches("applicant_uscc", CREDIT_CODE, mostly=FLAGGED_FORMAT),
    ]


def hightech() -> list[gxe.Expectation]:
    # certificate_no is empty only in a list published without 证书编号 (keyed by enterprise + year;
    # ingestion quarantines a row missing its key either way)
    return [
        *bookkeeping(["certificate_no", "enterprise", "year"]),
        named_by("enterprise", "certificate_no"),
        named_by("year", "certificate_no"),
        matches("certificate_no", CERTIFICATE_NO),
        *dates_in_range("issue_date"),
        matches("uscc", CREDIT_CODE, mostly=FLAGGED_FORMAT),
    ]


def srdi() -> list[gxe.Expectation]:
    return [
        *bookkeeping(["uscc", "enterprise", "level", "year", "stage"]),
        named_by("enterprise", "uscc"),
        not_null("level"),
        not_null("year"),
        not_null("stage"),
        one_of("level", SRDI_LEVELS),
        one_of("stage", SRDI_STAGES),
        year_in_range("year"),
        *dates_in_range("valid_from", "valid_to"),
        # 有效期 as one「起 至 止」cell is split without a range check at ingestion.
        *dates_in_range("validity_from", "validity_to", mostly=UNCHECKED_RANGE),
        not_before("valid_to", "valid_from"),
        not_before("validity_to", "validity_from"),
        matches("uscc", CREDIT_CODE, mostly=FLAGGED_FORMAT),
    ]


def ip_advantage() -> list[gxe.Expectation]:
    return [
        *bookkeeping(["uscc", "enterprise", "level", "year"]),
        named_by("enterprise", "uscc"),
        not_null("level"),
        not_null("year"),
        one_of("level", IP_ADVANTAGE_LEVELS),
        year_in_range("year"),
        *dates_in_range("valid_to"),
        matches("uscc", CREDIT_CODE, mostly=FLAGGED_FORMAT),
    ]


def enterprises() -> list[gxe.Expectation]:
    return [
        *bookkeeping(["uscc", "above_scale_year"]),
        not_null("uscc"),
        matches("uscc", CREDIT_CODE, mostly=FLAGGED_FORMAT),
        year_in_range("above_scale_year"),
        matches("industry_code", INDUSTRY_CODE),
        one_of("key_enterprise", YES_NO),
    ]


def population() -> list[gxe.Expectation]:
    return [
        *bookkeeping(["region_code", "year"]),
        not_null("region_code"),
        not_null("year"),
        matches("region_code", REGION_CODE),
        year_in_range("year"),
        # Persons, after 万人 columns were scaled; the upper bound catches a unit scaled twice.
        between("population", 0, 2_000_000_000, strict_min=True),
    ]


def pledges() -> list[gxe.Expectation]:
    return [
        *bookkeeping(["registration_no"]),
        not_null("registration_no"),
        matches("application_no", APPLICATION_NO_LIST),
        between("amount_wan", 0),
        *dates_in_range("registration_date", "release_date"),
        not_before("release_date", "registration_date"),
    ]


def awards() -> list[gxe.Expectation]:
    return [
        *bookkeeping(["application_no", "award"]),
        not_null("application_no"),
        not_null("award"),
        matches("application_no", APPLICATION_NO),
        year_in_range("year"),
    ]


SUITES: dict[str, Callable[[], list[gxe.Expectation]]] = {
    "patents": patents,
    "trademarks": trademarks,
    "overseas_filings": overseas_filings,
    "hightech": hightech,
    "srdi": srdi,
    "ip_advantage": ip_advantage,
    "enterprises": enterprises,
    "population": population,
    "pledges": pledges,
    "awards": awards,
}


def build_suite(source_name: str) -> gx.ExpectationSuite:
    """A fresh suite for one source (an expectation belongs to one suite, so none are shared)."""
    return gx.ExpectationSuite(name=f"raw.{source_name}", expectations=SUITES[source_name]())
