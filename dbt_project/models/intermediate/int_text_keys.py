"""Normalised forms of every distinct name, address and place text (int_raw_texts).

Names (the key entity resolution matches on): Unicode NFKC (full-width letters, digits and brackets
folded to half-width), traditional characters converted to simplified (OpenCC t2s), whitespace and
quotes dropped, every bracket form written '(' ')', Latin letters upper-cased. Legal forms are kept as
written: 有限公司 and 有限责任公司 stay different, and so does a branch (…分公司) from its parent.
Addresses and places: NFKC, traditional to simplified, whitespace dropped.

Python only because OpenCC does the conversion. The rest is vectorised (pyarrow compute); OpenCC is
called once per distinct text that contains a traditional character, never per source row.
"""

import os
import re

QUOTES = "\"'“”‘’「」『』`"
OPEN_BRACKETS = "〔【[{〈《"
CLOSE_BRACKETS = "〕】]}〉》"


def _traditional_chars():
    """The characters OpenCC's t2s table maps to a different character."""
    import opencc

    path = os.path.join(os.path.dirname(opencc.__file__), "dictionary", "TSCharacters.txt")
    chars = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            trad, simp = line.rstrip("\n").split("\t", 1)
            if len(trad) == 1 and simp.split(" ")[0] != trad:
                chars.append(trad)
    return "".join(chars)


def model(dbt, session):
    dbt.config(materialized="table")
    import pyarrow as pa
    import pyarrow.compute as pc

    texts = dbt.ref("int_raw_texts").arrow()
    if isinstance(texts, pa.RecordBatchReader):
        texts = texts.read_all()
    kind = texts.column("text_kind")
    s = pc.utf8_normalize(texts.column("text"), "NFKC")
    trad = pc.match_substring_regex(s, "[" + re.escape(_traditional_chars()) + "]")
    if pc.any(trad).as_py():
        from opencc import OpenCC

        cc = OpenCC("t2s")
        converted = [cc.convert(t) if is_trad else t for t, is_trad in zip(s.to_pylist(), trad.to_pylist())]
        s = pa.chunked_array([pa.array(converted, type=pa.string())])
    s = pc.replace_substring_regex(s, r"\s+", "")
    is_name = pc.equal(kind, "name")
    name = pc.replace_substring_regex(s, "[" + re.escape(QUOTES) + "]", "")
    name = pc.replace_substring_regex(name, "[" + re.escape(OPEN_BRACKETS) + "]", "(")
    name = pc.replace_substring_regex(name, "[" + re.escape(CLOSE_BRACKETS) + "]", ")")
    name = pc.utf8_upper(name)
    norm = pc.if_else(is_name, name, s)
    norm = pc.if_else(pc.equal(pc.utf8_length(norm), 0), pa.scalar(None, pa.string()), norm)
    return pa.table({
        "text_kind": kind,
        "text": texts.column("text"),
        "norm": norm,
        "was_traditional": trad,
    })
