"""Normalised forms of every distinct name, address and place text (int_raw_texts).

Names (the key entity resolution matches on): Unicode NFKC (full-width letters, digits and brackets
folded to half-width), traditional characters converted to simplified (OpenCC t2s), whitespace and
quotes dropped, every bracket form written '(' ')', Latin letters upper-cased. Legal forms are kept as
written: 有限公司 and 有限责任公司 stay different, and so does a branch (…分公司) from its parent.
Addresses and places: NFKC, traditional to simplified, whitespace dropped.

Python only because OpenCC does the conversion; it runs once per distinct text, vectorised where
pandas can, and calls OpenCC only for the texts that contain a traditional character.
"""

import os
import re

import pandas as pd

BRACKETS = str.maketrans({"〔": "(", "〕": ")", "【": "(", "】": ")", "[": "(", "]": ")", "{": "(", "}": ")",
                          "〈": "(", "〉": ")", "《": "(", "》": ")"})
QUOTES = "\"'“”‘’「」『』`"


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
    from opencc import OpenCC

    texts = dbt.ref("int_raw_texts").df()
    s = texts["text"].astype("string").str.normalize("NFKC")
    trad = s.str.contains("[" + re.escape(_traditional_chars()) + "]", regex=True, na=False)
    if trad.any():
        cc = OpenCC("t2s")
        s = s.copy()
        s[trad] = [cc.convert(t) for t in s[trad]]
    s = s.str.replace(r"\s+", "", regex=True)
    is_name = texts["text_kind"] == "name"
    names = (s[is_name].str.translate(BRACKETS)
             .str.replace("[" + re.escape(QUOTES) + "]", "", regex=True)
             .str.upper())
    s = s.copy()
    s[is_name] = names
    out = pd.DataFrame({
        "text_kind": texts["text_kind"].astype("string"),
        "text": texts["text"].astype("string"),
        "norm": s.where(s.str.len() > 0),
        "was_traditional": trad.astype(bool),
    })
    return out
