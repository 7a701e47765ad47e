"""Vectorised parsing and validation of one file's text columns, as DuckDB SQL.

For every column of a source this module yields the SQL that parses it (dates, numbers,
identifiers, coded values) and the SQL that names each rule it breaks. A broken rule either
quarantines the row (``violations``) or loads it with a warning (``flags``). The rules mirror the
pure-Python reference in ``orchestration/identifiers.py``; unit tests hold the two together.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .catalog import ENUMS, Column, Source
from .vocabulary import NICE_SEED_NAME as NICE_SEED
from .vocabulary import SEED_NAME as VOCAB_SEED
from .vocabulary import macros_sql as vocabulary_macros

FULLWIDTH = "".join(chr(c) for c in range(0xFF01, 0xFF5F)) + "\u3000"
HALFWIDTH = "".join(chr(c) for c in range(0x21, 0x7F)) + " "
DATE_FORMATS = [
    "%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M",
]
HIDDEN_COMMA = "\x01"  # stands for a comma inside a company name while a list is split
BLANKS = ("", "0", "-", "--", "—", "/", "无", "null", "NULL", "None", "none", "nan", "NaN", "N/A", "n/a")

MACROS = f"""
CREATE OR REPLACE TEMP MACRO ipwh_hw(s) AS CASE WHEN regexp_matches(s, '[！-～　]')
    THEN translate(s, '{FULLWIDTH}', '{HALFWIDTH.replace("'", "''")}') ELSE s END;
CREATE OR REPLACE TEMP MACRO ipwh_blank(s) AS s IS NULL OR trim(ipwh_hw(s)) IN ({", ".join("'" + b + "'" for b in BLANKS)});
CREATE OR REPLACE TEMP MACRO ipwh_date(s) AS (
    CASE
        -- most dates are written 2015-03-01 or 2015年03月01日: read those at once (the branches below
        -- come to the same date through that format of DATE_FORMATS, after folding, trimming and
        -- more regexes: ~1 s per date column of a million rows)
        WHEN regexp_full_match(s, '\\d{{4}}-\\d{{2}}-\\d{{2}}') THEN try_strptime(s, '%Y-%m-%d')::DATE
        WHEN regexp_full_match(s, '\\d{{4}}年\\d{{2}}月\\d{{2}}日') THEN try_strptime(s, '%Y年%m月%d日')::DATE
        WHEN ipwh_blank(s) THEN NULL
        WHEN regexp_full_match(trim(ipwh_hw(s)), '\\d{{8}}(\\.0+)?') THEN try_strptime(left(trim(ipwh_hw(s)), 8), '%Y%m%d')::DATE
        WHEN regexp_full_match(trim(ipwh_hw(s)), '\\d{{1,5}}(\\.\\d+)?')
            THEN CASE WHEN try_cast(trim(ipwh_hw(s)) AS DOUBLE) BETWEEN 1 AND 80000
                      THEN DATE '1899-12-30' + CAST(floor(try_cast(trim(ipwh_hw(s)) AS DOUBLE)) AS INTEGER) END
        ELSE try_strptime(regexp_replace(trim(ipwh_hw(s)), '\\s+', ' ', 'g'), {DATE_FORMATS!r})::DATE
    END);
CREATE OR REPLACE TEMP MACRO ipwh_appno_body(s) AS regexp_replace(regexp_replace(upper(trim(ipwh_hw(s))), '^(CN|ZL)\\s*', ''), '[\\s.]', '', 'g');
-- Unrolled weighted sum (weights 2..9,2..5 left to right; an 8-digit body uses the first 8): no lambdas.
CREATE OR REPLACE TEMP MACRO ipwh_appno_sum(body) AS (CASE WHEN length(body) >= 1 THEN (ascii(substr(body, 1, 1)) - 48) * 2 ELSE 0 END + CASE WHEN length(body) >= 2 THEN (ascii(substr(body, 2, 1)) - 48) * 3 ELSE 0 END + CASE WHEN length(body) >= 3 THEN (ascii(substr(body, 3, 1)) - 48) * 4 ELSE 0 END + CASE WHEN length(body) >= 4 THEN (ascii(substr(body, 4, 1)) - 48) * 5 ELSE 0 END + CASE WHEN length(body) >= 5 THEN (ascii(substr(body, 5, 1)) - 48) * 6 ELSE 0 END + CASE WHEN length(body) >= 6 THEN (ascii(substr(body, 6, 1)) - 48) * 7 ELSE 0 END + CASE WHEN length(body) >= 7 THEN (ascii(substr(body, 7, 1)) - 48) * 8 ELSE 0 END + CASE WHEN length(body) >= 8 THEN (ascii(substr(body, 8, 1)) - 48) * 9 ELSE 0 END + CASE WHEN length(body) >= 9 THEN (ascii(substr(body, 9, 1)) - 48) * 2 ELSE 0 END + CASE WHEN length(body) >= 10 THEN (ascii(substr(body, 10, 1)) - 48) * 3 ELSE 0 END + CASE WHEN length(body) >= 11 THEN (ascii(substr(body, 11, 1)) - 48) * 4 ELSE 0 END + CASE WHEN length(body) >= 12 THEN (ascii(substr(body, 12, 1)) - 48) * 5 ELSE 0 END);
CREATE OR REPLACE TEMP MACRO ipwh_appno_check(body) AS (
    CASE ipwh_appno_sum(body) % 11 WHEN 10 THEN 'X' ELSE CAST(ipwh_appno_sum(body) % 11 AS VARCHAR) END);
CREATE OR REPLACE TEMP MACRO ipwh_uscc_norm(s) AS upper(regexp_replace(ipwh_hw(s), '[\\s-]', '', 'g'));
CREATE OR REPLACE TEMP MACRO ipwh_uscc_check(c) AS substr('0123456789ABCDEFGHJKLMNPQRTUWXY',
    CAST((31 - ((strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(c, 1, 1)) - 1) * 1 + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(c, 2, 1)) - 1) * 3 + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(c, 3, 1)) - 1) * 9 + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(c, 4, 1)) - 1) * 27 + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(c, 5, 1)) - 1) * 19 + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(c, 6, 1)) - 1) * 26 + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(c, 7, 1)) - 1) * 16 + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(c, 8, 1)) - 1) * 17 + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(c, 9, 1)) - 1) * 20 + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(c, 10, 1)) - 1) * 29 + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(c, 11, 1)) - 1) * 25 + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(c, 12, 1)) - 1) * 13 + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(c, 13, 1)) - 1) * 8 + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(c, 14, 1)) - 1) * 24 + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(c, 15, 1)) - 1) * 10 + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(c, 16, 1)) - 1) * 30 + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(c, 17, 1)) - 1) * 28) % 31) % 31 + 1 AS BIGINT), 1);
-- A comma inside a company name (`Co., Ltd.`, `Corp., Inc.`) is not a separator: hidden as \x01 while splitting.
CREATE OR REPLACE TEMP MACRO ipwh_keep_company_commas(n) AS CASE WHEN contains(n, ',')
    THEN regexp_replace(n, ',(\\s*(?i:ltd|limited|inc|llc|corp|co\\b|gmbh|s\\.a|ag\\b|plc|kg\\b))', '{HIDDEN_COMMA}\\1', 'g') ELSE n END;
CREATE OR REPLACE TEMP MACRO ipwh_list(s) AS
    CASE WHEN ipwh_blank(s) THEN NULL
         ELSE replace(nullif(trim(regexp_replace(regexp_replace(ipwh_keep_company_commas(ipwh_hw(s)), '\\s*[;；,，、|]\\s*', ';', 'g'), ';+', ';', 'g'), '; '), ''), '{HIDDEN_COMMA}', ',') END;
-- The same for a cell already normalised by parse_select (one regex, only when a separator is present).
CREATE OR REPLACE TEMP MACRO ipwh_list_n(n) AS
    CASE WHEN regexp_matches(n, '[;；,，、|]')
         THEN replace(nullif(trim(regexp_replace(ipwh_keep_company_commas(n), '\\s*[;；,，、|][;；,，、|\\s]*', ';', 'g'), '; '), ''), '{HIDDEN_COMMA}', ',') ELSE n END;
CREATE OR REPLACE TEMP MACRO ipwh_int_text(s) AS regexp_replace(replace(trim(ipwh_hw(s)), ',', ''), '\\.0+$', '');
""" + vocabulary_macros()


@dataclass
class ColumnSql:
    outputs: list[tuple[str, str]]  # (output column, SQL expression)
    violations: list[str]  # struct SQL or NULL
    flags: list[str]
    # helper columns computed once before the rules (prep), and from those (prep2)
    prep: list[tuple[str, str]] = field(default_factory=list)
    prep2: list[tuple[str, str]] = field(default_factory=list)


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _issue(col: str, raw: str, rule: str, message_sql: str, condition: str) -> str:
    return (
        f"CASE WHEN {condition} THEN {{'column_name': {_q(col)}, 'raw_value': {raw}, "
        f"'rule': {_q(rule)}, 'message': {message_sql}}} END"
    )


def _msg(header: str, raw: str, text: str) -> str:
    """Chinese message: <header as written>「<raw>」<text>."""
    return f"{_q(header)} || '「' || coalesce({raw}, '') || '」' || {_q(text)}"


def _enum_case(value_sql: str, enum: str) -> str:
    whens = " ".join(f"WHEN {_q(k)} THEN {_q(v)}" for k, v in ENUMS[enum].items())
    return f"(CASE {value_sql} {whens} END)"


def column_sql(col: Column, header: str | None, scale: float = 1.0) -> ColumnSql:
    """SQL for one canonical column. ``header`` is the column as written in the file, None if absent."""
    # raw_msg: the cell as written (quarantine raw_value, messages); raw: the normalised cell,
    # computed once per row in parse_select's prepare step.
    raw_msg = f'"{col.name}"' if header is not None else "NULL::VARCHAR"
    raw = f'"__n_{col.name}"' if header is not None else "NULL::VARCHAR"
    h = header or col.aliases[0]
    name, kind = col.name, col.kind
    present = f"{raw} IS NOT NULL"
    out: list[tuple[str, str]] = []
    vio: list[str] = []
    flg: list[str] = []
    prep: list[tuple[str, str]] = []
    prep2: list[tuple[str, str]] = []

    if kind in ("text", "name", "address"):
        out.append((name, raw))
    elif kind in ("list",):
        out.append((name, f"ipwh_list_n({raw})"))
    elif kind == "ipc":
        out.append((name, f"nullif(upper(regexp_replace({raw}, '\\s+', '', 'g')), '')"))
    elif kind == "ipc_list":
        out.append((name, f"nullif(upper(replace(ipwh_list_n({raw}), ' ', '')), '')"))
    elif kind == "date":
        prep2.append((f"__d_{name}", f"ipwh_date({raw})"))
        parsed = f'"__d_{name}"'
        out.append((name, parsed))
        vio.append(_issue(name, raw_msg, "invalid_date", _msg(h, raw_msg, "不是有效日期"), f"{present} AND {parsed} IS NULL"))
        vio.append(_issue(name, raw_msg, "date_out_of_range", _msg(h, raw_msg, "超出合理年份范围(1950-2100)"),
                          f"{parsed} IS NOT NULL AND (year({parsed}) < 1950 OR year({parsed}) > 2100)"))
    elif kind == "appno":
        # Normalised once in the prepare step (see parse_select): digits without check char, the
        # check char as given, and the computed one; the rules below only reference those columns.
        body = f"ipwh_appno_body({raw})"
        digits_p, given_p, computed_p = f"__{name}_digits", f"__{name}_given", f"__{name}_computed"
        prep.append((digits_p, f"CASE WHEN regexp_full_match({body}, '(\\d{{12}}|\\d{{8}})[0-9X]?') "
                               f"THEN left({body}, CASE WHEN length({body}) IN (9, 13) THEN length({body}) - 1 ELSE length({body}) END) END"))
        prep.append((given_p, f"CASE WHEN length({body}) IN (9, 13) THEN right({body}, 1) END"))
        digits, check, computed = f'"{digits_p}"', f'"{given_p}"', f'"{computed_p}"'
        prep2.append((computed_p, f"ipwh_appno_check({digits})"))
        ok_format = f"{digits} IS NOT NULL"
        out.append((name, f"CASE WHEN {present} AND {ok_format} THEN {digits} || '.' || {computed} END"))
        vio.append(_issue(name, raw_msg, "invalid_application_no", _msg(h, raw_msg, "不是有效的中国专利申请号格式"),
                          f"{present} AND NOT {ok_format}"))
        vio.append(_issue(name, raw_msg, "application_no_check_digit",
                          _msg(h, raw_msg, "校验位错误") + f" || '，应为 ' || {computed}",
                          f"{present} AND {ok_format} AND {check} IS NOT NULL AND {check} <> {computed}"))
        vio.append(_issue(name, raw_msg, "application_no_type_digit", _msg(h, raw_msg, "第5位专利类型码不是 1/2/3/8/9"),
                          f"{present} AND {ok_format} AND length({digits}) = 12 AND substr({digits}, 5, 1) NOT IN ('1','2','3','8','9')"))
        flg.append(_issue(name, raw_msg, "application_no_check_missing", _msg(h, raw_msg, "缺少校验位，已按规则补全"),
                          f"{present} AND {ok_format} AND {check} IS NULL"))
    elif kind == "appno_list":
        # Several numbers (a pledge covers a package of patents); a number without its check
        # character is completed and flagged, as for single numbers.
        items = f"list_transform(string_split(ipwh_list({raw}), ';'), lambda x: ipwh_appno_body(x))"
        ok_item = "regexp_full_match(x, '(\\d{12}|\\d{8})[0-9X]?')"
        norm = (f"list_transform({items}, lambda x: CASE WHEN length(x) IN (8, 12) THEN x || '.' || ipwh_appno_check(x) "
                f"ELSE left(x, length(x) - 1) || '.' || right(x, 1) END)")
        out.append((name, f"CASE WHEN {present} THEN array_to_string({norm}, ';') END"))
        bad = (f"list_filter({items}, lambda x: NOT {ok_item} OR (length(x) IN (9, 13) "
               f"AND right(x, 1) <> ipwh_appno_check(left(x, length(x) - 1))))")
        vio.append(_issue(name, raw_msg, "application_no_check_digit",
                          _msg(h, raw_msg, "含格式或校验位错误的专利号") + f" || '：' || array_to_string({bad}, ';')",
                          f"{present} AND length({bad}) > 0"))
        missing = f"list_filter({items}, lambda x: length(x) IN (8, 12) AND regexp_full_match(x, '\\d+'))"
        flg.append(_issue(name, raw_msg, "application_no_check_missing",
                          _msg(h, raw_msg, "中的专利号缺少校验位，已按规则补全") + f" || '：' || array_to_string({missing}, ';')",
                          f"{present} AND length({missing}) > 0"))
    elif kind == "uscc":
        norm_p = f"__{name}_norm"
        prep.append((norm_p, f"ipwh_uscc_norm({raw})"))
        norm = f'"{norm_p}"'
        ok_format = f"regexp_full_match({norm}, '[0-9A-HJ-NPQRTUWXY]{{2}}\\d{{6}}[0-9A-HJ-NPQRTUWXY]{{10}}')"
        out.append((name, f"CASE WHEN {present} THEN {norm} END"))
        flg.append(_issue(name, raw_msg, "uscc_invalid_format", _msg(h, raw_msg, "不符合统一社会信用代码格式(18位)"),
                          f"{present} AND NOT {ok_format}"))
        flg.append(_issue(name, raw_msg, "uscc_check_digit",
                          _msg(h, raw_msg, "校验位不符(GB 32100)，早期试点代码可能合法，已保留") + f" || '，按规则应为 ' || ipwh_uscc_check({norm})",
                          f"{present} AND {ok_format} AND right({norm}, 1) <> ipwh_uscc_check({norm})"))
    elif kind == "cert":
        norm = f"upper(regexp_replace({raw}, '\\s', '', 'g'))"
        out.append((name, f"CASE WHEN {present} THEN {norm} END"))
        vio.append(_issue(name, raw_msg, "invalid_certificate_no", _msg(h, raw_msg, "不符合高企证书编号格式 GR+年份+省代码+6位序号"),
                          f"{present} AND NOT regexp_full_match({norm}, 'GR20\\d{{2}}\\d{{2}}\\d{{6}}')"))
    elif kind == "nice_class":
        # 25, 第35类, 29类 食品, 38-电讯、通信服务: the class number, then optionally 类 and the class
        # name. Both through the seed nice_classes.csv (vocabulary.py): the number must be one of its
        # classes, and a name must be one it lists for that number (29类 服装 is quarantined, not read).
        # One regex per cell (an Excel float 25.0 included); the checks are IN lists over the seed.
        pattern = "^第?\\s*(\\d{1,2})(?:\\.0+)?\\s*(?:类)?(?:\\s*(?:[-—:]\\s*)?([^\\d\\s:—-].*))?$"
        parts_p, number_p, cname_p = f"__nc_{name}", f"__ncn_{name}", f"__ncx_{name}"
        prep.append((parts_p, f"regexp_extract({raw}, '{pattern}', ['number', 'class_name'])"))
        number = f"try_cast(nullif(\"{parts_p}\".number, '') AS INTEGER)"
        prep2.append((number_p, f"CASE WHEN ipwh_nice_known({number}) THEN {number} END"))
        prep2.append((cname_p, f"nullif(trim(\"{parts_p}\".class_name), '')"))
        parsed, cname = f'"{number_p}"', f'"{cname_p}"'
        out.append((name, parsed))
        vio.append(_issue(name, raw_msg, "invalid_nice_class",
                          _msg(h, raw_msg, f"不是尼斯分类表（{NICE_SEED}）中的类别号（1-45），未作猜测"),
                          f"{present} AND {parsed} IS NULL"))
        vio.append(_issue(name, raw_msg, "nice_class_name_mismatch",
                          _msg(h, raw_msg, "中的类名「") + f" || {cname} || '」不是第' || {parsed} || '类的名称（"
                          + f"{NICE_SEED} 中第' || {parsed} || '类为「' || ipwh_nice_short_name({parsed}) || '」），未作猜测；"
                          + "若确是该类的另一种写法，在该表中为该类加一行'",
                          f"{parsed} IS NOT NULL AND {cname} IS NOT NULL AND NOT ipwh_nice_name_ok({parsed}, {cname})"))
    elif kind in ("integer", "year", "region_code", "gb_code", "number"):
        if kind == "integer":
            parsed = f"try_cast(ipwh_int_text({raw}) AS INTEGER)"
            rule, text = "invalid_number", "不是整数"
        elif kind == "year":
            parsed = (f"(CASE WHEN try_cast(regexp_replace(ipwh_int_text({raw}), '年度?$', '') AS INTEGER) BETWEEN 1950 AND 2100 "
                      f"THEN try_cast(regexp_replace(ipwh_int_text({raw}), '年度?$', '') AS INTEGER) END)")
            rule, text = "invalid_year", "不是有效年份"
        elif kind == "region_code":
            parsed = f"(CASE WHEN regexp_full_match(ipwh_int_text({raw}), '\\d{{6}}(\\d{{3}}|\\d{{6}})?') THEN left(ipwh_int_text({raw}), 6) END)"
            rule, text = "invalid_region_code", "不是6位行政区划代码"
        elif kind == "gb_code":
            parsed = f"(CASE WHEN regexp_full_match(upper(ipwh_int_text({raw})), '[A-T]?\\d{{2,4}}') THEN regexp_replace(upper(ipwh_int_text({raw})), '^[A-T]', '') END)"
            rule, text = "invalid_industry_code", "不是国民经济行业代码(GB/T 4754)，行业按未知处理"
        else:
            parsed = f"try_cast(regexp_replace(ipwh_int_text({raw}), '(万元|万|元|人)$', '') AS DOUBLE) * {scale!r}"
            rule, text = "invalid_number", "不是数字"
        out.append((name, parsed))
        target = flg if kind == "gb_code" else vio
        target.append(_issue(name, raw_msg, rule, _msg(h, raw_msg, text), f"{present} AND {parsed} IS NULL"))
        if kind == "number":
            vio.append(_issue(name, raw_msg, "negative_number", _msg(h, raw_msg, "不能为负数"), f"{parsed} < 0"))
    elif kind == "reg_no":
        norm = f"upper(regexp_replace({raw}, '\\s', '', 'g'))"
        out.append((name, f"CASE WHEN {present} THEN regexp_replace({norm}, '\\.0+$', '') END"))
        vio.append(_issue(name, raw_msg, "invalid_reg_no", _msg(h, raw_msg, "不是有效的商标注册号"),
                          f"{present} AND NOT regexp_full_match(regexp_replace({norm}, '\\.0+$', ''), '[A-Z]?\\d{{1,10}}')"))
    elif kind == "enum":
        value = f"{raw}"
        mapped = _enum_case(value, col.enum or "")
        out.append((name, mapped))
        allowed = "、".join(sorted({k for k in ENUMS[col.enum or ""] if not k.isascii()}))
        vio.append(_issue(name, raw_msg, "unknown_value", _msg(h, raw_msg, f"不是可接受的取值（{allowed}）"),
                          f"{present} AND {mapped} IS NULL"))
    elif kind == "patent_type":
        # Every word through the seed vocabulary (vocabulary.py). A cell may list several words of
        # one patent (发明公开;发明授权): each must be known, the first gives the type.
        tokens = f"list_filter(string_split_regex({raw}, '\\s*[;,、|]\\s*'), lambda x: x <> '')"
        prep.append((f"__pt_{name}", f"CASE WHEN {raw} IS NULL THEN NULL WHEN regexp_matches({raw}, '[;,、|]') "
                                     f"THEN CASE WHEN len(list_filter({tokens}, lambda x: ipwh_vocab_patent_type(x) IS NULL)) = 0 "
                                     f"THEN ipwh_vocab_patent_type({tokens}[1]) END "
                                     f"ELSE ipwh_vocab_patent_type({raw}) END"))
        mapped = f'"__pt_{name}"'
        out.append((name, mapped))
        vio.append(_issue(name, raw_msg, "unknown_value",
                          _msg(h, raw_msg, f"不在专利类型词表中（{VOCAB_SEED} 的 patent_type），未作猜测；确认含义后在词表中加一行"),
                          f"{present} AND {mapped} IS NULL"))
    elif kind == "patent_status":
        # The seed vocabulary decides, word by word (no prefix rules: 授权后失效 is lapsed). A cell
        # that lists events (`授权 | 权利转移`, a CNIPR history `#法律状态公告日:…;法律状态:授权;…`)
        # takes its last word that is not a mere event (转移, 质押 …); any unknown word quarantines it.
        s = f"{raw}"
        tokens = (f"list_filter(list_transform(CASE WHEN contains({s}, '法律状态:') "
                  f"THEN regexp_extract_all({s}, '法律状态:\\s*([^;#|]+)', 1) "
                  f"ELSE string_split_regex({s}, '\\s*[|;]\\s*') END, lambda x: trim(x)), lambda x: x <> '')")
        key_p, cls_p = f"__sk_{name}", f"__sc_{name}"
        prep.append((key_p, f"CASE WHEN {s} IS NULL THEN NULL WHEN regexp_matches({s}, '[|;]|法律状态:') "
                            f"THEN CASE WHEN len(list_filter({tokens}, lambda x: ipwh_vocab_patent_status(x) IS NULL)) = 0 "
                            f"THEN list_filter({tokens}, lambda x: ipwh_vocab_patent_status(x) <> 'event')[-1] END "
                            f"ELSE {s} END"))
        key = f'"{key_p}"'
        prep2.append((cls_p, f"nullif(ipwh_vocab_patent_status({key}), 'event')"))
        cls = f'"{cls_p}"'
        out.append((name, s))
        out.append(("status_class", cls))
        out.append(("lapse_reason", f"CASE WHEN {cls} = 'lapsed' THEN nullif(ipwh_vocab_patent_status_detail({key}), '') END"))
        vio.append(_issue(name, raw_msg, "unknown_value",
                          _msg(h, raw_msg, f"不在专利法律状态词表中（{VOCAB_SEED} 的 patent_status），未作猜测；确认含义后在词表中加一行"),
                          f"{present} AND {cls} IS NULL"))
    elif kind == "trademark_status":
        s = f"{raw}"
        cls_p = f"__sc_{name}"
        prep.append((cls_p, f"ipwh_vocab_trademark_status({s})"))
        cls = f'"{cls_p}"'
        out.append((name, s))
        out.append(("status_class", cls))
        vio.append(_issue(name, raw_msg, "unknown_value",
                          _msg(h, raw_msg, f"不在商标状态词表中（{VOCAB_SEED} 的 trademark_status），未作猜测；确认含义后在词表中加一行"),
                          f"{present} AND {cls} IS NULL"))
    elif kind == "term":
        # '至' is what exports write; the regex split is only for the rarer separators
        prep.append((f"__t_{name}", f"CASE WHEN contains({raw}, '至') THEN CASE WHEN length({raw}) - length(replace({raw}, '至', '')) = 1 "
                                    f"THEN [trim(split_part({raw}, '至', 1)), trim(split_part({raw}, '至', 2))] ELSE string_split({raw}, '至') END "
                                    f"ELSE regexp_split_to_array({raw}, '\\s*(到|~|—|－|--|\\s-\\s)\\s*') END"))
        prep2.append((f"__ts_{name}", f'ipwh_date("__t_{name}"[1])'))
        prep2.append((f"__te_{name}", f'ipwh_date("__t_{name}"[2])'))
        start, end = f'"__ts_{name}"', f'"__te_{name}"'
        out.append((f"{name}_from", f"CASE WHEN {present} THEN {start} END"))
        out.append((f"{name}_to", f"CASE WHEN {present} THEN {end} END"))
        vio.append(_issue(name, raw_msg, "invalid_term", _msg(h, raw_msg, "不是「起始日 至 截止日」格式的期限"),
                          f'{present} AND ({start} IS NULL OR {end} IS NULL OR len("__t_{name}") <> 2)'))
    else:
        raise ValueError(f"unknown column kind {kind!r} for {name}")
    return ColumnSql(out, vio, flg, prep, prep2)


def output_columns(source: Source) -> list[tuple[str, str]]:
    """(column, DuckDB type) of raw.<source>, in order, after the bookkeeping columns."""
    types = {
        "date": "DATE", "integer": "INTEGER", "year": "INTEGER", "nice_class": "INTEGER", "number": "DOUBLE",
    }
    cols: list[tuple[str, str]] = []
    for col in source.columns:
        sql = column_sql(col, col.aliases[0])
        for out_name, _ in sql.outputs:
            kind = col.kind if out_name == col.name else ("date" if out_name.endswith(("_from", "_to")) else "text")
            cols.append((out_name, types.get(kind, "VARCHAR")))
    return cols


def parse_select(source: Source, present: dict[str, str], scale: dict[str, float], relation: str) -> str:
    """SELECT producing _row_number, every output column, and lists of violation and flag structs."""
    outputs: list[str] = []
    violations: list[str] = []
    flags: list[str] = []
    prep: list[str] = []
    prep2: list[str] = []
    for col in source.columns:
        sql = column_sql(col, present.get(col.name), scale.get(col.name, 1.0))
        outputs += [f'{expr} AS "{out}"' for out, expr in sql.outputs]
        violations += sql.violations
        flags += sql.flags
        prep += [f'{expr} AS "{out}"' for out, expr in sql.prep]
        prep2 += [f'{expr} AS "{out}"' for out, expr in sql.prep2]
    # Normalise every cell once, in two cheap steps: fold full width and trim; then blanks to NULL
    # and runs of whitespace to one space (the regex only where there is such a run).
    if present:
        folded = [f'trim(ipwh_hw("{name}")) AS "__h_{name}"' for name in present]
        blanks = ", ".join("'" + b + "'" for b in BLANKS)
        normalised = [
            f'CASE WHEN "__h_{name}" IS NULL OR "__h_{name}" IN ({blanks}) THEN NULL '
            f"WHEN regexp_matches(\"__h_{name}\", '\\s\\s|[\\t\\r\\n]') THEN regexp_replace(\"__h_{name}\", '\\s+', ' ', 'g') "
            f'ELSE "__h_{name}" END AS "__n_{name}"'
            for name in present
        ]
        relation = f"(SELECT *, {', '.join(folded)} FROM {relation})"
        relation = f"(SELECT *, {', '.join(normalised)} FROM {relation})"
    if prep:
        relation = f"(SELECT *, {', '.join(prep)} FROM {relation})"
    if prep2:
        relation = f"(SELECT *, {', '.join(prep2)} FROM {relation})"
    # Missing keys.
    mandatory = [k for key in source.mandatory_key
                 for k in (source.fallback_key[key] if key not in present and key in source.fallback_key else (key,))]
    for key in mandatory:
        col = source.column(key)
        raw = f'"{key}"' if key in present else "NULL::VARCHAR"
        violations.append(_issue(key, raw, "missing_key", f"{_q((present.get(key) or col.aliases[0]) + ' 为空：缺少主键')}",
                                 f"ipwh_blank({raw})"))
    for group in source.key_alternatives:
        raws = [f'"{k}"' if k in present else "NULL::VARCHAR" for k in group]
        names = "/".join(present.get(k) or source.column(k).aliases[0] for k in group)
        violations.append(_issue(group[0], f"concat_ws('|', {', '.join(raws)})", "missing_key",
                                 _q(f"{names} 均为空：缺少主键"), " AND ".join(f"ipwh_blank({r})" for r in raws)))
    return (
        f"SELECT _row_number, {', '.join(outputs)},\n"
        f"  list_filter([{', '.join(violations) or 'NULL'}], lambda x: x IS NOT NULL) AS _violations,\n"
        f"  list_filter([{', '.join(flags) or 'NULL'}], lambda x: x IS NOT NULL) AS _flags\n"
        f"FROM {relation}"
    )


def row_rules_select(source: Source, relation: str) -> str:
    """Rules across columns of an already parsed row (stage 2): conflicts, missing dates, fill-ins."""
    if source.name == "patents":
        digit_type = ("CASE substr(application_no, 5, 1) WHEN '1' THEN 'invention' WHEN '8' THEN 'invention' "
                      "WHEN '2' THEN 'utility_model' WHEN '9' THEN 'utility_model' WHEN '3' THEN 'design' END")
        digit_type = f"(CASE WHEN length(application_no) = 14 THEN {digit_type} END)"
        conflict = _issue("patent_type", "patent_type", "patent_type_conflict",
                          "'专利类型「' || patent_type || '」与申请号类型码「' || substr(application_no, 5, 1) || '」不一致，以专利类型为准'",
                          f"patent_type IS NOT NULL AND {digit_type} IS NOT NULL AND patent_type <> {digit_type}")
        no_date = _issue("lapse_date", "legal_status", "lapsed_without_date",
                         "'法律状态「' || legal_status || '」为失效但缺少失效日；若期限已届满按期满日失效，否则视为各期均无效'",
                         "status_class = 'lapsed' AND lapse_date IS NULL")
        return (
            f"SELECT * REPLACE (coalesce(patent_type, {digit_type}) AS patent_type,\n"
            f"  list_concat(_flags, list_filter([{conflict}, {no_date}], lambda x: x IS NOT NULL)) AS _flags)\n"
            f"FROM {relation}"
        )
    if source.name == "trademarks":
        no_date = _issue("cancel_date", "status", "ended_without_date",
                         "'商标状态「' || status || '」为失效/注销但缺少注销日期；若专用权期限已届满按期满日失效，否则视为各期均无效'",
                         "status_class = 'ended' AND cancel_date IS NULL")
        return (
            f"SELECT * REPLACE (list_concat(_flags, list_filter([{no_date}], lambda x: x IS NOT NULL)) AS _flags)\n"
            f"FROM {relation}"
        )
    return f"SELECT * FROM {relation}"
