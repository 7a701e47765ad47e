"""Vendor value words -> canonical values, from the seed ``dbt_project/seeds/value_vocabulary.csv``.

Every word an export writes for a patent type, a patent legal status or a trademark status is
listed there with its canonical value (and, for lapsed statuses, the reason). Nothing is read by
prefix: ``授权后失效`` is lapsed because the seed says so, not because it starts with 授权. A word
that is not in the seed is quarantined with the vocabulary's name, so a data engineer adds it in
one line. The SQL built here is a plain ``CASE value WHEN ... END`` over the (few) words, which
DuckDB evaluates per distinct run of values quickly.

Canonical values:
- ``patent_type``: invention, utility_model, design;
- ``patent_status``: valid, lapsed, pending, not_granted, or ``event`` for an event word that says
  nothing about validity (权利转移, 质押 …: skipped when a cell lists several events); ``detail``
  is the lapse reason (unpaid_fee, expired, abandoned, invalidated);
- ``trademark_status``: registered, ended, never_registered.
"""

from __future__ import annotations

import csv
import functools
import re
from pathlib import Path

SEED = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "value_vocabulary.csv"
VOCABULARIES = ("patent_type", "patent_status", "trademark_status")
SEED_NAME = "dbt_project/seeds/value_vocabulary.csv"

_FULL = "".join(chr(c) for c in range(0xFF01, 0xFF5F)) + "\u3000"
_HALF = "".join(chr(c) for c in range(0x21, 0x7F)) + " "
_FOLD = str.maketrans(_FULL, _HALF)


def normalise_word(text: str) -> str:
    """The form a cell has after ingestion's normalisation: full width folded, trimmed, one space."""
    return re.sub(r"\s+", " ", text.translate(_FOLD)).strip()


@functools.lru_cache(maxsize=1)
def load() -> dict[str, dict[str, tuple[str, str]]]:
    """vocabulary -> {normalised raw word: (canonical, detail)}."""
    words: dict[str, dict[str, tuple[str, str]]] = {v: {} for v in VOCABULARIES}
    with SEED.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            vocab = row["vocabulary"].strip()
            if vocab not in words:
                raise ValueError(f"{SEED_NAME}: unknown vocabulary {vocab!r}")
            raw = normalise_word(row["raw_value"])
            if raw in words[vocab] and words[vocab][raw] != (row["canonical"], row["detail"] or ""):
                raise ValueError(f"{SEED_NAME}: {vocab} word {raw!r} is listed twice with different meanings")
            words[vocab][raw] = (row["canonical"].strip(), (row["detail"] or "").strip())
    return words


def lookup(vocabulary: str, word: str) -> tuple[str, str] | None:
    return load()[vocabulary].get(normalise_word(word))


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def case_sql(vocabulary: str, value_sql: str, part: int = 0) -> str:
    """CASE mapping a normalised word to its canonical value (part 0) or detail (part 1); else NULL."""
    whens = " ".join(
        f"WHEN {_q(raw)} THEN {_q(v[part])}" for raw, v in load()[vocabulary].items() if v[part]
    )
    return f"(CASE {value_sql} {whens} END)" if whens else "NULL::VARCHAR"


def macros_sql() -> str:
    """Temp macros: ipwh_vocab_<vocabulary>(word) and ipwh_vocab_<vocabulary>_detail(word)."""
    out = []
    for vocab in VOCABULARIES:
        out.append(f"CREATE OR REPLACE TEMP MACRO ipwh_vocab_{vocab}(w) AS {case_sql(vocab, 'w')};")
        out.append(f"CREATE OR REPLACE TEMP MACRO ipwh_vocab_{vocab}_detail(w) AS {case_sql(vocab, 'w', 1)};")
    return "\n".join(out)
