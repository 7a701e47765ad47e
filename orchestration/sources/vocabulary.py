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

Nice classes come from a second seed, ``dbt_project/seeds/nice_classes.csv``: the 45 classes with
the short name of each (29 食品, 35 广告销售 …) and the name variants exports write
(企查查 ``38-电讯、通信服务``). A cell's class number counts only if the seed lists it; when the
cell also names the class, the name must be one the seed lists for that number.
"""

from __future__ import annotations

import csv
import functools
import re
from pathlib import Path

SEED = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "value_vocabulary.csv"
VOCABULARIES = ("patent_type", "patent_status", "trademark_status")
SEED_NAME = "dbt_project/seeds/value_vocabulary.csv"
NICE_SEED = SEED.with_name("nice_classes.csv")
NICE_SEED_NAME = "dbt_project/seeds/nice_classes.csv"

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


def nice_name_key(name: str) -> str:
    """A class name as compared: normalised like a cell, then without any space (`食 品` = `食品`)."""
    return re.sub(r"\s", "", normalise_word(name))


@functools.lru_cache(maxsize=1)
def load_nice_classes() -> dict[int, tuple[str, frozenset[str]]]:
    """Nice class number -> (short name, every accepted name as compared by nice_name_key)."""
    short: dict[int, str] = {}
    names: dict[int, set[str]] = {}
    with NICE_SEED.open(encoding="utf-8", newline="") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            try:
                number = int(row["nice_class"])
            except (TypeError, ValueError):
                raise ValueError(f"{NICE_SEED_NAME} line {line}: class {row['nice_class']!r} is not a number") from None
            name, kind = nice_name_key(row["class_name"] or ""), (row["name_kind"] or "").strip()
            if not name or kind not in ("short_name", "variant"):
                raise ValueError(f"{NICE_SEED_NAME} line {line}: needs a class name and name_kind short_name|variant")
            if kind == "short_name":
                if number in short:
                    raise ValueError(f"{NICE_SEED_NAME}: class {number} has two short names")
                short[number] = name
            names.setdefault(number, set()).add(name)
    missing = sorted(set(names) - set(short))
    if missing:
        raise ValueError(f"{NICE_SEED_NAME}: classes {missing} have no short_name row")
    return {n: (short[n], frozenset(names[n])) for n in sorted(names)}


def nice_macros_sql() -> str:
    """Temp macros over the Nice class seed: ipwh_nice_known(n) (the seed lists class n),
    ipwh_nice_short_name(n), and ipwh_nice_name_ok(n, name) (name, spaces removed, is listed for n)."""
    classes = load_nice_classes()
    numbers = ", ".join(str(n) for n in classes)
    short = " ".join(f"WHEN {n} THEN {_q(s)}" for n, (s, _) in classes.items())
    pairs = ", ".join(_q(f"{n}|{name}") for n, (_, names) in classes.items() for name in sorted(names))
    return "\n".join([
        f"CREATE OR REPLACE TEMP MACRO ipwh_nice_known(n) AS n IN ({numbers});",
        f"CREATE OR REPLACE TEMP MACRO ipwh_nice_short_name(n) AS (CASE n {short} END);",
        f"CREATE OR REPLACE TEMP MACRO ipwh_nice_name_ok(n, name) AS "
        f"(CAST(n AS VARCHAR) || '|' || regexp_replace(name, '\\s', '', 'g')) IN ({pairs});",
    ])


def macros_sql() -> str:
    """Temp macros: ipwh_vocab_<vocabulary>(word) and ipwh_vocab_<vocabulary>_detail(word), and the
    Nice class macros (nice_macros_sql)."""
    out = []
    for vocab in VOCABULARIES:
        out.append(f"CREATE OR REPLACE TEMP MACRO ipwh_vocab_{vocab}(w) AS {case_sql(vocab, 'w')};")
        out.append(f"CREATE OR REPLACE TEMP MACRO ipwh_vocab_{vocab}_detail(w) AS {case_sql(vocab, 'w', 1)};")
    out.append(nice_macros_sql())
    return "\n".join(out)
