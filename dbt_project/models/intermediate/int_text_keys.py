"""Normalised forms of every distinct name, address and place text (int_raw_texts).

Names (the key entity resolution matches on): Unicode NFKC (full-width letters, digits and brackets
folded to half-width), traditional characters converted to simplified (OpenCC t2s), whitespace and
quotes dropped, every bracket form written '(' ')', Latin letters upper-cased. Legal forms are kept as
written: 有限公司 and 有限责任公司 stay different, and so does a branch (…分公司) from its parent.
Addresses and places: NFKC, traditional to simplified, whitespace dropped.

Python only because OpenCC does the conversion (and NFKC): one pass over the distinct texts (never
per source row); OpenCC is called only for the texts that contain a traditional character.
"""

import os
import unicodedata

NAME_MARKS = str.maketrans({
    **{c: "(" for c in "〔【[{〈《"}, **{c: ")" for c in "〕】]}〉》"}, **{q: None for q in "\"'“”‘’「」『』`"},
})


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

    rows = dbt.ref("int_raw_texts").project("text_kind, text").fetchall()
    traditional = frozenset(_traditional_chars())
    converter = None
    kinds, texts, norms, was_traditional = [], [], [], []
    for kind, text in rows:
        norm = unicodedata.normalize("NFKC", text)
        is_traditional = not traditional.isdisjoint(norm)
        if is_traditional:
            if converter is None:
                from opencc import OpenCC

                converter = OpenCC("t2s")
            norm = converter.convert(norm)
        # every Unicode whitespace dropped: str.split() splits on exactly what the regex \s matches,
        # ~6x faster than re.sub over the province sample's 1.5M texts
        norm = "".join(norm.split())
        if kind == "name":
            norm = norm.translate(NAME_MARKS).upper()
        kinds.append(kind)
        texts.append(text)
        norms.append(norm or None)
        was_traditional.append(is_traditional)
    return pa.table({
        "text_kind": pa.array(kinds, type=pa.string()),
        "text": pa.array(texts, type=pa.string()),
        "norm": pa.array(norms, type=pa.string()),
        "was_traditional": pa.array(was_traditional, type=pa.bool_()),
    })
